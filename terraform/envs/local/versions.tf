terraform {
  # 1.0.3 is the pinned offline binary; newer 1.x releases work too.
  required_version = ">= 1.0.3, < 2.0.0"

  required_providers {
    aws = {
      # Spelled out so OpenTofu resolves the same provider and lock entry.
      source  = "registry.terraform.io/hashicorp/aws"
      version = "= 3.39.0"
    }
  }

  # State lives outside the source tree: scripts/localstack-up.sh passes
  # -backend-config=path=<state dir>/tfstate/local.tfstate.
  backend "local" {}
}

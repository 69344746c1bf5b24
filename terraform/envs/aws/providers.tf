# Real AWS: credentials and account come from the usual AWS environment
# (profile, SSO, instance role); no endpoints are overridden.
provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Project     = "navoy"
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

provider "aws" {
  #checkov:skip=CKV_AWS_41:Fixed dummy credentials the local emulator expects; they grant nothing anywhere else.
  region     = var.region
  access_key = "test"
  secret_key = "test"

  # The emulator has no instance metadata and accepts any credentials.
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_region_validation      = true

  # Every service the stack uses goes to the local emulator. Provider 3.39
  # names the ALB/ELBv2 endpoint "elb" (the key "elbv2" is rejected).
  endpoints {
    applicationautoscaling = var.endpoint
    autoscaling            = var.endpoint
    cloudwatch             = var.endpoint
    cloudwatchlogs         = var.endpoint
    ec2                    = var.endpoint
    ecr                    = var.endpoint
    ecs                    = var.endpoint
    elb                    = var.endpoint
    iam                    = var.endpoint
    kms                    = var.endpoint
    secretsmanager         = var.endpoint
    ssm                    = var.endpoint
    sts                    = var.endpoint
  }

  # local: no default_tags. moto echoes a launch template's own tags back as
  # a tag specification of its data, so every plan would change the template.
}

# Local entry point: the whole reference design against the local emulator.
# Same modules as ../aws; the differences are the local-mode workarounds,
# each marked "local:" with the emulator behaviour that forces it.

locals {
  name = "navoy"
  azs  = ["${var.region}a", "${var.region}b"]
}

module "secrets" {
  source = "../../modules/secrets"

  name                        = local.name
  session_secret_name         = "navoy/app/session-secret"
  database_url_parameter_name = "/navoy/app/database-url"
  # Local-only placeholder values: the local stack has no real database and
  # these values never leave the machine.
  session_secret_value = "local-session-secret-not-for-production"
  database_url_value   = "postgres://navoy:navoy@127.0.0.1:5432/navoy"
  # Destroy and re-apply must be able to reuse the secret's name at once.
  recovery_window_in_days = 0
}

module "network" {
  source = "../../modules/network"

  name                 = local.name
  vpc_cidr             = "10.40.0.0/16"
  azs                  = local.azs
  public_subnet_cidrs  = ["10.40.0.0/24", "10.40.1.0/24"]
  private_subnet_cidrs = ["10.40.10.0/24", "10.40.11.0/24"]
  app_port             = 3000
  kms_key_arn          = module.secrets.kms_key_arn
}

module "ecr" {
  source = "../../modules/ecr"

  repository_name = "navoy-app"
  kms_key_arn     = module.secrets.kms_key_arn
}

module "observability" {
  source = "../../modules/observability"

  name                    = local.name
  log_group_name          = "/ecs/navoy-app"
  kms_key_arn             = module.secrets.kms_key_arn
  alb_arn_suffix          = module.alb.alb_arn_suffix
  target_group_arn_suffix = module.alb.target_group_arn_suffix
  cluster_name            = module.ecs_cluster.cluster_name
  service_name            = module.ecs_service.service_name
}

module "iam" {
  source = "../../modules/iam"

  name               = local.name
  ecr_repository_arn = module.ecr.repository_arn
  log_group_arn      = module.observability.log_group_arn
  secret_arns        = [module.secrets.session_secret_arn]
  parameter_arns     = [module.secrets.database_url_parameter_arn]
  kms_key_arn        = module.secrets.kms_key_arn

  create_console_policies = true
  cluster_name            = "navoy"
  service_name            = "navoy-app"
  asg_name                = "navoy-ecs"
  log_group_name          = "/ecs/navoy-app"
}

module "alb" {
  source = "../../modules/alb"

  name              = local.name
  vpc_id            = module.network.vpc_id
  public_subnet_ids = module.network.public_subnet_ids
  security_group_id = module.network.alb_security_group_id
  target_group_name = "navoy-app"
  app_port          = 3000
  # local: no ACM in the emulator, so a plain HTTP listener on port 80.
  certificate_arn = null
  # local: destroy must be able to delete the ALB without a second apply.
  enable_deletion_protection = false
}

module "ecs_cluster" {
  source = "../../modules/ecs_cluster"

  cluster_name           = "navoy"
  asg_name               = "navoy-ecs"
  capacity_provider_name = "navoy-ecs"
  private_subnet_ids     = module.network.private_subnet_ids
  security_group_id      = module.network.ecs_security_group_id
  instance_profile_name  = module.iam.instance_profile_name
  kms_key_arn            = module.secrets.kms_key_arn
  min_size               = 1
  desired_capacity       = 2
  max_size               = 4

  enable_capacity_provider = true
  # local: moto never reports a deleted capacity provider as INACTIVE, so
  # terraform destroy would wait on it; scripts/localstack-down.sh --destroy
  # removes it from state first and deletes it through the API afterwards.
  # local: moto makes the ASG delete wait ~10 min for instances that never
  # terminate; force_delete removes it at once.
  asg_force_delete = true
}

module "ecs_service" {
  source = "../../modules/ecs_service"

  service_name       = "navoy-app"
  family             = "navoy-app"
  container_name     = "app"
  container_port     = 3000
  image              = "${module.ecr.repository_url}:${var.image_tag}"
  cluster_name       = module.ecs_cluster.cluster_name
  cluster_arn        = module.ecs_cluster.cluster_arn
  execution_role_arn = module.iam.execution_role_arn
  task_role_arn      = module.iam.task_role_arn
  log_group_name     = module.observability.log_group_name
  log_stream_prefix  = "navoy"
  secrets = {
    SESSION_SECRET = module.secrets.session_secret_arn
    DATABASE_URL   = module.secrets.database_url_parameter_arn
  }
  environment = {
    NODE_ENV = "production"
    PORT     = "3000"
  }
  private_subnet_ids = module.network.private_subnet_ids
  security_group_id  = module.network.ecs_security_group_id
  target_group_arn   = module.alb.target_group_arn
  desired_count      = 2

  # local: moto does not echo capacityProviderStrategy or
  # healthCheckGracePeriodSeconds, so every plan would replace the service;
  # use launch_type EC2 and no grace period.
  capacity_provider_name            = null
  health_check_grace_period_seconds = null
  # local: moto's DescribeScalingPolicies ignores PolicyNames, so a second
  # policy on the same target reads back as the first and never converges;
  # the local stack keeps only the CPU policy.
  enable_memory_policy = false
}

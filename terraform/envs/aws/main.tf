# Real-AWS entry point: the same modules as ../local, with HTTPS on the ALB,
# the ASG capacity provider and its placement strategy, deletion protection
# and a health-check grace period.

locals {
  name = "navoy"
  azs  = ["${var.region}a", "${var.region}b"]
}

module "secrets" {
  source = "../../modules/secrets"

  name                        = local.name
  session_secret_name         = "navoy/app/session-secret"
  database_url_parameter_name = "/navoy/app/database-url"
  # The session secret's value is set out of band
  # (aws secretsmanager put-secret-value) so it never lands in state.
  session_secret_value = null
  database_url_value   = var.database_url
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
  alarm_actions           = var.alarm_actions
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

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  public_subnet_ids          = module.network.public_subnet_ids
  security_group_id          = module.network.alb_security_group_id
  target_group_name          = "navoy-app"
  app_port                   = 3000
  certificate_arn            = var.certificate_arn
  enable_deletion_protection = true
  access_logs_bucket         = var.alb_access_logs_bucket
}

module "ecs_cluster" {
  source = "../../modules/ecs_cluster"

  cluster_name             = "navoy"
  asg_name                 = "navoy-ecs"
  capacity_provider_name   = "navoy-ecs"
  private_subnet_ids       = module.network.private_subnet_ids
  security_group_id        = module.network.ecs_security_group_id
  instance_profile_name    = module.iam.instance_profile_name
  instance_type            = var.instance_type
  kms_key_arn              = module.secrets.kms_key_arn
  min_size                 = 1
  desired_capacity         = 2
  max_size                 = 4
  enable_capacity_provider = true
  asg_force_delete         = false
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

  capacity_provider_name            = module.ecs_cluster.capacity_provider_name
  health_check_grace_period_seconds = 60
  enable_memory_policy              = true
}

output "endpoint" {
  description = "AWS API endpoint of the local emulator."
  value       = var.endpoint
}

output "region" {
  value = var.region
}

output "vpc_id" {
  value = module.network.vpc_id
}

output "cluster_name" {
  value = module.ecs_cluster.cluster_name
}

output "cluster_arn" {
  value = module.ecs_cluster.cluster_arn
}

output "service_name" {
  value = module.ecs_service.service_name
}

output "task_definition_arn" {
  value = module.ecs_service.task_definition_arn
}

output "capacity_provider_name" {
  value = module.ecs_cluster.capacity_provider_name
}

output "asg_name" {
  value = module.ecs_cluster.asg_name
}

output "target_group_arn" {
  value = module.alb.target_group_arn
}

output "alb_dns_name" {
  value = module.alb.alb_dns_name
}

output "alb_listener_port" {
  value = module.alb.listener_port
}

output "log_group_name" {
  value = module.observability.log_group_name
}

output "ecr_repository_url" {
  value = module.ecr.repository_url
}

output "viewer_policy_arn" {
  value = module.iam.viewer_policy_arn
}

output "operator_policy_arn" {
  value = module.iam.operator_policy_arn
}

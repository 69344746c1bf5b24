output "cluster_name" {
  value = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  value = aws_ecs_cluster.this.arn
}

output "asg_name" {
  value = aws_autoscaling_group.ecs.name
}

output "asg_arn" {
  value = aws_autoscaling_group.ecs.arn
}

output "capacity_provider_name" {
  value = var.enable_capacity_provider ? aws_ecs_capacity_provider.asg[0].name : null
}

output "ami_id" {
  value     = data.aws_ssm_parameter.ecs_ami.value
  sensitive = true
}

output "service_name" {
  value = aws_ecs_service.app.name
}

output "task_definition_arn" {
  value = aws_ecs_task_definition.app.arn
}

output "task_family" {
  value = aws_ecs_task_definition.app.family
}

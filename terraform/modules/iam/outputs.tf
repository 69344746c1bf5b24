output "execution_role_arn" {
  value = aws_iam_role.execution.arn
}

output "task_role_arn" {
  value = aws_iam_role.task.arn
}

output "instance_profile_name" {
  value = aws_iam_instance_profile.instance.name
}

output "instance_role_name" {
  value = aws_iam_role.instance.name
}

output "viewer_policy_arn" {
  value = var.create_console_policies ? aws_iam_policy.viewer[0].arn : null
}

output "operator_policy_arn" {
  value = var.create_console_policies ? aws_iam_policy.operator[0].arn : null
}

output "kms_key_arn" {
  value = aws_kms_key.this.arn
}

output "session_secret_arn" {
  value = aws_secretsmanager_secret.session.arn
}

output "database_url_parameter_arn" {
  value = aws_ssm_parameter.database_url.arn
}

variable "name" {
  description = "Name prefix for every resource."
  type        = string
}

variable "session_secret_name" {
  description = "Secrets Manager secret injected as SESSION_SECRET."
  type        = string
}

variable "session_secret_value" {
  description = "Initial value of the session secret. Leave null to set it out of band (aws secretsmanager put-secret-value) so it never lands in Terraform state."
  type        = string
  default     = null
  sensitive   = true
}

variable "database_url_parameter_name" {
  description = "SSM SecureString parameter injected as DATABASE_URL."
  type        = string
}

variable "database_url_value" {
  description = "Initial value of the database URL parameter. Later changes made outside Terraform are kept."
  type        = string
  sensitive   = true
}

variable "recovery_window_in_days" {
  description = "Days a deleted secret can be restored (0 deletes at once)."
  type        = number
  default     = 7
}

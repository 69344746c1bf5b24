variable "name" {
  description = "Name prefix for every role and policy."
  type        = string
}

variable "ecr_repository_arn" {
  type = string
}

variable "log_group_arn" {
  type = string
}

variable "secret_arns" {
  description = "Secrets Manager secrets the execution role may read (exactly the task's secrets)."
  type        = list(string)
}

variable "parameter_arns" {
  description = "SSM parameters the execution role may read (exactly the task's parameters)."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "Key that encrypts the secrets and parameters."
  type        = string
}

variable "create_console_policies" {
  description = "Create the navoy-viewer and navoy-operator managed policies."
  type        = bool
  default     = true
}

variable "cluster_name" {
  type = string
}

variable "service_name" {
  type = string
}

variable "asg_name" {
  type = string
}

variable "log_group_name" {
  type = string
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "environment" {
  description = "Environment tag, e.g. production or staging."
  type        = string
  default     = "production"
}

variable "certificate_arn" {
  description = "ACM certificate (in var.region) for the ALB's HTTPS listener."
  type        = string
}

variable "image_tag" {
  description = "Image tag to run, sha-<commit> of the build that pushed it."
  type        = string
}

variable "database_url" {
  description = "Initial DATABASE_URL stored in SSM; later changes made outside Terraform are kept."
  type        = string
  sensitive   = true
}

variable "instance_type" {
  type    = string
  default = "t3.small"
}

variable "alarm_actions" {
  description = "SNS topic ARNs the alarms notify."
  type        = list(string)
  default     = []
}

variable "alb_access_logs_bucket" {
  description = "S3 bucket for ALB access logs (null = off)."
  type        = string
  default     = null
}

variable "name" {
  description = "Name prefix for every resource."
  type        = string
}

variable "vpc_id" {
  type = string
}

variable "public_subnet_ids" {
  description = "Public subnets (one per AZ) the ALB lives in."
  type        = list(string)
}

variable "security_group_id" {
  description = "The ALB security group."
  type        = string
}

variable "target_group_name" {
  type = string
}

variable "app_port" {
  type = number
}

variable "health_check_path" {
  type    = string
  default = "/health"
}

variable "deregistration_delay" {
  description = "Seconds a draining target keeps its in-flight requests."
  type        = number
  default     = 30
}

variable "certificate_arn" {
  description = "ACM certificate for the HTTPS listener. null = plain HTTP listener only (local emulator)."
  type        = string
  default     = null
}

variable "ssl_policy" {
  type    = string
  default = "ELBSecurityPolicy-TLS13-1-2-2021-06"
}

variable "enable_deletion_protection" {
  type    = bool
  default = true
}

variable "access_logs_bucket" {
  description = "S3 bucket for ALB access logs (null = off)."
  type        = string
  default     = null
}

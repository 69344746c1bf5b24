variable "name" {
  description = "Name prefix for the alarms."
  type        = string
}

variable "log_group_name" {
  type = string
}

variable "log_retention_days" {
  type    = number
  default = 365
}

variable "kms_key_arn" {
  type = string
}

variable "alb_arn_suffix" {
  type = string
}

variable "target_group_arn_suffix" {
  type = string
}

variable "cluster_name" {
  type = string
}

variable "service_name" {
  type = string
}

variable "cpu_high_threshold" {
  description = "Service CPU % that raises the alarm (above the 60 % scaling target)."
  type        = number
  default     = 85
}

variable "http_5xx_threshold" {
  description = "Target 5xx responses per minute that raise the alarm."
  type        = number
  default     = 10
}

variable "alarm_actions" {
  description = "SNS topic ARNs notified on ALARM and OK."
  type        = list(string)
  default     = []
}

variable "service_name" {
  type = string
}

variable "family" {
  description = "Task definition family."
  type        = string
}

variable "container_name" {
  type    = string
  default = "app"
}

variable "container_port" {
  type = number
}

variable "image" {
  description = "Full image reference, e.g. <ecr-url>:sha-<commit>."
  type        = string
}

variable "task_cpu" {
  type    = number
  default = 256
}

variable "task_memory" {
  type    = number
  default = 512
}

variable "cluster_name" {
  type = string
}

variable "cluster_arn" {
  type = string
}

variable "execution_role_arn" {
  type = string
}

variable "task_role_arn" {
  type = string
}

variable "log_group_name" {
  type = string
}

variable "log_stream_prefix" {
  type    = string
  default = "navoy"
}

variable "secrets" {
  description = "Env var name -> ARN of the Secrets Manager secret or SSM parameter injected at start."
  type        = map(string)
}

variable "environment" {
  description = "Plain (non-secret) environment variables."
  type        = map(string)
  default     = {}
}

variable "private_subnet_ids" {
  type = list(string)
}

variable "security_group_id" {
  type = string
}

variable "target_group_arn" {
  type = string
}

variable "desired_count" {
  type    = number
  default = 2
}

variable "min_count" {
  type    = number
  default = 2
}

variable "max_count" {
  type    = number
  default = 8
}

variable "cpu_target" {
  type    = number
  default = 60
}

variable "enable_memory_policy" {
  description = "Create the memory target-tracking policy next to the CPU one."
  type        = bool
  default     = true
}

variable "memory_target" {
  type    = number
  default = 70
}

# Rolling deployments start new tasks before stopping old ones (100/200).
# Provider 3.39 sends only the circuit breaker on CreateService and drops
# these two values (AWS then applies 100/200), so values other than the
# defaults would only converge on a second apply.
variable "deployment_minimum_healthy_percent" {
  type    = number
  default = 100
}

variable "deployment_maximum_percent" {
  type    = number
  default = 200
}

variable "capacity_provider_name" {
  description = "Place tasks through this capacity provider; null = launch_type EC2."
  type        = string
  default     = null
}

variable "health_check_grace_period_seconds" {
  description = "Seconds ALB health checks are ignored after a task starts (null = unset)."
  type        = number
  default     = null
}

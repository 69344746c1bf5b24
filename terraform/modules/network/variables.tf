variable "name" {
  description = "Name prefix for every resource."
  type        = string
}

variable "vpc_cidr" {
  description = "CIDR block of the VPC."
  type        = string
}

variable "azs" {
  description = "Availability zones, one public and one private subnet in each."
  type        = list(string)
}

variable "public_subnet_cidrs" {
  description = "CIDR of the public subnet in each AZ (same order as azs)."
  type        = list(string)
}

variable "private_subnet_cidrs" {
  description = "CIDR of the private subnet in each AZ (same order as azs)."
  type        = list(string)
}

variable "flow_log_retention_days" {
  description = "Retention of the VPC flow log group."
  type        = number
  default     = 365
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the flow log group."
  type        = string
}

variable "app_port" {
  description = "Port the app container listens on (ALB -> tasks)."
  type        = number
}

variable "cluster_name" {
  type = string
}

variable "asg_name" {
  type = string
}

variable "capacity_provider_name" {
  type = string
}

variable "private_subnet_ids" {
  description = "Private subnets (one per AZ) the container instances run in."
  type        = list(string)
}

variable "security_group_id" {
  description = "The ECS security group (container instances and task ENIs)."
  type        = string
}

variable "instance_profile_name" {
  type = string
}

variable "instance_type" {
  type    = string
  default = "t3.small"
}

variable "ami_ssm_parameter" {
  description = "SSM parameter holding the current ECS-optimized AMI."
  type        = string
  default     = "/aws/service/ecs/optimized-ami/amazon-linux-2/recommended/image_id"
}

variable "min_size" {
  type    = number
  default = 1
}

variable "desired_capacity" {
  type    = number
  default = 2
}

variable "max_size" {
  type    = number
  default = 4
}

variable "kms_key_arn" {
  description = "Key that encrypts the instances' root volumes (null = AWS-managed EBS key)."
  type        = string
  default     = null
}

variable "enable_capacity_provider" {
  description = "Create the ASG capacity provider (managed scaling + managed termination protection) and make it the cluster default."
  type        = bool
  default     = true
}

variable "asg_force_delete" {
  description = "Delete the ASG without waiting for its instances to terminate."
  type        = bool
  default     = false
}

variable "container_insights" {
  type    = bool
  default = true
}

variable "repository_name" {
  type = string
}

variable "kms_key_arn" {
  type = string
}

variable "keep_tagged_images" {
  description = "How many sha-* images to keep."
  type        = number
  default     = 30
}

variable "untagged_expiry_days" {
  type    = number
  default = 7
}

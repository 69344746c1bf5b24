variable "endpoint" {
  description = "URL of the local AWS emulator (moto or LocalStack)."
  type        = string
  default     = "http://127.0.0.1:4566"
}

variable "region" {
  type    = string
  default = "us-east-1"
}

variable "image_tag" {
  description = "Image tag the task definition runs (sha-<commit> convention)."
  type        = string
  default     = "sha-local"
}

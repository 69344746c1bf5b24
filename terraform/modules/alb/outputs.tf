output "alb_arn" {
  value = aws_lb.this.arn
}

output "alb_arn_suffix" {
  value = aws_lb.this.arn_suffix
}

output "alb_dns_name" {
  value = aws_lb.this.dns_name
}

output "listener_port" {
  description = "Port clients use: 443 with a certificate, else 80."
  value       = var.certificate_arn == null ? 80 : 443
}

output "target_group_arn" {
  value = aws_lb_target_group.app.arn
}

output "target_group_arn_suffix" {
  value = aws_lb_target_group.app.arn_suffix
}

output "target_group_name" {
  value = aws_lb_target_group.app.name
}

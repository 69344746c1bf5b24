# Internet-facing ALB in the public subnets, one target group of task IPs.

resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_28:WAF is outside the seed design; attach a web ACL in front of the ALB when one exists.
  #checkov:skip=CKV_AWS_150:Deletion protection is var.enable_deletion_protection: on in envs/aws, off locally so the emulator stack can be destroyed.
  #checkov:skip=CKV2_AWS_20:With a certificate (envs/aws) HTTP redirects to HTTPS; only the local emulator, which has no ACM, serves plain HTTP.
  #checkov:skip=CKV_AWS_91:Access logs need an S3 bucket outside this stack; set access_logs_bucket to enable them.
  name                       = "${var.name}-alb"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [var.security_group_id]
  drop_invalid_header_fields = true
  enable_deletion_protection = var.enable_deletion_protection

  dynamic "access_logs" {
    for_each = var.access_logs_bucket == null ? [] : [var.access_logs_bucket]
    content {
      bucket  = access_logs.value
      prefix  = var.name
      enabled = true
    }
  }
}

resource "aws_lb_target_group" "app" {
  #checkov:skip=CKV_AWS_378:TLS ends at the ALB; ALB-to-task traffic stays in the private subnets, guarded by the ECS SG.
  name                 = var.target_group_name
  port                 = var.app_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = var.deregistration_delay

  health_check {
    enabled             = true
    path                = var.health_check_path
    protocol            = "HTTP"
    matcher             = "200"
    interval            = 10
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

# With a certificate (AWS): HTTP redirects to HTTPS, HTTPS forwards.
resource "aws_lb_listener" "http_redirect" {
  count = var.certificate_arn == null ? 0 : 1

  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  count = var.certificate_arn == null ? 0 : 1

  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

# Without a certificate (local emulator): plain HTTP forwards.
resource "aws_lb_listener" "http_forward" {
  #checkov:skip=CKV_AWS_2:Only created without a certificate (local emulator, which has no ACM); with one, HTTP redirects to HTTPS.
  #checkov:skip=CKV_AWS_103:Same listener: no TLS without a certificate; the HTTPS listener sets a TLS 1.2+ policy.
  count = var.certificate_arn == null ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}

# The two security groups of the design:
#   ALB SG: 80/443 from the internet, egress only to the ECS SG on the app port.
#   ECS SG: ingress only from the ALB SG on the app port (tasks use awsvpc,
#           so the same group guards the task ENIs and the container instances).

resource "aws_security_group" "alb" {
  #checkov:skip=CKV2_AWS_5:Attached to the ALB in modules/alb (passed as an output; the scan does not follow module outputs).
  name        = "${var.name}-alb"
  description = "ALB: HTTP/HTTPS from the internet, egress to the app only"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name}-alb" }
}

resource "aws_security_group" "ecs" {
  #checkov:skip=CKV2_AWS_5:Attached to the launch template and the ECS service in other modules (the scan does not follow module outputs).
  name        = "${var.name}-ecs"
  description = "ECS instances and tasks: app port from the ALB only"
  vpc_id      = aws_vpc.this.id

  tags = { Name = "${var.name}-ecs" }
}

resource "aws_security_group_rule" "alb_http_in" {
  #checkov:skip=CKV_AWS_260:Public entry point: the internet-facing ALB must accept HTTP (it redirects to HTTPS in AWS).
  type              = "ingress"
  description       = "HTTP from the internet"
  security_group_id = aws_security_group.alb.id
  protocol          = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group_rule" "alb_https_in" {
  type              = "ingress"
  description       = "HTTPS from the internet"
  security_group_id = aws_security_group.alb.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
}

resource "aws_security_group_rule" "alb_to_app" {
  type                     = "egress"
  description              = "To the app tasks only"
  security_group_id        = aws_security_group.alb.id
  protocol                 = "tcp"
  from_port                = var.app_port
  to_port                  = var.app_port
  source_security_group_id = aws_security_group.ecs.id
}

resource "aws_security_group_rule" "app_from_alb" {
  type                     = "ingress"
  description              = "App port from the ALB only"
  security_group_id        = aws_security_group.ecs.id
  protocol                 = "tcp"
  from_port                = var.app_port
  to_port                  = var.app_port
  source_security_group_id = aws_security_group.alb.id
}

# The ECS agent, image pulls (ECR), secrets and logs go out over HTTPS
# through the NAT gateway.
resource "aws_security_group_rule" "ecs_https_out" {
  type              = "egress"
  description       = "HTTPS to AWS APIs and ECR via the NAT gateway"
  security_group_id = aws_security_group.ecs.id
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
}

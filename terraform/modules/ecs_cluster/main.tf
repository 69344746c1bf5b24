# ECS cluster backed by an Auto Scaling Group of ECS-optimized EC2 instances
# in the private subnets of both AZs, bound to the cluster by a capacity
# provider (managed scaling, managed termination protection).

data "aws_ssm_parameter" "ecs_ami" {
  name = var.ami_ssm_parameter
}

resource "aws_launch_template" "ecs" {
  name_prefix   = "${var.asg_name}-"
  image_id      = data.aws_ssm_parameter.ecs_ami.value
  instance_type = var.instance_type

  iam_instance_profile {
    name = var.instance_profile_name
  }

  vpc_security_group_ids = [var.security_group_id]

  # IMDSv2 only; one hop: awsvpc tasks do not need the instance's metadata.
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  monitoring {
    enabled = true
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = 30
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = var.kms_key_arn
      delete_on_termination = true
    }
  }

  user_data = base64encode(<<-EOT
    #!/bin/bash
    echo "ECS_CLUSTER=${var.cluster_name}" >> /etc/ecs/ecs.config
    echo "ECS_ENABLE_TASK_IAM_ROLE=true" >> /etc/ecs/ecs.config
    echo "ECS_CONTAINER_STOP_TIMEOUT=30s" >> /etc/ecs/ecs.config
  EOT
  )

  tag_specifications {
    resource_type = "instance"
    tags          = { Name = var.asg_name }
  }
}

resource "aws_autoscaling_group" "ecs" {
  name                = var.asg_name
  min_size            = var.min_size
  max_size            = var.max_size
  desired_capacity    = var.desired_capacity
  vpc_zone_identifier = var.private_subnet_ids
  health_check_type   = "EC2"
  force_delete        = var.asg_force_delete
  # Managed termination protection needs scale-in protection on the instances.
  protect_from_scale_in = var.enable_capacity_provider

  launch_template {
    id      = aws_launch_template.ecs.id
    version = aws_launch_template.ecs.latest_version
  }

  tag {
    key                 = "AmazonECSManaged"
    value               = "true"
    propagate_at_launch = true
  }

  tag {
    key                 = "Name"
    value               = var.asg_name
    propagate_at_launch = true
  }

  lifecycle {
    # The capacity provider (or an operator) owns the instance count.
    ignore_changes = [desired_capacity]
  }
}

resource "aws_ecs_capacity_provider" "asg" {
  count = var.enable_capacity_provider ? 1 : 0

  name = var.capacity_provider_name

  auto_scaling_group_provider {
    auto_scaling_group_arn         = aws_autoscaling_group.ecs.arn
    managed_termination_protection = "ENABLED"

    managed_scaling {
      status                    = "ENABLED"
      target_capacity           = 100
      minimum_scaling_step_size = 1
      maximum_scaling_step_size = 2
    }
  }
}

resource "aws_ecs_cluster" "this" {
  name               = var.cluster_name
  capacity_providers = aws_ecs_capacity_provider.asg[*].name

  dynamic "default_capacity_provider_strategy" {
    for_each = aws_ecs_capacity_provider.asg[*].name
    content {
      capacity_provider = default_capacity_provider_strategy.value
      weight            = 1
      base              = 0
    }
  }

  setting {
    name  = "containerInsights"
    value = var.container_insights ? "enabled" : "disabled"
  }
}

# Roles of the design: task execution role (pull image, write logs, read
# exactly its secrets), task role (no permissions: the app calls no AWS API),
# instance role for the ECS agent. Plus the console's viewer/operator policies.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

# --- task execution role -------------------------------------------------

resource "aws_iam_role" "execution" {
  name               = "${var.name}-task-execution"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    sid = "EcrAuthToken"
    # GetAuthorizationToken has no resource-level permissions.
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PullAppImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:GetDownloadUrlForLayer",
      "ecr:BatchGetImage",
    ]
    resources = [var.ecr_repository_arn]
  }

  statement {
    sid       = "WriteAppLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${var.log_group_arn}:*"]
  }

  statement {
    sid       = "ReadAppSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = var.secret_arns
  }

  statement {
    sid       = "ReadAppParameters"
    actions   = ["ssm:GetParameters"]
    resources = var.parameter_arns
  }

  statement {
    sid       = "DecryptAppSecrets"
    actions   = ["kms:Decrypt"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "pull-log-read-secrets"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# --- task role: the app's own identity, deliberately without permissions ---

resource "aws_iam_role" "task" {
  name               = "${var.name}-task"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

# --- container instance role (ECS agent) ----------------------------------

data "aws_iam_policy_document" "ec2_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["ec2.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "instance" {
  name               = "${var.name}-ecs-instance"
  assume_role_policy = data.aws_iam_policy_document.ec2_assume.json
}

resource "aws_iam_role_policy_attachment" "instance_ecs" {
  role       = aws_iam_role.instance.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role"
}

resource "aws_iam_instance_profile" "instance" {
  name = "${var.name}-ecs-instance"
  role = aws_iam_role.instance.name
}

# --- console policies (files in terraform/policies) -----------------------

locals {
  policy_vars = {
    partition          = data.aws_partition.current.partition
    region             = data.aws_region.current.name
    account_id         = data.aws_caller_identity.current.account_id
    cluster            = var.cluster_name
    service            = var.service_name
    asg                = var.asg_name
    log_group          = var.log_group_name
    task_role_arn      = aws_iam_role.task.arn
    execution_role_arn = aws_iam_role.execution.arn
  }
}

resource "aws_iam_policy" "viewer" {
  count = var.create_console_policies ? 1 : 0

  name        = "${var.name}-viewer"
  description = "Read-only: exactly the calls the navoy console makes to show the stack."
  policy      = templatefile("${path.module}/../../policies/navoy-viewer.json", local.policy_vars)
}

resource "aws_iam_policy" "operator" {
  count = var.create_console_policies ? 1 : 0

  name        = "${var.name}-operator"
  description = "navoy-viewer plus the console's mutating calls (scale, deploy, drain, stop)."
  policy      = templatefile("${path.module}/../../policies/navoy-operator.json", local.policy_vars)
}

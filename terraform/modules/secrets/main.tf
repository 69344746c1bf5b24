# Runtime secrets of the app and the customer-managed key that encrypts them
# (also used for the log groups and the ECR repository).

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}
data "aws_partition" "current" {}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_111:Key policy: Resource "*" means this key only, and write access is limited to the account root and CloudWatch Logs of this account.
  #checkov:skip=CKV_AWS_356:Key policy: Resource "*" means this key only; a key policy cannot name other resources.
  #checkov:skip=CKV_AWS_109:Key policy: the account root must administer the key (AWS default) or the key becomes unmanageable.
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }

  statement {
    sid = "CloudWatchLogsEncrypts"
    actions = [
      "kms:Encrypt*",
      "kms:Decrypt*",
      "kms:ReEncrypt*",
      "kms:GenerateDataKey*",
      "kms:Describe*",
    ]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["logs.${data.aws_region.current.name}.amazonaws.com"]
    }
    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${data.aws_partition.current.partition}:logs:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:*"]
    }
  }
}

resource "aws_kms_key" "this" {
  description         = "${var.name}: secrets, logs and images at rest"
  enable_key_rotation = true
  policy              = data.aws_iam_policy_document.key.json
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}

resource "aws_secretsmanager_secret" "session" {
  #checkov:skip=CKV2_AWS_57:No rotation Lambda in this design; rotate with put-secret-value and a forced new ECS deployment.
  name                    = var.session_secret_name
  description             = "Session signing secret of the ${var.name} app (env SESSION_SECRET)"
  kms_key_id              = aws_kms_key.this.arn
  recovery_window_in_days = var.recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "session" {
  count = var.session_secret_value == null ? 0 : 1

  secret_id     = aws_secretsmanager_secret.session.id
  secret_string = var.session_secret_value

  lifecycle {
    ignore_changes = [secret_string]
  }
}

resource "aws_ssm_parameter" "database_url" {
  name        = var.database_url_parameter_name
  description = "Database URL of the ${var.name} app (env DATABASE_URL)"
  type        = "SecureString"
  key_id      = aws_kms_key.this.arn
  value       = var.database_url_value

  lifecycle {
    ignore_changes = [value]
  }
}

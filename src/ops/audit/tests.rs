//! Audit records: the schema, the caller identity, appending, and that no secret is ever written.

use aws_sdk_sts::Client as Sts;
use aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityOutput;
use aws_smithy_mocks::mock;

use super::{AuditContext, AuditLog, AuditOutcome, default_path, redact_endpoint};
use crate::model::sample;
use crate::ops::execute::Outcome;
use crate::ops::testing::{self, CANARY_SECRET, Mocks};
use crate::ops::{Checks, Operation, prepare};

const ARN: &str = "arn:aws:sts::123456789012:assumed-role/oncall/alice";

#[tokio::test]
async fn a_record_has_every_field_and_no_secret() {
    let who = mock!(Sts::get_caller_identity).then_output(|| {
        GetCallerIdentityOutput::builder()
            .arn(ARN)
            .account("123456789012")
            .build()
    });
    let ctx = testing::context(
        false,
        &Mocks {
            sts: vec![&who],
            ..Mocks::default()
        },
    );
    let audit = AuditContext::for_context(&ctx, Some("navoy")).await;
    assert_eq!(audit.identity, ARN);
    let op = Operation::Redeploy {
        service: "navoy-app".into(),
        image_tag: "sha-abc".into(),
    };
    let plan = prepare(&sample::seed(), &op, Checks::default()).unwrap();
    let outcome = Outcome {
        done: vec!["ECS RegisterTaskDefinition copyOf=navoy-app:7 → navoy-app:8".into()],
        failed: Some("ECS UpdateService: ThrottlingException: Rate exceeded".into()),
        not_done: Vec::new(),
        registered_task_definition: Some("navoy-app:8".into()),
        failed_kind: None,
    };
    let record = audit.record(&op, Some(&plan), AuditOutcome::from_execution(&outcome));
    let dir = tempfile::tempdir().unwrap();
    let log = AuditLog::at(dir.path().join("nested/audit.jsonl"));
    log.append(&record).unwrap();
    log.append(&audit.record(
        &op,
        None,
        AuditOutcome::new("refused", Some("read-only".into())),
    ))
    .unwrap();
    let text = std::fs::read_to_string(log.path()).unwrap();
    assert_eq!(text.lines().count(), 2);
    assert!(!text.contains(CANARY_SECRET), "{text}");
    assert!(!text.contains("AKIDCANARY"), "{text}");
    let first: serde_json::Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    for field in [
        "time",
        "identity",
        "endpoint",
        "region",
        "cluster",
        "operation",
        "parameters",
        "plan",
        "outcome",
    ] {
        assert!(first.get(field).is_some(), "missing {field}: {first}");
    }
    assert_eq!(first["identity"], ARN);
    assert_eq!(first["endpoint"], "http://127.0.0.1:4566");
    assert_eq!(first["operation"], "redeploy");
    assert_eq!(first["parameters"]["kind"], "redeploy");
    assert_eq!(first["parameters"]["image_tag"], "sha-abc");
    assert_eq!(first["outcome"]["status"], "failed_halfway");
    assert_eq!(first["plan"]["calls"].as_array().unwrap().len(), 2);
    let back = log.read_all().unwrap();
    assert_eq!(back.len(), 2);
    assert_eq!(back[0], record);
    assert_eq!(back[1].outcome.status, "refused");
    assert!(back[1].plan.is_none());
}

#[tokio::test]
async fn an_unknown_caller_is_recorded_as_unknown() {
    let denied = mock!(Sts::get_caller_identity).then_error(|| {
        aws_sdk_sts::operation::get_caller_identity::GetCallerIdentityError::unhandled(
            "AccessDenied",
        )
    });
    let ctx = testing::context(
        false,
        &Mocks {
            sts: vec![&denied],
            ..Mocks::default()
        },
    );
    let audit = AuditContext::for_context(&ctx, None).await;
    assert_eq!(audit.identity, "unknown");
}

#[test]
fn endpoints_lose_their_credentials() {
    assert_eq!(
        redact_endpoint(&format!(
            "https://alice:{CANARY_SECRET}@proxy.example:8443/aws"
        )),
        "https://proxy.example:8443/aws"
    );
    assert_eq!(
        redact_endpoint("http://127.0.0.1:4566"),
        "http://127.0.0.1:4566"
    );
}

#[test]
fn the_log_lives_where_the_environment_says_or_in_the_state_dir() {
    assert_eq!(
        default_path(Some("ops-logs/audit.jsonl".into())),
        Some("ops-logs/audit.jsonl".into())
    );
    if let Some(p) = default_path(Some(String::new().into())) {
        assert!(p.ends_with("navoy-console/audit.jsonl"), "{}", p.display());
    }
    let missing = AuditLog::at("/nonexistent-dir-for-audit-test/audit.jsonl");
    assert!(missing.read_all().unwrap().is_empty());
}

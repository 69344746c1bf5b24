//! Credentials never leave the process: canary keys through the real binary, at trace level.

use std::process::Command;

use crate::support::{moto::Moto, seed};

const KEY_ID: &str = "AKIACANARY0000000001";
const SECRET: &str = "canary-secret-Zq8xK2mW9vR4tY7u";
const TOKEN: &str = "canary-session-token-Hh3Jj5Kk7Ll9";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn canary_credentials_never_appear_in_output_or_logs() {
    let moto = Moto::start();
    seed::build(&moto.context().await).await;
    for args in [
        vec!["status", "--json"],
        vec!["status"],
        vec!["--cluster", "missing", "status"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_navoy-console"))
            .args(["--endpoint-url", &moto.endpoint, "--region", "us-east-1"])
            .args(&args)
            .env("AWS_ACCESS_KEY_ID", KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("AWS_SESSION_TOKEN", TOKEN)
            .env("NAVOY_LOG", "trace")
            .env("RUST_BACKTRACE", "1")
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            text.len() > 100,
            "the run printed something to check ({args:?})"
        );
        for canary in [SECRET, TOKEN] {
            assert!(!text.contains(canary), "{args:?} leaked a credential");
        }
    }
}

#[test]
fn bad_arguments_are_refused_with_a_message_and_usage_exit() {
    for args in [
        vec!["--endpoint-url", "not a url", "status"],
        vec!["--cluster", "", "status"],
        vec!["status", "--bogus"],
        vec!["nonsense"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_navoy-console"))
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?} explains itself");
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("panicked"),
            "{args:?}"
        );
    }
}

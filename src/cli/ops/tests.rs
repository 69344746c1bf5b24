//! Parsing of the operation subcommands: good input, and every kind of bad input refused with a message.

use clap::Parser;
use clap::error::ErrorKind;

use crate::cli::{AsgCommand, Cli, Command};

fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
    Cli::try_parse_from(std::iter::once("navoy-console").chain(args.iter().copied()))
}

fn error(args: &[&str]) -> String {
    parse(args).expect_err("should not parse").to_string()
}

#[test]
fn scale_parses_with_every_switch() {
    let cli = parse(&[
        "scale",
        "--service",
        "navoy-app",
        "--count",
        "4",
        "--yes",
        "--wait",
        "--timeout",
        "90",
        "--json",
    ])
    .unwrap();
    let Some(Command::Scale(a)) = cli.command else {
        panic!()
    };
    assert_eq!(
        (a.service.as_deref(), a.count),
        (Some("navoy-app"), Some(4))
    );
    assert!(a.run.yes && a.run.wait && a.run.json && !a.run.dry_run);
    assert_eq!(a.run.timeout, 90);
    let Some(Command::Scale(d)) = parse(&["scale", "--count", "0"]).unwrap().command else {
        panic!()
    };
    assert_eq!((d.service, d.count, d.run.timeout), (None, Some(0), 600));
}

#[test]
fn bad_counts_are_refused_with_the_reason() {
    assert!(error(&["scale", "--count", "-1"]).contains("must be 0 or more (got -1)"));
    assert!(error(&["scale", "--count", "three"]).contains("'three' is not a whole number"));
    assert!(error(&["scale", "--count", ""]).contains("must not be empty"));
    assert!(error(&["scale", "--count", "1.5"]).contains("not a whole number"));
    assert!(error(&["scale", "--count", "99999999999"]).contains("too large"));
    assert!(error(&["asg", "set-capacity", "-2"]).contains("must be 0 or more"));
    assert!(error(&["asg", "set-capacity", "x"]).contains("not a whole number"));
    let missing = parse(&["scale", "--service", "navoy-app"]).unwrap_err();
    assert_eq!(missing.kind(), ErrorKind::MissingRequiredArgument);
}

#[test]
fn asg_set_capacity_takes_the_count_and_an_optional_group() {
    let cli = parse(&[
        "asg",
        "set-capacity",
        "3",
        "--asg",
        "navoy-ecs",
        "--dry-run",
    ])
    .unwrap();
    let Some(Command::Asg {
        command: AsgCommand::SetCapacity { count, asg, run },
    }) = cli.command
    else {
        panic!()
    };
    assert_eq!(
        (count, asg.as_deref(), run.dry_run),
        (3, Some("navoy-ecs"), true)
    );
}

#[test]
fn conflicting_and_empty_flags_are_refused() {
    let e = parse(&["redeploy", "--image", "sha-1", "--rollback"]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ArgumentConflict);
    let e = parse(&["scale", "--count", "2", "--dry-run", "--wait"]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ArgumentConflict);
    assert!(error(&["redeploy", "--image", " "]).contains("must not be empty"));
    assert!(error(&["drain", "--instance", ""]).contains("must not be empty"));
    assert!(error(&["stop-task", "--task", "t", "--reason", ""]).contains("must not be empty"));
    let e = parse(&["scale", "--count", "2", "--timeout", "5"]).unwrap_err();
    assert_eq!(
        e.kind(),
        ErrorKind::MissingRequiredArgument,
        "--timeout needs --wait"
    );
    assert!(parse(&["scale", "--count", "2", "--wait", "--timeout", "0"]).is_err());
    assert!(parse(&["scale", "--count", "2", "--wait", "--timeout", "soon"]).is_err());
    assert_eq!(
        parse(&["drain"]).unwrap_err().kind(),
        ErrorKind::MissingRequiredArgument
    );
}

#[test]
fn drain_undrain_and_stop_task_parse() {
    let Some(Command::Drain(d)) = parse(&["drain", "--instance", "i-0abc", "--release", "--force"])
        .unwrap()
        .command
    else {
        panic!()
    };
    assert_eq!(d.instance, "i-0abc");
    assert!(d.release && d.run.force);
    let Some(Command::Undrain(u)) = parse(&["undrain", "--instance", "ci0001"]).unwrap().command
    else {
        panic!()
    };
    assert_eq!(u.instance, "ci0001");
    let Some(Command::StopTask(s)) = parse(&["stop-task", "--task", "abc"]).unwrap().command else {
        panic!()
    };
    assert_eq!(s.reason, "Stopped by navoy-console");
    let Some(Command::Redeploy(r)) = parse(&["redeploy", "--read-only"]).unwrap().command else {
        panic!()
    };
    assert!(r.image.is_none() && !r.rollback);
}

#[test]
fn scale_takes_a_count_or_a_range_not_both() {
    let Some(Command::Scale(r)) = parse(&["scale", "--min", "2", "--max", "8"])
        .unwrap()
        .command
    else {
        panic!()
    };
    assert_eq!((r.count, r.min, r.max), (None, Some(2), Some(8)));
    let both = parse(&["scale", "--count", "3", "--min", "2", "--max", "8"]).unwrap_err();
    assert_eq!(both.kind(), ErrorKind::ArgumentConflict);
    let half = parse(&["scale", "--min", "2"]).unwrap_err();
    assert_eq!(half.kind(), ErrorKind::MissingRequiredArgument);
    let none = parse(&["scale"]).unwrap_err();
    assert_eq!(none.kind(), ErrorKind::MissingRequiredArgument);
    assert!(error(&["scale", "--min", "-1", "--max", "3"]).contains("must be 0 or more"));
}

//! The logs source against moto. Its `StartLiveTail` answers one event stream holding the
//! events already stored, then closes: the adapter reads it like the service's, and the console
//! falls back to polling quietly, lines flowing through the reducer once each.

use std::sync::Arc;
use std::time::Duration;

use aws_sdk_cloudwatchlogs::types::InputLogEvent;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use navoy_console::app::command::{Command, Executor};
use navoy_console::app::state::{State, TailMode};
use navoy_console::app::{Msg, update};
use navoy_console::aws::AwsContext;
use navoy_console::aws::logs::LogQuery;
use navoy_console::aws::logs::live::{self, LiveEnd};

use crate::support::moto::Moto;

const GROUP: &str = "/ecs/navoy-app";
/// The stream of the sample state's first task (what `l` on the tasks view tails).
const STREAM: &str = "navoy/app/00000001c0ffee0001";

async fn put(ctx: &AwsContext, messages: &[&str]) {
    let now = chrono::Utc::now().timestamp_millis();
    let events = messages
        .iter()
        .map(|m| {
            InputLogEvent::builder()
                .timestamp(now)
                .message(*m)
                .build()
                .unwrap()
        })
        .collect();
    ctx.logs
        .put_log_events()
        .log_group_name(GROUP)
        .log_stream_name(STREAM)
        .set_log_events(Some(events))
        .send()
        .await
        .unwrap();
}

/// Runs the logs commands (not snapshots: moto holds no cluster here) and feeds replies and
/// ticks to the reducer until `done`, or fails after a generous bound (not a timing assert).
async fn drive(
    state: &mut State,
    exec: &Executor,
    rx: &mut tokio::sync::mpsc::UnboundedReceiver<Msg>,
    commands: Vec<Command>,
    done: impl Fn(&State) -> bool,
) {
    let logs_only = |cmds: Vec<Command>| -> Vec<Command> {
        cmds.into_iter()
            .filter(|c| !matches!(c, Command::FetchSnapshot { .. }))
            .collect()
    };
    exec.spawn(logs_only(commands));
    let deadline = tokio::time::Instant::now() + Duration::from_mins(1);
    while !done(state) {
        let msg = tokio::select! {
            msg = rx.recv() => msg.unwrap(),
            () = tokio::time::sleep(Duration::from_millis(250)) => Msg::Tick {
                now: chrono::Utc::now(),
                api_calls: 0,
            },
            () = tokio::time::sleep_until(deadline) => panic!("stuck: {:?}", state.logs),
        };
        exec.spawn(logs_only(update(state, msg)));
    }
}

async fn with_a_stream(moto: &Moto) -> AwsContext {
    let ctx = moto.context().await;
    ctx.logs
        .create_log_group()
        .log_group_name(GROUP)
        .send()
        .await
        .unwrap();
    ctx.logs
        .create_log_stream()
        .log_group_name(GROUP)
        .log_stream_name(STREAM)
        .send()
        .await
        .unwrap();
    put(&ctx, &["first \x1b[2J\x1b]0;pwned\x07line", "second line"]).await;
    ctx
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_tail_session_is_read_as_sanitised_lines() {
    let moto = Moto::start();
    let ctx = with_a_stream(&moto).await;
    let account = live::account(&ctx).await.unwrap();
    let query = LogQuery {
        group: GROUP.into(),
        streams: vec![STREAM.into()],
        start_ms: 0,
        pattern: Some("first".into()),
    };
    let mut tail = live::start(&ctx, &account.log_group_arn(&ctx.region, GROUP), &query)
        .await
        .unwrap();
    let lines = tail.next().await.unwrap();
    assert_eq!(lines.len(), 1, "the pattern applies: {lines:?}");
    assert!(lines[0].message.starts_with("first"));
    assert!(!lines[0].message.contains('\x1b') && !lines[0].message.contains('\x07'));
    assert_eq!(lines[0].stream, STREAM);
    assert_eq!(tail.next().await.unwrap_err(), LiveEnd::Closed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_live_tail_ends_logs_are_polled_quietly() {
    let moto = Moto::start();
    let ctx = Arc::new(with_a_stream(&moto).await);

    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let exec = Executor::new(Arc::clone(&ctx), None, tx);
    let mut state = State::sample();
    state.now = chrono::Utc::now();
    let key = |s: &mut State, c: char| {
        update(
            s,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        )
    };
    key(&mut state, '4');
    let opened = key(&mut state, 'l');
    assert!(
        opened
            .iter()
            .any(|c| matches!(c, Command::StartLiveTail { .. })),
        "{opened:?}"
    );
    drive(&mut state, &exec, &mut rx, opened, |s| {
        s.logs.mode == TailMode::Polling && s.logs.lines.len() == 2
    })
    .await;
    let calls = ctx.calls.snapshot();
    assert!(
        calls.iter().any(|c| c.operation == "StartLiveTail"),
        "the live tail was tried: {calls:?}"
    );
    assert_eq!(state.logs.error, None, "no error shown for the fallback");
    assert_eq!(state.banner, None);
    let first = &state.logs.lines[0].message;
    assert!(first.starts_with("first") && !first.contains('\x1b') && !first.contains('\x07'));

    // Polling goes on from the cursor: a new line comes once, the old ones are not repeated.
    put(&ctx, &["third line"]).await;
    drive(&mut state, &exec, &mut rx, Vec::new(), |s| {
        s.logs.lines.len() >= 3
    })
    .await;
    let polls = || {
        ctx.calls
            .snapshot()
            .iter()
            .find(|c| c.operation == "FilterLogEvents")
            .map_or(0, |c| c.calls)
    };
    let after = polls() + 2;
    drive(&mut state, &exec, &mut rx, Vec::new(), |s| {
        polls() >= after && !s.logs.in_flight
    })
    .await;
    let msgs: Vec<&str> = state
        .logs
        .lines
        .iter()
        .map(|l| l.message.as_str())
        .collect();
    assert_eq!(msgs.len(), 3, "{msgs:?}");
    assert_eq!(msgs[2], "third line");

    // Changing the source starts a new session; the old one's messages are dropped.
    let generation = state.logs.generation;
    key(&mut state, '4');
    key(&mut state, 'j');
    let reopened = key(&mut state, 'l');
    assert!(state.logs.generation > generation);
    drive(&mut state, &exec, &mut rx, reopened, |s| {
        s.logs.mode == TailMode::Polling && !s.logs.in_flight
    })
    .await;
    assert_eq!(state.logs.error, None);
    exec.shutdown();
}

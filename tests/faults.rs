//! Faults between the console and the endpoint: 5xx and throttling bursts are retried, a dead
//! endpoint gives one clear error and recovery needs no restart, writes are never doubled, a
//! missing service costs only its pane, and keys are answered while every call is slow.

use std::sync::atomic::Ordering;

use navoy_console::aws::{AwsContext, AwsSettings, ErrorKind};
use navoy_console::status;

use crate::support::proxy::{Fault, Proxy};
use crate::support::{moto::Moto, seed};

async fn through(proxy: &Proxy) -> AwsContext {
    let settings = AwsSettings {
        endpoint_url: Some(proxy.endpoint.clone()),
        local: true,
        ..AwsSettings::default()
    };
    AwsContext::connect(&settings).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bursts_of_5xx_and_throttling_are_retried_and_counted() {
    let moto = Moto::start();
    seed::build(&moto.context().await).await;
    let proxy = Proxy::start(&moto.endpoint).await;
    let ctx = through(&proxy).await;

    proxy.inject(Fault::ServerError, 3);
    let snap = status::load(&ctx, None).await.unwrap();
    assert!(snap.unavailable().is_empty(), "{:?}", snap.unavailable());
    assert_eq!(proxy.faults_served.load(Ordering::SeqCst), 3);
    assert!(ctx.calls.retries() >= 3, "retries {}", ctx.calls.retries());

    proxy.inject(Fault::Throttle, 3);
    let snap = status::load(&ctx, None).await.unwrap();
    assert!(snap.unavailable().is_empty(), "{:?}", snap.unavailable());
    assert!(
        ctx.calls.throttled() >= 3,
        "throttled {}",
        ctx.calls.throttled()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dead_endpoint_is_one_error_and_recovery_needs_no_restart() {
    let moto = Moto::start();
    seed::build(&moto.context().await).await;
    let proxy = Proxy::start(&moto.endpoint).await;
    let ctx = through(&proxy).await;
    proxy.inject(Fault::Down, 0);
    let err = status::load(&ctx, None).await.unwrap_err();
    assert_eq!(err.kind, ErrorKind::Unreachable, "{err}");
    proxy.inject(Fault::Pass, 0);
    let snap = status::load(&ctx, None).await.unwrap();
    assert_eq!(snap.services().len(), 1, "the same context recovers");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_write_through_a_5xx_burst_is_applied_once() {
    let moto = Moto::start();
    seed::build(&moto.context().await).await;
    let proxy = Proxy::start(&moto.endpoint).await;
    let ctx = through(&proxy).await;
    proxy.inject(Fault::ServerError, 2);
    ctx.ecs
        .update_service()
        .cluster("navoy")
        .service("navoy-app")
        .desired_count(3)
        .send()
        .await
        .unwrap();
    assert_eq!(ctx.calls.mutating_calls(), 1, "one logical write");
    let attempts: u64 = ctx
        .calls
        .snapshot()
        .iter()
        .filter(|c| c.operation == "UpdateService")
        .map(|c| c.attempts)
        .sum();
    assert_eq!(attempts, 3, "two refused attempts, one applied");
    let direct = moto.context().await;
    let svc = direct
        .ecs
        .describe_services()
        .cluster("navoy")
        .services("navoy-app")
        .send()
        .await
        .unwrap();
    assert_eq!(svc.services()[0].desired_count(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_endpoint_without_auto_scaling_loses_only_that_pane() {
    let moto = Moto::start();
    seed::build(&moto.context().await).await;
    let proxy = Proxy::start(&moto.endpoint).await;
    let ctx = through(&proxy).await;
    proxy.without_service(Some("autoscaling"));
    let snap = status::load(&ctx, None).await.unwrap();
    let missing = snap.unavailable();
    assert_eq!(
        missing.iter().map(|(s, _)| *s).collect::<Vec<_>>(),
        ["auto_scaling_groups"],
        "{missing:?}"
    );
    assert!(
        missing[0].1.contains("not available at this endpoint"),
        "{missing:?}"
    );
    assert!(proxy.faults_served.load(Ordering::SeqCst) >= 1);
    assert_eq!(snap.services().len(), 1);
    assert!(!snap.tasks().is_empty() && !snap.container_instances().is_empty());
    assert!(snap.network.ok().is_some_and(|n| !n.subnets.is_empty()));

    // The instances view says so where the group would be, and shows the instances.
    let mut state = navoy_console::app::state::State::sample();
    state.snapshot = Some(snap);
    state.view = navoy_console::app::state::View::Instances;
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
    let theme = navoy_console::theme::Theme::default();
    terminal
        .draw(|f| navoy_console::ui::render(f, &state, &theme))
        .unwrap();
    let text: String = terminal
        .backend()
        .buffer()
        .content
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    assert!(text.contains("unavailable: "), "{text}");
    assert!(text.contains("ACTIVE"), "{text}");

    proxy.without_service(None);
    let snap = status::load(&ctx, None).await.unwrap();
    assert!(snap.unavailable().is_empty(), "{:?}", snap.unavailable());
}

/// The real event loop on a recording screen, every call 300 ms slower: each key's frame comes
/// while refreshes are still waiting on the endpoint. Prints key-to-frame times (the figure is
/// reported, not asserted: timing asserts fail on busy machines).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_are_answered_while_every_call_takes_300_ms() {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    use navoy_console::app::{command::Executor, runner, state};
    use std::time::{Duration, Instant};

    let moto = Moto::start();
    seed::build(&moto.context().await).await;
    let proxy = Proxy::start(&moto.endpoint).await;
    let ctx = through(&proxy).await;
    proxy.delay(300);

    let (frames_tx, mut frames) = tokio::sync::mpsc::unbounded_channel();
    let (keys, key_stream) = futures::channel::mpsc::unbounded::<std::io::Result<Event>>();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    let exec = Executor::new(std::sync::Arc::new(ctx), Some("navoy".into()), tx);
    let context = state::Context {
        endpoint: proxy.endpoint.clone(),
        region: "us-east-1".into(),
        profile: None,
        cluster: Some("navoy".into()),
        read_only: true,
    };
    let settings = state::Settings {
        refresh: Duration::from_millis(500),
        ..state::Settings::default()
    };
    let mut st = state::State::new(
        context,
        settings,
        navoy_console::app::keymap::Keymap::default(),
        chrono::Utc::now(),
    );
    let console = tokio::spawn(async move {
        let mut terminal =
            ratatui::Terminal::new(crate::support::screen::Screen::new(120, 40, frames_tx))
                .unwrap();
        let theme = navoy_console::theme::Theme::default();
        runner::event_loop(&mut terminal, key_stream, &mut st, &theme, &exec, rx).await
    });

    // Wait for (slow) data, then press view keys and time each one's frame.
    wait(&mut frames, "navoy-app", &proxy).await;
    let press = |c: char| {
        let key = KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
        keys.unbounded_send(Ok(Event::Key(key))).unwrap();
    };
    let (mut latencies, mut answered_while_waiting) = (Vec::new(), 0);
    for round in 0..8 {
        for (key, marker) in [
            ('2', "┌ target groups"),
            ('3', "┌ services "),
            ('5', "┌ container instances"),
        ] {
            // Paced like a person, so keys land both between and during refreshes.
            tokio::time::sleep(Duration::from_millis(120)).await;
            let sent = Instant::now();
            press(key);
            let (at, text, held) = wait(&mut frames, marker, &proxy).await;
            assert!(
                text.contains("navoy-app") || key == '5',
                "round {round}: data kept on screen"
            );
            latencies.push(at.duration_since(sent));
            answered_while_waiting += usize::from(held > 0);
        }
    }
    press('q');
    let result = tokio::time::timeout(Duration::from_secs(10), console)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(result, Ok(()), "q ends the loop cleanly");
    // The loop never waits on AWS: keys are drawn while the proxy still holds requests.
    assert!(
        answered_while_waiting > 0,
        "no key was answered while a call was pending"
    );
    latencies.sort();
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    eprintln!(
        "key->frame with 300 ms per call: median {:.1} ms, max {:.1} ms over {} keys ({} drawn while calls were pending)",
        ms(&latencies[latencies.len() / 2]),
        ms(latencies.last().unwrap()),
        latencies.len(),
        answered_while_waiting
    );
}

/// The next frame showing `want`: when it was flushed, its text, and how many requests the
/// proxy was holding at that moment.
async fn wait(
    frames: &mut tokio::sync::mpsc::UnboundedReceiver<(std::time::Instant, String)>,
    want: &str,
    proxy: &Proxy,
) -> (std::time::Instant, String, u32) {
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_mins(1);
    loop {
        let (at, text) = tokio::time::timeout_at(deadline, frames.recv())
            .await
            .unwrap_or_else(|_| panic!("no frame showing {want:?}"))
            .expect("the console is running");
        let held = proxy.held.load(Ordering::SeqCst);
        if text.contains(want) {
            return (at, text, held);
        }
    }
}

//! Hostile data and hostile sizes: a 1 MB log line full of escape sequences, Unicode names, and
//! every view drawn at 1×1, 20×5, 80×24 and 300×100 — no panic, and no control byte reaches the screen.

use navoy_console::app::state::{LogSource, State, View};
use navoy_console::model::{LogLine, sample};
use navoy_console::sanitize::clean;
use navoy_console::theme::Theme;
use ratatui::{Terminal, backend::TestBackend};

fn hostile_state() -> State {
    let mut state = State::sample();
    let evil = "\x1b]0;pwned\x07\x1b]52;c;ZXZpbA==\x07\x1b[2J\x1b[H\u{9b}31m";
    let message = format!("{evil}{}{evil} 漢字 ✓ e\u{301}", "A".repeat(1 << 20));
    state.logs.source = Some(LogSource {
        label: "service navoy-app".into(),
        group: "/ecs/navoy-app".into(),
        streams: Vec::new(),
    });
    // What the ingestion does to every line (aws/logs.rs), then the ring buffer.
    state.logs.push(LogLine {
        id: "1".into(),
        at: sample::epoch(),
        stream: "navoy/app/abc".into(),
        task_id: "abc".into(),
        message: clean(&message).into_owned(),
    });
    if let Some(snap) = state.snapshot.as_mut()
        && let Some(services) = snap.services.ok_mut()
    {
        services[0].events[0].message = format!("{evil} Ünïcödé 🚀 {}", "x".repeat(10_000));
    }
    state
}

#[test]
fn every_view_at_every_size_draws_without_panic_or_control_bytes() {
    let theme = Theme::default();
    for wrap in [false, true] {
        let mut state = hostile_state();
        state.logs.wrap = wrap;
        for (w, h) in [(1, 1), (20, 5), (80, 24), (120, 40), (300, 100)] {
            let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
            for view in [
                View::Topology,
                View::Targets,
                View::Services,
                View::Tasks,
                View::Instances,
                View::Logs,
                View::Events,
                View::Help,
            ] {
                state.view = view;
                terminal
                    .draw(|f| navoy_console::ui::render(f, &state, &theme))
                    .unwrap();
                let buf = terminal.backend().buffer();
                for cell in &buf.content {
                    assert!(
                        !cell.symbol().chars().any(char::is_control),
                        "{view:?} at {w}x{h}: control byte on screen"
                    );
                }
            }
        }
    }
}

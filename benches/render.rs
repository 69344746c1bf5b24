//! Frame render time of each view on a large synthetic estate (50 instances, 200 services,
//! 5,000 tasks, 1,000 targets, 100,000 log lines) at 200×60. Budget: 2 ms per frame per view.

#![allow(
    clippy::expect_used,
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    reason = "a bench fails loudly; small indices"
)]

use criterion::{Criterion, criterion_group, criterion_main};
use navoy_console::app::state::{LogSource, State, View};
use navoy_console::model::{LogLine, sample};
use navoy_console::theme::Theme;
use ratatui::{Terminal, backend::TestBackend};

fn large_state() -> State {
    let mut state = State::sample();
    state.snapshot = Some(sample::synthetic(50, 200, 5_000, 1_000));
    state.logs.cap = 100_000;
    state.logs.source = Some(LogSource {
        label: "service svc-0000".into(),
        group: "/ecs/navoy-app".into(),
        streams: Vec::new(),
    });
    let levels = ["INFO", "WARN", "ERROR", "DEBUG"];
    for n in 0..100_000_i64 {
        state.logs.push(LogLine {
            id: n.to_string(),
            at: sample::epoch() + chrono::Duration::milliseconds(n),
            stream: format!("navoy/app/{:08x}", n % 20),
            task_id: format!("{:08x}", n % 20),
            message: format!(
                "{} GET /api/items/{n} 200 {}ms user=u{}",
                levels[(n % 4) as usize],
                n % 97,
                n % 13
            ),
        });
    }
    state
}

fn render(c: &mut Criterion) {
    let theme = Theme::default();
    let mut state = large_state();
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test backend");
    for view in [
        View::Topology,
        View::Targets,
        View::Services,
        View::Tasks,
        View::Instances,
        View::Logs,
        View::Events,
    ] {
        state.view = view;
        c.bench_function(&format!("render/{view:?}"), |b| {
            b.iter(|| {
                terminal
                    .draw(|f| navoy_console::ui::render(f, &state, &theme))
                    .expect("draw");
            });
        });
    }
}

criterion_group!(benches, render);
criterion_main!(benches);

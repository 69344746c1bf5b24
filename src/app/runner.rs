//! The event loop: terminal setup/restore, input and replies on one select, drain, update, draw once if dirty.

use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{DisableMouseCapture, EnableMouseCapture, Event, EventStream, KeyEventKind};
use futures::{Stream, StreamExt};
use ratatui::Terminal;
use ratatui::backend::Backend;
use tokio::sync::mpsc;

use super::command::Executor;
use super::msg::Msg;
use super::state::{Context, State};
use super::update::update;
use crate::aws::AwsContext;
use crate::cli::GlobalArgs;
use crate::theme::{self, Theme};

/// How often the clock ticks (pollers are checked on each tick).
const TICK: Duration = Duration::from_millis(250);

/// Loads config and theme, connects, and runs the console until `q`.
///
/// # Errors
/// A config or theme file that does not parse, no region, or a terminal IO error: one sentence each.
pub async fn run(global: &GlobalArgs) -> Result<(), String> {
    let config = crate::config::load(global.config.as_deref()).map_err(|e| e.to_string())?;
    let theme = if theme::no_color() {
        Theme::monochrome()
    } else {
        let spec = global.theme.as_deref().or(config.theme.as_deref());
        theme::load(spec, config.dir.as_deref()).map_err(|e| e.to_string())?
    };
    let settings = global.aws_settings();
    let ctx = AwsContext::connect(&settings)
        .await
        .map_err(|e| e.to_string())?;
    let context = Context {
        endpoint: ctx.endpoint.clone().unwrap_or_else(|| "aws".into()),
        region: ctx.region.clone(),
        profile: ctx.profile.clone(),
        cluster: global.cluster.clone(),
        read_only: global.read_only,
    };
    let mut state = State::new(context, config.settings, config.keymap, chrono::Utc::now());
    state.view = config.default_view;
    let (tx, rx) = mpsc::unbounded_channel();
    let exec = Executor::new(Arc::new(ctx), global.cluster.clone(), tx)
        .with_operations(global.read_only, crate::ops::audit::AuditLog::from_env());
    exec.spawn(vec![super::command::Command::LoadAudit]);

    let mut terminal = ratatui::init();
    // Mouse capture is a nicety: a terminal without it still works with keys.
    let _ = crossterm::execute!(std::io::stdout(), EnableMouseCapture);
    let result = event_loop(
        &mut terminal,
        EventStream::new(),
        &mut state,
        &theme,
        &exec,
        rx,
    )
    .await;
    exec.shutdown();
    let _ = crossterm::execute!(std::io::stdout(), DisableMouseCapture);
    ratatui::restore();
    result
}

/// The loop itself, over any backend and source of terminal events (the real terminal's, or a
/// test's), until `q` or the end of the events.
///
/// # Errors
/// The terminal failed to read input or to draw: one sentence.
pub async fn event_loop<B, E>(
    terminal: &mut Terminal<B>,
    mut events: E,
    state: &mut State,
    theme: &Theme,
    exec: &Executor,
    mut rx: mpsc::UnboundedReceiver<Msg>,
) -> Result<(), String>
where
    B: Backend,
    E: Stream<Item = std::io::Result<Event>> + Unpin,
{
    if let Ok(size) = terminal.size() {
        state.size = (size.width, size.height);
    }
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        let first = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => from_event(&ev),
                Some(Err(e)) => return Err(format!("terminal: {e}")),
                None => return Ok(()),
            },
            Some(msg) = rx.recv() => Some(msg),
            _ = tick.tick() => Some(Msg::Tick { now: chrono::Utc::now(), api_calls: exec.api_calls() }),
        };
        if let Some(msg) = first {
            exec.spawn(update(state, msg));
        }
        // Everything already waiting goes in before the next frame.
        while let Ok(msg) = rx.try_recv() {
            exec.spawn(update(state, msg));
        }
        if state.quit {
            return Ok(());
        }
        if state.dirty {
            terminal
                .draw(|f| crate::ui::render(f, state, theme))
                .map_err(|e| format!("terminal: {e}"))?;
            state.dirty = false;
        }
    }
}

fn from_event(ev: &Event) -> Option<Msg> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => Some(Msg::Key(*k)),
        Event::Mouse(m) => Some(Msg::Mouse(*m)),
        Event::Resize(w, h) => Some(Msg::Resize(*w, *h)),
        _ => None,
    }
}

//! The live tail: lines coloured by level, filter and search highlighted, follow/pause, wrap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::topology::short_task;
use super::widgets::{block, highlighted, placeholder};
use crate::app::state::TailMode;
use crate::app::{State, View, query};
use crate::model::logs::Level;
use crate::theme::Theme;

/// A poll interval as people say it: `1 s`, `500 ms`.
fn every(d: std::time::Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let logs = &state.logs;
    let Some(source) = &logs.source else {
        placeholder(
            frame,
            area,
            " logs ",
            "no source: select a service or a task and press l (or Enter on a task)",
            theme.muted,
            theme,
        );
        return;
    };
    let filter = state.filter(View::Logs);
    let mut title = vec![
        Span::styled(format!(" logs · {} ", source.label), theme.title),
        match logs.mode {
            TailMode::Live => Span::styled("· live ", theme.ok),
            TailMode::CatchingUp { .. } => Span::styled("· live, catching up ", theme.muted),
            TailMode::Polling | TailMode::Starting => Span::styled(
                format!("· polling {} ", every(state.settings.logs_refresh)),
                theme.muted,
            ),
        },
        if logs.follow {
            Span::styled("following ", theme.ok)
        } else {
            Span::styled("PAUSED ", theme.warn)
        },
    ];
    if !filter.is_empty() {
        title.push(Span::styled(format!("/{filter} "), theme.accent));
    }
    if let Some(p) = &logs.pattern {
        title.push(Span::styled(format!("pattern '{p}' "), theme.accent));
    }
    if logs.wrap {
        title.push(Span::styled("wrap ", theme.muted));
    }
    let lines = query::log_lines(state);
    let dropped = if logs.dropped > 0 {
        format!(", {} dropped", logs.dropped)
    } else {
        String::new()
    };
    title.push(Span::styled(
        format!("{} lines{dropped} ", lines.len()),
        theme.muted,
    ));

    let height = usize::from(area.height.saturating_sub(2));
    let sel = state
        .selected(View::Logs)
        .min(lines.len().saturating_sub(1));
    let first = query::offset(sel, height);
    let mut text: Vec<Line> = Vec::new();
    if let Some(e) = &logs.error {
        text.push(Line::styled(format!("⚠ {e}"), theme.danger));
    }
    if lines.is_empty() && logs.error.is_none() {
        text.push(Line::styled(
            if logs.in_flight || logs.last_request.is_none() {
                "waiting for log events…"
            } else {
                "no log events yet"
            },
            theme.muted,
        ));
    }
    for (i, l) in lines.iter().enumerate().skip(first).take(height) {
        let base = match l.level() {
            Some(Level::Error) => theme.danger,
            Some(Level::Warn) => theme.warn,
            Some(Level::Debug) => theme.muted,
            Some(Level::Info) | None => theme.text,
        };
        let task = if l.task_id.is_empty() {
            l.stream.as_str()
        } else {
            short_task(&l.task_id)
        };
        let mut spans = vec![
            Span::styled(l.at.format("%H:%M:%S ").to_string(), theme.muted),
            Span::styled(format!("{task} "), theme.info),
        ];
        let needle = logs.search.as_deref().or(Some(filter));
        spans.extend(highlighted(&l.message, needle, base, theme.highlight));
        let mut line = Line::from(spans);
        if !logs.follow && i == sel {
            line = line.style(theme.selection);
        }
        text.push(line);
    }
    let mut p = Paragraph::new(text).block(block(Line::from(title), theme));
    if logs.wrap {
        p = p.wrap(Wrap { trim: false });
    }
    frame.render_widget(p, area);
}

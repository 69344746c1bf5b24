//! Service events of every service and the console's own operations (from the audit log), newest first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use super::widgets::{age, block, empty_reason, header_row, placeholder, table, visible};
use crate::app::{State, View, query};
use crate::sanitize::clean;
use crate::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let filter = state.filter(View::Events);
    let title = if filter.is_empty() {
        " events ".to_owned()
    } else {
        format!(" events /{filter} ")
    };
    let events = query::events(state);
    if events.is_empty() {
        let reason = empty_reason(
            state.snapshot.is_some(),
            state
                .snapshot
                .as_ref()
                .and_then(|s| s.services.unavailable_reason()),
            filter,
        );
        placeholder(frame, area, &title, &reason, theme.muted, theme);
        return;
    }
    let shown = visible(events.len(), state.selected(View::Events), area);
    let rows: Vec<Row> = events[shown.clone()]
        .iter()
        .map(|(service, e)| {
            let msg = clean(&e.message).into_owned();
            let style = if msg.contains("unhealthy")
                || msg.contains("unable")
                || msg.contains("failed")
                || msg.contains("refused")
            {
                theme.danger
            } else if msg.contains("steady state") || msg.contains(": settled") {
                theme.ok
            } else if *service == "console" {
                theme.accent
            } else {
                theme.text
            };
            Row::new(vec![
                Cell::from(age(state.now, e.at)),
                Cell::from(e.at.map_or("-".into(), |t| t.format("%H:%M:%S").to_string())),
                Cell::from(clean(service).into_owned()),
                Cell::from(Span::styled(msg, style)),
            ])
        })
        .collect();
    table(
        frame,
        area,
        block(title, theme),
        header_row(&["AGE", "TIME", "SERVICE", "MESSAGE"]),
        rows,
        &[
            Constraint::Length(4),
            Constraint::Length(8),
            Constraint::Length(14),
            Constraint::Fill(1),
        ],
        state.selected(View::Events).saturating_sub(shown.start),
        theme,
    );
}

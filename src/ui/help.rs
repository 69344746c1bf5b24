//! Help, generated from the keymap's descriptions and the `:` commands.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use super::widgets::{block, header_row, table};
use crate::app::{State, View};
use crate::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let mut rows: Vec<Row> = state
        .keymap
        .bindings
        .iter()
        .map(|b| {
            let keys: Vec<String> = b
                .keys
                .iter()
                .map(super::super::app::keymap::Key::label)
                .collect();
            Row::new(vec![
                Cell::from(Span::styled(keys.join(" "), theme.accent)),
                Cell::from(b.view.map_or("", View::name)),
                Cell::from(b.desc),
            ])
        })
        .collect();
    rows.push(Row::new(vec![
        Cell::from(Span::styled(":", theme.accent)),
        Cell::from(""),
        Cell::from(crate::app::update::COMMANDS.join(" ")),
    ]));
    table(
        frame,
        area,
        block(" help · keys (config [keys] overrides them) ", theme),
        header_row(&["KEYS", "IN", "DOES"]),
        rows,
        &[
            Constraint::Length(14),
            Constraint::Length(9),
            Constraint::Fill(1),
        ],
        state.selected(View::Help),
        theme,
    );
}

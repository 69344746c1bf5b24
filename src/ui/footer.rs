//! The bottom line (filter or command being typed, a notice, or key hints) and the refresh-error banner.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::State;
use crate::app::state::Input;
use crate::theme::Theme;
use crate::ui::widgets::age;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let line = match &state.input {
        Input::Filter(text) => Line::from(vec![
            Span::styled("/", theme.accent),
            Span::raw(text.clone()),
            Span::styled("█", theme.accent),
            Span::styled("  Enter keep · Esc clear", theme.muted),
        ]),
        Input::Command(text) => {
            let word = text.split(' ').next().unwrap_or_default();
            let hints: Vec<&str> = crate::app::update::COMMANDS
                .iter()
                .copied()
                .filter(|c| !text.contains(' ') && c.starts_with(word))
                .collect();
            Line::from(vec![
                Span::styled(":", theme.accent),
                Span::raw(text.clone()),
                Span::styled("█", theme.accent),
                Span::styled(format!("  {}", hints.join(" ")), theme.muted),
            ])
        }
        Input::None => match &state.notice {
            Some(n) => Line::styled(n.clone(), theme.warn),
            None => Line::styled(
                "?:help  ::command  /:filter  Enter:drill  Esc:back  l:logs  r:refresh  q:quit",
                theme.muted,
            ),
        },
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// One line, never blocking: the refresh failed; the data below is the last good one.
pub fn banner(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(b) = &state.banner else {
        return;
    };
    let data = match state.last_ok {
        Some(t) => format!(" · showing data from {} ago", age(state.now, Some(t))),
        None => String::new(),
    };
    let line = Line::from(vec![
        Span::styled(
            format!(
                " ⚠ refresh failed {} ago{data}: ",
                age(state.now, Some(b.at))
            ),
            theme.danger,
        ),
        Span::styled(b.message.clone(), theme.warn),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

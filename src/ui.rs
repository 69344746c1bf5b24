//! Draws the whole screen from borrowed state: header, optional banner, the current view, footer.

pub mod confirm;
pub mod events;
pub mod footer;
pub mod header;
pub mod help;
pub mod instances;
pub mod logs;
pub mod services;
pub mod targets;
pub mod tasks;
pub mod topology;
pub mod widgets;

#[cfg(test)]
mod tests;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::app::{State, View};
use crate::theme::Theme;

/// Below this the console shows a message instead of a cramped, misleading layout.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 15;

/// Renders one frame. Pure: reads the state and theme, writes the frame's buffer.
pub fn render(frame: &mut Frame, state: &State, theme: &Theme) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area, theme);
        return;
    }
    let banner = u16::from(state.banner.is_some());
    let ops = confirm::status_height(state).min(area.height / 4);
    let [head, banner_area, body, ops_area, foot] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Length(banner),
        Constraint::Min(1),
        Constraint::Length(ops),
        Constraint::Length(1),
    ])
    .areas(area);
    header::render(frame, head, state, theme);
    if banner > 0 {
        footer::banner(frame, banner_area, state, theme);
    }
    match state.view {
        View::Topology => topology::render(frame, body, state, theme),
        View::Targets => targets::render(frame, body, state, theme),
        View::Services => services::render(frame, body, state, theme),
        View::Tasks => tasks::render(frame, body, state, theme),
        View::Instances => instances::render(frame, body, state, theme),
        View::Logs => logs::render(frame, body, state, theme),
        View::Events => events::render(frame, body, state, theme),
        View::Help => help::render(frame, body, state, theme),
    }
    if ops > 0 {
        confirm::status(frame, ops_area, state, theme);
    }
    confirm::render(frame, body, state, theme);
    footer::render(frame, foot, state, theme);
}

fn too_small(frame: &mut Frame, area: Rect, theme: &Theme) {
    let text = vec![
        Line::styled("enlarge the terminal", theme.warn),
        Line::styled(
            format!(
                "need {MIN_WIDTH}×{MIN_HEIGHT}, have {}×{}",
                area.width, area.height
            ),
            theme.muted,
        ),
    ];
    let top = area.height.saturating_sub(2) / 2;
    let inner = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        inner,
    );
}

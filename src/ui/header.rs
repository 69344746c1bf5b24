//! The two header lines: where we point (endpoint, region, cluster), READ-ONLY, freshness, API rate; the tabs.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{State, View};
use crate::sanitize::clean;
use crate::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let width = usize::from(area.width);
    let c = &state.context;
    let mut right: Vec<Span> = Vec::new();
    if c.read_only {
        right.push(Span::styled(" READ-ONLY ", theme.badge));
        right.push(Span::raw(" "));
    }
    let fresh = match (state.age_secs(), state.is_stale()) {
        (None, _) if state.in_flight => Span::raw("loading… "),
        (None, _) => Span::raw("no data yet "),
        (Some(a), true) => Span::styled(format!(" STALE {a}s "), theme.danger),
        (Some(a), false) => Span::raw(format!("updated {a}s ago ")),
    };
    right.push(fresh);
    right.push(Span::raw(format!(
        "· {} calls/min ",
        state.calls_per_minute()
    )));
    let right_len: usize = right.iter().map(Span::width).sum();

    let mut left = format!(
        " navoy-console │ {}",
        c.cluster.as_deref().map_or("?", |s| s)
    );
    let place = match &c.profile {
        Some(p) => format!(" │ {} · {} · {}", c.endpoint, c.region, p),
        None => format!(" │ {} · {}", c.endpoint, c.region),
    };
    // Narrow terminals drop the endpoint first, then the region.
    let region = format!(" │ {}", c.region);
    if left.chars().count() + place.chars().count() + right_len < width {
        left.push_str(&place);
    } else if left.chars().count() + region.chars().count() + right_len < width {
        left.push_str(&region);
    }
    let left = clean(&left).into_owned();
    let pad = width.saturating_sub(left.chars().count() + right_len);
    let mut spans = vec![Span::raw(left), Span::raw(" ".repeat(pad))];
    spans.extend(right);
    let line1 = Line::from(spans).style(theme.header);

    let tabs: Vec<Span> = View::ALL
        .iter()
        .map(|&v| {
            let style = if v == state.view {
                theme.selection
            } else {
                theme.muted
            };
            Span::styled(v.tab_label(), style)
        })
        .collect();
    frame.render_widget(Paragraph::new(vec![line1, Line::from(tabs)]), area);
}

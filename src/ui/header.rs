//! The two header lines: where we point (endpoint, region, cluster), READ-ONLY, freshness, API rate; the tabs.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::app::{State, View};
use crate::sanitize::clean;
use crate::theme::Theme;

/// The right-hand side, fullest first: then short words, then without the call rate. The
/// READ-ONLY badge and a STALE warning are in every form.
fn right_side<'a>(state: &State, theme: &Theme, form: usize) -> Vec<Span<'a>> {
    let mut right: Vec<Span> = Vec::new();
    if state.context.read_only {
        right.push(Span::styled(" READ-ONLY ", theme.badge));
        right.push(Span::raw(" "));
    }
    let short = form > 0;
    right.push(match (state.age_secs(), state.is_stale()) {
        (None, _) if state.in_flight => Span::raw("loading… "),
        (None, _) => Span::raw(if short { "no data " } else { "no data yet " }),
        (Some(a), true) => Span::styled(format!(" STALE {a}s "), theme.danger),
        (Some(a), false) if short => Span::raw(format!("{a}s ago ")),
        (Some(a), false) => Span::raw(format!("updated {a}s ago ")),
    });
    match form {
        0 => right.push(Span::raw(format!(
            "· {} calls/min ",
            state.calls_per_minute()
        ))),
        1 => right.push(Span::raw(format!("· {}/min ", state.calls_per_minute()))),
        _ => {}
    }
    right
}

const RIGHT_FORMS: usize = 3;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let width = usize::from(area.width);
    let c = &state.context;
    let left = format!(
        " navoy-console │ {}",
        c.cluster.as_deref().map_or("?", |s| s)
    );
    let left = clean(&left).into_owned();
    let left_len = left.chars().count();
    let width_of = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
    let mut right = right_side(state, theme, 0);
    for form in 1..RIGHT_FORMS {
        if left_len + width_of(&right) <= width {
            break;
        }
        right = right_side(state, theme, form);
    }
    let right_len = width_of(&right);

    let place = match &c.profile {
        Some(p) => format!(" │ {} · {} · {}", c.endpoint, c.region, p),
        None => format!(" │ {} · {}", c.endpoint, c.region),
    };
    // Narrow terminals drop the endpoint first, then the region, then cut the cluster name:
    // what is on the right (READ-ONLY above all) is never cut.
    let region = format!(" │ {}", c.region);
    let room = width.saturating_sub(right_len);
    let mut left = left;
    if left_len + place.chars().count() < room {
        left.push_str(&clean(&place));
    } else if left_len + region.chars().count() < room {
        left.push_str(&clean(&region));
    } else if left_len > room {
        left = left
            .chars()
            .take(room.saturating_sub(1))
            .collect::<String>()
            + "…";
    }
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

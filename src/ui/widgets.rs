//! Pieces every view shares: bordered blocks, health symbols, ages, tables with a stable scroll.

use chrono::{DateTime, Utc};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Row, Table, TableState};

use crate::app::query;
use crate::model::TargetHealth;
use crate::theme::Theme;

/// A bordered block with the view's title.
#[must_use]
pub fn block<'a>(title: impl Into<Line<'a>>, theme: &Theme) -> Block<'a> {
    Block::bordered()
        .border_style(theme.border)
        .title(title.into().style(theme.title))
}

/// A symbol per health state, so states read without colour too.
#[must_use]
pub fn health_symbol(h: TargetHealth) -> &'static str {
    match h {
        TargetHealth::Healthy => "●",
        TargetHealth::Initial => "◐",
        TargetHealth::Draining => "◌",
        TargetHealth::Unused => "○",
        TargetHealth::Unhealthy | TargetHealth::Unavailable => "✖",
        TargetHealth::Unknown => "?",
    }
}

/// `● healthy` in the health's style.
#[must_use]
pub fn health_span(h: Option<TargetHealth>, theme: &Theme) -> Span<'static> {
    match h {
        Some(h) => Span::styled(
            format!("{} {}", health_symbol(h), h.label()),
            theme.health(h),
        ),
        None => Span::styled("· no target", theme.muted),
    }
}

/// `42s`, `5m`, `3h`, `2d`: how long ago.
#[must_use]
pub fn age(now: DateTime<Utc>, then: Option<DateTime<Utc>>) -> String {
    let Some(then) = then else {
        return "-".into();
    };
    let s = (now - then).num_seconds().max(0);
    match s {
        0..60 => format!("{s}s"),
        60..3600 => format!("{}m", s / 60),
        3600..86_400 => format!("{}h", s / 3600),
        _ => format!("{}d", s / 86_400),
    }
}

/// A message in place of a list: nothing loaded yet, a section unavailable, or nothing matches.
pub fn placeholder(
    frame: &mut Frame,
    area: Rect,
    title: &str,
    text: &str,
    style: Style,
    theme: &Theme,
) {
    frame.render_widget(
        Paragraph::new(Line::styled(text.to_owned(), style)).block(block(title.to_owned(), theme)),
        area,
    );
}

/// Why a list is empty, in words.
#[must_use]
pub fn empty_reason(loaded: bool, unavailable: Option<&str>, filter: &str) -> String {
    if !loaded {
        "loading…".into()
    } else if let Some(r) = unavailable {
        format!("unavailable: {}", crate::sanitize::clean(r))
    } else if filter.is_empty() {
        "none".into()
    } else {
        format!("nothing matches '{filter}' (Esc clears)")
    }
}

/// The rows a table of `len` rows shows in `area` with `selected` chosen, scrolled the way the
/// mouse handler expects: views build only these (5,000 tasks must not cost 5,000 rows a frame).
#[must_use]
pub fn visible(len: usize, selected: usize, area: Rect) -> std::ops::Range<usize> {
    let height = usize::from(area.height.saturating_sub(3)).max(1);
    let selected = selected.min(len.saturating_sub(1));
    let start = query::offset(selected, height).min(len);
    start..(start + height).min(len)
}

/// A table with the selection highlighted and scrolled the same way the mouse handler expects.
/// Give it the rows of [`visible`] and the selection relative to their start.
#[expect(
    clippy::too_many_arguments,
    reason = "the parts of one table; a struct would only rename them"
)]
pub fn table<'a>(
    frame: &mut Frame,
    area: Rect,
    block: Block<'a>,
    header: Row<'a>,
    rows: Vec<Row<'a>>,
    widths: &[Constraint],
    selected: usize,
    theme: &Theme,
) {
    let height = usize::from(area.height.saturating_sub(3));
    let selected = selected.min(rows.len().saturating_sub(1));
    let mut ts = TableState::new()
        .with_offset(query::offset(selected, height))
        .with_selected((!rows.is_empty()).then_some(selected));
    let t = Table::new(rows, widths.to_vec())
        .header(header.style(theme.muted))
        .block(block)
        .column_spacing(1)
        .row_highlight_style(theme.selection);
    frame.render_stateful_widget(t, area, &mut ts);
}

/// A header row from column titles.
#[must_use]
pub fn header_row(titles: &[&'static str]) -> Row<'static> {
    Row::new(titles.to_vec())
}

/// `text` with every case-insensitive occurrence of `needle` in `hit` style.
#[must_use]
pub fn highlighted(
    text: &str,
    needle: Option<&str>,
    base: Style,
    hit: Style,
) -> Vec<Span<'static>> {
    let Some(needle) = needle.filter(|n| !n.is_empty()) else {
        return vec![Span::styled(text.to_owned(), base)];
    };
    let lower = text.to_lowercase();
    let n = needle.to_lowercase();
    // Lower-casing can change byte lengths; only highlight when it did not.
    if lower.len() != text.len() {
        return vec![Span::styled(text.to_owned(), base)];
    }
    let mut out = Vec::new();
    let mut pos = 0;
    for (i, _) in lower.match_indices(&n) {
        if i > pos {
            out.push(Span::styled(text[pos..i].to_owned(), base));
        }
        out.push(Span::styled(text[i..i + n.len()].to_owned(), hit));
        pos = i + n.len();
    }
    if pos < text.len() {
        out.push(Span::styled(text[pos..].to_owned(), base));
    }
    out
}

/// `us-east-1b` → `1b`: enough to tell AZs apart in narrow tables.
#[must_use]
pub fn short_az(az: &str) -> String {
    az.rsplit('-').next().unwrap_or(az).to_owned()
}

#[cfg(test)]
mod tests {
    use ratatui::layout::Rect;

    use super::visible;

    #[test]
    fn only_the_rows_on_screen_are_built_and_the_selection_stays_in_them() {
        let area = Rect::new(0, 0, 80, 23); // 20 rows of table
        assert_eq!(visible(5_000, 0, area), 0..20);
        for selected in [19, 20, 2_500, 4_999, 9_999] {
            let shown = visible(5_000, selected, area);
            assert_eq!(shown.len(), 20, "{selected}");
            assert!(
                shown.contains(&selected.min(4_999)),
                "{selected} in {shown:?}"
            );
        }
        assert_eq!(visible(3, 2, area), 0..3);
        assert_eq!(visible(0, 0, area), 0..0);
    }
}

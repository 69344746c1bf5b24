//! Target groups with their health check settings, and each target's state, reason, AZ, task and instance.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row};

use super::topology::short_task;
use super::widgets::{
    block, empty_reason, header_row, health_span, placeholder, short_az, table, visible,
};
use crate::app::{State, View, query};
use crate::model::{Target, TargetGroup, TargetHealth, short_id};
use crate::sanitize::clean;
use crate::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let groups = state
        .snapshot
        .as_ref()
        .map(crate::model::Snapshot::target_groups)
        .unwrap_or_default();
    let summary_h = u16::try_from(groups.len() * 3 + 2).unwrap_or(8).clamp(3, 8);
    let [top, list] =
        Layout::vertical([Constraint::Length(summary_h), Constraint::Min(3)]).areas(area);
    groups_summary(frame, top, groups, theme);

    let rows_data = query::targets(state);
    let filter = state.filter(View::Targets);
    let title = if filter.is_empty() {
        " targets ".to_owned()
    } else {
        format!(" targets /{filter} ")
    };
    if rows_data.is_empty() {
        let reason = empty_reason(
            state.snapshot.is_some(),
            state
                .snapshot
                .as_ref()
                .and_then(|s| s.target_groups.unavailable_reason()),
            filter,
        );
        placeholder(frame, list, &title, &reason, theme.muted, theme);
        return;
    }
    let multi = groups.len() > 1;
    let narrow = list.width < 110;
    let shown = visible(rows_data.len(), state.selected(View::Targets), list);
    let rows: Vec<Row> = rows_data[shown.clone()]
        .iter()
        .map(|(tg, t)| row(tg, t, multi, narrow, theme))
        .collect();
    let (header, widths) = columns(narrow);
    table(
        frame,
        list,
        block(title, theme),
        header_row(header),
        rows,
        &widths,
        state.selected(View::Targets).saturating_sub(shown.start),
        theme,
    );
}

/// Each target group's counts and health check settings.
fn groups_summary(frame: &mut Frame, area: Rect, groups: &[TargetGroup], theme: &Theme) {
    let mut lines = Vec::new();
    for tg in groups {
        let mut l1 = vec![Span::styled(
            format!(
                "{} {}:{} {} ",
                clean(&tg.name),
                tg.protocol,
                tg.port,
                tg.target_type
            ),
            theme.accent,
        )];
        for h in [
            TargetHealth::Healthy,
            TargetHealth::Initial,
            TargetHealth::Draining,
            TargetHealth::Unhealthy,
        ] {
            l1.push(Span::styled(
                format!(" {} {}", tg.count(h), h.label()),
                theme.health(h),
            ));
        }
        lines.push(Line::from(l1));
        let hc = &tg.health_check;
        lines.push(Line::styled(
            format!(
                "  check {} {} port {} every {}s, timeout {}s",
                hc.protocol,
                clean(hc.path.as_deref().unwrap_or("-")),
                hc.port,
                hc.interval_s,
                hc.timeout_s,
            ),
            theme.muted,
        ));
        lines.push(Line::styled(
            format!(
                "  healthy after {} · unhealthy after {} · matcher {} · deregistration {}s",
                hc.healthy_threshold,
                hc.unhealthy_threshold,
                clean(hc.matcher.as_deref().unwrap_or("-")),
                tg.deregistration_delay_s
                    .map_or("-".into(), |d| d.to_string()),
            ),
            theme.muted,
        ));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(" target groups ", theme)),
        area,
    );
}

fn row(tg: &TargetGroup, t: &Target, multi: bool, narrow: bool, theme: &Theme) -> Row<'static> {
    let target = if multi {
        format!("{}/{}:{}", clean(&tg.name), t.id, t.port)
    } else {
        format!("{}:{}", t.id, t.port)
    };
    let az = t.az.clone().unwrap_or_default();
    let mut cells = vec![
        Cell::from(health_span(Some(t.health), theme)),
        Cell::from(clean(&target).into_owned()),
        Cell::from(if narrow { short_az(&az) } else { az }),
        Cell::from(
            t.task_arn
                .as_deref()
                .map_or("-", |a| short_task(short_id(a)))
                .to_owned(),
        ),
    ];
    if !narrow {
        cells.push(Cell::from(
            t.instance_id.clone().unwrap_or_else(|| "-".into()),
        ));
    }
    cells.push(Cell::from(Span::styled(
        clean(t.reason.as_deref().unwrap_or("")).into_owned(),
        if t.health.is_bad() {
            theme.danger
        } else {
            theme.muted
        },
    )));
    if !narrow {
        cells.push(Cell::from(
            clean(t.description.as_deref().unwrap_or("")).into_owned(),
        ));
    }
    Row::new(cells)
}

fn columns(narrow: bool) -> (&'static [&'static str], Vec<Constraint>) {
    if narrow {
        (
            &["STATE", "TARGET", "AZ", "TASK", "REASON"],
            vec![
                Constraint::Length(11),
                Constraint::Length(18),
                Constraint::Length(2),
                Constraint::Length(8),
                Constraint::Fill(1),
            ],
        )
    } else {
        (
            &[
                "STATE",
                "TARGET",
                "AZ",
                "TASK",
                "INSTANCE",
                "REASON",
                "DESCRIPTION",
            ],
            vec![
                Constraint::Length(11),
                Constraint::Length(18),
                Constraint::Length(10),
                Constraint::Length(8),
                Constraint::Length(19),
                Constraint::Length(28),
                Constraint::Fill(1),
            ],
        )
    }
}

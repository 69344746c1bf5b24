//! Services: counts, rollout, revision, autoscaling; the selected one's deployments and latest events.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row};

use super::widgets::{age, block, empty_reason, header_row, placeholder, table, visible};
use crate::app::{State, View, query};
use crate::model::{Service, short_id};
use crate::sanitize::clean;
use crate::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let services = query::services(state);
    let filter = state.filter(View::Services);
    let title = if filter.is_empty() {
        " services ".to_owned()
    } else {
        format!(" services /{filter} ")
    };
    if services.is_empty() {
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
    let list_h = u16::try_from(services.len() + 3)
        .unwrap_or(u16::MAX)
        .min(area.height / 2)
        .max(4);
    let [list, detail] =
        Layout::vertical([Constraint::Length(list_h), Constraint::Min(3)]).areas(area);
    let narrow = area.width < 110;
    let sel = state.selected(View::Services).min(services.len() - 1);
    let shown = visible(services.len(), sel, list);
    let rows: Vec<Row> = services[shown.clone()]
        .iter()
        .map(|s| row(s, narrow, theme))
        .collect();
    table(
        frame,
        list,
        block(title, theme),
        header_row(if narrow {
            &[
                "SERVICE",
                "STATUS",
                "DES/RUN/PEN",
                "ROLLOUT",
                "DEPL",
                "REV",
                "SCALE",
            ]
        } else {
            &[
                "SERVICE",
                "STATUS",
                "DES/RUN/PEN",
                "ROLLOUT",
                "DEPL",
                "REV",
                "SCALE",
                "MIN..MAX%",
            ]
        }),
        rows,
        &[
            Constraint::Fill(1),
            Constraint::Length(8),
            Constraint::Length(11),
            Constraint::Length(11),
            Constraint::Length(4),
            Constraint::Length(4),
            Constraint::Length(6),
            Constraint::Length(9),
        ],
        sel - shown.start,
        theme,
    );
    detail_view(frame, detail, state, services[sel], theme);
}

fn detail_view(frame: &mut Frame, area: Rect, state: &State, s: &Service, theme: &Theme) {
    let mut lines = vec![Line::styled("deployments", theme.accent)];
    for d in &s.deployments {
        let st = match d.rollout_state.as_deref() {
            Some("FAILED") => theme.danger,
            Some("IN_PROGRESS") => theme.warn,
            _ => theme.text,
        };
        lines.push(Line::from(vec![
            Span::raw(format!("  {:<8} ", d.status)),
            Span::styled(
                format!("{:<12}", d.rollout_state.as_deref().unwrap_or("-")),
                st,
            ),
            Span::raw(format!(
                " {} desired {} running {} pending {} failed {} · {}",
                clean(short_id(&d.task_definition)),
                d.desired,
                d.running,
                d.pending,
                d.failed,
                age(state.now, d.created_at)
            )),
        ]));
        if let Some(r) = &d.rollout_reason {
            lines.push(Line::styled(format!("    {}", clean(r)), theme.muted));
        }
    }
    lines.push(Line::styled("latest events", theme.accent));
    for e in s.events.iter().take(usize::from(area.height)) {
        lines.push(Line::from(vec![
            Span::styled(format!("  {:>4} ", age(state.now, e.at)), theme.muted),
            Span::raw(clean(&e.message).into_owned()),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(format!(" {} ", clean(&s.name)), theme)),
        area,
    );
}

fn row(s: &Service, narrow: bool, theme: &Theme) -> Row<'static> {
    let counts_style = if s.running < s.desired {
        theme.warn
    } else {
        theme.ok
    };
    let rollout = s
        .primary()
        .and_then(|d| d.rollout_state.clone())
        .unwrap_or_else(|| "-".into());
    let rollout_style = match rollout.as_str() {
        "FAILED" => theme.danger,
        "IN_PROGRESS" => theme.warn,
        _ => theme.text,
    };
    let mut cells = vec![
        Cell::from(clean(&s.name).into_owned()),
        Cell::from(s.status.clone()),
        Cell::from(Span::styled(
            format!("{}/{}/{}", s.desired, s.running, s.pending),
            counts_style,
        )),
        Cell::from(Span::styled(rollout, rollout_style)),
        Cell::from(s.deployments.len().to_string()),
        Cell::from(
            clean(
                short_id(&s.task_definition)
                    .rsplit(':')
                    .next()
                    .unwrap_or(""),
            )
            .into_owned(),
        ),
        Cell::from(
            s.autoscaling
                .map_or("-".into(), |(lo, hi)| format!("{lo}..{hi}")),
        ),
    ];
    if !narrow {
        cells.push(Cell::from(format!(
            "{}%..{}%",
            s.min_healthy_percent.unwrap_or(100),
            s.max_percent.unwrap_or(200)
        )));
    }
    Row::new(cells)
}

//! Tasks of the selected service or instance (or all): status, target health, AZ, IP, instance, revision, age, stop reason.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use super::topology::short_task;
use super::widgets::{
    age, block, empty_reason, header_row, health_span, placeholder, short_az, table, visible,
};
use crate::app::state::TaskScope;
use crate::app::{State, View, query};
use crate::model::{Task, short_id};
use crate::sanitize::clean;
use crate::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let scope = match &state.task_scope {
        TaskScope::All => "all".to_owned(),
        TaskScope::Service(s) => format!("service {}", clean(s)),
        TaskScope::Instance(arn) => {
            let ec2 = state
                .snapshot
                .as_ref()
                .and_then(|s| s.container_instances().iter().find(|c| c.arn == *arn))
                .and_then(|c| c.ec2_instance_id.clone());
            format!("instance {}", ec2.as_deref().unwrap_or(short_id(arn)))
        }
        TaskScope::Task(arn) => format!("task {}", short_task(short_id(arn))),
    };
    let filter = state.filter(View::Tasks);
    let title = if filter.is_empty() {
        format!(" tasks · {scope} ")
    } else {
        format!(" tasks · {scope} /{filter} ")
    };
    let tasks = query::tasks(state);
    if tasks.is_empty() {
        let reason = empty_reason(
            state.snapshot.is_some(),
            state
                .snapshot
                .as_ref()
                .and_then(|s| s.tasks.unavailable_reason()),
            filter,
        );
        placeholder(frame, area, &title, &reason, theme.muted, theme);
        return;
    }
    let narrow = area.width < 110;
    let shown = visible(tasks.len(), state.selected(View::Tasks), area);
    let rows: Vec<Row> = tasks[shown.clone()]
        .iter()
        .map(|t| row(t, narrow, state.now, theme))
        .collect();
    let (header, widths) = columns(narrow);
    table(
        frame,
        area,
        block(title, theme),
        header_row(header),
        rows,
        &widths,
        state.selected(View::Tasks).saturating_sub(shown.start),
        theme,
    );
}

fn row(t: &Task, narrow: bool, now: chrono::DateTime<chrono::Utc>, theme: &Theme) -> Row<'static> {
    let stopped = t.last_status == "STOPPED";
    let status = if t.last_status == t.desired_status {
        t.last_status.clone()
    } else {
        format!("{}→{}", t.last_status, t.desired_status)
    };
    let status_style = if stopped {
        theme.muted
    } else if t.last_status == "RUNNING" {
        theme.text
    } else {
        theme.warn
    };
    let when = if stopped {
        t.stopped_at
    } else {
        t.started_at.or(t.created_at)
    };
    let az = t.az.clone().unwrap_or_default();
    let revision = clean(t.revision()).into_owned();
    let mut cells = vec![
        Cell::from(if stopped {
            Span::styled("■ stopped", theme.muted)
        } else {
            health_span(t.target_health(), theme)
        }),
        Cell::from(short_task(&t.id).to_owned()),
    ];
    if !narrow {
        cells.push(Cell::from(
            clean(t.service.as_deref().unwrap_or("-")).into_owned(),
        ));
    }
    cells.push(Cell::from(Span::styled(status, status_style)));
    if narrow {
        cells.push(Cell::from(short_az(&az)));
        cells.push(Cell::from(t.private_ip.clone().unwrap_or_default()));
        cells.push(Cell::from(
            revision.rsplit(':').next().unwrap_or_default().to_owned(),
        ));
    } else {
        cells.push(Cell::from(az));
        cells.push(Cell::from(t.private_ip.clone().unwrap_or_default()));
        cells.push(Cell::from(
            t.instance_id.clone().unwrap_or_else(|| "-".into()),
        ));
        cells.push(Cell::from(revision));
    }
    cells.push(Cell::from(age(now, when)));
    cells.push(Cell::from(Span::styled(
        clean(t.stopped_reason.as_deref().unwrap_or("")).into_owned(),
        theme.warn,
    )));
    Row::new(cells)
}

fn columns(narrow: bool) -> (&'static [&'static str], Vec<Constraint>) {
    if narrow {
        (
            &[
                "HEALTH",
                "TASK",
                "STATUS",
                "AZ",
                "IP",
                "REV",
                "AGE",
                "STOP REASON",
            ],
            vec![
                Constraint::Length(11),
                Constraint::Length(8),
                Constraint::Length(8),
                Constraint::Length(2),
                Constraint::Length(13),
                Constraint::Length(3),
                Constraint::Length(4),
                Constraint::Fill(1),
            ],
        )
    } else {
        (
            &[
                "HEALTH",
                "TASK",
                "SERVICE",
                "STATUS",
                "AZ",
                "IP",
                "INSTANCE",
                "REVISION",
                "AGE",
                "STOP REASON",
            ],
            vec![
                Constraint::Length(11),
                Constraint::Length(8),
                Constraint::Length(12),
                Constraint::Length(8),
                Constraint::Length(10),
                Constraint::Length(13),
                Constraint::Length(19),
                Constraint::Length(11),
                Constraint::Length(4),
                Constraint::Fill(1),
            ],
        )
    }
}

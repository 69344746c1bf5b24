//! Container instances (status, agent, CPU/memory left, tasks, AZ, ASG lifecycle, protection) and the ASG's sizes.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row};

use super::widgets::{
    block, empty_reason, header_row, health_symbol, placeholder, short_az, table, visible,
};
use crate::app::{State, View, query};
use crate::model::{AutoScalingGroup, ContainerInstance, TargetHealth};
use crate::sanitize::clean;
use crate::theme::Theme;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let asgs = state
        .snapshot
        .as_ref()
        .map(crate::model::Snapshot::auto_scaling_groups)
        .unwrap_or_default();
    let asg_h = u16::try_from(asgs.len()).unwrap_or(1).clamp(1, 4) + 2;
    let [list, bottom] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(asg_h)]).areas(area);
    asg_summary(frame, bottom, state, asgs, theme);

    let filter = state.filter(View::Instances);
    let title = if filter.is_empty() {
        " container instances ".to_owned()
    } else {
        format!(" container instances /{filter} ")
    };
    let cis = query::instances(state);
    if cis.is_empty() {
        let reason = empty_reason(
            state.snapshot.is_some(),
            state
                .snapshot
                .as_ref()
                .and_then(|s| s.container_instances.unavailable_reason()),
            filter,
        );
        placeholder(frame, list, &title, &reason, theme.muted, theme);
        return;
    }
    let narrow = list.width < 110;
    let tasks = state.snapshot.as_ref().map_or(&[][..], |s| s.tasks());
    let shown = visible(cis.len(), state.selected(View::Instances), list);
    let rows: Vec<Row> = cis[shown.clone()]
        .iter()
        .map(|c| {
            // Only the rows on screen, each from its own tasks (listed by the joins).
            let h: Vec<TargetHealth> = c
                .live_tasks
                .iter()
                .filter_map(|&n| tasks.get(n)?.target_health())
                .collect();
            row(c, &h, narrow, theme)
        })
        .collect();
    let (header, widths) = columns(narrow);
    table(
        frame,
        list,
        block(title, theme),
        header_row(header),
        rows,
        &widths,
        state.selected(View::Instances).saturating_sub(shown.start),
        theme,
    );
}

/// `●2 ✖1`: how the instance's tasks fare as targets, worst last.
fn health_counts(healths: &[TargetHealth], theme: &Theme) -> Line<'static> {
    let mut kinds: Vec<TargetHealth> = healths.to_vec();
    kinds.sort();
    kinds.dedup();
    if kinds.is_empty() {
        return Line::styled("-", theme.muted);
    }
    let spans: Vec<Span> = kinds
        .iter()
        .map(|&k| {
            let n = healths.iter().filter(|&&h| h == k).count();
            Span::styled(format!("{}{n} ", health_symbol(k)), theme.health(k))
        })
        .collect();
    Line::from(spans)
}

fn row(
    c: &ContainerInstance,
    healths: &[TargetHealth],
    narrow: bool,
    theme: &Theme,
) -> Row<'static> {
    let status_style = if c.is_draining() {
        theme.warn
    } else if c.status == "ACTIVE" {
        theme.ok
    } else {
        theme.muted
    };
    let low = |rem: i32, reg: i32| {
        if reg > 0 && rem * 10 < reg {
            theme.warn
        } else {
            theme.text
        }
    };
    let mut cells = vec![
        Cell::from(c.ec2_instance_id.clone().unwrap_or_else(|| c.id.clone())),
        Cell::from(Span::styled(c.status.clone(), status_style)),
        Cell::from(if c.agent_connected {
            Span::styled("up", theme.ok)
        } else {
            Span::styled("DOWN", theme.danger)
        }),
        Cell::from(Span::styled(
            format!("{}/{}", c.remaining_cpu, c.registered_cpu),
            low(c.remaining_cpu, c.registered_cpu),
        )),
        Cell::from(Span::styled(
            format!("{}/{}", c.remaining_memory, c.registered_memory),
            low(c.remaining_memory, c.registered_memory),
        )),
        Cell::from(format!("{}+{}", c.running_tasks, c.pending_tasks)),
        Cell::from(if narrow {
            short_az(c.az.as_deref().unwrap_or_default())
        } else {
            c.az.clone().unwrap_or_default()
        }),
    ];
    if narrow {
        // The group's view of the instance, in 6 columns: `in P` is InService and protected.
        cells.push(Cell::from(format!(
            "{}{}",
            short_lifecycle(c.asg_lifecycle_state.as_deref()),
            if c.protected_from_scale_in == Some(true) {
                " P"
            } else {
                ""
            }
        )));
    }
    cells.push(Cell::from(health_counts(healths, theme)));
    if !narrow {
        cells.push(Cell::from(
            c.asg_lifecycle_state.clone().unwrap_or_else(|| "-".into()),
        ));
        cells.push(Cell::from(match c.protected_from_scale_in {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        }));
    }
    Row::new(cells)
}

/// An ASG lifecycle state in at most 4 columns (`-`: not in a group).
fn short_lifecycle(state: Option<&str>) -> String {
    let Some(state) = state else {
        return "-".into();
    };
    let short = match state.split(':').next().unwrap_or_default() {
        "InService" => "in",
        "Pending" => "pend",
        "Terminating" | "Terminated" => "term",
        "Standby" | "EnteringStandby" => "stby",
        "Detaching" | "Detached" => "dtch",
        "Quarantined" => "quar",
        "Warmed" => "warm",
        other => return other.chars().take(4).collect(),
    };
    short.into()
}

fn columns(narrow: bool) -> (&'static [&'static str], Vec<Constraint>) {
    if narrow {
        (
            &[
                "INSTANCE", "STATUS", "AGENT", "CPU LEFT", "MEM LEFT", "TASKS", "AZ", "ASG",
                "TARGETS",
            ],
            vec![
                Constraint::Length(19),
                Constraint::Length(8),
                Constraint::Length(5),
                Constraint::Length(9),
                Constraint::Length(9),
                Constraint::Length(5),
                Constraint::Length(2),
                Constraint::Length(6),
                Constraint::Fill(1),
            ],
        )
    } else {
        (
            &[
                "INSTANCE",
                "STATUS",
                "AGENT",
                "CPU LEFT",
                "MEM LEFT",
                "TASKS",
                "AZ",
                "TARGETS",
                "LIFECYCLE",
                "PROTECTED",
            ],
            vec![
                Constraint::Length(19),
                Constraint::Length(8),
                Constraint::Length(5),
                Constraint::Length(9),
                Constraint::Length(9),
                Constraint::Length(5),
                Constraint::Length(10),
                Constraint::Length(12),
                Constraint::Length(10),
                Constraint::Fill(1),
            ],
        )
    }
}

/// The Auto Scaling groups behind the cluster: sizes, in-service count, capacity provider.
fn asg_summary(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    asgs: &[AutoScalingGroup],
    theme: &Theme,
) {
    let mut lines: Vec<Line> = asgs
        .iter()
        .map(|g| {
            let cp = g.capacity_provider.as_deref().map_or(String::new(), |c| {
                format!(" · capacity provider {}", clean(c))
            });
            Line::from(vec![
                Span::styled(format!("{} ", clean(&g.name)), theme.accent),
                Span::raw(format!(
                    "min {} desired {} max {} · {} in service",
                    g.min,
                    g.desired,
                    g.max,
                    g.instances
                        .iter()
                        .filter(|i| i.lifecycle_state == "InService")
                        .count()
                )),
                Span::styled(cp, theme.muted),
            ])
        })
        .collect();
    if lines.is_empty() {
        let why = state
            .snapshot
            .as_ref()
            .and_then(|s| s.auto_scaling_groups.unavailable_reason())
            .map_or("no Auto Scaling group".to_owned(), |r| {
                format!("unavailable: {}", clean(r))
            });
        lines.push(Line::styled(why, theme.muted));
    }
    frame.render_widget(
        Paragraph::new(lines).block(block(" auto scaling ", theme)),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::short_lifecycle;

    #[test]
    fn lifecycle_states_fit_four_columns() {
        for (state, want) in [
            (Some("InService"), "in"),
            (Some("Pending:Wait"), "pend"),
            (Some("Terminating:Proceed"), "term"),
            (Some("EnteringStandby"), "stby"),
            (Some("Detaching"), "dtch"),
            (Some("SomethingNew"), "Some"),
            (None, "-"),
        ] {
            assert_eq!(short_lifecycle(state), want, "{state:?}");
        }
    }
}

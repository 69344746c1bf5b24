//! The home view: internet → ALB → target group → targets, then the VPC's AZs side by side with subnets, instances and tasks.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

mod path;

use path::{live_tasks, path_lines, zones};

use super::widgets::{block, health_symbol};
use crate::app::{State, View, query};
use crate::model::{ContainerInstance, Snapshot, Subnet, SubnetTier, TargetHealth, Task};
use crate::sanitize::clean;
use crate::theme::Theme;

/// Above this many tasks on one instance they are drawn as a row of symbols.
const TASK_LINES_MAX: usize = 3;
/// Above this many, a row of symbols would not fit a column: counts per state instead.
const SYMBOLS_MAX: usize = 32;

pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(snap) = &state.snapshot else {
        super::widgets::placeholder(frame, area, " topology ", "loading…", theme.muted, theme);
        return;
    };
    let [path, azs_area] =
        Layout::vertical([Constraint::Length(3), Constraint::Min(3)]).areas(area);
    frame.render_widget(
        Paragraph::new(path_lines(snap, area.width < 110, theme)),
        path,
    );
    let azs = zones(snap);
    if azs.is_empty() {
        super::widgets::placeholder(
            frame,
            azs_area,
            " VPC ",
            "no availability zones known",
            theme.muted,
            theme,
        );
        return;
    }
    let columns = Layout::horizontal(vec![Constraint::Fill(1); azs.len()]).split(azs_area);
    let selected = query::topology_instances(state)
        .get(state.selected(View::Topology))
        .map(|c| c.arn.as_str());
    for (az, col) in azs.iter().zip(columns.iter()) {
        zone(frame, *col, snap, az, selected, theme);
    }
}

/// The worst health among tasks (None: no task is a target).
fn worst<'a>(tasks: impl Iterator<Item = &'a Task>) -> Option<TargetHealth> {
    tasks.filter_map(Task::target_health).max()
}

fn zone_style(h: Option<TargetHealth>, theme: &Theme) -> Style {
    h.map_or(theme.border, |h| theme.health(h))
}

fn zone(
    frame: &mut Frame,
    area: Rect,
    snap: &Snapshot,
    az: &str,
    selected: Option<&str>,
    theme: &Theme,
) {
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = None;
    let subnets: Vec<_> = snap
        .network()
        .map(|n| {
            let vpc = path::stack_vpc(snap);
            n.subnets
                .iter()
                .filter(|s| s.az == az && vpc.is_none_or(|v| s.vpc_id == v))
                .collect()
        })
        .unwrap_or_default();
    for s in subnets.iter().filter(|s| s.tier == SubnetTier::Public) {
        public_lines(&mut lines, snap, s, theme);
    }
    let in_az: Vec<&ContainerInstance> = snap
        .container_instances()
        .iter()
        .filter(|c| c.az.as_deref() == Some(az))
        .collect();
    let private: Vec<_> = subnets
        .iter()
        .filter(|s| s.tier != SubnetTier::Public)
        .collect();
    let mut placed: BTreeSet<&str> = BTreeSet::new();
    for s in &private {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<8}", s.tier.label()), theme.accent),
            Span::raw(format!("{} {}", s.cidr, s.id)),
        ]));
        for ci in in_az
            .iter()
            .filter(|c| c.subnet_id.as_deref() == Some(s.id.as_str()))
        {
            placed.insert(&ci.arn);
            instance_lines(&mut lines, &mut selected_line, snap, ci, selected, theme);
        }
    }
    let unplaced: Vec<_> = in_az
        .iter()
        .filter(|c| !placed.contains(c.arn.as_str()))
        .collect();
    if !unplaced.is_empty() {
        lines.push(Line::styled("subnet unknown", theme.muted));
        for ci in unplaced {
            instance_lines(&mut lines, &mut selected_line, snap, ci, selected, theme);
        }
    }
    if in_az.is_empty() {
        lines.push(Line::styled("  no container instances", theme.muted));
    }
    let tasks: Vec<&Task> = live_tasks(snap)
        .filter(|t| t.az.as_deref() == Some(az))
        .collect();
    let w = worst(tasks.iter().copied());
    let healthy = tasks
        .iter()
        .filter(|t| t.target_health() == Some(TargetHealth::Healthy))
        .count();
    let title = Line::from(vec![
        Span::styled(format!(" {az} "), theme.title),
        if tasks.is_empty() {
            Span::styled("no tasks ", theme.warn)
        } else {
            Span::styled(
                format!("{healthy}/{} tasks healthy ", tasks.len()),
                zone_style(w, theme),
            )
        },
    ]);
    let height = usize::from(area.height.saturating_sub(2));
    let scroll = selected_line.map_or(0, |l| query::offset(l, height));
    let b = block(title, theme).border_style(zone_style(w, theme));
    frame.render_widget(
        Paragraph::new(lines)
            .block(b)
            .scroll((u16::try_from(scroll).unwrap_or(u16::MAX), 0)),
        area,
    );
}

/// A public subnet and the ALB node / NAT gateway in it.
fn public_lines(lines: &mut Vec<Line<'static>>, snap: &Snapshot, s: &Subnet, theme: &Theme) {
    lines.push(Line::from(vec![
        Span::styled("public  ", theme.accent),
        Span::raw(format!("{} {}", s.cidr, s.id)),
    ]));
    let mut nodes = vec![Span::raw("  ")];
    for lb in snap
        .load_balancers()
        .iter()
        .filter(|lb| lb.zones.iter().any(|(_, sn)| *sn == s.id))
    {
        let st = if lb.state == "active" {
            theme.text
        } else {
            theme.warn
        };
        nodes.push(Span::styled("◆ ALB node  ", st));
    }
    if let Some(net) = snap.network() {
        for nat in net.nat_gateways.iter().filter(|n| n.subnet_id == s.id) {
            let st = if nat.state == "available" {
                theme.ok
            } else {
                theme.warn
            };
            nodes.push(Span::styled(format!("◆ NAT {}", nat.id), st));
        }
    }
    if nodes.len() > 1 {
        lines.push(Line::from(nodes));
    }
}

fn instance_lines(
    lines: &mut Vec<Line<'static>>,
    selected_line: &mut Option<usize>,
    snap: &Snapshot,
    ci: &ContainerInstance,
    selected: Option<&str>,
    theme: &Theme,
) {
    // The joins list each instance's live tasks: no scan of every task per frame.
    let tasks: Vec<&Task> = ci
        .live_tasks
        .iter()
        .filter_map(|&n| snap.tasks().get(n))
        .collect();
    let w = worst(tasks.iter().copied());
    let status_style = if ci.status == "ACTIVE" && ci.agent_connected {
        theme.text
    } else {
        theme.warn
    };
    let mut spans = vec![
        Span::styled(
            format!("  ▣ {} ", ci.ec2_instance_id.as_deref().unwrap_or(&ci.id)),
            zone_style(w, theme),
        ),
        Span::styled(ci.status.clone(), status_style),
    ];
    if !ci.agent_connected {
        spans.push(Span::styled(" agent down", theme.danger));
    }
    let plural = if tasks.len() == 1 { "" } else { "s" };
    spans.push(Span::styled(
        format!(" {} task{plural}", tasks.len()),
        theme.muted,
    ));
    let mut line = Line::from(spans);
    if selected == Some(ci.arn.as_str()) {
        line = line.style(theme.selection);
        *selected_line = Some(lines.len());
    }
    lines.push(line);
    if tasks.len() > TASK_LINES_MAX {
        // Worst first, so a bad task is never the one cut off at the column's edge.
        let mut hs: Vec<Option<TargetHealth>> = tasks.iter().map(|t| t.target_health()).collect();
        hs.sort_by_key(|h| std::cmp::Reverse(*h));
        let mut row = vec![Span::raw("    ")];
        if hs.len() <= SYMBOLS_MAX {
            row.extend(hs.iter().map(|h| {
                Span::styled(
                    h.map_or("·", health_symbol),
                    h.map_or(theme.muted, |h| theme.health(h)),
                )
            }));
        } else {
            let mut kinds = hs.clone();
            kinds.dedup();
            row.extend(kinds.iter().map(|k| {
                let n = hs.iter().filter(|h| *h == k).count();
                Span::styled(
                    format!("{}{n} ", k.map_or("·", health_symbol)),
                    k.map_or(theme.muted, |h| theme.health(h)),
                )
            }));
        }
        lines.push(Line::from(row));
        return;
    }
    for t in &tasks {
        let h = t.target_health();
        let mut spans = vec![
            Span::raw("    "),
            Span::styled(
                format!("{} {} ", h.map_or("·", health_symbol), short_task(&t.id)),
                h.map_or(theme.muted, |h| theme.health(h)),
            ),
            Span::styled(clean(t.revision()).into_owned(), theme.muted),
        ];
        if let Some(h) = h {
            spans.push(Span::styled(format!(" {}", h.label()), theme.health(h)));
        }
        lines.push(Line::from(spans));
    }
}

/// The first 8 characters of a task id: enough to tell tasks apart on screen.
#[must_use]
pub fn short_task(id: &str) -> &str {
    id.get(..8).unwrap_or(id)
}

//! The operation popups (count prompt, plan confirmation) and the status lines of running operations.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::widgets::block;
use crate::app::State;
use crate::app::state::{Ask, Popup, RunningOp};
use crate::ops::{Confirm, Plan, Step};
use crate::sanitize::clean;
use crate::theme::Theme;

/// Draws the open popup, if any, over `area`.
pub fn render(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let Some(popup) = &state.ops.popup else {
        return;
    };
    let (title, lines) = match popup {
        Popup::Ask { target, text } => prompt_lines(target, text, theme),
        Popup::Confirm { plan, typed } => (
            format!(" confirm: {} ", clean(&plan.operation.title())),
            plan_lines(plan, typed, theme),
        ),
    };
    let width = area.width.saturating_sub(4).min(110);
    // Long parameters (ARNs) wrap: count screen rows, not lines, so the confirm field stays visible.
    let inner = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let wanted = u16::try_from(rows + 2).unwrap_or(u16::MAX);
    let height = wanted.min(area.height.saturating_sub(2));
    let rect = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    };
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block(title, theme))
            .wrap(Wrap { trim: false }),
        rect,
    );
}

fn prompt_lines(target: &Ask, text: &str, theme: &Theme) -> (String, Vec<Line<'static>>) {
    let (title, what) = match target {
        Ask::ServiceCount(s) => (
            " scale ",
            format!("service {}: new desired count", clean(s)),
        ),
        Ask::AsgCapacity(g) => (" scale ", format!("ASG {}: new desired capacity", clean(g))),
        Ask::ImageTag(s) => (
            " redeploy ",
            format!(
                "service {}: image tag to deploy (e.g. sha-<commit>; the task definition gets a new revision)",
                clean(s)
            ),
        ),
    };
    (
        title.into(),
        vec![
            Line::styled(what, theme.text),
            field(text, theme),
            Line::styled("Enter: show the plan · Esc: cancel", theme.muted),
        ],
    )
}

fn field(text: &str, theme: &Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled("> ", theme.accent),
        Span::raw(clean(text).into_owned()),
        Span::styled("█", theme.accent),
    ])
}

fn plan_lines(plan: &Plan, typed: &str, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = vec![Line::styled(
        format!(
            "{} (cluster {})",
            clean(&plan.summary),
            clean(&plan.cluster)
        ),
        theme.title,
    )];
    out.push(Line::styled("API calls:", theme.header));
    for (n, step) in plan.steps.iter().enumerate() {
        match step {
            Step::Call(call) => {
                let (service, operation) = call.api();
                out.push(Line::styled(
                    format!("  {}. {service} {operation}", n + 1),
                    theme.text,
                ));
                for (k, v) in call.params() {
                    out.push(Line::from(vec![
                        Span::styled(format!("       {k} = "), theme.muted),
                        Span::styled(clean(&v).into_owned(), theme.text),
                    ]));
                }
            }
            Step::AwaitDrained { .. } => out.push(Line::styled(
                format!("  {}. {}", n + 1, clean(&step.to_string())),
                theme.text,
            )),
        }
    }
    if !plan.effects.is_empty() {
        out.push(Line::styled("Effect:", theme.header));
        for e in &plan.effects {
            out.push(Line::styled(format!("  {}", clean(e)), theme.text));
        }
    }
    for w in &plan.warnings {
        out.push(Line::styled(format!("⚠ {}", clean(w)), theme.warn));
    }
    out.push(Line::raw(""));
    match &plan.confirm {
        Confirm::Yes => out.push(Line::styled(
            "Enter: run it · Esc: cancel (nothing changes)",
            theme.danger,
        )),
        Confirm::Type(want) => {
            out.push(Line::styled(
                format!("type '{}' then Enter to run it · Esc: cancel", clean(want)),
                theme.danger,
            ));
            out.push(field(typed, theme));
        }
    }
    out
}

/// Lines the status panel needs: one per operation kept.
#[must_use]
pub fn status_height(state: &State) -> u16 {
    u16::try_from(state.ops.runs.len()).unwrap_or(u16::MAX)
}

/// One line per operation: what, where it stands, how it ended.
pub fn status(frame: &mut Frame, area: Rect, state: &State, theme: &Theme) {
    let lines: Vec<Line> = state.ops.runs.iter().map(|r| run_line(r, theme)).collect();
    frame.render_widget(Paragraph::new(lines), area);
}

fn run_line(run: &RunningOp, theme: &Theme) -> Line<'static> {
    let (mark, style) = match run.ended.as_deref() {
        None => ("⟳ running".to_owned(), theme.info),
        Some(s @ ("settled" | "applied")) => (format!("✓ {s}"), theme.ok),
        Some(s) => (format!("✗ {s}"), theme.danger),
    };
    Line::from(vec![
        Span::styled(format!(" {mark} "), style),
        Span::styled(format!("{}: ", clean(&run.title)), theme.text),
        Span::styled(run.line.clone(), theme.muted),
    ])
}

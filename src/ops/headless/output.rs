//! Prints a report: plain lines for people, one JSON document for scripts; watch progress on stderr.

use std::fmt::Write;

use super::Report;
use crate::ops::watch::Progress;

/// Multi-line text with every line cleaned of control sequences (the line breaks kept).
#[must_use]
pub fn clean_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(&crate::sanitize::clean(line));
        out.push('\n');
    }
    out
}

/// One look of the watcher, on stderr so stdout stays the result.
pub fn progress(p: &Progress) {
    let mut s = format!("[{:>4}s]", p.elapsed_s);
    for (n, line) in p.lines.iter().enumerate() {
        if n > 0 {
            s.push_str("\n       ");
        }
        s.push(' ');
        s.push_str(&crate::sanitize::clean(line));
    }
    eprintln!("{s}");
}

/// The report as text lines (what a person reads after the command).
#[must_use]
pub fn text(r: &Report) -> String {
    let mut out = String::new();
    let clean = |s: &str| crate::sanitize::clean(s).into_owned();
    if r.status == "dry_run"
        && let Some(plan) = &r.plan
    {
        out.push_str(&clean_lines(&plan.to_string()));
        out.push_str("dry run: nothing was changed\n");
        return out;
    }
    if r.outcome.is_some()
        && let Some(plan) = &r.plan
    {
        for w in &plan.warnings {
            let _ = writeln!(out, "warning: {}", clean(w));
        }
    }
    if let Some(o) = &r.outcome {
        for d in &o.done {
            let _ = writeln!(out, "done: {}", clean(d));
        }
        if let Some(f) = &o.failed {
            let _ = writeln!(out, "FAILED: {}", clean(f));
        }
        for n in &o.not_done {
            let _ = writeln!(out, "not done: {}", clean(n));
        }
    }
    if let Some(w) = &r.watch {
        for line in &w.lines {
            let _ = writeln!(out, "{}", clean(line));
        }
        for reason in &w.reasons {
            let _ = writeln!(out, "  why: {}", clean(reason));
        }
    }
    let summary = match r.status.as_str() {
        "settled" => format!("settled after {:.0} s", r.elapsed_s),
        "applied" => "applied (not watched: pass --wait to follow it to the end)".into(),
        "timed_out" => format!("applied, but not settled after {:.0} s", r.elapsed_s),
        "watch_failed" => "applied, but it failed".into(),
        _ => String::new(),
    };
    if !summary.is_empty() {
        out.push_str(&summary);
        out.push('\n');
    }
    out
}

/// Prints the report: JSON on stdout, or text on stdout with refusals and failures on stderr.
pub fn report(r: &Report, json: bool) {
    if let Some(e) = &r.audit_error {
        eprintln!("navoy-console: {e}");
    }
    if json {
        match serde_json::to_string_pretty(r) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("navoy-console: cannot encode JSON: {e}"),
        }
        return;
    }
    print!("{}", text(r));
    if matches!(
        r.status.as_str(),
        "refused" | "declined" | "failed" | "failed_halfway"
    ) && let Some(m) = &r.message
    {
        eprint!("navoy-console: {}", clean_lines(m));
    }
}

//! Logs pipeline: 1,000,000 lines through the reducer in poll-sized batches; throughput and peak
//! memory (the buffer is a ring with a cap, so memory must stay flat). Prints one JSON object.

#![allow(clippy::cast_precision_loss, reason = "approximate figures")]

use std::time::Instant;

use navoy_console::app::{Msg, msg::LogFeed, state::State, update::update};
use navoy_console::model::{LogLine, sample};

const LINES: i64 = 1_000_000;
const BATCH: i64 = 1_000;

/// Peak resident set size of this process, in KiB (Linux).
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn main() {
    let mut state = State::sample();
    let generation = state.logs.generation;
    let cap = state.logs.cap;
    let rss_before = peak_rss_kib().unwrap_or(0);
    let t0 = Instant::now();
    for batch in 0..LINES / BATCH {
        let lines = (0..BATCH)
            .map(|i| {
                let n = batch * BATCH + i;
                LogLine {
                    id: n.to_string(),
                    at: sample::epoch() + chrono::Duration::milliseconds(n),
                    stream: format!("navoy/app/{:08x}", n % 20),
                    task_id: format!("{:08x}", n % 20),
                    message: format!("INFO GET /api/items/{n} 200 {}ms user=u{}", n % 97, n % 13),
                }
            })
            .collect();
        update(
            &mut state,
            Msg::LogsLoaded {
                generation,
                at: sample::epoch(),
                feed: LogFeed::Poll,
                result: Ok(lines),
            },
        );
    }
    let secs = t0.elapsed().as_secs_f64();
    let kept = state.logs.lines.len();
    assert_eq!(
        kept,
        cap.min(usize::try_from(LINES).unwrap_or(usize::MAX)),
        "the ring keeps exactly its cap"
    );
    let peak = peak_rss_kib().unwrap_or(0);
    println!(
        "{}",
        serde_json::json!({
            "figure": "logs_ingest",
            "lines": LINES,
            "cap": cap,
            "kept": kept,
            "dropped": state.logs.dropped,
            "seconds": secs,
            "lines_per_s": LINES as f64 / secs,
            "peak_rss_mib": peak as f64 / 1024.0,
            "rss_before_mib": rss_before as f64 / 1024.0,
        })
    );
}

//! Everything that can reach the reducer: input, clock ticks, and replies from AWS tasks.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

use crate::model::{LogLine, Snapshot};
use crate::ops::audit::AuditRecord;

#[derive(Debug, Clone)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The clock, and the API call counter read at the same moment.
    Tick {
        now: DateTime<Utc>,
        api_calls: u64,
    },
    SnapshotLoaded {
        generation: u64,
        at: DateTime<Utc>,
        result: Result<Box<Snapshot>, String>,
    },
    LogsLoaded {
        generation: u64,
        at: DateTime<Utc>,
        result: Result<Vec<LogLine>, String>,
    },
    /// A look at a running operation (one line per resource, joined).
    OpProgress {
        id: u64,
        line: String,
    },
    /// The operation is over: `settled`, `failed`, `timed_out`, `refused`...
    OpFinished {
        id: u64,
        status: String,
        message: Option<String>,
    },
    /// The audit log, oldest first.
    AuditLoaded(Result<Vec<AuditRecord>, String>),
}

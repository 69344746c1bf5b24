//! Everything that can reach the reducer: input, clock ticks, and replies from AWS tasks.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseEvent};

use crate::model::{LogLine, Snapshot};
use crate::ops::audit::AuditRecord;

/// Where log lines came from: a poll re-reads the cursor's millisecond, a live update does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFeed {
    Poll,
    Live,
}

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
    /// Lines of the logs source, from a poll or from the live tail (one path into the buffer).
    LogsLoaded {
        generation: u64,
        at: DateTime<Utc>,
        feed: LogFeed,
        result: Result<Vec<LogLine>, String>,
    },
    /// The live tail of this generation is up: polling may stop once it has caught up.
    LiveTailStarted {
        generation: u64,
    },
    /// The live tail of this generation is over, or never started (the executor logs why):
    /// back to polling.
    LiveTailEnded {
        generation: u64,
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

//! Log lines from `CloudWatch` Logs, already made safe for display.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// One log event of a task's stream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogLine {
    /// `CloudWatch`'s event id, or `ms-stream` for live tail events (which have none). Lines are
    /// de-duplicated by stream and message at the cursor instead, so both feeds agree.
    pub id: String,
    pub at: DateTime<Utc>,
    pub stream: String,
    /// The task id at the end of an awslogs stream name (`prefix/container/task-id`), if any.
    pub task_id: String,
    pub message: String,
}

/// How loud a log line is, guessed from its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Debug,
    Info,
    Warn,
    Error,
}

impl LogLine {
    /// The level word in the first 80 characters (`ERROR`, `"level":"warn"`, `W `…), if any.
    #[must_use]
    pub fn level(&self) -> Option<Level> {
        let head: String = self
            .message
            .chars()
            .take(80)
            .collect::<String>()
            .to_ascii_lowercase();
        let has = |words: &[&str]| {
            words.iter().any(|w| {
                head.match_indices(w).any(|(i, _)| {
                    let before = head[..i].chars().next_back();
                    let after = head[i + w.len()..].chars().next();
                    !before.is_some_and(char::is_alphanumeric)
                        && !after.is_some_and(char::is_alphanumeric)
                })
            })
        };
        if has(&["error", "fatal", "panic", "crit", "critical"]) {
            Some(Level::Error)
        } else if has(&["warn", "warning"]) {
            Some(Level::Warn)
        } else if has(&["info", "notice"]) {
            Some(Level::Info)
        } else if has(&["debug", "trace"]) {
            Some(Level::Debug)
        } else {
            None
        }
    }
}

/// The task id of an awslogs stream name: its last `/` segment when it looks like one.
#[must_use]
pub fn task_id_of_stream(stream: &str) -> String {
    let last = super::short_id(stream);
    if last.len() >= 8 && last.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        last.to_owned()
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::{Level, LogLine, task_id_of_stream};

    fn line(message: &str) -> LogLine {
        LogLine {
            id: "1".into(),
            at: super::super::sample::epoch(),
            stream: "s".into(),
            task_id: String::new(),
            message: message.into(),
        }
    }

    #[test]
    fn levels_are_found_as_whole_words() {
        assert_eq!(line("2026 ERROR boom").level(), Some(Level::Error));
        assert_eq!(
            line(r#"{"level":"warn","msg":"x"}"#).level(),
            Some(Level::Warn)
        );
        assert_eq!(line("INFO listening on 3000").level(), Some(Level::Info));
        assert_eq!(line("terrorism is not a level").level(), None);
        assert_eq!(line("GET /health 200").level(), None);
    }

    #[test]
    fn task_ids_come_from_awslogs_stream_names() {
        assert_eq!(
            task_id_of_stream("navoy/app/0123456789abcdef0123456789abcdef"),
            "0123456789abcdef0123456789abcdef"
        );
        assert_eq!(
            task_id_of_stream("navoy/app/c4fd2464-ab51-4586-98e5-3e95e2ff55f4"),
            "c4fd2464-ab51-4586-98e5-3e95e2ff55f4"
        );
        assert_eq!(task_id_of_stream("some-other-stream"), "");
    }
}

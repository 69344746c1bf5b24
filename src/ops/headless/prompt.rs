//! The terminal confirmation: shows the plan, then asks yes/no or to type the instance id / the count.

use std::io::{BufRead, IsTerminal, Write};

use super::Answer;
use crate::ops::{Confirm, Plan};

/// Whether `typed` confirms `confirm` (surrounding spaces do not matter).
#[must_use]
pub fn accepts(confirm: &Confirm, typed: &str) -> bool {
    let typed = typed.trim();
    match confirm {
        Confirm::Yes => matches!(typed.to_ascii_lowercase().as_str(), "y" | "yes"),
        Confirm::Type(expected) => typed == expected,
    }
}

/// The question for a confirmation.
#[must_use]
pub fn question(confirm: &Confirm) -> String {
    match confirm {
        Confirm::Yes => "Proceed? [y/N] ".into(),
        Confirm::Type(text) => format!("Type {text} to proceed (anything else cancels): "),
    }
}

/// Prints the plan on stderr (stdout too in text mode) and reads the answer from the terminal.
#[must_use]
pub fn ask(plan: &Plan, json: bool) -> Answer {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Answer::NoTerminal;
    }
    let mut err = std::io::stderr().lock();
    if json {
        let _ = write!(err, "{}", super::output::clean_lines(&plan.to_string()));
    } else {
        print!("{}", super::output::clean_lines(&plan.to_string()));
        let _ = std::io::stdout().flush();
    }
    let _ = write!(err, "{}", question(&plan.confirm));
    let _ = err.flush();
    let mut line = String::new();
    if stdin.lock().read_line(&mut line).is_err() {
        return Answer::Declined;
    }
    if accepts(&plan.confirm, &line) {
        Answer::Confirmed
    } else {
        Answer::Declined
    }
}

#[cfg(test)]
mod tests {
    use super::{accepts, question};
    use crate::ops::Confirm;

    #[test]
    fn typed_confirmations_must_match_exactly() {
        let id = Confirm::Type("i-0abc".into());
        assert!(accepts(&id, "i-0abc\n"));
        assert!(accepts(&id, "  i-0abc  "));
        for wrong in ["", "y", "yes", "i-0ab", "I-0ABC", "i-0abcd"] {
            assert!(!accepts(&id, wrong), "{wrong:?}");
        }
        assert!(question(&id).contains("Type i-0abc to proceed"));
        let count = Confirm::Type("1".into());
        assert!(accepts(&count, "1") && !accepts(&count, "2") && !accepts(&count, "y"));
    }

    #[test]
    fn yes_no_confirmations_default_to_no() {
        for yes in ["y", "Y", "yes", "YES\n"] {
            assert!(accepts(&Confirm::Yes, yes), "{yes:?}");
        }
        for no in ["", "\n", "n", "no", "yep", "1"] {
            assert!(!accepts(&Confirm::Yes, no), "{no:?}");
        }
        assert_eq!(question(&Confirm::Yes), "Proceed? [y/N] ");
    }
}

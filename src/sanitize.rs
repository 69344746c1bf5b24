//! Neutralises terminal control sequences in text that came from AWS (names, tags, log lines).

/// Replaces every control character except tab with a visible stand-in, so text from
/// outside can never move the cursor, set the title, or reach the clipboard (ESC, BEL, C1 CSI/OSC).
#[must_use]
pub fn clean(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(is_dangerous) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if is_dangerous(c) {
                    char::from_u32(0x2400 + (c as u32 & 0x1f))
                        .filter(|_| (c as u32) < 0x20)
                        .unwrap_or('\u{fffd}')
                } else {
                    c
                }
            })
            .collect(),
    )
}

fn is_dangerous(c: char) -> bool {
    (c.is_control() && c != '\t') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202e}' | '\u{202d}')
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn escape_sequences_are_made_visible() {
        let hostile = "ok \x1b[2J\x1b]0;owned\x07 \x1b]52;c;ZXZpbA==\x07 \u{9b}31m end";
        let out = clean(hostile);
        assert!(!out.chars().any(char::is_control), "{out:?}");
        assert!(out.contains("ok") && out.contains("end"));
    }

    #[test]
    fn plain_text_is_borrowed_untouched() {
        assert!(matches!(
            clean("naïve ✓ 漢字\ttab"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}

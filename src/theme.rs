//! Semantic styles (ok, warn, danger, muted, accent, selection...): dark default in code, TOML overlays, `NO_COLOR`.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::model::TargetHealth;

/// The themes shipped with the console, by name.
pub const BUILT_IN: [(&str, &str); 3] = [
    ("dark", include_str!("../themes/dark.toml")),
    ("light", include_str!("../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../themes/high-contrast.toml"),
    ),
];

/// Every style the views use, by meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Theme {
    pub text: Style,
    pub muted: Style,
    pub accent: Style,
    pub ok: Style,
    pub warn: Style,
    pub danger: Style,
    pub info: Style,
    pub selection: Style,
    pub header: Style,
    pub badge: Style,
    pub border: Style,
    pub title: Style,
    pub highlight: Style,
}

impl Default for Theme {
    fn default() -> Self {
        let fg = |c: Color| Style::new().fg(c);
        Self {
            text: Style::new(),
            muted: fg(Color::DarkGray),
            accent: fg(Color::Cyan),
            ok: fg(Color::Green),
            warn: fg(Color::Yellow),
            danger: fg(Color::LightRed).add_modifier(Modifier::BOLD),
            info: fg(Color::Blue),
            selection: Style::new()
                .bg(Color::DarkGray)
                .add_modifier(Modifier::BOLD),
            header: Style::new().fg(Color::White).bg(Color::Blue),
            badge: Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            border: fg(Color::DarkGray),
            title: fg(Color::Cyan).add_modifier(Modifier::BOLD),
            highlight: Style::new().fg(Color::Black).bg(Color::Yellow),
        }
    }
}

impl Theme {
    /// No colours at all (`NO_COLOR`): meaning is carried by symbols and modifiers.
    #[must_use]
    pub fn monochrome() -> Self {
        let plain = Style::new();
        let bold = plain.add_modifier(Modifier::BOLD);
        let reversed = plain.add_modifier(Modifier::REVERSED);
        Self {
            text: plain,
            muted: plain.add_modifier(Modifier::DIM),
            accent: plain,
            ok: plain,
            warn: bold,
            danger: bold.add_modifier(Modifier::UNDERLINED),
            info: plain,
            selection: reversed,
            header: reversed,
            badge: bold.add_modifier(Modifier::REVERSED),
            border: plain,
            title: bold,
            highlight: reversed,
        }
    }

    /// The style of a target health state.
    #[must_use]
    pub fn health(&self, h: TargetHealth) -> Style {
        match h {
            TargetHealth::Healthy => self.ok,
            TargetHealth::Initial | TargetHealth::Draining => self.warn,
            TargetHealth::Unused => self.muted,
            TargetHealth::Unavailable | TargetHealth::Unhealthy | TargetHealth::Unknown => {
                self.danger
            }
        }
    }

    fn role_mut(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "text" => &mut self.text,
            "muted" => &mut self.muted,
            "accent" => &mut self.accent,
            "ok" => &mut self.ok,
            "warn" => &mut self.warn,
            "danger" => &mut self.danger,
            "info" => &mut self.info,
            "selection" => &mut self.selection,
            "header" => &mut self.header,
            "badge" => &mut self.badge,
            "border" => &mut self.border,
            "title" => &mut self.title,
            "highlight" => &mut self.highlight,
            _ => return None,
        })
    }

    const ROLES: &'static str = "text, muted, accent, ok, warn, danger, info, selection, header, badge, border, title, highlight";
}

/// A theme file that cannot be used: which file, which line, which key, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeError {
    pub file: String,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ThemeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "theme {}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ThemeError {}

/// The 1-based line of a byte offset.
#[must_use]
pub fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).matches('\n').count() + 1
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    #[serde(default)]
    #[expect(dead_code, reason = "documents the file; the name comes from the path")]
    name: Option<String>,
    #[serde(default)]
    roles: BTreeMap<String, toml::Spanned<toml::Value>>,
}

fn color(v: &toml::Value) -> Result<Color, String> {
    let s = v
        .as_str()
        .ok_or_else(|| format!("expected a colour name or \"#rrggbb\", found {v}"))?;
    s.parse::<Color>().map_err(|_| {
        format!("unknown colour '{s}' (use a name like \"light-red\", \"#ff8800\" or 0-255)")
    })
}

fn style(v: &toml::Value) -> Result<Style, String> {
    if v.is_str() {
        return Ok(Style::new().fg(color(v)?));
    }
    let table = v.as_table().ok_or_else(|| {
        format!("expected a colour or a table {{ fg, bg, bold, italic, underline, reversed, dim }}, found {v}")
    })?;
    let mut st = Style::new();
    for (k, val) in table {
        let flag = |m: Modifier| -> Result<Modifier, String> {
            match val.as_bool() {
                Some(true) => Ok(m),
                Some(false) => Ok(Modifier::empty()),
                None => Err(format!("`{k}` must be true or false")),
            }
        };
        match k.as_str() {
            "fg" => st = st.fg(color(val).map_err(|e| format!("fg: {e}"))?),
            "bg" => st = st.bg(color(val).map_err(|e| format!("bg: {e}"))?),
            "bold" => st = st.add_modifier(flag(Modifier::BOLD)?),
            "italic" => st = st.add_modifier(flag(Modifier::ITALIC)?),
            "underline" => st = st.add_modifier(flag(Modifier::UNDERLINED)?),
            "reversed" => st = st.add_modifier(flag(Modifier::REVERSED)?),
            "dim" => st = st.add_modifier(flag(Modifier::DIM)?),
            other => {
                return Err(format!(
                    "unknown style field `{other}` (known: fg, bg, bold, italic, underline, reversed, dim)"
                ));
            }
        }
    }
    Ok(st)
}

/// Parses a theme file's text as an overlay on the default theme.
///
/// # Errors
/// Syntax errors, unknown roles or fields, and bad colours, each with file, line and key.
pub fn parse(text: &str, file: &str) -> Result<Theme, ThemeError> {
    let err = |line, key: Option<String>, message: String| ThemeError {
        file: file.to_owned(),
        line,
        key,
        message,
    };
    let parsed: ThemeFile = toml::from_str(text).map_err(|e| {
        err(
            e.span().map(|s| line_of(text, s.start)),
            None,
            e.message().to_owned(),
        )
    })?;
    let mut theme = Theme::default();
    for (name, value) in parsed.roles {
        let line = Some(line_of(text, value.span().start));
        let key = Some(format!("roles.{name}"));
        let Some(slot) = theme.role_mut(&name) else {
            return Err(err(
                line,
                key,
                format!("unknown role (known: {})", Theme::ROLES),
            ));
        };
        *slot = style(value.get_ref()).map_err(|m| err(line, key, m))?;
    }
    Ok(theme)
}

/// Finds and parses a theme: a path, a file in `<config dir>/themes/`, or a built-in name.
///
/// # Errors
/// The theme does not exist or does not parse.
pub fn load(spec: Option<&str>, config_dir: Option<&Path>) -> Result<Theme, ThemeError> {
    let Some(spec) = spec else {
        return Ok(Theme::default());
    };
    let not_found = |message: String| ThemeError {
        file: spec.to_owned(),
        line: None,
        key: None,
        message,
    };
    let path = if spec.contains('/')
        || Path::new(spec)
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    {
        Some(PathBuf::from(spec))
    } else {
        config_dir
            .map(|d| d.join("themes").join(format!("{spec}.toml")))
            .filter(|p| p.is_file())
    };
    if let Some(path) = path {
        let text =
            std::fs::read_to_string(&path).map_err(|e| not_found(format!("cannot read: {e}")))?;
        return parse(&text, &path.display().to_string());
    }
    match BUILT_IN.iter().find(|(name, _)| *name == spec) {
        Some((name, text)) => parse(text, &format!("{name} (built in)")),
        None => Err(not_found(format!(
            "no such theme (built in: {})",
            BUILT_IN.map(|(n, _)| n).join(", ")
        ))),
    }
}

/// Whether `NO_COLOR` asks for no colours (set and not empty).
#[must_use]
pub fn no_color() -> bool {
    std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use ratatui::style::Color;

    use super::{BUILT_IN, Theme, load, parse};

    #[test]
    fn shipped_themes_parse_and_differ() {
        let themes: Vec<Theme> = BUILT_IN.iter().map(|(n, t)| parse(t, n).unwrap()).collect();
        assert_ne!(themes[0], themes[1]);
        assert_ne!(themes[1], themes[2]);
        assert!(load(Some("light"), None).is_ok());
        assert_eq!(
            themes[0],
            Theme::default(),
            "dark.toml must match the default in code"
        );
    }

    #[test]
    fn partial_files_overlay_the_default() {
        let t = parse("[roles]\nok = \"#00ff00\"\n", "mine.toml").unwrap();
        assert_eq!(t.ok.fg, Some(Color::Rgb(0, 255, 0)));
        assert_eq!(t.danger, Theme::default().danger);
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = parse(
            "[roles]\nok = \"green\"\nwarn = { fg = \"grean\" }\n",
            "bad.toml",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string().split(": fg").next(),
            Some("theme bad.toml:3: key `roles.warn`")
        );
        assert!(e.message.contains("grean"), "{e}");
        let e = parse("[roles]\n\nshiny = \"red\"\n", "bad.toml").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (Some(3), Some("roles.shiny")));
        let e = parse("[roles\nok = 1\n", "broken.toml").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
        let e = load(Some("nope"), None).unwrap_err();
        assert!(e.to_string().contains("dark, light, high-contrast"), "{e}");
    }
}

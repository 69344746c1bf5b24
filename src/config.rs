//! The config file (XDG config dir `navoy-console/config.toml`): intervals, default view, theme, keys, log cap.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::app::keymap::Keymap;
use crate::app::state::{Settings, View};
use crate::theme::line_of;

/// Everything the config file can set, with defaults for what it leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub settings: Settings,
    pub default_view: View,
    pub theme: Option<String>,
    pub keymap: Keymap,
    /// The directory the file was looked for in (user themes live in its `themes/`).
    pub dir: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            settings: Settings::default(),
            default_view: View::Topology,
            theme: None,
            keymap: Keymap::default(),
            dir: None,
        }
    }
}

/// A config file that cannot be used: file, line, key, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub line: Option<usize>,
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "config {}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ": key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for ConfigError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    refresh_secs: Option<toml::Spanned<f64>>,
    logs_refresh_secs: Option<toml::Spanned<f64>>,
    default_view: Option<toml::Spanned<String>>,
    theme: Option<String>,
    log_buffer: Option<toml::Spanned<i64>>,
    #[serde(default)]
    keys: BTreeMap<String, toml::Spanned<toml::Value>>,
}

/// The default config directory: `$XDG_CONFIG_HOME/navoy-console` (or the platform's equivalent).
#[must_use]
pub fn default_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "navoy-console").map(|d| d.config_dir().to_owned())
}

/// Parses a config file's text over the defaults.
///
/// # Errors
/// Syntax errors, unknown keys, and out-of-range values, each with file, line and key.
pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
    let err = |span: Option<std::ops::Range<usize>>, key: &str, message: String| ConfigError {
        file: file.to_owned(),
        line: span.map(|s| line_of(text, s.start)),
        key: (!key.is_empty()).then(|| key.to_owned()),
        message,
    };
    let f: ConfigFile =
        toml::from_str(text).map_err(|e| err(e.span(), "", e.message().to_owned()))?;
    let mut c = Config::default();
    let secs = |v: &toml::Spanned<f64>, key: &str| {
        let s = *v.get_ref();
        if (0.2..=3600.0).contains(&s) {
            Ok(Duration::from_secs_f64(s))
        } else {
            Err(err(
                Some(v.span()),
                key,
                format!("{s} is out of range (0.2 to 3600 seconds)"),
            ))
        }
    };
    if let Some(v) = &f.refresh_secs {
        c.settings.refresh = secs(v, "refresh_secs")?;
    }
    if let Some(v) = &f.logs_refresh_secs {
        c.settings.logs_refresh = secs(v, "logs_refresh_secs")?;
    }
    if let Some(v) = &f.log_buffer {
        let n = *v.get_ref();
        c.settings.log_cap = usize::try_from(n)
            .ok()
            .filter(|n| (100..=1_000_000).contains(n))
            .ok_or_else(|| {
                err(
                    Some(v.span()),
                    "log_buffer",
                    format!("{n} is out of range (100 to 1000000 lines)"),
                )
            })?;
    }
    if let Some(v) = &f.default_view {
        c.default_view = View::parse(v.get_ref()).ok_or_else(|| {
            err(
                Some(v.span()),
                "default_view",
                format!(
                    "unknown view '{}' (known: {})",
                    v.get_ref(),
                    View::ALL.map(View::name).join(", ")
                ),
            )
        })?;
    }
    c.theme = f.theme;
    for (action, value) in &f.keys {
        let key = format!("keys.{action}");
        let keys: Vec<String> = match value.get_ref() {
            toml::Value::String(s) => vec![s.clone()],
            toml::Value::Array(a) => a
                .iter()
                .map(|k| k.as_str().map(str::to_owned))
                .collect::<Option<_>>()
                .ok_or_else(|| {
                    err(
                        Some(value.span()),
                        &key,
                        "expected key names as strings".into(),
                    )
                })?,
            other => {
                return Err(err(
                    Some(value.span()),
                    &key,
                    format!("expected a key or a list of keys, found {other}"),
                ));
            }
        };
        c.keymap
            .set(action, &keys)
            .map_err(|m| err(Some(value.span()), &key, m))?;
    }
    Ok(c)
}

/// Loads `explicit`, or the default file if it exists, or the defaults.
///
/// # Errors
/// An explicit file that cannot be read, or any file that does not parse.
pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
    let (path, required) = match explicit {
        Some(p) => (Some(p.to_owned()), true),
        None => (default_dir().map(|d| d.join("config.toml")), false),
    };
    let dir = path
        .as_deref()
        .and_then(Path::parent)
        .map(Path::to_owned)
        .or_else(default_dir);
    let Some(path) = path.filter(|p| required || p.is_file()) else {
        return Ok(Config {
            dir,
            ..Config::default()
        });
    };
    let text = std::fs::read_to_string(&path).map_err(|e| ConfigError {
        file: path.display().to_string(),
        line: None,
        key: None,
        message: format!("cannot read: {e}"),
    })?;
    let mut c = parse(&text, &path.display().to_string())?;
    c.dir = dir;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{load, parse};
    use crate::app::View;

    #[test]
    fn a_full_file_sets_everything() {
        let c = parse(
            "refresh_secs = 5\nlogs_refresh_secs = 0.5\ndefault_view = \"tasks\"\ntheme = \"light\"\nlog_buffer = 500\n[keys]\nquit = [\"x\", \"ctrl-q\"]\n",
            "c.toml",
        )
        .unwrap();
        assert_eq!(c.settings.refresh, Duration::from_secs(5));
        assert_eq!(c.settings.logs_refresh, Duration::from_millis(500));
        assert_eq!(c.settings.log_cap, 500);
        assert_eq!(c.default_view, View::Tasks);
        assert_eq!(c.theme.as_deref(), Some("light"));
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = parse("refresh_secs = 3\nlog_buffer = 5\n", "c.toml").unwrap_err();
        assert_eq!(
            e.to_string(),
            "config c.toml:2: key `log_buffer`: 5 is out of range (100 to 1000000 lines)"
        );
        let e = parse("\n\ndefault_view = \"nope\"\n", "c.toml").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (Some(3), Some("default_view")));
        let e = parse("[keys]\nquit = \"hyper-q\"\n", "c.toml").unwrap_err();
        assert_eq!((e.line, e.key.as_deref()), (Some(2), Some("keys.quit")));
        let e = parse("refresh = 3\n", "c.toml").unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(e.message.contains("refresh"), "{e}");
        let e = parse("refresh_secs = \"fast\"\n", "c.toml").unwrap_err();
        assert_eq!(e.line, Some(1), "{e}");
    }

    #[test]
    fn a_missing_explicit_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load(Some(&dir.path().join("none.toml"))).is_err());
        let p = dir.path().join("c.toml");
        std::fs::write(&p, "refresh_secs = 2\n").unwrap();
        assert_eq!(
            load(Some(&p)).unwrap().settings.refresh,
            Duration::from_secs(2)
        );
    }
}

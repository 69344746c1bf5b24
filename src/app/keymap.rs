//! Key bindings: each entry has a description (the help view lists them); config overrides replace keys.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::state::View;

/// A key with the modifiers that matter (Shift is folded into the character).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub ctrl: bool,
}

impl Key {
    #[must_use]
    pub fn from_event(ev: &KeyEvent) -> Self {
        Self {
            code: ev.code,
            ctrl: ev.modifiers.contains(KeyModifiers::CONTROL),
        }
    }

    /// Parses `q`, `G`, `ctrl-r`, `enter`, `esc`, `tab`, `backtab`, `up`, `pgdn`, `f5`, `space`, ...
    ///
    /// # Errors
    /// A sentence naming the key that was not understood.
    pub fn parse(s: &str) -> Result<Self, String> {
        let (ctrl, rest) = match s.strip_prefix("ctrl-").or_else(|| s.strip_prefix("C-")) {
            Some(r) => (true, r),
            None => (false, s),
        };
        let code = match rest.to_ascii_lowercase().as_str() {
            "enter" | "return" => KeyCode::Enter,
            "esc" | "escape" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" | "shift-tab" => KeyCode::BackTab,
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pgup" | "pageup" => KeyCode::PageUp,
            "pgdn" | "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            f if f.len() > 1 && f.starts_with('f') => f[1..]
                .parse::<u8>()
                .ok()
                .filter(|n| (1..=12).contains(n))
                .map(KeyCode::F)
                .ok_or_else(|| format!("unknown key '{s}'"))?,
            _ => {
                let mut chars = rest.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => KeyCode::Char(c),
                    _ => return Err(format!("unknown key '{s}'")),
                }
            }
        };
        Ok(Self { code, ctrl })
    }

    /// How the help view spells the key.
    #[must_use]
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(' ') => "Space".into(),
            KeyCode::Char(c) => c.to_string(),
            _ => "?".into(),
        };
        if self.ctrl { format!("C-{base}") } else { base }
    }
}

/// One binding: keys, what they do, and in which view (None: everywhere).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub keys: Vec<Key>,
    pub action: Action,
    pub view: Option<View>,
    pub desc: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

fn bind(keys: &[&str], action: Action, view: Option<View>, desc: &'static str) -> Binding {
    Binding {
        keys: keys.iter().filter_map(|k| Key::parse(k).ok()).collect(),
        action,
        view,
        desc,
    }
}

impl Default for Keymap {
    fn default() -> Self {
        use Action as A;
        let logs = Some(View::Logs);
        let mut bindings = vec![
            bind(&["q", "ctrl-c"], A::Quit, None, "quit"),
            bind(&["up", "k"], A::Up, None, "move up"),
            bind(&["down", "j"], A::Down, None, "move down"),
            bind(&["pgup", "ctrl-b"], A::PageUp, None, "page up"),
            bind(&["pgdn", "ctrl-f"], A::PageDown, None, "page down"),
            bind(&["home", "g"], A::Top, None, "first row"),
            bind(&["end", "G"], A::Bottom, None, "last row"),
            bind(&["tab", "right"], A::NextView, None, "next view"),
            bind(&["backtab", "left"], A::PrevView, None, "previous view"),
        ];
        for (n, view) in View::ALL.iter().enumerate() {
            let key = if *view == View::Help {
                "?".to_owned()
            } else {
                (n + 1).to_string()
            };
            bindings.push(Binding {
                keys: Key::parse(&key).into_iter().collect(),
                action: A::Goto(*view),
                view: None,
                desc: match view {
                    View::Topology => "topology: VPC, AZs, subnets, ALB, instances, tasks",
                    View::Targets => "targets: target groups and target health",
                    View::Services => "services: deployments, counts, events",
                    View::Tasks => "tasks (of the selected service or instance)",
                    View::Instances => "container instances and the ASG",
                    View::Logs => "logs: live tail",
                    View::Events => "events: service events and console operations, newest first",
                    View::Help => "this help",
                },
            });
        }
        bindings.extend([
            bind(
                &["enter"],
                A::Enter,
                None,
                "drill down (service → tasks → logs, instance → tasks, target → task)",
            ),
            bind(&["esc"], A::Back, None, "back / clear filter"),
            bind(&["r", "ctrl-r"], A::Refresh, None, "refresh now"),
            bind(
                &["/"],
                A::Filter,
                None,
                "filter the list (logs: substring, highlighted)",
            ),
            bind(&[":"], A::CommandLine, None, "command line (Tab completes)"),
            bind(
                &["l"],
                A::Logs,
                None,
                "logs of the selected service or task",
            ),
            bind(&["f"], A::ToggleFollow, logs, "follow / pause"),
            bind(&["w"], A::ToggleWrap, logs, "wrap long lines"),
            bind(&["n"], A::NextMatch, logs, "next search match (:find TEXT)"),
            bind(&["N"], A::PrevMatch, logs, "previous search match"),
        ]);
        bindings.extend(operations());
        Self { bindings }
    }
}

/// The operations' keys, each in the view whose selection it acts on.
fn operations() -> Vec<Binding> {
    use Action as A;
    let services = Some(View::Services);
    let tasks = Some(View::Tasks);
    let instances = Some(View::Instances);
    vec![
        bind(
            &["s"],
            A::ScaleService,
            services,
            "scale the service (type the count)",
        ),
        bind(&["R"], A::ForceRedeploy, services, "force a new deployment"),
        bind(
            &["i"],
            A::RedeployImage,
            services,
            "redeploy with a new image tag (type it, e.g. sha-<commit>)",
        ),
        bind(
            &["B"],
            A::Rollback,
            services,
            "roll back to the previous revision",
        ),
        bind(&["x"], A::StopTask, tasks, "stop the task"),
        bind(&["d"], A::Drain, instances, "drain the instance"),
        bind(
            &["D"],
            A::Release,
            instances,
            "release from the ASG: drain, wait for 0 tasks, terminate (after a drain: the release only)",
        ),
        bind(
            &["u"],
            A::Undrain,
            instances,
            "undrain the instance (back to ACTIVE)",
        ),
        bind(
            &["c"],
            A::AsgCapacity,
            instances,
            "set the ASG desired capacity",
        ),
    ]
}

impl Keymap {
    /// The first key of `action`, as the help spells it ("?" when it has none).
    #[must_use]
    pub fn key_of(&self, action: Action) -> String {
        self.bindings
            .iter()
            .find(|b| b.action == action)
            .and_then(|b| b.keys.first())
            .map_or_else(|| "?".into(), Key::label)
    }

    /// The action of a key in a view: bindings of that view first, then global ones.
    #[must_use]
    pub fn action(&self, view: View, ev: &KeyEvent) -> Option<Action> {
        let key = Key::from_event(ev);
        let hit = |b: &&Binding| b.keys.contains(&key);
        self.bindings
            .iter()
            .filter(|b| b.view == Some(view))
            .find(hit)
            .or_else(|| self.bindings.iter().filter(|b| b.view.is_none()).find(hit))
            .map(|b| b.action)
    }

    /// Replaces the keys of the named action.
    ///
    /// # Errors
    /// The action or a key is unknown.
    pub fn set(&mut self, action: &str, keys: &[String]) -> Result<(), String> {
        let action = Action::from_name(action).ok_or_else(|| {
            format!(
                "unknown action '{action}' (known: {})",
                Action::all()
                    .iter()
                    .map(|a| a.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        let keys = keys
            .iter()
            .map(|k| Key::parse(k))
            .collect::<Result<Vec<_>, _>>()?;
        for b in self.bindings.iter_mut().filter(|b| b.action == action) {
            b.keys.clone_from(&keys);
        }
        Ok(())
    }
}

impl Keymap {
    /// The key table of the README (a test keeps the README's copy identical).
    #[must_use]
    pub fn markdown_table(&self) -> String {
        use std::fmt::Write as _;
        let mut out = String::from("| keys | where | what |\n|---|---|---|\n");
        for b in &self.bindings {
            let keys: Vec<String> = b.keys.iter().map(|k| format!("`{}`", k.label())).collect();
            let place = b.view.map_or_else(
                || "everywhere".to_owned(),
                |v| format!("{v:?}").to_lowercase(),
            );
            let _ = writeln!(out, "| {} | {place} | {} |", keys.join(" "), b.desc);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::{Key, Keymap};
    use crate::app::{Action, View};

    fn key(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
    }

    #[test]
    fn view_bindings_win_over_global_ones() {
        let km = Keymap::default();
        assert_eq!(km.action(View::Logs, &key('f')), Some(Action::ToggleFollow));
        assert_eq!(km.action(View::Tasks, &key('f')), None);
        assert_eq!(
            km.action(View::Tasks, &key('2')),
            Some(Action::Goto(View::Targets))
        );
        let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(km.action(View::Tasks, &shifted), Some(Action::Bottom));
    }

    #[test]
    fn overrides_replace_keys_and_reject_unknowns() {
        let mut km = Keymap::default();
        km.set("quit", &["x".into()]).unwrap();
        assert_eq!(km.action(View::Topology, &key('x')), Some(Action::Quit));
        assert_eq!(km.action(View::Topology, &key('q')), None);
        assert!(
            km.set("fly", &["z".into()])
                .unwrap_err()
                .contains("unknown action 'fly'")
        );
        assert!(
            km.set("quit", &["hyper-q".into()])
                .unwrap_err()
                .contains("hyper-q")
        );
        assert_eq!(Key::parse("ctrl-r").unwrap().label(), "C-r");
    }
}

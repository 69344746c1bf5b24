//! Snapshot tests of every view at 120×40 and 80×24 from the seed estate at the sample clock, plus colour asserts.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;

use crate::app::state::{LogSource, TaskScope};
use crate::app::{State, View};
use crate::model::LogLine;
use crate::theme::Theme;

fn draw(state: &State, w: u16, h: u16) -> Buffer {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| super::render(f, state, &Theme::default()))
        .unwrap();
    t.backend().buffer().clone()
}

fn text(buf: &Buffer) -> String {
    let area = buf.area;
    let mut out = String::new();
    for y in 0..area.height {
        for x in 0..area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Where `needle` starts on screen.
fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let area = buf.area;
    for y in 0..area.height {
        let row: Vec<String> = (0..area.width)
            .map(|x| buf[(x, y)].symbol().to_owned())
            .collect();
        let joined: String = row.concat();
        if let Some(byte) = joined.find(needle) {
            let col = joined[..byte].chars().count();
            return Some((u16::try_from(col).unwrap(), y));
        }
    }
    None
}

fn with_logs(mut s: State) -> State {
    s.logs.source = Some(LogSource {
        label: "service navoy-app".into(),
        group: "/ecs/navoy-app".into(),
        streams: vec!["navoy/app/00000001c0ffee0001".into()],
    });
    let base = s.now - chrono::Duration::seconds(30);
    for (i, msg) in [
        "INFO listening on :3000",
        "GET /health 200 2ms",
        "WARN slow query 812ms",
        "ERROR upstream refused connection",
        "GET /health 200 1ms",
    ]
    .iter()
    .enumerate()
    {
        let n = i64::try_from(i).unwrap();
        s.logs.push(LogLine {
            id: n.to_string(),
            at: base + chrono::Duration::seconds(n * 5),
            stream: "navoy/app/00000001c0ffee0001".into(),
            task_id: "00000001c0ffee0001".into(),
            message: (*msg).into(),
        });
    }
    s.selected.insert(View::Logs, 4);
    s
}

fn state_for(view: View) -> State {
    let mut s = State::sample();
    s.view = view;
    if view == View::Tasks {
        s.task_scope = TaskScope::Service("navoy-app".into());
    }
    if view == View::Logs {
        s = with_logs(s);
    }
    s
}

#[test]
fn every_view_at_both_sizes() {
    for view in View::ALL {
        for (w, h) in [(120, 40), (80, 24)] {
            let buf = draw(&state_for(view), w, h);
            insta::assert_snapshot!(format!("{}_{w}x{h}", view.name()), text(&buf));
        }
    }
}

/// The drain confirmation of the seed's first instance, typed half-way, over the instances view.
#[test]
fn drain_confirmation_popup_at_both_sizes() {
    let mut s = state_for(View::Instances);
    s.context.read_only = false;
    let snap = crate::model::sample::seed();
    let id = snap.container_instances()[0]
        .ec2_instance_id
        .clone()
        .unwrap();
    let op = crate::ops::Operation::Drain {
        instance: id.clone(),
        release: false,
    };
    let plan = crate::ops::prepare(&snap, &op, crate::ops::Checks::default()).unwrap();
    s.ops.popup = Some(crate::app::state::Popup::Confirm {
        plan: Box::new(plan),
        typed: id[..6].to_owned(),
    });
    for (w, h) in [(120, 40), (80, 24)] {
        let screen = text(&draw(&s, w, h));
        assert!(screen.contains("UpdateContainerInstancesState"), "{screen}");
        insta::assert_snapshot!(format!("confirm_drain_{w}x{h}"), screen);
    }
}

/// A running and a finished operation each take one status line above the footer.
#[test]
fn operation_status_lines() {
    let mut s = state_for(View::Services);
    for (id, ended, line) in [
        (
            1,
            Some("settled"),
            "navoy-app: running 4/4; targets 4 healthy",
        ),
        (
            2,
            None,
            "i-0000000000000001: 2 tasks left, 1 replacement starting",
        ),
    ] {
        s.ops.runs.push(crate::app::state::RunningOp {
            next: None,
            id,
            title: format!("operation {id}"),
            resources: Vec::new(),
            line: line.into(),
            ended: ended.map(str::to_owned),
        });
    }
    let screen = text(&draw(&s, 120, 40));
    assert!(
        screen.contains("✓ settled operation 1: navoy-app: running 4/4"),
        "{screen}"
    );
    assert!(
        screen.contains("⟳ running operation 2: i-0000000000000001: 2 tasks left"),
        "{screen}"
    );
}

#[test]
fn topology_shows_both_azs_and_colours_health() {
    let buf = draw(&state_for(View::Topology), 80, 24);
    let screen = text(&buf);
    assert!(
        screen.contains("us-east-1a") && screen.contains("us-east-1b"),
        "{screen}"
    );
    // The healthy task in 1a is green, the unhealthy one in 1b red.
    let (x, y) = find(&buf, "● 00000001").unwrap();
    assert_eq!(buf[(x, y)].fg, Color::Green);
    let (x, y) = find(&buf, "✖ 00000002").unwrap();
    assert_eq!(buf[(x, y)].fg, Color::LightRed);
    let (x, y) = find(&buf, "◐ 00000003").unwrap();
    assert_eq!(buf[(x, y)].fg, Color::Yellow);
    assert!(screen.contains("⚠ healthy only in 1a"), "{screen}");
}

#[test]
fn targets_colour_each_state() {
    let buf = draw(&state_for(View::Targets), 120, 40);
    for (label, colour) in [
        ("● healthy", Color::Green),
        ("✖ unhealthy", Color::LightRed),
        ("◐ initial", Color::Yellow),
    ] {
        let (x, y) = find(&buf, label).unwrap_or_else(|| panic!("{label} not on screen"));
        assert_eq!(buf[(x, y)].fg, colour, "{label}");
    }
}

#[test]
fn header_has_read_only_badge_and_freshness() {
    let buf = draw(&state_for(View::Topology), 80, 24);
    let screen = text(&buf);
    assert!(screen.lines().next().unwrap().contains("READ-ONLY"));
    assert!(screen.contains("updated 2s ago"));
    let (x, y) = find(&buf, "READ-ONLY").unwrap();
    assert_eq!(buf[(x, y)].bg, Color::Yellow);
}

/// At the narrowest size the console draws, the header shortens its words instead of cutting
/// them, and READ-ONLY survives a cluster name too long for the line.
#[test]
fn a_narrow_header_shortens_and_keeps_read_only() {
    let first_line = |s: &State, w: u16| text(&draw(s, w, 24)).lines().next().unwrap().to_owned();
    let mut s = state_for(View::Topology);
    let line = first_line(&s, 60);
    assert!(line.contains(" READ-ONLY "), "{line}");
    assert!(line.trim_end().ends_with("2s ago · 0/min"), "{line}");
    s.context.cluster = Some("a-cluster-name-far-too-long-for-sixty-columns-of-header".into());
    let line = first_line(&s, 60);
    assert!(line.contains(" READ-ONLY ") && line.contains('…'), "{line}");
    assert!(line.trim_end().ends_with("2s ago"), "{line}");
    s.context.read_only = false;
    s.context.cluster = Some("navoy".into());
    let line = first_line(&s, 60);
    assert!(
        line.trim_end().ends_with("updated 2s ago · 0 calls/min"),
        "{line}"
    );
}

#[test]
fn a_failed_refresh_shows_a_banner_over_the_old_data() {
    let mut s = State::sample();
    s.banner = Some(crate::app::state::Banner {
        message: "ECS ListTasks: endpoint unreachable".into(),
        at: s.now,
    });
    let buf = draw(&s, 80, 24);
    let screen = text(&buf);
    assert!(screen.contains("refresh failed 0s ago"), "{screen}");
    assert!(screen.contains("STALE 2s"), "{screen}");
    assert!(
        screen.contains("us-east-1b"),
        "the last data stays on screen"
    );
}

#[test]
fn small_terminals_get_a_message_and_never_panic() {
    let s = State::sample();
    for (w, h) in [(1, 1), (2, 1), (10, 3), (59, 24), (80, 14)] {
        let buf = draw(&s, w, h);
        if w >= 20 {
            assert!(text(&buf).contains("enlarge"), "{w}x{h}");
        }
    }
    for view in View::ALL {
        let mut s = state_for(view);
        s.snapshot = Some(crate::model::sample::synthetic(50, 200, 5000, 1000));
        draw(&s, 60, 15);
    }
}

#[test]
fn no_color_theme_keeps_states_apart_by_symbol() {
    let s = state_for(View::Targets);
    let mut t = Terminal::new(TestBackend::new(120, 40)).unwrap();
    t.draw(|f| super::render(f, &s, &Theme::monochrome()))
        .unwrap();
    let buf = t.backend().buffer();
    let screen = text(buf);
    assert!(screen.contains("✖ unhealthy") && screen.contains("● healthy"));
    assert!(
        buf.content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
}

#[test]
fn hostile_names_are_neutralised() {
    let mut s = State::sample();
    if let Some(svcs) = s.snapshot.as_mut().and_then(|snap| snap.services.ok_mut()) {
        svcs[0].name = "evil\x1b]0;pwned\x07".into();
    }
    s.view = View::Services;
    let screen = text(&draw(&s, 120, 40));
    assert!(!screen.contains('\x1b') && !screen.contains('\x07'));
}

#[test]
fn topology_ignores_the_default_vpc_and_its_zones() {
    let mut s = State::sample();
    if let Some(net) = s.snapshot.as_mut().and_then(|snap| snap.network.ok_mut()) {
        let mut default = net.vpcs[0].clone();
        default.id = "vpc-default".into();
        default.is_default = true;
        net.vpcs.insert(0, default);
        for az in ["us-east-1c", "us-east-1d"] {
            let mut sn = net.subnets[0].clone();
            sn.id = format!("subnet-default-{az}");
            sn.vpc_id = "vpc-default".into();
            sn.az = az.into();
            net.subnets.push(sn);
        }
    }
    let screen = text(&draw(&s, 120, 40));
    assert!(screen.contains("VPC navoy vpc-0navoy"), "{screen}");
    assert!(
        !screen.contains("us-east-1c") && !screen.contains("subnet-default"),
        "{screen}"
    );
}

#[test]
fn instances_show_their_tasks_target_health() {
    let buf = draw(&state_for(View::Instances), 80, 24);
    let (x, y) = find(&buf, "◐1 ✖1").unwrap();
    assert_eq!(buf[(x, y)].fg, Color::Yellow);
    assert_eq!(buf[(x + 3, y)].fg, Color::LightRed);
    let (x, y) = find(&buf, "●1").unwrap();
    assert_eq!(buf[(x, y)].fg, Color::Green);
}

#[test]
fn a_large_estate_reads_as_counts_per_instance() {
    let mut s = State::sample();
    s.snapshot = Some(crate::model::sample::synthetic(50, 200, 5000, 1000));
    let screen = text(&draw(&s, 120, 40));
    // 100 tasks per instance: a count per state, worst first, instead of 100 symbols.
    assert!(
        screen.contains("▣ i-00000000000000000 ACTIVE 100 tasks"),
        "{screen}"
    );
    assert!(screen.contains("◌"), "{screen}");
    assert!(screen.contains("●"), "{screen}");
}

#[test]
fn the_logs_title_says_how_lines_arrive() {
    use crate::app::state::TailMode;
    let mut s = state_for(View::Logs);
    s.settings.logs_refresh = std::time::Duration::from_millis(500);
    assert!(text(&draw(&s, 120, 40)).contains("service navoy-app · polling 500 ms following"));
    s.logs.mode = TailMode::Live;
    let buf = draw(&s, 120, 40);
    let (x, y) = find(&buf, "· live following").unwrap();
    assert_eq!(buf[(x + 2, y)].fg, Color::Green);
}

//! The IAM policies shipped for people who run the console allow exactly the calls it makes:
//! the calls are read from the source (every call is named `"Service", "Operation"` where it is
//! made), the actions from `terraform/policies/console-actions.txt` (which the stack test checks
//! against the rendered policies).

use std::collections::BTreeSet;
use std::path::Path;

fn iam_prefix(service: &str) -> Option<&'static str> {
    Some(match service {
        "ECS" => "ecs",
        "EC2" => "ec2",
        "ELBv2" => "elasticloadbalancing",
        "AutoScaling" => "autoscaling",
        "ApplicationAutoScaling" => "application-autoscaling",
        "CloudWatchLogs" => "logs",
        "CloudWatch" => "cloudwatch",
        "STS" => "sts",
        _ => return None,
    })
}

/// Every string literal of a Rust file, in order (enough for `"Service", "Operation"` pairs).
fn literals(src: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = src.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
            }
            '"' => {
                let mut s = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        c => s.push(c),
                    }
                }
                out.push(s);
            }
            _ => {}
        }
    }
    out
}

fn calls_in(dir: &Path, found: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            calls_in(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let lits = literals(&std::fs::read_to_string(&path).unwrap());
            for pair in lits.windows(2) {
                if let Some(prefix) = iam_prefix(&pair[0])
                    && pair[1].chars().next().is_some_and(char::is_uppercase)
                    && pair[1].chars().all(char::is_alphanumeric)
                {
                    found.insert(format!("{prefix}:{}", pair[1]));
                }
            }
        }
    }
}

#[test]
fn policies_allow_exactly_the_calls_the_console_makes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut made = BTreeSet::new();
    calls_in(&root.join("src"), &mut made);
    assert!(made.len() > 20, "found the calls: {made:?}");
    let listed: BTreeSet<String> =
        std::fs::read_to_string(root.join("terraform/policies/console-actions.txt"))
            .unwrap()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('['))
            .map(str::to_owned)
            .collect();
    // PassRole is not an API call: RegisterTaskDefinition needs it to hand the roles to ECS.
    let implied: BTreeSet<String> = ["iam:PassRole".to_owned()].into();
    let missing: Vec<_> = made.difference(&listed).collect();
    let unused: Vec<_> = listed
        .difference(&made)
        .filter(|a| !implied.contains(*a))
        .collect();
    assert!(
        missing.is_empty() && unused.is_empty(),
        "calls the policies lack: {missing:?}; actions the console never calls: {unused:?}"
    );
}

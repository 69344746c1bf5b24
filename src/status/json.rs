//! The stable JSON form of a snapshot (schema `navoy-console/status/v1`, see docs/status-json.md).

use serde::Serialize;

use crate::model::Snapshot;

pub const SCHEMA: &str = "navoy-console/status/v1";

#[derive(Debug, Serialize)]
pub struct StatusContext<'a> {
    pub endpoint: Option<&'a str>,
    pub region: &'a str,
    pub profile: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct Document<'a> {
    schema: &'static str,
    context: StatusContext<'a>,
    #[serde(flatten)]
    snapshot: &'a Snapshot,
}

/// Pretty JSON for the snapshot. Holds no credentials: the model has none to hold.
///
/// # Errors
/// Only if serialisation itself fails.
pub fn render(
    context: StatusContext<'_>,
    snapshot: &Snapshot,
) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&Document {
        schema: SCHEMA,
        context,
        snapshot,
    })
}

#[cfg(test)]
mod tests {
    use super::{StatusContext, render};
    use crate::model::sample;

    #[test]
    fn json_has_the_schema_and_every_section() {
        let snap = sample::seed();
        let ctx = StatusContext {
            endpoint: Some("http://127.0.0.1:4566"),
            region: "us-east-1",
            profile: None,
        };
        let v: serde_json::Value = serde_json::from_str(&render(ctx, &snap).unwrap()).unwrap();
        assert_eq!(v["schema"], "navoy-console/status/v1");
        for key in [
            "network",
            "load_balancers",
            "target_groups",
            "services",
            "tasks",
            "container_instances",
            "auto_scaling_groups",
            "scalable_targets",
        ] {
            assert_eq!(v[key]["status"], "ok", "{key}");
        }
        assert_eq!(v["tasks"]["value"][0]["targets"][0][1], "healthy");
        assert_eq!(v["network"]["value"]["subnets"][0]["tier"], "public");
    }
}

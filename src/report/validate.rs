//! `portsim validate --json` and `portsim validate --paths`: the static report as JSON, and
//! the scenario paths that `sweep`, `compare --vary` and `plan` can set.

use std::fmt::Write;

use serde_json::{Value, json};

use super::json::{SCHEMA_VERSION, pretty};
use super::table::Table;
use super::text::dist_name;
use super::warnings;
use crate::model::{resource_loads, stage_loads};
use crate::scenario::{FieldKind, Scenario, Template};

fn kind_name(kind: FieldKind) -> &'static str {
    match kind {
        FieldKind::Number => "number",
        FieldKind::Duration => "duration",
        FieldKind::Rate => "rate",
    }
}

/// The validation report as a JSON value; with `template`, also the settable paths.
pub fn validation_value(scenario: &Scenario, template: Option<&Template>) -> Value {
    let port = &scenario.port;
    let loads = stage_loads(port, &scenario.run);
    let resources = resource_loads(port, &scenario.run);
    let mut v = json!({
        "schema_version": SCHEMA_VERSION,
        "command": "validate",
        "valid": true,
        "scenario": {"name": port.name, "file": scenario.origin},
        "seed": scenario.run.seed,
        "days": scenario.run.days,
        "warmup_days": scenario.run.warmup_days,
        "replications": scenario.experiment.replications,
        "demand_per_day": port.mean_arrivals_per_day(&scenario.run),
        "stages": port.stages.iter().zip(&loads).map(|(s, l)| json!({
            "name": s.name,
            "servers": s.servers,
            "service_dist": dist_name(s.service.spec()),
            "service_mean_min": if l.visits_per_day > 0.0 { l.work_min_per_day / l.visits_per_day } else { s.service.mean() },
            "visits_per_day": l.visits_per_day,
            "open_server_min_per_day": l.open_min_per_day,
            "stranded_per_day": l.stranded_per_day,
            "offered_load": if l.offered_load.is_finite() { json!(l.offered_load) } else { Value::Null },
            "overloaded": l.is_overloaded(),
        })).collect::<Vec<_>>(),
        "resources": resources.iter().map(|r| json!({
            "name": r.name,
            "demand_per_day": r.demand_per_day,
            "capacity_per_day": if r.capacity_per_day.is_finite() { json!(r.capacity_per_day) } else { Value::Null },
            "offered_load": if r.offered_load.is_finite() { json!(r.offered_load) } else { Value::Null },
        })).collect::<Vec<_>>(),
        "warnings": warnings(port, &loads, &resources),
    });
    if let Some(t) = template {
        v["paths"] = Value::Array(
            t.fields()
                .iter()
                .map(|f| {
                    json!({
                        "path": f.path,
                        "kind": kind_name(f.kind),
                        "value": f.current,
                    })
                })
                .collect(),
        );
    }
    v
}

/// The validation report as pretty JSON.
pub fn validation_json(scenario: &Scenario, template: Option<&Template>) -> String {
    pretty(&validation_value(scenario, template))
}

/// The settable paths of a scenario, one a line, with kind and current value.
pub fn paths_text(template: &Template) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Paths that `sweep --set`, `compare --vary` and `run --set` accept ({} in all):",
        template.fields().len()
    );
    let mut t = Table::new(["path", "kind", "value in the file"]);
    for f in template.fields() {
        t.row(vec![
            f.path.clone(),
            kind_name(f.kind).into(),
            f.current.clone().unwrap_or_else(|| "(not set)".into()),
        ]);
    }
    out.push_str(&t.render(2));
    out
}

//! Key figures: the handful of figures that `compare` and `sweep` put side by side, addressed
//! by their path in the single-run JSON (`clearance_min.p95`, `stages.declaration.utilization`).
//!
//! A figure is read from each replication's single-run JSON, so adding a figure here is one
//! line, and any key of the single-run JSON can become one.

use rayon::prelude::*;
use serde_json::{Value, json};

use super::aggregate::lookup;
use super::json::json_value;
use crate::experiment::Outcome;
use crate::scenario::{Assignment, FieldKind, Scenario};

/// A figure to compare across configurations.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyFigure {
    /// Path in the single-run JSON.
    pub key: String,
    /// Label for people.
    pub label: String,
    /// Factor applied to the value for people (100 for percentages).
    pub scale: f64,
    /// Decimals shown to people.
    pub decimals: usize,
}

fn fixed(key: &str, label: &str, scale: f64, decimals: usize) -> KeyFigure {
    KeyFigure {
        key: key.into(),
        label: label.into(),
        scale,
        decimals,
    }
}

/// The key figures of `scenarios`: port-wide ones, then per stage (by name, first appearance
/// first). `full` adds the median, p90, vehicles in the port and the p95 and queue of every
/// stage.
pub fn key_figures(scenarios: &[&Scenario], full: bool) -> Vec<KeyFigure> {
    let mut out = vec![fixed("clearance_min.mean", "clearance mean, min", 1.0, 2)];
    if full {
        out.push(fixed("clearance_min.p50", "clearance p50, min", 1.0, 2));
        out.push(fixed("clearance_min.p90", "clearance p90, min", 1.0, 2));
    }
    out.push(fixed("clearance_min.p95", "clearance p95, min", 1.0, 2));
    out.push(fixed("throughput_per_day.mean", "cleared per day", 1.0, 1));
    if full {
        out.push(fixed(
            "vehicles.mean_in_system",
            "vehicles in the port, mean",
            1.0,
            2,
        ));
    }
    let mut names: Vec<&str> = Vec::new();
    for s in scenarios {
        for stage in &s.port.stages {
            if !names.contains(&stage.name.as_str()) {
                names.push(&stage.name);
            }
        }
    }
    for name in names {
        out.push(fixed(
            &format!("stages.{name}.wait_min.mean"),
            &format!("{name} wait mean, min"),
            1.0,
            2,
        ));
        if full {
            out.push(fixed(
                &format!("stages.{name}.wait_min.p95"),
                &format!("{name} wait p95, min"),
                1.0,
                2,
            ));
        }
        out.push(fixed(
            &format!("stages.{name}.utilization"),
            &format!("{name} utilisation %"),
            100.0,
            1,
        ));
        if full {
            out.push(fixed(
                &format!("stages.{name}.queue_mean"),
                &format!("{name} queue mean"),
                1.0,
                2,
            ));
        }
    }
    out
}

/// Each figure's value in each replication: `values[figure][replication]` (`None` where the
/// figure does not exist for this scenario).
pub fn values(
    scenario: &Scenario,
    outcomes: &[Outcome],
    figures: &[KeyFigure],
) -> Vec<Option<Vec<f64>>> {
    let runs: Vec<Value> = outcomes
        .par_iter()
        .map(|o| json_value(scenario, o))
        .collect();
    figures
        .iter()
        .map(|f| {
            runs.iter()
                .map(|r| lookup(r, &f.key).and_then(Value::as_f64))
                .collect()
        })
        .collect()
}

/// The settings of a configuration as JSON: `[{path, text, value}]`, values in minutes
/// (durations) or per minute (rates).
pub fn settings_json(settings: &[Assignment]) -> Value {
    Value::Array(
        settings
            .iter()
            .map(|a| {
                json!({
                    "path": a.field.path,
                    "kind": match a.field.kind {
                        FieldKind::Number => "number",
                        FieldKind::Duration => "duration_min",
                        FieldKind::Rate => "rate_per_min",
                    },
                    "text": a.value.text,
                    "value": a.value.number,
                })
            })
            .collect(),
    )
}

//! `portsim run --replications N`: the summary of N replications, every figure with its 95 %
//! confidence interval.
//!
//! The JSON is [`aggregate`] of the single-run objects, plus the replication keys
//! (`replications`, `replication_seeds`...). The text reads its figures from that same
//! object, so the two never disagree.

use std::fmt::Write;

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use super::aggregate::{CONFIDENCE, aggregate, lookup, mean_hw};
use super::json::{SCHEMA_VERSION, json_value};
use super::static_warnings;
use super::table::{Table, human_minutes};
use super::text::{header, push_body, roster_table};
use crate::experiment::{Replicated, replication_seed};
use crate::scenario::Scenario;

/// The replicated summary as a JSON value.
pub fn replicated_value(scenario: &Scenario, rep: &Replicated) -> Value {
    // Each replication's summary in parallel (collected in order: same bytes at any thread
    // count).
    let runs: Vec<Value> = rep
        .outcomes
        .par_iter()
        .map(|o| json_value(scenario, o))
        .collect();
    let seeds: Vec<u64> = rep
        .indices
        .iter()
        .map(|&i| replication_seed(rep.run.seed, u64::from(i)))
        .collect();
    let extra = [
        ("replications", json!(rep.outcomes.len())),
        ("replications_requested", json!(rep.requested)),
        ("confidence_level", json!(CONFIDENCE)),
        ("replication_seeds", json!(seeds)),
        ("interrupted", json!(rep.interrupted)),
    ];
    let aggregated = aggregate(&runs);
    let mut out = Map::new();
    let Value::Object(fields) = aggregated else {
        // Stopped before any replication finished.
        out.insert("schema_version".into(), json!(SCHEMA_VERSION));
        out.insert(
            "scenario".into(),
            json!({"name": scenario.port.name, "file": scenario.origin}),
        );
        out.insert("seed".into(), json!(rep.run.seed));
        out.insert("days".into(), json!(rep.run.days));
        out.insert("warmup_days".into(), json!(rep.run.warmup_days));
        for (k, v) in extra {
            out.insert(k.into(), v);
        }
        return Value::Object(out);
    };
    for (k, v) in fields {
        let v = if k == "seed" { json!(rep.run.seed) } else { v };
        let after_warmup = k == "warmup_days";
        out.insert(k, v);
        if after_warmup {
            for (k, v) in &extra {
                out.insert((*k).into(), v.clone());
            }
        }
    }
    Value::Object(out)
}

/// The replicated summary as pretty JSON, ending in a newline.
pub fn replicated_json(scenario: &Scenario, rep: &Replicated) -> String {
    super::json::pretty(&replicated_value(scenario, rep))
}

/// `12.3 ± 0.4` with `decimals` decimals (`± ?` without an interval).
pub(super) fn pm(mean: f64, hw: f64, decimals: usize) -> String {
    if hw.is_finite() {
        format!("{mean:.decimals$} ± {hw:.decimals$}")
    } else {
        format!("{mean:.decimals$} ± ?")
    }
}

/// The figure at `path` of `v` as `mean ± half-width`, scaled by `scale`.
fn fig(v: &Value, path: &str, scale: f64, decimals: usize) -> String {
    mean_hw(v, path).map_or_else(
        || "—".to_string(),
        |(m, h)| pm(m * scale, h * scale, decimals),
    )
}

/// The text summary of the replications.
pub fn replicated_summary(scenario: &Scenario, rep: &Replicated) -> String {
    let port = &scenario.port;
    let v = replicated_value(scenario, rep);
    let mut out = String::new();
    let w = &mut out;
    header(w, scenario, &rep.run);
    let n = rep.outcomes.len();
    let _ = writeln!(
        w,
        "{n} replication{} (replication i runs with a seed derived from master seed {} and i; `--json` lists them).",
        if n == 1 { "" } else { "s" },
        rep.run.seed
    );
    let _ = writeln!(
        w,
        "Every figure is the mean over the replications ± the half-width of its 95 % confidence interval (Student t).\n"
    );
    if rep.interrupted {
        let _ = writeln!(
            w,
            "INTERRUPTED: {n} of {} replications finished; the figures below are theirs.\n",
            rep.requested
        );
    }
    for warning in static_warnings(port, &scenario.run) {
        let _ = writeln!(w, "WARNING: {warning}\n");
    }
    if n == 0 {
        let _ = writeln!(w, "No replication finished.");
        return out;
    }

    let _ = writeln!(w, "Vehicles (per replication)");
    let mut t = Table::new(["", ""]);
    for (label, path, d) in [
        ("arrived", "vehicles.arrived", 1),
        ("cleared", "vehicles.cleared", 1),
        ("in the port at end", "vehicles.in_system_at_end", 1),
        ("mean in the port", "vehicles.mean_in_system", 2),
        ("cleared per day: mean", "throughput_per_day.mean", 1),
        ("cleared per day: lowest day", "throughput_per_day.min", 1),
        ("cleared per day: highest day", "throughput_per_day.max", 1),
    ] {
        t.row(vec![label.into(), fig(&v, path, 1.0, d)]);
    }
    push_body(w, &t);

    let _ = writeln!(w, "Clearance time, minutes (arrival to release by customs)");
    let mut t = Table::new(["", "mean ± 95 % CI"]);
    for stat in ["mean", "p50", "p90", "p95", "p99", "max"] {
        t.row(vec![
            stat.into(),
            fig(&v, &format!("clearance_min.{stat}"), 1.0, 2),
        ]);
    }
    let mut body = t.render(2);
    if let (Some((m, _)), Some((p, _))) = (
        mean_hw(&v, "clearance_min.mean"),
        mean_hw(&v, "clearance_min.p95"),
    ) {
        let _ = writeln!(
            body,
            "  = mean {}, p95 {}",
            human_minutes(m),
            human_minutes(p)
        );
    }
    let _ = writeln!(w, "{body}");

    let _ = writeln!(w, "Stages (waits in minutes)");
    let mut t = Table::new([
        "stage",
        "servers",
        "utilisation %",
        "wait mean",
        "wait p95",
        "queue mean",
        "overtime h/day",
    ]);
    for stage in &port.stages {
        let at = |f: &str| format!("stages.{}.{f}", stage.name);
        t.row(vec![
            stage.name.clone(),
            stage.servers.to_string(),
            fig(&v, &at("utilization"), 100.0, 1),
            fig(&v, &at("wait_min.mean"), 1.0, 2),
            fig(&v, &at("wait_min.p95"), 1.0, 2),
            fig(&v, &at("queue_mean"), 1.0, 2),
            fig(&v, &at("overtime_min_per_day"), 1.0 / 60.0, 2),
        ]);
    }
    push_body(w, &t);

    if let Some(t) = roster_table(port) {
        let _ = writeln!(
            w,
            "Servers open by shift (handover: {} at each change runs the lower of the two)",
            human_minutes(port.roster.as_ref().map_or(0.0, |r| r.handover.minutes()))
        );
        push_body(w, &t);
    }
    let days = lookup(&v, "daily")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    let _ = writeln!(
        w,
        "`--json` gives every figure of the single-run summary (by stage, hour and each of the {days} days) with its interval."
    );
    out
}

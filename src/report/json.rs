//! The JSON object printed by `portsim run --json`.
//!
//! Stable, documented keys (docs/output.md): times in minutes with `_min` in their names,
//! daily figures with `per_day`. Key order is fixed and floats are written in shortest
//! round-trip form, so the same results always give the same bytes.

use serde_json::{Value, json};

use super::warnings;
use crate::experiment::Outcome;
use crate::model::{DailyRange, GroupResult};
use crate::scenario::{Scenario, format_clock};
use crate::stats::Summary;

/// Version of the JSON layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

fn quantiles(s: &Summary) -> Value {
    json!({
        "count": s.count, "mean": s.mean, "p50": s.p50, "p90": s.p90,
        "p95": s.p95, "p99": s.p99, "max": s.max,
    })
}

fn range(r: DailyRange) -> Value {
    json!({ "mean": r.mean, "min": r.min, "max": r.max })
}

/// `null` for infinite values (a stage that never opens).
fn finite(x: f64) -> Value {
    if x.is_finite() {
        json!(x + 0.0)
    } else {
        Value::Null
    }
}

fn group(g: &GroupResult, stage_names: &[&str]) -> Value {
    json!({
        "dimension": g.dimension,
        "name": g.name,
        "arrived": g.arrived,
        "cleared": g.cleared,
        "crossed": g.crossed,
        "in_system_at_start": g.in_system_at_start,
        "in_system_at_end": g.in_system_at_end,
        "clearance_min": quantiles(&g.clearance),
        "crossing_min": quantiles(&g.crossing),
        "yard_min": quantiles(&g.yard),
        "stage_wait_min": g.stage_wait.iter().zip(stage_names).map(|(s, name)| {
            let mut q = quantiles(s);
            q.as_object_mut().expect("object").insert("stage".into(), json!(name));
            q
        }).collect::<Vec<_>>(),
        "daily": g.daily.iter().enumerate().map(|(i, d)| json!({
            "day": i + 1, "arrived": d.arrived, "cleared": d.cleared, "crossed": d.crossed,
        })).collect::<Vec<_>>(),
    })
}

/// The JSON summary of one run, pretty-printed, ending in a newline.
pub fn json(scenario: &Scenario, outcome: &Outcome) -> String {
    let mut s = serde_json::to_string_pretty(&json_value(scenario, outcome))
        .expect("plain data always serializes");
    s.push('\n');
    s
}

/// The JSON summary of one run as a value (for callers that combine runs).
pub fn json_value(scenario: &Scenario, outcome: &Outcome) -> Value {
    let (port, r) = (&scenario.port, &outcome.result);
    let stage_names: Vec<&str> = port.stages.iter().map(|s| s.name.as_str()).collect();
    let v = &r.vehicles;
    let stages: Vec<Value> = port
        .stages
        .iter()
        .enumerate()
        .zip(&r.stages)
        .zip(&outcome.loads)
        .map(|(((i, stage), s), load)| {
            let by_shift: Vec<Value> = port
                .roster
                .iter()
                .flat_map(|roster| {
                    roster.shifts.iter().enumerate().map(move |(k, shift)| {
                        json!({
                            "shift": shift.name,
                            "start": format_clock(shift.start.minutes()),
                            "end": format_clock(shift.end.minutes()),
                            "servers": roster.open_servers(k, i, stage),
                        })
                    })
                })
                .collect();
            json!({
                "name": stage.name,
                "servers": stage.servers,
                "served": s.served,
                "served_vehicles": s.served_vehicles,
                "utilization": s.utilization,
                "offered_load": finite(load.offered_load),
                "overloaded": load.is_overloaded(),
                "wait_min": quantiles(&s.wait),
                "queue_mean": s.queue_mean,
                "servers_open_mean": s.servers_open_mean,
                "overtime_min": s.overtime_min,
                "overtime_min_per_day": s.overtime_min / f64::from(r.days),
                "lanes": s.lanes.iter().zip(&stage.lanes).map(|(l, config)| json!({
                    "name": l.name,
                    "servers": config.servers,
                    "utilization": l.utilization,
                    "servers_open_mean": l.servers_open_mean,
                })).collect::<Vec<_>>(),
                "servers_open_by_shift": by_shift,
                "hourly": s.hourly.iter().enumerate().map(|(h, x)| json!({
                    "hour": h,
                    "queue_mean": x.queue_mean,
                    "servers_open_mean": x.servers_open_mean,
                    "utilization": x.utilization,
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "scenario": { "name": port.name, "file": scenario.origin },
        "seed": r.seed,
        "days": r.days,
        "warmup_days": r.warmup_days,
        "warnings": warnings(port, &outcome.loads, &outcome.resources),
        "vehicles": {
            "arrived": v.arrived,
            "cleared": v.cleared,
            "crossed": v.crossed,
            "in_system_at_start": v.in_system_at_start,
            "in_system_at_end": v.in_system_at_end,
            "mean_in_system": v.mean_in_system,
            "at_end": {
                "stages": v.at_end.stages,
                "yard": v.at_end.yard,
                "aboard_carriers": v.at_end.aboard_carriers,
                "exit": v.at_end.exit,
            },
        },
        "conveyances": { "cleared": r.conveyances.cleared, "crossed": r.conveyances.crossed },
        "clearance_min": quantiles(&r.clearance),
        "crossing_min": quantiles(&r.crossing),
        "throughput_per_day": range(r.throughput_per_day()),
        "conveyances_per_day": range(r.conveyances_per_day()),
        "crossings_per_day": range(r.crossings_per_day()),
        "stages": stages,
        "groups": r.groups.iter().map(|g| group(g, &stage_names)).collect::<Vec<_>>(),
        "drivers": r.drivers.as_ref().map(|d| json!({
            "pool": d.pool,
            "utilization": d.utilization,
            "waiting_mean": d.waiting_mean,
            "wait_min": quantiles(&d.wait),
        })),
        "carriers": r.carriers.as_ref().map(|c| json!({
            "fleet": c.fleet,
            "utilization": c.utilization,
            "idle_mean": c.idle_mean,
            "loading_mean": c.loading_mean,
            "in_port_mean": c.in_port_mean,
            "returning_mean": c.returning_mean,
            "trips": c.trips,
            "vehicles_per_trip": c.vehicles_per_trip,
            "waiting_mean": c.waiting_mean,
            "loading_wait_min": quantiles(&c.loading_wait),
        })),
        "exit": r.exit.as_ref().map(|e| json!({
            "queue_mean": e.queue_mean,
            "wait_min": quantiles(&e.wait),
            "waiting_at_end": e.waiting_at_end,
        })),
        "resources": outcome.resources.iter().map(|x| json!({
            "name": x.name,
            "demand_per_day": x.demand_per_day,
            "capacity_per_day": finite(x.capacity_per_day),
            "offered_load": finite(x.offered_load),
        })).collect::<Vec<_>>(),
        "daily": r.daily.iter().map(|d| json!({
            "day": d.day,
            "arrived": d.arrived,
            "cleared": d.cleared,
            "cleared_conveyances": d.cleared_conveyances,
            "crossed": d.crossed,
            "crossed_conveyances": d.crossed_conveyances,
            "backlog_at_midnight": d.backlog_at_midnight,
        })).collect::<Vec<_>>(),
        "hourly": r.hourly.iter().map(|h| json!({
            "hour": h.hour,
            "arrived_per_day": h.arrived_per_day,
            "cleared_per_day": h.cleared_per_day,
            "crossed_per_day": h.crossed_per_day,
        })).collect::<Vec<_>>(),
        "events": r.events,
    })
}

/// `v` pretty-printed, ending in a newline.
pub(super) fn pretty(v: &Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("JSON values always serialize");
    s.push('\n');
    s
}

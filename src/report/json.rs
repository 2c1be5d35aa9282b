//! The JSON object printed by `portsim run --json`.
//!
//! Stable, documented keys (docs/output.md): times in minutes with `_min` in their names,
//! daily figures with `per_day`. Floats are written in shortest round-trip form, so the same
//! results always give the same bytes.

use serde::Serialize;

use super::warnings;
use crate::experiment::Outcome;
use crate::scenario::{Scenario, format_clock};
use crate::stats::Summary;

/// Version of the JSON layout; bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Run<'a> {
    schema_version: u32,
    scenario: ScenarioInfo<'a>,
    seed: u64,
    days: u32,
    warmup_days: u32,
    warnings: Vec<String>,
    vehicles: Vehicles,
    clearance_min: Quantiles,
    throughput_per_day: Range,
    stages: Vec<Stage<'a>>,
    daily: Vec<Day>,
    hourly: Vec<Hour>,
    events: u64,
}

#[derive(Serialize)]
struct ScenarioInfo<'a> {
    name: &'a str,
    file: &'a str,
}

#[derive(Serialize)]
struct Vehicles {
    arrived: u64,
    cleared: u64,
    in_system_at_start: u64,
    in_system_at_end: u64,
    mean_in_system: f64,
}

#[derive(Serialize)]
struct Quantiles {
    count: u64,
    mean: f64,
    p50: f64,
    p90: f64,
    p95: f64,
    p99: f64,
    max: f64,
}

impl From<&Summary> for Quantiles {
    fn from(s: &Summary) -> Quantiles {
        Quantiles {
            count: s.count,
            mean: s.mean,
            p50: s.p50,
            p90: s.p90,
            p95: s.p95,
            p99: s.p99,
            max: s.max,
        }
    }
}

#[derive(Serialize)]
struct Range {
    mean: f64,
    min: f64,
    max: f64,
}

#[derive(Serialize)]
struct Stage<'a> {
    name: &'a str,
    servers: u32,
    served: u64,
    utilization: f64,
    /// `null` when the stage never opens but has demand.
    offered_load: Option<f64>,
    overloaded: bool,
    wait_min: Quantiles,
    queue_mean: f64,
    servers_open_mean: f64,
    overtime_min: f64,
    overtime_min_per_day: f64,
    servers_open_by_shift: Vec<ShiftOpen<'a>>,
    hourly: Vec<StageHour>,
}

#[derive(Serialize)]
struct ShiftOpen<'a> {
    shift: &'a str,
    start: String,
    end: String,
    servers: u32,
}

#[derive(Serialize)]
struct StageHour {
    hour: u32,
    queue_mean: f64,
    servers_open_mean: f64,
    utilization: f64,
}

#[derive(Serialize)]
struct Day {
    day: u32,
    arrived: u64,
    cleared: u64,
    backlog_at_midnight: u64,
}

#[derive(Serialize)]
struct Hour {
    hour: u32,
    arrived_per_day: f64,
    cleared_per_day: f64,
}

/// The JSON summary of one run, pretty-printed, ending in a newline.
pub fn json(scenario: &Scenario, outcome: &Outcome) -> String {
    let mut s = serde_json::to_string_pretty(&json_value(scenario, outcome))
        .expect("plain data always serializes");
    s.push('\n');
    s
}

/// The JSON summary of one run as a value (for callers that combine runs).
pub fn json_value(scenario: &Scenario, outcome: &Outcome) -> serde_json::Value {
    let (port, r) = (&scenario.port, &outcome.result);
    let tp = r.throughput_per_day();
    let stages = port
        .stages
        .iter()
        .enumerate()
        .zip(&r.stages)
        .zip(&outcome.loads)
        .map(|(((i, stage), s), load)| Stage {
            name: &stage.name,
            servers: stage.servers,
            served: s.served,
            utilization: s.utilization,
            offered_load: load.offered_load.is_finite().then_some(load.offered_load),
            overloaded: load.is_overloaded(),
            wait_min: (&s.wait).into(),
            queue_mean: s.queue_mean,
            servers_open_mean: s.servers_open_mean,
            overtime_min: s.overtime_min,
            overtime_min_per_day: s.overtime_min / f64::from(r.days),
            servers_open_by_shift: port
                .roster
                .iter()
                .flat_map(|roster| {
                    roster
                        .shifts
                        .iter()
                        .enumerate()
                        .map(move |(k, shift)| ShiftOpen {
                            shift: &shift.name,
                            start: format_clock(shift.start.minutes()),
                            end: format_clock(shift.end.minutes()),
                            servers: roster.open_servers(
                                k,
                                i,
                                stage.servers,
                                stage.staff_per_server,
                            ),
                        })
                })
                .collect(),
            hourly: s
                .hourly
                .iter()
                .enumerate()
                .map(|(h, x)| StageHour {
                    hour: h as u32,
                    queue_mean: x.queue_mean,
                    servers_open_mean: x.servers_open_mean,
                    utilization: x.utilization,
                })
                .collect(),
        })
        .collect();
    let doc = Run {
        schema_version: SCHEMA_VERSION,
        scenario: ScenarioInfo {
            name: &port.name,
            file: &scenario.origin,
        },
        seed: r.seed,
        days: r.days,
        warmup_days: r.warmup_days,
        warnings: warnings(port, &outcome.loads),
        vehicles: Vehicles {
            arrived: r.vehicles.arrived,
            cleared: r.vehicles.cleared,
            in_system_at_start: r.vehicles.in_system_at_start,
            in_system_at_end: r.vehicles.in_system_at_end,
            mean_in_system: r.vehicles.mean_in_system,
        },
        clearance_min: (&r.clearance).into(),
        throughput_per_day: Range {
            mean: tp.mean,
            min: tp.min,
            max: tp.max,
        },
        stages,
        daily: r
            .daily
            .iter()
            .map(|d| Day {
                day: d.day,
                arrived: d.arrived,
                cleared: d.cleared,
                backlog_at_midnight: d.backlog_at_midnight,
            })
            .collect(),
        hourly: r
            .hourly
            .iter()
            .map(|h| Hour {
                hour: h.hour,
                arrived_per_day: h.arrived_per_day,
                cleared_per_day: h.cleared_per_day,
            })
            .collect(),
        events: r.events,
    };
    serde_json::to_value(&doc).expect("plain data always serializes")
}

/// `v` pretty-printed, ending in a newline.
pub(super) fn pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("JSON values always serialize");
    s.push('\n');
    s
}

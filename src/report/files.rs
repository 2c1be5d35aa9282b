//! The CSV files of `--out DIR`: `daily.csv`, `hourly.csv` and (with `--trace`) `vehicles.csv`.
//!
//! One row per day (or hour, or vehicle) and replication; commands that run several
//! configurations (compare, sweep) add a first column naming the configuration. Configurations
//! may differ in their stages: the columns are the union of their stages (by name, in order of
//! first appearance), empty for a configuration without that stage. Times are in
//! minutes since 00:00 of simulated day 0, or minutes of duration, written in shortest
//! round-trip form, so the same results always give the same bytes. Columns are documented in
//! docs/output.md.

use crate::experiment::Outcome;
use crate::model::{Mode, Port, RunResult};
use crate::scenario::format_clock;

/// One run to write: the configuration it belongs to (if several), its port, its replication
/// index and its outcome.
pub struct Labeled<'a> {
    /// The configuration's label (`A`, `B`, a sweep point), or `None` for a single one.
    pub label: Option<String>,
    /// The port the run simulated.
    pub port: &'a Port,
    /// Replication index, from 0.
    pub replication: u32,
    /// The run.
    pub outcome: &'a Outcome,
}

/// Accumulates CSV text (values never contain commas, quotes or newlines: names are checked
/// by the scenario loader to letters, digits, `_` and `-`).
struct Csv(String);

impl Csv {
    fn new(header: &[String]) -> Csv {
        let mut c = Csv(String::new());
        c.row(header.iter().map(String::as_str));
        c
    }

    fn row<'s>(&mut self, cells: impl IntoIterator<Item = &'s str>) {
        let mut first = true;
        for cell in cells {
            if !first {
                self.0.push(',');
            }
            first = false;
            self.0.push_str(cell);
        }
        self.0.push('\n');
    }
}

fn num(x: f64) -> String {
    format!("{}", x + 0.0) // shortest round trip; no negative zero
}

fn opt(x: Option<f64>) -> String {
    x.map_or(String::new(), num)
}

/// Loading modes any of the ports uses, in report order.
fn modes(runs: &[Labeled<'_>]) -> Vec<Mode> {
    if runs.iter().any(|r| r.port.has_carriers()) {
        Mode::ALL.to_vec()
    } else {
        vec![Mode::SelfDriving]
    }
}

/// Stage names over all the runs' ports, in order of first appearance.
fn stage_names<'p>(runs: &[Labeled<'p>]) -> Vec<&'p str> {
    let mut names: Vec<&str> = Vec::new();
    for run in runs {
        for s in &run.port.stages {
            if !names.contains(&s.name.as_str()) {
                names.push(&s.name);
            }
        }
    }
    names
}

/// For each of `names`, the index of the stage of that name in `port`.
fn stage_indices(port: &Port, names: &[&str]) -> Vec<Option<usize>> {
    names
        .iter()
        .map(|n| port.stages.iter().position(|s| s.name == *n))
        .collect()
}

fn key_header(runs: &[Labeled<'_>]) -> Vec<String> {
    let mut h = Vec::new();
    if runs.iter().any(|r| r.label.is_some()) {
        h.push("configuration".to_string());
    }
    h.push("replication".to_string());
    h
}

fn key_cells(runs: &[Labeled<'_>], run: &Labeled<'_>) -> Vec<String> {
    let mut c = Vec::new();
    if runs.iter().any(|r| r.label.is_some()) {
        c.push(run.label.clone().unwrap_or_default());
    }
    c.push(run.replication.to_string());
    c
}

/// `daily.csv`: one row per measured day and replication; totals, then by loading mode.
pub fn daily_csv(runs: &[Labeled<'_>]) -> String {
    let modes = modes(runs);
    let mut header = key_header(runs);
    header.extend(
        [
            "day",
            "arrived",
            "cleared",
            "cleared_conveyances",
            "crossed",
            "crossed_conveyances",
            "backlog_at_midnight",
        ]
        .map(String::from),
    );
    for m in &modes {
        for what in ["arrived", "cleared", "cleared_conveyances", "crossed"] {
            header.push(format!("{what}_{}", m.name()));
        }
    }
    let mut csv = Csv::new(&header);
    for run in runs {
        let r = &run.outcome.result;
        let by_mode: Vec<Option<&crate::model::GroupResult>> =
            modes.iter().map(|m| r.group("mode", m.name())).collect();
        for (i, d) in r.daily.iter().enumerate() {
            let mut cells = key_cells(runs, run);
            cells.extend([
                d.day.to_string(),
                d.arrived.to_string(),
                d.cleared.to_string(),
                d.cleared_conveyances.to_string(),
                d.crossed.to_string(),
                d.crossed_conveyances.to_string(),
                d.backlog_at_midnight.to_string(),
            ]);
            // Self-driving vehicles are conveyances of their own; the rest of the conveyances
            // are carriers.
            let own = by_mode[0]
                .and_then(|g| g.daily.get(i))
                .map_or(0, |g| g.cleared);
            for (m, g) in modes.iter().zip(&by_mode) {
                let day = g.and_then(|g| g.daily.get(i)).copied().unwrap_or_default();
                let conveyances = match m {
                    Mode::SelfDriving => day.cleared,
                    Mode::CageTruck => d.cleared_conveyances.saturating_sub(own),
                };
                cells.extend([
                    day.arrived.to_string(),
                    day.cleared.to_string(),
                    conveyances.to_string(),
                    day.crossed.to_string(),
                ]);
            }
            csv.row(cells.iter().map(String::as_str));
        }
    }
    csv.0
}

/// `hourly.csv`: one row per measured hour and replication (the runs must have recorded their
/// timeline): arrivals, clearances, crossings, vehicles in the port, and per stage the mean
/// queue, the mean open servers and the utilisation.
pub fn hourly_csv(runs: &[Labeled<'_>]) -> String {
    let names = stage_names(runs);
    let mut header = key_header(runs);
    header.extend(
        [
            "hour", "day", "clock", "arrived", "cleared", "crossed", "in_port",
        ]
        .map(String::from),
    );
    for name in &names {
        for what in ["queue", "servers_open", "utilization"] {
            header.push(format!("{what}_{name}"));
        }
    }
    let mut csv = Csv::new(&header);
    for run in runs {
        let r: &RunResult = &run.outcome.result;
        let at = stage_indices(run.port, &names);
        for h in &r.timeline {
            let mut cells = key_cells(runs, run);
            cells.extend([
                h.hour.to_string(),
                (h.hour / 24 + 1).to_string(),
                format_clock(f64::from(h.hour % 24) * 60.0),
                h.arrived.to_string(),
                h.cleared.to_string(),
                h.crossed.to_string(),
                h.in_port.to_string(),
            ]);
            for k in &at {
                match k.map(|k| &h.stages[k]) {
                    Some(st) => cells.extend([
                        num(st.queue_mean),
                        num(st.servers_open_mean),
                        num(st.utilization),
                    ]),
                    None => cells.extend([String::new(), String::new(), String::new()]),
                }
            }
            csv.row(cells.iter().map(String::as_str));
        }
    }
    csv.0
}

/// `vehicles.csv`: one row per vehicle (the runs must have kept vehicle records): its
/// attributes, arrival, queue entry, start and end at each stage, yard, carrier, clearance and
/// crossing. Instants are minutes since 00:00 of simulated day 0; empty where it did not get
/// that far.
pub fn vehicles_csv(runs: &[Labeled<'_>]) -> String {
    let names = stage_names(runs);
    let mut header = key_header(runs);
    header.extend(
        [
            "vehicle",
            "stream",
            "class",
            "mode",
            "declaration",
            "green",
            "measured",
            "arrival_min",
        ]
        .map(String::from),
    );
    for name in &names {
        for what in ["queued_min", "start_min", "end_min", "lane"] {
            header.push(format!("{name}_{what}"));
        }
    }
    header.extend(
        [
            "yard_in_min",
            "yard_out_min",
            "carrier",
            "trip",
            "cleared_min",
            "crossed_min",
            "clearance_min",
            "crossing_min",
        ]
        .map(String::from),
    );
    let mut csv = Csv::new(&header);
    for run in runs {
        let port = run.port;
        let at = stage_indices(port, &names);
        for v in &run.outcome.result.vehicle_records {
            let mut cells = key_cells(runs, run);
            cells.extend([
                v.id.to_string(),
                port.arrivals[v.stream].name.clone(),
                port.classes[v.class].name.clone(),
                v.mode.name().to_string(),
                port.declarations[v.declaration].name.clone(),
                v.green.to_string(),
                v.measured.to_string(),
                num(v.arrival.minutes()),
            ]);
            for k in &at {
                let visit = k.and_then(|k| v.visits.iter().find(|x| x.stage == k));
                match visit {
                    Some(x) => cells.extend([
                        num(x.queued.minutes()),
                        opt(x.start.map(|t| t.minutes())),
                        opt(x.end.map(|t| t.minutes())),
                        x.lane.map_or(String::new(), |g| {
                            port.stages[x.stage].lanes[g].name.clone()
                        }),
                    ]),
                    None => {
                        cells.extend([String::new(), String::new(), String::new(), String::new()]);
                    }
                }
            }
            let since = |t: Option<crate::engine::Time>| t.map(|t| (t - v.arrival).minutes());
            cells.extend([
                opt(v.yard.map(|y| y.0.minutes())),
                opt(v.yard.map(|y| y.1.minutes())),
                v.carrier.map_or(String::new(), |c| c.to_string()),
                v.trip.map_or(String::new(), |t| t.to_string()),
                opt(v.cleared.map(|t| t.minutes())),
                opt(v.crossed.map(|t| t.minutes())),
                opt(since(v.cleared)),
                opt(since(v.crossed)),
            ]);
            csv.row(cells.iter().map(String::as_str));
        }
    }
    csv.0
}

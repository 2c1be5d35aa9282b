//! Process-mining event logs: `--events FILE.csv` (one row per event, a case per vehicle) and
//! `--ocel FILE.json` (OCEL 2.0, with vehicles and carriers as objects).
//!
//! Events come from the vehicle records: `arrive`; `queue`, `start` and `end` at each stage;
//! `enter yard` and `leave yard`; `cleared` (released by customs) and `crossed`. Simulated day
//! 0 is written as 2024-01-01, so that tools get real timestamps; the offsets are exact.

use std::fmt::Write;

use serde_json::{Value, json};

use super::files::Labeled;
use crate::model::{Mode, Port, VehicleRecord};

/// One event of one vehicle.
struct Event {
    activity: String,
    minutes: f64,
    resource: String,
    /// The carrier it travels aboard, for a cage vehicle's events after the yard.
    carrier: Option<u32>,
    /// (run, vehicle record) indices.
    record: (usize, usize),
}

/// `2024-01-01T07:15:30.500` for `minutes` after 00:00 of day 0 (milliseconds, rounded).
fn timestamp(minutes: f64) -> String {
    let ms = (minutes * 60_000.0).round() as i64;
    let (days, ms) = (ms.div_euclid(86_400_000), ms.rem_euclid(86_400_000));
    // Day 0 is 2024-01-01; count forward with the proportional Gregorian calendar.
    let (mut y, mut d) = (2024i64, days);
    loop {
        let len = if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
            366
        } else {
            365
        };
        if d < len {
            break;
        }
        d -= len;
        y += 1;
    }
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let months = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut m = 0;
    while d >= months[m] {
        d -= months[m];
        m += 1;
    }
    let (h, rest) = (ms / 3_600_000, ms % 3_600_000);
    let (mi, rest) = (rest / 60_000, rest % 60_000);
    format!(
        "{y:04}-{:02}-{:02}T{h:02}:{mi:02}:{:02}.{:03}",
        m + 1,
        d + 1,
        rest / 1000,
        rest % 1000
    )
}

/// Object ids: with several runs, each id names its replication (and configuration), so that
/// vehicle 0 or carrier 3 of one run is not taken for that of another.
struct Ids {
    several: bool,
}

impl Ids {
    fn new(runs: &[Labeled<'_>]) -> Ids {
        Ids {
            several: runs.len() > 1,
        }
    }

    fn prefix(&self, run: &Labeled<'_>) -> String {
        match (&run.label, self.several) {
            (Some(l), _) => format!("{l}-r{}-", run.replication),
            (None, true) => format!("r{}-", run.replication),
            (None, false) => String::new(),
        }
    }

    fn vehicle(&self, run: &Labeled<'_>, id: u64) -> String {
        format!("{}v{id}", self.prefix(run))
    }

    fn carrier(&self, run: &Labeled<'_>, c: u32) -> String {
        format!("{}carrier-{c}", self.prefix(run))
    }
}

/// One vehicle's events in the order of its journey: arrival, the stages before the yard, the
/// yard, the stages after it, clearance, crossing.
fn journey(port: &Port, v: &VehicleRecord, record: (usize, usize), out: &mut Vec<Event>) {
    let mut push = |activity: String, minutes: f64, resource: String, carrier: Option<u32>| {
        out.push(Event {
            activity,
            minutes,
            resource,
            carrier,
            record,
        });
    };
    push(
        "arrive".into(),
        v.arrival.minutes(),
        port.arrivals[v.stream].name.clone(),
        None,
    );
    let mut yard = v.yard;
    for visit in &v.visits {
        let after_yard = yard.is_some_and(|(_, out)| visit.queued >= out);
        if after_yard && let Some((into, out_of)) = yard.take() {
            yard_events(v, into.minutes(), out_of.minutes(), &mut push);
        }
        let stage = &port.stages[visit.stage];
        // A cage vehicle's stages after the yard are its carrier's.
        let carrier = v.carrier.filter(|_| v.yard.is_some() && yard.is_none());
        let lane = visit.lane.map_or(stage.name.clone(), |g| {
            if stage.lanes.len() > 1 {
                format!("{}/{}", stage.name, stage.lanes[g].name)
            } else {
                stage.name.clone()
            }
        });
        push(
            format!("queue {}", stage.name),
            visit.queued.minutes(),
            stage.name.clone(),
            carrier,
        );
        if let Some(t) = visit.start {
            push(
                format!("start {}", stage.name),
                t.minutes(),
                lane.clone(),
                carrier,
            );
        }
        if let Some(t) = visit.end {
            push(format!("end {}", stage.name), t.minutes(), lane, carrier);
        }
    }
    if let Some((into, out_of)) = yard {
        yard_events(v, into.minutes(), out_of.minutes(), &mut push);
    }
    if let Some(t) = v.cleared {
        push("cleared".into(), t.minutes(), "customs".into(), v.carrier);
    }
    if let Some(t) = v.crossed {
        push("crossed".into(), t.minutes(), "exit".into(), v.carrier);
    }
}

fn yard_events(
    v: &VehicleRecord,
    into: f64,
    out_of: f64,
    push: &mut impl FnMut(String, f64, String, Option<u32>),
) {
    push("enter yard".into(), into, "yard".into(), None);
    let (resource, carrier) = match (v.mode, v.carrier) {
        (Mode::CageTruck, Some(c)) => (format!("carrier-{c}"), Some(c)),
        _ => ("drivers".to_string(), None),
    };
    push("leave yard".into(), out_of, resource, carrier);
}

/// Every run's events in time order; events at the same instant keep the order of their
/// vehicle's journey (the sort is stable).
fn events(runs: &[Labeled<'_>]) -> Vec<Event> {
    let mut out = Vec::new();
    for (r, run) in runs.iter().enumerate() {
        for (i, v) in run.outcome.result.vehicle_records.iter().enumerate() {
            journey(run.port, v, (r, i), &mut out);
        }
    }
    out.sort_by(|a, b| a.minutes.total_cmp(&b.minutes));
    out
}

fn record<'a>(runs: &'a [Labeled<'_>], e: &Event) -> &'a VehicleRecord {
    &runs[e.record.0].outcome.result.vehicle_records[e.record.1]
}

/// The event log as CSV: `case_id,activity,timestamp,resource,class,mode,declaration,green`.
/// (Names are letters, digits, `_` and `-`, so no field needs quoting.)
pub fn events_csv(runs: &[Labeled<'_>]) -> String {
    let ids = Ids::new(runs);
    let mut out =
        String::from("case_id,activity,timestamp,resource,class,mode,declaration,green\n");
    for e in events(runs) {
        let run = &runs[e.record.0];
        let v = record(runs, &e);
        let _ = writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            ids.vehicle(run, v.id),
            e.activity,
            timestamp(e.minutes),
            e.resource,
            run.port.classes[v.class].name,
            v.mode.name(),
            run.port.declarations[v.declaration].name,
            v.green
        );
    }
    out
}

/// The event log as OCEL 2.0 JSON: vehicles and carriers are objects; each event relates to
/// its vehicle and, for a cage vehicle after the yard, to its carrier. Written one object or
/// event per line, item by item, so that memory stays near the size of the file.
pub fn ocel_json(runs: &[Labeled<'_>]) -> String {
    let ids = Ids::new(runs);
    let events = events(runs);
    let static_time = "1970-01-01T00:00:00Z";
    let mut activities: Vec<&str> = events.iter().map(|e| e.activity.as_str()).collect();
    activities.sort_unstable();
    activities.dedup();
    let event_types: Vec<Value> = activities
        .iter()
        .map(|a| json!({"name": a, "attributes": [{"name": "resource", "type": "string"}]}))
        .collect();
    let object_types = json!([
        {"name": "vehicle", "attributes": [
            {"name": "class", "type": "string"},
            {"name": "mode", "type": "string"},
            {"name": "declaration", "type": "string"},
            {"name": "green", "type": "boolean"},
        ]},
        {"name": "carrier", "attributes": []},
    ]);
    let mut out = String::new();
    let _ = write!(
        out,
        "{{\n\"objectTypes\": {object_types},\n\"eventTypes\": {},\n\"objects\": [",
        Value::Array(event_types)
    );
    let mut first = true;
    let mut item = |out: &mut String, value: Value| {
        out.push_str(if first { "\n" } else { ",\n" });
        first = false;
        let _ = write!(out, "{value}");
    };
    for run in runs {
        let port = run.port;
        let mut carriers: Vec<u32> = Vec::new();
        for v in &run.outcome.result.vehicle_records {
            let relationships: Vec<Value> = v
                .carrier
                .map(|c| json!({"objectId": ids.carrier(run, c), "qualifier": "carried by"}))
                .into_iter()
                .collect();
            carriers.extend(v.carrier);
            item(
                &mut out,
                json!({
                    "id": ids.vehicle(run, v.id),
                    "type": "vehicle",
                    "attributes": [
                        {"name": "class", "time": static_time, "value": port.classes[v.class].name},
                        {"name": "mode", "time": static_time, "value": v.mode.name()},
                        {"name": "declaration", "time": static_time, "value": port.declarations[v.declaration].name},
                        {"name": "green", "time": static_time, "value": v.green},
                    ],
                    "relationships": relationships,
                }),
            );
        }
        carriers.sort_unstable();
        carriers.dedup();
        for c in carriers {
            item(
                &mut out,
                json!({"id": ids.carrier(run, c), "type": "carrier", "attributes": [], "relationships": []}),
            );
        }
    }
    out.push_str("\n],\n\"events\": [");
    let mut first = true;
    for (i, e) in events.iter().enumerate() {
        let run = &runs[e.record.0];
        let v = record(runs, e);
        let mut relationships =
            vec![json!({"objectId": ids.vehicle(run, v.id), "qualifier": "vehicle"})];
        if let Some(c) = e.carrier {
            relationships.push(json!({"objectId": ids.carrier(run, c), "qualifier": "carrier"}));
        }
        out.push_str(if first { "\n" } else { ",\n" });
        first = false;
        let _ = write!(
            out,
            "{}",
            json!({
                "id": format!("e{i}"),
                "type": e.activity,
                "time": format!("{}Z", timestamp(e.minutes)),
                "attributes": [{"name": "resource", "value": e.resource}],
                "relationships": relationships,
            })
        );
    }
    out.push_str("\n]\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_count_from_2024_01_01() {
        assert_eq!(timestamp(0.0), "2024-01-01T00:00:00.000");
        assert_eq!(timestamp(435.5), "2024-01-01T07:15:30.000");
        assert_eq!(
            timestamp(59.0 * 1440.0 + 1.0 / 60.0),
            "2024-02-29T00:00:01.000",
            "2024 is a leap year"
        );
        assert_eq!(timestamp(366.0 * 1440.0), "2025-01-01T00:00:00.000");
        assert_eq!(timestamp(0.5 / 60_000.0 * 1.2), "2024-01-01T00:00:00.001");
    }
}

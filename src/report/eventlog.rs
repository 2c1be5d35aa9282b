//! Process-mining event logs: `--events FILE.csv` (one row per event, a case per vehicle) and
//! `--ocel FILE.json` (OCEL 2.0, with vehicles and carriers as objects).
//!
//! Events come from the vehicle records: `arrive`; `queue`, `start` and `end` at each stage;
//! `enter yard` and `leave yard`; `cleared` (released by customs) and `crossed`. Simulated day
//! 0 is written as 2024-01-01, so that tools get real timestamps; the offsets are exact.

use serde_json::{Value, json};

use super::files::Labeled;
use super::json::pretty;
use crate::model::{Mode, Port, VehicleRecord};

/// One event of one vehicle.
struct Event {
    case: String,
    activity: String,
    minutes: f64,
    resource: String,
    carrier: Option<u32>,
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

fn events(port: &Port, runs: &[Labeled<'_>]) -> Vec<Event> {
    let several = runs.len() > 1;
    let mut out = Vec::new();
    for (r, run) in runs.iter().enumerate() {
        for (i, v) in run.outcome.result.vehicle_records.iter().enumerate() {
            let case = if several {
                format!("r{}-v{}", run.replication, v.id)
            } else {
                format!("v{}", v.id)
            };
            let mut push =
                |activity: String, minutes: f64, resource: String, carrier: Option<u32>| {
                    out.push(Event {
                        case: case.clone(),
                        activity,
                        minutes,
                        resource,
                        carrier,
                        record: (r, i),
                    });
                };
            push(
                "arrive".into(),
                v.arrival.minutes(),
                port.arrivals[v.stream].name.clone(),
                None,
            );
            let yard_out = v.yard.map(|y| y.1);
            for visit in &v.visits {
                let stage = &port.stages[visit.stage];
                // A cage vehicle's stages after the yard are its carrier's.
                let carrier = v
                    .carrier
                    .filter(|_| yard_out.is_some_and(|t| visit.queued >= t));
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
            if let Some((into, out_of)) = v.yard {
                push("enter yard".into(), into.minutes(), "yard".into(), None);
                let (resource, carrier) = match (v.mode, v.carrier) {
                    (Mode::CageTruck, Some(c)) => (format!("carrier-{c}"), Some(c)),
                    _ => ("drivers".to_string(), None),
                };
                push("leave yard".into(), out_of.minutes(), resource, carrier);
            }
            if let Some(t) = v.cleared {
                push("cleared".into(), t.minutes(), "customs".into(), v.carrier);
            }
            if let Some(t) = v.crossed {
                push("crossed".into(), t.minutes(), "exit".into(), v.carrier);
            }
        }
    }
    // In time order; events at the same instant keep their order within a vehicle's journey.
    out.sort_by(|a, b| a.minutes.total_cmp(&b.minutes));
    out
}

fn record<'a>(runs: &'a [Labeled<'_>], e: &Event) -> &'a VehicleRecord {
    &runs[e.record.0].outcome.result.vehicle_records[e.record.1]
}

/// The event log as CSV: `case_id,activity,timestamp,resource,class,mode,declaration,green`.
pub fn events_csv(port: &Port, runs: &[Labeled<'_>]) -> String {
    let mut out =
        String::from("case_id,activity,timestamp,resource,class,mode,declaration,green\n");
    for e in events(port, runs) {
        let v = record(runs, &e);
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{}\n",
            e.case,
            e.activity,
            timestamp(e.minutes),
            e.resource,
            port.classes[v.class].name,
            v.mode.name(),
            port.declarations[v.declaration].name,
            v.green
        ));
    }
    out
}

/// The event log as OCEL 2.0 JSON: vehicles and carriers are objects; each event relates to
/// its vehicle and, for a cage vehicle after the yard, to its carrier.
pub fn ocel_json(port: &Port, runs: &[Labeled<'_>]) -> String {
    let events = events(port, runs);
    let static_time = "1970-01-01T00:00:00Z";
    let mut activities: Vec<&str> = events.iter().map(|e| e.activity.as_str()).collect();
    activities.sort_unstable();
    activities.dedup();
    let mut carriers: Vec<u32> = events.iter().filter_map(|e| e.carrier).collect();
    carriers.sort_unstable();
    carriers.dedup();
    let several = runs.len() > 1;
    let mut objects: Vec<Value> = Vec::new();
    for run in runs {
        for v in &run.outcome.result.vehicle_records {
            let id = if several {
                format!("r{}-v{}", run.replication, v.id)
            } else {
                format!("v{}", v.id)
            };
            let relationships: Vec<Value> = v
                .carrier
                .map(|c| json!({"objectId": format!("carrier-{c}"), "qualifier": "carried by"}))
                .into_iter()
                .collect();
            objects.push(json!({
                "id": id,
                "type": "vehicle",
                "attributes": [
                    {"name": "class", "time": static_time, "value": port.classes[v.class].name},
                    {"name": "mode", "time": static_time, "value": v.mode.name()},
                    {"name": "declaration", "time": static_time, "value": port.declarations[v.declaration].name},
                    {"name": "green", "time": static_time, "value": v.green},
                ],
                "relationships": relationships,
            }));
        }
    }
    for c in &carriers {
        objects.push(json!({"id": format!("carrier-{c}"), "type": "carrier", "attributes": [], "relationships": []}));
    }
    let events: Vec<Value> = events
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let mut relationships = vec![json!({"objectId": e.case, "qualifier": "vehicle"})];
            if let Some(c) = e.carrier {
                relationships
                    .push(json!({"objectId": format!("carrier-{c}"), "qualifier": "carrier"}));
            }
            json!({
                "id": format!("e{i}"),
                "type": e.activity,
                "time": format!("{}Z", timestamp(e.minutes)),
                "attributes": [{"name": "resource", "value": e.resource}],
                "relationships": relationships,
            })
        })
        .collect();
    pretty(&json!({
        "objectTypes": [
            {"name": "vehicle", "attributes": [
                {"name": "class", "type": "string"},
                {"name": "mode", "type": "string"},
                {"name": "declaration", "type": "string"},
                {"name": "green", "type": "boolean"},
            ]},
            {"name": "carrier", "attributes": []},
        ],
        "eventTypes": activities.iter().map(|a| json!({"name": a, "attributes": [{"name": "resource", "type": "string"}]})).collect::<Vec<_>>(),
        "objects": objects,
        "events": events,
    }))
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

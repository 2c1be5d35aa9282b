//! Everything the user reads: the text summary, the JSON object, warnings and the
//! `validate` report.
//!
//! This is the only module that formats numbers for people or machines. It takes plain
//! results from `experiment`/`model` and never changes them.

mod json;
mod table;
mod text;

pub use json::{SCHEMA_VERSION, json, json_value};
pub use text::{summary, validation};

use crate::model::{Port, ResourceLoad, StageLoad};

/// Plain-language warnings about a scenario's load, worst first: stages that can never serve
/// their demand, then stages and resources offered more work than they can do.
pub fn warnings(port: &Port, loads: &[StageLoad], resources: &[ResourceLoad]) -> Vec<String> {
    let mut out = Vec::new();
    for (stage, load) in port.stages.iter().zip(loads) {
        if load.open_min_per_day == 0.0 && load.visits_per_day > 0.0 {
            out.push(format!(
                "stage \"{}\" never opens (no server is staffed at any hour the port works), yet {:.0} units a day need it: none of them can clear",
                stage.name, load.visits_per_day
            ));
        }
    }
    for ((stage, load), schedules) in port.stages.iter().zip(loads).zip(port.schedules()) {
        if stage.lanes.len() > 1 && load.visits_per_day > 0.0 && load.open_min_per_day > 0.0 {
            for (lane, schedule) in stage.lanes.iter().zip(&schedules) {
                if schedule.server_minutes_per_day() == 0.0 {
                    out.push(format!(
                        "lane group \"{}\" of stage \"{}\" is never staffed: units that only it serves can never pass",
                        lane.name, stage.name
                    ));
                }
            }
        }
    }
    for (stage, load) in port.stages.iter().zip(loads) {
        if load.is_overloaded() && load.open_min_per_day > 0.0 {
            out.push(format!(
                "stage \"{}\" is overloaded: it is offered {:.1} server-hours of work a day but its open servers provide {:.1} (offered load {:.2} >= 1). \
                 Its queue grows without bound, so its waits and the clearance times below depend on the run length, not on a steady state; \
                 add servers or staff, or lower demand",
                stage.name,
                load.work_min_per_day / 60.0,
                load.open_min_per_day / 60.0,
                load.offered_load
            ));
        }
    }
    for r in resources.iter().filter(|r| r.is_overloaded()) {
        let what = match r.name {
            "drivers" => format!(
                "the driver pool is overloaded: {:.0} self-driving vehicles a day need a driver, but the pool can take at most {:.0} a day (one vehicle per driver per round trip)",
                r.demand_per_day, r.capacity_per_day
            ),
            "carriers" => format!(
                "the carrier fleet is overloaded: {:.0} cage vehicles a day, but full carriers can take at most {:.0} a day over their round trips",
                r.demand_per_day, r.capacity_per_day
            ),
            _ => format!(
                "the exit is overloaded: about {:.0} conveyances a day reach it, but the receiving side accepts {:.0}",
                r.demand_per_day, r.capacity_per_day
            ),
        };
        out.push(format!(
            "{what} (offered load {:.2} >= 1). The queue in front of it grows without bound; waits and clearance times depend on the run length",
            r.offered_load
        ));
    }
    out
}

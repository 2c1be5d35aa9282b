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

use crate::model::{Port, StageLoad};

/// Plain-language warnings about a scenario's load, worst first: stages that can never serve
/// their demand, then stages offered more work than their roster can do.
pub fn warnings(port: &Port, loads: &[StageLoad]) -> Vec<String> {
    let mut out = Vec::new();
    for (stage, load) in port.stages.iter().zip(loads) {
        if load.open_min_per_day == 0.0 && load.visits_per_day > 0.0 {
            out.push(format!(
                "stage \"{}\" never opens (its roster staffs no server at any hour), yet {:.0} vehicles a day need it: none of them can clear",
                stage.name, load.visits_per_day
            ));
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
    out
}

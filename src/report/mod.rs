//! Everything the user reads: the text summary, the JSON object, warnings and the
//! `validate` report.
//!
//! This is the only module that formats numbers for people or machines, and the only one that
//! writes files. It takes plain results from `experiment`/`model` and never changes them.
//!
//! - `text.rs`, `json.rs`: one run (`portsim run`), and `validate`;
//! - `aggregate.rs`, `replicated.rs`: replications, every figure with its 95 % interval,
//!   built generically from the single-run JSON;
//! - `figures.rs`, `compare.rs`, `sweep.rs`: key figures side by side and paired differences;
//! - `plan.rs`: the planner's recommendation, evidence and TOML snippet;
//! - `validate.rs`: `validate --json` and `--paths`;
//! - `progress.rs`: the progress bar on standard error.

mod aggregate;
mod capacity;
mod compare;
mod figures;
mod html;
mod json;
mod plan;
mod plots;
mod progress;
mod replicated;
mod sweep;
mod table;
mod text;
mod validate;

pub use aggregate::{CONFIDENCE, STATIC_KEYS, aggregate, figure, lookup};
pub use capacity::{capacity_json, capacity_summary};
pub use compare::{Config, comparison_json, comparison_text, comparison_value};
pub use figures::{KeyFigure, key_figures};
pub use html::{escape, markdown_to_html, report_html};
pub use json::{SCHEMA_VERSION, json, json_value};
pub use plan::{plan_json, plan_text, plan_value, toml_snippet};
pub use plots::{
    PNG_SIZE, Plot, RunPlots, compare_plots, run_plots, staff_hours_per_day, sweep_plots,
};
pub use progress::Bar;
pub use replicated::{replicated_json, replicated_summary, replicated_value};
pub use sweep::{SweepReport, sweep_csv, sweep_json, sweep_text, sweep_value};
pub use text::{summary, validation};
pub use validate::{paths_text, validation_json, validation_value};

/// Writes `text` to the file at `path` (the sweep's `--csv`).
pub fn write_file(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

use crate::model::{Port, ResourceLoad, StageLoad};

/// The warnings for `port` run as `run` (static loads computed here).
pub fn static_warnings(port: &Port, run: &crate::model::RunSpec) -> Vec<String> {
    warnings(
        port,
        &crate::model::stage_loads(port, run),
        &crate::model::resource_loads(port, run),
    )
}

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

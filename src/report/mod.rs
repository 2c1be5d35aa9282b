//! Everything the user reads: the text summary, the JSON object, warnings, the `validate`
//! report, and the result files (CSV, event logs, plots, the HTML report).
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
//! - `capacity.rs`: saturated throughput, bottlenecks and static bounds;
//! - `output.rs`, `files.rs`, `eventlog.rs`: the `--out` directory written whole or not at all,
//!   its CSV files, and the `--events`/`--ocel` logs;
//! - `plots/`, `html.rs`: plots as SVG and PNG (plotters), and the self-contained `report.html`;
//! - `progress.rs`: the progress bar on standard error.

mod aggregate;
mod capacity;
mod compare;
mod eventlog;
mod figures;
mod files;
mod html;
mod json;
mod output;
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
pub use eventlog::{events_csv, ocel_json};
pub use figures::{KeyFigure, key_figures};
pub use files::{Labeled, daily_csv, hourly_csv, vehicles_csv};
pub use html::{Page, escape, markdown_to_html, report_html, report_page};
pub use json::{SCHEMA_VERSION, json, json_value};
pub use output::{OutDir, OutError, abandon_all, write_file};
pub use plan::{clearance_marks, plan_json, plan_text, plan_value, toml_snippet};
pub use plots::{
    PNG_SIZE, Plot, RunPlots, compare_plots, run_plots, staff_hours_per_day, sweep_plots,
};
pub use progress::Bar;
pub use replicated::{replicated_json, replicated_summary, replicated_value};
pub use sweep::{SweepReport, sweep_csv, sweep_json, sweep_text, sweep_value};
pub use table::markdown;
pub use text::{summary, validation};
pub use validate::{paths_text, validation_json, validation_value};

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
        if load.stranded_per_day > 0.0 && load.open_min_per_day > 0.0 {
            let shut: Vec<String> = stage
                .lanes
                .iter()
                .zip(&schedules)
                .filter(|(_, s)| s.server_minutes_per_day() == 0.0)
                .map(|(lane, _)| format!("\"{}\"", lane.name))
                .collect();
            out.push(format!(
                "stage \"{}\": lane group{} {} {} never staffed, and about {:.0} units a day that only {} can never pass; staff {} in some shift",
                stage.name,
                if shut.len() == 1 { "" } else { "s" },
                shut.join(", "),
                if shut.len() == 1 { "is" } else { "are" },
                load.stranded_per_day,
                if shut.len() == 1 { "it serves" } else { "they serve" },
                if shut.len() == 1 { "it" } else { "them" },
            ));
        }
    }
    for (stage, load) in port.stages.iter().zip(loads) {
        if load.is_overloaded() && load.open_min_per_day > 0.0 && load.stranded_per_day == 0.0 {
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

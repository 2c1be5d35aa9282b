//! Experiment settings: `simulation.replications` and the planner's `[planning]` bounds and
//! costs. Checked apart from the port, so that a port error and a planning error are both
//! reported in one pass.

use std::collections::BTreeMap;

use super::Checker;
use crate::scenario::error::Diagnostic;
use crate::scenario::raw::{RawPlanning, RawScenario, RawStage};
use crate::scenario::{ExperimentSpec, Planning};

/// Most replications a scenario or command may ask for.
const MAX_REPLICATIONS: i64 = 100_000;

/// Checks the experiment settings: `simulation.replications` and `[planning]`.
pub(crate) fn check_experiment(raw: &RawScenario) -> Result<ExperimentSpec, Vec<Diagnostic>> {
    let mut c = Checker::default();
    let replications = raw.simulation.replications.map(|n| {
        c.count(
            "simulation.replications",
            n,
            1,
            MAX_REPLICATIONS,
            "the number of replications",
            "independent runs whose scatter gives the confidence intervals; 10-30 is usual",
        )
    });
    let planning = raw
        .planning
        .as_ref()
        .map(|p| check_planning(&mut c, p, &raw.stages))
        .unwrap_or_default();
    if c.found.is_empty() {
        Ok(ExperimentSpec {
            replications,
            planning,
        })
    } else {
        Err(c.found)
    }
}

fn check_planning(c: &mut Checker, raw: &RawPlanning, stages: &[RawStage]) -> Planning {
    let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
    let per_stage = |c: &mut Checker, table: &BTreeMap<String, i64>, key: &str| {
        let mut out = vec![None; stages.len()];
        for (stage, &n) in table {
            let field = format!("planning.{key}.{stage}");
            match names.iter().position(|s| s == stage) {
                None => c.error(
                    field,
                    format!("no stage named \"{stage}\""),
                    format!("stages: {}", names.join(", ")),
                ),
                Some(k) => {
                    out[k] = Some(c.count(
                        &field,
                        n,
                        0,
                        1_000_000,
                        "staff",
                        "officers on duty at this stage in any one shift",
                    ));
                }
            }
        }
        out
    };
    let min_staff = per_stage(c, &raw.min_staff, "min_staff");
    let max_staff = per_stage(c, &raw.max_staff, "max_staff");
    for (k, (lo, hi)) in min_staff.iter().zip(&max_staff).enumerate() {
        if let (Some(lo), Some(hi)) = (lo, hi)
            && lo > hi
        {
            c.error(
                format!("planning.max_staff.{}", names[k]),
                format!("max_staff ({hi}) is below min_staff ({lo})"),
                "the planner searches between min_staff and max_staff, both included",
            );
        }
    }
    let max_staff_per_shift = raw.max_staff_per_shift.map(|n| {
        c.count(
            "planning.max_staff_per_shift",
            n,
            0,
            1_000_000,
            "max_staff_per_shift",
            "the most officers on duty at all stages together in any one shift",
        )
    });
    let cost_per_hour = if raw.cost_per_hour.is_empty() {
        None
    } else {
        let mut costs = vec![f64::NAN; stages.len()];
        for (stage, &cost) in &raw.cost_per_hour {
            let field = format!("planning.cost_per_hour.{stage}");
            match names.iter().position(|s| s == stage) {
                None => c.error(
                    field,
                    format!("no stage named \"{stage}\""),
                    format!("stages: {}", names.join(", ")),
                ),
                Some(_) if !cost.is_finite() || cost < 0.0 => c.error(
                    field,
                    format!("a cost must be zero or more, got {cost}"),
                    "the cost of one officer-hour at this stage, in any currency",
                ),
                Some(k) => costs[k] = cost,
            }
        }
        let missing: Vec<&str> = names
            .iter()
            .zip(&costs)
            .filter(|(_, c)| c.is_nan())
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() && missing.len() < names.len() {
            c.error(
                "planning.cost_per_hour",
                format!("no cost for stage{} {}", if missing.len() == 1 { "" } else { "s" }, missing.join(", ")),
                "give every stage a cost per officer-hour (0 for free), or none to minimise staff-hours",
            );
        }
        Some(costs)
    };
    let mut reps = |field: &str, n: Option<i64>| {
        n.map(|n| {
            c.count(
                field,
                n,
                2,
                MAX_REPLICATIONS,
                "the number of replications",
                "at least 2 for a confidence interval; 10 to screen, 30 or more to confirm",
            )
        })
    };
    let replications = reps("planning.replications", raw.replications);
    let confirm_replications = reps("planning.confirm_replications", raw.confirm_replications);
    Planning {
        min_staff,
        max_staff,
        max_staff_per_shift,
        cost_per_hour,
        replications,
        confirm_replications,
    }
}

//! Capacity: the throughput a configuration reaches when demand never runs out.
//!
//! The port is run saturated (`RunSpec::saturate`: a queue in front of the first stage that
//! never empties, vehicles in the streams' mixes), in replications, so its daily throughput
//! is measured with a confidence interval. Beside it stands the *static bound* from the
//! roster: for every stage, the open server-minutes a day divided by the work each vehicle
//! brings there on average; for the driver pool, the fleet and the exit quota, what they can
//! take a day at the demand's mix. The smallest of these is the most the port could clear.

use super::replicate::{Replicated, replicate};
use super::{Control, Overrides};
use crate::model::{self, Port, RunSpec};
use crate::scenario::Scenario;

/// The static bound of one stage or resource, in vehicles a day at the demand's mix.
#[derive(Clone, Debug, PartialEq)]
pub struct Bound {
    /// Stage name, or `drivers`, `carriers`, `exit`.
    pub name: String,
    /// Whether it is a stage (else a shared resource).
    pub stage: bool,
    /// Vehicles a day it could handle at most.
    pub vehicles_per_day: f64,
}

/// What `capacity` measured.
#[derive(Clone, Debug)]
pub struct Capacity {
    /// The saturated replications.
    pub replicated: Replicated,
    /// Static bound of every stage and resource, tightest first.
    pub bounds: Vec<Bound>,
}

impl Capacity {
    /// The tightest static bound.
    pub fn bound(&self) -> Option<&Bound> {
        self.bounds.first()
    }
}

/// Measures the saturated throughput of `scenario` in `n` replications.
pub fn capacity(
    scenario: &Scenario,
    overrides: &Overrides,
    n: u32,
    control: Control<'_>,
) -> Capacity {
    let mut saturated = scenario.clone();
    saturated.run.saturate = true;
    let replicated = replicate(&saturated, overrides, n, control);
    let bounds = static_bounds(&scenario.port, &overrides.apply(scenario.run));
    Capacity { replicated, bounds }
}

/// The static bounds from the roster, tightest first.
pub fn static_bounds(port: &Port, run: &RunSpec) -> Vec<Bound> {
    let per_day = port.mean_arrivals_per_day(run);
    if per_day <= 0.0 {
        return Vec::new();
    }
    let mut out: Vec<Bound> = model::stage_loads(port, run)
        .iter()
        .zip(&port.stages)
        .filter(|(l, _)| l.work_min_per_day > 0.0)
        .map(|(l, s)| Bound {
            name: s.name.clone(),
            stage: true,
            // Work per arriving vehicle = work a day ÷ vehicles a day.
            vehicles_per_day: l.open_min_per_day / (l.work_min_per_day / per_day),
        })
        .collect();
    let resources = model::resource_loads(port, run);
    for r in &resources {
        // Each resource serves a share of the vehicles: scale its capacity to all vehicles.
        let share = r.demand_per_day / per_day;
        if share > 0.0 && r.capacity_per_day.is_finite() {
            out.push(Bound {
                name: r.name.to_string(),
                stage: false,
                vehicles_per_day: r.capacity_per_day / share,
            });
        }
    }
    out.sort_by(|a, b| a.vehicles_per_day.total_cmp(&b.vehicles_per_day));
    out
}

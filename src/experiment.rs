//! What to run: a scenario's run spec with command-line overrides applied, and the run itself.
//!
//! The model simulates one replication of a port; this layer decides which replication(s) to
//! run and bundles each result with the static analysis a reader needs beside it (the offered
//! load of every stage).

use crate::model::{self, ResourceLoad, RunResult, RunSpec, StageLoad};
use crate::scenario::Scenario;

/// Command-line changes to a scenario's `[simulation]` table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Overrides {
    /// Replaces `simulation.seed`.
    pub seed: Option<u64>,
    /// Replaces `simulation.days`.
    pub days: Option<u32>,
    /// Keep one record per vehicle.
    pub record_vehicles: bool,
}

impl Overrides {
    /// The scenario's run spec with these overrides applied.
    pub fn apply(&self, run: RunSpec) -> RunSpec {
        RunSpec {
            seed: self.seed.unwrap_or(run.seed),
            days: self.days.unwrap_or(run.days),
            record_vehicles: self.record_vehicles || run.record_vehicles,
            ..run
        }
    }
}

/// One simulated run and the static figures that go with it.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The run spec actually used.
    pub run: RunSpec,
    /// What the simulation measured.
    pub result: RunResult,
    /// Offered load of each stage, from the scenario alone.
    pub loads: Vec<StageLoad>,
    /// Offered load of the driver pool, carrier fleet and exit quota.
    pub resources: Vec<ResourceLoad>,
}

/// Runs `scenario` once with `overrides` applied.
pub fn run_once(scenario: &Scenario, overrides: &Overrides) -> Outcome {
    let run = overrides.apply(scenario.run);
    Outcome {
        run,
        result: model::simulate(&scenario.port, &run),
        loads: model::stage_loads(&scenario.port, &run),
        resources: model::resource_loads(&scenario.port, &run),
    }
}

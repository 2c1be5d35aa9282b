//! What to run: one run, replications, paired comparisons, sweeps and the staffing planner.
//!
//! The model simulates one replication of a port; this layer decides which replications to
//! run, with which seeds, in parallel, and bundles each result with the static analysis a
//! reader needs beside it (the offered load of every stage).
//!
//! - `replicate`: replication seeds, and the parallel runner every experiment uses;
//! - `capacity`: saturated runs and the static bound from the roster;
//! - `compare`: several configurations with the same replication seeds (paired);
//! - `sweep`: the grid of all combinations of `PATH=VALUES` settings;
//! - `plan`: the search for the cheapest roster that meets service targets.
//!
//! Determinism: replication `i` of master seed `s` always uses the seed
//! `Streams::new(s).replication(i).master_seed()`; runs go to a rayon pool and come back in
//! task order, so results are bit-identical at any thread count. Nothing here formats: the
//! `report` layer turns these results into text, JSON and CSV.

mod capacity;
mod compare;
mod plan;
mod replicate;
mod sweep;

use std::sync::atomic::{AtomicBool, Ordering};

pub use capacity::{Bound, Capacity, capacity, static_bounds};
pub use compare::{Comparison, compare};
pub use plan::{
    Bounds, Candidate, DEFAULT_CONFIRM_REPLICATIONS, DEFAULT_REPLICATIONS, Evaluation, Metric,
    MetricCi, Move, Objective, Op, Plan, PlanError, PlanSettings, Rejected, Roster, Stat, Target,
    Unit, evaluated_port, plan, recommended_scenario, share_among_lanes,
};
pub use replicate::{Grid, Replicated, replicate, replication_seed, run_grid};
pub use sweep::{SweepPoint, grid, sweep};

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
    /// Keep one row per measured hour.
    pub record_timeline: bool,
}

impl Overrides {
    /// The scenario's run spec with these overrides applied.
    pub fn apply(&self, run: RunSpec) -> RunSpec {
        RunSpec {
            seed: self.seed.unwrap_or(run.seed),
            days: self.days.unwrap_or(run.days),
            record_vehicles: self.record_vehicles || run.record_vehicles,
            record_timeline: self.record_timeline || run.record_timeline,
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
    run_spec(scenario, overrides.apply(scenario.run))
}

/// Runs `scenario` once with exactly `run`.
fn run_spec(scenario: &Scenario, run: RunSpec) -> Outcome {
    Outcome {
        run,
        result: model::simulate(&scenario.port, &run),
        loads: model::stage_loads(&scenario.port, &run),
        resources: model::resource_loads(&scenario.port, &run),
    }
}

/// Progress of a long experiment, reported as runs finish. Implemented by the caller (the
/// command line draws a bar); every method may be called from any worker thread.
pub trait Progress: Sync {
    /// Work begins: `total` runs if known.
    fn start(&self, _total: Option<u64>, _label: &str) {}
    /// `n` more runs finished.
    fn advance(&self, _n: u64) {}
    /// A short status line (the planner's current step).
    fn status(&self, _text: &str) {}
    /// Work is over.
    fn finish(&self) {}
}

/// Progress that goes nowhere.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {}

static NEVER_CANCELLED: AtomicBool = AtomicBool::new(false);

/// How an experiment is steered from outside: a flag that asks it to stop (Ctrl-C), and
/// where it reports progress.
#[derive(Clone, Copy)]
pub struct Control<'a> {
    cancel: &'a AtomicBool,
    progress: &'a dyn Progress,
}

impl<'a> Control<'a> {
    /// Stops starting new runs once `cancel` is set; reports to `progress`.
    pub fn new(cancel: &'a AtomicBool, progress: &'a dyn Progress) -> Control<'a> {
        Control { cancel, progress }
    }

    /// Whether the experiment has been asked to stop.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Where progress goes.
    pub fn progress(&self) -> &'a dyn Progress {
        self.progress
    }
}

impl Default for Control<'static> {
    fn default() -> Self {
        Control {
            cancel: &NEVER_CANCELLED,
            progress: &NoProgress,
        }
    }
}

impl std::fmt::Debug for Control<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Control")
            .field("cancelled", &self.cancelled())
            .finish()
    }
}

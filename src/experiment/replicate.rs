//! Replications: their seeds, and the parallel runner behind every experiment.
//!
//! Replication `i` of master seed `s` runs with seed `Streams::new(s).replication(i)
//! .master_seed()`. Every configuration of a comparison, sweep or plan uses the same
//! replication seeds, so with the model's common random numbers the same vehicles arrive with
//! the same work in each: differences between configurations are paired.

use rayon::prelude::*;

use super::{Control, Outcome, Overrides, run_spec};
use crate::engine::Streams;
use crate::model::RunSpec;
use crate::scenario::Scenario;

/// The seed of replication `index` of master seed `master`.
pub fn replication_seed(master: u64, index: u64) -> u64 {
    Streams::new(master).replication(index).master_seed()
}

/// Replications of one scenario.
#[derive(Clone, Debug)]
pub struct Replicated {
    /// The master seed and horizon (the seed of each run is derived from it).
    pub run: RunSpec,
    /// Replications asked for.
    pub requested: u32,
    /// The replications that finished, in index order.
    pub outcomes: Vec<Outcome>,
    /// Indices of those replications.
    pub indices: Vec<u32>,
    /// Whether the experiment was stopped before every replication finished.
    pub interrupted: bool,
}

/// Runs `n` replications of `scenario` in parallel.
pub fn replicate(
    scenario: &Scenario,
    overrides: &Overrides,
    n: u32,
    control: Control<'_>,
) -> Replicated {
    let grid = run_grid(std::slice::from_ref(scenario), overrides, n, control);
    let run = overrides.apply(scenario.run);
    let mut outcomes = Vec::new();
    let mut indices = Vec::new();
    for (i, o) in grid
        .outcomes
        .into_iter()
        .next()
        .unwrap_or_default()
        .into_iter()
        .enumerate()
    {
        if let Some(o) = o {
            outcomes.push(o);
            indices.push(i as u32);
        }
    }
    Replicated {
        run,
        requested: n,
        interrupted: outcomes.len() < n as usize,
        outcomes,
        indices,
    }
}

/// Every configuration × every replication, with shared replication seeds.
#[derive(Clone, Debug)]
pub struct Grid {
    /// The master seed all configurations share.
    pub seed: u64,
    /// Replications asked for, per configuration.
    pub replications: u32,
    /// `outcomes[c][i]`: configuration `c`, replication `i`; `None` if stopped before it ran.
    pub outcomes: Vec<Vec<Option<Outcome>>>,
}

impl Grid {
    /// Whether every run finished.
    pub fn complete(&self) -> bool {
        self.outcomes.iter().flatten().all(Option::is_some)
    }
}

/// Runs `n` replications of each scenario, all in one parallel pool. Each scenario's master
/// seed and horizon are its own unless `overrides` sets them (`Grid::seed` reports
/// `overrides.seed`, else the first scenario's). Results come back in order whatever the thread count. Once
/// `control` is cancelled, runs not yet started are skipped.
pub fn run_grid(
    scenarios: &[Scenario],
    overrides: &Overrides,
    n: u32,
    control: Control<'_>,
) -> Grid {
    control
        .progress()
        .start(Some(scenarios.len() as u64 * u64::from(n)), "runs");
    let grid = run_batch(scenarios, overrides, n, control);
    control.progress().finish();
    grid
}

/// [`run_grid`] without starting or finishing the progress report (for callers that run
/// many batches, like the planner).
pub(super) fn run_batch(
    scenarios: &[Scenario],
    overrides: &Overrides,
    n: u32,
    control: Control<'_>,
) -> Grid {
    let seed = overrides
        .seed
        .or_else(|| scenarios.first().map(|s| s.run.seed))
        .unwrap_or(1);
    // Each scenario's own master seed (all the same unless a sweep sets `simulation.seed`).
    let seeds: Vec<u64> = scenarios
        .iter()
        .map(|s| overrides.apply(s.run).seed)
        .collect();
    let tasks: Vec<(usize, u32)> = (0..scenarios.len())
        .flat_map(|c| (0..n).map(move |i| (c, i)))
        .collect();
    let results: Vec<Option<Outcome>> = tasks
        .par_iter()
        .map(|&(c, i)| {
            if control.cancelled() {
                return None;
            }
            let scenario = &scenarios[c];
            let run = RunSpec {
                seed: replication_seed(seeds[c], u64::from(i)),
                ..overrides.apply(scenario.run)
            };
            let outcome = run_spec(scenario, run);
            control.progress().advance(1);
            Some(outcome)
        })
        .collect();
    let mut outcomes: Vec<Vec<Option<Outcome>>> = Vec::with_capacity(scenarios.len());
    let mut it = results.into_iter();
    for _ in scenarios {
        outcomes.push(it.by_ref().take(n as usize).collect());
    }
    Grid {
        seed,
        replications: n,
        outcomes,
    }
}

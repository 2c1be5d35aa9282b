//! Paired comparison: several configurations run with the same replication seeds.
//!
//! Replication `i` of every configuration uses the same seed, so (common random numbers) the
//! same vehicles arrive with the same work in each. The difference of a figure between two
//! configurations is therefore measured replication by replication, and its confidence
//! interval comes from the scatter of those paired differences, which is usually far smaller
//! than the scatter of either configuration.

use super::{Control, Outcome, Overrides, run_grid};
use crate::scenario::Scenario;

/// The runs of a comparison: the replications that finished in every configuration.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// The master seed shared by all configurations.
    pub seed: u64,
    /// Replications asked for.
    pub requested: u32,
    /// `outcomes[c][k]`: configuration `c`, `k`-th finished replication (same `k`, same
    /// seed, in every configuration).
    pub outcomes: Vec<Vec<Outcome>>,
    /// Indices of the replications kept.
    pub indices: Vec<u32>,
    /// Whether the comparison was stopped early.
    pub interrupted: bool,
}

/// Runs `n` replications of each of `scenarios` with shared replication seeds.
pub fn compare(
    scenarios: &[Scenario],
    overrides: &Overrides,
    n: u32,
    control: Control<'_>,
) -> Comparison {
    // One master seed for all, so that replication i is the same vehicles everywhere.
    let overrides = Overrides {
        seed: overrides
            .seed
            .or_else(|| scenarios.first().map(|s| s.run.seed)),
        ..*overrides
    };
    let grid = run_grid(scenarios, &overrides, n, control);
    let interrupted = !grid.complete();
    let kept: Vec<u32> = (0..n)
        .filter(|&i| grid.outcomes.iter().all(|c| c[i as usize].is_some()))
        .collect();
    let outcomes = grid
        .outcomes
        .into_iter()
        .map(|runs| {
            runs.into_iter()
                .enumerate()
                .filter(|(i, _)| kept.contains(&(*i as u32)))
                .filter_map(|(_, o)| o)
                .collect()
        })
        .collect();
    Comparison {
        seed: grid.seed,
        requested: n,
        outcomes,
        indices: kept,
        interrupted,
    }
}

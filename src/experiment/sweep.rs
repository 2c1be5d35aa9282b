//! Sweeps: every combination of `PATH=VALUES` settings, each with replications.
//!
//! The grid is the Cartesian product of the settings, the first setting varying slowest.
//! Every point uses the same replication seeds (common random numbers), so neighbouring
//! points differ by their settings, not by luck, and the curves a sweep traces are smooth.

use super::{Control, Outcome, Overrides, run_grid};
use crate::scenario::{Assignment, Field, ParamValue, Scenario};

/// Every combination of the settings' values, the first setting outermost.
pub fn grid(settings: &[(Field, Vec<ParamValue>)]) -> Vec<Vec<Assignment>> {
    let mut points: Vec<Vec<Assignment>> = vec![Vec::new()];
    for (field, values) in settings {
        points = points
            .into_iter()
            .flat_map(|point| {
                values.iter().map(move |v| {
                    let mut p = point.clone();
                    p.push(Assignment {
                        field: field.clone(),
                        value: v.clone(),
                    });
                    p
                })
            })
            .collect();
    }
    points
}

/// One point of a sweep and its replications (`None` if stopped before all of them ran).
#[derive(Clone, Debug)]
pub struct SweepPoint {
    /// The settings of this point.
    pub settings: Vec<Assignment>,
    /// Its replications, in index order, if they all finished.
    pub outcomes: Option<Vec<Outcome>>,
}

/// Runs `n` replications of each point. `scenarios[k]` is the scenario of `points[k]`.
pub fn sweep(
    points: Vec<Vec<Assignment>>,
    scenarios: &[Scenario],
    overrides: &Overrides,
    n: u32,
    control: Control<'_>,
) -> (u64, Vec<SweepPoint>) {
    let grid = run_grid(scenarios, overrides, n, control);
    let seed = grid.seed;
    let out = points
        .into_iter()
        .zip(grid.outcomes)
        .map(|(settings, runs)| SweepPoint {
            settings,
            outcomes: runs.into_iter().collect(),
        })
        .collect();
    (seed, out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Template;

    #[test]
    fn grid_is_the_product_first_setting_outermost() {
        let t = Template::parse(
            "[simulation]\nname = \"g\"\ndays = 1\n[[arrivals]]\nname = \"a\"\nrate = \"1/m\"\n\
             [[stages]]\nname = \"s\"\nservers = 2\nservice = { dist = \"exponential\", mean = \"1m\" }\n",
            "g.toml",
        )
        .unwrap();
        let a = t.setting("stages.s.servers=2..4").unwrap();
        let b = t.setting("stages.s.service.mean=1m,2m").unwrap();
        let points = grid(&[a, b]);
        let labels: Vec<String> = points
            .iter()
            .map(|p| {
                p.iter()
                    .map(|x| x.value.text.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        assert_eq!(labels, ["2 1m", "2 2m", "3 1m", "3 2m", "4 1m", "4 2m"]);
    }
}

//! Static load check: the work a stage is offered against the server time its roster opens.
//!
//! Offered load ρ = (expected visits a day × mean service time) ÷ open server-minutes a day.
//! A stage with ρ ≥ 1 cannot keep up on average; its queue grows without bound and no
//! simulated statistic of it describes a steady state.

use super::Port;

/// The daily load on one stage, from the scenario alone (no simulation).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StageLoad {
    /// Expected vehicles a day that visit the stage.
    pub visits_per_day: f64,
    /// Expected service work a day, in server-minutes.
    pub work_min_per_day: f64,
    /// Server-minutes the roster opens a day.
    pub open_min_per_day: f64,
    /// `work / open`: infinite when work is offered to a stage that never opens.
    pub offered_load: f64,
}

impl StageLoad {
    /// Whether the stage cannot keep up with its demand on average.
    pub fn is_overloaded(&self) -> bool {
        self.offered_load >= 1.0
    }
}

/// The load on every stage, indexed like `port.stages`.
pub fn stage_loads(port: &Port) -> Vec<StageLoad> {
    let per_day = port.mean_arrivals_per_day();
    let mut visits = vec![0.0; port.stages.len()];
    for i in port.regular_stages() {
        visits[i] += per_day;
        if let Some(r) = port.stages[i].refer {
            visits[r.to] += per_day * r.probability;
        }
    }
    port.schedules()
        .iter()
        .zip(&port.stages)
        .zip(visits)
        .map(|((schedule, stage), visits_per_day)| {
            let work = visits_per_day * stage.service.mean();
            let open = schedule.server_minutes_per_day();
            let offered_load = if work == 0.0 {
                0.0
            } else if open == 0.0 {
                f64::INFINITY
            } else {
                work / open
            };
            StageLoad {
                visits_per_day,
                work_min_per_day: work,
                open_min_per_day: open,
                offered_load,
            }
        })
        .collect()
}

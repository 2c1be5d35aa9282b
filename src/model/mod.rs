//! The port: what a land border port is made of, and the simulation of vehicles through it.
//!
//! A [`Port`] has arrival streams, stages (declaration desks, inspection lanes...) each with a
//! pool of identical servers and one FIFO queue, optional referral to referral-only stages,
//! and an optional daily [`Roster`] that decides how many servers are open at each time of day.
//! [`simulate`] runs one replication and returns a [`RunResult`] of plain numbers.
//!
//! Nothing here reads files or formats text: ports are built by `scenario`, results are
//! printed by `report`.

mod arrivals;
mod load;
mod results;
mod roster;
mod sim;

pub use arrivals::{ArrivalStream, RateProfile};
pub use load::{StageLoad, stage_loads};
pub use results::{
    DailyRange, DayResult, HourResult, RunResult, StageHour, StageResult, VehicleCounts,
};
pub use roster::{CapacitySchedule, Roster, Shift, ShiftEndPolicy};
pub use sim::simulate;

use crate::dist::Dist;

/// A land border port, ready to simulate. Built (and checked) by the `scenario` module.
#[derive(Clone, Debug)]
pub struct Port {
    /// The scenario's name.
    pub name: String,
    /// Where vehicles come from.
    pub arrivals: Vec<ArrivalStream>,
    /// The stages, in the order regular vehicles pass them; referral-only stages anywhere.
    pub stages: Vec<Stage>,
    /// Who is on duty when; `None` means every server is open around the clock.
    pub roster: Option<Roster>,
}

/// A stage: a pool of identical servers (desks, lanes) in front of one FIFO queue.
#[derive(Clone, Debug)]
pub struct Stage {
    /// The stage's name, unique within a port.
    pub name: String,
    /// Number of servers (desks, lanes) installed.
    pub servers: u32,
    /// Staff needed to open one server.
    pub staff_per_server: u32,
    /// Service time of one vehicle.
    pub service: Dist,
    /// A share of the vehicles leaving this stage that is sent to a referral-only stage.
    pub refer: Option<Referral>,
    /// Whether only referred vehicles visit this stage.
    pub referral_only: bool,
    /// What a closing server does with the vehicle it is serving.
    pub at_shift_end: ShiftEndPolicy,
}

/// Referral from a stage to a referral-only stage; the vehicle then continues with the next
/// regular stage after the one that referred it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Referral {
    /// Index of the referral-only stage.
    pub to: usize,
    /// Probability that a vehicle leaving the referring stage is referred.
    pub probability: f64,
}

/// How long to simulate and with which seed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RunSpec {
    /// Days measured (after the warm-up).
    pub days: u32,
    /// Days simulated first and discarded from every statistic.
    pub warmup_days: u32,
    /// Master seed of every random stream.
    pub seed: u64,
    /// Weekday of the first measured day, 0 = Monday.
    pub first_weekday: u8,
}

impl Port {
    /// Indices of the regular (non-referral-only) stages, in visiting order.
    pub fn regular_stages(&self) -> impl Iterator<Item = usize> + '_ {
        self.stages
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.referral_only)
            .map(|(i, _)| i)
    }

    /// Capacity schedule of each stage.
    pub fn schedules(&self) -> Vec<CapacitySchedule> {
        self.stages
            .iter()
            .enumerate()
            .map(|(i, s)| match &self.roster {
                Some(r) => r.schedule(i, s.servers, s.staff_per_server),
                None => CapacitySchedule::constant(s.servers),
            })
            .collect()
    }

    /// Expected arrivals a day over all streams, averaged over the week.
    pub fn mean_arrivals_per_day(&self) -> f64 {
        self.arrivals.iter().map(|a| a.rate.mean_per_day()).sum()
    }
}

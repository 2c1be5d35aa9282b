//! The outcome of one simulated run: plain numbers, no formatting.
//!
//! Conventions (the measured window is the run after its warm-up days):
//! * counts (`arrived`, `cleared`, `served`) count events inside the measured window;
//! * per-vehicle observations (clearance time, waits) are taken from vehicles that *arrived*
//!   inside the window, when the observation completes inside it;
//! * time averages (queue length, utilisation, vehicles in the port) cover the window;
//! * conservation: `in_system_at_start + arrived == cleared + in_system_at_end`.

use crate::stats::Summary;

/// Vehicle counts over the measured window.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct VehicleCounts {
    /// Vehicles that arrived during the measured window.
    pub arrived: u64,
    /// Vehicles that left the last stage during the measured window (whenever they arrived).
    pub cleared: u64,
    /// Vehicles in the port when the measured window began (left over from the warm-up).
    pub in_system_at_start: u64,
    /// Vehicles in the port when the run ended.
    pub in_system_at_end: u64,
    /// Time-average number of vehicles in the port.
    pub mean_in_system: f64,
}

/// One stage's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct StageResult {
    /// The stage's name.
    pub name: String,
    /// Services completed in the window.
    pub served: u64,
    /// Busy server-time within open hours ÷ open server-time (0 if never open).
    pub utilization: f64,
    /// Waiting time from joining the queue to the start of service.
    pub wait: Summary,
    /// Time-average queue length (vehicles waiting, not in service).
    pub queue_mean: f64,
    /// Time-average number of open servers.
    pub servers_open_mean: f64,
    /// Server-minutes worked after a server's closing time (shift-end policy `finish`).
    pub overtime_min: f64,
    /// The same per clock hour, averaged over the measured days.
    pub hourly: Vec<StageHour>,
}

/// One stage during one clock hour, averaged over the measured days.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct StageHour {
    /// Time-average queue length.
    pub queue_mean: f64,
    /// Time-average open servers.
    pub servers_open_mean: f64,
    /// Busy ÷ open server-time in this hour (0 when closed).
    pub utilization: f64,
}

/// One measured day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayResult {
    /// Day number, 1 = the first measured day.
    pub day: u32,
    /// Vehicles that arrived that day.
    pub arrived: u64,
    /// Vehicles cleared that day.
    pub cleared: u64,
    /// Vehicles in the port at the midnight ending the day.
    pub backlog_at_midnight: u64,
}

/// One clock hour, averaged over the measured days.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct HourResult {
    /// Clock hour, 0–23.
    pub hour: u32,
    /// Mean arrivals in this hour of the day.
    pub arrived_per_day: f64,
    /// Mean clearances in this hour of the day.
    pub cleared_per_day: f64,
}

/// Everything one run measured.
#[derive(Clone, Debug, PartialEq)]
pub struct RunResult {
    /// Measured days.
    pub days: u32,
    /// Warm-up days (discarded).
    pub warmup_days: u32,
    /// Master seed.
    pub seed: u64,
    /// Vehicle counts.
    pub vehicles: VehicleCounts,
    /// Clearance time: arrival at the port to leaving the last stage, in minutes.
    pub clearance: Summary,
    /// Per stage, indexed like the port's stages.
    pub stages: Vec<StageResult>,
    /// Per measured day.
    pub daily: Vec<DayResult>,
    /// Per clock hour.
    pub hourly: Vec<HourResult>,
    /// Events processed, warm-up included (a measure of work done).
    pub events: u64,
}

/// Mean, minimum and maximum of a daily figure.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct DailyRange {
    /// Mean over the measured days.
    pub mean: f64,
    /// Lowest day.
    pub min: f64,
    /// Highest day.
    pub max: f64,
}

impl RunResult {
    /// Vehicles cleared per day: mean, min and max over the measured days.
    pub fn throughput_per_day(&self) -> DailyRange {
        if self.daily.is_empty() {
            return DailyRange::default();
        }
        let cleared = self.daily.iter().map(|d| d.cleared as f64);
        DailyRange {
            mean: cleared.clone().sum::<f64>() / self.daily.len() as f64,
            min: cleared.clone().fold(f64::INFINITY, f64::min),
            max: cleared.fold(0.0, f64::max),
        }
    }

    /// Whether every vehicle is accounted for: present at the start plus arrived equals
    /// cleared plus present at the end.
    pub fn is_conserved(&self) -> bool {
        let v = &self.vehicles;
        v.in_system_at_start + v.arrived == v.cleared + v.in_system_at_end
    }
}

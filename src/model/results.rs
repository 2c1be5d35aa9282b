//! The outcome of one simulated run: plain numbers, no formatting.
//!
//! Conventions (the measured window is the run after its warm-up days):
//! * counts (`arrived`, `cleared`, `crossed`, `served`) count events inside the measured window;
//! * per-vehicle observations (clearance and crossing times, waits) are taken from vehicles
//!   that *arrived* inside the window, when the observation completes inside it;
//! * time averages (queue length, utilisation, vehicles in the port) cover the window;
//! * a vehicle is *in the port* from its arrival until it crosses the border; *cleared* means
//!   released by customs (the end of its last stage), *crossed* means accepted by the
//!   receiving side (the same instant when there is no exit quota);
//! * conservation: `in_system_at_start + arrived == crossed + in_system_at_end`, overall and in
//!   every group;
//! * stage statistics count *units*: a self-driving vehicle, a cage vehicle at a per-vehicle
//!   stage, or a loaded carrier (one conveyance). Group statistics count *vehicles*: a vehicle
//!   aboard a carrier experiences the carrier's waits.

use crate::engine::Time;
use crate::stats::{Histogram, Summary};

/// Vehicle counts over the measured window.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct VehicleCounts {
    /// Vehicles that arrived during the measured window.
    pub arrived: u64,
    /// Vehicles released by customs during the window (whenever they arrived).
    pub cleared: u64,
    /// Vehicles that left the country during the window.
    pub crossed: u64,
    /// Vehicles in the port when the measured window began (left over from the warm-up).
    pub in_system_at_start: u64,
    /// Vehicles in the port when the run ended.
    pub in_system_at_end: u64,
    /// Time-average number of vehicles in the port.
    pub mean_in_system: f64,
    /// Where the vehicles in the port at the end were.
    pub at_end: Places,
}

/// Where vehicles in the port are.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Places {
    /// At a stage on their own (queueing or in service).
    pub stages: u64,
    /// In the yard, waiting for a driver or to be loaded.
    pub yard: u64,
    /// Aboard a carrier (loading, dispatched, or waiting at the exit).
    pub aboard_carriers: u64,
    /// Cleared on their own, waiting at the exit.
    pub exit: u64,
}

impl Places {
    /// Vehicles in all places.
    pub fn total(&self) -> u64 {
        self.stages + self.yard + self.aboard_carriers + self.exit
    }
}

/// Conveyances: a self-driving vehicle is one, a loaded carrier is one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ConveyanceCounts {
    /// Conveyances released by customs during the window.
    pub cleared: u64,
    /// Conveyances that crossed during the window.
    pub crossed: u64,
}

/// One stage's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct StageResult {
    /// The stage's name.
    pub name: String,
    /// Units served in the window (conveyances after the yard, vehicles before it).
    pub served: u64,
    /// Vehicles served in the window (a carrier counts its vehicles).
    pub served_vehicles: u64,
    /// Busy server-time within open hours ÷ open server-time (0 if never open).
    pub utilization: f64,
    /// Waiting time of units, from joining the queue to the start of service.
    pub wait: Summary,
    /// Time-average queue length (units waiting, not in service).
    pub queue_mean: f64,
    /// Time-average number of open servers.
    pub servers_open_mean: f64,
    /// Server-minutes worked after a server's closing time (shift-end policy `finish`).
    pub overtime_min: f64,
    /// The same per clock hour, averaged over the measured days.
    pub hourly: Vec<StageHour>,
    /// Per lane group.
    pub lanes: Vec<LaneResult>,
}

/// One lane group of a stage.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneResult {
    /// The group's name.
    pub name: String,
    /// Busy ÷ open server-time.
    pub utilization: f64,
    /// Time-average open servers.
    pub servers_open_mean: f64,
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
    /// Vehicles released by customs that day.
    pub cleared: u64,
    /// Conveyances released by customs that day.
    pub cleared_conveyances: u64,
    /// Vehicles that crossed that day.
    pub crossed: u64,
    /// Conveyances that crossed that day.
    pub crossed_conveyances: u64,
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
    /// Mean clearances (vehicles) in this hour of the day.
    pub cleared_per_day: f64,
    /// Mean crossings (vehicles) in this hour of the day.
    pub crossed_per_day: f64,
}

/// The figures of one group of vehicles (a loading mode, a class, a declaration mode, or a
/// channel), all counted in vehicles.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupResult {
    /// `mode`, `class`, `declaration` or `channel`.
    pub dimension: &'static str,
    /// The group within it (`self_driving`, `car`, `transit`, `green`...).
    pub name: String,
    /// Vehicles that arrived in the window.
    pub arrived: u64,
    /// Vehicles cleared in the window.
    pub cleared: u64,
    /// Vehicles that crossed in the window.
    pub crossed: u64,
    /// Vehicles of the group in the port when the window began.
    pub in_system_at_start: u64,
    /// Vehicles of the group in the port at the end.
    pub in_system_at_end: u64,
    /// Arrival to release by customs.
    pub clearance: Summary,
    /// Arrival to leaving the country.
    pub crossing: Summary,
    /// Time in the yard: waiting for a driver (self-driving) or for loading and dispatch (cage).
    pub yard: Summary,
    /// Wait at each stage (indexed like the port's stages; vehicles that did not visit a stage
    /// have no observation there).
    pub stage_wait: Vec<Summary>,
    /// Per measured day.
    pub daily: Vec<GroupDay>,
}

impl GroupResult {
    /// Whether every vehicle of the group is accounted for.
    pub fn is_conserved(&self) -> bool {
        self.in_system_at_start + self.arrived == self.crossed + self.in_system_at_end
    }
}

/// A group's counts on one measured day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GroupDay {
    /// Vehicles of the group that arrived.
    pub arrived: u64,
    /// Vehicles of the group cleared.
    pub cleared: u64,
    /// Vehicles of the group that crossed.
    pub crossed: u64,
}

/// The driver pool of self-driving vehicles.
#[derive(Clone, Debug, PartialEq)]
pub struct DriverResult {
    /// Pool size.
    pub pool: u32,
    /// Time-average share of drivers away (driving, or travelling back).
    pub utilization: f64,
    /// Time-average number of vehicles waiting for a driver.
    pub waiting_mean: f64,
    /// Wait for a driver, per self-driving vehicle.
    pub wait: Summary,
}

/// The carrier fleet.
#[derive(Clone, Debug, PartialEq)]
pub struct CarrierResult {
    /// Fleet size.
    pub fleet: u32,
    /// Time-average share of carriers not idle at the yard.
    pub utilization: f64,
    /// Time-average carriers idle at the yard.
    pub idle_mean: f64,
    /// Time-average carriers loading at a bay.
    pub loading_mean: f64,
    /// Time-average carriers dispatched and still in the port (stages or exit).
    pub in_port_mean: f64,
    /// Time-average carriers travelling back.
    pub returning_mean: f64,
    /// Carriers dispatched in the window.
    pub trips: u64,
    /// Mean vehicles aboard a dispatched carrier.
    pub vehicles_per_trip: f64,
    /// Time-average vehicles waiting in the yard to be loaded.
    pub waiting_mean: f64,
    /// Yard entry to dispatch, per cage vehicle.
    pub loading_wait: Summary,
}

/// The receiving side.
#[derive(Clone, Debug, PartialEq)]
pub struct ExitResult {
    /// Time-average conveyances waiting at the exit.
    pub queue_mean: f64,
    /// Wait of conveyances at the exit, from release by customs to crossing.
    pub wait: Summary,
    /// Conveyances waiting at the exit at the end.
    pub waiting_at_end: u64,
}

/// One vehicle's journey (kept only when asked for).
#[derive(Clone, Debug, PartialEq)]
pub struct VehicleRecord {
    /// Sequence number in order of arrival, from 0.
    pub id: u64,
    /// Arrival stream index.
    pub stream: usize,
    /// Class index.
    pub class: usize,
    /// Loading mode.
    pub mode: super::Mode,
    /// Declaration-mode index.
    pub declaration: usize,
    /// Green channel.
    pub green: bool,
    /// Arrived inside the measured window.
    pub measured: bool,
    /// Arrival instant.
    pub arrival: Time,
    /// Each stage visit: stage index, queue entry, service start, service end (the carrier's
    /// for vehicles aboard one). Interrupted services show their first start.
    pub visits: Vec<StageVisit>,
    /// Yard entry and exit.
    pub yard: Option<(Time, Time)>,
    /// Release by customs.
    pub cleared: Option<Time>,
    /// Crossing.
    pub crossed: Option<Time>,
    /// Carrier trip number, if it went by cage truck (counting all carriers' trips from 0).
    pub trip: Option<u64>,
    /// The carrier that took it (index in the fleet), if it went by cage truck.
    pub carrier: Option<u32>,
}

/// One stage visit of a vehicle record.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StageVisit {
    /// Stage index.
    pub stage: usize,
    /// Joined the queue.
    pub queued: Time,
    /// Service began (first start).
    pub start: Option<Time>,
    /// Service ended.
    pub end: Option<Time>,
    /// Lane group that served it (index into the stage's lanes).
    pub lane: Option<usize>,
}

/// One measured hour of a run (kept only when asked for).
#[derive(Clone, Debug, PartialEq)]
pub struct TimelineHour {
    /// Hours since the start of the measured window (0 = 00:00–01:00 of the first measured day).
    pub hour: u32,
    /// Vehicles that arrived in the hour.
    pub arrived: u64,
    /// Vehicles cleared in the hour.
    pub cleared: u64,
    /// Vehicles that crossed in the hour.
    pub crossed: u64,
    /// Vehicles in the port at the end of the hour.
    pub in_port: u64,
    /// Per stage, indexed like the port's stages.
    pub stages: Vec<TimelineStage>,
}

/// One stage during one measured hour.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TimelineStage {
    /// Time-average queue length (units).
    pub queue_mean: f64,
    /// Time-average open servers.
    pub servers_open_mean: f64,
    /// Busy ÷ open server-time (0 when closed).
    pub utilization: f64,
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
    /// Conveyance counts.
    pub conveyances: ConveyanceCounts,
    /// Clearance time: arrival at the port to release by customs, in minutes.
    pub clearance: Summary,
    /// Crossing time: arrival at the port to leaving the country, in minutes.
    pub crossing: Summary,
    /// Per stage, indexed like the port's stages.
    pub stages: Vec<StageResult>,
    /// Per group of vehicles: every mode, class, declaration mode and channel of the port.
    pub groups: Vec<GroupResult>,
    /// The driver pool, if limited.
    pub drivers: Option<DriverResult>,
    /// The carrier fleet, if any.
    pub carriers: Option<CarrierResult>,
    /// The receiving side, if it limits crossings.
    pub exit: Option<ExitResult>,
    /// Per measured day.
    pub daily: Vec<DayResult>,
    /// Per clock hour.
    pub hourly: Vec<HourResult>,
    /// One record per vehicle, if asked for (`RunSpec::record_vehicles`).
    pub vehicle_records: Vec<VehicleRecord>,
    /// One row per measured hour, if asked for (`RunSpec::record_timeline`).
    pub timeline: Vec<TimelineHour>,
    /// Distribution of clearance times (vehicles that arrived in the window), in minutes.
    pub clearance_histogram: Histogram,
    /// Distribution of crossing times, in minutes.
    pub crossing_histogram: Histogram,
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

impl DailyRange {
    /// Mean, min and max of `values` (all zero when empty).
    pub fn of(values: impl Iterator<Item = u64> + Clone) -> DailyRange {
        let n = values.clone().count();
        if n == 0 {
            return DailyRange::default();
        }
        let xs = values.map(|v| v as f64);
        DailyRange {
            mean: xs.clone().sum::<f64>() / n as f64,
            min: xs.clone().fold(f64::INFINITY, f64::min),
            max: xs.fold(0.0, f64::max),
        }
    }
}

impl RunResult {
    /// Vehicles cleared per day: mean, min and max over the measured days.
    pub fn throughput_per_day(&self) -> DailyRange {
        DailyRange::of(self.daily.iter().map(|d| d.cleared))
    }

    /// Conveyances cleared per day.
    pub fn conveyances_per_day(&self) -> DailyRange {
        DailyRange::of(self.daily.iter().map(|d| d.cleared_conveyances))
    }

    /// Vehicles crossed per day.
    pub fn crossings_per_day(&self) -> DailyRange {
        DailyRange::of(self.daily.iter().map(|d| d.crossed))
    }

    /// Whether every vehicle is accounted for: overall (present at the start plus arrived
    /// equals crossed plus present at the end, and the places at the end add up) and in every
    /// group.
    pub fn is_conserved(&self) -> bool {
        let v = &self.vehicles;
        v.in_system_at_start + v.arrived == v.crossed + v.in_system_at_end
            && v.at_end.total() == v.in_system_at_end
            && self.groups.iter().all(GroupResult::is_conserved)
    }

    /// The group `name` of `dimension`, if the port has it.
    pub fn group(&self, dimension: &str, name: &str) -> Option<&GroupResult> {
        self.groups
            .iter()
            .find(|g| g.dimension == dimension && g.name == name)
    }
}

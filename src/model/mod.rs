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

pub use arrivals::{
    ArrivalKind, ArrivalStream, Attributes, Convoy, DaySet, Mix, RateProfile, TraceRecord,
    growth_factor,
};
pub use load::{ResourceLoad, StageLoad, mean_arrivals_by_hour, resource_loads, stage_loads};
pub use results::{
    CarrierResult, ConveyanceCounts, DailyRange, DayResult, DriverResult, ExitResult, GroupDay,
    GroupResult, HourResult, LaneResult, Places, RunResult, StageHour, StageResult, StageVisit,
    TimelineHour, TimelineStage, VehicleCounts, VehicleRecord,
};
pub use roster::{CapacitySchedule, Roster, Shift, ShiftEndPolicy, StageStaff};
pub use sim::simulate;

use crate::dist::Dist;
use crate::engine::Duration;

/// A land border port, ready to simulate. Built (and checked) by the `scenario` module.
#[derive(Clone, Debug)]
pub struct Port {
    /// The scenario's name.
    pub name: String,
    /// Vehicle classes (at least one).
    pub classes: Vec<Class>,
    /// Declaration modes (at least one).
    pub declarations: Vec<DeclarationMode>,
    /// Where vehicles come from.
    pub arrivals: Vec<ArrivalStream>,
    /// The stages, in the order regular vehicles pass them; referral-only stages anywhere.
    pub stages: Vec<Stage>,
    /// Who is on duty when; `None` means every server is open around the clock.
    pub roster: Option<Roster>,
    /// Where vehicles get a driver or are loaded onto carriers, and how.
    pub yard: Yard,
    /// The receiving side's acceptance limits; `None` means units cross as soon as cleared.
    pub exit: Option<Exit>,
    /// When the port works at all.
    pub hours: PortHours,
}

/// How a vehicle leaves the country.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Mode {
    /// Driven across by its own driver.
    SelfDriving,
    /// Loaded with others onto a car carrier that crosses as one conveyance.
    CageTruck,
}

impl Mode {
    /// Both modes, in report order.
    pub const ALL: [Mode; 2] = [Mode::SelfDriving, Mode::CageTruck];

    /// The name used in scenario files and reports.
    pub fn name(self) -> &'static str {
        match self {
            Mode::SelfDriving => "self_driving",
            Mode::CageTruck => "cage_truck",
        }
    }
}

/// A kind of vehicle (new-energy car, heavy truck, dump truck, forklift...).
#[derive(Clone, Debug)]
pub struct Class {
    /// The class name, unique within a port.
    pub name: String,
    /// Carrier slots a vehicle of this class takes.
    pub slots: u32,
    /// Whether it may be loaded onto a cage truck at all.
    pub cage_allowed: bool,
    /// How this class changes service times, per stage (indexed like the port's stages).
    pub service: Vec<ServiceOverride>,
}

/// A change to a stage's service time for some vehicles.
#[derive(Clone, Debug, Default)]
pub enum ServiceOverride {
    /// The stage's own distribution.
    #[default]
    None,
    /// A distribution of its own.
    Dist(Dist),
    /// The distribution in force, times a factor.
    Multiplier(f64),
}

/// A declaration mode: local, integrated, direct transfer...
#[derive(Clone, Debug)]
pub struct DeclarationMode {
    /// The mode's name, unique within a port.
    pub name: String,
    /// How this mode changes service times, per stage (its document-processing time).
    pub service: Vec<ServiceOverride>,
    /// Whether vehicles of this mode pass each stage (indexed like the port's stages;
    /// referral-only stages are `true` and reached only by referral).
    pub passes: Vec<bool>,
}

/// A stage: lanes (servers) in front of one queue; green units are served first.
#[derive(Clone, Debug)]
pub struct Stage {
    /// The stage's name, unique within a port.
    pub name: String,
    /// Servers (desks, lanes) installed: the sum over its lane groups.
    pub servers: u32,
    /// Staff needed to open one server.
    pub staff_per_server: u32,
    /// Service time of one vehicle (before class and declaration-mode overrides).
    pub service: Dist,
    /// Service time of a loaded carrier: a base time plus a time per vehicle aboard.
    pub carrier_service: CarrierService,
    /// A share of the units leaving this stage that is sent to a referral-only stage.
    pub refer: Option<Referral>,
    /// Whether only referred units visit this stage.
    pub referral_only: bool,
    /// What a closing server does with the unit it is serving.
    pub at_shift_end: ShiftEndPolicy,
    /// Groups of lanes, each serving some units (at least one group).
    pub lanes: Vec<LaneGroup>,
}

/// The service time of a loaded carrier at a stage: `base + Σ per_vehicle × class multiplier`.
#[derive(Clone, Debug)]
pub struct CarrierService {
    /// Time for the carrier itself.
    pub base: Dist,
    /// Time added for each vehicle aboard (`None`: nothing).
    pub per_vehicle: Option<Dist>,
}

/// Lanes of a stage that serve only some units.
#[derive(Clone, Debug)]
pub struct LaneGroup {
    /// The group's name, unique within its stage.
    pub name: String,
    /// Lanes in the group.
    pub servers: u32,
    /// Which units it serves.
    pub serves: Filter,
}

/// Which units a lane group serves: all, or those with any of the listed tags.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// Serves every unit.
    pub all: bool,
    /// Loading modes served.
    pub modes: [bool; 2],
    /// Classes served (individual vehicles only), indexed like the port's classes.
    pub classes: Vec<bool>,
    /// Declaration modes served (individual vehicles only).
    pub declarations: Vec<bool>,
    /// Green-channel units served.
    pub green: bool,
}

impl Filter {
    /// A filter that serves everyone.
    pub fn all() -> Filter {
        Filter {
            all: true,
            ..Filter::default()
        }
    }

    /// Whether a unit with these tags may use the lanes. Carriers have no class or
    /// declaration mode of their own.
    #[inline]
    pub fn accepts(
        &self,
        mode: Mode,
        class: Option<usize>,
        declaration: Option<usize>,
        green: bool,
    ) -> bool {
        self.all
            || self.modes[mode as usize]
            || (green && self.green)
            || class.is_some_and(|c| self.classes.get(c).copied().unwrap_or(false))
            || declaration.is_some_and(|d| self.declarations.get(d).copied().unwrap_or(false))
    }
}

/// Referral from a stage to a referral-only stage; the unit then continues with the next
/// regular stage after the one that referred it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Referral {
    /// Index of the referral-only stage.
    pub to: usize,
    /// Probability that a unit leaving the referring stage is referred.
    pub probability: f64,
}

/// The yard between the per-vehicle stages (documents) and the per-conveyance stages (physical
/// checks): self-driving vehicles wait there for a driver, cage vehicles for a carrier.
#[derive(Clone, Debug)]
pub struct Yard {
    /// Index of the last regular stage passed individually before the yard (`None`: the yard
    /// comes first, on arrival).
    pub after: Option<usize>,
    /// The driver pool.
    pub drivers: Drivers,
    /// The carrier fleet (`None`: no cage trucks; every vehicle drives itself).
    pub carriers: Option<Carriers>,
}

/// Drivers for self-driving vehicles.
#[derive(Clone, Debug)]
pub struct Drivers {
    /// Pool size (`None`: unlimited, no one ever waits for a driver).
    pub pool: Option<u32>,
    /// Time from crossing until the driver is back and free (required with a pool).
    pub round_trip: Option<Dist>,
}

/// The car-carrier (cage-truck) fleet.
#[derive(Clone, Debug)]
pub struct Carriers {
    /// Number of carriers.
    pub fleet: u32,
    /// Slots per carrier.
    pub slots: u32,
    /// Carriers that can load at once.
    pub bays: u32,
    /// Loading time per vehicle.
    pub loading: Dist,
    /// Dispatch when the first vehicle aboard has waited this long (if `min_load` is met)...
    pub max_wait: Duration,
    /// ...with at least this many slots used; a full carrier always leaves.
    pub min_load: u32,
    /// Time from crossing until the carrier is back at the yard, empty.
    pub round_trip: Dist,
}

/// The receiving side: at most `quota_per_day` conveyances a day, only within `hours`.
#[derive(Clone, Debug, PartialEq)]
pub struct Exit {
    /// Conveyances accepted per calendar day (`None`: no limit).
    pub quota_per_day: Option<u32>,
    /// Opening hours of the receiving side (`None`: around the clock).
    pub hours: Option<DailyWindow>,
}

/// A daily opening window `[open, close)` in clock time; `close < open` runs past midnight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DailyWindow {
    /// Opening time after midnight.
    pub open: Duration,
    /// Closing time after midnight.
    pub close: Duration,
}

impl DailyWindow {
    /// Whether clock time `tod` is inside the window.
    pub fn contains(&self, tod: Duration) -> bool {
        let (o, c, t) = (self.open.minutes(), self.close.minutes(), tod.minutes());
        if o < c {
            o <= t && t < c
        } else {
            t >= o || t < c
        }
    }

    /// Open minutes a day.
    pub fn minutes_per_day(&self) -> f64 {
        let len = self.close.minutes() - self.open.minutes();
        if len > 0.0 {
            len
        } else {
            len + crate::engine::MINUTES_PER_DAY
        }
    }
}

/// When the whole port works: daily hours and closed days. Closed means every stage is closed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PortHours {
    /// Daily working hours (`None`: 24 hours).
    pub daily: Option<DailyWindow>,
    /// Measured days (1 = the first measured day) on which the port is closed all day.
    pub closed_days: Vec<u32>,
    /// Weekdays (Monday first) on which the port is closed all day.
    pub closed_weekdays: [bool; 7],
}

impl PortHours {
    /// Whether the port never closes.
    pub fn always_open(&self) -> bool {
        self.daily.is_none() && self.closed_days.is_empty() && !self.closed_weekdays.contains(&true)
    }
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
    /// Keep one record per vehicle (arrival, stage times, clearance, crossing).
    pub record_vehicles: bool,
    /// Keep one row per measured hour (queues and open servers over time).
    pub record_timeline: bool,
    /// Replace the arrival streams by an endless supply: a queue in front of the first stage
    /// that never runs dry (for measuring capacity). Vehicles take the streams' mixes.
    pub saturate: bool,
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

    /// Capacity schedule of each lane group of each stage.
    pub fn schedules(&self) -> Vec<Vec<CapacitySchedule>> {
        self.stages
            .iter()
            .enumerate()
            .map(|(i, s)| match &self.roster {
                Some(r) => r.schedules(i, s),
                None => s
                    .lanes
                    .iter()
                    .map(|l| CapacitySchedule::constant(l.servers))
                    .collect(),
            })
            .collect()
    }

    /// Expected arrivals a day over all streams, averaged over the measured days of `run`.
    pub fn mean_arrivals_per_day(&self, run: &RunSpec) -> f64 {
        self.arrivals
            .iter()
            .map(|a| a.mean_per_day(run.warmup_days, run.days))
            .sum()
    }

    /// Whether any vehicle can travel by cage truck.
    pub fn has_carriers(&self) -> bool {
        self.yard.carriers.is_some()
    }
}

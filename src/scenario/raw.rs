//! The scenario file as written: serde structs that mirror the TOML one to one.
//!
//! Only shape and types are checked here (unknown fields are rejected, units parsed);
//! meaning is checked in `build`.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::units::{ClockField, DurationField, RateField};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub simulation: RawSimulation,
    #[serde(default)]
    pub classes: Vec<RawClass>,
    #[serde(default)]
    pub declarations: Vec<RawDeclaration>,
    #[serde(default)]
    pub arrivals: Vec<RawArrivals>,
    #[serde(default)]
    pub stages: Vec<RawStage>,
    pub staffing: Option<RawStaffing>,
    pub yard: Option<RawYard>,
    pub self_driving: Option<RawSelfDriving>,
    pub cage_truck: Option<RawCageTruck>,
    pub exit: Option<RawExit>,
    pub port: Option<RawPort>,
    pub planning: Option<RawPlanning>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClass {
    pub name: String,
    #[serde(default = "one")]
    pub slots: i64,
    #[serde(default = "yes")]
    pub cage_truck: bool,
    #[serde(default)]
    pub service: BTreeMap<String, RawOverride>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDeclaration {
    pub name: String,
    pub stages: Option<Vec<String>>,
    #[serde(default)]
    pub service: BTreeMap<String, RawOverride>,
}

/// A change of service time: `{ multiplier = 1.5 }` or a distribution of its own.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOverride {
    pub multiplier: Option<f64>,
    pub dist: Option<DistKind>,
    pub value: Option<DurationField>,
    pub mean: Option<DurationField>,
    pub sd: Option<DurationField>,
    pub min: Option<DurationField>,
    pub mode: Option<DurationField>,
    pub max: Option<DurationField>,
    pub k: Option<i64>,
    pub values: Option<Vec<DurationField>>,
    pub weights: Option<Vec<f64>>,
}

impl RawOverride {
    /// The distribution part, if `dist` is given.
    pub fn as_dist(&self) -> Option<RawDist> {
        Some(RawDist {
            dist: self.dist?,
            value: self.value,
            mean: self.mean,
            sd: self.sd,
            min: self.min,
            mode: self.mode,
            max: self.max,
            k: self.k,
            values: self.values.clone(),
            weights: self.weights.clone(),
        })
    }
}

/// A share: one number for all, or one per class.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawShare {
    All(f64),
    ByClass(BTreeMap<String, f64>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConvoy {
    pub vehicles: i64,
    pub at: ClockField,
    pub spacing: Option<DurationField>,
    pub days: Option<Vec<i64>>,
    pub weekdays: Option<Vec<Weekday>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawYard {
    pub after: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSelfDriving {
    pub drivers: Option<i64>,
    pub round_trip: Option<RawDist>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCageTruck {
    pub carriers: i64,
    pub slots: i64,
    #[serde(default = "one")]
    pub bays: i64,
    pub loading: RawDist,
    pub max_wait: DurationField,
    #[serde(default = "one")]
    pub min_load: i64,
    pub round_trip: RawDist,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExit {
    pub quota_per_day: Option<i64>,
    pub hours: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPort {
    pub hours: Option<String>,
    #[serde(default)]
    pub closed_days: Vec<i64>,
    #[serde(default)]
    pub closed_weekdays: Vec<Weekday>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulation {
    pub name: String,
    pub days: i64,
    #[serde(default)]
    pub warmup_days: i64,
    #[serde(default = "default_seed")]
    pub seed: u64,
    pub start_weekday: Option<Weekday>,
    pub replications: Option<i64>,
}

fn default_seed() -> u64 {
    1
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Weekday {
    #[serde(alias = "mon")]
    Monday,
    #[serde(alias = "tue")]
    Tuesday,
    #[serde(alias = "wed")]
    Wednesday,
    #[serde(alias = "thu")]
    Thursday,
    #[serde(alias = "fri")]
    Friday,
    #[serde(alias = "sat")]
    Saturday,
    #[serde(alias = "sun")]
    Sunday,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawArrivals {
    pub name: String,
    pub rate: Option<RateField>,
    pub per_day: Option<f64>,
    pub convoy: Option<RawConvoy>,
    pub trace: Option<String>,
    pub hourly_profile: Option<Vec<f64>>,
    pub day_of_week: Option<Vec<f64>>,
    pub growth_per_year: Option<f64>,
    pub mix: Option<BTreeMap<String, f64>>,
    pub self_driving: Option<RawShare>,
    pub declaration: Option<BTreeMap<String, f64>>,
    pub green: Option<RawShare>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStage {
    pub name: String,
    pub servers: Option<i64>,
    #[serde(default = "one")]
    pub staff_per_server: i64,
    pub service: RawDist,
    pub carrier_service: Option<RawCarrierService>,
    pub lanes: Option<Vec<RawLanes>>,
    pub refer: Option<RawRefer>,
    #[serde(default)]
    pub referral_only: bool,
    pub at_shift_end: Option<RawPolicy>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCarrierService {
    pub base: Option<RawDist>,
    pub per_vehicle: Option<RawDist>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLanes {
    pub name: String,
    pub servers: i64,
    #[serde(default)]
    pub serves: Vec<String>,
}

fn one() -> i64 {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRefer {
    pub to: String,
    pub probability: f64,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum RawPolicy {
    Finish,
    Preempt,
}

/// A distribution as written: its kind and whichever parameters were given. Which parameters
/// a kind takes is checked in `build`, so that each mistake points at its own field.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDist {
    pub dist: DistKind,
    pub value: Option<DurationField>,
    pub mean: Option<DurationField>,
    pub sd: Option<DurationField>,
    pub min: Option<DurationField>,
    pub mode: Option<DurationField>,
    pub max: Option<DurationField>,
    pub k: Option<i64>,
    pub values: Option<Vec<DurationField>>,
    pub weights: Option<Vec<f64>>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DistKind {
    Constant,
    Exponential,
    Uniform,
    Triangular,
    Normal,
    Lognormal,
    Gamma,
    Erlang,
    Empirical,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStaffing {
    pub handover: Option<DurationField>,
    pub at_shift_end: Option<RawPolicy>,
    #[serde(default)]
    pub shifts: Vec<RawShift>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawShift {
    pub name: String,
    pub start: ClockField,
    pub end: ClockField,
    #[serde(default)]
    pub staff: BTreeMap<String, RawStaff>,
}

/// Staff for a stage as a whole, or for each of its lane groups.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum RawStaff {
    Stage(i64),
    Lanes(BTreeMap<String, i64>),
}

/// `[planning]`: bounds and costs for `portsim plan` (checked in `build::check_experiment`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlanning {
    #[serde(default)]
    pub min_staff: BTreeMap<String, i64>,
    #[serde(default)]
    pub max_staff: BTreeMap<String, i64>,
    pub max_staff_per_shift: Option<i64>,
    #[serde(default)]
    pub cost_per_hour: BTreeMap<String, f64>,
    pub replications: Option<i64>,
    pub confirm_replications: Option<i64>,
}

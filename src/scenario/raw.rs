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
    pub arrivals: Vec<RawArrivals>,
    #[serde(default)]
    pub stages: Vec<RawStage>,
    pub staffing: Option<RawStaffing>,
    pub planning: Option<RawPlanning>,
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

#[derive(Clone, Copy, Debug, Deserialize)]
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
    pub hourly_profile: Option<Vec<f64>>,
    pub day_of_week: Option<Vec<f64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStage {
    pub name: String,
    pub servers: i64,
    #[serde(default = "one")]
    pub staff_per_server: i64,
    pub service: RawDist,
    pub refer: Option<RawRefer>,
    #[serde(default)]
    pub referral_only: bool,
    pub at_shift_end: Option<RawPolicy>,
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
#[derive(Debug, Deserialize)]
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
    pub staff: BTreeMap<String, i64>,
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

//! The staffing planner: the cheapest roster whose service targets hold with 95 % confidence.
//!
//! A roster here is the staff of every stage in every shift of the scenario's roster (a
//! scenario without `[staffing]` gets one 24-hour shift). The planner minimises staff-hours a
//! day, or the cost a day when `[planning] cost_per_hour` prices each stage, subject to the
//! targets (`p95_clearance <= 4h`, `throughput >= 680/day`...), each required to hold at the
//! one-sided 95 % confidence bound of its mean over the replications.
//!
//! The search never walks the full grid (millions of rosters for a three-shift port). It
//! moves one server's crew (`staff_per_server` officers) at a time:
//!
//! 1. **Start** at the static bound: in each shift, the fewest servers whose capacity exceeds
//!    the work that arrives in that shift (offered load below 1, from the arrival profile and
//!    mean service times; no simulation).
//! 2. **Ascend**: while a target fails, evaluate every one-crew addition and take the one
//!    with the largest reduction of the target shortfall per staff-hour (or per unit of cost)
//!    added.
//! 3. **Trim**: while some one-crew removal still meets every target, take the removal that
//!    saves the most.
//! 4. **Confirm** with more replications: re-check the result and its one-crew-cheaper
//!    neighbours, ascending or trimming again if the larger sample says so. The neighbours
//!    that fail are reported as the rejected runner-ups, with the target each one misses.
//!
//! Every candidate runs with the same replication seeds (common random numbers), so the
//! comparison between neighbouring rosters is paired and not at the mercy of luck. A roster
//! that leaves a stage overloaded (offered load ≥ 1) is rejected without simulating it.

use std::collections::HashMap;
use std::fmt;

use super::replicate::run_batch;
use super::{Control, Outcome, Overrides};
use crate::engine::{Duration, MINUTES_PER_DAY, MINUTES_PER_HOUR};
use crate::model::{self, Port, RunResult, Shift};
use crate::scenario::{Scenario, nearest, parse_duration};
use crate::stats::{MeanCi, student_t_quantile};

/// Screening replications when neither the command nor the scenario says.
pub const DEFAULT_REPLICATIONS: u32 = 10;
/// Confirming replications when neither the command nor the scenario says.
pub const DEFAULT_CONFIRM_REPLICATIONS: u32 = 30;
/// Most rosters one plan may evaluate (a guard; real searches use a few dozen).
const MAX_EVALUATIONS: usize = 5_000;

/// A figure of a run that a target can constrain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    /// A statistic of the clearance time, in minutes.
    Clearance(Stat),
    /// Vehicles cleared per day (mean over the measured days).
    Throughput,
    /// Total waiting time of a vehicle over all stages, in minutes (mean).
    TotalWait,
    /// A statistic of the wait at one stage (index), in minutes.
    StageWait(usize, Stat),
    /// Utilisation of one stage (fraction 0–1).
    Utilization(usize),
}

/// Which statistic of a distribution of times.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stat {
    /// The mean.
    Mean,
    /// The median.
    P50,
    /// The 90th percentile.
    P90,
    /// The 95th percentile.
    P95,
    /// The 99th percentile.
    P99,
}

const STATS: [(Stat, &str); 5] = [
    (Stat::Mean, "mean"),
    (Stat::P50, "p50"),
    (Stat::P90, "p90"),
    (Stat::P95, "p95"),
    (Stat::P99, "p99"),
];

fn stat_name(stat: Stat) -> &'static str {
    STATS
        .iter()
        .find(|(s, _)| *s == stat)
        .map_or("", |(_, n)| n)
}

fn pick(s: &crate::stats::Summary, stat: Stat) -> f64 {
    match stat {
        Stat::Mean => s.mean,
        Stat::P50 => s.p50,
        Stat::P90 => s.p90,
        Stat::P95 => s.p95,
        Stat::P99 => s.p99,
    }
}

/// What a metric's values are measured in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Minutes.
    Minutes,
    /// Vehicles a day.
    PerDay,
    /// A fraction from 0 to 1.
    Fraction,
}

impl Metric {
    /// Every metric name a target may use for this port.
    pub fn names(port: &Port) -> Vec<String> {
        let mut out: Vec<String> = STATS
            .iter()
            .map(|(_, n)| format!("{n}_clearance"))
            .collect();
        out.push("throughput".into());
        out.push("mean_wait".into());
        for s in &port.stages {
            for (_, n) in STATS {
                out.push(format!("{n}_wait.{}", s.name));
            }
            out.push(format!("utilization.{}", s.name));
        }
        out
    }

    /// The metric called `name`, if any.
    pub fn parse(name: &str, port: &Port) -> Option<Metric> {
        let stage = |s: &str| port.stages.iter().position(|x| x.name == s);
        if name == "throughput" {
            return Some(Metric::Throughput);
        }
        if name == "mean_wait" {
            return Some(Metric::TotalWait);
        }
        if let Some(s) = name.strip_prefix("utilization.") {
            return stage(s).map(Metric::Utilization);
        }
        for (stat, n) in STATS {
            if name == format!("{n}_clearance") {
                return Some(Metric::Clearance(stat));
            }
            if let Some(s) = name.strip_prefix(&format!("{n}_wait.")) {
                return stage(s).map(|k| Metric::StageWait(k, stat));
            }
        }
        None
    }

    /// The name targets use (`p95_clearance`, `mean_wait.declaration`).
    pub fn name(&self, port: &Port) -> String {
        match *self {
            Metric::Clearance(s) => format!("{}_clearance", stat_name(s)),
            Metric::Throughput => "throughput".into(),
            Metric::TotalWait => "mean_wait".into(),
            Metric::StageWait(k, s) => format!("{}_wait.{}", stat_name(s), port.stages[k].name),
            Metric::Utilization(k) => format!("utilization.{}", port.stages[k].name),
        }
    }

    /// The unit of its values.
    pub fn unit(&self) -> Unit {
        match self {
            Metric::Throughput => Unit::PerDay,
            Metric::Utilization(_) => Unit::Fraction,
            _ => Unit::Minutes,
        }
    }

    /// Its value in one run.
    pub fn value(&self, r: &RunResult) -> f64 {
        match *self {
            Metric::Clearance(s) => pick(&r.clearance, s),
            Metric::Throughput => r.throughput_per_day().mean,
            Metric::TotalWait => {
                // Waiting time summed over stages, per vehicle that started its first service.
                let first = r.stages.iter().map(|s| s.wait.count).max().unwrap_or(0);
                let total: f64 = r
                    .stages
                    .iter()
                    .map(|s| s.wait.count as f64 * s.wait.mean)
                    .sum();
                if first == 0 {
                    0.0
                } else {
                    total / first as f64
                }
            }
            Metric::StageWait(k, s) => pick(&r.stages[k].wait, s),
            Metric::Utilization(k) => r.stages[k].utilization,
        }
    }
}

/// `<=` or `>=`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// The figure must be at most the limit.
    AtMost,
    /// The figure must be at least the limit.
    AtLeast,
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Op::AtMost => "<=",
            Op::AtLeast => ">=",
        })
    }
}

/// A service target: `p95_clearance <= 4h`.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// As written.
    pub text: String,
    /// What it constrains.
    pub metric: Metric,
    /// Which way.
    pub op: Op,
    /// The limit, in the metric's unit (minutes, vehicles a day, fraction).
    pub limit: f64,
}

/// A mistake in the planner's arguments or bounds (exit code 2).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("error: {message}\n  = hint: {hint}")]
pub struct PlanError {
    /// What is wrong.
    pub message: String,
    /// What would be valid.
    pub hint: String,
}

fn plan_error(message: impl Into<String>, hint: impl Into<String>) -> PlanError {
    PlanError {
        message: message.into(),
        hint: hint.into(),
    }
}

impl Target {
    /// Parses `METRIC <= LIMIT` or `METRIC >= LIMIT` for `port`. Limits of times are
    /// durations (`4h`, `30m`), of throughput `700/day` (or `700`), of utilisation a fraction
    /// (`0.85`) or a percentage (`85%`).
    pub fn parse(text: &str, port: &Port) -> Result<Target, PlanError> {
        let arg = format!("--target \"{text}\"");
        let (name, op, limit) = if let Some((a, b)) = text.split_once("<=") {
            (a, Op::AtMost, b)
        } else if let Some((a, b)) = text.split_once(">=") {
            (a, Op::AtLeast, b)
        } else {
            return Err(plan_error(
                format!("{arg} has no `<=` or `>=`"),
                "write a metric, `<=` or `>=`, and a limit: \"p95_clearance <= 4h\", \"throughput >= 680/day\"",
            ));
        };
        let name = name.trim();
        let names = Metric::names(port);
        let metric = Metric::parse(name, port).ok_or_else(|| {
            plan_error(
                format!("{arg}: unknown metric \"{name}\""),
                format!(
                    "the nearest metrics are {}; all: {}",
                    nearest(name, names.iter().map(String::as_str), 3).join(", "),
                    names.join(", ")
                ),
            )
        })?;
        let limit_text = limit.trim();
        let limit = match metric.unit() {
            Unit::Minutes => {
                if limit_text.parse::<f64>().is_ok() {
                    return Err(plan_error(
                        format!("{arg}: the limit \"{limit_text}\" has no unit"),
                        format!(
                            "{name} is a time: write {limit_text}m for minutes or {limit_text}h for hours"
                        ),
                    ));
                }
                parse_duration(limit_text)
                    .map_err(|e| plan_error(format!("{arg}: {e}"), "e.g. 4h, 30m, 1h30m"))?
            }
            Unit::PerDay => {
                let n = limit_text
                    .strip_suffix("/day")
                    .or_else(|| limit_text.strip_suffix("/d"))
                    .unwrap_or(limit_text)
                    .trim();
                n.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .ok_or_else(|| {
                        plan_error(
                            format!("{arg}: \"{limit_text}\" is not a number of vehicles a day"),
                            "e.g. 680/day",
                        )
                    })?
            }
            Unit::Fraction => {
                let (n, scale) = match limit_text.strip_suffix('%') {
                    Some(n) => (n.trim(), 0.01),
                    None => (limit_text, 1.0),
                };
                n.parse::<f64>()
                    .ok()
                    .map(|x| x * scale)
                    .filter(|x| (0.0..=1.0).contains(x))
                    .ok_or_else(|| {
                        plan_error(
                            format!("{arg}: \"{limit_text}\" is not a utilisation"),
                            "a fraction from 0 to 1 (0.85) or a percentage (85%)",
                        )
                    })?
            }
        };
        Ok(Target {
            text: text.trim().to_string(),
            metric,
            op,
            limit,
        })
    }

    /// How far the conservative bound `bound` misses the limit, relative to the limit (0 when
    /// met); negative values measure the margin when `signed`.
    fn excess(&self, bound: f64, signed: bool) -> f64 {
        let scale = if self.limit.abs() > 0.0 {
            self.limit.abs()
        } else {
            1.0
        };
        let e = match self.op {
            Op::AtMost => (bound - self.limit) / scale,
            Op::AtLeast => (self.limit - bound) / scale,
        };
        if signed { e } else { e.max(0.0) }
    }
}

/// A metric's mean over the replications, with its 95 % interval and the one-sided 95 %
/// bound a target is checked against.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricCi {
    /// The metric.
    pub metric: Metric,
    /// Two-sided 95 % Student-t interval of its mean.
    pub ci: MeanCi,
    /// One-sided 95 % upper bound of the mean.
    pub upper: f64,
    /// One-sided 95 % lower bound of the mean.
    pub lower: f64,
}

impl MetricCi {
    fn new(metric: Metric, outcomes: &[Outcome]) -> MetricCi {
        let xs: Vec<f64> = outcomes.iter().map(|o| metric.value(&o.result)).collect();
        let ci = MeanCi::new(&xs, 0.95);
        let one_sided = if ci.n >= 2 {
            student_t_quantile(0.95, (ci.n - 1) as f64) * ci.sd / (ci.n as f64).sqrt()
        } else {
            f64::INFINITY
        };
        MetricCi {
            metric,
            ci,
            upper: ci.mean + one_sided,
            lower: ci.mean - one_sided,
        }
    }

    /// The bound that decides `op`: the upper one for `<=`, the lower one for `>=`.
    pub fn bound(&self, op: Op) -> f64 {
        match op {
            Op::AtMost => self.upper,
            Op::AtLeast => self.lower,
        }
    }
}

/// Staff of every stage in every shift: `staff[shift][stage]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Roster {
    /// `staff[shift][stage]`.
    pub staff: Vec<Vec<u32>>,
}

/// One crew more or less at one stage in one shift.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Move {
    /// Shift index.
    pub shift: usize,
    /// Stage index.
    pub stage: usize,
    /// Change in staff (± `staff_per_server`).
    pub delta: i64,
}

/// What the planner may change, and within which limits.
#[derive(Clone, Debug, PartialEq)]
pub struct Bounds {
    /// Fewest staff at each stage in any shift.
    pub min: Vec<u32>,
    /// Most staff at each stage in any shift.
    pub max: Vec<u32>,
    /// Most staff at all stages together in one shift.
    pub per_shift: Option<u32>,
}

/// Minimise staff-hours or money.
#[derive(Clone, Debug, PartialEq)]
pub enum Objective {
    /// Officer-hours a day.
    StaffHours,
    /// Cost a day, from each stage's cost per officer-hour.
    Cost(Vec<f64>),
}

/// How the planner runs.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanSettings {
    /// The targets, all of which must hold.
    pub targets: Vec<Target>,
    /// The search space.
    pub bounds: Bounds,
    /// Replications that screen each roster.
    pub replications: u32,
    /// Replications that confirm the result and its rivals.
    pub confirm_replications: u32,
}

impl PlanSettings {
    /// Settings from the command line and the scenario's `[planning]`: `targets` as written,
    /// `max_staff` as `STAGE=N` (a stage's limit per shift) or `N` (all stages together per
    /// shift); the command line wins over the scenario.
    pub fn new(
        scenario: &Scenario,
        targets: &[String],
        max_staff: &[String],
        replications: Option<u32>,
        confirm_replications: Option<u32>,
    ) -> Result<PlanSettings, PlanError> {
        let port = &scenario.port;
        if targets.is_empty() {
            return Err(plan_error(
                "no target given",
                "add at least one --target, e.g. --target \"p95_clearance <= 4h\"",
            ));
        }
        let targets = targets
            .iter()
            .map(|t| Target::parse(t, port))
            .collect::<Result<Vec<_>, _>>()?;
        let planning = &scenario.experiment.planning;
        let n = port.stages.len();
        let get = |v: &Vec<Option<u32>>, k: usize| v.get(k).copied().flatten();
        let mut min: Vec<u32> = (0..n)
            .map(|k| get(&planning.min_staff, k).unwrap_or(0))
            .collect();
        let mut max: Vec<u32> = port
            .stages
            .iter()
            .enumerate()
            .map(|(k, s)| {
                get(&planning.max_staff, k).unwrap_or(s.servers.saturating_mul(s.staff_per_server))
            })
            .collect();
        let mut per_shift = planning.max_staff_per_shift;
        for arg in max_staff {
            let bad = || {
                plan_error(
                    format!("--max-staff {arg} is not STAGE=N or N"),
                    format!(
                        "e.g. --max-staff declaration=8 (at most 8 in any shift) or --max-staff 40 (all stages together); stages: {}",
                        port.stages
                            .iter()
                            .map(|s| s.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
            };
            match arg.split_once('=') {
                None => per_shift = Some(arg.trim().parse().map_err(|_| bad())?),
                Some((stage, value)) => {
                    let stage = stage.trim();
                    let k = port
                        .stages
                        .iter()
                        .position(|s| s.name == stage)
                        .ok_or_else(|| {
                            plan_error(
                                format!("--max-staff {arg}: no stage named \"{stage}\""),
                                format!(
                                    "stages: {}",
                                    port.stages
                                        .iter()
                                        .map(|s| s.name.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            )
                        })?;
                    max[k] = value.trim().parse().map_err(|_| bad())?;
                }
            }
        }
        for k in 0..n {
            if min[k] > max[k] {
                return Err(plan_error(
                    format!(
                        "stage \"{}\": the most staff allowed ({}) is below the fewest ({})",
                        port.stages[k].name, max[k], min[k]
                    ),
                    "raise --max-staff or [planning] max_staff, or lower [planning] min_staff",
                ));
            }
            min[k] = min[k].min(max[k]);
        }
        let replications = replications
            .or(planning.replications)
            .unwrap_or(DEFAULT_REPLICATIONS);
        let confirm = confirm_replications
            .or(planning.confirm_replications)
            .unwrap_or(DEFAULT_CONFIRM_REPLICATIONS)
            .max(replications);
        if replications < 2 {
            return Err(plan_error(
                "the planner needs at least 2 replications",
                "a confidence interval needs two runs or more; 10 is a good start",
            ));
        }
        Ok(PlanSettings {
            targets,
            bounds: Bounds {
                min,
                max,
                per_shift,
            },
            replications,
            confirm_replications: confirm,
        })
    }
}

/// A roster with what it costs and how it did.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    /// Staff by shift and stage.
    pub roster: Roster,
    /// Officer-hours a day.
    pub staff_hours: f64,
    /// Cost a day (equal to `staff_hours` without costs).
    pub cost: f64,
    /// How it did.
    pub evaluation: Evaluation,
}

/// The figures of a roster over a number of replications.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// Replications run (0 if rejected statically).
    pub replications: u32,
    /// Stages left overloaded (offered load ≥ 1): rejected without simulating.
    pub overloaded: Vec<usize>,
    /// Figures: each target's metric first, then the standard ones.
    pub figures: Vec<MetricCi>,
    /// Whether each target holds at its one-sided 95 % bound.
    pub met: Vec<bool>,
    /// Total relative shortfall of the targets (0 when all hold).
    score: f64,
    /// Total signed relative distance to the limits (tie-breaker).
    pressure: f64,
}

impl Evaluation {
    /// Whether every target holds.
    pub fn feasible(&self) -> bool {
        self.overloaded.is_empty() && self.met.iter().all(|&m| m)
    }

    /// The figure of `metric`, if evaluated.
    pub fn figure(&self, metric: Metric) -> Option<&MetricCi> {
        self.figures.iter().find(|f| f.metric == metric)
    }
}

/// Why a runner-up was not recommended.
#[derive(Clone, Debug, PartialEq)]
pub struct Rejected {
    /// The roster and its figures.
    pub candidate: Candidate,
    /// How it differs from the recommendation, when it is one crew away.
    pub change: Option<Move>,
    /// Whether it is the scenario's own roster.
    pub is_file_roster: bool,
}

/// What the planner found.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The settings it ran with.
    pub settings: PlanSettings,
    /// Minimise staff-hours or cost.
    pub objective: Objective,
    /// The shifts the roster is made of (one 24-hour shift if the scenario has none).
    pub shifts: Vec<Shift>,
    /// Master seed (replication seeds derive from it).
    pub seed: u64,
    /// The static-bound roster the search started from.
    pub start: Roster,
    /// The recommendation, if a roster meeting every target was found.
    pub recommended: Option<Candidate>,
    /// The roster closest to meeting the targets when none did.
    pub best_effort: Option<Candidate>,
    /// The scenario's own roster, at the confirming replications.
    pub file_roster: Option<Candidate>,
    /// Runner-ups: one-crew-cheaper neighbours of the recommendation and other rosters, with
    /// their figures.
    pub rejected: Vec<Rejected>,
    /// Distinct rosters evaluated (simulated or rejected statically).
    pub configurations_evaluated: usize,
    /// Simulation runs made.
    pub runs: u64,
    /// Rosters within the bounds (the full grid the search avoided).
    pub grid_size: f64,
    /// Whether the recommendation passed the confirming replications.
    pub confirmed: bool,
    /// Whether the search was stopped early (Ctrl-C).
    pub interrupted: bool,
}

struct Search<'a> {
    scenario: &'a Scenario,
    overrides: Overrides,
    settings: &'a PlanSettings,
    objective: Objective,
    shifts: Vec<Shift>,
    control: Control<'a>,
    /// Extra figures reported beside the targets.
    standard: Vec<Metric>,
    cache: HashMap<(Roster, u32), Evaluation>,
    rosters_seen: std::collections::HashSet<Roster>,
    /// The scenario's own roster as stage totals (unrostered stages count all their servers'
    /// staff). It is evaluated as written, lane split included.
    file: Option<Roster>,
    /// The run spec the static loads are computed for.
    run: model::RunSpec,
    runs: u64,
    interrupted: bool,
}

/// Searches for the cheapest roster of `scenario` that meets `settings.targets`.
pub fn plan(
    scenario: &Scenario,
    overrides: &Overrides,
    settings: &PlanSettings,
    control: Control<'_>,
) -> Plan {
    let port = &scenario.port;
    let shifts = match &port.roster {
        Some(r) => r.shifts.clone(),
        None => vec![Shift {
            name: "all-day".into(),
            start: Duration::ZERO,
            end: Duration::from_minutes(MINUTES_PER_DAY),
            staff: vec![model::StageStaff::default(); port.stages.len()],
        }],
    };
    let objective = match &scenario.experiment.planning.cost_per_hour {
        Some(c) => Objective::Cost(c.clone()),
        None => Objective::StaffHours,
    };
    let mut standard = vec![
        Metric::Clearance(Stat::Mean),
        Metric::Clearance(Stat::P95),
        Metric::Throughput,
        Metric::TotalWait,
    ];
    for k in 0..port.stages.len() {
        standard.push(Metric::StageWait(k, Stat::Mean));
        standard.push(Metric::Utilization(k));
    }
    let mut search = Search {
        scenario,
        overrides: *overrides,
        settings,
        objective: objective.clone(),
        shifts: shifts.clone(),
        control,
        standard,
        cache: HashMap::new(),
        rosters_seen: Default::default(),
        file: port.roster.as_ref().map(|r| file_roster(port, r)),
        run: overrides.apply(scenario.run),
        runs: 0,
        interrupted: false,
    };
    control.progress().start(None, "rosters");
    let start = search.static_bound();
    let result = search.run(&start);
    control.progress().finish();
    let (recommended, best_effort, confirmed) = result;
    let confirm = settings.confirm_replications;
    let file_roster = search.file.clone().and_then(|roster| {
        if search.interrupted {
            return None;
        }
        search.candidate(&roster, confirm)
    });
    let mut rejected = Vec::new();
    if let Some(rec) = &recommended {
        for m in search.moves(&rec.roster, -1) {
            let roster = search.apply(&rec.roster, m);
            if let Some(c) = search.cached_candidate(&roster, confirm) {
                rejected.push(Rejected {
                    candidate: c,
                    change: Some(m),
                    is_file_roster: false,
                });
            }
        }
    }
    if let Some(f) = &file_roster
        && recommended.as_ref().is_none_or(|r| r.roster != f.roster)
    {
        rejected.push(Rejected {
            candidate: f.clone(),
            change: None,
            is_file_roster: true,
        });
    }
    let grid_size = search.grid_size();
    Plan {
        settings: settings.clone(),
        objective,
        shifts,
        seed: overrides.seed.unwrap_or(scenario.run.seed),
        start,
        recommended,
        best_effort,
        file_roster,
        rejected,
        configurations_evaluated: search.rosters_seen.len(),
        runs: search.runs,
        grid_size,
        confirmed,
        interrupted: search.interrupted,
    }
}

impl Search<'_> {
    fn port(&self) -> &Port {
        &self.scenario.port
    }

    fn step(&self, stage: usize) -> u32 {
        self.port().stages[stage].staff_per_server.max(1)
    }

    fn shift_hours(&self, shift: usize) -> f64 {
        self.shifts[shift].length().hours()
    }

    fn rate(&self, stage: usize) -> f64 {
        match &self.objective {
            Objective::StaffHours => 1.0,
            Objective::Cost(c) => c[stage],
        }
    }

    fn staff_hours(&self, r: &Roster) -> f64 {
        r.staff
            .iter()
            .enumerate()
            .map(|(k, row)| self.shift_hours(k) * row.iter().map(|&x| f64::from(x)).sum::<f64>())
            .sum()
    }

    fn cost(&self, r: &Roster) -> f64 {
        r.staff
            .iter()
            .enumerate()
            .map(|(k, row)| {
                self.shift_hours(k)
                    * row
                        .iter()
                        .enumerate()
                        .map(|(j, &x)| f64::from(x) * self.rate(j))
                        .sum::<f64>()
            })
            .sum()
    }

    /// Rosters within the bounds, counting each stage's levels in steps of one crew.
    fn grid_size(&self) -> f64 {
        let b = &self.settings.bounds;
        let per_shift: f64 = (0..self.port().stages.len())
            .map(|j| f64::from((b.max[j] - b.min[j]) / self.step(j) + 1))
            .product();
        per_shift.powi(self.shifts.len() as i32)
    }

    /// The port with roster `r` (every stage rostered). The scenario's own roster is kept as
    /// written; others share each stage's staff among its lane groups in proportion to their
    /// lanes (see [`share_among_lanes`]).
    fn port_with(&self, r: &Roster) -> Port {
        if self.file.as_ref() == Some(r) {
            return self.port().clone();
        }
        port_with_roster(self.port(), &self.shifts, r)
    }

    /// Expected work (server-minutes) arriving at each stage during shift `k`: the day's work
    /// of each stage, spread over the hours like the arrivals.
    fn shift_work(&self, k: usize) -> Vec<f64> {
        let port = self.port();
        let loads = model::stage_loads(port, &self.run);
        let per_hour = model::mean_arrivals_by_hour(port, &self.run);
        let per_day: f64 = per_hour.iter().sum();
        let shift = &self.shifts[k];
        let (start, len) = (shift.start.minutes(), shift.length().minutes());
        let mut arrivals = 0.0;
        for (h, &rate) in per_hour.iter().enumerate() {
            let (a, b) = (
                h as f64 * MINUTES_PER_HOUR,
                (h + 1) as f64 * MINUTES_PER_HOUR,
            );
            let mut covered = 0.0;
            for offset in [0.0, MINUTES_PER_DAY] {
                let (s, e) = (start - offset, start - offset + len);
                covered += (e.min(b) - s.max(a)).max(0.0);
            }
            arrivals += rate * covered / MINUTES_PER_HOUR;
        }
        loads
            .iter()
            .map(|l| {
                if per_day > 0.0 {
                    arrivals / per_day * l.work_min_per_day
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// The static bound: in each shift, one server more than the work arriving in it needs.
    fn static_bound(&self) -> Roster {
        let b = &self.settings.bounds;
        let mut staff = Vec::with_capacity(self.shifts.len());
        for k in 0..self.shifts.len() {
            let work = self.shift_work(k);
            let len = self.shifts[k].length().minutes();
            let mut row: Vec<u32> = work
                .iter()
                .enumerate()
                .map(|(j, &w)| {
                    let servers = if w > 0.0 {
                        (w / len).floor() as u32 + 1
                    } else {
                        0
                    };
                    let servers = servers.min(self.port().stages[j].servers);
                    (servers * self.step(j)).clamp(b.min[j], b.max[j])
                })
                .collect();
            if let Some(cap) = b.per_shift {
                while row.iter().sum::<u32>() > cap {
                    // Shed a crew where the most room above the minimum is left.
                    let Some(j) = (0..row.len())
                        .filter(|&j| row[j] >= b.min[j] + self.step(j))
                        .max_by_key(|&j| row[j] - b.min[j])
                    else {
                        break;
                    };
                    row[j] -= self.step(j);
                }
            }
            staff.push(row);
        }
        Roster { staff }
    }

    /// One-crew moves in direction `sign` (+1 add, −1 remove) that stay within the bounds.
    fn moves(&self, r: &Roster, sign: i64) -> Vec<Move> {
        let b = &self.settings.bounds;
        let mut out = Vec::new();
        for (k, row) in r.staff.iter().enumerate() {
            let total: u32 = row.iter().sum();
            for (j, &x) in row.iter().enumerate() {
                let step = self.step(j);
                let ok = if sign > 0 {
                    x + step <= b.max[j] && b.per_shift.is_none_or(|cap| total + step <= cap)
                } else {
                    x >= b.min[j] + step
                };
                if ok {
                    out.push(Move {
                        shift: k,
                        stage: j,
                        delta: sign * i64::from(step),
                    });
                }
            }
        }
        out
    }

    fn apply(&self, r: &Roster, m: Move) -> Roster {
        let mut r = r.clone();
        let x = &mut r.staff[m.shift][m.stage];
        *x = (i64::from(*x) + m.delta) as u32;
        r
    }

    /// Evaluates the rosters at `reps` replications, all runs in one parallel batch; `None`
    /// if stopped.
    fn evaluate(&mut self, rosters: &[Roster], reps: u32) -> Option<Vec<Evaluation>> {
        if self.control.cancelled() {
            self.interrupted = true;
            return None;
        }
        let mut todo: Vec<Roster> = Vec::new();
        for r in rosters {
            self.rosters_seen.insert(r.clone());
            if self.cache.contains_key(&(r.clone(), reps)) || todo.contains(r) {
                continue;
            }
            let port = self.port_with(r);
            let overloaded: Vec<usize> = model::stage_loads(&port, &self.run)
                .iter()
                .enumerate()
                .filter(|(_, l)| l.is_overloaded())
                .map(|(j, _)| j)
                .collect();
            if overloaded.is_empty() {
                todo.push(r.clone());
            } else {
                let e = self.overloaded_evaluation(&port, r, overloaded);
                self.cache.insert((r.clone(), reps), e);
            }
        }
        if !todo.is_empty() {
            let scenarios: Vec<Scenario> = todo
                .iter()
                .map(|r| Scenario {
                    port: self.port_with(r),
                    ..self.scenario.clone()
                })
                .collect();
            let grid = run_batch(&scenarios, &self.overrides, reps, self.control);
            self.runs += grid
                .outcomes
                .iter()
                .flatten()
                .filter(|o| o.is_some())
                .count() as u64;
            if !grid.complete() {
                self.interrupted = true;
                return None;
            }
            for (r, runs) in todo.iter().zip(grid.outcomes) {
                let outcomes: Vec<Outcome> = runs.into_iter().flatten().collect();
                let e = self.evaluation(&outcomes, reps);
                self.cache.insert((r.clone(), reps), e);
            }
        }
        self.control
            .progress()
            .status(&format!("{} rosters evaluated", self.rosters_seen.len()));
        Some(
            rosters
                .iter()
                .map(|r| self.cache[&(r.clone(), reps)].clone())
                .collect(),
        )
    }

    fn metrics(&self) -> Vec<Metric> {
        let mut out: Vec<Metric> = Vec::new();
        for m in self
            .settings
            .targets
            .iter()
            .map(|t| t.metric)
            .chain(self.standard.iter().copied())
        {
            if !out.contains(&m) {
                out.push(m);
            }
        }
        out
    }

    fn evaluation(&self, outcomes: &[Outcome], reps: u32) -> Evaluation {
        let figures: Vec<MetricCi> = self
            .metrics()
            .into_iter()
            .map(|m| MetricCi::new(m, outcomes))
            .collect();
        let mut met = Vec::new();
        let (mut score, mut pressure) = (0.0, 0.0);
        for t in &self.settings.targets {
            let f = figures
                .iter()
                .find(|f| f.metric == t.metric)
                .expect("target figure");
            let bound = f.bound(t.op);
            met.push(t.excess(bound, false) <= 0.0);
            score += t.excess(bound, false);
            pressure += t.excess(bound, true);
        }
        Evaluation {
            replications: reps,
            overloaded: Vec::new(),
            figures,
            met,
            score,
            pressure,
        }
    }

    /// A roster that leaves stages overloaded: no simulation; its score grows with the excess
    /// load, so that adding staff where it is overloaded is the best move. A stage that leaves
    /// some units without any open lane counts the crews its best shift lacks to open every
    /// lane group (see [`share_among_lanes`]); one that never opens counts most.
    fn overloaded_evaluation(&self, port: &Port, r: &Roster, overloaded: Vec<usize>) -> Evaluation {
        let loads = model::stage_loads(port, &self.run);
        let excess: f64 = overloaded
            .iter()
            .map(|&j| {
                let l = &loads[j];
                if l.offered_load.is_finite() {
                    l.offered_load - 1.0 + 1e-3
                } else if l.open_min_per_day > 0.0 {
                    let stage = &port.stages[j];
                    let groups = stage.lanes.len() as u32;
                    let lacking = r
                        .staff
                        .iter()
                        .map(|row| groups.saturating_sub(row[j] / stage.staff_per_server.max(1)))
                        .min()
                        .unwrap_or(groups);
                    10.0 + f64::from(lacking)
                } else {
                    100.0
                }
            })
            .sum();
        Evaluation {
            replications: 0,
            met: vec![false; self.settings.targets.len()],
            overloaded,
            figures: Vec::new(),
            score: 1e3 * (1.0 + excess),
            pressure: 1e3 * (1.0 + excess),
        }
    }

    fn candidate(&mut self, r: &Roster, reps: u32) -> Option<Candidate> {
        let e = self.evaluate(std::slice::from_ref(r), reps)?.remove(0);
        Some(Candidate {
            roster: r.clone(),
            staff_hours: self.staff_hours(r),
            cost: self.cost(r),
            evaluation: e,
        })
    }

    fn cached_candidate(&self, r: &Roster, reps: u32) -> Option<Candidate> {
        self.cache.get(&(r.clone(), reps)).map(|e| Candidate {
            roster: r.clone(),
            staff_hours: self.staff_hours(r),
            cost: self.cost(r),
            evaluation: e.clone(),
        })
    }

    /// Adds one crew where it buys the most improvement per unit of cost; `None` when no
    /// addition is possible or the search was stopped.
    fn ascend(&mut self, cur: &Roster, e: &Evaluation, reps: u32) -> Option<Roster> {
        let moves = self.moves(cur, 1);
        let rosters: Vec<Roster> = moves.iter().map(|&m| self.apply(cur, m)).collect();
        let evals = self.evaluate(&rosters, reps)?;
        let base_cost = self.cost(cur);
        let mut best: Option<(f64, f64, f64, usize)> = None;
        for (i, (r, ev)) in rosters.iter().zip(&evals).enumerate() {
            let dc = (self.cost(r) - base_cost).max(1e-9);
            let gain = (e.score - ev.score) / dc;
            let pgain = (e.pressure - ev.pressure) / dc;
            let key = (gain, pgain, -dc, i);
            let better = match best {
                None => true,
                Some(b) => (key.0, key.1, key.2) > (b.0, b.1, b.2),
            };
            if better {
                best = Some(key);
            }
        }
        best.map(|(_, _, _, i)| rosters[i].clone())
    }

    /// Removes one crew where it saves the most while every target still holds; `None` when
    /// no removal keeps the targets (or the search was stopped).
    fn trim(&mut self, cur: &Roster, reps: u32) -> Option<Roster> {
        let moves = self.moves(cur, -1);
        let rosters: Vec<Roster> = moves.iter().map(|&m| self.apply(cur, m)).collect();
        let evals = self.evaluate(&rosters, reps)?;
        let mut best: Option<(f64, f64, usize)> = None;
        for (i, (r, ev)) in rosters.iter().zip(&evals).enumerate() {
            if !ev.feasible() {
                continue;
            }
            let key = (self.cost(r), ev.pressure, i);
            if best.is_none_or(|b| (key.0, key.1) < (b.0, b.1)) {
                best = Some(key);
            }
        }
        best.map(|(_, _, i)| rosters[i].clone())
    }

    /// Ascends until feasible (or stuck), then trims, at `reps` replications. Returns the
    /// final roster and whether it is feasible; `None` if stopped.
    fn descend_to_minimum(&mut self, start: Roster, reps: u32) -> Option<(Roster, bool)> {
        let mut cur = start;
        loop {
            if self.rosters_seen.len() > MAX_EVALUATIONS {
                return Some((cur, false));
            }
            let e = self.evaluate(std::slice::from_ref(&cur), reps)?.remove(0);
            if e.feasible() {
                break;
            }
            match self.ascend(&cur, &e, reps) {
                Some(next) => cur = next,
                None if self.interrupted => return None,
                None => return Some((cur, false)),
            }
        }
        loop {
            match self.trim(&cur, reps) {
                Some(next) => cur = next,
                None if self.interrupted => return None,
                None => return Some((cur, true)),
            }
        }
    }

    /// The whole search: screen, then confirm. Returns (recommended, best effort, confirmed).
    fn run(&mut self, start: &Roster) -> (Option<Candidate>, Option<Candidate>, bool) {
        let (screen, confirm) = (
            self.settings.replications,
            self.settings.confirm_replications,
        );
        let Some((screened, feasible)) = self.descend_to_minimum(start.clone(), screen) else {
            return self.stopped(screen);
        };
        if !feasible {
            let best = self
                .candidate(&screened, confirm)
                .or_else(|| self.best_so_far(screen));
            return (None, best, false);
        }
        match self.descend_to_minimum(screened.clone(), confirm) {
            Some((r, true)) => (self.candidate(&r, confirm), None, true),
            Some((r, false)) => (None, self.candidate(&r, confirm), false),
            None => self.stopped(screen),
        }
    }

    /// After an interruption: the cheapest roster found feasible so far (unconfirmed), else
    /// the one closest to the targets.
    fn stopped(&self, reps: u32) -> (Option<Candidate>, Option<Candidate>, bool) {
        match self.best_so_far(reps) {
            Some(best) => (Some(best), None, false),
            None => (None, self.closest_so_far(reps), false),
        }
    }

    /// The evaluated roster with the smallest target shortfall.
    fn closest_so_far(&self, reps: u32) -> Option<Candidate> {
        let mut best: Option<(f64, f64, &Roster)> = None;
        for ((r, n), e) in &self.cache {
            if *n != reps {
                continue;
            }
            let key = (e.score, self.cost(r), r);
            if best.is_none_or(|b| (key.0, key.1, key.2) < (b.0, b.1, b.2)) {
                best = Some(key);
            }
        }
        best.and_then(|(_, _, r)| self.cached_candidate(r, reps))
    }

    /// After an interruption: the cheapest roster found feasible so far, unconfirmed.
    fn best_so_far(&self, reps: u32) -> Option<Candidate> {
        let mut best: Option<Candidate> = None;
        for ((r, n), e) in &self.cache {
            if *n != reps || !e.feasible() {
                continue;
            }
            let c = self.cached_candidate(r, reps)?;
            if best
                .as_ref()
                .is_none_or(|b| (c.cost, &c.roster) < (b.cost, &b.roster))
            {
                best = Some(c);
            }
        }
        best
    }
}

/// `port` with roster `r` over `shifts` (every stage rostered; lane groups share their stage's
/// crews as [`share_among_lanes`] says).
fn port_with_roster(port: &Port, shifts: &[Shift], r: &Roster) -> Port {
    let mut port = port.clone();
    let mut shifts = shifts.to_vec();
    for (shift, row) in shifts.iter_mut().zip(&r.staff) {
        shift.staff = row
            .iter()
            .zip(&port.stages)
            .map(|(&n, stage)| share_among_lanes(stage, n))
            .collect();
    }
    port.roster = Some(model::Roster {
        handover: port
            .roster
            .as_ref()
            .map_or(Duration::ZERO, |roster| roster.handover),
        shifts,
        rostered: vec![true; port.stages.len()],
    });
    port
}

/// The scenario with the plan's recommended roster (else its best effort), as the planner
/// evaluated it; `None` if the search found neither.
pub fn recommended_scenario(scenario: &Scenario, plan: &Plan) -> Option<Scenario> {
    let c = plan.recommended.as_ref().or(plan.best_effort.as_ref())?;
    Some(Scenario {
        port: evaluated_port(&scenario.port, plan, c),
        ..scenario.clone()
    })
}

/// `port` (the scenario's, as planned) staffed as candidate `c` was evaluated: the scenario's
/// own roster, lane by lane as written, when `c` is that roster; otherwise the candidate's
/// stage totals shared among lane groups as [`share_among_lanes`] says.
pub fn evaluated_port(port: &Port, plan: &Plan, c: &Candidate) -> Port {
    let file = port.roster.as_ref().map(|r| file_roster(port, r));
    if file.as_ref() == Some(&c.roster) {
        port.clone()
    } else {
        port_with_roster(port, &plan.shifts, &c.roster)
    }
}

/// A stage's staff as the roster gives it: a stage with one lane group takes the number as is;
/// a stage with several shares the crews (`staff / staff_per_server`) among its groups. When
/// there are at least as many crews as groups, every group first gets one crew, so that no
/// restricted lane (green channel, carrier bay) is left shut; the rest go in proportion to the
/// lanes each group has left (largest remainder, ties to the earlier group, never more crews
/// than a group has lanes).
pub fn share_among_lanes(stage: &model::Stage, staff: u32) -> model::StageStaff {
    if stage.lanes.len() < 2 {
        return model::StageStaff {
            total: staff,
            lanes: vec![None; stage.lanes.len()],
        };
    }
    let spp = stage.staff_per_server.max(1);
    let crews = (staff / spp).min(stage.servers);
    let groups = u32::try_from(stage.lanes.len()).unwrap_or(u32::MAX);
    let first = u32::from(crews >= groups);
    let mut given: Vec<u32> = stage.lanes.iter().map(|l| first.min(l.servers)).collect();
    let room: Vec<u32> = stage
        .lanes
        .iter()
        .zip(&given)
        .map(|(l, g)| l.servers - g)
        .collect();
    let rest = crews - given.iter().sum::<u32>();
    let total_room = f64::from(room.iter().sum::<u32>().max(1));
    let exact: Vec<f64> = room
        .iter()
        .map(|&r| f64::from(rest) * f64::from(r) / total_room)
        .collect();
    let mut left = rest;
    for (g, x) in given.iter_mut().zip(&exact) {
        let whole = x.floor() as u32;
        *g += whole;
        left -= whole;
    }
    let mut order: Vec<usize> = (0..given.len()).collect();
    order.sort_by(|&a, &b| {
        (exact[b] - exact[b].floor())
            .total_cmp(&(exact[a] - exact[a].floor()))
            .then(a.cmp(&b))
    });
    for &g in order.iter().cycle().take(order.len() * 2) {
        if left == 0 {
            break;
        }
        if given[g] < stage.lanes[g].servers {
            given[g] += 1;
            left -= 1;
        }
    }
    model::StageStaff {
        total: 0,
        lanes: given.iter().map(|&c| Some(c * spp)).collect(),
    }
}

/// The scenario's roster as stage totals: what each shift puts on each stage, with unrostered
/// stages counted at all their servers' staff.
fn file_roster(port: &Port, roster: &model::Roster) -> Roster {
    Roster {
        staff: roster
            .shifts
            .iter()
            .map(|shift| {
                shift
                    .staff
                    .iter()
                    .zip(&port.stages)
                    .enumerate()
                    .map(|(j, (staff, stage))| {
                        if roster.rostered[j] {
                            staff.total + staff.lanes.iter().flatten().sum::<u32>()
                        } else {
                            stage.servers * stage.staff_per_server
                        }
                    })
                    .collect()
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::parse;

    fn port() -> Scenario {
        parse(
            "[simulation]\nname = \"p\"\ndays = 2\n[[arrivals]]\nname = \"a\"\nrate = \"1/m\"\n\
             [[stages]]\nname = \"lanes\"\nservers = 20\nstaff_per_server = 2\nservice = { dist = \"exponential\", mean = \"7m\" }\n",
            "p.toml",
        )
        .unwrap()
    }

    #[test]
    fn targets_parse_with_units() {
        let s = port();
        let t = Target::parse("p95_clearance <= 4h", &s.port).unwrap();
        assert_eq!(
            (t.metric, t.op, t.limit),
            (Metric::Clearance(Stat::P95), Op::AtMost, 240.0)
        );
        let t = Target::parse("throughput >= 700/day", &s.port).unwrap();
        assert_eq!(
            (t.metric, t.op, t.limit),
            (Metric::Throughput, Op::AtLeast, 700.0)
        );
        let t = Target::parse("utilization.lanes <= 85%", &s.port).unwrap();
        assert!((t.limit - 0.85).abs() < 1e-12);
        let t = Target::parse("mean_wait.lanes<=90s", &s.port).unwrap();
        assert_eq!(t.metric, Metric::StageWait(0, Stat::Mean));
        let e = Target::parse("p95_clearence <= 4h", &s.port).unwrap_err();
        assert!(
            e.hint.starts_with("the nearest metrics are p95_clearance"),
            "{e}"
        );
        let e = Target::parse("p95_clearance <= 4", &s.port).unwrap_err();
        assert!(e.message.contains("no unit"), "{e}");
        assert!(Target::parse("p95_clearance < 4h", &s.port).is_err());
    }

    #[test]
    fn lane_groups_get_a_crew_each_then_their_share() {
        let s = parse(
            "[simulation]\nname = \"p\"\ndays = 2\n[[arrivals]]\nname = \"a\"\nrate = \"1/m\"\n\
             [[stages]]\nname = \"gate\"\nstaff_per_server = 2\nservice = { dist = \"exponential\", mean = \"7m\" }\n\
             lanes = [ { name = \"green\", servers = 2, serves = [\"green\"] }, \
             { name = \"general\", servers = 6, serves = [\"all\"] }, \
             { name = \"carrier\", servers = 2, serves = [\"cage_truck\"] } ]\n",
            "p.toml",
        )
        .unwrap();
        let stage = &s.port.stages[0];
        let check = |staff: u32, want: [u32; 3]| {
            let got = share_among_lanes(stage, staff);
            assert_eq!(got.total, 0);
            assert_eq!(got.lanes, want.map(Some).to_vec(), "{staff} staff");
        };
        // Fewer crews than groups: in proportion to the lanes, ties to the earlier group.
        check(4, [2, 2, 0]);
        // As many crews as groups: one each.
        check(6, [2, 2, 2]);
        // Then the rest in proportion to the lanes left (1 : 5 : 1).
        check(10, [2, 6, 2]);
        check(20, [4, 12, 4]);
        // Odd staff leave the half crew out; more than the lanes hold is capped.
        check(21, [4, 12, 4]);
        check(40, [4, 12, 4]);
    }

    #[test]
    fn static_bound_is_one_server_above_the_load() {
        let s = port();
        let settings = PlanSettings::new(&s, &["mean_wait <= 1m".into()], &[], None, None).unwrap();
        let search = Search {
            scenario: &s,
            overrides: Overrides::default(),
            settings: &settings,
            objective: Objective::StaffHours,
            shifts: vec![Shift {
                name: "all-day".into(),
                start: Duration::ZERO,
                end: Duration::from_minutes(MINUTES_PER_DAY),
                staff: vec![model::StageStaff::default()],
            }],
            control: Control::default(),
            standard: Vec::new(),
            cache: HashMap::new(),
            rosters_seen: Default::default(),
            file: None,
            run: s.run,
            runs: 0,
            interrupted: false,
        };
        // Offered load 7 servers: the bound is 8 servers of 2 staff.
        assert_eq!(search.static_bound().staff, vec![vec![16]]);
        assert_eq!(search.grid_size(), 21.0);
        assert_eq!(
            search.staff_hours(&Roster {
                staff: vec![vec![16]]
            }),
            16.0 * 24.0
        );
    }
}

//! From the file as written ([`RawScenario`]) to a checked [`Port`] and [`RunSpec`].
//!
//! Every rule is checked and every violation collected, so a user fixes a file in one pass.
//! Each diagnostic names its field by path; `SourceMap` turns the path into a line and column.

use std::collections::{BTreeMap, HashMap};

use super::error::Diagnostic;
use super::raw::{
    DistKind, RawArrivals, RawDist, RawPlanning, RawPolicy, RawScenario, RawShift, RawStaffing,
    RawStage, Weekday,
};
use super::units::{DurationField, format_clock};
use super::{ExperimentSpec, Planning};
use crate::dist::{Dist, DistSpec};
use crate::engine::{Duration, MINUTES_PER_DAY};
use crate::model::{
    ArrivalStream, Port, RateProfile, Referral, Roster, RunSpec, Shift, ShiftEndPolicy, Stage,
};

const MAX_DAYS: i64 = 36_500;
const MAX_SERVERS: i64 = 100_000;
const MAX_REGULAR_STAGES: usize = 64;

/// Collects diagnostics while checking.
#[derive(Default)]
struct Checker {
    found: Vec<Diagnostic>,
}

impl Checker {
    fn error(
        &mut self,
        field: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let hint = hint.into();
        let d = Diagnostic::new(field, message);
        self.found
            .push(if hint.is_empty() { d } else { d.hint(hint) });
    }

    /// `value` as a count in `lo..=hi`, or a diagnostic.
    fn count(&mut self, field: &str, value: i64, lo: i64, hi: i64, what: &str, hint: &str) -> u32 {
        if value < lo || value > hi {
            self.error(
                field,
                format!("{what} must be between {lo} and {hi}, got {value}"),
                hint,
            );
            return lo.max(0) as u32;
        }
        value as u32
    }

    /// Checks a name used in paths and random-stream keys.
    fn name(&mut self, field: &str, name: &str, seen: &mut HashMap<String, String>, kind: &str) {
        if name.is_empty()
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            self.error(
                field,
                format!("{kind} name \"{name}\" is not a valid name"),
                "use letters, digits, '_' and '-' only (e.g. \"secondary_inspection\"); names are used in paths and outputs",
            );
        } else if let Some(first) = seen.get(name) {
            self.error(
                field,
                format!("{kind} name \"{name}\" is used twice (first at {first})"),
                format!("give each {kind} its own name"),
            );
        } else {
            seen.insert(name.to_string(), field.to_string());
        }
    }
}

/// Checks `raw` and builds the port and run spec, or returns every problem found.
pub(super) fn build(raw: &RawScenario) -> Result<(Port, RunSpec), Vec<Diagnostic>> {
    let mut c = Checker::default();
    let run = check_simulation(&mut c, raw);
    let stages = check_stages(&mut c, &raw.stages);
    let arrivals = check_arrivals(&mut c, &raw.arrivals);
    let roster = raw
        .staffing
        .as_ref()
        .map(|s| check_staffing(&mut c, s, &raw.stages));
    if !c.found.is_empty() {
        return Err(c.found);
    }

    let default_policy = raw.staffing.as_ref().and_then(|s| s.at_shift_end);
    let stages = stages
        .into_iter()
        .zip(&raw.stages)
        .map(|(mut stage, r)| {
            stage.at_shift_end = policy(r.at_shift_end.or(default_policy));
            stage
        })
        .collect();
    let port = Port {
        name: raw.simulation.name.clone(),
        arrivals,
        stages,
        roster: roster.flatten(),
    };
    Ok((port, run))
}

fn policy(p: Option<RawPolicy>) -> ShiftEndPolicy {
    match p {
        Some(RawPolicy::Preempt) => ShiftEndPolicy::Preempt,
        Some(RawPolicy::Finish) | None => ShiftEndPolicy::Finish,
    }
}

fn check_simulation(c: &mut Checker, raw: &RawScenario) -> RunSpec {
    let s = &raw.simulation;
    if s.name.trim().is_empty() {
        c.error(
            "simulation.name",
            "the scenario needs a name",
            "e.g. name = \"Horgos highway port - baseline\"",
        );
    }
    let days = c.count(
        "simulation.days",
        s.days,
        1,
        MAX_DAYS,
        "the number of measured days",
        "e.g. days = 28 for four measured weeks (warm-up days come on top)",
    );
    let warmup_days = c.count(
        "simulation.warmup_days",
        s.warmup_days,
        0,
        MAX_DAYS,
        "the number of warm-up days",
        "0 to start measuring at once; 1-2 days lets queues reach their usual level first",
    );
    let first_weekday = match s.start_weekday.unwrap_or(Weekday::Monday) {
        Weekday::Monday => 0,
        Weekday::Tuesday => 1,
        Weekday::Wednesday => 2,
        Weekday::Thursday => 3,
        Weekday::Friday => 4,
        Weekday::Saturday => 5,
        Weekday::Sunday => 6,
    };
    RunSpec {
        days,
        warmup_days,
        seed: s.seed,
        first_weekday,
    }
}

fn check_stages(c: &mut Checker, raw: &[RawStage]) -> Vec<Stage> {
    if raw.is_empty() {
        c.error(
            "stages",
            "the scenario has no stages",
            "add at least one [[stages]] table with name, servers and service",
        );
    }
    let mut seen = HashMap::new();
    for (i, s) in raw.iter().enumerate() {
        c.name(&format!("stages[{i}].name"), &s.name, &mut seen, "stage");
    }
    let regular = raw.iter().filter(|s| !s.referral_only).count();
    if !raw.is_empty() && regular == 0 {
        c.error(
            "stages",
            "every stage is referral_only, so no vehicle visits any",
            "make at least one stage a regular stage",
        );
    }
    if regular > MAX_REGULAR_STAGES {
        c.error(
            "stages",
            format!("{regular} regular stages; at most {MAX_REGULAR_STAGES} are supported"),
            "",
        );
    }
    let referral_targets: Vec<&str> = raw
        .iter()
        .filter(|s| s.referral_only)
        .map(|s| s.name.as_str())
        .collect();

    let mut stages = Vec::with_capacity(raw.len());
    for (i, s) in raw.iter().enumerate() {
        let at = |f: &str| format!("stages[{i}].{f}");
        let servers = c.count(
            &at("servers"),
            s.servers,
            1,
            MAX_SERVERS,
            "servers",
            "the number of desks or lanes installed; a roster with 0 staff closes them",
        );
        let staff_per_server = c.count(
            &at("staff_per_server"),
            s.staff_per_server,
            1,
            1000,
            "staff_per_server",
            "officers needed to open one desk or lane, usually 1 or 2",
        );
        let service = check_dist(c, &at("service"), &s.service);
        let refer = s.refer.as_ref().and_then(|r| {
            let field = at("refer");
            if s.referral_only {
                c.error(
                    format!("{field}.to"),
                    format!(
                        "stage \"{}\" is referral_only and cannot refer vehicles further",
                        s.name
                    ),
                    "remove `refer` here, or make the stage a regular one",
                );
            }
            if !(0.0..=1.0).contains(&r.probability) {
                c.error(
                    format!("{field}.probability"),
                    format!("probability must be between 0 and 1, got {}", r.probability),
                    "e.g. 0.03 for 3 %",
                );
            }
            match raw.iter().position(|t| t.name == r.to) {
                None => {
                    let hint = if referral_targets.is_empty() {
                        "no stage is referral_only; add one with `referral_only = true`".to_string()
                    } else {
                        format!("referral-only stages: {}", referral_targets.join(", "))
                    };
                    c.error(
                        format!("{field}.to"),
                        format!("no stage named \"{}\"", r.to),
                        hint,
                    );
                    None
                }
                Some(t) if !raw[t].referral_only => {
                    c.error(
                        format!("{field}.to"),
                        format!(
                            "stage \"{}\" is a regular stage; referrals go to referral-only stages",
                            r.to
                        ),
                        format!("add `referral_only = true` to stage \"{}\"", r.to),
                    );
                    None
                }
                Some(t) => Some(Referral {
                    to: t,
                    probability: r.probability,
                }),
            }
        });
        if let Some(service) = service {
            stages.push(Stage {
                name: s.name.clone(),
                servers,
                staff_per_server,
                service,
                refer,
                referral_only: s.referral_only,
                at_shift_end: ShiftEndPolicy::Finish,
            });
        }
    }
    stages
}

/// The parameters each kind of distribution takes, in the order they are documented.
fn dist_params(kind: DistKind) -> (&'static str, &'static [&'static str]) {
    match kind {
        DistKind::Constant => ("constant", &["value"]),
        DistKind::Exponential => ("exponential", &["mean"]),
        DistKind::Uniform => ("uniform", &["min", "max"]),
        DistKind::Triangular => ("triangular", &["min", "mode", "max"]),
        DistKind::Normal => ("normal", &["mean", "sd"]),
        DistKind::Lognormal => ("lognormal", &["mean", "sd"]),
        DistKind::Gamma => ("gamma", &["mean", "sd"]),
        DistKind::Erlang => ("erlang", &["k", "mean"]),
        DistKind::Empirical => ("empirical", &["values", "weights"]),
    }
}

fn check_dist(c: &mut Checker, field: &str, raw: &RawDist) -> Option<Dist> {
    let (kind, takes) = dist_params(raw.dist);
    let given = [
        ("value", raw.value.is_some()),
        ("mean", raw.mean.is_some()),
        ("sd", raw.sd.is_some()),
        ("min", raw.min.is_some()),
        ("mode", raw.mode.is_some()),
        ("max", raw.max.is_some()),
        ("k", raw.k.is_some()),
        ("values", raw.values.is_some()),
        ("weights", raw.weights.is_some()),
    ];
    let usage = format!("{kind} takes {}", takes.join(", "));
    let mut complete = true;
    for (name, present) in given {
        let wanted = takes.contains(&name);
        if present && !wanted {
            c.error(
                format!("{field}.{name}"),
                format!("`{name}` is not a parameter of the {kind} distribution"),
                usage.clone(),
            );
        }
        // `weights` of an empirical distribution are optional (equal weights).
        if !present && wanted && name != "weights" {
            c.error(
                field,
                format!("the {kind} distribution needs `{name}`"),
                usage.clone(),
            );
            complete = false;
        }
    }
    if !complete {
        return None;
    }
    let minutes = |d: Option<DurationField>| d.map_or(0.0, |d| d.0);
    let spec = match raw.dist {
        DistKind::Constant => DistSpec::Constant {
            value: minutes(raw.value),
        },
        DistKind::Exponential => DistSpec::Exponential {
            mean: minutes(raw.mean),
        },
        DistKind::Uniform => DistSpec::Uniform {
            min: minutes(raw.min),
            max: minutes(raw.max),
        },
        DistKind::Triangular => DistSpec::Triangular {
            min: minutes(raw.min),
            mode: minutes(raw.mode),
            max: minutes(raw.max),
        },
        DistKind::Normal => DistSpec::Normal {
            mean: minutes(raw.mean),
            sd: minutes(raw.sd),
        },
        DistKind::Lognormal => DistSpec::LogNormal {
            mean: minutes(raw.mean),
            sd: minutes(raw.sd),
        },
        DistKind::Gamma => DistSpec::Gamma {
            mean: minutes(raw.mean),
            sd: minutes(raw.sd),
        },
        DistKind::Erlang => {
            let k = c.count(
                &format!("{field}.k"),
                raw.k.unwrap_or(0),
                1,
                1000,
                "the number of phases k",
                "a whole number of exponential phases, 1 or more (k = 1 is exponential)",
            );
            DistSpec::Erlang {
                k,
                mean: minutes(raw.mean),
            }
        }
        DistKind::Empirical => {
            let values: Vec<f64> = raw.values.iter().flatten().map(|v| v.0).collect();
            let weights = raw
                .weights
                .clone()
                .unwrap_or_else(|| vec![1.0; values.len()]);
            DistSpec::Empirical { values, weights }
        }
    };
    match Dist::new(spec) {
        Ok(d) => Some(d),
        Err(e) => {
            let hint = match e.field {
                "mode" => "mode (the most likely value) must lie between min and max",
                "max" => "max must be above min",
                "sd" => {
                    "a positive standard deviation; for a fixed time use { dist = \"constant\", value = \"...\" }"
                }
                "weights" => "one non-negative weight per value, not all zero",
                _ => "durations such as \"90s\" or \"7m\", above zero",
            };
            c.error(format!("{field}.{}", e.field), e.message, hint);
            None
        }
    }
}

fn check_arrivals(c: &mut Checker, raw: &[RawArrivals]) -> Vec<ArrivalStream> {
    if raw.is_empty() {
        c.error(
            "arrivals",
            "the scenario has no arrival streams",
            "add an [[arrivals]] table with a name and `per_day` or `rate`",
        );
    }
    let mut seen = HashMap::new();
    let mut streams = Vec::with_capacity(raw.len());
    for (i, a) in raw.iter().enumerate() {
        let at = |f: &str| format!("arrivals[{i}].{f}");
        c.name(&at("name"), &a.name, &mut seen, "arrival stream");
        let hourly = a.hourly_profile.as_ref().and_then(|p| {
            weights::<24>(
                c,
                &at("hourly_profile"),
                p,
                "hourly profile",
                "one relative weight per clock hour, 00:00-01:00 first",
            )
        });
        let weekday = a.day_of_week.as_ref().and_then(|p| {
            weights::<7>(
                c,
                &at("day_of_week"),
                p,
                "day-of-week factors",
                "one factor per weekday, Monday first; 1 means the per_day volume, 0.5 half of it",
            )
        });
        let rate = match (a.rate, a.per_day) {
            (Some(_), Some(_)) => {
                c.error(
                    at("per_day"),
                    "both `rate` and `per_day` are given",
                    "give one: `rate = \"30/h\"` or `per_day = 700`",
                );
                None
            }
            (None, None) => {
                c.error(
                    at("name"),
                    format!(
                        "arrival stream \"{}\" has neither `rate` nor `per_day`",
                        a.name
                    ),
                    "add `per_day = 700` or `rate = \"30/h\"`",
                );
                None
            }
            (Some(rate), None) => {
                if a.hourly_profile.is_some() {
                    c.error(
                        at("hourly_profile"),
                        "an hourly profile shapes a daily volume, not a `rate`",
                        "replace `rate` by `per_day` (e.g. \"30/h\" is per_day = 720)",
                    );
                }
                Some(match weekday {
                    Some(w) => RateProfile::constant_with_weekdays(rate.0, &w),
                    None => RateProfile::constant(rate.0),
                })
            }
            (None, Some(per_day)) => {
                if !per_day.is_finite() || per_day < 0.0 {
                    c.error(
                        at("per_day"),
                        format!("per_day must be zero or more, got {per_day}"),
                        "the expected number of vehicles on an average day, e.g. 700",
                    );
                    None
                } else {
                    Some(RateProfile::daily(
                        per_day,
                        hourly.as_ref(),
                        weekday.as_ref(),
                    ))
                }
            }
        };
        if let Some(rate) = rate {
            streams.push(ArrivalStream {
                name: a.name.clone(),
                rate,
            });
        }
    }
    streams
}

/// A list of N non-negative weights with a positive sum.
fn weights<const N: usize>(
    c: &mut Checker,
    field: &str,
    values: &[f64],
    what: &str,
    hint: &str,
) -> Option<[f64; N]> {
    if values.len() != N {
        c.error(
            field,
            format!(
                "the {what} has {} values; it needs exactly {N}",
                values.len()
            ),
            hint,
        );
        return None;
    }
    if let Some(i) = values.iter().position(|v| !v.is_finite() || *v < 0.0) {
        c.error(
            format!("{field}[{i}]"),
            format!("{what} must be zero or more, got {}", values[i]),
            hint,
        );
        return None;
    }
    if values.iter().sum::<f64>() <= 0.0 {
        c.error(field, format!("the {what} are all zero"), hint);
        return None;
    }
    values.try_into().ok()
}

fn check_staffing(c: &mut Checker, raw: &RawStaffing, stages: &[RawStage]) -> Option<Roster> {
    if raw.shifts.is_empty() {
        c.error(
            "staffing.shifts",
            "staffing has no shifts",
            "add [[staffing.shifts]] tables with name, start, end and staff, covering the 24 hours",
        );
        return None;
    }
    let mut seen = HashMap::new();
    let mut shifts = Vec::with_capacity(raw.shifts.len());
    let stage_names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
    let mut rostered = vec![false; stages.len()];
    for (i, s) in raw.shifts.iter().enumerate() {
        let at = |f: &str| format!("staffing.shifts[{i}].{f}");
        c.name(&at("name"), &s.name, &mut seen, "shift");
        if s.start.0 >= MINUTES_PER_DAY {
            c.error(
                at("start"),
                "a shift cannot start at 24:00",
                "write \"00:00\"",
            );
        }
        let mut staff = vec![0; stages.len()];
        for (stage, &n) in &s.staff {
            match stage_names.iter().position(|name| name == stage) {
                None => c.error(
                    at(&format!("staff.{stage}")),
                    format!("no stage named \"{stage}\""),
                    format!("stages: {}", stage_names.join(", ")),
                ),
                Some(k) => {
                    staff[k] = c.count(
                        &at(&format!("staff.{stage}")),
                        n,
                        0,
                        1_000_000,
                        "staff",
                        "the number of officers on duty at this stage in this shift (0 closes it)",
                    );
                    rostered[k] = true;
                }
            }
        }
        let end = if s.end.0 == 0.0 {
            MINUTES_PER_DAY
        } else {
            s.end.0
        };
        shifts.push(Shift {
            name: s.name.clone(),
            start: Duration::from_minutes(s.start.0 % MINUTES_PER_DAY),
            end: Duration::from_minutes(end),
            staff,
        });
    }
    check_coverage(c, &raw.shifts, &shifts);
    let handover = raw.handover.map_or(0.0, |h| h.0);
    let shortest = shifts
        .iter()
        .map(|s| s.length().minutes())
        .fold(f64::INFINITY, f64::min);
    if handover >= shortest {
        c.error(
            "staffing.handover",
            format!(
                "the handover ({handover} min) is not shorter than the shortest shift ({shortest} min)"
            ),
            "a handover is the overlap at a shift change, usually 10-30 minutes (\"15m\")",
        );
    }
    Some(Roster {
        handover: Duration::from_minutes(handover),
        shifts,
        rostered,
    })
}

/// Shifts must cover every minute of the day exactly once.
fn check_coverage(c: &mut Checker, raw: &[RawShift], shifts: &[Shift]) {
    let minutes = MINUTES_PER_DAY as usize;
    let covers = |s: &Shift, m: usize| {
        let (start, len) = (s.start.minutes() as usize, s.length().minutes() as usize);
        (m + minutes - start) % minutes < len
    };
    // Overlaps, one message per pair.
    for i in 0..shifts.len() {
        for j in i + 1..shifts.len() {
            if let Some((from, to)) =
                first_run(minutes, |m| covers(&shifts[i], m) && covers(&shifts[j], m))
            {
                c.error(
                    format!("staffing.shifts[{j}].start"),
                    format!(
                        "shifts \"{}\" ({}-{}) and \"{}\" ({}-{}) overlap from {} to {}",
                        raw[i].name,
                        format_clock(shifts[i].start.minutes()),
                        format_clock(shifts[i].end.minutes()),
                        raw[j].name,
                        format_clock(shifts[j].start.minutes()),
                        format_clock(shifts[j].end.minutes()),
                        format_clock(from as f64),
                        format_clock(to as f64)
                    ),
                    "each minute of the day belongs to exactly one shift; make one shift end where the next starts",
                );
            }
        }
    }
    // Gaps.
    let mut m = 0;
    while m < minutes {
        if shifts.iter().any(|s| covers(s, m)) {
            m += 1;
            continue;
        }
        let from = m;
        while m < minutes && !shifts.iter().any(|s| covers(s, m)) {
            m += 1;
        }
        // Point at the shift end that opens the gap, else the shift start that closes it.
        let field = shifts
            .iter()
            .position(|s| s.end.minutes() as usize % minutes == from)
            .map(|i| format!("staffing.shifts[{i}].end"))
            .or_else(|| {
                shifts
                    .iter()
                    .position(|s| s.start.minutes() as usize == m % minutes)
                    .map(|i| format!("staffing.shifts[{i}].start"))
            })
            .unwrap_or_else(|| "staffing.shifts".to_string());
        c.error(
            field,
            format!("no shift covers {}-{}", format_clock(from as f64), format_clock(m as f64)),
            format!(
                "shifts must cover the 24 hours; add a shift with start = \"{}\", end = \"{}\" (staff 0 closes the stages)",
                format_clock(from as f64),
                format_clock(m as f64)
            ),
        );
    }
}

/// The first run of consecutive minutes for which `pred` holds, as `(from, to)`.
fn first_run(n: usize, pred: impl Fn(usize) -> bool) -> Option<(usize, usize)> {
    let from = (0..n).find(|&m| pred(m))?;
    let to = (from..n).find(|&m| !pred(m)).unwrap_or(n);
    Some((from, to))
}

/// Most replications a scenario or command may ask for.
pub(super) const MAX_REPLICATIONS: i64 = 100_000;

/// Checks the experiment settings: `simulation.replications` and `[planning]`.
pub(super) fn check_experiment(raw: &RawScenario) -> Result<ExperimentSpec, Vec<Diagnostic>> {
    let mut c = Checker::default();
    let replications = raw.simulation.replications.map(|n| {
        c.count(
            "simulation.replications",
            n,
            1,
            MAX_REPLICATIONS,
            "the number of replications",
            "independent runs whose scatter gives the confidence intervals; 10-30 is usual",
        )
    });
    let planning = raw
        .planning
        .as_ref()
        .map(|p| check_planning(&mut c, p, &raw.stages))
        .unwrap_or_default();
    if c.found.is_empty() {
        Ok(ExperimentSpec {
            replications,
            planning,
        })
    } else {
        Err(c.found)
    }
}

fn check_planning(c: &mut Checker, raw: &RawPlanning, stages: &[RawStage]) -> Planning {
    let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
    let per_stage = |c: &mut Checker, table: &BTreeMap<String, i64>, key: &str| {
        let mut out = vec![None; stages.len()];
        for (stage, &n) in table {
            let field = format!("planning.{key}.{stage}");
            match names.iter().position(|s| s == stage) {
                None => c.error(
                    field,
                    format!("no stage named \"{stage}\""),
                    format!("stages: {}", names.join(", ")),
                ),
                Some(k) => {
                    out[k] = Some(c.count(
                        &field,
                        n,
                        0,
                        1_000_000,
                        "staff",
                        "officers on duty at this stage in any one shift",
                    ));
                }
            }
        }
        out
    };
    let min_staff = per_stage(c, &raw.min_staff, "min_staff");
    let max_staff = per_stage(c, &raw.max_staff, "max_staff");
    for (k, (lo, hi)) in min_staff.iter().zip(&max_staff).enumerate() {
        if let (Some(lo), Some(hi)) = (lo, hi)
            && lo > hi
        {
            c.error(
                format!("planning.max_staff.{}", names[k]),
                format!("max_staff ({hi}) is below min_staff ({lo})"),
                "the planner searches between min_staff and max_staff, both included",
            );
        }
    }
    let max_staff_per_shift = raw.max_staff_per_shift.map(|n| {
        c.count(
            "planning.max_staff_per_shift",
            n,
            0,
            1_000_000,
            "max_staff_per_shift",
            "the most officers on duty at all stages together in any one shift",
        )
    });
    let cost_per_hour = if raw.cost_per_hour.is_empty() {
        None
    } else {
        let mut costs = vec![f64::NAN; stages.len()];
        for (stage, &cost) in &raw.cost_per_hour {
            let field = format!("planning.cost_per_hour.{stage}");
            match names.iter().position(|s| s == stage) {
                None => c.error(
                    field,
                    format!("no stage named \"{stage}\""),
                    format!("stages: {}", names.join(", ")),
                ),
                Some(_) if !cost.is_finite() || cost < 0.0 => c.error(
                    field,
                    format!("a cost must be zero or more, got {cost}"),
                    "the cost of one officer-hour at this stage, in any currency",
                ),
                Some(k) => costs[k] = cost,
            }
        }
        let missing: Vec<&str> = names
            .iter()
            .zip(&costs)
            .filter(|(_, c)| c.is_nan())
            .map(|(n, _)| *n)
            .collect();
        if !missing.is_empty() && missing.len() < names.len() {
            c.error(
                "planning.cost_per_hour",
                format!("no cost for stage{} {}", if missing.len() == 1 { "" } else { "s" }, missing.join(", ")),
                "give every stage a cost per officer-hour (0 for free), or none to minimise staff-hours",
            );
        }
        Some(costs)
    };
    let mut reps = |field: &str, n: Option<i64>| {
        n.map(|n| {
            c.count(
                field,
                n,
                2,
                MAX_REPLICATIONS,
                "the number of replications",
                "at least 2 for a confidence interval; 10 to screen, 30 or more to confirm",
            )
        })
    };
    let replications = reps("planning.replications", raw.replications);
    let confirm_replications = reps("planning.confirm_replications", raw.confirm_replications);
    Planning {
        min_staff,
        max_staff,
        max_staff_per_shift,
        cost_per_hour,
        replications,
        confirm_replications,
    }
}

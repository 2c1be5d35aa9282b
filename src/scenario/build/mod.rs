//! From the file as written ([`RawScenario`]) to a checked [`Port`] and [`RunSpec`].
//!
//! Every rule is checked and every violation collected, so a user fixes a file in one pass.
//! Each diagnostic names its field by path; `SourceMap` turns the path into a line and column.
//! The rules are grouped by part of the file: `stages` (stages, lanes, distributions),
//! `operations` (classes, declaration modes, yard, drivers, carriers, exit, port hours),
//! `arrivals` (streams, convoys, traces, mixes), `staffing` (the roster) and `experiment`
//! (replications and the planner's bounds).

mod arrivals;
mod experiment;
mod operations;
mod staffing;
mod stages;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use super::error::Diagnostic;
use super::raw::{DistKind, RawDist, RawPolicy, RawScenario, Weekday};
use super::units::DurationField;
use crate::dist::{Dist, DistSpec};
use crate::model::{Port, RunSpec, ShiftEndPolicy};

pub(super) use experiment::check_experiment;

const MAX_DAYS: i64 = 36_500;
const MAX_SERVERS: i64 = 100_000;
const MAX_REGULAR_STAGES: usize = 64;

/// Words with a meaning of their own in lane filters; no class or declaration mode may use them.
const RESERVED: [&str; 4] = ["self_driving", "cage_truck", "green", "all"];

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

    /// An error about a name used as a key (an unknown class, stage, lane group...): the
    /// message points at the key.
    fn unknown_key(
        &mut self,
        field: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.error(field, message, hint);
        let last = self.found.pop().expect("just pushed");
        self.found.push(last.at_key());
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

    /// A probability in [0, 1], or a diagnostic.
    fn probability(&mut self, field: &str, p: f64, what: &str) -> f64 {
        if !(0.0..=1.0).contains(&p) {
            self.error(
                field,
                format!("{what} must be between 0 and 1, got {p}"),
                "e.g. 0.03 for 3 %",
            );
            return p.clamp(0.0, 1.0);
        }
        p
    }

    /// Checks a name used in paths, lane filters and random-stream keys.
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

    /// Checks names that lane filters refer to: valid, unique, and not a reserved word.
    fn tag_name(
        &mut self,
        field: &str,
        name: &str,
        seen: &mut HashMap<String, String>,
        kind: &str,
    ) {
        if RESERVED.contains(&name) {
            self.error(
                field,
                format!("\"{name}\" cannot name a {kind}: it is a reserved word in lane filters"),
                format!("choose another name; reserved: {}", RESERVED.join(", ")),
            );
        } else {
            self.name(field, name, seen, kind);
        }
    }
}

/// Checks `raw` and builds the port and run spec, or returns every problem found. Trace
/// files are read relative to `base`.
pub(super) fn build(raw: &RawScenario, base: &Path) -> Result<(Port, RunSpec), Vec<Diagnostic>> {
    let mut c = Checker::default();
    let run = check_simulation(&mut c, raw);
    let mut tags = HashMap::new();
    let classes = operations::check_classes(&mut c, &raw.classes, &raw.stages, &mut tags);
    let declarations =
        operations::check_declarations(&mut c, &raw.declarations, &raw.stages, &mut tags);
    let names = Names {
        classes: classes.iter().map(|k| k.name.clone()).collect(),
        declarations: declarations.iter().map(|d| d.name.clone()).collect(),
    };
    let stages = stages::check_stages(&mut c, &raw.stages, &names);
    let yard = operations::check_yard(&mut c, raw, &classes);
    let context = arrivals::Context {
        classes: &classes,
        names: &names,
        carriers: yard.carriers.is_some(),
        base,
    };
    let arrivals = arrivals::check_arrivals(&mut c, &raw.arrivals, &context);
    let roster = raw
        .staffing
        .as_ref()
        .map(|s| staffing::check_staffing(&mut c, s, &raw.stages));
    let exit = raw.exit.as_ref().map(|e| operations::check_exit(&mut c, e));
    let hours = operations::check_port_hours(&mut c, raw.port.as_ref(), run.days);
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
        classes,
        declarations,
        arrivals,
        stages,
        roster: roster.flatten(),
        yard,
        exit,
        hours,
    };
    operations::check_lanes_serve_everyone(&mut c, &port);
    if !c.found.is_empty() {
        return Err(c.found);
    }
    Ok((port, run))
}

/// Names defined by the scenario, for cross-references.
struct Names {
    classes: Vec<String>,
    declarations: Vec<String>,
}

fn policy(p: Option<RawPolicy>) -> ShiftEndPolicy {
    match p {
        Some(RawPolicy::Preempt) => ShiftEndPolicy::Preempt,
        Some(RawPolicy::Finish) | None => ShiftEndPolicy::Finish,
    }
}

fn weekday_index(w: Weekday) -> usize {
    match w {
        Weekday::Monday => 0,
        Weekday::Tuesday => 1,
        Weekday::Wednesday => 2,
        Weekday::Thursday => 3,
        Weekday::Friday => 4,
        Weekday::Saturday => 5,
        Weekday::Sunday => 6,
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
    RunSpec {
        days,
        warmup_days,
        seed: s.seed,
        first_weekday: weekday_index(s.start_weekday.unwrap_or(Weekday::Monday)) as u8,
        record_vehicles: false,
        record_timeline: false,
        saturate: false,
    }
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

/// Shares over named members (classes, declaration modes): keys must be members, values
/// non-negative, summing to 1. Returns one weight per member.
fn shares(
    c: &mut Checker,
    field: &str,
    raw: &BTreeMap<String, f64>,
    members: &[String],
    (what, plural): (&str, &str),
) -> Vec<f64> {
    let mut out = vec![0.0; members.len()];
    let mut unknown = false;
    for (key, &value) in raw {
        let Some(i) = members.iter().position(|m| m == key) else {
            unknown = true;
            c.unknown_key(
                format!("{field}.{key}"),
                format!("no {what} named \"{key}\""),
                format!("{plural}: {}", members.join(", ")),
            );
            continue;
        };
        if !value.is_finite() || value < 0.0 {
            c.error(
                format!("{field}.{key}"),
                format!("a share must be zero or more, got {value}"),
                "e.g. 0.25 for 25 %",
            );
        }
        out[i] = value;
    }
    let total: f64 = out.iter().sum();
    // With a misspelt key the sum is off too; one message is enough.
    if !unknown && (total - 1.0).abs() > 1e-6 {
        c.error(
            field,
            format!("the {what} shares sum to {total}; they must sum to 1"),
            format!(
                "give each {what} its share of the vehicles, e.g. {}",
                members
                    .iter()
                    .map(|m| format!("{m} = {:.2}", 1.0 / members.len() as f64))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    out
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
            format!("{N} values needed for the {what}, got {}", values.len()),
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

//! `portsim capacity`: saturated throughput with confidence intervals, by loading mode, the
//! bottleneck of each shift, and the static bound from the roster beside it.

use std::fmt::Write;

use serde_json::{Value, json};

use super::json::{SCHEMA_VERSION, pretty};
use super::table::Table;
use super::text::{header, push_body};
use crate::experiment::{Capacity, replication_seed};
use crate::model::{Mode, RunResult};
use crate::scenario::{Scenario, format_clock};
use crate::stats::MeanCi;

const LEVEL: f64 = 0.95;
/// Utilisation at which a stage or resource counts as saturated.
const SATURATED: f64 = 0.98;

/// A daily figure's mean over a run's measured days.
fn per_day(r: &RunResult, f: impl Fn(&crate::model::DayResult) -> u64) -> f64 {
    r.daily.iter().map(|d| f(d) as f64).sum::<f64>() / r.daily.len().max(1) as f64
}

/// The figures `capacity` reports, from the replications.
struct Figures {
    vehicles: MeanCi,
    conveyances: MeanCi,
    by_mode: Vec<(Mode, MeanCi)>,
    bottlenecks: Vec<Bottleneck>,
}

/// The busiest stage or resource during one shift.
struct Bottleneck {
    shift: String,
    start: f64,
    end: f64,
    name: String,
    stage: bool,
    utilization: f64,
}

fn figures(scenario: &Scenario, cap: &Capacity) -> Figures {
    let runs: Vec<&RunResult> = cap.replicated.outcomes.iter().map(|o| &o.result).collect();
    let ci = |xs: Vec<f64>| MeanCi::new(&xs, LEVEL);
    let vehicles = ci(runs.iter().map(|r| per_day(r, |d| d.crossed)).collect());
    let conveyances = ci(runs
        .iter()
        .map(|r| per_day(r, |d| d.crossed_conveyances))
        .collect());
    let port = &scenario.port;
    let modes: Vec<Mode> = if port.has_carriers() {
        Mode::ALL.to_vec()
    } else {
        vec![Mode::SelfDriving]
    };
    let by_mode = modes
        .into_iter()
        .map(|m| {
            let xs = runs
                .iter()
                .map(|r| {
                    r.group("mode", m.name()).map_or(0.0, |g| {
                        g.daily.iter().map(|d| d.crossed as f64).sum::<f64>()
                            / g.daily.len().max(1) as f64
                    })
                })
                .collect();
            (m, ci(xs))
        })
        .collect();

    // Shifts: the roster's, or one all-day window.
    let windows: Vec<(String, f64, f64)> = match &port.roster {
        Some(r) => r
            .shifts
            .iter()
            .map(|s| (s.name.clone(), s.start.minutes(), s.end.minutes()))
            .collect(),
        None => vec![("all-day".into(), 0.0, 1440.0)],
    };
    let mean = |xs: &[f64]| xs.iter().sum::<f64>() / xs.len().max(1) as f64;
    // Every stage and shared resource in flow order, one position per step: the stages
    // before the yard, the yard's drivers and carriers side by side (self-driving and cage
    // vehicles go one or the other way), the stages after it (each referral stage after the
    // first stage that refers to it), then the exit. `None` marks a resource (whole-run
    // utilisation).
    let regular: Vec<usize> = port.regular_stages().collect();
    let after = port
        .yard
        .after
        .and_then(|s| regular.iter().position(|&r| r == s));
    type Element = (String, Option<usize>, f64);
    let mut flow: Vec<Vec<Element>> = Vec::new();
    let mut placed = vec![false; port.stages.len()];
    let mut push_stage = |flow: &mut Vec<Vec<Element>>, s: usize| {
        flow.push(vec![(port.stages[s].name.clone(), Some(s), 0.0)]);
        if let Some(r) = port.stages[s].refer
            && !std::mem::replace(&mut placed[r.to], true)
        {
            flow.push(vec![(port.stages[r.to].name.clone(), Some(r.to), 0.0)]);
        }
    };
    for (r, &s) in regular.iter().enumerate() {
        if after.is_some_and(|k| r <= k) {
            push_stage(&mut flow, s);
        }
    }
    let mut yard: Vec<Element> = Vec::new();
    if port.yard.drivers.pool.is_some() {
        let u = mean(
            &runs
                .iter()
                .filter_map(|r| r.drivers.as_ref().map(|d| d.utilization))
                .collect::<Vec<_>>(),
        );
        yard.push(("drivers".into(), None, u));
    }
    if port.has_carriers() {
        let u = mean(
            &runs
                .iter()
                .filter_map(|r| r.carriers.as_ref().map(|c| c.utilization))
                .collect::<Vec<_>>(),
        );
        yard.push(("carriers".into(), None, u));
    }
    if !yard.is_empty() {
        flow.push(yard);
    }
    for (r, &s) in regular.iter().enumerate() {
        if after.is_none_or(|k| r > k) {
            push_stage(&mut flow, s);
        }
    }
    if let Some(q) = port.exit.as_ref().and_then(|e| e.quota_per_day) {
        flow.push(vec![("exit".into(), None, conveyances.mean / f64::from(q))]);
    }
    let bottlenecks = windows
        .into_iter()
        .map(|(shift, start, end)| {
            let hours: Vec<usize> = (0..24)
                .filter(|&h| {
                    let mid = h as f64 * 60.0 + 30.0;
                    if start < end {
                        start <= mid && mid < end
                    } else {
                        mid >= start || mid < end
                    }
                })
                .collect();
            // Busy ÷ open server-time over the shift's hours, averaged over replications.
            let utilization = |k: usize| {
                mean(
                    &runs
                        .iter()
                        .map(|r| {
                            let st = &r.stages[k];
                            let open: f64 =
                                hours.iter().map(|&h| st.hourly[h].servers_open_mean).sum();
                            let busy: f64 = hours
                                .iter()
                                .map(|&h| st.hourly[h].servers_open_mean * st.hourly[h].utilization)
                                .sum();
                            if open > 0.0 { busy / open } else { 0.0 }
                        })
                        .collect::<Vec<_>>(),
                )
            };
            let closed = runs.first().is_some_and(|r| {
                r.stages
                    .iter()
                    .all(|st| hours.iter().all(|&h| st.hourly[h].servers_open_mean == 0.0))
            });
            if closed {
                return Bottleneck {
                    shift,
                    start,
                    end,
                    name: "closed (no server open)".into(),
                    stage: true,
                    utilization: 0.0,
                };
            }
            let here: Vec<Vec<(String, bool, f64)>> = flow
                .iter()
                .map(|position| {
                    position
                        .iter()
                        .map(|(name, stage, u)| match stage {
                            Some(k) => (name.clone(), true, utilization(*k)),
                            None => (name.clone(), false, *u),
                        })
                        .collect()
                })
                .collect();
            // With a supply that never runs out and no blocking, everything upstream of the
            // bottleneck is busy too: the bottleneck is the last saturated step in the flow
            // (all its saturated elements, when two side by side are), else the busiest
            // element.
            let saturated = here.iter().rev().find_map(|position| {
                let at: Vec<&(String, bool, f64)> =
                    position.iter().filter(|e| e.2 >= SATURATED).collect();
                (!at.is_empty()).then(|| {
                    (
                        at.iter()
                            .map(|e| e.0.as_str())
                            .collect::<Vec<_>>()
                            .join(" + "),
                        at.iter().all(|e| e.1),
                        at.iter().map(|e| e.2).fold(0.0, f64::max),
                    )
                })
            });
            let pick = saturated
                .or_else(|| {
                    here.iter()
                        .flatten()
                        .max_by(|a, b| a.2.total_cmp(&b.2))
                        .cloned()
                })
                .unwrap_or_default();
            Bottleneck {
                shift,
                start,
                end,
                name: pick.0,
                stage: pick.1,
                utilization: pick.2,
            }
        })
        .collect();
    Figures {
        vehicles,
        conveyances,
        by_mode,
        bottlenecks,
    }
}

fn ci_json(ci: &MeanCi) -> Value {
    let hw = if ci.half_width.is_finite() {
        json!(ci.half_width)
    } else {
        Value::Null
    };
    json!({ "mean": ci.mean, "half_width": hw, "low": ci.low(), "high": ci.high() })
}

fn pm(ci: &MeanCi) -> String {
    if ci.half_width.is_finite() {
        format!("{:.1} ± {:.1}", ci.mean, ci.half_width)
    } else {
        format!("{:.1}", ci.mean)
    }
}

/// The capacity report as text.
pub fn capacity_summary(scenario: &Scenario, cap: &Capacity) -> String {
    let rep = &cap.replicated;
    let mut out = String::new();
    let w = &mut out;
    header(w, scenario, &rep.run);
    let n = rep.outcomes.len();
    if rep.interrupted {
        let _ = writeln!(
            w,
            "INTERRUPTED: {n} of {} replications finished; the figures below are theirs.\n",
            rep.requested
        );
    }
    if n == 0 {
        return out;
    }
    let f = figures(scenario, cap);
    let _ = writeln!(
        w,
        "Capacity: vehicles across the border a day when demand never runs out\n  ({n} replications, mean ± half-width of the 95 % interval; vehicles take the streams' mixes)"
    );
    let mut t = Table::new(["", "per day", "static bound"]);
    let bound = cap.bound().map_or(String::new(), |b| {
        format!("{:.1} ({})", b.vehicles_per_day, b.name)
    });
    t.row(vec!["all vehicles".into(), pm(&f.vehicles), bound]);
    for (m, ci) in &f.by_mode {
        if f.by_mode.len() > 1 {
            t.row(vec![format!("  {}", m.name()), pm(ci), String::new()]);
        }
    }
    t.row(vec![
        "conveyances".into(),
        pm(&f.conveyances),
        String::new(),
    ]);
    push_body(w, &t);

    let _ = writeln!(
        w,
        "Bottleneck by shift (the last saturated stage or resource in the flow; resources over the whole run)"
    );
    let mut t = Table::new(["shift", "bottleneck", "utilisation"]);
    for b in &f.bottlenecks {
        t.row(vec![
            format!(
                "{} {}-{}",
                b.shift,
                format_clock(b.start),
                format_clock(b.end)
            ),
            format!(
                "{}{}",
                b.name,
                match (b.stage, b.name.contains(" + ")) {
                    (true, _) => "",
                    (false, false) => " (resource)",
                    (false, true) => " (resources)",
                }
            ),
            format!("{:.1} %", 100.0 * b.utilization),
        ]);
    }
    push_body(w, &t);

    let _ = writeln!(
        w,
        "Static bound from the roster: the most each stage or resource could clear a day\n  (open server-minutes ÷ work per vehicle; drivers, carriers, exit at the demand's mix)"
    );
    let mut t = Table::new(["stage or resource", "vehicles/day"]);
    for b in &cap.bounds {
        t.row(vec![
            format!("{}{}", b.name, if b.stage { "" } else { " (resource)" }),
            format!("{:.1}", b.vehicles_per_day),
        ]);
    }
    let _ = write!(w, "{}", t.render(2));
    out
}

/// The capacity report as one JSON object.
pub fn capacity_json(scenario: &Scenario, cap: &Capacity) -> String {
    let rep = &cap.replicated;
    let seeds: Vec<u64> = rep
        .indices
        .iter()
        .map(|&i| replication_seed(rep.run.seed, u64::from(i)))
        .collect();
    let mut v = json!({
        "schema_version": SCHEMA_VERSION,
        "command": "capacity",
        "scenario": {"name": scenario.port.name, "file": scenario.origin},
        "seed": rep.run.seed,
        "days": rep.run.days,
        "warmup_days": rep.run.warmup_days,
        "replications": rep.outcomes.len(),
        "replications_requested": rep.requested,
        "replication_seeds": seeds,
        "interrupted": rep.interrupted,
        "confidence_level": LEVEL,
        "static_bound_per_day": cap.bound().map(|b| json!({"name": b.name, "vehicles_per_day": b.vehicles_per_day})),
        "bounds": cap.bounds.iter().map(|b| json!({
            "name": b.name,
            "kind": if b.stage { "stage" } else { "resource" },
            "vehicles_per_day": b.vehicles_per_day,
        })).collect::<Vec<_>>(),
    });
    if !rep.outcomes.is_empty() {
        let f = figures(scenario, cap);
        v["capacity_per_day"] = ci_json(&f.vehicles);
        v["conveyances_per_day"] = ci_json(&f.conveyances);
        v["by_mode"] = json!(
            f.by_mode
                .iter()
                .map(|(m, ci)| json!({"mode": m.name(), "capacity_per_day": ci_json(ci)}))
                .collect::<Vec<_>>()
        );
        v["bottlenecks"] = json!(
            f.bottlenecks
                .iter()
                .map(|b| json!({
                    "shift": b.shift,
                    "start": format_clock(b.start),
                    "end": format_clock(b.end),
                    "name": b.name,
                    "kind": if b.stage { "stage" } else { "resource" },
                    "utilization": b.utilization,
                }))
                .collect::<Vec<_>>()
        );
    }
    pretty(&v)
}

//! `portsim plan`: the recommended roster as a TOML snippet, its figures with intervals, and
//! the runner-ups it beat.

use std::fmt::Write;

use serde_json::{Map, Value, json};

use super::json::{SCHEMA_VERSION, pretty};
use super::replicated::pm;
use super::table::{Table, thousands};
use crate::experiment::{Candidate, Metric, MetricCi, Objective, Op, Plan, Rejected, Target, Unit};
use crate::model::Port;
use crate::scenario::{Scenario, format_clock};

/// A value of `metric` for people: minutes as `52.3 min`, throughput as `690.1/day`,
/// utilisation as `72.4 %`.
fn show(metric: Metric, x: f64) -> String {
    match metric.unit() {
        Unit::Minutes => format!("{x:.1} min"),
        Unit::PerDay => format!("{x:.1}/day"),
        Unit::Fraction => format!("{:.1} %", 100.0 * x),
    }
}

fn show_ci(f: &MetricCi) -> String {
    let (scale, suffix, d) = match f.metric.unit() {
        Unit::Minutes => (1.0, " min", 1),
        Unit::PerDay => (1.0, "/day", 1),
        Unit::Fraction => (100.0, " %", 1),
    };
    format!(
        "{}{suffix}",
        pm(f.ci.mean * scale, f.ci.half_width * scale, d)
    )
}

/// JSON key of a metric: times carry `_min`, daily figures `per_day`.
fn json_key(metric: Metric, port: &Port) -> String {
    let name = metric.name(port);
    match metric.unit() {
        Unit::Minutes => match name.split_once('.') {
            Some((a, b)) => format!("{a}_min.{b}"),
            None => format!("{name}_min"),
        },
        Unit::PerDay => format!("{name}_per_day"),
        Unit::Fraction => name,
    }
}

fn objective_name(o: &Objective) -> &'static str {
    match o {
        Objective::StaffHours => "staff_hours",
        Objective::Cost(_) => "cost",
    }
}

/// What the change of a rejected roster was, for people.
fn change_text(plan: &Plan, port: &Port, r: &Rejected, rec: Option<&Candidate>) -> String {
    if r.is_file_roster {
        return "the scenario's own roster".into();
    }
    match (r.change, rec) {
        (Some(m), Some(rec)) => {
            let before = rec.roster.staff[m.shift][m.stage];
            format!(
                "{} {} in {} ({} → {})",
                port.stages[m.stage].name,
                if m.delta < 0 {
                    format!("−{}", -m.delta)
                } else {
                    format!("+{}", m.delta)
                },
                plan.shifts[m.shift].name,
                before,
                r.candidate.roster.staff[m.shift][m.stage]
            )
        }
        _ => "another roster".into(),
    }
}

/// Why a roster was rejected, for people.
fn reason(plan: &Plan, port: &Port, c: &Candidate, rec: Option<&Candidate>) -> String {
    let e = &c.evaluation;
    if !e.overloaded.is_empty() {
        let names: Vec<&str> = e
            .overloaded
            .iter()
            .map(|&j| port.stages[j].name.as_str())
            .collect();
        return format!(
            "overloaded: offered load ≥ 1 at {} (rejected without simulating)",
            names.join(", ")
        );
    }
    let failing: Vec<String> = plan
        .settings
        .targets
        .iter()
        .zip(&e.met)
        .filter(|(_, met)| !**met)
        .filter_map(|(t, _)| {
            let f = e.figure(t.metric)?;
            Some(format!(
                "{} {}: {} bound {} {} {}",
                t.metric.name(port),
                show_ci(f),
                match t.op {
                    Op::AtMost => "upper",
                    Op::AtLeast => "lower",
                },
                show(t.metric, f.bound(t.op)),
                match t.op {
                    Op::AtMost => ">",
                    Op::AtLeast => "<",
                },
                show(t.metric, t.limit)
            ))
        })
        .collect();
    if !failing.is_empty() {
        return format!("fails {}", failing.join("; "));
    }
    match rec {
        Some(rec) => {
            let more = c.cost - rec.cost;
            match plan.objective {
                Objective::StaffHours => {
                    format!("meets the targets, but needs {more:.0} more staff-hours a day")
                }
                Objective::Cost(_) => {
                    format!("meets the targets, but costs {more:.2} more a day")
                }
            }
        }
        None => "meets the targets".into(),
    }
}

/// The plan's clearance-time targets as marks for the clearance plot: label and minutes.
pub fn clearance_marks(plan: &Plan, port: &Port) -> Vec<(String, f64)> {
    plan.settings
        .targets
        .iter()
        .filter(|t| matches!(t.metric, Metric::Clearance(_)))
        .map(|t| {
            let name = t.metric.name(port);
            let stat = name.trim_end_matches("_clearance");
            (format!("{stat} target"), t.limit)
        })
        .collect()
}

/// The roster as `[[staffing.shifts]]` tables to paste into the scenario in place of its own
/// (with a `[staffing]` header when the scenario has no roster yet). A stage with lane groups
/// is written group by group, as the planner evaluated it, so that pasting it reproduces the
/// figures.
pub fn toml_snippet(plan: &Plan, port: &Port, c: &Candidate) -> String {
    let mut out = String::new();
    if port.roster.is_none() {
        out.push_str("[staffing]\n");
    }
    let evaluated = crate::experiment::evaluated_port(port, plan, c);
    let roster = evaluated
        .roster
        .as_ref()
        .expect("an evaluated port has a roster");
    for (k, shift) in plan.shifts.iter().enumerate() {
        let staff: Vec<String> = port
            .stages
            .iter()
            .zip(&c.roster.staff[k])
            .enumerate()
            .map(|(j, (s, &n))| {
                if s.lanes.len() < 2 {
                    format!("{} = {n}", s.name)
                } else {
                    let spp = s.staff_per_server.max(1);
                    let lanes: Vec<String> = s
                        .lanes
                        .iter()
                        .zip(roster.open_lanes(k, j, s))
                        .map(|(l, open)| format!("{} = {}", l.name, open * spp))
                        .collect();
                    format!("{} = {{ {} }}", s.name, lanes.join(", "))
                }
            })
            .collect();
        if !out.is_empty() {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "[[staffing.shifts]]\nname = \"{}\"\nstart = \"{}\"\nend = \"{}\"\nstaff = {{ {} }}",
            shift.name,
            format_clock(shift.start.minutes()),
            format_clock(shift.end.minutes()),
            staff.join(", ")
        );
    }
    out
}

fn figures_json(port: &Port, c: &Candidate) -> Value {
    let mut m = Map::new();
    for f in &c.evaluation.figures {
        m.insert(
            json_key(f.metric, port),
            json!({
                "mean": f.ci.mean,
                "half_width": f.ci.half_width,
                "low": f.ci.low(),
                "high": f.ci.high(),
                "upper_bound_95": f.upper,
                "lower_bound_95": f.lower,
            }),
        );
    }
    Value::Object(m)
}

fn candidate_json(plan: &Plan, port: &Port, c: &Candidate) -> Value {
    json!({
        "staff_hours_per_day": c.staff_hours,
        "cost_per_day": match plan.objective { Objective::Cost(_) => json!(c.cost), Objective::StaffHours => Value::Null },
        "replications": c.evaluation.replications,
        "meets_targets": c.evaluation.feasible(),
        "targets_met": c.evaluation.met,
        "overloaded_stages": c.evaluation.overloaded.iter().map(|&j| port.stages[j].name.clone()).collect::<Vec<_>>(),
        "shifts": plan.shifts.iter().enumerate().map(|(k, s)| {
            let staff: Map<String, Value> = port.stages.iter().zip(&c.roster.staff[k])
                .map(|(st, n)| (st.name.clone(), json!(n))).collect();
            json!({"shift": s.name, "start": format_clock(s.start.minutes()), "end": format_clock(s.end.minutes()), "staff": staff})
        }).collect::<Vec<_>>(),
        "figures": figures_json(port, c),
    })
}

fn target_json(t: &Target, port: &Port) -> Value {
    json!({
        "text": t.text,
        "metric": t.metric.name(port),
        "op": t.op.to_string(),
        "limit": t.limit,
        "unit": match t.metric.unit() { Unit::Minutes => "min", Unit::PerDay => "per_day", Unit::Fraction => "fraction" },
    })
}

/// The plan as a JSON value.
pub fn plan_value(scenario: &Scenario, plan: &Plan) -> Value {
    let port = &scenario.port;
    let rec = plan.recommended.as_ref();
    json!({
        "schema_version": SCHEMA_VERSION,
        "command": "plan",
        "scenario": {"name": port.name, "file": scenario.origin},
        "seed": plan.seed,
        "objective": objective_name(&plan.objective),
        "targets": plan.settings.targets.iter().map(|t| target_json(t, port)).collect::<Vec<_>>(),
        "bounds": port.stages.iter().enumerate().map(|(j, s)| json!({
            "stage": s.name, "min_staff": plan.settings.bounds.min[j], "max_staff": plan.settings.bounds.max[j],
            "staff_per_server": s.staff_per_server,
        })).collect::<Vec<_>>(),
        "max_staff_per_shift": plan.settings.bounds.per_shift,
        "screening_replications": plan.settings.replications,
        "confirm_replications": plan.settings.confirm_replications,
        "configurations_evaluated": plan.configurations_evaluated,
        "runs": plan.runs,
        "grid_size": plan.grid_size,
        "interrupted": plan.interrupted,
        "confirmed": plan.confirmed,
        "feasible": rec.is_some(),
        "start": {
            "shifts": plan.shifts.iter().enumerate().map(|(k, s)| {
                let staff: Map<String, Value> = port.stages.iter().zip(&plan.start.staff[k])
                    .map(|(st, n)| (st.name.clone(), json!(n))).collect();
                json!({"shift": s.name, "staff": staff})
            }).collect::<Vec<_>>(),
        },
        "recommended": rec.map_or(Value::Null, |c| candidate_json(plan, port, c)),
        "toml": rec.map_or(Value::Null, |c| json!(toml_snippet(plan, port, c))),
        "best_effort": plan.best_effort.as_ref().map_or(Value::Null, |c| candidate_json(plan, port, c)),
        "file_roster": plan.file_roster.as_ref().map_or(Value::Null, |c| candidate_json(plan, port, c)),
        "rejected": plan.rejected.iter().map(|r| {
            let mut v = candidate_json(plan, port, &r.candidate);
            v["change"] = json!(change_text(plan, port, r, rec));
            v["reason"] = json!(reason(plan, port, &r.candidate, rec));
            v
        }).collect::<Vec<_>>(),
    })
}

/// The plan as pretty JSON.
pub fn plan_json(scenario: &Scenario, plan: &Plan) -> String {
    pretty(&plan_value(scenario, plan))
}

fn roster_table(plan: &Plan, port: &Port, c: &Candidate) -> String {
    let mut t = Table::new(super::text::shift_headers("stage (staff)", &plan.shifts));
    for (j, s) in port.stages.iter().enumerate() {
        let mut row = vec![s.name.clone()];
        row.extend(c.roster.staff.iter().map(|r| r[j].to_string()));
        t.row(row);
    }
    t.render(2)
}

fn cost_text(plan: &Plan, c: &Candidate) -> String {
    match plan.objective {
        Objective::StaffHours => format!("{:.0} staff-hours a day", c.staff_hours),
        Objective::Cost(_) => format!(
            "cost {:.2} a day ({:.0} staff-hours)",
            c.cost, c.staff_hours
        ),
    }
}

fn figures_table(plan: &Plan, port: &Port, c: &Candidate) -> String {
    let mut t = Table::new(["figure", "mean ± 95 % CI", "target", "95 % bound", ""]);
    for f in &c.evaluation.figures {
        let target = plan
            .settings
            .targets
            .iter()
            .position(|t| t.metric == f.metric);
        let mut row = vec![f.metric.name(port), show_ci(f)];
        match target {
            Some(i) => {
                let t = &plan.settings.targets[i];
                row.push(format!("{} {}", t.op, show(t.metric, t.limit)));
                row.push(show(t.metric, f.bound(t.op)));
                row.push(if c.evaluation.met[i] { "met" } else { "MISSED" }.into());
            }
            None => row.extend([String::new(), String::new(), String::new()]),
        }
        t.row(row);
    }
    t.render(2)
}

/// The plan as text.
pub fn plan_text(scenario: &Scenario, plan: &Plan) -> String {
    let port = &scenario.port;
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "portsim plan · {}", port.name);
    let _ = writeln!(w, "  scenario   {}", scenario.origin);
    let targets: Vec<&str> = plan
        .settings
        .targets
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    let _ = writeln!(
        w,
        "  targets    {} (each must hold at the one-sided 95 % confidence bound of its mean)",
        targets.join(", ")
    );
    let _ = writeln!(
        w,
        "  objective  {}",
        match plan.objective {
            Objective::StaffHours => "fewest staff-hours a day",
            Objective::Cost(_) => "lowest cost a day ([planning] cost_per_hour)",
        }
    );
    let _ = writeln!(
        w,
        "  search     evaluated {} rosters ({} runs) of {} within the bounds; screened with {} replications, confirmed with {} (master seed {})\n",
        plan.configurations_evaluated,
        thousands(plan.runs),
        if plan.grid_size < 1e15 {
            thousands(plan.grid_size as u64)
        } else {
            format!("{:.2e}", plan.grid_size)
        },
        plan.settings.replications,
        plan.settings.confirm_replications,
        plan.seed
    );
    if plan.interrupted {
        let _ = writeln!(
            w,
            "INTERRUPTED: the search was stopped; what follows is the best roster found so far, NOT confirmed.\n"
        );
    }
    for t in &plan.settings.targets {
        if t.metric == Metric::Throughput
            && t.op == Op::AtLeast
            && t.limit >= port.mean_arrivals_per_day(&scenario.run)
        {
            let _ = writeln!(
                w,
                "NOTE: throughput cannot exceed demand ({:.1} a day on average), so \"{}\" can only be met by luck; \
                 ask for a little less than the demand to require the port to keep up.\n",
                port.mean_arrivals_per_day(&scenario.run),
                t.text
            );
        }
    }
    match &plan.recommended {
        Some(c) => {
            let _ = writeln!(
                w,
                "Recommended roster: {}{}",
                cost_text(plan, c),
                if plan.confirmed {
                    format!(
                        ", confirmed with {} replications",
                        c.evaluation.replications
                    )
                } else {
                    ", not confirmed".into()
                }
            );
            if let Some(f) = &plan.file_roster {
                let _ = writeln!(w, "  (the scenario's own roster: {})", cost_text(plan, f));
            }
            let _ = writeln!(w, "{}", roster_table(plan, port, c));
            let _ = writeln!(
                w,
                "Its figures over {} replications:",
                c.evaluation.replications
            );
            let _ = writeln!(w, "{}", figures_table(plan, port, c));
            let _ = writeln!(
                w,
                "{}",
                if port.roster.is_some() {
                    "Paste into the scenario, in place of its [[staffing.shifts]] tables:\n"
                } else {
                    "Paste into the scenario (it has no roster yet):\n"
                }
            );
            for line in toml_snippet(plan, port, c).lines() {
                let _ = writeln!(w, "    {line}");
            }
            let _ = writeln!(w);
        }
        None => {
            let _ = writeln!(
                w,
                "{}",
                if plan.interrupted {
                    "None of the rosters evaluated before the interruption meets every target."
                } else {
                    "No roster within the bounds meets every target."
                }
            );
            if let Some(c) = &plan.best_effort {
                let _ = writeln!(
                    w,
                    "The closest one ({}), over {} replications:",
                    cost_text(plan, c),
                    c.evaluation.replications
                );
                let _ = writeln!(w, "{}", roster_table(plan, port, c));
                if c.evaluation.figures.is_empty() {
                    let _ = writeln!(w, "  {}\n", reason(plan, port, c, None));
                } else {
                    let _ = writeln!(w, "{}", figures_table(plan, port, c));
                }
            }
            if !plan.interrupted {
                let _ = writeln!(
                    w,
                    "Raise the bounds (--max-staff, [planning] max_staff) or relax the targets.\n"
                );
            }
        }
    }
    if !plan.rejected.is_empty() {
        let rec = plan.recommended.as_ref();
        let _ = writeln!(w, "Runner-ups rejected");
        let mut t = Table::new([
            "roster",
            match plan.objective {
                Objective::StaffHours => "staff-h/day",
                Objective::Cost(_) => "cost/day",
            },
            "why",
        ]);
        for r in &plan.rejected {
            t.row(vec![
                change_text(plan, port, r, rec),
                match plan.objective {
                    Objective::StaffHours => format!("{:.0}", r.candidate.staff_hours),
                    Objective::Cost(_) => format!("{:.2}", r.candidate.cost),
                },
                reason(plan, port, &r.candidate, rec),
            ]);
        }
        let _ = write!(w, "{}", t.render(2));
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

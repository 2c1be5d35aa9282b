//! The human-readable summary printed by `portsim run`, and the report of `portsim validate`.

use std::fmt::Write;

use super::table::{Table, human_minutes, thousands};
use super::warnings;
use crate::dist::DistSpec;
use crate::experiment::Outcome;
use crate::model::{RunSpec, stage_loads};
use crate::scenario::{Scenario, format_clock};

/// Days shown in full in the daily table; longer runs show the first and last weeks.
const DAYS_IN_FULL: usize = 62;

/// The summary of one run, as printed by `portsim run`.
pub fn summary(scenario: &Scenario, outcome: &Outcome) -> String {
    let (port, r) = (&scenario.port, &outcome.result);
    let mut out = String::new();
    let w = &mut out;
    header(w, scenario, &outcome.run);
    for warning in warnings(port, &outcome.loads) {
        let _ = writeln!(w, "WARNING: {warning}\n");
    }

    let v = &r.vehicles;
    let tp = r.throughput_per_day();
    let _ = writeln!(w, "Vehicles");
    let mut t = Table::new(["", ""]);
    t.row(vec!["arrived".into(), thousands(v.arrived)]);
    t.row(vec!["cleared".into(), thousands(v.cleared)]);
    t.row(vec![
        "in the port at start (from the warm-up)".into(),
        thousands(v.in_system_at_start),
    ]);
    t.row(vec![
        "in the port at end".into(),
        thousands(v.in_system_at_end),
    ]);
    t.row(vec![
        "mean in the port".into(),
        format!("{:.1}", v.mean_in_system),
    ]);
    t.row(vec![
        "cleared per day: mean / min / max".into(),
        format!("{:.1} / {:.0} / {:.0}", tp.mean, tp.min, tp.max),
    ]);
    push_body(w, &t);

    let c = &r.clearance;
    let _ = writeln!(
        w,
        "Clearance time, minutes (arrival to leaving the last stage; {} vehicles that arrived after the warm-up)",
        thousands(c.count)
    );
    let mut t = Table::new(["mean", "p50", "p90", "p95", "p99", "max"]);
    t.row(
        [c.mean, c.p50, c.p90, c.p95, c.p99, c.max]
            .iter()
            .map(|x| format!("{x:.1}"))
            .collect(),
    );
    let mut body = t.render(2);
    let _ = writeln!(
        body,
        "  = mean {}, p95 {}",
        human_minutes(c.mean),
        human_minutes(c.p95)
    );
    let _ = writeln!(w, "{body}");

    let _ = writeln!(
        w,
        "Stages (waits in minutes, from joining the queue to the start of service)"
    );
    let mut t = Table::new([
        "stage",
        "servers",
        "served",
        "offered load",
        "utilisation",
        "wait mean",
        "wait p95",
        "queue mean",
        "overtime h/day",
    ]);
    for ((stage, s), load) in port.stages.iter().zip(&r.stages).zip(&outcome.loads) {
        t.row(vec![
            stage.name.clone(),
            stage.servers.to_string(),
            thousands(s.served),
            if load.offered_load.is_finite() {
                format!("{:.2}", load.offered_load)
            } else {
                "never open".into()
            },
            format!("{:.1} %", 100.0 * s.utilization),
            format!("{:.1}", s.wait.mean),
            format!("{:.1}", s.wait.p95),
            format!("{:.1}", s.queue_mean),
            format!("{:.2}", s.overtime_min / 60.0 / f64::from(r.days)),
        ]);
    }
    push_body(w, &t);

    if let Some(roster) = &port.roster {
        let _ = writeln!(
            w,
            "Servers open by shift (handover: {} at each change runs the lower of the two)",
            human_minutes(roster.handover.minutes())
        );
        let mut headers = vec!["stage".to_string()];
        headers.extend(roster.shifts.iter().map(|s| {
            format!(
                "{} {}-{}",
                s.name,
                format_clock(s.start.minutes()),
                format_clock(s.end.minutes())
            )
        }));
        let mut t = Table::new(headers);
        for (i, stage) in port.stages.iter().enumerate() {
            let mut row = vec![stage.name.clone()];
            row.extend((0..roster.shifts.len()).map(|k| {
                roster
                    .open_servers(k, i, stage.servers, stage.staff_per_server)
                    .to_string()
            }));
            t.row(row);
        }
        push_body(w, &t);
    }

    let _ = writeln!(
        w,
        "Hours of the day (means over the measured days; servers open per stage)"
    );
    let mut headers = vec!["hour".to_string(), "arrived".into(), "cleared".into()];
    headers.extend(port.stages.iter().map(|s| s.name.clone()));
    let mut t = Table::new(headers);
    for (h, hour) in r.hourly.iter().enumerate() {
        let mut row = vec![
            format!("{h:02}-{:02}", h + 1),
            format!("{:.1}", hour.arrived_per_day),
            format!("{:.1}", hour.cleared_per_day),
        ];
        row.extend(
            r.stages
                .iter()
                .map(|s| format!("{:.2}", s.hourly[h].servers_open_mean)),
        );
        t.row(row);
    }
    push_body(w, &t);

    let _ = writeln!(w, "Days");
    let mut t = Table::new(["day", "arrived", "cleared", "backlog at midnight"]);
    let n = r.daily.len();
    for (i, d) in r.daily.iter().enumerate() {
        if n > DAYS_IN_FULL && i == 14 {
            t.note(format!(
                "... {} days not shown (--json lists every day)",
                n - 21
            ));
        }
        if n > DAYS_IN_FULL && (14..n - 7).contains(&i) {
            continue;
        }
        t.row(vec![
            d.day.to_string(),
            thousands(d.arrived),
            thousands(d.cleared),
            thousands(d.backlog_at_midnight),
        ]);
    }
    let _ = write!(w, "{}", t.render(2));
    out
}

/// What `portsim validate` prints for a valid scenario: its shape and its static load.
pub fn validation(scenario: &Scenario) -> String {
    let port = &scenario.port;
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "{}: valid", scenario.origin);
    header(w, scenario, &scenario.run);
    let _ = writeln!(
        w,
        "Demand: {:.1} vehicles a day on average from {} arrival stream{}",
        port.mean_arrivals_per_day(),
        port.arrivals.len(),
        if port.arrivals.len() == 1 { "" } else { "s" }
    );
    let loads = stage_loads(port);
    let mut t = Table::new([
        "stage",
        "servers",
        "service",
        "mean min",
        "visits/day",
        "open server-h/day",
        "offered load",
    ]);
    for (stage, load) in port.stages.iter().zip(&loads) {
        t.row(vec![
            stage.name.clone(),
            stage.servers.to_string(),
            dist_name(stage.service.spec()).into(),
            format!("{:.2}", stage.service.mean()),
            format!("{:.1}", load.visits_per_day),
            format!("{:.1}", load.open_min_per_day / 60.0),
            if load.offered_load.is_finite() {
                format!("{:.2}", load.offered_load)
            } else {
                "never open".into()
            },
        ]);
    }
    push_body(w, &t);
    for warning in warnings(port, &loads) {
        let _ = writeln!(w, "WARNING: {warning}\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

pub(super) fn header(w: &mut String, scenario: &Scenario, run: &RunSpec) {
    let _ = writeln!(w, "portsim · {}", scenario.port.name);
    let _ = writeln!(w, "  scenario  {}", scenario.origin);
    let _ = writeln!(
        w,
        "  run       {} measured day{} after {} warm-up day{} · seed {}\n",
        run.days,
        if run.days == 1 { "" } else { "s" },
        run.warmup_days,
        if run.warmup_days == 1 { "" } else { "s" },
        run.seed
    );
}

pub(super) fn push_body(w: &mut String, t: &Table) {
    let _ = writeln!(w, "{}", t.render(2));
}

/// Servers each shift opens at each stage (`None` without a roster).
pub(super) fn roster_table(port: &crate::model::Port) -> Option<Table> {
    let roster = port.roster.as_ref()?;
    let mut headers = vec!["stage".to_string()];
    headers.extend(roster.shifts.iter().map(|s| {
        format!(
            "{} {}-{}",
            s.name,
            format_clock(s.start.minutes()),
            format_clock(s.end.minutes())
        )
    }));
    let mut t = Table::new(headers);
    for (i, stage) in port.stages.iter().enumerate() {
        let mut row = vec![stage.name.clone()];
        row.extend((0..roster.shifts.len()).map(|k| {
            roster
                .open_servers(k, i, stage.servers, stage.staff_per_server)
                .to_string()
        }));
        t.row(row);
    }
    Some(t)
}

pub(super) fn dist_name(spec: &DistSpec) -> &'static str {
    match spec {
        DistSpec::Constant { .. } => "constant",
        DistSpec::Exponential { .. } => "exponential",
        DistSpec::Uniform { .. } => "uniform",
        DistSpec::Triangular { .. } => "triangular",
        DistSpec::Normal { .. } => "normal",
        DistSpec::LogNormal { .. } => "lognormal",
        DistSpec::Gamma { .. } => "gamma",
        DistSpec::Erlang { .. } => "erlang",
        DistSpec::Empirical { .. } => "empirical",
    }
}

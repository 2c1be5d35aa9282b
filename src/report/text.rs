//! The human-readable summary printed by `portsim run`, and the report of `portsim validate`.

use std::fmt::Write;

use super::table::{Table, human_minutes, in_markdown, thousands};
use super::warnings;
use crate::dist::DistSpec;
use crate::experiment::Outcome;
use crate::model::{DailyRange, RunSpec, resource_loads, stage_loads};
use crate::scenario::{Scenario, format_clock};
use crate::stats::Summary;

/// Days shown in full in the daily table; longer runs show the first and last weeks.
const DAYS_IN_FULL: usize = 62;

fn range(r: DailyRange) -> String {
    format!("{:.1} / {:.0} / {:.0}", r.mean, r.min, r.max)
}

/// A row for a queue in front of a shared resource: `WHO waiting (mean) / wait mean / p95`.
fn queue_row(who: &str, waiting_mean: f64, wait: &Summary) -> Vec<String> {
    vec![
        format!("{who} waiting (mean) / wait mean / p95"),
        format!("{waiting_mean:.1} / {:.1} / {:.1}", wait.mean, wait.p95),
    ]
}

fn quantile_cells(s: &Summary) -> Vec<String> {
    [s.mean, s.p50, s.p90, s.p95, s.p99, s.max]
        .iter()
        .map(|x| format!("{x:.1}"))
        .collect()
}

/// The summary of one run, as printed by `portsim run`.
pub fn summary(scenario: &Scenario, outcome: &Outcome) -> String {
    let (port, r) = (&scenario.port, &outcome.result);
    let has_exit = r.exit.is_some();
    let has_carriers = r.carriers.is_some();
    let mut out = String::new();
    let w = &mut out;
    header(w, scenario, &outcome.run);
    for warning in warnings(port, &outcome.loads, &outcome.resources) {
        let _ = writeln!(w, "WARNING: {warning}\n");
    }

    let v = &r.vehicles;
    section(w, "Vehicles");
    let mut t = Table::new(["", ""]);
    t.row(vec!["arrived".into(), thousands(v.arrived)]);
    t.row(vec!["cleared by customs".into(), thousands(v.cleared)]);
    if has_exit {
        t.row(vec!["crossed the border".into(), thousands(v.crossed)]);
    }
    t.row(vec![
        "in the port at start (from the warm-up)".into(),
        thousands(v.in_system_at_start),
    ]);
    let p = &v.at_end;
    t.row(vec![
        "in the port at end".into(),
        thousands(v.in_system_at_end),
    ]);
    t.row(vec![
        "  at stages / in the yard / aboard carriers / at the exit".into(),
        format!(
            "{} / {} / {} / {}",
            p.stages, p.yard, p.aboard_carriers, p.exit
        ),
    ]);
    t.row(vec![
        "mean in the port".into(),
        format!("{:.1}", v.mean_in_system),
    ]);
    t.row(vec![
        "vehicles cleared per day: mean / min / max".into(),
        range(r.throughput_per_day()),
    ]);
    if has_carriers {
        t.row(vec![
            "conveyances cleared per day".into(),
            range(r.conveyances_per_day()),
        ]);
    }
    if has_exit {
        t.row(vec![
            "vehicles crossed per day".into(),
            range(r.crossings_per_day()),
        ]);
    }
    push_body(w, &t);

    section(
        w,
        &format!(
            "Clearance and crossing times, minutes ({} vehicles that arrived after the warm-up)",
            thousands(r.clearance.count)
        ),
    );
    let mut t = Table::new(["", "mean", "p50", "p90", "p95", "p99", "max"]);
    let mut row = vec!["clearance (arrival to release by customs)".to_string()];
    row.extend(quantile_cells(&r.clearance));
    t.row(row);
    if has_exit {
        let mut row = vec!["crossing (arrival to leaving the country)".to_string()];
        row.extend(quantile_cells(&r.crossing));
        t.row(row);
    }
    let mut body = t.render(2);
    let _ = writeln!(
        body,
        "  = clearance mean {}, p95 {}{}",
        human_minutes(r.clearance.mean),
        human_minutes(r.clearance.p95),
        if has_exit {
            format!(
                "; crossing mean {}, p95 {}",
                human_minutes(r.crossing.mean),
                human_minutes(r.crossing.p95)
            )
        } else {
            String::new()
        }
    );
    let _ = writeln!(w, "{body}");

    // Groups: only dimensions with more than one member (the others equal the totals).
    let shown: Vec<_> = r
        .groups
        .iter()
        .filter(|g| {
            r.groups
                .iter()
                .filter(|h| h.dimension == g.dimension)
                .count()
                > 1
        })
        .collect();
    if !shown.is_empty() {
        section(w, "By group (vehicles; times in minutes)");
        let mut headers = vec![
            "group",
            "arrived",
            "cleared",
            "clearance mean",
            "clearance p95",
        ];
        if has_exit {
            headers.extend(["crossing mean", "crossing p95"]);
        }
        headers.push("yard mean");
        let mut t = Table::new(headers);
        for g in &shown {
            let mut row = vec![
                format!("{}: {}", g.dimension, g.name),
                thousands(g.arrived),
                thousands(g.cleared),
                format!("{:.1}", g.clearance.mean),
                format!("{:.1}", g.clearance.p95),
            ];
            if has_exit {
                row.extend([
                    format!("{:.1}", g.crossing.mean),
                    format!("{:.1}", g.crossing.p95),
                ]);
            }
            row.push(if g.yard.count == 0 {
                "-".into()
            } else {
                format!("{:.1}", g.yard.mean)
            });
            t.row(row);
        }
        push_body(w, &t);

        section(
            w,
            "Mean wait by group and stage, minutes (vehicles; a carrier's wait counts for each vehicle aboard)",
        );
        let mut headers = vec!["group".to_string()];
        headers.extend(port.stages.iter().map(|s| s.name.clone()));
        let mut t = Table::new(headers);
        for g in &shown {
            let mut row = vec![format!("{}: {}", g.dimension, g.name)];
            row.extend(g.stage_wait.iter().map(|s| {
                if s.count == 0 {
                    "-".into()
                } else {
                    format!("{:.1}", s.mean)
                }
            }));
            t.row(row);
        }
        push_body(w, &t);
    }

    section(
        w,
        "Stages (units: a vehicle, or a loaded carrier after the yard; waits in minutes, from joining the queue to the start of service)",
    );
    let mut t = Table::new([
        "stage",
        "servers",
        "units served",
        "vehicles",
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
            thousands(s.served_vehicles),
            offered_load(load),
            format!("{:.1} %", 100.0 * s.utilization),
            format!("{:.1}", s.wait.mean),
            format!("{:.1}", s.wait.p95),
            format!("{:.1}", s.queue_mean),
            format!("{:.2}", s.overtime_min / 60.0 / f64::from(r.days)),
        ]);
        if s.lanes.len() > 1 {
            for (lane, config) in s.lanes.iter().zip(&stage.lanes) {
                t.row(vec![
                    format!("  lanes \"{}\"", lane.name),
                    config.servers.to_string(),
                    String::new(),
                    String::new(),
                    String::new(),
                    format!("{:.1} %", 100.0 * lane.utilization),
                ]);
            }
        }
    }
    push_body(w, &t);

    if r.drivers.is_some() || r.carriers.is_some() || r.exit.is_some() {
        section(w, "Drivers, carriers and exit (times in minutes)");
        let mut t = Table::new(["", ""]);
        if let Some(d) = &r.drivers {
            t.row(vec![
                "drivers: pool / utilisation".into(),
                format!("{} / {:.1} %", d.pool, 100.0 * d.utilization),
            ]);
            t.row(queue_row("drivers: vehicles", d.waiting_mean, &d.wait));
        }
        if let Some(c) = &r.carriers {
            t.row(vec![
                "carriers: fleet / utilisation".into(),
                format!("{} / {:.1} %", c.fleet, 100.0 * c.utilization),
            ]);
            t.row(vec![
                "carriers: idle / loading / in port / returning (mean)".into(),
                format!(
                    "{:.1} / {:.1} / {:.1} / {:.1}",
                    c.idle_mean, c.loading_mean, c.in_port_mean, c.returning_mean
                ),
            ]);
            t.row(vec![
                "carriers: trips / vehicles per trip".into(),
                format!("{} / {:.2}", thousands(c.trips), c.vehicles_per_trip),
            ]);
            t.row(queue_row(
                "loading: vehicles",
                c.waiting_mean,
                &c.loading_wait,
            ));
        }
        if let Some(e) = &r.exit {
            t.row(queue_row("exit: conveyances", e.queue_mean, &e.wait));
            t.row(vec![
                "exit: conveyances waiting at end".into(),
                thousands(e.waiting_at_end),
            ]);
        }
        push_body(w, &t);
    }

    if let (Some(roster), Some(t)) = (&port.roster, roster_table(port)) {
        section(
            w,
            &format!(
                "Servers open by shift (handover: {} at each change runs the lower of the two)",
                human_minutes(roster.handover.minutes())
            ),
        );
        push_body(w, &t);
    }

    section(
        w,
        "Hours of the day (means over the measured days; servers open per stage)",
    );
    let mut headers = vec!["hour".to_string(), "arrived".into(), "cleared".into()];
    if has_exit {
        headers.push("crossed".into());
    }
    headers.extend(port.stages.iter().map(|s| s.name.clone()));
    let mut t = Table::new(headers);
    for (h, hour) in r.hourly.iter().enumerate() {
        let mut row = vec![
            format!("{h:02}-{:02}", h + 1),
            format!("{:.1}", hour.arrived_per_day),
            format!("{:.1}", hour.cleared_per_day),
        ];
        if has_exit {
            row.push(format!("{:.1}", hour.crossed_per_day));
        }
        row.extend(
            r.stages
                .iter()
                .map(|s| format!("{:.2}", s.hourly[h].servers_open_mean)),
        );
        t.row(row);
    }
    push_body(w, &t);

    section(w, "Days (vehicles unless said otherwise)");
    let mut headers = vec!["day", "arrived", "cleared"];
    if has_carriers {
        headers.push("conveyances cleared");
    }
    if has_exit {
        headers.extend(["crossed", "conveyances crossed"]);
    }
    headers.push("backlog at midnight");
    let mut t = Table::new(headers);
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
        let mut row = vec![
            d.day.to_string(),
            thousands(d.arrived),
            thousands(d.cleared),
        ];
        if has_carriers {
            row.push(thousands(d.cleared_conveyances));
        }
        if has_exit {
            row.extend([thousands(d.crossed), thousands(d.crossed_conveyances)]);
        }
        row.push(thousands(d.backlog_at_midnight));
        t.row(row);
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
        "Demand: {:.1} vehicles a day on average over the measured days, from {} arrival stream{}",
        port.mean_arrivals_per_day(&scenario.run),
        port.arrivals.len(),
        if port.arrivals.len() == 1 { "" } else { "s" }
    );
    let loads = stage_loads(port, &scenario.run);
    let resources = resource_loads(port, &scenario.run);
    let mut t = Table::new([
        "stage",
        "servers",
        "service",
        "mean min/unit",
        "units/day",
        "open server-h/day",
        "offered load",
    ]);
    for (i, (stage, load)) in port.stages.iter().zip(&loads).enumerate() {
        t.row(vec![
            stage.name.clone(),
            stage.servers.to_string(),
            service_label(port, i, stage),
            format!(
                "{:.2}",
                if load.visits_per_day > 0.0 {
                    load.work_min_per_day / load.visits_per_day
                } else {
                    stage.service.mean()
                }
            ),
            format!("{:.1}", load.visits_per_day),
            format!("{:.1}", load.open_min_per_day / 60.0),
            offered_load(load),
        ]);
    }
    push_body(w, &t);
    if !resources.is_empty() {
        let mut t = Table::new([
            "resource",
            "demand/day",
            "capacity/day (at best)",
            "offered load",
        ]);
        for r in &resources {
            t.row(vec![
                r.name.to_string(),
                format!("{:.1}", r.demand_per_day),
                format!("{:.1}", r.capacity_per_day),
                format!("{:.2}", r.offered_load),
            ]);
        }
        push_body(w, &t);
    }
    for warning in warnings(port, &loads, &resources) {
        let _ = writeln!(w, "WARNING: {warning}\n");
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

pub(super) fn header(w: &mut String, scenario: &Scenario, run: &RunSpec) {
    let days = |n: u32| if n == 1 { "" } else { "s" };
    if in_markdown() {
        let _ = writeln!(w, "# portsim · {}\n", scenario.port.name);
        let _ = writeln!(
            w,
            "Scenario `{}`; {} measured day{} after {} warm-up day{}; seed {}.\n",
            scenario.origin,
            run.days,
            days(run.days),
            run.warmup_days,
            days(run.warmup_days),
            run.seed
        );
        return;
    }
    let _ = writeln!(w, "portsim · {}", scenario.port.name);
    let _ = writeln!(w, "  scenario  {}", scenario.origin);
    let _ = writeln!(
        w,
        "  run       {} measured day{} after {} warm-up day{} · seed {}\n",
        run.days,
        days(run.days),
        run.warmup_days,
        days(run.warmup_days),
        run.seed
    );
}

/// A section title: a plain line in text, a `##` heading in Markdown.
pub(super) fn section(w: &mut String, title: &str) {
    if in_markdown() {
        let _ = writeln!(w, "## {title}");
    } else {
        let _ = writeln!(w, "{title}");
    }
}

pub(super) fn push_body(w: &mut String, t: &Table) {
    let _ = writeln!(w, "{}", t.render(2));
}

/// The stage's own distribution, marked when classes or declaration modes change it.
fn service_label(port: &crate::model::Port, s: usize, stage: &crate::model::Stage) -> String {
    use crate::model::ServiceOverride;
    let overridden = port
        .classes
        .iter()
        .map(|c| &c.service[s])
        .chain(port.declarations.iter().map(|d| &d.service[s]))
        .any(|o| !matches!(o, ServiceOverride::None));
    format!(
        "{}{}",
        dist_name(stage.service.spec()),
        if overridden { " + overrides" } else { "" }
    )
}

/// Table headers: `first`, then each shift as `name HH:MM-HH:MM`.
pub(super) fn shift_headers(first: &str, shifts: &[crate::model::Shift]) -> Vec<String> {
    let mut headers = vec![first.to_string()];
    headers.extend(shifts.iter().map(|s| {
        format!(
            "{} {}-{}",
            s.name,
            format_clock(s.start.minutes()),
            format_clock(s.end.minutes())
        )
    }));
    headers
}

/// Servers each shift opens at each stage, with the split over lane groups (`None` without a
/// roster).
pub(super) fn roster_table(port: &crate::model::Port) -> Option<Table> {
    let roster = port.roster.as_ref()?;
    let mut t = Table::new(shift_headers("stage", &roster.shifts));
    for (i, stage) in port.stages.iter().enumerate() {
        let mut row = vec![stage.name.clone()];
        row.extend((0..roster.shifts.len()).map(|k| {
            let lanes = roster.open_lanes(k, i, stage);
            let total: u32 = lanes.iter().sum();
            if lanes.len() > 1 {
                let parts: Vec<String> = lanes.iter().map(u32::to_string).collect();
                format!("{total} ({})", parts.join("+"))
            } else {
                total.to_string()
            }
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

/// A stage's offered load as the tables print it.
fn offered_load(load: &crate::model::StageLoad) -> String {
    if load.offered_load.is_finite() {
        format!("{:.2}", load.offered_load)
    } else if load.open_min_per_day > 0.0 {
        "units stranded".into()
    } else {
        "never open".into()
    }
}

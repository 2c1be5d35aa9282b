//! Staffing rosters: closed hours clear nothing, open hours bound throughput, handovers run
//! at the lower opening, and the two shift-end policies behave as documented.

mod support;

use portsim::model::RunResult;
use support::*;

/// A stage of `servers` lanes staffed only 08:00-16:00, constant `service` minutes, demand
/// `per_day` spread evenly over the 24 hours.
fn day_only(per_day: u32, servers: u32, service: u32, policy: &str) -> String {
    format!(
        r#"
[simulation]
name = "day shift only"
days = 1

[[arrivals]]
name = "vehicles"
per_day = {per_day}

[[stages]]
name = "lanes"
servers = {servers}
service = {{ dist = "constant", value = "{service}m" }}

[staffing]
at_shift_end = "{policy}"

[[staffing.shifts]]
name = "closed"
start = "16:00"
end = "08:00"
staff = {{ lanes = 0 }}

[[staffing.shifts]]
name = "day"
start = "08:00"
end = "16:00"
staff = {{ lanes = {servers} }}
"#
    )
}

fn run_days(text: &str, days: u32) -> RunResult {
    run(&scenario(text), 3, 0, days, 1)
}

#[test]
fn closed_night_clears_nothing_and_carries_the_backlog() {
    // 3 lanes x 8 h x 12 vehicles/h = 288 a day at most; demand 200 a day.
    let r = run_days(&day_only(200, 3, 5, "finish"), 28);
    for h in r.hourly.iter().filter(|h| h.hour >= 17 || h.hour < 8) {
        assert_eq!(
            h.cleared_per_day, 0.0,
            "cleared at {:02}:00 while closed",
            h.hour
        );
    }
    // The finish policy completes services running at 16:00: at most 5 minutes into hour 16.
    assert!(r.hourly[16].cleared_per_day <= 3.0);
    let lanes = &r.stages[0];
    for (h, x) in lanes.hourly.iter().enumerate() {
        let expected = if (8..16).contains(&h) { 3.0 } else { 0.0 };
        assert_eq!(x.servers_open_mean, expected, "servers open at {h:02}:00");
    }
    for d in &r.daily {
        // Everything that arrived after 16:00 is still there at midnight.
        assert!(
            d.backlog_at_midnight > 0,
            "day {}: nothing carried over midnight",
            d.day
        );
        assert!(
            d.cleared <= 3 * 96 + 3,
            "day {} cleared {} > capacity",
            d.day,
            d.cleared
        );
    }
    // Vehicles arriving in the evening wait overnight: the 99th percentile exceeds 10 h.
    assert!(r.clearance.p99 > 600.0, "p99 {}", r.clearance.p99);
}

#[test]
fn throughput_is_capped_by_open_hours() {
    // Demand 500 a day against a capacity of 3 x 96 = 288 (plus at most one finishing
    // vehicle per lane at 16:00): every day clears at most that, and the queue grows.
    let r = run_days(&day_only(500, 3, 5, "finish"), 14);
    for d in &r.daily {
        assert!(d.cleared <= 288 + 3, "day {} cleared {}", d.day, d.cleared);
        assert!(
            d.cleared >= 280,
            "day {} cleared only {} with a full queue",
            d.day,
            d.cleared
        );
    }
    assert!(
        r.daily
            .windows(2)
            .all(|w| w[1].backlog_at_midnight > w[0].backlog_at_midnight)
    );
    let s = scenario(&day_only(500, 3, 5, "finish"));
    let load = portsim::model::stage_loads(&s.port, &s.run);
    assert!(load[0].is_overloaded());
}

#[test]
fn finish_records_overtime_and_preempt_does_not() {
    // A saturated queue keeps all 3 lanes busy from 08:00. With 7-minute services the 69th
    // starts at 15:56 and would end at 16:03, so each lane is 3 minutes into overtime at the
    // close: exactly 9 server-minutes a day under `finish`.
    let finish = run_days(&day_only(500, 3, 7, "finish"), 14);
    let preempt = run_days(&day_only(500, 3, 7, "preempt"), 14);
    let ot = finish.stages[0].overtime_min / 14.0;
    assert!((ot - 9.0).abs() < 1e-6, "overtime {ot} min/day, expected 9");
    assert!(finish.hourly[16].cleared_per_day > 0.0);

    // Under `preempt` the three services are interrupted at 16:00 and resumed at 08:00 with
    // their remaining 3 minutes: no overtime, nothing cleared after 16:00.
    assert_eq!(preempt.stages[0].overtime_min, 0.0);
    assert_eq!(preempt.hourly[16].cleared_per_day, 0.0);
    // Interrupted work is resumed, not lost: the two policies clear almost the same number.
    let (a, b) = (
        finish.vehicles.cleared as i64,
        preempt.vehicles.cleared as i64,
    );
    assert!((a - b).abs() <= 3 * 14, "finish {a} vs preempt {b}");
    // A vehicle's wait is recorded once, at its first start, however often it is interrupted.
    // Without a warm-up every vehicle is measured, so the records are exactly the completed
    // services plus the 3 interrupted on the last evening (a record at each resumption would
    // add 3 a day).
    let no_warmup = run(&scenario(&day_only(500, 3, 7, "preempt")), 3, 0, 14, 0);
    let lanes = &no_warmup.stages[0];
    assert_eq!(
        lanes.wait.count,
        lanes.served + 3,
        "wait records vs services"
    );
}

#[test]
fn handover_runs_at_the_lower_opening() {
    // Night 2 lanes, day 6 lanes, 30-minute handover: 08:00-08:30 runs 2, 08:30-09:00 runs 6.
    let text = r#"
[simulation]
name = "handover"
days = 3

[[arrivals]]
name = "vehicles"
per_day = 100

[[stages]]
name = "lanes"
servers = 6
service = { dist = "exponential", mean = "5m" }

[staffing]
handover = "30m"

[[staffing.shifts]]
name = "night"
start = "20:00"
end = "08:00"
staff = { lanes = 2 }

[[staffing.shifts]]
name = "day"
start = "08:00"
end = "20:00"
staff = { lanes = 6 }
"#;
    let r = run_days(text, 3);
    let hourly = &r.stages[0].hourly;
    assert_eq!(hourly[7].servers_open_mean, 2.0);
    assert_eq!(
        hourly[8].servers_open_mean,
        (2.0 * 30.0 + 6.0 * 30.0) / 60.0
    );
    assert_eq!(hourly[9].servers_open_mean, 6.0);
    assert_eq!(
        hourly[20].servers_open_mean, 2.0,
        "day -> night handover is at the lower, the night's"
    );
}

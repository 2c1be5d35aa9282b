//! Port operations, one mechanism at a time: carriers, drivers, green channel, declaration
//! modes, lanes, the exit quota, port hours, convoys, traces and growth. Each test shows the
//! mechanism's effect with numbers that would be wrong if the mechanism were. Every run is
//! checked for conservation (overall, per group, and by place at the end).

mod support;

use portsim::engine::{Streams, Time};
use portsim::model::{self, Mode, RunResult, RunSpec};
use portsim::scenario::Scenario;
use support::*;

const SIM: &str = "[simulation]\nname = \"test\"\ndays = 1\n";

/// Runs with one record per vehicle.
fn run_recorded(s: &Scenario, days: u32, warmup_days: u32) -> RunResult {
    let spec = RunSpec {
        days,
        warmup_days,
        seed: 11,
        record_vehicles: true,
        ..s.run
    };
    let r = model::simulate(&s.port, &spec);
    assert!(
        r.is_conserved(),
        "vehicles lost or invented: {:?}",
        r.vehicles
    );
    r
}

fn mean_per_day(r: &RunResult, f: impl Fn(&model::DayResult) -> u64) -> f64 {
    r.daily.iter().map(|d| f(d) as f64).sum::<f64>() / r.daily.len() as f64
}

#[test]
fn one_carrier_bounds_cage_throughput() {
    // One carrier of 6 slots, a 10 h round trip: at most 6 × 24/10 = 14.4 vehicles a day.
    // Its full cycle is 6 loadings of 1 min + 1 min at the gate + 600 min back = 607 min, so
    // with demand to spare it carries 6 × 1440 / 607 = 14.23 a day.
    let s = scenario(&format!(
        r#"{SIM}
[[arrivals]]
name = "cars"
per_day = 200
self_driving = 0

[[stages]]
name = "gate"
servers = 4
service = {{ dist = "constant", value = "1m" }}

[cage_truck]
carriers = 1
slots = 6
loading = {{ dist = "constant", value = "1m" }}
max_wait = "1h"
min_load = 6
round_trip = {{ dist = "constant", value = "10h" }}
"#
    ));
    let r = run(&s, 1, 0, 30, 1);
    let per_day = mean_per_day(&r, |d| d.crossed);
    assert!(per_day <= 6.0 * 24.0 / 10.0, "{per_day} a day > 14.4");
    assert!(
        (per_day - 6.0 * 1440.0 / 607.0).abs() < 0.2,
        "{per_day} a day, expected 14.23"
    );
    assert!(
        r.daily
            .iter()
            .all(|d| d.crossed <= 18 && d.crossed_conveyances <= 3)
    );
    let c = r.carriers.as_ref().unwrap();
    assert_eq!(c.vehicles_per_trip, 6.0, "a full carrier leaves at once");
    assert!(
        c.utilization > 0.99,
        "the one carrier is never idle: {}",
        c.utilization
    );
    // The cars pile up in the yard: each day about 186 more wait to be loaded.
    assert!(r.vehicles.at_end.yard > 150 * 29);
    assert_eq!(
        r.group("mode", "cage_truck").unwrap().crossed,
        r.vehicles.crossed
    );
}

#[test]
fn driver_pool_bounds_self_driving_throughput() {
    // 20 drivers, each away 1 min at the gate + 12 h back: 20 × 1440 / 721 = 39.94 a day.
    let s = scenario(&format!(
        r#"{SIM}
[[arrivals]]
name = "trucks"
per_day = 500

[[stages]]
name = "gate"
servers = 10
service = {{ dist = "constant", value = "1m" }}

[self_driving]
drivers = 20
round_trip = {{ dist = "constant", value = "12h" }}
"#
    ));
    let r = run(&s, 2, 0, 30, 1);
    let per_day = mean_per_day(&r, |d| d.crossed);
    assert!(
        per_day <= 20.0 * 1440.0 / 720.0,
        "{per_day} a day exceeds N per round trip"
    );
    assert!(
        (per_day - 20.0 * 1440.0 / 721.0).abs() < 0.5,
        "{per_day} a day, expected 39.94"
    );
    let d = r.drivers.as_ref().unwrap();
    assert!(d.utilization > 0.99);
    assert!(
        d.wait.mean > 60.0 * 24.0,
        "vehicles wait days for a driver: {}",
        d.wait.mean
    );
    assert!(r.vehicles.at_end.yard > 400 * 29);
}

#[test]
fn green_vehicles_wait_as_cobham_says() {
    // M/M/4, ρ = 0.9, 30 % green with non-preemptive priority and the same service: Cobham's
    // formula gives W_green = W0 / (1 − σ1) and W_ordinary = W0 / ((1 − σ1)(1 − ρ)), with
    // W0 = C(c, a) / (cμ) and σ1 = 0.3ρ.
    let (c, mean, rho, p) = (4, 5.0, 0.9, 0.3);
    let lambda = rho * f64::from(c) / mean;
    let text = one_stage(lambda, c, r#"{ dist = "exponential", mean = "5m" }"#)
        .replace("[[stages]]", &format!("green = {p}\n\n[[stages]]"));
    let s = scenario(&text);
    let results = replications(&s, 404, 20, 60, 2);
    let w0 = erlang_c(c, lambda * mean) / (f64::from(c) / mean);
    let sigma1 = p * rho;
    let exact_green = w0 / (1.0 - sigma1);
    let exact_ordinary = w0 / ((1.0 - sigma1) * (1.0 - rho));
    let green = ci99(&results, |r| {
        r.group("channel", "green").unwrap().stage_wait[0].mean
    });
    let ordinary = ci99(&results, |r| {
        r.group("channel", "ordinary").unwrap().stage_wait[0].mean
    });
    eprintln!(
        "green {:.3} ± {:.3} (exact {exact_green:.3}); ordinary {:.3} ± {:.3} (exact {exact_ordinary:.3})",
        green.mean, green.half_width, ordinary.mean, ordinary.half_width
    );
    assert!(green.contains(exact_green), "green CI misses {exact_green}");
    assert!(
        ordinary.contains(exact_ordinary),
        "ordinary CI misses {exact_ordinary}"
    );
    assert!(
        green.high() < ordinary.low(),
        "green must wait less than ordinary"
    );
}

#[test]
fn transit_vehicles_skip_the_inspection() {
    let s = scenario(&format!(
        r#"{SIM}
[[declarations]]
name = "local"

[[declarations]]
name = "transit"
stages = ["declaration"]
service = {{ declaration = {{ dist = "constant", value = "1m" }} }}

[[arrivals]]
name = "exports"
per_day = 300
declaration = {{ local = 0.6, transit = 0.4 }}

[[stages]]
name = "declaration"
servers = 3
service = {{ dist = "constant", value = "3m" }}

[[stages]]
name = "inspection"
servers = 2
service = {{ dist = "exponential", mean = "5m" }}
"#
    ));
    let r = run_recorded(&s, 5, 0);
    let transit = r.group("declaration", "transit").unwrap();
    let local = r.group("declaration", "local").unwrap();
    assert_eq!(
        transit.stage_wait[1].count, 0,
        "transit vehicles were inspected"
    );
    // Every local vehicle that started its document check is inspected (but those still
    // between the two stages at the end).
    let between = local.stage_wait[0].count - local.stage_wait[1].count;
    assert!(
        between <= r.vehicles.in_system_at_end,
        "{between} local vehicles not inspected"
    );
    assert!(transit.arrived > 400);
    let transit_index = s
        .port
        .declarations
        .iter()
        .position(|d| d.name == "transit")
        .unwrap();
    for v in r
        .vehicle_records
        .iter()
        .filter(|v| v.declaration == transit_index)
    {
        assert!(
            v.visits.iter().all(|visit| visit.stage == 0),
            "vehicle {} visited the inspection",
            v.id
        );
        // Its document check took the transit mode's 1 minute, not the stage's 3.
        let visit = &v.visits[0];
        if let (Some(a), Some(b)) = (visit.start, visit.end) {
            assert!(((b - a).minutes() - 1.0).abs() < 1e-9);
        }
    }
    assert!(transit.clearance.mean < local.clearance.mean);
}

#[test]
fn class_and_declaration_overrides_change_service_times() {
    // Stage time 2 min; trucks × 3; the "integrated" mode has its own 4-minute time at the
    // stage, which the truck multiplier then scales: the precedence documented in
    // docs/scenario.md (mode's distribution, else class's, else stage's; multipliers multiply).
    let s = scenario(&format!(
        r#"{SIM}
[[classes]]
name = "car"

[[classes]]
name = "truck"
service = {{ gate = {{ multiplier = 3 }} }}

[[declarations]]
name = "local"

[[declarations]]
name = "integrated"
service = {{ gate = {{ dist = "constant", value = "4m" }} }}

[[arrivals]]
name = "exports"
per_day = 100
mix = {{ car = 0.5, truck = 0.5 }}
declaration = {{ local = 0.5, integrated = 0.5 }}

[[stages]]
name = "gate"
servers = 5
service = {{ dist = "constant", value = "2m" }}
"#
    ));
    let r = run_recorded(&s, 3, 0);
    let mut seen = [[false; 2]; 2];
    for v in &r.vehicle_records {
        let visit = &v.visits[0];
        let (Some(a), Some(b)) = (visit.start, visit.end) else {
            continue;
        };
        let expected = [2.0, 4.0][v.declaration] * [1.0, 3.0][v.class];
        assert!(
            ((b - a).minutes() - expected).abs() < 1e-9,
            "class {} mode {}: {}",
            v.class,
            v.declaration,
            (b - a).minutes()
        );
        seen[v.class][v.declaration] = true;
    }
    assert_eq!(seen, [[true; 2]; 2], "every combination occurred");
}

#[test]
fn carriers_load_and_are_served_as_one_unit() {
    // Carriers of 6 leave full; at the gate a carrier takes 5 min + 1 min per vehicle = 11 min,
    // and the referral (probability 1) sends every carrier, not every vehicle, to the bay.
    let s = scenario(&format!(
        r#"{SIM}
[[arrivals]]
name = "cars"
per_day = 240
self_driving = 0

[[stages]]
name = "gate"
servers = 2
service = {{ dist = "constant", value = "2m" }}
carrier_service = {{ base = {{ dist = "constant", value = "5m" }}, per_vehicle = {{ dist = "constant", value = "1m" }} }}
refer = {{ to = "bay", probability = 1.0 }}

[[stages]]
name = "bay"
servers = 1
referral_only = true
service = {{ dist = "constant", value = "20m" }}
carrier_service = {{ base = {{ dist = "constant", value = "12m" }} }}

[cage_truck]
carriers = 50
slots = 6
bays = 2
loading = {{ dist = "constant", value = "2m" }}
max_wait = "4h"
min_load = 1
round_trip = {{ dist = "constant", value = "6h" }}
"#
    ));
    let r = run_recorded(&s, 5, 1);
    let gate = &r.stages[0];
    assert_eq!(
        gate.served_vehicles,
        6 * gate.served,
        "units at the gate are full carriers"
    );
    assert_eq!(
        r.stages[1].served, gate.served,
        "every carrier was referred once"
    );
    for v in r
        .vehicle_records
        .iter()
        .filter(|v| v.measured && v.crossed.is_some())
    {
        let durations: Vec<f64> = v
            .visits
            .iter()
            .map(|x| (x.end.unwrap() - x.start.unwrap()).minutes())
            .collect();
        assert!(
            (durations[0] - 11.0).abs() < 1e-6 && (durations[1] - 12.0).abs() < 1e-6,
            "vehicle {}: {durations:?}",
            v.id
        );
        assert!(v.trip.is_some());
    }
    // Vehicles on one trip share their times.
    let trip = r
        .vehicle_records
        .iter()
        .find(|v| v.trip == Some(10))
        .map(|v| v.visits.clone());
    assert!(
        r.vehicle_records
            .iter()
            .filter(|v| v.trip == Some(10))
            .all(|v| Some(&v.visits) == trip.as_ref())
    );
    assert_eq!(
        r.conveyances.crossed * 6,
        r.vehicles.crossed - (r.vehicles.crossed % 6)
    );
}

#[test]
fn dispatch_waits_for_the_minimum_load_then_the_longest_wait() {
    // 12 cars a day, carriers of 6, max_wait 1 h, min_load 2: carriers leave with 2 or more
    // but fewer than 6 (they seldom fill within the hour).
    let base = |min_load: u32, max_wait: &str| {
        format!(
            r#"{SIM}
[[arrivals]]
name = "cars"
per_day = 12
self_driving = 0

[[stages]]
name = "gate"
servers = 1
service = {{ dist = "constant", value = "1m" }}

[cage_truck]
carriers = 5
slots = 6
loading = {{ dist = "constant", value = "1m" }}
max_wait = "{max_wait}"
min_load = {min_load}
round_trip = {{ dist = "constant", value = "2h" }}
"#
        )
    };
    let r = run_recorded(&scenario(&base(2, "1h")), 30, 1);
    let c = r.carriers.as_ref().unwrap();
    assert!(
        c.vehicles_per_trip >= 2.0 && c.vehicles_per_trip < 3.5,
        "{}",
        c.vehicles_per_trip
    );
    let mut per_trip = std::collections::BTreeMap::new();
    for v in r.vehicle_records.iter().filter_map(|v| v.trip) {
        *per_trip.entry(v).or_insert(0) += 1;
    }
    assert!(
        per_trip.values().all(|&n| (2..=6).contains(&n)),
        "{per_trip:?}"
    );
    // The first vehicle aboard waits at least the full hour unless the carrier fills.
    let waits = r.group("mode", "cage_truck").unwrap().yard;
    assert!(waits.p50 >= 30.0, "yard wait p50 {}", waits.p50);
    // With a long max_wait, carriers wait to fill up.
    let full = run_recorded(&scenario(&base(2, "3d")), 30, 1);
    assert!(full.carriers.as_ref().unwrap().vehicles_per_trip > 5.5);
}

/// 200 cars a day, all by carrier, and 200 self-driving trucks at one gate with a lane group
/// for each (and `more_lanes`), then `tail` (e.g. a roster).
fn cars_and_trucks_at_a_gate(more_lanes: &str, tail: &str) -> String {
    format!(
        r#"{SIM}
[[classes]]
name = "car"

[[classes]]
name = "truck"
cage_truck = false

[[arrivals]]
name = "exports"
per_day = 400
mix = {{ car = 0.5, truck = 0.5 }}
self_driving = {{ car = 0.0 }}

[[stages]]
name = "gate"
service = {{ dist = "constant", value = "2m" }}
lanes = [
  {{ name = "trucks", servers = 2, serves = ["truck"] }},
  {{ name = "carriers", servers = 1, serves = ["cage_truck"] }},
  {more_lanes}
]

[cage_truck]
carriers = 40
slots = 6
loading = {{ dist = "constant", value = "1m" }}
max_wait = "2h"
min_load = 6
round_trip = {{ dist = "constant", value = "1h" }}
{tail}"#
    )
}

#[test]
fn lanes_serve_only_their_units() {
    let s = scenario(&cars_and_trucks_at_a_gate("", ""));
    let r = run(&s, 3, 0, 10, 1);
    let gate = &r.stages[0];
    // 200 trucks a day at 2 min on 2 lanes: ρ = 200·2 / (2·1440) ≈ 0.139.
    assert!(
        (gate.lanes[0].utilization - 200.0 * 2.0 / 2880.0).abs() < 0.02,
        "{:?}",
        gate.lanes[0]
    );
    // 200 cars a day in carriers of 6 → 33.3 carriers at 2 min: ≈ 0.046 of one lane.
    assert!(
        (gate.lanes[1].utilization - 200.0 / 6.0 * 2.0 / 1440.0).abs() < 0.01,
        "{:?}",
        gate.lanes[1]
    );
    let trucks = r.group("class", "truck").unwrap();
    assert_eq!(
        trucks.yard.count, 0,
        "unlimited drivers: no yard wait is recorded"
    );
}

#[test]
fn a_lane_missing_for_some_units_is_an_error() {
    let text = format!(
        r#"{SIM}
[[arrivals]]
name = "cars"
per_day = 100
self_driving = 0.5

[[stages]]
name = "gate"
service = {{ dist = "constant", value = "2m" }}
lanes = [ {{ name = "own", servers = 2, serves = ["self_driving"] }} ]

[cage_truck]
carriers = 4
slots = 6
loading = {{ dist = "constant", value = "1m" }}
max_wait = "2h"
round_trip = {{ dist = "constant", value = "1h" }}
"#
    );
    let err = portsim::scenario::parse(&text, "lanes.toml")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no lane of stage \"gate\" serves cage-truck carriers"),
        "{err}"
    );
}

#[test]
fn a_lane_group_never_staffed_strands_only_the_units_nobody_else_serves() {
    // 200 cars a day, all by carrier (≈ 33.3 carriers of 6), 200 trucks self-driving. The
    // roster never staffs the carrier lane.
    let text = |spare: &str| {
        let spare_staff = if spare.is_empty() { "" } else { ", spare = 1" };
        cars_and_trucks_at_a_gate(
            spare,
            &format!(
                r#"
[staffing]
[[staffing.shifts]]
name = "all"
start = "00:00"
end = "24:00"
staff = {{ gate = {{ trucks = 2, carriers = 0 {spare_staff} }} }}
"#
            ),
        )
    };
    let s = scenario(&text(""));
    let load = model::stage_loads(&s.port, &s.run)[0];
    assert!(
        (load.stranded_per_day - 200.0 / 6.0).abs() < 1e-9,
        "{load:?}"
    );
    assert!(load.is_overloaded() && load.offered_load.is_infinite());
    let warnings = portsim::report::static_warnings(&s.port, &s.run);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("lane group \"carriers\" is never staffed")
                && w.contains("about 33 units a day")),
        "{warnings:?}"
    );
    // A lane open to everyone takes the carriers: nothing is stranded.
    let s = scenario(&text(
        r#"{ name = "spare", servers = 1, serves = ["all"] },"#,
    ));
    let load = model::stage_loads(&s.port, &s.run)[0];
    assert_eq!(load.stranded_per_day, 0.0);
    assert!(!load.is_overloaded(), "{load:?}");
    assert!(portsim::report::static_warnings(&s.port, &s.run).is_empty());
}

#[test]
fn exit_quota_is_never_exceeded_and_hours_are_kept() {
    // 150 a day reach an exit that takes 100 conveyances a day, 08:00-20:00 only.
    let s = scenario(&format!(
        r#"{SIM}
[[arrivals]]
name = "trucks"
per_day = 150

[[stages]]
name = "gate"
servers = 3
service = {{ dist = "exponential", mean = "3m" }}

[exit]
quota_per_day = 100
hours = "08:00-20:00"
"#
    ));
    let r = run(&s, 4, 0, 20, 1);
    assert!(
        r.daily.iter().all(|d| d.crossed_conveyances <= 100),
        "{:?}",
        r.daily
    );
    let full_days = r
        .daily
        .iter()
        .filter(|d| d.crossed_conveyances == 100)
        .count();
    assert_eq!(
        full_days,
        r.daily.len(),
        "with a growing queue the quota is used every day"
    );
    for h in r.hourly.iter().filter(|h| !(8..20).contains(&h.hour)) {
        assert_eq!(h.crossed_per_day, 0.0, "crossed at {:02}:00", h.hour);
    }
    assert!(r.exit.as_ref().unwrap().waiting_at_end > 900);
    assert!(r.crossing.mean > r.clearance.mean + 60.0 * 24.0);
    assert_eq!(
        r.vehicles.at_end.exit,
        r.vehicles.in_system_at_end - r.vehicles.at_end.stages
    );
}

#[test]
fn vehicles_aboard_carriers_are_counted_at_the_end() {
    // The exit never opens during the measured days' last hours: carriers are held with their
    // vehicles aboard when the run ends, and conservation must still hold in every group.
    let s = scenario(&format!(
        r#"{SIM}
[[classes]]
name = "car"

[[classes]]
name = "van"
slots = 2

[[arrivals]]
name = "cars"
per_day = 300
mix = {{ car = 0.7, van = 0.3 }}
self_driving = 0.5
green = 0.2

[[stages]]
name = "gate"
servers = 3
service = {{ dist = "constant", value = "2m" }}

[cage_truck]
carriers = 30
slots = 6
loading = {{ dist = "constant", value = "2m" }}
max_wait = "1h"
min_load = 2
round_trip = {{ dist = "constant", value = "5h" }}

[exit]
hours = "06:00-18:00"
"#
    ));
    let r = run(&s, 6, 0, 5, 1);
    let at_end = r.vehicles.at_end;
    assert!(at_end.aboard_carriers > 0 && at_end.exit > 0, "{at_end:?}");
    assert_eq!(at_end.total(), r.vehicles.in_system_at_end);
    assert!(r.groups.iter().all(|g| g.is_conserved()));
    let total_at_end: u64 = r
        .groups
        .iter()
        .filter(|g| g.dimension == "class")
        .map(|g| g.in_system_at_end)
        .sum();
    assert_eq!(total_at_end, r.vehicles.in_system_at_end);
}

#[test]
fn port_hours_and_closed_days_stop_the_stages() {
    let s = scenario(
        r#"[simulation]
name = "hours"
days = 14

[[arrivals]]
name = "trucks"
per_day = 200

[[stages]]
name = "gate"
servers = 4
service = { dist = "exponential", mean = "3m" }

[port]
hours = "09:00-19:00"
closed_days = [3]
closed_weekdays = ["sunday"]
"#,
    );
    let r = run(&s, 7, 0, 14, 1);
    // Services running at closing time finish (default policy), so hour 19 may see a few.
    for h in r.hourly.iter().filter(|h| h.hour >= 20 || h.hour < 9) {
        assert_eq!(
            h.cleared_per_day, 0.0,
            "cleared at {:02}:00 while the port is closed",
            h.hour
        );
    }
    assert_eq!(r.daily[2].cleared, 0, "day 3 is a closed day");
    assert!(r.daily[2].arrived > 150 && r.daily[2].backlog_at_midnight > 150);
    // The run starts on a Monday: measured day 7 is a Sunday.
    assert_eq!(r.daily[6].cleared, 0, "Sundays are closed");
    assert!(
        r.daily[3].cleared > 250,
        "the day after a closed day clears the backlog"
    );
}

#[test]
fn convoys_arrive_as_scheduled() {
    let s = scenario(
        r#"[simulation]
name = "convoys"
days = 6

[[arrivals]]
name = "forwarder"
convoy = { vehicles = 120, at = "07:00", spacing = "30s" }

[[arrivals]]
name = "weekly"
convoy = { vehicles = 50, at = "13:00", days = [2, 5] }

[[stages]]
name = "gate"
servers = 4
service = { dist = "constant", value = "1m" }
"#,
    );
    let r = run_recorded(&s, 6, 1);
    let arrived: Vec<u64> = r.daily.iter().map(|d| d.arrived).collect();
    assert_eq!(arrived, vec![120, 170, 120, 120, 170, 120]);
    assert_eq!(
        r.hourly[7].arrived_per_day, 120.0,
        "120 × 30 s fills 07:00-08:00 exactly"
    );
    assert_eq!(r.hourly[13].arrived_per_day, 100.0 / 6.0);
    let weekly: Vec<f64> = r
        .vehicle_records
        .iter()
        .filter(|v| v.stream == 1)
        .map(|v| v.arrival.minutes())
        .collect();
    assert_eq!(weekly.len(), 100);
    assert!(weekly.iter().all(|&t| t
        == Time::at(2, portsim::engine::Duration::from_hours(13.0)).minutes()
        || t == Time::at(5, portsim::engine::Duration::from_hours(13.0)).minutes()));
}

#[test]
fn trace_replay_reproduces_the_arrival_times() {
    let dir = tempfile::tempdir().unwrap();
    // Out of order, two dates, seconds, and one attribute left to the mix.
    std::fs::write(
        dir.path().join("day.csv"),
        "time,class,mode,declaration,green\n\
         2024-03-01 07:15:30,car,self_driving,local,false\n\
         2024-03-01 00:00:05,truck,self_driving,local,true\n\
         2024-03-02 23:59:59,car,cage_truck,local,\n\
         2024-03-01 12:00:00,car,,local,false\n",
    )
    .unwrap();
    let text = format!(
        r#"{SIM}
[[classes]]
name = "car"

[[classes]]
name = "truck"

[[arrivals]]
name = "replay"
trace = "day.csv"
mix = {{ car = 1.0 }}
self_driving = 1.0

[[stages]]
name = "gate"
servers = 1
service = {{ dist = "constant", value = "1m" }}

[cage_truck]
carriers = 1
slots = 6
loading = {{ dist = "constant", value = "1m" }}
max_wait = "10m"
round_trip = {{ dist = "constant", value = "1h" }}
"#
    );
    let s = portsim::scenario::parse_in(&text, "trace.toml", dir.path())
        .unwrap_or_else(|e| panic!("{e}"));
    let r = run_recorded(&s, 3, 0);
    let arrivals: Vec<f64> = r
        .vehicle_records
        .iter()
        .map(|v| v.arrival.minutes())
        .collect();
    // Seconds since midnight of the first date, divided by 60 once: the correctly rounded
    // minutes of each written time.
    let expected = [
        5.0,
        7.0 * 3600.0 + 15.0 * 60.0 + 30.0,
        12.0 * 3600.0,
        86_400.0 + 86_399.0,
    ]
    .map(|s: f64| s / 60.0);
    assert_eq!(arrivals, expected);
    let modes: Vec<Mode> = r.vehicle_records.iter().map(|v| v.mode).collect();
    assert_eq!(
        modes,
        vec![
            Mode::SelfDriving,
            Mode::SelfDriving,
            Mode::SelfDriving,
            Mode::CageTruck
        ]
    );
    assert_eq!(r.vehicle_records[0].class, 1);
    assert!(r.vehicle_records[0].green);
}

#[test]
fn growth_compounds_over_the_year() {
    // +381 % a year: the last four weeks of a year see 4.81^(~0.95) times the first four's.
    let s = scenario(&format!(
        r#"{SIM}
[[arrivals]]
name = "exports"
per_day = 100
growth_per_year = 3.81

[[stages]]
name = "gate"
servers = 20
service = {{ dist = "constant", value = "1m" }}
"#
    ));
    let r = run(&s, 8, 0, 364, 0);
    let four_weeks = |from: usize| {
        r.daily[from..from + 28]
            .iter()
            .map(|d| d.arrived as f64)
            .sum::<f64>()
    };
    let expected = |from: u32| {
        (from..from + 28)
            .map(|d| 100.0 * model::growth_factor(3.81, d))
            .sum::<f64>()
    };
    for from in [0usize, 336] {
        let (got, want) = (four_weeks(from), expected(from as u32));
        assert!(
            (got - want).abs() < 5.0 * want.sqrt(),
            "days {from}..: {got} vs {want}"
        );
    }
}

#[test]
fn changing_fleets_or_lanes_keeps_the_same_vehicles() {
    // Common random numbers across configurations: the arrivals and each vehicle's class,
    // mode and declaration do not depend on fleets, pools or lanes.
    let base = std::fs::read_to_string("scenarios/horgos-baseline.toml").unwrap();
    let bigger = base
        .replace("carriers = 45", "carriers = 60")
        .replace("drivers = 1000", "drivers = 700");
    assert_ne!(base, bigger);
    let attrs = |text: &str| {
        let s = scenario(text);
        let spec = RunSpec {
            days: 3,
            warmup_days: 0,
            seed: Streams::new(3).master_seed(),
            record_vehicles: true,
            ..s.run
        };
        model::simulate(&s.port, &spec)
            .vehicle_records
            .iter()
            .map(|v| {
                (
                    v.arrival.minutes().to_bits(),
                    v.class,
                    v.mode,
                    v.declaration,
                    v.green,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(attrs(&base), attrs(&bigger));
}

#[test]
fn a_trace_line_with_a_mode_but_no_class_gets_a_class_that_can_go_that_way() {
    // The mix is mostly dump trucks, which never ride a carrier: `cage_truck` lines without a
    // class must get a car, `self_driving` lines either class in proportion.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("time,mode\n");
    for i in 0..400 {
        let mode = if i % 2 == 0 {
            "cage_truck"
        } else {
            "self_driving"
        };
        csv.push_str(&format!("{:02}:{:02}:00,{mode}\n", 6 + i / 60, i % 60));
    }
    std::fs::write(dir.path().join("day.csv"), csv).unwrap();
    let text = format!(
        r#"{SIM}
[[classes]]
name = "car"

[[classes]]
name = "dump_truck"
cage_truck = false

[[arrivals]]
name = "replay"
trace = "day.csv"
mix = {{ car = 0.2, dump_truck = 0.8 }}
self_driving = 0.5

[[stages]]
name = "gate"
servers = 4
service = {{ dist = "constant", value = "1m" }}

[cage_truck]
carriers = 20
slots = 6
loading = {{ dist = "constant", value = "1m" }}
max_wait = "30m"
round_trip = {{ dist = "constant", value = "1h" }}
"#
    );
    let s = portsim::scenario::parse_in(&text, "trace.toml", dir.path())
        .unwrap_or_else(|e| panic!("{e}"));
    let r = run_recorded(&s, 2, 0);
    let cage: Vec<usize> = r
        .vehicle_records
        .iter()
        .filter(|v| v.mode == Mode::CageTruck)
        .map(|v| v.class)
        .collect();
    assert_eq!(cage.len(), 200);
    assert!(cage.iter().all(|&c| c == 0), "a dump truck went by carrier");
    // Self-driving lines: P(car | self) = 0.2·0.5 / (0.2·0.5 + 0.8·1) = 1/9.
    let cars = r
        .vehicle_records
        .iter()
        .filter(|v| v.mode == Mode::SelfDriving && v.class == 0)
        .count() as f64;
    let sd = (200.0 * (1.0 / 9.0) * (8.0 / 9.0f64)).sqrt();
    assert!(
        (cars - 200.0 / 9.0).abs() < 4.0 * sd,
        "{cars} cars among 200 self-driving lines"
    );
}

#[test]
fn a_saturated_port_never_starves_its_first_stage_and_loses_no_vehicle() {
    let s = scenario(&std::fs::read_to_string("scenarios/horgos-baseline.toml").unwrap());
    let spec = RunSpec {
        days: 5,
        warmup_days: 1,
        seed: 4,
        saturate: true,
        ..s.run
    };
    let r = model::simulate(&s.port, &spec);
    assert!(r.is_conserved(), "{:?}", r.vehicles);
    // The document desks work whenever they are open.
    assert!(
        r.stages[0].utilization > 0.999,
        "{}",
        r.stages[0].utilization
    );
    // The driver pool cannot keep up, so vehicles pile up in the yard.
    assert!(r.vehicles.at_end.yard > 1000, "{:?}", r.vehicles.at_end);
}

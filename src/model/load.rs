//! Static load check: the work each stage and resource is offered against what it can do,
//! from the scenario alone (no simulation).
//!
//! Offered load ρ = expected work a day ÷ capacity a day. A stage or resource with ρ ≥ 1
//! cannot keep up on average: its queue grows without bound and no simulated statistic of it
//! describes a steady state. Carriers are assumed to leave full (slots ÷ the mean slots of a
//! cage vehicle aboard), which partial loads only make worse: they add conveyances.

use super::arrivals::Attributes;
use super::{Mode, Port, RunSpec, ServiceOverride};
use crate::dist::Dist;
use crate::engine::{MINUTES_PER_DAY, Time};

/// The daily load on one stage.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StageLoad {
    /// Expected units a day that visit the stage (carriers count once).
    pub visits_per_day: f64,
    /// Expected service work a day, in server-minutes.
    pub work_min_per_day: f64,
    /// Server-minutes the roster (within the port's hours) opens a day, on average.
    pub open_min_per_day: f64,
    /// Expected units a day that reach the stage but that no lane ever open serves (a lane
    /// group left unstaffed all day while no other group takes its units).
    pub stranded_per_day: f64,
    /// `work / open`: infinite when work is offered to a stage that never opens, or when some
    /// of its units can never be served.
    pub offered_load: f64,
}

impl StageLoad {
    /// Whether the stage cannot keep up with its demand on average.
    pub fn is_overloaded(&self) -> bool {
        self.offered_load >= 1.0
    }
}

/// The daily load on a shared resource: the driver pool, the carrier fleet, the exit quota.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ResourceLoad {
    /// `drivers`, `carriers` or `exit`.
    pub name: &'static str,
    /// What is asked of it a day (vehicles for drivers and carriers, conveyances at the exit).
    pub demand_per_day: f64,
    /// What it can do a day, at best.
    pub capacity_per_day: f64,
    /// `demand / capacity`.
    pub offered_load: f64,
}

impl ResourceLoad {
    /// Whether the resource cannot keep up with its demand on average.
    pub fn is_overloaded(&self) -> bool {
        self.offered_load >= 1.0
    }
}

/// Expected vehicles a day of each (class, mode, declaration, green) combination.
fn demand(port: &Port, run: &RunSpec) -> Vec<(Attributes, f64)> {
    let mut out = Vec::new();
    for stream in &port.arrivals {
        let per_day = stream.mean_per_day(run.warmup_days, run.days);
        let mix = &stream.mix;
        let class_total: f64 = mix.class.iter().sum();
        let decl_total: f64 = mix.declaration.iter().sum();
        for (c, &wc) in mix.class.iter().enumerate() {
            for (d, &wd) in mix.declaration.iter().enumerate() {
                let share = per_day * wc / class_total * wd / decl_total;
                let self_share = mix.self_driving[c];
                let green_share = mix.green[c];
                for (mode, p) in [
                    (Mode::SelfDriving, self_share),
                    (Mode::CageTruck, 1.0 - self_share),
                ] {
                    for (green, q) in [(false, 1.0 - green_share), (true, green_share)] {
                        if share * p * q > 0.0 {
                            out.push((
                                Attributes {
                                    class: c,
                                    mode,
                                    declaration: d,
                                    green,
                                },
                                share * p * q,
                            ));
                        }
                    }
                }
            }
        }
    }
    out
}

/// Mean service time of a vehicle with attributes `a` at stage `s`.
fn vehicle_mean(port: &Port, s: usize, a: &Attributes) -> f64 {
    let mut dist: &Dist = &port.stages[s].service;
    let mut factor = 1.0;
    for o in [
        &port.classes[a.class].service[s],
        &port.declarations[a.declaration].service[s],
    ] {
        match o {
            ServiceOverride::Dist(d) => dist = d,
            ServiceOverride::Multiplier(m) => factor *= m,
            ServiceOverride::None => {}
        }
    }
    dist.mean() * factor
}

/// Vehicles aboard a full carrier on average: slots ÷ the mean slots of a cage vehicle.
fn full_load(port: &Port, cage: &[(Attributes, f64)]) -> f64 {
    let Some(c) = &port.yard.carriers else {
        return 1.0;
    };
    let (n, slots) = cage.iter().fold((0.0, 0.0), |(n, s), (a, v)| {
        (n + v, s + v * f64::from(port.classes[a.class].slots))
    });
    if n == 0.0 {
        1.0
    } else {
        (f64::from(c.slots) / (slots / n)).max(1.0)
    }
}

/// The load on every stage, indexed like `port.stages`.
pub fn stage_loads(port: &Port, run: &RunSpec) -> Vec<StageLoad> {
    let groups = demand(port, run);
    let cage: Vec<(Attributes, f64)> = groups
        .iter()
        .filter(|(a, _)| a.mode == Mode::CageTruck)
        .cloned()
        .collect();
    let load = full_load(port, &cage);
    let regular: Vec<usize> = port.regular_stages().collect();
    let after = port
        .yard
        .after
        .and_then(|s| regular.iter().position(|&r| r == s));
    let n = port.stages.len();
    let open = open_minutes_per_day(port, run);
    // Whether some lane of `stage` that serves a unit with these tags opens at all.
    let served = |stage: usize, mode: Mode, class: Option<usize>, decl: Option<usize>, green| {
        port.stages[stage]
            .lanes
            .iter()
            .zip(&open[stage])
            .any(|(lane, &o)| o > 0.0 && lane.serves.accepts(mode, class, decl, green))
    };
    // A carrier is green when any vehicle aboard is; count it as ordinary if any can be.
    let carrier_green = cage.iter().all(|(a, _)| a.green);
    let (mut visits, mut work, mut stranded) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
    for (r, &s) in regular.iter().enumerate() {
        let per_vehicle_stage = after.is_some_and(|k| r <= k);
        let mut add = |stage: usize, weight: f64| {
            for (a, v) in &groups {
                if !port.declarations[a.declaration].passes[s] {
                    continue;
                }
                if per_vehicle_stage || a.mode == Mode::SelfDriving {
                    visits[stage] += v * weight;
                    work[stage] += v * weight * vehicle_mean(port, stage, a);
                    if !served(stage, a.mode, Some(a.class), Some(a.declaration), a.green) {
                        stranded[stage] += v * weight;
                    }
                }
            }
            if !per_vehicle_stage {
                let cage_here: f64 = cage
                    .iter()
                    .filter(|(a, _)| port.declarations[a.declaration].passes[s])
                    .map(|(_, v)| v)
                    .sum();
                let cs = &port.stages[stage].carrier_service;
                let per = cs.per_vehicle.as_ref().map_or(0.0, Dist::mean);
                let multiplied: f64 = cage
                    .iter()
                    .filter(|(a, _)| port.declarations[a.declaration].passes[s])
                    .map(|(a, v)| {
                        v * match port.classes[a.class].service[stage] {
                            ServiceOverride::Multiplier(m) => m,
                            _ => 1.0,
                        }
                    })
                    .sum();
                visits[stage] += cage_here / load * weight;
                work[stage] += (cage_here / load * cs.base.mean() + multiplied * per) * weight;
                if !served(stage, Mode::CageTruck, None, None, carrier_green) {
                    stranded[stage] += cage_here / load * weight;
                }
            }
        };
        add(s, 1.0);
        if let Some(refer) = port.stages[s].refer {
            add(refer.to, refer.probability);
        }
    }
    visits
        .into_iter()
        .zip(work)
        .zip(stranded)
        .zip(open)
        .map(|(((visits_per_day, work), stranded), lanes)| {
            let open: f64 = lanes.iter().sum();
            StageLoad {
                visits_per_day,
                work_min_per_day: work,
                open_min_per_day: open,
                stranded_per_day: stranded,
                offered_load: if work == 0.0 {
                    0.0
                } else if open == 0.0 || stranded > 0.0 {
                    f64::INFINITY
                } else {
                    work / open
                },
            }
        })
        .collect()
}

/// Average server-minutes a day each lane group of each stage has open over the measured
/// days, with the roster and the port's hours and closed days.
fn open_minutes_per_day(port: &Port, run: &RunSpec) -> Vec<Vec<f64>> {
    let schedules = port.schedules();
    let weekday_of_day0 = (usize::from(run.first_weekday) + 7 - (run.warmup_days % 7) as usize) % 7;
    let days = run.warmup_days..run.warmup_days + run.days.max(1);
    let open_days = days
        .filter(|&d| {
            !port.hours.closed_weekdays[(d as usize + weekday_of_day0) % 7]
                && !port.hours.closed_days.contains(&(d - run.warmup_days + 1))
        })
        .count() as f64
        / f64::from(run.days.max(1));
    schedules
        .iter()
        .map(|lanes| {
            lanes
                .iter()
                .map(|schedule| match port.hours.daily {
                    None => schedule.server_minutes_per_day(),
                    Some(w) => (0..MINUTES_PER_DAY as u32)
                        .filter(|&m| {
                            w.contains(crate::engine::Duration::from_minutes(f64::from(m) + 0.5))
                        })
                        .map(|m| {
                            f64::from(
                                schedule.servers_at(
                                    Time::from_minutes(f64::from(m) + 0.5).time_of_day(),
                                ),
                            )
                        })
                        .sum::<f64>(),
                })
                .map(|per_day| per_day * open_days)
                .collect()
        })
        .collect()
}

/// The load on the driver pool, the carrier fleet and the exit quota, where the port has them.
pub fn resource_loads(port: &Port, run: &RunSpec) -> Vec<ResourceLoad> {
    let groups = demand(port, run);
    let by_mode = |m: Mode| {
        groups
            .iter()
            .filter(|(a, _)| a.mode == m)
            .map(|(_, v)| v)
            .sum::<f64>()
    };
    let (own, cage) = (by_mode(Mode::SelfDriving), by_mode(Mode::CageTruck));
    let mut out = Vec::new();
    let resource = |name, demand: f64, capacity: f64| ResourceLoad {
        name,
        demand_per_day: demand + 0.0, // no negative zero
        capacity_per_day: capacity,
        offered_load: if capacity > 0.0 {
            demand / capacity
        } else {
            f64::INFINITY
        },
    };
    if let (Some(pool), Some(trip)) = (port.yard.drivers.pool, &port.yard.drivers.round_trip) {
        // A driver handles at most one vehicle per round trip.
        out.push(resource(
            "drivers",
            own,
            f64::from(pool) * MINUTES_PER_DAY / trip.mean(),
        ));
    }
    let cage_groups: Vec<(Attributes, f64)> = groups
        .iter()
        .filter(|(a, _)| a.mode == Mode::CageTruck)
        .cloned()
        .collect();
    let load = full_load(port, &cage_groups);
    if let Some(c) = &port.yard.carriers {
        // A carrier takes at most a full load per round trip plus its loading time.
        let cycle = c.round_trip.mean() + load * c.loading.mean();
        out.push(resource(
            "carriers",
            cage,
            f64::from(c.fleet) * load * MINUTES_PER_DAY / cycle,
        ));
    }
    if let Some(quota) = port.exit.as_ref().and_then(|e| e.quota_per_day) {
        let conveyances = own
            + if port.has_carriers() {
                cage / load
            } else {
                0.0
            };
        out.push(resource("exit", conveyances, f64::from(quota)));
    }
    out
}

/// Expected arrivals in each clock hour of a day over all streams, averaged over the measured
/// days of `run`.
pub fn mean_arrivals_by_hour(port: &Port, run: &RunSpec) -> [f64; 24] {
    let mut out = [0.0; 24];
    for stream in &port.arrivals {
        for (o, x) in out
            .iter_mut()
            .zip(stream.mean_by_hour(run.warmup_days, run.days))
        {
            *o += x;
        }
    }
    out
}

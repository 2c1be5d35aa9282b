//! What a run measures, by group, and how the result is put together at the end.
//!
//! Four *dimensions* split the vehicles: loading mode, class, declaration mode and channel
//! (green or ordinary). A dimension with a single member needs no tracking of its own: its one
//! group is every vehicle, and its figures are copied from the `all` group at the end. That
//! keeps a plain queue as fast as before the groups existed.

use super::stages::HourArea;
use super::{Event, Place, Sim, Vehicle};
use crate::engine::{MINUTES_PER_DAY, MINUTES_PER_HOUR, Time};
use crate::model::arrivals::{ArrivalKind, Attributes};
use crate::model::results::{
    CarrierResult, ConveyanceCounts, DayResult, DriverResult, ExitResult, GroupDay, GroupResult,
    HourResult, LaneResult, Places, RunResult, StageHour, StageResult, TimelineHour, TimelineStage,
    VehicleCounts,
};
use crate::model::{Mode, Port, RunSpec};
use crate::stats::Tally;

const UNTRACKED: u16 = u16::MAX;

/// Running figures of one group of vehicles.
#[derive(Clone, Debug, Default)]
struct GroupAcc {
    arrived: u64,
    cleared: u64,
    crossed: u64,
    live: u64,
    at_start: u64,
    clearance: Tally,
    crossing: Tally,
    yard: Tally,
    stage_wait: Vec<Tally>,
    day: GroupDay,
    daily: Vec<GroupDay>,
}

impl GroupAcc {
    fn new(n_stages: usize) -> GroupAcc {
        GroupAcc {
            stage_wait: vec![Tally::new(); n_stages],
            ..GroupAcc::default()
        }
    }

    fn result(&self, dimension: &'static str, name: String, crossing_tracked: bool) -> GroupResult {
        GroupResult {
            dimension,
            name,
            arrived: self.arrived,
            cleared: self.cleared,
            crossed: self.crossed,
            in_system_at_start: self.at_start,
            in_system_at_end: self.live,
            clearance: self.clearance.summary(),
            crossing: if crossing_tracked {
                self.crossing.summary()
            } else {
                self.clearance.summary()
            },
            yard: self.yard.summary(),
            stage_wait: self.stage_wait.iter().map(Tally::summary).collect(),
            daily: self.daily.clone(),
        }
    }
}

/// One way of splitting the vehicles.
struct Dimension {
    name: &'static str,
    members: Vec<String>,
    /// Index of the first member's group, or `UNTRACKED` for a single-member dimension.
    offset: u16,
}

pub(super) struct Recorder {
    warmup_end: Time,
    dims: Vec<Dimension>,
    all: GroupAcc,
    groups: Vec<GroupAcc>,
    /// Crossing differs from clearance only when an exit can hold units back.
    crossing_tracked: bool,
    /// Vehicle-weighted stage waits differ from the stages' unit-weighted ones only when
    /// carriers exist; otherwise the `all` group's are copied from the stages at the end.
    all_stage_waits: bool,
    conveyances: ConveyanceCounts,
    day_conveyances: [u64; 2],
    pub daily: Vec<DayResult>,
    hour_arrived: [u64; 24],
    hour_cleared: [u64; 24],
    hour_crossed: [u64; 24],
    /// Arrivals, clearances and crossings in the current hour (measured window).
    this_hour: [u64; 3],
    timeline: Vec<TimelineHour>,
    /// Measured areas of resource levels.
    in_port_area: f64,
    drivers_away_area: f64,
    driver_waiting_area: f64,
    load_waiting_area: f64,
    carrier_area: [f64; 4],
    exit_area: f64,
}

impl Recorder {
    pub fn new(port: &Port, run: &RunSpec) -> Recorder {
        let green_possible = port.arrivals.iter().any(|a| {
            a.mix.green.iter().any(|&p| p > 0.0)
                || matches!(&a.kind, ArrivalKind::Trace(r) if r.iter().any(|r| r.green == Some(true)))
        });
        let mut modes = vec![Mode::SelfDriving.name().to_string()];
        if port.has_carriers() {
            modes.push(Mode::CageTruck.name().to_string());
        }
        let mut channels = vec!["ordinary".to_string()];
        if green_possible {
            channels.push("green".to_string());
        }
        let member_lists = [
            ("mode", modes),
            (
                "class",
                port.classes.iter().map(|c| c.name.clone()).collect(),
            ),
            (
                "declaration",
                port.declarations.iter().map(|d| d.name.clone()).collect(),
            ),
            ("channel", channels),
        ];
        let mut next = 0u16;
        let dims = member_lists
            .into_iter()
            .map(|(name, members)| {
                let offset = if members.len() > 1 { next } else { UNTRACKED };
                if members.len() > 1 {
                    next += members.len() as u16;
                }
                Dimension {
                    name,
                    members,
                    offset,
                }
            })
            .collect();
        let n = port.stages.len();
        Recorder {
            warmup_end: Time::start_of_day(run.warmup_days),
            dims,
            all: GroupAcc::new(n),
            groups: vec![GroupAcc::new(n); next as usize],
            crossing_tracked: port.exit.is_some(),
            all_stage_waits: port.has_carriers(),
            conveyances: ConveyanceCounts::default(),
            day_conveyances: [0; 2],
            daily: Vec::with_capacity(run.days as usize),
            hour_arrived: [0; 24],
            hour_cleared: [0; 24],
            hour_crossed: [0; 24],
            this_hour: [0; 3],
            timeline: Vec::new(),
            in_port_area: 0.0,
            drivers_away_area: 0.0,
            driver_waiting_area: 0.0,
            load_waiting_area: 0.0,
            carrier_area: [0.0; 4],
            exit_area: 0.0,
        }
    }

    /// The group slots a vehicle with these attributes counts in.
    pub fn groups_of(&self, a: &Attributes) -> [u16; 4] {
        let member = [
            a.mode as usize,
            a.class,
            a.declaration,
            usize::from(a.green),
        ];
        let mut out = [UNTRACKED; 4];
        for (i, dim) in self.dims.iter().enumerate() {
            if dim.offset != UNTRACKED {
                out[i] = dim.offset + member[i] as u16;
            }
        }
        out
    }

    /// Applies `f` to the `all` group and to every tracked group of `groups`.
    #[inline]
    fn each(&mut self, groups: [u16; 4], mut f: impl FnMut(&mut GroupAcc)) {
        f(&mut self.all);
        for g in groups {
            if g != UNTRACKED {
                f(&mut self.groups[g as usize]);
            }
        }
    }

    fn in_window(&self, now: Time) -> bool {
        now >= self.warmup_end
    }

    pub fn arrived(&mut self, now: Time, v: &Vehicle) {
        let counted = v.journey.measured;
        if counted {
            self.hour_arrived[now.hour_of_day()] += 1;
            self.this_hour[0] += 1;
        }
        self.each(v.groups, |g| {
            g.live += 1;
            if counted {
                g.arrived += 1;
                g.day.arrived += 1;
            }
        });
    }

    pub fn cleared(&mut self, now: Time, v: &Vehicle) {
        let counted = self.in_window(now);
        let sample = v.journey.measured.then(|| (now - v.arrival).minutes());
        if counted {
            self.hour_cleared[now.hour_of_day()] += 1;
            self.this_hour[1] += 1;
        }
        self.each(v.groups, |g| {
            if counted {
                g.cleared += 1;
                g.day.cleared += 1;
            }
            if let Some(x) = sample {
                g.clearance.record(x);
            }
        });
    }

    pub fn crossed(&mut self, now: Time, v: &Vehicle) {
        let counted = self.in_window(now);
        let sample =
            (v.journey.measured && self.crossing_tracked).then(|| (now - v.arrival).minutes());
        if counted {
            self.hour_crossed[now.hour_of_day()] += 1;
            self.this_hour[2] += 1;
        }
        self.each(v.groups, |g| {
            g.live -= 1;
            if counted {
                g.crossed += 1;
                g.day.crossed += 1;
            }
            if let Some(x) = sample {
                g.crossing.record(x);
            }
        });
    }

    pub fn stage_wait(&mut self, s: usize, v: &Vehicle, wait: f64) {
        if self.all_stage_waits {
            self.all.stage_wait[s].record(wait);
        }
        for g in v.groups {
            if g != UNTRACKED {
                self.groups[g as usize].stage_wait[s].record(wait);
            }
        }
    }

    pub fn yard_wait(&mut self, v: &Vehicle, wait: f64) {
        if v.journey.measured {
            self.each(v.groups, |g| g.yard.record(wait));
        }
    }

    pub fn conveyance_cleared(&mut self, now: Time) {
        if self.in_window(now) {
            self.conveyances.cleared += 1;
            self.day_conveyances[0] += 1;
        }
    }

    pub fn conveyance_crossed(&mut self, now: Time) {
        if self.in_window(now) {
            self.conveyances.crossed += 1;
            self.day_conveyances[1] += 1;
        }
    }

    /// The measured window begins: note who is in the port.
    fn window_starts(&mut self) {
        self.all.at_start = self.all.live;
        for g in &mut self.groups {
            g.at_start = g.live;
        }
    }

    /// A measured day ends with `live` vehicles in the port.
    fn close_day(&mut self, live: u64) {
        let a = &self.all;
        self.daily.push(DayResult {
            day: self.daily.len() as u32 + 1,
            arrived: a.day.arrived,
            cleared: a.day.cleared,
            cleared_conveyances: self.day_conveyances[0],
            crossed: a.day.crossed,
            crossed_conveyances: self.day_conveyances[1],
            backlog_at_midnight: live,
        });
        for g in &mut self.groups {
            g.daily.push(g.day);
        }
        self.all.daily.push(self.all.day);
    }

    fn new_day(&mut self) {
        self.all.day = GroupDay::default();
        for g in &mut self.groups {
            g.day = GroupDay::default();
        }
        self.day_conveyances = [0; 2];
    }
}

impl Sim<'_> {
    /// Closes the clock hour ending at `now`; returns whether the run is over.
    pub(super) fn end_hour(&mut self, now: Time) -> bool {
        let started = Time::start_of_hour(self.hours_elapsed);
        self.hours_elapsed += 1;
        let measured = started >= self.warmup_end;
        let hour = self.stage_hour(now, started.hour_of_day(), measured);
        if measured && self.run.record_timeline {
            let r = &mut self.rec;
            r.timeline.push(TimelineHour {
                hour: r.timeline.len() as u32,
                arrived: r.this_hour[0],
                cleared: r.this_hour[1],
                crossed: r.this_hour[2],
                in_port: self.live,
                stages: hour
                    .iter()
                    .map(|a| TimelineStage {
                        queue_mean: a.queue / MINUTES_PER_HOUR,
                        servers_open_mean: a.open / MINUTES_PER_HOUR,
                        utilization: if a.open > 0.0 { a.busy / a.open } else { 0.0 },
                    })
                    .collect(),
            });
        }
        self.rec.this_hour = [0; 3];

        let y = &mut self.yard;
        let areas = [
            self.in_port.take_area(now),
            y.drivers_away.take_area(now),
            y.driver_waiting.take_area(now),
            y.load_waiting.take_area(now),
            y.carrier_state[0].take_area(now),
            y.carrier_state[1].take_area(now),
            y.carrier_state[2].take_area(now),
            y.carrier_state[3].take_area(now),
            self.exit.as_mut().map_or(0.0, |e| e.waiting.take_area(now)),
        ];
        if measured {
            let r = &mut self.rec;
            r.in_port_area += areas[0];
            r.drivers_away_area += areas[1];
            r.driver_waiting_area += areas[2];
            r.load_waiting_area += areas[3];
            for k in 0..4 {
                r.carrier_area[k] += areas[4 + k];
            }
            r.exit_area += areas[8];
        }

        if now.time_of_day().minutes() == 0.0 {
            if now == self.warmup_end {
                self.rec.window_starts();
            } else if now > self.warmup_end {
                self.rec.close_day(self.live);
            }
            self.rec.new_day();
            if now < self.end {
                self.exit_new_day(now);
            }
        }
        if now >= self.end {
            return true;
        }
        self.events
            .schedule(Time::start_of_hour(self.hours_elapsed + 1), Event::HourEnd);
        false
    }
}

/// Puts the result together at the end of the run.
pub(super) fn finish(sim: Sim<'_>, events: u64) -> RunResult {
    let port = sim.port;
    let rec = &sim.rec;
    let days = f64::from(sim.run.days);
    let window = days * MINUTES_PER_DAY;
    let hour_window = days * MINUTES_PER_HOUR;
    let ratio = |num: f64, den: f64| if den > 0.0 { num / den } else { 0.0 };

    let stages = sim
        .stages
        .iter()
        .zip(&port.stages)
        .map(|(st, stage)| {
            let total = st.hourly.iter().fold(HourArea::default(), |a, h| HourArea {
                queue: a.queue + h.queue,
                busy: a.busy + h.busy,
                open: a.open + h.open,
                overtime: a.overtime + h.overtime,
            });
            StageResult {
                name: stage.name.clone(),
                served: st.served,
                served_vehicles: st.served_vehicles,
                utilization: ratio(total.busy, total.open),
                wait: st.wait.summary(),
                queue_mean: total.queue / window,
                servers_open_mean: total.open / window,
                overtime_min: total.overtime,
                hourly: st
                    .hourly
                    .iter()
                    .map(|h| StageHour {
                        queue_mean: h.queue / hour_window,
                        servers_open_mean: h.open / hour_window,
                        utilization: ratio(h.busy, h.open),
                    })
                    .collect(),
                lanes: st
                    .lanes
                    .iter()
                    .zip(&stage.lanes)
                    .map(|(lane, config)| LaneResult {
                        name: config.name.clone(),
                        utilization: ratio(lane.busy_area, lane.open_area),
                        servers_open_mean: lane.open_area / window,
                    })
                    .collect(),
            }
        })
        .collect();

    let mut all_result = rec.all.result("all", String::new(), rec.crossing_tracked);
    if !rec.all_stage_waits {
        all_result.stage_wait = sim.stages.iter().map(|st| st.wait.summary()).collect();
    }
    let mut groups = Vec::new();
    for dim in &rec.dims {
        for (i, member) in dim.members.iter().enumerate() {
            groups.push(if dim.offset == UNTRACKED {
                GroupResult {
                    dimension: dim.name,
                    name: member.clone(),
                    ..all_result.clone()
                }
            } else {
                rec.groups[dim.offset as usize + i].result(
                    dim.name,
                    member.clone(),
                    rec.crossing_tracked,
                )
            });
        }
    }

    let mut at_end = Places::default();
    for v in &sim.vehicles {
        match v.place {
            Place::Stage => at_end.stages += 1,
            Place::Yard => at_end.yard += 1,
            Place::Aboard => at_end.aboard_carriers += 1,
            Place::Exit => at_end.exit += 1,
            Place::Gone => {}
        }
    }

    let drivers = port.yard.drivers.pool.map(|pool| DriverResult {
        pool,
        utilization: ratio(rec.drivers_away_area, f64::from(pool) * window),
        waiting_mean: rec.driver_waiting_area / window,
        wait: sim.yard.driver_wait.summary(),
    });
    let carriers = port.yard.carriers.as_ref().map(|c| CarrierResult {
        fleet: c.fleet,
        utilization: ratio(
            window * f64::from(c.fleet) - rec.carrier_area[0],
            window * f64::from(c.fleet),
        ),
        idle_mean: rec.carrier_area[0] / window,
        loading_mean: rec.carrier_area[1] / window,
        in_port_mean: rec.carrier_area[2] / window,
        returning_mean: rec.carrier_area[3] / window,
        trips: sim.yard.trips,
        vehicles_per_trip: ratio(sim.yard.trip_vehicles as f64, sim.yard.trips as f64),
        waiting_mean: rec.load_waiting_area / window,
        loading_wait: sim.yard.loading_wait.summary(),
    });
    let exit = sim.exit.as_ref().map(|e| ExitResult {
        queue_mean: rec.exit_area / window,
        wait: e.wait.summary(),
        waiting_at_end: (e.queue.0.len() + e.queue.1.len()) as u64,
    });

    let hourly = (0..24)
        .map(|h| HourResult {
            hour: h as u32,
            arrived_per_day: rec.hour_arrived[h] as f64 / days,
            cleared_per_day: rec.hour_cleared[h] as f64 / days,
            crossed_per_day: rec.hour_crossed[h] as f64 / days,
        })
        .collect();

    RunResult {
        days: sim.run.days,
        warmup_days: sim.run.warmup_days,
        seed: sim.run.seed,
        vehicles: VehicleCounts {
            arrived: rec.all.arrived,
            cleared: rec.all.cleared,
            crossed: rec.all.crossed,
            in_system_at_start: rec.all.at_start,
            in_system_at_end: sim.live,
            mean_in_system: rec.in_port_area / window,
            at_end,
        },
        conveyances: rec.conveyances,
        clearance: all_result.clearance,
        crossing: all_result.crossing,
        stages,
        groups,
        drivers,
        carriers,
        exit,
        daily: rec.daily.clone(),
        hourly,
        vehicle_records: sim.records,
        timeline: sim.rec.timeline.clone(),
        clearance_histogram: rec.all.clearance.histogram().clone(),
        crossing_histogram: if rec.crossing_tracked {
            rec.all.crossing.histogram().clone()
        } else {
            rec.all.clearance.histogram().clone()
        },
        events,
    }
}

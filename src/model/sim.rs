//! The event loop: vehicles through the stages of a [`Port`] under its roster.
//!
//! Four kinds of event drive a run: a vehicle arrives; a service ends; a stage's open-server
//! count changes (shift change, handover); an hour ends (statistics are binned by clock hour,
//! and each midnight closes a row of the daily table). The run ends at the last midnight.
//!
//! Common random numbers: a vehicle's whole workload (its service time at every stage it will
//! visit, and whether each referral happens) is drawn when it arrives, in arrival order, from
//! one stream per stage and purpose (`service/<stage>`, `route/<stage>`; a referral-only
//! stage's stream is drawn only when a referral happens). Changing the number of servers, the
//! roster or the shift-end policy therefore never changes what the same vehicle asks of the
//! port. (Changing the arrival streams does: the same draws then go to different vehicles.)
//!
//! Each vehicle follows a path of *visits*: visit `r < R` is regular stage number `r`;
//! visit `R + r` is the referral that may follow regular stage `r` (R = number of regular
//! stages). Its service times sit in a flat `work` array, `2R` slots per vehicle slot.

use std::collections::VecDeque;

use rand::RngExt;

use super::results::{DayResult, HourResult, RunResult, StageHour, StageResult, VehicleCounts};
use super::{CapacitySchedule, Port, RunSpec, ShiftEndPolicy};
use crate::engine::{EventQueue, MINUTES_PER_DAY, MINUTES_PER_HOUR, StreamRng, Streams, Time};
use crate::stats::{Level, Tally};

/// Runs one replication of `port` for `run` and returns what it measured.
///
/// Deterministic: the same port and run spec give the same result, bit for bit.
pub fn simulate(port: &Port, run: &RunSpec) -> RunResult {
    let mut sim = Sim::new(port, run);
    sim.run();
    sim.into_result()
}

#[derive(Clone, Copy, Debug)]
enum Event {
    Arrival {
        stream: u32,
    },
    Done {
        stage: u32,
        vehicle: u32,
        epoch: u32,
    },
    Servers {
        stage: u32,
        segment: u32,
    },
    HourEnd,
}

#[derive(Clone, Copy, Debug)]
struct Vehicle {
    arrival: Time,
    /// When it joined the queue of its current stage.
    queued_at: Time,
    /// When its current service ends (valid while in service).
    service_end: Time,
    /// Bumped whenever a scheduled `Done` for this slot must be ignored (preemption, reuse).
    epoch: u32,
    /// Current visit (see the module docs).
    visit: u32,
    /// Bit `r` set: referred after regular stage `r`.
    referred: u64,
    /// Arrived inside the measured window: its observations count.
    measured: bool,
    /// Interrupted at its current stage: its wait was already recorded.
    resumed: bool,
}

/// Areas (value × minutes) accumulated over one clock hour of the measured days.
#[derive(Clone, Copy, Debug, Default)]
struct HourArea {
    queue: f64,
    busy: f64,
    open: f64,
    overtime: f64,
}

struct StageState {
    open: u32,
    busy: u32,
    queue: VecDeque<u32>,
    /// Vehicles in service, in order of start (kept only for `preempt` stages).
    in_service: Vec<u32>,
    preempt: bool,
    queue_len: Level,
    /// min(busy, open): work done within open hours.
    busy_open: Level,
    open_level: Level,
    /// max(0, busy − open): work done after closing time.
    overtime: Level,
    wait: Tally,
    served: u64,
    hourly: [HourArea; 24],
}

impl StageState {
    /// Brings the time-weighted levels up to date after a change at `now`.
    #[inline]
    fn touch(&mut self, now: Time) {
        self.queue_len.set(now, self.queue.len() as f64);
        self.busy_open.set(now, f64::from(self.busy.min(self.open)));
        self.open_level.set(now, f64::from(self.open));
        self.overtime
            .set(now, f64::from(self.busy.saturating_sub(self.open)));
    }
}

struct Sim<'p> {
    port: &'p Port,
    run: RunSpec,
    events: EventQueue<Event>,
    vehicles: Vec<Vehicle>,
    free: Vec<u32>,
    work: Vec<f64>,
    stride: usize,
    n_regular: u32,
    /// Stage of each visit index (`u32::MAX` for referral visits that cannot happen).
    visit_stage: Vec<u32>,
    stages: Vec<StageState>,
    schedules: Vec<CapacitySchedule>,
    arrival_rng: Vec<StreamRng>,
    service_rng: Vec<StreamRng>,
    route_rng: Vec<StreamRng>,
    weekday_of_day0: usize,
    warmup_end: Time,
    end: Time,
    hours_elapsed: u64,
    live: u64,
    in_port: Level,
    in_port_area: f64,
    clearance: Tally,
    counts: VehicleCounts,
    day_arrived: u64,
    day_cleared: u64,
    daily: Vec<DayResult>,
    hour_arrived: [u64; 24],
    hour_cleared: [u64; 24],
    processed: u64,
}

impl<'p> Sim<'p> {
    fn new(port: &'p Port, run: &RunSpec) -> Sim<'p> {
        let regular: Vec<usize> = port.regular_stages().collect();
        let n_regular = regular.len();
        assert!(
            n_regular <= 64,
            "at most 64 regular stages (the scenario layer checks this)"
        );
        let mut visit_stage = vec![u32::MAX; 2 * n_regular];
        for (r, &s) in regular.iter().enumerate() {
            visit_stage[r] = s as u32;
            if let Some(refer) = port.stages[s].refer {
                visit_stage[n_regular + r] = refer.to as u32;
            }
        }

        let streams = Streams::new(run.seed);
        let schedules = port.schedules();
        let mut events = EventQueue::new();
        let stages = port
            .stages
            .iter()
            .zip(&schedules)
            .enumerate()
            .map(|(i, (stage, schedule))| {
                let segment = schedule.segment_at(Time::ZERO.time_of_day());
                let open = schedule.segments()[segment].1;
                if let Some((at, next)) = schedule.next_change(Time::ZERO, segment) {
                    events.schedule(
                        at,
                        Event::Servers {
                            stage: i as u32,
                            segment: next as u32,
                        },
                    );
                }
                StageState {
                    open,
                    busy: 0,
                    queue: VecDeque::new(),
                    in_service: Vec::new(),
                    preempt: stage.at_shift_end == ShiftEndPolicy::Preempt,
                    queue_len: Level::new(Time::ZERO, 0.0),
                    busy_open: Level::new(Time::ZERO, 0.0),
                    open_level: Level::new(Time::ZERO, f64::from(open)),
                    overtime: Level::new(Time::ZERO, 0.0),
                    wait: Tally::new(),
                    served: 0,
                    hourly: [HourArea::default(); 24],
                }
            })
            .collect();

        let end = Time::start_of_day(run.warmup_days + run.days);
        let weekday_of_day0 =
            (usize::from(run.first_weekday) + 7 - (run.warmup_days % 7) as usize) % 7;
        let mut arrival_rng: Vec<StreamRng> = port
            .arrivals
            .iter()
            .map(|a| streams.stream(&format!("arrivals/{}", a.name)))
            .collect();
        for (i, (stream, rng)) in port.arrivals.iter().zip(&mut arrival_rng).enumerate() {
            if let Some(t) = stream
                .rate
                .next_arrival(Time::ZERO, weekday_of_day0, rng)
                .filter(|&t| t < end)
            {
                events.schedule(t, Event::Arrival { stream: i as u32 });
            }
        }
        events.schedule(Time::start_of_hour(1), Event::HourEnd);

        Sim {
            port,
            run: *run,
            events,
            vehicles: Vec::new(),
            free: Vec::new(),
            work: Vec::new(),
            stride: 2 * n_regular,
            n_regular: n_regular as u32,
            visit_stage,
            stages,
            schedules,
            arrival_rng,
            service_rng: port
                .stages
                .iter()
                .map(|s| streams.stream(&format!("service/{}", s.name)))
                .collect(),
            route_rng: port
                .stages
                .iter()
                .map(|s| streams.stream(&format!("route/{}", s.name)))
                .collect(),
            weekday_of_day0,
            warmup_end: Time::start_of_day(run.warmup_days),
            end,
            hours_elapsed: 0,
            live: 0,
            in_port: Level::new(Time::ZERO, 0.0),
            in_port_area: 0.0,
            clearance: Tally::new(),
            counts: VehicleCounts::default(),
            day_arrived: 0,
            day_cleared: 0,
            daily: Vec::with_capacity(run.days as usize),
            hour_arrived: [0; 24],
            hour_cleared: [0; 24],
            processed: 0,
        }
    }

    fn run(&mut self) {
        while let Some((now, event)) = self.events.pop() {
            self.processed += 1;
            match event {
                Event::Arrival { stream } => self.arrive(now, stream as usize),
                Event::Done {
                    stage,
                    vehicle,
                    epoch,
                } => {
                    if self.vehicles[vehicle as usize].epoch == epoch {
                        self.finish_service(now, stage as usize, vehicle);
                    }
                }
                Event::Servers { stage, segment } => {
                    self.change_servers(now, stage as usize, segment as usize);
                }
                Event::HourEnd => {
                    if self.end_hour(now) {
                        break;
                    }
                }
            }
        }
    }

    fn arrive(&mut self, now: Time, stream: usize) {
        let port = self.port;
        let next = port.arrivals[stream].rate.next_arrival(
            now,
            self.weekday_of_day0,
            &mut self.arrival_rng[stream],
        );
        if let Some(t) = next.filter(|&t| t < self.end) {
            self.events.schedule(
                t,
                Event::Arrival {
                    stream: stream as u32,
                },
            );
        }

        let measured = now >= self.warmup_end;
        let v = self.allocate(Vehicle {
            arrival: now,
            queued_at: now,
            service_end: now,
            epoch: 0,
            visit: 0,
            referred: 0,
            measured,
            resumed: false,
        });
        // Draw the vehicle's whole workload now (common random numbers; see module docs).
        let base = v as usize * self.stride;
        let n = self.n_regular as usize;
        let mut referred = 0u64;
        for r in 0..n {
            let s = self.visit_stage[r] as usize;
            let stage = &port.stages[s];
            self.work[base + r] = stage.service.sample(&mut self.service_rng[s]);
            if let Some(refer) = stage.refer
                && self.route_rng[s].random::<f64>() < refer.probability
            {
                referred |= 1 << r;
                self.work[base + n + r] = port.stages[refer.to]
                    .service
                    .sample(&mut self.service_rng[refer.to]);
            }
        }
        self.vehicles[v as usize].referred = referred;

        self.live += 1;
        self.in_port.set(now, self.live as f64);
        if measured {
            self.counts.arrived += 1;
            self.day_arrived += 1;
            self.hour_arrived[now.hour_of_day()] += 1;
        }
        if n == 0 {
            self.clear(now, v);
        } else {
            self.join(now, self.visit_stage[0] as usize, v);
        }
    }

    fn allocate(&mut self, mut vehicle: Vehicle) -> u32 {
        if let Some(v) = self.free.pop() {
            vehicle.epoch = self.vehicles[v as usize].epoch;
            self.vehicles[v as usize] = vehicle;
            v
        } else {
            self.vehicles.push(vehicle);
            self.work.resize(self.vehicles.len() * self.stride, 0.0);
            (self.vehicles.len() - 1) as u32
        }
    }

    /// Vehicle `v` joins the queue of stage `s` (and starts at once if a server is free).
    fn join(&mut self, now: Time, s: usize, v: u32) {
        let vehicle = &mut self.vehicles[v as usize];
        vehicle.queued_at = now;
        vehicle.resumed = false;
        let st = &mut self.stages[s];
        if st.busy < st.open {
            debug_assert!(st.queue.is_empty(), "a server idles while vehicles wait");
            self.start(now, s, v);
        } else {
            st.queue.push_back(v);
        }
        self.stages[s].touch(now);
    }

    fn start(&mut self, now: Time, s: usize, v: u32) {
        let vehicle = &mut self.vehicles[v as usize];
        let st = &mut self.stages[s];
        if vehicle.measured && !vehicle.resumed {
            st.wait.record((now - vehicle.queued_at).minutes());
        }
        let duration = self.work[v as usize * self.stride + vehicle.visit as usize];
        vehicle.service_end = Time::from_minutes(now.minutes() + duration);
        st.busy += 1;
        if st.preempt {
            st.in_service.push(v);
        }
        let epoch = vehicle.epoch;
        self.events.schedule(
            vehicle.service_end,
            Event::Done {
                stage: s as u32,
                vehicle: v,
                epoch,
            },
        );
    }

    /// Starts queued vehicles while stage `s` has idle open servers.
    fn fill(&mut self, now: Time, s: usize) {
        while self.stages[s].busy < self.stages[s].open {
            let Some(v) = self.stages[s].queue.pop_front() else {
                break;
            };
            self.start(now, s, v);
        }
    }

    fn finish_service(&mut self, now: Time, s: usize, v: u32) {
        let st = &mut self.stages[s];
        st.busy -= 1;
        if st.preempt {
            let i = st
                .in_service
                .iter()
                .position(|&u| u == v)
                .expect("in service");
            st.in_service.remove(i);
        }
        if now >= self.warmup_end {
            st.served += 1;
        }
        self.fill(now, s);
        self.stages[s].touch(now);

        match self.next_visit(v) {
            Some(visit) => {
                self.vehicles[v as usize].visit = visit;
                self.join(now, self.visit_stage[visit as usize] as usize, v);
            }
            None => self.clear(now, v),
        }
    }

    /// The visit after the current one, or `None` when the vehicle has finished.
    fn next_visit(&self, v: u32) -> Option<u32> {
        let n = self.n_regular;
        let vehicle = &self.vehicles[v as usize];
        let k = vehicle.visit;
        let after_regular = if k < n {
            if vehicle.referred & (1 << k) != 0 {
                return Some(n + k);
            }
            k
        } else {
            k - n
        };
        (after_regular + 1 < n).then_some(after_regular + 1)
    }

    fn clear(&mut self, now: Time, v: u32) {
        let vehicle = &mut self.vehicles[v as usize];
        if vehicle.measured {
            self.clearance.record((now - vehicle.arrival).minutes());
        }
        if now >= self.warmup_end {
            self.counts.cleared += 1;
            self.day_cleared += 1;
            self.hour_cleared[now.hour_of_day()] += 1;
        }
        vehicle.epoch = vehicle.epoch.wrapping_add(1);
        self.free.push(v);
        self.live -= 1;
        self.in_port.set(now, self.live as f64);
    }

    fn change_servers(&mut self, now: Time, s: usize, segment: usize) {
        let st = &mut self.stages[s];
        st.open = self.schedules[s].segments()[segment].1;
        if st.preempt {
            // Interrupt the most recently started services first; they resume at the head of
            // the queue, earliest-started first, with their remaining time.
            while st.busy > st.open {
                let v = st.in_service.pop().expect("busy servers have vehicles") as usize;
                let vehicle = &mut self.vehicles[v];
                vehicle.epoch = vehicle.epoch.wrapping_add(1);
                vehicle.resumed = true;
                self.work[v * self.stride + vehicle.visit as usize] =
                    (vehicle.service_end - now).minutes().max(0.0);
                st.queue.push_front(v as u32);
                st.busy -= 1;
            }
        }
        self.fill(now, s);
        self.stages[s].touch(now);
        if let Some((at, next)) = self.schedules[s].next_change(now, segment) {
            self.events.schedule(
                at,
                Event::Servers {
                    stage: s as u32,
                    segment: next as u32,
                },
            );
        }
    }

    /// Closes the clock hour ending at `now`; returns whether the run is over.
    fn end_hour(&mut self, now: Time) -> bool {
        let started = Time::start_of_hour(self.hours_elapsed);
        self.hours_elapsed += 1;
        let measured = started >= self.warmup_end;
        let h = started.hour_of_day();
        for st in &mut self.stages {
            let area = HourArea {
                queue: st.queue_len.take_area(now),
                busy: st.busy_open.take_area(now),
                open: st.open_level.take_area(now),
                overtime: st.overtime.take_area(now),
            };
            if measured {
                let acc = &mut st.hourly[h];
                acc.queue += area.queue;
                acc.busy += area.busy;
                acc.open += area.open;
                acc.overtime += area.overtime;
            }
        }
        let area = self.in_port.take_area(now);
        if measured {
            self.in_port_area += area;
        }
        if now.time_of_day().minutes() == 0.0 {
            if now == self.warmup_end {
                self.counts.in_system_at_start = self.live;
            } else if now > self.warmup_end {
                self.daily.push(DayResult {
                    day: self.daily.len() as u32 + 1,
                    arrived: self.day_arrived,
                    cleared: self.day_cleared,
                    backlog_at_midnight: self.live,
                });
            }
            self.day_arrived = 0;
            self.day_cleared = 0;
        }
        if now >= self.end {
            self.counts.in_system_at_end = self.live;
            return true;
        }
        self.events
            .schedule(Time::start_of_hour(self.hours_elapsed + 1), Event::HourEnd);
        false
    }

    fn into_result(self) -> RunResult {
        let days = f64::from(self.run.days);
        let window = days * MINUTES_PER_DAY;
        let hour_window = days * MINUTES_PER_HOUR;
        let ratio = |num: f64, den: f64| if den > 0.0 { num / den } else { 0.0 };
        let stages = self
            .stages
            .iter()
            .zip(&self.port.stages)
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
                }
            })
            .collect();
        let hourly = (0..24)
            .map(|h| HourResult {
                hour: h as u32,
                arrived_per_day: self.hour_arrived[h] as f64 / days,
                cleared_per_day: self.hour_cleared[h] as f64 / days,
            })
            .collect();
        RunResult {
            days: self.run.days,
            warmup_days: self.run.warmup_days,
            seed: self.run.seed,
            vehicles: VehicleCounts {
                mean_in_system: self.in_port_area / window,
                ..self.counts
            },
            clearance: self.clearance.summary(),
            stages,
            daily: self.daily,
            hourly,
            events: self.processed,
        }
    }
}

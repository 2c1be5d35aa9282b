//! The event loop: vehicles and carriers through the stages of a [`Port`].
//!
//! **Units.** Stages serve *units*: a vehicle on its own, or a loaded carrier (one conveyance).
//! Every vehicle first passes the per-vehicle stages (those up to `Yard::after`, usually the
//! document checks), then reaches the yard. There, a self-driving vehicle waits for a driver
//! and goes on as a unit of its own; a cage vehicle waits to be loaded, and its carrier goes
//! on as one unit. After the last stage a unit is *cleared* (released by customs). It then
//! *crosses* at the exit, at once or when the receiving side's hours and quota allow.
//!
//! **Events.** A vehicle arrives; a service ends; a lane group's open servers change (shift,
//! handover); the port opens or closes; the exit opens or closes; a vehicle is loaded; a
//! carrier's longest wait expires; a driver or carrier comes back; an hour ends (statistics
//! are binned by clock hour; each midnight closes a row of the daily table).
//!
//! **Common random numbers.** Every random source has its own stream, named after what it
//! drives: `arrivals/<stream>` (times), `attributes/<stream>` (class, mode, declaration,
//! green: always four numbers a vehicle), `service/<stage>` and `route/<stage>` (a vehicle's
//! service time at every regular stage and its referrals, all drawn on arrival),
//! `carrier/<stage>` and `carrier_route/<stage>` (a carrier's, drawn at dispatch), `loading`,
//! and `round_trip/drivers`, `round_trip/carriers`. Changing servers, staff, rosters, fleets
//! or pools never changes what the same vehicle brings to the port.
//!
//! **Visits.** A unit's path is a sequence of *visits*: visit `r < R` is regular stage number
//! `r`; visit `R + r` is the referral that may follow regular stage `r` (R = number of regular
//! stages). Service times sit in flat `work` arrays, `2R` slots per vehicle or carrier slot.

mod stages;
mod stats;
mod yard;

use std::collections::VecDeque;

use rand::RngExt;

use super::arrivals::{ArrivalKind, Attributes, growth_factor};
use super::results::{RunResult, StageVisit, VehicleRecord};
use super::{CapacitySchedule, Port, RunSpec, ServiceOverride};
use crate::engine::{Duration, EventQueue, StreamRng, Streams, Time};
use crate::stats::Level;
use stages::StageState;
use stats::Recorder;
use yard::{ExitState, YardState};

/// Runs one replication of `port` for `run` and returns what it measured.
///
/// Deterministic: the same port and run spec give the same result, bit for bit.
pub fn simulate(port: &Port, run: &RunSpec) -> RunResult {
    let mut sim = Sim::new(port, run);
    sim.run();
    sim.into_result()
}

const NONE: u32 = u32::MAX;
/// The `stream` of arrivals from the saturating supply.
const FEED: u32 = u32::MAX;

/// Something a stage serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Vehicle(u32),
    Carrier(u32),
}

const CARRIER_BIT: u32 = 1 << 31;

impl Unit {
    /// Packed into 32 bits (top bit: carrier), to keep events small.
    fn pack(self) -> u32 {
        match self {
            Unit::Vehicle(v) => v,
            Unit::Carrier(c) => c | CARRIER_BIT,
        }
    }

    fn unpack(x: u32) -> Unit {
        if x & CARRIER_BIT == 0 {
            Unit::Vehicle(x)
        } else {
            Unit::Carrier(x & !CARRIER_BIT)
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum Event {
    Arrival {
        stream: u32,
    },
    Done {
        stage: u16,
        lane: u16,
        unit: u32,
        epoch: u32,
    },
    Servers {
        stage: u16,
        lane: u16,
        segment: u32,
    },
    PortChange,
    ExitChange,
    LoadDone {
        carrier: u32,
    },
    DispatchDue {
        carrier: u32,
        trip: u32,
    },
    DriverBack,
    CarrierBack {
        carrier: u32,
    },
    HourEnd,
}

/// What a unit needs while it moves through stages.
#[derive(Clone, Copy, Debug, Default)]
struct Journey {
    /// When it joined its current queue.
    queued_at: Time,
    /// When its current service ends (valid while in service).
    service_end: Time,
    /// Bumped whenever a scheduled `Done` for this slot must be ignored (preemption, reuse).
    epoch: u32,
    /// Current visit.
    visit: u32,
    /// Regular stages it passes (bit r = regular stage r).
    pass: u64,
    /// Bit r: referred after regular stage r.
    referred: u64,
    green: bool,
    /// Its observations count (arrived inside the measured window; for a carrier, all aboard).
    measured: bool,
    /// Interrupted at its current stage: its wait was already recorded.
    resumed: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Place {
    Stage,
    Yard,
    Aboard,
    Exit,
    /// Crossed; the slot is free.
    Gone,
}

#[derive(Clone, Copy, Debug)]
struct Vehicle {
    journey: Journey,
    arrival: Time,
    yard_in: Time,
    attributes: Attributes,
    place: Place,
    past_yard: bool,
    /// Group slots this vehicle counts in (see `stats::Recorder`).
    groups: [u16; 4],
    /// Index of its record, or `NONE`.
    record: u32,
    /// Fed by the saturating supply, and not yet replaced: its first service start brings in
    /// the next vehicle.
    feeder: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CarrierState {
    Idle,
    Loading,
    InPort,
    Returning,
}

#[derive(Clone, Debug)]
struct Carrier {
    journey: Journey,
    state: CarrierState,
    aboard: Vec<u32>,
    slots_used: u32,
    /// Vehicle being loaded now.
    loading: u32,
    /// When the first vehicle of this load came aboard.
    first_aboard: Time,
    /// Trip counter: a `DispatchDue` from an earlier trip is ignored.
    trip: u32,
    /// The longest wait has expired: leave as soon as the minimum load is met.
    due: bool,
    /// Global trip number of the current load (for vehicle records).
    trip_id: u64,
}

struct Sim<'p> {
    port: &'p Port,
    run: RunSpec,
    events: EventQueue<Event>,

    // layout of visits
    n_regular: u32,
    stride: usize,
    /// Stage of each visit index (`u32::MAX` for referral visits that cannot happen).
    visit_stage: Vec<u32>,
    /// Last regular index of the per-vehicle phase (−1: the yard comes first).
    yard_after: i32,
    /// Regular stages passed by each declaration mode.
    pass_mask: Vec<u64>,

    vehicles: Vec<Vehicle>,
    free: Vec<u32>,
    work: Vec<f64>,
    carriers: Vec<Carrier>,
    carrier_work: Vec<f64>,

    stages: Vec<StageState>,
    schedules: Vec<Vec<CapacitySchedule>>,
    port_open: bool,
    yard: YardState,
    exit: Option<ExitState>,

    arrival_rng: Vec<StreamRng>,
    attribute_rng: Vec<StreamRng>,
    service_rng: Vec<StreamRng>,
    route_rng: Vec<StreamRng>,
    carrier_rng: Vec<StreamRng>,
    carrier_route_rng: Vec<StreamRng>,
    /// Next trace record or convoy vehicle of each stream.
    cursor: Vec<usize>,
    /// Each stream's attributes when its mix leaves nothing to chance.
    fixed: Vec<Option<Attributes>>,

    weekday_of_day0: usize,
    warmup_end: Time,
    end: Time,
    hours_elapsed: u64,
    live: u64,
    in_port: Level,
    rec: Recorder,
    records: Vec<VehicleRecord>,
    arrivals_so_far: u64,
    processed: u64,
    /// Saturation: picks the stream whose mix a fed vehicle takes.
    feed_rng: StreamRng,
    /// Saturation: each stream's expected demand over the run, the odds of taking its mix.
    feed_weights: Vec<f64>,
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
        let regular_index = |stage: usize| regular.iter().position(|&s| s == stage);
        let yard_after = port
            .yard
            .after
            .and_then(regular_index)
            .map_or(-1, |r| r as i32);
        let pass_mask = port
            .declarations
            .iter()
            .map(|d| {
                regular
                    .iter()
                    .enumerate()
                    .filter(|&(_, &s)| d.passes[s])
                    .fold(0u64, |m, (r, _)| m | 1 << r)
            })
            .collect();

        let streams = Streams::new(run.seed);
        let named = |prefix: &str, names: &mut dyn Iterator<Item = &str>| -> Vec<StreamRng> {
            names
                .map(|n| streams.stream(&format!("{prefix}/{n}")))
                .collect()
        };
        let stage_names = || port.stages.iter().map(|s| s.name.as_str());
        let stream_names = || port.arrivals.iter().map(|a| a.name.as_str());

        let schedules = port.schedules();
        let mut events = EventQueue::new();
        let port_open = port.hours.always_open() || Self::port_open_at(port, run, Time::ZERO);
        let stages = port
            .stages
            .iter()
            .zip(&schedules)
            .enumerate()
            .map(|(i, (stage, lanes))| {
                for (g, schedule) in lanes.iter().enumerate() {
                    let segment = schedule.segment_at(Time::ZERO.time_of_day());
                    if let Some((at, next)) = schedule.next_change(Time::ZERO, segment) {
                        events.schedule(
                            at,
                            Event::Servers {
                                stage: i as u16,
                                lane: g as u16,
                                segment: next as u32,
                            },
                        );
                    }
                }
                StageState::new(stage, lanes, port_open)
            })
            .collect();

        let end = Time::start_of_day(run.warmup_days + run.days);
        let weekday_of_day0 =
            (usize::from(run.first_weekday) + 7 - (run.warmup_days % 7) as usize) % 7;
        let carriers: Vec<Carrier> = (0..port.yard.carriers.as_ref().map_or(0, |c| c.fleet))
            .map(|_| Carrier {
                journey: Journey::default(),
                state: CarrierState::Idle,
                aboard: Vec::new(),
                slots_used: 0,
                loading: NONE,
                first_aboard: Time::ZERO,
                trip: 0,
                due: false,
                trip_id: 0,
            })
            .collect();

        let yard = YardState::new(port, carriers.len(), &streams);
        let arrival_rng = named("arrivals", &mut stream_names());
        let attribute_rng = named("attributes", &mut stream_names());
        let service_rng = named("service", &mut stage_names());
        let route_rng = named("route", &mut stage_names());
        let carrier_rng = named("carrier", &mut stage_names());
        let carrier_route_rng = named("carrier_route", &mut stage_names());
        let mut sim = Sim {
            port,
            run: *run,
            events,
            n_regular: n_regular as u32,
            stride: 2 * n_regular,
            visit_stage,
            yard_after,
            pass_mask,
            vehicles: Vec::new(),
            free: Vec::new(),
            work: Vec::new(),
            carrier_work: vec![0.0; carriers.len() * 2 * n_regular],
            yard,
            carriers,
            stages,
            schedules,
            port_open,
            exit: port.exit.as_ref().map(|e| ExitState::new(e, Time::ZERO)),
            arrival_rng,
            attribute_rng,
            service_rng,
            route_rng,
            carrier_rng,
            carrier_route_rng,
            cursor: vec![0; port.arrivals.len()],
            fixed: port.arrivals.iter().map(|a| a.mix.fixed()).collect(),
            weekday_of_day0,
            warmup_end: Time::start_of_day(run.warmup_days),
            end,
            hours_elapsed: 0,
            live: 0,
            in_port: Level::new(Time::ZERO, 0.0),
            rec: Recorder::new(port, run),
            records: Vec::new(),
            arrivals_so_far: 0,
            processed: 0,
            feed_rng: streams.stream("saturation"),
            feed_weights: port
                .arrivals
                .iter()
                .map(|a| a.mean_per_day(run.warmup_days, run.days).max(1e-9))
                .collect(),
        };
        if run.saturate {
            // Enough vehicles to fill the first regular stage at its widest, plus one waiting;
            // each one brings the next when it starts its first service.
            let first = sim.visit_stage.first().map_or(0, |&s| s as usize);
            let widest: u32 = sim.schedules.get(first).map_or(0, |lanes| {
                lanes
                    .iter()
                    .map(|l| l.segments().iter().map(|p| p.1).max().unwrap_or(0))
                    .sum()
            });
            for _ in 0..=widest {
                sim.events
                    .schedule(Time::ZERO, Event::Arrival { stream: FEED });
            }
        } else {
            for i in 0..port.arrivals.len() {
                sim.schedule_next_arrival(Time::ZERO, i, true);
            }
        }
        if !port.hours.always_open() {
            sim.schedule_port_change(Time::ZERO);
        }
        if let Some(t) = sim.exit.as_ref().and_then(|e| e.next_change(Time::ZERO)) {
            sim.events.schedule(t, Event::ExitChange);
        }
        sim.events.schedule(Time::start_of_hour(1), Event::HourEnd);
        sim
    }

    fn run(&mut self) {
        while let Some((now, event)) = self.events.pop() {
            self.processed += 1;
            match event {
                Event::Arrival { stream } => self.arrive(now, stream as usize),
                Event::Done {
                    stage,
                    lane,
                    unit,
                    epoch,
                } => {
                    let unit = Unit::unpack(unit);
                    if self.journey(unit).epoch == epoch {
                        self.finish_service(now, stage as usize, lane as usize, unit);
                    }
                }
                Event::Servers {
                    stage,
                    lane,
                    segment,
                } => {
                    self.change_servers(now, stage as usize, lane as usize, segment as usize);
                }
                Event::PortChange => self.port_change(now),
                Event::ExitChange => self.exit_change(now),
                Event::LoadDone { carrier } => self.load_done(now, carrier),
                Event::DispatchDue { carrier, trip } => self.dispatch_due(now, carrier, trip),
                Event::DriverBack => self.driver_back(now),
                Event::CarrierBack { carrier } => self.carrier_back(now, carrier),
                Event::HourEnd => {
                    if self.end_hour(now) {
                        break;
                    }
                }
            }
        }
    }

    // ----- arrivals ---------------------------------------------------------------------

    /// Schedules stream `i`'s next arrival after `now` (before the end of the run).
    fn schedule_next_arrival(&mut self, now: Time, i: usize, first: bool) {
        let next = match &self.port.arrivals[i].kind {
            ArrivalKind::Poisson(rate) => {
                rate.next_arrival(now, self.weekday_of_day0, &mut self.arrival_rng[i])
            }
            ArrivalKind::Trace(records) => records.get(self.cursor[i]).map(|r| r.at),
            ArrivalKind::Convoy(convoy) => {
                // cursor = vehicles of the current batch already sent; 0 = look for a batch.
                let day_batch = |day: u32| {
                    (f64::from(convoy.vehicles) * growth_factor(convoy.growth_per_year, day))
                        .round() as usize
                };
                let in_batch = self.cursor[i];
                if in_batch > 0 && in_batch < day_batch(now.day()) {
                    Some(now + convoy.spacing)
                } else {
                    self.cursor[i] = 0;
                    let mut day = now.day();
                    let mut found = None;
                    while Time::start_of_day(day) < self.end {
                        let at = Time::at(day, convoy.at);
                        let on =
                            convoy
                                .days
                                .contains(day, self.run.warmup_days, self.weekday_of_day0);
                        if on && (at > now || (first && at >= now)) && day_batch(day) > 0 {
                            found = Some(at);
                            break;
                        }
                        day += 1;
                    }
                    found
                }
            }
        };
        if let Some(t) = next.filter(|&t| t < self.end) {
            self.events.schedule(t, Event::Arrival { stream: i as u32 });
        }
    }

    fn arrive(&mut self, now: Time, stream: usize) {
        let port = self.port;
        let fed = stream == FEED as usize;
        // A fed vehicle takes the mix of a stream chosen in proportion to its demand.
        let stream = if fed { self.pick_stream() } else { stream };
        let source = &port.arrivals[stream];
        let draw = |sim: &mut Self| match sim.fixed[stream] {
            Some(fixed) => fixed,
            None => source.mix.draw(&mut sim.attribute_rng[stream]),
        };
        let attributes = match &source.kind {
            _ if fed => draw(self),
            ArrivalKind::Trace(records) => {
                let record = &records[self.cursor[stream]];
                self.cursor[stream] += 1;
                source.mix.complete(record, &mut self.attribute_rng[stream])
            }
            ArrivalKind::Convoy(_) => {
                self.cursor[stream] += 1;
                draw(self)
            }
            ArrivalKind::Poisson(_) => draw(self),
        };
        if !fed {
            self.schedule_next_arrival(now, stream, false);
        }

        let measured = now >= self.warmup_end;
        let pass = self.pass_mask[attributes.declaration];
        let groups = self.rec.groups_of(&attributes);
        let record = if self.run.record_vehicles {
            self.records.push(VehicleRecord {
                id: self.arrivals_so_far,
                stream,
                class: attributes.class,
                mode: attributes.mode,
                declaration: attributes.declaration,
                green: attributes.green,
                measured,
                arrival: now,
                visits: Vec::new(),
                yard: None,
                cleared: None,
                crossed: None,
                trip: None,
                carrier: None,
            });
            (self.records.len() - 1) as u32
        } else {
            NONE
        };
        self.arrivals_so_far += 1;
        let v = self.allocate(Vehicle {
            journey: Journey {
                queued_at: now,
                service_end: now,
                epoch: 0,
                visit: 0,
                pass,
                referred: 0,
                green: attributes.green,
                measured,
                resumed: false,
            },
            arrival: now,
            yard_in: now,
            attributes,
            place: Place::Stage,
            past_yard: false,
            groups,
            record,
            feeder: fed,
        });
        self.draw_vehicle_work(v);

        self.live += 1;
        self.in_port.set(now, self.live as f64);
        self.rec.arrived(now, &self.vehicles[v as usize]);
        self.start_phase(now, Unit::Vehicle(v));
    }

    /// A stream index, in proportion to the streams' expected demand (saturation).
    fn pick_stream(&mut self) -> usize {
        let n = self.feed_weights.len();
        if n == 1 {
            return 0;
        }
        let total: f64 = self.feed_weights.iter().sum();
        let mut u = self.feed_rng.random::<f64>() * total;
        for (i, w) in self.feed_weights.iter().enumerate() {
            if u < *w {
                return i;
            }
            u -= w;
        }
        n - 1
    }

    /// Saturation: a fed vehicle has reached its first service; the next one arrives now.
    fn replace_feeder(&mut self, now: Time, v: u32) {
        let vehicle = &mut self.vehicles[v as usize];
        if vehicle.feeder {
            vehicle.feeder = false;
            self.events.schedule(now, Event::Arrival { stream: FEED });
        }
    }

    fn allocate(&mut self, mut vehicle: Vehicle) -> u32 {
        if let Some(v) = self.free.pop() {
            vehicle.journey.epoch = self.vehicles[v as usize].journey.epoch;
            self.vehicles[v as usize] = vehicle;
            v
        } else {
            self.vehicles.push(vehicle);
            self.work.resize(self.vehicles.len() * self.stride, 0.0);
            (self.vehicles.len() - 1) as u32
        }
    }

    /// Draws the vehicle's service time at every regular stage and its referrals (common
    /// random numbers: every vehicle draws at every regular stage, passed or not).
    fn draw_vehicle_work(&mut self, v: u32) {
        let port = self.port;
        let vehicle = &self.vehicles[v as usize];
        let (class, declaration) = (
            &port.classes[vehicle.attributes.class],
            &port.declarations[vehicle.attributes.declaration],
        );
        let base = v as usize * self.stride;
        let n = self.n_regular as usize;
        let mut referred = 0u64;
        for r in 0..n {
            let s = self.visit_stage[r] as usize;
            let stage = &port.stages[s];
            self.work[base + r] =
                vehicle_service(stage, s, class, declaration, &mut self.service_rng[s]);
            if let Some(refer) = stage.refer
                && self.route_rng[s].random::<f64>() < refer.probability
            {
                referred |= 1 << r;
                let to = refer.to;
                self.work[base + n + r] = vehicle_service(
                    &port.stages[to],
                    to,
                    class,
                    declaration,
                    &mut self.service_rng[to],
                );
            }
        }
        self.vehicles[v as usize].journey.referred = referred;
    }

    // ----- units and routing ------------------------------------------------------------

    fn journey(&self, unit: Unit) -> &Journey {
        match unit {
            Unit::Vehicle(v) => &self.vehicles[v as usize].journey,
            Unit::Carrier(c) => &self.carriers[c as usize].journey,
        }
    }

    fn journey_mut(&mut self, unit: Unit) -> &mut Journey {
        match unit {
            Unit::Vehicle(v) => &mut self.vehicles[v as usize].journey,
            Unit::Carrier(c) => &mut self.carriers[c as usize].journey,
        }
    }

    /// The service time of `unit`'s current visit.
    fn work_of(&mut self, unit: Unit) -> &mut f64 {
        let visit = self.journey(unit).visit as usize;
        match unit {
            Unit::Vehicle(v) => &mut self.work[v as usize * self.stride + visit],
            Unit::Carrier(c) => &mut self.carrier_work[c as usize * self.stride + visit],
        }
    }

    /// The last regular index of the unit's current phase.
    fn phase_limit(&self, unit: Unit) -> i32 {
        match unit {
            Unit::Vehicle(v) if !self.vehicles[v as usize].past_yard => self.yard_after,
            _ => self.n_regular as i32 - 1,
        }
    }

    /// The first regular stage the unit passes after regular index `after`, within its phase.
    fn next_regular(&self, unit: Unit, after: i32) -> Option<u32> {
        let limit = self.phase_limit(unit);
        if after >= limit {
            return None;
        }
        let from = (after + 1) as u32;
        let mask = self.journey(unit).pass & (u64::MAX << from) & (u64::MAX >> (63 - limit as u32));
        (mask != 0).then(|| mask.trailing_zeros())
    }

    /// Starts the unit's current phase: the per-vehicle stages for a new vehicle, the
    /// per-conveyance stages after the yard.
    fn start_phase(&mut self, now: Time, unit: Unit) {
        let after = match unit {
            Unit::Vehicle(v) if !self.vehicles[v as usize].past_yard => -1,
            _ => self.yard_after,
        };
        match self.next_regular(unit, after) {
            Some(r) => {
                self.journey_mut(unit).visit = r;
                self.join(now, self.visit_stage[r as usize] as usize, unit);
            }
            None => self.end_phase(now, unit),
        }
    }

    /// After a service: the next visit, or the end of the phase.
    fn route(&mut self, now: Time, unit: Unit) {
        let n = self.n_regular;
        let journey = self.journey(unit);
        let k = journey.visit;
        let after = if k < n {
            if journey.referred & (1 << k) != 0 {
                self.journey_mut(unit).visit = n + k;
                self.join(now, self.visit_stage[(n + k) as usize] as usize, unit);
                return;
            }
            k
        } else {
            k - n
        };
        match self.next_regular(unit, after as i32) {
            Some(r) => {
                self.journey_mut(unit).visit = r;
                self.join(now, self.visit_stage[r as usize] as usize, unit);
            }
            None => self.end_phase(now, unit),
        }
    }

    fn end_phase(&mut self, now: Time, unit: Unit) {
        match unit {
            Unit::Vehicle(v) if !self.vehicles[v as usize].past_yard => self.enter_yard(now, v),
            _ => self.clear(now, unit),
        }
    }

    /// How many vehicles a unit stands for.
    #[inline]
    fn unit_len(&self, unit: Unit) -> usize {
        match unit {
            Unit::Vehicle(_) => 1,
            Unit::Carrier(c) => self.carriers[c as usize].aboard.len(),
        }
    }

    /// The `i`-th vehicle a unit stands for (`i < unit_len`).
    #[inline]
    fn unit_vehicle(&self, unit: Unit, i: usize) -> u32 {
        match unit {
            Unit::Vehicle(v) => v,
            Unit::Carrier(c) => self.carriers[c as usize].aboard[i],
        }
    }

    /// Released by customs: counted, then on to the exit.
    fn clear(&mut self, now: Time, unit: Unit) {
        for i in 0..self.unit_len(unit) {
            let v = self.unit_vehicle(unit, i);
            self.replace_feeder(now, v);
        }
        for i in 0..self.unit_len(unit) {
            let vehicle = &self.vehicles[self.unit_vehicle(unit, i) as usize];
            if vehicle.record != NONE {
                self.records[vehicle.record as usize].cleared = Some(now);
            }
            self.rec.cleared(now, vehicle);
        }
        self.rec.conveyance_cleared(now);
        if let Unit::Vehicle(v) = unit {
            self.vehicles[v as usize].place = Place::Exit;
        }
        if self.exit.is_some() {
            self.exit_arrive(now, unit);
        } else {
            self.cross(now, unit);
        }
    }

    /// Leaves the country: the vehicles are gone; a driver or carrier starts back.
    fn cross(&mut self, now: Time, unit: Unit) {
        for i in 0..self.unit_len(unit) {
            let v = self.unit_vehicle(unit, i);
            let vehicle = &mut self.vehicles[v as usize];
            if vehicle.record != NONE {
                self.records[vehicle.record as usize].crossed = Some(now);
            }
            self.rec.crossed(now, vehicle);
            vehicle.place = Place::Gone;
            vehicle.journey.epoch = vehicle.journey.epoch.wrapping_add(1);
            self.free.push(v);
            self.live -= 1;
        }
        self.in_port.set(now, self.live as f64);
        self.rec.conveyance_crossed(now);
        match unit {
            Unit::Vehicle(_) => self.driver_leaves(now),
            Unit::Carrier(c) => self.carrier_leaves(now, c),
        }
    }

    /// Notes a stage visit in the records of the unit's vehicles.
    fn note_visit(&mut self, unit: Unit, stage: usize, update: impl Fn(&mut StageVisit)) {
        if !self.run.record_vehicles {
            return;
        }
        for i in 0..self.unit_len(unit) {
            let record = self.vehicles[self.unit_vehicle(unit, i) as usize].record as usize;
            let visits = &mut self.records[record].visits;
            match visits.last_mut() {
                Some(last) if last.stage == stage && last.end.is_none() => update(last),
                _ => {
                    let mut visit = StageVisit {
                        stage,
                        queued: Time::ZERO,
                        start: None,
                        end: None,
                        lane: None,
                    };
                    update(&mut visit);
                    visits.push(visit);
                }
            }
        }
    }

    // ----- port hours -------------------------------------------------------------------

    fn port_open_at(port: &Port, run: &RunSpec, t: Time) -> bool {
        let h = &port.hours;
        let day = t.day();
        let weekday_of_day0 =
            (usize::from(run.first_weekday) + 7 - (run.warmup_days % 7) as usize) % 7;
        if h.closed_weekdays[(day as usize + weekday_of_day0) % 7] {
            return false;
        }
        if day >= run.warmup_days && h.closed_days.contains(&(day - run.warmup_days + 1)) {
            return false;
        }
        h.daily.is_none_or(|w| w.contains(t.time_of_day()))
    }

    /// Schedules the next instant after `now` at which the port opens or closes.
    fn schedule_port_change(&mut self, now: Time) {
        let h = &self.port.hours;
        let mut boundaries: Vec<f64> = vec![0.0];
        if let Some(w) = h.daily {
            boundaries.extend([w.open.minutes(), w.close.minutes() % 1440.0]);
        }
        boundaries.sort_by(f64::total_cmp);
        let mut day = now.day();
        while Time::start_of_day(day) < self.end {
            for &b in &boundaries {
                let t = Time::at(day, Duration::from_minutes(b));
                if t > now && Self::port_open_at(self.port, &self.run, t) != self.port_open {
                    self.events.schedule(t, Event::PortChange);
                    return;
                }
            }
            day += 1;
        }
    }

    fn port_change(&mut self, now: Time) {
        self.port_open = Self::port_open_at(self.port, &self.run, now);
        for s in 0..self.stages.len() {
            for g in 0..self.stages[s].lanes.len() {
                self.apply_open(now, s, g);
            }
        }
        self.schedule_port_change(now);
    }

    fn into_result(self) -> RunResult {
        let events = self.processed;
        stats::finish(self, events)
    }
}

/// A vehicle's service time at stage `s`: the declaration mode's distribution for it, else
/// the class's, else the stage's; times the class's and the mode's multipliers.
fn vehicle_service(
    stage: &super::Stage,
    s: usize,
    class: &super::Class,
    declaration: &super::DeclarationMode,
    rng: &mut StreamRng,
) -> f64 {
    let mut dist = &stage.service;
    let mut factor = 1.0;
    for o in [&class.service[s], &declaration.service[s]] {
        match o {
            ServiceOverride::Dist(d) => dist = d,
            ServiceOverride::Multiplier(m) => factor *= m,
            ServiceOverride::None => {}
        }
    }
    dist.sample(rng) * factor
}

/// Pushes a unit onto a two-class queue: green first.
fn enqueue(queues: &mut (VecDeque<u32>, VecDeque<u32>), item: u32, green: bool) {
    if green {
        queues.0.push_back(item);
    } else {
        queues.1.push_back(item);
    }
}

/// Takes the first item of a two-class queue.
fn dequeue(queues: &mut (VecDeque<u32>, VecDeque<u32>)) -> Option<u32> {
    queues.0.pop_front().or_else(|| queues.1.pop_front())
}

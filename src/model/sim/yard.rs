//! The yard and the exit: drivers, carriers, loading, dispatch, and the receiving side.
//!
//! *Drivers.* A self-driving vehicle takes a driver from the pool when it reaches the yard
//! (green vehicles first, then in order of arrival); the driver is away until the vehicle has
//! crossed and the round trip back is over.
//!
//! *Carriers.* Idle carriers wait at the yard; up to `bays` of them load at once. A loading
//! carrier takes, one at a time, the first waiting cage vehicle that fits (green first). It
//! leaves when no class could fit any more ("full"), or once its first vehicle has been aboard
//! for `max_wait` and at least `min_load` slots are used. It then goes through the remaining
//! stages as one unit and, after crossing, is away for its round trip.
//!
//! *Exit.* A cleared unit crosses at once if the receiving side is open and today's quota of
//! conveyances is not used up; otherwise it waits (green first). Waiting units cross when the
//! side opens or the quota renews at midnight.

use std::collections::VecDeque;

use super::{CarrierState, Event, NONE, Place, Sim, Unit, dequeue, enqueue};
use crate::engine::{Duration, StreamRng, Streams, Time};
use crate::model::{Exit, Mode, Port, ServiceOverride};
use crate::stats::{Level, Tally};

pub(super) struct YardState {
    pub drivers_free: u32,
    pub driver_queue: (VecDeque<u32>, VecDeque<u32>),
    pub drivers_away: Level,
    pub driver_waiting: Level,
    pub driver_rng: StreamRng,
    pub load_queue: (VecDeque<u32>, VecDeque<u32>),
    pub load_waiting: Level,
    pub idle: VecDeque<u32>,
    pub bays: Vec<u32>,
    pub loading_rng: StreamRng,
    pub carrier_rng: StreamRng,
    pub carrier_state: [Level; 4],
    pub trips: u64,
    pub trip_vehicles: u64,
    pub next_trip_id: u64,
    /// Fewest slots any class that may go on a cage truck takes.
    pub min_slots: u32,
    pub driver_wait: Tally,
    pub loading_wait: Tally,
}

impl YardState {
    pub fn new(port: &Port, fleet: usize, streams: &Streams) -> YardState {
        YardState {
            drivers_free: port.yard.drivers.pool.unwrap_or(0),
            driver_queue: (VecDeque::new(), VecDeque::new()),
            drivers_away: Level::new(Time::ZERO, 0.0),
            driver_waiting: Level::new(Time::ZERO, 0.0),
            driver_rng: streams.stream("round_trip/drivers"),
            load_queue: (VecDeque::new(), VecDeque::new()),
            load_waiting: Level::new(Time::ZERO, 0.0),
            idle: (0..fleet as u32).collect(),
            bays: Vec::new(),
            loading_rng: streams.stream("loading"),
            carrier_rng: streams.stream("round_trip/carriers"),
            carrier_state: [
                Level::new(Time::ZERO, fleet as f64),
                Level::new(Time::ZERO, 0.0),
                Level::new(Time::ZERO, 0.0),
                Level::new(Time::ZERO, 0.0),
            ],
            trips: 0,
            trip_vehicles: 0,
            next_trip_id: 0,
            min_slots: port
                .classes
                .iter()
                .filter(|c| c.cage_allowed)
                .map(|c| c.slots)
                .min()
                .unwrap_or(1),
            driver_wait: Tally::new(),
            loading_wait: Tally::new(),
        }
    }
}

pub(super) struct ExitState {
    pub config: Exit,
    pub open: bool,
    pub quota_left: u32,
    pub queue: (VecDeque<Unit>, VecDeque<Unit>),
    pub waiting: Level,
    pub wait: Tally,
}

impl ExitState {
    pub fn new(config: &Exit, now: Time) -> ExitState {
        ExitState {
            open: config.hours.is_none_or(|w| w.contains(now.time_of_day())),
            quota_left: config.quota_per_day.unwrap_or(u32::MAX),
            config: config.clone(),
            queue: (VecDeque::new(), VecDeque::new()),
            waiting: Level::new(now, 0.0),
            wait: Tally::new(),
        }
    }

    /// The next instant after `now` at which the receiving side opens or closes.
    pub fn next_change(&self, now: Time) -> Option<Time> {
        let w = self.config.hours?;
        let day = now.day();
        [day, day + 1]
            .iter()
            .flat_map(|&d| {
                [
                    Time::at(d, w.open),
                    Time::at(d, Duration::from_minutes(w.close.minutes() % 1440.0)),
                ]
            })
            .filter(|&t| t > now)
            .min_by(Time::total_cmp)
    }

    fn len(&self) -> usize {
        self.queue.0.len() + self.queue.1.len()
    }
}

impl Sim<'_> {
    // ----- drivers ----------------------------------------------------------------------

    pub(super) fn enter_yard(&mut self, now: Time, v: u32) {
        let vehicle = &mut self.vehicles[v as usize];
        vehicle.yard_in = now;
        vehicle.place = Place::Yard;
        let green = vehicle.journey.green;
        match vehicle.attributes.mode {
            Mode::SelfDriving => {
                if self.port.yard.drivers.pool.is_none() {
                    // Unlimited drivers: the yard is no stop at all (nothing to record).
                    self.vehicles[v as usize].past_yard = true;
                    return self.start_phase(now, Unit::Vehicle(v));
                }
                if self.yard.drivers_free > 0 {
                    self.take_driver(now);
                    self.leave_yard(now, v);
                } else {
                    enqueue(&mut self.yard.driver_queue, v, green);
                    self.touch_driver_queue(now);
                }
            }
            Mode::CageTruck => {
                enqueue(&mut self.yard.load_queue, v, green);
                self.touch_load_queue(now);
                self.try_load(now);
            }
        }
    }

    fn take_driver(&mut self, now: Time) {
        self.yard.drivers_free -= 1;
        let pool = self.port.yard.drivers.pool.unwrap_or(0);
        self.yard
            .drivers_away
            .set(now, f64::from(pool - self.yard.drivers_free));
    }

    fn touch_driver_queue(&mut self, now: Time) {
        let n = self.yard.driver_queue.0.len() + self.yard.driver_queue.1.len();
        self.yard.driver_waiting.set(now, n as f64);
    }

    fn touch_load_queue(&mut self, now: Time) {
        let n = self.yard.load_queue.0.len() + self.yard.load_queue.1.len();
        self.yard.load_waiting.set(now, n as f64);
    }

    /// A vehicle leaves the yard on its own (self-driving) and starts the physical stages.
    fn leave_yard(&mut self, now: Time, v: u32) {
        let vehicle = &mut self.vehicles[v as usize];
        vehicle.past_yard = true;
        let waited = (now - vehicle.yard_in).minutes();
        if vehicle.journey.measured {
            self.yard.driver_wait.record(waited);
        }
        self.left_yard(now, v);
        self.start_phase(now, Unit::Vehicle(v));
    }

    /// Bookkeeping for a vehicle leaving the yard (records and group statistics).
    fn left_yard(&mut self, now: Time, v: u32) {
        let vehicle = &self.vehicles[v as usize];
        self.rec
            .yard_wait(vehicle, (now - vehicle.yard_in).minutes());
        if vehicle.record != NONE {
            self.records[vehicle.record as usize].yard = Some((vehicle.yard_in, now));
        }
    }

    /// A self-driving unit crossed: its driver starts back (if drivers are counted).
    pub(super) fn driver_leaves(&mut self, now: Time) {
        if let Some(round_trip) = &self.port.yard.drivers.round_trip
            && self.port.yard.drivers.pool.is_some()
        {
            let back = now.minutes() + round_trip.sample(&mut self.yard.driver_rng);
            self.events
                .schedule(Time::from_minutes(back), Event::DriverBack);
        }
    }

    pub(super) fn driver_back(&mut self, now: Time) {
        self.yard.drivers_free += 1;
        let pool = self.port.yard.drivers.pool.unwrap_or(0);
        self.yard
            .drivers_away
            .set(now, f64::from(pool - self.yard.drivers_free));
        if let Some(v) = dequeue(&mut self.yard.driver_queue) {
            self.touch_driver_queue(now);
            self.take_driver(now);
            self.leave_yard(now, v);
        }
    }

    // ----- carriers ---------------------------------------------------------------------

    fn set_carrier_state(&mut self, now: Time, c: u32, state: CarrierState) {
        let old = std::mem::replace(&mut self.carriers[c as usize].state, state);
        if old != state {
            let levels = &mut self.yard.carrier_state;
            let (a, b) = (levels[old as usize].value(), levels[state as usize].value());
            levels[old as usize].set(now, a - 1.0);
            levels[state as usize].set(now, b + 1.0);
        }
    }

    /// Puts idle carriers on free bays, dispatches carriers that may leave, and starts loading
    /// the next vehicle that fits on every bay carrier that is not loading one.
    pub(super) fn try_load(&mut self, now: Time) {
        let Some(config) = self.port.yard.carriers.as_ref() else {
            return;
        };
        let mut i = 0;
        loop {
            while self.yard.bays.len() < config.bays as usize {
                let Some(c) = self.yard.idle.pop_front() else {
                    break;
                };
                self.set_carrier_state(now, c, CarrierState::Loading);
                let carrier = &mut self.carriers[c as usize];
                carrier.aboard.clear();
                carrier.slots_used = 0;
                carrier.loading = NONE;
                carrier.due = false;
                carrier.trip = carrier.trip.wrapping_add(1);
                self.yard.bays.push(c);
            }
            if i >= self.yard.bays.len() {
                break;
            }
            let c = self.yard.bays[i];
            if self.carriers[c as usize].loading != NONE {
                i += 1;
                continue;
            }
            if self.may_leave(c) {
                self.yard.bays.remove(i);
                self.dispatch(now, c);
                continue; // the bay is free: fill it, and look at the same index again
            }
            let free_slots = config.slots - self.carriers[c as usize].slots_used;
            let fits = |sim: &Self, v: u32| {
                sim.port.classes[sim.vehicles[v as usize].attributes.class].slots <= free_slots
            };
            let pick = {
                let q = &self.yard.load_queue;
                q.0.iter()
                    .position(|&v| fits(self, v))
                    .map(|p| (true, p))
                    .or_else(|| q.1.iter().position(|&v| fits(self, v)).map(|p| (false, p)))
            };
            if let Some((green, p)) = pick {
                let v = if green {
                    self.yard.load_queue.0.remove(p)
                } else {
                    self.yard.load_queue.1.remove(p)
                }
                .expect("found");
                self.touch_load_queue(now);
                self.carriers[c as usize].loading = v;
                let time = config.loading.sample(&mut self.yard.loading_rng);
                self.events.schedule(
                    Time::from_minutes(now.minutes() + time),
                    Event::LoadDone { carrier: c },
                );
            }
            i += 1;
        }
    }

    /// Whether a carrier at a bay, loading nothing right now, should leave.
    fn may_leave(&self, c: u32) -> bool {
        let config = self.port.yard.carriers.as_ref().expect("carriers");
        let carrier = &self.carriers[c as usize];
        if carrier.aboard.is_empty() {
            return false;
        }
        let full = config.slots - carrier.slots_used < self.yard.min_slots;
        full || (carrier.due && carrier.slots_used >= config.min_load)
    }

    pub(super) fn load_done(&mut self, now: Time, c: u32) {
        let config = self.port.yard.carriers.as_ref().expect("carriers");
        let carrier = &mut self.carriers[c as usize];
        let v = std::mem::replace(&mut carrier.loading, NONE);
        carrier.aboard.push(v);
        carrier.slots_used += self.port.classes[self.vehicles[v as usize].attributes.class].slots;
        self.vehicles[v as usize].place = Place::Aboard;
        if carrier.aboard.len() == 1 {
            carrier.first_aboard = now;
            let trip = carrier.trip;
            self.events.schedule(
                now + config.max_wait,
                Event::DispatchDue { carrier: c, trip },
            );
        }
        self.try_load(now);
    }

    pub(super) fn dispatch_due(&mut self, now: Time, c: u32, trip: u32) {
        let carrier = &mut self.carriers[c as usize];
        if carrier.trip == trip && carrier.state == CarrierState::Loading {
            carrier.due = true;
            self.try_load(now);
        }
    }

    /// A loaded carrier leaves the yard as one unit: its route, priority and work are set
    /// from the vehicles aboard.
    fn dispatch(&mut self, now: Time, c: u32) {
        self.set_carrier_state(now, c, CarrierState::InPort);
        let aboard = self.carriers[c as usize].aboard.clone();
        let trip_id = self.yard.next_trip_id;
        self.yard.next_trip_id += 1;
        let mut pass = 0u64;
        // The carrier's own (unit) observations count if any vehicle aboard arrived inside
        // the measured window; each vehicle's observations follow its own arrival.
        let (mut green, mut measured) = (false, false);
        for &v in &aboard {
            let vehicle = &mut self.vehicles[v as usize];
            vehicle.past_yard = true;
            pass |= vehicle.journey.pass;
            green |= vehicle.journey.green;
            measured |= vehicle.journey.measured;
            if vehicle.journey.measured {
                self.yard
                    .loading_wait
                    .record((now - vehicle.yard_in).minutes());
            }
            if vehicle.record != NONE {
                let record = &mut self.records[vehicle.record as usize];
                record.trip = Some(trip_id);
                record.carrier = Some(c);
            }
            self.left_yard(now, v);
        }
        if now >= self.warmup_end {
            self.yard.trips += 1;
            self.yard.trip_vehicles += aboard.len() as u64;
        }
        self.draw_carrier_work(c, &aboard);
        let carrier = &mut self.carriers[c as usize];
        carrier.trip_id = trip_id;
        let journey = &mut carrier.journey;
        journey.pass = pass;
        journey.green = green;
        journey.measured = measured;
        journey.resumed = false;
        self.start_phase(now, Unit::Carrier(c));
    }

    /// A carrier's service time at every post-yard regular stage: base + Σ per-vehicle time ×
    /// the class multiplier; and its referrals.
    fn draw_carrier_work(&mut self, c: u32, aboard: &[u32]) {
        let port = self.port;
        let n = self.n_regular as usize;
        let base = c as usize * self.stride;
        let mut referred = 0u64;
        for r in (self.yard_after + 1).max(0) as usize..n {
            let s = self.visit_stage[r] as usize;
            self.carrier_work[base + r] = self.carrier_service(s, aboard);
            if let Some(refer) = port.stages[s].refer {
                use rand::RngExt;
                if self.carrier_route_rng[s].random::<f64>() < refer.probability {
                    referred |= 1 << r;
                    self.carrier_work[base + n + r] = self.carrier_service(refer.to, aboard);
                }
            }
        }
        self.carriers[c as usize].journey.referred = referred;
    }

    fn carrier_service(&mut self, s: usize, aboard: &[u32]) -> f64 {
        let stage = &self.port.stages[s];
        let rng = &mut self.carrier_rng[s];
        let mut t = stage.carrier_service.base.sample(rng);
        if let Some(per) = &stage.carrier_service.per_vehicle {
            for &v in aboard {
                let class = &self.port.classes[self.vehicles[v as usize].attributes.class];
                let factor = match class.service[s] {
                    ServiceOverride::Multiplier(m) => m,
                    _ => 1.0,
                };
                t += per.sample(rng) * factor;
            }
        }
        t
    }

    /// A carrier crossed: its vehicles are gone, it starts its round trip.
    pub(super) fn carrier_leaves(&mut self, now: Time, c: u32) {
        self.set_carrier_state(now, c, CarrierState::Returning);
        let carrier = &mut self.carriers[c as usize];
        carrier.aboard.clear();
        carrier.journey.epoch = carrier.journey.epoch.wrapping_add(1);
        let config = self.port.yard.carriers.as_ref().expect("carriers");
        let back = now.minutes() + config.round_trip.sample(&mut self.yard.carrier_rng);
        self.events
            .schedule(Time::from_minutes(back), Event::CarrierBack { carrier: c });
    }

    pub(super) fn carrier_back(&mut self, now: Time, c: u32) {
        self.set_carrier_state(now, c, CarrierState::Idle);
        self.yard.idle.push_back(c);
        self.try_load(now);
    }

    // ----- exit -------------------------------------------------------------------------

    pub(super) fn exit_arrive(&mut self, now: Time, unit: Unit) {
        let green = self.journey(unit).green;
        let exit = self.exit.as_mut().expect("exit");
        if exit.open && exit.quota_left > 0 {
            exit.quota_left -= 1;
            if self.journey(unit).measured {
                self.exit.as_mut().expect("exit").wait.record(0.0);
            }
            self.cross(now, unit);
        } else {
            self.journey_mut(unit).queued_at = now;
            let exit = self.exit.as_mut().expect("exit");
            if green {
                exit.queue.0.push_back(unit);
            } else {
                exit.queue.1.push_back(unit);
            }
            let n = exit.len() as f64;
            exit.waiting.set(now, n);
        }
    }

    /// Lets waiting units cross while the side is open and the quota lasts.
    pub(super) fn release_exit(&mut self, now: Time) {
        loop {
            let exit = self.exit.as_mut().expect("exit");
            if !exit.open || exit.quota_left == 0 {
                break;
            }
            let Some(unit) = exit
                .queue
                .0
                .pop_front()
                .or_else(|| exit.queue.1.pop_front())
            else {
                break;
            };
            exit.quota_left -= 1;
            let n = exit.len() as f64;
            exit.waiting.set(now, n);
            let journey = *self.journey(unit);
            if journey.measured {
                self.exit
                    .as_mut()
                    .expect("exit")
                    .wait
                    .record((now - journey.queued_at).minutes());
            }
            self.cross(now, unit);
        }
    }

    pub(super) fn exit_change(&mut self, now: Time) {
        let exit = self.exit.as_mut().expect("exit");
        exit.open = exit
            .config
            .hours
            .is_none_or(|w| w.contains(now.time_of_day()));
        if let Some(t) = exit.next_change(now).filter(|&t| t < self.end) {
            self.events.schedule(t, Event::ExitChange);
        }
        self.release_exit(now);
    }

    /// At midnight: a new day's quota.
    pub(super) fn exit_new_day(&mut self, now: Time) {
        if let Some(exit) = self.exit.as_mut() {
            exit.quota_left = exit.config.quota_per_day.unwrap_or(u32::MAX);
            self.release_exit(now);
        }
    }
}

//! Stages: lane groups in front of one queue with two priority classes.
//!
//! A unit that reaches a stage takes the first lane group (in the scenario's order) that
//! serves it and has an idle open server; otherwise it joins the stage's queue: green units
//! in a queue of their own that is always served first (non-preemptive priority), others in
//! order of arrival. A server that becomes free takes the first waiting unit it may serve.
//! So no open server idles while a unit it serves is waiting.

use std::collections::VecDeque;

use super::{Event, Sim, Unit};
use crate::engine::Time;
use crate::model::{CapacitySchedule, Filter, Mode, ShiftEndPolicy, Stage};
use crate::stats::{Level, Tally};

/// Areas (value × minutes) accumulated over one clock hour of the measured days.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct HourArea {
    pub queue: f64,
    pub busy: f64,
    pub open: f64,
    pub overtime: f64,
}

pub(super) struct Lane {
    /// Open servers the roster gives now.
    pub roster_open: u32,
    /// Open servers in force (0 while the port is closed).
    pub open: u32,
    pub busy: u32,
    /// Units in service, in order of start (kept only under `preempt`).
    pub in_service: Vec<Unit>,
    pub serves: Filter,
    /// min(busy, open): work done within open hours.
    pub busy_open: Level,
    pub open_level: Level,
    /// max(0, busy − open): work done after closing time.
    pub overtime: Level,
    /// Measured totals.
    pub busy_area: f64,
    pub open_area: f64,
}

pub(super) struct StageState {
    pub lanes: Vec<Lane>,
    pub green: VecDeque<Unit>,
    pub ordinary: VecDeque<Unit>,
    /// One lane group serving everyone: the queue is plain FIFO within each class.
    pub simple: bool,
    pub preempt: bool,
    pub queue_len: Level,
    /// Unit-weighted waits.
    pub wait: Tally,
    pub served: u64,
    pub served_vehicles: u64,
    pub hourly: [HourArea; 24],
}

impl StageState {
    pub fn new(stage: &Stage, schedules: &[CapacitySchedule], port_open: bool) -> StageState {
        let lanes = stage
            .lanes
            .iter()
            .zip(schedules)
            .map(|(lane, schedule)| {
                let roster_open =
                    schedule.segments()[schedule.segment_at(Time::ZERO.time_of_day())].1;
                let open = if port_open { roster_open } else { 0 };
                Lane {
                    roster_open,
                    open,
                    busy: 0,
                    in_service: Vec::new(),
                    serves: lane.serves.clone(),
                    busy_open: Level::new(Time::ZERO, 0.0),
                    open_level: Level::new(Time::ZERO, f64::from(open)),
                    overtime: Level::new(Time::ZERO, 0.0),
                    busy_area: 0.0,
                    open_area: 0.0,
                }
            })
            .collect::<Vec<_>>();
        StageState {
            simple: lanes.len() == 1 && lanes[0].serves.all,
            lanes,
            green: VecDeque::new(),
            ordinary: VecDeque::new(),
            preempt: stage.at_shift_end == ShiftEndPolicy::Preempt,
            queue_len: Level::new(Time::ZERO, 0.0),
            wait: Tally::new(),
            served: 0,
            served_vehicles: 0,
            hourly: [HourArea::default(); 24],
        }
    }

    #[inline]
    fn touch_lane(&mut self, now: Time, g: usize) {
        let lane = &mut self.lanes[g];
        lane.busy_open.set(now, f64::from(lane.busy.min(lane.open)));
        lane.open_level.set(now, f64::from(lane.open));
        lane.overtime
            .set(now, f64::from(lane.busy.saturating_sub(lane.open)));
    }

    #[inline]
    fn touch_queue(&mut self, now: Time) {
        self.queue_len
            .set(now, (self.green.len() + self.ordinary.len()) as f64);
    }
}

impl Sim<'_> {
    /// The tags lane filters look at: a carrier has no class or declaration mode.
    fn tags(&self, unit: Unit) -> (Mode, Option<usize>, Option<usize>, bool) {
        match unit {
            Unit::Vehicle(v) => {
                let a = &self.vehicles[v as usize].attributes;
                (a.mode, Some(a.class), Some(a.declaration), a.green)
            }
            Unit::Carrier(c) => (
                Mode::CageTruck,
                None,
                None,
                self.carriers[c as usize].journey.green,
            ),
        }
    }

    fn accepts(&self, s: usize, g: usize, unit: Unit) -> bool {
        let lane = &self.stages[s].lanes[g];
        lane.serves.all || {
            let (mode, class, declaration, green) = self.tags(unit);
            lane.serves.accepts(mode, class, declaration, green)
        }
    }

    /// `unit` reaches stage `s`.
    pub(super) fn join(&mut self, now: Time, s: usize, unit: Unit) {
        let journey = self.journey_mut(unit);
        journey.queued_at = now;
        journey.resumed = false;
        let green = journey.green;
        if let Unit::Vehicle(v) = unit {
            self.vehicles[v as usize].place = super::Place::Stage;
        }
        self.note_visit(unit, s, |visit| visit.queued = now);
        let free = (0..self.stages[s].lanes.len()).find(|&g| {
            let lane = &self.stages[s].lanes[g];
            lane.busy < lane.open && self.accepts(s, g, unit)
        });
        match free {
            Some(g) => self.start(now, s, g, unit),
            None => {
                let st = &mut self.stages[s];
                if green {
                    st.green.push_back(unit);
                } else {
                    st.ordinary.push_back(unit);
                }
                st.touch_queue(now);
            }
        }
    }

    fn start(&mut self, now: Time, s: usize, g: usize, unit: Unit) {
        let journey = *self.journey(unit);
        if !journey.resumed {
            let wait = (now - journey.queued_at).minutes();
            if journey.measured {
                self.stages[s].wait.record(wait);
            }
            for i in 0..self.unit_len(unit) {
                let v = self.unit_vehicle(unit, i);
                let vehicle = &self.vehicles[v as usize];
                if vehicle.journey.measured {
                    self.rec.stage_wait(s, vehicle, wait);
                }
                self.replace_feeder(now, v);
            }
            self.note_visit(unit, s, |visit| {
                visit.start = Some(now);
                visit.lane = Some(g);
            });
        }
        let duration = *self.work_of(unit);
        let end = Time::from_minutes(now.minutes() + duration);
        self.journey_mut(unit).service_end = end;
        let st = &mut self.stages[s];
        let lane = &mut st.lanes[g];
        lane.busy += 1;
        if st.preempt {
            lane.in_service.push(unit);
        }
        st.touch_lane(now, g);
        let epoch = journey.epoch;
        self.events.schedule(
            end,
            Event::Done {
                stage: s as u16,
                lane: g as u16,
                unit: unit.pack(),
                epoch,
            },
        );
    }

    /// The first waiting unit lane group `g` of stage `s` may serve, removed from the queue.
    fn take_for(&mut self, s: usize, g: usize) -> Option<Unit> {
        if self.stages[s].simple {
            let st = &mut self.stages[s];
            return st.green.pop_front().or_else(|| st.ordinary.pop_front());
        }
        let pos = self.stages[s]
            .green
            .iter()
            .position(|&u| self.accepts(s, g, u));
        if let Some(i) = pos {
            return self.stages[s].green.remove(i);
        }
        let pos = self.stages[s]
            .ordinary
            .iter()
            .position(|&u| self.accepts(s, g, u));
        pos.and_then(|i| self.stages[s].ordinary.remove(i))
    }

    /// Starts waiting units while lane group `g` has idle open servers.
    fn fill(&mut self, now: Time, s: usize, g: usize) {
        let mut changed = false;
        while self.stages[s].lanes[g].busy < self.stages[s].lanes[g].open {
            let Some(unit) = self.take_for(s, g) else {
                break;
            };
            changed = true;
            self.start(now, s, g, unit);
        }
        if changed {
            self.stages[s].touch_queue(now);
        }
    }

    pub(super) fn finish_service(&mut self, now: Time, s: usize, g: usize, unit: Unit) {
        let n_vehicles = match unit {
            Unit::Vehicle(_) => 1,
            Unit::Carrier(c) => self.carriers[c as usize].aboard.len() as u64,
        };
        let st = &mut self.stages[s];
        let lane = &mut st.lanes[g];
        lane.busy -= 1;
        if st.preempt {
            let i = lane
                .in_service
                .iter()
                .position(|&u| u == unit)
                .expect("in service");
            lane.in_service.remove(i);
        }
        if now >= self.warmup_end {
            st.served += 1;
            st.served_vehicles += n_vehicles;
        }
        st.touch_lane(now, g);
        self.note_visit(unit, s, |visit| visit.end = Some(now));
        self.fill(now, s, g);
        self.route(now, unit);
    }

    pub(super) fn change_servers(&mut self, now: Time, s: usize, g: usize, segment: usize) {
        self.stages[s].lanes[g].roster_open = self.schedules[s][g].segments()[segment].1;
        self.apply_open(now, s, g);
        if let Some((at, next)) = self.schedules[s][g].next_change(now, segment) {
            self.events.schedule(
                at,
                Event::Servers {
                    stage: s as u16,
                    lane: g as u16,
                    segment: next as u32,
                },
            );
        }
    }

    /// Brings lane group `g` of stage `s` to the roster's opening (0 while the port is
    /// closed): interrupts services under `preempt`, starts waiting units if servers opened.
    pub(super) fn apply_open(&mut self, now: Time, s: usize, g: usize) {
        let open = if self.port_open {
            self.stages[s].lanes[g].roster_open
        } else {
            0
        };
        self.stages[s].lanes[g].open = open;
        if self.stages[s].preempt {
            // Interrupt the most recently started services first; they resume at the head of
            // their queue, earliest-started first, with their remaining time.
            while self.stages[s].lanes[g].busy > open {
                let lane = &mut self.stages[s].lanes[g];
                lane.busy -= 1;
                let unit = lane.in_service.pop().expect("busy servers have units");
                let journey = self.journey_mut(unit);
                journey.epoch = journey.epoch.wrapping_add(1);
                journey.resumed = true;
                let (remaining, green) = (
                    (journey.service_end - now).minutes().max(0.0),
                    journey.green,
                );
                *self.work_of(unit) = remaining;
                let st = &mut self.stages[s];
                if green {
                    st.green.push_front(unit);
                } else {
                    st.ordinary.push_front(unit);
                }
                st.touch_queue(now);
            }
        }
        self.stages[s].touch_lane(now, g);
        self.fill(now, s, g);
    }

    /// Closes the clock hour for stage statistics: adds the areas of the hour that ended at
    /// `now` to hour-of-day `h` if it was measured.
    pub(super) fn stage_hour(&mut self, now: Time, h: usize, measured: bool) -> Vec<HourArea> {
        let mut hour = Vec::with_capacity(self.stages.len());
        for st in &mut self.stages {
            let mut area = HourArea {
                queue: st.queue_len.take_area(now),
                ..HourArea::default()
            };
            for lane in &mut st.lanes {
                let busy = lane.busy_open.take_area(now);
                let open = lane.open_level.take_area(now);
                area.busy += busy;
                area.open += open;
                area.overtime += lane.overtime.take_area(now);
                if measured {
                    lane.busy_area += busy;
                    lane.open_area += open;
                }
            }
            if measured {
                let acc = &mut st.hourly[h];
                acc.queue += area.queue;
                acc.busy += area.busy;
                acc.open += area.open;
                acc.overtime += area.overtime;
            }
            hour.push(area);
        }
        hour
    }
}

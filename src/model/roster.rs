//! Staffing: the daily roster of shifts and the number of servers it opens at each stage.
//!
//! A [`Roster`] is a set of shifts in clock time that tile the 24 hours exactly (the scenario
//! layer checks this). Each shift puts some staff on each rostered stage; the stage opens
//! `min(servers, floor(staff / staff_per_server))` servers. For `handover` minutes after each
//! shift change the stage runs at the lower of the outgoing and incoming shifts' openings.
//! The result for one stage is a [`CapacitySchedule`]: a piecewise-constant number of open
//! servers over the day, repeated every day.

use super::Stage;
use crate::engine::{Duration, MINUTES_PER_DAY, MINUTES_PER_HOUR, Time};

/// What happens to a vehicle in service when its server closes at a shift change.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ShiftEndPolicy {
    /// The service is completed (the time past the closing is recorded as overtime); the
    /// server closes after it.
    #[default]
    Finish,
    /// The service is interrupted; the vehicle goes back to the head of the queue and later
    /// resumes with its remaining service time.
    Preempt,
}

/// One shift of the daily roster.
#[derive(Clone, Debug, PartialEq)]
pub struct Shift {
    /// The shift's name (`night`, `day`...).
    pub name: String,
    /// Clock time the shift starts, in `[0, 24h)`.
    pub start: Duration,
    /// Clock time the shift ends, in `(0, 24h]`; earlier than `start` if it runs past midnight.
    pub end: Duration,
    /// Staff on duty at each stage (indexed like the port's stages).
    pub staff: Vec<StageStaff>,
}

/// The staff a shift puts on one stage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StageStaff {
    /// Staff for the stage as a whole, opening its lane groups in order (those without a
    /// figure of their own), each up to its size.
    pub total: u32,
    /// Staff for particular lane groups (indexed like the stage's lanes).
    pub lanes: Vec<Option<u32>>,
}

impl Shift {
    /// Length of the shift.
    pub fn length(&self) -> Duration {
        let len = self.end.minutes() - self.start.minutes();
        Duration::from_minutes(if len > 0.0 {
            len
        } else {
            len + MINUTES_PER_DAY
        })
    }
}

/// The daily roster.
#[derive(Clone, Debug, PartialEq)]
pub struct Roster {
    /// Length of the reduced-capacity period after each shift change.
    pub handover: Duration,
    /// Shifts, tiling the day without gaps or overlaps.
    pub shifts: Vec<Shift>,
    /// Whether each stage is staffed by the roster at all; a stage no shift names keeps all its
    /// servers open around the clock.
    pub rostered: Vec<bool>,
}

impl Roster {
    /// Servers that shift `shift` opens in each lane group of stage number `index`.
    pub fn open_lanes(&self, shift: usize, index: usize, stage: &Stage) -> Vec<u32> {
        if !self.rostered[index] {
            return stage.lanes.iter().map(|l| l.servers).collect();
        }
        let spp = stage.staff_per_server.max(1);
        let staff = &self.shifts[shift].staff[index];
        let mut pool = staff.total;
        stage
            .lanes
            .iter()
            .enumerate()
            .map(|(g, lane)| match staff.lanes.get(g).copied().flatten() {
                Some(own) => (own / spp).min(lane.servers),
                None => {
                    let open = (pool / spp).min(lane.servers);
                    pool -= open * spp;
                    open
                }
            })
            .collect()
    }

    /// Servers that shift `shift` opens at stage number `index`, all lane groups together.
    pub fn open_servers(&self, shift: usize, index: usize, stage: &Stage) -> u32 {
        self.open_lanes(shift, index, stage).iter().sum()
    }

    /// The capacity schedule of each lane group of stage number `index`.
    pub fn schedules(&self, index: usize, stage: &Stage) -> Vec<CapacitySchedule> {
        if !self.rostered[index] {
            return stage
                .lanes
                .iter()
                .map(|l| CapacitySchedule::constant(l.servers))
                .collect();
        }
        let by_shift: Vec<Vec<u32>> = (0..self.shifts.len())
            .map(|k| self.open_lanes(k, index, stage))
            .collect();
        (0..stage.lanes.len())
            .map(|g| self.schedule(|k| by_shift[k][g]))
            .collect()
    }

    /// The daily schedule of a server pool that shift `k` opens `open(k)` of.
    fn schedule(&self, open: impl Fn(usize) -> u32) -> CapacitySchedule {
        let mut points: Vec<(f64, u32)> = Vec::with_capacity(self.shifts.len() * 2);
        for (i, shift) in self.shifts.iter().enumerate() {
            let start = shift.start.minutes();
            let before = self.shift_ending_at(shift.start).map_or(open(i), &open);
            if self.handover > Duration::ZERO && before != open(i) {
                points.push((start, before.min(open(i))));
                points.push(((start + self.handover.minutes()) % MINUTES_PER_DAY, open(i)));
            } else {
                points.push((start, open(i)));
            }
        }
        CapacitySchedule::from_points(points)
    }

    /// The shift that ends at clock time `t`, if any.
    fn shift_ending_at(&self, t: Duration) -> Option<usize> {
        let t = t.minutes();
        self.shifts.iter().position(|s| {
            let end = s.end.minutes() % MINUTES_PER_DAY;
            end == t
        })
    }
}

/// How many servers a stage has open at each time of day, the same every day.
#[derive(Clone, Debug, PartialEq)]
pub struct CapacitySchedule {
    /// `(start as minutes after midnight, open servers)`, sorted, first start 0, adjacent
    /// values distinct.
    segments: Vec<(f64, u32)>,
}

impl CapacitySchedule {
    /// All `servers` open around the clock.
    pub fn constant(servers: u32) -> CapacitySchedule {
        CapacitySchedule {
            segments: vec![(0.0, servers)],
        }
    }

    /// From change points `(minutes after midnight, servers from then on)`, in any order, each
    /// value holding until the next point (wrapping past midnight).
    pub fn from_points(mut points: Vec<(f64, u32)>) -> CapacitySchedule {
        assert!(
            !points.is_empty(),
            "a capacity schedule needs at least one point"
        );
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        if points[0].0 > 0.0 {
            let wrap = points.last().expect("non-empty").1;
            points.insert(0, (0.0, wrap));
        }
        let mut segments: Vec<(f64, u32)> = Vec::with_capacity(points.len());
        for (start, servers) in points {
            match segments.last_mut() {
                Some(last) if last.0 == start => last.1 = servers,
                Some(last) if last.1 == servers => {}
                _ => segments.push((start, servers)),
            }
        }
        CapacitySchedule { segments }
    }

    /// Segments `(start minutes after midnight, servers)`.
    pub fn segments(&self) -> &[(f64, u32)] {
        &self.segments
    }

    /// Open servers at time of day `tod`.
    pub fn servers_at(&self, tod: Duration) -> u32 {
        let i = self.segments.partition_point(|s| s.0 <= tod.minutes());
        self.segments[i.saturating_sub(1)].1
    }

    /// Segment index in force at time of day `tod`.
    pub fn segment_at(&self, tod: Duration) -> usize {
        self.segments
            .partition_point(|s| s.0 <= tod.minutes())
            .saturating_sub(1)
    }

    /// When segment `index` after the one in force at `now` next begins, and that segment's
    /// index; `None` if the schedule never changes.
    pub fn next_change(&self, now: Time, index: usize) -> Option<(Time, usize)> {
        if self.segments.len() < 2 {
            return None;
        }
        let next = (index + 1) % self.segments.len();
        let day = if next == 0 { now.day() + 1 } else { now.day() };
        Some((
            Time::at(day, Duration::from_minutes(self.segments[next].0)),
            next,
        ))
    }

    /// Server-minutes open in a day.
    pub fn server_minutes_per_day(&self) -> f64 {
        self.overlap(0.0, MINUTES_PER_DAY)
    }

    /// Mean open servers during clock hour `hour` (0–23).
    pub fn mean_servers_in_hour(&self, hour: usize) -> f64 {
        let start = hour as f64 * MINUTES_PER_HOUR;
        self.overlap(start, start + MINUTES_PER_HOUR) / MINUTES_PER_HOUR
    }

    /// Server-minutes between two times of day `a < b` (within one day).
    fn overlap(&self, a: f64, b: f64) -> f64 {
        let mut total = 0.0;
        for (i, &(start, servers)) in self.segments.iter().enumerate() {
            let end = self.segments.get(i + 1).map_or(MINUTES_PER_DAY, |s| s.0);
            let lo = start.max(a);
            let hi = end.min(b);
            if hi > lo {
                total += (hi - lo) * f64::from(servers);
            }
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dist::{Dist, DistSpec};
    use crate::model::{CarrierService, Filter, LaneGroup};

    fn hm(h: f64) -> Duration {
        Duration::from_hours(h)
    }

    fn stage(lanes: &[u32], staff_per_server: u32) -> Stage {
        let service = Dist::new(DistSpec::Exponential { mean: 1.0 }).unwrap();
        Stage {
            name: "s".into(),
            servers: lanes.iter().sum(),
            staff_per_server,
            service: service.clone(),
            carrier_service: CarrierService {
                base: service,
                per_vehicle: None,
            },
            refer: None,
            referral_only: false,
            at_shift_end: ShiftEndPolicy::Finish,
            lanes: lanes
                .iter()
                .enumerate()
                .map(|(i, &n)| LaneGroup {
                    name: format!("g{i}"),
                    servers: n,
                    serves: Filter::all(),
                })
                .collect(),
        }
    }

    fn roster(handover_min: f64, shifts: &[(f64, f64, StageStaff)]) -> Roster {
        Roster {
            handover: Duration::from_minutes(handover_min),
            shifts: shifts
                .iter()
                .enumerate()
                .map(|(i, (s, e, staff))| Shift {
                    name: format!("s{i}"),
                    start: hm(*s),
                    end: hm(*e),
                    staff: vec![staff.clone()],
                })
                .collect(),
            rostered: vec![true],
        }
    }

    fn total(n: u32) -> StageStaff {
        StageStaff {
            total: n,
            lanes: vec![],
        }
    }

    #[test]
    fn three_shifts_with_handover() {
        // 2 staff per server: night 4 staff -> 2 servers, day 12 -> 6 (capped at 5), evening 6 -> 3
        let r = roster(
            15.0,
            &[
                (0.0, 8.0, total(4)),
                (8.0, 16.0, total(12)),
                (16.0, 24.0, total(6)),
            ],
        );
        let s = &r.schedules(0, &stage(&[5], 2))[0];
        assert_eq!(s.segments(), &[(0.0, 2), (495.0, 5), (960.0, 3)]);
        assert_eq!(s.servers_at(hm(3.0)), 2);
        assert_eq!(s.servers_at(hm(8.1)), 2); // handover: min(2, 5)
        assert_eq!(s.servers_at(hm(8.25)), 5);
        assert_eq!(s.servers_at(hm(16.0)), 3); // handover: min(5, 3) = 3 = evening's own
        assert_eq!(
            s.server_minutes_per_day(),
            2.0 * 495.0 + 5.0 * 465.0 + 3.0 * 480.0
        );
        assert_eq!(s.mean_servers_in_hour(8), (2.0 * 15.0 + 5.0 * 45.0) / 60.0);
    }

    #[test]
    fn stage_staff_fills_lane_groups_in_order_and_lane_staff_is_exact() {
        // Lanes: 6 self-drive, 2 carrier; 1 officer per lane.
        let st = stage(&[6, 2], 1);
        let r = roster(0.0, &[(0.0, 24.0, total(7))]);
        assert_eq!(r.open_lanes(0, 0, &st), vec![6, 1]);
        let r = roster(
            0.0,
            &[(
                0.0,
                24.0,
                StageStaff {
                    total: 3,
                    lanes: vec![None, Some(2)],
                },
            )],
        );
        assert_eq!(r.open_lanes(0, 0, &st), vec![3, 2]);
        assert_eq!(r.open_servers(0, 0, &st), 5);
    }

    #[test]
    fn shift_over_midnight() {
        let r = roster(0.0, &[(22.0, 6.0, total(1)), (6.0, 22.0, total(3))]);
        let s = &r.schedules(0, &stage(&[10], 1))[0];
        assert_eq!(s.segments(), &[(0.0, 1), (360.0, 3), (1320.0, 1)]);
        let t = Time::at(4, hm(23.0));
        let seg = s.segment_at(t.time_of_day());
        assert_eq!(seg, 2);
        // the wrap-around at midnight is a change point too (to the same value)
        assert_eq!(s.next_change(t, seg), Some((Time::at(5, hm(0.0)), 0)));
        assert_eq!(
            s.next_change(Time::at(5, hm(0.0)), 0),
            Some((Time::at(5, hm(6.0)), 1))
        );
    }

    #[test]
    fn unrostered_stage_is_always_open() {
        let mut r = roster(15.0, &[(0.0, 24.0, total(0))]);
        r.rostered[0] = false;
        assert_eq!(
            r.schedules(0, &stage(&[4], 1)),
            vec![CapacitySchedule::constant(4)]
        );
        assert_eq!(
            CapacitySchedule::constant(4).next_change(Time::ZERO, 0),
            None
        );
    }
}

//! Arrival processes: Poisson streams whose rate is constant or follows the clock and calendar,
//! scheduled convoys, and replayed traces; and the mix of vehicle attributes each stream brings.
//!
//! A [`RateProfile`] is a piecewise-constant rate: one value for each clock hour, multiplied
//! by a factor for each day of the week. Arrival instants are generated **exactly** for this
//! non-homogeneous Poisson process by inverting its cumulative rate: draw E ~ Exp(1) and walk
//! forward hour by hour until the integrated rate reaches E. (Equivalent in law to thinning,
//! with one random number per arrival and no rejected candidates.)

use rand::{Rng, RngExt};
use rand_distr::{Distribution, Exp1};

use super::Mode;
use crate::engine::{Duration, MINUTES_PER_HOUR, Time};

/// An arrival stream: a name (which also names its random streams), when vehicles come, and
/// what kind of vehicles they are.
#[derive(Clone, Debug)]
pub struct ArrivalStream {
    /// The stream's name, unique within a port.
    pub name: String,
    /// When vehicles arrive.
    pub kind: ArrivalKind,
    /// Class, loading mode, declaration mode and green-channel shares of its vehicles.
    pub mix: Mix,
}

/// The three shapes of arrivals.
// One per stream, built once and never moved in the event loop: size does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug)]
pub enum ArrivalKind {
    /// A (non-homogeneous) Poisson process.
    Poisson(RateProfile),
    /// A scheduled batch at a fixed clock time on some days.
    Convoy(Convoy),
    /// Arrivals replayed from a file, in time order.
    Trace(Vec<TraceRecord>),
}

/// A scheduled batch of vehicles (one forwarder's convoy).
#[derive(Clone, Debug, PartialEq)]
pub struct Convoy {
    /// Vehicles in the batch (before growth).
    pub vehicles: u32,
    /// Clock time the first vehicle arrives.
    pub at: Duration,
    /// Time between consecutive vehicles of the batch (zero: all at once).
    pub spacing: Duration,
    /// Days on which it comes.
    pub days: DaySet,
    /// Compound growth of the batch size a year (0.5 = +50 % a year).
    pub growth_per_year: f64,
}

/// A set of days.
#[derive(Clone, Debug, PartialEq)]
pub enum DaySet {
    /// Every day, warm-up included.
    Every,
    /// The listed measured days (1 = the first measured day).
    Measured(Vec<u32>),
    /// The listed weekdays, Monday first.
    Weekdays([bool; 7]),
}

impl DaySet {
    /// Whether simulated day `day` is in the set.
    pub fn contains(&self, day: u32, warmup_days: u32, weekday_of_day0: usize) -> bool {
        match self {
            DaySet::Every => true,
            DaySet::Measured(days) => day >= warmup_days && days.contains(&(day - warmup_days + 1)),
            DaySet::Weekdays(w) => w[(day as usize + weekday_of_day0) % 7],
        }
    }
}

/// One replayed arrival. Attributes left out are drawn from the stream's mix.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceRecord {
    /// Arrival instant.
    pub at: Time,
    /// Class index.
    pub class: Option<usize>,
    /// Loading mode.
    pub mode: Option<Mode>,
    /// Declaration-mode index.
    pub declaration: Option<usize>,
    /// Green channel or not.
    pub green: Option<bool>,
}

/// The attributes of a stream's vehicles, as probabilities.
#[derive(Clone, Debug, PartialEq)]
pub struct Mix {
    /// Relative weight of each class (indexed like the port's classes).
    pub class: Vec<f64>,
    /// Probability that a vehicle of each class drives itself (1 for classes that may not go on
    /// a cage truck).
    pub self_driving: Vec<f64>,
    /// Relative weight of each declaration mode.
    pub declaration: Vec<f64>,
    /// Probability that a vehicle of each class is green-channel.
    pub green: Vec<f64>,
}

/// Attributes drawn for one vehicle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attributes {
    /// Class index.
    pub class: usize,
    /// Loading mode.
    pub mode: Mode,
    /// Declaration-mode index.
    pub declaration: usize,
    /// Green channel.
    pub green: bool,
}

impl Mix {
    /// Draws a vehicle's attributes: always four uniform numbers, in a fixed order, so that the
    /// stream stays in step whatever the shares are.
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> Attributes {
        self.draw_for(rng, None)
    }

    /// Draws the attributes of a vehicle whose class may be known already (a replayed
    /// record): the mode and green shares are then those of that class.
    pub fn draw_for<R: Rng + ?Sized>(&self, rng: &mut R, class: Option<usize>) -> Attributes {
        let (u_class, u_mode, u_decl, u_green): (f64, f64, f64, f64) =
            (rng.random(), rng.random(), rng.random(), rng.random());
        let class = class.unwrap_or_else(|| pick(&self.class, u_class));
        Attributes {
            class,
            mode: if u_mode < self.self_driving[class] {
                Mode::SelfDriving
            } else {
                Mode::CageTruck
            },
            declaration: pick(&self.declaration, u_decl),
            green: u_green < self.green[class],
        }
    }

    /// Fills a replayed record's missing attributes from the mix (drawing all four numbers).
    /// A record that gives its mode but not its class gets a class drawn from the mix given
    /// that mode (a `cage_truck` line never gets a class that may not ride a carrier).
    pub fn complete<R: Rng + ?Sized>(&self, record: &TraceRecord, rng: &mut R) -> Attributes {
        let class = match (record.class, record.mode) {
            (Some(c), _) => Some(c),
            (None, Some(mode)) => {
                let u: f64 = rng.random();
                Some(pick(&self.class_weights_given(mode), u))
            }
            (None, None) => None,
        };
        let drawn = self.draw_for(rng, class);
        Attributes {
            class: drawn.class,
            mode: record.mode.unwrap_or(drawn.mode),
            declaration: record.declaration.unwrap_or(drawn.declaration),
            green: record.green.unwrap_or(drawn.green),
        }
    }

    /// Class weights among vehicles of `mode`: w_c × P(mode | c).
    pub fn class_weights_given(&self, mode: Mode) -> Vec<f64> {
        self.class
            .iter()
            .zip(&self.self_driving)
            .map(|(w, sd)| {
                w * if mode == Mode::SelfDriving {
                    *sd
                } else {
                    1.0 - sd
                }
            })
            .collect()
    }

    /// The attributes every vehicle gets when nothing is left to chance (one class, one
    /// declaration mode, shares of 0 or 1): then no random number needs drawing.
    pub fn fixed(&self) -> Option<Attributes> {
        let only = |w: &[f64]| {
            let mut nonzero = w.iter().enumerate().filter(|(_, x)| **x > 0.0);
            match (nonzero.next(), nonzero.next()) {
                (Some((i, _)), None) => Some(i),
                _ => None,
            }
        };
        let class = only(&self.class)?;
        let certain = |p: f64| (p == 0.0 || p == 1.0).then_some(p == 1.0);
        Some(Attributes {
            class,
            mode: if certain(self.self_driving[class])? {
                Mode::SelfDriving
            } else {
                Mode::CageTruck
            },
            declaration: only(&self.declaration)?,
            green: certain(self.green[class])?,
        })
    }
}

/// Index `i` with probability `weights[i] / Σ weights`, by inverting the cumulative sum at
/// `u ∈ [0, 1)`.
fn pick(weights: &[f64], u: f64) -> usize {
    if weights.len() == 1 {
        return 0;
    }
    let total: f64 = weights.iter().sum();
    let mut target = u * total;
    for (i, &w) in weights.iter().enumerate() {
        if target < w {
            return i;
        }
        target -= w;
    }
    weights.iter().rposition(|&w| w > 0.0).unwrap_or(0)
}

/// The compound growth factor on simulated day `day`: (1 + g)^(day / 365).
pub fn growth_factor(growth_per_year: f64, day: u32) -> f64 {
    if growth_per_year == 0.0 {
        1.0
    } else {
        (1.0 + growth_per_year).powf(f64::from(day) / 365.0)
    }
}

impl ArrivalStream {
    /// Expected arrivals in each clock hour of a day, averaged over the measured days (growth
    /// included). Sums to [`ArrivalStream::mean_per_day`].
    pub fn mean_by_hour(&self, warmup_days: u32, days: u32) -> [f64; 24] {
        let per_day = self.mean_per_day(warmup_days, days);
        let mut shape = [0.0; 24];
        match &self.kind {
            ArrivalKind::Poisson(rate) => shape = rate.per_hour,
            ArrivalKind::Convoy(c) => {
                // Spread the batch over the hours its vehicles arrive in.
                for i in 0..c.vehicles {
                    let t = c.at.minutes() + f64::from(i) * c.spacing.minutes();
                    shape[((t / MINUTES_PER_HOUR) as usize) % 24] += 1.0;
                }
            }
            ArrivalKind::Trace(records) => {
                let (start, end) = (
                    Time::start_of_day(warmup_days),
                    Time::start_of_day(warmup_days + days.max(1)),
                );
                for r in records.iter().filter(|r| r.at >= start && r.at < end) {
                    shape[r.at.hour_of_day()] += 1.0;
                }
            }
        }
        let total: f64 = shape.iter().sum();
        if total > 0.0 {
            shape.map(|x| per_day * x / total)
        } else {
            shape
        }
    }

    /// Expected arrivals a day over the measured days of `run` (growth included).
    pub fn mean_per_day(&self, warmup_days: u32, days: u32) -> f64 {
        let days = days.max(1);
        let measured = warmup_days..warmup_days + days;
        match &self.kind {
            ArrivalKind::Poisson(rate) => {
                let growth: f64 = measured
                    .map(|d| growth_factor(rate.growth_per_year, d))
                    .sum::<f64>();
                rate.mean_per_day() * growth / f64::from(days)
            }
            ArrivalKind::Convoy(c) => {
                // Share of day `d` on which the convoy comes: weekdays are averaged over the
                // week, since the weekday of a simulated day depends on the run's calendar.
                let share = |d: u32| match &c.days {
                    DaySet::Weekdays(w) => w.iter().filter(|&&on| on).count() as f64 / 7.0,
                    set => f64::from(u8::from(set.contains(d, warmup_days, 0))),
                };
                let total: f64 = measured
                    .map(|d| {
                        share(d)
                            * (f64::from(c.vehicles) * growth_factor(c.growth_per_year, d)).round()
                    })
                    .sum();
                total / f64::from(days)
            }
            ArrivalKind::Trace(records) => {
                let start = Time::start_of_day(warmup_days);
                let end = Time::start_of_day(warmup_days + days);
                records
                    .iter()
                    .filter(|r| r.at >= start && r.at < end)
                    .count() as f64
                    / f64::from(days)
            }
        }
    }
}

/// A Poisson arrival rate that depends on the hour of the day and the day of the week.
#[derive(Clone, Debug, PartialEq)]
pub struct RateProfile {
    /// Expected arrivals in each clock hour (00–01, …, 23–24) on a day with factor 1.
    per_hour: [f64; 24],
    /// Multiplier for each day of the week, Monday first.
    weekday: [f64; 7],
    /// Compound growth of the rate a year (0.5 = +50 % a year), applied day by day.
    pub growth_per_year: f64,
    /// Whether the rate never changes (a fast path, same law).
    constant: bool,
}

impl RateProfile {
    /// A constant rate of `per_minute` arrivals a minute, around the clock, every day.
    pub fn constant(per_minute: f64) -> RateProfile {
        RateProfile {
            per_hour: [per_minute * MINUTES_PER_HOUR; 24],
            weekday: [1.0; 7],
            growth_per_year: 0.0,
            constant: true,
        }
    }

    /// `per_day` arrivals on an average day, spread over the clock hours in proportion to
    /// `hourly_weights` (evenly if `None`), scaled on each day of the week by `weekday_factors`
    /// (Monday first; all 1 if `None`).
    ///
    /// The weights must be non-negative with a positive sum, and the factors non-negative with
    /// a positive sum; the scenario layer checks this before calling.
    pub fn daily(
        per_day: f64,
        hourly_weights: Option<&[f64; 24]>,
        weekday_factors: Option<&[f64; 7]>,
    ) -> RateProfile {
        let per_hour = match hourly_weights {
            None => [per_day / 24.0; 24],
            Some(w) => {
                let total: f64 = w.iter().sum();
                w.map(|x| per_day * x / total)
            }
        };
        RateProfile::from_parts(per_hour, weekday_factors.copied().unwrap_or([1.0; 7]))
    }

    /// A constant rate of `per_minute` that is scaled on each day of the week.
    pub fn constant_with_weekdays(per_minute: f64, weekday_factors: &[f64; 7]) -> RateProfile {
        RateProfile::from_parts([per_minute * MINUTES_PER_HOUR; 24], *weekday_factors)
    }

    fn from_parts(per_hour: [f64; 24], weekday: [f64; 7]) -> RateProfile {
        let constant =
            per_hour.iter().all(|&x| x == per_hour[0]) && weekday.iter().all(|&x| x == 1.0);
        RateProfile {
            per_hour,
            weekday,
            growth_per_year: 0.0,
            constant,
        }
    }

    /// The same profile growing by `growth_per_year` (compound) from simulated day 0.
    pub fn with_growth(mut self, growth_per_year: f64) -> RateProfile {
        self.growth_per_year = growth_per_year;
        self.constant &= growth_per_year == 0.0;
        self
    }

    /// Expected arrivals a day, averaged over the week, before growth.
    pub fn mean_per_day(&self) -> f64 {
        let day: f64 = self.per_hour.iter().sum();
        day * self.weekday.iter().sum::<f64>() / 7.0
    }

    /// The arrival rate, per minute, at `t`, given the weekday of simulated day 0
    /// (0 = Monday).
    pub fn per_minute_at(&self, t: Time, weekday_of_day0: usize) -> f64 {
        let weekday = (t.day() as usize + weekday_of_day0) % 7;
        self.per_hour[t.hour_of_day()] / MINUTES_PER_HOUR
            * self.weekday[weekday]
            * growth_factor(self.growth_per_year, t.day())
    }

    /// The first arrival after `t`, or `None` if the rate is zero from `t` on.
    pub fn next_arrival<R: Rng + ?Sized>(
        &self,
        t: Time,
        weekday_of_day0: usize,
        rng: &mut R,
    ) -> Option<Time> {
        let e: f64 = Exp1.sample(rng);
        if self.constant {
            let rate = self.per_hour[0] / MINUTES_PER_HOUR;
            return (rate > 0.0).then(|| t + Duration::from_minutes(e / rate));
        }
        // Walk the piecewise-constant rate hour by hour, consuming `remaining` unit-rate time.
        let mut remaining = e;
        let mut now = t;
        let mut hour = t.hour_index();
        let mut empty_hours = 0;
        loop {
            let rate = self.per_minute_at(now, weekday_of_day0);
            let hour_end = Time::start_of_hour(hour + 1);
            let span = (hour_end - now).minutes();
            if rate > 0.0 {
                empty_hours = 0;
                if remaining <= rate * span {
                    return Some(now + Duration::from_minutes(remaining / rate));
                }
                remaining -= rate * span;
            } else {
                empty_hours += 1;
                if empty_hours > 7 * 24 {
                    return None; // a whole week without demand: none will ever come
                }
            }
            now = hour_end;
            hour += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Streams;

    fn arrivals(profile: &RateProfile, days: u32) -> Vec<Time> {
        let mut rng = Streams::new(9).stream("arrivals/test");
        let end = Time::start_of_day(days);
        let mut out = Vec::new();
        let mut t = Time::ZERO;
        while let Some(next) = profile.next_arrival(t, 0, &mut rng) {
            if next >= end {
                break;
            }
            out.push(next);
            t = next;
        }
        out
    }

    #[test]
    fn hourly_counts_follow_the_profile() {
        let mut weights = [0.0; 24];
        weights[8] = 3.0; // 08:00-09:00 gets three times 14:00-15:00, nothing else
        weights[14] = 1.0;
        let p = RateProfile::daily(400.0, Some(&weights), None);
        let days = 200;
        let times = arrivals(&p, days);
        let mut by_hour = [0u32; 24];
        for t in &times {
            by_hour[t.hour_of_day()] += 1;
        }
        // Poisson counts: mean 300/day and 100/day; 5 standard deviations of the total.
        let (n8, n14) = (f64::from(by_hour[8]), f64::from(by_hour[14]));
        let (e8, e14) = (300.0 * f64::from(days), 100.0 * f64::from(days));
        assert!((n8 - e8).abs() < 5.0 * e8.sqrt(), "{n8} vs {e8}");
        assert!((n14 - e14).abs() < 5.0 * e14.sqrt(), "{n14} vs {e14}");
        assert_eq!(
            by_hour.iter().sum::<u32>(),
            by_hour[8] + by_hour[14],
            "arrivals outside open hours"
        );
    }

    #[test]
    fn weekday_factors_scale_days() {
        let factors = [1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.0];
        let p = RateProfile::daily(1000.0, None, Some(&factors));
        let times = arrivals(&p, 7 * 30);
        let mut by_weekday = [0u32; 7];
        for t in &times {
            by_weekday[t.day() as usize % 7] += 1;
        }
        assert_eq!(by_weekday[6], 0);
        let sat = f64::from(by_weekday[5]);
        assert!((sat - 15_000.0).abs() < 5.0 * 15_000f64.sqrt(), "{sat}");
        assert!((p.mean_per_day() - 1000.0 * 5.5 / 7.0).abs() < 1e-9);
    }

    #[test]
    fn constant_rate_interarrivals_have_the_right_mean() {
        let p = RateProfile::constant(0.5);
        let times = arrivals(&p, 100);
        let n = times.len() as f64;
        let expected = 0.5 * 1440.0 * 100.0;
        assert!((n - expected).abs() < 5.0 * expected.sqrt());
    }

    #[test]
    fn growth_compounds_by_day() {
        // +381 % a year: the rate on day 365 is 4.81 times day 0's.
        let p = RateProfile::constant(1.0).with_growth(3.81);
        let r0 = p.per_minute_at(Time::start_of_day(0), 0);
        let r365 = p.per_minute_at(Time::start_of_day(365), 0);
        assert!((r365 / r0 - 4.81).abs() < 1e-12);
        assert!((growth_factor(3.81, 73) - 4.81f64.powf(0.2)).abs() < 1e-12);
    }

    #[test]
    fn mix_draws_follow_their_shares() {
        let mix = Mix {
            class: vec![0.6, 0.4],
            self_driving: vec![0.5, 1.0],
            declaration: vec![0.2, 0.8],
            green: vec![0.0, 0.5],
        };
        let mut rng = Streams::new(4).stream("mix");
        let n = 100_000;
        let (mut class1, mut cage, mut decl1, mut green) = (0, 0, 0, 0);
        for _ in 0..n {
            let a = mix.draw(&mut rng);
            class1 += usize::from(a.class == 1);
            cage += usize::from(a.mode == Mode::CageTruck);
            decl1 += usize::from(a.declaration == 1);
            green += usize::from(a.green);
            assert!(a.class == 1 || !a.green, "class 0 is never green");
            assert!(
                a.class == 0 || a.mode == Mode::SelfDriving,
                "class 1 always drives itself"
            );
        }
        let near = |count: usize, p: f64| {
            let sd = (f64::from(n) * p * (1.0 - p)).sqrt();
            (count as f64 - f64::from(n) * p).abs() < 5.0 * sd
        };
        assert!(near(class1, 0.4) && near(cage, 0.3) && near(decl1, 0.8) && near(green, 0.2));
    }

    #[test]
    fn zero_rate_stops() {
        let p = RateProfile::daily(0.0, None, None);
        let mut rng = Streams::new(1).stream("x");
        assert_eq!(p.next_arrival(Time::ZERO, 0, &mut rng), None);
    }
}

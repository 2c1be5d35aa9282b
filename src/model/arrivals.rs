//! Arrival processes: Poisson streams whose rate is constant or follows the clock and calendar.
//!
//! A [`RateProfile`] is a piecewise-constant rate: one value for each clock hour, multiplied
//! by a factor for each day of the week. Arrival instants are generated **exactly** for this
//! non-homogeneous Poisson process by inverting its cumulative rate: draw E ~ Exp(1) and walk
//! forward hour by hour until the integrated rate reaches E. (Equivalent in law to thinning,
//! with one random number per arrival and no rejected candidates.)

use rand::Rng;
use rand_distr::{Distribution, Exp1};

use crate::engine::{Duration, MINUTES_PER_HOUR, Time};

/// An arrival stream: a name (which also names its random stream) and its rate.
#[derive(Clone, Debug)]
pub struct ArrivalStream {
    /// The stream's name, unique within a port.
    pub name: String,
    /// When vehicles arrive.
    pub rate: RateProfile,
}

/// A Poisson arrival rate that depends on the hour of the day and the day of the week.
#[derive(Clone, Debug, PartialEq)]
pub struct RateProfile {
    /// Expected arrivals in each clock hour (00–01, …, 23–24) on a day with factor 1.
    per_hour: [f64; 24],
    /// Multiplier for each day of the week, Monday first.
    weekday: [f64; 7],
    /// Whether the rate never changes (a fast path, same law).
    constant: bool,
}

impl RateProfile {
    /// A constant rate of `per_minute` arrivals a minute, around the clock, every day.
    pub fn constant(per_minute: f64) -> RateProfile {
        RateProfile {
            per_hour: [per_minute * MINUTES_PER_HOUR; 24],
            weekday: [1.0; 7],
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
            constant,
        }
    }

    /// Expected arrivals a day, averaged over the week.
    pub fn mean_per_day(&self) -> f64 {
        let day: f64 = self.per_hour.iter().sum();
        day * self.weekday.iter().sum::<f64>() / 7.0
    }

    /// The arrival rate, per minute, at `t`, given the weekday of simulated day 0
    /// (0 = Monday).
    pub fn per_minute_at(&self, t: Time, weekday_of_day0: usize) -> f64 {
        let weekday = (t.day() as usize + weekday_of_day0) % 7;
        self.per_hour[t.hour_of_day()] / MINUTES_PER_HOUR * self.weekday[weekday]
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
    fn zero_rate_stops() {
        let p = RateProfile::daily(0.0, None, None);
        let mut rng = Streams::new(1).stream("x");
        assert_eq!(p.next_arrival(Time::ZERO, 0, &mut rng), None);
    }
}

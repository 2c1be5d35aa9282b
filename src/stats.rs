//! Statistics collectors: observation tallies with percentiles, and time-weighted levels.
//!
//! Memory does not grow with the run length: a [`Tally`] keeps an exact count, sum and maximum
//! plus a log-linear histogram (HdrHistogram, 3 significant digits, so any percentile is within
//! 0.1 % of the true order statistic); a [`Level`] keeps only the area under a step function.
//! Nothing here knows about ports or formats anything.

use hdrhistogram::Histogram;

use crate::engine::Time;

/// Histogram resolution: values are recorded in microseconds of simulated time.
const TICKS_PER_MINUTE: f64 = 60_000_000.0;
/// Largest value the histogram tracks: 2^52 µs, about 142 years (larger values are clamped,
/// which only their percentiles would notice; the maximum and mean stay exact).
const HIGHEST_TICK: u64 = 1 << 52;

/// Observations of a non-negative quantity in minutes (a waiting or clearance time).
#[derive(Clone, Debug)]
pub struct Tally {
    count: u64,
    sum: f64,
    max: f64,
    histogram: Histogram<u64>,
}

impl Default for Tally {
    fn default() -> Self {
        Tally::new()
    }
}

impl Tally {
    /// An empty tally.
    pub fn new() -> Tally {
        Tally {
            count: 0,
            sum: 0.0,
            max: 0.0,
            // Fixed bounds: hdrhistogram 7.6's auto-resizing loses values.
            histogram: Histogram::new_with_bounds(1, HIGHEST_TICK, 3)
                .expect("valid bounds and precision"),
        }
    }

    /// Adds one observation, in minutes.
    #[inline]
    pub fn record(&mut self, minutes: f64) {
        debug_assert!(minutes >= -1e-9, "negative observation {minutes}");
        let minutes = minutes.max(0.0);
        self.count += 1;
        self.sum += minutes;
        if minutes > self.max {
            self.max = minutes;
        }
        self.histogram
            .saturating_record((minutes * TICKS_PER_MINUTE).round() as u64);
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Exact mean (0 when empty).
    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum / self.count as f64
        }
    }

    /// Exact maximum (0 when empty).
    pub fn max(&self) -> f64 {
        self.max
    }

    /// The `q`-quantile (0 ≤ q ≤ 1) within 0.1 %, never above the maximum (0 when empty).
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let v = self.histogram.value_at_quantile(q) as f64 / TICKS_PER_MINUTE;
        v.min(self.max)
    }

    /// The usual summary: count, mean, p50, p90, p95, p99, max.
    pub fn summary(&self) -> Summary {
        Summary {
            count: self.count,
            mean: self.mean(),
            p50: self.quantile(0.50),
            p90: self.quantile(0.90),
            p95: self.quantile(0.95),
            p99: self.quantile(0.99),
            max: self.max,
        }
    }
}

/// A distribution of durations in minutes, reduced to the figures planners read.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Summary {
    /// Number of observations.
    pub count: u64,
    /// Mean.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Maximum.
    pub max: f64,
}

/// A quantity that changes in steps over time (queue length, busy servers): accumulates the
/// area under it so that its time average can be read off any interval.
#[derive(Clone, Copy, Debug)]
pub struct Level {
    value: f64,
    since: Time,
    area: f64,
}

impl Level {
    /// A level of `value` from `now` on.
    pub fn new(now: Time, value: f64) -> Level {
        Level {
            value,
            since: now,
            area: 0.0,
        }
    }

    /// The current value.
    #[inline]
    pub fn value(&self) -> f64 {
        self.value
    }

    /// Changes the value at `now`.
    #[inline]
    pub fn set(&mut self, now: Time, value: f64) {
        self.area += self.value * (now - self.since).minutes();
        self.since = now;
        self.value = value;
    }

    /// The area (value × minutes) accumulated since the last call, up to `now`; starts afresh.
    #[inline]
    pub fn take_area(&mut self, now: Time) -> f64 {
        self.set(now, self.value);
        std::mem::take(&mut self.area)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_uniform_grid_are_within_a_tenth_of_a_percent() {
        let mut t = Tally::new();
        for i in 1..=100_000 {
            t.record(f64::from(i) / 100.0); // 0.01 .. 1000 minutes
        }
        assert_eq!(t.count(), 100_000);
        assert!((t.mean() - 500.005).abs() < 1e-9);
        assert_eq!(t.max(), 1000.0);
        for (q, exact) in [
            (0.5, 500.0),
            (0.9, 900.0),
            (0.95, 950.0),
            (0.99, 990.0),
            (0.001, 1.0),
        ] {
            let got = t.quantile(q);
            assert!(
                (got - exact).abs() <= 0.001 * exact,
                "q{q}: {got} vs {exact}"
            );
        }
    }

    #[test]
    fn empty_tally_is_zero() {
        let s = Tally::new().summary();
        assert_eq!(s, Summary::default());
    }

    #[test]
    fn level_integrates_steps() {
        let mut l = Level::new(Time::ZERO, 2.0);
        l.set(Time::from_minutes(10.0), 5.0);
        assert_eq!(
            l.take_area(Time::from_minutes(12.0)),
            2.0 * 10.0 + 5.0 * 2.0
        );
        assert_eq!(l.take_area(Time::from_minutes(13.0)), 5.0);
        assert_eq!(l.value(), 5.0);
    }
}

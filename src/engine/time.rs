//! Simulation time: an instant ([`Time`]) and a length of time ([`Duration`]), both in minutes.
//!
//! Time zero is 00:00 on simulated day 0 (the first warm-up day, if any). All calendar
//! arithmetic used by the model (which day, which hour of the day, the next midnight) lives
//! here so that no other module divides by 1440.

use std::fmt;
use std::ops::{Add, AddAssign, Sub};

/// Minutes in one day.
pub const MINUTES_PER_DAY: f64 = 1440.0;
/// Minutes in one hour.
pub const MINUTES_PER_HOUR: f64 = 60.0;

/// An instant of simulated time: minutes since 00:00 on day 0.
///
/// Always finite and non-negative. Ordered totally (see [`Time::total_cmp`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Time(f64);

/// A length of simulated time, in minutes. May be zero; negative only as the result of
/// subtracting a later instant from an earlier one.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd)]
pub struct Duration(f64);

impl Time {
    /// 00:00 on day 0.
    pub const ZERO: Time = Time(0.0);

    /// The instant `minutes` after 00:00 on day 0.
    #[inline]
    pub fn from_minutes(minutes: f64) -> Time {
        debug_assert!(minutes.is_finite() && minutes >= 0.0, "bad time {minutes}");
        Time(minutes)
    }

    /// Midnight at the start of `day` (day 0 starts at time zero).
    #[inline]
    pub fn start_of_day(day: u32) -> Time {
        Time(f64::from(day) * MINUTES_PER_DAY)
    }

    /// The instant at `time_of_day` on `day`.
    #[inline]
    pub fn at(day: u32, time_of_day: Duration) -> Time {
        Time::start_of_day(day) + time_of_day
    }

    /// Minutes since 00:00 on day 0.
    #[inline]
    pub fn minutes(self) -> f64 {
        self.0
    }

    /// The day this instant falls on (day 0 is the first simulated day).
    #[inline]
    pub fn day(self) -> u32 {
        (self.0 / MINUTES_PER_DAY) as u32 // times are never negative: truncation is floor
    }

    /// Time since the most recent midnight, in `[0, 1440)` minutes.
    #[inline]
    pub fn time_of_day(self) -> Duration {
        Duration(self.0 - f64::from(self.day()) * MINUTES_PER_DAY)
    }

    /// The hour of the day, 0..=23.
    #[inline]
    pub fn hour_of_day(self) -> usize {
        ((self.0 / MINUTES_PER_HOUR) as u64 % 24) as usize
    }

    /// The hour index since time zero (hour 0 is 00:00–01:00 on day 0).
    #[inline]
    pub fn hour_index(self) -> u64 {
        (self.0 / MINUTES_PER_HOUR) as u64
    }

    /// The start of hour number `index` since time zero.
    #[inline]
    pub fn start_of_hour(index: u64) -> Time {
        Time(index as f64 * MINUTES_PER_HOUR)
    }

    /// Total order on instants (they are never NaN).
    #[inline]
    pub fn total_cmp(&self, other: &Time) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Duration {
    /// No time at all.
    pub const ZERO: Duration = Duration(0.0);

    /// A duration of `minutes` minutes.
    #[inline]
    pub const fn from_minutes(minutes: f64) -> Duration {
        Duration(minutes)
    }

    /// A duration of `hours` hours.
    #[inline]
    pub fn from_hours(hours: f64) -> Duration {
        Duration(hours * MINUTES_PER_HOUR)
    }

    /// Length in minutes.
    #[inline]
    pub fn minutes(self) -> f64 {
        self.0
    }

    /// Length in hours.
    #[inline]
    pub fn hours(self) -> f64 {
        self.0 / MINUTES_PER_HOUR
    }
}

impl Add<Duration> for Time {
    type Output = Time;
    #[inline]
    fn add(self, d: Duration) -> Time {
        Time(self.0 + d.0)
    }
}

impl AddAssign<Duration> for Time {
    #[inline]
    fn add_assign(&mut self, d: Duration) {
        self.0 += d.0;
    }
}

impl Sub for Time {
    type Output = Duration;
    #[inline]
    fn sub(self, earlier: Time) -> Duration {
        Duration(self.0 - earlier.0)
    }
}

impl fmt::Display for Time {
    /// `day 3 07:05`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tod = self.time_of_day().0;
        let h = (tod / 60.0).floor();
        let m = (tod - h * 60.0).floor();
        write!(f, "day {} {:02}:{:02}", self.day(), h as u32, m as u32)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_arithmetic() {
        let t = Time::at(3, Duration::from_hours(7.5));
        assert_eq!(t.minutes(), 3.0 * 1440.0 + 450.0);
        assert_eq!(t.day(), 3);
        assert_eq!(t.time_of_day(), Duration::from_minutes(450.0));
        assert_eq!(t.hour_of_day(), 7);
        assert_eq!(t.hour_index(), 3 * 24 + 7);
        assert_eq!(
            Time::start_of_hour(t.hour_index()).minutes(),
            3.0 * 1440.0 + 420.0
        );
        assert_eq!(t.to_string(), "day 3 07:30");
    }

    #[test]
    fn midnight_belongs_to_the_new_day() {
        let t = Time::start_of_day(2);
        assert_eq!(t.day(), 2);
        assert_eq!(t.time_of_day(), Duration::ZERO);
        assert_eq!(t.hour_of_day(), 0);
        let just_before = Time::from_minutes(2.0 * 1440.0 - 1e-9);
        assert_eq!(just_before.day(), 1);
        assert_eq!(just_before.hour_of_day(), 23);
    }
}

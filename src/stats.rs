//! Statistics collectors: observation tallies with percentiles, and time-weighted levels.
//!
//! Memory does not grow with the run length: a [`Tally`] keeps an exact count, sum and maximum
//! plus a log-linear [`Histogram`] (1,024 buckets per doubling, so any percentile is within
//! 0.05 % of the true order statistic); a [`Level`] keeps only the area under a step function.
//! Nothing here knows about ports or formats anything.

use crate::engine::Time;

/// Mantissa bits kept per bucket: 2^10 buckets per power of two.
const MANTISSA_BITS: u32 = 10;
const SHIFT: u32 = 52 - MANTISSA_BITS;

/// Counts of positive values in log-linear buckets, plus a count of exact zeros.
///
/// A positive `f64`'s bit pattern, read as an integer, increases with its value; dropping all
/// but the top 10 mantissa bits gives a bucket whose upper edge is at most 2^-10 (0.098 %)
/// above its lower edge. Quantiles are reported at the bucket's midpoint, within 0.05 %.
/// Buckets are a dense vector between the smallest and largest bucket seen, so memory follows
/// the spread of the values (about 4 KB per doubling), not their number.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Histogram {
    zeros: u64,
    base: u64,
    counts: Vec<u32>,
    total: u64,
}

impl Histogram {
    /// Adds a value (negative values count as zero).
    #[inline]
    pub fn record(&mut self, x: f64) {
        self.total += 1;
        if x <= 0.0 || x.is_nan() {
            self.zeros += 1;
            return;
        }
        self.add(x.to_bits() >> SHIFT, 1);
    }

    /// Adds `n` to the bucket with key `key` (growing the dense range as needed).
    fn add(&mut self, key: u64, n: u32) {
        if self.counts.is_empty() {
            self.base = key;
            self.counts.push(0);
        } else if key < self.base {
            let grow = (self.base - key) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.base = key;
        } else if key - self.base >= self.counts.len() as u64 {
            self.counts.resize((key - self.base) as usize + 1, 0);
        }
        let slot = &mut self.counts[(key - self.base) as usize];
        *slot = slot.saturating_add(n);
    }

    /// Number of values recorded.
    pub fn count(&self) -> u64 {
        self.total
    }

    /// The buckets in increasing order as `(low, high, count)`, with the exact zeros first
    /// as `(0, 0, n)`; empty buckets are left out.
    pub fn buckets(&self) -> impl Iterator<Item = (f64, f64, u64)> + '_ {
        let zeros = (self.zeros > 0).then_some((0.0, 0.0, self.zeros));
        zeros
            .into_iter()
            .chain(
                self.counts
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| **c > 0)
                    .map(|(i, &c)| {
                        let key = self.base + i as u64;
                        (
                            f64::from_bits(key << SHIFT),
                            f64::from_bits((key + 1) << SHIFT),
                            u64::from(c),
                        )
                    }),
            )
    }

    /// Adds every value of `other` (the same bucket layout, so the result is exactly the
    /// histogram of both sets of values).
    pub fn merge(&mut self, other: &Histogram) {
        self.zeros += other.zeros;
        self.total += other.total;
        for (i, &c) in other.counts.iter().enumerate() {
            if c > 0 {
                self.add(other.base + i as u64, c);
            }
        }
    }

    /// The value of rank ⌈q·n⌉ (the smallest value with at least a fraction q of the values at
    /// or below it), at its bucket's midpoint; 0 when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        self.quantiles([q])[0]
    }

    /// Several quantiles in one pass; `qs` must be in increasing order.
    pub fn quantiles<const N: usize>(&self, qs: [f64; N]) -> [f64; N] {
        let mut out = [0.0; N];
        if self.total == 0 {
            return out;
        }
        let rank = |q: f64| ((q.clamp(0.0, 1.0) * self.total as f64).ceil() as u64).max(1);
        let mut next = 0;
        let mut seen = self.zeros;
        while next < N && seen >= rank(qs[next]) {
            next += 1; // these ranks fall among the zeros
        }
        for (i, &c) in self.counts.iter().enumerate() {
            if next == N {
                break;
            }
            seen += u64::from(c);
            while next < N && seen >= rank(qs[next]) {
                let key = self.base + i as u64;
                let lo = f64::from_bits(key << SHIFT);
                let hi = f64::from_bits((key + 1) << SHIFT);
                out[next] = 0.5 * (lo + hi);
                next += 1;
            }
        }
        out
    }
}

/// Observations of a non-negative quantity in minutes (a waiting or clearance time).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tally {
    sum: f64,
    max: f64,
    histogram: Histogram,
}

impl Tally {
    /// An empty tally.
    pub fn new() -> Tally {
        Tally::default()
    }

    /// Adds one observation, in minutes.
    #[inline]
    pub fn record(&mut self, minutes: f64) {
        debug_assert!(minutes >= -1e-9, "negative observation {minutes}");
        let minutes = minutes.max(0.0);
        self.sum += minutes;
        if minutes > self.max {
            self.max = minutes;
        }
        self.histogram.record(minutes);
    }

    /// Number of observations.
    pub fn count(&self) -> u64 {
        self.histogram.count()
    }

    /// The histogram behind the percentiles.
    pub fn histogram(&self) -> &Histogram {
        &self.histogram
    }

    /// Exact mean (0 when empty).
    pub fn mean(&self) -> f64 {
        let n = self.count();
        if n == 0 { 0.0 } else { self.sum / n as f64 }
    }

    /// Exact maximum (0 when empty).
    pub fn max(&self) -> f64 {
        self.max
    }

    /// The `q`-quantile (0 ≤ q ≤ 1) within 0.05 %, never above the maximum (0 when empty).
    pub fn quantile(&self, q: f64) -> f64 {
        self.histogram.quantile(q).min(self.max)
    }

    /// The usual summary: count, mean, p50, p90, p95, p99, max.
    pub fn summary(&self) -> Summary {
        let [p50, p90, p95, p99] = self
            .histogram
            .quantiles([0.50, 0.90, 0.95, 0.99])
            .map(|x| x.min(self.max));
        Summary {
            count: self.count(),
            mean: self.mean(),
            p50,
            p90,
            p95,
            p99,
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

/// A mean with its confidence interval, from independent observations (replications).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeanCi {
    /// Number of observations.
    pub n: usize,
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation (0 when n < 2).
    pub sd: f64,
    /// Half-width of the interval: t(1 − (1 − level)/2, n − 1) · sd / √n (infinite when n < 2).
    pub half_width: f64,
}

impl MeanCi {
    /// The Student-t confidence interval at `level` (e.g. 0.95) for the mean of `xs`.
    pub fn new(xs: &[f64], level: f64) -> MeanCi {
        let n = xs.len();
        let mean = xs.iter().sum::<f64>() / n.max(1) as f64;
        if n < 2 {
            return MeanCi {
                n,
                mean,
                sd: 0.0,
                half_width: f64::INFINITY,
            };
        }
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        let sd = var.sqrt();
        let t = student_t_quantile(1.0 - (1.0 - level) / 2.0, (n - 1) as f64);
        MeanCi {
            n,
            mean,
            sd,
            half_width: t * sd / (n as f64).sqrt(),
        }
    }

    /// Lower end of the interval.
    pub fn low(&self) -> f64 {
        self.mean - self.half_width
    }

    /// Upper end of the interval.
    pub fn high(&self) -> f64 {
        self.mean + self.half_width
    }

    /// Whether `x` lies inside the interval.
    pub fn contains(&self, x: f64) -> bool {
        self.low() <= x && x <= self.high()
    }
}

/// Half-width of the Welch (unpaired) confidence interval at `level` for the difference of the
/// means of two independent samples: t(ν) · √(s_a²/n_a + s_b²/n_b), with the
/// Welch–Satterthwaite degrees of freedom ν. Infinite when either sample has fewer than 2
/// values; 0 when both have no scatter.
pub fn welch_half_width(a: &[f64], b: &[f64], level: f64) -> f64 {
    let (ca, cb) = (MeanCi::new(a, level), MeanCi::new(b, level));
    if ca.n < 2 || cb.n < 2 {
        return f64::INFINITY;
    }
    let va = ca.sd * ca.sd / ca.n as f64;
    let vb = cb.sd * cb.sd / cb.n as f64;
    let var = va + vb;
    if var == 0.0 {
        return 0.0;
    }
    let df = var * var / (va * va / (ca.n - 1) as f64 + vb * vb / (cb.n - 1) as f64);
    student_t_quantile(1.0 - (1.0 - level) / 2.0, df) * var.sqrt()
}

/// The `p`-quantile of Student's t distribution with `df` degrees of freedom (0 < p < 1),
/// accurate to about 1e-10: the CDF is evaluated through the regularized incomplete beta
/// function and inverted by bisection.
///
/// Results are memoised per thread: summaries of replications ask for the same few
/// quantiles thousands of times.
pub fn student_t_quantile(p: f64, df: f64) -> f64 {
    assert!(
        p > 0.0 && p < 1.0 && df > 0.0,
        "student_t_quantile({p}, {df})"
    );
    if p < 0.5 {
        return -student_t_quantile(1.0 - p, df);
    }
    thread_local! {
        static MEMO: std::cell::RefCell<Vec<((u64, u64), f64)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let key = (p.to_bits(), df.to_bits());
    if let Some(t) = MEMO.with(|m| m.borrow().iter().find(|(k, _)| *k == key).map(|(_, t)| *t)) {
        return t;
    }
    let t = t_quantile_by_bisection(p, df);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= 64 {
            m.remove(0);
        }
        m.push((key, t));
    });
    t
}

fn t_quantile_by_bisection(p: f64, df: f64) -> f64 {
    let (mut lo, mut hi) = (0.0, 1.0);
    while student_t_cdf(hi, df) < p {
        hi *= 2.0;
    }
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if student_t_cdf(mid, df) < p {
            lo = mid;
        } else {
            hi = mid;
        }
        if hi - lo < 1e-12 * hi.max(1.0) {
            break;
        }
    }
    0.5 * (lo + hi)
}

/// P(T ≤ t) for Student's t with `df` degrees of freedom.
pub fn student_t_cdf(t: f64, df: f64) -> f64 {
    let x = df / (df + t * t);
    let tail = 0.5 * regularized_incomplete_beta(x, df / 2.0, 0.5);
    if t >= 0.0 { 1.0 - tail } else { tail }
}

/// I_x(a, b) by the continued fraction of Press et al., *Numerical Recipes* §6.4.
fn regularized_incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    if x < (a + 1.0) / (a + b + 2.0) {
        ln_front.exp() * beta_continued_fraction(x, a, b) / a
    } else {
        1.0 - ln_front.exp() * beta_continued_fraction(1.0 - x, b, a) / b
    }
}

fn beta_continued_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..=300 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        d = if d.abs() < TINY { TINY } else { d };
        c = 1.0 + aa / c;
        c = if c.abs() < TINY { TINY } else { c };
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-15 {
            break;
        }
    }
    h
}

/// ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9; relative error below 1e-15).
fn ln_gamma(x: f64) -> f64 {
    const G: f64 = 7.0;
    const COEF: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection: Γ(x)Γ(1 − x) = π / sin(πx).
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut sum = COEF[0];
    for (i, &c) in COEF.iter().enumerate().skip(1) {
        sum += c / (x + i as f64);
    }
    let t = x + G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + sum.ln()
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
    fn quantiles_are_exact_order_statistics_within_half_a_bucket() {
        // Random-looking values over six decades, against a sorted copy.
        let mut xs: Vec<f64> = (1..=50_000u64)
            .map(|i| ((i * 7919) % 50_021) as f64 * 0.013 + 1e-3)
            .collect();
        xs.extend([0.0; 500]);
        let mut t = Tally::new();
        for &x in &xs {
            t.record(x);
        }
        xs.sort_by(f64::total_cmp);
        for q in [0.001, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0] {
            let rank = ((q * xs.len() as f64).ceil() as usize).max(1);
            let exact = xs[rank - 1];
            let got = t.quantile(q);
            assert!(
                (got - exact).abs() <= 0.0005 * exact,
                "q{q}: {got} vs {exact}"
            );
        }
        assert_eq!(t.quantile(0.005), 0.0, "the zeros come first");
    }

    #[test]
    fn merged_histograms_equal_the_histogram_of_all_values() {
        let (mut a, mut b, mut both) = (
            Histogram::default(),
            Histogram::default(),
            Histogram::default(),
        );
        for i in 0..1000 {
            let x = f64::from(i) * 0.37;
            if i % 3 == 0 {
                a.record(x);
            } else {
                b.record(x);
            }
            both.record(x);
        }
        a.merge(&b);
        assert_eq!(a, both);
        assert_eq!(a.buckets().map(|b| b.2).sum::<u64>(), 1000);
    }

    #[test]
    fn empty_tally_is_zero() {
        let s = Tally::new().summary();
        assert_eq!(s, Summary::default());
    }

    #[test]
    fn student_t_matches_tables() {
        // Two-sided 95 % and 99 % critical values from standard tables.
        for (df, t975, t995) in [
            (1.0, 12.706_204_736, 63.656_741_163),
            (4.0, 2.776_445_105, 4.604_094_871),
            (19.0, 2.093_024_054, 2.860_934_606),
            (99.0, 1.984_216_952, 2.626_405_082),
        ] {
            assert!(
                (student_t_quantile(0.975, df) - t975).abs() < 1e-6,
                "df {df}"
            );
            assert!(
                (student_t_quantile(0.995, df) - t995).abs() < 1e-6,
                "df {df}"
            );
        }
        assert!((student_t_quantile(0.025, 19.0) + 2.093_024_054).abs() < 1e-6);
        assert!((ln_gamma(10.0) - 362_880f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn confidence_interval_of_known_sample() {
        let ci = MeanCi::new(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.95);
        assert_eq!(ci.mean, 3.0);
        assert!((ci.sd - 2.5f64.sqrt()).abs() < 1e-12);
        assert!((ci.half_width - 2.776_445_105 * 2.5f64.sqrt() / 5f64.sqrt()).abs() < 1e-6);
        assert!(ci.contains(3.0) && !ci.contains(6.0));
        assert!(MeanCi::new(&[1.0], 0.95).half_width.is_infinite());
    }

    #[test]
    fn welch_interval_of_known_samples() {
        // Equal sizes and variances: ν = 2(n − 1) and the half-width is t · √(2 s² / n).
        let a = [1.0, 2.0, 3.0, 4.0, 5.0];
        let b = [11.0, 12.0, 13.0, 14.0, 15.0];
        let t = student_t_quantile(0.975, 8.0);
        assert!((welch_half_width(&a, &b, 0.95) - t * (2.0 * 2.5 / 5.0f64).sqrt()).abs() < 1e-9);
        assert_eq!(welch_half_width(&[1.0, 1.0], &[2.0, 2.0], 0.95), 0.0);
        assert!(welch_half_width(&[1.0], &b, 0.95).is_infinite());
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

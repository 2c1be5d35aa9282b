//! Probability distributions of durations (service times, round trips), in minutes.
//!
//! A [`DistSpec`] is the plain description a scenario gives (`lognormal`, mean 6 min, sd 3 min);
//! [`Dist::new`] checks it and builds the sampler once, so drawing is cheap. Every distribution
//! also knows its exact mean, which the model uses for static load checks. Samples are never
//! negative: the normal distribution is truncated at zero (by rejection, so its shape above zero
//! is exact), all others are non-negative by construction.

use rand::Rng;
use rand::distr::Distribution;
use rand::distr::Uniform;
use rand::distr::weighted::WeightedIndex;
use rand_distr::{Exp, Gamma, LogNormal, Normal, Triangular};

/// The parameters of a duration distribution, all in minutes.
#[derive(Clone, Debug, PartialEq)]
pub enum DistSpec {
    /// Always `value`.
    Constant {
        /// The duration.
        value: f64,
    },
    /// Exponential with the given mean.
    Exponential {
        /// Mean duration.
        mean: f64,
    },
    /// Uniform on `[min, max]`.
    Uniform {
        /// Lower bound.
        min: f64,
        /// Upper bound.
        max: f64,
    },
    /// Triangular on `[min, max]` with its peak at `mode`.
    Triangular {
        /// Lower bound.
        min: f64,
        /// Most likely value.
        mode: f64,
        /// Upper bound.
        max: f64,
    },
    /// Normal with the given mean and standard deviation, truncated at zero (values below zero
    /// are redrawn).
    Normal {
        /// Mean of the untruncated normal.
        mean: f64,
        /// Standard deviation of the untruncated normal.
        sd: f64,
    },
    /// Log-normal with the given mean and standard deviation (of the durations themselves, not
    /// of their logarithms).
    LogNormal {
        /// Mean duration.
        mean: f64,
        /// Standard deviation of the duration.
        sd: f64,
    },
    /// Gamma with the given mean and standard deviation.
    Gamma {
        /// Mean duration.
        mean: f64,
        /// Standard deviation of the duration.
        sd: f64,
    },
    /// Erlang: the sum of `k` exponential phases, with the given overall mean.
    Erlang {
        /// Number of phases, at least 1.
        k: u32,
        /// Mean of the sum.
        mean: f64,
    },
    /// One of `values`, drawn with probabilities proportional to `weights`.
    Empirical {
        /// The possible durations.
        values: Vec<f64>,
        /// Relative weights, one per value.
        weights: Vec<f64>,
    },
}

/// Why a [`DistSpec`] cannot be used: which parameter, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct DistError {
    /// The parameter at fault, as written in a scenario (`mean`, `sd`, `weights`...).
    pub field: &'static str,
    /// What is wrong and what would be valid.
    pub message: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> DistError {
    DistError {
        field,
        message: message.into(),
    }
}

/// A checked distribution, ready to sample.
#[derive(Clone, Debug)]
pub struct Dist {
    spec: DistSpec,
    sampler: Sampler,
    mean: f64,
}

#[derive(Clone, Debug)]
enum Sampler {
    Constant(f64),
    Exponential(Exp<f64>),
    Uniform(Uniform<f64>),
    Triangular(Triangular<f64>),
    TruncatedNormal(Normal<f64>),
    LogNormal(LogNormal<f64>),
    Gamma(Gamma<f64>),
    Empirical {
        values: Vec<f64>,
        index: WeightedIndex<f64>,
    },
}

fn positive(field: &'static str, x: f64) -> Result<f64, DistError> {
    if x.is_finite() && x > 0.0 {
        Ok(x)
    } else {
        Err(invalid(
            field,
            format!("must be greater than zero, got {x} min"),
        ))
    }
}

fn non_negative(field: &'static str, x: f64) -> Result<f64, DistError> {
    if x.is_finite() && x >= 0.0 {
        Ok(x)
    } else {
        Err(invalid(field, format!("must be zero or more, got {x} min")))
    }
}

impl Dist {
    /// Checks `spec` and builds its sampler.
    pub fn new(spec: DistSpec) -> Result<Dist, DistError> {
        let (sampler, mean) = match &spec {
            DistSpec::Constant { value } => {
                let v = positive("value", *value)?;
                (Sampler::Constant(v), v)
            }
            DistSpec::Exponential { mean } => {
                let m = positive("mean", *mean)?;
                (
                    Sampler::Exponential(Exp::new(1.0 / m).expect("positive rate")),
                    m,
                )
            }
            DistSpec::Uniform { min, max } => {
                let lo = non_negative("min", *min)?;
                let hi = positive("max", *max)?;
                if hi <= lo {
                    return Err(invalid(
                        "max",
                        format!("must be above min ({lo} min), got {hi} min"),
                    ));
                }
                (
                    Sampler::Uniform(Uniform::new_inclusive(lo, hi).expect("lo < hi")),
                    (lo + hi) / 2.0,
                )
            }
            DistSpec::Triangular { min, mode, max } => {
                let lo = non_negative("min", *min)?;
                let hi = positive("max", *max)?;
                let c = non_negative("mode", *mode)?;
                if hi <= lo {
                    return Err(invalid(
                        "max",
                        format!("must be above min ({lo} min), got {hi} min"),
                    ));
                }
                if c < lo || c > hi {
                    return Err(invalid(
                        "mode",
                        format!("must lie between min ({lo} min) and max ({hi} min), got {c} min"),
                    ));
                }
                let t = Triangular::new(lo, hi, c).expect("checked bounds");
                (Sampler::Triangular(t), (lo + c + hi) / 3.0)
            }
            DistSpec::Normal { mean, sd } => {
                let m = positive("mean", *mean)?;
                let s = positive("sd", *sd)?;
                let n = Normal::new(m, s).expect("positive sd");
                (Sampler::TruncatedNormal(n), truncated_normal_mean(m, s))
            }
            DistSpec::LogNormal { mean, sd } => {
                let m = positive("mean", *mean)?;
                let s = positive("sd", *sd)?;
                // Moments of the duration -> parameters of its logarithm.
                let sigma2 = (1.0 + (s / m).powi(2)).ln();
                let mu = m.ln() - sigma2 / 2.0;
                let d = LogNormal::new(mu, sigma2.sqrt()).expect("finite parameters");
                (Sampler::LogNormal(d), m)
            }
            DistSpec::Gamma { mean, sd } => {
                let m = positive("mean", *mean)?;
                let s = positive("sd", *sd)?;
                let shape = (m / s).powi(2);
                let scale = s * s / m;
                (
                    Sampler::Gamma(Gamma::new(shape, scale).expect("positive parameters")),
                    m,
                )
            }
            DistSpec::Erlang { k, mean } => {
                if *k == 0 {
                    return Err(invalid(
                        "k",
                        "must be at least 1 (the number of exponential phases)",
                    ));
                }
                let m = positive("mean", *mean)?;
                let kf = f64::from(*k);
                (
                    Sampler::Gamma(Gamma::new(kf, m / kf).expect("positive parameters")),
                    m,
                )
            }
            DistSpec::Empirical { values, weights } => {
                if values.is_empty() {
                    return Err(invalid("values", "must list at least one duration"));
                }
                for &v in values {
                    non_negative("values", v)?;
                }
                if weights.len() != values.len() {
                    return Err(invalid(
                        "weights",
                        format!(
                            "must have one weight per value: {} values, {} weights",
                            values.len(),
                            weights.len()
                        ),
                    ));
                }
                if weights.iter().any(|w| !w.is_finite() || *w < 0.0) {
                    return Err(invalid("weights", "must all be zero or more"));
                }
                let total: f64 = weights.iter().sum();
                if total <= 0.0 {
                    return Err(invalid("weights", "must not all be zero"));
                }
                let mean = values.iter().zip(weights).map(|(v, w)| v * w).sum::<f64>() / total;
                if mean <= 0.0 {
                    return Err(invalid(
                        "values",
                        "must include a duration above zero with a weight above zero",
                    ));
                }
                let index = WeightedIndex::new(weights.iter().copied()).expect("checked weights");
                (
                    Sampler::Empirical {
                        values: values.clone(),
                        index,
                    },
                    mean,
                )
            }
        };
        Ok(Dist {
            spec,
            sampler,
            mean,
        })
    }

    /// The parameters this distribution was built from.
    pub fn spec(&self) -> &DistSpec {
        &self.spec
    }

    /// The exact mean, in minutes.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// One draw, in minutes (never negative).
    #[inline]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.sampler {
            Sampler::Constant(v) => *v,
            Sampler::Exponential(d) => d.sample(rng),
            Sampler::Uniform(d) => d.sample(rng),
            Sampler::Triangular(d) => d.sample(rng),
            Sampler::TruncatedNormal(d) => loop {
                let x = d.sample(rng);
                if x >= 0.0 {
                    break x;
                }
            },
            Sampler::LogNormal(d) => d.sample(rng),
            Sampler::Gamma(d) => d.sample(rng),
            Sampler::Empirical { values, index } => values[index.sample(rng)],
        }
    }
}

/// Mean of a normal(m, s) truncated to `[0, ∞)`: m + s·φ(α)/(1 − Φ(α)) with α = −m/s.
fn truncated_normal_mean(m: f64, s: f64) -> f64 {
    let alpha = -m / s;
    let pdf = (-0.5 * alpha * alpha).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let upper_tail = 0.5 * erfc(alpha / std::f64::consts::SQRT_2); // 1 − Φ(α)
    m + s * pdf / upper_tail
}

/// Complementary error function, fractional error below 1.2e-7 everywhere
/// (Chebyshev fit of Press et al., *Numerical Recipes*, §6.2).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 { r } else { 2.0 - r }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Streams;

    /// Sample mean and standard deviation of `n` draws.
    fn moments(d: &Dist, n: usize) -> (f64, f64) {
        let mut rng = Streams::new(1).stream("dist-test");
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut rng)).collect();
        assert!(
            xs.iter().all(|&x| x >= 0.0),
            "negative sample from {:?}",
            d.spec()
        );
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        (mean, var.sqrt())
    }

    /// Each distribution's sample mean agrees with its exact mean within 4 standard errors,
    /// and its sample sd with the sd it was asked for within 3 %.
    fn check(spec: DistSpec, exact_sd: f64) {
        let d = Dist::new(spec).unwrap();
        let n = 200_000;
        let (mean, sd) = moments(&d, n);
        let se = exact_sd / (n as f64).sqrt();
        assert!(
            (mean - d.mean()).abs() <= 4.0 * se + 1e-12,
            "{:?}: sample mean {mean} vs exact {}",
            d.spec(),
            d.mean()
        );
        assert!(
            (sd - exact_sd).abs() <= 0.03 * exact_sd + 1e-12,
            "{:?}: sample sd {sd} vs {exact_sd}",
            d.spec()
        );
    }

    #[test]
    fn sample_moments_match_parameters() {
        check(DistSpec::Constant { value: 10.0 }, 0.0);
        check(DistSpec::Exponential { mean: 7.0 }, 7.0);
        check(DistSpec::Uniform { min: 2.0, max: 8.0 }, 6.0 / 12f64.sqrt());
        let (a, c, b) = (1.0f64, 2.0f64, 5.0f64);
        check(
            DistSpec::Triangular {
                min: a,
                mode: c,
                max: b,
            },
            ((a * a + b * b + c * c - a * b - a * c - b * c) / 18.0).sqrt(),
        );
        check(DistSpec::LogNormal { mean: 6.0, sd: 3.0 }, 3.0);
        check(
            DistSpec::Gamma {
                mean: 30.0,
                sd: 10.0,
            },
            10.0,
        );
        check(DistSpec::Erlang { k: 4, mean: 8.0 }, 4.0);
        // values 1, 2, 4 with weights 1, 1, 2: mean 2.75, variance 1.6875
        check(
            DistSpec::Empirical {
                values: vec![1.0, 2.0, 4.0],
                weights: vec![1.0, 1.0, 2.0],
            },
            1.6875f64.sqrt(),
        );
        // far from zero the truncation is invisible
        check(
            DistSpec::Normal {
                mean: 20.0,
                sd: 4.0,
            },
            4.0,
        );
    }

    #[test]
    fn truncated_normal_mean_is_exact() {
        // Truncating N(0, 1) at zero gives the half-normal: mean sqrt(2/π).
        assert!(
            (truncated_normal_mean(1e-12, 1.0) - (2.0 / std::f64::consts::PI).sqrt()).abs() < 1e-6
        );
        let d = Dist::new(DistSpec::Normal { mean: 2.0, sd: 3.0 }).unwrap();
        let (mean, _) = moments(&d, 400_000);
        assert!((mean - d.mean()).abs() < 0.02, "{mean} vs {}", d.mean());
        assert!(d.mean() > 2.0);
    }

    #[test]
    fn erfc_reference_values() {
        for (x, want) in [
            (0.0, 1.0),
            (0.5, 0.479_500_122_186_953_5),
            (1.0, 0.157_299_207_050_285_1),
            (-1.0, 1.842_700_792_949_715),
        ] {
            assert!(
                (erfc(x) - want).abs() < 2e-7 * want,
                "erfc({x}) = {} want {want}",
                erfc(x)
            );
        }
    }

    #[test]
    fn bad_parameters_name_the_field() {
        let cases = [
            (DistSpec::Exponential { mean: 0.0 }, "mean"),
            (DistSpec::Uniform { min: 5.0, max: 3.0 }, "max"),
            (
                DistSpec::Triangular {
                    min: 1.0,
                    mode: 9.0,
                    max: 5.0,
                },
                "mode",
            ),
            (DistSpec::LogNormal { mean: 6.0, sd: 0.0 }, "sd"),
            (DistSpec::Erlang { k: 0, mean: 3.0 }, "k"),
            (
                DistSpec::Empirical {
                    values: vec![1.0, 2.0],
                    weights: vec![1.0],
                },
                "weights",
            ),
            (
                DistSpec::Empirical {
                    values: vec![],
                    weights: vec![],
                },
                "values",
            ),
            (DistSpec::Constant { value: -1.0 }, "value"),
        ];
        for (spec, field) in cases {
            let err = Dist::new(spec.clone()).unwrap_err();
            assert_eq!(err.field, field, "{spec:?}: {err}");
        }
    }
}

//! Shared helpers for the integration tests: building scenarios from text, running
//! replications, and exact queueing results to compare against.

#![allow(dead_code)] // each test file uses its own subset

use portsim::engine::Streams;
use portsim::model::{self, RunResult};
use portsim::scenario::{self, Scenario};
use portsim::stats::MeanCi;

/// Parses scenario text, panicking with the rendered diagnostics if it is invalid.
pub fn scenario(text: &str) -> Scenario {
    scenario::parse(text, "test.toml").unwrap_or_else(|e| panic!("{e}"))
}

/// A one-stage queue: Poisson arrivals at `per_min`, `servers` servers, the given service
/// distribution (an inline TOML table), always open.
pub fn one_stage(per_min: f64, servers: u32, service: &str) -> String {
    format!(
        r#"
[simulation]
name = "one stage"
days = 1
warmup_days = 0

[[arrivals]]
name = "vehicles"
rate = "{per_min}/m"

[[stages]]
name = "lanes"
servers = {servers}
service = {service}
"#
    )
}

/// Runs replication `i` of `scenario` for `days` measured days after `warmup_days`, with
/// the replication seeds derived from `base_seed` as the tool derives them. Every run is
/// checked for conservation.
pub fn run(scenario: &Scenario, base_seed: u64, i: u64, days: u32, warmup_days: u32) -> RunResult {
    let seed = Streams::new(base_seed).replication(i).master_seed();
    let spec = model::RunSpec {
        days,
        warmup_days,
        seed,
        ..scenario.run
    };
    let r = model::simulate(&scenario.port, &spec);
    assert!(
        r.is_conserved(),
        "vehicles lost or invented: {:?}",
        r.vehicles
    );
    r
}

/// `n` replications; returns the results.
pub fn replications(
    scenario: &Scenario,
    base_seed: u64,
    n: u64,
    days: u32,
    warmup_days: u32,
) -> Vec<RunResult> {
    (0..n)
        .map(|i| run(scenario, base_seed, i, days, warmup_days))
        .collect()
}

/// 99 % Student-t interval of `f` over the replications.
pub fn ci99(results: &[RunResult], f: impl Fn(&RunResult) -> f64) -> MeanCi {
    let xs: Vec<f64> = results.iter().map(f).collect();
    MeanCi::new(&xs, 0.99)
}

/// Erlang C: probability that an arrival waits in M/M/c with offered load `a` = λ/μ.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    let mut b = 1.0; // Erlang B by recursion
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let rho = a / f64::from(c);
    b / (1.0 - rho * (1.0 - b))
}

/// Mean wait in queue of M/M/c: C(c, a) / (cμ − λ).
pub fn mmc_wait(lambda: f64, mean_service: f64, c: u32) -> f64 {
    let mu = 1.0 / mean_service;
    erlang_c(c, lambda * mean_service) / (f64::from(c) * mu - lambda)
}

/// The q-quantile of the M/M/c wait: P(Wq > t) = C e^{−(cμ−λ)t}, so t = ln(C/(1−q)) / (cμ−λ)
/// when C > 1 − q (else 0).
pub fn mmc_wait_quantile(lambda: f64, mean_service: f64, c: u32, q: f64) -> f64 {
    let mu = 1.0 / mean_service;
    let cc = erlang_c(c, lambda * mean_service);
    if cc <= 1.0 - q {
        0.0
    } else {
        (cc / (1.0 - q)).ln() / (f64::from(c) * mu - lambda)
    }
}

/// Exact mean wait of M/D/c (service time `d`): the number in system one service time later
/// is N' = max(N − c, 0) + Poisson(λd); iterate to the stationary law p, then
/// Wq = Σ (n − c)⁺ p(n) / λ.
pub fn mdc_wait(lambda: f64, d: f64, c: usize) -> f64 {
    const N: usize = 400;
    let a = lambda * d;
    let mut pois = vec![(-a).exp(); N];
    for k in 1..N {
        pois[k] = pois[k - 1] * a / k as f64;
    }
    let mut p = vec![0.0; N];
    p[0] = 1.0;
    for _ in 0..100_000 {
        let mut q = vec![0.0; N];
        for (n, &pn) in p.iter().enumerate() {
            if pn == 0.0 {
                continue;
            }
            let base = n.saturating_sub(c);
            for m in base..N {
                q[m] += pn * pois[m - base];
            }
        }
        let diff: f64 = p.iter().zip(&q).map(|(x, y)| (x - y).abs()).sum();
        p = q;
        if diff < 1e-14 {
            break;
        }
    }
    assert!(p[N - 1] < 1e-15, "truncation too tight");
    let lq: f64 = p
        .iter()
        .enumerate()
        .skip(c + 1)
        .map(|(n, &pn)| (n - c) as f64 * pn)
        .sum();
    lq / lambda
}

//! Simulation speed, in vehicles per second, on the two reference workloads of the
//! foundation issue: the M/M/8 year (λ = 1/min, mean service 7 min, 365 days, ~525,000
//! vehicles) and the multi-stage Horgos baseline under its three-shift roster (365 days).
//!
//! Run with `cargo bench --bench simulate`; criterion reports time per run and throughput
//! (elements = vehicles).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use portsim::model::{RunSpec, simulate};
use portsim::scenario::{self, Scenario};

fn load(path: &str) -> Scenario {
    scenario::load(path.as_ref()).unwrap_or_else(|e| panic!("{e}"))
}

fn year(c: &mut Criterion, label: &str, path: &str) {
    let s = load(path);
    let spec = RunSpec { days: 365, ..s.run };
    // Vehicles per run, measured once, so criterion can report vehicles per second.
    let vehicles = simulate(&s.port, &spec).vehicles.arrived;
    let mut group = c.benchmark_group(label);
    group.sample_size(20);
    group.throughput(Throughput::Elements(vehicles));
    group.bench_function("365 days", |b| {
        b.iter(|| simulate(black_box(&s.port), black_box(&spec)));
    });
    group.finish();
}

fn benches(c: &mut Criterion) {
    year(c, "mm8_year", "scenarios/mmc-8.toml");
    year(c, "horgos_baseline_year", "scenarios/horgos-baseline.toml");
}

criterion_group!(simulate_benches, benches);
criterion_main!(simulate_benches);

//! The simulator against queueing theory, at pinned seeds.
//!
//! Each check runs independent replications (seeds derived as `portsim` derives them), forms
//! the 99 % Student-t interval of the estimate from the replications' own scatter, and asserts
//! that the exact value lies inside it. The tolerance is therefore the observed sampling error:
//! a biased simulator fails, an unlucky seed would show up as an interval that misses (at most
//! 1 % of the time), and no number here was widened to make a test pass. Where the issue sets a
//! precision target (3 % for M/M/8 and M/D/c), the interval's half-width is also required to be
//! within it, so the check has the power to see a 3 % bias.

mod support;

use support::*;

/// Checks an M/M/c case: mean wait and 95th-percentile wait against Erlang C.
fn check_mmc(lambda: f64, mean_service: f64, c: u32, days: u32, reps: u64) -> (f64, f64) {
    let text = one_stage(
        lambda,
        c,
        &format!(r#"{{ dist = "exponential", mean = "{mean_service}m" }}"#),
    );
    let s = scenario(&text);
    let results = replications(&s, 1000 + u64::from(c), reps, days, 2);

    let exact = mmc_wait(lambda, mean_service, c);
    let ci = ci99(&results, |r| r.stages[0].wait.mean);
    assert!(
        ci.contains(exact),
        "M/M/{c} λ={lambda} s={mean_service}: Wq CI [{:.4}, {:.4}] misses Erlang C {exact:.4}",
        ci.low(),
        ci.high()
    );

    let exact95 = mmc_wait_quantile(lambda, mean_service, c, 0.95);
    let ci95 = ci99(&results, |r| r.stages[0].wait.p95);
    assert!(
        ci95.contains(exact95),
        "M/M/{c}: p95 wait CI [{:.4}, {:.4}] misses {exact95:.4}",
        ci95.low(),
        ci95.high()
    );

    // Utilisation of an always-open M/M/c is ρ = λs/c.
    eprintln!(
        "M/M/{c} λ={lambda} s={mean_service}: Wq {:.4} ± {:.4} (Erlang C {exact:.4}); p95 {:.3} ± {:.3} (exact {exact95:.3})",
        ci.mean, ci.half_width, ci95.mean, ci95.half_width
    );
    let rho = lambda * mean_service / f64::from(c);
    let util = ci99(&results, |r| r.stages[0].utilization);
    assert!(
        util.contains(rho),
        "M/M/{c}: utilisation CI [{:.5}, {:.5}] misses ρ = {rho}",
        util.low(),
        util.high()
    );
    (ci.mean, ci.half_width / exact)
}

#[test]
fn mm1_mean_wait_is_four() {
    // λ = 0.8, μ = 1: Wq = ρ/(μ − λ) = 4 exactly.
    assert!((mmc_wait(0.8, 1.0, 1) - 4.0).abs() < 1e-12);
    check_mmc(0.8, 1.0, 1, 100, 20);
}

#[test]
fn mmc_mean_wait_matches_erlang_c() {
    // Textbook value as a check on the formula itself: C(2, 1.5) = 0.642857 (9/14).
    assert!((erlang_c(2, 1.5) - 9.0 / 14.0).abs() < 1e-12);
    for (lambda, mean, c) in [(1.5, 1.0, 2), (1.0, 3.0, 4), (2.0, 7.0, 16)] {
        check_mmc(lambda, mean, c, 60, 20);
    }
}

#[test]
fn mm8_year_within_three_percent_of_erlang_c() {
    // The acceptance case: λ = 1/min, mean service 7 min, 8 servers (ρ = 0.875), 20 one-year
    // runs. Single years scatter by about ±7 %; their average must be within 3 %.
    let exact = mmc_wait(1.0, 7.0, 8);
    assert!(
        (exact - 4.447_212).abs() < 1e-6,
        "Erlang C reference {exact}"
    );
    let (mean, rel_half_width) = check_mmc(1.0, 7.0, 8, 365, 20);
    let error = (mean - exact).abs() / exact;
    assert!(
        error < 0.03,
        "mean of 20 years {mean:.4} is {:.2} % from {exact:.4}",
        100.0 * error
    );
    assert!(
        rel_half_width < 0.03,
        "99 % CI half-width {:.2} % cannot resolve a 3 % error",
        100.0 * rel_half_width
    );
}

#[test]
fn mdc_mean_wait_matches_exact_value() {
    // M/D/1 check of the exact method itself: Wq = ρ / (2μ(1 − ρ)) = 2 at ρ = 0.8, D = 1.
    assert!((mdc_wait(0.8, 1.0, 1) - 2.0).abs() < 1e-9);
    // M/D/4, D = 4 min, λ = 0.85/min (ρ = 0.85).
    let exact = mdc_wait(0.85, 4.0, 4);
    let s = scenario(&one_stage(
        0.85,
        4,
        r#"{ dist = "constant", value = "4m" }"#,
    ));
    let results = replications(&s, 77, 20, 365, 2);
    let ci = ci99(&results, |r| r.stages[0].wait.mean);
    assert!(
        ci.contains(exact),
        "M/D/4: CI [{:.4}, {:.4}] misses exact {exact:.4}",
        ci.low(),
        ci.high()
    );
    eprintln!(
        "M/D/4: Wq {:.4} ± {:.4} (exact {exact:.4})",
        ci.mean, ci.half_width
    );
    let error = (ci.mean - exact).abs() / exact;
    assert!(
        error < 0.03,
        "M/D/4: {:.4} is {:.2} % from {exact:.4}",
        ci.mean,
        100.0 * error
    );
    assert!(ci.half_width / exact < 0.03, "CI too wide to resolve 3 %");
}

#[test]
fn littles_law_holds_on_a_multi_stage_roster_run() {
    // L = λW for the whole port. A vehicle is in the port from arrival until it crosses, so W
    // is the crossing time. The only gap between the time-average L·T and the sum of observed
    // crossing times comes from vehicles present at the window's two ends; each contributes
    // at most the longest crossing time seen.
    let s = scenario(&std::fs::read_to_string("scenarios/horgos-baseline.toml").unwrap());
    let r = run(&s, 5, 0, 365, 2);
    let t = 365.0 * 1440.0;
    let v = &r.vehicles;
    let l_times_t = v.mean_in_system * t;
    let sum_w = r.crossing.count as f64 * r.crossing.mean;
    let edge = (v.in_system_at_start + v.in_system_at_end) as f64 * r.crossing.max;
    assert!(
        (l_times_t - sum_w).abs() <= edge,
        "L·T = {l_times_t:.0}, ΣW = {sum_w:.0}, edge bound {edge:.0}"
    );
    let lambda = v.arrived as f64 / t;
    let rel = (v.mean_in_system - lambda * r.crossing.mean).abs() / v.mean_in_system;
    assert!(
        rel < 1e-3,
        "L = {:.4} vs λW = {:.4}",
        v.mean_in_system,
        lambda * r.crossing.mean
    );

    // And per stage, for the queue alone: Lq = λ_stage · Wq (wait observations are taken
    // at service start, so the same edge argument bounds the gap).
    for st in &r.stages {
        let lq_t = st.queue_mean * t;
        let sum_wq = st.wait.count as f64 * st.wait.mean;
        let edge = (v.in_system_at_start + v.in_system_at_end) as f64 * st.wait.max + 1e-6;
        assert!(
            (lq_t - sum_wq).abs() <= edge,
            "{}: Lq·T = {lq_t:.1}, ΣWq = {sum_wq:.1}, bound {edge:.1}",
            st.name
        );
    }
}

#[test]
fn referral_share_matches_its_probability() {
    let s = scenario(&std::fs::read_to_string("scenarios/horgos-baseline.toml").unwrap());
    let r = run(&s, 11, 0, 365, 2);
    let (inspected, referred) = (r.stages[1].served as f64, r.stages[2].served as f64);
    let p = 0.03;
    // Binomial: 4 standard deviations.
    let sd = (inspected * p * (1.0 - p)).sqrt();
    assert!(
        (referred - p * inspected).abs() < 4.0 * sd,
        "{referred} referred of {inspected}"
    );
}

#[test]
fn superposed_streams_are_one_poisson_stream() {
    // Two streams at 0.3 and 0.5 a minute merge into a Poisson stream of 0.8: M/M/1 with
    // μ = 1 again has Wq = 4.
    let text = one_stage(0.3, 1, r#"{ dist = "exponential", mean = "1m" }"#).replace(
        "[[stages]]",
        "[[arrivals]]\nname = \"second\"\nper_day = 720\n\n[[stages]]",
    );
    let s = scenario(&text);
    assert_eq!(s.port.arrivals.len(), 2);
    let results = replications(&s, 31, 20, 100, 2);
    let ci = ci99(&results, |r| r.stages[0].wait.mean);
    assert!(
        ci.contains(4.0),
        "CI [{:.3}, {:.3}] misses 4",
        ci.low(),
        ci.high()
    );
    let arrivals = ci99(&results, |r| r.vehicles.arrived as f64 / 100.0);
    assert!(
        arrivals.contains(0.8 * 1440.0),
        "arrivals a day {:.1} ± {:.1}",
        arrivals.mean,
        arrivals.half_width
    );
}

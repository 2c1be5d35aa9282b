//! Acceptance tests of the planners' experiments: honest confidence intervals, determinism at
//! any thread count, paired comparisons with common random numbers, and the staffing planner
//! against an exhaustive Erlang C search.

mod support;

use std::path::Path;
use std::process::Output;

use assert_cmd::cargo::cargo_bin_cmd;
use portsim::experiment::{self, Control, Overrides, PlanSettings};
use portsim::report;
use serde_json::Value;
use support::*;

fn portsim(dir: &Path, args: &[&str]) -> Output {
    cargo_bin_cmd!("portsim")
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .args(args)
        .output()
        .expect("portsim runs")
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs portsim from the package root and returns stdout, asserting success.
fn ok(args: &[&str]) -> String {
    let out = portsim(root(), args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn json_of(text: &str) -> Value {
    serde_json::from_str(text).expect("one JSON object")
}

/// 95 % intervals of the replicated mean wait cover Erlang C in about 95 % of independent
/// batches.
///
/// M/M/2 with λ = 1.5/min and mean service 1 min (ρ = 0.75; Erlang C: Wq = 9/7 min). Each
/// batch is `portsim run --replications 10` with its own master seed; its interval comes from
/// the tool's own replicated summary (the generic aggregation), not from this test.
///
/// Run length. The interval is only honest if each replication's mean wait is close to
/// normal and unbiased. At ρ = 0.75 the queue forgets its state in about 1/(μ(1 − √ρ)²) ≈ 56
/// service times (about an hour), and successive waits are correlated over roughly a hundred
/// vehicles. One warm-up day (24 relaxation times) removes the empty-start bias; three
/// measured days (6,480 vehicles, some 60 effectively independent stretches) make the
/// per-replication mean close enough to normal for a 10-sample t interval. Shorter runs (a few
/// hours) give skewed means and under-cover.
#[test]
fn confidence_intervals_cover_erlang_c_in_about_95_percent_of_batches() {
    let s = scenario(&one_stage(
        1.5,
        2,
        r#"{ dist = "exponential", mean = "1m" }"#,
    ));
    let exact = mmc_wait(1.5, 1.0, 2);
    assert!((exact - 9.0 / 7.0).abs() < 1e-12);
    let batches = 100;
    let mut covered = 0;
    let mut widths = 0.0;
    for b in 0..batches {
        let overrides = Overrides {
            seed: Some(7_000 + b),
            days: Some(3),
            ..Overrides::default()
        };
        let mut s = s.clone();
        s.run.warmup_days = 1;
        let rep = experiment::replicate(&s, &overrides, 10, Control::default());
        assert_eq!(rep.outcomes.len(), 10);
        assert!(rep.outcomes.iter().all(|o| o.result.is_conserved()));
        let v = report::replicated_value(&s, &rep);
        let fig = report::lookup(&v, "stages.lanes.wait_min.mean").unwrap();
        let (low, high) = (fig["low"].as_f64().unwrap(), fig["high"].as_f64().unwrap());
        widths += fig["half_width"].as_f64().unwrap();
        if low <= exact && exact <= high {
            covered += 1;
        }
    }
    eprintln!(
        "95 % intervals covering Erlang C {exact:.4}: {covered} of {batches} batches (mean half-width {:.4})",
        widths / batches as f64
    );
    assert!(
        (90..=99).contains(&covered),
        "{covered} of {batches} intervals cover the exact mean wait; an honest 95 % interval covers 90-99"
    );
}

/// A small stable M/M/c scenario file for the CLI tests.
fn mmc_file(dir: &Path, servers: u32, days: u32) -> String {
    let text = format!(
        "[simulation]\nname = \"M/M/c\"\ndays = {days}\nwarmup_days = 1\nseed = 5\n\n\
         [[arrivals]]\nname = \"vehicles\"\nrate = \"1/m\"\n\n\
         [[stages]]\nname = \"lanes\"\nservers = {servers}\nservice = {{ dist = \"exponential\", mean = \"7m\" }}\n"
    );
    let path = dir.join(format!("mmc{servers}.toml"));
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn thread_count_does_not_change_a_byte() {
    let base = "scenarios/horgos-baseline.toml";
    for args in [
        vec!["run", base, "--days", "3", "--replications", "6"],
        vec!["run", base, "--days", "3", "--replications", "6", "--json"],
        vec![
            "compare",
            base,
            "--vary",
            "staffing.shifts.day.staff.declaration=6,5",
            "--days",
            "3",
            "-n",
            "5",
        ],
        vec![
            "compare",
            base,
            "scenarios/horgos-day-hours.toml",
            "--days",
            "3",
            "-n",
            "4",
            "--json",
        ],
        vec![
            "sweep",
            base,
            "--set",
            "stages.declaration.servers=5..6",
            "--set",
            "stages.inspection.refer.probability=0.03,0.1",
            "--days",
            "3",
            "-n",
            "4",
        ],
        vec![
            "sweep",
            base,
            "--set",
            "stages.declaration.service.mean=5m..6m:30s",
            "--days",
            "2",
            "-n",
            "3",
            "--json",
        ],
    ] {
        let default = ok(&args);
        let mut one = args.clone();
        one.extend(["--threads", "1"]);
        let single = ok(&one);
        assert!(
            default == single,
            "{args:?}: --threads 1 and the default differ"
        );
        let mut two = args.clone();
        two.extend(["--threads", "2"]);
        assert!(ok(&two) == default, "{args:?}: --threads 2 differs");
    }
}

#[test]
fn replication_seeds_follow_the_documented_derivation() {
    let out = json_of(&ok(&[
        "run",
        "scenarios/horgos-baseline.toml",
        "--days",
        "2",
        "-n",
        "3",
        "--json",
    ]));
    let seeds: Vec<u64> = out["replication_seeds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_u64().unwrap())
        .collect();
    let expected: Vec<u64> = (0..3)
        .map(|i| {
            portsim::engine::Streams::new(20240301)
                .replication(i)
                .master_seed()
        })
        .collect();
    assert_eq!(seeds, expected);
    // Replication 1 reproduced on its own with `run --seed` gives the same figures.
    let single = json_of(&ok(&[
        "run",
        "scenarios/horgos-baseline.toml",
        "--days",
        "2",
        "--json",
        "--seed",
        &seeds[1].to_string(),
    ]));
    let s = scenario(&std::fs::read_to_string("scenarios/horgos-baseline.toml").unwrap());
    let r1 = run(&s, 20240301, 1, 2, s.run.warmup_days);
    // (serde_json reads floats to within an ulp; the output itself round-trips.)
    let mean = single["clearance_min"]["mean"].as_f64().unwrap();
    assert!(
        (mean - r1.clearance.mean).abs() <= 1e-12 * r1.clearance.mean,
        "{mean}"
    );
    // The warm-up is discarded in every replication: each one starts counting at a midnight
    // with the warm-up's leftovers as `in_system_at_start`.
    assert_eq!(out["warmup_days"], u64::from(s.run.warmup_days));
    assert_eq!(out["daily"].as_array().unwrap().len(), 2);
}

#[test]
fn comparing_a_scenario_with_itself_gives_exact_zeros() {
    let base = "scenarios/horgos-baseline.toml";
    let out = json_of(&ok(&[
        "compare", base, base, "--days", "3", "-n", "5", "--json",
    ]));
    let figures = out["figures"].as_array().unwrap();
    assert!(figures.len() > 10);
    for f in figures {
        let d = &f["differences"][1];
        assert_eq!(d["mean"], 0.0, "{}", f["key"]);
        assert_eq!(d["half_width"], 0.0, "{}", f["key"]);
        assert_eq!(d["significant"], false, "{}", f["key"]);
    }
    let text = ok(&["compare", base, base, "--days", "3", "-n", "5"]);
    assert!(text.contains("+0.00 ± 0.00"), "{text}");
}

/// Common random numbers: 8 against 10 lanes of an M/M/c queue (λ = 1/min, 7 min).
///
/// Each configuration sees the same vehicles with the same service times, so the work done
/// (utilisation) and the vehicles cleared differ between them only through the lanes. The
/// paired interval of the difference is compared with the unpaired (Welch) interval from
/// *independent* runs of the two configurations (different master seeds).
///
/// The mean wait gains less: the 10-lane waits hardly vary, so the difference inherits the
/// scatter of the 8-lane waits whether paired or not. The test prints its widths too.
#[test]
fn paired_intervals_are_far_narrower_than_unpaired_ones() {
    let dir = tempfile::tempdir().unwrap();
    let eight = mmc_file(dir.path(), 8, 20);
    let out = portsim(
        dir.path(),
        &[
            "compare",
            &eight,
            "--vary",
            "stages.lanes.servers=8,10",
            "-n",
            "20",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cmp = json_of(&String::from_utf8(out.stdout).unwrap());
    // Independent runs: 8 lanes with master seed 5, 10 lanes with master seed 6.
    let independent = |servers: &str, seed: &str| {
        let out = portsim(
            dir.path(),
            &[
                "run",
                &eight,
                "--set",
                &format!("stages.lanes.servers={servers}"),
                "-n",
                "20",
                "--seed",
                seed,
                "--json",
            ],
        );
        assert!(out.status.success());
        json_of(&String::from_utf8(out.stdout).unwrap())
    };
    let (a, b) = (independent("8", "5"), independent("10", "6"));
    let welch = |key: &str| {
        let (fa, fb) = (
            report::lookup(&a, key).unwrap(),
            report::lookup(&b, key).unwrap(),
        );
        let (sa, sb) = (fa["sd"].as_f64().unwrap(), fb["sd"].as_f64().unwrap());
        // 20 and 20 replications: Welch with its own degrees of freedom.
        let (va, vb) = (sa * sa / 20.0, sb * sb / 20.0);
        let df = (va + vb).powi(2) / (va * va / 19.0 + vb * vb / 19.0);
        portsim::stats::student_t_quantile(0.975, df) * (va + vb).sqrt()
    };
    let figure = |key: &str| {
        cmp["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .unwrap_or_else(|| panic!("no figure {key}"))["differences"][1]
            .clone()
    };
    for (key, must_narrow) in [
        ("stages.lanes.utilization", true),
        ("throughput_per_day.mean", true),
        ("stages.lanes.wait_min.mean", false),
        ("clearance_min.mean", false),
    ] {
        let d = figure(key);
        let paired = d["half_width"].as_f64().unwrap();
        let unpaired_same_runs = d["unpaired_half_width"].as_f64().unwrap();
        let unpaired = welch(key);
        eprintln!(
            "{key}: difference {:+.4}, paired ± {paired:.5}; unpaired ± {unpaired:.5} (independent runs), ± {unpaired_same_runs:.5} (Welch on the paired runs): {:.1}× narrower",
            d["mean"].as_f64().unwrap(),
            unpaired / paired
        );
        if must_narrow {
            assert!(
                3.0 * paired <= unpaired,
                "{key}: paired ± {paired} is not 3× narrower than unpaired ± {unpaired}"
            );
            assert!(3.0 * paired <= unpaired_same_runs);
        }
    }
    // 10 lanes do the same work on more lanes, and wait less; the paired differences say so
    // with confidence. (Both stable: the vehicles cleared differ by luck only.)
    assert_eq!(figure("stages.lanes.utilization")["significant"], true);
    assert_eq!(figure("throughput_per_day.mean")["significant"], false);
    let wait = figure("stages.lanes.wait_min.mean");
    assert!(wait["high"].as_f64().unwrap() < 0.0, "{wait}");
}

/// The smallest number of lanes whose Erlang C mean wait is at most `limit`.
fn erlang_c_minimum(lambda: f64, mean: f64, limit: f64) -> u32 {
    (1..=100)
        .filter(|&c| f64::from(c) > lambda * mean)
        .find(|&c| mmc_wait(lambda, mean, c) <= limit)
        .expect("some c meets the limit")
}

#[test]
fn planner_finds_the_erlang_c_minimum() {
    // M/M/c with λ = 1/min and 7 min: Erlang C waits 4.447 (c = 8), 1.347 (9), 0.517 (10),
    // 0.212 (11) minutes. Limits fall between consecutive values, well clear of both.
    for (limit, roster) in [(0.8, true), (2.5, false), (0.35, true)] {
        let expected = erlang_c_minimum(1.0, 7.0, limit);
        let staffing = if roster {
            "\n[staffing]\n[[staffing.shifts]]\nname = \"all-day\"\nstart = \"00:00\"\nend = \"24:00\"\nstaff = { lanes = 12 }\n"
        } else {
            ""
        };
        let text = format!(
            "[simulation]\nname = \"M/M/c plan\"\ndays = 20\nwarmup_days = 1\nseed = 11\n\n\
             [[arrivals]]\nname = \"vehicles\"\nrate = \"1/m\"\n\n\
             [[stages]]\nname = \"lanes\"\nservers = 20\nservice = {{ dist = \"exponential\", mean = \"7m\" }}\n{staffing}"
        );
        let s = scenario(&text);
        let target = format!("mean_wait <= {}s", limit * 60.0);
        let settings =
            PlanSettings::new(&s, std::slice::from_ref(&target), &[], None, None).unwrap();
        let plan = experiment::plan(&s, &Overrides::default(), &settings, Control::default());
        let rec = plan
            .recommended
            .as_ref()
            .unwrap_or_else(|| panic!("{target}: no roster found"));
        assert!(plan.confirmed);
        let lanes = rec.roster.staff[0][0];
        eprintln!(
            "{target}: planner {lanes} lanes, Erlang C minimum {expected}; {} rosters evaluated",
            plan.configurations_evaluated
        );
        assert_eq!(lanes, expected, "{target}");
        // The evidence: one lane fewer fails the target at the confirming replications.
        let fewer = plan
            .rejected
            .iter()
            .find(|r| r.change.is_some())
            .expect("the one-lane-cheaper roster is reported");
        assert_eq!(fewer.candidate.roster.staff[0][0], expected - 1);
        assert!(!fewer.candidate.evaluation.feasible());
        assert!(plan.configurations_evaluated <= 6, "a walk, not a grid");
    }
}

#[test]
fn planner_on_the_baseline_returns_a_roster_and_its_evidence() {
    let out = json_of(&ok(&[
        "plan",
        "scenarios/horgos-baseline.toml",
        "--target",
        "p95_clearance <= 3h",
        "--target",
        "throughput >= 680/day",
        "--json",
    ]));
    assert_eq!(out["feasible"], true);
    assert_eq!(out["confirmed"], true);
    let rec = &out["recommended"];
    assert_eq!(rec["meets_targets"], true);
    let p95 = &rec["figures"]["p95_clearance_min"];
    assert!(p95["upper_bound_95"].as_f64().unwrap() <= 180.0, "{p95}");
    assert!(
        rec["figures"]["throughput_per_day"]["lower_bound_95"]
            .as_f64()
            .unwrap()
            >= 680.0
    );
    let toml = out["toml"].as_str().unwrap();
    assert!(toml.contains("[[staffing.shifts]]") && toml.contains("name = \"night\""));
    // The snippet pasted into the scenario gives the recommended roster back.
    let base = std::fs::read_to_string(root().join("scenarios/horgos-baseline.toml")).unwrap();
    let pasted = format!(
        "{}{toml}",
        &base[..base.find("[[staffing.shifts]]").unwrap()]
    );
    let s = scenario(&pasted);
    let roster = s.port.roster.as_ref().unwrap();
    for (j, stage) in s.port.stages.iter().enumerate() {
        let staff: Vec<u32> = (0..roster.shifts.len())
            .map(|k| roster.open_servers(k, j, stage) * stage.staff_per_server)
            .collect();
        let want: Vec<u32> = rec["shifts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| {
                let n = s["staff"][&stage.name].as_u64().unwrap() as u32;
                n / stage.staff_per_server * stage.staff_per_server
            })
            .collect();
        assert_eq!(staff, want, "{}", stage.name);
    }
    // The inspection lanes are written group by group, and every group opens at some hour.
    assert!(toml.contains("inspection = { green = "), "{toml}");
    for (g, lane) in s.port.stages[1].lanes.iter().enumerate() {
        assert!(
            (0..roster.shifts.len()).any(|k| roster.open_lanes(k, 1, &s.port.stages[1])[g] > 0),
            "lane group {} never opens:\n{toml}",
            lane.name
        );
    }
    // Evidence: every one-crew-cheaper roster fails, and it says why.
    let rejected = out["rejected"].as_array().unwrap();
    assert!(rejected.len() >= 3);
    for r in rejected {
        if r["change"] != "the scenario's own roster" {
            assert_eq!(r["meets_targets"], false, "{r}");
            let why = r["reason"].as_str().unwrap();
            assert!(
                why.starts_with("fails") || why.starts_with("overloaded"),
                "{why}"
            );
        }
    }
    let evaluated = out["configurations_evaluated"].as_f64().unwrap();
    assert!(evaluated < 200.0 && evaluated < out["grid_size"].as_f64().unwrap() / 1e4);
    // Cheaper than the scenario's own roster, which also meets the targets.
    assert!(
        rec["staff_hours_per_day"].as_f64().unwrap()
            < out["file_roster"]["staff_hours_per_day"].as_f64().unwrap()
    );
}

#[test]
fn bad_paths_and_targets_are_explained() {
    let base = "scenarios/horgos-baseline.toml";
    for (args, fragments) in [
        (
            vec!["sweep", base, "--set", "stages.declaraton.servers=4,6"],
            vec![
                "names no field",
                "nearest valid paths are stages.declaration.servers",
                "--> scenarios/horgos-baseline.toml",
            ],
        ),
        (
            vec!["sweep", base, "--set", "stages.inspection.service.mode=8"],
            vec!["is a duration", "write 8m for 8 minutes", "^^^"],
        ),
        (
            vec!["sweep", base, "--set", "stages.declaration.servers=0,6"],
            vec![
                "servers must be between 1",
                "value set by stages.declaration.servers=0",
            ],
        ),
        (
            vec!["sweep", base, "--set", "stages.declaration.servers=8..4"],
            vec!["runs backwards"],
        ),
        (
            vec!["compare", base, "--vary", "stages.declaration.name=a,b"],
            vec!["not a number, duration or rate"],
        ),
        (vec!["compare", base], vec!["two scenario files or more"]),
        (
            vec!["plan", base, "--target", "p95_clearence <= 4h"],
            vec!["unknown metric", "nearest metrics are p95_clearance"],
        ),
        (
            vec!["plan", base, "--target", "p95_clearance <= 4"],
            vec!["has no unit", "write 4m"],
        ),
        (
            vec![
                "plan",
                base,
                "--target",
                "throughput >= 680/day",
                "--max-staff",
                "desks=4",
            ],
            vec!["no stage named \"desks\"", "stages: declaration"],
        ),
        (
            vec!["run", base, "--set", "simulation.days=3,4"],
            vec!["gives 2 values; one is needed"],
        ),
    ] {
        let out = portsim(root(), &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        for f in fragments {
            assert!(stderr.contains(f), "{args:?}: no {f:?} in\n{stderr}");
        }
    }
}

#[test]
fn every_command_prints_one_json_object() {
    let base = "scenarios/horgos-baseline.toml";
    for (args, keys) in [
        (
            vec!["validate", base, "--json", "--paths"],
            vec!["valid", "paths", "demand_per_day"],
        ),
        (
            vec!["run", base, "--days", "2", "--json"],
            vec!["clearance_min", "throughput_per_day"],
        ),
        (
            vec!["run", base, "--days", "2", "-n", "3", "--json"],
            vec!["replications", "replication_seeds", "confidence_level"],
        ),
        (
            vec!["compare", base, base, "--days", "2", "-n", "3", "--json"],
            vec!["configurations", "figures"],
        ),
        (
            vec![
                "sweep",
                base,
                "--set",
                "simulation.days=1,2",
                "-n",
                "2",
                "--json",
            ],
            vec!["parameters", "points"],
        ),
    ] {
        let v = json_of(&ok(&args));
        for k in keys {
            assert!(v.get(k).is_some(), "{args:?}: no key {k}");
        }
    }
    // Replicated figures carry their interval; static keys stay plain.
    let v = json_of(&ok(&["run", base, "--days", "2", "-n", "3", "--json"]));
    let p95 = &v["clearance_min"]["p95"];
    assert!(p95["low"].as_f64().unwrap() <= p95["mean"].as_f64().unwrap());
    assert!(v["throughput_per_day"]["mean"]["half_width"].is_number());
    assert_eq!(v["stages"][0]["servers"], 6);
    assert_eq!(v["daily"][1]["day"], 2);
}

#[test]
fn sweep_writes_csv_rows_for_every_point() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("sweep.csv");
    let text = ok(&[
        "sweep",
        "scenarios/horgos-baseline.toml",
        "--set",
        "staffing.shifts.day.staff.declaration=4..6",
        "--set",
        "stages.declaration.service.mean=5m,6m",
        "--days",
        "3",
        "-n",
        "4",
        "--csv",
        csv.to_str().unwrap(),
    ]);
    let rows: Vec<String> = std::fs::read_to_string(&csv)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(rows.len(), 1 + 6);
    assert!(rows[0].starts_with(
        "staffing.shifts.day.staff.declaration,stages.declaration.service.mean,clearance_min.mean,clearance_min.mean.half_width"
    ));
    assert!(rows[1].starts_with("4,5,"), "{}", rows[1]);
    assert!(rows[6].starts_with("6,6,"), "{}", rows[6]);
    assert_eq!(text.lines().filter(|l| l.starts_with("  4 ")).count(), 2);
    // More staff, shorter declaration waits (same vehicles in every point).
    let wait = |row: &str| row.split(',').nth(8).unwrap().parse::<f64>().unwrap();
    assert!(wait(&rows[2]) > wait(&rows[4]) && wait(&rows[4]) > wait(&rows[6]));
}

#[test]
fn ctrl_c_stops_cleanly_and_prints_what_finished() {
    // 200 one-year replications on one thread would take minutes; SIGINT after a second and a
    // half stops the run after the replications in progress.
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin!("portsim"))
        .current_dir(root())
        .args([
            "run",
            "scenarios/mmc-8.toml",
            "-n",
            "200",
            "--threads",
            "1",
            "--json",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("portsim starts");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let kill = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    let v = json_of(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(v["interrupted"], true);
    let finished = v["replications"].as_u64().unwrap();
    assert!(finished < 200);
    assert_eq!(
        v["replication_seeds"].as_array().unwrap().len() as u64,
        finished
    );
    assert_eq!(v["replications_requested"], 200);
}

#[test]
fn bad_experiment_settings_in_the_file_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let text = "[simulation]\nname = \"x\"\ndays = 2\nreplications = 0\n\n\
                [[arrivals]]\nname = \"a\"\nrate = \"1/m\"\n\n\
                [[stages]]\nname = \"s\"\nservers = 2\nservice = { dist = \"exponential\", mean = \"1m\" }\n\n\
                [planning]\ncost_per_hour = { s = 3, desks = 2 }\nmax_staff = { s = 1 }\nmin_staff = { s = 2 }\nreplications = 1\n";
    std::fs::write(dir.path().join("bad.toml"), text).unwrap();
    for command in ["validate", "run", "plan"] {
        let mut args = vec![command, "bad.toml"];
        if command == "plan" {
            args.extend(["--target", "mean_wait <= 1m"]);
        }
        let out = portsim(dir.path(), &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        for fragment in [
            "bad.toml:4:16",
            "field: simulation.replications",
            "field: planning.cost_per_hour.desks",
            "hint: stages: s",
            "max_staff (1) is below min_staff (2)",
            "field: planning.replications",
            "4 problems found; nothing was run",
        ] {
            assert!(
                stderr.contains(fragment),
                "{command}: no {fragment:?} in\n{stderr}"
            );
        }
    }
}

#[test]
fn sweeping_the_seed_changes_the_draws_and_nothing_else_does() {
    let v = json_of(&ok(&[
        "sweep",
        "scenarios/horgos-baseline.toml",
        "--set",
        "simulation.seed=1,2",
        "--set",
        "stages.declaration.servers=6,8",
        "--days",
        "2",
        "-n",
        "3",
        "--json",
    ]));
    let arrived = |i: usize| v["points"][i]["figures"]["throughput_per_day.mean"]["mean"].clone();
    // Points 0 and 1 share seed 1 (more declaration desks do not change the vehicles cleared
    // much, and not at all the arrivals); points 2 and 3 use seed 2.
    let clearance = |i: usize| v["points"][i]["figures"]["clearance_min.mean"]["mean"].clone();
    assert_ne!(clearance(0), clearance(2), "the seed was not applied");
    assert_ne!(arrived(0), arrived(2));
}

/// Writes `text` as `name` in `dir` and returns its path.
fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn capacity_of_an_always_open_stage_is_c_times_1440_over_s() {
    // 4 servers, mean service 5 min (exponential): 4 × 1440 / 5 = 1,152 vehicles a day. The
    // demand in the file (1 a minute) plays no part: the supply never runs out.
    let dir = tempfile::tempdir().unwrap();
    for (servers, mean, dist) in [(4u32, 5.0, "exponential"), (8, 7.0, "constant")] {
        let service = if dist == "constant" {
            format!("{{ dist = \"constant\", value = \"{mean}m\" }}")
        } else {
            format!("{{ dist = \"exponential\", mean = \"{mean}m\" }}")
        };
        let file = write(
            dir.path(),
            &format!("c{servers}.toml"),
            &format!(
                "[simulation]\nname = \"c\"\ndays = 20\nwarmup_days = 1\nseed = 9\n\n\
                 [[arrivals]]\nname = \"v\"\nrate = \"1/m\"\n\n\
                 [[stages]]\nname = \"lanes\"\nservers = {servers}\nservice = {service}\n"
            ),
        );
        let v = json_of(&ok(&["capacity", &file, "-n", "10", "--json"]));
        let exact = f64::from(servers) * 1440.0 / mean;
        let bound = v["static_bound_per_day"]["vehicles_per_day"]
            .as_f64()
            .unwrap();
        assert!(
            (bound - exact).abs() < 1e-9,
            "static bound {bound} vs {exact}"
        );
        let got = v["capacity_per_day"]["mean"].as_f64().unwrap();
        assert!(
            (got - exact).abs() <= 0.02 * exact,
            "capacity {got} a day vs {exact}"
        );
        assert_eq!(v["bottlenecks"][0]["name"], "lanes");
        assert!(v["bottlenecks"][0]["utilization"].as_f64().unwrap() > 0.999);
    }
}

#[test]
fn capacity_names_the_downstream_bottleneck() {
    // Documents take 2 min on 4 desks (2,880 a day); inspection 6 min on 3 lanes (720 a day).
    // Both are busy all the time, but the line clears what the inspection can.
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "line.toml",
        "[simulation]\nname = \"line\"\ndays = 10\nwarmup_days = 1\n\n\
         [[arrivals]]\nname = \"v\"\nper_day = 500\n\n\
         [[stages]]\nname = \"documents\"\nservers = 4\nservice = { dist = \"exponential\", mean = \"2m\" }\n\n\
         [[stages]]\nname = \"inspection\"\nservers = 3\nservice = { dist = \"exponential\", mean = \"6m\" }\n",
    );
    let v = json_of(&ok(&["capacity", &file, "-n", "5", "--json"]));
    assert_eq!(v["bottlenecks"][0]["name"], "inspection");
    let got = v["capacity_per_day"]["mean"].as_f64().unwrap();
    assert!((got - 720.0).abs() < 0.02 * 720.0, "{got}");
    assert_eq!(v["static_bound_per_day"]["name"], "inspection");

    // A driver pool that takes fewer vehicles than the stages: 50 drivers, 6 h round trips
    // (at most 200 a day), behind one fast gate.
    let file = write(
        dir.path(),
        "drivers.toml",
        "[simulation]\nname = \"drivers\"\ndays = 10\nwarmup_days = 1\n\n\
         [[arrivals]]\nname = \"v\"\nper_day = 500\n\n\
         [[stages]]\nname = \"gate\"\nservers = 2\nservice = { dist = \"constant\", value = \"1m\" }\n\n\
         [self_driving]\ndrivers = 50\nround_trip = { dist = \"constant\", value = \"6h\" }\n",
    );
    let v = json_of(&ok(&["capacity", &file, "-n", "5", "--json"]));
    assert_eq!(v["bottlenecks"][0]["name"], "drivers");
    assert_eq!(v["bottlenecks"][0]["kind"], "resource");
    let got = v["capacity_per_day"]["mean"].as_f64().unwrap();
    // Each driver's cycle is 1 min at the gate + 360 min back: 50 × 1440 / 361 = 199.4.
    assert!((got - 50.0 * 1440.0 / 361.0).abs() < 2.0, "{got}");
    // Half the vehicles by carrier, with two carriers too few for them, the yard after the
    // gate: both the pool and the fleet are saturated side by side, and both are named.
    let file = write(
        dir.path(),
        "both.toml",
        "[simulation]\nname = \"both\"\ndays = 10\nwarmup_days = 1\n\n\
         [[arrivals]]\nname = \"v\"\nper_day = 500\nself_driving = 0.5\n\n\
         [[stages]]\nname = \"gate\"\nservers = 2\nservice = { dist = \"constant\", value = \"1m\" }\n\n\
         [yard]\nafter = \"gate\"\n\n\
         [self_driving]\ndrivers = 50\nround_trip = { dist = \"constant\", value = \"6h\" }\n\n\
         [cage_truck]\ncarriers = 2\nslots = 6\nloading = { dist = \"constant\", value = \"1m\" }\n\
         max_wait = \"1h\"\nround_trip = { dist = \"constant\", value = \"6h\" }\n",
    );
    let v = json_of(&ok(&["capacity", &file, "-n", "3", "--json"]));
    assert_eq!(
        v["bottlenecks"][0]["name"], "drivers + carriers",
        "{}",
        v["bottlenecks"]
    );
    assert_eq!(v["bottlenecks"][0]["kind"], "resource");
}

#[test]
fn capacity_is_the_same_at_any_thread_count() {
    let args = [
        "capacity",
        "scenarios/horgos-baseline.toml",
        "--days",
        "3",
        "-n",
        "4",
        "--json",
    ];
    let one = ok(&[&args[..], &["--threads", "1"]].concat());
    let default = ok(&args);
    assert_eq!(one, default);
    let v = json_of(&default);
    let modes: f64 = v["by_mode"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["capacity_per_day"]["mean"].as_f64().unwrap())
        .sum();
    assert!(
        (modes - v["capacity_per_day"]["mean"].as_f64().unwrap()).abs() < 1e-6,
        "modes add up"
    );
}

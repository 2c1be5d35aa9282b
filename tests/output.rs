//! What `--out`, `--events` and `--ocel` leave behind: every file a command promises, CSV
//! headers and totals that agree with summary.json, plots that decode, a report that loads
//! nothing from outside, refusal of an existing directory, and no partial files after Ctrl-C.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn portsim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_portsim"))
        .current_dir(root())
        .args(args)
        .output()
        .expect("portsim runs")
}

fn ok(args: &[&str]) -> Output {
    let out = portsim(args);
    assert!(
        out.status.success(),
        "portsim {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(path).unwrap()).unwrap()
}

/// A CSV file as its header and rows of named fields.
struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn read(path: &Path) -> Csv {
        let mut r = csv::Reader::from_path(path).unwrap();
        let header = r.headers().unwrap().iter().map(str::to_string).collect();
        let rows = r
            .records()
            .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
            .collect();
        Csv { header, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    fn sum(&self, name: &str) -> f64 {
        let c = self.col(name);
        self.rows.iter().map(|r| r[c].parse::<f64>().unwrap()).sum()
    }

    fn mean(&self, name: &str) -> f64 {
        self.sum(name) / self.rows.len() as f64
    }
}

fn files_in(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

/// The arrivals as the tables print them: with thousands separators.
fn vehicles_arrived(summary: &Value) -> String {
    let n = summary["vehicles"]["arrived"].as_u64().unwrap().to_string();
    let mut out = String::new();
    for (i, c) in n.chars().enumerate() {
        if i > 0 && (n.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The plots every run writes, by file stem.
const RUN_PLOTS: [&str; 4] = [
    "clearance_distribution",
    "queue_and_lanes",
    "daily_throughput",
    "utilization_heatmap",
];

/// Checks the plots `stems` and report.html in `dir`: each PNG decodes to the plot size, each
/// SVG parses as XML with that size, and the page has every plot inline and loads nothing.
fn check_plots_and_report(dir: &Path, stems: &[&str]) {
    let (width, height) = portsim::report::PNG_SIZE;
    for stem in stems {
        let png = fs::read(dir.join(format!("{stem}.png"))).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let frame = reader.next_frame(&mut buf).unwrap();
        assert_eq!((frame.width, frame.height), (width, height), "{stem}.png");

        let svg = fs::read_to_string(dir.join(format!("{stem}.svg"))).unwrap();
        let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{stem}.svg: {e}"));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("width"), Some(width.to_string().as_str()));
        assert_eq!(root.attribute("height"), Some(height.to_string().as_str()));
    }
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert_eq!(html.matches("<svg").count(), stems.len());
    for stem in stems {
        assert!(
            html.contains(&format!("id=\"plot-{stem}\"")),
            "{stem} not in report.html"
        );
    }
    // Nothing outside the file: no URL, no linked or fetched resource, no script.
    let lower = html.to_lowercase();
    for external in [
        "http:", "https:", "//", "src=", "href=", "url(", "@import", "<script", "<link",
    ] {
        let hits: Vec<&str> = lower
            .match_indices(external)
            .map(|(i, _)| &html[i.saturating_sub(40)..(i + 40).min(html.len())])
            .collect();
        assert!(hits.is_empty(), "report.html has {external}: {hits:?}");
    }
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol * b.abs().max(1.0)
}

#[test]
fn a_run_writes_every_file_and_the_csv_totals_agree_with_the_summary() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let stdout = ok(&[
        "run",
        "scenarios/horgos-baseline.toml",
        "--days",
        "7",
        "--trace",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ])
    .stdout;
    let files = files_in(&dir);
    let mut promised: BTreeSet<String> = [
        "summary.json",
        "summary.md",
        "daily.csv",
        "hourly.csv",
        "vehicles.csv",
        "report.html",
    ]
    .map(String::from)
    .into();
    for stem in RUN_PLOTS {
        promised.insert(format!("{stem}.svg"));
        promised.insert(format!("{stem}.png"));
    }
    assert_eq!(files, promised);
    check_plots_and_report(&dir, &RUN_PLOTS);
    let html = fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(html.contains("<h1>Horgos highway port - 2024 baseline</h1>"));
    assert!(html.contains("scenarios/horgos-baseline.toml") && html.contains("1000 in the pool"));

    // summary.json is the --json object; summary.md the printed tables as Markdown.
    let summary = json(&dir.join("summary.json"));
    assert_eq!(summary["schema_version"], 2);
    let md = fs::read_to_string(dir.join("summary.md")).unwrap();
    assert!(md.starts_with("# portsim · Horgos"), "{md}");
    assert!(
        md.contains("\n## Vehicles\n") && md.contains("\n| --- | ---: |\n"),
        "{md}"
    );
    let arrived = vehicles_arrived(&summary);
    assert!(md.contains(&format!("| arrived | {arrived} |")), "{md}");
    let printed = String::from_utf8(stdout).unwrap();
    assert!(printed.contains("Horgos highway port"));

    // daily.csv: one row per measured day; its totals are the summary's.
    let daily = Csv::read(&dir.join("daily.csv"));
    assert_eq!(
        daily.header[..8],
        [
            "replication",
            "day",
            "arrived",
            "cleared",
            "cleared_conveyances",
            "crossed",
            "crossed_conveyances",
            "backlog_at_midnight"
        ]
    );
    for mode in ["self_driving", "cage_truck"] {
        for what in ["arrived", "cleared", "crossed"] {
            daily.col(&format!("{what}_{mode}"));
        }
    }
    assert_eq!(daily.rows.len(), 7);
    let vehicles = &summary["vehicles"];
    let conveyances = &summary["conveyances"];
    for (column, total) in [
        ("arrived", &vehicles["arrived"]),
        ("cleared", &vehicles["cleared"]),
        ("crossed", &vehicles["crossed"]),
        ("cleared_conveyances", &conveyances["cleared"]),
        ("crossed_conveyances", &conveyances["crossed"]),
    ] {
        assert_eq!(daily.sum(column), total.as_f64().unwrap(), "{column}");
    }
    for (column, figure) in [
        ("cleared", "throughput_per_day"),
        ("crossed", "crossings_per_day"),
    ] {
        let want = summary[figure]["mean"].as_f64().unwrap();
        assert!(close(daily.mean(column), want, 1e-12), "{figure}");
    }
    for mode in ["self_driving", "cage_truck"] {
        let by_mode = daily.sum(&format!("arrived_{mode}")) as u64;
        let group = summary["groups"]
            .as_array()
            .unwrap()
            .iter()
            .find(|g| g["dimension"] == "mode" && g["name"] == mode)
            .unwrap();
        assert_eq!(by_mode, group["arrived"].as_u64().unwrap(), "{mode}");
    }
    for (row, day) in daily.rows.iter().zip(summary["daily"].as_array().unwrap()) {
        let c = daily.col("backlog_at_midnight");
        assert_eq!(row[c], day["backlog_at_midnight"].to_string());
    }

    // hourly.csv: one row per hour; arrivals add up, and each stage's hourly queue and open
    // servers average to the summary's.
    let hourly = Csv::read(&dir.join("hourly.csv"));
    assert_eq!(
        hourly.header[..8],
        [
            "replication",
            "hour",
            "day",
            "clock",
            "arrived",
            "cleared",
            "crossed",
            "in_port"
        ]
    );
    assert_eq!(hourly.rows.len(), 7 * 24);
    assert_eq!(hourly.sum("arrived"), daily.sum("arrived"));
    assert_eq!(hourly.sum("crossed"), daily.sum("crossed"));
    for stage in summary["stages"].as_array().unwrap() {
        let name = stage["name"].as_str().unwrap();
        for (column, figure) in [
            ("queue", "queue_mean"),
            ("servers_open", "servers_open_mean"),
        ] {
            let got = hourly.mean(&format!("{column}_{name}"));
            let want = stage[figure].as_f64().unwrap();
            assert!(close(got, want, 1e-9), "{column} {name}: {got} vs {want}");
        }
        let u = hourly.col(&format!("utilization_{name}"));
        assert!(
            hourly
                .rows
                .iter()
                .all(|r| (0.0..=1.0 + 1e-9).contains(&r[u].parse::<f64>().unwrap()))
        );
    }
    let clock = hourly.col("clock");
    assert_eq!(hourly.rows[13][clock], "13:00");

    // vehicles.csv (--trace): every vehicle seen, the measured ones are the summary's.
    let trace = Csv::read(&dir.join("vehicles.csv"));
    for want in [
        "vehicle",
        "class",
        "mode",
        "declaration",
        "green",
        "arrival_min",
        "declaration_start_min",
        "declaration_end_min",
        "inspection_start_min",
        "inspection_end_min",
        "clearance_min",
        "crossing_min",
    ] {
        trace.col(want);
    }
    let measured = trace.col("measured");
    let n = trace.rows.iter().filter(|r| r[measured] == "true").count();
    assert_eq!(n as u64, vehicles["arrived"].as_u64().unwrap());
    let (c, x) = (trace.col("clearance_min"), trace.col("crossing_min"));
    for r in &trace.rows {
        if let (Ok(c), Ok(x)) = (r[c].parse::<f64>(), r[x].parse::<f64>()) {
            assert!(0.0 <= c && c <= x, "cleared before crossing: {r:?}");
        }
    }
}

#[test]
fn without_trace_there_is_no_vehicle_file() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    ok(&[
        "run",
        "scenarios/mmc-8.toml",
        "--days",
        "3",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let files = files_in(&dir);
    assert!(files.contains("daily.csv") && !files.contains("vehicles.csv"));
}

#[test]
fn an_existing_directory_is_refused_unless_forced() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("mine.txt"), "keep me").unwrap();
    let args = |force: bool| {
        let mut a = vec![
            "run",
            "scenarios/mmc-8.toml",
            "--days",
            "2",
            "--quiet",
            "--out",
            dir.to_str().unwrap(),
        ];
        if force {
            a.push("--force");
        }
        a.into_iter().map(str::to_string).collect::<Vec<_>>()
    };
    let refused = portsim(&args(false).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(refused.status.code(), Some(2));
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(
        err.contains("already exists") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(files_in(&dir), BTreeSet::from(["mine.txt".to_string()]));
    ok(&args(true).iter().map(String::as_str).collect::<Vec<_>>());
    let files = files_in(&dir);
    assert!(files.contains("summary.json") && !files.contains("mine.txt"));
    // Nothing is left beside it: no staging directory, no backup.
    let beside = files_in(tmp.path());
    assert_eq!(beside, BTreeSet::from(["out".to_string()]), "{beside:?}");
}

#[test]
fn experiments_write_their_files_with_one_row_per_replication_and_day() {
    let tmp = tempfile::tempdir().unwrap();
    let base = "scenarios/horgos-baseline.toml";
    let check =
        |name: &str, args: &[&str], plots: &[&str], labels: usize, reps: usize, days: usize| {
            let dir = tmp.path().join(name);
            let mut all = args.to_vec();
            all.extend(["--days", "4", "--quiet", "--out", dir.to_str().unwrap()]);
            ok(&all);
            let files = files_in(&dir);
            for want in [
                "summary.json",
                "summary.md",
                "daily.csv",
                "hourly.csv",
                "report.html",
            ] {
                assert!(
                    files.contains(want),
                    "{name}: {want} missing from {files:?}"
                );
            }
            check_plots_and_report(&dir, plots);
            let summary = json(&dir.join("summary.json"));
            assert_eq!(summary["schema_version"], 2, "{name}");
            let daily = Csv::read(&dir.join("daily.csv"));
            assert_eq!(daily.rows.len(), labels * reps * days, "{name}");
            let hourly = Csv::read(&dir.join("hourly.csv"));
            assert_eq!(hourly.rows.len(), labels * reps * days * 24, "{name}");
            (dir, summary, daily)
        };
    let (_, summary, daily) = check(
        "compare",
        &[
            "compare",
            base,
            "scenarios/horgos-cage-expansion.toml",
            "-n",
            "3",
        ],
        &["key_figures"],
        2,
        3,
        4,
    );
    assert_eq!(daily.header[0], "configuration");
    // Each configuration's mean throughput is the mean of its rows.
    let throughput = summary["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["key"] == "throughput_per_day.mean")
        .unwrap();
    for (i, figure) in throughput["values"].as_array().unwrap().iter().enumerate() {
        let label = ["A", "B"][i];
        let c = daily.col("configuration");
        let cleared = daily.col("cleared");
        let rows: Vec<f64> = daily
            .rows
            .iter()
            .filter(|r| r[c] == label)
            .map(|r| r[cleared].parse().unwrap())
            .collect();
        let mean = rows.iter().sum::<f64>() / rows.len() as f64;
        let want = figure["mean"].as_f64().unwrap();
        assert!(close(mean, want, 1e-9), "{label}: {mean} vs {want}");
    }
    let (dir, _, _) = check(
        "sweep",
        &[
            "sweep",
            base,
            "--set",
            "stages.declaration.servers=5,6",
            "-n",
            "2",
        ],
        &["key_figures", "tradeoff"],
        2,
        2,
        4,
    );
    assert!(files_in(&dir).contains("points.csv"));
    check(
        "capacity",
        &["capacity", base, "-n", "2"],
        &RUN_PLOTS,
        1,
        2,
        4,
    );
    // The plan's files describe its recommendation, run with the confirming replications;
    // the clearance plot marks the target.
    let (dir, summary, _) = check(
        "plan",
        &[
            "plan",
            "scenarios/mmc-8.toml",
            "--target",
            "p95_clearance <= 40m",
            "--confirm-replications",
            "5",
            "-n",
            "3",
        ],
        &RUN_PLOTS,
        1,
        5,
        4,
    );
    assert_eq!(summary["feasible"], true);
    let svg = fs::read_to_string(dir.join("clearance_distribution.svg")).unwrap();
    assert!(svg.contains("p95 target 40"), "the target is marked");
}

#[test]
fn the_event_logs_follow_every_vehicle() {
    let tmp = tempfile::tempdir().unwrap();
    let (events, ocel) = (tmp.path().join("events.csv"), tmp.path().join("log.json"));
    let stdout = ok(&[
        "run",
        "scenarios/horgos-baseline.toml",
        "--days",
        "2",
        "--json",
        "--events",
        events.to_str().unwrap(),
        "--ocel",
        ocel.to_str().unwrap(),
    ])
    .stdout;
    let summary: Value = serde_json::from_slice(&stdout).unwrap();
    let log = Csv::read(&events);
    assert_eq!(
        log.header[..6],
        [
            "case_id",
            "activity",
            "timestamp",
            "resource",
            "class",
            "mode"
        ]
    );
    let (case, activity) = (log.col("case_id"), log.col("activity"));
    let cases: BTreeSet<&str> = log
        .rows
        .iter()
        .filter(|r| r[activity] == "arrive")
        .map(|r| r[case].as_str())
        .collect();
    // Warm-up vehicles are logged too: at least the measured ones arrive.
    assert!(cases.len() as u64 >= summary["vehicles"]["arrived"].as_u64().unwrap());
    // Timestamps are ISO 8601 and never go backwards within a case.
    let ts = log.col("timestamp");
    let mut last: std::collections::HashMap<&str, &str> = Default::default();
    for r in &log.rows {
        assert_eq!(r[ts].len(), "2024-01-01T00:14:54.907".len(), "{}", r[ts]);
        if let Some(prev) = last.insert(r[case].as_str(), r[ts].as_str()) {
            assert!(prev <= r[ts].as_str(), "{r:?} after {prev}");
        }
    }

    // At one instant, a vehicle's events keep the order of its journey: it leaves the yard
    // before it queues at the stage after it.
    let mut by_case: std::collections::HashMap<&str, Vec<&Vec<String>>> = Default::default();
    for r in &log.rows {
        by_case.entry(r[case].as_str()).or_default().push(r);
    }
    let mut checked = 0;
    for rows in by_case.values() {
        assert_eq!(rows[0][activity], "arrive");
        if let Some(i) = rows.iter().position(|r| r[activity] == "leave yard") {
            let t = &rows[i][ts];
            assert!(
                !rows[..i].iter().any(|r| &r[ts] == t
                    && (r[activity].starts_with("queue") || r[activity].starts_with("start"))),
                "{rows:?}"
            );
            checked += usize::from(rows.get(i + 1).is_some_and(|r| &r[ts] == t));
        }
        let last = &rows[rows.len() - 1][activity];
        if rows.iter().any(|r| r[activity] == "crossed") {
            assert_eq!(last, "crossed", "{rows:?}");
        }
    }
    assert!(
        checked > 100,
        "vehicles that queue as they leave the yard: {checked}"
    );

    let ocel = json(&ocel);
    let types: Vec<&str> = ocel["objectTypes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert!(
        types.contains(&"vehicle") && types.contains(&"carrier"),
        "{types:?}"
    );
    let objects = ocel["objects"].as_array().unwrap();
    let vehicles = objects.iter().filter(|o| o["type"] == "vehicle").count();
    assert_eq!(vehicles, cases.len());
    let ids: BTreeSet<&str> = objects.iter().map(|o| o["id"].as_str().unwrap()).collect();
    for e in ocel["events"].as_array().unwrap() {
        for rel in e["relationships"].as_array().unwrap() {
            assert!(ids.contains(rel["objectId"].as_str().unwrap()), "{e}");
        }
    }
}

#[test]
fn replications_and_configurations_keep_their_objects_and_columns_apart() {
    let tmp = tempfile::tempdir().unwrap();
    // Two replications: every vehicle and carrier id names its replication.
    let ocel = tmp.path().join("log.json");
    ok(&[
        "run",
        "scenarios/horgos-baseline.toml",
        "--days",
        "1",
        "-n",
        "2",
        "--quiet",
        "--ocel",
        ocel.to_str().unwrap(),
    ]);
    let ocel = json(&ocel);
    let objects = ocel["objects"].as_array().unwrap();
    let ids: BTreeSet<&str> = objects.iter().map(|o| o["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), objects.len(), "object ids are unique");
    for o in objects {
        let id = o["id"].as_str().unwrap();
        assert!(id.starts_with("r0-") || id.starts_with("r1-"), "{id}");
    }
    assert!(ids.contains("r0-carrier-0") && ids.contains("r1-carrier-0"));

    // Configurations with different stages: the columns are the union of their stages, and
    // a configuration leaves the others' empty.
    let dir = tmp.path().join("cmp");
    ok(&[
        "compare",
        "scenarios/horgos-baseline.toml",
        "scenarios/mmc-8.toml",
        "-n",
        "2",
        "--days",
        "1",
        "--quiet",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let hourly = Csv::read(&dir.join("hourly.csv"));
    let names: Vec<&str> = hourly
        .header
        .iter()
        .filter_map(|h| h.strip_prefix("queue_"))
        .collect();
    assert_eq!(names, ["declaration", "inspection", "secondary", "lanes"]);
    let (config, decl, lanes) = (
        hourly.col("configuration"),
        hourly.col("queue_declaration"),
        hourly.col("queue_lanes"),
    );
    for r in &hourly.rows {
        assert_eq!(r.len(), hourly.header.len());
        let a = r[config] == "A";
        assert_eq!((r[decl].is_empty(), r[lanes].is_empty()), (!a, a), "{r:?}");
    }
}

#[cfg(unix)]
#[test]
fn interrupting_a_run_leaves_no_partial_files() {
    use std::time::{Duration, Instant};
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    // Long enough (tens of seconds) to be stopped in the middle.
    let mut child = Command::new(env!("CARGO_BIN_EXE_portsim"))
        .current_dir(root())
        .args([
            "run",
            "scenarios/horgos-baseline.toml",
            "--days",
            "36500",
            "--quiet",
            "--out",
            dir.to_str().unwrap(),
            "--events",
            tmp.path().join("events.csv").to_str().unwrap(),
        ])
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let pid = child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let t = Instant::now();
    let status = child.wait().unwrap();
    assert!(t.elapsed() < Duration::from_secs(10), "stopped promptly");
    assert_eq!(status.code(), Some(130));
    let left = files_in(tmp.path());
    assert!(left.is_empty(), "left behind: {left:?}");
}

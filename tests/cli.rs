//! End-to-end tests of the `portsim` command line: every kind of invalid scenario is rejected
//! with exit code 2 and a located, rustc-style message (and nothing on stdout), and the bundled
//! scenarios validate, run, and give the same bytes for the same seed.
//!
//! Invalid-scenario cases are data: a valid base scenario with one mistake, the offending text
//! marked with `$0` (one marker: where the message must point; two markers: the region it must
//! underline), the field path the message must name, and fragments it must contain. One
//! `check` runs `portsim validate` and `portsim run` on each and asserts the whole contract.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::cargo::cargo_bin_cmd;
use serde_json::Value;

/// `[simulation]` of the base scenario.
const SIMULATION: &str = r#"[simulation]
name = "Test port"
days = 3
warmup_days = 1
seed = 42
"#;

/// The hour-of-day weights of the base scenario's arrival stream.
const HOURLY: &str = "[1, 1, 1, 1, 1, 2, 4, 6, 8, 8, 8, 7, 6, 7, 8, 8, 7, 6, 4, 3, 3, 2, 2, 1]";

/// `[[arrivals]]` of the base scenario (its `hourly_profile` is [`HOURLY`]).
const ARRIVALS: &str = r#"
[[arrivals]]
name = "exports"
per_day = 300
hourly_profile = [1, 1, 1, 1, 1, 2, 4, 6, 8, 8, 8, 7, 6, 7, 8, 8, 7, 6, 4, 3, 3, 2, 2, 1]
day_of_week = [1, 1, 1, 1, 1, 0.8, 0.6]
"#;

/// The base scenario's `[[stages]]`: two regular stages and one referral-only stage.
const STAGES: &str = r#"
[[stages]]
name = "declaration"
servers = 4
service = { dist = "lognormal", mean = "6m", sd = "3m" }

[[stages]]
name = "inspection"
servers = 6
staff_per_server = 2
service = { dist = "triangular", min = "1m", mode = "2m", max = "5m" }
refer = { to = "secondary", probability = 0.03 }

[[stages]]
name = "secondary"
servers = 2
referral_only = true
service = { dist = "exponential", mean = "30m" }
"#;

/// The base scenario's `[staffing]`: three 8-hour shifts covering the day.
const STAFFING: &str = r#"
[staffing]
handover = "15m"
at_shift_end = "finish"

[[staffing.shifts]]
name = "night"
start = "00:00"
end = "08:00"
staff = { declaration = 2, inspection = 6, secondary = 1 }

[[staffing.shifts]]
name = "day"
start = "08:00"
end = "16:00"
staff = { declaration = 4, inspection = 12, secondary = 2 }

[[staffing.shifts]]
name = "evening"
start = "16:00"
end = "24:00"
staff = { declaration = 3, inspection = 8, secondary = 2 }
"#;

/// A valid scenario using every section; each invalid case is this with one mistake.
fn base() -> String {
    [SIMULATION, ARRIVALS, STAGES, STAFFING].concat()
}

/// The base scenario with `edits` applied; each `from` must occur exactly once.
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = base();
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "edit target {from:?} must occur exactly once in the base scenario"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

/// The base scenario with one edit.
fn edit(from: &str, to: &str) -> String {
    edited(&[(from, to)])
}

/// The marker for where a message must point.
const MARK: &str = "$0";

/// Where a case's message must point: the text of the line, its 1-based line and column, and
/// the width of the underline when two markers delimit a region.
struct Marked {
    line: usize,
    column: usize,
    line_text: String,
    width: Option<usize>,
}

/// Strips the `$0` markers from `text`, returning the scenario and the marked place.
fn strip_markers(text: &str) -> (String, Option<Marked>) {
    let parts: Vec<&str> = text.split(MARK).collect();
    assert!(
        parts.len() <= 3,
        "at most two {MARK} markers per case, found {}",
        parts.len() - 1
    );
    let clean = parts.concat();
    if parts.len() == 1 {
        return (clean, None);
    }
    let before = parts[0];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    let start = before.len();
    let line_end = clean[start..].find('\n').map_or(clean.len(), |i| start + i);
    let line_text = clean[line_start..line_end].to_string();
    let width = (parts.len() == 3).then(|| parts[1].chars().count());
    (
        clean,
        Some(Marked {
            line,
            column,
            line_text,
            width,
        }),
    )
}

/// Runs `portsim ARGS` in `dir`.
fn portsim(dir: &Path, args: &[&str]) -> Output {
    cargo_bin_cmd!("portsim")
        .current_dir(dir)
        .env_remove("RUST_BACKTRACE")
        .args(args)
        .output()
        .expect("portsim runs")
}

/// Runs `portsim` from the package root (where `scenarios/` is).
fn portsim_in_root(args: &[&str]) -> Output {
    portsim(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

fn stdout_of(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr_of(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// What an invalid scenario must produce.
struct Expect<'a> {
    /// The field path named by `= field:`; empty when the problem has no field (syntax error).
    field: &'a str,
    /// Text the `= hint:` line must contain; empty when any hint will do.
    hint: &'a str,
    /// How many problems are reported.
    problems: usize,
    /// Text the message must contain besides the file, location, field and hint.
    fragments: &'a [&'a str],
}

/// One mistake, one problem, any hint.
fn one<'a>(field: &'a str, fragments: &'a [&'a str]) -> Expect<'a> {
    Expect {
        field,
        hint: "",
        problems: 1,
        fragments,
    }
}

/// One mistake, one problem, a hint containing `hint`.
fn one_hinted<'a>(field: &'a str, hint: &'a str, fragments: &'a [&'a str]) -> Expect<'a> {
    Expect {
        field,
        hint,
        problems: 1,
        fragments,
    }
}

/// The diagnostics in `stderr`: one block per `error:` line, up to the next or the summary.
fn diagnostics(stderr: &str) -> Vec<String> {
    let mut blocks: Vec<String> = Vec::new();
    for line in stderr.lines() {
        if line.starts_with("error: ") {
            blocks.push(String::new());
        }
        if let Some(block) = blocks.last_mut() {
            block.push_str(line);
            block.push('\n');
        }
    }
    blocks
}

/// Writes `text` (with `$0` markers) to `NAME.toml` in a fresh directory, runs `portsim validate`
/// and `portsim run` on it, and checks both reject it the same way: exit code 2, nothing on
/// stdout, and on stderr the message located at the marker, the field, a hint, the fragments
/// and the count of problems, with no panic. Returns every violation found.
fn check(name: &str, text: &str, expect: &Expect<'_>) -> Result<(), String> {
    let (scenario, marked) = strip_markers(text);
    let dir = tempfile::tempdir().expect("temporary directory");
    let file = format!("{name}.toml");
    std::fs::write(dir.path().join(&file), &scenario).expect("scenario written");

    let mut failures = Vec::new();
    let mut stderrs = Vec::new();
    for command in ["validate", "run"] {
        let out = portsim(dir.path(), &[command, &file]);
        let stderr = stderr_of(&out);
        let mut fail = |what: String| failures.push(format!("`portsim {command}`: {what}"));

        if out.status.code() != Some(2) {
            fail(format!("exit code {:?}, expected 2", out.status.code()));
        }
        if !out.stdout.is_empty() {
            fail(format!("stdout not empty:\n{}", stdout_of(&out)));
        }
        for bad in ["panicked", "RUST_BACKTRACE"] {
            if stderr.contains(bad) {
                fail(format!("stderr contains {bad:?}"));
            }
        }
        if !stderr.starts_with("error: ") {
            fail("stderr does not start with `error: `".to_string());
        }

        let found = diagnostics(&stderr);
        if found.len() != expect.problems {
            fail(format!(
                "{} diagnostics, expected {}",
                found.len(),
                expect.problems
            ));
        }
        for (i, d) in found.iter().enumerate() {
            let first = d.lines().next().unwrap_or_default();
            if !d.contains(&format!("--> {file}")) {
                fail(format!("diagnostic {i} ({first}) names no file"));
            }
            if !expect.field.is_empty() && !d.contains("= field: ") {
                fail(format!("diagnostic {i} ({first}) has no `= field:` line"));
            }
            if !d.contains("= hint: ") {
                fail(format!("diagnostic {i} ({first}) has no `= hint:` line"));
            }
        }

        match &marked {
            Some(m) => {
                let pad = " ".repeat(m.line.to_string().len());
                let (line, column) = (m.line, m.column);
                let mut want = format!("{pad}--> {file}:{line}:{column}\n");
                if let Some(width) = m.width {
                    let (text, spaces) = (&m.line_text, " ".repeat(column - 1));
                    let carets = "^".repeat(width);
                    want.push_str(&format!(
                        "{pad} |\n{line} | {text}\n{pad} | {spaces}{carets}\n"
                    ));
                }
                if !stderr.contains(&want) {
                    fail(format!("not located at the marker; expected\n{want}"));
                }
            }
            None => {
                if !stderr.contains(&format!("--> {file}\n")) {
                    fail(format!("expected an unlocated `--> {file}` line"));
                }
            }
        }
        if expect.field.is_empty() {
            if stderr.contains("= field:") {
                fail("names a field, expected none".to_string());
            }
        } else if !stderr.contains(&format!("= field: {}\n", expect.field)) {
            fail(format!("no line `= field: {}`", expect.field));
        }
        if !expect.hint.is_empty()
            && !stderr
                .lines()
                .any(|l| l.trim_start().starts_with("= hint: ") && l.contains(expect.hint))
        {
            fail(format!("no `= hint:` line containing {:?}", expect.hint));
        }
        for fragment in expect.fragments {
            if !stderr.contains(fragment) {
                fail(format!("does not contain {fragment:?}"));
            }
        }
        let n = expect.problems;
        let summary = format!(
            "{file}: {n} problem{} found; nothing was run",
            if n == 1 { "" } else { "s" }
        );
        if stderr.lines().last() != Some(summary.as_str()) {
            fail(format!("last line is not {summary:?}"));
        }
        stderrs.push(stderr);
    }
    if stderrs[0] != stderrs[1] {
        failures.push("`validate` and `run` report differently".to_string());
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "case {name}:\n  - {}\n--- stderr of `portsim validate {file}`:\n{}",
            failures.join("\n  - "),
            stderrs[0]
        ))
    }
}

/// Checks every case and reports every failing one at once.
fn check_all(cases: &[(&str, String, Expect<'_>)]) {
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(name, text, expect)| check(name, text, expect).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

#[test]
fn base_scenario_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("base.toml"), base()).unwrap();
    for args in [
        &["validate", "base.toml"][..],
        &["run", "base.toml", "--days", "1"],
    ] {
        let out = portsim(dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr_of(&out));
    }
}

#[test]
fn invalid_values_are_located_and_explained() {
    let hourly_23 = HOURLY.replacen("1, ", "", 1);
    let hourly_negative = HOURLY.replacen("2, 4", "$0-2$0, 4", 1);
    check_all(&[
        // Referrals.
        (
            "probability-above-one",
            edit("probability = 0.03", "probability = $01.3$0"),
            one(
                "stages[1].refer.probability",
                &["probability must be between 0 and 1, got 1.3"],
            ),
        ),
        (
            "probability-negative",
            edit("probability = 0.03", "probability = $0-0.1$0"),
            one(
                "stages[1].refer.probability",
                &["probability must be between 0 and 1, got -0.1"],
            ),
        ),
        (
            "refer-to-missing-stage",
            edit(r#"to = "secondary""#, r#"to = $0"secundary"$0"#),
            one_hinted(
                "stages[1].refer.to",
                "referral-only stages: secondary",
                &[r#"error: no stage named "secundary""#],
            ),
        ),
        (
            "refer-to-regular-stage",
            edit(r#"to = "secondary""#, r#"to = $0"declaration"$0"#),
            one_hinted(
                "stages[1].refer.to",
                r#"add `referral_only = true` to stage "declaration""#,
                &[r#"stage "declaration" is a regular stage"#],
            ),
        ),
        (
            "referral-only-stage-refers",
            edit(
                "referral_only = true\n",
                "referral_only = true\nrefer = { to = $0\"secondary\"$0, probability = 0.1 }\n",
            ),
            one_hinted(
                "stages[2].refer.to",
                "remove `refer`",
                &[r#"stage "secondary" is referral_only and cannot refer"#],
            ),
        ),
        // Durations.
        (
            "zero-duration",
            edit(r#"mean = "30m""#, r#"mean = $0"0m"$0"#),
            one("stages[2].service.mean", &["greater than zero, got 0"]),
        ),
        (
            "negative-duration",
            edit(r#"mean = "30m""#, r#"mean = $0"-5m"$0"#),
            one("stages[2].service.mean", &[r#""-5m" is negative"#]),
        ),
        (
            "duration-without-unit",
            edit(r#"mean = "30m""#, "mean = $07$0"),
            one_hinted(
                "stages[2].service.mean",
                r#""7m""#,
                &["a duration needs a unit"],
            ),
        ),
        (
            "duration-with-unknown-unit",
            edit(r#"mean = "30m""#, r#"mean = $0"7x"$0"#),
            one_hinted(
                "stages[2].service.mean",
                "units s, m or min, h, d",
                &[r#"unknown unit "x" in "7x""#],
            ),
        ),
        // Staffing.
        (
            "shifts-overlap",
            edit(r#"start = "08:00""#, r#"start = $0"07:00"$0"#),
            one(
                "staffing.shifts[1].start",
                &[
                    r#"shifts "night" (00:00-08:00) and "day" (07:00-16:00) overlap from 07:00 to 08:00"#,
                ],
            ),
        ),
        (
            // The gap opens where the day shift ends: the message should point there.
            "shifts-leave-a-gap",
            edit(r#"end = "16:00""#, r#"end = $0"15:00"$0"#),
            one_hinted(
                "staffing.shifts[1].end",
                r#"start = "15:00", end = "16:00""#,
                &["no shift covers 15:00-16:00"],
            ),
        ),
        (
            "staff-for-unknown-stage",
            edit(
                "staff = { declaration = 4,",
                "staff = { xray = $01$0, declaration = 4,",
            ),
            one_hinted(
                "staffing.shifts[1].staff.xray",
                "stages: declaration, inspection, secondary",
                &[r#"no stage named "xray""#],
            ),
        ),
        (
            "clock-time-out-of-range",
            edit(r#"end = "24:00""#, r#"end = $0"25:00"$0"#),
            one_hinted(
                "staffing.shifts[2].end",
                "HH:MM",
                &[r#""25:00" is out of range"#],
            ),
        ),
        (
            "handover-as-long-as-a-shift",
            edit(r#"handover = "15m""#, r#"handover = $0"8h"$0"#),
            one(
                "staffing.handover",
                &["is not shorter than the shortest shift (480 min)"],
            ),
        ),
        // Arrivals.
        (
            "hourly-profile-of-23-values",
            edit(HOURLY, &format!("$0{hourly_23}$0")),
            one(
                "arrivals[0].hourly_profile",
                &["24 values needed for the hourly profile, got 23"],
            ),
        ),
        (
            "hourly-weight-negative",
            edit(HOURLY, &hourly_negative),
            one(
                "arrivals[0].hourly_profile[5]",
                &["must be zero or more, got -2"],
            ),
        ),
        (
            "day-of-week-of-6-values",
            edit(
                "day_of_week = [1, 1, 1, 1, 1, 0.8, 0.6]",
                "day_of_week = $0[1, 1, 1, 1, 1, 0.8]$0",
            ),
            one(
                "arrivals[0].day_of_week",
                &["7 values needed for the day-of-week factors, got 6"],
            ),
        ),
        (
            "rate-and-per-day",
            edit("per_day = 300\n", "per_day = $0300$0\nrate = \"12/h\"\n"),
            one(
                "arrivals[0].per_day",
                &["both `rate` and `per_day` are given"],
            ),
        ),
        (
            "neither-rate-nor-per-day",
            edit(
                "name = \"exports\"\nper_day = 300\n",
                "name = $0\"exports\"$0\n",
            ),
            one(
                "arrivals[0].name",
                &["says neither when nor how many vehicles arrive"],
            ),
        ),
        (
            "hourly-profile-with-rate",
            edited(&[
                ("per_day = 300", "rate = \"12/h\""),
                (HOURLY, &format!("$0{HOURLY}$0")),
            ]),
            one_hinted(
                "arrivals[0].hourly_profile",
                "per_day",
                &["an hourly profile shapes a daily volume, not a `rate`"],
            ),
        ),
        (
            "name-with-a-space",
            edit(r#"name = "exports""#, r#"name = $0"export goods"$0"#),
            one_hinted(
                "arrivals[0].name",
                "letters, digits",
                &[r#"arrival stream name "export goods" is not a valid name"#],
            ),
        ),
        // Stages.
        (
            // A missing field cannot be pointed at; its table can.
            "missing-servers",
            edit(
                "[[stages]]\nname = \"inspection\"\nservers = 6\n",
                "$0[[stages]]$0\nname = \"inspection\"\n",
            ),
            one_hinted(
                "stages[1].servers",
                "servers = ",
                &["has neither `servers` nor `lanes`"],
            ),
        ),
        (
            "zero-servers",
            edit("servers = 4", "servers = $00$0"),
            one("stages[0].servers", &["servers must be between 1 and"]),
        ),
        (
            "duplicate-stage-name",
            edit(
                "\n[staffing]",
                "\n[[stages]]\nname = $0\"declaration\"$0\nservers = 1\n\
                 service = { dist = \"constant\", value = \"1m\" }\n\n[staffing]",
            ),
            one(
                "stages[3].name",
                &[r#"stage name "declaration" is used twice (first at stages[0].name)"#],
            ),
        ),
        // Distributions.
        (
            "unknown-distribution",
            edit(r#"dist = "lognormal""#, r#"dist = $0"weibull"$0"#),
            one_hinted(
                "stages[0].service.dist",
                "exponential",
                &["unknown variant `weibull`"],
            ),
        ),
        (
            "parameter-of-another-distribution",
            edit(r#"mean = "30m" }"#, r#"mean = "30m", sd = $0"5m"$0 }"#),
            one_hinted(
                "stages[2].service.sd",
                "exponential takes mean",
                &["`sd` is not a parameter of the exponential distribution"],
            ),
        ),
        (
            "triangular-without-mode",
            edit(
                r#"service = { dist = "triangular", min = "1m", mode = "2m", max = "5m" }"#,
                r#"service = $0{ dist = "triangular", min = "1m", max = "5m" }$0"#,
            ),
            one_hinted(
                "stages[1].service",
                "triangular takes min, mode, max",
                &["the triangular distribution needs `mode`"],
            ),
        ),
        (
            // The hint must be about where the mode may lie, not a generic one about durations.
            "triangular-mode-above-max",
            edit(r#"mode = "2m""#, r#"mode = $0"9m"$0"#),
            one_hinted(
                "stages[1].service.mode",
                "mode",
                &["must lie between min", "got 9 min"],
            ),
        ),
        (
            "empirical-weights-of-wrong-length",
            edit(
                r#"service = { dist = "exponential", mean = "30m" }"#,
                r#"service = { dist = "empirical", values = ["20m", "30m", "1h"], weights = $0[1, 2]$0 }"#,
            ),
            one_hinted(
                "stages[2].service.weights",
                "one non-negative weight per value",
                &["3 values, 2 weights"],
            ),
        ),
        (
            "erlang-with-zero-phases",
            edit(
                r#"service = { dist = "exponential", mean = "30m" }"#,
                r#"service = { dist = "erlang", k = $00$0, mean = "30m" }"#,
            ),
            one("stages[2].service.k", &["got 0"]),
        ),
        // The run.
        (
            "zero-days",
            edit("days = 3", "days = $00$0"),
            one("simulation.days", &["must be between 1 and", "got 0"]),
        ),
    ]);
}

#[test]
fn unknown_fields_are_located_and_explained() {
    check_all(&[
        (
            "unknown-top-level-field",
            format!("$0colour$0 = \"red\"\n{}", base()),
            one_hinted(
                "colour",
                "simulation, classes, declarations, arrivals, stages, staffing",
                &["unknown field `colour`"],
            ),
        ),
        (
            "unknown-simulation-field",
            edit("seed = 42", "$0sead$0 = 42"),
            one_hinted("simulation.sead", "seed", &["unknown field `sead`"]),
        ),
        (
            "unknown-stage-field",
            edit("servers = 4", "$0desks$0 = 4"),
            one_hinted("stages[0].desks", "servers", &["unknown field `desks`"]),
        ),
        (
            "unknown-distribution-field",
            edit(r#"sd = "3m""#, r#"$0stdev$0 = "3m""#),
            one_hinted("stages[0].service.stdev", "sd", &["unknown field `stdev`"]),
        ),
    ]);
}

#[test]
fn structural_mistakes_are_explained() {
    check_all(&[
        (
            "unclosed-table-header",
            edit(
                "[[staffing.shifts]]\nname = \"day\"",
                "[[staffing.shifts]$0\nname = \"day\"",
            ),
            Expect {
                field: "",
                hint: "]",
                problems: 1,
                fragments: &["error: unclosed"],
            },
        ),
        (
            "no-stages",
            [SIMULATION, ARRIVALS].concat(),
            one_hinted("stages", "[[stages]]", &["the scenario has no stages"]),
        ),
        (
            "no-arrivals",
            [SIMULATION, STAGES, STAFFING].concat(),
            one_hinted(
                "arrivals",
                "[[arrivals]]",
                &["the scenario has no arrival streams"],
            ),
        ),
    ]);
}

/// Five mistakes that are each found when values are checked (a type error, such as a bad
/// clock time, stops the reading of the file and is reported alone). The first is marked.
fn several_mistakes() -> String {
    edited(&[
        ("days = 3", "days = $00"),
        ("2, 4", "-2, 4"),
        ("servers = 4", "servers = 0"),
        (r#"to = "secondary""#, r#"to = "secundary""#),
        ("probability = 0.03", "probability = 1.3"),
    ])
}

#[test]
fn several_mistakes_are_all_reported() {
    check_all(&[(
        "several-mistakes",
        several_mistakes(),
        Expect {
            field: "simulation.days",
            hint: "referral-only stages: secondary",
            problems: 5,
            fragments: &[
                "= field: arrivals[0].hourly_profile[5]\n",
                "--> several-mistakes.toml:10:34\n",
                "= field: stages[0].servers\n",
                "--> several-mistakes.toml:15:11\n",
                "= field: stages[1].refer.to\n",
                "--> several-mistakes.toml:23:16\n",
                "= field: stages[1].refer.probability\n",
                "--> several-mistakes.toml:23:43\n",
            ],
        },
    )]);
}

/// `Diagnostic`s are documented as listed "in file order" (src/scenario/error.rs).
#[test]
fn several_mistakes_are_reported_in_file_order() {
    let dir = tempfile::tempdir().unwrap();
    let (text, _) = strip_markers(&several_mistakes());
    std::fs::write(dir.path().join("several.toml"), text).unwrap();
    let out = portsim(dir.path(), &["validate", "several.toml"]);
    let stderr = stderr_of(&out);
    let positions: Vec<(usize, usize)> = stderr
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> several.toml:"))
        .map(|at| {
            let (line, column) = at.split_once(':').expect("line:column");
            (line.parse().unwrap(), column.parse().unwrap())
        })
        .collect();
    assert_eq!(positions.len(), 5, "{stderr}");
    let mut sorted = positions.clone();
    sorted.sort_unstable();
    assert_eq!(
        positions, sorted,
        "diagnostics not in file order:\n{stderr}"
    );
}

#[test]
fn missing_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    for command in ["validate", "run"] {
        let out = portsim(dir.path(), &[command, "no-such-scenario.toml"]);
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{command}: {stderr}");
        assert!(out.stdout.is_empty(), "{command}: {}", stdout_of(&out));
        assert!(
            stderr.contains("cannot read scenario file no-such-scenario.toml"),
            "{command}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{command}: {stderr}");
    }
}

#[test]
fn usage_errors_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("base.toml"), base()).unwrap();
    for (args, fragments) in [
        (
            &["run", "base.toml", "--frobnicate"][..],
            &["unexpected argument '--frobnicate'", "Usage:"][..],
        ),
        (
            &["run", "base.toml", "--days", "0"],
            &["--days", "0 is not in 1..=36500"],
        ),
        (&["run", "base.toml", "--days", "many"], &["--days", "many"]),
        (&["run", "base.toml", "--seed", "-1"], &["-1"]),
        (&["validate"], &["<FILE>"]),
        (
            &["simulate", "base.toml"],
            &["unrecognized subcommand 'simulate'"],
        ),
    ] {
        let out = portsim(dir.path(), args);
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}: {}", stdout_of(&out));
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        for fragment in fragments {
            assert!(
                stderr.contains(fragment),
                "{args:?}: no {fragment:?} in\n{stderr}"
            );
        }
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// The bundled scenarios, as paths relative to the package root.
fn bundled_scenarios() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<String> = std::fs::read_dir(root.join("scenarios"))
        .expect("scenarios/ exists")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p: PathBuf| {
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            format!("scenarios/{name}")
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no scenarios/*.toml");
    files
}

/// The unsigned integer at `path` (`"vehicles.arrived"`) in `json`.
fn count(json: &Value, path: &str) -> u64 {
    let value = path.split('.').fold(json, |v, key| &v[key]);
    value
        .as_u64()
        .unwrap_or_else(|| panic!("{path} is not a count: {value}"))
}

#[test]
fn bundled_scenarios_validate_and_run() {
    for file in bundled_scenarios() {
        let out = portsim_in_root(&["validate", &file]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr_of(&out));
        assert!(
            stdout_of(&out).contains("valid"),
            "{file}: {}",
            stdout_of(&out)
        );

        let out = portsim_in_root(&["run", &file, "--days", "2"]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr_of(&out));
        assert!(!out.stdout.is_empty(), "{file}: empty summary");

        let out = portsim_in_root(&["run", &file, "--days", "2", "--json"]);
        assert_eq!(out.status.code(), Some(0), "{file}: {}", stderr_of(&out));
        let json: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{file}: --json output does not parse: {e}"));
        let arrived = count(&json, "vehicles.arrived");
        assert!(
            json["clearance_min"]["p95"].is_number(),
            "{file}: no clearance_min.p95"
        );
        let stages = json["stages"].as_array().expect("stages[]");
        assert!(!stages.is_empty(), "{file}: stages[] is empty");
        let daily = json["daily"].as_array().expect("daily[]");
        assert_eq!(daily.len(), 2, "{file}: daily[] for --days 2");
        // A vehicle is in the port until it crosses the border.
        assert_eq!(
            count(&json, "vehicles.in_system_at_start") + arrived,
            count(&json, "vehicles.crossed") + count(&json, "vehicles.in_system_at_end"),
            "{file}: vehicles are not conserved: {}",
            json["vehicles"]
        );
        let at_end = &json["vehicles"]["at_end"];
        let places: u64 = ["stages", "yard", "aboard_carriers", "exit"]
            .iter()
            .map(|k| at_end[k].as_u64().expect("count"))
            .sum();
        assert_eq!(
            places,
            count(&json, "vehicles.in_system_at_end"),
            "{file}: places at the end"
        );
    }
}

#[test]
fn runs_are_deterministic() {
    let run = |args: &[&str]| {
        let out = portsim_in_root(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr_of(&out));
        stdout_of(&out)
    };
    let file = "scenarios/horgos-baseline.toml";
    let json = [file, "--days", "3", "--json"];
    let first = run(&[&["run"][..], &json].concat());
    let second = run(&[&["run"][..], &json].concat());
    assert!(first == second, "two runs with the same seed differ");

    let seeded = |seed: &str| run(&[&["run", "--seed", seed][..], &json].concat());
    let (seven, eight) = (seeded("7"), seeded("8"));
    assert!(seven != eight, "--seed 7 and --seed 8 give the same output");
    assert_eq!(seven, seeded("7"), "--seed 7 twice differs");
    let seed_of = |text: &str| serde_json::from_str::<Value>(text).unwrap()["seed"].clone();
    assert_eq!(seed_of(&seven), 7);
    assert_eq!(seed_of(&eight), 8);

    let text = [file, "--days", "3"];
    let first = run(&[&["run"][..], &text].concat());
    let second = run(&[&["run"][..], &text].concat());
    assert!(
        first == second,
        "two text summaries with the same seed differ"
    );
}

#[test]
fn overload_is_said_plainly() {
    // 3 desks of 10 minutes serve 18 an hour; 30 an hour arrive (offered load 1.67).
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("overloaded.toml");
    std::fs::write(
        &file,
        "[simulation]\nname = \"overloaded\"\ndays = 2\n\n[[arrivals]]\nname = \"a\"\nrate = \"30/h\"\n\n\
         [[stages]]\nname = \"desks\"\nservers = 3\nservice = { dist = \"constant\", value = \"10m\" }\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    for args in [vec!["validate", path], vec!["run", path]] {
        let out = portsim(dir.path(), &args);
        assert!(out.status.success(), "{args:?}");
        let text = stdout_of(&out);
        assert!(
            text.contains("WARNING: stage \"desks\" is overloaded")
                && text.contains("offered load 1.67 >= 1"),
            "{args:?} does not warn:\n{text}"
        );
    }
    let out = portsim(dir.path(), &["run", path, "--json"]);
    let json: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(json["stages"][0]["overloaded"], true);
    assert!(json["warnings"][0].as_str().unwrap().contains("overloaded"));
}

#[test]
fn closed_hours_are_visible_in_the_text_summary() {
    // The day-hours scenario is closed 20:00-08:00: the hour table shows no clearances and no
    // open servers from 21:00 to 08:00 (20-21 still sees services finished after closing).
    let out = portsim_in_root(&["run", "scenarios/horgos-day-hours.toml", "--days", "7"]);
    assert!(out.status.success());
    let text = stdout_of(&out);
    for h in (21..24).chain(0..8) {
        let label = format!("  {h:02}-{:02} ", h + 1);
        let line = text
            .lines()
            .find(|l| l.starts_with(&label))
            .unwrap_or_else(|| panic!("no row {label}"));
        // Columns after `arrived`: cleared, crossed, then open servers of each stage.
        let cells: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(cells.len(), 7, "hour {h}: {line}");
        assert!(
            cells[2..].iter().all(|c| c.parse::<f64>() == Ok(0.0)),
            "hour {h}: {line}"
        );
    }
}

/// A base scenario that uses every port-operations table, for the cases below.
const OPERATIONS: &str = r#"[simulation]
name = "Operations test port"
days = 3
warmup_days = 1

[[classes]]
name = "car"

[[classes]]
name = "forklift"
slots = 2

[[classes]]
name = "dump_truck"
cage_truck = false

[[declarations]]
name = "local"

[[declarations]]
name = "transit"
stages = ["declaration"]

[[arrivals]]
name = "exports"
per_day = 300
mix = { car = 0.6, forklift = 0.3, dump_truck = 0.1 }
self_driving = { car = 0.6, forklift = 0.5 }
declaration = { local = 0.8, transit = 0.2 }
green = 0.2

[[arrivals]]
name = "forwarder"
convoy = { vehicles = 40, at = "07:00", spacing = "1m" }
mix = { car = 1.0 }
self_driving = 0.5
declaration = { local = 1.0 }

[[stages]]
name = "declaration"
servers = 4
service = { dist = "exponential", mean = "4m" }

[[stages]]
name = "inspection"
service = { dist = "exponential", mean = "2m" }
lanes = [
  { name = "own", servers = 4, serves = ["self_driving"] },
  { name = "carrier", servers = 2, serves = ["cage_truck"] },
]
growth = 0

[yard]
after = "declaration"

[self_driving]
drivers = 300
round_trip = { dist = "uniform", min = "24h", max = "48h" }

[cage_truck]
carriers = 10
slots = 6
loading = { dist = "constant", value = "10m" }
max_wait = "2h"
min_load = 3
round_trip = { dist = "uniform", min = "8h", max = "24h" }

[exit]
quota_per_day = 500
hours = "08:00-22:00"

[port]
hours = "06:00-23:00"
closed_days = [2]

[staffing]
[[staffing.shifts]]
name = "all_day"
start = "00:00"
end = "24:00"
staff = { declaration = 4, inspection = { own = 4, carrier = 2 } }
"#;

/// The operations base with one edit; `from` must occur exactly once.
fn ops(from: &str, to: &str) -> String {
    let base = OPERATIONS.replace("growth = 0\n", "");
    assert_eq!(
        base.matches(from).count(),
        1,
        "edit target {from:?} must occur once"
    );
    base.replacen(from, to, 1)
}

#[test]
fn operations_base_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ops.toml"),
        OPERATIONS.replace("growth = 0\n", ""),
    )
    .unwrap();
    let out = portsim(dir.path(), &["run", "ops.toml", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
}

#[test]
fn operations_mistakes_are_located_and_explained() {
    check_all(&[
        (
            "unknown-class-in-mix",
            ops("forklift = 0.3, dump", "$0forklfit$0 = 0.3, dump"),
            one_hinted("arrivals[0].mix.forklfit", "classes: car, forklift, dump_truck", &["no class named \"forklfit\""]),
        ),
        (
            "class-shares-do-not-sum-to-one",
            ops("mix = { car = 0.6, forklift = 0.3, dump_truck = 0.1 }", "mix = $0{ car = 0.6, forklift = 0.3, dump_truck = 0.3 }$0"),
            one_hinted("arrivals[0].mix", "share", &["the class shares sum to 1.2", "they must sum to 1"]),
        ),
        (
            "declaration-shares-do-not-sum-to-one",
            ops("declaration = { local = 0.8, transit = 0.2 }", "declaration = $0{ local = 0.8, transit = 0.1 }$0"),
            one("arrivals[0].declaration", &["declaration mode shares sum to 0.9"]),
        ),
        (
            "unknown-declaration-mode",
            ops("transit = 0.2 }", "$0trnasit$0 = 0.2 }"),
            one_hinted("arrivals[0].declaration.trnasit", "local, transit", &["no declaration mode named \"trnasit\""]),
        ),
        (
            "class-larger-than-a-carrier",
            ops("slots = 2", "slots = $08$0"),
            one_hinted("classes[1].slots", "cage_truck.slots", &["takes 8 slots but a carrier has only 6"]),
        ),
        (
            "cage-share-for-a-class-that-drives-itself",
            ops("forklift = 0.5 }", "forklift = 0.5, dump_truck = $00.5$0 }"),
            one("arrivals[0].self_driving.dump_truck", &["may not go on a cage truck"]),
        ),
        (
            "green-share-above-one",
            ops("green = 0.2", "green = $01.5$0"),
            one("arrivals[0].green", &["green-channel share must be between 0 and 1, got 1.5"]),
        ),
        (
            "reserved-class-name",
            ops("[[classes]]\nname = \"dump_truck\"", "[[classes]]\nname = $0\"green\"$0\n\n[[classes]]\nname = \"dump_truck\""),
            one_hinted("classes[2].name", "reserved", &["\"green\" cannot name a class"]),
        ),
        (
            "unknown-lane-tag",
            ops("serves = [\"cage_truck\"]", "serves = [$0\"cage\"$0]"),
            one_hinted("stages[1].lanes[1].serves[0]", "self_driving, cage_truck", &["\"cage\" is not a mode, class"]),
        ),
        (
            "no-lane-for-carriers",
            ops("serves = [\"cage_truck\"]", "serves = [\"green\"]").replace("lanes = [", "lanes = $0["),
            one("stages[1].lanes", &["no lane of stage \"inspection\" serves cage-truck carriers"]),
        ),
        (
            "servers-and-lanes",
            ops("service = { dist = \"exponential\", mean = \"2m\" }\nlanes", "servers = $05$0\nservice = { dist = \"exponential\", mean = \"2m\" }\nlanes"),
            one("stages[1].servers", &["give `servers` or `lanes`, not both"]),
        ),
        (
            "staff-for-unknown-lane-group",
            ops("carrier = 2 }", "$0carriers$0 = 2 }"),
            one_hinted("staffing.shifts[0].staff.inspection.carriers", "own, carrier", &["no lane group \"carriers\""]),
        ),
        (
            "yard-after-unknown-stage",
            ops("after = \"declaration\"", "after = $0\"documents\"$0"),
            one("yard.after", &["\"documents\" is not a regular stage"]),
        ),
        (
            "driver-pool-without-round-trip",
            ops("drivers = 300\nround_trip = { dist = \"uniform\", min = \"24h\", max = \"48h\" }", "drivers = $0300$0"),
            one_hinted("self_driving.drivers", "round_trip", &["a driver pool needs a `round_trip`"]),
        ),
        (
            "round-trip-without-drivers",
            ops("drivers = 300\nround_trip = {", "round_trip = $0{"),
            one_hinted("self_driving.round_trip", "drivers = N", &["a `round_trip` without `drivers` has no effect"]),
        ),
        (
            "convoy-longer-than-a-day",
            ops("spacing = \"1m\" }", "spacing = $0\"1h\"$0 }"),
            one("arrivals[1].convoy.spacing", &["40 vehicles 60 min apart take a day or more"]),
        ),
        (
            "min-load-above-slots",
            ops("min_load = 3", "min_load = $07$0"),
            one("cage_truck.min_load", &["min_load (7) is more than the carrier's 6 slots"]),
        ),
        (
            "cage-share-without-carriers",
            ops(
                "[cage_truck]\ncarriers = 10\nslots = 6\nloading = { dist = \"constant\", value = \"10m\" }\nmax_wait = \"2h\"\nmin_load = 3\nround_trip = { dist = \"uniform\", min = \"8h\", max = \"24h\" }\n",
                "",
            )
            .replace("self_driving = 0.5", "self_driving = $00.5$0")
            .replace(
                "serves = [\"cage_truck\"]",
                "serves = [\"self_driving\"]",
            )
            .replace("self_driving = { car = 0.6, forklift = 0.5 }", "self_driving = 1.0"),
            one_hinted("arrivals[1].self_driving", "[cage_truck]", &["would go by cage truck, but the port has no [cage_truck] table"]),
        ),
        (
            "bad-exit-hours",
            ops("hours = \"08:00-22:00\"", "hours = $0\"8-22\"$0"),
            one_hinted("exit.hours", "09:00-19:00", &["\"8\" is not a clock time"]),
        ),
        (
            "closed-day-outside-the-run",
            ops("closed_days = [2]", "closed_days = [$09$0]"),
            one("port.closed_days[0]", &["a closed day must be between 1 and 3, got 9"]),
        ),
        (
            "convoy-days-and-weekdays",
            ops("spacing = \"1m\" }", "spacing = \"1m\", days = [1], weekdays = $0[\"mon\"]$0 }"),
            one("arrivals[1].convoy.weekdays", &["give `days` or `weekdays`, not both"]),
        ),
        (
            "negative-growth-below-minus-one",
            ops("green = 0.2\n", "green = 0.2\ngrowth_per_year = $0-2$0\n"),
            one("arrivals[0].growth_per_year", &["growth must be above -1"]),
        ),
        (
            "negative-multiplier",
            ops("slots = 2", "slots = 2\nservice = { inspection = { multiplier = $0-1$0 } }"),
            one("classes[1].service.inspection.multiplier", &["a multiplier must be above zero, got -1"]),
        ),
    ]);
}

#[test]
fn a_malformed_trace_line_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("day.csv"),
        "time,class\n2024-03-01 07:00,car\n2024-03-01 7h30,car\n2024-03-01 08:00,bus\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("replay.toml"),
        "[simulation]\nname = \"replay\"\ndays = 1\n\n[[classes]]\nname = \"car\"\n\n\
         [[arrivals]]\nname = \"replay\"\ntrace = \"day.csv\"\n\n\
         [[stages]]\nname = \"gate\"\nservers = 1\nservice = { dist = \"constant\", value = \"1m\" }\n",
    )
    .unwrap();
    for command in ["validate", "run"] {
        let out = portsim(dir.path(), &[command, "replay.toml"]);
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stdout_of(&out).is_empty());
        assert!(
            stderr.contains("day.csv: line 3: \"2024-03-01 7h30\" is not a time"),
            "{stderr}"
        );
        assert!(
            stderr.contains("day.csv: line 4: unknown class \"bus\""),
            "{stderr}"
        );
        assert!(
            stderr.contains("= hint: write 2024-03-01 07:15:30"),
            "{stderr}"
        );
        assert!(stderr.contains("= field: arrivals[0].trace"), "{stderr}");
        assert!(stderr.contains("replay.toml:10:9"), "{stderr}");
        assert!(!stderr.contains("panicked"));
    }
}

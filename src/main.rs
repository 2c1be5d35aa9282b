//! The `portsim` command: parse the arguments, call the library, map the outcome to an exit
//! code. All the work is in the library; this file is glue (plus the Ctrl-C handler and the
//! choice of progress bar and thread count, which belong to the process).

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};

use clap::{Args, Parser, Subcommand};
use portsim::experiment::{self, Control, NoProgress, Overrides, PlanSettings, Progress};
use portsim::scenario::{self, Assignment, Scenario, Template};
use portsim::{Error, model, report};

/// Discrete-event simulator of land border ports: vehicle arrivals, declaration, inspection
/// lanes and 24-hour staffing rosters, reporting clearance times and daily capacity.
#[derive(Parser)]
#[command(name = "portsim", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate a scenario and print clearance times, stage figures and daily throughput
    /// (with --replications N: every figure with its 95 % confidence interval).
    Run(RunArgs),
    /// Check a scenario file without running it, and show its static load.
    Validate(ValidateArgs),
    /// Run several configurations with the same replication seeds and report each one's key
    /// figures and its paired difference against the first.
    Compare(CompareArgs),
    /// Run the grid of all combinations of PATH=VALUES settings, one row per point.
    Sweep(SweepArgs),
    /// Search for the roster with the fewest staff-hours (or lowest cost) that meets service
    /// targets with 95 % confidence.
    Plan(PlanArgs),
    /// Measure daily capacity: the throughput when demand never runs out, by loading mode,
    /// with the bottleneck of each shift and the static bound from the roster.
    Capacity(CapacityArgs),
}

/// Options every simulating command shares.
#[derive(Args)]
struct Common {
    /// Master seed of the random streams (overrides `simulation.seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Measured days (overrides `simulation.days`; warm-up days come on top).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=36_500))]
    days: Option<u32>,
    /// Worker threads (default: one per core). Results are identical at any thread count.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: Option<u32>,
    /// Print one JSON object instead of text (keys in docs/output.md).
    #[arg(long)]
    json: bool,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Write result files to this directory: summary.json and .md, daily.csv, hourly.csv,
    /// plots (SVG and PNG) and report.html. It appears complete or not at all.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Replace the --out directory if it exists.
    #[arg(long, requires = "out")]
    force: bool,
}

#[derive(Args)]
struct RunArgs {
    /// The scenario file (TOML; see docs/scenario.md).
    file: PathBuf,
    /// Independent replications (overrides `simulation.replications`; default 1). With 2 or
    /// more, every figure is a mean with its 95 % confidence interval.
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u32).range(1..=100_000))]
    replications: Option<u32>,
    /// Change a field first: PATH=VALUE, e.g. stages.declaration.servers=8 (repeatable).
    #[arg(long = "set", value_name = "PATH=VALUE")]
    set: Vec<String>,
    /// With --out: also write vehicles.csv, one row per vehicle.
    #[arg(long, requires = "out")]
    trace: bool,
    /// Write a process-mining event log (CSV: case, activity, timestamp, resource, class,
    /// mode) to FILE.
    #[arg(long, value_name = "FILE.csv")]
    events: Option<PathBuf>,
    /// Write the event log as OCEL 2.0 JSON (vehicles and carriers as objects) to FILE.
    #[arg(long, value_name = "FILE.json")]
    ocel: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct ValidateArgs {
    /// The scenario file (TOML; see docs/scenario.md).
    file: PathBuf,
    /// Also list the paths that --set and --vary accept.
    #[arg(long)]
    paths: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct CompareArgs {
    /// Scenario files; the first is the reference. With --vary, exactly one.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Variants of one file: PATH=V1,V2,... (one configuration per value; the first value is
    /// the reference).
    #[arg(long, value_name = "PATH=VALUES")]
    vary: Option<String>,
    /// Replications of each configuration (overrides `simulation.replications`; default 10).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u32).range(2..=100_000))]
    replications: Option<u32>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct SweepArgs {
    /// The base scenario file.
    file: PathBuf,
    /// A field and its values: PATH=4,6,8 or PATH=4..12 or PATH=4..12:2 (repeatable; the grid
    /// is every combination).
    #[arg(long = "set", value_name = "PATH=VALUES", required = true)]
    set: Vec<String>,
    /// Replications of each point (overrides `simulation.replications`; default 10).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u32).range(2..=100_000))]
    replications: Option<u32>,
    /// Also write the rows to this CSV file.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct CapacityArgs {
    /// The scenario file (its arrival streams give the mix of vehicles, not their number).
    file: PathBuf,
    /// Independent replications (default: `simulation.replications`, else 10).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u32).range(2..=100_000))]
    replications: Option<u32>,
    #[command(flatten)]
    common: Common,
}

#[derive(Args)]
struct PlanArgs {
    /// The scenario file; its roster's shifts are kept, their staff searched.
    file: PathBuf,
    /// A service target, e.g. "p95_clearance <= 4h" or "throughput >= 680/day" (repeatable;
    /// all must hold).
    #[arg(long, value_name = "TARGET", required = true)]
    target: Vec<String>,
    /// Most staff: STAGE=N (at that stage in any shift) or N (all stages together in any
    /// shift). Repeatable; overrides [planning].
    #[arg(long, value_name = "STAGE=N|N")]
    max_staff: Vec<String>,
    /// Replications that screen each roster (default: [planning] replications, else 10).
    #[arg(long, short = 'n', value_parser = clap::value_parser!(u32).range(2..=100_000))]
    replications: Option<u32>,
    /// Replications that confirm the result (default: [planning] confirm_replications, else
    /// 30).
    #[arg(long, value_parser = clap::value_parser!(u32).range(2..=100_000))]
    confirm_replications: Option<u32>,
    #[command(flatten)]
    common: Common,
}

/// Set by Ctrl-C: experiments stop starting new runs.
static CANCEL: AtomicBool = AtomicBool::new(false);
/// Whether the running command can stop cleanly; if not, Ctrl-C exits at once.
static STOPPABLE: AtomicBool = AtomicBool::new(false);

/// Exit code after an interruption (128 + SIGINT).
const INTERRUPTED: u8 = 130;

fn main() -> ExitCode {
    let _ = ctrlc::set_handler(|| {
        if STOPPABLE.load(Ordering::SeqCst) && !CANCEL.swap(true, Ordering::SeqCst) {
            eprintln!(
                "\nportsim: stopping after the runs in progress (press Ctrl-C again to quit at once)"
            );
        } else {
            // Quitting at once: leave no half-written result files behind.
            report::abandon_all();
            std::process::exit(i32::from(INTERRUPTED));
        }
    });
    match run(Cli::parse()) {
        Ok(Done::Complete) => ExitCode::SUCCESS,
        Ok(Done::Interrupted) => {
            eprintln!("portsim: interrupted; the output above covers the runs that finished");
            ExitCode::from(INTERRUPTED)
        }
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
    }
}

enum Done {
    Complete,
    Interrupted,
}

fn run(cli: Cli) -> Result<Done, Error> {
    let (text, interrupted) = match cli.command {
        Command::Validate(a) => {
            let template = Template::load(&a.file)?;
            let s = template.base();
            let text = if a.json {
                report::validation_json(s, a.paths.then_some(&template))
            } else if a.paths {
                format!(
                    "{}\n{}",
                    report::validation(s),
                    report::paths_text(&template)
                )
            } else {
                report::validation(s)
            };
            (text, false)
        }
        Command::Run(a) => run_command(&a)?,
        Command::Compare(a) => compare_command(&a)?,
        Command::Sweep(a) => sweep_command(&a)?,
        Command::Plan(a) => plan_command(&a)?,
        Command::Capacity(a) => capacity_command(&a)?,
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(if interrupted {
        Done::Interrupted
    } else {
        Done::Complete
    })
}

impl Common {
    fn overrides(&self) -> Overrides {
        Overrides {
            seed: self.seed,
            days: self.days,
            record_timeline: self.out.is_some(),
            ..Overrides::default()
        }
    }

    /// Refuses an existing --out directory before any work is done.
    fn check_out(&self) -> Result<(), Error> {
        match &self.out {
            Some(dir) if dir.exists() && !self.force => {
                Err(report::OutError::Exists(dir.clone()).into())
            }
            _ => Ok(()),
        }
    }

    /// Writes the --out directory (nothing if the work was interrupted).
    fn write_out(&self, files: &OutFiles<'_>, interrupted: bool) -> Result<(), Error> {
        let Some(dir) = &self.out else { return Ok(()) };
        if interrupted {
            self.out_not_written();
            return Ok(());
        }
        let mut out = report::OutDir::create(dir, self.force)?;
        out.write("summary.json", files.json.as_bytes())?;
        out.write("summary.md", files.markdown.as_bytes())?;
        out.write("daily.csv", report::daily_csv(&files.runs).as_bytes())?;
        out.write("hourly.csv", report::hourly_csv(&files.runs).as_bytes())?;
        if files.vehicles {
            out.write("vehicles.csv", report::vehicles_csv(&files.runs).as_bytes())?;
        }
        for (name, bytes) in &files.extra {
            out.write(name, bytes)?;
        }
        for plot in &files.plots {
            out.write(&format!("{}.svg", plot.name), plot.svg.as_bytes())?;
            out.write(&format!("{}.png", plot.name), &plot.png)?;
        }
        out.write(
            "report.html",
            report::report_page(&files.page, &files.markdown, &files.plots).as_bytes(),
        )?;
        out.commit()?;
        Ok(())
    }

    /// Says that the work was interrupted and the --out directory not written.
    fn out_not_written(&self) {
        if let Some(dir) = &self.out {
            eprintln!("portsim: interrupted; nothing written to {}", dir.display());
        }
    }

    /// Sets the thread count, and makes Ctrl-C stop cleanly.
    fn prepare(&self) -> Result<(), Error> {
        if let Some(n) = self.threads {
            rayon::ThreadPoolBuilder::new()
                .num_threads(n as usize)
                .build_global()
                .map_err(|e| {
                    Error::Usage(
                        format!("cannot start {n} threads: {e}"),
                        "try fewer threads".into(),
                    )
                })?;
        }
        STOPPABLE.store(true, Ordering::SeqCst);
        Ok(())
    }

    /// The progress bar: only on a terminal, and not with --quiet.
    fn progress(&self) -> Box<dyn Progress> {
        if !self.quiet && std::io::stderr().is_terminal() {
            Box::new(report::Bar::new())
        } else {
            Box::new(NoProgress)
        }
    }
}

/// What `--out` writes for a command.
struct OutFiles<'a> {
    /// What report.html says about the work.
    page: report::Page<'a>,
    json: String,
    markdown: String,
    runs: Vec<report::Labeled<'a>>,
    vehicles: bool,
    plots: Vec<report::Plot>,
    extra: Vec<(String, Vec<u8>)>,
}

/// The page description for one scenario's runs.
fn page<'a>(
    command: &'a str,
    scenario: &'a Scenario,
    c: &Common,
    replications: u32,
    notes: Vec<(String, String)>,
) -> report::Page<'a> {
    report::Page {
        command,
        scenarios: vec![(None, scenario)],
        run: c.overrides().apply(scenario.run),
        replications,
        notes,
    }
}

/// The plots of one scenario's runs, with the roster's static bound as the capacity line.
fn run_plots(
    scenario: &Scenario,
    outcomes: &[experiment::Outcome],
    clearance_targets: &[(String, f64)],
) -> Vec<report::Plot> {
    let Some(first) = outcomes.first() else {
        return Vec::new();
    };
    let bound = experiment::static_bounds(&scenario.port, &first.run)
        .iter()
        .map(|b| b.vehicles_per_day)
        .fold(f64::INFINITY, f64::min);
    report::run_plots(&report::RunPlots {
        scenario,
        outcomes,
        capacity_per_day: bound.is_finite().then_some(bound),
        clearance_targets,
    })
}

/// `--set PATH=VALUE` arguments as lines of the report's parameters table.
fn settings_notes(set: &[String]) -> Vec<(String, String)> {
    set.iter()
        .map(|s| ("setting".to_string(), s.clone()))
        .collect()
}

/// The runs of one configuration, labelled for the CSV files.
fn labeled<'a>(
    label: Option<&str>,
    port: &'a model::Port,
    outcomes: &'a [experiment::Outcome],
) -> Vec<report::Labeled<'a>> {
    outcomes
        .iter()
        .enumerate()
        .map(|(i, outcome)| report::Labeled {
            label: label.map(str::to_string),
            port,
            replication: i as u32,
            outcome,
        })
        .collect()
}

/// Replications for compare and sweep: the option, else the scenario's, else 10.
fn replications(option: Option<u32>, scenario: &Scenario) -> Result<u32, Error> {
    let n = option
        .or(scenario.experiment.replications)
        .unwrap_or(experiment::DEFAULT_REPLICATIONS);
    if n < 2 {
        return Err(Error::Usage(
            format!(
                "{} asks for {n} replication, but a confidence interval needs at least 2",
                scenario.origin
            ),
            "pass --replications 10 (or more), or raise simulation.replications".into(),
        ));
    }
    Ok(n)
}

fn run_command(a: &RunArgs) -> Result<(String, bool), Error> {
    let scenario = if a.set.is_empty() {
        scenario::load(&a.file)?
    } else {
        let template = Template::load(&a.file)?;
        let changes = a
            .set
            .iter()
            .map(|s| template.assignment(s))
            .collect::<Result<Vec<Assignment>, _>>()?;
        template.with(&changes)?
    };
    let c = &a.common;
    c.check_out()?;
    let mut overrides = c.overrides();
    overrides.record_vehicles = a.trace || a.events.is_some() || a.ocel.is_some();
    let n = a
        .replications
        .or(scenario.experiment.replications)
        .unwrap_or(1);
    if n == 1 {
        let outcomes = [experiment::run_once(&scenario, &overrides)];
        let json = (c.json || c.out.is_some()).then(|| report::json(&scenario, &outcomes[0]));
        let text = match (&json, c.json) {
            (Some(json), true) => json.clone(),
            _ => report::summary(&scenario, &outcomes[0]),
        };
        write_logs(a, &scenario, &outcomes)?;
        if c.out.is_some() {
            let files = OutFiles {
                page: page("run", &scenario, c, 1, settings_notes(&a.set)),
                json: json.unwrap_or_default(),
                markdown: report::markdown(|| report::summary(&scenario, &outcomes[0])),
                runs: labeled(None, &scenario.port, &outcomes),
                vehicles: a.trace,
                plots: run_plots(&scenario, &outcomes, &[]),
                extra: Vec::new(),
            };
            c.write_out(&files, false)?;
        }
        return Ok((text, false));
    }
    c.prepare()?;
    let progress = c.progress();
    let rep = experiment::replicate(
        &scenario,
        &overrides,
        n,
        Control::new(&CANCEL, progress.as_ref()),
    );
    let json = (c.json || c.out.is_some()).then(|| report::replicated_json(&scenario, &rep));
    let text = match (&json, c.json) {
        (Some(json), true) => json.clone(),
        _ => report::replicated_summary(&scenario, &rep),
    };
    if !rep.interrupted {
        write_logs(a, &scenario, &rep.outcomes)?;
    }
    if c.out.is_some() {
        let files = OutFiles {
            page: page("run", &scenario, c, n, settings_notes(&a.set)),
            json: json.unwrap_or_default(),
            markdown: report::markdown(|| report::replicated_summary(&scenario, &rep)),
            runs: labeled(None, &scenario.port, &rep.outcomes),
            vehicles: a.trace,
            plots: run_plots(&scenario, &rep.outcomes, &[]),
            extra: Vec::new(),
        };
        c.write_out(&files, rep.interrupted)?;
    }
    Ok((text, rep.interrupted))
}

/// `--events` and `--ocel`: the process-mining logs of the runs (their vehicle records).
fn write_logs(
    a: &RunArgs,
    scenario: &Scenario,
    outcomes: &[experiment::Outcome],
) -> Result<(), Error> {
    let runs = labeled(None, &scenario.port, outcomes);
    if let Some(path) = &a.events {
        report::write_file(path, report::events_csv(&runs).as_bytes())?;
    }
    if let Some(path) = &a.ocel {
        report::write_file(path, report::ocel_json(&runs).as_bytes())?;
    }
    Ok(())
}

fn compare_command(a: &CompareArgs) -> Result<(String, bool), Error> {
    let configs: Vec<(Scenario, Vec<Assignment>)> = match &a.vary {
        Some(vary) => {
            if a.files.len() != 1 {
                return Err(Error::Usage(
                    format!(
                        "--vary takes one scenario file, got {}",
                        a.files.len()
                    ),
                    "compare files (portsim compare A.toml B.toml) or variants of one (portsim compare A.toml --vary PATH=V1,V2)".into(),
                ));
            }
            let template = Template::load(&a.files[0])?;
            let (field, values) = template.setting(vary)?;
            if values.len() < 2 {
                return Err(Error::Usage(
                    format!("--vary {vary} gives one value; a comparison needs two or more"),
                    "list the values to compare, the reference first: PATH=16,20,24".into(),
                ));
            }
            values
                .into_iter()
                .map(|value| {
                    let change = vec![Assignment {
                        field: field.clone(),
                        value,
                    }];
                    template.with(&change).map(|s| (s, change))
                })
                .collect::<Result<_, _>>()?
        }
        None => {
            if a.files.len() < 2 {
                return Err(Error::Usage(
                    "compare needs two scenario files or more, or one with --vary".into(),
                    "portsim compare A.toml B.toml, or portsim compare A.toml --vary stages.declaration.servers=6,8".into(),
                ));
            }
            a.files
                .iter()
                .map(|f| scenario::load(f).map(|s| (s, Vec::new())))
                .collect::<Result<_, _>>()?
        }
    };
    let n = replications(a.replications, &configs[0].0)?;
    let c = &a.common;
    c.check_out()?;
    c.prepare()?;
    let progress = c.progress();
    let scenarios: Vec<Scenario> = configs.iter().map(|(s, _)| s.clone()).collect();
    let cmp = experiment::compare(
        &scenarios,
        &c.overrides(),
        n,
        Control::new(&CANCEL, progress.as_ref()),
    );
    let configs: Vec<report::Config<'_>> = configs
        .iter()
        .map(|(s, settings)| report::Config {
            scenario: s,
            settings: settings.clone(),
        })
        .collect();
    let text = if c.json {
        report::comparison_json(&configs, &cmp)
    } else {
        report::comparison_text(&configs, &cmp)
    };
    if c.out.is_some() {
        let runs = cmp
            .outcomes
            .iter()
            .zip(&configs)
            .enumerate()
            .flat_map(|(i, (o, config))| labeled(Some(&letter(i)), &config.scenario.port, o))
            .collect();
        let files = OutFiles {
            page: report::Page {
                command: "compare",
                scenarios: configs
                    .iter()
                    .enumerate()
                    .map(|(i, cfg)| (Some(letter(i)), cfg.scenario))
                    .collect(),
                run: c.overrides().apply(configs[0].scenario.run),
                replications: n,
                notes: configs
                    .iter()
                    .enumerate()
                    .filter(|(_, cfg)| !cfg.settings.is_empty())
                    .map(|(i, cfg)| {
                        (
                            format!("{}: settings", letter(i)),
                            cfg.settings
                                .iter()
                                .map(ToString::to_string)
                                .collect::<Vec<_>>()
                                .join(", "),
                        )
                    })
                    .collect(),
            },
            json: report::comparison_json(&configs, &cmp),
            markdown: report::markdown(|| report::comparison_text(&configs, &cmp)),
            runs,
            vehicles: false,
            plots: report::compare_plots(&configs, &cmp),
            extra: Vec::new(),
        };
        c.write_out(&files, cmp.interrupted)?;
    }
    Ok((text, cmp.interrupted))
}

/// The label of configuration `i`: A, B, ..., Z, AA, AB...
fn letter(i: usize) -> String {
    let mut s = String::new();
    let mut n = i + 1;
    while n > 0 {
        n -= 1;
        s.insert(0, (b'A' + (n % 26) as u8) as char);
        n /= 26;
    }
    s
}

/// Most points one sweep may have.
const MAX_POINTS: usize = 100_000;

fn capacity_command(a: &CapacityArgs) -> Result<(String, bool), Error> {
    let scenario = scenario::load(&a.file)?;
    let n = replications(a.replications, &scenario)?;
    let c = &a.common;
    c.check_out()?;
    c.prepare()?;
    let progress = c.progress();
    let cap = experiment::capacity(
        &scenario,
        &c.overrides(),
        n,
        Control::new(&CANCEL, progress.as_ref()),
    );
    let text = if c.json {
        report::capacity_json(&scenario, &cap)
    } else {
        report::capacity_summary(&scenario, &cap)
    };
    if c.out.is_some() {
        let files = OutFiles {
            page: page("capacity", &scenario, c, n, Vec::new()),
            json: report::capacity_json(&scenario, &cap),
            markdown: report::markdown(|| report::capacity_summary(&scenario, &cap)),
            runs: labeled(None, &scenario.port, &cap.replicated.outcomes),
            vehicles: false,
            plots: report::run_plots(&report::RunPlots {
                scenario: &scenario,
                outcomes: &cap.replicated.outcomes,
                capacity_per_day: cap.bound().map(|b| b.vehicles_per_day),
                clearance_targets: &[],
            }),
            extra: Vec::new(),
        };
        c.write_out(&files, cap.replicated.interrupted)?;
    }
    Ok((text, cap.replicated.interrupted))
}

fn sweep_command(a: &SweepArgs) -> Result<(String, bool), Error> {
    let template = Template::load(&a.file)?;
    let settings = a
        .set
        .iter()
        .map(|s| template.setting(s))
        .collect::<Result<Vec<_>, _>>()?;
    let size: f64 = settings.iter().map(|(_, v)| v.len() as f64).product();
    if size > MAX_POINTS as f64 {
        return Err(Error::Usage(
            format!("the grid has {size} points; at most {MAX_POINTS} are allowed"),
            "use fewer values or larger range steps".into(),
        ));
    }
    let paths: Vec<String> = settings.iter().map(|(f, _)| f.path.clone()).collect();
    let points = experiment::grid(&settings);
    // Every point is checked before anything runs.
    let scenarios = points
        .iter()
        .map(|p| template.with(p))
        .collect::<Result<Vec<_>, _>>()?;
    let n = replications(a.replications, template.base())?;
    let c = &a.common;
    c.check_out()?;
    c.prepare()?;
    let progress = c.progress();
    let (seed, points) = experiment::sweep(
        points,
        &scenarios,
        &c.overrides(),
        n,
        Control::new(&CANCEL, progress.as_ref()),
    );
    let interrupted = points.iter().any(|p| p.outcomes.is_none());
    let r = report::SweepReport {
        base: template.base(),
        scenarios: &scenarios,
        points: &points,
        paths,
        seed,
        replications: n,
    };
    if let Some(csv) = &a.csv {
        report::write_file(csv, report::sweep_csv(&r).as_bytes())?;
    }
    let text = if c.json {
        report::sweep_json(&r)
    } else {
        report::sweep_text(&r)
    };
    if c.out.is_some() {
        let runs = points
            .iter()
            .zip(&scenarios)
            .enumerate()
            .filter_map(|(i, (p, s))| {
                p.outcomes
                    .as_ref()
                    .map(|o| labeled(Some(&format!("point-{}", i + 1)), &s.port, o))
            })
            .flatten()
            .collect();
        let files = OutFiles {
            page: page(
                "sweep",
                template.base(),
                c,
                n,
                settings_notes(&a.set)
                    .into_iter()
                    .map(|(_, v)| ("swept".to_string(), v))
                    .collect(),
            ),
            json: report::sweep_json(&r),
            markdown: report::markdown(|| report::sweep_text(&r)),
            runs,
            vehicles: false,
            plots: report::sweep_plots(&r),
            extra: vec![("points.csv".into(), report::sweep_csv(&r).into_bytes())],
        };
        c.write_out(&files, interrupted)?;
    }
    Ok((text, interrupted))
}

fn plan_command(a: &PlanArgs) -> Result<(String, bool), Error> {
    let scenario = scenario::load(&a.file)?;
    let settings = PlanSettings::new(
        &scenario,
        &a.target,
        &a.max_staff,
        a.replications,
        a.confirm_replications,
    )?;
    let c = &a.common;
    c.check_out()?;
    c.prepare()?;
    let progress = c.progress();
    let plan = experiment::plan(
        &scenario,
        &c.overrides(),
        &settings,
        Control::new(&CANCEL, progress.as_ref()),
    );
    let text = if c.json {
        report::plan_json(&scenario, &plan)
    } else {
        report::plan_text(&scenario, &plan)
    };
    if c.out.is_some() && !plan.interrupted {
        // The files describe the recommended roster (else the best effort), run again with
        // the confirming replications and their hourly timelines.
        let recommended = experiment::recommended_scenario(&scenario, &plan);
        let rep = recommended.as_ref().map(|s| {
            experiment::replicate(
                s,
                &c.overrides(),
                plan.settings.confirm_replications,
                Control::new(&CANCEL, progress.as_ref()),
            )
        });
        let interrupted = rep.as_ref().is_some_and(|r| r.interrupted);
        let marks = report::clearance_marks(&plan, &scenario.port);
        let files = OutFiles {
            page: page(
                "plan",
                recommended.as_ref().unwrap_or(&scenario),
                c,
                plan.settings.confirm_replications,
                plan.settings
                    .targets
                    .iter()
                    .map(|t| ("target".to_string(), t.text.clone()))
                    .collect(),
            ),
            json: report::plan_json(&scenario, &plan),
            markdown: report::markdown(|| report::plan_text(&scenario, &plan)),
            runs: match (&recommended, &rep) {
                (Some(s), Some(r)) => labeled(None, &s.port, &r.outcomes),
                _ => Vec::new(),
            },
            vehicles: false,
            plots: match (&recommended, &rep) {
                (Some(s), Some(r)) => run_plots(s, &r.outcomes, &marks),
                _ => Vec::new(),
            },
            extra: Vec::new(),
        };
        c.write_out(&files, interrupted)?;
        return Ok((text, interrupted));
    }
    if plan.interrupted {
        c.out_not_written();
    }
    Ok((text, plan.interrupted))
}

//! The `portsim` command: parse the arguments, call the library, map the outcome to an exit
//! code. All the work is in the library; this file is glue.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use portsim::experiment::{self, Overrides};
use portsim::{Error, report, scenario};

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
    /// Simulate a scenario and print clearance times, stage figures and daily throughput.
    Run(RunArgs),
    /// Check a scenario file without running it, and show its static load.
    Validate {
        /// The scenario file (TOML; see docs/scenario.md).
        file: PathBuf,
    },
}

#[derive(Args)]
struct RunArgs {
    /// The scenario file (TOML; see docs/scenario.md).
    file: PathBuf,
    /// Master seed of the random streams (overrides `simulation.seed`).
    #[arg(long)]
    seed: Option<u64>,
    /// Measured days (overrides `simulation.days`; warm-up days come on top).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=36_500))]
    days: Option<u32>,
    /// Print one JSON object instead of the text summary (keys in docs/output.md).
    #[arg(long)]
    json: bool,
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Error::Output(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    let text = match cli.command {
        Command::Validate { file } => report::validation(&scenario::load(&file)?),
        Command::Run(args) => {
            let scenario = scenario::load(&args.file)?;
            let overrides = Overrides {
                seed: args.seed,
                days: args.days,
                ..Overrides::default()
            };
            let outcome = experiment::run_once(&scenario, &overrides);
            if args.json {
                report::json(&scenario, &outcome)
            } else {
                report::summary(&scenario, &outcome)
            }
        }
    };
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes())?;
    stdout.flush()?;
    Ok(())
}

//! The errors a `portsim` command can end with, and the exit code each maps to.

use crate::experiment::PlanError;
use crate::report::OutError;
use crate::scenario::ScenarioError;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scenario file is missing, unreadable or invalid (exit code 2).
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    /// The planner's targets or bounds are invalid (exit code 2).
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// A command-line argument is invalid (exit code 2): what is wrong and a hint.
    #[error("error: {0}\n  = hint: {1}")]
    Usage(String, String),
    /// Output could not be written (exit code 1).
    #[error("cannot write output: {0}")]
    Output(#[from] std::io::Error),
    /// Result files could not be written, or `--out DIR` exists (exit code 1; 2 for an
    /// existing directory, which is a usage error).
    #[error("error: {0}{hint}", hint = files_hint(.0))]
    Files(#[from] OutError),
}

fn files_hint(e: &OutError) -> &'static str {
    match e {
        OutError::Exists(_) => {
            "\n  = hint: pass --force to replace it, or choose another directory"
        }
        OutError::Io { .. } => "",
    }
}

impl Error {
    /// The process exit code: 2 for bad input (like a usage error), 1 otherwise.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Scenario(_) | Error::Plan(_) | Error::Usage(..) => 2,
            Error::Files(OutError::Exists(_)) => 2,
            Error::Output(_) | Error::Files(_) => 1,
        }
    }
}

//! Scenario files: TOML in, a checked [`Port`] and [`RunSpec`] out.
//!
//! This is the only module that deserializes. Loading has three steps: serde reads the text
//! into raw structs that mirror the file (`raw`; unknown fields rejected, units parsed by
//! `units`), `build` checks what the values mean and converts them to model types, and every
//! problem becomes a [`Diagnostic`] that names the file, line, column and field and says what
//! would be valid. The format is documented in docs/scenario.md.

mod build;
mod error;
mod paths;
mod raw;
mod trace;
mod units;

use std::path::Path;

pub use error::{Diagnostic, Location, ScenarioError};
pub use paths::{
    Assignment, Field, FieldKind, ParamValue, Template, edit_distance, nearest, parse_values,
};
pub use units::{format_clock, parse_clock, parse_duration, parse_rate};

use crate::model::{Port, RunSpec};
use error::{SourceMap, path_string};

/// A loaded, checked scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// The port to simulate.
    pub port: Port,
    /// How long, and with which seed, as the file says.
    pub run: RunSpec,
    /// Where it came from (a file path, or a label for text given directly).
    pub origin: String,
    /// Settings for experiments: replications, planning bounds and costs.
    pub experiment: ExperimentSpec,
}

/// What a scenario says about experiments on it (`simulation.replications`, `[planning]`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExperimentSpec {
    /// `simulation.replications`: replications of `run` (and of `compare` and `sweep`).
    pub replications: Option<u32>,
    /// `[planning]`: bounds and costs for `portsim plan`.
    pub planning: Planning,
}

/// `[planning]`: the search space and objective of `portsim plan`. Per-stage lists are
/// indexed like the port's stages.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Planning {
    /// Fewest staff at each stage in any shift (`None`: 0).
    pub min_staff: Vec<Option<u32>>,
    /// Most staff at each stage in any shift (`None`: enough to open every server).
    pub max_staff: Vec<Option<u32>>,
    /// Most staff on duty at all stages together in any one shift.
    pub max_staff_per_shift: Option<u32>,
    /// Cost of one officer-hour at each stage; `None` minimises staff-hours instead.
    pub cost_per_hour: Option<Vec<f64>>,
    /// Replications that screen each roster.
    pub replications: Option<u32>,
    /// Replications that confirm the recommended roster and its rivals.
    pub confirm_replications: Option<u32>,
}

/// Reads and checks the scenario file at `path`.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    parse_in(&text, &path.display().to_string(), base)
}

/// Checks scenario `text`; `origin` names it in error messages. Trace files are read relative
/// to the current directory.
pub fn parse(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
    parse_in(text, origin, Path::new("."))
}

/// Checks scenario `text`, reading trace files relative to `base`.
pub fn parse_in(text: &str, origin: &str, base: &Path) -> Result<Scenario, ScenarioError> {
    let map = SourceMap::new(text);
    let invalid = |diagnostics: Vec<Diagnostic>| ScenarioError::Invalid {
        file: origin.to_string(),
        diagnostics,
    };
    let raw: raw::RawScenario =
        toml::from_str(text).map_err(|e| invalid(vec![serde_diagnostic(&map, &e)]))?;
    let built = build::build(&raw, base);
    let experiment = build::check_experiment(&raw);
    let (port, run, experiment) = match (built, experiment) {
        (Ok((port, run)), Ok(experiment)) => Ok((port, run, experiment)),
        (Err(mut a), Err(b)) => {
            a.extend(b);
            Err(a)
        }
        (Err(found), _) | (_, Err(found)) => Err(found),
    }
    .map_err(|found| {
        let mut located: Vec<Diagnostic> = found.into_iter().map(|d| map.locate(d)).collect();
        // File order (stable, so problems at one spot keep their checking order).
        located.sort_by_key(|d| {
            d.location
                .as_ref()
                .map_or((usize::MAX, 0), |l| (l.line, l.column))
        });
        invalid(located)
    })?;
    Ok(Scenario {
        port,
        run,
        origin: origin.to_string(),
        experiment,
    })
}

/// Turns a TOML syntax or type error into a diagnostic: the message split into what is wrong
/// and what was expected, the field found from the error's position.
fn serde_diagnostic(map: &SourceMap<'_>, e: &toml::de::Error) -> Diagnostic {
    let text = e.message().trim();
    let (message, hint) = split_expected(text);
    let mut field = e
        .span()
        .map(|s| path_string(&map.path_at(s.start)))
        .unwrap_or_default();
    if let Some(missing) = between(&message, "missing field `", "`") {
        if !field.is_empty() {
            field.push('.');
        }
        field.push_str(missing);
    }
    let mut d = Diagnostic::new(field, message.clone());
    if let Some(h) = hint {
        d = d.hint(h);
    } else if let Some(missing) = between(&message, "missing field `", "`") {
        d = d.hint(format!("add `{missing} = ...` (see docs/scenario.md)"));
    }
    d.location = e.span().map(|s| map.location(s));
    d
}

/// `"unknown field `x`, expected one of `a`, `b`"` → (`unknown field `x``, `expected one of ...`).
fn split_expected(text: &str) -> (String, Option<String>) {
    if let Some((what, expected)) = text.split_once(", expected ") {
        let expected = expected.replace('`', "");
        return (what.to_string(), Some(format!("expected {expected}")));
    }
    if let Some((what, help)) = text.split_once("; ") {
        return (what.to_string(), Some(help.to_string()));
    }
    (text.to_string(), None)
}

fn between<'t>(text: &'t str, open: &str, close: &str) -> Option<&'t str> {
    let start = text.find(open)? + open.len();
    let len = text[start..].find(close)?;
    Some(&text[start..start + len])
}

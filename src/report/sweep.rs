//! `portsim sweep`: one row per grid point, with the key figures and their 95 % intervals; as
//! text, JSON or CSV.

use std::fmt::Write;

use serde_json::{Map, Value, json};

use super::aggregate::{CONFIDENCE, figure};
use super::figures::{KeyFigure, key_figures, settings_json, values};
use super::json::{SCHEMA_VERSION, pretty};
use super::replicated::pm;
use super::table::Table;
use crate::experiment::SweepPoint;
use crate::scenario::Scenario;
use crate::stats::MeanCi;

/// A finished sweep, ready to report.
#[derive(Clone, Debug)]
pub struct SweepReport<'a> {
    /// The base scenario.
    pub base: &'a Scenario,
    /// The scenario of each point.
    pub scenarios: &'a [Scenario],
    /// The points and their runs.
    pub points: &'a [SweepPoint],
    /// The paths being swept, in order.
    pub paths: Vec<String>,
    /// Master seed.
    pub seed: u64,
    /// Replications per point.
    pub replications: u32,
}

impl SweepReport<'_> {
    fn figures(&self) -> Vec<KeyFigure> {
        key_figures(&self.scenarios.iter().collect::<Vec<_>>(), false)
    }

    /// `values[point][figure]`: the replications' values, when the point finished.
    fn values(&self, figures: &[KeyFigure]) -> Vec<Option<Vec<Option<Vec<f64>>>>> {
        self.points
            .iter()
            .zip(self.scenarios)
            .map(|(p, s)| p.outcomes.as_ref().map(|o| values(s, o, figures)))
            .collect()
    }

    fn finished(&self) -> usize {
        self.points.iter().filter(|p| p.outcomes.is_some()).count()
    }
}

/// The sweep as a JSON value.
pub fn sweep_value(r: &SweepReport<'_>) -> Value {
    let figures = r.figures();
    let values = r.values(&figures);
    let points: Vec<Value> = r
        .points
        .iter()
        .zip(&values)
        .map(|(p, v)| {
            let figs = v.as_ref().map_or(Value::Null, |v| {
                let mut m = Map::new();
                for (f, xs) in figures.iter().zip(v) {
                    if let Some(xs) = xs {
                        m.insert(f.key.clone(), figure(xs));
                    }
                }
                Value::Object(m)
            });
            json!({
                "settings": settings_json(&p.settings),
                "replications": if p.outcomes.is_some() { r.replications } else { 0 },
                "figures": figs,
            })
        })
        .collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "command": "sweep",
        "scenario": {"name": r.base.port.name, "file": r.base.origin},
        "seed": r.seed,
        "days": r.scenarios.first().map_or(r.base.run.days, |s| s.run.days),
        "warmup_days": r.base.run.warmup_days,
        "replications": r.replications,
        "confidence_level": CONFIDENCE,
        "interrupted": r.finished() < r.points.len(),
        "parameters": r.paths,
        "points": points,
    })
}

/// The sweep as pretty JSON.
pub fn sweep_json(r: &SweepReport<'_>) -> String {
    pretty(&sweep_value(r))
}

/// The sweep as CSV: one row per finished point; the swept values (minutes for durations,
/// per minute for rates), then each figure's mean and the half-width of its 95 % interval.
pub fn sweep_csv(r: &SweepReport<'_>) -> String {
    let figures = r.figures();
    let values = r.values(&figures);
    let mut out = String::new();
    let mut header: Vec<String> = r.paths.clone();
    for f in &figures {
        header.push(f.key.clone());
        header.push(format!("{}.half_width", f.key));
    }
    out.push_str(&header.join(","));
    out.push('\n');
    for (p, v) in r.points.iter().zip(&values) {
        let Some(v) = v else { continue };
        let mut row: Vec<String> = p
            .settings
            .iter()
            .map(|a| a.value.number.to_string())
            .collect();
        for xs in v {
            match xs {
                Some(xs) => {
                    let ci = MeanCi::new(xs, CONFIDENCE);
                    row.push(ci.mean.to_string());
                    row.push(if ci.half_width.is_finite() {
                        ci.half_width.to_string()
                    } else {
                        String::new()
                    });
                }
                None => row.extend([String::new(), String::new()]),
            }
        }
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// The sweep as text.
pub fn sweep_text(r: &SweepReport<'_>) -> String {
    let figures = r.figures();
    let values = r.values(&figures);
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "portsim sweep · {}", r.base.port.name);
    let _ = writeln!(w, "  scenario  {}", r.base.origin);
    let _ = writeln!(
        w,
        "  grid      {} points ({}) · {} replications each · master seed {}",
        r.points.len(),
        r.paths.join(" × "),
        r.replications,
        r.seed
    );
    let _ = writeln!(
        w,
        "Every point runs with the same replication seeds (common random numbers). Figures: mean ± 95 % CI.\n"
    );
    let finished = r.finished();
    if finished < r.points.len() {
        let _ = writeln!(
            w,
            "INTERRUPTED: {finished} of {} points finished; only they are shown.\n",
            r.points.len()
        );
    }
    let mut headers: Vec<String> = r.paths.clone();
    headers.extend(figures.iter().map(|f| f.label.clone()));
    let mut t = Table::new(headers);
    for (p, v) in r.points.iter().zip(&values) {
        let Some(v) = v else { continue };
        let mut row: Vec<String> = p.settings.iter().map(|a| a.value.text.clone()).collect();
        for (f, xs) in figures.iter().zip(v) {
            row.push(xs.as_ref().map_or("—".into(), |xs| {
                let ci = MeanCi::new(xs, CONFIDENCE);
                pm(ci.mean * f.scale, ci.half_width * f.scale, f.decimals)
            }));
        }
        t.row(row);
    }
    let _ = write!(w, "{}", t.render(2));
    out
}

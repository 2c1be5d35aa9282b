//! `portsim compare`: each configuration's key figures and its paired difference against the
//! first, with 95 % intervals.

use std::fmt::Write;

use serde_json::{Value, json};

use super::aggregate::{CONFIDENCE, figure};
use super::figures::{KeyFigure, key_figures, settings_json, values};
use super::json::{SCHEMA_VERSION, pretty};
use super::replicated::pm;
use super::static_warnings;
use super::table::Table;
use crate::experiment::Comparison;
use crate::scenario::{Assignment, Scenario};
use crate::stats::{MeanCi, welch_half_width};

/// One configuration of a comparison.
#[derive(Clone, Debug)]
pub struct Config<'a> {
    /// The scenario as run.
    pub scenario: &'a Scenario,
    /// The `--vary` setting that made it, if any.
    pub settings: Vec<Assignment>,
}

/// `A`, `B`, … `Z`, then `#27`, `#28`…
fn letter(i: usize) -> String {
    if i < 26 {
        char::from(b'A' + i as u8).to_string()
    } else {
        format!("#{}", i + 1)
    }
}

fn describe(c: &Config<'_>) -> String {
    let mut s = c.scenario.origin.clone();
    if !c.settings.is_empty() {
        let set: Vec<String> = c.settings.iter().map(ToString::to_string).collect();
        s.push_str(&format!(" with {}", set.join(", ")));
    }
    s
}

/// A figure's interval and its per-replication values, for one configuration.
type Sample = Option<(MeanCi, Vec<f64>)>;

struct Computed {
    figures: Vec<KeyFigure>,
    /// `cis[figure][config]`.
    cis: Vec<Vec<Sample>>,
}

fn compute(configs: &[Config<'_>], cmp: &Comparison) -> Computed {
    let scenarios: Vec<&Scenario> = configs.iter().map(|c| c.scenario).collect();
    let figures = key_figures(&scenarios, true);
    let per_config: Vec<Vec<Option<Vec<f64>>>> = configs
        .iter()
        .zip(&cmp.outcomes)
        .map(|(c, o)| values(c.scenario, o, &figures))
        .collect();
    let cis = (0..figures.len())
        .map(|f| {
            per_config
                .iter()
                .map(|v| {
                    v[f].as_ref()
                        .map(|xs| (MeanCi::new(xs, CONFIDENCE), xs.clone()))
                })
                .collect()
        })
        .collect();
    Computed { figures, cis }
}

/// The paired difference `b − a` as JSON, with the unpaired half-width beside it.
fn difference(a: &[f64], b: &[f64]) -> Value {
    let d: Vec<f64> = b.iter().zip(a).map(|(y, x)| y - x).collect();
    let mut v = figure(&d);
    let ci = MeanCi::new(&d, CONFIDENCE);
    let unpaired = welch_half_width(a, b, CONFIDENCE);
    v["unpaired_half_width"] = if unpaired.is_finite() {
        json!(unpaired)
    } else {
        Value::Null
    };
    v["significant"] = json!(ci.n >= 2 && (ci.low() > 0.0 || ci.high() < 0.0));
    v
}

/// The comparison as a JSON value.
pub fn comparison_value(configs: &[Config<'_>], cmp: &Comparison) -> Value {
    let c = compute(configs, cmp);
    let figures: Vec<Value> = c
        .figures
        .iter()
        .zip(&c.cis)
        .map(|(f, per)| {
            let base = per.first().and_then(Option::as_ref);
            json!({
                "key": f.key,
                "label": f.label,
                "values": per.iter().map(|x| x.as_ref().map_or(Value::Null, |(_, xs)| figure(xs))).collect::<Vec<_>>(),
                "differences": per.iter().enumerate().map(|(i, x)| match (i, base, x) {
                    (0, _, _) | (_, None, _) | (_, _, None) => Value::Null,
                    (_, Some((_, a)), Some((_, b))) => difference(a, b),
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "schema_version": SCHEMA_VERSION,
        "command": "compare",
        "seed": cmp.seed,
        "replications": cmp.indices.len(),
        "replications_requested": cmp.requested,
        "confidence_level": CONFIDENCE,
        "interrupted": cmp.interrupted,
        "configurations": configs.iter().zip(&cmp.outcomes).enumerate().map(|(i, (c, o))| json!({
            "label": letter(i),
            "scenario": {"name": c.scenario.port.name, "file": c.scenario.origin},
            "settings": settings_json(&c.settings),
            "days": o.first().map_or(c.scenario.run.days, |o| o.run.days),
            "warmup_days": c.scenario.run.warmup_days,
            "warnings": static_warnings(&c.scenario.port, &c.scenario.run),
        })).collect::<Vec<_>>(),
        "figures": figures,
    })
}

/// The comparison as pretty JSON.
pub fn comparison_json(configs: &[Config<'_>], cmp: &Comparison) -> String {
    pretty(&comparison_value(configs, cmp))
}

/// The comparison as text.
pub fn comparison_text(configs: &[Config<'_>], cmp: &Comparison) -> String {
    let c = compute(configs, cmp);
    let n = cmp.indices.len();
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(
        w,
        "portsim compare · {} configurations · {n} replications each · master seed {}",
        configs.len(),
        cmp.seed
    );
    for (i, config) in configs.iter().enumerate() {
        let _ = writeln!(w, "  {}  {}", letter(i), describe(config));
    }
    let _ = writeln!(
        w,
        "Every configuration runs with the same replication seeds (common random numbers): the\n\
         same vehicles arrive with the same work in each, so differences are measured in pairs.\n"
    );
    if cmp.interrupted {
        let _ = writeln!(
            w,
            "INTERRUPTED: {n} of {} replications finished in every configuration; the figures below are theirs.\n",
            cmp.requested
        );
    }
    for (i, config) in configs.iter().enumerate() {
        for warning in static_warnings(&config.scenario.port, &config.scenario.run) {
            let _ = writeln!(w, "WARNING ({}): {warning}\n", letter(i));
        }
    }
    if n == 0 {
        let _ = writeln!(w, "No replication finished.");
        return out;
    }
    let _ = writeln!(w, "Key figures (mean ± 95 % confidence interval)");
    let mut headers = vec!["figure".to_string()];
    headers.extend((0..configs.len()).map(letter));
    let mut t = Table::new(headers);
    for (f, per) in c.figures.iter().zip(&c.cis) {
        let mut row = vec![f.label.clone()];
        row.extend(per.iter().map(|x| {
            x.as_ref().map_or("—".into(), |(ci, _)| {
                pm(ci.mean * f.scale, ci.half_width * f.scale, f.decimals)
            })
        }));
        t.row(row);
    }
    let _ = writeln!(w, "{}", t.render(2));

    if configs.len() < 2 {
        return out;
    }
    let _ = writeln!(
        w,
        "Paired differences against A (95 % confidence interval; * = significant: the interval excludes 0)"
    );
    let mut headers = vec!["figure".to_string()];
    headers.extend((1..configs.len()).map(|i| format!("{} − A", letter(i))));
    let mut t = Table::new(headers);
    let mut narrowing: Option<(String, f64, f64)> = None;
    for (f, per) in c.figures.iter().zip(&c.cis) {
        let mut row = vec![f.label.clone()];
        for x in &per[1..] {
            row.push(match (&per[0], x) {
                (Some((_, a)), Some((_, b))) => {
                    let d = difference(a, b);
                    let mean = d["mean"].as_f64().unwrap_or(0.0);
                    let hw = d["half_width"].as_f64().unwrap_or(f64::INFINITY);
                    let unpaired = d["unpaired_half_width"].as_f64().unwrap_or(f64::INFINITY);
                    if narrowing.is_none() && hw > 0.0 && unpaired.is_finite() {
                        narrowing = Some((f.label.clone(), hw * f.scale, unpaired * f.scale));
                    }
                    let star = if d["significant"] == true { " *" } else { "  " };
                    format!(
                        "{:+.prec$} ± {:.prec$}{star}",
                        mean * f.scale,
                        hw * f.scale,
                        prec = f.decimals
                    )
                }
                _ => "—".into(),
            });
        }
        t.row(row);
    }
    let _ = write!(w, "{}", t.render(2));
    if let Some((label, paired, unpaired)) = narrowing {
        let _ = writeln!(
            w,
            "\nPairing pays: for {label}, B − A has a paired interval of ± {paired:.3}; \
             independent runs with this scatter would give ± {unpaired:.3} ({:.1}× wider).",
            unpaired / paired
        );
    }
    out
}

//! Replicated figures, built generically from the single-run JSON.
//!
//! Each replication's summary is the object `json_value` prints for one run. [`aggregate`]
//! walks those objects in parallel: every numeric leaf becomes a [`Figure`] object (mean over
//! the replications and its 95 % Student-t interval), except the keys in [`STATIC_KEYS`],
//! which describe the scenario rather than the run and are copied. Strings, booleans and
//! nulls are copied from the first replication. Nothing here names a statistic, so any figure
//! the single-run JSON gains is replicated with its interval at once.

use serde_json::{Map, Value, json};

use crate::stats::MeanCi;

/// The confidence level of every interval across replications.
pub const CONFIDENCE: f64 = 0.95;

/// Numeric keys that come from the scenario (or identify a row), not from the run: copied,
/// not averaged.
pub const STATIC_KEYS: &[&str] = &[
    "schema_version",
    "seed",
    "days",
    "warmup_days",
    "day",
    "hour",
    "servers",
    "offered_load",
];

/// Mean and 95 % interval of `xs` as a JSON object: `{mean, half_width, low, high, sd}`
/// (`half_width`, `low` and `high` are `null` with fewer than 2 values).
pub fn figure(xs: &[f64]) -> Value {
    let ci = MeanCi::new(xs, CONFIDENCE);
    let finite = |x: f64| if x.is_finite() { json!(x) } else { Value::Null };
    json!({
        "mean": ci.mean,
        "half_width": finite(ci.half_width),
        "low": finite(ci.low()),
        "high": finite(ci.high()),
        "sd": ci.sd,
    })
}

/// The replicated summary of `runs` (each a single-run JSON object of the same scenario).
pub fn aggregate(runs: &[Value]) -> Value {
    let refs: Vec<&Value> = runs.iter().collect();
    merge(None, &refs)
}

fn merge(key: Option<&str>, values: &[&Value]) -> Value {
    let Some(first) = values.first() else {
        return Value::Null;
    };
    match first {
        Value::Object(m) => {
            let mut out = Map::new();
            for k in m.keys() {
                let children: Vec<&Value> = values.iter().filter_map(|v| v.get(k)).collect();
                out.insert(k.clone(), merge(Some(k), &children));
            }
            Value::Object(out)
        }
        Value::Array(a) => {
            let len = values
                .iter()
                .map(|v| v.as_array().map_or(0, Vec::len))
                .min()
                .unwrap_or(0)
                .min(a.len());
            Value::Array(
                (0..len)
                    .map(|i| {
                        let children: Vec<&Value> =
                            values.iter().filter_map(|v| v.get(i)).collect();
                        merge(key, &children)
                    })
                    .collect(),
            )
        }
        Value::Number(_) if !key.is_some_and(|k| STATIC_KEYS.contains(&k)) => {
            let xs: Vec<f64> = values.iter().filter_map(|v| v.as_f64()).collect();
            figure(&xs)
        }
        other => (*other).clone(),
    }
}

/// The value at `path` in a JSON object: keys separated by dots; in an array, a segment picks
/// the element whose `name` is that segment, or the element at that index.
pub fn lookup<'v>(value: &'v Value, path: &str) -> Option<&'v Value> {
    let mut v = value;
    for seg in path.split('.') {
        v = match v {
            Value::Array(a) => a
                .iter()
                .find(|e| e.get("name").and_then(Value::as_str) == Some(seg))
                .or_else(|| seg.parse::<usize>().ok().and_then(|i| a.get(i)))?,
            _ => v.get(seg)?,
        };
    }
    Some(v)
}

/// Mean and half-width of the figure at `path` of a replicated summary.
pub fn mean_hw(value: &Value, path: &str) -> Option<(f64, f64)> {
    let f = lookup(value, path)?;
    Some((
        f.get("mean")?.as_f64()?,
        f.get("half_width")
            .and_then(Value::as_f64)
            .unwrap_or(f64::INFINITY),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_leaves_become_intervals_static_keys_stay() {
        let runs = [
            json!({"seed": 1, "name": "x", "w": {"mean": 2.0}, "daily": [{"day": 1, "n": 10}], "stages": [{"name": "a", "servers": 3, "u": 0.5}]}),
            json!({"seed": 2, "name": "x", "w": {"mean": 4.0}, "daily": [{"day": 1, "n": 12}], "stages": [{"name": "a", "servers": 3, "u": 0.7}]}),
        ];
        let a = aggregate(&runs);
        assert_eq!(a["seed"], 1);
        assert_eq!(a["name"], "x");
        assert_eq!(a["w"]["mean"]["mean"], 3.0);
        let t = crate::stats::student_t_quantile(0.975, 1.0);
        let hw = a["w"]["mean"]["half_width"].as_f64().unwrap();
        assert!((hw - t * 2f64.sqrt() / 2f64.sqrt()).abs() < 1e-9, "{hw}");
        assert_eq!(a["daily"][0]["day"], 1);
        assert_eq!(a["daily"][0]["n"]["mean"], 11.0);
        assert_eq!(a["stages"][0]["servers"], 3);
        assert_eq!(mean_hw(&a, "stages.a.u").unwrap().0, 0.6);
        assert!(lookup(&a, "stages.b.u").is_none());
        assert_eq!(lookup(&a, "daily.0.day"), Some(&json!(1)));
    }

    #[test]
    fn one_value_has_no_interval() {
        let f = figure(&[3.0]);
        assert_eq!(f["mean"], 3.0);
        assert!(f["half_width"].is_null());
    }
}

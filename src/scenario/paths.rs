//! Scenario paths: `PATH=VALUE` changes applied to a scenario file before it is checked.
//!
//! `sweep`, `compare --vary` and the planner address fields by name, never by array index:
//! `stages.declaration.servers`, `stages.inspection.service.mean`,
//! `staffing.shifts.day.staff.inspection`, `arrivals.exports.per_day`, `simulation.days`.
//! An element of an array of tables (`[[stages]]`, `[[arrivals]]`, `[[staffing.shifts]]`, and
//! any added later) is named by its `name` field; arrays of numbers (`hourly_profile`) by the
//! position of the value, from 0.
//!
//! A [`Template`] is a scenario file that has been checked once and whose numeric, duration
//! and rate fields can then be set. Every field present in the file can be set, plus a few
//! optional fields the file may leave out (see [`Template::fields`]). A value keeps the kind of
//! its field: a duration takes `"8m"`, and a bare number there is an error with a hint. The
//! change is made in the TOML document itself (formatting and comments kept), and the edited
//! text goes through the same checks as a file, so a value that makes the scenario invalid
//! (`servers = 0`) gets the usual located diagnostic, marked with the `--set` that caused it.

use std::fmt;

use toml_edit::{DocumentMut, Item, Value};

use super::error::{Diagnostic, ScenarioError, SourceMap, parse_path};
use super::units::{parse_clock, parse_duration, parse_rate};
use super::{Scenario, parse_in};

/// Most values one `PATH=VALUES` argument may expand to.
const MAX_VALUES: usize = 10_000;

/// What a field holds, which decides how its values are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// A plain number (`servers = 6`, `probability = 0.03`, `per_day = 700`).
    Number,
    /// A duration with units (`mean = "6m"`).
    Duration,
    /// A rate with units (`rate = "30/h"`).
    Rate,
}

impl fmt::Display for FieldKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FieldKind::Number => "number",
            FieldKind::Duration => "duration",
            FieldKind::Rate => "rate",
        })
    }
}

/// One settable field of a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The path by name: `stages.declaration.servers`.
    pub path: String,
    /// The same field as diagnostics name it: `stages[0].servers`.
    pub index_path: String,
    /// What it holds.
    pub kind: FieldKind,
    /// Its value in the file as written (`"6m"`, `6`), or `None` if the file leaves it out.
    pub current: Option<String>,
    steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// One value for a field: what the user wrote (or a range produced) and its number.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamValue {
    /// As written on the command line (`8m`, `6`), or generated from a range.
    pub text: String,
    /// The value as a number: minutes for a duration, arrivals per minute for a rate.
    pub number: f64,
    kind: FieldKind,
}

impl ParamValue {
    /// The TOML value written into the document.
    fn toml(&self) -> Value {
        match self.kind {
            FieldKind::Number => {
                let x = self.number;
                if x.fract() == 0.0 && x.abs() < 9.0e15 {
                    Value::from(x as i64)
                } else {
                    Value::from(x)
                }
            }
            FieldKind::Duration => Value::from(format!("{}m", self.number)),
            FieldKind::Rate => Value::from(format!("{}/m", self.number)),
        }
    }
}

/// A field and a value for it: one `PATH=VALUE`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    /// The field.
    pub field: Field,
    /// Its new value.
    pub value: ParamValue,
}

impl fmt::Display for Assignment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.field.path, self.value.text)
    }
}

/// A checked scenario file whose fields can be changed by path.
#[derive(Clone, Debug)]
pub struct Template {
    text: String,
    origin: String,
    /// Directory that trace files are read relative to (the scenario file's).
    dir: std::path::PathBuf,
    doc: DocumentMut,
    base: Scenario,
    fields: Vec<Field>,
}

impl Template {
    /// Reads and checks the scenario at `path`.
    pub fn load(path: &std::path::Path) -> Result<Template, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let dir = path
            .parent()
            .unwrap_or(std::path::Path::new("."))
            .to_path_buf();
        Template::parse_in(&text, &path.display().to_string(), &dir)
    }

    /// Checks scenario `text` (named `origin` in messages); traces are read relative to the
    /// current directory.
    pub fn parse(text: &str, origin: &str) -> Result<Template, ScenarioError> {
        Template::parse_in(text, origin, std::path::Path::new("."))
    }

    /// Checks scenario `text`, reading trace files relative to `dir`.
    pub fn parse_in(
        text: &str,
        origin: &str,
        dir: &std::path::Path,
    ) -> Result<Template, ScenarioError> {
        let base = parse_in(text, origin, dir)?;
        let doc: DocumentMut = text.parse().map_err(|e| ScenarioError::Invalid {
            file: origin.to_string(),
            diagnostics: vec![Diagnostic::new("", format!("cannot edit this file: {e}"))],
        })?;
        let fields = collect_fields(&doc);
        Ok(Template {
            text: text.to_string(),
            origin: origin.to_string(),
            dir: dir.to_path_buf(),
            doc,
            base,
            fields,
        })
    }

    /// The scenario as the file gives it.
    pub fn base(&self) -> &Scenario {
        &self.base
    }

    /// Every settable field: each number, duration and rate in the file (names and clock
    /// times excluded), then the optional ones the file leaves out (`simulation.warmup_days`,
    /// `simulation.replications`, `stages.<stage>.staff_per_server`, `staffing.handover`,
    /// `staffing.shifts.<shift>.staff.<stage>`).
    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The field at `path`, or an error that lists the valid paths nearest to it.
    pub fn field(&self, path: &str, arg: &str) -> Result<&Field, ScenarioError> {
        let path = path.trim();
        if let Some(f) = self.fields.iter().find(|f| f.path == path) {
            return Ok(f);
        }
        let near = nearest(path, self.fields.iter().map(|f| f.path.as_str()), 4);
        let what = if self.path_exists_as_other(path) {
            "is not a number, duration or rate, so it cannot be set".to_string()
        } else {
            "names no field of this scenario".to_string()
        };
        let mut hint = format!("the nearest valid paths are {}", near.join(", "));
        hint.push_str(
            "; paths name array elements by their `name` (stages.declaration.servers); \
             `portsim validate FILE --paths` lists them all",
        );
        Err(self.error(Diagnostic::new(path, format!("`{arg}`: `{path}` {what}")).hint(hint)))
    }

    /// Parses `PATH=VALUES` (a comma-separated list; numbers also as ranges `4..12` or
    /// `4..12:2`, durations as `5m..8m:30s`, both ends included) into its field and values.
    pub fn setting(&self, arg: &str) -> Result<(Field, Vec<ParamValue>), ScenarioError> {
        let Some((path, values)) = arg.split_once('=') else {
            return Err(self.error(
                Diagnostic::new("", format!("`{arg}` is not PATH=VALUES")).hint(
                    "e.g. stages.declaration.servers=4,6,8 or stages.inspection.service.mean=2m,3m",
                ),
            ));
        };
        let field = self.field(path, arg)?.clone();
        let values = parse_values(field.kind, values).map_err(|(message, hint)| {
            let mut d = Diagnostic::new(field.path.clone(), format!("`{arg}`: {message}"));
            if let Some(h) = hint {
                d = d.hint(h);
            }
            self.error(self.locate(d, &field))
        })?;
        Ok((field, values))
    }

    /// Parses `PATH=VALUE` with exactly one value.
    pub fn assignment(&self, arg: &str) -> Result<Assignment, ScenarioError> {
        let (field, mut values) = self.setting(arg)?;
        if values.len() != 1 {
            return Err(self.error(
                Diagnostic::new(
                    field.path,
                    format!("`{arg}` gives {} values; one is needed here", values.len()),
                )
                .hint("give a single value, e.g. stages.declaration.servers=6"),
            ));
        }
        let value = values.remove(0);
        Ok(Assignment { field, value })
    }

    /// The scenario with `changes` applied, checked like a file. A problem caused by a change
    /// says which `--set` caused it.
    pub fn with(&self, changes: &[Assignment]) -> Result<Scenario, ScenarioError> {
        if changes.is_empty() {
            return Ok(self.base.clone());
        }
        let mut doc = self.doc.clone();
        for change in changes {
            set(doc.as_item_mut(), &change.field.steps, change.value.toml());
        }
        let text = doc.to_string();
        parse_in(&text, &self.origin, &self.dir).map_err(|e| match e {
            ScenarioError::Invalid { file, diagnostics } => ScenarioError::Invalid {
                file,
                diagnostics: diagnostics
                    .into_iter()
                    .map(|mut d| {
                        if let Some(c) = changes.iter().find(|c| {
                            d.field == c.field.index_path
                                || d.field.starts_with(&format!("{}.", c.field.index_path))
                        }) {
                            d.message = format!("{} (value set by {c})", d.message);
                        }
                        d
                    })
                    .collect(),
            },
            other => other,
        })
    }

    fn error(&self, d: Diagnostic) -> ScenarioError {
        ScenarioError::Invalid {
            file: self.origin.clone(),
            diagnostics: vec![d],
        }
    }

    fn locate(&self, d: Diagnostic, field: &Field) -> Diagnostic {
        let map = SourceMap::new(&self.text);
        let mut d = d;
        d.location = map
            .span_of(&parse_path(&field.index_path))
            .filter(|_| field.current.is_some())
            .map(|s| map.location(s));
        d
    }

    /// Whether `path` names something in the file that is not settable (a name, a clock
    /// time, a table).
    fn path_exists_as_other(&self, path: &str) -> bool {
        let mut item = self.doc.as_item();
        for seg in path.split('.') {
            let next = match item {
                Item::ArrayOfTables(a) => a
                    .iter()
                    .position(|t| t.get("name").and_then(Item::as_str) == Some(seg))
                    .or_else(|| seg.parse().ok())
                    .and_then(|i| item.get(i)),
                _ => item.get(seg),
            };
            match next {
                Some(n) => item = n,
                None => return false,
            }
        }
        true
    }
}

/// Sets the value at `steps` under `item`, creating missing keys; keeps the old value's
/// comments and spacing.
fn set(item: &mut Item, steps: &[Step], value: Value) {
    let mut item = item;
    for step in steps {
        let next = match step {
            Step::Key(k) => item.get_mut(k.as_str()),
            Step::Index(i) => item.get_mut(*i),
        };
        item = next.expect("fields are collected from this document");
    }
    let mut value = value;
    if let Item::Value(old) = item {
        *value.decor_mut() = old.decor().clone();
    }
    *item = Item::Value(value);
}

/// Walks the document and lists every settable field.
fn collect_fields(doc: &DocumentMut) -> Vec<Field> {
    let mut out = Vec::new();
    let mut walk = Walk {
        out: &mut out,
        steps: Vec::new(),
        names: Vec::new(),
        indices: Vec::new(),
    };
    walk.item(doc.as_item(), "");
    add_optional_fields(doc, &mut out);
    out
}

struct Walk<'o> {
    out: &'o mut Vec<Field>,
    steps: Vec<Step>,
    /// Path segments by name.
    names: Vec<String>,
    /// Path segments as diagnostics write them (`stages[0]`).
    indices: Vec<String>,
}

impl Walk<'_> {
    fn push(&mut self, step: Step, name: String, index: String) {
        self.steps.push(step);
        self.names.push(name);
        self.indices.push(index);
    }

    fn pop(&mut self) {
        self.steps.pop();
        self.names.pop();
        self.indices.pop();
    }

    fn item(&mut self, item: &Item, key: &str) {
        match item {
            Item::Table(t) => {
                for (k, v) in t.iter() {
                    self.push(Step::Key(k.to_string()), k.to_string(), k.to_string());
                    self.item(v, k);
                    self.pop();
                }
            }
            Item::ArrayOfTables(a) => {
                let last = self.indices.pop().unwrap_or_default();
                for (i, t) in a.iter().enumerate() {
                    let name = t
                        .get("name")
                        .and_then(Item::as_str)
                        .map_or_else(|| i.to_string(), str::to_string);
                    self.indices.push(format!("{last}[{i}]"));
                    self.steps.push(Step::Index(i));
                    self.names.push(name);
                    for (k, v) in t.iter() {
                        self.push(Step::Key(k.to_string()), k.to_string(), k.to_string());
                        self.item(v, k);
                        self.pop();
                    }
                    self.pop();
                }
                self.indices.push(last);
            }
            Item::Value(v) => self.value(v, key),
            Item::None => {}
        }
    }

    fn value(&mut self, v: &Value, key: &str) {
        let kind = match v {
            Value::Integer(_) | Value::Float(_) => Some(FieldKind::Number),
            Value::String(s) if key != "name" => string_kind(s.value()),
            Value::InlineTable(t) => {
                for (k, v) in t.iter() {
                    self.push(Step::Key(k.to_string()), k.to_string(), k.to_string());
                    self.value(v, k);
                    self.pop();
                }
                None
            }
            Value::Array(a) => {
                let last = self.indices.pop().unwrap_or_default();
                for (i, v) in a.iter().enumerate() {
                    let name = match v {
                        Value::InlineTable(t) => t
                            .get("name")
                            .and_then(Value::as_str)
                            .map_or_else(|| i.to_string(), str::to_string),
                        _ => i.to_string(),
                    };
                    self.indices.push(format!("{last}[{i}]"));
                    self.steps.push(Step::Index(i));
                    self.names.push(name);
                    self.value(v, key);
                    self.pop();
                }
                self.indices.push(last);
                None
            }
            _ => None,
        };
        if let Some(kind) = kind {
            self.out.push(Field {
                path: self.names.join("."),
                index_path: self.indices.join("."),
                kind,
                current: Some(written(v)),
                steps: self.steps.clone(),
            });
        }
    }
}

/// The value as written, without the comments and whitespace around it.
fn written(v: &Value) -> String {
    let mut bare = v.clone();
    bare.decor_mut().clear();
    bare.to_string()
}

/// A string field is a duration or a rate if it parses as one; clock times and words are not
/// settable.
fn string_kind(s: &str) -> Option<FieldKind> {
    if parse_clock(s).is_ok() && s.contains(':') {
        None
    } else if parse_duration(s).is_ok() {
        Some(FieldKind::Duration)
    } else if parse_rate(s).is_ok() {
        Some(FieldKind::Rate)
    } else {
        None
    }
}

/// Optional fields the file may leave out but a path may still set.
fn add_optional_fields(doc: &DocumentMut, out: &mut Vec<Field>) {
    let mut add = |steps: Vec<Step>, names: Vec<String>, index_path: String, kind| {
        let path = names.join(".");
        if !out.iter().any(|f| f.path == path) {
            out.push(Field {
                path,
                index_path,
                kind,
                current: None,
                steps,
            });
        }
    };
    let key = |k: &str| Step::Key(k.to_string());
    for k in ["warmup_days", "replications"] {
        add(
            vec![key("simulation"), key(k)],
            vec!["simulation".into(), k.into()],
            format!("simulation.{k}"),
            FieldKind::Number,
        );
    }
    let names_of = |array: Option<&Item>| -> Vec<String> {
        array
            .and_then(Item::as_array_of_tables)
            .map(|a| {
                a.iter()
                    .map(|t| {
                        t.get("name")
                            .and_then(Item::as_str)
                            .unwrap_or("")
                            .to_string()
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let stages = names_of(doc.get("stages"));
    for (i, s) in stages.iter().enumerate() {
        add(
            vec![key("stages"), Step::Index(i), key("staff_per_server")],
            vec!["stages".into(), s.clone(), "staff_per_server".into()],
            format!("stages[{i}].staff_per_server"),
            FieldKind::Number,
        );
    }
    if let Some(staffing) = doc.get("staffing").filter(|s| s.is_table()) {
        add(
            vec![key("staffing"), key("handover")],
            vec!["staffing".into(), "handover".into()],
            "staffing.handover".into(),
            FieldKind::Duration,
        );
        let shifts = names_of(staffing.get("shifts"));
        for (k, shift) in shifts.iter().enumerate() {
            for stage in &stages {
                add(
                    vec![
                        key("staffing"),
                        key("shifts"),
                        Step::Index(k),
                        key("staff"),
                        key(stage),
                    ],
                    vec![
                        "staffing".into(),
                        "shifts".into(),
                        shift.clone(),
                        "staff".into(),
                        stage.clone(),
                    ],
                    format!("staffing.shifts[{k}].staff.{stage}"),
                    FieldKind::Number,
                );
            }
        }
    }
}

/// Parses a comma-separated list of values and ranges for a field of `kind`; on failure,
/// a message and a hint.
pub fn parse_values(
    kind: FieldKind,
    text: &str,
) -> Result<Vec<ParamValue>, (String, Option<String>)> {
    let mut out = Vec::new();
    for item in text.split(',').map(str::trim) {
        if item.is_empty() {
            return Err((
                "an empty value".into(),
                Some("separate values with commas: 4,6,8".into()),
            ));
        }
        if let Some((from, rest)) = item.split_once("..") {
            let (to, step) = match rest.split_once(':') {
                Some((to, step)) => (to, Some(step)),
                None => (rest, None),
            };
            let from = scalar(kind, from)?;
            let to = scalar(kind, to)?;
            let step = match (step, kind) {
                (Some(s), _) => scalar(kind, s)?,
                (None, FieldKind::Number) => 1.0,
                (None, _) => {
                    return Err((
                        format!("the range `{item}` needs a step"),
                        Some(format!(
                            "a range of {kind}s gives its step after a colon, e.g. {}",
                            match kind {
                                FieldKind::Duration => "5m..8m:30s",
                                _ => "10/h..30/h:5/h",
                            }
                        )),
                    ));
                }
            };
            if step <= 0.0 || to < from {
                return Err((
                    format!("the range `{item}` is empty or runs backwards"),
                    Some("write FROM..TO or FROM..TO:STEP with FROM <= TO and a positive STEP; both ends are included".into()),
                ));
            }
            let n = ((to - from) / step + 1e-9).floor() as usize + 1;
            if out.len() + n > MAX_VALUES {
                return Err((
                    format!("`{item}` gives {n} values; at most {MAX_VALUES} are allowed"),
                    Some("use a larger step".into()),
                ));
            }
            for i in 0..n {
                // Multiply rather than accumulate, so 0.1 steps do not drift.
                let x = from + i as f64 * step;
                let x = (x * 1e9).round() / 1e9;
                out.push(ParamValue {
                    text: format_value(kind, x),
                    number: x,
                    kind,
                });
            }
        } else {
            out.push(ParamValue {
                text: item.to_string(),
                number: scalar(kind, item)?,
                kind,
            });
        }
    }
    if out.len() > MAX_VALUES {
        return Err((
            format!("{} values; at most {MAX_VALUES} are allowed", out.len()),
            None,
        ));
    }
    Ok(out)
}

fn format_value(kind: FieldKind, x: f64) -> String {
    match kind {
        FieldKind::Number => format!("{x}"),
        FieldKind::Duration => format!("{x}m"),
        FieldKind::Rate => format!("{x}/m"),
    }
}

/// One value of a field of `kind`.
fn scalar(kind: FieldKind, text: &str) -> Result<f64, (String, Option<String>)> {
    let text = text.trim();
    let bare: Option<f64> = text.parse().ok().filter(|x: &f64| x.is_finite());
    match kind {
        FieldKind::Number => bare.ok_or_else(|| {
            let hint = if parse_duration(text).is_ok() || parse_rate(text).is_ok() {
                "this field is a plain number without units, e.g. 6 or 0.03"
            } else {
                "a number such as 6 or 0.03"
            };
            (format!("\"{text}\" is not a number"), Some(hint.into()))
        }),
        FieldKind::Duration => match bare {
            Some(x) => Err((
                format!("this field is a duration, and \"{text}\" has no unit"),
                Some(format!(
                    "write {x}m for {x} minutes (units s, m, h, d; e.g. 90s, 1h30m)"
                )),
            )),
            None => parse_duration(text).map_err(|e| (e, None)),
        },
        FieldKind::Rate => match bare {
            Some(x) => Err((
                format!("this field is a rate, and \"{text}\" has no unit"),
                Some(format!("write {x}/h for {x} an hour (units s, m, h, d)")),
            )),
            None => parse_rate(text).map_err(|e| (e, None)),
        },
    }
}

/// The `n` candidates nearest to `target` by edit distance (ties in listing order).
pub fn nearest<'c>(
    target: &str,
    candidates: impl Iterator<Item = &'c str>,
    n: usize,
) -> Vec<&'c str> {
    let mut scored: Vec<(usize, usize, &str)> = candidates
        .enumerate()
        .map(|(i, c)| (edit_distance(target, c), i, c))
        .collect();
    scored.sort();
    scored.into_iter().take(n).map(|(_, _, c)| c).collect()
}

/// Levenshtein distance in characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"[simulation]
name = "t"
days = 3
seed = 4

[[arrivals]]
name = "exports"
per_day = 300
hourly_profile = [1, 1, 1, 1, 1, 2, 4, 6, 8, 8, 8, 7, 6, 7, 8, 8, 7, 6, 4, 3, 3, 2, 2, 1]

[[stages]]
name = "declaration"
servers = 4   # desks
service = { dist = "lognormal", mean = "6m", sd = "3m" }

[[stages]]
name = "inspection"
servers = 6
staff_per_server = 2
service = { dist = "exponential", mean = "2m" }
refer = { to = "secondary", probability = 0.03 }

[[stages]]
name = "secondary"
servers = 2
referral_only = true
service = { dist = "exponential", mean = "30m" }

[staffing]
[[staffing.shifts]]
name = "night"
start = "00:00"
end = "08:00"
staff = { declaration = 2, inspection = 6 }

[[staffing.shifts]]
name = "day"
start = "08:00"
end = "24:00"
staff = { declaration = 4, inspection = 12, secondary = 2 }
"#;

    fn template() -> Template {
        Template::parse(DOC, "t.toml").unwrap()
    }

    fn paths(t: &Template) -> Vec<&str> {
        t.fields().iter().map(|f| f.path.as_str()).collect()
    }

    #[test]
    fn fields_are_named_by_element_name() {
        let t = template();
        let p = paths(&t);
        for want in [
            "simulation.days",
            "simulation.seed",
            "arrivals.exports.per_day",
            "arrivals.exports.hourly_profile.8",
            "stages.declaration.servers",
            "stages.declaration.service.mean",
            "stages.inspection.refer.probability",
            "staffing.shifts.day.staff.inspection",
            "staffing.shifts.night.staff.secondary",
            "staffing.handover",
            "simulation.warmup_days",
            "stages.declaration.staff_per_server",
        ] {
            assert!(p.contains(&want), "{want} missing from {p:?}");
        }
        for not in [
            "simulation.name",
            "stages.declaration.name",
            "staffing.shifts.day.start",
            "stages.inspection.refer.to",
        ] {
            assert!(!p.contains(&not), "{not} should not be settable");
        }
        let f = t.field("stages.inspection.refer.probability", "x").unwrap();
        assert_eq!(f.index_path, "stages[1].refer.probability");
        assert_eq!(f.kind, FieldKind::Number);
        let f = t.field("stages.declaration.service.mean", "x").unwrap();
        assert_eq!(
            (f.kind, f.current.as_deref()),
            (FieldKind::Duration, Some("\"6m\""))
        );
        let f = t.field("stages.declaration.servers", "x").unwrap();
        assert_eq!(
            f.current.as_deref(),
            Some("4"),
            "comments are not part of the value"
        );
    }

    #[test]
    fn values_change_the_scenario() {
        let t = template();
        let set = |args: &[&str]| {
            let changes: Vec<Assignment> = args.iter().map(|a| t.assignment(a).unwrap()).collect();
            t.with(&changes).unwrap()
        };
        let s = set(&[
            "stages.declaration.servers=5",
            "stages.declaration.service.mean=8m",
        ]);
        assert_eq!(s.port.stages[0].servers, 5);
        assert!((s.port.stages[0].service.mean() - 8.0).abs() < 1e-9);
        let s = set(&[
            "staffing.shifts.night.staff.secondary=1",
            "staffing.handover=15m",
        ]);
        let roster = s.port.roster.unwrap();
        assert_eq!(roster.shifts[0].staff[2].total, 1);
        assert_eq!(roster.handover.minutes(), 15.0);
        let s = set(&[
            "simulation.days=9",
            "stages.inspection.refer.probability=0.5",
        ]);
        assert_eq!(s.run.days, 9);
        assert_eq!(s.port.stages[1].refer.unwrap().probability, 0.5);
        // The base is untouched.
        assert_eq!(t.base().port.stages[0].servers, 4);
    }

    #[test]
    fn bad_paths_list_the_nearest_valid_ones() {
        let t = template();
        let e = t.field("stages.declaraton.servers", "--set x").unwrap_err();
        let d = &e.diagnostics()[0];
        assert!(d.message.contains("names no field"), "{d:?}");
        let hint = d.hint.as_deref().unwrap();
        assert!(
            hint.starts_with("the nearest valid paths are stages.declaration.servers"),
            "{hint}"
        );
        let e = t.field("stages.declaration.name", "--set x").unwrap_err();
        assert!(
            e.diagnostics()[0]
                .message
                .contains("not a number, duration or rate")
        );
    }

    #[test]
    fn values_keep_their_kind() {
        let t = template();
        let e = t.setting("stages.declaration.service.mean=8").unwrap_err();
        let d = &e.diagnostics()[0];
        assert!(d.message.contains("is a duration"), "{d:?}");
        assert_eq!(
            d.hint.as_deref(),
            Some("write 8m for 8 minutes (units s, m, h, d; e.g. 90s, 1h30m)")
        );
        assert_eq!(d.location.as_ref().unwrap().line, 14);
        let e = t.setting("stages.declaration.servers=6m").unwrap_err();
        assert!(
            e.diagnostics()[0]
                .hint
                .as_deref()
                .unwrap()
                .contains("without units")
        );
    }

    #[test]
    fn lists_and_ranges() {
        let v = |kind, text| {
            parse_values(kind, text)
                .unwrap()
                .iter()
                .map(|p| p.number)
                .collect::<Vec<_>>()
        };
        assert_eq!(v(FieldKind::Number, "4,6,8"), [4.0, 6.0, 8.0]);
        assert_eq!(v(FieldKind::Number, "4..7"), [4.0, 5.0, 6.0, 7.0]);
        assert_eq!(v(FieldKind::Number, "4..12:4"), [4.0, 8.0, 12.0]);
        assert_eq!(v(FieldKind::Number, "4..11:4"), [4.0, 8.0]);
        assert_eq!(v(FieldKind::Number, "0.1..0.3:0.1"), [0.1, 0.2, 0.3]);
        assert_eq!(v(FieldKind::Duration, "5m..6m:30s"), [5.0, 5.5, 6.0]);
        assert_eq!(v(FieldKind::Duration, "90s,2m"), [1.5, 2.0]);
        assert!(parse_values(FieldKind::Duration, "5m..8m").is_err());
        assert!(parse_values(FieldKind::Number, "8..4").is_err());
        assert!(parse_values(FieldKind::Number, "4,,6").is_err());
        assert!(parse_values(FieldKind::Number, "0..1e9").is_err());
    }

    #[test]
    fn invalid_values_name_the_setting() {
        let t = template();
        let change = t.assignment("stages.declaration.servers=0").unwrap();
        let e = t.with(&[change]).unwrap_err();
        let d = &e.diagnostics()[0];
        assert_eq!(d.field, "stages[0].servers");
        assert!(
            d.message
                .contains("(value set by stages.declaration.servers=0)"),
            "{}",
            d.message
        );
        assert!(
            d.location
                .as_ref()
                .unwrap()
                .text
                .contains("servers = 0   # desks")
        );
    }

    #[test]
    fn edit_distance_is_levenshtein() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("same", "same"), 0);
    }
}

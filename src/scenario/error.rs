//! Errors in scenario files, located to file, line and column, with the offending field and
//! a hint at what would be valid.

use std::fmt;
use std::ops::Range;
use std::path::PathBuf;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// Everything that can go wrong when loading a scenario.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read scenario file {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file was read but is not a valid scenario; every problem found is listed.
    #[error("{}", render(file, diagnostics))]
    Invalid {
        /// The file (or other origin) named in messages.
        file: String,
        /// One entry per problem, in file order.
        diagnostics: Vec<Diagnostic>,
    },
}

/// One problem in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// What is wrong.
    pub message: String,
    /// The field at fault, as a path (`stages[1].refer.to`); empty for the whole file.
    pub field: String,
    /// What would be valid, if there is something useful to say.
    pub hint: Option<String>,
    /// Where in the file: 1-based line and column, with the text of that line and the length
    /// of the marked region.
    pub location: Option<Location>,
    /// Whether the problem is the field's name (an unknown key) rather than its value.
    pub at_key: bool,
}

/// A position in a scenario file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (in characters).
    pub column: usize,
    /// The text of the line.
    pub text: String,
    /// Characters to underline, at least 1.
    pub width: usize,
}

impl ScenarioError {
    /// The problems found, if the file was read.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            ScenarioError::Invalid { diagnostics, .. } => diagnostics,
            ScenarioError::Read { .. } => &[],
        }
    }
}

fn render(file: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&d.render(file));
        out.push('\n');
    }
    let n = diagnostics.len();
    out.push_str(&format!(
        "{file}: {n} problem{} found; nothing was run",
        if n == 1 { "" } else { "s" }
    ));
    out
}

impl Diagnostic {
    /// A problem with `field` (a path such as `stages[1].servers`).
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            message: message.into(),
            field: field.into(),
            hint: None,
            location: None,
            at_key: false,
        }
    }

    /// Points at the field's name (the key) rather than its value.
    pub fn at_key(mut self) -> Diagnostic {
        self.at_key = true;
        self
    }

    /// Adds a hint.
    pub fn hint(mut self, hint: impl Into<String>) -> Diagnostic {
        self.hint = Some(hint.into());
        self
    }

    /// Rustc-style text: the message, `file:line:column`, the line with the field underlined,
    /// the field path and the hint.
    pub fn render(&self, file: &str) -> String {
        let mut out = format!("error: {}\n", self.message);
        match &self.location {
            Some(loc) => {
                let gutter = loc.line.to_string().len();
                let pad = " ".repeat(gutter);
                out.push_str(&format!("{pad}--> {file}:{}:{}\n", loc.line, loc.column));
                out.push_str(&format!("{pad} |\n{} | {}\n", loc.line, loc.text));
                out.push_str(&format!(
                    "{pad} | {}{}\n",
                    " ".repeat(loc.column - 1),
                    "^".repeat(loc.width)
                ));
                if !self.field.is_empty() {
                    out.push_str(&format!("{pad} = field: {}\n", self.field));
                }
                if let Some(h) = &self.hint {
                    out.push_str(&format!("{pad} = hint: {h}\n"));
                }
            }
            None => {
                out.push_str(&format!("  --> {file}\n"));
                if !self.field.is_empty() {
                    out.push_str(&format!("  = field: {}\n", self.field));
                }
                if let Some(h) = &self.hint {
                    out.push_str(&format!("  = hint: {h}\n"));
                }
            }
        }
        out.pop();
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

/// One step of a field path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// Renders a path: `stages[1].refer.to`.
pub fn path_string(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Parses a path written by [`path_string`] back into segments.
pub fn parse_path(path: &str) -> Vec<Seg> {
    let mut segs = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (key, mut rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            segs.push(Seg::Key(key.to_string()));
        }
        while let Some((index, after)) = rest.split_once(']') {
            if let Ok(i) = index.parse() {
                segs.push(Seg::Index(i));
            }
            rest = after.trim_start_matches('[');
        }
    }
    segs
}

/// The parsed document with byte spans, used to point errors at the text.
pub struct SourceMap<'a> {
    text: &'a str,
    root: Option<Spanned<DeTable<'a>>>,
}

impl<'a> SourceMap<'a> {
    /// Indexes `text` (which may be invalid TOML; then nothing can be located by path).
    pub fn new(text: &'a str) -> SourceMap<'a> {
        SourceMap {
            text,
            root: DeTable::parse(text).ok(),
        }
    }

    /// The location of byte range `span`.
    pub fn location(&self, span: Range<usize>) -> Location {
        let start = span.start.min(self.text.len());
        let line_start = self.text[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[start..]
            .find('\n')
            .map_or(self.text.len(), |i| start + i);
        let text = self.text[line_start..line_end].trim_end_matches('\r');
        let column = self.text[line_start..start].chars().count() + 1;
        let end = span.end.clamp(start, line_end);
        let width = self.text[start..end]
            .chars()
            .count()
            .clamp(1, text.chars().count().saturating_sub(column - 1).max(1));
        Location {
            line: self.text[..start].matches('\n').count() + 1,
            column,
            text: text.to_string(),
            width,
        }
    }

    /// The span of the value at `path` (or of the deepest part of it that exists).
    pub fn span_of(&self, path: &[Seg]) -> Option<Range<usize>> {
        self.find(path, false)
    }

    /// The span of the key that ends `path`, if it exists (else as `span_of`).
    pub fn key_span_of(&self, path: &[Seg]) -> Option<Range<usize>> {
        self.find(path, true)
    }

    fn find(&self, path: &[Seg], key: bool) -> Option<Range<usize>> {
        let root = self.root.as_ref()?;
        let mut span = None;
        let mut value: Option<&DeValue<'a>> = None;
        let mut table: Option<&DeTable<'a>> = Some(root.get_ref());
        for seg in path {
            let next = match (seg, table, value) {
                (Seg::Key(k), Some(t), _) => t
                    .get_key_value(k.as_str())
                    .map(|(name, v)| (Some(name.span()), v)),
                (Seg::Index(i), _, Some(DeValue::Array(a))) => a.get(*i).map(|v| (None, v)),
                _ => None,
            };
            let Some((key_span, next)) = next else { break };
            span = Some(match key_span {
                Some(k) if key => k,
                _ => next.span(),
            });
            value = Some(next.get_ref());
            table = match next.get_ref() {
                DeValue::Table(t) => Some(t),
                _ => None,
            };
        }
        span
    }

    /// The path of the innermost key or value whose text contains byte `offset`.
    pub fn path_at(&self, offset: usize) -> Vec<Seg> {
        let mut best: Option<(usize, Vec<Seg>)> = None;
        if let Some(root) = &self.root {
            let mut path = Vec::new();
            search_table(root.get_ref(), offset, &mut path, &mut best);
        }
        best.map(|(_, p)| p).unwrap_or_default()
    }

    /// A diagnostic for `field`, located at its value (or, for a problem with the name
    /// itself, its key) in the file when it exists.
    pub fn locate(&self, mut d: Diagnostic) -> Diagnostic {
        if d.location.is_none() {
            let path = parse_path(&d.field);
            let span = if d.at_key {
                self.key_span_of(&path)
            } else {
                self.span_of(&path)
            };
            d.location = span.map(|s| self.location(s));
        }
        d
    }
}

/// Records `path` as the best match if `span` contains `offset` and is the tightest so far.
fn consider(span: Range<usize>, offset: usize, path: &[Seg], best: &mut Option<(usize, Vec<Seg>)>) {
    let len = span.end.saturating_sub(span.start);
    let inside = span.start <= offset && offset < span.end.max(span.start + 1);
    if inside && best.as_ref().is_none_or(|(l, _)| len <= *l) {
        *best = Some((len, path.to_vec()));
    }
}

// Every node is visited: the span of an array of tables does not always cover its tables'
// bodies, so pruning by container span would miss fields.
fn search_table(
    table: &DeTable<'_>,
    offset: usize,
    path: &mut Vec<Seg>,
    best: &mut Option<(usize, Vec<Seg>)>,
) {
    for (key, value) in table.iter() {
        path.push(Seg::Key(key.get_ref().to_string()));
        consider(key.span(), offset, path, best);
        search_value(value, offset, path, best);
        path.pop();
    }
}

fn search_value(
    value: &Spanned<DeValue<'_>>,
    offset: usize,
    path: &mut Vec<Seg>,
    best: &mut Option<(usize, Vec<Seg>)>,
) {
    consider(value.span(), offset, path, best);
    match value.get_ref() {
        DeValue::Table(t) => search_table(t, offset, path, best),
        DeValue::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                search_value(v, offset, path, best);
                path.pop();
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "[simulation]\nname = \"x\"\ndays = 3\n\n[[stages]]\nname = \"a\"\n\n[[stages]]\nname = \"b\"\nrefer = { to = \"zz\", probability = 0.5 }\n";

    #[test]
    fn paths_round_trip() {
        let p = parse_path("stages[1].refer.to");
        assert_eq!(
            p,
            vec![
                Seg::Key("stages".into()),
                Seg::Index(1),
                Seg::Key("refer".into()),
                Seg::Key("to".into())
            ]
        );
        assert_eq!(path_string(&p), "stages[1].refer.to");
        assert_eq!(parse_path("arrivals[0].hourly_profile[3]").len(), 4);
    }

    #[test]
    fn locates_nested_fields() {
        let map = SourceMap::new(DOC);
        let span = map.span_of(&parse_path("stages[1].refer.to")).unwrap();
        assert_eq!(&DOC[span.clone()], "\"zz\"");
        let loc = map.location(span.clone());
        assert_eq!((loc.line, loc.column, loc.width), (10, 16, 4));
        assert_eq!(
            path_string(&map.path_at(span.start + 1)),
            "stages[1].refer.to"
        );
        let days = map.span_of(&parse_path("simulation.days")).unwrap();
        assert_eq!(&DOC[days], "3");
        let key = map
            .key_span_of(&parse_path("stages[1].refer.probability"))
            .unwrap();
        assert_eq!(&DOC[key], "probability");
    }
}

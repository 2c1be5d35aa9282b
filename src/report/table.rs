//! A plain-text table with aligned columns, or a Markdown pipe table while [`markdown`] runs.

use std::cell::Cell;

thread_local! {
    static MARKDOWN: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` with tables rendered as Markdown pipe tables (and headings as Markdown headings),
/// so that one summary function serves the terminal and `summary.md`.
pub fn markdown<T>(f: impl FnOnce() -> T) -> T {
    let before = MARKDOWN.with(|m| m.replace(true));
    let out = f();
    MARKDOWN.with(|m| m.set(before));
    out
}

/// Whether tables are being rendered as Markdown.
pub fn in_markdown() -> bool {
    MARKDOWN.with(Cell::get)
}

/// Column alignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// Rows of cells under a header, rendered with each column as wide as its widest cell.
pub struct Table {
    headers: Vec<String>,
    align: Vec<Align>,
    rows: Vec<Row>,
}

enum Row {
    Cells(Vec<String>),
    /// A line of free text that does not affect column widths.
    Note(String),
}

impl Table {
    /// A table with these column headers (all empty: no header line); the first column is
    /// left-aligned, the rest right.
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Table {
        let headers: Vec<String> = headers.into_iter().map(Into::into).collect();
        let align = (0..headers.len())
            .map(|i| if i == 0 { Align::Left } else { Align::Right })
            .collect();
        Table {
            headers,
            align,
            rows: Vec::new(),
        }
    }

    /// Appends a row (missing cells are blank).
    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(Row::Cells(cells));
    }

    /// Appends a line of free text (not aligned, not counted in column widths).
    pub fn note(&mut self, text: impl Into<String>) {
        self.rows.push(Row::Note(text.into()));
    }

    /// Renders with `indent` spaces before each line and two spaces between columns.
    pub fn render(&self, indent: usize) -> String {
        if in_markdown() {
            return self.render_markdown();
        }
        let n = self.headers.len();
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            let Row::Cells(row) = row else { continue };
            for (i, cell) in row.iter().enumerate().take(n) {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let empty = String::new();
        let headless = self.headers.iter().all(String::is_empty);
        let header = (!headless).then_some(&self.headers);
        for row in header
            .map(|h| Row::Cells(h.clone()))
            .iter()
            .chain(&self.rows)
        {
            out.push_str(&" ".repeat(indent));
            let line = match row {
                Row::Cells(cells) => cells,
                Row::Note(text) => {
                    out.push_str(text);
                    out.push('\n');
                    continue;
                }
            };
            for (i, (&width, &align)) in widths.iter().zip(&self.align).enumerate() {
                let cell = line.get(i).unwrap_or(&empty);
                let pad = width - cell.chars().count();
                if i > 0 {
                    out.push_str("  ");
                }
                match align {
                    Align::Left if i + 1 == n => out.push_str(cell),
                    Align::Left => {
                        out.push_str(cell);
                        out.push_str(&" ".repeat(pad));
                    }
                    Align::Right => {
                        out.push_str(&" ".repeat(pad));
                        out.push_str(cell);
                    }
                }
            }
            out.push('\n');
        }
        out
    }

    /// A Markdown pipe table (notes follow it as paragraphs).
    fn render_markdown(&self) -> String {
        let cell = |s: &str| s.trim().replace('|', "\\|");
        let mut out = String::from("\n|");
        for h in &self.headers {
            out.push_str(&format!(" {} |", cell(h)));
        }
        out.push_str("\n|");
        for a in &self.align {
            out.push_str(if *a == Align::Right {
                " ---: |"
            } else {
                " --- |"
            });
        }
        out.push('\n');
        let mut notes = Vec::new();
        for row in &self.rows {
            match row {
                Row::Cells(cells) => {
                    out.push('|');
                    for i in 0..self.headers.len() {
                        out.push_str(&format!(
                            " {} |",
                            cell(cells.get(i).map_or("", String::as_str))
                        ));
                    }
                    out.push('\n');
                }
                Row::Note(text) => notes.push(text.trim().to_string()),
            }
        }
        for note in notes {
            out.push_str(&format!("\n{note}\n"));
        }
        out
    }
}

/// `19604` → `19,604`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Minutes as `41.2`, or as `3h12m` / `2d05h` when long enough to read better that way.
pub fn human_minutes(m: f64) -> String {
    if m < 90.0 {
        format!("{m:.1} min")
    } else if m < 2.0 * 1440.0 {
        let total = m.round() as u64;
        format!("{}h{:02}m", total / 60, total % 60)
    } else {
        let hours = (m / 60.0).round() as u64;
        format!("{}d{:02}h", hours / 24, hours % 24)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(19_604), "19,604");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(human_minutes(41.24), "41.2 min");
        assert_eq!(human_minutes(192.0), "3h12m");
        assert_eq!(human_minutes(3.0 * 1440.0 + 300.0), "3d05h");
    }

    #[test]
    fn renders_markdown_inside_markdown() {
        let mut t = Table::new(["stage", "served"]);
        t.row(vec!["a|b".into(), "7".into()]);
        t.note("... 3 days not shown");
        let md = markdown(|| t.render(2));
        assert_eq!(
            md,
            "\n| stage | served |\n| --- | ---: |\n| a\\|b | 7 |\n\n... 3 days not shown\n"
        );
        assert!(!in_markdown());
        assert!(t.render(2).starts_with("  stage"));
    }

    #[test]
    fn aligns_columns() {
        let mut t = Table::new(["stage", "served"]);
        t.row(vec!["declaration".into(), "7".into()]);
        t.row(vec!["x".into(), "19,604".into()]);
        assert_eq!(
            t.render(2),
            "  stage        served\n  declaration       7\n  x            19,604\n"
        );
    }
}

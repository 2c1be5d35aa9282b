//! `report.html`: one self-contained page with the scenario's name and parameters, the summary
//! tables and every plot with its caption.
//!
//! Self-contained means: inline CSS, each plot as inline SVG, no script, no font or image
//! fetched from anywhere (no `src=`, `href=`, `url(` or `@import`). The summary arrives as
//! Markdown and goes through [`markdown_to_html`], a small converter for what the summaries
//! use: `#` headings, pipe tables, paragraphs, `-` lists, fenced code blocks, `` `code` `` and
//! `**bold**`. Everything else is text, and every text is escaped.

use std::fmt::Write;

use super::plots::Plot;
use crate::model::RunSpec;
use crate::scenario::{Scenario, format_clock};

const CSS: &str = "\
:root{color-scheme:light}\
body{margin:0;background:#f6f6f4;color:#212121;font-family:'DejaVu Sans',system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;line-height:1.45}\
main{max-width:1240px;margin:0 auto;padding:24px 28px 48px;background:#fff}\
header{border-bottom:3px solid #1f77b4;margin-bottom:20px}\
h1{font-size:1.7em;margin:0 0 4px}\
.subtitle{color:#555;margin:0 0 14px}\
h2{font-size:1.3em;margin:28px 0 10px;border-bottom:1px solid #ddd;padding-bottom:4px}\
h3{font-size:1.1em;margin:20px 0 8px}\
h4,h5,h6{font-size:1em;margin:16px 0 6px}\
table{border-collapse:collapse;margin:8px 0 16px;font-size:.92em}\
th,td{border:1px solid #d5d5d5;padding:4px 10px;vertical-align:top}\
th{background:#f0f0ee;text-align:left}\
tbody tr:nth-child(even){background:#fafaf8}\
td.r,th.r{text-align:right;font-variant-numeric:tabular-nums}\
td.c,th.c{text-align:center}\
table.params td:first-child{font-family:'DejaVu Sans Mono',ui-monospace,Menlo,Consolas,monospace;white-space:nowrap}\
pre{background:#f4f4f2;border:1px solid #e2e2e0;padding:10px 12px;overflow-x:auto;font-size:.88em}\
code{font-family:'DejaVu Sans Mono',ui-monospace,Menlo,Consolas,monospace;font-size:.95em}\
figure{margin:18px 0 30px}\
figure svg{display:block;width:100%;height:auto;border:1px solid #e4e4e4}\
figcaption{color:#444;margin-top:6px;font-size:.95em}\
footer{margin-top:32px;color:#777;font-size:.85em}\
@media print{body{background:#fff}main{padding:0}figure{break-inside:avoid}}\
";

/// Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The report page: `title` (the scenario's name) and `subtitle` on top, then the
/// `parameters` as a two-column table, every plot as inline SVG with its title and caption,
/// and the summary tables (Markdown).
pub fn report_html(
    title: &str,
    subtitle: &str,
    parameters: &[(String, String)],
    summary_markdown: &str,
    plots: &[Plot],
) -> String {
    let svg_size: usize = plots.iter().map(|p| p.svg.len()).sum();
    let mut out = String::with_capacity(svg_size + summary_markdown.len() * 2 + 8192);
    let w = &mut out;
    let _ = write!(
        w,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"portsim {}\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n",
        env!("CARGO_PKG_VERSION"),
        escape(title)
    );
    let _ = writeln!(w, "<header>\n<h1>{}</h1>", escape(title));
    if !subtitle.is_empty() {
        let _ = writeln!(w, "<p class=\"subtitle\">{}</p>", escape(subtitle));
    }
    let _ = writeln!(w, "</header>");
    if !parameters.is_empty() {
        let _ = writeln!(
            w,
            "<section>\n<h2>Parameters</h2>\n<table class=\"params\">\n<tbody>"
        );
        for (k, v) in parameters {
            let _ = writeln!(w, "<tr><td>{}</td><td>{}</td></tr>", escape(k), escape(v));
        }
        let _ = writeln!(w, "</tbody>\n</table>\n</section>");
    }
    if !plots.is_empty() {
        let _ = writeln!(w, "<section class=\"plots\">\n<h2>Plots</h2>");
        for p in plots {
            let _ = writeln!(
                w,
                "<figure id=\"plot-{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>",
                escape(&p.name),
                inline_svg(&p.svg, &p.title),
                escape(&p.caption)
            );
        }
        let _ = writeln!(w, "</section>");
    }
    if !summary_markdown.trim().is_empty() {
        let _ = writeln!(
            w,
            "<section class=\"summary\">\n<h2>Tables</h2>\n{}</section>",
            markdown_to_html_from(summary_markdown, 2)
        );
    }
    let _ = write!(
        w,
        "<footer>Written by portsim {}. Every plot is also beside this file as SVG and PNG.</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}

/// What the report page says about the work behind it.
pub struct Page<'a> {
    /// The command: `run`, `compare`, `sweep`, `capacity` or `plan`.
    pub command: &'a str,
    /// The scenarios run, labelled when there are several (`A`, `B`…).
    pub scenarios: Vec<(Option<String>, &'a Scenario)>,
    /// The run spec after the command line's overrides (the master seed).
    pub run: RunSpec,
    /// Replications of each configuration.
    pub replications: u32,
    /// Further lines for the parameters table: settings, swept fields, targets.
    pub notes: Vec<(String, String)>,
}

/// `report.html` for a command: the first scenario's name as title, the run and the
/// scenario's main parameters as a table, the summary (Markdown, its own `#` title dropped)
/// and the plots.
pub fn report_page(page: &Page<'_>, summary_markdown: &str, plots: &[Plot]) -> String {
    let plural = |n: u32, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    let run = &page.run;
    let title = match page.scenarios.as_slice() {
        [(_, s)] => s.port.name.clone(),
        many => format!(
            "Comparison: {}",
            many.iter()
                .map(|(l, s)| format!("{} {}", l.as_deref().unwrap_or(""), s.port.name))
                .collect::<Vec<_>>()
                .join(" · ")
        ),
    };
    let subtitle = format!(
        "portsim {} · {} after {} · seed {} · {}",
        page.command,
        plural(run.days, "measured day"),
        plural(run.warmup_days, "warm-up day"),
        run.seed,
        plural(page.replications, "replication"),
    );
    let mut rows: Vec<(String, String)> = Vec::new();
    for (label, s) in &page.scenarios {
        let key = |what: &str| match label {
            Some(l) => format!("{l}: {what}"),
            None => what.to_string(),
        };
        rows.extend(scenario_rows(s, run).into_iter().map(|(k, v)| (key(&k), v)));
    }
    rows.extend(page.notes.iter().cloned());
    let summary = match summary_markdown.strip_prefix("# ") {
        Some(rest) => rest.split_once('\n').map_or("", |(_, body)| body),
        None => summary_markdown,
    };
    report_html(&title, &subtitle, &rows, summary, plots)
}

/// The scenario's file and main parameters, one line each.
fn scenario_rows(s: &Scenario, run: &RunSpec) -> Vec<(String, String)> {
    let port = &s.port;
    let mut rows = vec![
        ("scenario".to_string(), s.origin.clone()),
        (
            "demand".to_string(),
            format!(
                "{:.0} vehicles a day on average ({})",
                port.mean_arrivals_per_day(run),
                port.arrivals
                    .iter()
                    .map(|a| format!(
                        "{} {:.0}/day",
                        a.name,
                        a.mean_per_day(run.warmup_days, run.days)
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ),
    ];
    let stages: Vec<String> = port
        .stages
        .iter()
        .map(|st| {
            let lanes = if st.lanes.len() > 1 {
                format!(
                    " ({})",
                    st.lanes
                        .iter()
                        .map(|l| format!("{} {}", l.name, l.servers))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else {
                String::new()
            };
            format!(
                "{}: {} server{}{lanes}, mean service {:.1} min",
                st.name,
                st.servers,
                if st.servers == 1 { "" } else { "s" },
                st.service.mean()
            )
        })
        .collect();
    rows.push(("stages".to_string(), stages.join("; ")));
    if let Some(r) = &port.roster {
        let shifts: Vec<String> = r
            .shifts
            .iter()
            .map(|sh| {
                format!(
                    "{} {}–{}",
                    sh.name,
                    format_clock(sh.start.minutes()),
                    format_clock(sh.end.minutes())
                )
            })
            .collect();
        rows.push(("shifts".to_string(), shifts.join(", ")));
    }
    if let Some(pool) = port.yard.drivers.pool {
        rows.push(("drivers".to_string(), format!("{pool} in the pool")));
    }
    if let Some(c) = &port.yard.carriers {
        rows.push((
            "carriers".to_string(),
            format!("{} of {} slots, {} loading bays", c.fleet, c.slots, c.bays),
        ));
    }
    if let Some(q) = port.exit.as_ref().and_then(|e| e.quota_per_day) {
        rows.push(("exit".to_string(), format!("{q} conveyances a day")));
    }
    rows
}

/// An SVG document made fit for inlining in HTML: no XML declaration, no namespace URL
/// (HTML puts `<svg>` in the SVG namespace by itself), and an accessible name.
fn inline_svg(svg: &str, title: &str) -> String {
    let svg = svg.trim();
    let svg = match svg.find("<svg") {
        Some(i) => &svg[i..],
        None => svg,
    };
    let end = svg.find('>').unwrap_or(0);
    let (open, rest) = svg.split_at(end);
    let open = open
        .replace(" xmlns=\"http://www.w3.org/2000/svg\"", "")
        .replace(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"", "");
    let open = open.replacen(
        "<svg",
        &format!("<svg role=\"img\" aria-label=\"{}\"", escape(title)),
        1,
    );
    format!("{open}{rest}")
}

/// Markdown to HTML, headings kept at their level (`#` is `<h1>`).
pub fn markdown_to_html(md: &str) -> String {
    markdown_to_html_from(md, 1)
}

/// Markdown to HTML with `#` as `<h{top}>` (deeper levels follow, up to `<h6>`).
fn markdown_to_html_from(md: &str, top: usize) -> String {
    let lines: Vec<&str> = md.lines().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim_end();
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            i += 1;
        } else if let Some(fence) = fence(trimmed) {
            i += 1;
            let mut code = String::new();
            while i < lines.len() && !lines[i].trim_start().starts_with(fence) {
                code.push_str(lines[i]);
                code.push('\n');
                i += 1;
            }
            i += 1; // the closing fence (or the end)
            let _ = writeln!(out, "<pre><code>{}</code></pre>", escape(&code));
        } else if let Some((level, text)) = heading(trimmed) {
            let h = (level + top - 1).min(6);
            let _ = writeln!(out, "<h{h}>{}</h{h}>", inline(text));
            i += 1;
        } else if is_rule(trimmed) {
            out.push_str("<hr>\n");
            i += 1;
        } else if trimmed.starts_with('|')
            && i + 1 < lines.len()
            && separator(lines[i + 1]).is_some()
        {
            i = table(&lines, i, &mut out);
        } else if list_item(trimmed).is_some() {
            out.push_str("<ul>\n");
            while i < lines.len() {
                let Some(item) = list_item(lines[i].trim()) else {
                    break;
                };
                let _ = writeln!(out, "<li>{}</li>", inline(item));
                i += 1;
            }
            out.push_str("</ul>\n");
        } else {
            let mut para: Vec<&str> = Vec::new();
            while i < lines.len() {
                let l = lines[i].trim();
                if l.is_empty()
                    || fence(l).is_some()
                    || heading(l).is_some()
                    || list_item(l).is_some()
                    || (l.starts_with('|')
                        && i + 1 < lines.len()
                        && separator(lines[i + 1]).is_some())
                {
                    break;
                }
                para.push(l);
                i += 1;
            }
            let _ = writeln!(out, "<p>{}</p>", inline(&para.join(" ")));
        }
    }
    out
}

/// The fence that opens a code block (three or more backticks or tildes).
fn fence(line: &str) -> Option<&'static str> {
    if line.starts_with("```") {
        Some("```")
    } else if line.starts_with("~~~") {
        Some("~~~")
    } else {
        None
    }
}

/// `# text` … `###### text`: the level and the text.
fn heading(line: &str) -> Option<(usize, &str)> {
    let level = line.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&level) {
        let rest = &line[level..];
        if rest.is_empty() {
            return Some((level, ""));
        }
        if rest.starts_with(' ') {
            return Some((level, rest.trim().trim_end_matches('#').trim_end()));
        }
    }
    None
}

fn is_rule(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    t.len() >= 3
        && (t.chars().all(|c| c == '-')
            || t.chars().all(|c| c == '*')
            || t.chars().all(|c| c == '_'))
}

fn list_item(line: &str) -> Option<&str> {
    line.strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("+ "))
}

/// Column alignment of a table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Align {
    None,
    Left,
    Right,
    Center,
}

impl Align {
    fn class(self) -> &'static str {
        match self {
            Align::None | Align::Left => "",
            Align::Right => " class=\"r\"",
            Align::Center => " class=\"c\"",
        }
    }
}

/// The cells of a table row (`| a | b |`, outer pipes optional, `\|` is a pipe).
fn cells(line: &str) -> Vec<String> {
    let t = line.trim();
    let t = t.strip_prefix('|').unwrap_or(t);
    let t = if t.ends_with('|') && !t.ends_with("\\|") {
        &t[..t.len() - 1]
    } else {
        t
    };
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => out.push(std::mem::take(&mut cell).trim().to_string()),
            _ => cell.push(c),
        }
    }
    out.push(cell.trim().to_string());
    out
}

/// The alignments of a separator row (`|---|:--:|--:|`), if `line` is one.
fn separator(line: &str) -> Option<Vec<Align>> {
    let t = line.trim();
    if !t.contains('-') || !t.contains('|') {
        return None;
    }
    cells(t)
        .iter()
        .map(|c| {
            let inner = c.trim_start_matches(':').trim_end_matches(':');
            if inner.is_empty() || !inner.chars().all(|x| x == '-') {
                return None;
            }
            Some(match (c.starts_with(':'), c.ends_with(':')) {
                (true, true) => Align::Center,
                (false, true) => Align::Right,
                (true, false) => Align::Left,
                (false, false) => Align::None,
            })
        })
        .collect()
}

/// Renders the table starting at `lines[start]` (header, separator, rows); returns the index
/// of the first line after it.
fn table(lines: &[&str], start: usize, out: &mut String) -> usize {
    let header = cells(lines[start]);
    let aligns = separator(lines[start + 1]).unwrap_or_default();
    let align = |k: usize| aligns.get(k).copied().unwrap_or(Align::None).class();
    out.push_str("<table>\n<thead><tr>");
    for (k, h) in header.iter().enumerate() {
        let _ = write!(out, "<th{}>{}</th>", align(k), inline(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let mut i = start + 2;
    while i < lines.len() && lines[i].trim_start().starts_with('|') {
        out.push_str("<tr>");
        let row = cells(lines[i]);
        for k in 0..header.len().max(row.len()) {
            let cell = row.get(k).map_or("", String::as_str);
            let _ = write!(out, "<td{}>{}</td>", align(k), inline(cell));
        }
        out.push_str("</tr>\n");
        i += 1;
    }
    out.push_str("</tbody>\n</table>\n");
    i
}

/// Inline Markdown: `` `code` `` and `**bold**`; everything escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while !rest.is_empty() {
        let tick = rest.find('`');
        let star = rest.find("**");
        match (tick, star) {
            (Some(t), s) if s.is_none_or(|s| t < s) => {
                if let Some(len) = rest[t + 1..].find('`') {
                    out.push_str(&escape(&rest[..t]));
                    let _ = write!(out, "<code>{}</code>", escape(&rest[t + 1..t + 1 + len]));
                    rest = &rest[t + 2 + len..];
                } else {
                    out.push_str(&escape(rest));
                    rest = "";
                }
            }
            (_, Some(s)) => {
                if let Some(len) = rest[s + 2..].find("**").filter(|&l| l > 0) {
                    out.push_str(&escape(&rest[..s]));
                    let _ = write!(
                        out,
                        "<strong>{}</strong>",
                        escape(&rest[s + 2..s + 2 + len])
                    );
                    rest = &rest[s + 4 + len..];
                } else {
                    out.push_str(&escape(&rest[..s + 2]));
                    rest = &rest[s + 2..];
                }
            }
            _ => {
                out.push_str(&escape(rest));
                rest = "";
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_render_with_header_alignment_and_escaped_cells() {
        let md = "# Run <baseline>\n\nSome text & more\non two lines.\n\n| stage | wait, min |\n|---|---:|\n| declaration | 10.1 |\n| a \\| b | <5 |\n\nafter";
        let html = markdown_to_html(md);
        assert!(html.contains("<h1>Run &lt;baseline&gt;</h1>"), "{html}");
        assert!(
            html.contains("<p>Some text &amp; more on two lines.</p>"),
            "{html}"
        );
        assert!(
            html.contains("<thead><tr><th>stage</th><th class=\"r\">wait, min</th></tr></thead>"),
            "{html}"
        );
        assert!(
            html.contains("<tr><td>declaration</td><td class=\"r\">10.1</td></tr>"),
            "{html}"
        );
        assert!(
            html.contains("<tr><td>a | b</td><td class=\"r\">&lt;5</td></tr>"),
            "{html}"
        );
        assert!(html.contains("<p>after</p>"), "{html}");
        assert!(!html.contains("<baseline>") && !html.contains("<5"));
    }

    #[test]
    fn code_blocks_lists_and_inline_marks() {
        let md = "## Days\n```\nday  arrived <x>\n1    690\n```\n- one `a<b`\n- **two** & 3\n\n(* = significant)\n* item";
        let html = markdown_to_html_from(md, 2);
        assert!(html.contains("<h3>Days</h3>"), "{html}");
        assert!(
            html.contains("<pre><code>day  arrived &lt;x&gt;\n1    690\n</code></pre>"),
            "{html}"
        );
        assert!(html.contains("<li>one <code>a&lt;b</code></li>"), "{html}");
        assert!(
            html.contains("<li><strong>two</strong> &amp; 3</li>"),
            "{html}"
        );
        assert!(
            html.contains("<p>(* = significant)</p>\n<ul>\n<li>item</li>"),
            "{html}"
        );
    }

    #[test]
    fn unclosed_marks_stay_text() {
        assert_eq!(inline("a ** b ` c <"), "a ** b ` c &lt;");
        assert_eq!(inline("x **y** z"), "x <strong>y</strong> z");
    }

    #[test]
    fn a_row_of_pipes_without_a_separator_is_a_paragraph() {
        let html = markdown_to_html("| a | b |\nplain");
        assert!(html.starts_with("<p>| a | b | plain</p>"), "{html}");
    }

    #[test]
    fn inlined_svg_loses_its_namespace_url_and_gets_a_name() {
        let svg = "<svg width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/></svg>";
        let s = inline_svg(svg, "A & B");
        assert!(
            s.starts_with("<svg role=\"img\" aria-label=\"A &amp; B\" width=\"10\""),
            "{s}"
        );
        assert!(!s.contains("http"));
        assert!(s.ends_with("<rect/></svg>"));
    }
}

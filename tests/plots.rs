//! Plots and the HTML report on real runs: every plot of `run`, `compare` and `sweep` is a
//! valid SVG document and a PNG of exactly `PNG_SIZE` with text drawn in it; the report
//! carries every plot and caption and references nothing outside itself.

use std::path::Path;

use portsim::experiment::{self, Control, Outcome, Overrides};
use portsim::report::{
    self, Config, PNG_SIZE, Plot, RunPlots, SweepReport, compare_plots, report_html, run_plots,
    sweep_plots,
};
use portsim::scenario::{self, Assignment, Scenario, Template};

const BASELINE: &str = "scenarios/horgos-baseline.toml";

fn load(path: &str) -> Scenario {
    scenario::load(Path::new(path)).unwrap()
}

/// `n` replications of `days` days with the timeline recorded.
fn outcomes(s: &Scenario, days: u32, n: u32) -> Vec<Outcome> {
    let overrides = Overrides {
        days: Some(days),
        record_timeline: true,
        ..Overrides::default()
    };
    experiment::replicate(s, &overrides, n, Control::default()).outcomes
}

/// Every text of an SVG document, in order.
fn svg_texts(doc: &roxmltree::Document<'_>) -> String {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks one plot: the SVG parses, has the size and the embedded font's family and shows the
/// title; the PNG decodes to `PNG_SIZE` in 8-bit RGB and has dark (text) pixels in the title
/// band and both light and dark pixels overall. Returns the SVG's texts.
fn check(plot: &Plot) -> String {
    assert!(!plot.name.is_empty() && !plot.title.is_empty());
    assert!(
        plot.caption.ends_with('.') && !plot.caption.contains('\n') && plot.caption.len() > 40,
        "{}: caption {:?}",
        plot.name,
        plot.caption
    );

    let doc = roxmltree::Document::parse(&plot.svg)
        .unwrap_or_else(|e| panic!("{}: SVG does not parse: {e}", plot.name));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg", "{}", plot.name);
    assert_eq!(root.attribute("width"), Some("1200"), "{}", plot.name);
    assert_eq!(root.attribute("height"), Some("700"), "{}", plot.name);
    let families: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("font-family"))
        .collect();
    assert!(!families.is_empty(), "{}: no text", plot.name);
    assert!(
        families.iter().all(|f| *f == "DejaVu Sans, sans-serif"),
        "{}: {families:?}",
        plot.name
    );
    let texts = svg_texts(&doc);
    assert!(texts.contains(&plot.title), "{}: title missing", plot.name);

    let decoder = png::Decoder::new(plot.png.as_slice());
    let mut reader = decoder
        .read_info()
        .unwrap_or_else(|e| panic!("{}: PNG does not decode: {e}", plot.name));
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), PNG_SIZE, "{}", plot.name);
    assert_eq!(info.color_type, png::ColorType::Rgb, "{}", plot.name);
    assert_eq!(info.bit_depth, png::BitDepth::Eight, "{}", plot.name);
    let pixels = &pixels[..info.buffer_size()];
    let dark = |p: &[u8]| p.iter().all(|&c| c < 100);
    let row = PNG_SIZE.0 as usize * 3;
    // The title is drawn in the top 36 rows: some of its pixels are dark.
    let title_band = &pixels[..36 * row];
    assert!(
        title_band.chunks(3).filter(|p| dark(p)).count() > 200,
        "{}: no title text in the PNG",
        plot.name
    );
    let white = pixels.chunks(3).filter(|p| p == &[255, 255, 255]).count();
    let total = pixels.len() / 3;
    assert!(
        white > total / 10 && white < total,
        "{}: {white} of {total} pixels white",
        plot.name
    );
    texts
}

fn names(plots: &[Plot]) -> Vec<&str> {
    plots.iter().map(|p| p.name.as_str()).collect()
}

#[test]
fn run_plots_of_the_baseline_with_replications() {
    let s = load(BASELINE);
    let runs = outcomes(&s, 10, 2);
    let targets = vec![("p95 target".to_string(), 180.0)];
    let input = RunPlots {
        scenario: &s,
        outcomes: &runs,
        capacity_per_day: Some(745.0),
        clearance_targets: &targets,
    };
    let plots = run_plots(&input);
    // Rendered in parallel, yet the same bytes every time.
    assert_eq!(plots, run_plots(&input));
    assert_eq!(
        names(&plots),
        [
            "clearance_distribution",
            "queue_and_lanes",
            "daily_throughput",
            "utilization_heatmap"
        ]
    );
    let texts: Vec<String> = plots.iter().map(check).collect();
    for p in &plots {
        assert!(p.title.contains(&s.port.name), "{}", p.title);
    }

    // Clearance: pooled over both replications, target marked, crossing shown (exit quota).
    let vehicles: u64 = runs
        .iter()
        .map(|o| o.result.clearance_histogram.count())
        .sum();
    let pooled = {
        let mut h = runs[0].result.clearance_histogram.clone();
        h.merge(&runs[1].result.clearance_histogram);
        h
    };
    assert_eq!(pooled.count(), vehicles);
    assert!(
        plots[0].caption.contains(&format!(
            "{} vehicles (2 replications, pooled)",
            thousands(vehicles)
        )),
        "{}",
        plots[0].caption
    );
    assert!(texts[0].contains("p95 target 180 min"), "{}", texts[0]);
    let p95 = pooled.quantile(0.95);
    let drawn: f64 = texts[0]
        .lines()
        .find_map(|l| l.strip_prefix("p95 ")?.strip_suffix(" min")?.parse().ok())
        .expect("a p95 mark");
    assert!(
        (drawn - p95).abs() <= 0.01 * p95,
        "p95 {drawn} drawn, {p95} pooled"
    );
    assert!(texts[0].contains("crossing time: arrival to leaving the country"));

    // Queues: every stage, every shift, day and clock time on the axis.
    for stage in &s.port.stages {
        assert!(texts[1].contains(&stage.name), "{}", stage.name);
    }
    for shift in ["night shift", "day shift", "evening shift"] {
        assert!(texts[1].contains(shift), "{shift}");
    }
    for tick in ["day 1", "12:00", "day 7"] {
        assert!(texts[1].contains(tick), "{tick}: {}", texts[1]);
    }
    // Shading: the shift tints are drawn (the first shift's tint is in the SVG).
    assert!(plots[1].svg.contains("fill=\"#DDE2F2\""));

    // Daily: split by loading mode in the modes' own colours, capacity line.
    for t in [
        "cleared, self-driving",
        "cleared, cage-truck",
        "capacity 745 a day",
    ] {
        assert!(texts[2].contains(t), "{t}");
    }
    assert!(plots[2].svg.contains("fill=\"#1F77B4\"") && plots[2].svg.contains("fill=\"#FF7F0E\""));
    assert!(plots[2].caption.contains("mean over 2 replications"));

    // Heat map: every stage, every hour, and the scale.
    for stage in &s.port.stages {
        assert!(texts[3].contains(&stage.name));
    }
    assert!(texts[3].contains("00") && texts[3].contains("23") && texts[3].contains("100 %"));
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn run_plots_without_roster_or_carriers_and_without_timeline() {
    // M/M/8: no roster (no shading), no carriers (one colour), no exit quota (no crossing panel).
    let s = load("scenarios/mmc-8.toml");
    let runs = outcomes(&s, 3, 1);
    let plots = run_plots(&RunPlots {
        scenario: &s,
        outcomes: &runs,
        capacity_per_day: None,
        clearance_targets: &[],
    });
    assert_eq!(plots.len(), 4);
    let texts: Vec<String> = plots.iter().map(check).collect();
    assert!(!texts[0].contains("crossing time"));
    assert!(
        plots[1].caption.contains("no roster"),
        "{}",
        plots[1].caption
    );
    assert!(!texts[1].contains(" shift"));
    assert!(texts[2].contains("cleared") && !texts[2].contains("self-driving"));
    assert!(!texts[2].contains("capacity"));

    // Without a recorded timeline there is no queue plot; the others remain.
    let plain = vec![experiment::run_once(
        &s,
        &Overrides {
            days: Some(2),
            ..Overrides::default()
        },
    )];
    let plots = run_plots(&RunPlots {
        scenario: &s,
        outcomes: &plain,
        capacity_per_day: None,
        clearance_targets: &[],
    });
    assert_eq!(
        names(&plots),
        [
            "clearance_distribution",
            "daily_throughput",
            "utilization_heatmap"
        ]
    );
    assert!(
        run_plots(&RunPlots {
            scenario: &s,
            outcomes: &[],
            capacity_per_day: None,
            clearance_targets: &[],
        })
        .is_empty()
    );
}

#[test]
fn closed_hours_are_grey_in_the_heat_map() {
    let s = load("scenarios/horgos-day-hours.toml");
    assert!(s.port.hours.daily.is_some());
    let runs = outcomes(&s, 3, 1);
    let plots = run_plots(&RunPlots {
        scenario: &s,
        outcomes: &runs,
        capacity_per_day: None,
        clearance_targets: &[],
    });
    let heat = plots
        .iter()
        .find(|p| p.name == "utilization_heatmap")
        .unwrap();
    check(heat);
    assert!(heat.caption.contains("closed"), "{}", heat.caption);
    assert!(heat.svg.contains("fill=\"#E1E1E1\""));
}

#[test]
fn capacity_runs_plot_with_the_capacity_line() {
    let s = load(BASELINE);
    let overrides = Overrides {
        days: Some(3),
        record_timeline: true,
        ..Overrides::default()
    };
    let cap = experiment::capacity(&s, &overrides, 2, Control::default());
    let bound = cap.bound().unwrap().vehicles_per_day;
    let plots = run_plots(&RunPlots {
        scenario: &s,
        outcomes: &cap.replicated.outcomes,
        capacity_per_day: Some(bound),
        clearance_targets: &[],
    });
    assert_eq!(plots.len(), 4);
    for p in &plots {
        check(p);
    }
    assert!(plots[2].caption.contains("capacity of"));
}

fn compared() -> (Vec<(Scenario, Vec<Assignment>)>, experiment::Comparison) {
    let t = Template::load(Path::new(BASELINE)).unwrap();
    let (field, values) = t
        .setting("staffing.shifts.evening.staff.declaration=4,3")
        .unwrap();
    let configs: Vec<(Scenario, Vec<Assignment>)> = values
        .into_iter()
        .map(|value| {
            let change = vec![Assignment {
                field: field.clone(),
                value,
            }];
            (t.with(&change).unwrap(), change)
        })
        .collect();
    let scenarios: Vec<Scenario> = configs.iter().map(|c| c.0.clone()).collect();
    let overrides = Overrides {
        days: Some(4),
        ..Overrides::default()
    };
    let cmp = experiment::compare(&scenarios, &overrides, 3, Control::default());
    (configs, cmp)
}

#[test]
fn compare_plot_has_a_panel_per_key_figure_and_names_the_configurations() {
    let (configs, cmp) = compared();
    let configs: Vec<Config<'_>> = configs
        .iter()
        .map(|(s, settings)| Config {
            scenario: s,
            settings: settings.clone(),
        })
        .collect();
    let plots = compare_plots(&configs, &cmp);
    assert_eq!(names(&plots), ["key_figures"]);
    let texts = check(&plots[0]);
    for label in [
        "clearance mean, min",
        "clearance p95, min",
        "cleared per day",
        "declaration utilisation %",
        "A = Horgos",
        "staffing.shifts.evening.staff.declaration=3",
    ] {
        assert!(texts.contains(label), "{label}: {texts}");
    }
    assert!(plots[0].caption.contains("3 paired replications"));
}

#[test]
fn sweep_plots_show_key_figures_and_the_staff_hours_tradeoff() {
    let t = Template::load(Path::new(BASELINE)).unwrap();
    let settings = vec![
        t.setting("staffing.shifts.day.staff.declaration=5,6")
            .unwrap(),
        t.setting("staffing.shifts.evening.staff.declaration=3,4")
            .unwrap(),
    ];
    let paths: Vec<String> = settings.iter().map(|(f, _)| f.path.clone()).collect();
    let points = experiment::grid(&settings);
    let scenarios: Vec<Scenario> = points.iter().map(|p| t.with(p).unwrap()).collect();
    let overrides = Overrides {
        days: Some(3),
        ..Overrides::default()
    };
    let (seed, points) = experiment::sweep(points, &scenarios, &overrides, 2, Control::default());
    let r = SweepReport {
        base: t.base(),
        scenarios: &scenarios,
        points: &points,
        paths,
        seed,
        replications: 2,
    };
    let plots = sweep_plots(&r);
    assert_eq!(names(&plots), ["key_figures", "tradeoff"]);
    let texts: Vec<String> = plots.iter().map(check).collect();
    // Series by the outer setting, x by the inner one.
    for label in [
        "day.staff.declaration=5",
        "day.staff.declaration=6",
        "x: evening.staff.declaration (swept value)",
    ] {
        assert!(texts[0].contains(label), "{label}: {}", texts[0]);
    }
    // One labelled marker per point; staff-hours from the roster (8 h shifts).
    for label in ["5 · 3", "5 · 4", "6 · 3", "6 · 4"] {
        assert!(texts[1].contains(label), "{label}: {}", texts[1]);
    }
    let base_hours = report::staff_hours_per_day(&scenarios[0].port);
    assert_eq!(
        report::staff_hours_per_day(&scenarios[3].port),
        base_hours + 8.0 * 2.0
    );
    assert!(texts[1].contains("staff-hours a day"));
}

#[test]
fn report_html_is_self_contained_with_every_plot_and_caption() {
    let s = load(BASELINE);
    let runs = outcomes(&s, 3, 1);
    let mut plots = run_plots(&RunPlots {
        scenario: &s,
        outcomes: &runs,
        capacity_per_day: Some(745.0),
        clearance_targets: &[("p95 target".to_string(), 60.0)],
    });
    let (configs, cmp) = compared();
    let configs: Vec<Config<'_>> = configs
        .iter()
        .map(|(s, settings)| Config {
            scenario: s,
            settings: settings.clone(),
        })
        .collect();
    plots.extend(compare_plots(&configs, &cmp));
    let summary = "# Summary <run>\n\n| figure | mean |\n|---|---:|\n| clearance & crossing | 32.0 |\n\n```\nday  arrived\n1    690 <\n```\n";
    let params = vec![
        ("scenario".to_string(), BASELINE.to_string()),
        ("--set".to_string(), "a<b".to_string()),
    ];
    let html = report_html(
        &s.port.name,
        "portsim run · 3 days",
        &params,
        summary,
        &plots,
    );

    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains(&format!("<title>{}</title>", s.port.name)));
    assert_eq!(html.matches("<svg").count(), plots.len());
    assert_eq!(html.matches("</svg>").count(), plots.len());
    for p in &plots {
        assert!(
            html.contains(&report::escape(&p.caption)),
            "caption of {} missing",
            p.name
        );
    }
    let lower = html.to_lowercase();
    for bad in [
        "http://", "https://", "src=", "href=", "@import", "url(", "<script", "<link", "<img",
        "<iframe", "<object",
    ] {
        assert!(!lower.contains(bad), "report.html contains {bad}");
    }
    // The summary's table and code, escaped.
    assert!(html.contains("<h2>Summary &lt;run&gt;</h2>"));
    assert!(html.contains("<td>clearance &amp; crossing</td><td class=\"r\">32.0</td>"));
    assert!(html.contains("<pre><code>day  arrived\n1    690 &lt;\n</code></pre>"));
    assert!(html.contains("<td>a&lt;b</td>"));
    assert!(!html.contains("a<b") && !html.contains("<run>"));
}

//! The plots of comparisons and sweeps: key figures with 95 % confidence whiskers, and the
//! trade-off of p95 clearance time against staff-hours a day.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{self, anchored, bold, text};
use super::{Area, Drawn, Figure, Job, Swatch, decimals, legend, ticked};
use crate::experiment::Comparison;
use crate::model::Port;
use crate::report::aggregate::CONFIDENCE;
use crate::report::compare::Config;
use crate::report::figures::{KeyFigure, key_figures, values};
use crate::report::sweep::SweepReport;
use crate::scenario::{Assignment, Scenario};
use crate::stats::MeanCi;

/// Panels drawn at most (the first key figures: port-wide ones first).
const MAX_PANELS: usize = 12;
/// Footer lines naming the configurations, at most.
const MAX_FOOTER: usize = 6;

/// Staff-hours a day of `port`: over the roster's shifts, the shift's length times the staff
/// on duty at every stage (a stage the roster does not staff counts all its servers' crews,
/// `servers × staff_per_server`, as the planner does). Without a roster every server is
/// open around the clock: `servers × staff_per_server × 24 h` per stage.
pub fn staff_hours_per_day(port: &Port) -> f64 {
    let crews = |j: usize| f64::from(port.stages[j].servers * port.stages[j].staff_per_server);
    match &port.roster {
        None => (0..port.stages.len()).map(|j| crews(j) * 24.0).sum(),
        Some(r) => r
            .shifts
            .iter()
            .map(|shift| {
                let on_duty: f64 = (0..port.stages.len())
                    .map(|j| {
                        if r.rostered.get(j).copied().unwrap_or(false) {
                            shift.staff.get(j).map_or(0.0, |s| {
                                f64::from(s.total + s.lanes.iter().flatten().sum::<u32>())
                            })
                        } else {
                            crews(j)
                        }
                    })
                    .sum();
                shift.length().hours() * on_duty
            })
            .sum(),
    }
}

/// A mean with its 95 % interval (`low == high == mean` when there is no interval), the low
/// end cut at 0 (key figures are times, counts and shares).
#[derive(Clone, Copy, Debug)]
struct Estimate {
    mean: f64,
    low: f64,
    high: f64,
}

impl Estimate {
    fn of(xs: &[f64], scale: f64) -> Option<Estimate> {
        if xs.is_empty() {
            return None;
        }
        let ci = MeanCi::new(xs, CONFIDENCE);
        let hw = if ci.half_width.is_finite() {
            ci.half_width
        } else {
            0.0
        };
        // Key figures are never negative: a whisker stops at 0.
        Some(Estimate {
            mean: ci.mean * scale,
            low: ((ci.mean - hw) * scale).max(0.0),
            high: (ci.mean + hw) * scale,
        })
    }
}

/// One marker of a whisker panel.
struct Point {
    series: usize,
    category: usize,
    estimate: Estimate,
}

/// One key figure across configurations or points.
struct Panel {
    title: String,
    points: Vec<Point>,
}

/// Small multiples: one panel per key figure, categories along x, series in colours.
pub(super) struct Whiskers {
    categories: Vec<String>,
    x_desc: String,
    series: Vec<String>,
    panels: Vec<Panel>,
    footer: Vec<String>,
    /// Whether to join each series' points (the categories are ordered values).
    join: bool,
}

/// `A`, `B`, … `Z`, then `#27`, `#28`… (as in the comparison's text).
fn letter(i: usize) -> String {
    if i < 26 {
        char::from(b'A' + i as u8).to_string()
    } else {
        format!("#{}", i + 1)
    }
}

fn settings_text(settings: &[Assignment]) -> String {
    settings
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A path shortened to its last three parts (`shifts.day.staff.declaration` →
/// `day.staff.declaration`).
fn short_path(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    parts[parts.len().saturating_sub(3)..].join(".")
}

/// Up to `MAX_PANELS` key figures, port-wide ones first.
fn panel_figures(scenarios: &[&Scenario]) -> Vec<KeyFigure> {
    let mut figures = key_figures(scenarios, false);
    figures.truncate(MAX_PANELS);
    figures
}

pub(super) fn compare_jobs(configs: &[Config<'_>], cmp: &Comparison) -> Vec<Job> {
    let n = cmp.outcomes.first().map_or(0, Vec::len);
    if configs.is_empty() || n == 0 {
        return Vec::new();
    }
    let scenarios: Vec<&Scenario> = configs.iter().map(|c| c.scenario).collect();
    let figures = panel_figures(&scenarios);
    let per_config: Vec<Vec<Option<Vec<f64>>>> = configs
        .iter()
        .zip(&cmp.outcomes)
        .map(|(c, o)| values(c.scenario, o, &figures))
        .collect();
    let panels = figures
        .iter()
        .enumerate()
        .map(|(f, fig)| Panel {
            title: fig.label.clone(),
            points: per_config
                .iter()
                .enumerate()
                .filter_map(|(c, v)| {
                    let est = Estimate::of(v[f].as_deref()?, fig.scale)?;
                    Some(Point {
                        series: 0,
                        category: c,
                        estimate: est,
                    })
                })
                .collect(),
        })
        .collect();
    let mut footer: Vec<String> = configs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut s = format!("{} = {}", letter(i), c.scenario.port.name);
            if !c.settings.is_empty() {
                s.push_str(&format!(" with {}", settings_text(&c.settings)));
            } else if configs.len() > 1 {
                s.push_str(&format!(" ({})", c.scenario.origin));
            }
            s
        })
        .collect();
    if footer.len() > MAX_FOOTER {
        let more = footer.len() - (MAX_FOOTER - 1);
        footer.truncate(MAX_FOOTER - 1);
        footer.push(format!(
            "… and {more} more configurations (named in the summary)"
        ));
    }
    let name = &configs[0].scenario.port.name;
    vec![Job {
        name: "key_figures",
        title: format!("Key figures by configuration · {name}"),
        caption: format!(
            "Each configuration's key figures (one panel per figure; A is the reference), as the mean over {n} paired replications with its 95 % confidence interval as whiskers: configurations whose whiskers do not overlap differ beyond chance, and the paired differences in the summary are sharper still."
        ),
        figure: Figure::Whiskers(Whiskers {
            categories: (0..configs.len()).map(letter).collect(),
            x_desc: "configuration".into(),
            series: vec![String::new()],
            panels,
            footer,
            join: false,
        }),
    }]
}

/// Per finished point: its index, and each figure's replication values.
type PointValues = Vec<(usize, Vec<Option<Vec<f64>>>)>;

pub(super) fn sweep_jobs(r: &SweepReport<'_>) -> Vec<Job> {
    let scenarios: Vec<&Scenario> = r.scenarios.iter().collect();
    let mut figures = panel_figures(&scenarios);
    let p95 = figures.iter().position(|f| f.key == "clearance_min.p95");
    let p95 = p95.unwrap_or_else(|| {
        figures.push(KeyFigure {
            key: "clearance_min.p95".into(),
            label: "clearance p95, min".into(),
            scale: 1.0,
            decimals: 2,
        });
        figures.len() - 1
    });
    let finished: PointValues = r
        .points
        .iter()
        .zip(r.scenarios)
        .enumerate()
        .filter_map(|(i, (p, s))| Some((i, values(s, p.outcomes.as_ref()?, &figures))))
        .collect();
    if finished.is_empty() {
        return Vec::new();
    }
    let name = &r.base.port.name;
    let replications = r.replications;
    let paths: Vec<String> = r.paths.iter().map(|p| short_path(p)).collect();

    // x: the last setting's values; series: the combinations of the others.
    let mut categories: Vec<String> = Vec::new();
    let mut series: Vec<String> = Vec::new();
    let mut place: Vec<(usize, usize)> = Vec::new(); // (series, category) per finished point
    for (i, _) in &finished {
        let settings = &r.points[*i].settings;
        let (outer, last) = match settings.split_last() {
            Some((last, outer)) => (outer, last.value.text.clone()),
            None => (&settings[..0], String::new()),
        };
        let key = outer
            .iter()
            .map(|a| format!("{}={}", short_path(&a.field.path), a.value.text))
            .collect::<Vec<_>>()
            .join(", ");
        let c = categories
            .iter()
            .position(|x| *x == last)
            .unwrap_or_else(|| {
                categories.push(last);
                categories.len() - 1
            });
        let s = series.iter().position(|x| *x == key).unwrap_or_else(|| {
            series.push(key);
            series.len() - 1
        });
        place.push((s, c));
    }
    let shown = if figures.len() > MAX_PANELS {
        MAX_PANELS
    } else {
        figures.len()
    };
    let panels = figures[..shown]
        .iter()
        .enumerate()
        .map(|(f, fig)| Panel {
            title: fig.label.clone(),
            points: finished
                .iter()
                .zip(&place)
                .filter_map(|((_, v), &(s, c))| {
                    Some(Point {
                        series: s,
                        category: c,
                        estimate: Estimate::of(v[f].as_deref()?, fig.scale)?,
                    })
                })
                .collect(),
        })
        .collect();
    let x_desc = paths.last().cloned().unwrap_or_default();
    let whiskers = Job {
        name: "key_figures",
        title: format!("Key figures per sweep point · {name}"),
        caption: format!(
            "Each sweep point's key figures (one panel per figure) against {}{}, as the mean over {replications} replications with its 95 % confidence interval as whiskers; every point runs with the same replication seeds, so neighbouring points differ by their settings, not by luck.",
            if x_desc.is_empty() {
                "the point".to_string()
            } else {
                format!("the value of {x_desc}")
            },
            if series.len() > 1 {
                format!(
                    ", one colour per value of {}",
                    paths[..paths.len() - 1].join(" and ")
                )
            } else {
                String::new()
            }
        ),
        figure: Figure::Whiskers(Whiskers {
            categories,
            x_desc: format!("x: {x_desc} (swept value)"),
            series,
            panels,
            footer: Vec::new(),
            join: true,
        }),
    };

    let points: Vec<TradePoint> = finished
        .iter()
        .filter_map(|(i, v)| {
            Some(TradePoint {
                staff_hours: staff_hours_per_day(&r.scenarios[*i].port),
                estimate: Estimate::of(v[p95].as_deref()?, 1.0)?,
                label: r.points[*i]
                    .settings
                    .iter()
                    .map(|a| a.value.text.clone())
                    .collect::<Vec<_>>()
                    .join(" · "),
            })
        })
        .collect();
    let front = pareto_front(&points);
    let tradeoff = Job {
        name: "tradeoff",
        title: format!("p95 clearance time against staff-hours · {name}"),
        caption: format!(
            "Each sweep point's 95th-percentile clearance time (mean over {replications} replications, 95 % confidence whiskers) against the staff-hours it rosters a day, labelled with its values of {}; the dashed line joins the points that no other point beats on both, so the cheapest way to a given p95 lies on it.",
            if paths.is_empty() {
                "the swept settings".to_string()
            } else {
                paths.join(" · ")
            }
        ),
        figure: Figure::Tradeoff(Tradeoff {
            points,
            front,
            labels: format!("labels: {}", paths.join(" · ")),
        }),
    };
    vec![whiskers, tradeoff]
}

impl Whiskers {
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>) -> Drawn<DB> {
        let n = self.panels.len().max(1);
        let cols = match n {
            0..=3 => n,
            4..=9 => 3,
            _ => 4,
        };
        let rows = n.div_ceil(cols);
        // With more than two rows of panels there is no room for each panel's x description:
        // it goes to the legend row (a comparison names its configurations in the footer).
        let x_in_panels = rows <= 2;
        let mut items: Vec<(String, Swatch)> = Vec::new();
        if self.series.len() > 1 {
            items.extend(
                self.series
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.clone(), Swatch::Marker(style::series_colour(i)))),
            );
        }
        if !x_in_panels && self.footer.is_empty() {
            items.push((self.x_desc.clone(), Swatch::Note));
        }
        let mut body = area.clone();
        if !items.is_empty() {
            body = legend(&body, &items)?;
        }
        let footer = &self.footer;
        if !footer.is_empty() {
            let (_, h) = body.dim_in_pixel();
            let (rest, bottom) = body.split_vertically(h as i32 - 22 * footer.len() as i32 - 6);
            for (k, line) in footer.iter().enumerate() {
                bottom.draw(&Text::new(
                    line.clone(),
                    (12, 4 + 22 * k as i32),
                    anchored(&text(style::LABEL_SIZE), HPos::Left, VPos::Top),
                ))?;
            }
            body = rest;
        }
        let cells = body.split_evenly((rows, cols));
        let k = self.categories.len().max(1);
        let s = self.series.len().max(1);
        let spread = 0.5_f64.min(0.12 * (s as f64 - 1.0));
        for (panel, cell) in self.panels.iter().zip(&cells) {
            let (lo, hi) = panel
                .points
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
                    (lo.min(p.estimate.low), hi.max(p.estimate.high))
                });
            let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
            let pad = ((hi - lo) * 0.12)
                .max(hi.abs().max(lo.abs()) * 0.02)
                .max(0.05);
            // Figures that cannot be negative (all of them here) keep the axis at or above 0.
            let floor = if lo >= 0.0 {
                (lo - pad).max(0.0)
            } else {
                lo - pad
            };
            // At most about a dozen labelled categories per panel.
            let ticks: Vec<f64> = (0..k).step_by(k.div_ceil(12)).map(|c| c as f64).collect();
            let y_dec = decimals(floor, hi + pad, 5);
            let y_label = |y: &f64| format!("{y:.y_dec$}");
            let categories = &self.categories;
            let category = |x: &f64| {
                categories
                    .get(x.round().max(0.0) as usize)
                    .cloned()
                    .unwrap_or_default()
            };
            let mut chart = ChartBuilder::on(cell)
                .margin(8)
                .caption(&panel.title, bold(style::LABEL_SIZE))
                .x_label_area_size(if x_in_panels { 44 } else { 28 })
                .y_label_area_size(64)
                .build_cartesian_2d(ticked(-0.5..k as f64 - 0.5, ticks), floor..(hi + pad))?;
            let mut mesh = chart.configure_mesh();
            mesh.disable_x_mesh()
                .light_line_style(TRANSPARENT)
                .bold_line_style(style::GRID.mix(0.6))
                .label_style(text(style::SMALL_SIZE))
                .axis_desc_style(text(style::SMALL_SIZE))
                .y_labels(5)
                .y_label_formatter(&y_label)
                .x_label_formatter(&category);
            if x_in_panels {
                mesh.x_desc(&self.x_desc);
            }
            mesh.draw()?;
            for p in &panel.points {
                let colour = style::series_colour(p.series);
                let x = p.category as f64
                    + if s > 1 {
                        spread * (p.series as f64 / (s as f64 - 1.0) - 0.5)
                    } else {
                        0.0
                    };
                let e = p.estimate;
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(x, e.low), (x, e.high)],
                    colour.stroke_width(2),
                )))?;
                for y in [e.low, e.high] {
                    chart.draw_series(std::iter::once(
                        EmptyElement::at((x, y))
                            + PathElement::new(vec![(-6, 0), (6, 0)], colour.stroke_width(2)),
                    ))?;
                }
                chart.draw_series(std::iter::once(Circle::new(
                    (x, e.mean),
                    5,
                    colour.filled(),
                )))?;
            }
            // Join the points of each series (sweeps: the curve along the swept value).
            if self.join && k > 1 {
                for series in 0..s {
                    let mut line: Vec<(f64, f64)> = panel
                        .points
                        .iter()
                        .filter(|p| p.series == series)
                        .map(|p| {
                            let x = p.category as f64
                                + if s > 1 {
                                    spread * (p.series as f64 / (s as f64 - 1.0) - 0.5)
                                } else {
                                    0.0
                                };
                            (x, p.estimate.mean)
                        })
                        .collect();
                    line.sort_by(|a, b| a.0.total_cmp(&b.0));
                    chart.draw_series(LineSeries::new(
                        line,
                        style::series_colour(series).mix(0.45).stroke_width(1),
                    ))?;
                }
            }
        }
        Ok(())
    }
}

/// One sweep point of the trade-off plot.
struct TradePoint {
    staff_hours: f64,
    estimate: Estimate,
    label: String,
}

/// p95 clearance against staff-hours a day, one marker per point.
pub(super) struct Tradeoff {
    points: Vec<TradePoint>,
    /// Indices of the points that no other point beats on both staff-hours and p95, by
    /// staff-hours.
    front: Vec<usize>,
    /// What the point labels are.
    labels: String,
}

/// The points no other point dominates (fewer or equal staff-hours and lower or equal p95,
/// one of them strictly), sorted by staff-hours.
fn pareto_front(points: &[TradePoint]) -> Vec<usize> {
    let mut front: Vec<usize> = (0..points.len())
        .filter(|&i| {
            let a = &points[i];
            !points.iter().any(|b| {
                b.staff_hours <= a.staff_hours
                    && b.estimate.mean <= a.estimate.mean
                    && (b.staff_hours < a.staff_hours || b.estimate.mean < a.estimate.mean)
            })
        })
        .collect();
    front.sort_by(|&a, &b| points[a].staff_hours.total_cmp(&points[b].staff_hours));
    front
}

/// Vertical offsets (pixels) for labels beside markers at pixel positions `at`, so that labels
/// of markers in the same column (within 4 px) are at least `gap` apart, top to bottom.
fn label_offsets(at: &[(i32, i32)], gap: i32) -> Vec<i32> {
    let mut order: Vec<usize> = (0..at.len()).collect();
    order.sort_by_key(|&i| at[i]);
    let mut out = vec![0; at.len()];
    let mut k = 0;
    while k < order.len() {
        // A column: markers within 4 px of its leftmost one.
        let x0 = at[order[k]].0;
        let end = order[k..]
            .iter()
            .position(|&i| at[i].0 - x0 > 4)
            .map_or(order.len(), |n| k + n);
        let mut column = order[k..end].to_vec();
        column.sort_by_key(|&i| at[i].1);
        let mut previous: Option<i32> = None;
        for i in column {
            let y = at[i].1;
            let label = previous.map_or(y, |p| y.max(p + gap));
            out[i] = label - y;
            previous = Some(label);
        }
        k = end;
    }
    out
}

impl Tradeoff {
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>) -> Drawn<DB> {
        let plot = legend(
            area,
            &[
                (
                    "sweep point (mean, 95 % confidence whiskers)".into(),
                    Swatch::Marker(style::INK),
                ),
                (
                    "points no other point beats on both axes".into(),
                    Swatch::Dashed(style::LIMIT),
                ),
                (self.labels.clone(), Swatch::Note),
            ],
        )?;
        let (x_lo, x_hi, y_lo, y_hi) = self.points.iter().fold(
            (
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
            ),
            |(a, b, c, d), p| {
                (
                    a.min(p.staff_hours),
                    b.max(p.staff_hours),
                    c.min(p.estimate.low),
                    d.max(p.estimate.high),
                )
            },
        );
        let pad = |lo: f64, hi: f64| {
            if hi > lo {
                (hi - lo) * 0.12
            } else {
                (hi.abs() * 0.05).max(1.0)
            }
        };
        let (x_pad, y_pad) = (pad(x_lo, x_hi), pad(y_lo, y_hi));
        let y_dec = decimals(y_lo - y_pad, y_hi + y_pad, 10);
        let mut chart = ChartBuilder::on(&plot)
            .margin(10)
            .margin_right(30)
            .x_label_area_size(60)
            .y_label_area_size(84)
            .build_cartesian_2d(
                (x_lo - x_pad)..(x_hi + x_pad),
                (y_lo - y_pad).max(0.0)..(y_hi + y_pad),
            )?;
        chart
            .configure_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(style::GRID.mix(0.6))
            .x_desc("staff-hours a day (shift length × staff on duty, summed over the shifts)")
            .y_desc("clearance time p95 (minutes)")
            .label_style(text(style::LABEL_SIZE))
            .axis_desc_style(text(style::DESC_SIZE))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.y_dec$}"))
            .draw()?;
        chart.draw_series(DashedLineSeries::new(
            self.front
                .iter()
                .map(|&i| (self.points[i].staff_hours, self.points[i].estimate.mean)),
            8,
            5,
            style::LIMIT.mix(0.8).stroke_width(2),
        ))?;
        // Labels of points at the same staff-hours are pushed apart to stay readable.
        let shift = label_offsets(
            &self
                .points
                .iter()
                .map(|p| chart.backend_coord(&(p.staff_hours, p.estimate.mean)))
                .collect::<Vec<_>>(),
            18,
        );
        for (p, dy) in self.points.iter().zip(shift) {
            let (x, e) = (p.staff_hours, p.estimate);
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(x, e.low), (x, e.high)],
                style::INK.stroke_width(2),
            )))?;
            for y in [e.low, e.high] {
                chart.draw_series(std::iter::once(
                    EmptyElement::at((x, y))
                        + PathElement::new(vec![(-6, 0), (6, 0)], style::INK.stroke_width(2)),
                ))?;
            }
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, e.mean))
                    + Circle::new((0, 0), 6, style::INK.filled())
                    + Text::new(
                        p.label.clone(),
                        (12, dy),
                        anchored(&text(style::SMALL_SIZE), HPos::Left, VPos::Center),
                    ),
            ))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tp(staff_hours: f64, mean: f64) -> TradePoint {
        TradePoint {
            staff_hours,
            estimate: Estimate {
                mean,
                low: mean,
                high: mean,
            },
            label: String::new(),
        }
    }

    #[test]
    fn pareto_front_keeps_undominated_points_by_staff_hours() {
        let points = [
            tp(100.0, 50.0),
            tp(80.0, 90.0),
            tp(120.0, 55.0),
            tp(90.0, 60.0),
        ];
        assert_eq!(pareto_front(&points), vec![1, 3, 0]);
    }

    #[test]
    fn labels_in_one_column_are_pushed_apart() {
        // Two close markers in one column, one far below, one in another column.
        let at = [(100, 200), (101, 205), (100, 300), (200, 201)];
        assert_eq!(label_offsets(&at, 18), vec![0, 13, 0, 0]);
    }

    #[test]
    fn short_paths_keep_the_last_three_parts() {
        assert_eq!(
            short_path("staffing.shifts.day.staff.declaration"),
            "day.staff.declaration"
        );
        assert_eq!(short_path("stages.s.servers"), "stages.s.servers");
    }

    #[test]
    fn staff_hours_of_the_baseline_roster() {
        let s =
            crate::scenario::load(std::path::Path::new("scenarios/horgos-baseline.toml")).unwrap();
        // night 2 + 10 + 1, day 6 + 20 + 2, evening 4 + 14 + 2, each 8 h.
        assert_eq!(staff_hours_per_day(&s.port), 8.0 * (13.0 + 28.0 + 20.0));
        let mut open = s.port;
        open.roster = None;
        // declaration 6 × 1, inspection 10 × 2, secondary 2 × 1, around the clock.
        assert_eq!(staff_hours_per_day(&open), 24.0 * (6.0 + 20.0 + 2.0));
    }
}

//! The plots of a run: clearance-time distribution, queues and open servers over the first
//! days, daily throughput, and utilisation by hour of day.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::style::{self, anchored, bold, text};
use super::{
    Area, Drawn, Figure, Job, RunPlots, Swatch, decimals, legend, nice_step, short, ticked, weekday,
};
use crate::experiment::Outcome;
use crate::report::table::thousands;
use crate::stats::Histogram;

/// Days of timeline drawn at most.
const TIMELINE_DAYS: u32 = 7;
/// Bins of the clearance histogram, about.
const BINS: f64 = 60.0;

/// The jobs of [`super::run_plots`], in order.
pub(super) fn jobs(input: &RunPlots<'_>) -> Vec<Job> {
    if input.outcomes.is_empty() {
        return Vec::new();
    }
    let mut jobs = vec![clearance(input)];
    jobs.extend(queue(input));
    jobs.push(daily(input));
    jobs.push(heatmap(input));
    jobs
}

fn replications(n: usize) -> String {
    if n == 1 {
        "one run".to_string()
    } else {
        format!("{n} replications")
    }
}

// ---------------------------------------------------------------------------------------
// Clearance-time distribution

/// A vertical line with a label.
struct Mark {
    label: String,
    x: f64,
    colour: RGBColor,
    target: bool,
}

/// One distribution, rebinned for drawing, with its marks.
pub(super) struct Distribution {
    /// Panel heading.
    heading: String,
    colour: RGBColor,
    bin: f64,
    x_max: f64,
    y_max: f64,
    /// Share of all vehicles in each bin, %.
    shares: Vec<f64>,
    /// Cumulative share at each bin edge, % (`bins + 1` points from 0).
    cdf: Vec<(f64, f64)>,
    marks: Vec<Mark>,
    /// Vehicles beyond the last bin, %.
    beyond: f64,
}

/// The clearance time distribution, and the crossing time's beside it when they differ.
pub(super) struct Clearance {
    panels: Vec<Distribution>,
    vehicles: u64,
}

/// Counts of `h` in `bins` bins of width `bin` from 0 (a bucket goes to the bin of its
/// midpoint; values beyond the last bin count only in the total), as shares and a CDF in %.
fn rebin(h: &Histogram, bin: f64, bins: usize) -> (Vec<f64>, Vec<(f64, f64)>) {
    let total = h.count().max(1) as f64;
    let mut counts = vec![0u64; bins];
    for (lo, hi, c) in h.buckets() {
        let k = (0.5 * (lo + hi) / bin) as usize;
        if k < bins {
            counts[k] += c;
        }
    }
    let shares = counts.iter().map(|&c| 100.0 * c as f64 / total).collect();
    let mut cdf = Vec::with_capacity(bins + 1);
    cdf.push((0.0, 0.0));
    let mut seen = 0u64;
    for (k, &c) in counts.iter().enumerate() {
        seen += c;
        cdf.push(((k + 1) as f64 * bin, 100.0 * seen as f64 / total));
    }
    (shares, cdf)
}

/// The panel of `h`: bins up to the 99.9th percentile (and every mark), p50 and p95 marked.
fn distribution(
    h: &Histogram,
    heading: &str,
    colour: RGBColor,
    targets: &[(String, f64)],
) -> Distribution {
    let [p50, p95, p999] = h.quantiles([0.5, 0.95, 0.999]);
    let mut span = p999;
    for (_, minutes) in targets {
        span = span.max(*minutes);
    }
    let span = span.max(1.0) * 1.05;
    let bin = nice_step(span / BINS);
    let bins = (span / bin).ceil() as usize;
    let x_max = bins as f64 * bin;
    let (shares, cdf) = rebin(h, bin, bins);
    let mut marks = Vec::new();
    if h.count() > 0 {
        marks.push(Mark {
            label: format!("p50 {} min", short(p50)),
            x: p50,
            colour: style::PERCENTILE,
            target: false,
        });
        marks.push(Mark {
            label: format!("p95 {} min", short(p95)),
            x: p95,
            colour: style::PERCENTILE,
            target: false,
        });
    }
    for (label, minutes) in targets {
        marks.push(Mark {
            label: format!("{label} {} min", short(*minutes)),
            x: *minutes,
            colour: style::LIMIT,
            target: true,
        });
    }
    let y_max = shares.iter().copied().fold(0.0, f64::max).max(0.1) * 1.3;
    let beyond = 100.0 - cdf.last().map_or(0.0, |c| c.1);
    Distribution {
        heading: heading.to_string(),
        colour,
        bin,
        x_max,
        y_max,
        shares,
        cdf,
        marks,
        beyond: if h.count() > 0 { beyond } else { 0.0 },
    }
}

fn clearance(input: &RunPlots<'_>) -> Job {
    let outcomes = input.outcomes;
    let mut clear = Histogram::default();
    let mut cross = Histogram::default();
    for o in outcomes {
        clear.merge(&o.result.clearance_histogram);
        cross.merge(&o.result.crossing_histogram);
    }
    let show_cross = cross != clear && cross.count() > 0;
    let targets: Vec<(String, f64)> = input
        .clearance_targets
        .iter()
        .filter(|(_, m)| m.is_finite() && *m >= 0.0)
        .cloned()
        .collect();
    let mut panels = vec![distribution(
        &clear,
        "clearance time: arrival to release by customs",
        style::CLEARED,
        &targets,
    )];
    if show_cross {
        panels.push(distribution(
            &cross,
            "crossing time: arrival to leaving the country",
            style::CROSSING,
            &[],
        ));
    }
    let bin_text = short(panels[0].bin);
    let caption = format!(
        "Distribution of the clearance time of {} vehicles ({}{}): bars give the share of vehicles in each {bin_text}-minute bin (left axis) and the line the share cleared within a given time (right axis), with the median (p50) and 95th percentile (p95) dashed{}{}.",
        thousands(clear.count()),
        replications(outcomes.len()),
        if outcomes.len() > 1 { ", pooled" } else { "" },
        if targets.is_empty() {
            ""
        } else {
            " and the targets in red"
        },
        if show_cross {
            "; the right panel shows the crossing time, which adds the wait for the receiving side's quota and hours"
        } else {
            ""
        }
    );
    Job {
        name: "clearance_distribution",
        title: format!("Clearance time · {}", input.scenario.port.name),
        caption,
        figure: Figure::Clearance(Clearance {
            panels,
            vehicles: clear.count(),
        }),
    }
}

impl Clearance {
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>) -> Drawn<DB> {
        let mut items: Vec<(String, Swatch)> = self
            .panels
            .iter()
            .map(|p| {
                (
                    format!(
                        "share per bin ({})",
                        p.heading.split(':').next().unwrap_or("")
                    ),
                    Swatch::Fill(p.colour.mix(0.6)),
                )
            })
            .collect();
        items.push(("cumulative share".into(), Swatch::Line(style::INK, 3)));
        items.push(("p50, p95".into(), Swatch::Dashed(style::PERCENTILE)));
        if self.panels[0].marks.iter().any(|m| m.target) {
            items.push(("target".into(), Swatch::Line(style::LIMIT, 2)));
        }
        let plot = legend(area, &items)?;
        let cells = plot.split_evenly((1, self.panels.len()));
        for (p, cell) in self.panels.iter().zip(&cells) {
            p.draw(cell, self.vehicles)?;
        }
        Ok(())
    }
}

impl Distribution {
    fn draw<DB: DrawingBackend>(&self, area: &Area<DB>, vehicles: u64) -> Drawn<DB> {
        let y_dec = decimals(0.0, self.y_max, 10);
        let mut chart = ChartBuilder::on(area)
            .margin(10)
            .margin_right(16)
            .caption(&self.heading, bold(style::LABEL_SIZE))
            .x_label_area_size(60)
            .y_label_area_size(80)
            .right_y_label_area_size(80)
            .build_cartesian_2d(0.0..self.x_max, 0.0..self.y_max)?
            .set_secondary_coord(0.0..self.x_max, 0.0..100.0);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(style::GRID.mix(0.6))
            .x_desc(if self.beyond > 0.0 {
                format!(
                    "time since arrival, minutes ({} % of vehicles beyond the axis)",
                    short(self.beyond)
                )
            } else {
                "time since arrival, minutes".to_string()
            })
            .y_desc(format!(
                "share of vehicles per {}-min bin (%)",
                short(self.bin)
            ))
            .label_style(text(style::LABEL_SIZE))
            .axis_desc_style(text(style::DESC_SIZE))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.y_dec$}"))
            .draw()?;
        chart
            .configure_secondary_axes()
            .y_desc("cumulative share of vehicles (%)")
            .label_style(text(style::LABEL_SIZE))
            .axis_desc_style(text(style::DESC_SIZE))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()?;
        if vehicles == 0 {
            chart.draw_series(std::iter::once(Text::new(
                "no vehicle measured",
                (self.x_max * 0.5, self.y_max * 0.5),
                anchored(&text(style::DESC_SIZE), HPos::Center, VPos::Center),
            )))?;
        }
        let fill = self.colour.mix(0.6).filled();
        chart.draw_series(
            self.shares
                .iter()
                .enumerate()
                .filter(|(_, v)| **v > 0.0)
                .map(|(k, &v)| {
                    let x0 = k as f64 * self.bin;
                    Rectangle::new([(x0, 0.0), (x0 + self.bin, v)], fill)
                }),
        )?;
        chart.draw_secondary_series(LineSeries::new(
            self.cdf.iter().copied(),
            style::INK.stroke_width(3),
        ))?;
        for (i, m) in self.marks.iter().enumerate() {
            let x = m.x.min(self.x_max);
            let pts = [(x, 0.0), (x, self.y_max)];
            if m.target {
                chart.draw_series(LineSeries::new(pts, m.colour.stroke_width(2)))?;
            } else {
                chart.draw_series(DashedLineSeries::new(pts, 8, 5, m.colour.stroke_width(2)))?;
            }
            let y = self.y_max * (0.97 - 0.07 * i as f64);
            let (h, dx) = if x > 0.6 * self.x_max {
                (HPos::Right, -6)
            } else {
                (HPos::Left, 6)
            };
            chart.draw_series(std::iter::once(
                EmptyElement::at((x, y))
                    + Text::new(
                        m.label.clone(),
                        (dx, 0),
                        anchored(&bold(style::LABEL_SIZE).color(&m.colour), h, VPos::Top),
                    ),
            ))?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Queue length and open servers over the first days

/// One stage's hourly queue and open servers.
struct StageLine {
    name: String,
    queue: Vec<f64>,
    open: Vec<f64>,
}

/// One shift occurrence: `[start, end)` hours since the start of the window.
struct Band {
    shift: usize,
    start: f64,
    end: f64,
}

/// Queues and open servers per stage over the first days.
pub(super) struct Queue {
    hours: usize,
    first_weekday: u8,
    stages: Vec<StageLine>,
    shift_names: Vec<String>,
    bands: Vec<Band>,
}

fn queue(input: &RunPlots<'_>) -> Option<Job> {
    let first: &Outcome = input.outcomes.first()?;
    let timeline = &first.result.timeline;
    let days = first.result.days.min(TIMELINE_DAYS) as usize;
    let hours = timeline.len().min(days * 24);
    if hours == 0 {
        return None;
    }
    let port = &input.scenario.port;
    let stages: Vec<StageLine> = port
        .stages
        .iter()
        .enumerate()
        .map(|(j, s)| StageLine {
            name: s.name.clone(),
            queue: timeline[..hours]
                .iter()
                .map(|t| t.stages.get(j).map_or(0.0, |x| x.queue_mean))
                .collect(),
            open: timeline[..hours]
                .iter()
                .map(|t| t.stages.get(j).map_or(0.0, |x| x.servers_open_mean))
                .collect(),
        })
        .collect();
    let mut shift_names = Vec::new();
    let mut bands = Vec::new();
    if let Some(roster) = &port.roster {
        shift_names = roster.shifts.iter().map(|s| s.name.clone()).collect();
        let end = hours as f64;
        for d in -1..=(hours as i64 / 24) {
            for (k, s) in roster.shifts.iter().enumerate() {
                let a = d as f64 * 24.0 + s.start.hours();
                let b = a + s.length().hours();
                let (a, b) = (a.max(0.0), b.min(end));
                if b > a {
                    bands.push(Band {
                        shift: k,
                        start: a,
                        end: b,
                    });
                }
            }
        }
    }
    let shown = hours / 24;
    let caption = format!(
        "Queue length (units waiting, mean of each hour, left axis) and open servers (right axis) of each stage over the first {} of replication 1, {}; the time axis gives the measured day and the clock time.",
        if shown == 1 {
            "day".to_string()
        } else {
            format!("{shown} days")
        },
        if port.roster.is_some() {
            "on the roster's shifts shaded in the background"
        } else {
            "with every server open around the clock (the port has no roster)"
        }
    );
    Some(Job {
        name: "queue_and_lanes",
        title: format!("Queues and open servers · {}", port.name),
        caption,
        figure: Figure::Queue(Queue {
            hours,
            first_weekday: first.run.first_weekday,
            stages,
            shift_names,
            bands,
        }),
    })
}

/// Clock time `h` hours after the start of the window: `day N` at midnights, else `HH:MM`.
fn clock_label(h: f64) -> String {
    let h = h.round() as i64;
    if h % 24 == 0 {
        format!("day {}", h / 24 + 1)
    } else {
        format!("{:02}:00", h % 24)
    }
}

impl Queue {
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>) -> Drawn<DB> {
        let mut items: Vec<(String, Swatch)> = self
            .shift_names
            .iter()
            .enumerate()
            .map(|(k, n)| {
                (
                    format!("{n} shift"),
                    Swatch::Fill(style::SHIFT_TINTS[k % style::SHIFT_TINTS.len()].to_rgba()),
                )
            })
            .collect();
        items.push(("queue length".into(), Swatch::Fill(style::QUEUE.mix(0.35))));
        items.push(("open servers".into(), Swatch::Line(style::SERVERS, 3)));
        let body = legend(area, &items)?;

        let x_end = self.hours as f64;
        let step = if self.hours <= 72 { 6 } else { 12 };
        let ticks: Vec<f64> = (0..self.hours).step_by(step).map(|h| h as f64).collect();
        let n = self.stages.len().max(1);
        let (_, h) = body.dim_in_pixel();
        let axis = 64;
        let panel = (h as i32 - axis) / n as i32;
        let breaks: Vec<i32> = (1..n).map(|k| k as i32 * panel).collect();
        let panels = body.split_by_breakpoints::<i32, i32, _, _>([], breaks);
        for (k, (stage, pane)) in self.stages.iter().zip(&panels).enumerate() {
            let last = k + 1 == n;
            let q_max = stage.queue.iter().copied().fold(0.0, f64::max);
            let q_max = if q_max < 1.0 { 1.15 } else { q_max * 1.15 };
            let q_dec = decimals(0.0, q_max, 4);
            let q_label = |y: &f64| format!("{y:.q_dec$}");
            let no_label = |_: &f64| String::new();
            let clock = |x: &f64| clock_label(*x);
            let s_max = stage.open.iter().copied().fold(0.0, f64::max).max(1.0) * 1.15;
            let mut chart = ChartBuilder::on(pane)
                .margin_left(10)
                .margin_right(16)
                .margin_top(14)
                .x_label_area_size(if last { axis } else { 0 })
                .y_label_area_size(84)
                .right_y_label_area_size(84)
                .build_cartesian_2d(ticked(0.0..x_end, ticks.clone()), 0.0..q_max)?
                .set_secondary_coord(0.0..x_end, 0.0..s_max);
            for b in &self.bands {
                let c = style::SHIFT_TINTS[b.shift % style::SHIFT_TINTS.len()];
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(b.start, 0.0), (b.end, q_max)],
                    c.filled(),
                )))?;
            }
            let mut mesh = chart.configure_mesh();
            mesh.disable_y_mesh()
                .light_line_style(TRANSPARENT)
                .bold_line_style(style::GRID.mix(0.8))
                .y_desc("queue (units)")
                .label_style(text(style::LABEL_SIZE))
                .axis_desc_style(text(style::DESC_SIZE))
                .y_labels(4)
                .y_label_formatter(&q_label);
            if last {
                mesh.x_desc(format!(
                    "time: measured day (day 1 is a {}) and clock time",
                    weekday(u32::from(self.first_weekday))
                ))
                .x_label_formatter(&clock);
            } else {
                mesh.x_label_formatter(&no_label);
            }
            mesh.draw()?;
            chart
                .configure_secondary_axes()
                .y_desc("open servers")
                .label_style(text(style::LABEL_SIZE))
                .axis_desc_style(text(style::DESC_SIZE))
                .y_labels(4)
                .y_label_formatter(&|y| format!("{y:.0}"))
                .draw()?;
            // Queue: hourly means at the middle of each hour, as a filled area.
            chart.draw_series(AreaSeries::new(
                stage
                    .queue
                    .iter()
                    .enumerate()
                    .map(|(i, &q)| (i as f64 + 0.5, q)),
                0.0,
                style::QUEUE.mix(0.35),
            ))?;
            chart.draw_series(LineSeries::new(
                stage
                    .queue
                    .iter()
                    .enumerate()
                    .map(|(i, &q)| (i as f64 + 0.5, q)),
                style::QUEUE.stroke_width(2),
            ))?;
            // Open servers: a step per hour.
            chart.draw_secondary_series(LineSeries::new(
                stage
                    .open
                    .iter()
                    .enumerate()
                    .flat_map(|(i, &s)| [(i as f64, s), (i as f64 + 1.0, s)]),
                style::SERVERS.stroke_width(3),
            ))?;
            chart.draw_series(std::iter::once(Text::new(
                stage.name.clone(),
                (x_end * 0.005, q_max * 0.97),
                anchored(&bold(style::DESC_SIZE), HPos::Left, VPos::Top),
            )))?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Daily throughput

/// Vehicles cleared per day (stacked by mode) against arrivals.
pub(super) struct Daily {
    first_weekday: u8,
    arrived: Vec<f64>,
    /// Stacked parts of the vehicles cleared: label, colour, per day.
    parts: Vec<(String, RGBColor, Vec<f64>)>,
    capacity: Option<f64>,
}

fn daily(input: &RunPlots<'_>) -> Job {
    let outcomes = input.outcomes;
    let days = outcomes
        .iter()
        .map(|o| o.result.daily.len())
        .min()
        .unwrap_or(0);
    let n = outcomes.len().max(1) as f64;
    let mean = |f: &dyn Fn(&Outcome, usize) -> u64| -> Vec<f64> {
        (0..days)
            .map(|d| outcomes.iter().map(|o| f(o, d) as f64).sum::<f64>() / n)
            .collect()
    };
    let arrived = mean(&|o, d| o.result.daily[d].arrived);
    let port = &input.scenario.port;
    let first = &outcomes[0].result;
    let mut parts = Vec::new();
    let split = port.has_carriers()
        && crate::model::Mode::ALL
            .iter()
            .all(|m| first.group("mode", m.name()).is_some());
    if split {
        for m in crate::model::Mode::ALL {
            let name = m.name();
            parts.push((
                format!("cleared, {}", style::mode_label(name)),
                style::mode_colour(name),
                mean(&|o, d| {
                    o.result
                        .group("mode", name)
                        .and_then(|g| g.daily.get(d))
                        .map_or(0, |x| x.cleared)
                }),
            ));
        }
    } else {
        parts.push((
            "cleared".to_string(),
            style::CLEARED,
            mean(&|o, d| o.result.daily[d].cleared),
        ));
    }
    let caption = format!(
        "Vehicles cleared on each measured day{} (bars{}) against the vehicles that arrived (line){}{}.",
        if outcomes.len() > 1 {
            format!(", mean over {} replications", outcomes.len())
        } else {
            String::new()
        },
        if split {
            ", stacked by loading mode"
        } else {
            ""
        },
        match input.capacity_per_day {
            Some(c) => format!(
                ", with the capacity of {} vehicles a day as a red dashed line",
                short(c)
            ),
            None => String::new(),
        },
        "; bars that stay below the line mean the backlog is growing"
    );
    Job {
        name: "daily_throughput",
        title: format!("Daily throughput · {}", port.name),
        caption,
        figure: Figure::Daily(Daily {
            first_weekday: outcomes[0].run.first_weekday,
            arrived,
            parts,
            capacity: input
                .capacity_per_day
                .filter(|c| c.is_finite() && *c >= 0.0),
        }),
    }
}

impl Daily {
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>) -> Drawn<DB> {
        let mut items: Vec<(String, Swatch)> = self
            .parts
            .iter()
            .map(|(l, c, _)| (l.clone(), Swatch::Fill(c.mix(0.85))))
            .collect();
        items.push(("arrived".into(), Swatch::Line(style::ARRIVALS, 2)));
        if let Some(c) = self.capacity {
            items.push((
                format!("capacity {} a day", short(c)),
                Swatch::Dashed(style::LIMIT),
            ));
        }
        let plot = legend(area, &items)?;

        let days = self.arrived.len();
        let totals: Vec<f64> = (0..days)
            .map(|d| self.parts.iter().map(|p| p.2[d]).sum())
            .collect();
        let y_max = totals
            .iter()
            .chain(&self.arrived)
            .copied()
            .chain(self.capacity)
            .fold(0.0, f64::max)
            .max(1.0)
            * 1.12;
        let step = match days {
            0..=14 => 1,
            15..=70 => 7,
            71..=200 => 14,
            _ => 28,
        };
        let ticks: Vec<f64> = (1..=days.max(1)).step_by(step).map(|d| d as f64).collect();
        let mut chart = ChartBuilder::on(&plot)
            .margin(10)
            .margin_right(24)
            .x_label_area_size(60)
            .y_label_area_size(84)
            .build_cartesian_2d(ticked(0.5..days.max(1) as f64 + 0.5, ticks), 0.0..y_max)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(TRANSPARENT)
            .bold_line_style(style::GRID.mix(0.6))
            .x_desc(format!(
                "measured day (day 1 is a {})",
                weekday(u32::from(self.first_weekday))
            ))
            .y_desc("vehicles per day")
            .label_style(text(style::LABEL_SIZE))
            .axis_desc_style(text(style::DESC_SIZE))
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| format!("{y:.0}"))
            .draw()?;
        let half = if days > 60 { 0.5 } else { 0.4 };
        let mut base = vec![0.0; days];
        for (_, colour, values) in &self.parts {
            let fill = colour.mix(0.85).filled();
            chart.draw_series((0..days).filter(|&d| values[d] > 0.0).map(|d| {
                let x = d as f64 + 1.0;
                Rectangle::new([(x - half, base[d]), (x + half, base[d] + values[d])], fill)
            }))?;
            for (b, v) in base.iter_mut().zip(values) {
                *b += v;
            }
        }
        let arrivals = self
            .arrived
            .iter()
            .enumerate()
            .map(|(d, &a)| (d as f64 + 1.0, a));
        chart.draw_series(LineSeries::new(
            arrivals.clone(),
            style::ARRIVALS.stroke_width(2),
        ))?;
        if days <= 60 {
            chart.draw_series(arrivals.map(|p| Circle::new(p, 3, style::ARRIVALS.filled())))?;
        }
        if let Some(c) = self.capacity {
            chart.draw_series(DashedLineSeries::new(
                [(0.5, c), (days as f64 + 0.5, c)],
                10,
                6,
                style::LIMIT.stroke_width(3),
            ))?;
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// Utilisation by hour of day

/// Utilisation per stage and clock hour.
pub(super) struct Heatmap {
    stages: Vec<String>,
    /// `util[stage][hour]`, a fraction (may exceed 1 with overtime).
    util: Vec<[f64; 24]>,
    /// Whether the stage had no open server in that hour of any replication.
    closed: Vec<[bool; 24]>,
}

fn heatmap(input: &RunPlots<'_>) -> Job {
    let outcomes = input.outcomes;
    let n = outcomes.len().max(1) as f64;
    let port = &input.scenario.port;
    let mut util = vec![[0.0; 24]; port.stages.len()];
    let mut closed = vec![[true; 24]; port.stages.len()];
    for o in outcomes {
        for (j, s) in o.result.stages.iter().enumerate().take(port.stages.len()) {
            for (h, x) in s.hourly.iter().enumerate().take(24) {
                util[j][h] += x.utilization / n;
                if x.servers_open_mean > 0.0 {
                    closed[j][h] = false;
                }
            }
        }
    }
    let any_closed = closed.iter().flatten().any(|&c| c);
    let caption = format!(
        "Share of the open servers' time spent serving, by stage (rows) and hour of the day (columns){}: dark cells are idle hours, bright ones busy hours, and each cell gives the percentage{}.",
        if outcomes.len() > 1 {
            format!(
                ", mean over {} replications and all measured days",
                outcomes.len()
            )
        } else {
            ", mean over the measured days".to_string()
        },
        if any_closed {
            "; grey cells are hours when the stage is closed"
        } else {
            ""
        }
    );
    Job {
        name: "utilization_heatmap",
        title: format!("Utilisation by hour of day · {}", port.name),
        caption,
        figure: Figure::Heatmap(Heatmap {
            stages: port.stages.iter().map(|s| s.name.clone()).collect(),
            util,
            closed,
        }),
    }
}

impl Heatmap {
    pub(super) fn draw<DB: DrawingBackend>(&self, area: &Area<DB>) -> Drawn<DB> {
        let n = self.stages.len().max(1);
        let (w, _) = area.dim_in_pixel();
        let (main, bar) = area.split_horizontally(w as i32 - 150);
        let label_font = text(style::LABEL_SIZE);
        let widest = self
            .stages
            .iter()
            .map(|s| {
                main.estimate_text_size(s, &label_font)
                    .map_or(0, |(w, _)| w)
            })
            .max()
            .unwrap_or(0);
        let y_ticks: Vec<f64> = (0..n).map(|k| k as f64 + 0.5).collect();
        let x_ticks: Vec<f64> = (0..24).map(|h| f64::from(h) + 0.5).collect();
        let names = self.stages.clone();
        let mut chart = ChartBuilder::on(&main)
            .margin(10)
            .margin_top(20)
            .x_label_area_size(60)
            .y_label_area_size(widest as i32 + 50)
            .build_cartesian_2d(ticked(0.0..24.0, x_ticks), ticked(0.0..n as f64, y_ticks))?;
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc("hour of the day (clock time; 08 = 08:00–09:00)")
            .y_desc("stage")
            .label_style(text(style::LABEL_SIZE))
            .axis_desc_style(text(style::DESC_SIZE))
            .x_label_formatter(&|x| format!("{:02}", x.floor() as i64))
            .y_label_formatter(&|y| {
                // First stage at the top.
                let k = n - 1 - (y.floor() as usize).min(n - 1);
                names.get(k).cloned().unwrap_or_default()
            })
            .draw()?;
        for (k, (util, closed)) in self.util.iter().zip(&self.closed).enumerate() {
            let y = (n - 1 - k) as f64;
            chart.draw_series((0..24).map(|h| {
                let c = if closed[h] {
                    style::CLOSED
                } else {
                    style::scale_colour(util[h])
                };
                Rectangle::new([(h as f64, y), (h as f64 + 1.0, y + 1.0)], c.filled())
            }))?;
            chart.draw_series((0..24).map(|h| {
                Rectangle::new(
                    [(f64::from(h), y), (f64::from(h) + 1.0, y + 1.0)],
                    WHITE.stroke_width(1),
                )
            }))?;
            chart.draw_series((0..24).map(|h| {
                let (label, colour): (String, &'static RGBColor) = if closed[h] {
                    ("–".to_string(), &style::INK)
                } else {
                    let c = style::scale_colour(util[h]);
                    let ink = if style::needs_light_text(c) {
                        &WHITE
                    } else {
                        &style::INK
                    };
                    (format!("{:.0}", util[h] * 100.0), ink)
                };
                Text::new(
                    label,
                    (h as f64 + 0.5, y + 0.5),
                    anchored(
                        &text(style::SMALL_SIZE).color(colour),
                        HPos::Center,
                        VPos::Center,
                    ),
                )
            }))?;
        }

        // The colour scale.
        let mut scale = ChartBuilder::on(&bar)
            .margin_top(56)
            .margin_bottom(70)
            .margin_right(50)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..1.0, 0.0..100.0)?;
        scale
            .configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_labels(6)
            .label_style(text(style::LABEL_SIZE))
            .y_label_formatter(&|y| format!("{y:.0} %"))
            .draw()?;
        scale.draw_series((0..100).map(|i| {
            let y = f64::from(i);
            Rectangle::new(
                [(0.0, y), (1.0, y + 1.0)],
                style::scale_colour((y + 0.5) / 100.0).filled(),
            )
        }))?;
        if self.closed.iter().flatten().any(|&c| c) {
            let (bw, bh) = bar.dim_in_pixel();
            let (x0, x1) = (60, bw as i32 - 50);
            let y0 = bh as i32 - 56;
            bar.draw(&Rectangle::new(
                [(x0, y0), (x1, y0 + 22)],
                style::CLOSED.filled(),
            ))?;
            bar.draw(&Text::new(
                "–",
                ((x0 + x1) / 2, y0 + 11),
                anchored(&text(style::SMALL_SIZE), HPos::Center, VPos::Center),
            ))?;
            bar.draw(&Text::new(
                "closed",
                ((x0 + x1) / 2, y0 + 28),
                anchored(&text(style::LABEL_SIZE), HPos::Center, VPos::Top),
            ))?;
        }
        scale.draw_series(std::iter::once(
            EmptyElement::at((0.5, 100.0))
                + Text::new(
                    "utilisation",
                    (0, -14),
                    anchored(&text(style::LABEL_SIZE), HPos::Center, VPos::Bottom),
                ),
        ))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rebinning_keeps_every_vehicle_in_range_and_the_cdf_ends_at_the_share_in_range() {
        let mut h = Histogram::default();
        for x in [0.5, 1.5, 1.6, 2.5, 9.0, 100.0] {
            h.record(x);
        }
        let (shares, cdf) = rebin(&h, 1.0, 10);
        assert_eq!(shares.len(), 10);
        assert!((shares[1] - 200.0 / 6.0).abs() < 1e-9);
        assert!((shares.iter().sum::<f64>() - 500.0 / 6.0).abs() < 1e-9);
        assert_eq!(cdf.len(), 11);
        assert_eq!(cdf[0], (0.0, 0.0));
        assert!((cdf[10].1 - 500.0 / 6.0).abs() < 1e-9);
        assert!(cdf.windows(2).all(|w| w[1].1 >= w[0].1));
    }

    #[test]
    fn clock_labels_show_day_at_midnight_and_time_otherwise() {
        assert_eq!(clock_label(0.0), "day 1");
        assert_eq!(clock_label(6.0), "06:00");
        assert_eq!(clock_label(36.0), "12:00");
        assert_eq!(clock_label(48.0), "day 3");
    }
}

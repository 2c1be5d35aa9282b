//! Plots of runs, comparisons and sweeps, each drawn once by generic plotters code and
//! rendered both as SVG and as PNG.
//!
//! - [`run_plots`]: the clearance-time distribution, queues and open servers over the first
//!   days (shifts shaded), daily throughput against arrivals, and utilisation by hour of day
//!   (`run`, `run --replications`, `capacity`, `plan`);
//! - [`compare_plots`]: key figures of each configuration with 95 % confidence whiskers;
//! - [`sweep_plots`]: key figures per point, and p95 clearance against staff-hours a day.
//!
//! Each plot is described by plain data (prepared sequentially from the results), then drawn
//! on the rayon pool: every plot's SVG and PNG are separate tasks, collected in order. Nothing
//! per vehicle is drawn: at most one point per hour or one bar per day, so a year renders in
//! milliseconds. Text uses the embedded DejaVu Sans (see `style`), never a system font.

mod experiments;
mod run;
mod style;

use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};
use rayon::prelude::*;

use super::compare::Config;
use super::sweep::SweepReport;
use crate::experiment::{Comparison, Outcome};
use crate::scenario::Scenario;

pub use experiments::staff_hours_per_day;

/// One rendered plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Plot {
    /// File stem, e.g. `clearance_distribution`.
    pub name: String,
    /// The title drawn on top of the plot (it names the scenario).
    pub title: String,
    /// One sentence: what the plot shows and how to read it.
    pub caption: String,
    /// The plot as a standalone SVG document, [`PNG_SIZE`] user units.
    pub svg: String,
    /// The same plot as PNG bytes, [`PNG_SIZE`] pixels.
    pub png: Vec<u8>,
}

/// Size of every plot in pixels (width, height); the SVG has the same size.
pub const PNG_SIZE: (u32, u32) = (1200, 700);

/// What the plots of one configuration's runs need.
#[derive(Clone, Copy, Debug)]
pub struct RunPlots<'a> {
    /// The scenario that was run.
    pub scenario: &'a Scenario,
    /// Its replications (at least one; the first one's timeline is drawn, so it should have
    /// been run with `RunSpec::record_timeline`).
    pub outcomes: &'a [Outcome],
    /// Vehicles a day the port could clear, drawn as a line over the daily throughput.
    pub capacity_per_day: Option<f64>,
    /// Clearance-time targets to mark: label and minutes, e.g. `("p95 target", 180.0)`.
    pub clearance_targets: &'a [(String, f64)],
}

/// The plots of a run (one or more replications of one configuration), in this order:
/// `clearance_distribution`, `queue_and_lanes` (only when the first outcome has a recorded
/// timeline), `daily_throughput`, `utilization_heatmap`. No plot without outcomes.
pub fn run_plots(input: &RunPlots<'_>) -> Vec<Plot> {
    render(run::jobs(input))
}

/// The plot of a comparison: `key_figures`, each configuration's key figures with their 95 %
/// confidence intervals. No plot when no replication finished.
pub fn compare_plots(configs: &[Config<'_>], comparison: &Comparison) -> Vec<Plot> {
    render(experiments::compare_jobs(configs, comparison))
}

/// The plots of a sweep: `key_figures` per point, and `tradeoff` (p95 clearance time
/// against staff-hours a day). Points that did not finish are left out; no plot when none did.
pub fn sweep_plots(report: &SweepReport<'_>) -> Vec<Plot> {
    render(experiments::sweep_jobs(report))
}

/// A plot to draw: its texts and the data of its figure.
struct Job {
    name: &'static str,
    title: String,
    caption: String,
    figure: Figure,
}

/// The data of each kind of figure; drawing is generic over the backend.
enum Figure {
    Clearance(run::Clearance),
    Queue(run::Queue),
    Daily(run::Daily),
    Heatmap(run::Heatmap),
    Whiskers(experiments::Whiskers),
    Tradeoff(experiments::Tradeoff),
}

/// The result of drawing on backend `DB`.
type Drawn<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// A drawing area of backend `DB`.
type Area<DB> = DrawingArea<DB, Shift>;

impl Figure {
    fn draw<DB: DrawingBackend>(&self, area: &Area<DB>) -> Drawn<DB> {
        match self {
            Figure::Clearance(f) => f.draw(area),
            Figure::Queue(f) => f.draw(area),
            Figure::Daily(f) => f.draw(area),
            Figure::Heatmap(f) => f.draw(area),
            Figure::Whiskers(f) => f.draw(area),
            Figure::Tradeoff(f) => f.draw(area),
        }
    }
}

impl Job {
    /// Background, title, then the figure below the title.
    fn draw<DB: DrawingBackend>(&self, root: &Area<DB>) -> Drawn<DB> {
        root.fill(&WHITE)?;
        // The title shrinks until it fits the width (long scenario names).
        let (width, _) = root.dim_in_pixel();
        let mut size = style::TITLE_SIZE;
        while size > 14 && root.estimate_text_size(&self.title, &style::bold(size))?.0 > width - 24
        {
            size -= 1;
        }
        let body = root.titled(&self.title, style::bold(size))?;
        self.figure.draw(&body.margin(0, 8, 8, 8))?;
        root.present()
    }

    fn svg(&self) -> String {
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, PNG_SIZE).into_drawing_area();
            self.draw(&root)
                .expect("drawing an SVG into memory cannot fail");
        }
        out
    }

    fn png(&self) -> Vec<u8> {
        let (w, h) = PNG_SIZE;
        let mut rgb = vec![0u8; w as usize * h as usize * 3];
        {
            let root = BitMapBackend::with_buffer(&mut rgb, PNG_SIZE).into_drawing_area();
            self.draw(&root)
                .expect("drawing a bitmap into memory cannot fail");
        }
        encode_png(&rgb, w, h)
    }
}

/// RGB pixels as PNG bytes (fast compression: plots are large flat areas).
fn encode_png(rgb: &[u8], w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(rgb.len() / 8);
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder
        .write_header()
        .expect("writing a PNG into memory cannot fail");
    writer
        .write_image_data(rgb)
        .expect("writing a PNG into memory cannot fail");
    writer
        .finish()
        .expect("writing a PNG into memory cannot fail");
    out
}

/// Renders every job as SVG and PNG on the rayon pool, in order.
fn render(jobs: Vec<Job>) -> Vec<Plot> {
    style::register_fonts();
    jobs.into_par_iter()
        .map(|job| {
            let (svg, png) = rayon::join(|| job.svg(), || job.png());
            Plot {
                name: job.name.to_string(),
                title: job.title,
                caption: job.caption,
                svg,
                png,
            }
        })
        .collect()
}

/// How a legend entry is drawn.
#[derive(Clone, Copy, Debug)]
enum Swatch {
    /// A filled box.
    Fill(RGBAColor),
    /// A line of this width.
    Line(RGBColor, u32),
    /// A dashed line.
    Dashed(RGBColor),
    /// A marker with whiskers.
    Marker(RGBColor),
    /// Nothing: the entry is a note.
    Note,
}

/// Legend entries left to right across the top of `area`, wrapping onto more rows when they
/// do not fit; returns the rest of `area` below the legend.
fn legend<DB: DrawingBackend>(
    area: &Area<DB>,
    items: &[(String, Swatch)],
) -> Result<Area<DB>, DrawingAreaErrorKind<DB::ErrorType>> {
    const ROW: i32 = 28;
    let font = style::text(style::LABEL_SIZE);
    let (width, _) = area.dim_in_pixel();
    // Place every entry first: (row, x) of its swatch.
    let mut places = Vec::with_capacity(items.len());
    let (mut row, mut x) = (0, 10);
    for (label, swatch) in items {
        let mark = if matches!(swatch, Swatch::Note) {
            0
        } else {
            28
        };
        let (w, _) = area.estimate_text_size(label, &font)?;
        let need = mark + w as i32;
        if x > 10 && x + need > width as i32 - 10 {
            row += 1;
            x = 10;
        }
        places.push((row, x));
        x += need + 26;
    }
    let (top, rest) = area.split_vertically((row + 1) * ROW + 12);
    for ((label, swatch), &(row, x)) in items.iter().zip(&places) {
        let y = 20 + row * ROW;
        match *swatch {
            Swatch::Fill(c) => {
                top.draw(&Rectangle::new([(x, y - 8), (x + 22, y + 8)], c.filled()))?;
                top.draw(&Rectangle::new(
                    [(x, y - 8), (x + 22, y + 8)],
                    style::GRID.stroke_width(1),
                ))?;
            }
            Swatch::Line(c, w) => {
                top.draw(&PathElement::new(
                    vec![(x, y), (x + 22, y)],
                    c.stroke_width(w),
                ))?;
            }
            Swatch::Dashed(c) => {
                for k in 0..3 {
                    let x0 = x + k * 9;
                    top.draw(&PathElement::new(
                        vec![(x0, y), (x0 + 5, y)],
                        c.stroke_width(2),
                    ))?;
                }
            }
            Swatch::Marker(c) => {
                top.draw(&PathElement::new(
                    vec![(x + 11, y - 8), (x + 11, y + 8)],
                    c.stroke_width(2),
                ))?;
                top.draw(&Circle::new((x + 11, y), 5, c.filled()))?;
            }
            Swatch::Note => {}
        }
        let mark = if matches!(swatch, Swatch::Note) {
            0
        } else {
            28
        };
        top.draw(&Text::new(
            label.clone(),
            (x + mark, y),
            style::anchored(&font, HPos::Left, VPos::Center),
        ))?;
    }
    Ok(rest)
}

/// A linear axis of `f64` with ticks (and grid lines) exactly at the given values, whose labels
/// come from the mesh's formatter.
#[derive(Clone)]
struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

/// `range` with ticks at `ticks`.
fn ticked(range: std::ops::Range<f64>, ticks: Vec<f64>) -> Ticked {
    Ticked {
        inner: range.into(),
        ticks,
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

/// A step of 1, 2, 2.5 or 5 × 10^k, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let p = 10f64.powf(raw.log10().floor());
    for m in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if m * p >= raw * (1.0 - 1e-9) {
            return m * p;
        }
    }
    10.0 * p
}

/// Decimals for the labels of an axis from `lo` to `hi` with about `labels` labels.
fn decimals(lo: f64, hi: f64, labels: usize) -> usize {
    let step = nice_step((hi - lo).abs() / labels.max(1) as f64);
    (-step.log10()).ceil().clamp(0.0, 4.0) as usize
}

/// A value with a few significant decimals for labels (none for whole numbers).
fn short(x: f64) -> String {
    let a = x.abs();
    if x == x.round() && a < 1e15 {
        return format!("{x:.0}");
    }
    if a >= 100.0 {
        format!("{x:.0}")
    } else if a >= 10.0 {
        format!("{x:.1}")
    } else {
        format!("{x:.2}")
    }
}

/// Weekday name of day index `d` (0 = Monday), wrapping.
fn weekday(d: u32) -> &'static str {
    [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ][d as usize % 7]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_steps() {
        assert_eq!(nice_step(0.7), 1.0);
        assert_eq!(nice_step(1.0), 1.0);
        assert_eq!(nice_step(1.3), 2.0);
        assert_eq!(nice_step(2.2), 2.5);
        assert_eq!(nice_step(3.0), 5.0);
        assert_eq!(nice_step(7.0), 10.0);
        assert_eq!(nice_step(42.0), 50.0);
        assert_eq!(nice_step(0.0), 1.0);
    }

    #[test]
    fn axis_decimals_follow_the_tick_step() {
        assert_eq!(decimals(0.0, 14.0, 10), 0);
        assert_eq!(decimals(0.0, 1.0, 10), 1);
        assert_eq!(decimals(0.0, 3.0, 10), 1);
        assert_eq!(decimals(0.0, 0.1, 10), 2);
        assert_eq!(decimals(100.0, 800.0, 5), 0);
    }

    #[test]
    fn short_numbers() {
        assert_eq!(short(123.456), "123");
        assert_eq!(short(12.345), "12.3");
        assert_eq!(short(1.2345), "1.23");
        assert_eq!(short(5.0), "5");
        assert_eq!(short(0.5), "0.50");
    }
}

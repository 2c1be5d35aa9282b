//! The looks of every plot, defined once: the embedded font, text sizes, and the colours that
//! mean the same thing in every plot (a loading mode is always the same colour).

use std::sync::Once;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontFamily, FontStyle, register_font};

/// The font family of every text, as written into the SVG files. The embedded DejaVu Sans is
/// registered under this name, so PNG text needs no system font and SVG viewers fall back
/// to any sans-serif font.
pub const FAMILY: &str = "DejaVu Sans, sans-serif";

/// Registers the embedded DejaVu Sans (regular and bold) under [`FAMILY`], once per process.
pub fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The fonts are compiled in and valid: registration cannot fail. If it ever did, the
        // drawing code would report the missing font.
        let _ = register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular());
        let _ = register_font(FAMILY, FontStyle::Bold, dejavu::sans::bold());
    });
}

/// Text of `size` pixels in black.
pub fn text(size: u32) -> TextStyle<'static> {
    TextStyle::from(FontDesc::new(
        FontFamily::Name(FAMILY),
        f64::from(size),
        FontStyle::Normal,
    ))
    .color(&INK)
}

/// Bold text of `size` pixels in black.
pub fn bold(size: u32) -> TextStyle<'static> {
    TextStyle::from(FontDesc::new(
        FontFamily::Name(FAMILY),
        f64::from(size),
        FontStyle::Bold,
    ))
    .color(&INK)
}

/// Text anchored by `h` and `v`.
pub fn anchored<'a>(style: &TextStyle<'a>, h: HPos, v: VPos) -> TextStyle<'a> {
    style.pos(Pos::new(h, v))
}

/// Plot titles.
pub const TITLE_SIZE: u32 = 30;
/// Axis descriptions.
pub const DESC_SIZE: u32 = 20;
/// Tick labels, legends and annotations.
pub const LABEL_SIZE: u32 = 18;
/// Small print (cell values, point labels).
pub const SMALL_SIZE: u32 = 16;

/// Text and axes.
pub const INK: RGBColor = RGBColor(33, 33, 33);
/// Grid lines and day boundaries.
pub const GRID: RGBColor = RGBColor(200, 200, 200);

/// Self-driving vehicles (everywhere).
pub const SELF_DRIVING: RGBColor = RGBColor(31, 119, 180);
/// Cage-truck vehicles (everywhere).
pub const CAGE_TRUCK: RGBColor = RGBColor(255, 127, 14);
/// All vehicles cleared, when the port has no carriers (no split by mode).
pub const CLEARED: RGBColor = RGBColor(44, 160, 44);
/// Crossing time (arrival to leaving the country).
pub const CROSSING: RGBColor = RGBColor(148, 103, 189);
/// Arrivals.
pub const ARRIVALS: RGBColor = RGBColor(70, 70, 70);
/// Capacity lines and service targets.
pub const LIMIT: RGBColor = RGBColor(214, 39, 40);
/// Percentile marks.
pub const PERCENTILE: RGBColor = RGBColor(60, 60, 60);
/// Queue length.
pub const QUEUE: RGBColor = RGBColor(140, 86, 75);
/// Open servers.
pub const SERVERS: RGBColor = RGBColor(23, 120, 100);
/// Hours when a stage is closed (heat map).
pub const CLOSED: RGBColor = RGBColor(225, 225, 225);

/// The colour of a loading mode (`self_driving`, `cage_truck`), by its report name.
pub fn mode_colour(mode: &str) -> RGBColor {
    match mode {
        "self_driving" => SELF_DRIVING,
        "cage_truck" => CAGE_TRUCK,
        _ => CLEARED,
    }
}

/// How a loading mode is written for people.
pub fn mode_label(mode: &str) -> String {
    mode.replace('_', "-")
}

/// Light tints that shade the shifts of the roster, in roster order (cycled).
pub const SHIFT_TINTS: [RGBColor; 6] = [
    RGBColor(221, 226, 242),
    RGBColor(255, 243, 214),
    RGBColor(222, 240, 226),
    RGBColor(246, 226, 236),
    RGBColor(236, 236, 236),
    RGBColor(226, 240, 246),
];

/// Colours of the series of a sweep (one per combination of the outer settings): neither
/// blue nor orange, which mean loading modes.
pub const SERIES: [RGBColor; 8] = [
    RGBColor(33, 33, 33),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(214, 39, 40),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
    RGBColor(188, 189, 34),
];

/// The colour of series `i`.
pub fn series_colour(i: usize) -> RGBColor {
    SERIES[i % SERIES.len()]
}

/// The sequential colour scale of the heat map (viridis): `t` in [0, 1] (clamped).
pub fn scale_colour(t: f64) -> RGBColor {
    const STOPS: [(f64, (f64, f64, f64)); 5] = [
        (0.0, (68.0, 1.0, 84.0)),
        (0.25, (59.0, 82.0, 139.0)),
        (0.5, (33.0, 145.0, 140.0)),
        (0.75, (94.0, 201.0, 98.0)),
        (1.0, (253.0, 231.0, 37.0)),
    ];
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let i = STOPS
        .windows(2)
        .position(|w| t <= w[1].0)
        .unwrap_or(STOPS.len() - 2);
    let (t0, a) = STOPS[i];
    let (t1, b) = STOPS[i + 1];
    let f = (t - t0) / (t1 - t0);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Whether text on colour `c` should be white (dark background).
pub fn needs_light_text(c: RGBColor) -> bool {
    0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2) < 140.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_runs_from_dark_purple_to_yellow_and_clamps() {
        assert_eq!(scale_colour(0.0), RGBColor(68, 1, 84));
        assert_eq!(scale_colour(1.0), RGBColor(253, 231, 37));
        assert_eq!(scale_colour(2.0), scale_colour(1.0));
        assert_eq!(scale_colour(-1.0), scale_colour(0.0));
        assert_eq!(scale_colour(0.5), RGBColor(33, 145, 140));
        assert!(needs_light_text(scale_colour(0.1)));
        assert!(!needs_light_text(scale_colour(0.95)));
    }

    #[test]
    fn modes_keep_their_colours() {
        assert_eq!(mode_colour("self_driving"), SELF_DRIVING);
        assert_eq!(mode_colour("cage_truck"), CAGE_TRUCK);
        assert_ne!(SELF_DRIVING, CAGE_TRUCK);
        assert!(!SERIES.contains(&SELF_DRIVING) && !SERIES.contains(&CAGE_TRUCK));
    }
}

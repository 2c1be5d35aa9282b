//! Quantities with units, as written in scenario files: durations (`"90s"`, `"7m"`,
//! `"1h30m"`, `"2d"`), rates (`"60/h"`, `"1440/d"`) and clock times (`"06:00"`, `"24:00"`).
//!
//! Parsers return minutes (or arrivals per minute) and, on failure, a message that says what
//! would be valid. The serde wrappers at the bottom let the raw scenario structs use them.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};

const DURATION_HELP: &str =
    "write a number with a unit: \"90s\", \"7m\", \"1h30m\", \"2d\" (units s, m or min, h, d)";
const RATE_HELP: &str =
    "write a count per unit of time: \"30/h\", \"0.5/m\", \"700/d\" (units s, m or min, h, d)";
const CLOCK_HELP: &str = "write a clock time as \"HH:MM\" from \"00:00\" to \"24:00\"";

/// Minutes in one unit (`s`, `m`/`min`, `h`, `d`).
fn unit_minutes(unit: &str) -> Option<f64> {
    match unit {
        "s" | "sec" => Some(1.0 / 60.0),
        "m" | "min" => Some(1.0),
        "h" => Some(60.0),
        "d" => Some(1440.0),
        _ => None,
    }
}

/// Parses a non-negative duration such as `"1h30m"` into minutes.
pub fn parse_duration(text: &str) -> Result<f64, String> {
    let s = text.trim();
    if s.is_empty() {
        return Err(format!("empty duration; {DURATION_HELP}"));
    }
    if s.starts_with('-') {
        return Err(format!(
            "\"{text}\" is negative; durations cannot be negative"
        ));
    }
    let mut total = 0.0;
    let mut rest = s;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if num_len == 0 {
            return Err(format!("\"{text}\" is not a duration; {DURATION_HELP}"));
        }
        let value: f64 = rest[..num_len]
            .parse()
            .map_err(|_| format!("\"{}\" is not a number; {DURATION_HELP}", &rest[..num_len]))?;
        rest = rest[num_len..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        if unit_len == 0 {
            return Err(format!("\"{text}\" has no unit; {DURATION_HELP}"));
        }
        let unit = &rest[..unit_len];
        let per = unit_minutes(unit)
            .ok_or_else(|| format!("unknown unit \"{unit}\" in \"{text}\"; {DURATION_HELP}"))?;
        total += value * per;
        rest = rest[unit_len..].trim_start();
    }
    Ok(total)
}

/// Parses a rate such as `"60/h"` into events per minute.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let (count, unit) = text
        .split_once('/')
        .ok_or_else(|| format!("\"{text}\" is not a rate; {RATE_HELP}"))?;
    let count: f64 = count
        .trim()
        .parse()
        .map_err(|_| format!("\"{}\" is not a number; {RATE_HELP}", count.trim()))?;
    if !count.is_finite() || count < 0.0 {
        return Err(format!(
            "\"{text}\" is negative; rates must be zero or more"
        ));
    }
    let unit = unit.trim();
    // "1.5/h" or "3/2h" (per two hours) both work.
    let per = unit_minutes(unit).map(Ok).unwrap_or_else(|| {
        parse_duration(unit)
            .map_err(|_| format!("unknown unit \"{unit}\" in \"{text}\"; {RATE_HELP}"))
    })?;
    if per <= 0.0 {
        return Err(format!("\"{text}\" divides by zero time; {RATE_HELP}"));
    }
    Ok(count / per)
}

/// Parses a clock time `"HH:MM"` (00:00–24:00) into minutes after midnight.
pub fn parse_clock(text: &str) -> Result<f64, String> {
    let bad = || format!("\"{text}\" is not a clock time; {CLOCK_HELP}");
    let (h, m) = text.trim().split_once(':').ok_or_else(bad)?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return Err(bad());
    }
    let h: u32 = h.parse().map_err(|_| bad())?;
    let m: u32 = m.parse().map_err(|_| bad())?;
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return Err(format!("\"{text}\" is out of range; {CLOCK_HELP}"));
    }
    Ok(f64::from(h * 60 + m))
}

/// Formats minutes after midnight as `HH:MM`.
pub fn format_clock(minutes: f64) -> String {
    let m = minutes.round() as u32;
    format!("{:02}:{:02}", m / 60, m % 60)
}

/// A duration field: minutes, deserialized from a string with units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DurationField(pub f64);

/// A rate field: events per minute, deserialized from `"count/unit"`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateField(pub f64);

/// A clock-time field: minutes after midnight, deserialized from `"HH:MM"`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClockField(pub f64);

/// Shared visitor: accepts a string and parses it; numbers get a hint about units.
struct UnitVisitor<T> {
    expecting: &'static str,
    parse: fn(&str) -> Result<f64, String>,
    wrap: fn(f64) -> T,
    number_hint: fn(f64) -> String,
}

impl<T> Visitor<'_> for UnitVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.expecting)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        (self.parse)(v).map(self.wrap).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<T, E> {
        Err(E::custom((self.number_hint)(v as f64)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
        Err(E::custom((self.number_hint)(v as f64)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
        Err(E::custom((self.number_hint)(v)))
    }
}

impl<'de> Deserialize<'de> for DurationField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UnitVisitor {
            expecting: "a duration such as \"7m\"",
            parse: parse_duration,
            wrap: DurationField,
            number_hint: |v| {
                format!(
                    "a duration needs a unit; write \"{v}m\" for {v} minutes (units s, m, h, d)"
                )
            },
        })
    }
}

impl<'de> Deserialize<'de> for RateField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UnitVisitor {
            expecting: "a rate such as \"30/h\"",
            parse: parse_rate,
            wrap: RateField,
            number_hint: |v| {
                format!("a rate needs a unit; write \"{v}/h\" for {v} an hour (units s, m, h, d)")
            },
        })
    }
}

impl<'de> Deserialize<'de> for ClockField {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(UnitVisitor {
            expecting: "a clock time such as \"06:00\"",
            parse: parse_clock,
            wrap: ClockField,
            number_hint: |v| format!("a clock time is a string; write \"{:02}:00\"", v as i64),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        for (text, minutes) in [
            ("90s", 1.5),
            ("7m", 7.0),
            ("7min", 7.0),
            ("1h30m", 90.0),
            ("1h 30m", 90.0),
            ("2d", 2880.0),
            ("2.5h", 150.0),
            ("0s", 0.0),
            ("1d2h3m30s", 1440.0 + 120.0 + 3.5),
        ] {
            assert_eq!(parse_duration(text), Ok(minutes), "{text}");
        }
        for bad in ["", "7", "m", "-5m", "5x", "1.2.3m", "h1"] {
            assert!(parse_duration(bad).is_err(), "{bad} should be rejected");
        }
        assert!(parse_duration("7").unwrap_err().contains("no unit"));
    }

    #[test]
    fn rates() {
        assert_eq!(parse_rate("60/h"), Ok(1.0));
        assert_eq!(parse_rate("1440/d"), Ok(1.0));
        assert_eq!(parse_rate("0.8/m"), Ok(0.8));
        assert_eq!(parse_rate("1/s"), Ok(60.0));
        assert_eq!(parse_rate("3/2h"), Ok(3.0 / 120.0));
        for bad in ["60", "60/", "/h", "-1/h", "60/x", "60/0h"] {
            assert!(parse_rate(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn clocks() {
        assert_eq!(parse_clock("00:00"), Ok(0.0));
        assert_eq!(parse_clock("06:30"), Ok(390.0));
        assert_eq!(parse_clock("24:00"), Ok(1440.0));
        for bad in ["24:01", "25:00", "6", "06:60", "6:5", "ab:cd", ""] {
            assert!(parse_clock(bad).is_err(), "{bad} should be rejected");
        }
        assert_eq!(format_clock(390.0), "06:30");
    }
}

//! Trace files: arrivals replayed from a CSV file, so an analyst can replay a real day.
//!
//! The first line names the columns. `time` is required: `2024-03-01 07:15:30` (or with `T`,
//! seconds optional), or a bare clock time `07:15:30` for day 0. With dates, midnight of the
//! earliest date in the file is the start of the simulation (day 0, the first warm-up day).
//! The optional columns `class`, `mode` (`self_driving` / `cage_truck`), `declaration` and
//! `green` (`true`/`false`, `yes`/`no`, `1`/`0`) fix a vehicle's attributes; an empty cell or a
//! missing column leaves that attribute to the stream's mix. Rows may come in any order.

use std::path::Path;

use crate::engine::Time;
use crate::model::{Class, Mix, Mode, TraceRecord};

/// One problem in a trace file.
#[derive(Debug)]
pub struct Problem {
    /// What is wrong, with the line number.
    pub message: String,
    /// What would be valid.
    pub hint: String,
}

const COLUMNS: [&str; 5] = ["time", "class", "mode", "declaration", "green"];
const MAX_PROBLEMS: usize = 10;

/// Reads the trace at `path`: the records in time order, or the problems found (at most 10).
pub fn read(
    path: &Path,
    classes: &[Class],
    declarations: &[String],
    carriers: bool,
    mix: &Mix,
) -> Result<Vec<TraceRecord>, Vec<Problem>> {
    let problem = |message: String, hint: &str| Problem {
        message,
        hint: hint.to_string(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_path(path)
        .map_err(|e| {
            vec![problem(
                format!("cannot read {}: {e}", path.display()),
                "the path is relative to the scenario file",
            )]
        })?;
    let headers = reader
        .headers()
        .map_err(|e| {
            vec![problem(
                format!("line 1: {e}"),
                "the first line names the columns: time,class,mode,declaration,green",
            )]
        })?
        .clone();
    let mut problems = Vec::new();
    let mut column = [None; 5];
    for (k, h) in headers.iter().enumerate() {
        match COLUMNS.iter().position(|c| *c == h) {
            Some(i) => column[i] = Some(k),
            None => problems.push(problem(
                format!("line 1: unknown column \"{h}\""),
                "columns: time (required), class, mode, declaration, green",
            )),
        }
    }
    if column[0].is_none() {
        problems.push(problem(
            "line 1: there is no `time` column".into(),
            "the first line names the columns, e.g. time,class,mode,declaration,green",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut rows: Vec<(Option<i64>, f64, TraceRecord, u64)> = Vec::new();
    for result in reader.records() {
        if problems.len() >= MAX_PROBLEMS {
            break;
        }
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                problems.push(problem(
                    format!("line {line}: {e}"),
                    "every line needs the same columns as the first",
                ));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let cell = |i: usize| {
            column[i]
                .and_then(|k| record.get(k))
                .filter(|s| !s.is_empty())
        };
        let Some((date, minutes)) = cell(0).and_then(parse_time) else {
            problems.push(problem(
                format!("line {line}: \"{}\" is not a time", cell(0).unwrap_or("")),
                "write 2024-03-01 07:15:30 (date and time) or 07:15:30 (day 0)",
            ));
            continue;
        };
        let mut bad = |what: &str, value: &str, valid: String| {
            problems.push(Problem {
                message: format!("line {line}: unknown {what} \"{value}\""),
                hint: valid,
            });
        };
        let class = match cell(1) {
            None => None,
            Some(name) => match classes.iter().position(|k| k.name == name) {
                Some(k) => Some(k),
                None => {
                    bad(
                        "class",
                        name,
                        format!(
                            "classes: {}",
                            classes
                                .iter()
                                .map(|k| k.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    );
                    continue;
                }
            },
        };
        let mode = match cell(2) {
            None => None,
            Some("self_driving") => Some(Mode::SelfDriving),
            Some("cage_truck") => Some(Mode::CageTruck),
            Some(other) => {
                bad("mode", other, "modes: self_driving, cage_truck".into());
                continue;
            }
        };
        let declaration = match cell(3) {
            None => None,
            Some(name) => match declarations.iter().position(|d| d == name) {
                Some(d) => Some(d),
                None => {
                    bad(
                        "declaration mode",
                        name,
                        format!("declaration modes: {}", declarations.join(", ")),
                    );
                    continue;
                }
            },
        };
        let green = match cell(4).map(str::to_ascii_lowercase).as_deref() {
            None => None,
            Some("true" | "yes" | "1") => Some(true),
            Some("false" | "no" | "0") => Some(false),
            Some(other) => {
                bad(
                    "green flag",
                    other,
                    "write true or false (or yes/no, 1/0)".into(),
                );
                continue;
            }
        };
        if mode == Some(Mode::CageTruck) {
            if !carriers {
                problems.push(problem(
                    format!(
                        "line {line}: a cage_truck vehicle, but the port has no [cage_truck] table"
                    ),
                    "add a [cage_truck] table, or use self_driving",
                ));
                continue;
            }
            if let Some(k) = class.filter(|&k| !classes[k].cage_allowed) {
                problems.push(problem(
                    format!(
                        "line {line}: class \"{}\" may not go on a cage truck",
                        classes[k].name
                    ),
                    "use self_driving for this class",
                ));
                continue;
            }
        }
        if let (None, Some(mode)) = (class, mode)
            && mix.class_weights_given(mode).iter().sum::<f64>() <= 0.0
        {
            problems.push(problem(
                format!(
                    "line {line}: a {} vehicle without a class, and the stream's mix has no class that goes that way",
                    mode.name()
                ),
                "give the class in the file, or a mix with such a class",
            ));
            continue;
        }
        rows.push((
            date,
            minutes,
            TraceRecord {
                at: Time::ZERO,
                class,
                mode,
                declaration,
                green,
            },
            line,
        ));
    }
    let dated = rows.iter().filter(|r| r.0.is_some()).count();
    if dated > 0 && dated < rows.len() {
        let line = rows.iter().find(|r| r.0.is_none()).map_or(0, |r| r.3);
        problems.push(problem(
            format!("line {line}: a time without a date, while other lines have dates"),
            "give every line a date, or none",
        ));
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(problem(
            "the file has no arrivals".into(),
            "add one line per vehicle below the header",
        ));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let first = rows.iter().filter_map(|r| r.0).min().unwrap_or(0);
    // Seconds since the start, summed exactly, then one division: the instant in minutes is
    // the correctly rounded value of the time written in the file.
    let mut records: Vec<TraceRecord> = rows
        .into_iter()
        .map(|(date, seconds, mut r, _)| {
            let total = (date.unwrap_or(first) - first) as f64 * 86_400.0 + seconds;
            r.at = Time::from_minutes(total / 60.0);
            r
        })
        .collect();
    records.sort_by(|a, b| a.at.total_cmp(&b.at));
    Ok(records)
}

/// `2024-03-01 07:15:30`, `2024-03-01T07:15`, or `07:15:30`: (days since 1970-01-01 if dated,
/// seconds after midnight).
fn parse_time(text: &str) -> Option<(Option<i64>, f64)> {
    let (date, clock) = match text.split_once([' ', 'T']) {
        Some((d, c)) => (Some(d), c.trim()),
        None => (None, text),
    };
    let date = match date {
        None => None,
        Some(d) => {
            let mut parts = d.split('-');
            let (y, m, day) = (
                parts.next()?.parse().ok()?,
                parts.next()?.parse().ok()?,
                parts.next()?.parse().ok()?,
            );
            if parts.next().is_some()
                || !(1..=12).contains(&m)
                || !(1..=days_in_month(y, m)).contains(&day)
            {
                return None;
            }
            Some(days_from_civil(y, m, day))
        }
    };
    let mut parts = clock.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let s: f64 = parts.next().map_or(Some(0.0), |s| s.parse().ok())?;
    if parts.next().is_some() || h > 23 || m > 59 || !(0.0..60.0).contains(&s) {
        return None;
    }
    Some((date, f64::from(h * 3600 + m * 60) + s))
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times() {
        assert_eq!(parse_time("07:15"), Some((None, 26_100.0)));
        assert_eq!(parse_time("07:15:30"), Some((None, 26_130.0)));
        assert_eq!(parse_time("1970-01-02 00:00"), Some((Some(1), 0.0)));
        assert_eq!(
            parse_time("2024-03-01T07:15:30.5").map(|t| t.1),
            Some(26_130.5)
        );
        assert_eq!(
            days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28),
            2,
            "2024 is a leap year"
        );
        for bad in [
            "7",
            "25:00",
            "07:60",
            "2024-02-30 07:00",
            "2024-13-01 07:00",
            "x",
        ] {
            assert_eq!(parse_time(bad), None, "{bad}");
        }
    }
}

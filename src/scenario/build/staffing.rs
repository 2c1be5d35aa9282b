//! The roster: shifts that tile the day, and the staff each puts on each stage or lane group.

use std::collections::HashMap;

use super::Checker;
use crate::engine::{Duration, MINUTES_PER_DAY};
use crate::model::{Roster, Shift, StageStaff};
use crate::scenario::raw::{RawShift, RawStaff, RawStaffing, RawStage};
use crate::scenario::units::format_clock;

const STAFF_HINT: &str = "the number of officers on duty at this stage in this shift (0 closes it)";

pub(super) fn check_staffing(
    c: &mut Checker,
    raw: &RawStaffing,
    stages: &[RawStage],
) -> Option<Roster> {
    if raw.shifts.is_empty() {
        c.error(
            "staffing.shifts",
            "staffing has no shifts",
            "add [[staffing.shifts]] tables with name, start, end and staff, covering the 24 hours",
        );
        return None;
    }
    let mut seen = HashMap::new();
    let mut shifts = Vec::with_capacity(raw.shifts.len());
    let stage_names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
    let mut rostered = vec![false; stages.len()];
    for (i, s) in raw.shifts.iter().enumerate() {
        let at = |f: &str| format!("staffing.shifts[{i}].{f}");
        c.name(&at("name"), &s.name, &mut seen, "shift");
        if s.start.0 >= MINUTES_PER_DAY {
            c.error(
                at("start"),
                "a shift cannot start at 24:00",
                "write \"00:00\"",
            );
        }
        let mut staff: Vec<StageStaff> = stages
            .iter()
            .map(|st| StageStaff {
                total: 0,
                lanes: vec![None; st.lanes.as_ref().map_or(1, Vec::len)],
            })
            .collect();
        for (stage, value) in &s.staff {
            let field = at(&format!("staff.{stage}"));
            let Some(k) = stage_names.iter().position(|name| name == stage) else {
                c.error(
                    &field,
                    format!("no stage named \"{stage}\""),
                    format!("stages: {}", stage_names.join(", ")),
                );
                continue;
            };
            rostered[k] = true;
            match value {
                RawStaff::Stage(n) => {
                    staff[k].total = c.count(&field, *n, 0, 1_000_000, "staff", STAFF_HINT);
                }
                RawStaff::Lanes(by_lane) => {
                    let lanes: Vec<&str> = stages[k]
                        .lanes
                        .iter()
                        .flatten()
                        .map(|l| l.name.as_str())
                        .collect();
                    for (lane, &n) in by_lane {
                        let field = format!("{field}.{lane}");
                        match lanes.iter().position(|l| l == lane) {
                            Some(g) => {
                                staff[k].lanes[g] =
                                    Some(c.count(&field, n, 0, 1_000_000, "staff", STAFF_HINT));
                            }
                            None if lanes.is_empty() => c.error(
                                &field,
                                format!("stage \"{stage}\" has no lane groups"),
                                format!("give the stage's staff as a number: {stage} = 4"),
                            ),
                            None => c.unknown_key(
                                &field,
                                format!("stage \"{stage}\" has no lane group \"{lane}\""),
                                format!("lane groups: {}", lanes.join(", ")),
                            ),
                        }
                    }
                }
            }
        }
        let end = if s.end.0 == 0.0 {
            MINUTES_PER_DAY
        } else {
            s.end.0
        };
        shifts.push(Shift {
            name: s.name.clone(),
            start: Duration::from_minutes(s.start.0 % MINUTES_PER_DAY),
            end: Duration::from_minutes(end),
            staff,
        });
    }
    check_coverage(c, &raw.shifts, &shifts);
    let handover = raw.handover.map_or(0.0, |h| h.0);
    let shortest = shifts
        .iter()
        .map(|s| s.length().minutes())
        .fold(f64::INFINITY, f64::min);
    if handover >= shortest {
        c.error(
            "staffing.handover",
            format!("the handover ({handover} min) is not shorter than the shortest shift ({shortest} min)"),
            "a handover is the overlap at a shift change, usually 10-30 minutes (\"15m\")",
        );
    }
    Some(Roster {
        handover: Duration::from_minutes(handover),
        shifts,
        rostered,
    })
}

/// Shifts must cover every minute of the day exactly once.
fn check_coverage(c: &mut Checker, raw: &[RawShift], shifts: &[Shift]) {
    let minutes = MINUTES_PER_DAY as usize;
    let covers = |s: &Shift, m: usize| {
        let (start, len) = (s.start.minutes() as usize, s.length().minutes() as usize);
        (m + minutes - start) % minutes < len
    };
    // Overlaps, one message per pair.
    for i in 0..shifts.len() {
        for j in i + 1..shifts.len() {
            if let Some((from, to)) =
                first_run(minutes, |m| covers(&shifts[i], m) && covers(&shifts[j], m))
            {
                c.error(
                    format!("staffing.shifts[{j}].start"),
                    format!(
                        "shifts \"{}\" ({}-{}) and \"{}\" ({}-{}) overlap from {} to {}",
                        raw[i].name,
                        format_clock(shifts[i].start.minutes()),
                        format_clock(shifts[i].end.minutes()),
                        raw[j].name,
                        format_clock(shifts[j].start.minutes()),
                        format_clock(shifts[j].end.minutes()),
                        format_clock(from as f64),
                        format_clock(to as f64)
                    ),
                    "each minute of the day belongs to exactly one shift; make one shift end where the next starts",
                );
            }
        }
    }
    // Gaps.
    let mut m = 0;
    while m < minutes {
        if shifts.iter().any(|s| covers(s, m)) {
            m += 1;
            continue;
        }
        let from = m;
        while m < minutes && !shifts.iter().any(|s| covers(s, m)) {
            m += 1;
        }
        // Point at the shift end that opens the gap, else the shift start that closes it.
        let field = shifts
            .iter()
            .position(|s| s.end.minutes() as usize % minutes == from)
            .map(|i| format!("staffing.shifts[{i}].end"))
            .or_else(|| {
                shifts
                    .iter()
                    .position(|s| s.start.minutes() as usize == m % minutes)
                    .map(|i| format!("staffing.shifts[{i}].start"))
            })
            .unwrap_or_else(|| "staffing.shifts".to_string());
        c.error(
            field,
            format!("no shift covers {}-{}", format_clock(from as f64), format_clock(m as f64)),
            format!(
                "shifts must cover the 24 hours; add a shift with start = \"{}\", end = \"{}\" (staff 0 closes the stages)",
                format_clock(from as f64),
                format_clock(m as f64)
            ),
        );
    }
}

/// The first run of consecutive minutes for which `pred` holds, as `(from, to)`.
fn first_run(n: usize, pred: impl Fn(usize) -> bool) -> Option<(usize, usize)> {
    let from = (0..n).find(|&m| pred(m))?;
    let to = (from..n).find(|&m| !pred(m)).unwrap_or(n);
    Some((from, to))
}

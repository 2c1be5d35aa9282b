//! Arrival streams: Poisson (constant or shaped by hour and weekday), convoys and trace
//! replays, each with its mix of classes, loading modes, declaration modes and green share.

use std::collections::HashMap;
use std::path::Path;

use super::{Checker, Names, shares, weekday_index, weights};
use crate::engine::Duration;
use crate::model::{ArrivalKind, ArrivalStream, Class, Convoy, DaySet, Mix, RateProfile};
use crate::scenario::raw::{RawArrivals, RawShare};
use crate::scenario::trace;

/// What the arrival checks need to know about the rest of the scenario.
#[derive(Clone, Copy)]
pub(super) struct Context<'a> {
    pub classes: &'a [Class],
    pub names: &'a Names,
    pub carriers: bool,
    pub base: &'a Path,
}

pub(super) fn check_arrivals(
    c: &mut Checker,
    raw: &[RawArrivals],
    cx: &Context<'_>,
) -> Vec<ArrivalStream> {
    if raw.is_empty() {
        c.error(
            "arrivals",
            "the scenario has no arrival streams",
            "add an [[arrivals]] table with a name and `per_day` or `rate`",
        );
    }
    let mut seen = HashMap::new();
    let mut streams = Vec::with_capacity(raw.len());
    for (i, a) in raw.iter().enumerate() {
        let at = |f: &str| format!("arrivals[{i}].{f}");
        c.name(&at("name"), &a.name, &mut seen, "arrival stream");
        let mix = check_mix(c, i, a, cx);
        let kind = check_kind(c, i, a, cx, &mix);
        if let Some(kind) = kind {
            streams.push(ArrivalStream {
                name: a.name.clone(),
                kind,
                mix,
            });
        }
    }
    streams
}

fn check_kind(
    c: &mut Checker,
    i: usize,
    a: &RawArrivals,
    cx: &Context<'_>,
    mix: &Mix,
) -> Option<ArrivalKind> {
    let Context {
        classes,
        names,
        carriers,
        base,
    } = *cx;
    let at = |f: &str| format!("arrivals[{i}].{f}");
    let given: Vec<&str> = [
        ("rate", a.rate.is_some()),
        ("per_day", a.per_day.is_some()),
        ("convoy", a.convoy.is_some()),
        ("trace", a.trace.is_some()),
    ]
    .iter()
    .filter(|(_, on)| *on)
    .map(|(k, _)| *k)
    .collect();
    let how = "give one of `per_day = 700`, `rate = \"30/h\"`, `convoy = { vehicles = 120, at = \"07:00\" }` or `trace = \"file.csv\"`";
    match given.as_slice() {
        [] => {
            c.error(
                at("name"),
                format!(
                    "arrival stream \"{}\" says neither when nor how many vehicles arrive",
                    a.name
                ),
                how,
            );
            return None;
        }
        [_] => {}
        [first, second, ..] => {
            c.error(
                at(second),
                format!("both `{first}` and `{second}` are given"),
                how,
            );
            return None;
        }
    }
    let growth = a.growth_per_year.unwrap_or(0.0);
    if !(growth.is_finite() && growth > -1.0) {
        c.error(
            at("growth_per_year"),
            format!("growth must be above -1 (a loss of everything), got {growth}"),
            "e.g. 3.81 for +381 % a year",
        );
    }
    let shaped_only_by_day = |c: &mut Checker, what: &str| {
        if a.hourly_profile.is_some() {
            c.error(
                at("hourly_profile"),
                format!("an hourly profile shapes a daily volume, not {what}"),
                "use `per_day` with an hourly profile",
            );
        }
    };
    if a.convoy.is_some() || a.trace.is_some() {
        shaped_only_by_day(
            c,
            if a.convoy.is_some() {
                "a convoy"
            } else {
                "a trace"
            },
        );
        if a.day_of_week.is_some() {
            c.error(
                at("day_of_week"),
                "day-of-week factors apply to `per_day` and `rate` streams",
                "for a convoy, list its `weekdays` instead",
            );
        }
    }
    if a.trace.is_some() && a.growth_per_year.is_some() {
        c.error(
            at("growth_per_year"),
            "a trace is replayed as recorded; it does not grow",
            "remove growth_per_year",
        );
    }
    let hourly = a.hourly_profile.as_ref().and_then(|p| {
        weights::<24>(
            c,
            &at("hourly_profile"),
            p,
            "hourly profile",
            "one relative weight per clock hour, 00:00-01:00 first",
        )
    });
    let weekday = a.day_of_week.as_ref().and_then(|p| {
        weights::<7>(
            c,
            &at("day_of_week"),
            p,
            "day-of-week factors",
            "one factor per weekday, Monday first; 1 means the per_day volume, 0.5 half of it",
        )
    });

    if let Some(rate) = a.rate {
        shaped_only_by_day(
            c,
            "a `rate` (replace it by per_day: \"30/h\" is per_day = 720)",
        );
        let profile = match weekday {
            Some(w) => RateProfile::constant_with_weekdays(rate.0, &w),
            None => RateProfile::constant(rate.0),
        };
        return Some(ArrivalKind::Poisson(profile.with_growth(growth)));
    }
    if let Some(per_day) = a.per_day {
        if !per_day.is_finite() || per_day < 0.0 {
            c.error(
                at("per_day"),
                format!("per_day must be zero or more, got {per_day}"),
                "the expected number of vehicles on an average day, e.g. 700",
            );
            return None;
        }
        let profile = RateProfile::daily(per_day, hourly.as_ref(), weekday.as_ref());
        return Some(ArrivalKind::Poisson(profile.with_growth(growth)));
    }
    if let Some(convoy) = &a.convoy {
        let vehicles = c.count(
            &at("convoy.vehicles"),
            convoy.vehicles,
            1,
            1_000_000,
            "vehicles",
            "the size of the batch, e.g. 120",
        );
        let days = match (&convoy.days, &convoy.weekdays) {
            (Some(_), Some(_)) => {
                c.error(
                    at("convoy.weekdays"),
                    "give `days` or `weekdays`, not both",
                    "leave both out for a convoy every day",
                );
                DaySet::Every
            }
            (Some(days), None) => DaySet::Measured(
                days.iter()
                    .enumerate()
                    .map(|(k, &d)| {
                        c.count(
                            &at(&format!("convoy.days[{k}]")),
                            d,
                            1,
                            36_500,
                            "a convoy day",
                            "measured day numbers, 1 = the first measured day",
                        )
                    })
                    .collect(),
            ),
            (None, Some(w)) => {
                let mut set = [false; 7];
                for &d in w {
                    set[weekday_index(d)] = true;
                }
                DaySet::Weekdays(set)
            }
            (None, None) => DaySet::Every,
        };
        let spacing = convoy.spacing.map_or(0.0, |s| s.0);
        if f64::from(vehicles.saturating_sub(1)) * spacing >= 1440.0 {
            c.error(
                at("convoy.spacing"),
                format!("{vehicles} vehicles {spacing} min apart take a day or more, so batches would overlap"),
                "a batch must arrive within 24 hours; shorten the spacing",
            );
        }
        if convoy.at.0 >= 1440.0 {
            c.error(
                at("convoy.at"),
                "a convoy cannot arrive at 24:00",
                "write \"00:00\"",
            );
        }
        return Some(ArrivalKind::Convoy(Convoy {
            vehicles,
            at: Duration::from_minutes(convoy.at.0 % 1440.0),
            spacing: Duration::from_minutes(convoy.spacing.map_or(0.0, |s| s.0)),
            days,
            growth_per_year: growth,
        }));
    }
    let file = a.trace.as_ref().expect("one of the four is given");
    match trace::read(
        &base.join(file),
        classes,
        &names.declarations,
        carriers,
        mix,
    ) {
        Ok(records) => Some(ArrivalKind::Trace(records)),
        Err(problems) => {
            for p in problems {
                c.error(at("trace"), format!("{file}: {}", p.message), p.hint);
            }
            None
        }
    }
}

/// The stream's mix: class shares, self-driving share, declaration shares, green share.
fn check_mix(c: &mut Checker, i: usize, a: &RawArrivals, cx: &Context<'_>) -> Mix {
    let Context {
        classes,
        names,
        carriers,
        ..
    } = *cx;
    let at = |f: &str| format!("arrivals[{i}].{f}");
    let class = match &a.mix {
        Some(m) => shares(c, &at("mix"), m, &names.classes, ("class", "classes")),
        None if classes.len() == 1 => vec![1.0],
        None => {
            c.error(
                at("name"),
                format!(
                    "stream \"{}\" has no class `mix`, and the port has {} classes",
                    a.name,
                    classes.len()
                ),
                format!(
                    "add e.g. mix = {{ {} }}",
                    names
                        .classes
                        .iter()
                        .map(|n| format!("{n} = ..."))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            vec![1.0 / classes.len() as f64; classes.len()]
        }
    };
    let declaration = match &a.declaration {
        Some(m) => shares(
            c,
            &at("declaration"),
            m,
            &names.declarations,
            ("declaration mode", "declaration modes"),
        ),
        None if names.declarations.len() == 1 => vec![1.0],
        None => {
            c.error(
                at("name"),
                format!("stream \"{}\" has no `declaration` shares, and the port has {} declaration modes", a.name, names.declarations.len()),
                format!("add e.g. declaration = {{ {} }}", names.declarations.iter().map(|n| format!("{n} = ...")).collect::<Vec<_>>().join(", ")),
            );
            vec![1.0 / names.declarations.len() as f64; names.declarations.len()]
        }
    };
    let self_driving = match &a.self_driving {
        None if carriers && classes.iter().any(|k| k.cage_allowed) => {
            c.error(
                at("name"),
                format!("stream \"{}\" does not say how many vehicles drive themselves", a.name),
                "add e.g. self_driving = 0.7 (the rest go by cage truck), or per class: self_driving = { car = 0.6, truck = 1.0 }",
            );
            vec![1.0; classes.len()]
        }
        None => vec![1.0; classes.len()],
        Some(share) => per_class(
            c,
            &at("self_driving"),
            share,
            classes,
            1.0,
            "self-driving share",
        ),
    };
    for (k, class) in classes.iter().enumerate() {
        if self_driving[k] < 1.0 && !carriers {
            c.error(
                at("self_driving"),
                format!("{:.0} % of class \"{}\" would go by cage truck, but the port has no [cage_truck] table", 100.0 * (1.0 - self_driving[k]), class.name),
                "add a [cage_truck] table (carriers, slots, loading, max_wait, round_trip), or set self_driving = 1",
            );
            break;
        }
    }
    let mut self_driving = self_driving;
    for (k, class) in classes.iter().enumerate() {
        if !class.cage_allowed {
            if let Some(RawShare::ByClass(m)) = &a.self_driving
                && m.get(&class.name).is_some_and(|&p| p < 1.0)
            {
                c.error(
                    format!("{}.{}", at("self_driving"), class.name),
                    format!(
                        "class \"{}\" may not go on a cage truck (cage_truck = false)",
                        class.name
                    ),
                    "its self-driving share is always 1",
                );
            }
            self_driving[k] = 1.0;
        }
    }
    let green = match &a.green {
        None => vec![0.0; classes.len()],
        Some(share) => per_class(c, &at("green"), share, classes, 0.0, "green-channel share"),
    };
    Mix {
        class,
        self_driving,
        declaration,
        green,
    }
}

/// A share for all classes, or one per class (classes left out get `default`).
fn per_class(
    c: &mut Checker,
    field: &str,
    raw: &RawShare,
    classes: &[Class],
    default: f64,
    what: &str,
) -> Vec<f64> {
    match raw {
        RawShare::All(p) => vec![c.probability(field, *p, what); classes.len()],
        RawShare::ByClass(map) => {
            let mut out = vec![default; classes.len()];
            for (name, &p) in map {
                match classes.iter().position(|k| &k.name == name) {
                    Some(k) => out[k] = c.probability(&format!("{field}.{name}"), p, what),
                    None => c.unknown_key(
                        format!("{field}.{name}"),
                        format!("no class named \"{name}\""),
                        format!(
                            "classes: {}",
                            classes
                                .iter()
                                .map(|k| k.name.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ),
                }
            }
            out
        }
    }
}

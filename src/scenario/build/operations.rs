//! How the port operates: vehicle classes, declaration modes, the yard with its drivers and
//! carriers, the receiving side, and the port's own hours.

use std::collections::{BTreeMap, HashMap};

use super::{Checker, check_dist, weekday_index};
use crate::engine::Duration;
use crate::model::{
    ArrivalKind, Carriers, Class, DailyWindow, DeclarationMode, Drivers, Exit, Mode, Port,
    PortHours, ServiceOverride, Yard,
};
use crate::scenario::raw::{
    RawClass, RawDeclaration, RawExit, RawOverride, RawPort, RawScenario, RawStage,
};
use crate::scenario::units::parse_clock;

pub(super) fn check_classes(
    c: &mut Checker,
    raw: &[RawClass],
    stages: &[RawStage],
    tags: &mut HashMap<String, String>,
) -> Vec<Class> {
    if raw.is_empty() {
        return vec![Class {
            name: "vehicle".into(),
            slots: 1,
            cage_allowed: true,
            service: vec![ServiceOverride::None; stages.len()],
        }];
    }
    raw.iter()
        .enumerate()
        .map(|(i, k)| {
            let at = |f: &str| format!("classes[{i}].{f}");
            c.tag_name(&at("name"), &k.name, tags, "class");
            Class {
                name: k.name.clone(),
                slots: c.count(
                    &at("slots"),
                    k.slots,
                    1,
                    100,
                    "slots",
                    "carrier slots one vehicle of this class takes (a car 1, a forklift 2)",
                ),
                cage_allowed: k.cage_truck,
                service: overrides(c, &at("service"), &k.service, stages),
            }
        })
        .collect()
}

pub(super) fn check_declarations(
    c: &mut Checker,
    raw: &[RawDeclaration],
    stages: &[RawStage],
    tags: &mut HashMap<String, String>,
) -> Vec<DeclarationMode> {
    if raw.is_empty() {
        return vec![DeclarationMode {
            name: "local".into(),
            service: vec![ServiceOverride::None; stages.len()],
            passes: vec![true; stages.len()],
        }];
    }
    raw.iter()
        .enumerate()
        .map(|(i, d)| {
            let at = |f: &str| format!("declarations[{i}].{f}");
            c.tag_name(&at("name"), &d.name, tags, "declaration mode");
            let passes = match &d.stages {
                None => vec![true; stages.len()],
                Some(list) => {
                    // Referral-only stages are reached by referral; regular stages only if listed.
                    let mut passes: Vec<bool> = stages.iter().map(|s| s.referral_only).collect();
                    for (k, name) in list.iter().enumerate() {
                        match stages.iter().position(|s| &s.name == name) {
                            Some(s) if !stages[s].referral_only => passes[s] = true,
                            Some(_) => c.error(
                                format!("{}[{k}]", at("stages")),
                                format!("\"{name}\" is referral-only: vehicles reach it only by referral"),
                                "list the regular stages this mode passes",
                            ),
                            None => c.error(
                                format!("{}[{k}]", at("stages")),
                                format!("no stage named \"{name}\""),
                                format!("regular stages: {}", regular_names(stages).join(", ")),
                            ),
                        }
                    }
                    passes
                }
            };
            DeclarationMode {
                name: d.name.clone(),
                service: overrides(c, &at("service"), &d.service, stages),
                passes,
            }
        })
        .collect()
}

fn regular_names(stages: &[RawStage]) -> Vec<&str> {
    stages
        .iter()
        .filter(|s| !s.referral_only)
        .map(|s| s.name.as_str())
        .collect()
}

/// Per-stage service overrides: `{ multiplier = x }` or a distribution.
fn overrides(
    c: &mut Checker,
    at: &str,
    raw: &BTreeMap<String, RawOverride>,
    stages: &[RawStage],
) -> Vec<ServiceOverride> {
    let mut out = vec![ServiceOverride::None; stages.len()];
    for (name, o) in raw {
        let field = format!("{at}.{name}");
        let Some(s) = stages.iter().position(|st| &st.name == name) else {
            c.unknown_key(
                &field,
                format!("no stage named \"{name}\""),
                format!(
                    "stages: {}",
                    stages
                        .iter()
                        .map(|s| s.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
            continue;
        };
        out[s] = match (o.multiplier, o.as_dist()) {
            (Some(m), None) => {
                if !(m.is_finite() && m > 0.0) {
                    c.error(
                        format!("{field}.multiplier"),
                        format!("a multiplier must be above zero, got {m}"),
                        "e.g. 1.5 for half as long again",
                    );
                }
                ServiceOverride::Multiplier(m)
            }
            (None, Some(d)) => {
                check_dist(c, &field, &d).map_or(ServiceOverride::None, ServiceOverride::Dist)
            }
            (Some(_), Some(_)) => {
                c.error(
                    &field,
                    "give a `multiplier` or a distribution, not both",
                    "e.g. { multiplier = 1.5 } or { dist = \"constant\", value = \"3m\" }",
                );
                ServiceOverride::None
            }
            (None, None) => {
                c.error(
                    &field,
                    "the override gives neither `multiplier` nor `dist`",
                    "e.g. { multiplier = 1.5 } or { dist = \"constant\", value = \"3m\" }",
                );
                ServiceOverride::None
            }
        };
    }
    out
}

pub(super) fn check_yard(c: &mut Checker, raw: &RawScenario, classes: &[Class]) -> Yard {
    let after = raw.yard.as_ref().and_then(|y| y.after.as_ref()).and_then(|name| {
        match raw.stages.iter().position(|s| &s.name == name) {
            Some(s) if !raw.stages[s].referral_only => Some(s),
            _ => {
                c.error(
                    "yard.after",
                    format!("\"{name}\" is not a regular stage"),
                    format!(
                        "the last stage vehicles pass one by one before the yard; regular stages: {}",
                        regular_names(&raw.stages).join(", ")
                    ),
                );
                None
            }
        }
    });
    let drivers = match &raw.self_driving {
        None => Drivers {
            pool: None,
            round_trip: None,
        },
        Some(sd) => {
            let pool = sd.drivers.map(|n| {
                c.count(
                    "self_driving.drivers",
                    n,
                    1,
                    10_000_000,
                    "drivers",
                    "the number of drivers working the route",
                )
            });
            let round_trip = sd
                .round_trip
                .as_ref()
                .and_then(|d| check_dist(c, "self_driving.round_trip", d));
            if pool.is_none() && sd.round_trip.is_some() {
                c.error(
                    "self_driving.round_trip",
                    "a `round_trip` without `drivers` has no effect: drivers are unlimited",
                    "add `drivers = N` to limit the pool, or remove round_trip",
                );
            }
            if pool.is_some() && sd.round_trip.is_none() {
                c.error(
                    "self_driving.drivers",
                    "a driver pool needs a `round_trip`: how long a driver takes to come back",
                    "e.g. round_trip = { dist = \"uniform\", min = \"24h\", max = \"48h\" }",
                );
            }
            Drivers { pool, round_trip }
        }
    };
    let carriers = raw.cage_truck.as_ref().and_then(|ct| {
        let slots = c.count(
            "cage_truck.slots",
            ct.slots,
            1,
            100,
            "slots",
            "vehicles a carrier takes, e.g. 6",
        );
        let fleet = c.count(
            "cage_truck.carriers",
            ct.carriers,
            1,
            1_000_000,
            "carriers",
            "the number of car carriers in the fleet",
        );
        let bays = c.count(
            "cage_truck.bays",
            ct.bays,
            1,
            10_000,
            "bays",
            "carriers that can load at the same time",
        );
        let min_load = c.count(
            "cage_truck.min_load",
            ct.min_load,
            1,
            100,
            "min_load",
            "the fewest slots used before a carrier may leave on its longest wait",
        );
        if min_load > slots {
            c.error(
                "cage_truck.min_load",
                format!("min_load ({min_load}) is more than the carrier's {slots} slots"),
                "a carrier can never reach it; use at most `slots`",
            );
        }
        for (i, class) in classes.iter().enumerate() {
            if class.cage_allowed && class.slots > slots {
                c.error(
                    format!("classes[{i}].slots"),
                    format!(
                        "class \"{}\" takes {} slots but a carrier has only {slots}",
                        class.name, class.slots
                    ),
                    "raise cage_truck.slots, or set `cage_truck = false` for this class",
                );
            }
        }
        if ct.max_wait.0 <= 0.0 {
            c.error(
                "cage_truck.max_wait",
                "max_wait must be above zero",
                "how long the first vehicle aboard may wait for the carrier to fill, e.g. \"3h\"",
            );
        }
        let loading = check_dist(c, "cage_truck.loading", &ct.loading);
        let round_trip = check_dist(c, "cage_truck.round_trip", &ct.round_trip);
        Some(Carriers {
            fleet,
            slots,
            bays,
            loading: loading?,
            max_wait: Duration::from_minutes(ct.max_wait.0),
            min_load,
            round_trip: round_trip?,
        })
    });
    Yard {
        after,
        drivers,
        carriers,
    }
}

/// Parses `"09:00-19:00"`.
fn window(c: &mut Checker, field: &str, text: &str) -> Option<DailyWindow> {
    let hint =
        "write opening and closing time as \"09:00-19:00\" (\"22:00-06:00\" runs past midnight)";
    let Some((open, close)) = text.split_once('-') else {
        c.error(field, format!("\"{text}\" is not a time window"), hint);
        return None;
    };
    match (parse_clock(open.trim()), parse_clock(close.trim())) {
        (Ok(o), Ok(cl)) if o % 1440.0 != cl % 1440.0 => Some(DailyWindow {
            open: Duration::from_minutes(o % 1440.0),
            close: Duration::from_minutes(cl),
        }),
        (Ok(_), Ok(_)) => {
            c.error(
                field,
                format!("\"{text}\" opens and closes at the same time"),
                "leave `hours` out for 24 hours",
            );
            None
        }
        (Err(e), _) | (_, Err(e)) => {
            c.error(field, e, hint);
            None
        }
    }
}

pub(super) fn check_exit(c: &mut Checker, raw: &RawExit) -> Exit {
    Exit {
        quota_per_day: raw.quota_per_day.map(|q| {
            c.count(
                "exit.quota_per_day",
                q,
                1,
                100_000_000,
                "quota_per_day",
                "conveyances the receiving side accepts a day, e.g. 750",
            )
        }),
        hours: raw.hours.as_ref().and_then(|h| window(c, "exit.hours", h)),
    }
}

pub(super) fn check_port_hours(c: &mut Checker, raw: Option<&RawPort>, days: u32) -> PortHours {
    let Some(raw) = raw else {
        return PortHours::default();
    };
    let mut hours = PortHours {
        daily: raw.hours.as_ref().and_then(|h| window(c, "port.hours", h)),
        ..PortHours::default()
    };
    for (i, &d) in raw.closed_days.iter().enumerate() {
        let day = c.count(
            &format!("port.closed_days[{i}]"),
            d,
            1,
            i64::from(days),
            "a closed day",
            "measured day numbers, 1 = the first measured day",
        );
        hours.closed_days.push(day);
    }
    for &w in &raw.closed_weekdays {
        hours.closed_weekdays[weekday_index(w)] = true;
    }
    if hours.closed_weekdays.iter().all(|&x| x) {
        c.error(
            "port.closed_weekdays",
            "the port is closed every day of the week",
            "leave out at least one weekday",
        );
    }
    hours
}

/// Every unit that can reach a stage must find a lane group there that serves it. The units
/// that can occur come from the streams' mixes (a replayed trace may hold any combination).
pub(super) fn check_lanes_serve_everyone(c: &mut Checker, port: &Port) {
    let regular: Vec<usize> = port.regular_stages().collect();
    let after = port
        .yard
        .after
        .and_then(|s| regular.iter().position(|&r| r == s));
    // (mode, class, declaration, green) combinations that can occur.
    let mut possible = std::collections::BTreeSet::new();
    for a in &port.arrivals {
        let any = matches!(a.kind, ArrivalKind::Trace(_));
        let m = &a.mix;
        for (k, class) in port.classes.iter().enumerate() {
            if !any && m.class[k] == 0.0 {
                continue;
            }
            for mode in Mode::ALL {
                let p_mode = if mode == Mode::SelfDriving {
                    m.self_driving[k]
                } else {
                    1.0 - m.self_driving[k]
                };
                let allowed =
                    mode == Mode::SelfDriving || (class.cage_allowed && port.has_carriers());
                if !allowed || (!any && p_mode == 0.0) {
                    continue;
                }
                for (d, &wd) in m.declaration.iter().enumerate() {
                    if !any && wd == 0.0 {
                        continue;
                    }
                    for green in [false, true] {
                        let p_green = if green { m.green[k] } else { 1.0 - m.green[k] };
                        if any || p_green > 0.0 {
                            possible.insert((mode as usize, k, d, green));
                        }
                    }
                }
            }
        }
    }
    // Whether stage `s` is visited individually (before the yard).
    let individual = |s: usize| {
        let r = regular.iter().position(|&x| x == s).or_else(|| {
            regular
                .iter()
                .position(|&x| port.stages[x].refer.is_some_and(|f| f.to == s))
        });
        matches!((r, after), (Some(r), Some(k)) if r <= k)
    };
    for (s, stage) in port.stages.iter().enumerate() {
        let serves = |mode, class, decl, green| {
            stage
                .lanes
                .iter()
                .any(|l| l.serves.accepts(mode, class, decl, green))
        };
        let mut missing = Vec::new();
        for &(mode, k, d, green) in &possible {
            let mode = Mode::ALL[mode];
            if !port.declarations[d].passes[s] {
                continue;
            }
            let tint = if green { "green " } else { "" };
            if mode == Mode::CageTruck && !individual(s) {
                if !serves(mode, None, None, green) {
                    missing.push(format!("{tint}cage-truck carriers"));
                }
            } else if !serves(mode, Some(k), Some(d), green) {
                missing.push(format!(
                    "{tint}{} {} vehicles declared {}",
                    mode.name(),
                    port.classes[k].name,
                    port.declarations[d].name
                ));
            }
        }
        missing.dedup();
        if let Some(first) = missing.first() {
            c.error(
                format!("stages[{s}].lanes"),
                format!(
                    "no lane of stage \"{}\" serves {first}{}",
                    stage.name,
                    if missing.len() > 1 { format!(" (and {} more kinds of unit)", missing.len() - 1) } else { String::new() }
                ),
                "add a lane group that serves them, or leave `serves` out of one group so it serves everyone",
            );
        }
    }
}

//! Stages: servers or lane groups, service times, carrier service, referral.

use std::collections::HashMap;

use super::{Checker, MAX_REGULAR_STAGES, MAX_SERVERS, Names, check_dist};
use crate::model::{CarrierService, Filter, LaneGroup, Referral, ShiftEndPolicy, Stage};
use crate::scenario::raw::{RawLanes, RawStage};

pub(super) fn check_stages(c: &mut Checker, raw: &[RawStage], names: &Names) -> Vec<Stage> {
    if raw.is_empty() {
        c.error(
            "stages",
            "the scenario has no stages",
            "add at least one [[stages]] table with name, servers and service",
        );
    }
    let mut seen = HashMap::new();
    for (i, s) in raw.iter().enumerate() {
        c.name(&format!("stages[{i}].name"), &s.name, &mut seen, "stage");
    }
    let regular = raw.iter().filter(|s| !s.referral_only).count();
    if !raw.is_empty() && regular == 0 {
        c.error(
            "stages",
            "every stage is referral_only, so no vehicle visits any",
            "make at least one stage a regular stage",
        );
    }
    if regular > MAX_REGULAR_STAGES {
        c.error(
            "stages",
            format!("{regular} regular stages; at most {MAX_REGULAR_STAGES} are supported"),
            "",
        );
    }
    let referral_targets: Vec<&str> = raw
        .iter()
        .filter(|s| s.referral_only)
        .map(|s| s.name.as_str())
        .collect();

    let mut stages = Vec::with_capacity(raw.len());
    for (i, s) in raw.iter().enumerate() {
        let at = |f: &str| format!("stages[{i}].{f}");
        let lanes = check_lanes(c, &at(""), s, names);
        let staff_per_server = c.count(
            &at("staff_per_server"),
            s.staff_per_server,
            1,
            1000,
            "staff_per_server",
            "officers needed to open one desk or lane, usually 1 or 2",
        );
        let service = check_dist(c, &at("service"), &s.service);
        let carrier_service = match &s.carrier_service {
            None => service.clone().map(|base| CarrierService {
                base,
                per_vehicle: None,
            }),
            Some(cs) => {
                let base = match &cs.base {
                    Some(b) => check_dist(c, &at("carrier_service.base"), b),
                    None => service.clone(),
                };
                let per_vehicle = cs
                    .per_vehicle
                    .as_ref()
                    .map(|p| check_dist(c, &at("carrier_service.per_vehicle"), p));
                match (base, per_vehicle) {
                    (Some(base), None) => Some(CarrierService {
                        base,
                        per_vehicle: None,
                    }),
                    (Some(base), Some(Some(p))) => Some(CarrierService {
                        base,
                        per_vehicle: Some(p),
                    }),
                    _ => None,
                }
            }
        };
        let refer = s.refer.as_ref().and_then(|r| {
            let field = at("refer");
            if s.referral_only {
                c.error(
                    format!("{field}.to"),
                    format!(
                        "stage \"{}\" is referral_only and cannot refer vehicles further",
                        s.name
                    ),
                    "remove `refer` here, or make the stage a regular one",
                );
            }
            let probability = c.probability(
                &format!("{field}.probability"),
                r.probability,
                "probability",
            );
            match raw.iter().position(|t| t.name == r.to) {
                None => {
                    let hint = if referral_targets.is_empty() {
                        "no stage is referral_only; add one with `referral_only = true`".to_string()
                    } else {
                        format!("referral-only stages: {}", referral_targets.join(", "))
                    };
                    c.error(
                        format!("{field}.to"),
                        format!("no stage named \"{}\"", r.to),
                        hint,
                    );
                    None
                }
                Some(t) if !raw[t].referral_only => {
                    c.error(
                        format!("{field}.to"),
                        format!(
                            "stage \"{}\" is a regular stage; referrals go to referral-only stages",
                            r.to
                        ),
                        format!("add `referral_only = true` to stage \"{}\"", r.to),
                    );
                    None
                }
                Some(t) => Some(Referral { to: t, probability }),
            }
        });
        if let (Some(service), Some(carrier_service)) = (service, carrier_service) {
            stages.push(Stage {
                name: s.name.clone(),
                servers: lanes.iter().map(|l| l.servers).sum(),
                staff_per_server,
                service,
                carrier_service,
                refer,
                referral_only: s.referral_only,
                at_shift_end: ShiftEndPolicy::Finish,
                lanes,
            });
        }
    }
    stages
}

/// A stage's lane groups: `servers` alone makes one group serving everyone.
fn check_lanes(c: &mut Checker, at: &str, s: &RawStage, names: &Names) -> Vec<LaneGroup> {
    let servers_hint = "the number of desks or lanes installed; a roster with 0 staff closes them";
    match (&s.lanes, s.servers) {
        (None, None) => {
            c.error(
                format!("{at}servers"),
                format!("stage \"{}\" has neither `servers` nor `lanes`", s.name),
                "add `servers = 4`, or `lanes = [{ name = \"...\", servers = 4, serves = [...] }]`",
            );
            vec![]
        }
        (Some(_), Some(_)) => {
            c.error(
                format!("{at}servers"),
                "give `servers` or `lanes`, not both",
                "with lane groups, the stage's servers are the sum of the groups' servers",
            );
            vec![]
        }
        (None, Some(n)) => {
            let servers = c.count(
                &format!("{at}servers"),
                n,
                1,
                MAX_SERVERS,
                "servers",
                servers_hint,
            );
            vec![LaneGroup {
                name: s.name.clone(),
                servers,
                serves: Filter::all(),
            }]
        }
        (Some(groups), None) => {
            if groups.is_empty() {
                c.error(
                    format!("{at}lanes"),
                    "`lanes` is empty",
                    "list at least one lane group",
                );
            }
            let mut seen = HashMap::new();
            groups
                .iter()
                .enumerate()
                .map(|(g, raw)| {
                    check_lane_group(c, &format!("{at}lanes[{g}]"), raw, names, &mut seen)
                })
                .collect()
        }
    }
}

fn check_lane_group(
    c: &mut Checker,
    at: &str,
    raw: &RawLanes,
    names: &Names,
    seen: &mut HashMap<String, String>,
) -> LaneGroup {
    c.name(&format!("{at}.name"), &raw.name, seen, "lane group");
    let servers = c.count(
        &format!("{at}.servers"),
        raw.servers,
        1,
        MAX_SERVERS,
        "servers",
        "the number of lanes in this group",
    );
    let mut serves = Filter {
        all: raw.serves.is_empty(),
        modes: [false; 2],
        classes: vec![false; names.classes.len()],
        declarations: vec![false; names.declarations.len()],
        green: false,
    };
    for (k, tag) in raw.serves.iter().enumerate() {
        match tag.as_str() {
            "all" => serves.all = true,
            "self_driving" => serves.modes[0] = true,
            "cage_truck" => serves.modes[1] = true,
            "green" => serves.green = true,
            other => {
                if let Some(i) = names.classes.iter().position(|n| n == other) {
                    serves.classes[i] = true;
                } else if let Some(i) = names.declarations.iter().position(|n| n == other) {
                    serves.declarations[i] = true;
                } else {
                    let mut valid = vec!["all", "self_driving", "cage_truck", "green"];
                    for name in names.classes.iter().chain(&names.declarations) {
                        if !valid.contains(&name.as_str()) {
                            valid.push(name);
                        }
                    }
                    c.error(
                        format!("{at}.serves[{k}]"),
                        format!("\"{other}\" is not a mode, class, declaration mode or \"green\""),
                        format!("lanes can serve: {}", valid.join(", ")),
                    );
                }
            }
        }
    }
    LaneGroup {
        name: raw.name.clone(),
        servers,
        serves,
    }
}

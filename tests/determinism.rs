//! Same inputs, same numbers; and common random numbers across configurations.

mod support;

use support::*;

const BASE: &str = "scenarios/horgos-baseline.toml";

fn baseline() -> String {
    std::fs::read_to_string(BASE).unwrap()
}

#[test]
fn same_seed_same_result_other_seed_differs() {
    let s = scenario(&baseline());
    let a = run(&s, 42, 0, 14, 2);
    let b = run(&s, 42, 0, 14, 2);
    assert_eq!(a, b);
    let c = run(&s, 42, 1, 14, 2);
    assert_ne!(a.clearance, c.clearance);
}

#[test]
fn adding_lanes_or_staff_does_not_change_arrivals() {
    let base = scenario(&baseline());
    // Three more declaration desks, staffed in every shift.
    let mut more_lanes = base.clone();
    let desks = &mut more_lanes.port.stages[0];
    desks.servers += 3;
    desks.lanes[0].servers += 3;
    for shift in &mut more_lanes.port.roster.as_mut().unwrap().shifts {
        shift.staff[0].total += 3;
    }
    assert_ne!(
        base.port.stages[0].servers, more_lanes.port.stages[0].servers,
        "the variant must differ"
    );
    let a = run(&base, 9, 0, 14, 2);
    let b = run(&more_lanes, 9, 0, 14, 2);
    let arrivals =
        |r: &portsim::model::RunResult| r.daily.iter().map(|d| d.arrived).collect::<Vec<_>>();
    assert_eq!(
        arrivals(&a),
        arrivals(&b),
        "arrivals changed with the number of desks"
    );
    assert!(
        b.stages[0].wait.mean < a.stages[0].wait.mean,
        "more desks should cut the declaration wait"
    );
}

#[test]
fn adding_a_stage_does_not_change_arrivals_or_other_stages_draws() {
    let base = baseline();
    // Insert a smart-gate stage before declaration.
    let extra = base.replacen(
        "[[stages]]\nname = \"declaration\"",
        "[[stages]]\nname = \"gate\"\nservers = 4\nservice = { dist = \"uniform\", min = \"20s\", max = \"40s\" }\n\n[[stages]]\nname = \"declaration\"",
        1,
    );
    let (a, b) = (scenario(&base), scenario(&extra));
    assert_eq!(b.port.stages.len(), a.port.stages.len() + 1);
    let ra = run(&a, 9, 0, 14, 2);
    let rb = run(&b, 9, 0, 14, 2);
    let arrivals =
        |r: &portsim::model::RunResult| r.daily.iter().map(|d| d.arrived).collect::<Vec<_>>();
    assert_eq!(arrivals(&ra), arrivals(&rb));
}

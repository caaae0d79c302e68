//! Grader hooks: a student's value carried forward replaces a line's value downstream while the
//! line still records what it computes; stale weights restart every update from the initial ones.

use std::collections::BTreeMap;

use gradtrace::solve::*;

use crate::common::course::course_momentum;

fn line<'a>(step: &'a Step, symbol: &str) -> &'a Line {
    step.lines.iter().find(|l| l.symbol == symbol).unwrap()
}

#[test]
fn an_overridden_value_is_carried_forward_and_its_line_keeps_the_computed_value() {
    let p = course_momentum();
    let plain = solve(&p);
    let wrong_dw = 0.03;
    let hooks = Hooks {
        overrides: BTreeMap::from([(1, BTreeMap::from([("(dw_1)_1".to_string(), wrong_dw)]))]),
        ..Hooks::default()
    };
    let carried = solve_with(&p, hooks);
    let (a, b) = (&plain.steps[0], &carried.steps[0]);
    // The dw line still shows the right value; the trace carries the student's.
    assert_eq!(line(b, "(dw_1)_1").value, line(a, "(dw_1)_1").value);
    assert_eq!(b.dw[0], wrong_dw);
    // v is computed from the student's dw: 0.8 × 0 + (1 − 0.8) × 0.03.
    assert!((line(b, "(v_1)_1").value - 0.2 * wrong_dw).abs() < 1e-12);
    // The other weight is untouched.
    assert_eq!(b.weights_after[1], a.weights_after[1]);
    assert_ne!(b.weights_after[0], a.weights_after[0]);
}

#[test]
fn stale_weights_start_every_update_from_the_initial_weights() {
    let p = course_momentum();
    let solution = solve_with(
        &p,
        Hooks {
            stale_weights: true,
            ..Hooks::default()
        },
    );
    for step in &solution.steps {
        assert_eq!(step.weights_before, vec![0.5, 0.5]);
    }
    // The second sample's net input uses 0.5, 0.5: 0.5 × 0.5 + 0.5 × 0.5.
    assert_eq!(solution.steps[1].forward[0].net, 0.5);
}

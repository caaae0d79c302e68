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

/// Mazur's 2-2-2 example as the service reads it (tests/fixtures/network-examples.json), and
/// that file's independent values.
fn mazur() -> (Problem, serde_json::Value) {
    let examples: serde_json::Value =
        serde_json::from_str(include_str!("../fixtures/network-examples.json")).unwrap_or_default();
    let example = examples["mazur_2015"].clone();
    let problem = gradtrace::wire::validate::problem(&example["problem"])
        .map(|valid| valid.problem)
        .unwrap_or_else(|errors| panic!("{errors:?}"));
    (problem, example)
}

fn value_at(step: &Step, pointer: &str) -> f64 {
    step.lines
        .iter()
        .rev()
        .find(|l| l.pointer.is_some_and(|p| p == pointer))
        .map_or(f64::NAN, |l| l.value)
}

#[test]
fn hidden_deltas_through_the_updated_outer_weights_give_mazurs_printed_total_error() {
    let (problem, example) = mazur();
    let plain = solve(&problem);
    let slipped = solve_with(
        &problem,
        Hooks {
            updated_outer_weights: true,
            ..Hooks::default()
        },
    );
    // The post prints 0.291027924; tests/reference/network.py computes it this way too.
    let reference = example["after_10000_rounds"]
        ["with_hidden_deltas_through_updated_output_weights"]["E_total after round 1"]
        .as_f64()
        .unwrap_or(f64::NAN);
    let final_loss = slipped.loss.final_.unwrap_or(f64::NAN);
    assert!(
        (final_loss - reference).abs() < 1e-15,
        "{final_loss} vs {reference}"
    );
    assert_eq!(format!("{final_loss:.9}"), "0.291027924");
    let (a, b) = (&plain.steps[0], &slipped.steps[0]);
    // The forward pass, the output δ's and the outer weights' update are unchanged; the hidden
    // δ's are through the new w5…w8, and the lines are the same lines, once each.
    assert_eq!(a.lines.len(), b.lines.len());
    for at in [
        "/layers/0/forward/0/output/1",
        "/layers/1/delta/0/0",
        "/layers/1/weights_after/1/1",
    ] {
        assert_eq!(value_at(a, at), value_at(b, at), "{at}");
    }
    // δ_h1 = (w5⁺ δ_o1 + w7⁺ δ_o2) out_h1 (1 − out_h1), by the Python of tests/grade/mistakes.rs.
    let delta = value_at(b, "/layers/0/delta/0/0");
    assert!(
        (delta - 0.007_294_457_551_881_872_5).abs() < 1e-15,
        "{delta}"
    );
    let line = b
        .lines
        .iter()
        .find(|l| l.pointer.is_some_and(|p| p == "/layers/0/delta/0/0"))
        .map(|l| l.substitution(gradtrace::solve::number::Precision::Full))
        .unwrap_or_default();
    assert!(
        line.contains("0.3589"),
        "the new w5 in the substitution: {line}"
    );
}

#[test]
fn a_networks_delta_slips_leave_out_the_derivative_or_flip_the_sign() {
    let (problem, _) = mazur();
    let plain = &solve(&problem).steps[0];
    let with = |deltas: DeltaSlips| {
        solve_with(
            &problem,
            Hooks {
                deltas,
                ..Hooks::default()
            },
        )
        .steps
        .remove(0)
    };
    let flipped = with(DeltaSlips {
        sign_flipped: true,
        ..DeltaSlips::default()
    });
    for at in [
        "/layers/1/delta/0/0",
        "/layers/0/delta/0/1",
        "/layers/1/dw/1/0",
    ] {
        assert_eq!(value_at(&flipped, at), -value_at(plain, at), "{at}");
    }
    let output = with(DeltaSlips {
        without_derivative: Some(DeltaLayers::Output),
        ..DeltaSlips::default()
    });
    // δ_o1 = out_o1 − target_o1 = 0.7513650695523157 − 0.01.
    let delta = value_at(&output, "/layers/1/delta/0/0");
    assert!((delta - 0.741_365_069_552_315_7).abs() < 1e-15, "{delta}");
    let hidden = with(DeltaSlips {
        without_derivative: Some(DeltaLayers::Hidden),
        ..DeltaSlips::default()
    });
    assert_eq!(
        value_at(&hidden, "/layers/1/delta/0/0"),
        value_at(plain, "/layers/1/delta/0/0")
    );
    let delta = value_at(&hidden, "/layers/0/delta/0/0");
    assert!((delta - 0.036_350_306_393_144_68).abs() < 1e-15, "{delta}");
}

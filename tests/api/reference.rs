//! Every algorithm against values computed independently of the Rust code.
//!
//! The expected numbers come from `tests/reference/reference.py`, a pure-Python implementation
//! written from docs/contract.md alone; its output is `tests/fixtures/reference.json`, regenerated with
//! `python3 tests/reference/reference.py --output tests/fixtures/reference.json`. Each case's
//! problem is posted to `/v1/solve` and every step's numbers are compared.

use serde_json::Value;

use crate::helpers::post_json;

const FIXTURE: &str = include_str!("../fixtures/reference.json");

/// Relative tolerance for the element-wise optimizers: the two implementations may differ in
/// the last bit (operation order, libm's `exp`/`tanh`).
const RELATIVE: f64 = 1e-12;
/// Conjugate gradient's exact line search only promises η to ~1e-9 relative (docs/contract.md §3.2).
const CG_RELATIVE: f64 = 1e-7;

fn close(got: f64, want: f64, relative: f64) -> bool {
    (got - want).abs() <= relative * want.abs().max(1e-3) || got == want
}

fn assert_numbers(got: &Value, want: &Value, relative: f64, at: &str) {
    match (got, want) {
        (Value::Null, Value::Null) => {}
        (Value::Number(g), Value::Number(w)) => {
            let (g, w) = (g.as_f64().unwrap(), w.as_f64().unwrap());
            assert!(close(g, w, relative), "{at}: got {g}, expected {w}");
        }
        (Value::Array(g), Value::Array(w)) => {
            assert_eq!(g.len(), w.len(), "{at}: length");
            for (i, (g, w)) in g.iter().zip(w).enumerate() {
                assert_numbers(g, w, relative, &format!("{at}/{i}"));
            }
        }
        (Value::Object(g), Value::Object(w)) => {
            let mut got_keys: Vec<_> = g.keys().collect();
            let mut want_keys: Vec<_> = w.keys().collect();
            got_keys.sort();
            want_keys.sort();
            assert_eq!(got_keys, want_keys, "{at}: keys");
            for (k, w) in w {
                assert_numbers(&g[k], w, relative, &format!("{at}/{k}"));
            }
        }
        _ => panic!("{at}: got {got}, expected {want}"),
    }
}

fn cases() -> Vec<Value> {
    serde_json::from_str::<Vec<Value>>(FIXTURE).expect("the fixture is JSON")
}

#[tokio::test]
async fn every_reference_case_matches_the_independent_implementation() {
    let cases = cases();
    assert!(cases.len() >= 40, "the fixture lost cases");
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let (status, solution) = post_json("/v1/solve", &case["problem"]).await;
        assert_eq!(status, 200, "{name}: {solution}");
        let expected = &case["expected"];
        let steps = solution["steps"].as_array().unwrap();
        let expected_steps = expected["steps"].as_array().unwrap();
        assert_eq!(steps.len(), expected_steps.len(), "{name}: number of steps");
        let cg = case["problem"]["algorithm"] == "conjugate_gradient";
        for (i, (step, want)) in steps.iter().zip(expected_steps).enumerate() {
            for (field, value) in want.as_object().unwrap() {
                let at = format!("{name} /steps/{i}/{field}");
                let got = match (cg, field.as_str()) {
                    (true, "beta" | "direction") => &step["conjugate"][field],
                    _ => &step[field],
                };
                let relative = if cg { CG_RELATIVE } else { RELATIVE };
                assert_numbers(got, value, relative, &at);
            }
        }
        let relative = if cg { CG_RELATIVE } else { RELATIVE };
        assert_numbers(
            &solution["final_weights"],
            &expected["final_weights"],
            relative,
            &format!("{name} final_weights"),
        );
        assert_numbers(
            &solution["final_bias"],
            &expected["final_bias"],
            relative,
            &format!("{name} final_bias"),
        );
        if let Some(least_squares) = expected.get("least_squares_weights") {
            assert_numbers(
                &solution["final_weights"],
                least_squares,
                CG_RELATIVE,
                &format!("{name} least squares"),
            );
        }
    }
}

/// The pairs the spec states identities for, checked bit for bit.
fn final_weights_of(name: &str, cases: &[Value]) -> Value {
    cases.iter().find(|c| c["name"] == name).unwrap()["problem"].clone()
}

#[tokio::test]
async fn momentum_sum_form_with_alpha_times_one_minus_beta_gives_the_average_forms_weights() {
    let cases = cases();
    let (_, average) = post_json(
        "/v1/solve",
        &final_weights_of("momentum_average_form", &cases),
    )
    .await;
    let (_, sum) = post_json(
        "/v1/solve",
        &final_weights_of("momentum_sum_form_scaled_rate", &cases),
    )
    .await;
    assert_eq!(average["final_weights"], sum["final_weights"]);
    assert_eq!(sum["problem"]["hyperparameters"]["form"], "sum");
}

#[tokio::test]
async fn sign_conventions_give_identical_weights_and_gradients_with_opposite_dw() {
    let cases = cases();
    for (gradient_case, delta_case) in [
        ("momentum_sign_gradient", "momentum_sign_delta"),
        ("adam_sign_gradient", "adam_sign_delta"),
    ] {
        let (_, a) = post_json("/v1/solve", &final_weights_of(gradient_case, &cases)).await;
        let (_, b) = post_json("/v1/solve", &final_weights_of(delta_case, &cases)).await;
        for (x, y) in a["steps"]
            .as_array()
            .unwrap()
            .iter()
            .zip(b["steps"].as_array().unwrap())
        {
            assert_eq!(x["weights_after"], y["weights_after"]);
            assert_eq!(x["gradient"], y["gradient"]);
            for (p, q) in x["dw"]
                .as_array()
                .unwrap()
                .iter()
                .zip(y["dw"].as_array().unwrap())
            {
                assert_eq!(p.as_f64().unwrap(), -q.as_f64().unwrap());
            }
        }
    }
}

#[tokio::test]
async fn epsilon_inside_and_outside_the_root_give_different_weights() {
    let cases = cases();
    for (inside, outside) in [
        ("rmsprop_epsilon_inside", "rmsprop_epsilon_outside"),
        ("adam_epsilon_inside", "adam_epsilon_outside"),
    ] {
        let (_, a) = post_json("/v1/solve", &final_weights_of(inside, &cases)).await;
        let (_, b) = post_json("/v1/solve", &final_weights_of(outside, &cases)).await;
        assert_ne!(
            a["final_weights"], b["final_weights"],
            "{inside} vs {outside}"
        );
    }
}

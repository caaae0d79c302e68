//! No input, however hostile, gets a 500 or crashes the process (docs/contract.md §9): random JSON, and
//! random damage to a valid problem, always come back as 200, 400 or 422, errors always as
//! problem+json with pointers that exist in the request (or name where a missing key belongs).

use proptest::prelude::*;
use serde_json::{json, Map, Value};

use crate::helpers::{momentum, post};

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON numbers are finite", |x| x.is_finite())
            .prop_map(Value::from),
        prop_oneof![
            Just(0.0),
            Just(-0.0),
            Just(1.0),
            Just(1e-300),
            Just(1e300),
            Just(-1.0),
            Just(0.5)
        ]
        .prop_map(Value::from),
        "[a-z_]{0,12}".prop_map(Value::from),
        prop_oneof![
            Just("momentum"),
            Just("adam"),
            Just("conjugate_gradient"),
            Just("logistic"),
            Just("cross_entropy"),
            Just("exact"),
            Just("fixed"),
            Just("time_based"),
            Just("sum"),
        ]
        .prop_map(Value::from),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        "[a-z_]{1,10}",
                        Just("samples".to_string()),
                        Just("weights".to_string()),
                        Just("x".to_string()),
                        Just("t".to_string()),
                        Just("learning_rate".to_string()),
                        Just("type".to_string()),
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// Every path to a value in `value`, as JSON pointers.
fn paths(value: &Value, at: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                paths(v, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                paths(v, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(at);
}

/// A richer valid problem to damage: every optional section present.
fn full_problem() -> Value {
    let mut body = momentum();
    body["bias"] = json!(0.1);
    body["epochs"] = json!(2);
    body["batch_size"] = json!(2);
    body["schedule"] = json!({"type": "step", "drop_rate": 0.5, "epochs_drop": 1});
    body["rounding"] = json!({"significant_figures": 4});
    body
}

fn check(runtime: &tokio::runtime::Runtime, body: &Value) -> Result<(), TestCaseError> {
    let reply = runtime.block_on(post("/v1/solve", body));
    let status = reply.status.as_u16();
    prop_assert!(
        matches!(status, 200 | 422),
        "status {status} for {body}: {}",
        String::from_utf8_lossy(&reply.body)
    );
    let response: Value = serde_json::from_slice(&reply.body)
        .map_err(|e| TestCaseError::fail(format!("not JSON: {e}")))?;
    if status == 422 {
        prop_assert_eq!(reply.content_type(), "application/problem+json");
        let errors = response["errors"].as_array().cloned().unwrap_or_default();
        prop_assert!(!errors.is_empty());
        for error in errors {
            let pointer = error["pointer"].as_str().unwrap_or("?");
            // A pointer names a value of the request, or where a missing key belongs (its
            // parent exists).
            let parent = pointer.rsplit_once('/').map_or("", |(p, _)| p);
            prop_assert!(
                body.pointer(pointer).is_some() || body.pointer(parent).is_some(),
                "{} names nothing in {}",
                pointer,
                body
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_json_is_answered_with_200_or_a_422_problem(body in json_value()) {
        let runtime = tokio::runtime::Runtime::new().map_err(|e| TestCaseError::fail(e.to_string()))?;
        check(&runtime, &body)?;
    }

    #[test]
    fn a_damaged_problem_is_answered_with_200_or_a_422_problem(
        which in any::<prop::sample::Index>(),
        replacement in json_value(),
    ) {
        let runtime = tokio::runtime::Runtime::new().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut body = full_problem();
        let mut all = Vec::new();
        paths(&body, String::new(), &mut all);
        let target = which.get(&all).clone();
        if let Some(slot) = body.pointer_mut(&target) {
            *slot = replacement;
        }
        check(&runtime, &body)?;
    }
}

//! Every algorithm runs on random networks (1–4 layers, widths 1–4, every activation and both
//! losses, biases or none, updated or fixed, batches of 1–3, both sign conventions, bias
//! correction on and off): the request validates, the solution's JSON has nothing non-finite
//! (no `null` among its numbers), both writers of it agree byte for byte, and every worked line
//! with a pointer carries exactly the number the step holds there.

use gradtrace::solve::{self, Status};
use gradtrace::wire::catalog::ALGORITHMS;
use gradtrace::wire::validate;
use proptest::prelude::*;
use serde_json::{json, Value};

/// A network problem as the wire takes it, drawn from `seed` by the test's own generator.
fn body(widths: &[usize], activations: &[&str], biased: &[bool], seed: u64) -> Value {
    let mut state = seed | 1;
    let mut next = move |low: f64, high: f64| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        // Three decimals, as an exercise writes them.
        let u = (state >> 11) as f64 / (1u64 << 53) as f64;
        ((low + (high - low) * u) * 1000.0).round() / 1000.0
    };
    let count = widths.len() - 1;
    let cross_entropy = seed.is_multiple_of(3);
    let layers: Vec<Value> = (0..count)
        .map(|l| {
            let activation = if l + 1 == count && cross_entropy {
                "logistic"
            } else {
                activations[l % activations.len()]
            };
            let weights: Vec<Vec<f64>> = (0..widths[l + 1])
                .map(|_| (0..widths[l]).map(|_| next(-1.0, 1.0)).collect())
                .collect();
            let mut layer = json!({"activation": activation, "weights": weights});
            if biased[l % biased.len()] {
                let biases: Vec<f64> = (0..widths[l + 1]).map(|_| next(-0.5, 0.5)).collect();
                layer["biases"] = json!(biases);
            }
            layer
        })
        .collect();
    let outputs = widths[count];
    let samples: Vec<Value> = (0..1 + seed as usize % 3)
        .map(|_| {
            let x: Vec<f64> = (0..widths[0]).map(|_| next(-1.0, 1.0)).collect();
            let t: Vec<f64> = (0..outputs).map(|_| next(0.05, 0.95)).collect();
            json!({"x": x, "t": t})
        })
        .collect();
    json!({
        "samples": samples,
        "network": {"layers": layers, "update_biases": !seed.is_multiple_of(5)},
        "loss": if cross_entropy { "cross_entropy" } else { "squared_error" },
        "batch_size": 1 + (seed / 3) as usize % 3,
        "epochs": 2,
        "conventions": {"sign": if seed.is_multiple_of(2) { "gradient" } else { "delta" }},
        "bias_correction": seed % 7 < 3,
    })
}

/// Every number of `value`, found by walking it: a `null` where a number belongs means the
/// writer met a non-finite one.
fn assert_no_null_numbers(value: &Value, at: &str) {
    match value {
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                assert!(!item.is_null(), "null at {at}/{i}");
                assert_no_null_numbers(item, &format!("{at}/{i}"));
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                assert_no_null_numbers(item, &format!("{at}/{key}"));
            }
        }
        _ => {}
    }
}

fn check(body: &Value, algorithm: &str) {
    let mut body = body.clone();
    body["algorithm"] = json!(algorithm);
    // Conjugate gradient searches its own step on the full batch; the others take a learning
    // rate.
    if algorithm == "conjugate_gradient" {
        body["batch_size"] = Value::Null;
    } else {
        body["hyperparameters"] = json!({"learning_rate": 0.1});
    }
    let valid = match validate::problem(&body) {
        Ok(valid) => valid,
        Err(errors) => panic!("{algorithm}: {errors:?}\n{body}"),
    };
    let solution = solve::solve(&valid.problem);
    // A run may diverge (uncorrected NAdam steps about 19α at its first update, and three
    // linear layers of such weights saturate a logistic output, whose cross-entropy is then
    // infinite): it then stops before that update and says so, and the JSON stays finite.
    if solution.status == Status::Diverged {
        assert!(
            solution.warnings.iter().any(|w| w.code == "diverged"),
            "{algorithm}: diverged without its warning"
        );
    }
    let mut written = Vec::new();
    solution.write_json(&mut written, None);
    // The edge's encoder writes -0.0 as 0.0, as the direct writer does.
    let serialized = gradtrace::wire::json::to_vec(&solution).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&written),
        String::from_utf8_lossy(&serialized),
        "{algorithm}: the two writers differ"
    );
    let json: Value = serde_json::from_slice(&written).unwrap();
    for step in json["steps"].as_array().unwrap() {
        assert_no_null_numbers(&step["layers"], "/layers");
        assert_no_null_numbers(&step["losses"], "/losses");
        let mut pointed = 0;
        for line in step["lines"].as_array().unwrap() {
            let value = line["value"].as_f64();
            assert!(value.is_some_and(f64::is_finite), "{algorithm}: {line}");
            if let Some(pointer) = line["pointer"].as_str() {
                assert_eq!(
                    step.pointer(pointer).and_then(Value::as_f64),
                    value,
                    "{algorithm}: {} at {pointer}",
                    line["symbol"]
                );
                pointed += 1;
            }
        }
        assert!(pointed > 0, "{algorithm}: a step without pointed lines");
    }
    assert_no_null_numbers(&json["final_network"], "/final_network");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn every_algorithm_runs_on_random_networks_with_finite_lines_matching_their_pointers(
        widths in prop::collection::vec(1usize..=4, 2..=5),
        activations in prop::collection::vec(
            prop::sample::select(vec!["logistic", "tanh", "linear", "relu"]), 4),
        biased in prop::collection::vec(any::<bool>(), 4),
        seed in any::<u64>(),
    ) {
        let body = body(&widths, &activations, &biased, seed);
        for spec in ALGORITHMS {
            check(&body, spec.name);
        }
    }
}

/// The neuron's request as a network of one layer with one unit.
fn as_network(neuron: &Value) -> Value {
    let mut network = neuron.clone();
    let mut layer = json!({"weights": [neuron["weights"].clone()]});
    if !neuron["bias"].is_null() {
        layer["biases"] = json!([neuron["bias"].clone()]);
    }
    if !neuron["activation"].is_null() {
        layer["activation"] = neuron["activation"].clone();
    }
    let map = network.as_object_mut().unwrap();
    for key in ["weights", "bias", "activation"] {
        map.remove(key);
    }
    network["network"] = json!({"layers": [layer]});
    network
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// The single neuron is the one-layer, one-unit network (docs/contract.md §11): the same
    /// request written both ways trains to the same weights under every algorithm.
    #[test]
    fn a_neuron_and_its_one_unit_network_train_alike(
        inputs in 1usize..=3,
        activation in prop::sample::select(vec!["logistic", "tanh", "linear"]),
        biased in any::<bool>(),
        seed in any::<u64>(),
    ) {
        let mut state = seed | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ((state >> 11) as f64 / (1u64 << 53) as f64 * 2000.0).round() / 1000.0 - 1.0
        };
        let weights: Vec<f64> = (0..inputs).map(|_| next()).collect();
        let samples: Vec<Value> = (0..3)
            .map(|_| {
                let x: Vec<f64> = (0..inputs).map(|_| next()).collect();
                json!({"x": x, "t": next().abs()})
            })
            .collect();
        let mut neuron = json!({
            "samples": samples, "weights": weights, "activation": activation, "epochs": 2
        });
        if biased {
            neuron["bias"] = json!(next());
        }
        for spec in ALGORITHMS {
            let mut neuron = neuron.clone();
            neuron["algorithm"] = json!(spec.name);
            if spec.name != "conjugate_gradient" {
                neuron["hyperparameters"] = json!({"learning_rate": 0.1});
            }
            let network = as_network(&neuron);
            let solve = |body: &Value| {
                let valid = validate::problem(body).unwrap_or_else(|e| panic!("{e:?}"));
                solve::solve(&valid.problem)
            };
            let (a, b) = (solve(&neuron), solve(&network));
            let mut expected = a.final_weights.clone();
            expected.extend(a.final_bias);
            prop_assert_eq!(a.steps.len(), b.steps.len(), "{}", spec.name);
            prop_assert_eq!(expected.len(), b.final_weights.len());
            for (x, y) in expected.iter().zip(&b.final_weights) {
                prop_assert!((x - y).abs() <= 1e-12 * x.abs().max(1.0), "{}: {} vs {}", spec.name, x, y);
            }
        }
    }
}

//! The course's network concepts as `/v1/examples` serves them (src/course/network_examples.rs,
//! docs/contract.md §10): each example fetched by its id, its problem posted to `/v1/solve`, and
//! the figures its description promises asserted on the trace — the classic 2-2-2 example's
//! first update, a saddle point where gradient descent stalls, gradient norms that vanish or
//! explode by a factor per layer, and two hidden units that stay identical.
//!
//! The exact figures were computed apart from the service, by the formulas below and by the
//! independent reference `tests/reference/network.py` (whose `solve` gives the same numbers):
//!
//! ```python
//! import math
//! s = lambda z: 1 / (1 + math.exp(-z))
//! # The chains: every unit at net 0 (w·0.5 − w/2), output 0.5, f' = 1/4; δ⁽⁶⁾ = (0.5 − t)/4, and
//! # each layer down δ is scaled by w/4; a layer's norm is |δ| √(a² + 1) with a = 0.5.
//! norms = lambda w, t: [abs(0.5 - t) / 4 * (w / 4) ** k * math.sqrt(1.25) for k in range(6)]
//! norms(0.5, 1)   # layer 6 down: 0.1398, 0.01747, …, 4.265e-6
//! norms(32, 0.9)  # layer 6 down: 0.1118, 0.8944, …, 3664
//! # The saddle: E(w, v) = ½ mean (t − tanh(v tanh(w x)))² on (1, 0.8), (−1, −0.8)
//! E = lambda w, v: 0.5 * sum((t - math.tanh(v * math.tanh(w * x))) ** 2
//!                            for x, t in [(1, 0.8), (-1, -0.8)]) / 2
//! E(0, 0), E(0.1, 0.1), E(0.1, -0.1)  # 0.32, 0.31207648969560736, 0.32802284081771677
//! ```

use serde_json::Value;

use crate::helpers::{get_json, post_json};

/// The example `id` as served, and the solution of its problem.
async fn served(id: &str) -> (Value, Value) {
    let (status, example) = get_json(&format!("/v1/examples/{id}")).await;
    assert_eq!(status, 200, "{id}: {example}");
    assert_eq!(example["endpoint"], "/v1/solve", "{id}");
    let solution = solve(&example["problem"]).await;
    (example, solution)
}

async fn solve(problem: &Value) -> Value {
    let (status, solution) = post_json("/v1/solve", problem).await;
    assert_eq!(status, 200, "{solution}");
    assert_eq!(solution["status"], "completed", "{}", solution["warnings"]);
    assert_every_number_finite(&solution, "");
    solution
}

/// No number anywhere in `value` is NaN or infinite.
fn assert_every_number_finite(value: &Value, at: &str) {
    match value {
        Value::Number(n) => assert!(n.as_f64().is_some_and(f64::is_finite), "{at}: {n}"),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                assert_every_number_finite(item, &format!("{at}/{i}"));
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                assert_every_number_finite(item, &format!("{at}/{key}"));
            }
        }
        _ => {}
    }
}

fn steps_of(solution: &Value) -> Vec<Value> {
    solution["steps"].as_array().cloned().unwrap_or_default()
}

/// Each layer's `gradient_norm` in one step, layer 1 first.
fn norms(step: &Value) -> Vec<f64> {
    step["layers"]
        .as_array()
        .map(|layers| {
            layers
                .iter()
                .map(|l| l["gradient_norm"].as_f64().unwrap_or(f64::NAN))
                .collect()
        })
        .unwrap_or_default()
}

fn number(value: &Value, pointer: &str) -> f64 {
    value
        .pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("no number at {pointer}"))
}

fn close(got: f64, want: f64, relative: f64) -> bool {
    (got - want).abs() <= relative * want.abs()
}

fn count_warnings(solution: &Value, code: &str) -> usize {
    solution["warnings"]
        .as_array()
        .map_or(0, |w| w.iter().filter(|w| w["code"] == code).count())
}

#[tokio::test]
async fn network_examples_the_classic_2_2_2_example_is_served_in_numbered_notation() {
    let (example, solution) = served("backpropagation_2_2_2").await;
    let description = example["description"].as_str().unwrap_or_default();
    assert!(
        description.contains("Matt Mazur, A Step by Step Backpropagation Example (2015)"),
        "{description}"
    );
    let network = &example["problem"]["network"];
    assert_eq!(network["notation"], "numbered");
    assert_eq!(network["update_biases"], false);
    assert_eq!(example["problem"]["hyperparameters"]["learning_rate"], 0.5);
    // The post's w5+ = 0.35891648 (0.40 − 0.5 × 0.082167041); every other printed value is
    // checked by tests/api/course.rs through `printed_values`.
    let w5 = number(&solution, "/steps/0/layers/1/weights_after/0/0");
    assert_eq!(format!("{w5:.8}"), "0.35891648");
    assert_eq!(solution["steps"][0]["lines"][0]["symbol"], "net_{h1}");
    assert!(example["printed_values"]
        .as_array()
        .is_some_and(|p| p.len() >= 20));
}

#[tokio::test]
async fn network_examples_vanishing_gradients_fall_eightfold_per_layer_going_down() {
    let (_, solution) = served("vanishing_gradients").await;
    let steps = steps_of(&solution);
    assert_eq!(steps.len(), 5);
    for step in &steps {
        let norms = norms(step);
        assert_eq!(norms.len(), 6);
        // Output layer (6) down to layer 1: five consecutive pairs, each falling 4× or more
        // (about 8× in the first update, still over 6× in the fifth).
        for l in (1..6).rev() {
            assert!(
                norms[l] >= 6.0 * norms[l - 1] && norms[l - 1] > 0.0,
                "update {}: layer {} {} against layer {} {}",
                step["index"],
                l + 1,
                norms[l],
                l,
                norms[l - 1]
            );
        }
    }
    // First update: exactly (1/8)^k of the output layer's 0.125 √1.25 (module comment).
    let first = norms(&steps[0]);
    for k in 0..6 {
        let want = 0.125 * 0.125f64.powi(k as i32) * 1.25f64.sqrt();
        assert!(
            close(first[5 - k], want, 1e-12),
            "layer {}: {}",
            6 - k,
            first[5 - k]
        );
    }
    assert!(close(first[5] / first[0], 32768.0, 1e-9));
}

#[tokio::test]
async fn network_examples_exploding_gradients_rise_eightfold_per_layer_going_down() {
    let (_, solution) = served("exploding_gradients").await;
    let steps = steps_of(&solution);
    assert_eq!(steps.len(), 3);
    let first = norms(&steps[0]);
    assert_eq!(first.len(), 6);
    for l in (1..6).rev() {
        assert!(
            first[l - 1] >= 4.0 * first[l],
            "layer {} {} against layer {} {}",
            l,
            first[l - 1],
            l + 1,
            first[l]
        );
    }
    for k in 0..6 {
        let want = 0.1 * 8f64.powi(k as i32) * 1.25f64.sqrt();
        assert!(
            close(first[5 - k], want, 1e-12),
            "layer {}: {}",
            6 - k,
            first[5 - k]
        );
    }
    // The step saturates every unit; afterwards the gradients are (nearly) gone and the loss
    // stays at ½ (0.9 − 1)² = 0.005, as the description says.
    for step in &steps[1..] {
        let norms = norms(step);
        assert!(norms[5] < 2e-8, "{norms:?}");
        assert_eq!(&norms[..3], [0.0, 0.0, 0.0]);
        for layer in step["layers"].as_array().into_iter().flatten() {
            assert!(number(layer, "/forward/0/net/0") >= 16.0);
        }
    }
    for loss in solution["loss"]["per_epoch"]
        .as_array()
        .into_iter()
        .flatten()
    {
        assert!(
            close(loss.as_f64().unwrap_or(f64::NAN), 0.005, 1e-5),
            "{loss}"
        );
    }
}

/// The bits of every number at `pointer` (an array, or an array of arrays) of `layer`.
fn bits(layer: &Value, pointer: &str) -> Vec<Vec<u64>> {
    let rows = layer.pointer(pointer).and_then(Value::as_array);
    rows.into_iter()
        .flatten()
        .map(|row| match row.as_array() {
            Some(items) => items.iter().map(|x| number(x, "").to_bits()).collect(),
            None => vec![number(row, "").to_bits()],
        })
        .collect()
}

/// Whether the two hidden units are bit for bit alike after (and before) every update: their
/// rows of the first layer's weights, their biases, and their columns of the output layer.
fn units_identical(step: &Value) -> bool {
    let hidden = &step["layers"][0];
    let output = &step["layers"][1];
    ["/weights_before", "/weights_after", "/gradient"]
        .iter()
        .all(|p| {
            let rows = bits(hidden, p);
            rows.len() == 2 && rows[0] == rows[1]
        })
        && ["/biases_after", "/bias_gradient"].iter().all(|p| {
            let values = bits(hidden, p);
            values.len() == 2 && values[0] == values[1]
        })
        && ["/weights_before", "/weights_after", "/gradient"]
            .iter()
            .all(|p| {
                bits(output, p)
                    .iter()
                    .all(|row| row.len() == 2 && row[0] == row[1])
            })
}

#[tokio::test]
async fn network_examples_symmetric_units_stay_bit_identical_and_one_changed_weight_breaks_it() {
    let (example, solution) = served("weight_symmetry").await;
    let description = example["description"].as_str().unwrap_or_default();
    assert!(description.contains("non-identifiability"), "{description}");
    assert_eq!(count_warnings(&solution, "symmetric_units"), 1);
    let steps = steps_of(&solution);
    assert_eq!(steps.len(), 12, "4 samples, 3 epochs, online");
    for step in &steps {
        assert!(units_identical(step), "update {}", step["index"]);
    }
    // And they moved: it is the updates that keep them alike, not a frozen network.
    assert_ne!(
        steps[11]["layers"][0]["weights_after"],
        example["problem"]["network"]["layers"][0]["weights"]
    );

    let mut perturbed = example["problem"].clone();
    perturbed["network"]["layers"][0]["weights"][1][0] = 0.31.into();
    let solution = solve(&perturbed).await;
    assert_eq!(count_warnings(&solution, "symmetric_units"), 0);
    let steps = steps_of(&solution);
    assert_eq!(steps.len(), 12);
    for step in &steps {
        let rows = bits(&step["layers"][0], "/weights_after");
        assert_ne!(rows[0], rows[1], "update {}", step["index"]);
    }
}

#[tokio::test]
async fn network_examples_gradient_descent_stalls_at_the_saddle_and_a_nudge_escapes() {
    let (example, solution) = served("saddle_point").await;
    let steps = steps_of(&solution);
    assert_eq!(steps.len(), 20);
    for step in &steps {
        assert_eq!(norms(step), [0.0, 0.0], "update {}", step["index"]);
        for layer in step["layers"].as_array().into_iter().flatten() {
            assert_eq!(layer["weights_after"], layer["weights_before"]);
        }
    }
    let initial = number(&solution, "/loss/initial");
    assert!(close(initial, 0.32, 1e-12), "{initial}");
    for loss in solution["loss"]["per_epoch"]
        .as_array()
        .into_iter()
        .flatten()
    {
        assert_eq!(loss.as_f64(), Some(initial));
    }

    // A saddle, not a minimum: lower along w⁽¹⁾ = w⁽²⁾, higher along w⁽¹⁾ = −w⁽²⁾.
    let at = |w: f64, v: f64| {
        let mut problem = example["problem"].clone();
        problem["network"]["layers"][0]["weights"][0][0] = w.into();
        problem["network"]["layers"][1]["weights"][0][0] = v.into();
        problem
    };
    let down = solve(&at(0.1, 0.1)).await;
    let up = solve(&at(0.1, -0.1)).await;
    assert!(close(
        number(&down, "/loss/initial"),
        0.31207648969560736,
        1e-12
    ));
    assert!(close(
        number(&up, "/loss/initial"),
        0.32802284081771677,
        1e-12
    ));

    // A nudge of the hidden weight escapes: slowly at first (above 0.3 for ten epochs), then
    // down to 0.0165344… (tests/reference/network.py) after the 20th.
    let nudged = solve(&at(0.01, 0.0)).await;
    let per_epoch: Vec<f64> = nudged["loss"]["per_epoch"]
        .as_array()
        .map(|l| l.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    assert_eq!(per_epoch.len(), 20);
    assert!(per_epoch[..10].iter().all(|&l| l > 0.3), "{per_epoch:?}");
    assert!(
        close(per_epoch[19], 0.01653443834321372, 1e-9),
        "{per_epoch:?}"
    );
}

#[tokio::test]
async fn network_examples_are_listed_with_the_neurons() {
    let (_, list) = get_json("/v1/examples").await;
    let ids: Vec<&str> = list["examples"]
        .as_array()
        .map(|e| e.iter().filter_map(|x| x["id"].as_str()).collect())
        .unwrap_or_default();
    for id in [
        "backpropagation_2_2_2",
        "saddle_point",
        "vanishing_gradients",
        "exploding_gradients",
        "weight_symmetry",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert!(ids.contains(&"momentum"));
}

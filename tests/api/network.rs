//! Networks through the HTTP API (docs/contract.md §11): two published worked examples of
//! backpropagation reproduced value by value, every worked line equal to the number its pointer
//! names, and the validation of a `network` naming every bad pointer.
//!
//! The full-precision expectations come from `tests/reference/network.py`, an independent
//! forward and backward pass in plain Python (no code shared with the service), stored in
//! `tests/fixtures/network-examples.json` (`computed`, and per printed value its `computed`):
//! `python3 tests/reference/network.py --output tests/fixtures/network-reference.json
//! --examples tests/fixtures/network-examples.json` writes it again.

use serde_json::{json, Value};

use crate::helpers::{assert_problem, fixture, pointers, post, post_json};

/// The classic 2-2-2 example (Mazur, "A Step by Step Backpropagation Example", 2015), in the
/// numbered notation the post writes.
fn mazur() -> Value {
    json!({
        "samples": [{"x": [0.05, 0.10], "t": [0.01, 0.99]}],
        "network": {
            "layers": [
                {"activation": "logistic", "weights": [[0.15, 0.20], [0.25, 0.30]], "biases": [0.35, 0.35]},
                {"activation": "logistic", "weights": [[0.40, 0.45], [0.50, 0.55]], "biases": [0.60, 0.60]}
            ],
            "update_biases": false,
            "notation": "numbered"
        },
        "algorithm": "gd",
        "hyperparameters": {"learning_rate": 0.5}
    })
}

/// Half a unit in the last digit of a printed decimal: "0.593269992" → 5e-10.
fn half_last_digit(printed: &str) -> f64 {
    let decimals = printed.split_once('.').map_or(0, |(_, d)| d.len()) as i32;
    0.5 * 10f64.powi(-decimals)
}

fn at(solution: &Value, pointer: &str) -> f64 {
    solution
        .pointer(pointer)
        .and_then(Value::as_f64)
        .unwrap_or_else(|| panic!("nothing at {pointer}"))
}

/// The value at `pointer` rounds to `printed` (within half a unit of its last digit, a hair of
/// floating-point slack) and equals the reference's `computed` to 1e-12.
fn assert_reproduced(solution: &Value, pointer: &str, printed: &str, computed: f64, what: &str) {
    let value = at(solution, pointer);
    let expected: f64 = printed.parse().unwrap();
    assert!(
        (value - expected).abs() <= half_last_digit(printed) * (1.0 + 1e-9),
        "{what}: printed {printed}, the trace has {value} at {pointer}"
    );
    assert!(
        (value - computed).abs() <= 1e-12,
        "{what}: the reference computes {computed}, the trace has {value} at {pointer}"
    );
}

/// Every line whose pointer names a number of its step carries that very number.
fn assert_lines_match_their_pointers(solution: &Value) {
    let mut checked = 0;
    for step in solution["steps"].as_array().unwrap() {
        for line in step["lines"].as_array().unwrap() {
            let Some(pointer) = line["pointer"].as_str() else {
                continue;
            };
            let carried = step.pointer(pointer).and_then(Value::as_f64);
            assert_eq!(
                carried,
                line["value"].as_f64(),
                "{} at {pointer}",
                line["symbol"]
            );
            checked += 1;
        }
    }
    assert!(checked > 0, "no line had a pointer");
}

fn reference(example: &str, symbol: &str) -> f64 {
    let examples = fixture("network-examples.json");
    examples[example]["printed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["symbol"] == symbol)
        .and_then(|p| p["computed"].as_f64())
        .unwrap_or_else(|| panic!("{example}: no reference for {symbol}"))
}

#[tokio::test]
async fn the_classic_2_2_2_example_reproduces_every_number_the_post_prints() {
    let (status, solution) = post_json("/v1/solve", &mazur()).await;
    assert_eq!(status, 200, "{solution}");
    // (the post's name, what it prints, where the trace carries it)
    let printed = [
        ("net_h1", "0.3775", "/steps/0/layers/0/forward/0/net/0"),
        (
            "out_h1",
            "0.593269992",
            "/steps/0/layers/0/forward/0/output/0",
        ),
        (
            "out_h2",
            "0.596884378",
            "/steps/0/layers/0/forward/0/output/1",
        ),
        ("net_o1", "1.105905967", "/steps/0/layers/1/forward/0/net/0"),
        (
            "out_o1",
            "0.75136507",
            "/steps/0/layers/1/forward/0/output/0",
        ),
        (
            "out_o2",
            "0.772928465",
            "/steps/0/layers/1/forward/0/output/1",
        ),
        ("E_o1", "0.274811083", "/steps/0/losses/0/outputs/0"),
        ("E_o2", "0.023560026", "/steps/0/losses/0/outputs/1"),
        ("E_total", "0.298371109", "/steps/0/losses/0/loss"),
        (
            "∂E_o1/∂net_o1",
            "0.138498562",
            "/steps/0/layers/1/delta/0/0",
        ),
        (
            "∂E_total/∂w5",
            "0.082167041",
            "/steps/0/layers/1/gradient/0/0",
        ),
        (
            "∂E_total/∂w1",
            "0.000438568",
            "/steps/0/layers/0/gradient/0/0",
        ),
        ("w5+", "0.35891648", "/steps/0/layers/1/weights_after/0/0"),
        ("w6+", "0.408666186", "/steps/0/layers/1/weights_after/0/1"),
        ("w7+", "0.511301270", "/steps/0/layers/1/weights_after/1/0"),
        ("w8+", "0.561370121", "/steps/0/layers/1/weights_after/1/1"),
        ("w1+", "0.149780716", "/steps/0/layers/0/weights_after/0/0"),
        ("w2+", "0.19956143", "/steps/0/layers/0/weights_after/0/1"),
        ("w3+", "0.24975114", "/steps/0/layers/0/weights_after/1/0"),
        ("w4+", "0.29950229", "/steps/0/layers/0/weights_after/1/1"),
    ];
    for (symbol, digits, pointer) in printed {
        let computed = reference("mazur_2015", symbol);
        assert_reproduced(&solution, pointer, digits, computed, symbol);
    }
    // The loss before the update is the first step's, and the initial loss of the solution.
    assert_eq!(
        solution["loss"]["initial"],
        solution["steps"][0]["losses"][0]["loss"]
    );
    // The loss after the update: the post prints 0.291027924, which is the loss after an
    // update whose hidden deltas went through the already-updated output weights (the
    // reference computes 0.29102792390544197 that way, `with_hidden_deltas_through_updated_
    // output_weights`). The update the post itself writes out (its w1+ … w8+, reproduced
    // above, biases kept) has the loss 0.29102777369359933 by the same reference: that is
    // what the service answers, 1.5e-7 below the printed figure.
    let after = at(&solution, "/loss/final");
    assert!((after - 0.29102777369359933).abs() <= 1e-12, "{after}");
    assert!((after - 0.291027924).abs() > 1e-7);
    assert_eq!(
        solution["final_network"]["layers"][1]["biases"],
        json!([0.6, 0.6])
    );
    assert_lines_match_their_pointers(&solution);
}

#[tokio::test]
async fn the_classic_example_is_written_in_the_posts_notation() {
    let (_, solution) = post_json("/v1/solve", &mazur()).await;
    let symbols: Vec<&str> = solution["steps"][0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["symbol"].as_str())
        .collect();
    let expected_order = [
        "net_{h1}",
        "out_{h1}",
        "net_{h2}",
        "out_{h2}",
        "net_{o1}",
        "out_{o1}",
        "net_{o2}",
        "out_{o2}",
        "E_{o1}",
        "E_{o2}",
        "E_{total}",
        "\\delta_{o1}",
        "\\delta_{o2}",
        "\\delta_{h1}",
        "\\delta_{h2}",
        "(dw_1)_1",
    ];
    assert_eq!(&symbols[..expected_order.len()], expected_order);
    for new_weight in ["(w_1)_2", "(w_5)_2", "(w_8)_2"] {
        assert!(symbols.contains(&new_weight), "{symbols:?}");
    }
    // The biases are fixed: their gradients are shown, and no line updates them.
    assert!(symbols.contains(&"(db_{o1})_1"));
    assert!(!symbols.iter().any(|s| s.starts_with("b_")), "{symbols:?}");
    let delta = &solution["steps"][0]["lines"][11];
    assert_eq!(delta["pointer"], "/layers/1/delta/0/0");
}

/// Han & Kamber's backpropagation example (Data Mining: Concepts and Techniques, Example 6.9 of
/// the 2nd edition, 9.1 of the 3rd): a 3-2-1 network, biases updated, and the textbook's
/// "adding" convention, `Err_j = O_j(1 − O_j)(T_j − O_j)`, `w_ij += l Err_j O_i`, which is the
/// service's `delta` sign convention.
fn han_kamber() -> Value {
    fixture("network-examples.json")["han_kamber"]["problem"].clone()
}

#[tokio::test]
async fn the_textbooks_3_2_1_example_with_updated_biases_and_the_adding_convention() {
    let (status, solution) = post_json("/v1/solve", &han_kamber()).await;
    assert_eq!(status, 200, "{solution}");
    let printed = [
        ("I4", "-0.7", "/steps/0/layers/0/forward/0/net/0"),
        ("O4", "0.332", "/steps/0/layers/0/forward/0/output/0"),
        ("I5", "0.1", "/steps/0/layers/0/forward/0/net/1"),
        ("O5", "0.525", "/steps/0/layers/0/forward/0/output/1"),
        ("I6", "-0.105", "/steps/0/layers/1/forward/0/net/0"),
        ("O6", "0.474", "/steps/0/layers/1/forward/0/output/0"),
        ("Err5", "-0.0065", "/steps/0/layers/0/delta/0/1"),
        ("Err4", "-0.0087", "/steps/0/layers/0/delta/0/0"),
        ("w46", "-0.261", "/steps/0/layers/1/weights_after/0/0"),
        ("w56", "-0.138", "/steps/0/layers/1/weights_after/0/1"),
        ("w14", "0.192", "/steps/0/layers/0/weights_after/0/0"),
        ("w15", "-0.306", "/steps/0/layers/0/weights_after/1/0"),
        ("w24", "0.4", "/steps/0/layers/0/weights_after/0/1"),
        ("w25", "0.1", "/steps/0/layers/0/weights_after/1/1"),
        ("w34", "-0.508", "/steps/0/layers/0/weights_after/0/2"),
        ("w35", "0.194", "/steps/0/layers/0/weights_after/1/2"),
        ("θ6", "0.218", "/steps/0/layers/1/biases_after/0"),
        ("θ5", "0.194", "/steps/0/layers/0/biases_after/1"),
        ("θ4", "-0.408", "/steps/0/layers/0/biases_after/0"),
    ];
    for (symbol, digits, pointer) in printed {
        let computed = reference("han_kamber", symbol);
        assert_reproduced(&solution, pointer, digits, computed, symbol);
    }
    // Err6: the book prints 0.1311, from its rounded O6 = 0.474: 0.474 · 0.526 · 0.526 =
    // 0.131144 (python3: 0.474 * (1 - 0.474) * (1 - 0.474)). With O6 unrounded,
    // 0.47388889882398544 · 0.52611110117601456² = 0.1311690782143445 (the reference; 50-digit
    // decimal arithmetic agrees), which rounds to 0.1312. The service carries full precision.
    let err6 = at(&solution, "/steps/0/layers/1/delta/0/0");
    assert!(
        (err6 - reference("han_kamber", "Err6")).abs() <= 1e-12,
        "{err6}"
    );
    assert!((0.474f64 * (1.0 - 0.474) * (1.0 - 0.474) - 0.1311).abs() < 5e-5);
    // The adding convention: dw is Err_j O_i (positive for Err6), and the update adds it.
    let dw = at(&solution, "/steps/0/layers/1/dw/0/0");
    assert!((dw - err6 * at(&solution, "/steps/0/layers/0/forward/0/output/0")).abs() < 1e-15);
    assert_eq!(
        solution["final_network"]["layers"][0]["biases"][0],
        solution["steps"][0]["layers"][0]["biases_after"][0]
    );
    assert_lines_match_their_pointers(&solution);
}

#[tokio::test]
async fn every_line_of_a_layered_batch_under_adam_matches_its_pointer() {
    let problem = json!({
        "samples": [
            {"x": [0.5, -1.0], "t": [0.2, 0.7]},
            {"x": [1.0, 0.25], "t": [0.9, 0.1]},
            {"x": [-0.3, 0.8], "t": [0.4, 0.6]}
        ],
        "network": {"layers": [
            {"activation": "tanh", "weights": [[0.1, -0.2], [0.3, 0.4], [-0.5, 0.2]], "biases": [0.0, 0.1, -0.1]},
            {"activation": "logistic", "weights": [[0.2, -0.1, 0.3], [0.5, 0.1, -0.4]], "biases": [0.05, -0.05]}
        ]},
        "loss": "cross_entropy",
        "algorithm": "adam",
        "hyperparameters": {"learning_rate": 0.05},
        "batch_size": 2,
        "epochs": 2
    });
    let (status, solution) = post_json("/v1/solve", &problem).await;
    assert_eq!(status, 200, "{solution}");
    assert_eq!(solution["steps"].as_array().unwrap().len(), 4);
    let step = &solution["steps"][0];
    assert_eq!(step["samples"], json!([0, 1]));
    // Two samples per update: each layer's forward and delta have one entry per sample.
    assert_eq!(step["layers"][1]["forward"].as_array().unwrap().len(), 2);
    assert_eq!(
        step["layers"][0]["state"]["first_moment"][2]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        step["layers"][0]["bias_state"]["second_moment"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // The flat vectors are the optimizers' vector: 6 + 3 + 6 + 2 parameters.
    assert_eq!(step["weights_after"].as_array().unwrap().len(), 17);
    assert_eq!(step["forward"], json!([]));
    let echo = &solution["problem"];
    assert_eq!(echo["network"]["update_biases"], true);
    assert_eq!(echo["network"]["notation"], "layered");
    assert!(echo.get("weights").is_none() && echo.get("activation").is_none());
    assert_lines_match_their_pointers(&solution);
    // The echo is a problem: posting it again gives the same solution.
    let (_, again) = post_json("/v1/solve", echo).await;
    assert_eq!(again, solution);
}

#[tokio::test]
async fn a_bad_network_is_a_422_naming_every_pointer() {
    let cases = [
        (
            json!({"weights": [0.1, 0.2], "bias": 0.1, "activation": "tanh"}),
            vec!["/weights", "/network", "/bias", "/activation"],
        ),
        (
            json!({"network": {"layers": [
                {"weights": [[0.1, 0.2], [0.3, 0.4]]},
                {"weights": [[0.1, 0.2, 0.3]]}
            ]}}),
            vec!["/network/layers/1/weights/0"],
        ),
        (
            json!({"network": {"layers": [
                {"weights": [[0.1, 0.2], [0.3]], "biases": [0.1]},
                {"weights": [[0.1, 0.2]], "biases": [0.1, 0.2], "activation": "sigmoid"}
            ]}}),
            vec![
                "/network/layers/0/weights/1",
                "/network/layers/1/activation",
            ],
        ),
        (
            json!({"network": {"layers": [
                {"weights": [[0.1, 0.2]], "biases": [0.1, 0.2]}
            ], "update_biases": "no", "notation": "numbered", "extra": 1}}),
            vec![
                "/network/extra",
                "/network/layers/0/biases",
                "/network/update_biases",
            ],
        ),
        (json!({"network": {"layers": []}}), vec!["/network/layers"]),
    ];
    for (change, expected) in cases {
        let mut problem = mazur();
        problem["network"] = Value::Null;
        for (key, value) in change.as_object().unwrap() {
            problem[key] = value.clone();
        }
        if problem["network"].is_null() {
            problem["network"] = mazur()["network"].clone();
        }
        let reply = post("/v1/solve", &problem).await;
        let body = assert_problem(&reply, 422);
        let mut got = pointers(&body);
        got.sort();
        let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(got, expected, "{change}: {body}");
    }
}

#[tokio::test]
async fn targets_must_match_the_output_layer() {
    let mut problem = mazur();
    problem["samples"] = json!([
        {"x": [0.05, 0.10], "t": 0.5},
        {"x": [0.05, 0.10], "t": [0.1, 0.2, 0.3]},
        {"x": [0.05], "t": [0.1, 0.2]}
    ]);
    let body = assert_problem(&post("/v1/solve", &problem).await, 422);
    let mut got = pointers(&body);
    got.sort();
    assert_eq!(
        got,
        ["/samples/0/t", "/samples/1/t", "/samples/2/x"],
        "{body}"
    );
    // A neuron's target is a number.
    let mut neuron = crate::helpers::momentum();
    neuron["samples"][0]["t"] = json!([0.8]);
    let body = assert_problem(&post("/v1/solve", &neuron).await, 422);
    assert_eq!(pointers(&body), ["/samples/0/t"], "{body}");
}

#[tokio::test]
async fn cross_entropy_needs_logistic_outputs_and_numbered_one_hidden_layer() {
    let mut problem = mazur();
    problem["network"]["layers"][1]["activation"] = json!("tanh");
    problem["loss"] = json!("cross_entropy");
    let body = assert_problem(&post("/v1/solve", &problem).await, 422);
    assert_eq!(pointers(&body), ["/loss"], "{body}");
    let mut problem = mazur();
    let hidden = problem["network"]["layers"][0].clone();
    let mut square = hidden.clone();
    square["weights"] = json!([[0.1, 0.2], [0.3, 0.4]]);
    problem["network"]["layers"] = json!([hidden, square, problem["network"]["layers"][1]]);
    let body = assert_problem(&post("/v1/solve", &problem).await, 422);
    assert_eq!(pointers(&body), ["/network/notation"], "{body}");
    // Layered, the same three layers are a problem.
    problem["network"]["notation"] = json!("layered");
    let (status, _) = post_json("/v1/solve", &problem).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_networks_loss_surface_is_drawn_over_two_of_its_parameters() {
    let (status, svg) = crate::helpers::post_text("/v1/plot/surface?x=4&y=5", &mazur()).await;
    assert_eq!(status, 200, "{svg}");
    // The numbered notation names the axes: w₅ and w₆ (h1 → o1 and h2 → o1).
    assert!(svg.contains("w₅") && svg.contains("w₆"), "{svg}");
    assert!(!svg.contains("NaN"));
    let (status, text) = crate::helpers::post_text("/v1/plot/surface?x=4&y=8", &mazur()).await;
    assert_eq!(status, 422, "{text}");
    assert!(text.contains("among the problem's 8"), "{text}");
}

#[tokio::test]
async fn a_network_streams_and_summarizes_with_the_same_numbers() {
    let mut problem = mazur();
    problem["epochs"] = json!(3);
    let (_, full) = post_json("/v1/solve", &problem).await;
    let (status, stream) = crate::helpers::post_text("/v1/solve?format=ndjson", &problem).await;
    assert_eq!(status, 200, "{stream}");
    let steps: Vec<Value> = stream
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|l| l["type"] == "step")
        .collect();
    assert_eq!(steps.len(), 3, "{stream}");
    let streamed = steps[2].get("step").unwrap_or(&steps[2]);
    assert_eq!(streamed["layers"], full["steps"][2]["layers"]);
    let (_, summary) = post_json("/v1/solve?detail=summary", &problem).await;
    assert_eq!(summary["steps"], json!([]));
    assert_eq!(summary["final_network"], full["final_network"]);
    assert_eq!(summary["loss"]["per_update"], full["loss"]["per_epoch"]);
    let (_, values) = post_json("/v1/solve?detail=values", &problem).await;
    assert_eq!(values["steps"][1]["lines"], json!([]));
    assert_eq!(values["steps"][1]["layers"], full["steps"][1]["layers"]);
}

#[tokio::test]
async fn the_openapi_documents_network_examples_are_the_classic_examples_own_numbers() {
    let document = serde_json::to_value(gradtrace::openapi()).unwrap();
    let schemas = &document["components"]["schemas"];
    let (_, example) = crate::helpers::get_json("/v1/examples/backpropagation_2_2_2").await;
    assert_eq!(schemas["Network"]["example"], example["problem"]["network"]);
    let (_, solution) = post_json("/v1/solve", &mazur()).await;
    assert_eq!(
        schemas["LayerStep"]["example"],
        solution["steps"][0]["layers"][1]
    );
    assert_eq!(
        schemas["SampleLoss"]["example"],
        solution["steps"][0]["losses"][0]
    );
    let final_network = &schemas["FinalNetwork"]["example"];
    assert_eq!(final_network, &solution["final_network"]);
}

#[tokio::test]
async fn a_hand_calculation_shows_the_fixed_biases_it_rounded() {
    let mut problem = mazur();
    problem["rounding"] = json!({"decimals": 1});
    let (status, solution) = post_json("/v1/solve", &problem).await;
    assert_eq!(status, 200, "{solution}");
    let step = &solution["steps"][0];
    // The step shows the biases the pass used: 0.35 to one decimal.
    let bias = step["layers"][0]["biases_before"][0].as_f64().unwrap();
    assert_eq!((bias * 10.0).round() / 10.0, bias, "{bias}");
    let net = step["lines"][0]["value"].as_f64().unwrap();
    let weights = &step["layers"][0]["weights_before"][0];
    let inputs = [0.1, 0.1]; // 0.05 and 0.10 to one decimal
    let expected =
        weights[0].as_f64().unwrap() * inputs[0] + weights[1].as_f64().unwrap() * inputs[1] + bias;
    assert!(
        ((expected * 10.0).round() / 10.0 - net).abs() < 1e-12,
        "{net} vs {expected}"
    );
}

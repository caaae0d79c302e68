//! Network problems (docs/contract.md §11) that between them write every kind of network
//! symbol: both notations, a batch of 2 (the `[2]` tags and per-sample gradients), biases
//! updated, fixed and absent, every activation, both losses, both sign conventions, every
//! algorithm with and without bias correction, a schedule and hand rounding. The KaTeX test
//! (tests/core/katex.rs) and the pdflatex test (tests/api/latex.rs) read the same list.

use serde_json::{json, Value};

use super::{fixture, merged};

/// The classic 2-2-2 example (Mazur 2015, `tests/fixtures/network-examples.json`) in its own
/// numbered notation: gradient descent, its biases fixed.
pub fn mazur() -> Value {
    let problem = fixture("network-examples.json")["mazur_2015"]["problem"].clone();
    let mut problem = problem;
    problem["network"]["notation"] = json!("numbered");
    problem
}

/// A 2-2-1 network in the layered notation: a tanh hidden layer and a logistic output, every
/// bias updated, two samples in one batch.
fn layered_batch() -> Value {
    json!({
        "samples": [{"x": [0.05, 0.10], "t": 0.2}, {"x": [0.3, -0.2], "t": 0.9}],
        "network": {"layers": [
            {"activation": "tanh", "weights": [[0.15, 0.20], [0.25, 0.30]], "biases": [0.35, -0.1]},
            {"activation": "logistic", "weights": [[0.40, 0.45]], "biases": [0.60]}
        ]},
        "batch_size": 2
    })
}

/// Three layers, ReLU then linear then logistic, the first with no biases, cross-entropy,
/// two outputs (so each output's loss has its line).
fn deep_cross_entropy() -> Value {
    json!({
        "samples": [{"x": [0.5, -1.0, 2.0], "t": [1, 0]}, {"x": [-0.5, 0.2, 1.0], "t": [0, 1]}],
        "network": {"layers": [
            {"activation": "relu", "weights": [[0.1, 0.2, 0.3], [-0.3, 0.2, -0.1]]},
            {"activation": "linear", "weights": [[0.5, -0.4], [0.3, 0.8]], "biases": [0.1, 0.0]},
            {"activation": "logistic", "weights": [[0.7, -0.2], [0.1, 0.9]], "biases": [0.0, 0.2]}
        ]},
        "loss": "cross_entropy"
    })
}

/// A hyperparameter object for `algorithm` that it accepts without a warning.
fn hyperparameters(algorithm: &str) -> Value {
    match algorithm {
        "conjugate_gradient" => json!({}),
        "adadelta" => json!({"rho": 0.9}),
        "momentum" | "nesterov" | "rmsprop" => json!({"learning_rate": 0.2, "beta": 0.8}),
        _ => json!({"learning_rate": 0.2}),
    }
}

/// Every network problem of the list, named.
pub fn network_problems() -> Vec<(String, Value)> {
    let mut list = vec![("mazur numbered gd".to_string(), mazur())];
    for algorithm in gradtrace::wire::catalog::algorithm_names() {
        for correction in [false, true] {
            let name = format!(
                "layered batch {algorithm}{}",
                if correction { " bias correction" } else { "" }
            );
            let keys = json!({
                "algorithm": algorithm,
                "hyperparameters": hyperparameters(algorithm),
                "bias_correction": correction,
            });
            list.push((name, merged(layered_batch(), keys)));
        }
    }
    // The numbered notation with its biases updated and within a batch (`net_{h1}[2]`,
    // `(b_{h1})_2`, `(v_{b_{o1}})_1`), under every algorithm with bias correction.
    for algorithm in gradtrace::wire::catalog::algorithm_names() {
        let mut problem = mazur();
        problem["network"]["update_biases"] = json!(true);
        problem["samples"] = json!([
            {"x": [0.05, 0.10], "t": [0.01, 0.99]},
            {"x": [0.20, -0.10], "t": [0.5, 0.3]}
        ]);
        problem["batch_size"] = json!(2);
        problem["algorithm"] = json!(algorithm);
        problem["hyperparameters"] = hyperparameters(algorithm);
        problem["bias_correction"] = json!(true);
        list.push((format!("numbered batch {algorithm}"), problem));
    }
    let deep = [
        (
            "deep cross-entropy momentum delta sign",
            json!({"algorithm": "momentum", "hyperparameters": hyperparameters("momentum"), "conventions": {"sign": "delta"}}),
        ),
        (
            "deep cross-entropy adam scheduled",
            json!({"algorithm": "adam", "hyperparameters": {"learning_rate": 0.1}, "epochs": 2, "schedule": {"type": "step", "drop_rate": 0.5, "epochs_drop": 1}}),
        ),
        (
            "deep cross-entropy rmsprop rounded",
            json!({"algorithm": "rmsprop", "hyperparameters": hyperparameters("rmsprop"), "rounding": {"significant_figures": 3}, "conventions": {"epsilon": "outside_sqrt"}, "batch_size": 2, "reduction": "sum"}),
        ),
    ];
    for (name, keys) in deep {
        list.push((name.to_string(), merged(deep_cross_entropy(), keys)));
    }
    let mut linear = mazur();
    linear["network"]["layers"][1]["activation"] = json!("linear");
    linear["network"]["notation"] = json!("layered");
    list.push(("mazur layered linear output gd".to_string(), linear));
    list
}

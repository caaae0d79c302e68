//! The course's exercises as request bodies: the examples of the OpenAPI document, and of
//! `tests/fixtures/` (whose files a test compares with these).

use serde_json::{json, Value};

use crate::config::Limits;
use crate::grade::Format;
use crate::usecase::grade::grade_body_with;

/// The course's momentum exercise (docs/contract.md §10) as a body of `POST /v1/solve`: the
/// OpenAPI document's example, and `tests/fixtures/momentum.json`.
pub fn momentum_exercise() -> Value {
    json!({
        "samples": [{"x": [1, 0.6], "t": 0.8}, {"x": [0.5, 0.5], "t": 0.6}],
        "weights": [0.5, 0.5],
        "algorithm": "momentum",
        "hyperparameters": {"learning_rate": 0.2, "beta": 0.8},
        "bias_correction": false,
        "conventions": {"sign": "delta"}
    })
}

/// The OpenAPI document's example of a `network`: the classic 2-2-2 example's (Mazur, 2015),
/// in the numbered notation, its biases fixed (GET /v1/examples/backpropagation_2_2_2).
pub fn classic_network() -> Value {
    json!({
        "layers": [
            {"activation": "logistic", "weights": [[0.15, 0.20], [0.25, 0.30]], "biases": [0.35, 0.35]},
            {"activation": "logistic", "weights": [[0.40, 0.45], [0.50, 0.55]], "biases": [0.60, 0.60]}
        ],
        "update_biases": false,
        "notation": "numbered"
    })
}

/// The request example of the OpenAPI document: the course's momentum exercise (docs/contract.md §10),
/// answered by a student who wrote the first velocity without its (1 − β) factor and carried
/// that slip forward correctly; with `carry_forward: always` it costs one mark.
pub fn grade_example() -> Value {
    json!({
        "problem": momentum_exercise(),
        "answers": [
            {"step": 1, "symbol": "(dw_1)_1", "value": 0.02354},
            {"step": 1, "symbol": "(v_1)_1", "value": 0.02354},
            {"step": 1, "symbol": "(w_1)_2", "value": 0.5047},
            {"pointer": "/steps/1/weights_after/1", "value": 0.5009}
        ],
        "tolerance": {"mode": "sigfig", "digits": 4},
        "carry_forward": "always"
    })
}

/// The OpenAPI document's example responses: [`grade_example`] graded, so the documented
/// output is what the service returns for the documented input.
pub fn grade_example_output(format: Format) -> Value {
    grade_body_with(&grade_example(), format, &Limits::default()).unwrap_or(Value::Null)
}

/// The OpenAPI document's 422 example, as the service writes it: the example request with a
/// malformed pointer, an unknown symbol and a string where the value belongs.
pub fn grade_example_rejection() -> Value {
    let mut body = grade_example();
    body["answers"] = json!([
        {"pointer": "steps/0/weights_after/0", "value": 0.5009},
        {"step": 1, "symbol": "(z_1)_2", "value": 0.5009},
        {"step": 1, "symbol": "(w_1)_2", "value": "0.5009"}
    ]);
    match grade_body_with(&body, Format::Json, &Limits::default()) {
        Err(error) => serde_json::to_value(error.problem()).unwrap_or(Value::Null),
        Ok(_) => Value::Null,
    }
}

/// The OpenAPI example of `POST /v1/solve/batch` (and `tests/fixtures/class/solve-batch.json`):
/// the course's momentum and Adam problems, and between them one with β out of range.
pub fn solve_batch_example() -> Value {
    let samples = serde_json::json!([{"x": [1, 0.6], "t": 0.8}, {"x": [0.5, 0.5], "t": 0.6}]);
    serde_json::json!({"problems": [
        {
            "samples": samples,
            "weights": [0.5, 0.5],
            "algorithm": "momentum",
            "hyperparameters": {"learning_rate": 0.2, "beta": 0.8},
            "conventions": {"sign": "delta"}
        },
        {
            "samples": [{"x": [1, 0.6], "t": 0.8}],
            "weights": [0.5, 0.5],
            "algorithm": "momentum",
            "hyperparameters": {"learning_rate": 0.2, "beta": 1.5}
        },
        {
            "samples": samples,
            "weights": [0.5, 0.5],
            "algorithm": "adam",
            "hyperparameters": {"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8}
        }
    ]})
}

/// The OpenAPI example of `POST /v1/grade/batch` (and `tests/fixtures/class/grade-batch.json`):
/// `/v1/grade`'s example twice, the first with a malformed pointer.
pub fn grade_batch_example() -> Value {
    let good = grade_example();
    let mut bad = good.clone();
    bad["answers"][3]["pointer"] = Value::from("steps/1/weights_after/1");
    serde_json::json!({"submissions": [bad, good]})
}

/// The course's last exercise (docs/contract.md §10: "all four with bias correction") as one comparison:
/// the OpenAPI example, and `tests/fixtures/class/compare.json`.
pub fn course_exercise() -> Value {
    json!({
        "problem": {
            "samples": [
                {"x": [1, 0.6], "t": 0.8},
                {"x": [0.5, 0.5], "t": 0.6},
                {"x": [0.2, 0.8], "t": 0.3}
            ],
            "weights": [0.5, 0.5],
            "hyperparameters": {"learning_rate": 0.2},
            "bias_correction": true
        },
        "configurations": [
            {"label": "Momentum", "algorithm": "momentum", "hyperparameters": {"beta": 0.8},
             "conventions": {"sign": "delta"}},
            {"label": "Adagrad", "algorithm": "adagrad"},
            {"label": "RMSProp", "algorithm": "rmsprop", "hyperparameters": {"beta": 0.8}},
            {"label": "Adam", "algorithm": "adam", "hyperparameters": {"beta1": 0.8, "beta2": 0.8}}
        ],
        "loss_threshold": 0.018
    })
}

/// The OpenAPI example and `tests/fixtures/class/variants.json`: the course's momentum problem
/// for a class, every student with their own weights, targets and learning rate.
pub fn class_template() -> Value {
    json!({
        "template": {
            "samples": [
                {"x": [1, 0.6], "t": {"uniform": [0, 1], "decimals": 1}},
                {"x": [0.5, 0.5], "t": {"uniform": [0, 1], "decimals": 1}}
            ],
            "weights": [
                {"uniform": [0, 1], "decimals": 2},
                {"uniform": [0, 1], "decimals": 2}
            ],
            "algorithm": "momentum",
            "hyperparameters": {"learning_rate": {"choice": [0.1, 0.2, 0.3]}, "beta": 0.8},
            "conventions": {"sign": "delta"}
        },
        "count": 3,
        "seed": 2026
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_grades_in_every_format() {
        for format in [
            Format::Json,
            Format::Prairielearn,
            Format::Gradescope,
            Format::Coderunner,
        ] {
            assert!(grade_example_output(format).is_object(), "{format:?}");
        }
    }

    #[test]
    fn the_fixture_files_are_these_bodies() {
        let fixtures: [(&str, &str, Value); 5] = [
            (
                "momentum.json",
                include_str!("../../tests/fixtures/momentum.json"),
                momentum_exercise(),
            ),
            (
                "class/solve-batch.json",
                include_str!("../../tests/fixtures/class/solve-batch.json"),
                solve_batch_example(),
            ),
            (
                "class/grade-batch.json",
                include_str!("../../tests/fixtures/class/grade-batch.json"),
                grade_batch_example(),
            ),
            (
                "class/compare.json",
                include_str!("../../tests/fixtures/class/compare.json"),
                course_exercise(),
            ),
            (
                "class/variants.json",
                include_str!("../../tests/fixtures/class/variants.json"),
                class_template(),
            ),
        ];
        for (name, text, body) in fixtures {
            let file: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            assert_eq!(file, body, "tests/fixtures/{name}");
        }
    }
}

//! `POST /v1/solve` and `POST /v1/schedule` wired end to end: what the response carries around
//! the core's trace (the numbers themselves are tested in `course`, `reference` and the core's
//! own tests).

use serde_json::{json, Value};

use axum::http::Method;

use crate::helpers::{momentum, post_json, request};

#[tokio::test]
async fn the_course_momentum_problem_is_solved_with_the_contracts_fields() {
    let (status, body) = post_json("/v1/solve", &momentum()).await;
    assert_eq!(status, 200, "{body}");
    let keys: Vec<&String> = body
        .as_object()
        .map(|m| m.keys().collect())
        .unwrap_or_default();
    for key in [
        "algorithm",
        "problem",
        "status",
        "warnings",
        "steps",
        "final_weights",
        "final_bias",
        "loss",
    ] {
        assert!(keys.iter().any(|k| *k == key), "{key} missing: {keys:?}");
    }
    assert_eq!(body["algorithm"], "momentum");
    assert_eq!(body["status"], "completed");
    assert_eq!(body["steps"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn the_echoed_problem_has_every_default_filled_in() {
    let (_, body) = post_json("/v1/solve", &momentum()).await;
    let problem = &body["problem"];
    assert_eq!(problem["activation"], "logistic");
    assert_eq!(problem["loss"], "squared_error");
    assert_eq!(problem["epochs"], 1);
    assert_eq!(problem["batch_size"], 1);
    assert_eq!(problem["reduction"], "mean");
    assert_eq!(problem["bias"], Value::Null);
    assert_eq!(problem["schedule"], Value::Null);
    assert_eq!(problem["rounding"], Value::Null);
    assert_eq!(
        problem["conventions"],
        json!({"sign": "delta", "epsilon": "inside_sqrt"})
    );
    assert_eq!(
        problem["hyperparameters"],
        json!({"learning_rate": 0.2, "beta": 0.8, "form": "average"})
    );
}

#[tokio::test]
async fn adams_bias_correction_defaults_to_on_and_momentums_to_off() {
    let mut body = momentum();
    body["algorithm"] = json!("adam");
    body["hyperparameters"] = json!({"learning_rate": 0.1});
    if let Some(map) = body.as_object_mut() {
        map.remove("bias_correction");
    }
    let (_, adam) = post_json("/v1/solve", &body).await;
    assert_eq!(adam["problem"]["bias_correction"], true);
    assert_eq!(
        adam["problem"]["hyperparameters"],
        json!({"learning_rate": 0.1, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8})
    );
    body["algorithm"] = json!("momentum");
    let (_, momentum) = post_json("/v1/solve", &body).await;
    assert_eq!(momentum["problem"]["bias_correction"], false);
}

#[tokio::test]
async fn posting_the_echoed_problem_again_gives_the_same_answer_without_warnings() {
    let mut variants = vec![momentum()];
    let mut with_everything = momentum();
    with_everything["bias"] = json!(0.1);
    with_everything["schedule"] = json!({"type": "step", "drop_rate": 0.5, "epochs_drop": 2});
    with_everything["rounding"] = json!({"decimals": 4});
    with_everything["epochs"] = json!(3);
    with_everything["hyperparameters"]["epsilon"] = json!(1e-8);
    variants.push(with_everything);
    let mut cg = momentum();
    cg["algorithm"] = json!("conjugate_gradient");
    cg["hyperparameters"] = json!({});
    variants.push(cg);
    let mut adagrad = momentum();
    adagrad["algorithm"] = json!("adagrad");
    adagrad["hyperparameters"] = json!({"learning_rate": 0.2, "window": 2});
    variants.push(adagrad);

    for body in variants {
        let (status, first) = post_json("/v1/solve", &body).await;
        assert_eq!(status, 200, "{first}");
        let (status, second) = post_json("/v1/solve", &first["problem"]).await;
        assert_eq!(status, 200, "{second}");
        assert_eq!(second["problem"], first["problem"]);
        assert_eq!(second["final_weights"], first["final_weights"]);
        let unused = second["warnings"].as_array().map(|w| {
            w.iter()
                .filter(|w| w["code"] == "unused_hyperparameter")
                .count()
        });
        assert_eq!(unused, Some(0), "{}", second["warnings"]);
    }
}

#[tokio::test]
async fn a_hyperparameter_the_algorithm_does_not_use_is_a_warning_not_an_error() {
    let mut body = momentum();
    body["algorithm"] = json!("gd");
    let (status, solution) = post_json("/v1/solve", &body).await;
    assert_eq!(status, 200, "{solution}");
    let first = &solution["warnings"][0];
    assert_eq!(first["code"], "unused_hyperparameter");
    assert!(first["message"]
        .as_str()
        .unwrap_or_default()
        .contains("beta"));
    assert_eq!(
        solution["problem"]["hyperparameters"],
        json!({"learning_rate": 0.2})
    );
}

#[tokio::test]
async fn a_batch_size_above_the_sample_count_is_echoed_as_the_full_batch() {
    let mut body = momentum();
    body["batch_size"] = json!(100);
    let (_, solution) = post_json("/v1/solve", &body).await;
    assert_eq!(solution["problem"]["batch_size"], 2);
    assert_eq!(solution["steps"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn the_schedule_endpoint_tabulates_the_rate_with_worked_lines() {
    let body = json!({
        "learning_rate": 0.2,
        "schedule": {"type": "time_based", "decay_rate": 1},
        "epochs": [1, 2, 3]
    });
    let (status, table) = post_json("/v1/schedule", &body).await;
    assert_eq!(status, 200, "{table}");
    assert_eq!(
        table["schedule"],
        json!({"type": "time_based", "decay_rate": 1.0, "first_epoch": 0, "per": "epoch"})
    );
    let rates = table["rates"].as_array().cloned().unwrap_or_default();
    assert_eq!(rates.len(), 3);
    assert_eq!(rates[0]["epoch"], 1);
    assert_eq!(rates[0]["learning_rate"], 0.1);
    assert_eq!(rates[2]["learning_rate"], 0.05);
    assert_eq!(rates[1]["line"]["substitution"], "0.2 / (1 + 1 × 2)");
    assert_eq!(table["warnings"], json!([]));
}

#[tokio::test]
async fn seventeen_digit_numbers_are_read_exactly() {
    // serde_json's default float parser is off by one ulp on some 17-digit decimals like this
    // one (a value a previous response printed); the service must use exactly what was sent.
    let body = r#"{"samples": [{"x": [1], "t": 1}], "weights": [-0.014121315210888205],
                   "algorithm": "gd", "hyperparameters": {"learning_rate": 0.1}}"#;
    let reply = request(Method::POST, "/v1/solve", Some("application/json"), body).await;
    assert_eq!(reply.status, 200);
    let text = String::from_utf8_lossy(&reply.body);
    assert!(
        text.contains(r#""weights":[-0.014121315210888205]"#),
        "{}",
        &text[..text.len().min(300)]
    );
}

//! Every way a request can fail, each answered with problem+json that names what is wrong
//! (docs/contract.md §9). The 422 cases are one table: a change to the course's momentum problem, and the
//! JSON pointers the response must name.

use axum::body::Body;
use axum::http::{header, Method};
use serde_json::{json, Value};

use crate::helpers::{
    assert_problem, assert_problem_saying, get, momentum, pointers, post, request,
};

/// The momentum problem with `change` applied.
fn with(change: impl FnOnce(&mut Value)) -> Value {
    let mut body = momentum();
    change(&mut body);
    body
}

fn remove(body: &mut Value, key: &str) {
    if let Some(map) = body.as_object_mut() {
        map.remove(key);
    }
}

/// (what, body, the pointers the 422 must name, a word its detail must contain)
fn invalid_problems() -> Vec<(&'static str, Value, Vec<&'static str>, &'static str)> {
    vec![
        (
            "an x shorter than the weights",
            with(|b| b["samples"][1]["x"] = json!([0.5])),
            vec!["/samples/1/x"],
            "weights",
        ),
        (
            "empty samples",
            with(|b| b["samples"] = json!([])),
            vec!["/samples"],
            "at least one",
        ),
        (
            "beta = 1",
            with(|b| b["hyperparameters"]["beta"] = json!(1)),
            vec!["/hyperparameters/beta"],
            "[0, 1)",
        ),
        (
            "a negative learning rate",
            with(|b| b["hyperparameters"]["learning_rate"] = json!(-0.2)),
            vec!["/hyperparameters/learning_rate"],
            "> 0",
        ),
        (
            "a missing learning rate",
            with(|b| b["hyperparameters"] = json!({"beta": 0.8})),
            vec!["/hyperparameters/learning_rate"],
            "required",
        ),
        (
            "no hyperparameters at all for an algorithm that needs a learning rate",
            with(|b| remove(b, "hyperparameters")),
            vec!["/hyperparameters/learning_rate"],
            "required",
        ),
        (
            "a misspelt hyperparameter",
            with(|b| b["hyperparameters"] = json!({"learning_rate": 0.2, "betta": 0.8})),
            vec!["/hyperparameters/betta"],
            "did you mean `beta`",
        ),
        (
            "an unknown algorithm",
            with(|b| b["algorithm"] = json!("adamax")),
            vec!["/algorithm"],
            "conjugate_gradient",
        ),
        (
            "a missing algorithm",
            with(|b| remove(b, "algorithm")),
            vec!["/algorithm"],
            "required",
        ),
        (
            "cross entropy with tanh",
            with(|b| {
                b["loss"] = json!("cross_entropy");
                b["activation"] = json!("tanh");
            }),
            vec!["/loss"],
            "logistic",
        ),
        (
            "conjugate gradient with batch_size 1",
            with(|b| {
                b["algorithm"] = json!("conjugate_gradient");
                b["hyperparameters"] = json!({});
                b["batch_size"] = json!(1);
            }),
            vec!["/batch_size"],
            "full batch",
        ),
        (
            "conjugate gradient's exact line search with a schedule",
            with(|b| {
                b["algorithm"] = json!("conjugate_gradient");
                b["hyperparameters"] = json!({});
                b["schedule"] = json!({"type": "time_based", "decay_rate": 1});
            }),
            vec!["/schedule"],
            "exact",
        ),
        (
            "a string where a number belongs",
            with(|b| b["weights"][0] = json!("0.5")),
            vec!["/weights/0"],
            "a string",
        ),
        (
            "an unknown top-level key",
            with(|b| b["epoch"] = json!(2)),
            vec!["/epoch"],
            "did you mean `epochs`",
        ),
        (
            "an unknown key in a sample",
            with(|b| b["samples"][0]["target"] = json!(0.8)),
            vec!["/samples/0/target"],
            "known",
        ),
        (
            "a sample without its target",
            with(|b| b["samples"][0] = json!({"x": [1, 0.6]})),
            vec!["/samples/0/t"],
            "required",
        ),
        (
            "zero epochs",
            with(|b| b["epochs"] = json!(0)),
            vec!["/epochs"],
            "integer >= 1",
        ),
        (
            "a fractional batch size",
            with(|b| b["batch_size"] = json!(1.5)),
            vec!["/batch_size"],
            "integer",
        ),
        (
            "an unknown sign convention",
            with(|b| b["conventions"] = json!({"sign": "negative"})),
            vec!["/conventions/sign"],
            "gradient, delta",
        ),
        (
            "a schedule with a drop rate of 0",
            with(|b| b["schedule"] = json!({"type": "step", "drop_rate": 0, "epochs_drop": 5})),
            vec!["/schedule/drop_rate"],
            "(0, 1]",
        ),
        (
            "a schedule without a type",
            with(|b| b["schedule"] = json!({"decay_rate": 1})),
            vec!["/schedule/type"],
            "time_based",
        ),
        (
            "both rounding keys",
            with(|b| b["rounding"] = json!({"decimals": 4, "significant_figures": 4})),
            vec!["/rounding"],
            "exactly one",
        ),
        (
            "more updates than a request may ask for",
            with(|b| b["epochs"] = json!(10_000_000)),
            vec!["/epochs"],
            "limit",
        ),
        (
            "a body that is not an object",
            json!([1, 2, 3]),
            vec![""],
            "object",
        ),
        (
            "a problem with several errors",
            json!({
                "samples": [{"x": [1, 0.6], "t": "high"}, {"x": [0.5], "t": 0.6}],
                "weights": [0.5, 0.5],
                "algorithm": "momentum",
                "hyperparameters": {"learning_rate": 0, "beta": 1.5, "betta": 0.8},
                "activation": "sigmoid",
                "epochs": -1
            }),
            vec![
                "/activation",
                "/epochs",
                "/hyperparameters/beta",
                "/hyperparameters/betta",
                "/hyperparameters/learning_rate",
                "/samples/0/t",
                "/samples/1/x",
            ],
            "",
        ),
    ]
}

#[tokio::test]
async fn every_invalid_problem_is_a_422_naming_each_pointer() {
    for (what, body, expected, word) in invalid_problems() {
        let reply = post("/v1/solve", &body).await;
        let problem = assert_problem(&reply, 422);
        assert_eq!(
            problem["type"], "https://gradtrace.dev/problems/validation",
            "{what}"
        );
        let mut expected: Vec<String> = expected.iter().map(|p| p.to_string()).collect();
        expected.sort();
        assert_eq!(pointers(&problem), expected, "{what}: {problem}");
        let details = problem["errors"].to_string();
        assert!(details.contains(word), "{what}: {word:?} not in {details}");
    }
}

#[tokio::test]
async fn malformed_json_is_a_400_with_line_and_column() {
    let reply = request(
        Method::POST,
        "/v1/solve",
        Some("application/json"),
        "{\n  \"weights\": [0.5, 0.5,\n}",
    )
    .await;
    let problem = assert_problem(&reply, 400);
    assert_eq!(
        problem["type"],
        "https://gradtrace.dev/problems/malformed-json"
    );
    assert_eq!(problem["line"], 3);
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("line 3, column 1"), "{detail}");
}

#[tokio::test]
async fn an_empty_body_is_malformed_json() {
    let reply = request(Method::POST, "/v1/solve", Some("application/json"), "").await;
    assert_problem(&reply, 400);
}

#[tokio::test]
async fn a_number_too_large_for_a_double_is_a_400() {
    let body = r#"{"samples": [{"x": [1e400], "t": 1}], "weights": [1], "algorithm": "gd"}"#;
    let reply = request(Method::POST, "/v1/solve", Some("application/json"), body).await;
    assert_problem_saying(&reply, 400, "column");
}

#[tokio::test]
async fn deeply_nested_json_is_refused_without_overflowing_the_stack() {
    let body = "[".repeat(100_000);
    let reply = request(Method::POST, "/v1/solve", Some("application/json"), body).await;
    assert_problem(&reply, 400);
}

#[tokio::test]
async fn a_body_that_is_not_sent_as_json_is_a_415() {
    let body = momentum().to_string();
    let reply = request(Method::POST, "/v1/solve", Some("text/plain"), body.clone()).await;
    assert_problem_saying(&reply, 415, "text/plain");

    let reply = request(Method::POST, "/v1/solve", None, body).await;
    assert_problem(&reply, 415);
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_a_413() {
    let padding = " ".repeat(1024 * 1024);
    let body = format!("{}{padding}", momentum());
    let reply = request(Method::POST, "/v1/solve", Some("application/json"), body).await;
    let problem = assert_problem(&reply, 413);
    assert_eq!(
        problem["type"],
        "https://gradtrace.dev/problems/payload-too-large"
    );
}

#[tokio::test]
async fn a_body_just_under_the_limit_is_read() {
    let padding = " ".repeat(1024 * 1024 - 1000);
    let body = format!("{}{padding}", momentum());
    let reply = request(Method::POST, "/v1/solve", Some("application/json"), body).await;
    assert_eq!(reply.status, 200);
}

#[tokio::test]
async fn an_unknown_path_is_a_404() {
    assert_problem_saying(&get("/v1/nothing-here").await, 404, "/v1/nothing-here");
}

#[tokio::test]
async fn a_missing_swagger_asset_is_a_404_in_problem_json() {
    let reply = get("/docs/no-such-file.js").await;
    assert_problem(&reply, 404);
}

#[tokio::test]
async fn a_wrong_method_is_a_405_that_lists_the_allowed_ones() {
    let reply = get("/v1/solve").await;
    assert_problem(&reply, 405);
    let allow = reply
        .headers
        .get(header::ALLOW)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(allow.contains("POST"), "Allow: {allow}");

    let reply = request(Method::DELETE, "/v1/algorithms", None, Body::empty()).await;
    assert_problem(&reply, 405);
}

#[tokio::test]
async fn an_invalid_schedule_request_names_every_pointer() {
    let body = json!({
        "learning_rate": -1,
        "schedule": {"type": "exponential"},
        "epochs": [1, -2, "3"],
        "extra": true
    });
    let reply = post("/v1/schedule", &body).await;
    let problem = assert_problem(&reply, 422);
    assert_eq!(
        pointers(&problem),
        [
            "/epochs/1",
            "/epochs/2",
            "/extra",
            "/learning_rate",
            "/schedule/k"
        ]
    );
}

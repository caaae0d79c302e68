//! The `gradtrace` binary's `solve` and `openapi` commands print what the endpoints return.

use serde_json::{json, Value};

use crate::helpers::{gradtrace, momentum, post_json};

#[tokio::test]
async fn solve_from_stdin_prints_what_the_endpoint_returns() {
    let output = gradtrace(&["solve", "-"], &momentum().to_string());
    assert!(output.status.success(), "{output:?}");
    let printed: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    let (_, served) = post_json("/v1/solve", &momentum()).await;
    assert_eq!(printed, served);
}

#[tokio::test]
async fn solve_compact_prints_the_endpoints_bytes() {
    let output = gradtrace(&["solve", "--compact", "-"], &momentum().to_string());
    assert!(output.status.success());
    let (_, served) = post_json("/v1/solve", &momentum()).await;
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        format!("{served}\n")
    );
}

#[test]
fn solve_of_an_invalid_problem_prints_the_problem_json_and_exits_1() {
    let mut body = momentum();
    body["hyperparameters"]["beta"] = json!(1);
    let output = gradtrace(&["solve", "-"], &body.to_string());
    assert_eq!(output.status.code(), Some(1));
    let problem: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(problem["status"], 422);
    assert_eq!(problem["errors"][0]["pointer"], "/hyperparameters/beta");

    let output = gradtrace(&["solve", "-"], "{not json");
    assert_eq!(output.status.code(), Some(1));
    let problem: Value = serde_json::from_slice(&output.stdout).expect("JSON on stdout");
    assert_eq!(problem["status"], 400);
}

#[test]
fn solve_of_a_missing_file_exits_2_with_a_message() {
    let output = gradtrace(&["solve", "/nonexistent/problem.json"], "");
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot read"));
}

#[test]
fn openapi_prints_the_committed_document() {
    let output = gradtrace(&["openapi"], "");
    assert!(output.status.success());
    let committed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .unwrap_or_default();
    assert_eq!(String::from_utf8_lossy(&output.stdout), committed);
}

#[test]
fn help_documents_the_exit_status() {
    let output = gradtrace(&["solve", "--help"], "");
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("Exit status"), "{help}");
    assert!(help.contains("problem+json"), "{help}");
}

#[tokio::test]
async fn solve_format_markdown_prints_the_endpoints_rendering() {
    let output = gradtrace(
        &["solve", "--format", "markdown", "-"],
        &momentum().to_string(),
    );
    assert!(output.status.success(), "{output:?}");
    let reply = crate::helpers::request(
        axum::http::Method::POST,
        "/v1/solve?format=markdown",
        Some("application/json"),
        momentum().to_string(),
    )
    .await;
    assert_eq!(output.stdout, reply.body);
    let latex = gradtrace(
        &["solve", "--format", "latex", "--precision", "3", "-"],
        &momentum().to_string(),
    );
    let reply = crate::helpers::request(
        axum::http::Method::POST,
        "/v1/solve?format=latex&precision=3",
        Some("application/json"),
        momentum().to_string(),
    )
    .await;
    assert_eq!(latex.stdout, reply.body);
}

//! The `gradtrace` binary's `solve` and `openapi` commands print what the endpoints return.

use serde_json::{json, Value};

use crate::helpers::{
    assert_usage_error, course, gradtrace, merged, momentum, post, post_json, printed_problem,
};

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
    let problem = printed_problem(&gradtrace(&["solve", "-"], &body.to_string()));
    assert_eq!(problem["status"], 422);
    assert_eq!(problem["errors"][0]["pointer"], "/hyperparameters/beta");

    let problem = printed_problem(&gradtrace(&["solve", "-"], "{not json"));
    assert_eq!(problem["status"], 400);
}

#[test]
fn solve_of_a_missing_file_exits_2_with_a_message() {
    let output = gradtrace(&["solve", "/nonexistent/problem.json"], "");
    assert_usage_error(&output, "cannot read");
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
    let reply = post("/v1/solve?format=markdown", &momentum()).await;
    assert_eq!(output.stdout, reply.body);
    let latex = gradtrace(
        &["solve", "--format", "latex", "--precision", "3", "-"],
        &momentum().to_string(),
    );
    let reply = post("/v1/solve?format=latex&precision=3", &momentum()).await;
    assert_eq!(latex.stdout, reply.body);
}

/// The course's Adam problem on two samples with a bias, three epochs: six updates.
fn adam() -> Value {
    let problem = course(
        "adam",
        &json!({"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8}),
    );
    merged(problem, json!({"bias": 0.1, "epochs": 3}))
}

async fn endpoint_bytes(path: &str, body: &Value) -> Vec<u8> {
    let reply = post(path, body).await;
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    reply.body
}

#[tokio::test]
async fn solve_stream_prints_the_endpoints_ndjson_byte_for_byte() {
    for (args, query) in [
        (&["solve", "--stream", "-"][..], "?format=ndjson"),
        (
            &["solve", "--stream", "--detail", "values", "-"][..],
            "?format=ndjson&detail=values",
        ),
        (
            &["solve", "--stream", "--precision", "2", "-"][..],
            "?format=ndjson&precision=2",
        ),
        (
            &["solve", "--stream", "--detail", "summary", "-"][..],
            "?format=ndjson&detail=summary",
        ),
    ] {
        let output = gradtrace(args, &adam().to_string());
        assert!(output.status.success(), "{output:?}");
        let served = endpoint_bytes(&format!("/v1/solve{query}"), &adam()).await;
        assert_eq!(output.stdout, served, "{args:?}");
        // Header, six steps (none in a summary), end.
        let lines = if query.contains("summary") { 2 } else { 8 };
        assert_eq!(output.stdout.iter().filter(|b| **b == b'\n').count(), lines);
    }
}

#[test]
fn solve_stream_refuses_what_the_endpoint_refuses_with_exit_1() {
    let output = gradtrace(
        &["solve", "--stream", "--max-stream-updates", "5", "-"],
        &adam().to_string(),
    );
    let problem = printed_problem(&output);
    assert_eq!(problem["status"], 422);
    assert_eq!(problem["errors"][0]["limit"]["name"], "max_stream_updates");
}

#[tokio::test]
async fn solve_detail_prints_the_endpoints_bytes_at_each_detail() {
    for detail in ["lines", "values", "summary"] {
        let output = gradtrace(
            &["solve", "--compact", "--detail", detail, "-"],
            &adam().to_string(),
        );
        assert!(output.status.success(), "{output:?}");
        let mut served = endpoint_bytes(&format!("/v1/solve?detail={detail}"), &adam()).await;
        served.push(b'\n');
        assert_eq!(output.stdout, served, "{detail}");
    }
    // A rendering is of the lines whatever the detail, as the endpoint's.
    let output = gradtrace(
        &["solve", "--format", "latex", "--detail", "values", "-"],
        &adam().to_string(),
    );
    assert!(output.status.success(), "{output:?}");
    let served = endpoint_bytes("/v1/solve?format=latex&detail=values", &adam()).await;
    assert_eq!(output.stdout, served);
}

#[tokio::test]
async fn variants_and_compare_take_the_endpoints_detail() {
    let body = json!({"template": adam(), "count": 2, "seed": 3});
    for detail in ["lines", "values", "summary"] {
        let output = gradtrace(&["variants", "--detail", detail, "-"], &body.to_string());
        assert!(output.status.success(), "{output:?}");
        let served: Value = serde_json::from_slice(
            &endpoint_bytes(&format!("/v1/variants?detail={detail}"), &body).await,
        )
        .expect("JSON");
        // One compact line per variant, each the endpoint's item byte for byte.
        let expected: String = served["variants"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|v| format!("{v}\n"))
            .collect();
        assert_eq!(
            String::from_utf8_lossy(&output.stdout),
            expected,
            "{detail}"
        );
    }
    let body = gradtrace::course::requests::course_exercise();
    for detail in ["summary", "values", "lines"] {
        let output = gradtrace(
            &["compare", "--compact", "--detail", detail, "-"],
            &body.to_string(),
        );
        assert!(output.status.success(), "{output:?}");
        let mut served = endpoint_bytes(&format!("/v1/compare?detail={detail}"), &body).await;
        served.push(b'\n');
        assert_eq!(output.stdout, served, "{detail}");
    }
}

//! Requests against `gradtrace::app()` in memory (no socket), and assertions on the
//! problem+json shape every error shares.

use axum::body::Body;
use axum::http::{header, Method, Request};
use serde_json::Value;

pub use crate::common::{adam, course, course_data, fixture, merged, momentum, Reply};

/// Send any request to the app.
pub async fn send(request: Request<Body>) -> Reply {
    crate::common::send_to(&gradtrace::app(), request).await
}

/// A request with an optional content type and a raw body.
pub async fn request(
    method: Method,
    path: &str,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> Reply {
    let mut builder = Request::builder().method(method).uri(path);
    if let Some(content_type) = content_type {
        builder = builder.header(header::CONTENT_TYPE, content_type);
    }
    send(builder.body(body.into()).expect("a valid request")).await
}

/// POST a JSON value as `application/json`.
pub async fn post(path: &str, body: &Value) -> Reply {
    request(
        Method::POST,
        path,
        Some("application/json"),
        body.to_string(),
    )
    .await
}

/// POST a JSON value as `application/json`, asking for `accept` in the `Accept` header.
pub async fn post_accepting(path: &str, accept: &str, body: &Value) -> Reply {
    let request = Request::post(path)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, accept)
        .body(Body::from(body.to_string()))
        .expect("a valid request");
    send(request).await
}

/// POST a JSON value; the status as a number and the body as JSON.
pub async fn post_json(path: &str, body: &Value) -> (u16, Value) {
    let reply = post(path, body).await;
    (reply.status.as_u16(), reply.json())
}

/// GET a path.
pub async fn get(path: &str) -> Reply {
    request(Method::GET, path, None, Body::empty()).await
}

/// GET a path; the status as a number and the body as JSON.
pub async fn get_json(path: &str) -> (u16, Value) {
    let reply = get(path).await;
    (reply.status.as_u16(), reply.json())
}

/// Assert `reply` is RFC 9457 problem+json with `status`, and return its body.
pub fn assert_problem(reply: &Reply, status: u16) -> Value {
    assert_eq!(
        reply.status.as_u16(),
        status,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.content_type(), "application/problem+json");
    let problem = reply.json();
    assert_eq!(problem["status"], status, "{problem}");
    let kind = problem["type"].as_str().unwrap_or_default();
    assert!(
        kind.starts_with("https://gradtrace.dev/problems/"),
        "{problem}"
    );
    assert!(
        problem["title"].as_str().is_some_and(|t| !t.is_empty()),
        "{problem}"
    );
    assert!(
        problem["detail"].as_str().is_some_and(|d| !d.is_empty()),
        "{problem}"
    );
    problem
}

/// [`assert_problem`], its `detail` saying `words`.
pub fn assert_problem_saying(reply: &Reply, status: u16, words: &str) -> Value {
    let problem = assert_problem(reply, status);
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(detail.contains(words), "{words:?} not in {problem}");
    problem
}

/// The pointers of a validation problem's `errors`, in the order given.
pub fn pointers_in_order(problem: &Value) -> Vec<String> {
    problem["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|e| e["pointer"].as_str().unwrap_or("?").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The pointers of a validation problem's `errors`, sorted.
pub fn pointers(problem: &Value) -> Vec<String> {
    let mut pointers = pointers_in_order(problem);
    pointers.sort();
    pointers
}

/// Run the `gradtrace` binary from the repository root with `stdin` as its input.
pub fn gradtrace(args: &[&str], stdin: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_gradtrace"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(mut input) = child.stdin.take() {
        input
            .write_all(stdin.as_bytes())
            .expect("stdin is writable");
    }
    child.wait_with_output().expect("the binary finishes")
}

/// The problem+json a `gradtrace` command printed on stdout as it exited with status 1.
pub fn printed_problem(output: &std::process::Output) -> Value {
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    serde_json::from_slice(&output.stdout).expect("JSON on stdout")
}

/// A `gradtrace` command refused its arguments or its file: status 2, nothing on stdout, and
/// `message` on stderr.
pub fn assert_usage_error(output: &std::process::Output, message: &str) {
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    assert!(output.stdout.is_empty(), "{output:?}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(message),
        "{output:?}"
    );
}

/// POST a JSON value; the status as a number and the body as text, byte for byte.
pub async fn post_text(path: &str, body: &Value) -> (u16, String) {
    let reply = post(path, body).await;
    (
        reply.status.as_u16(),
        String::from_utf8_lossy(&reply.body).into_owned(),
    )
}

/// GET a path; the status as a number and the body as text, byte for byte.
pub async fn get_text(path: &str) -> (u16, String) {
    let reply = request(Method::GET, path, None, Body::empty()).await;
    (
        reply.status.as_u16(),
        String::from_utf8_lossy(&reply.body).into_owned(),
    )
}

/// Every registered algorithm `listed` does not name, each with hyperparameters for a short
/// run (a learning rate of 0.2 where it needs one, its defaults otherwise): so that the tests
/// that go over every algorithm by hand go over one registered later too.
pub fn unlisted_algorithms(listed: &[&str]) -> Vec<(&'static str, Value)> {
    use gradtrace::wire::catalog::{Default, ALGORITHMS};
    ALGORITHMS
        .iter()
        .filter(|spec| !listed.contains(&spec.name))
        .map(|spec| {
            let needs_rate = spec.uses.iter().any(|u| {
                u.name == "learning_rate" && u.default == Default::Required && u.only_when.is_none()
            });
            let hyperparameters = if needs_rate {
                serde_json::json!({"learning_rate": 0.2})
            } else {
                serde_json::json!({})
            };
            (spec.name, hyperparameters)
        })
        .collect()
}

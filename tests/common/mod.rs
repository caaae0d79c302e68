//! What several test binaries share (each includes this file with `#[path]`): a response read
//! whole, one request to an in-memory app, the course's problems as fixtures loaded from
//! `tests/fixtures/` rather than written again, and (`course`) as the core's own values.

#![allow(dead_code)] // each binary uses its own part of this

pub mod course;
pub mod networks;
pub mod platforms;
pub mod socket;

use axum::body::Body;
use axum::http::{header, HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

/// A response, fully read.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    /// The body as JSON (panics with the body's text if it is not).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body[..self.body.len().min(500)])
            )
        })
    }

    pub fn content_type(&self) -> &str {
        self.header(header::CONTENT_TYPE.as_str()).unwrap_or("")
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request to an in-memory app, its response read whole.
pub async fn send_to(app: &axum::Router, request: Request<Body>) -> Reply {
    let response = app
        .clone()
        .oneshot(request)
        .await
        .expect("the router is infallible");
    let status = response.status();
    let headers = response.headers().clone();
    let body = response
        .into_body()
        .collect()
        .await
        .expect("the body is readable")
        .to_bytes()
        .to_vec();
    Reply {
        status,
        headers,
        body,
    }
}

/// A fixture under `tests/fixtures/`, as JSON.
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The course's momentum problem, docs/contract.md §2.
pub fn momentum() -> Value {
    fixture("momentum.json")
}

/// The course's Adam exercise, docs/contract.md §10 (`GET /v1/examples/adam`): its three
/// samples and initial weights, α 0.2, β₁ and β₂ 0.8.
pub fn adam() -> Value {
    fixture("adam.json")
}

/// The course's two samples and initial weights (those of [`momentum`]), as a problem's keys.
pub fn course_data() -> Value {
    let momentum = momentum();
    serde_json::json!({"samples": momentum["samples"], "weights": momentum["weights"]})
}

/// [`course_data`] under `algorithm` and its `hyperparameters`, every other key left to its
/// default.
pub fn course(algorithm: &str, hyperparameters: &Value) -> Value {
    merged(
        course_data(),
        serde_json::json!({"algorithm": algorithm, "hyperparameters": hyperparameters}),
    )
}

/// `object` with every key of `keys` set (replacing any it had).
pub fn merged(mut object: Value, keys: Value) -> Value {
    if let (Some(target), Value::Object(keys)) = (object.as_object_mut(), keys) {
        target.extend(keys);
    }
    object
}

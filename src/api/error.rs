//! Every error the HTTP edge returns, as RFC 9457 `application/problem+json` (docs/contract.md §9), made in
//! exactly one place: `impl IntoResponse for ApiError`.
//!
//! `type` is a stable URI per kind of error, `https://gradtrace.dev/problems/<kind>`; clients
//! switch on it (or on `status`), never on `title` or `detail`, which are for people.

use std::time::Duration;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::config::Limit;

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Where the `type` URIs live.
const TYPE_BASE: &str = "https://gradtrace.dev/problems/";

pub use crate::wire::fields::{FieldError, LimitDetails};

/// An RFC 9457 problem details object.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "https://gradtrace.dev/problems/validation",
    "title": "The request is not a valid problem",
    "status": 422,
    "detail": "2 errors; see `errors`.",
    "errors": [
        {"pointer": "/samples/1/x", "detail": "has 3 inputs but `weights` has 2"},
        {"pointer": "/hyperparameters/beta", "detail": "must be in [0, 1)"}
    ]
}))]
pub struct ProblemDetails {
    /// Stable identifier of the kind of problem: `https://gradtrace.dev/problems/` followed by
    /// `validation`, `malformed-json`, `unsupported-media-type`, `payload-too-large`,
    /// `not-found`, `method-not-allowed`, `bad-request`, `overloaded`, `timeout`,
    /// `shutting-down` (only in a stream's `error` line) or `internal`.
    #[serde(rename = "type")]
    #[schema(example = "https://gradtrace.dev/problems/validation")]
    pub kind: String,
    /// Short summary of the kind; the same for every occurrence.
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 422)]
    pub status: u16,
    /// What went wrong this time.
    pub detail: String,
    /// Every violation, for `validation` problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<FieldError>>,
    /// Line (1-based) of a JSON syntax error, for `malformed-json` problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// Column (1-based) of a JSON syntax error, for `malformed-json` problems.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The configured limit the request ran into, for `payload-too-large` and `timeout`
    /// problems (a `validation` problem names its limits in `errors`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<Box<LimitDetails>>,
}

/// Everything that can go wrong at the edge.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The JSON is well formed but breaks the contract; every violation is listed. 422.
    Validation(Vec<FieldError>),
    /// The body is not JSON. 400.
    MalformedJson {
        message: String,
        line: usize,
        column: usize,
    },
    /// The body could not be read for another reason. 400.
    BadRequest(String),
    /// No or another content type than JSON. 415.
    UnsupportedMediaType(Option<String>),
    /// The body is over the configured limit (bytes). 413.
    PayloadTooLarge { limit: u64 },
    /// Too many requests in flight: refused at once rather than queued. 503 with
    /// `Retry-After` (seconds).
    Overloaded { retry_after: u64 },
    /// The connection came in past the connection cap and asked for something other than a
    /// probe's `/healthz` or `/metrics`. 503 with `Retry-After` (seconds).
    TooManyConnections { retry_after: u64 },
    /// The request took longer than the configured limit. 503 with `Retry-After` (seconds).
    Timeout { limit: Duration, retry_after: u64 },
    /// A stream ran longer than its configured limit (its `error` line). 503.
    StreamTimeout { limit: Duration },
    /// The service is stopping (SIGTERM): a running stream's `error` line. 503.
    ShuttingDown,
    /// No such path, or no such resource under it. 404.
    NotFound(String),
    /// The path exists but not with this method. 405.
    MethodNotAllowed(String),
    /// A bug; never caused by input. 500.
    Internal(String),
}

impl ApiError {
    /// The error for a JSON syntax error, with its position.
    pub fn malformed_json(error: &serde_json::Error) -> Self {
        // serde_json's Display already ends with "at line L column C"; keep only the cause so
        // the position is written once, in our words.
        let text = error.to_string();
        let message = match text.rfind(" at line ") {
            Some(at) => text[..at].to_string(),
            None => text,
        };
        ApiError::MalformedJson {
            message,
            line: error.line(),
            column: error.column(),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::MalformedJson { .. } | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Overloaded { .. }
            | ApiError::TooManyConnections { .. }
            | ApiError::Timeout { .. }
            | ApiError::StreamTimeout { .. }
            | ApiError::ShuttingDown => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The problem details body.
    pub fn problem(&self) -> ProblemDetails {
        let (kind, title, detail) = match self {
            ApiError::Validation(errors) => (
                "validation",
                "The request is not a valid problem",
                match errors.len() {
                    1 => "1 error; see `errors`.".to_string(),
                    n => format!("{n} errors; see `errors`."),
                },
            ),
            ApiError::MalformedJson {
                message,
                line,
                column,
            } => (
                "malformed-json",
                "The body is not valid JSON",
                format!("{message} at line {line}, column {column}."),
            ),
            ApiError::BadRequest(detail) => ("bad-request", "Bad request", detail.clone()),
            ApiError::UnsupportedMediaType(got) => (
                "unsupported-media-type",
                "Unsupported media type",
                match got {
                    Some(got) => format!(
                        "The body must be JSON, sent with `Content-Type: application/json`; \
                         got `{got}`."
                    ),
                    None => "The body must be JSON, sent with `Content-Type: application/json`; \
                             the request has no Content-Type."
                        .to_string(),
                },
            ),
            ApiError::PayloadTooLarge { limit } => (
                "payload-too-large",
                "Payload too large",
                format!(
                    "The body is larger than the limit of {} (max_body_bytes; {}).",
                    crate::solve::expr::count(*limit, "byte", "bytes"),
                    Limit::BodyBytes.how_to_raise()
                ),
            ),
            ApiError::Overloaded { retry_after } => (
                "overloaded",
                "Overloaded",
                format!(
                    "The service is answering as many requests as it is configured to \
                     (max_in_flight); try again in {retry_after} s."
                ),
            ),
            ApiError::TooManyConnections { retry_after } => (
                "overloaded",
                "Overloaded",
                format!(
                    "The service has as many connections open as it is configured to \
                     (max_connections; {}); try again in {retry_after} s.",
                    Limit::MaxConnections.how_to_raise()
                ),
            ),
            ApiError::Timeout { limit, retry_after } => (
                "timeout",
                "Request took too long",
                format!(
                    "The request was not answered within the limit of {} (request_timeout; \
                     {}); try again in {retry_after} s, or ask for a smaller problem.",
                    shown_duration(*limit),
                    Limit::RequestTimeout.how_to_raise()
                ),
            ),
            ApiError::StreamTimeout { limit } => (
                "timeout",
                "Request took too long",
                format!(
                    "The stream ran for its limit of {} (stream_timeout; {}) and was cut \
                     short; ask for fewer updates, or post the last weights as a new problem \
                     to go on.",
                    shown_duration(*limit),
                    Limit::StreamTimeout.how_to_raise()
                ),
            ),
            ApiError::ShuttingDown => (
                "shutting-down",
                "The service is shutting down",
                "The service is stopping, so the stream was cut short; try again in a moment \
                 (another instance may answer), or post the last weights as a new problem to \
                 go on."
                    .to_string(),
            ),
            ApiError::NotFound(detail) => ("not-found", "Not found", detail.clone()),
            ApiError::MethodNotAllowed(detail) => {
                ("method-not-allowed", "Method not allowed", detail.clone())
            }
            ApiError::Internal(detail) => ("internal", "Internal error", detail.clone()),
        };
        let (line, column) = match self {
            ApiError::MalformedJson { line, column, .. } => (Some(*line), Some(*column)),
            _ => (None, None),
        };
        ProblemDetails {
            kind: format!("{TYPE_BASE}{kind}"),
            title: title.to_string(),
            status: self.status().as_u16(),
            detail,
            errors: match self {
                ApiError::Validation(errors) => Some(errors.clone()),
                _ => None,
            },
            line,
            column,
            limit: match self {
                ApiError::PayloadTooLarge { limit } => {
                    Some(Box::new(LimitDetails::new(Limit::BodyBytes, *limit)))
                }
                ApiError::Timeout { limit, .. } => Some(Box::new(LimitDetails::duration(
                    Limit::RequestTimeout,
                    *limit,
                ))),
                ApiError::StreamTimeout { limit } => Some(Box::new(LimitDetails::duration(
                    Limit::StreamTimeout,
                    *limit,
                ))),
                _ => None,
            },
        }
    }

    /// Seconds after which a retry may succeed, for the `Retry-After` header.
    fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::Overloaded { retry_after }
            | ApiError::TooManyConnections { retry_after }
            | ApiError::Timeout { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }
}

/// `10 s`, `250 ms`.
fn shown_duration(duration: Duration) -> String {
    if duration.subsec_millis() == 0 {
        format!("{} s", duration.as_secs())
    } else {
        format!("{} ms", duration.as_millis())
    }
}

impl From<Vec<FieldError>> for ApiError {
    fn from(errors: Vec<FieldError>) -> Self {
        ApiError::Validation(errors)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(detail) = &self {
            tracing::error!(%detail, "internal error");
        }
        let status = self.status();
        let body = problem_body(&self.problem());
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.retry_after() {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

/// The serialized body. `ProblemDetails` holds only strings and integers, so serialization
/// cannot fail; the fallback is there so that even a broken invariant gives a well-formed body.
pub fn problem_body(problem: &ProblemDetails) -> Vec<u8> {
    super::json::to_vec(problem).unwrap_or_else(|_| {
        br#"{"type":"https://gradtrace.dev/problems/internal","title":"Internal error","status":500,"detail":"could not serialize the error"}"#.to_vec()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_keeps_its_position_once() {
        let Err(error) = serde_json::from_str::<serde_json::Value>("{\n  \"a\": ,\n}") else {
            panic!("that is not JSON");
        };
        let problem = ApiError::malformed_json(&error).problem();
        assert_eq!(problem.status, 400);
        assert_eq!(problem.line, Some(2));
        assert_eq!(problem.detail, "expected value at line 2, column 8.");
    }

    #[test]
    fn validation_problems_list_their_errors() {
        let problem =
            ApiError::Validation(vec![FieldError::new("/weights", "is required")]).problem();
        assert_eq!(problem.kind, "https://gradtrace.dev/problems/validation");
        assert_eq!(problem.status, 422);
        assert_eq!(problem.errors.map(|e| e.len()), Some(1));
    }

    #[test]
    fn an_overloaded_service_says_when_to_retry() {
        let response = ApiError::Overloaded { retry_after: 1 }.into_response();
        assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            response.headers().get(header::RETRY_AFTER),
            Some(&HeaderValue::from_static("1"))
        );
    }

    #[test]
    fn a_timeout_names_its_limit_in_seconds() {
        let problem = ApiError::Timeout {
            limit: Duration::from_millis(250),
            retry_after: 1,
        }
        .problem();
        let limit = problem.limit.expect("a timeout names its limit");
        assert_eq!(limit.name, "request_timeout");
        assert_eq!(limit.value.as_f64(), Some(0.25));
        assert!(problem.detail.contains("250 ms"), "{}", problem.detail);
        assert!(
            problem.detail.contains("--request-timeout"),
            "{}",
            problem.detail
        );
    }

    #[test]
    fn a_body_over_the_limit_names_the_flag_that_raises_it() {
        let problem = ApiError::PayloadTooLarge { limit: 1024 }.problem();
        assert!(problem.detail.contains("1024 bytes"), "{}", problem.detail);
        assert!(
            problem.detail.contains("GRADTRACE_MAX_BODY_BYTES"),
            "{}",
            problem.detail
        );
        assert_eq!(problem.limit.map(|l| l.value), Some(1024.into()));
    }
}

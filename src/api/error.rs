//! Every error the HTTP edge returns, as RFC 9457 `application/problem+json` (docs/contract.md
//! §9), made in exactly one place: `impl IntoResponse for ApiError`. A use case's own errors
//! ([`crate::usecase::Error`]) keep their problem document; the edge adds its own kinds (the
//! media type, the body limit, load, time, routing) and the status line and headers.

use std::time::Duration;

use crate::config::Limit;
use crate::usecase;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

pub use crate::wire::fields::{FieldError, LimitDetails};
pub use crate::wire::problem::ProblemDetails;

/// Everything that can go wrong at the edge.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// A use case's refusal or failure: a validation problem (422), a body that is not JSON
    /// (400), a bug (500).
    Case(usecase::Error),
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
}

impl ApiError {
    /// A bug at the edge; never caused by input. 500.
    pub fn internal(detail: impl Into<String>) -> Self {
        ApiError::Case(usecase::Error::Internal(detail.into()))
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Case(error) => {
                StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Overloaded { .. }
            | ApiError::TooManyConnections { .. }
            | ApiError::Timeout { .. }
            | ApiError::StreamTimeout { .. }
            | ApiError::ShuttingDown => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
        }
    }

    /// The problem details body.
    pub fn problem(&self) -> ProblemDetails {
        let (kind, title, detail) = match self {
            ApiError::Case(error) => return error.problem(),
            other => other.described(),
        };
        let limit = match self {
            ApiError::PayloadTooLarge { limit } => {
                Some(LimitDetails::new(Limit::BodyBytes, *limit))
            }
            ApiError::Timeout { limit, .. } => {
                Some(LimitDetails::duration(Limit::RequestTimeout, *limit))
            }
            ApiError::StreamTimeout { limit } => {
                Some(LimitDetails::duration(Limit::StreamTimeout, *limit))
            }
            _ => None,
        };
        ProblemDetails {
            limit: limit.map(Box::new),
            ..ProblemDetails::new(kind, title, self.status().as_u16(), detail)
        }
    }

    /// The kind, title and detail of an edge error (a use case's error has its own).
    fn described(&self) -> (&'static str, &'static str, String) {
        match self {
            // `problem` answers a use case's error with its own document; this arm only keeps
            // the match whole.
            ApiError::Case(error) => ("internal", "Internal error", error.problem().detail),
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

impl From<usecase::Error> for ApiError {
    fn from(error: usecase::Error) -> Self {
        ApiError::Case(error)
    }
}

impl From<Vec<FieldError>> for ApiError {
    fn from(errors: Vec<FieldError>) -> Self {
        ApiError::Case(usecase::Error::Validation(errors))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Case(usecase::Error::Internal(detail)) = &self {
            tracing::error!(%detail, "internal error");
        }
        let status = self.status();
        let body = self.problem().to_json();
        let mut response = (status, body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        if let Some(seconds) = self.retry_after() {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

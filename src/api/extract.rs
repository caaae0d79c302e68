//! `ApiJson`: the body of a POST as a `serde_json::Value`, with every way of failing turned into
//! an `ApiError` (problem+json), never axum's plain-text rejections.
//!
//! The body is read as an untyped value on purpose: syntax errors come back as 400 with line and
//! column, and the shape is checked afterwards by `wire::validate`, which reports every violation
//! at once instead of serde's first one.
//!
//! The size limit is axum's `DefaultBodyLimit`, set by `api::app_with` from the configured
//! [`Limits`], which it also puts in the request's extensions so the 413 can name its value.

use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, Query, Request};
use axum::http::{header, StatusCode};

use super::error::ApiError;
use crate::config::Limits;

/// A JSON request body, parsed but not yet validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiJson(pub serde_json::Value);

impl<S: Send + Sync> FromRequest<S> for ApiJson {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        check_content_type(request.headers().get(header::CONTENT_TYPE))?;
        let limit = request
            .extensions()
            .get::<Limits>()
            .copied()
            .unwrap_or_default()
            .body_bytes;
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| {
                if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::PayloadTooLarge { limit }
                } else {
                    ApiError::BadRequest(format!("The body could not be read: {rejection}."))
                }
            })?;
        Ok(ApiJson(crate::usecase::parse(&bytes)?))
    }
}

/// A query string as a handler receives it: read, or why not.
pub type QueryResult<Q> = Result<Query<Q>, QueryRejection>;

/// The query string read, or the 400 that says what it may hold (`allowed`, a sentence).
pub fn query<Q>(query: QueryResult<Q>, allowed: &str) -> Result<Q, ApiError> {
    query
        .map(|Query(query)| query)
        .map_err(|rejection| not_understood(&format!(": {}", rejection.body_text()), allowed))
}

/// The 400 of a query string that is not understood (`detail` says why, after a colon, or is
/// empty).
pub fn not_understood(detail: &str, allowed: &str) -> ApiError {
    ApiError::BadRequest(format!(
        "The query string is not understood{detail}. {allowed}"
    ))
}

/// `application/json`, or any `application/<something>+json`, with any parameters.
fn check_content_type(value: Option<&header::HeaderValue>) -> Result<(), ApiError> {
    let Some(value) = value else {
        return Err(ApiError::UnsupportedMediaType(None));
    };
    let text = value.to_str().unwrap_or("");
    let essence = text
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let is_json = essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"));
    if is_json {
        Ok(())
    } else {
        // Echo at most a short, printable prefix of whatever was sent.
        let shown: String = String::from_utf8_lossy(value.as_bytes())
            .chars()
            .filter(|c| !c.is_control())
            .take(100)
            .collect();
        Err(ApiError::UnsupportedMediaType(Some(shown)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn json_with_a_charset_and_json_suffix_types_are_accepted() {
        for accepted in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
            "application/problem+json",
        ] {
            assert!(check_content_type(Some(&HeaderValue::from_static(accepted))).is_ok());
        }
    }

    #[test]
    fn text_and_missing_content_types_are_refused() {
        let plain = HeaderValue::from_static("text/plain");
        assert!(matches!(
            check_content_type(Some(&plain)),
            Err(ApiError::UnsupportedMediaType(Some(_)))
        ));
        assert_eq!(
            check_content_type(None),
            Err(ApiError::UnsupportedMediaType(None))
        );
    }
}

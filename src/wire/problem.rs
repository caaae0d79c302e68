//! The published shape of every error: an RFC 9457 problem details object (docs/contract.md
//! §9), as the HTTP edge sends it with `application/problem+json` and the CLI prints it.
//!
//! `type` is a stable URI per kind of error, `https://gradtrace.dev/problems/<kind>`; clients
//! switch on it (or on `status`), never on `title` or `detail`, which are for people.

use serde::Serialize;
use utoipa::ToSchema;

pub use super::fields::{FieldError, LimitDetails};

/// Where the `type` URIs live.
const TYPE_BASE: &str = "https://gradtrace.dev/problems/";

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

impl ProblemDetails {
    /// A problem of `kind` (the last part of its `type` URI) with no extension members.
    pub fn new(kind: &str, title: &str, status: u16, detail: String) -> Self {
        ProblemDetails {
            kind: format!("{TYPE_BASE}{kind}"),
            title: title.to_string(),
            status,
            detail,
            errors: None,
            line: None,
            column: None,
            limit: None,
        }
    }

    /// The serialized body. A problem holds only strings and integers, so serialization
    /// cannot fail; the fallback is there so that even a broken invariant gives a well-formed
    /// body.
    pub fn to_json(&self) -> Vec<u8> {
        super::json::to_vec(self).unwrap_or_else(|_| {
            br#"{"type":"https://gradtrace.dev/problems/internal","title":"Internal error","status":500,"detail":"could not serialize the error"}"#.to_vec()
        })
    }
}

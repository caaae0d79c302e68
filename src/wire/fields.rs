//! A request's violations as every caller reports them: each located by a JSON pointer, with
//! the configured limit it is over where that is what is wrong. The HTTP edge sends them in its
//! problem+json, the CLI prints the same.

use std::time::Duration;

use serde::Serialize;
use utoipa::ToSchema;

use crate::config::Limit;

/// One violation in a request, located by a JSON pointer (RFC 6901) into the request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct FieldError {
    /// JSON pointer to the offending value (or to where a missing one belongs); `""` is the
    /// whole body.
    #[schema(example = "/hyperparameters/beta")]
    pub pointer: String,
    /// What is wrong, as a sentence fragment that follows the pointer.
    #[schema(example = "must be in [0, 1)")]
    pub detail: String,
    /// The configured limit this value is over, when that is what is wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<Box<LimitDetails>>,
}

impl FieldError {
    pub fn new(pointer: impl Into<String>, detail: impl Into<String>) -> Self {
        FieldError {
            pointer: pointer.into(),
            detail: detail.into(),
            limit: None,
        }
    }

    /// A value over a configured limit: the detail says so and names the flag and variable
    /// that raise it, and `limit` says the same for programs.
    pub fn over_limit(
        pointer: impl Into<String>,
        detail: impl AsRef<str>,
        limit: LimitDetails,
    ) -> Self {
        FieldError {
            pointer: pointer.into(),
            detail: format!("{}; {}", detail.as_ref(), limit.how_to_raise()),
            limit: Some(Box::new(limit)),
        }
    }
}

/// A configurable limit as an error names it: what it is, its value, and how an operator
/// raises it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct LimitDetails {
    /// The limit, as its flag without the dashes: `max_body_bytes`, `max_samples`,
    /// `max_features`, `max_trace_entries`, `max_values_trace_entries`, `max_summary_entries`,
    /// `max_stream_updates`, `max_batch_problems`, `request_timeout`, `stream_timeout`, …
    /// (`serve --help` lists them all).
    #[schema(example = "max_samples")]
    pub name: String,
    /// Its value in force: a count, bytes for `max_body_bytes`, seconds for `request_timeout`
    /// and `stream_timeout`.
    #[schema(value_type = f64, example = 10000)]
    pub value: serde_json::Number,
    /// The `serve` flag that sets it.
    #[schema(example = "--max-samples")]
    pub flag: String,
    /// The environment variable that sets it.
    #[schema(example = "GRADTRACE_MAX_SAMPLES")]
    pub env: String,
}

impl LimitDetails {
    /// A limit on a count or size.
    pub fn new(limit: Limit, value: u64) -> Self {
        LimitDetails {
            name: limit.name(),
            value: value.into(),
            flag: limit.flag(),
            env: limit.env(),
        }
    }

    /// A limit on time, in seconds.
    pub fn duration(limit: Limit, value: Duration) -> Self {
        let seconds = value.as_secs_f64();
        let value = if value.subsec_nanos() == 0 {
            value.as_secs().into()
        } else {
            // Finite by construction; 0 only if a broken invariant made it NaN.
            serde_json::Number::from_f64(seconds).unwrap_or_else(|| 0.into())
        };
        LimitDetails {
            name: limit.name(),
            value,
            flag: limit.flag(),
            env: limit.env(),
        }
    }

    fn how_to_raise(&self) -> String {
        format!("an operator raises it with {} or {}", self.flag, self.env)
    }
}

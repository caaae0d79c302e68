//! `POST /v1/schedule` (docs/contract.md §5): tabulate a learning-rate schedule on its own, each rate with
//! its worked line, as the course's annealing examples do.

use axum::Extension;

use super::error::{ApiError, FieldError, ProblemDetails};
use super::extract::ApiJson;
use super::json::Json;
use crate::config::Limits;
use crate::solve::expr::Precision;
use crate::solve::schedule::rate_line;
use crate::wire::model::{ScheduleRequest, ScheduleResponse, ScheduledRate};
use crate::wire::validate;

/// The learning rate at each given epoch.
#[utoipa::path(
    post,
    path = "/v1/schedule",
    tag = "schedule",
    request_body(
        content = ScheduleRequest,
        description = "α₀, the schedule, and the values of e to tabulate.",
        content_type = "application/json"
    ),
    responses(
        (status = 200, description = "The rate at each epoch, with its worked line", body = ScheduleResponse),
        (status = 400, description = "The body is not JSON (with line and column)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the body limit (1 MiB by default; `limit` names it)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The request breaks the contract, or has more epochs than the configured limit; `errors` names every violation by JSON pointer", body = ProblemDetails, content_type = "application/problem+json")
    )
)]
pub async fn schedule(
    Extension(limits): Extension<Limits>,
    ApiJson(body): ApiJson,
) -> Result<Json<ScheduleResponse>, ApiError> {
    let valid = validate::schedule_request_with(&body, &limits)?;
    Ok(Json(tabulate(valid)?))
}

/// The table for a validated request.
pub fn tabulate(valid: validate::ValidSchedule) -> Result<ScheduleResponse, ApiError> {
    let kind = valid.schedule.kind;
    let mut rates = Vec::with_capacity(valid.epochs.len());
    let mut errors = Vec::new();
    for (i, &epoch) in valid.epochs.iter().enumerate() {
        let line = rate_line(valid.learning_rate, kind, epoch, Precision::Full);
        // The ranges make every rate finite; checked anyway because serde_json would write a
        // NaN as null without a word.
        if !line.value.is_finite() {
            errors.push(FieldError::new(
                format!("/epochs/{i}"),
                "gives a rate that is not a finite number",
            ));
            continue;
        }
        rates.push(ScheduledRate {
            epoch,
            learning_rate: line.value,
            line,
        });
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(ScheduleResponse {
        learning_rate: valid.learning_rate,
        schedule: valid.schedule.into(),
        rates,
        warnings: valid.warnings,
    })
}

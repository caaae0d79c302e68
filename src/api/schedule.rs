//! `POST /v1/schedule` (docs/contract.md §5): tabulate a learning-rate schedule on its own, each
//! rate with its worked line. The work is `usecase::schedule`'s.

use axum::Extension;

use super::error::{ApiError, ProblemDetails};
use super::extract::ApiJson;
use super::json::Json;
use crate::config::Limits;
use crate::usecase::schedule::tabulate;
use crate::wire::model::{ScheduleRequest, ScheduleResponse};
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

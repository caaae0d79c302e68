//! `POST /v1/solve` (SPEC §7): validate, run the core, serialize. The CLI's `solve` command goes
//! through `solve_body` too, so both give the same JSON for the same problem.

use axum::Json;

use super::error::{ApiError, ProblemDetails};
use super::extract::ApiJson;
use super::model::{SolveRequest, SolveResponse};
use super::validate::{self, ValidProblem};
use crate::solve;

/// Solve a problem: every update's worked lines and values.
#[utoipa::path(
    post,
    path = "/v1/solve",
    tag = "solve",
    request_body(
        content = SolveRequest,
        description = "The problem (SPEC §2). The example is the course's momentum exercise.",
        content_type = "application/json"
    ),
    responses(
        (status = 200, description = "The worked solution", body = SolveResponse),
        (status = 400, description = "The body is not JSON (with line and column)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 1 MiB", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The problem breaks the contract; `errors` names every violation by JSON pointer", body = ProblemDetails, content_type = "application/problem+json")
    )
)]
pub async fn solve(ApiJson(body): ApiJson) -> Result<Json<SolveResponse>, ApiError> {
    let valid = validate::problem(&body)?;
    let response = blocking(move || respond(valid)).await?;
    Ok(Json(response))
}

/// Validate and solve an already parsed body, synchronously (the CLI).
pub fn solve_body(body: &serde_json::Value) -> Result<SolveResponse, ApiError> {
    Ok(respond(validate::problem(body)?))
}

/// Run the core on a validated problem and assemble the response; validation warnings come
/// before the run's own.
pub fn respond(valid: ValidProblem) -> SolveResponse {
    let ValidProblem {
        problem,
        warnings,
        echo,
    } = valid;
    let mut solution = solve::solve(&problem);
    solution.warnings.splice(0..0, warnings);
    SolveResponse {
        algorithm: echo.algorithm,
        problem: echo,
        solution,
    }
}

/// Run CPU-bound work off the async workers, so one long solve does not stall other requests.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ApiError::Internal(format!("the computation failed: {error}")))
}

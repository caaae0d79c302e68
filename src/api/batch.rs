//! `POST /v1/solve/batch` and `POST /v1/grade/batch`: many bodies of `/v1/solve` (or
//! `/v1/grade`) in one request, each result in its item's place. The work is
//! `usecase::batch`'s; here are the routes and the `detail` query they share with
//! `/v1/variants`.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::{ApiError, ProblemDetails};
use super::extract::{self, ApiJson, QueryResult};
use super::grade::GradeQuery;
use super::overload::blocking;
use crate::config::Limits;
use crate::usecase::batch::{grade_batch_body_with, solve_batch_body_with};
use crate::usecase::encode;
use crate::wire::class::{
    GradeBatchRequest, GradeBatchResponse, SolveBatchRequest, SolveBatchResponse,
};
use crate::wire::model::Detail;

/// Solve many problems at once.
///
/// Each item of `problems` is solved exactly as `POST /v1/solve` would solve it, and its result
/// is put in the same place of `results`: the solution, or the problem+json error (with its
/// `status`, 422 for a broken problem) that `/v1/solve` would return for that body. Items are
/// spread over the machine's cores; `detail` applies to every solution. At most 1000 items, and
/// the valid ones may ask for at most five times one problem's trace limit of that detail
/// together (by default, with `lines`, 500 000 trace entries: updates × (parameters + 1),
/// summed); beyond either limit the whole request is a 422 naming `/problems`.
#[utoipa::path(
    post,
    path = "/v1/solve/batch",
    tag = "class",
    params(DetailQuery),
    request_body(
        content = SolveBatchRequest,
        description = "`{\"problems\": [...]}`: bodies of `POST /v1/solve`. The example's second \
                       item is invalid (β must be in [0, 1)); its result is the 422 error, and the \
                       other two are solved all the same.",
        content_type = "application/json"
    ),
    responses(
        (status = 200, description = "One result per item, in order: a solution, or a problem+json error object", body = SolveBatchResponse),
        (status = 400, description = "The body is not JSON (with line and column), or `detail` is not one of those listed", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 1 MiB", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The body is not `{\"problems\": [...]}`, has more than 1000 items, or its valid items together ask for more than the trace budget of the `detail`; `errors` names `/problems` and the limit", body = ProblemDetails, content_type = "application/problem+json")
    )
)]
pub async fn solve_batch(
    query: QueryResult<DetailQuery>,
    Extension(limits): Extension<Limits>,
    ApiJson(body): ApiJson,
) -> Result<Response, ApiError> {
    let detail = DetailQuery::read(query)?;
    let bytes = blocking(move || encode(&solve_batch_body_with(&body, &limits, detail)?)).await??;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

/// The query of the endpoints that return solutions without rendering them: `/v1/solve/batch`
/// and `/v1/variants`.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DetailQuery {
    /// `lines` (default): every solution's steps with their worked `lines`. `values`: every
    /// step with all its values and `lines: []`, for longer runs (its own, larger limits).
    /// `summary`: `steps: []` and `loss.per_update`, the loss over all samples after each
    /// update. Each solution is what `POST /v1/solve?detail=` returns for its problem.
    #[param(inline)]
    pub detail: Option<Detail>,
}

impl DetailQuery {
    /// The detail asked for, or the 400 of a query that is not understood.
    pub fn read(query: QueryResult<DetailQuery>) -> Result<Detail, ApiError> {
        let query = extract::query(query, "`detail` is lines, values or summary.")?;
        Ok(query.detail.unwrap_or(Detail::Lines))
    }
}

/// Grade a whole class's submissions at once.
///
/// Each item of `submissions` is graded exactly as `POST /v1/grade` would grade it, in the
/// `format` of the query (the same for every item), and its result is put in the same place of
/// `results`: the grade, or the problem+json error `/v1/grade` would return for that body.
/// Submissions are spread over the machine's cores. At most 1000 submissions, and their
/// problems may ask for at most `max_batch_trace_entries` together (by default 500 000); beyond
/// either limit the whole request is a 422 naming `/submissions`.
#[utoipa::path(
    post,
    path = "/v1/grade/batch",
    tag = "class",
    params(GradeQuery),
    request_body(
        content = GradeBatchRequest,
        description = "`{\"submissions\": [...]}`: bodies of `POST /v1/grade`. In the example \
                       the second student's answers are graded, the first's pointer is malformed \
                       and gets a 422 of its own.",
        content_type = "application/json"
    ),
    responses(
        (status = 200, description = "One result per submission, in order: a grade, or a problem+json error object", body = GradeBatchResponse),
        (status = 400, description = "The body is not JSON (with line and column), or `format` is not one of those listed", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 1 MiB", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The body is not `{\"submissions\": [...]}`, has more than 1000 items, or its problems together ask for more than the trace budget; `errors` names `/submissions` and the limit", body = ProblemDetails, content_type = "application/problem+json")
    )
)]
pub async fn grade_batch(
    query: QueryResult<GradeQuery>,
    Extension(limits): Extension<Limits>,
    ApiJson(body): ApiJson,
) -> Result<Response, ApiError> {
    let format = GradeQuery::read(query)?;
    let bytes = blocking(move || encode(&grade_batch_body_with(&body, format, &limits)?)).await??;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

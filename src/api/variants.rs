//! `POST /v1/variants`: a problem template whose numbers may be ranges, a count and a seed →
//! that many variants, each with its solution. The work is `usecase::variants`'s; the generator
//! and its contract are `class::variants` (and `variants.md`, this endpoint's OpenAPI
//! description).

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;

use super::batch::DetailQuery;
use super::error::{ApiError, ProblemDetails};
use super::extract::{ApiJson, QueryResult};
use super::overload::blocking;
use crate::class::variants::SPECIFICATION;
use crate::config::Limits;
use crate::usecase::encode;
use crate::usecase::variants::variants_body_with;
use crate::wire::class::{VariantsRequest, VariantsResponse};

/// Per-student variants of a problem template, each with its solution.
#[utoipa::path(
    post,
    path = "/v1/variants",
    tag = "class",
    description = SPECIFICATION,
    params(DetailQuery),
    request_body(
        content = VariantsRequest,
        description = "A template, a count and a seed. The example: the course's momentum \
                       problem with weights uniform in [0, 1] to 2 decimals, targets in [0, 1] \
                       to 1 decimal, and the learning rate one of 0.1, 0.2, 0.3.",
        content_type = "application/json"
    ),
    responses(
        (status = 200, description = "`count` variants from `start`, each with the drawn values, the problem and its solution", body = VariantsResponse),
        (status = 400, description = "The body is not JSON (with line and column), or `detail` is not one of those listed", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 1 MiB", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The request breaks the contract: a malformed range, a range that can draw a value breaking a rule (pointer under `/template`, with the value), drawn variants that break a rule joining two fields, `count` over 1000, or more trace than the budget (named at `/count`)", body = ProblemDetails, content_type = "application/problem+json")
    )
)]
pub async fn variants(
    query: QueryResult<DetailQuery>,
    Extension(limits): Extension<Limits>,
    ApiJson(body): ApiJson,
) -> Result<Response, ApiError> {
    let detail = DetailQuery::read(query)?;
    let bytes = blocking(move || encode(&variants_body_with(&body, &limits, detail)?)).await??;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

//! `POST /v1/compare`: one problem, several optimizer configurations, solved side by side;
//! `?format=markdown` gives the comparison table. The work is `usecase::compare`'s.

use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::{ApiError, ProblemDetails};
use super::extract::{self, ApiJson, QueryResult};
use super::overload::blocking;
use crate::config::Limits;
use crate::solve::expr::Precision;
use crate::usecase::compare::{compare_body_with, effective_detail, CompareFormat};
use crate::usecase::encode;
use crate::wire::class::{CompareRequest, CompareResponse};
use crate::wire::model::Detail;

/// Query parameters of `POST /v1/compare`.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CompareQuery {
    /// `json` (default) or `markdown`. Without it, an `Accept` header of `text/markdown`
    /// chooses the table.
    #[param(inline)]
    pub format: Option<CompareFormat>,
    /// Significant figures of the numbers in the table, and in the steps' worked lines with
    /// `detail=lines` (default 4; 0 shows each in full). The JSON's numbers always carry full
    /// precision.
    #[param(minimum = 0, maximum = 17, example = 4)]
    pub precision: Option<u32>,
    /// `summary` (default): each column's status, final weights, and loss per epoch and per
    /// update, no steps (max_batch_summary_entries). `values`: each column also has `steps`,
    /// every update's values with `lines: []`; `lines`: its `steps` with their worked lines —
    /// the trace `POST /v1/solve?detail=` gives for the column's `problem`. The Markdown table
    /// is a summary whatever `detail` says.
    #[param(inline)]
    pub detail: Option<Detail>,
}

/// Compare optimizers on one problem.
///
/// Each configuration (`algorithm`, `hyperparameters`, `bias_correction`, `conventions`, and a
/// `label`) is laid over `problem` — `hyperparameters` and `conventions` key by key, the
/// configuration's keys winning — and solved as `POST /v1/solve` solves it. Each result carries
/// the `problem` it solved (post it to `/v1/solve` for the full trace), the final weights, the
/// loss before, after each epoch and after each update, and with a `loss_threshold` the number
/// of updates to reach it. `?format=markdown` returns the comparison as a Markdown table. The
/// example is the course's last exercise: Momentum, Adagrad, RMSProp and Adam on the three
/// samples with α 0.2, β 0.8, β₁ 0.8, β₂ 0.8 and bias correction in each case.
#[utoipa::path(
    post,
    path = "/v1/compare",
    tag = "class",
    params(CompareQuery),
    request_body(
        content = CompareRequest,
        description = "One problem and the configurations to compare on it. The example is the \
                       course's last exercise.",
        content_type = "application/json"
    ),
    responses(
        (status = 200, description = "One result per configuration, in order (`json`), or the comparison table (`markdown`)",
         content(
            (CompareResponse = "application/json"),
            (String = "text/markdown")
         )),
        (status = 400, description = "The body is not JSON (with line and column), or a query parameter is not one of those listed", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 1 MiB", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The request breaks the contract: `errors` names every violation by where its value came from, `/problem/...` or `/configurations/<i>/...`; more than 20 configurations, or more trace than the budget, is named at `/configurations`", body = ProblemDetails, content_type = "application/problem+json")
    )
)]
pub async fn compare(
    query: QueryResult<CompareQuery>,
    headers: HeaderMap,
    Extension(limits): Extension<Limits>,
    ApiJson(body): ApiJson,
) -> Result<Response, ApiError> {
    const ALLOWED: &str = "`format` is json or markdown; `detail` is summary, values or \
                           lines; `precision` is an integer from 0 to 17.";
    let query = extract::query(query, ALLOWED)?;
    if query.precision.is_some_and(|p| p > 17) {
        return Err(extract::not_understood("", ALLOWED));
    }
    let accepts_markdown = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("text/markdown"));
    let format = query.format.unwrap_or(if accepts_markdown {
        CompareFormat::Markdown
    } else {
        CompareFormat::Json
    });
    let precision = query.precision.map(Precision::from_digits);
    let detail = effective_detail(format, query.detail.unwrap_or(Detail::Summary));
    let (content_type, bytes) = blocking(move || -> Result<_, ApiError> {
        let compared = compare_body_with(&body, &limits, detail, precision)?;
        Ok(match format {
            CompareFormat::Json => ("application/json", encode(&compared.response)?),
            CompareFormat::Markdown => (
                "text/markdown; charset=utf-8",
                compared.markdown(precision).into_bytes(),
            ),
        })
    })
    .await??;
    Ok(([(header::CONTENT_TYPE, content_type)], bytes).into_response())
}

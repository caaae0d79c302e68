//! `POST /v1/solve` (docs/contract.md §7, §12): validate, run the core, serialize — as JSON at a `detail`,
//! rendered as Markdown or LaTeX, or streamed as NDJSON (`?format=`, or the `Accept` header;
//! the stream is `api::stream`). The work is `usecase::solve`'s, which `gradtrace solve`
//! calls too.

use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::{ApiError, ProblemDetails};
use super::extract::{self, ApiJson, QueryResult};
use super::stream::Streams;
use crate::config::Limits;
use crate::solve;
use crate::solve::expr::Precision;
use crate::usecase::solve::{effective_detail, rendered_text, respond_at, sizing, Format};
use crate::wire::model::{Detail, SolveRequest, SolveResponse};
use crate::wire::validate;

/// Query parameters of `POST /v1/solve`.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SolveQuery {
    /// `json` (default), `markdown`, `latex`, or `ndjson` (a stream: a `header` line, one `step`
    /// line per update as it is computed, an `end` line; see the 200 response). Without it, an
    /// `Accept` header of `text/markdown`, `application/x-latex` or `application/x-ndjson`
    /// chooses.
    #[param(inline)]
    pub format: Option<Format>,
    /// `lines` (default): every step with its worked `lines`. `values`: every step with all
    /// its values and `lines: []` — for longer runs (max_values_trace_entries,
    /// max_values_forward_entries). `summary`: `steps: []` and `loss.per_update`, the loss over
    /// all samples after each update (max_summary_entries); as a stream, a `header` and an
    /// `end` line and no `step` lines. The Markdown and LaTeX renderings are the worked lines:
    /// they ignore `detail` and are held to the limits of `lines`.
    #[param(inline)]
    pub detail: Option<Detail>,
    /// Significant figures of the numbers *displayed* in `substitution`, `latex` and the
    /// renderings (default 4, as the course prints them); 0 shows each number in full (the
    /// shortest decimal that reads back as the same double). `value`s always keep full
    /// precision, and in hand-calculation mode (`rounding`) the rounded values are shown as
    /// they are.
    #[param(minimum = 0, maximum = 17, example = 4)]
    pub precision: Option<u32>,
    /// With `format=latex` (or an `Accept` of `application/x-latex`): `true` returns a whole
    /// document that pdflatex compiles as it is (the preamble, `\begin{document}`, the fragment,
    /// `\end{document}`) instead of the fragment alone (default `false`). The other
    /// renderings ignore it. See docs/latex.md.
    #[param(example = false)]
    pub standalone: Option<bool>,
}

impl SolveQuery {
    /// Whether a whole LaTeX document is asked for. Only the LaTeX rendering has a document
    /// to make whole; the others ignore it, as they ignore `detail`'s choice of lines (a query
    /// that schemathesis finds schema-valid must not be refused for a combination).
    pub fn standalone(&self, format: Format) -> bool {
        self.standalone == Some(true) && format == Format::Latex
    }

    /// The display precision asked for, if any.
    pub fn display_precision(&self) -> Option<Precision> {
        self.precision.map(Precision::from_digits)
    }
}

/// Solve a problem: every update's worked lines and values.
#[utoipa::path(
    post,
    path = "/v1/solve",
    tag = "solve",
    params(SolveQuery),
    request_body(
        content = SolveRequest,
        description = "The problem (docs/contract.md §2). The example is the course's momentum exercise.",
        content_type = "application/json"
    ),
    responses(
        (status = 200, description = "The worked solution: the JSON trace at its `detail`, its Markdown or LaTeX rendering, or an NDJSON stream (`format`, or `Accept`). A stream's lines, each a JSON object: first `{\"type\": \"header\", \"algorithm\", \"problem\"}`; then one `{\"type\": \"step\", …}` per update, with the fields of an item of `steps` at the `detail` (`lines` or `values`) and `precision` asked for; last `{\"type\": \"end\", \"status\", \"warnings\", \"final_weights\", \"final_bias\", \"loss\"}`. Put together, they are the JSON solution. A stream cut short after it started — over `stream_timeout`, or the service shutting down — ends instead with `{\"type\": \"error\", \"problem_type\", \"title\", \"status\", \"detail\", …}`: the problem details, their `type` URI as `problem_type`. At `detail=summary` a stream is its `header` and `end` lines, the end with `loss.per_update`. The LaTeX is a fragment, or with `standalone=true` a whole document. A stream holds a solver thread while it computes and stops when the client goes away; it is held to `max_stream_updates` instead of the trace limits (at `summary`, to `max_summary_entries`), and to `request_timeout` only until its first byte.",
         content(
            (SolveResponse = "application/json"),
            (String = "text/markdown"),
            (String = "application/x-latex"),
            (String = "application/x-ndjson")
         )),
        (status = 400, description = "The body is not JSON (with line and column), a query parameter is not one of those listed", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the body limit (1 MiB by default; `limit` names it)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The problem breaks the contract, or asks for more than a configured limit allows; `errors` names every violation by JSON pointer (and the limit, with how an operator raises it)", body = ProblemDetails, content_type = "application/problem+json")
    )
)]
pub async fn solve(
    query: QueryResult<SolveQuery>,
    headers: HeaderMap,
    Extension(limits): Extension<Limits>,
    Extension(streams): Extension<Streams>,
    ApiJson(body): ApiJson,
) -> Result<Response, ApiError> {
    const ALLOWED: &str = "`format` is json, markdown, latex or ndjson; `detail` is lines, \
                           values or summary; `precision` is an integer from 0 to 17; \
                           `standalone` is true or false.";
    let query = extract::query(query, ALLOWED)?;
    if query.precision.is_some_and(|p| p > 17) {
        return Err(ApiError::BadRequest(format!(
            "`precision` is an integer from 0 to 17 (an f64 has no 18th significant digit); \
             {ALLOWED}"
        )));
    }
    let format = query.format.unwrap_or_else(|| negotiate(&headers));
    let standalone = query.standalone(format);
    let detail = effective_detail(format, query.detail.unwrap_or(Detail::Lines));
    let precision = query.display_precision();
    let valid = validate::problem_sized(&body, &limits, sizing(format, detail))?;
    if format == Format::Ndjson {
        return super::stream::respond(valid, detail.into(), precision, streams).await;
    }
    let units = solve::work(&valid.problem, detail.into());
    super::overload::blocking_unless_small(units, move || {
        let response = respond_at(valid, detail.into());
        render_as(&response, format, precision, standalone)
    })
    .await?
}

/// The rendering an `Accept` header asks for: NDJSON, Markdown or LaTeX when it names them,
/// else JSON.
fn negotiate(headers: &HeaderMap) -> Format {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if accept.contains(super::stream::NDJSON) {
        Format::Ndjson
    } else if accept.contains("text/markdown") {
        Format::Markdown
    } else if accept.contains("application/x-latex") || accept.contains("text/x-tex") {
        Format::Latex
    } else {
        Format::Json
    }
}

/// The media type of a rendering.
fn content_type(format: Format) -> &'static str {
    match format {
        Format::Json => "application/json",
        Format::Markdown => "text/markdown; charset=utf-8",
        Format::Latex => "application/x-latex; charset=utf-8",
        Format::Ndjson => super::stream::NDJSON,
    }
}

/// A solved problem as an HTTP response in the chosen format and display precision (LaTeX as
/// a whole document when `standalone`).
pub fn render_as(
    response: &SolveResponse,
    format: Format,
    precision: Option<Precision>,
    standalone: bool,
) -> Result<Response, ApiError> {
    let text = rendered_text(response, format, precision, standalone)?;
    Ok(([(header::CONTENT_TYPE, content_type(format))], text).into_response())
}

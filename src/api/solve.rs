//! `POST /v1/solve` (SPEC §7): validate, run the core, serialize — as JSON, or rendered as
//! Markdown or LaTeX (`?format=`, or the `Accept` header). The CLI's `solve` command goes through
//! `solve_body` and `render_as` too, so both give the same output for the same problem.

use axum::extract::Query;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, ProblemDetails};
use super::extract::ApiJson;
use super::model::{SolveRequest, SolveResponse};
use super::validate::{self, ValidProblem};
use crate::config::Limits;
use crate::render;
use crate::solve;
use crate::solve::expr::{Precision, DEFAULT_PRECISION};

/// How a solution is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// The JSON trace (SPEC §7).
    Json,
    /// A page that reads like the course's solution pages: a heading per update, one equation
    /// per line.
    Markdown,
    /// A LaTeX fragment: a `\subsection*` and an `align*` block per update.
    Latex,
}

impl Format {
    /// The media type of the rendering.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Markdown => "text/markdown; charset=utf-8",
            Format::Latex => "application/x-latex; charset=utf-8",
        }
    }
}

/// Query parameters of `POST /v1/solve`.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SolveQuery {
    /// `json` (default), `markdown` or `latex`. Without it, an `Accept` header of
    /// `text/markdown` or `application/x-latex` chooses the rendering.
    #[param(inline)]
    pub format: Option<Format>,
    /// Significant figures of the numbers *displayed* in `substitution`, `latex` and the
    /// renderings (default 4, as the course prints them); 0 shows each number in full (the
    /// shortest decimal that reads back as the same double). `value`s always keep full
    /// precision, and in hand-calculation mode (`rounding`) the rounded values are shown as
    /// they are.
    #[param(minimum = 0, maximum = 17, example = 4)]
    pub precision: Option<u32>,
}

impl SolveQuery {
    /// The display precision asked for, if any.
    pub fn display_precision(&self) -> Option<Precision> {
        self.precision.map(|p| match p {
            0 => Precision::Full,
            k => Precision::Significant(k.min(17)),
        })
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
        description = "The problem (SPEC §2). The example is the course's momentum exercise.",
        content_type = "application/json"
    ),
    responses(
        (status = 200, description = "The worked solution: the JSON trace, or its Markdown or LaTeX rendering (`format`, or `Accept`)",
         content(
            (SolveResponse = "application/json"),
            (String = "text/markdown"),
            (String = "application/x-latex")
         )),
        (status = 400, description = "The body is not JSON (with line and column), or a query parameter is not one of those listed", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the body limit (1 MiB by default; `limit` names it)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The problem breaks the contract, or asks for more than a configured limit allows; `errors` names every violation by JSON pointer (and the limit, with how an operator raises it)", body = ProblemDetails, content_type = "application/problem+json")
    )
)]
pub async fn solve(
    query: Result<Query<SolveQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    Extension(limits): Extension<Limits>,
    ApiJson(body): ApiJson,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|rejection| {
        ApiError::BadRequest(format!(
            "The query string is not understood: {}. `format` is json, markdown or latex; \
             `precision` is an integer from 0 to 17.",
            rejection.body_text()
        ))
    })?;
    if query.precision.is_some_and(|p| p > 17) {
        return Err(ApiError::BadRequest(
            "`precision` is an integer from 0 to 17 (an f64 has no 18th significant digit); \
             `format` is json, markdown or latex."
                .to_string(),
        ));
    }
    let format = query.format.unwrap_or_else(|| negotiate(&headers));
    let valid = validate::problem_with(&body, &limits)?;
    let precision = query.display_precision();
    blocking(move || {
        let response = respond(valid);
        render_as(&response, format, precision)
    })
    .await?
}

/// The rendering an `Accept` header asks for: Markdown or LaTeX when it names them, else JSON.
fn negotiate(headers: &HeaderMap) -> Format {
    let accept = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if accept.contains("text/markdown") {
        Format::Markdown
    } else if accept.contains("application/x-latex") || accept.contains("text/x-tex") {
        Format::Latex
    } else {
        Format::Json
    }
}

/// A solved problem as an HTTP response in the chosen format and display precision.
pub fn render_as(
    response: &SolveResponse,
    format: Format,
    precision: Option<Precision>,
) -> Result<Response, ApiError> {
    let text = rendered_text(response, format, precision)?;
    Ok(([(header::CONTENT_TYPE, format.content_type())], text).into_response())
}

/// The body text of a solved problem in the chosen format (the CLI prints it).
pub fn rendered_text(
    response: &SolveResponse,
    format: Format,
    precision: Option<Precision>,
) -> Result<String, ApiError> {
    let display = precision.unwrap_or(DEFAULT_PRECISION);
    match format {
        // Hand-rounded lines keep their rounded digits whatever is asked (`Line::shown`).
        Format::Json => {
            let mut out = Vec::new();
            response.write_json(&mut out, precision);
            String::from_utf8(out)
                .map_err(|error| ApiError::Internal(format!("cannot serialize: {error}")))
        }
        Format::Markdown => Ok(render::markdown(
            &response.core_problem,
            &response.solution,
            display,
        )),
        Format::Latex => Ok(render::latex(
            &response.core_problem,
            &response.solution,
            display,
        )),
    }
}

/// Validate and solve an already parsed body within the default limits, synchronously.
pub fn solve_body(body: &serde_json::Value) -> Result<SolveResponse, ApiError> {
    solve_body_with(body, &Limits::default())
}

/// Validate and solve an already parsed body within `limits`, synchronously (the CLI).
pub fn solve_body_with(
    body: &serde_json::Value,
    limits: &Limits,
) -> Result<SolveResponse, ApiError> {
    Ok(respond(validate::problem_with(body, limits)?))
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
    solution
        .warnings
        .extend(super::examples::errata_warnings(&problem));
    SolveResponse {
        algorithm: echo.algorithm,
        problem: echo,
        solution,
        core_problem: problem,
    }
}

/// Run CPU-bound work off the async workers, on the bounded solver pool, so one long solve
/// does not stall other requests and many cannot take every core (`api::overload`).
pub use super::overload::blocking;

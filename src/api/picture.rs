//! `POST /v1/plot/surface`, `/v1/plot/loss` and `/v1/plot/schedule` (docs/contract.md §13):
//! SVG pictures of the traces. The first two take a `/v1/solve` body (one configuration) or a
//! `/v1/compare` body (every configuration on one picture), validated and solved exactly as
//! those endpoints do (`api::compare`); the third takes a `/v1/schedule` body. The drawing is
//! `crate::picture`; `gradtrace plot` calls the same functions, so the bytes are the same.

use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

use super::compare::{solved_columns, CompareRequest};
use super::error::{ApiError, FieldError, LimitDetails, ProblemDetails};
use super::extract::ApiJson;
use super::overload::blocking;
use super::schedule::tabulate;
use crate::class::compare::hyperparameters;
use crate::config::{Limit, Limits};
use crate::picture::{curves, surface, Series};
use crate::solve::expr::{format_number, Precision};
use crate::solve::ScheduleKind;
use crate::wire::model::{Detail, SolveRequest, SolveResponse};
use crate::wire::validate;

/// The media type of every picture.
pub const SVG: &str = "image/svg+xml";

/// The body of `/v1/plot/surface` and `/v1/plot/loss`: a problem, or a comparison.
#[derive(ToSchema)]
#[serde(untagged)]
#[allow(dead_code, clippy::large_enum_variant)] // a schema only, never built
pub enum PlotRequest {
    /// A body of `POST /v1/solve`: its one path or curve.
    Solve(SolveRequest),
    /// A body of `POST /v1/compare`: one path or curve per configuration, on one picture.
    Compare(CompareRequest),
}

/// Query parameters of `POST /v1/plot/surface`.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SurfaceQuery {
    /// The parameter along the x axis, numbered from 0 over the weights and then the bias
    /// (default 0, w₁).
    #[param(minimum = 0, maximum = 1000, example = 0)]
    pub x: Option<u32>,
    /// The parameter along the y axis (default 1, w₂); the others are held at their initial
    /// values.
    #[param(minimum = 0, maximum = 1000, example = 1)]
    pub y: Option<u32>,
    /// Grid points per side of the loss surface (default 61; at most max_plot_resolution, and
    /// points × samples at most max_plot_evaluations).
    #[param(minimum = 5, maximum = 100000, example = 61)]
    pub resolution: Option<u32>,
}

fn bad_query(detail: String) -> ApiError {
    ApiError::BadRequest(format!(
        "The query string is not understood{detail}. `x` and `y` are parameter numbers from \
         0 to 1000; `resolution` is an integer from 5 to 100000."
    ))
}

/// Each configuration's label and solution.
type Columns = Vec<(String, SolveResponse)>;

/// A problem or a comparison, solved with every step's values.
pub fn compared(body: &Value, limits: &Limits) -> Result<Columns, ApiError> {
    let is_comparison = body
        .as_object()
        .is_some_and(|o| o.contains_key("configurations"));
    if is_comparison {
        return solved_columns(body, limits, Detail::Values);
    }
    let wrapped = json!({"problem": body, "configurations": [{}]});
    // A lone problem's errors point into it, as `/v1/solve` names them.
    solved_columns(&wrapped, limits, Detail::Values).map_err(|error| match error {
        ApiError::Validation(errors) => ApiError::Validation(
            errors
                .into_iter()
                .map(|e| {
                    let pointer = ["/problem", "/configurations/0", "/configurations"]
                        .iter()
                        .find_map(|p| e.pointer.strip_prefix(p))
                        .unwrap_or(&e.pointer)
                        .to_string();
                    FieldError { pointer, ..e }
                })
                .collect(),
        ),
        other => other,
    })
}

/// The legend's second line of each configuration: its algorithm and hyperparameters.
fn details(columns: &Columns) -> Vec<String> {
    columns
        .iter()
        .map(|(_, s)| {
            let p = &s.core_problem;
            let h = hyperparameters(p, Precision::Significant(4));
            format!("{}: {h}", p.optimizer.name())
        })
        .collect()
}

/// Each configuration as the pictures take it.
fn series<'a>(columns: &'a Columns, details: &'a [String]) -> Vec<Series<'a>> {
    columns
        .iter()
        .zip(details)
        .map(|((label, solved), detail)| Series {
            label,
            detail,
            problem: &solved.core_problem,
            solution: &solved.solution,
        })
        .collect()
}

/// The surface picture of a body, within `limits` (the CLI's `plot surface` too).
pub fn surface_body(
    body: &Value,
    query: SurfaceQuery,
    limits: &Limits,
) -> Result<String, ApiError> {
    let resolution = u64::from(
        query
            .resolution
            .unwrap_or(surface::DEFAULT_RESOLUTION as u32),
    );
    if resolution > limits.plot_resolution {
        let max = limits.plot_resolution;
        return Err(ApiError::Validation(vec![FieldError::over_limit(
            "/resolution",
            format!("is {resolution}; the limit is {max} (max_plot_resolution)"),
            LimitDetails::new(Limit::PlotResolution, max),
        )]));
    }
    let compared = compared(body, limits)?;
    let samples = compared
        .first()
        .map_or(0, |(_, s)| s.core_problem.samples.len() as u64);
    let evaluations = resolution * resolution * samples;
    if evaluations > limits.plot_evaluations {
        let max = limits.plot_evaluations;
        return Err(ApiError::Validation(vec![FieldError::over_limit(
            "/resolution",
            format!(
                "{resolution}² grid points × {samples} samples are {evaluations} losses; the \
                 limit is {max} (max_plot_evaluations)"
            ),
            LimitDetails::new(Limit::PlotEvaluations, max),
        )]));
    }
    let details = details(&compared);
    let options = surface::Options {
        x: query.x.unwrap_or(0) as usize,
        y: query.y.unwrap_or(1) as usize,
        resolution: resolution as usize,
    };
    surface::surface(&series(&compared, &details), options)
        .map_err(|detail| ApiError::Validation(vec![FieldError::new("/weights", detail)]))
}

/// The loss picture of a body, within `limits` (the CLI's `plot loss` too).
pub fn loss_body(body: &Value, limits: &Limits) -> Result<String, ApiError> {
    let compared = compared(body, limits)?;
    let details = details(&compared);
    Ok(curves::loss(&series(&compared, &details)))
}

/// The schedule picture of a `/v1/schedule` body, within `limits` (the CLI's `plot schedule`).
pub fn schedule_body(body: &Value, limits: &Limits) -> Result<String, ApiError> {
    let valid = validate::schedule_request_with(body, limits)?;
    let n = |v: f64| format_number(v, Precision::Significant(4), false);
    let detail = match valid.schedule.kind {
        ScheduleKind::TimeBased { decay_rate } => {
            format!(
                "time-based: α₀ = {}, decay rate {}",
                n(valid.learning_rate),
                n(decay_rate)
            )
        }
        ScheduleKind::Step {
            drop_rate,
            epochs_drop,
        } => format!(
            "step: α₀ = {}, drop rate {}, every {epochs_drop} epochs",
            n(valid.learning_rate),
            n(drop_rate)
        ),
        ScheduleKind::Exponential { k } => {
            format!("exponential: α₀ = {}, k = {}", n(valid.learning_rate), n(k))
        }
    };
    let table = tabulate(valid)?;
    let rates: Vec<(u64, f64)> = table
        .rates
        .iter()
        .map(|r| (r.epoch, r.learning_rate))
        .collect();
    Ok(curves::schedule(&rates, &detail))
}

/// A picture drawn on the solver pool, as `image/svg+xml`.
async fn drawn(
    work: impl FnOnce() -> Result<String, ApiError> + Send + 'static,
) -> Result<Response, ApiError> {
    let svg = blocking(work).await??;
    Ok(([(header::CONTENT_TYPE, SVG)], svg).into_response())
}

/// The loss surface with each optimizer's path.
///
/// Contour lines of the loss over all samples as a function of two parameters (`x` and `y`,
/// by default w₁ and w₂; the others held at their initial values), logarithmically spaced
/// when the loss spans more than two decades, with each configuration's path: a square at the
/// start, a dot per update (`class="marker"`, the update's index in `data-update` and in its
/// `<title>`), a ring at the end, the hyperparameters in the legend. The window is the paths'
/// bounding box with a margin; the frame's `data-x-min` … `data-y-max` give its range.
#[utoipa::path(
    post,
    path = "/v1/plot/surface",
    tag = "pictures",
    params(SurfaceQuery),
    request_body(content = PlotRequest, description = "A `/v1/solve` body, or a `/v1/compare` body", content_type = "application/json"),
    responses(
        (status = 200, description = "The picture", content((String = "image/svg+xml"))),
        (status = 400, description = "The body is not JSON (with line and column), or a query parameter is not one of those listed", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the body limit", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The body breaks the contract of `/v1/solve` or `/v1/compare`; `x` or `y` names no parameter, or both the same one (at `/weights`); the grid is over a limit (at `/resolution`)", body = ProblemDetails, content_type = "application/problem+json")
    )
)]
pub async fn plot_surface(
    query: Result<Query<SurfaceQuery>, axum::extract::rejection::QueryRejection>,
    Extension(limits): Extension<Limits>,
    ApiJson(body): ApiJson,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|r| bad_query(format!(": {}", r.body_text())))?;
    let out_of_range = query.x.is_some_and(|x| x > 1000)
        || query.y.is_some_and(|y| y > 1000)
        || query
            .resolution
            .is_some_and(|r| !(5..=100_000).contains(&r));
    if out_of_range {
        return Err(bad_query(String::new()));
    }
    drawn(move || surface_body(&body, query, &limits)).await
}

/// The loss per update and per epoch, one curve per configuration.
///
/// Dots: the loss over all samples before the first update (t = 0) and after each
/// (`data-update`); squares: after each epoch (`data-epoch`), at the update that ends it. The
/// y axis is logarithmic when the loss spans more than two decades.
#[utoipa::path(
    post,
    path = "/v1/plot/loss",
    tag = "pictures",
    request_body(content = PlotRequest, description = "A `/v1/solve` body, or a `/v1/compare` body", content_type = "application/json"),
    responses(
        (status = 200, description = "The picture", content((String = "image/svg+xml"))),
        (status = 400, description = "The body is not JSON (with line and column)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the body limit", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The body breaks the contract of `/v1/solve` or `/v1/compare`", body = ProblemDetails, content_type = "application/problem+json")
    )
)]
pub async fn plot_loss(
    Extension(limits): Extension<Limits>,
    ApiJson(body): ApiJson,
) -> Result<Response, ApiError> {
    drawn(move || loss_body(&body, &limits)).await
}

/// A schedule's learning rate per epoch.
///
/// One dot per tabulated epoch (`data-epoch`, `data-rate`), joined.
#[utoipa::path(
    post,
    path = "/v1/plot/schedule",
    tag = "pictures",
    request_body(content = crate::wire::model::ScheduleRequest, description = "A `/v1/schedule` body", content_type = "application/json"),
    responses(
        (status = 200, description = "The picture", content((String = "image/svg+xml"))),
        (status = 400, description = "The body is not JSON (with line and column)", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is over the body limit", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The body breaks the contract of `/v1/schedule`", body = ProblemDetails, content_type = "application/problem+json")
    )
)]
pub async fn plot_schedule(
    Extension(limits): Extension<Limits>,
    ApiJson(body): ApiJson,
) -> Result<Response, ApiError> {
    drawn(move || schedule_body(&body, &limits)).await
}

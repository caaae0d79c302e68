//! `POST /v1/plot/surface`, `/v1/plot/loss` and `/v1/plot/schedule` (docs/contract.md §13):
//! SVG pictures of the traces. The work is `usecase::picture`'s, which `gradtrace plot` calls
//! too, so the bytes are the same.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::{ApiError, ProblemDetails};
use super::extract::{self, ApiJson, QueryResult};
use super::overload::blocking;
use crate::config::Limits;
use crate::usecase::picture::{loss_body, schedule_body, surface_body, SurfaceView};
use crate::usecase::Error;
use crate::wire::model::PlotRequest;

/// The media type of every picture.
pub const SVG: &str = "image/svg+xml";

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

/// What the surface's query may hold.
const ALLOWED: &str = "`x` and `y` are parameter numbers from 0 to 1000; `resolution` is an \
                       integer from 5 to 100000.";

/// A picture drawn on the solver pool, as `image/svg+xml`.
async fn drawn(
    work: impl FnOnce() -> Result<String, Error> + Send + 'static,
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
    query: QueryResult<SurfaceQuery>,
    Extension(limits): Extension<Limits>,
    ApiJson(body): ApiJson,
) -> Result<Response, ApiError> {
    let query = extract::query(query, ALLOWED)?;
    let out_of_range = query.x.is_some_and(|x| x > 1000)
        || query.y.is_some_and(|y| y > 1000)
        || query
            .resolution
            .is_some_and(|r| !(5..=100_000).contains(&r));
    if out_of_range {
        return Err(extract::not_understood("", ALLOWED));
    }
    let view = SurfaceView {
        x: query.x,
        y: query.y,
        resolution: query.resolution,
    };
    drawn(move || surface_body(&body, view, &limits)).await
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

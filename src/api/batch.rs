//! `POST /v1/solve/batch` and `POST /v1/grade/batch`: many bodies of `/v1/solve` (or
//! `/v1/grade`) in one request, worked over the cores, each result in its item's place — what
//! the single endpoint returns for that body, a solution (a grade) or its problem+json error.
//! One bad item never fails the others.
//!
//! The request as a whole is refused (422, pointer `/problems` or `/submissions`) only when it
//! is too big: more than `limits.batch_problems` items, or valid problems that together ask for
//! more trace than `limits.batch_trace_entries` / `batch_forward_entries` (`config::Limits`).
//! No maths and no grading here: items go through `validate::problem_sized` and
//! `solve::respond_at` (at the request's `detail`), or `grade::grade_body_with`, exactly as the
//! single endpoints' bodies do.

use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::openapi::schema::{AnyOfBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{IntoParams, PartialSchema, ToSchema};

use super::error::{ApiError, FieldError, LimitDetails, ProblemDetails};
use super::extract::ApiJson;
use super::grade::{grade_body_with, GradeOutput, GradeQuery, GradeRequest};
use super::solve::{blocking, respond_at};
use crate::class::{parallel, TraceSize};
use crate::config::{Limit, Limits, Sizing};
use crate::grade::Format as GradeFormat;
use crate::wire::model::{Detail, SolveRequest, SolveResponse};
use crate::wire::validate;

/// The request body of `POST /v1/solve/batch`.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = solve_batch_example)]
pub struct SolveBatchRequest {
    /// Up to 1000 bodies of `POST /v1/solve`. An item that is not a valid problem gets its own
    /// error in `results`; the others are solved all the same.
    #[schema(max_items = 1000, value_type = Vec<SolveItem>)]
    pub problems: Vec<Value>,
}

/// An item of `problems` in the OpenAPI document (see [`batch_item`]).
pub struct SolveItem;

/// An item of `submissions` in the OpenAPI document (see [`batch_item`]).
pub struct GradeItem;

/// An item of a batch in the OpenAPI document: meant to be a `T`, but the request does not
/// fail when it is not — that item's result is its own problem+json error — so the schema
/// accepts any value and points at `T` (`anyOf: [T, {}]`).
fn batch_item<T: ToSchema>() -> RefOr<Schema> {
    utoipa::openapi::schema::AnyOfBuilder::new()
        .item(Ref::from_schema_name(T::name()))
        .item(
            utoipa::openapi::schema::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::SchemaType::AnyValue),
        )
        .description(Some(format!(
            "A `{}`; anything else is answered in place by its own problem+json error.",
            T::name()
        )))
        .into()
}

impl PartialSchema for SolveItem {
    fn schema() -> RefOr<Schema> {
        batch_item::<SolveRequest>()
    }
}

impl ToSchema for SolveItem {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((SolveRequest::name().into_owned(), SolveRequest::schema()));
        SolveRequest::schemas(schemas);
    }
}

impl PartialSchema for GradeItem {
    fn schema() -> RefOr<Schema> {
        batch_item::<GradeRequest>()
    }
}

impl ToSchema for GradeItem {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((GradeRequest::name().into_owned(), GradeRequest::schema()));
        GradeRequest::schemas(schemas);
    }
}

/// One item's result: what `POST /v1/solve` returns for that body — a solution, or a
/// problem+json error. Tell them apart by `type` (only errors have it) or by `status` (a number
/// in an error, a string such as `"completed"` in a solution).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum SolveOutcome {
    Solved(Box<SolveResponse>),
    Failed(ProblemDetails),
}

/// The response of `POST /v1/solve/batch`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SolveBatchResponse {
    /// One result per item of `problems`, in the same order.
    pub results: Vec<SolveOutcome>,
}

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
    query: Result<Query<DetailQuery>, axum::extract::rejection::QueryRejection>,
    Extension(limits): Extension<Limits>,
    ApiJson(body): ApiJson,
) -> Result<Response, ApiError> {
    let detail = DetailQuery::read(query)?;
    let bytes = blocking(move || encode(&solve_batch_body_with(&body, &limits, detail)?)).await??;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

/// The whole endpoint but HTTP within the default limits, synchronously (CPU-bound: call it off
/// the async workers).
pub fn solve_batch_body(body: &Value) -> Result<SolveBatchResponse, ApiError> {
    solve_batch_body_with(body, &Limits::default(), Detail::Lines)
}

/// The whole endpoint but HTTP within `limits`, at `detail`, synchronously.
pub fn solve_batch_body_with(
    body: &Value,
    limits: &Limits,
    detail: Detail,
) -> Result<SolveBatchResponse, ApiError> {
    let items = items(body, "problems", "bodies of POST /v1/solve", limits)?;
    let sizing = Sizing::Detail(detail.into());
    let validated: Vec<Result<validate::ValidProblem, ApiError>> = parallel::map(items, |item| {
        validate::problem_sized(item, limits, sizing).map_err(ApiError::from)
    })
    .into_iter()
    .map(|result| result.unwrap_or_else(|panicked| Err(internal(panicked))))
    .collect();
    let total = validated
        .iter()
        .flatten()
        .fold(TraceSize::default(), |sum, valid| {
            sum.plus(TraceSize::of(&valid.problem))
        });
    check_budget(total, "/problems", limits, detail)?;
    let results = parallel::map(&validated, |item| match item {
        Ok(valid) => SolveOutcome::Solved(Box::new(respond_at(valid.clone(), detail.into()))),
        Err(error) => SolveOutcome::Failed(error.problem()),
    })
    .into_iter()
    .map(|result| {
        result.unwrap_or_else(|panicked| SolveOutcome::Failed(internal(panicked).problem()))
    })
    .collect();
    Ok(SolveBatchResponse { results })
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
    pub fn read(
        query: Result<Query<DetailQuery>, axum::extract::rejection::QueryRejection>,
    ) -> Result<Detail, ApiError> {
        let Query(query) = query.map_err(|rejection| {
            ApiError::BadRequest(format!(
                "The query string is not understood: {}. `detail` is lines, values or summary.",
                rejection.body_text()
            ))
        })?;
        Ok(query.detail.unwrap_or(Detail::Lines))
    }
}

/// The request body of `POST /v1/grade/batch`.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = grade_batch_example)]
pub struct GradeBatchRequest {
    /// Up to 1000 bodies of `POST /v1/grade`, one per student. A submission that cannot be
    /// graded gets its own error in `results`; the others are graded all the same.
    #[schema(max_items = 1000, value_type = Vec<GradeItem>)]
    pub submissions: Vec<Value>,
}

/// One submission's result: what `POST /v1/grade` returns for that body — the grade in the
/// `format` asked for, or a problem+json error (which alone has `type`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum GradeOutcome {
    Graded(Value),
    Failed(ProblemDetails),
}

// Written by hand: the grade is held as the rendered JSON `grade_body` returns, and its schema
// is `/v1/grade`'s `GradeOutput`. `anyOf`, as `GradeOutput`'s own: the platforms' schemas are
// open, so an error object might fit one of them too, and `oneOf` would then reject it.
impl utoipa::PartialSchema for GradeOutcome {
    fn schema() -> RefOr<Schema> {
        AnyOfBuilder::new()
            .item(Ref::from_schema_name(GradeOutput::name()))
            .item(Ref::from_schema_name(ProblemDetails::name()))
            .description(Some(
                "What `POST /v1/grade` returns for the submission: its grade in the `format` \
                 asked for, or a problem+json error object (only errors have `type`).",
            ))
            .into()
    }
}

impl ToSchema for GradeOutcome {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((GradeOutput::name().into_owned(), GradeOutput::schema()));
        GradeOutput::schemas(schemas);
        schemas.push((
            ProblemDetails::name().into_owned(),
            ProblemDetails::schema(),
        ));
        ProblemDetails::schemas(schemas);
    }
}

/// The response of `POST /v1/grade/batch`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct GradeBatchResponse {
    /// One result per submission, in the same order.
    pub results: Vec<GradeOutcome>,
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
    query: Result<Query<GradeQuery>, axum::extract::rejection::QueryRejection>,
    Extension(limits): Extension<Limits>,
    ApiJson(body): ApiJson,
) -> Result<Response, ApiError> {
    let Query(query) = query.map_err(|rejection| {
        ApiError::BadRequest(format!(
            "The query string is not understood: {}. `format` is json, prairielearn, \
             gradescope or coderunner.",
            rejection.body_text()
        ))
    })?;
    let format = query.format.unwrap_or_default();
    let bytes = blocking(move || encode(&grade_batch_body_with(&body, format, &limits)?)).await??;
    Ok(([(header::CONTENT_TYPE, "application/json")], bytes).into_response())
}

/// The whole endpoint but HTTP within the default limits, synchronously (CPU-bound: call it off
/// the async workers).
pub fn grade_batch_body(body: &Value, format: GradeFormat) -> Result<GradeBatchResponse, ApiError> {
    grade_batch_body_with(body, format, &Limits::default())
}

/// The whole endpoint but HTTP within `limits`, synchronously.
pub fn grade_batch_body_with(
    body: &Value,
    format: GradeFormat,
    limits: &Limits,
) -> Result<GradeBatchResponse, ApiError> {
    let items = items(body, "submissions", "bodies of POST /v1/grade", limits)?;
    // The budget counts each valid problem once; grading may run it a few more times to name
    // mistakes, a small constant factor.
    let total = parallel::map(items, |item| {
        item.get("problem")
            .and_then(|problem| validate::problem_with(problem, limits).ok())
            .map_or(TraceSize::default(), |valid| TraceSize::of(&valid.problem))
    })
    .into_iter()
    .flatten()
    .fold(TraceSize::default(), TraceSize::plus);
    // Grading reads the worked lines.
    check_budget(total, "/submissions", limits, Detail::Lines)?;
    let results = parallel::map(items, |item| match grade_body_with(item, format, limits) {
        Ok(grade) => GradeOutcome::Graded(grade),
        Err(error) => GradeOutcome::Failed(error.problem()),
    })
    .into_iter()
    .map(|result| {
        result.unwrap_or_else(|panicked| GradeOutcome::Failed(internal(panicked).problem()))
    })
    .collect();
    Ok(GradeBatchResponse { results })
}

/// The OpenAPI example of `POST /v1/solve/batch` (and `tests/fixtures/class/solve-batch.json`):
/// the course's momentum and Adam problems, and between them one with β out of range.
pub fn solve_batch_example() -> Value {
    let samples = serde_json::json!([{"x": [1, 0.6], "t": 0.8}, {"x": [0.5, 0.5], "t": 0.6}]);
    serde_json::json!({"problems": [
        {
            "samples": samples,
            "weights": [0.5, 0.5],
            "algorithm": "momentum",
            "hyperparameters": {"learning_rate": 0.2, "beta": 0.8},
            "conventions": {"sign": "delta"}
        },
        {
            "samples": [{"x": [1, 0.6], "t": 0.8}],
            "weights": [0.5, 0.5],
            "algorithm": "momentum",
            "hyperparameters": {"learning_rate": 0.2, "beta": 1.5}
        },
        {
            "samples": samples,
            "weights": [0.5, 0.5],
            "algorithm": "adam",
            "hyperparameters": {"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8}
        }
    ]})
}

/// The OpenAPI example of `POST /v1/grade/batch` (and `tests/fixtures/class/grade-batch.json`):
/// `/v1/grade`'s example twice, the first with a malformed pointer.
pub fn grade_batch_example() -> Value {
    let good = super::grade::example_request();
    let mut bad = good.clone();
    bad["answers"][3]["pointer"] = Value::from("steps/1/weights_after/1");
    serde_json::json!({"submissions": [bad, good]})
}

/// The array at `key` of a `{key: [...]}` body, with at most `limits.batch_problems` items.
pub fn items<'a>(
    body: &'a Value,
    key: &str,
    what: &str,
    limits: &Limits,
) -> Result<&'a [Value], ApiError> {
    let max = limits.batch_problems;
    let at = format!("/{key}");
    let Value::Object(map) = body else {
        return Err(invalid(
            "",
            format!("must be an object {{\"{key}\": [...]}}"),
        ));
    };
    let mut errors: Vec<FieldError> = map
        .keys()
        .filter(|k| k.as_str() != key)
        .map(|k| {
            let shown: String = k.chars().take(40).collect();
            FieldError::new(
                crate::pointer::child("", k),
                format!("is not a known key (`{shown}`); the body is {{\"{key}\": [...]}}"),
            )
        })
        .collect();
    let found = match map.get(key) {
        Some(Value::Array(items)) if items.len() as u64 <= max => Some(items.as_slice()),
        Some(Value::Array(items)) => {
            errors.push(FieldError::over_limit(
                &at,
                format!(
                    "has {} items; the limit is {max} per request (max_batch_problems)",
                    items.len()
                ),
                LimitDetails::new(Limit::BatchProblems, max),
            ));
            None
        }
        Some(_) => {
            errors.push(FieldError::new(&at, format!("must be an array of {what}")));
            None
        }
        None => {
            errors.push(FieldError::new(&at, "is required"));
            None
        }
    };
    match found {
        Some(items) if errors.is_empty() => Ok(items),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// A 422 when `total` is over the class budget of `limits` at `detail`, named at `pointer`.
pub fn check_budget(
    total: TraceSize,
    pointer: &str,
    limits: &Limits,
    detail: Detail,
) -> Result<(), ApiError> {
    match total.over_budget(limits, detail.into()) {
        Some((why, limit, value)) => Err(ApiError::Validation(vec![FieldError::over_limit(
            pointer,
            format!("{why}; split the request, or ask for fewer epochs"),
            LimitDetails::new(limit, value),
        )])),
        None => Ok(()),
    }
}

pub use super::json::encode;

/// A job that panicked, as the 500 its item gets (logged here: an item's error is not a
/// response, so `ApiError`'s own logging does not see it).
pub fn internal(panicked: parallel::Panicked) -> ApiError {
    tracing::error!(detail = %panicked.0, "a job of a batch panicked");
    ApiError::Internal(format!("the computation failed: {}", panicked.0))
}

fn invalid(pointer: &str, detail: impl Into<String>) -> ApiError {
    ApiError::Validation(vec![FieldError::new(pointer, detail)])
}

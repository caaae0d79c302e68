//! `POST /v1/grade`: a problem and a student's answers in, a grade out — as the
//! [`GradeReport`](crate::grade::GradeReport) or as PrairieLearn's, Gradescope's or CodeRunner's
//! results JSON (`?format=`).
//!
//! The edge's part: read the body (the problem through `validate::problem`, its pointers moved
//! under `/problem`; the answers, tolerance and carry-forward strategy checked for unknown keys
//! and types here), hand both to the pure grader (`crate::grade`), render. [`grade_body`] does
//! all of it synchronously and is the one function behind the endpoint, `gradtrace grade` and
//! any endpoint that grades many bodies, so they cannot disagree. No grading logic lives here.

use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::openapi::schema::{AnyOfBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, FieldError, ProblemDetails};
use super::extract::ApiJson;
use super::solve::blocking;
use crate::config::Limits;
use crate::grade::{
    self, Answer, CarryForward, CodeRunnerResult, Format, GradeReport, GradescopeResults,
    PrairieLearnResults, Tolerance,
};
use crate::wire::grade::{place_in_body, read, reroot_answer};
use crate::wire::model::SolveRequest;

/// The request body of `POST /v1/grade`: the problem, and the [`GradeSpec`] fields beside it.
/// `null` reads as absent for every optional key, as in the problem.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = example_request)]
pub struct GradeRequest {
    /// The problem, exactly as the body of `POST /v1/solve` (docs/contract.md §2). Its errors are reported
    /// under `/problem`.
    pub problem: SolveRequest,
    /// The student's answers, at least one; each names its value by `pointer` into the
    /// solution, or by `step` and worked-line `symbol`.
    #[schema(min_items = 1)]
    pub answers: Vec<Answer>,
    /// The tolerance of every answer that gives none (default `relabs`, rtol 1e-2, atol 1e-8:
    /// PrairieLearn's number input).
    pub tolerance: Option<Tolerance>,
    /// `none` (default): every value against the solution; `always`: against a trace
    /// recomputed from the student's own earlier answers, so one slip costs one mark; `best`:
    /// both, keeping the higher score.
    pub carry_forward: Option<CarryForward>,
}

/// What `POST /v1/grade` returns, by `format`: `json` the [`GradeReport`], `prairielearn`
/// PrairieLearn's external-grader `results.json`, `gradescope` Gradescope's autograder
/// `results.json`, `coderunner` CodeRunner's combinator-grader JSON.
///
/// Its schema is written by hand as `anyOf`: the platform schemas are open (their documents
/// allow more fields), so a PrairieLearn result also fits Gradescope's schema, and the `oneOf`
/// a derive would write would reject it for matching two.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum GradeOutput {
    Report(GradeReport),
    Prairielearn(PrairieLearnResults),
    Gradescope(GradescopeResults),
    Coderunner(CodeRunnerResult),
}

impl utoipa::PartialSchema for GradeOutput {
    fn schema() -> RefOr<Schema> {
        AnyOfBuilder::new()
            .item(Ref::from_schema_name(GradeReport::name()))
            .item(Ref::from_schema_name(PrairieLearnResults::name()))
            .item(Ref::from_schema_name(GradescopeResults::name()))
            .item(Ref::from_schema_name(CodeRunnerResult::name()))
            .description(Some(
                "By `format`: `json` (default) a GradeReport; `prairielearn` PrairieLearn's \
                 external-grader results.json; `gradescope` Gradescope's autograder \
                 results.json; `coderunner` CodeRunner's combinator-grader JSON.",
            ))
            .into()
    }
}

impl ToSchema for GradeOutput {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        fn add<T: ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
            schemas.push((T::name().into_owned(), T::schema()));
            T::schemas(schemas);
        }
        add::<GradeReport>(schemas);
        add::<PrairieLearnResults>(schemas);
        add::<GradescopeResults>(schemas);
        add::<CodeRunnerResult>(schemas);
    }
}

/// Query parameters of `POST /v1/grade`.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GradeQuery {
    /// `json` (default): the grade report; `prairielearn`, `gradescope` or `coderunner`: the
    /// results file that platform's grader reads, ready to write as it is.
    #[param(inline, example = "gradescope")]
    pub format: Option<Format>,
}

/// Grade a student's answers to a problem, step by step.
#[utoipa::path(
    post,
    path = "/v1/grade",
    tag = "grade",
    params(GradeQuery),
    request_body(
        content = GradeRequest,
        description = "The problem (the body of `POST /v1/solve`), the answers, a tolerance and a \
                       carry-forward strategy. The example is the course's momentum exercise \
                       answered by a student who wrote the velocity without its (1 − β) factor \
                       and carried the slip forward correctly.",
        content_type = "application/json"
    ),
    responses(
        (status = 200, description = "The grade, in the `format` asked for: a `GradeReport` \
                                      (`json`, the default) or a platform's results JSON",
         content((GradeOutput = "application/json", examples(
            ("json" = (summary = "format=json: the grade report",
                       value = json!(example_output(Format::Json)))),
            ("prairielearn" = (summary = "format=prairielearn: PrairieLearn's results.json",
                               value = json!(example_output(Format::Prairielearn)))),
            ("gradescope" = (summary = "format=gradescope: Gradescope's results.json",
                             value = json!(example_output(Format::Gradescope)))),
            ("coderunner" = (summary = "format=coderunner: CodeRunner's combinator grader JSON",
                             value = json!(example_output(Format::Coderunner))))
         )))),
        (status = 400, description = "The body is not JSON (with line and column), or `format` is not one of those listed", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 1 MiB", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The request breaks the contract: `errors` names every violation by JSON pointer — the problem's under `/problem`, the answers' under `/answers/<i>` (an unknown key, a wrong type, a malformed pointer, a step or symbol the solution does not have)", body = ProblemDetails, content_type = "application/problem+json",
         example = json!(example_rejection()))
    )
)]
pub async fn grade(
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
    let graded = blocking(move || grade_body_with(&body, format, &limits)).await??;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        encode(&graded)?,
    )
        .into_response())
}

/// Validate a `POST /v1/grade` body, grade it and render the grade in `format` — the whole
/// endpoint but HTTP, synchronously (CPU-bound: call it off the async workers).
///
/// Errors are `ApiError::Validation` with every violation the request's parts allow: the
/// problem's (under `/problem`), the answers' shape, and — once the problem is valid — what the
/// grader finds (a malformed pointer, an unknown step or symbol, a negative tolerance).
pub fn grade_body(body: &Value, format: Format) -> Result<Value, ApiError> {
    grade_body_with(body, format, &Limits::default())
}

/// [`grade_body`] with the problem validated within `limits` rather than the defaults.
pub fn grade_body_with(body: &Value, format: Format, limits: &Limits) -> Result<Value, ApiError> {
    let report = grade_report_with(body, limits)?;
    Ok(grade::render(&report, format))
}

/// The [`GradeReport`] of a `POST /v1/grade` body, before rendering.
pub fn grade_report(body: &Value) -> Result<GradeReport, ApiError> {
    grade_report_with(body, &Limits::default())
}

/// [`grade_report`] with the problem validated within `limits`.
pub fn grade_report_with(body: &Value, limits: &Limits) -> Result<GradeReport, ApiError> {
    let read = read(body, limits);
    let mut errors = read.errors;
    if let (Some(problem), false) = (&read.problem, read.spec.answers.is_empty()) {
        match grade::grade(problem, &read.spec) {
            Ok(report) if errors.is_empty() => return Ok(report),
            Ok(_) => {}
            Err(found) => errors.extend(found.into_iter().filter_map(|e| {
                let pointer = reroot_answer(&e.pointer, &read.positions, read.complete)?;
                Some(FieldError::new(pointer, e.detail))
            })),
        }
    }
    // The grader's findings come after the edge's; put each answer's errors together, in the
    // order of the request, as `validate::problem` orders the problem's.
    errors.sort_by_key(|e| place_in_body(&e.pointer));
    if errors.is_empty() {
        // Unreachable: no problem means `validate::problem` failed, no answers means `read`
        // said so; kept as an error rather than a panic.
        errors.push(FieldError::new("", "could not be graded"));
    }
    Err(ApiError::Validation(errors))
}

/// The JSON text the endpoint sends for a rendered grade (`gradtrace grade --compact` prints
/// the same bytes).
pub use super::json::encode;

/// The request example of the OpenAPI document: the course's momentum exercise (docs/contract.md §10),
/// answered by a student who wrote the first velocity without its (1 − β) factor and carried
/// that slip forward correctly; with `carry_forward: always` it costs one mark.
pub fn example_request() -> Value {
    json!({
        "problem": {
            "samples": [{"x": [1, 0.6], "t": 0.8}, {"x": [0.5, 0.5], "t": 0.6}],
            "weights": [0.5, 0.5],
            "algorithm": "momentum",
            "hyperparameters": {"learning_rate": 0.2, "beta": 0.8},
            "bias_correction": false,
            "conventions": {"sign": "delta"}
        },
        "answers": [
            {"step": 1, "symbol": "(dw_1)_1", "value": 0.02354},
            {"step": 1, "symbol": "(v_1)_1", "value": 0.02354},
            {"step": 1, "symbol": "(w_1)_2", "value": 0.5047},
            {"pointer": "/steps/1/weights_after/1", "value": 0.5009}
        ],
        "tolerance": {"mode": "sigfig", "digits": 4},
        "carry_forward": "always"
    })
}

/// The OpenAPI document's example responses: [`example_request`] graded, so the documented
/// output is what the service returns for the documented input.
pub fn example_output(format: Format) -> Value {
    grade_body(&example_request(), format).unwrap_or(Value::Null)
}

/// The OpenAPI document's 422 example, as the service writes it: the example request with a
/// malformed pointer, an unknown symbol and a string where the value belongs.
pub fn example_rejection() -> Value {
    let mut body = example_request();
    body["answers"] = json!([
        {"pointer": "steps/0/weights_after/0", "value": 0.5009},
        {"step": 1, "symbol": "(z_1)_2", "value": 0.5009},
        {"step": 1, "symbol": "(w_1)_2", "value": "0.5009"}
    ]);
    match grade_body(&body, Format::Json) {
        Err(error) => serde_json::to_value(error.problem()).unwrap_or(Value::Null),
        Ok(_) => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_grades_in_every_format() {
        for format in [
            Format::Json,
            Format::Prairielearn,
            Format::Gradescope,
            Format::Coderunner,
        ] {
            assert!(example_output(format).is_object(), "{format:?}");
        }
    }
}

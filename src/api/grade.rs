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
use serde_json::{json, Map, Value};
use utoipa::openapi::schema::{AnyOfBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{IntoParams, ToSchema};

use super::error::{ApiError, FieldError, ProblemDetails};
use super::extract::ApiJson;
use super::solve::blocking;
use crate::config::Limits;
use crate::grade::{
    self, Answer, CarryForward, CodeRunnerResult, Format, GradeReport, GradeSpec,
    GradescopeResults, PrairieLearnResults, Tolerance,
};
use crate::wire::catalog;
use crate::wire::model::SolveRequest;
use crate::wire::validate;

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

/// A grade request as far as it could be read.
struct ReadRequest {
    /// The problem, when it is valid.
    problem: Option<crate::solve::Problem>,
    /// The answers that read cleanly, the tolerance if it did, the strategy.
    spec: GradeSpec,
    /// `spec.answers[k]` is `answers[positions[k]]` of the body.
    positions: Vec<usize>,
    /// Whether every answer read cleanly (so `spec` is the whole request).
    complete: bool,
    errors: Vec<FieldError>,
}

const TOP_KEYS: &[&str] = &["problem", "answers", "tolerance", "carry_forward"];
const ANSWER_KEYS: &[&str] = &[
    "pointer",
    "step",
    "symbol",
    "value",
    "tolerance",
    "weight",
    "label",
];
const MODES: &[&str] = &["relabs", "sigfig", "decdig"];
const STRATEGIES: &[&str] = &["none", "always", "best"];

fn read(body: &Value, limits: &Limits) -> ReadRequest {
    let mut check = Check::default();
    let mut read = ReadRequest {
        problem: None,
        spec: GradeSpec {
            answers: Vec::new(),
            tolerance: None,
            carry_forward: CarryForward::None,
        },
        positions: Vec::new(),
        complete: false,
        errors: Vec::new(),
    };
    let Value::Object(top) = body else {
        check.fail(
            "",
            format!(
                "must be a JSON object (`problem`, `answers`, `tolerance`, `carry_forward`), \
                 not {}",
                type_name(body)
            ),
        );
        read.errors = check.errors;
        return read;
    };
    check.unknown_keys(top, "", TOP_KEYS, "key");

    match present(top, "problem") {
        None => check.fail("/problem", "is required: the body of POST /v1/solve"),
        Some(problem) => match validate::problem_with(problem, limits) {
            Ok(valid) => read.problem = Some(valid.problem),
            Err(errors) => check.errors.extend(errors.into_iter().map(|e| FieldError {
                pointer: format!("/problem{}", e.pointer),
                ..e
            })),
        },
    }

    match present(top, "answers") {
        None => check.fail("/answers", "is required: at least one answer"),
        Some(Value::Array(answers)) if answers.is_empty() => {
            check.fail("/answers", "give at least one answer")
        }
        Some(Value::Array(answers)) => {
            for (index, answer) in answers.iter().enumerate() {
                if let Some(answer) = check.answer(answer, index) {
                    read.spec.answers.push(answer);
                    read.positions.push(index);
                }
            }
            read.complete = read.positions.len() == answers.len();
        }
        Some(other) => check.fail(
            "/answers",
            format!("must be an array of answers, not {}", type_name(other)),
        ),
    }

    read.spec.tolerance = present(top, "tolerance").and_then(|t| check.tolerance(t, "/tolerance"));
    if let Some(strategy) = present(top, "carry_forward") {
        if let Some(strategy) = check.strategy(strategy) {
            read.spec.carry_forward = strategy;
        }
    }
    read.errors = check.errors;
    read
}

/// A grader error's pointer with its answer index moved back to the body's (the grader saw
/// only the answers that read cleanly). Its whole-answer-list errors (`/answers`, the weights'
/// total) are dropped when some answers were left out, since they speak of the subset.
fn reroot_answer(pointer: &str, positions: &[usize], complete: bool) -> Option<String> {
    let Some(rest) = pointer.strip_prefix("/answers") else {
        return Some(pointer.to_string());
    };
    let Some(rest) = rest.strip_prefix('/') else {
        return complete.then(|| pointer.to_string());
    };
    let (index, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let original = index.parse::<usize>().ok().and_then(|k| positions.get(k))?;
    Some(format!("/answers/{original}{tail}"))
}

/// Where an error's pointer is in a grade request, for ordering: unknown top-level keys, the
/// problem, the answers by index, the tolerance, the strategy.
fn place_in_body(pointer: &str) -> (u8, usize) {
    let mut tokens = pointer.split('/').skip(1);
    match tokens.next() {
        Some("problem") => (1, 0),
        Some("answers") => (2, tokens.next().and_then(|i| i.parse().ok()).unwrap_or(0)),
        Some("tolerance") => (3, 0),
        Some("carry_forward") => (4, 0),
        _ => (0, 0),
    }
}

/// The value at `key`; `null` reads as absent.
fn present<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|v| !v.is_null())
}

/// The JSON type of a value, for "must be a number, not a string".
fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Collects every violation of the grade spec's shape, in the order of the request.
#[derive(Default)]
struct Check {
    errors: Vec<FieldError>,
}

impl Check {
    fn fail(&mut self, at: &str, detail: impl Into<String>) {
        self.errors.push(FieldError::new(at, detail));
    }

    fn unknown_keys(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        allowed: &[&str],
        what: &str,
    ) {
        for key in object.keys() {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let detail = match catalog::suggestion(key, allowed.iter().copied()) {
                Some(near) => format!("is not a known {what}; did you mean `{near}`?"),
                None => format!("is not a known {what}; known: {}", allowed.join(", ")),
            };
            self.fail(&crate::pointer::child(at, key), detail);
        }
    }

    /// One answer, or `None` (with its errors recorded) when any part of it is malformed.
    fn answer(&mut self, value: &Value, index: usize) -> Option<Answer> {
        let at = format!("/answers/{index}");
        let Value::Object(object) = value else {
            self.fail(
                &at,
                format!(
                    "must be an answer object, such as {{\"step\": 1, \"symbol\": \"(w_1)_2\", \
                     \"value\": 0.5009}}, not {}",
                    type_name(value)
                ),
            );
            return None;
        };
        let before = self.errors.len();
        self.unknown_keys(object, &at, ANSWER_KEYS, "key of an answer");
        let pointer = self.text(present(object, "pointer"), &format!("{at}/pointer"));
        let step = present(object, "step").and_then(|v| self.step(v, &format!("{at}/step")));
        let symbol = self.text(present(object, "symbol"), &format!("{at}/symbol"));
        let value = match present(object, "value") {
            None => {
                self.fail(&format!("{at}/value"), "is required: the student's number");
                None
            }
            Some(v) => self.number(v, &format!("{at}/value")),
        };
        let tolerance = present(object, "tolerance")
            .and_then(|t| self.tolerance(t, &format!("{at}/tolerance")));
        let weight =
            present(object, "weight").and_then(|v| self.number(v, &format!("{at}/weight")));
        let label = self.text(present(object, "label"), &format!("{at}/label"));
        if self.errors.len() > before {
            return None;
        }
        Some(Answer {
            pointer,
            step,
            symbol,
            value: value?,
            tolerance,
            weight,
            label,
        })
    }

    fn text(&mut self, value: Option<&Value>, at: &str) -> Option<String> {
        match value? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.fail(at, format!("must be a string, not {}", type_name(other)));
                None
            }
        }
    }

    fn number(&mut self, value: &Value, at: &str) -> Option<f64> {
        match value {
            // serde_json yields only finite numbers from text; checked anyway because the
            // grader is promised finite input.
            Value::Number(n) => match n.as_f64() {
                Some(x) if x.is_finite() => Some(x),
                _ => {
                    self.fail(at, "must be a finite number");
                    None
                }
            },
            other => {
                self.fail(at, format!("must be a number, not {}", type_name(other)));
                None
            }
        }
    }

    /// A whole number in `[min, max]`; `2.0` counts as 2, as in JSON Schema and the problem.
    fn whole(&mut self, value: &Value, at: &str, min: u64, max: u64, what: &str) -> Option<u64> {
        let whole = match value {
            Value::Number(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|x| x.fract() == 0.0 && *x >= 0.0 && *x <= max as f64)
                    .map(|x| x as u64)
            }),
            _ => None,
        };
        match whole {
            Some(k) if (min..=max).contains(&k) => Some(k),
            _ => {
                let got = match value {
                    Value::Number(_) => String::new(),
                    other => format!(", not {}", type_name(other)),
                };
                self.fail(
                    at,
                    format!("must be an integer from {min} to {max} ({what}){got}"),
                );
                None
            }
        }
    }

    fn step(&mut self, value: &Value, at: &str) -> Option<u64> {
        self.whole(value, at, 0, u64::MAX, "the step's `index`, counted from 1")
    }

    /// A tolerance object: `mode` and that mode's parameters. Their ranges are the grader's to
    /// check (PrairieLearn's rules live in `grade::tolerance`).
    fn tolerance(&mut self, value: &Value, at: &str) -> Option<Tolerance> {
        let Value::Object(object) = value else {
            self.fail(
                at,
                format!(
                    "must be a tolerance object, such as {{\"mode\": \"sigfig\", \"digits\": 3}}, \
                     not {}",
                    type_name(value)
                ),
            );
            return None;
        };
        let mode_at = format!("{at}/mode");
        let mode = match present(object, "mode") {
            None => {
                self.fail(
                    &mode_at,
                    format!("is required: one of {}", MODES.join(", ")),
                );
                None
            }
            Some(Value::String(mode)) if MODES.contains(&mode.as_str()) => Some(mode.as_str()),
            Some(Value::String(mode)) => {
                let detail = match catalog::suggestion(mode, MODES.iter().copied()) {
                    Some(near) => {
                        format!("`{}` is not a mode; did you mean `{near}`?", shown(mode))
                    }
                    None => format!(
                        "`{}` is not a mode; one of {}",
                        shown(mode),
                        MODES.join(", ")
                    ),
                };
                self.fail(&mode_at, detail);
                None
            }
            Some(other) => {
                self.fail(
                    &mode_at,
                    format!(
                        "must be one of {}, not {}",
                        MODES.join(", "),
                        type_name(other)
                    ),
                );
                None
            }
        };
        let before = self.errors.len();
        let tolerance = match mode {
            Some("relabs") => {
                self.unknown_keys(
                    object,
                    at,
                    &["mode", "rtol", "atol"],
                    "key of a relabs tolerance",
                );
                let rtol =
                    present(object, "rtol").and_then(|v| self.number(v, &format!("{at}/rtol")));
                let atol =
                    present(object, "atol").and_then(|v| self.number(v, &format!("{at}/atol")));
                Some(Tolerance::Relabs {
                    rtol: rtol.unwrap_or(grade::tolerance::DEFAULT_RTOL),
                    atol: atol.unwrap_or(grade::tolerance::DEFAULT_ATOL),
                })
            }
            Some(mode) => {
                let what = format!("key of a {mode} tolerance");
                self.unknown_keys(object, at, &["mode", "digits"], &what);
                let digits = present(object, "digits").and_then(|v| {
                    // The document's `int32` (`digits` is a u32 there): what the schema allows
                    // is accepted, and no more.
                    self.whole(v, &format!("{at}/digits"), 0, i32::MAX as u64, "digits")
                });
                // In range by the check above.
                let digits = digits
                    .and_then(|d| u32::try_from(d).ok())
                    .unwrap_or(grade::tolerance::DEFAULT_DIGITS);
                Some(if mode == "sigfig" {
                    Tolerance::Sigfig { digits }
                } else {
                    Tolerance::Decdig { digits }
                })
            }
            None => None,
        };
        if self.errors.len() > before {
            None
        } else {
            tolerance
        }
    }

    fn strategy(&mut self, value: &Value) -> Option<CarryForward> {
        let at = "/carry_forward";
        let strategy = match value {
            Value::String(s) => match s.as_str() {
                "none" => Some(CarryForward::None),
                "always" => Some(CarryForward::Always),
                "best" => Some(CarryForward::Best),
                other => {
                    let detail = match catalog::suggestion(other, STRATEGIES.iter().copied()) {
                        Some(near) => format!(
                            "`{}` is not a strategy; did you mean `{near}`?",
                            shown(other)
                        ),
                        None => format!(
                            "`{}` is not a strategy; one of {}",
                            shown(other),
                            STRATEGIES.join(", ")
                        ),
                    };
                    self.fail(at, detail);
                    None
                }
            },
            other => {
                self.fail(
                    at,
                    format!(
                        "must be one of {}, not {}",
                        STRATEGIES.join(", "),
                        type_name(other)
                    ),
                );
                None
            }
        };
        strategy
    }
}

/// A value as shown in a message: at most 40 characters, so a hostile string cannot bloat the
/// error.
fn shown(text: &str) -> String {
    let mut short: String = text.chars().take(40).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grader_pointer_moves_back_to_the_bodys_answer_index() {
        assert_eq!(
            reroot_answer("/answers/1/pointer", &[0, 3], false).as_deref(),
            Some("/answers/3/pointer")
        );
        assert_eq!(
            reroot_answer("/answers/0", &[2], false).as_deref(),
            Some("/answers/2")
        );
        assert_eq!(
            reroot_answer("/tolerance/rtol", &[], false).as_deref(),
            Some("/tolerance/rtol")
        );
    }

    #[test]
    fn a_whole_list_error_about_a_subset_of_the_answers_is_dropped() {
        assert_eq!(reroot_answer("/answers", &[0], false), None);
        assert_eq!(
            reroot_answer("/answers", &[0], true).as_deref(),
            Some("/answers")
        );
    }

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

//! `POST /v1/compare`: one problem, several optimizer configurations, solved side by side —
//! for each the final weights, the loss per epoch and per update, and the updates needed to
//! reach a loss threshold; `?format=markdown` gives the comparison table.
//!
//! Each configuration's keys are laid over the problem (`hyperparameters` and `conventions` key
//! by key, `algorithm` and `bias_correction` whole), and the result goes through
//! `validate::problem_sized` and `solve::respond_at` exactly as a `/v1/solve` body does, so every
//! column equals `/v1/solve` of its `problem`. A comparison is a summary (`detail=summary`, the
//! default, with its limits); `values` or `lines` add each column's `steps`. An error's pointer names where the offending value came
//! from: `/problem/...` or `/configurations/<i>/...`. The arithmetic of the comparison is in
//! `class::compare`.

use axum::extract::Query;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use utoipa::{IntoParams, ToSchema};

use super::batch::{check_budget, encode, internal};
use super::error::{ApiError, FieldError, ProblemDetails};
use super::extract::ApiJson;
use super::solve::{blocking, respond_at};
use crate::class::{compare, parallel, TraceSize, MAX_CONFIGURATIONS};
use crate::config::{Limits, Sizing};
use crate::solve::expr::{Precision, DEFAULT_PRECISION};
use crate::solve::{Status, Step, Warning};
use crate::wire::model::{
    Algorithm, Conventions, Detail, Hyperparameters, ResolvedProblem, SolveResponse, WireEnum,
};
use crate::wire::validate;

/// The keys a configuration may set.
const CONFIGURATION_KEYS: &[&str] = &[
    "label",
    "algorithm",
    "hyperparameters",
    "bias_correction",
    "conventions",
];

/// Of those, the ones laid over the problem key by key.
const MERGED_KEYS: &[&str] = &["hyperparameters", "conventions"];

/// The longest label, in characters.
const MAX_LABEL: usize = 100;

/// One optimizer configuration of `POST /v1/compare`.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Configuration {
    /// The column's heading (default: the algorithm's name); at most 100 characters.
    #[schema(example = "Adam")]
    pub label: Option<String>,
    /// Required here unless the problem gives one.
    pub algorithm: Option<Algorithm>,
    /// Laid over the problem's `hyperparameters` key by key: a key here wins, a key only in
    /// the problem is kept (and, if this algorithm does not use it, warned about).
    pub hyperparameters: Option<Hyperparameters>,
    /// Replaces the problem's `bias_correction`.
    pub bias_correction: Option<bool>,
    /// Laid over the problem's `conventions` key by key.
    pub conventions: Option<Conventions>,
}

/// The request body of `POST /v1/compare`.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = course_exercise)]
pub struct CompareRequest {
    /// A body of `POST /v1/solve` whose `algorithm` and `hyperparameters` may be left to the
    /// configurations; what it gives, every column shares.
    #[schema(value_type = Object)]
    pub problem: Value,
    /// 1 to 20 configurations; one column each, in this order.
    #[schema(min_items = 1, max_items = 20)]
    pub configurations: Vec<Configuration>,
    /// When given (≥ 0), each column counts the updates until the loss over all samples is at
    /// most this.
    #[schema(minimum = 0.0, example = 0.018)]
    pub loss_threshold: Option<f64>,
}

/// The loss over all samples (with the problem's `reduction`); null where not finite.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CompareLoss {
    /// At the initial weights.
    pub initial: Option<f64>,
    /// At `final_weights`.
    #[serde(rename = "final")]
    pub final_: Option<f64>,
    /// After each completed epoch — `loss.per_epoch` of `/v1/solve`.
    pub per_epoch: Vec<Option<f64>>,
    /// After each update, at the weights it ends with.
    pub per_update: Vec<Option<f64>>,
}

/// One configuration's column.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CompareResult {
    pub label: String,
    pub algorithm: Algorithm,
    /// The problem this column solved, every default filled in: `POST /v1/solve` of it gives
    /// the full worked trace, with these very numbers.
    pub problem: ResolvedProblem,
    pub status: Status,
    /// As `/v1/solve` gives them for `problem`.
    pub warnings: Vec<Warning>,
    /// Updates applied.
    pub updates: u64,
    pub final_weights: Vec<f64>,
    pub final_bias: Option<f64>,
    pub loss: CompareLoss,
    /// The fewest updates after which the loss is at most `loss_threshold` (0: the initial
    /// weights already are); null when no update reaches it, or when no threshold was given.
    pub updates_to_threshold: Option<u64>,
    /// Only with `detail=values` or `lines`: every update, as `POST /v1/solve?detail=` of
    /// `problem` gives them. A comparison is a summary by default, without steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Step>>)]
    pub steps: Option<Vec<serde_json::Value>>,
}

/// The response of `POST /v1/compare`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CompareResponse {
    /// The request's threshold, or null.
    pub loss_threshold: Option<f64>,
    /// One per configuration, in order.
    pub results: Vec<CompareResult>,
}

/// A comparison with what its Markdown rendering needs.
#[derive(Debug, Clone)]
pub struct Compared {
    pub response: CompareResponse,
    /// The solved responses, in order (their core problems and solutions feed the table).
    solved: Vec<SolveResponse>,
}

impl Compared {
    /// The comparison table.
    pub fn markdown(&self, precision: Option<Precision>) -> String {
        let columns: Vec<compare::Column<'_>> = self
            .solved
            .iter()
            .zip(&self.response.results)
            .map(|(solved, result)| compare::Column {
                label: &result.label,
                problem: &solved.core_problem,
                solution: &solved.solution,
                per_update: &result.loss.per_update,
                updates_to_threshold: result.updates_to_threshold,
            })
            .collect();
        compare::markdown(
            &columns,
            self.response.loss_threshold,
            precision.unwrap_or(DEFAULT_PRECISION),
        )
    }
}

/// How a comparison is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CompareFormat {
    /// `CompareResponse`.
    #[default]
    Json,
    /// The comparison table: configurations as columns.
    Markdown,
}

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
    query: Result<Query<CompareQuery>, axum::extract::rejection::QueryRejection>,
    headers: HeaderMap,
    Extension(limits): Extension<Limits>,
    ApiJson(body): ApiJson,
) -> Result<Response, ApiError> {
    let bad_query = |detail: String| {
        ApiError::BadRequest(format!(
            "The query string is not understood{detail}. `format` is json or markdown; \
             `detail` is summary, values or lines; `precision` is an integer from 0 to 17."
        ))
    };
    let Query(query) =
        query.map_err(|rejection| bad_query(format!(": {}", rejection.body_text())))?;
    if query.precision.is_some_and(|p| p > 17) {
        return Err(bad_query(String::new()));
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

/// The detail a comparison in `format` is computed at: the table shows no steps, so it is
/// always a summary (and held to its budget), whatever was asked.
pub fn effective_detail(format: CompareFormat, detail: Detail) -> Detail {
    match format {
        CompareFormat::Markdown => Detail::Summary,
        CompareFormat::Json => detail,
    }
}

/// The whole endpoint but HTTP and rendering within the default limits, synchronously.
pub fn compare_body(body: &Value) -> Result<Compared, ApiError> {
    compare_body_with(body, &Limits::default(), Detail::Summary, None)
}

/// The whole endpoint but HTTP and rendering within `limits`, at `detail` (with the lines'
/// numbers displayed at `precision`), synchronously (the CLI's `compare` too).
pub fn compare_body_with(
    body: &Value,
    limits: &Limits,
    detail: Detail,
    precision: Option<Precision>,
) -> Result<Compared, ApiError> {
    let (request, mut solved) = solve_request(body, limits, detail)?;
    let results = solved
        .iter_mut()
        .zip(&request.labels)
        .map(|(response, label)| {
            let per_update = match response.solution.loss.per_update.take() {
                Some(per_update) => per_update
                    .into_iter()
                    .map(|loss| loss.is_finite().then_some(loss))
                    .collect(),
                None => compare::loss_per_update(&response.core_problem, &response.solution),
            };
            // The steps move to the column; the table needs only the loss per update.
            let steps = (detail != Detail::Summary).then(|| {
                std::mem::take(&mut response.solution.steps)
                    .iter()
                    .map(|step| serde_json::to_value(step.view(precision)).unwrap_or_default())
                    .collect()
            });
            let solution = &response.solution;
            CompareResult {
                label: label
                    .clone()
                    .unwrap_or_else(|| response.algorithm.name().to_string()),
                algorithm: response.algorithm,
                problem: response.problem.clone(),
                status: solution.status,
                warnings: solution.warnings.clone(),
                updates: per_update.len() as u64,
                final_weights: solution.final_weights.clone(),
                final_bias: solution.final_bias,
                updates_to_threshold: request.loss_threshold.and_then(|threshold| {
                    compare::updates_to_threshold(solution.loss.initial, &per_update, threshold)
                }),
                loss: CompareLoss {
                    initial: solution.loss.initial,
                    final_: solution.loss.final_,
                    per_epoch: solution.loss.per_epoch.clone(),
                    per_update,
                },
                steps,
            }
        })
        .collect();
    Ok(Compared {
        response: CompareResponse {
            loss_threshold: request.loss_threshold,
            results,
        },
        solved,
    })
}

/// Each configuration's label (default: the algorithm's name) and its solved response, at
/// `detail`, the steps kept as the core made them (the pictures' input).
pub fn solved_columns(
    body: &Value,
    limits: &Limits,
    detail: Detail,
) -> Result<Vec<(String, SolveResponse)>, ApiError> {
    let (request, solved) = solve_request(body, limits, detail)?;
    Ok(request
        .labels
        .into_iter()
        .zip(solved)
        .map(|(label, response)| {
            let label = label.unwrap_or_else(|| response.algorithm.name().to_string());
            (label, response)
        })
        .collect())
}

/// A compare body validated (every error named where its value came from), held to its
/// budget at `detail`, and solved configuration by configuration.
fn solve_request<'a>(
    body: &'a Value,
    limits: &Limits,
    detail: Detail,
) -> Result<(Request<'a>, Vec<SolveResponse>), ApiError> {
    let sizing = Sizing::Detail(detail.into());
    let request = read_request(body)?;
    let mut errors: Vec<FieldError> = Vec::new();
    let mut valid = Vec::with_capacity(request.configurations.len());
    for (i, configuration) in request.configurations.iter().enumerate() {
        let (merged, from_configuration) = merge(request.problem, configuration);
        match validate::problem_sized(&merged, limits, sizing) {
            Ok(problem) => valid.push(problem),
            Err(found) => {
                for error in found {
                    let pointer = if from_configuration(&error.pointer) {
                        format!("/configurations/{i}{}", error.pointer)
                    } else {
                        format!("/problem{}", error.pointer)
                    };
                    let error = FieldError { pointer, ..error };
                    // The problem's own errors come back once per configuration; say them once.
                    if !errors.contains(&error) {
                        errors.push(error);
                    }
                }
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let total = valid.iter().fold(TraceSize::default(), |sum, v| {
        sum.plus(TraceSize::of(&v.problem))
    });
    check_budget(total, "/configurations", limits, detail)?;

    let solved: Vec<SolveResponse> =
        parallel::map(&valid, |v| respond_at(v.clone(), detail.into()))
            .into_iter()
            .collect::<Result<_, _>>()
            .map_err(internal)?;
    Ok((request, solved))
}

/// The parts of a compare body, each checked for its shape.
struct Request<'a> {
    problem: &'a Map<String, Value>,
    configurations: Vec<&'a Map<String, Value>>,
    labels: Vec<Option<String>>,
    loss_threshold: Option<f64>,
}

fn read_request(body: &Value) -> Result<Request<'_>, ApiError> {
    let mut errors = Vec::new();
    let fail = |errors: &mut Vec<FieldError>, at: &str, detail: &str| {
        errors.push(FieldError::new(at, detail));
    };
    let Value::Object(top) = body else {
        return Err(ApiError::Validation(vec![FieldError::new(
            "",
            "must be an object {\"problem\": {...}, \"configurations\": [...]}",
        )]));
    };
    for key in top.keys() {
        if !["problem", "configurations", "loss_threshold"].contains(&key.as_str()) {
            errors.push(FieldError::new(
                pointer_of(key),
                "is not a known key; the body has problem, configurations and loss_threshold",
            ));
        }
    }
    let problem = match top.get("problem") {
        Some(Value::Object(problem)) => Some(problem),
        Some(_) => {
            fail(
                &mut errors,
                "/problem",
                "must be an object: a body of POST /v1/solve",
            );
            None
        }
        None => {
            fail(&mut errors, "/problem", "is required");
            None
        }
    };
    let mut configurations = Vec::new();
    let mut labels = Vec::new();
    match top.get("configurations") {
        Some(Value::Array(items)) if items.is_empty() || items.len() > MAX_CONFIGURATIONS => {
            errors.push(FieldError::new(
                "/configurations",
                format!(
                    "has {} configurations; it must have 1 to {MAX_CONFIGURATIONS}",
                    items.len()
                ),
            ));
        }
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                let at = format!("/configurations/{i}");
                let Value::Object(map) = item else {
                    errors.push(FieldError::new(&at, "must be an object"));
                    continue;
                };
                for key in map.keys() {
                    if !CONFIGURATION_KEYS.contains(&key.as_str()) {
                        errors.push(FieldError::new(
                            format!("{at}{}", pointer_of(key)),
                            format!(
                                "is not a key of a configuration; it takes {} (the rest of \
                                 the problem goes in `problem`)",
                                CONFIGURATION_KEYS.join(", ")
                            ),
                        ));
                    }
                }
                let label = match map.get("label") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(text)) if text.chars().count() <= MAX_LABEL => {
                        Some(text.clone())
                    }
                    Some(_) => {
                        errors.push(FieldError::new(
                            format!("{at}/label"),
                            format!("must be a string of at most {MAX_LABEL} characters"),
                        ));
                        None
                    }
                };
                configurations.push(map);
                labels.push(label);
            }
        }
        Some(_) => fail(
            &mut errors,
            "/configurations",
            "must be an array of configurations",
        ),
        None => fail(&mut errors, "/configurations", "is required"),
    }
    let loss_threshold = match top.get("loss_threshold") {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_f64() {
            Some(x) if x.is_finite() && x >= 0.0 => Some(x),
            _ => {
                fail(&mut errors, "/loss_threshold", "must be a number >= 0");
                None
            }
        },
    };
    match problem {
        Some(problem) if errors.is_empty() => Ok(Request {
            problem,
            configurations,
            labels,
            loss_threshold,
        }),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// The problem with a configuration laid over it, and a test of whether a pointer into the
/// result names a value the configuration decided.
fn merge<'a>(
    problem: &Map<String, Value>,
    configuration: &'a Map<String, Value>,
) -> (Value, impl Fn(&str) -> bool + 'a) {
    let mut merged = problem.clone();
    for (key, value) in configuration {
        if key == "label" {
            continue;
        }
        match (merged.get_mut(key), value) {
            (Some(Value::Object(base)), Value::Object(over))
                if MERGED_KEYS.contains(&key.as_str()) =>
            {
                for (k, v) in over {
                    base.insert(k.clone(), v.clone());
                }
            }
            _ => {
                merged.insert(key.clone(), value.clone());
            }
        }
    }
    let problem_keys: Vec<String> = problem.keys().cloned().collect();
    let problem_nested: Vec<(String, Vec<String>)> = MERGED_KEYS
        .iter()
        .filter_map(|key| match problem.get(*key) {
            Some(Value::Object(map)) => Some((key.to_string(), map.keys().cloned().collect())),
            _ => None,
        })
        .collect();
    let from_configuration = move |pointer: &str| {
        let mut parts = pointer.trim_start_matches('/').splitn(3, '/');
        let top = unescape(parts.next().unwrap_or(""));
        if !CONFIGURATION_KEYS.contains(&top.as_str()) {
            return false;
        }
        let inner = parts.next().map(unescape);
        let in_problem = |inner: &str| {
            problem_nested
                .iter()
                .any(|(k, keys)| *k == top && keys.iter().any(|key| key == inner))
        };
        match (configuration.get(&top), inner) {
            (Some(Value::Object(over)), Some(inner)) if MERGED_KEYS.contains(&top.as_str()) => {
                over.contains_key(&inner) || !in_problem(&inner)
            }
            (Some(_), _) => true,
            // Given by neither (a hyperparameter the configuration's algorithm requires): the
            // configuration's to give, so the error names its column.
            (None, Some(inner)) if MERGED_KEYS.contains(&top.as_str()) => !in_problem(&inner),
            (None, _) => !problem_keys.contains(&top),
        }
    };
    (Value::Object(merged), from_configuration)
}

fn pointer_of(key: &str) -> String {
    crate::pointer::child("", key)
}

fn unescape(part: &str) -> String {
    part.replace("~1", "/").replace("~0", "~")
}

/// The course's last exercise (docs/contract.md §10: "all four with bias correction") as one comparison:
/// the OpenAPI example, and `tests/fixtures/class/compare.json`.
pub fn course_exercise() -> Value {
    json!({
        "problem": {
            "samples": [
                {"x": [1, 0.6], "t": 0.8},
                {"x": [0.5, 0.5], "t": 0.6},
                {"x": [0.2, 0.8], "t": 0.3}
            ],
            "weights": [0.5, 0.5],
            "hyperparameters": {"learning_rate": 0.2},
            "bias_correction": true
        },
        "configurations": [
            {"label": "Momentum", "algorithm": "momentum", "hyperparameters": {"beta": 0.8},
             "conventions": {"sign": "delta"}},
            {"label": "Adagrad", "algorithm": "adagrad"},
            {"label": "RMSProp", "algorithm": "rmsprop", "hyperparameters": {"beta": 0.8}},
            {"label": "Adam", "algorithm": "adam", "hyperparameters": {"beta1": 0.8, "beta2": 0.8}}
        ],
        "loss_threshold": 0.018
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pointers(body: Value) -> Vec<String> {
        match compare_body(&body) {
            Ok(_) => Vec::new(),
            Err(ApiError::Validation(errors)) => errors.into_iter().map(|e| e.pointer).collect(),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_course_exercise_compares_four_columns() {
        let Ok(compared) = compare_body(&course_exercise()) else {
            panic!("the course's exercise is valid");
        };
        let labels: Vec<&str> = compared
            .response
            .results
            .iter()
            .map(|r| r.label.as_str())
            .collect();
        assert_eq!(labels, ["Momentum", "Adagrad", "RMSProp", "Adam"]);
        assert!(compared
            .markdown(None)
            .contains("| | Momentum | Adagrad | RMSProp | Adam |"));
    }

    #[test]
    fn errors_are_named_where_their_value_came_from() {
        let mut body = course_exercise();
        body["configurations"][2]["hyperparameters"]["beta"] = json!(1.5);
        body["problem"]["samples"][0]["t"] = json!("high");
        body["configurations"][1]["algorithm"] = json!("adamax");
        assert_eq!(
            pointers(body),
            [
                "/problem/samples/0/t",
                "/configurations/1/algorithm",
                "/configurations/2/hyperparameters/beta"
            ]
        );
    }

    #[test]
    fn a_shared_hyperparameter_out_of_range_is_the_problems() {
        let mut body = course_exercise();
        body["problem"]["hyperparameters"]["learning_rate"] = json!(-1);
        assert_eq!(pointers(body), ["/problem/hyperparameters/learning_rate"]);
    }

    #[test]
    fn a_missing_algorithm_or_learning_rate_is_the_configurations() {
        let mut body = course_exercise();
        body["configurations"][0] = json!({"label": "nothing"});
        body["problem"]["hyperparameters"] = json!({});
        let found = pointers(body);
        assert!(
            found.contains(&"/configurations/0/algorithm".to_string()),
            "{found:?}"
        );
        assert!(
            found.contains(&"/configurations/1/hyperparameters/learning_rate".to_string()),
            "{found:?}"
        );
    }

    #[test]
    fn configurations_take_only_their_keys_and_a_short_label() {
        let mut body = course_exercise();
        body["configurations"][0]["epochs"] = json!(3);
        body["configurations"][1]["label"] = json!("x".repeat(101));
        assert_eq!(
            pointers(body),
            ["/configurations/0/epochs", "/configurations/1/label"]
        );
    }
}

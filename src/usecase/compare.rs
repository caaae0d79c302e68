//! One problem, several optimizer configurations, solved side by side — for each the final
//! weights, the loss per epoch and per update, and the updates needed to reach a loss
//! threshold; or the comparison table (the work of `POST /v1/compare` and `gradtrace compare`).
//!
//! Each configuration's keys are laid over the problem (`hyperparameters` and `conventions` key
//! by key, `algorithm` and `bias_correction` whole), and the result goes through
//! `validate::problem_sized` and [`respond_at`] exactly as a `/v1/solve` body does, so every
//! column equals `/v1/solve` of its `problem`. A comparison is a summary (`detail=summary`, the
//! default, with its limits); `values` or `lines` add each column's `steps`. An error's pointer
//! names where the offending value came from: `/problem/...` or `/configurations/<i>/...`. The
//! arithmetic of the comparison is in `class::compare`.

use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::batch::{check_budget, internal};
use super::error::Error;
use super::solve::respond_at;
use crate::class::{compare, parallel, TraceSize, MAX_CONFIGURATIONS};
use crate::config::{Limits, Sizing};
use crate::solve::expr::{Precision, DEFAULT_PRECISION};
use crate::wire::class::{CompareLoss, CompareResponse, CompareResult};
use crate::wire::fields::FieldError;
use crate::wire::model::{Detail, SolveResponse, WireEnum};
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

/// The detail a comparison in `format` is computed at: the table shows no steps, so it is
/// always a summary (and held to its budget), whatever was asked.
pub fn effective_detail(format: CompareFormat, detail: Detail) -> Detail {
    match format {
        CompareFormat::Markdown => Detail::Summary,
        CompareFormat::Json => detail,
    }
}

/// The whole endpoint but HTTP and rendering within the default limits, synchronously.
pub fn compare_body(body: &Value) -> Result<Compared, Error> {
    compare_body_with(body, &Limits::default(), Detail::Summary, None)
}

/// The whole endpoint but HTTP and rendering within `limits`, at `detail` (with the lines'
/// numbers displayed at `precision`), synchronously (the CLI's `compare` too).
pub fn compare_body_with(
    body: &Value,
    limits: &Limits,
    detail: Detail,
    precision: Option<Precision>,
) -> Result<Compared, Error> {
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
                final_network: solution.final_network.clone(),
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
) -> Result<Vec<(String, SolveResponse)>, Error> {
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
) -> Result<(Request<'a>, Vec<SolveResponse>), Error> {
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
        return Err(Error::Validation(errors));
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

fn read_request(body: &Value) -> Result<Request<'_>, Error> {
    let Value::Object(top) = body else {
        return Err(Error::Validation(vec![FieldError::new(
            "",
            "must be an object {\"problem\": {...}, \"configurations\": [...]}",
        )]));
    };
    let mut errors: Vec<FieldError> = top
        .keys()
        .filter(|key| !["problem", "configurations", "loss_threshold"].contains(&key.as_str()))
        .map(|key| {
            FieldError::new(
                pointer_of(key),
                "is not a known key; the body has problem, configurations and loss_threshold",
            )
        })
        .collect();
    let problem = match top.get("problem") {
        Some(Value::Object(problem)) => Some(problem),
        Some(_) => {
            errors.push(FieldError::new(
                "/problem",
                "must be an object: a body of POST /v1/solve",
            ));
            None
        }
        None => {
            errors.push(FieldError::new("/problem", "is required"));
            None
        }
    };
    let (configurations, labels) = read_configurations(top.get("configurations"), &mut errors);
    let loss_threshold = match top.get("loss_threshold") {
        None | Some(Value::Null) => None,
        Some(value) => match value.as_f64() {
            Some(x) if x.is_finite() && x >= 0.0 => Some(x),
            _ => {
                errors.push(FieldError::new("/loss_threshold", "must be a number >= 0"));
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
        _ => Err(Error::Validation(errors)),
    }
}

/// The configurations and their labels, each checked for its keys; what is wrong goes to
/// `errors`.
fn read_configurations<'a>(
    value: Option<&'a Value>,
    errors: &mut Vec<FieldError>,
) -> (Vec<&'a Map<String, Value>>, Vec<Option<String>>) {
    let mut configurations = Vec::new();
    let mut labels = Vec::new();
    let items = match value {
        Some(Value::Array(items)) if items.is_empty() || items.len() > MAX_CONFIGURATIONS => {
            errors.push(FieldError::new(
                "/configurations",
                format!(
                    "has {} configurations; it must have 1 to {MAX_CONFIGURATIONS}",
                    items.len()
                ),
            ));
            return (configurations, labels);
        }
        Some(Value::Array(items)) => items,
        Some(_) => {
            errors.push(FieldError::new(
                "/configurations",
                "must be an array of configurations",
            ));
            return (configurations, labels);
        }
        None => {
            errors.push(FieldError::new("/configurations", "is required"));
            return (configurations, labels);
        }
    };
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
                        "is not a key of a configuration; it takes {} (the rest of the problem \
                         goes in `problem`)",
                        CONFIGURATION_KEYS.join(", ")
                    ),
                ));
            }
        }
        let label = match map.get("label") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) if text.chars().count() <= MAX_LABEL => Some(text.clone()),
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
    (configurations, labels)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::requests::course_exercise;
    use crate::usecase::error::pointers_of;
    use serde_json::json;

    fn pointers(body: Value) -> Vec<String> {
        pointers_of(compare_body(&body))
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

//! Many problems (or submissions) at once, worked over the cores, each result in its item's
//! place — what the single use case returns for that body, a solution (a grade) or its
//! problem+json error. One bad item never fails the others: the work of `POST /v1/solve/batch`
//! and `POST /v1/grade/batch`.
//!
//! The request as a whole is refused (pointer `/problems` or `/submissions`) only when it is
//! too big: more than `limits.batch_problems` items, or valid problems that together ask for
//! more trace than `limits.batch_trace_entries` / `batch_forward_entries` (`config::Limits`).
//! No maths and no grading here: items go through `validate::problem_sized` and
//! [`respond_at`] (at the request's `detail`), or [`grade_body_with`], exactly as the single
//! use cases' bodies do.

use serde_json::Value;

use super::error::Error;
use super::grade::grade_body_with;
use super::solve::respond_at;
use crate::class::{parallel, TraceSize};
use crate::config::{Limit, Limits, Sizing};
use crate::grade::Format as GradeFormat;
use crate::wire::class::{GradeBatchResponse, GradeOutcome, SolveBatchResponse, SolveOutcome};
use crate::wire::fields::{FieldError, LimitDetails};
use crate::wire::model::Detail;
use crate::wire::problem::ProblemDetails;
use crate::wire::validate;

/// The whole endpoint but HTTP within `limits`, at `detail`, synchronously.
pub fn solve_batch_body_with(
    body: &Value,
    limits: &Limits,
    detail: Detail,
) -> Result<SolveBatchResponse, Error> {
    let items = items(body, "problems", "bodies of POST /v1/solve", limits)?;
    let sizing = Sizing::Detail(detail.into());
    let validated: Vec<Result<validate::ValidProblem, Error>> = parallel::map(items, |item| {
        validate::problem_sized(item, limits, sizing).map_err(Error::from)
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
    let results = outcomes(
        &validated,
        |item| match item {
            Ok(valid) => SolveOutcome::Solved(Box::new(respond_at(valid.clone(), detail.into()))),
            Err(error) => SolveOutcome::Failed(error.problem()),
        },
        SolveOutcome::Failed,
    );
    Ok(SolveBatchResponse { results })
}

/// The whole endpoint but HTTP within `limits`, synchronously.
pub fn grade_batch_body_with(
    body: &Value,
    format: GradeFormat,
    limits: &Limits,
) -> Result<GradeBatchResponse, Error> {
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
    let results = outcomes(
        items,
        |item| match grade_body_with(item, format, limits) {
            Ok(grade) => GradeOutcome::Graded(grade),
            Err(error) => GradeOutcome::Failed(error.problem()),
        },
        GradeOutcome::Failed,
    );
    Ok(GradeBatchResponse { results })
}

/// Each item's outcome, worked over the cores; an item whose job panicked gets its 500 as
/// `failed`.
fn outcomes<T: Sync, O: Send>(
    items: &[T],
    work: impl Fn(&T) -> O + Sync,
    failed: impl Fn(ProblemDetails) -> O,
) -> Vec<O> {
    parallel::map(items, work)
        .into_iter()
        .map(|result| result.unwrap_or_else(|panicked| failed(internal(panicked).problem())))
        .collect()
}

/// The array at `key` of a `{key: [...]}` body, with at most `limits.batch_problems` items.
pub fn items<'a>(
    body: &'a Value,
    key: &str,
    what: &str,
    limits: &Limits,
) -> Result<&'a [Value], Error> {
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
        _ => Err(Error::Validation(errors)),
    }
}

/// A 422 when `total` is over the class budget of `limits` at `detail`, named at `pointer`.
pub fn check_budget(
    total: TraceSize,
    pointer: &str,
    limits: &Limits,
    detail: Detail,
) -> Result<(), Error> {
    match total.over_budget(limits, detail.into()) {
        Some((why, limit, value)) => Err(Error::Validation(vec![FieldError::over_limit(
            pointer,
            format!("{why}; split the request, or ask for fewer epochs"),
            LimitDetails::new(limit, value),
        )])),
        None => Ok(()),
    }
}

/// A job that panicked, as the 500 its item gets (logged here: an item's error is not a
/// response, so `Error`'s own logging does not see it).
pub fn internal(panicked: parallel::Panicked) -> Error {
    tracing::error!(detail = %panicked.0, "a job of a batch panicked");
    Error::Internal(format!("the computation failed: {}", panicked.0))
}

fn invalid(pointer: &str, detail: impl Into<String>) -> Error {
    Error::Validation(vec![FieldError::new(pointer, detail)])
}

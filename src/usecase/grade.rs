//! Grading a student's answers against the trace: the work of `POST /v1/grade`, `gradtrace
//! grade` and every batch of submissions, so they cannot disagree.
//!
//! Read the body (the problem through `validate::problem`, its pointers moved under
//! `/problem`; the answers, tolerance and carry-forward strategy: `wire::grade`), hand both to
//! the pure grader (`crate::grade`), render. No grading logic lives here.

use serde_json::Value;

use super::error::Error;
use crate::config::Limits;
use crate::grade::{self, Format, GradeReport};
use crate::wire::fields::FieldError;
use crate::wire::grade::{place_in_body, read, reroot_answer};

/// Validate a `POST /v1/grade` body within `limits`, grade it and render the grade in
/// `format` — the whole endpoint but HTTP, synchronously (CPU-bound: call it off the async
/// workers).
///
/// Errors are `Error::Validation` with every violation the request's parts allow: the
/// problem's (under `/problem`), the answers' shape, and — once the problem is valid — what the
/// grader finds (a malformed pointer, an unknown step or symbol, a negative tolerance).
pub fn grade_body_with(body: &Value, format: Format, limits: &Limits) -> Result<Value, Error> {
    let report = grade_report_with(body, limits)?;
    Ok(grade::render(&report, format))
}

/// The [`GradeReport`] of a `POST /v1/grade` body within `limits`, before rendering.
pub fn grade_report_with(body: &Value, limits: &Limits) -> Result<GradeReport, Error> {
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
    Err(Error::Validation(errors))
}

//! A solution as NDJSON lines (docs/contract.md §12), written as they are computed: the lines
//! of `POST /v1/solve?format=ndjson` and of `gradtrace solve --stream` (the same bytes: both
//! write through [`produce`]).
//!
//! Lines: `{"type":"header","algorithm","problem"}`, one `{"type":"step",…}` per update (the
//! step's fields as in the JSON trace, at the detail and precision asked for), and
//! `{"type":"end","status","warnings","final_weights","final_bias","loss"}` (at `detail=summary`
//! there are no step lines, and the end's `loss` has `per_update`). A stream cut short
//! after it started ends instead with `{"type":"error","problem_type",…}` ([`error_line`]): the
//! problem details of the cause, whose own `type` URI is renamed `problem_type` so that every
//! line's `type` says what the line is.

use serde::Serialize;

use super::error::Error;
use super::solve::complete_warnings;
use crate::solve::expr::Precision;
use crate::solve::{self, Hooks, LossSummary, Solver, Status, Warning};
use crate::wire::model::{Algorithm, ResolvedProblem};
use crate::wire::problem::ProblemDetails;
use crate::wire::validate::ValidProblem;

#[derive(Serialize)]
struct Header<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    algorithm: Algorithm,
    problem: &'a ResolvedProblem,
}

#[derive(Serialize)]
struct End<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    status: Status,
    warnings: &'a [Warning],
    final_weights: &'a [f64],
    final_bias: Option<f64>,
    loss: &'a LossSummary,
}

/// Write the stream of a validated problem line by line (each ending in `\n`) through `emit`,
/// which is told whether the line is the last and returns whether to go on. Synchronous and
/// CPU-bound: the server runs it on a solver thread, the CLI on its own.
pub fn produce(
    valid: ValidProblem,
    detail: solve::Detail,
    precision: Option<Precision>,
    mut emit: impl FnMut(Vec<u8>, bool) -> bool,
) {
    let ValidProblem {
        problem,
        warnings,
        echo,
    } = valid;
    let header = Header {
        kind: "header",
        algorithm: echo.algorithm,
        problem: &echo,
    };
    // Whether to go on after a line; a line that cannot be written ends the stream with an
    // error line instead.
    let mut send = |line: Result<Vec<u8>, Error>| match line {
        Ok(line) => emit(line, false),
        Err(error) => {
            emit(error_line(&error.problem()), true);
            false
        }
    };
    if !send(json_line(&header)) {
        return;
    }
    let mut solution = if detail == solve::Detail::Summary {
        // No step lines: the end carries the loss after every update.
        solve::solve_detail(&problem, detail)
    } else {
        let mut solver = Solver::with_detail(&problem, Hooks::default(), detail);
        for step in solver.by_ref() {
            if !send(tagged_line("step", &step.view(precision))) {
                return;
            }
        }
        solver.finish(Vec::new())
    };
    complete_warnings(&mut solution.warnings, warnings, &problem);
    let end = End {
        kind: "end",
        status: solution.status,
        warnings: &solution.warnings,
        final_weights: &solution.final_weights,
        final_bias: solution.final_bias,
        loss: &solution.loss,
    };
    let line = json_line(&end).unwrap_or_else(|error| error_line(&error.problem()));
    emit(line, true);
}

/// A value as one NDJSON line.
fn json_line(value: &impl Serialize) -> Result<Vec<u8>, Error> {
    let mut line = crate::wire::json::to_vec(value)
        .map_err(|error| Error::Internal(format!("cannot serialize: {error}")))?;
    line.push(b'\n');
    Ok(line)
}

/// An object's JSON with `"type": kind` first, as one line: the object's own bytes, exactly as
/// the JSON trace writes them.
fn tagged_line(kind: &str, value: &impl Serialize) -> Result<Vec<u8>, Error> {
    let json = json_line(value)?;
    let fields = match json.strip_prefix(b"{") {
        Some(rest) if !rest.starts_with(b"}") => rest,
        _ => return Err(Error::Internal(format!("a {kind} is not a JSON object"))),
    };
    let mut line = format!("{{\"type\":\"{kind}\",").into_bytes();
    line.extend_from_slice(fields);
    Ok(line)
}

/// The `error` line of a stream cut short: `{"type":"error","problem_type":<the problem's type
/// URI>, "title", "status", "detail", …}`.
pub fn error_line(problem: &ProblemDetails) -> Vec<u8> {
    let mut line = serde_json::Map::new();
    line.insert("type".to_string(), "error".into());
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(problem) {
        for (key, value) in fields {
            let key = if key == "type" {
                "problem_type".to_string()
            } else {
                key
            };
            line.insert(key, value);
        }
    }
    // A map of strings and integers always serializes.
    json_line(&line).unwrap_or_else(|_| b"{\"type\":\"error\"}\n".to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_line_keeps_the_problem_type_under_its_own_name() {
        let line = error_line(&ProblemDetails::new(
            "shutting-down",
            "The service is shutting down",
            503,
            String::new(),
        ));
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(&line) else {
            panic!("not JSON: {}", String::from_utf8_lossy(&line));
        };
        assert_eq!(value["type"], "error");
        assert_eq!(
            value["problem_type"],
            "https://gradtrace.dev/problems/shutting-down"
        );
        assert_eq!(value["status"], 503);
        assert!(line.ends_with(b"}\n"));
    }

    #[test]
    fn a_tagged_line_is_the_objects_bytes_with_its_type_first() {
        let Ok(line) = tagged_line("step", &serde_json::json!({"index": 1, "x": [0.5]})) else {
            panic!("an object");
        };
        assert_eq!(line, b"{\"type\":\"step\",\"index\":1,\"x\":[0.5]}\n");
        assert!(tagged_line("step", &serde_json::json!({})).is_err());
    }
}

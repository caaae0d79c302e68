//! SVG pictures of the traces (docs/contract.md §13): the loss surface with each optimizer's
//! path, the loss per update and per epoch, a schedule's rate — the work of `POST /v1/plot/*`
//! and `gradtrace plot`, so the bytes are the same. The surface and the loss take a
//! `/v1/solve` body (one configuration) or a `/v1/compare` body (every configuration on one
//! picture), validated and solved exactly as those do ([`solved_columns`]); the schedule takes
//! a `/v1/schedule` body. The drawing is `crate::picture`.

use serde_json::{json, Value};

use super::compare::solved_columns;
use super::error::Error;
use super::schedule::tabulate;
use crate::class::compare::hyperparameters;
use crate::config::{Limit, Limits};
use crate::picture::{curves, surface, Series};
use crate::solve::expr::{format_number, Precision};
use crate::solve::ScheduleKind;
use crate::wire::fields::{FieldError, LimitDetails};
use crate::wire::model::{Detail, SolveResponse};
use crate::wire::validate;

/// Which two parameters span a surface, numbered from 0 over the weights and then the bias,
/// and its grid points per side; each absent one takes its default (0, 1, 61).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SurfaceView {
    pub x: Option<u32>,
    pub y: Option<u32>,
    pub resolution: Option<u32>,
}

/// Each configuration's label and solution.
type Columns = Vec<(String, SolveResponse)>;

/// A problem or a comparison, solved with every step's values.
pub fn compared(body: &Value, limits: &Limits) -> Result<Columns, Error> {
    let is_comparison = body
        .as_object()
        .is_some_and(|o| o.contains_key("configurations"));
    if is_comparison {
        return solved_columns(body, limits, Detail::Values);
    }
    let wrapped = json!({"problem": body, "configurations": [{}]});
    // A lone problem's errors point into it, as `/v1/solve` names them.
    solved_columns(&wrapped, limits, Detail::Values).map_err(|error| match error {
        Error::Validation(errors) => Error::Validation(
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
pub fn surface_body(body: &Value, view: SurfaceView, limits: &Limits) -> Result<String, Error> {
    let resolution = u64::from(
        view.resolution
            .unwrap_or(surface::DEFAULT_RESOLUTION as u32),
    );
    if resolution > limits.plot_resolution {
        let max = limits.plot_resolution;
        return Err(Error::Validation(vec![FieldError::over_limit(
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
        return Err(Error::Validation(vec![FieldError::over_limit(
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
        x: view.x.unwrap_or(0) as usize,
        y: view.y.unwrap_or(1) as usize,
        resolution: resolution as usize,
    };
    surface::surface(&series(&compared, &details), options)
        .map_err(|detail| Error::Validation(vec![FieldError::new("/weights", detail)]))
}

/// The loss picture of a body, within `limits` (the CLI's `plot loss` too).
pub fn loss_body(body: &Value, limits: &Limits) -> Result<String, Error> {
    let compared = compared(body, limits)?;
    let details = details(&compared);
    Ok(curves::loss(&series(&compared, &details)))
}

/// The schedule picture of a `/v1/schedule` body, within `limits` (the CLI's `plot schedule`).
pub fn schedule_body(body: &Value, limits: &Limits) -> Result<String, Error> {
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

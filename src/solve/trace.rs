//! The trace the core returns (docs/contract.md §7): one `Step` per update, in order, with every
//! intermediate value and the worked `lines` a person would write.
//!
//! Per-parameter vectors in `state` and `conjugate` list the weights in order, then the bias when
//! the problem has one; `gradient`/`dw` keep the bias apart (`bias_gradient`, `bias_dw`) as the
//! contract shows.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

use super::expr::{format_number, Expr, Precision};

/// Whether the run went to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every epoch ran.
    Completed,
    /// Conjugate gradient's gradient fell within `tolerance`.
    Converged,
    /// An update produced a non-finite value; the trace stops before it.
    Diverged,
}

/// Something the caller should know about the run that is not an error.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Warning {
    /// Stable machine-readable code, e.g. `unused_hyperparameter`.
    #[schema(example = "bias_correction_ignored")]
    pub code: String,
    /// A sentence for people.
    pub message: String,
    /// The update (1-based `index`) it concerns, if any.
    pub step: Option<u64>,
}

impl Warning {
    pub fn new(code: &str, message: impl Into<String>, step: Option<u64>) -> Self {
        Warning {
            code: code.to_string(),
            message: message.into(),
            step,
        }
    }
}

/// The forward pass of one sample within an update.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Forward {
    /// Index of the sample in `samples` (0-based).
    pub sample: usize,
    /// Net input `y_in`.
    pub net: f64,
    /// Output `y = f(y_in)`.
    pub output: f64,
    /// The sample's loss `E`.
    pub loss: f64,
    /// `∂E/∂w` of this sample alone.
    pub gradient: Vec<f64>,
    /// `∂E/∂b` of this sample alone (null without a bias).
    pub bias_gradient: Option<f64>,
}

/// One line of a worked solution: `symbol = formula = substitution = value`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Line {
    /// The quantity, in the course's notation.
    #[schema(example = "y_{in}")]
    pub symbol: String,
    /// The formula in symbols.
    #[schema(example = "w_1 x_1 + w_2 x_2")]
    pub formula: String,
    /// The formula with the very numbers used.
    #[schema(example = "0.5 × 1 + 0.5 × 0.6")]
    pub substitution: String,
    /// The result, full precision (after rounding in hand-calculation mode).
    #[schema(example = 0.8)]
    pub value: f64,
    /// The whole line as a LaTeX equation.
    #[schema(example = "y_{in} = 0.5 \\times 1 + 0.5 \\times 0.6 = 0.8")]
    pub latex: String,
    /// Where the step carries the same value, as a JSON pointer relative to the step
    /// (`/weights_after/0`, `/state/velocity/1`); null for intermediate values.
    #[schema(example = "/forward/0/net")]
    pub pointer: Option<String>,
    /// The expression the strings were rendered from (kept for re-rendering).
    #[serde(skip)]
    pub expr: Expr,
}

/// Conjugate gradient's per-iteration detail (docs/contract.md §3.2).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ConjugateStep {
    /// Iteration number `k` (0-based).
    pub k: u64,
    /// `β_k` (0 on the first iteration and on restarts).
    pub beta: f64,
    /// Whether `β_k` was forced to 0.
    pub restarted: bool,
    /// The search direction `d_k`.
    pub direction: Vec<f64>,
    /// The step length `η_k`.
    pub step_length: f64,
    /// `g_kᵀ d_k` (negative for a descent direction).
    pub directional_derivative: f64,
}

/// One update.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Step {
    /// The update counter `t`, 1-based, counted across epochs.
    pub index: u64,
    /// The epoch number `e` the schedule formula sees.
    pub epoch: u64,
    /// Indices (0-based) of the samples of this update.
    pub samples: Vec<usize>,
    /// The learning rate used (for conjugate gradient, `η_k`).
    pub learning_rate: f64,
    pub weights_before: Vec<f64>,
    pub bias_before: Option<f64>,
    pub forward: Vec<Forward>,
    /// `∂E/∂w` of the update's (reduced) loss.
    pub gradient: Vec<f64>,
    pub bias_gradient: Option<f64>,
    /// The gradient in the request's sign convention.
    pub dw: Vec<f64>,
    pub bias_dw: Option<f64>,
    /// Accumulators after the update, one entry per parameter (weights, then bias), with
    /// bias-corrected values as `<name>_corrected` when correction is on.
    #[schema(value_type = BTreeMap<String, Vec<f64>>)]
    pub state: BTreeMap<String, Vec<f64>>,
    /// The divisor `1 − decay^t` applied to each corrected accumulator.
    pub correction_factors: BTreeMap<String, f64>,
    /// Conjugate gradient's β, direction and step length (null for the other algorithms).
    pub conjugate: Option<ConjugateStep>,
    pub weights_after: Vec<f64>,
    pub bias_after: Option<f64>,
    /// The worked solution of this update, in the order a person writes it.
    pub lines: Vec<Line>,
}

/// Loss over all samples (with the request's reduction); null where not finite.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct LossSummary {
    /// At the initial weights.
    pub initial: Option<f64>,
    /// At `final_weights`.
    #[serde(rename = "final")]
    pub final_: Option<f64>,
    /// After each completed epoch.
    pub per_epoch: Vec<Option<f64>>,
    /// After each update, at the weights it ends with: only with `detail=summary`, which has
    /// no `steps` to read them from. (STAND-IN field, issue 10: the redesigned core adds it.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_update: Option<Vec<Option<f64>>>,
}

/// The core's answer for a problem.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Solution {
    pub status: Status,
    pub warnings: Vec<Warning>,
    pub steps: Vec<Step>,
    pub final_weights: Vec<f64>,
    pub final_bias: Option<f64>,
    pub loss: LossSummary,
}

impl Line {
    /// A worked line `symbol = formula = substitution = value` from one expression; `value` is
    /// the given (possibly rounded) result of evaluating it.
    pub fn new(symbol: impl Into<String>, expr: Expr, value: f64, precision: Precision) -> Self {
        let symbol = symbol.into();
        let mut line = Line {
            formula: String::new(),
            substitution: String::new(),
            latex: String::new(),
            symbol,
            value,
            pointer: None,
            expr,
        };
        line.render(precision);
        line
    }

    /// Re-render the display strings with another precision; `value` keeps full precision.
    pub fn render(&mut self, precision: Precision) {
        self.formula = self.expr.formula_text();
        self.substitution = self.expr.substitution_text(precision);
        self.latex = format!(
            "{} = {} = {}",
            self.symbol,
            self.expr.substitution_tex(precision),
            format_number(self.value, precision, true)
        );
    }
}

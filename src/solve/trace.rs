//! The trace the core returns (docs/contract.md §7): one `Step` per update, in order, with every
//! intermediate value and the worked `lines` a person would write.
//!
//! Per-parameter vectors in `state` and `conjugate` list the weights in order, then the bias when
//! the problem has one; `gradient`/`dw` keep the bias apart (`bias_gradient`, `bias_dw`) as the
//! contract shows.

use std::collections::BTreeMap;

use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};
use utoipa::ToSchema;

use super::expr::LineExpr;
use super::network::trace::{FinalNetwork, LayerStep, SampleLoss};
use super::number::{write_number, Display, Precision, Sink};
use super::symbol::{Pointer, Symbol};

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

/// One line of a worked solution: `symbol = formula = substitution = value`. It keeps what
/// the line is (its symbol, expression, value and pointer); its text is written when it is
/// sent, at the precision asked for then.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The quantity, in the course's notation.
    pub symbol: Symbol,
    /// The expression its text is written from.
    pub expr: LineExpr,
    /// The result, full precision (after rounding in hand-calculation mode).
    pub value: f64,
    /// Where the step carries the same value, relative to the step; none for intermediate
    /// values.
    pub pointer: Option<Pointer>,
    /// The precision its numbers are shown with when nothing else is asked for.
    pub display: Precision,
    /// In hand-calculation mode the values are shown exactly as rounded, whatever is asked.
    pub hand_rounded: bool,
}

/// The wire form of [`Line`], for the OpenAPI document.
mod wire {
    use utoipa::ToSchema;

    /// One line of a worked solution: `symbol = formula = substitution = value`.
    #[derive(ToSchema)]
    #[allow(dead_code)]
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
    }
}

impl utoipa::PartialSchema for Line {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <wire::Line as utoipa::PartialSchema>::schema()
    }
}

impl ToSchema for Line {
    fn name() -> std::borrow::Cow<'static, str> {
        <wire::Line as ToSchema>::name()
    }

    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <wire::Line as ToSchema>::schemas(schemas);
    }
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
#[derive(Debug, Clone, PartialEq, ToSchema)]
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
    pub state: BTreeMap<&'static str, Vec<f64>>,
    /// The divisor `1 − decay^t` applied to each corrected accumulator.
    #[schema(value_type = BTreeMap<String, f64>)]
    pub correction_factors: BTreeMap<&'static str, f64>,
    /// Conjugate gradient's β, direction and step length (null for the other algorithms).
    pub conjugate: Option<ConjugateStep>,
    pub weights_after: Vec<f64>,
    pub bias_after: Option<f64>,
    /// A network's layers (docs/contract.md §11; absent for a neuron): each layer's weights and
    /// biases before and after, gradients, state, gradient norm, and per sample its forward
    /// pass and deltas. The flat vectors above then hold the optimizers' vector (each layer's
    /// weights row by row, then its updated biases), and `forward` is empty.
    pub layers: Option<Vec<LayerStep>>,
    /// A network's losses per sample of the update, per output and in total (absent for a
    /// neuron).
    pub losses: Option<Vec<SampleLoss>>,
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
    /// After each update, at the weights it ends with (the `summary` detail only).
    // Plain numbers, written as null where not finite: half the memory of options, for a list
    // of one per update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Option<f64>>>)]
    pub per_update: Option<Vec<f64>>,
}

/// The core's answer for a problem.
#[derive(Debug, Clone, PartialEq, ToSchema)]
pub struct Solution {
    pub status: Status,
    pub warnings: Vec<Warning>,
    pub steps: Vec<Step>,
    pub final_weights: Vec<f64>,
    pub final_bias: Option<f64>,
    /// A network after the last update, shaped like the request's `network` (absent for a
    /// neuron; `final_weights` is then the optimizers' vector).
    pub final_network: Option<FinalNetwork>,
    pub loss: LossSummary,
}

impl Line {
    /// The precision its numbers are shown with when `requested` is asked for (`None`: its
    /// own): hand-rounded values always as rounded.
    pub fn shown(&self, requested: Option<Precision>) -> Precision {
        match requested {
            Some(precision) if !self.hand_rounded => precision,
            _ => self.display,
        }
    }

    /// The formula in symbols, plain text.
    pub fn formula(&self) -> String {
        self.expr.formula_text()
    }

    /// The formula with its numbers, plain text.
    pub fn substitution(&self, precision: Precision) -> String {
        self.expr.substitution_text(precision)
    }

    /// The whole line as a LaTeX equation: `symbol = substitution = value`.
    pub fn latex(&self, precision: Precision) -> String {
        let mut out = String::new();
        self.write_latex(&mut out, precision);
        out
    }

    pub fn write_latex(&self, out: &mut impl Sink, precision: Precision) {
        self.symbol.write_tex(out);
        out.put(" = ");
        self.expr.write_substitution(out, precision, true);
        out.put(" = ");
        write_number(out, self.value, precision, true);
    }

    /// The line serialized with its numbers shown at `precision` (see [`Line::shown`]).
    pub fn view(&self, requested: Option<Precision>) -> LineView<'_> {
        LineView {
            line: self,
            precision: self.shown(requested),
        }
    }
}

/// A line with the precision its text is written at.
#[derive(Debug, Clone, Copy)]
pub struct LineView<'a> {
    pub line: &'a Line,
    pub precision: Precision,
}

/// Room to write a line's fields in, reused from line to line: each field is handed to the
/// serializer whole, and each number is worked out once for the two substitutions.
#[derive(Default)]
struct Scratch {
    text: String,
    shown: Vec<Display>,
}

thread_local! {
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
}

impl Serialize for LineView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => self.serialize_with(serializer, &mut scratch),
            Err(_) => self.serialize_with(serializer, &mut Scratch::default()),
        })
    }
}

impl LineView<'_> {
    fn serialize_with<S: Serializer>(
        &self,
        serializer: S,
        scratch: &mut Scratch,
    ) -> Result<S::Ok, S::Error> {
        let (line, precision) = (self.line, self.precision);
        let Scratch { text, shown } = scratch;
        line.expr.shown_numbers(precision, shown);
        let mut s = serializer.serialize_struct("Line", 6)?;
        let mut field = |s: &mut S::SerializeStruct,
                         name: &'static str,
                         write: &dyn Fn(&mut String)|
         -> Result<(), S::Error> {
            text.clear();
            write(text);
            s.serialize_field(name, text.as_str())
        };
        field(&mut s, "symbol", &|out| line.symbol.write_tex(out))?;
        field(&mut s, "formula", &|out| {
            line.expr.write_formula(out, false)
        })?;
        field(&mut s, "substitution", &|out| {
            line.expr.write_substitution_shown(out, shown, false)
        })?;
        s.serialize_field("value", &line.value)?;
        field(&mut s, "latex", &|out| {
            line.symbol.write_tex(out);
            out.put(" = ");
            line.expr.write_substitution_shown(out, shown, true);
            out.put(" = ");
            write_number(out, line.value, precision, true);
        })?;
        s.serialize_field("pointer", &line.pointer)?;
        s.end()
    }
}

impl Serialize for Line {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.view(None).serialize(serializer)
    }
}

/// A step whose lines are written at a display precision (`None`: each line's own).
#[derive(Debug, Clone, Copy)]
pub struct StepView<'a> {
    pub step: &'a Step,
    pub precision: Option<Precision>,
}

/// Lines or steps, each serialized through its view at a display precision.
struct ListView<'a, T, V> {
    items: &'a [T],
    view: fn(&'a T, Option<Precision>) -> V,
    precision: Option<Precision>,
}

impl<'a, T, V> ListView<'a, T, V> {
    fn new(
        items: &'a [T],
        view: fn(&'a T, Option<Precision>) -> V,
        precision: Option<Precision>,
    ) -> Self {
        ListView {
            items,
            view,
            precision,
        }
    }
}

impl<T, V: Serialize> Serialize for ListView<'_, T, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.items.len()))?;
        for item in self.items {
            seq.serialize_element(&(self.view)(item, self.precision))?;
        }
        seq.end()
    }
}

impl Serialize for StepView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let step = self.step;
        let mut s = serializer.serialize_struct("Step", 17)?;
        s.serialize_field("index", &step.index)?;
        s.serialize_field("epoch", &step.epoch)?;
        s.serialize_field("samples", &step.samples)?;
        s.serialize_field("learning_rate", &step.learning_rate)?;
        s.serialize_field("weights_before", &step.weights_before)?;
        s.serialize_field("bias_before", &step.bias_before)?;
        s.serialize_field("forward", &step.forward)?;
        s.serialize_field("gradient", &step.gradient)?;
        s.serialize_field("bias_gradient", &step.bias_gradient)?;
        s.serialize_field("dw", &step.dw)?;
        s.serialize_field("bias_dw", &step.bias_dw)?;
        s.serialize_field("state", &step.state)?;
        s.serialize_field("correction_factors", &step.correction_factors)?;
        s.serialize_field("conjugate", &step.conjugate)?;
        s.serialize_field("weights_after", &step.weights_after)?;
        s.serialize_field("bias_after", &step.bias_after)?;
        if let (Some(layers), Some(losses)) = (&step.layers, &step.losses) {
            s.serialize_field("layers", layers)?;
            s.serialize_field("losses", losses)?;
        }
        let lines = ListView::new(&step.lines, Line::view, self.precision);
        s.serialize_field("lines", &lines)?;
        s.end()
    }
}

impl Serialize for Step {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StepView {
            step: self,
            precision: None,
        }
        .serialize(serializer)
    }
}

impl Step {
    /// The step's JSON (the bytes of [`Step::view`]) written into `out`.
    pub fn write_json(&self, out: &mut Vec<u8>, precision: Option<Precision>) {
        super::json::write_step(out, self, precision, &mut Default::default());
    }

    /// The step serialized with its lines' numbers shown at `precision`.
    pub fn view(&self, precision: Option<Precision>) -> StepView<'_> {
        StepView {
            step: self,
            precision,
        }
    }
}

/// A solution whose lines are written at a display precision (`None`: each line's own): how a
/// response at `?precision=` is written, without copying the solution.
#[derive(Debug, Clone, Copy)]
pub struct SolutionView<'a> {
    pub solution: &'a Solution,
    pub precision: Option<Precision>,
}

impl Serialize for SolutionView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let solution = self.solution;
        let mut s = serializer.serialize_struct("Solution", 6)?;
        s.serialize_field("status", &solution.status)?;
        s.serialize_field("warnings", &solution.warnings)?;
        let steps = ListView::new(&solution.steps, Step::view, self.precision);
        s.serialize_field("steps", &steps)?;
        s.serialize_field("final_weights", &solution.final_weights)?;
        s.serialize_field("final_bias", &solution.final_bias)?;
        if let Some(network) = &solution.final_network {
            s.serialize_field("final_network", network)?;
        }
        s.serialize_field("loss", &solution.loss)?;
        s.end()
    }
}

impl Serialize for Solution {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.view(None).serialize(serializer)
    }
}

impl Solution {
    /// The solution's JSON (the bytes of [`Solution::view`]) written into `out`.
    pub fn write_json(&self, out: &mut Vec<u8>, precision: Option<Precision>) {
        super::json::write_solution(out, self, precision);
    }

    /// The solution serialized with its lines' numbers shown at `precision`.
    pub fn view(&self, precision: Option<Precision>) -> SolutionView<'_> {
        SolutionView {
            solution: self,
            precision,
        }
    }
}

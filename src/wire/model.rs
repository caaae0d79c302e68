//! Wire types: what the JSON of every endpoint looks like, with descriptions, ranges and
//! examples for the OpenAPI document.
//!
//! Requests are *not* parsed through these types (`wire::validate` reads the raw JSON so it can
//! report every violation at once); they describe the contract, and the echo of a solved problem
//! (`ResolvedProblem`) is built from them, so a test that re-posts the echo keeps both honest.
//! No validation logic and no maths live here.

use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{AnyOfBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::ToSchema;

use crate::grade::{
    Answer, CarryForward, CodeRunnerResult, GradeReport, GradescopeResults, PrairieLearnResults,
    Tolerance,
};
use crate::solve;
use crate::wire::class::CompareRequest;

/// A string-valued enum of the wire format.
pub trait WireEnum: Sized + Copy + 'static {
    /// Every value, in the order the contract lists them.
    const ALL: &'static [Self];

    /// The wire spelling.
    fn name(self) -> &'static str;

    /// The value with this wire spelling.
    fn parse(wire: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|v| v.name() == wire)
    }

    /// The wire spellings, for "must be one of" messages.
    fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|v| v.name()).collect()
    }
}

/// Declares a wire enum with each variant spelled once, in `serde(rename)`, so the JSON, the
/// schema and the validation messages agree.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident { $($(#[$vmeta:meta])* $variant:ident = $wire:tt),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $wire)] $variant),+
        }

        impl WireEnum for $name {
            const ALL: &'static [$name] = &[$($name::$variant),+];

            fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $wire),+
                }
            }
        }
    };
}

wire_enum! {
    /// Activation of the neuron (docs/contract.md §1).
    Activation {
        /// σ(z) = 1/(1+e^(−z)), the course's neuron.
        Logistic = "logistic",
        Linear = "linear",
        Tanh = "tanh",
        /// max(0, z), derivative 0 at z ≤ 0.
        Relu = "relu",
    }
}

wire_enum! {
    /// Loss of one sample (docs/contract.md §1); `cross_entropy` only with the logistic activation.
    Loss {
        /// E = ½ (t − y)²
        SquaredError = "squared_error",
        /// E = −[t ln y + (1−t) ln(1−y)]
        CrossEntropy = "cross_entropy",
    }
}

wire_enum! {
    /// How a batch's sample losses and gradients are combined.
    Reduction {
        Mean = "mean",
        Sum = "sum",
    }
}

/// The optimizer (docs/contract.md §3): one value per registered optimizer (`solve::optim`).
pub use super::catalog::Algorithm;

wire_enum! {
    /// Which sign `dw` carries (docs/contract.md §4).
    Sign {
        /// dw = ∂E/∂w and updates subtract, as the frameworks do.
        Gradient = "gradient",
        /// dw = −∂E/∂w and updates add, as the course's momentum example does.
        Delta = "delta",
    }
}

wire_enum! {
    /// Where ε goes (docs/contract.md §4): `inside_sqrt` α / √(v + ε), as the course writes it;
    /// `outside_sqrt` α / (√v + ε), as PyTorch and Keras do. The accumulator under the root is
    /// named as the worked lines name it: v for adagrad and rmsprop, s for adadelta, adam and
    /// adamw, s^max for amsgrad.
    EpsilonPlacement {
        /// α / √(v + ε), the course.
        InsideSqrt = "inside_sqrt",
        /// α / (√v + ε), PyTorch and Keras.
        OutsideSqrt = "outside_sqrt",
    }
}

wire_enum! {
    /// How momentum's velocity is written (docs/contract.md §3).
    MomentumForm {
        /// v ← β v + (1 − β) dw
        Average = "average",
        /// v ← β v + dw
        Sum = "sum",
    }
}

wire_enum! {
    /// Conjugate gradient's β rule (docs/contract.md §3.2).
    BetaFormula {
        FletcherReeves = "fletcher_reeves",
        PolakRibiere = "polak_ribiere",
        PolakRibierePlus = "polak_ribiere_plus",
        HestenesStiefel = "hestenes_stiefel",
    }
}

wire_enum! {
    /// Conjugate gradient's step length rule (docs/contract.md §3.2).
    LineSearch {
        /// Minimize the loss along the direction over 0 ≤ η ≤ max_step.
        Exact = "exact",
        /// η = learning_rate (scheduled if a schedule is given).
        Fixed = "fixed",
    }
}

wire_enum! {
    /// What `e` in a schedule formula counts (docs/contract.md §5).
    SchedulePer {
        Epoch = "epoch",
        /// The update counter: e = t − 1 + first_epoch.
        Update = "update",
    }
}

wire_enum! {
    /// How much of each solution a response carries (docs/contract.md §12). The numbers are the same at
    /// every detail; only what is written out differs.
    Detail {
        /// Every step with its worked `lines` (the default; the Markdown and LaTeX renderings
        /// need them).
        Lines = "lines",
        /// Every step with all its values and `lines: []`: the same trace without the worked
        /// text, for runs too long to write out (its own, larger limits).
        Values = "values",
        /// `steps: []`, and `loss.per_update`, the loss over all samples after each update:
        /// status, warnings, final weights, and the loss per epoch and per update.
        Summary = "summary",
    }
}

/// One training sample.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Sample {
    /// Inputs; as many as `weights`.
    #[schema(min_items = 1, example = json!([1.0, 0.6]))]
    pub x: Vec<f64>,
    /// Target: a number for one output; for a network with several outputs, one per output
    /// unit.
    pub t: Target,
}

/// A sample's target: a number, or one per output unit of a network (docs/contract.md §11).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
#[schema(example = 0.8)]
pub enum Target {
    One(f64),
    Outputs(Vec<f64>),
}

impl Target {
    /// The first target (the only one of a neuron).
    pub fn first(&self) -> f64 {
        match self {
            Target::One(t) => *t,
            Target::Outputs(ts) => ts.first().copied().unwrap_or(0.0),
        }
    }

    /// Every target, one per output.
    pub fn all(&self) -> Vec<f64> {
        match self {
            Target::One(t) => vec![*t],
            Target::Outputs(ts) => ts.clone(),
        }
    }
}

wire_enum! {
    /// How a network's worked lines name its quantities (docs/contract.md §11).
    Notation {
        /// `z^{(1)}_1`, `a^{(1)}_1`, `\delta^{(2)}_1`, `w^{(2)}_{12}`, `b^{(1)}_2`.
        Layered = "layered",
        /// One hidden layer as the classic worked examples write it: `w_1 … w_m`, `net_{h1}`,
        /// `out_{o1}`, `E_{total}`, `\delta_{o1}`.
        Numbered = "numbered",
    }
}

/// One layer of a network (docs/contract.md §11).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkLayer {
    /// Default `logistic`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
    /// One row per unit of this layer, one column per unit of the layer below (the first
    /// layer: per input).
    #[schema(min_items = 1, example = json!([[0.15, 0.20], [0.25, 0.30]]))]
    pub weights: Vec<Vec<f64>>,
    /// One per unit; absent (or null): the layer has no bias terms.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = json!([0.35, 0.35]))]
    pub biases: Option<Vec<f64>>,
}

/// A feed-forward network in place of the neuron (docs/contract.md §11).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = crate::course::requests::classic_network)]
pub struct Network {
    /// Layer 1 (fed by `x`) first, the output layer last.
    #[schema(min_items = 1)]
    pub layers: Vec<NetworkLayer>,
    /// Default true; false keeps every bias at its initial value (their gradients are still
    /// shown).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_biases: Option<bool>,
    /// Default `layered`; `numbered` needs exactly one hidden layer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notation: Option<Notation>,
}

/// Hyperparameters of the algorithm (docs/contract.md §3): keys and schema from the registry of
/// optimizers.
pub use super::catalog::Hyperparameters;

/// A learning-rate schedule (docs/contract.md §5); `learning_rate` is α₀.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Schedule {
    /// α₀ / (1 + decay_rate · e)
    TimeBased {
        /// ≥ 0.
        #[schema(minimum = 0.0, example = 1.0)]
        decay_rate: f64,
        /// The `e` of the first epoch; default 0.
        #[schema(minimum = 0)]
        first_epoch: Option<u64>,
        /// Default `epoch`.
        per: Option<SchedulePer>,
    },
    /// α₀ · drop_rate^⌊e / epochs_drop⌋
    Step {
        /// In (0, 1].
        #[schema(exclusive_minimum = 0.0, maximum = 1.0, example = 0.5)]
        drop_rate: f64,
        /// Integer ≥ 1.
        #[schema(minimum = 1, example = 5)]
        epochs_drop: u64,
        /// The `e` of the first epoch; default 0.
        #[schema(minimum = 0)]
        first_epoch: Option<u64>,
        /// Default `epoch`.
        per: Option<SchedulePer>,
    },
    /// α₀ · e^(−k · e)
    Exponential {
        /// ≥ 0.
        #[schema(minimum = 0.0, example = 0.1)]
        k: f64,
        /// The `e` of the first epoch; default 0.
        #[schema(minimum = 0)]
        first_epoch: Option<u64>,
        /// Default `epoch`.
        per: Option<SchedulePer>,
    },
}

/// Sign and ε conventions (docs/contract.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Conventions {
    /// Default `gradient`.
    pub sign: Option<Sign>,
    /// Default `inside_sqrt`.
    pub epsilon: Option<EpsilonPlacement>,
}

/// Round to this many decimals (0 to 17).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecimalsRounding {
    #[schema(minimum = 0, maximum = 17, example = 4)]
    pub decimals: u32,
}

/// Round to this many significant figures (1 to 17).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignificantFiguresRounding {
    #[schema(minimum = 1, maximum = 17, example = 4)]
    pub significant_figures: u32,
}

/// Hand-calculation mode (docs/contract.md §6): every shown value is rounded half away from zero and the
/// rounded value is used from then on. Exactly one of the two keys.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Rounding {
    Decimals(DecimalsRounding),
    SignificantFigures(SignificantFiguresRounding),
}

/// The request body of `POST /v1/solve` (docs/contract.md §2). `null` is accepted wherever a key is
/// optional and means the same as leaving it out, so a response's `problem` can be posted again.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = crate::course::requests::momentum_exercise)]
pub struct SolveRequest {
    /// The training set, used in the given order; at least one sample.
    #[schema(min_items = 1)]
    pub samples: Vec<Sample>,
    /// Initial weights; as many as every sample's `x`. Required unless `network` is given.
    #[schema(min_items = 1)]
    pub weights: Option<Vec<f64>>,
    /// Initial bias; absent (or null) means the neuron has no bias term.
    pub bias: Option<f64>,
    /// Default `logistic`.
    pub activation: Option<Activation>,
    /// A network in place of the neuron's `weights`, `bias` and `activation` (docs/contract.md
    /// §11).
    pub network: Option<Network>,
    /// Default `squared_error`.
    pub loss: Option<Loss>,
    pub algorithm: Algorithm,
    /// Per algorithm (docs/contract.md §3); unknown keys are an error.
    pub hyperparameters: Option<Hyperparameters>,
    /// Divide every moving average by 1 − decay^t (docs/contract.md §3.1). Default true for adam, adamw,
    /// amsgrad and nadam, false otherwise.
    pub bias_correction: Option<bool>,
    /// Passes over the samples (conjugate gradient: iterations); default 1.
    #[schema(minimum = 1)]
    pub epochs: Option<u64>,
    /// Samples per update, in consecutive chunks; default 1 (online), and for conjugate
    /// gradient the full batch (anything smaller is an error). At least the number of samples
    /// means full batch.
    #[schema(minimum = 1)]
    pub batch_size: Option<u64>,
    /// Default `mean`.
    pub reduction: Option<Reduction>,
    /// Absent: a constant learning rate.
    pub schedule: Option<Schedule>,
    /// Default `{"sign": "gradient", "epsilon": "inside_sqrt"}`.
    pub conventions: Option<Conventions>,
    /// Absent: full f64 precision.
    pub rounding: Option<Rounding>,
}

/// The problem as solved: the request with every default filled in (docs/contract.md §7). Posting it again
/// gives the same solution.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ResolvedProblem {
    pub samples: Vec<Sample>,
    /// The neuron's weights (absent for a network).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weights: Option<Vec<f64>>,
    /// The neuron's bias, null for none (absent for a network).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<f64>)]
    pub bias: Option<Option<f64>>,
    /// The neuron's activation (absent for a network).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
    /// The network, every layer's activation and `update_biases` and `notation` filled in
    /// (absent for a neuron).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<Network>,
    pub loss: Loss,
    pub algorithm: Algorithm,
    /// Exactly the hyperparameters the algorithm uses, defaults filled in.
    pub hyperparameters: Hyperparameters,
    pub bias_correction: bool,
    pub epochs: u64,
    /// The batch size used: the request's, capped at the number of samples.
    pub batch_size: u64,
    pub reduction: Reduction,
    /// With `first_epoch` and `per` filled in; null for a constant rate.
    pub schedule: Option<Schedule>,
    /// Both conventions filled in.
    pub conventions: Conventions,
    pub rounding: Option<Rounding>,
}

/// The response of `POST /v1/solve` (docs/contract.md §7): the resolved problem and its worked solution.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SolveResponse {
    pub algorithm: Algorithm,
    pub problem: ResolvedProblem,
    /// Validation warnings (such as `unused_hyperparameter`) come first in `warnings`, then the
    /// run's own.
    #[serde(flatten)]
    pub solution: solve::Solution,
    /// The validated problem the core ran, for the renderings (not serialized).
    #[serde(skip)]
    #[schema(ignore)]
    pub core_problem: solve::Problem,
}

impl SolveResponse {
    /// The response's JSON (the bytes of [`SolveResponse::view`]) written into `out`, the
    /// steps straight from the trace.
    pub fn write_json(&self, out: &mut Vec<u8>, precision: Option<crate::solve::expr::Precision>) {
        self.write_json_spilling(out, precision, &mut |_| {});
    }

    /// [`SolveResponse::write_json`], handing the buffer to `spill` as it fills
    /// (`solve::json::write_solution_members_spilling`).
    pub fn write_json_spilling(
        &self,
        out: &mut Vec<u8>,
        precision: Option<crate::solve::expr::Precision>,
        spill: &mut dyn FnMut(&mut Vec<u8>),
    ) {
        out.extend_from_slice(b"{\"algorithm\":");
        let _ = serde_json::to_writer(&mut *out, &self.algorithm);
        out.extend_from_slice(b",\"problem\":");
        let _ = serde_json::to_writer(&mut *out, &self.problem);
        out.push(b',');
        crate::solve::json::write_solution_members_spilling(out, &self.solution, precision, spill);
        out.push(b'}');
    }

    /// The response serialized with its lines' numbers shown at `precision` (`None`: as
    /// solved), without copying it.
    pub fn view(&self, precision: Option<crate::solve::expr::Precision>) -> SolveResponseView<'_> {
        SolveResponseView {
            algorithm: self.algorithm,
            problem: &self.problem,
            solution: self.solution.view(precision),
        }
    }
}

/// A [`SolveResponse`] at a display precision.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct SolveResponseView<'a> {
    pub algorithm: Algorithm,
    pub problem: &'a ResolvedProblem,
    #[serde(flatten)]
    pub solution: solve::SolutionView<'a>,
}

/// The request body of `POST /v1/schedule` (docs/contract.md §5).
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "learning_rate": 0.2,
    "schedule": {"type": "time_based", "decay_rate": 1},
    "epochs": [1, 2, 3]
}))]
pub struct ScheduleRequest {
    /// α₀, > 0.
    #[schema(exclusive_minimum = 0.0, example = 0.2)]
    pub learning_rate: f64,
    pub schedule: Schedule,
    /// The values of `e` to tabulate, each put into the formula as is (so `first_epoch` and
    /// `per` do not apply here); 1 to 10 000 integers ≥ 0.
    #[schema(min_items = 1, max_items = 10000, example = json!([1, 2, 3]))]
    pub epochs: Vec<u64>,
}

/// The rate at one value of `e`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ScheduledRate {
    /// The `e` put into the formula.
    pub epoch: u64,
    pub learning_rate: f64,
    /// The worked line `α_e = … = value`.
    pub line: solve::Line,
}

/// The response of `POST /v1/schedule`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ScheduleResponse {
    pub learning_rate: f64,
    /// The schedule with `first_epoch` and `per` filled in.
    pub schedule: Schedule,
    pub rates: Vec<ScheduledRate>,
    pub warnings: Vec<solve::Warning>,
}

/// `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Health {
    #[schema(example = "ok")]
    pub status: String,
    #[schema(example = "0.1.0")]
    pub version: String,
}

/// `GET /v1/algorithms`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AlgorithmList {
    pub algorithms: Vec<AlgorithmInfo>,
}

/// One algorithm: enough to build its form and show its rule.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct AlgorithmInfo {
    pub name: Algorithm,
    pub summary: String,
    /// The update rule, one LaTeX equation per entry in the order applied; a hat (`\hat{v}`)
    /// is the bias-corrected value when `bias_correction` is on and the value itself otherwise.
    pub update: Vec<String>,
    pub bias_correction: BiasCorrectionInfo,
    pub hyperparameters: Vec<HyperparameterInfo>,
}

/// What `bias_correction` does for an algorithm (docs/contract.md §3.1).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BiasCorrectionInfo {
    /// Whether the flag changes anything (it does not for gd, adagrad and conjugate gradient).
    pub applies: bool,
    /// Its default for this algorithm.
    pub default: bool,
    /// What is divided, by what.
    pub corrects: Vec<String>,
}

/// One hyperparameter of one algorithm.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct HyperparameterInfo {
    #[schema(example = "beta")]
    pub name: String,
    /// `number`, `integer` or `string`.
    #[serde(rename = "type")]
    #[schema(example = "number")]
    pub kind: String,
    pub description: String,
    /// Whether the request must give it (subject to `only_when`).
    pub required: bool,
    /// The default (a number or a string), null when required or when absent means off.
    #[schema(value_type = Option<Value>, example = 0.9)]
    pub default: Option<serde_json::Value>,
    /// What the default is when it depends on the problem.
    pub default_description: Option<String>,
    /// The key is used only when another hyperparameter has this value, e.g.
    /// `{"line_search": "fixed"}`; otherwise it is ignored with a warning.
    #[schema(value_type = Option<Object>)]
    pub only_when: Option<serde_json::Map<String, serde_json::Value>>,
    /// The range in the usual notation: `> 0`, `[0, 1)`, `>= 1`.
    #[schema(example = "[0, 1)")]
    pub range: Option<String>,
    pub minimum: Option<f64>,
    pub exclusive_minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_maximum: Option<f64>,
    /// The allowed strings, for `type: string`.
    #[serde(rename = "enum")]
    pub choices: Option<Vec<String>>,
}

/// `GET /v1/examples`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ExampleList {
    pub examples: Vec<Example>,
}

/// One of the course's worked examples (docs/contract.md §10), ready to post.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Example {
    #[schema(example = "momentum")]
    pub id: String,
    pub title: String,
    /// What the notes ask, and how this problem encodes it.
    pub description: String,
    /// Where to post `problem`: `/v1/solve`, `/v1/schedule` or `/v1/compare` (a comparison
    /// is also a body of `/v1/plot/surface` and `/v1/plot/loss`).
    #[schema(example = "/v1/solve")]
    pub endpoint: String,
    /// The request body for `endpoint`.
    #[schema(value_type = Object)]
    pub problem: serde_json::Value,
    /// The values the notes print, where to find each in the response.
    pub printed_values: Vec<PrintedValue>,
    /// Mistakes in the notes that this example concerns.
    pub errata: Vec<Erratum>,
}

/// A value printed in the course notes.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PrintedValue {
    /// In the course's notation.
    #[schema(example = "(dw_1)_1")]
    pub quantity: String,
    /// As printed (rounded by the notes' author).
    #[schema(example = 0.02354)]
    pub printed: f64,
    /// JSON pointer into the response of `endpoint` for this problem.
    #[serde(rename = "where")]
    #[schema(example = "/steps/0/dw/0")]
    pub location: String,
}

/// A mistake in the notes, with the correct value.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Erratum {
    #[schema(example = "y_{in} (second sample)")]
    pub quantity: String,
    /// What the notes write.
    pub printed: String,
    /// What is right.
    pub correct: String,
    /// The correct value, rounded as shown in `correct`, when the erratum is about a number.
    pub correct_value: Option<f64>,
    /// JSON pointer into the response of `endpoint` where the correct value is, if any.
    #[serde(rename = "where")]
    pub location: Option<String>,
    pub explanation: String,
}

// Conversions from wire spellings to the core's enums: the wire types own the names, the core
// owns the meaning.

/// `From` each wire enum for the core's enum of the same variants (a wire variant left out, or
/// one the core lacks, does not compile).
macro_rules! into_core {
    ($($wire:ident => $core:ident { $($variant:ident),+ $(,)? })+) => {$(
        impl From<$wire> for solve::$core {
            fn from(value: $wire) -> Self {
                match value {
                    $($wire::$variant => solve::$core::$variant,)+
                }
            }
        }
    )+};
}

into_core! {
    Activation => Activation { Logistic, Linear, Tanh, Relu }
    Detail => Detail { Lines, Values, Summary }
    Loss => Loss { SquaredError, CrossEntropy }
    Reduction => Reduction { Mean, Sum }
    Sign => SignConvention { Gradient, Delta }
    EpsilonPlacement => EpsilonPlacement { InsideSqrt, OutsideSqrt }
    MomentumForm => MomentumForm { Average, Sum }
    BetaFormula => BetaFormula { FletcherReeves, PolakRibiere, PolakRibierePlus, HestenesStiefel }
    SchedulePer => SchedulePer { Epoch, Update }
}

impl From<solve::Schedule> for Schedule {
    fn from(schedule: solve::Schedule) -> Self {
        let first_epoch = Some(schedule.first_epoch);
        let per = Some(match schedule.per {
            solve::SchedulePer::Epoch => SchedulePer::Epoch,
            solve::SchedulePer::Update => SchedulePer::Update,
        });
        match schedule.kind {
            solve::ScheduleKind::TimeBased { decay_rate } => Schedule::TimeBased {
                decay_rate,
                first_epoch,
                per,
            },
            solve::ScheduleKind::Step {
                drop_rate,
                epochs_drop,
            } => Schedule::Step {
                drop_rate,
                epochs_drop,
                first_epoch,
                per,
            },
            solve::ScheduleKind::Exponential { k } => Schedule::Exponential {
                k,
                first_epoch,
                per,
            },
        }
    }
}

impl From<solve::Rounding> for Rounding {
    fn from(rounding: solve::Rounding) -> Self {
        match rounding {
            solve::Rounding::Decimals(decimals) => {
                Rounding::Decimals(DecimalsRounding { decimals })
            }
            solve::Rounding::SignificantFigures(significant_figures) => {
                Rounding::SignificantFigures(SignificantFiguresRounding {
                    significant_figures,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::catalog;
    use serde_json::json;

    fn choices(name: &str) -> Vec<&'static str> {
        match catalog::hyperparameter(name).map(|h| h.kind) {
            Some(catalog::Kind::Choice(values)) => values.to_vec(),
            other => panic!("{name} is {other:?}"),
        }
    }

    #[test]
    fn wire_enum_names_are_what_serde_writes() {
        for algorithm in Algorithm::ALL {
            assert_eq!(json!(algorithm), json!(algorithm.name()));
        }
        for activation in Activation::ALL {
            assert_eq!(json!(activation), json!(activation.name()));
        }
    }

    #[test]
    fn the_catalogue_and_the_wire_enums_list_the_same_choices() {
        assert_eq!(Algorithm::names(), catalog::algorithm_names());
        assert_eq!(MomentumForm::names(), choices("form"));
        assert_eq!(BetaFormula::names(), choices("beta_formula"));
        assert_eq!(LineSearch::names(), choices("line_search"));
    }
}

/// The request body of `POST /v1/grade`: the problem, and the [`GradeSpec`] fields beside it.
/// `null` reads as absent for every optional key, as in the problem.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = crate::course::requests::grade_example)]
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
        use crate::wire::class::add;
        add::<GradeReport>(schemas);
        add::<PrairieLearnResults>(schemas);
        add::<GradescopeResults>(schemas);
        add::<CodeRunnerResult>(schemas);
    }
}

/// The body of `/v1/plot/surface` and `/v1/plot/loss`: a problem, or a comparison.
#[derive(ToSchema)]
#[serde(untagged)]
#[allow(dead_code, clippy::large_enum_variant)] // a schema only, never built
pub enum PlotRequest {
    /// A body of `POST /v1/solve`: its one path or curve.
    Solve(SolveRequest),
    /// A body of `POST /v1/compare`: one path or curve per configuration, on one picture.
    Compare(CompareRequest),
}

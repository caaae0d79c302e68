//! The validated problem the core computes on (docs/contract.md §1–§6).
//!
//! These types are built from the wire request by `wire::validate` (which checks every rule and
//! reports every violation with its JSON pointer); the core still never panics on any value of
//! them, because property tests construct them directly.

/// One training sample: inputs `x` and target `t`.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    pub x: Vec<f64>,
    pub t: f64,
}

/// Activation of the neuron (docs/contract.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    Logistic,
    Linear,
    Tanh,
    Relu,
}

impl Activation {
    /// The wire spelling.
    pub fn name(self) -> &'static str {
        match self {
            Activation::Logistic => "logistic",
            Activation::Linear => "linear",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
        }
    }
}

/// Loss of one sample (docs/contract.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loss {
    SquaredError,
    CrossEntropy,
}

/// How a batch's sample losses and gradients are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reduction {
    Mean,
    Sum,
}

/// Which sign `dw` carries (docs/contract.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignConvention {
    /// `dw = ∂E/∂w`; updates subtract (the frameworks).
    Gradient,
    /// `dw = −∂E/∂w`; updates add (the course's momentum example).
    Delta,
}

impl SignConvention {
    /// `+1` for `gradient`, `−1` for `delta`: `dw = sign · g`.
    pub fn factor(self) -> f64 {
        match self {
            SignConvention::Gradient => 1.0,
            SignConvention::Delta => -1.0,
        }
    }
}

/// Where `ε` goes in `α / √(s + ε)`, `s` being the algorithm's accumulator
/// ([`Optimizer::root_accumulator`]) (docs/contract.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpsilonPlacement {
    /// `√(s + ε)` — the course.
    InsideSqrt,
    /// `√s + ε` — PyTorch and Keras.
    OutsideSqrt,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conventions {
    pub sign: SignConvention,
    pub epsilon: EpsilonPlacement,
}

impl Default for Conventions {
    fn default() -> Self {
        Conventions {
            sign: SignConvention::Gradient,
            epsilon: EpsilonPlacement::InsideSqrt,
        }
    }
}

/// Momentum's two ways of writing the velocity (docs/contract.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MomentumForm {
    /// `v ← β v + (1 − β) dw`
    Average,
    /// `v ← β v + dw`
    Sum,
}

/// Conjugate-gradient β rules (docs/contract.md §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BetaFormula {
    FletcherReeves,
    PolakRibiere,
    PolakRibierePlus,
    HestenesStiefel,
}

impl BetaFormula {
    /// The rule as people write it, after its authors.
    pub fn title(self) -> &'static str {
        match self {
            BetaFormula::FletcherReeves => "Fletcher–Reeves",
            BetaFormula::PolakRibiere => "Polak–Ribière",
            BetaFormula::PolakRibierePlus => "Polak–Ribière+ (β clipped at 0)",
            BetaFormula::HestenesStiefel => "Hestenes–Stiefel",
        }
    }
}

/// How conjugate gradient picks its step length (docs/contract.md §3.2).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LineSearch {
    /// Minimize `E(w + η d)` over `0 ≤ η ≤ max_step`.
    Exact { max_step: f64 },
    /// `η = α` (scheduled when a schedule is given).
    Fixed { learning_rate: f64 },
}

/// The optimizer with its resolved hyperparameters: declared by the registry of optimizers
/// (`optim`), one variant each.
pub use super::optim::Optimizer;

/// A learning-rate schedule (docs/contract.md §5).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    pub kind: ScheduleKind,
    /// The number of the first epoch (`e` of the first epoch).
    pub first_epoch: u64,
    /// Whether `e` counts epochs or updates.
    pub per: SchedulePer,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ScheduleKind {
    /// `α₀ / (1 + decay_rate · e)`
    TimeBased { decay_rate: f64 },
    /// `α₀ · drop_rate^⌊e / epochs_drop⌋`
    Step { drop_rate: f64, epochs_drop: u64 },
    /// `α₀ · e^(−k · e)`
    Exponential { k: f64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchedulePer {
    Epoch,
    Update,
}

/// Hand-calculation rounding (docs/contract.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    Decimals(u32),
    SignificantFigures(u32),
}

/// A complete, validated problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub samples: Vec<Sample>,
    pub weights: Vec<f64>,
    pub bias: Option<f64>,
    pub activation: Activation,
    pub loss: Loss,
    pub optimizer: Optimizer,
    pub bias_correction: bool,
    pub epochs: u64,
    /// Samples per update, already clamped to `1..=samples.len()`.
    pub batch_size: usize,
    pub reduction: Reduction,
    pub schedule: Option<Schedule>,
    pub conventions: Conventions,
    pub rounding: Option<Rounding>,
    /// A network in place of the neuron (docs/contract.md §11): then `weights` is empty and
    /// `bias` and `activation` are unused.
    pub network: Option<Box<super::network::NetworkModel>>,
}

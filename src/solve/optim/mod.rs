//! The optimizers of docs/contract.md §3, one small unit each, and what they share: the update's inputs, the
//! worked-line recorder, and the notation.
//!
//! Every optimizer computes in the request's sign convention: `dw = sign · g`, signed
//! accumulators carry `dw`'s sign, and the update subtracts for `gradient` and adds for `delta`,
//! so the weights come out identical either way (negation is exact).

pub mod adadelta;
pub mod adagrad;
pub mod adam;
pub mod cg;
pub mod gd;
pub mod line_search;
pub mod momentum;
pub mod rmsprop;

use std::collections::BTreeMap;

use super::expr::{add, div, lit, mul, q, sqrt, sub, Expr, Precision};
use super::expr::{round_decimals, round_significant};
use super::problem::{EpsilonPlacement, Optimizer, Problem, Rounding, SignConvention};
use super::trace::{Line, Warning};

/// What one update of an element-wise optimizer sees.
#[derive(Debug, Clone)]
pub struct Update<'a> {
    /// The update counter `t`, 1-based.
    pub t: u64,
    /// The learning rate of this update.
    pub lr: f64,
    /// How the learning rate is written (`\alpha`, or `\alpha_{e}` under a schedule).
    pub lr_symbol: String,
    /// The gradient in the request's sign convention.
    pub dw: &'a [f64],
    /// The parameters before the update: weights, then the bias.
    pub params: &'a [f64],
    /// How many of `params` are weights.
    pub n_weights: usize,
    pub sign: SignConvention,
    pub epsilon: EpsilonPlacement,
    pub bias_correction: bool,
}

impl Update<'_> {
    pub fn alpha(&self) -> Expr {
        q(self.lr_symbol.clone(), self.lr)
    }

    /// The symbol of `name` for parameter `p` at time `t`, in the course's notation.
    pub fn sym(&self, name: &str, p: usize, t: u64) -> String {
        symbol(name, p, self.n_weights, &t.to_string())
    }

    /// `w − step` for the `gradient` convention, `w + step` for `delta`.
    pub fn apply(&self, weight: Expr, step: Expr) -> Expr {
        match self.sign {
            SignConvention::Gradient => sub(weight, step),
            SignConvention::Delta => add(weight, step),
        }
    }

    /// `√(s + ε)` or `√s + ε`, per the epsilon convention.
    pub fn root(&self, s: Expr, epsilon: f64) -> Expr {
        let eps = q("\\epsilon", epsilon);
        match self.epsilon {
            EpsilonPlacement::InsideSqrt => sqrt(add(s, eps)),
            EpsilonPlacement::OutsideSqrt => add(sqrt(s), eps),
        }
    }

    pub fn indices(&self) -> std::ops::Range<usize> {
        0..self.params.len()
    }

    /// Where parameter `p`'s new value sits in the step: `/weights_after/p` or `/bias_after`.
    pub fn weight_pointer(&self, p: usize) -> String {
        param_pointer("weights_after", "bias_after", p, self.n_weights)
    }

    /// Where accumulator `name` of parameter `p` sits in the step's `state`.
    pub fn state_pointer(&self, name: &str, p: usize) -> String {
        format!("/state/{name}/{p}")
    }
}

/// `name`'s symbol for parameter `p` at `time`: `(v_1)_3`, `b_3`, `(db)_3`, `(v_b)_3`.
pub fn symbol(name: &str, p: usize, n_weights: usize, time: &str) -> String {
    format!("{}_{}", base_symbol(name, p, n_weights), subscript(time))
}

/// `name` of parameter `p` without a time: `(v_1)`, `b`, `(db)`, `(v_b)`.
pub fn base_symbol(name: &str, p: usize, n_weights: usize) -> String {
    if p < n_weights {
        format!("({name}_{})", subscript(&(p + 1).to_string()))
    } else {
        match name {
            "w" => "b".to_string(),
            "\\tilde{w}" => "\\tilde{b}".to_string(),
            "dw" => "(db)".to_string(),
            _ => format!("({name}_b)"),
        }
    }
}

/// A per-parameter field's JSON pointer within a step: `/{field}/p` for a weight,
/// `/{bias_field}` for the bias.
pub fn param_pointer(field: &str, bias_field: &str, p: usize, n_weights: usize) -> String {
    if p < n_weights {
        format!("/{field}/{p}")
    } else {
        format!("/{bias_field}")
    }
}

/// A LaTeX subscript: bare for one character, braced otherwise.
pub fn subscript(text: &str) -> String {
    if text.chars().count() == 1 {
        text.to_string()
    } else {
        format!("{{{text}}}")
    }
}

/// `(1 − β) x` written as the course does, with `1 − β` visible.
pub fn one_minus(symbol: &str, decay: f64) -> Expr {
    sub(lit(1.0), q(symbol, decay))
}

/// `decay · previous + (1 − decay) · term`: an exponential moving average.
pub fn moving_average(decay_symbol: &str, decay: f64, previous: Expr, term: Expr) -> Expr {
    add(
        mul(q(decay_symbol, decay), previous),
        mul(one_minus(decay_symbol, decay), term),
    )
}

/// Records the worked lines of an update and rounds values in hand-calculation mode.
#[derive(Debug, Clone)]
pub struct Worked {
    rounding: Option<Rounding>,
    precision: Precision,
    pub lines: Vec<Line>,
    pub warnings: Vec<Warning>,
    /// Values to use instead of a line's own, by symbol.
    pub overrides: BTreeMap<String, f64>,
}

impl Worked {
    pub fn new(rounding: Option<Rounding>) -> Self {
        Worked {
            rounding,
            precision: display_precision(rounding),
            lines: Vec::new(),
            warnings: Vec::new(),
            overrides: BTreeMap::new(),
        }
    }

    /// Round as the student does (docs/contract.md §6); identity without `rounding`.
    pub fn round(&self, value: f64) -> f64 {
        round_value(self.rounding, value)
    }

    /// Evaluate `expr`, round it, record the line `symbol = expr = value`, and return the value
    /// that is used from now on: the line's own, or the override given for its symbol (a
    /// student's answer carried forward).
    pub fn line(&mut self, symbol: impl Into<String>, expr: Expr) -> f64 {
        self.record(None, symbol.into(), expr)
    }

    /// `line`, for a value the step also carries at `pointer` (relative to the step).
    pub fn line_at(&mut self, pointer: String, symbol: impl Into<String>, expr: Expr) -> f64 {
        self.record(Some(pointer), symbol.into(), expr)
    }

    fn record(&mut self, pointer: Option<String>, symbol: String, expr: Expr) -> f64 {
        let value = self.round(expr.eval());
        let used = self.overrides.get(&symbol).copied().unwrap_or(value);
        let mut line = Line::new(symbol, expr, value, self.precision);
        line.pointer = pointer;
        self.lines.push(line);
        used
    }

    pub fn warn(&mut self, code: &str, message: impl Into<String>, step: u64) {
        self.warnings.push(Warning::new(code, message, Some(step)));
    }
}

/// The precision lines are displayed with: hand-calculation values exactly as rounded, other
/// values at the default display precision.
pub fn display_precision(rounding: Option<Rounding>) -> Precision {
    match rounding {
        Some(_) => Precision::Full,
        None => super::expr::DEFAULT_PRECISION,
    }
}

pub fn round_value(rounding: Option<Rounding>, value: f64) -> f64 {
    match rounding {
        None => value,
        Some(Rounding::Decimals(k)) => round_decimals(value, k),
        Some(Rounding::SignificantFigures(k)) => round_significant(value, k),
    }
}

/// What an element-wise optimizer remembers between updates.
#[derive(Debug, Clone, PartialEq)]
pub enum State {
    Gd,
    Momentum(momentum::MomentumState),
    Adagrad(adagrad::AdagradState),
    Adadelta(adadelta::AdadeltaState),
    Rmsprop(rmsprop::RmspropState),
    Adam(adam::AdamState),
}

impl State {
    /// The zero state a run starts from.
    pub fn initial(problem: &Problem, n_params: usize) -> State {
        match problem.optimizer {
            Optimizer::Gd { .. } | Optimizer::ConjugateGradient { .. } => State::Gd,
            Optimizer::Momentum { .. } | Optimizer::Nesterov { .. } => {
                State::Momentum(momentum::MomentumState::new(n_params))
            }
            Optimizer::Adagrad {
                initial_accumulator,
                ..
            } => State::Adagrad(adagrad::AdagradState::new(n_params, initial_accumulator)),
            Optimizer::Adadelta { .. } => State::Adadelta(adadelta::AdadeltaState::new(n_params)),
            Optimizer::Rmsprop { .. } => State::Rmsprop(rmsprop::RmspropState::new(n_params)),
            Optimizer::Adam { .. } | Optimizer::AdamW { .. } | Optimizer::Amsgrad { .. } => {
                State::Adam(adam::AdamState::new(n_params))
            }
        }
    }

    /// The accumulators by name, for the trace, and the bias-correction divisors.
    pub fn record(&self) -> (BTreeMap<String, Vec<f64>>, BTreeMap<String, f64>) {
        let mut state = BTreeMap::new();
        let mut factors = BTreeMap::new();
        match self {
            State::Gd => {}
            State::Momentum(s) => s.record(&mut state, &mut factors),
            State::Adagrad(s) => s.record(&mut state),
            State::Adadelta(s) => s.record(&mut state, &mut factors),
            State::Rmsprop(s) => s.record(&mut state, &mut factors),
            State::Adam(s) => s.record(&mut state, &mut factors),
        }
        (state, factors)
    }
}

/// One element-wise update: the new parameters and state, lines and warnings in `worked`.
/// Conjugate gradient is not element-wise and has its own driver (`cg`).
pub fn step(
    optimizer: &Optimizer,
    state: &State,
    u: &Update,
    worked: &mut Worked,
) -> (Vec<f64>, State) {
    match (optimizer, state) {
        (Optimizer::Momentum { beta, form, .. }, State::Momentum(s)) => {
            let (w, s) = momentum::step(*beta, *form, false, s, u, worked);
            (w, State::Momentum(s))
        }
        (Optimizer::Nesterov { beta, form, .. }, State::Momentum(s)) => {
            let (w, s) = momentum::step(*beta, *form, true, s, u, worked);
            (w, State::Momentum(s))
        }
        (
            Optimizer::Adagrad {
                epsilon, window, ..
            },
            State::Adagrad(s),
        ) => {
            let (w, s) = adagrad::step(*epsilon, *window, s, u, worked);
            (w, State::Adagrad(s))
        }
        (Optimizer::Adadelta { rho, epsilon, .. }, State::Adadelta(s)) => {
            let (w, s) = adadelta::step(*rho, *epsilon, s, u, worked);
            (w, State::Adadelta(s))
        }
        (Optimizer::Rmsprop { beta, epsilon, .. }, State::Rmsprop(s)) => {
            let (w, s) = rmsprop::step(*beta, *epsilon, s, u, worked);
            (w, State::Rmsprop(s))
        }
        (optimizer, State::Adam(s)) => match adam::AdamConfig::of(optimizer) {
            Some(config) => {
                let (w, s) = adam::step(&config, s, u, worked);
                (w, State::Adam(s))
            }
            None => (gd::step(u, worked), State::Gd),
        },
        // gd keeps no state. (`State::initial` pairs every other optimizer with its own state,
        // so no other pair reaches here.)
        _ => (gd::step(u, worked), State::Gd),
    }
}

/// `w ← w − α · step / denominator` per parameter, leaving a weight unchanged (with a warning)
/// where the denominator is exactly 0 (docs/contract.md §4).
/// `before` names the weights the step starts from (`w`, or AdamW's decayed `\tilde{w}`).
pub fn guarded_update(
    u: &Update,
    before: &str,
    worked: &mut Worked,
    numerators: &[Expr],
    denominators: &[Expr],
) -> Vec<f64> {
    let mut next = Vec::with_capacity(u.params.len());
    for p in u.indices() {
        let before = q(u.sym(before, p, u.t), u.params[p]);
        let symbol = u.sym("w", p, u.t + 1);
        let (Some(num), Some(den)) = (numerators.get(p), denominators.get(p)) else {
            next.push(u.params[p]);
            continue;
        };
        if den.eval() == 0.0 {
            worked.warn(
                "zero_denominator",
                format!(
                    "update {}: the denominator of {} is 0, so the parameter is left unchanged",
                    u.t,
                    super::expr::tex_to_text(&symbol)
                ),
                u.t,
            );
            next.push(worked.line_at(u.weight_pointer(p), symbol, before));
        } else {
            let step = mul(div(u.alpha(), den.clone()), num.clone());
            next.push(worked.line_at(u.weight_pointer(p), symbol, u.apply(before, step)));
        }
    }
    next
}

/// The correction divisor `1 − decay^t` as an expression.
pub fn correction(power_symbol: String, power: f64) -> Expr {
    sub(lit(1.0), q(power_symbol, power))
}

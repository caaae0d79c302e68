//! The optimizers of docs/contract.md §3 and their registry. An optimizer is one file here: its
//! hyperparameters (the keys only it uses, with ranges and descriptions; which keys it uses,
//! with defaults), its state, its step, its catalogue entry and its settings as the renderings
//! show them, all behind [`Optimize`]; and one line in the `registry!` below, which declares its
//! module and its variant of [`Optimizer`]. Everything else — the catalogue and
//! `GET /v1/algorithms`, validation, the OpenAPI document, the renderings, grading,
//! comparisons — reads the registry. (A family sharing one file, such as Adam's, has one entry
//! naming each member.)
//!
//! Each update is written once, generic over the [`Reading`]: plain numbers, or the worked lines
//! with the same numbers. Every optimizer computes in the request's sign convention:
//! `dw = sign · g`, signed accumulators carry `dw`'s sign, and the update subtracts for
//! `gradient` and adds for `delta`, so the weights come out identical either way (negation is
//! exact).
//!
//! An update reads the current state and writes the next one into a second state of the same
//! type (and the new parameters into a buffer), so a run keeps two states and swaps them, and
//! an update that diverges is simply not swapped in. The state is the optimizer's own type
//! ([`Optimize::State`]), so an optimizer cannot be handed another's state.

pub mod keys;
pub mod line_search;
pub mod spec;

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::LazyLock;

use super::expr::Num;
use super::network::Layout;
use super::problem::{
    BetaFormula, EpsilonPlacement, LineSearch, MomentumForm, Problem, SignConvention,
};
use super::reading::Reading;
use super::symbol::{index, Const, Name, Param, Pointer, Suffix, Symbol};
use super::trace::ConjugateStep;
use spec::{Hyperparameter, Resolved, Shown, Spec};

/// What an optimizer is: its catalogue entry, how it is built from a request's resolved
/// hyperparameters, its state and its step. Its type holds its hyperparameters; the registry
/// makes a variant of [`Optimizer`] with the same fields.
pub trait Optimize: Debug + Clone + Into<Optimizer> {
    /// Its catalogue entry: name, hyperparameters with defaults, update rule.
    const SPEC: Spec;

    /// What it remembers between updates.
    type State: Accumulators + Debug + Clone;

    /// The optimizer from resolved hyperparameters (each the request's value or the default
    /// its `SPEC` gives); `None` only if the two disagree, which the tests rule out.
    fn resolve(values: &Resolved) -> Option<Self>;

    /// The state a run starts from, for `params` parameters (weights, then the bias).
    fn initial(&self, params: usize) -> Self::State;

    /// Where the base learning rate `α₀` is held, if it has one (conjugate gradient's exact
    /// line search has none).
    fn learning_rate_mut(&mut self) -> Option<&mut f64>;

    /// Its settings as the renderings list them, numbers written by `number`.
    fn shown(&self, number: &dyn Fn(f64) -> String) -> Vec<Shown>;

    /// One update: the next state into `next`, the new parameters into `weights` (already as
    /// long as `u.params`), lines and warnings into the reading; conjugate gradient's β, d and
    /// η for the step.
    fn step<R: Reading>(
        &self,
        state: &Self::State,
        next: &mut Self::State,
        u: &Update,
        r: &mut R,
        weights: &mut Vec<f64>,
    ) -> Option<ConjugateStep>;

    /// Whether the run has converged at this gradient, before the update (conjugate
    /// gradient's tolerance).
    fn converged(&self, _gradient: &[f64]) -> bool {
        false
    }
}

/// What a state shows of itself in the trace.
pub trait Accumulators {
    /// Every accumulator by name, and every bias-correction divisor by the name of what it
    /// corrects.
    fn visit(
        &self,
        entry: &mut impl FnMut(&'static str, &[f64]),
        factor: &mut impl FnMut(&'static str, f64),
    );
}

/// The state of an optimizer that remembers nothing.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct NoState;

impl Accumulators for NoState {
    fn visit(
        &self,
        _: &mut impl FnMut(&'static str, &[f64]),
        _: &mut impl FnMut(&'static str, f64),
    ) {
    }
}

/// Declares the registry: for each file, its module and the optimizers it holds, each as the
/// variant of [`Optimizer`] with its fields (the fields of the file's type of that name, which
/// the compiler holds them to). Generates the modules, [`Optimizer`], [`Id`], [`SPECS`] and the
/// run's `Engine`.
macro_rules! registry {
    ($( $module:ident: $( $variant:ident { $($field:ident: $ty:ty),* $(,)? } ),+ ; )+) => {
        $( pub mod $module; )+

        /// The optimizer with its resolved hyperparameters (docs/contract.md §3): one variant
        /// per registered optimizer, with the fields of its type.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Optimizer {
            $( $( $variant { $($field: $ty),* }, )+ )+
        }

        /// Which optimizer, without its hyperparameters: the wire's `algorithm`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Id {
            $( $( $variant, )+ )+
        }

        impl Id {
            /// Every optimizer, in the registry's order (the catalogue's).
            pub const ALL: &'static [Id] = &[$( $( Id::$variant, )+ )+];

            /// Its catalogue entry.
            pub fn spec(self) -> &'static Spec {
                match self {
                    $( $( Id::$variant => &<$module::$variant as Optimize>::SPEC, )+ )+
                }
            }

            /// The optimizer from resolved hyperparameters ([`Optimize::resolve`]).
            pub fn resolve(self, values: &Resolved) -> Option<Optimizer> {
                match self {
                    $( $( Id::$variant => {
                        <$module::$variant as Optimize>::resolve(values).map(Optimizer::from)
                    } )+ )+
                }
            }
        }

        /// Every optimizer's catalogue entry, in the registry's order.
        pub const SPECS: &[Spec] = &[$( $( <$module::$variant as Optimize>::SPEC, )+ )+];

        impl Optimizer {
            /// Which optimizer this is.
            pub fn id(&self) -> Id {
                match self {
                    $( $( Optimizer::$variant { .. } => Id::$variant, )+ )+
                }
            }

            /// `f` of the optimizer as its own type.
            fn with<T>(&self, f: impl FnOnce(&dyn Settings) -> T) -> T {
                match self {
                    $( $( Optimizer::$variant { $($field),* } => {
                        f(&$module::$variant { $($field: *$field),* })
                    } )+ )+
                }
            }
        }

        $( $(
            impl From<$module::$variant> for Optimizer {
                fn from(optimizer: $module::$variant) -> Optimizer {
                    let $module::$variant { $($field),* } = optimizer;
                    Optimizer::$variant { $($field),* }
                }
            }
        )+ )+

        /// A run's optimizer with its state, as its own type: the one dispatch per update.
        #[derive(Debug, Clone)]
        pub(crate) enum Engine {
            $( $( $variant(Running<$module::$variant>), )+ )+
        }

        impl Engine {
            /// `optimizer` at its initial state, for `params` parameters.
            pub(crate) fn new(optimizer: &Optimizer, params: usize) -> Engine {
                match optimizer {
                    $( $( Optimizer::$variant { $($field),* } => Engine::$variant(Running::new(
                        $module::$variant { $($field: *$field),* },
                        params,
                    )), )+ )+
                }
            }

            /// One update into the next state ([`Optimize::step`]).
            pub(crate) fn step<R: Reading>(
                &mut self,
                u: &Update,
                r: &mut R,
                weights: &mut Vec<f64>,
            ) -> Option<ConjugateStep> {
                // Every optimizer writes every parameter, so only the length is set: clearing
                // first made the resize a `memset` call per update.
                weights.resize(u.params.len(), 0.0);
                match self {
                    $( $( Engine::$variant(run) => run.step(u, r, weights), )+ )+
                }
            }

            /// Whether the run has converged at `gradient` ([`Optimize::converged`]).
            pub(crate) fn converged(&self, gradient: &[f64]) -> bool {
                match self {
                    $( $( Engine::$variant(run) => run.optimizer.converged(gradient), )+ )+
                }
            }

            /// The update just computed becomes the state.
            pub(crate) fn apply(&mut self) {
                match self {
                    $( $( Engine::$variant(run) => std::mem::swap(&mut run.state, &mut run.next), )+ )+
                }
            }

            /// The current state (`next: false`) or the one the last update computed.
            pub(crate) fn visit(
                &self,
                next: bool,
                entry: &mut impl FnMut(&'static str, &[f64]),
                factor: &mut impl FnMut(&'static str, f64),
            ) {
                match self {
                    $( $( Engine::$variant(run) => run.state(next).visit(entry, factor), )+ )+
                }
            }
        }
    };
}

// The registry: one entry per file, `module: Optimizer { its fields }, …;`, in the catalogue's
// order.
registry! {
    gd: Gd { learning_rate: f64 };
    momentum: Momentum { learning_rate: f64, beta: f64, form: MomentumForm },
        Nesterov { learning_rate: f64, beta: f64, form: MomentumForm };
    adagrad: Adagrad { learning_rate: f64, epsilon: f64, initial_accumulator: f64, window: Option<usize> };
    adadelta: Adadelta { learning_rate: f64, rho: f64, epsilon: f64 };
    rmsprop: Rmsprop { learning_rate: f64, beta: f64, epsilon: f64 };
    adam: Adam { learning_rate: f64, beta1: f64, beta2: f64, epsilon: f64 },
        AdamW { learning_rate: f64, beta1: f64, beta2: f64, epsilon: f64, weight_decay: f64 },
        Amsgrad { learning_rate: f64, beta1: f64, beta2: f64, epsilon: f64 };
    cg: ConjugateGradient { beta_formula: BetaFormula, line_search: LineSearch, restart_every: usize, tolerance: f64 };
    nadam: Nadam { learning_rate: f64, beta1: f64, beta2: f64, epsilon: f64, momentum_decay: f64 };
}

/// The non-generic part of [`Optimize`], for code that holds an [`Optimizer`].
trait Settings {
    fn learning_rate(&self) -> Option<f64>;
    fn with_learning_rate(&self, rate: &dyn Fn(f64) -> f64) -> Option<Optimizer>;
    fn shown(&self, number: &dyn Fn(f64) -> String) -> Vec<Shown>;
}

impl<O: Optimize> Settings for O {
    fn learning_rate(&self) -> Option<f64> {
        self.clone().learning_rate_mut().copied()
    }

    fn with_learning_rate(&self, rate: &dyn Fn(f64) -> f64) -> Option<Optimizer> {
        let mut optimizer = self.clone();
        let slot = optimizer.learning_rate_mut()?;
        *slot = rate(*slot);
        Some(optimizer.into())
    }

    fn shown(&self, number: &dyn Fn(f64) -> String) -> Vec<Shown> {
        Optimize::shown(self, number)
    }
}

impl Optimizer {
    /// Its catalogue entry.
    pub fn spec(&self) -> &'static Spec {
        self.id().spec()
    }

    /// The wire name of the algorithm.
    pub fn name(&self) -> &'static str {
        self.spec().name
    }

    /// The base learning rate `α₀` the schedule scales, if the algorithm has one.
    pub fn learning_rate(&self) -> Option<f64> {
        self.with(|o| o.learning_rate())
    }

    /// The optimizer with its learning rate replaced by `rate` of it, where it has one.
    pub fn with_learning_rate(&self, rate: impl Fn(f64) -> f64) -> Option<Optimizer> {
        self.with(|o| o.with_learning_rate(&rate))
    }

    /// Its settings as the renderings list them, numbers written by `number`.
    pub fn shown(&self, number: impl Fn(f64) -> String) -> Vec<Shown> {
        self.with(|o| o.shown(&number))
    }

    /// Whether `bias_correction` changes anything for this algorithm (docs/contract.md §3.1).
    pub fn has_moving_average(&self) -> bool {
        self.spec().has_moving_average()
    }

    /// The accumulator under the square root of the step, as the worked lines name it
    /// ([`Spec::root`]).
    pub fn root_accumulator(&self) -> Option<&'static str> {
        self.spec().root
    }

    /// Whether it iterates on the full batch ([`Spec::full_batch`]).
    pub fn full_batch(&self) -> bool {
        self.spec().full_batch
    }
}

/// Every hyperparameter key, in the wire's order: the published ones ([`keys::PUBLISHED`]),
/// then those of optimizers registered later, in the registry's order.
pub fn hyperparameters() -> &'static [&'static Hyperparameter] {
    static ALL: LazyLock<Vec<&'static Hyperparameter>> = LazyLock::new(|| {
        let mut all = keys::PUBLISHED.to_vec();
        for spec in SPECS {
            for used in spec.uses {
                if !all.iter().any(|k| k.name == used.name) {
                    all.push(used.key);
                }
            }
        }
        all
    });
    &ALL
}

/// A run's optimizer and its two states: the current one and the one an update writes.
#[derive(Debug, Clone)]
pub(crate) struct Running<O: Optimize> {
    optimizer: O,
    /// Boxed, so that applying an update swaps two pointers, not two states.
    state: Box<O::State>,
    next: Box<O::State>,
}

impl<O: Optimize> Running<O> {
    fn new(optimizer: O, params: usize) -> Self {
        let state = Box::new(optimizer.initial(params));
        Running {
            next: state.clone(),
            state,
            optimizer,
        }
    }

    fn step<R: Reading>(
        &mut self,
        u: &Update,
        r: &mut R,
        weights: &mut Vec<f64>,
    ) -> Option<ConjugateStep> {
        self.optimizer
            .step(&self.state, &mut self.next, u, r, weights)
    }

    fn state(&self, next: bool) -> &O::State {
        if next {
            &self.next
        } else {
            &self.state
        }
    }
}

impl Engine {
    /// The accumulators by name, for the trace, and the bias-correction divisors.
    pub(crate) fn record(
        &self,
    ) -> (
        BTreeMap<&'static str, Vec<f64>>,
        BTreeMap<&'static str, f64>,
    ) {
        let mut state = BTreeMap::new();
        let mut factors = BTreeMap::new();
        self.visit(
            false,
            &mut |name, values| {
                state.insert(name, values.to_vec());
            },
            &mut |name, value| {
                factors.insert(name, value);
            },
        );
        (state, factors)
    }
}

/// What one update sees.
#[derive(Debug, Clone, Copy)]
pub struct Update<'a> {
    /// The update counter `t`, 1-based.
    pub t: u64,
    /// The learning rate of this update.
    pub lr: f64,
    /// How the learning rate is written (`\alpha`, or `\alpha(e)` under a schedule).
    pub lr_symbol: Symbol,
    /// Whether a schedule gives the rate (conjugate gradient's fixed step otherwise writes
    /// its own `α`).
    pub scheduled: bool,
    /// The gradient in the request's sign convention.
    pub dw: &'a [f64],
    /// The gradient `∂E/∂w` itself (conjugate gradient's `g`).
    pub gradient: &'a [f64],
    /// The parameters before the update: weights, then the bias.
    pub params: &'a [f64],
    /// How the parameters are named in the lines and where the step carries them.
    pub names: ParamNames<'a>,
    pub sign: SignConvention,
    pub epsilon: EpsilonPlacement,
    pub bias_correction: bool,
    /// The problem (conjugate gradient's line search evaluates the loss along its direction).
    pub problem: &'a Problem,
}

impl Update<'_> {
    #[inline]
    pub fn alpha<N: Num>(&self) -> N {
        N::q(self.lr_symbol, self.lr)
    }

    /// The symbol of `name` for parameter `p` at time `t`, in the course's notation.
    #[inline]
    pub fn sym(&self, name: Name, p: usize, t: u64) -> Symbol {
        self.names.sym(name, p, t)
    }

    /// `w − step` for the `gradient` convention, `w + step` for `delta`.
    #[inline]
    pub fn apply<N: Num>(&self, weight: N, step: N) -> N {
        match self.sign {
            SignConvention::Gradient => weight - step,
            SignConvention::Delta => weight + step,
        }
    }

    /// `√(s + ε)` or `√s + ε`, per the epsilon convention.
    #[inline]
    pub fn root<N: Num>(&self, s: N, epsilon: f64) -> N {
        let eps = N::q(Symbol::Const(Const::Epsilon), epsilon);
        match self.epsilon {
            EpsilonPlacement::InsideSqrt => (s + eps).sqrt(),
            EpsilonPlacement::OutsideSqrt => s.sqrt() + eps,
        }
    }

    pub fn indices(&self) -> std::ops::Range<usize> {
        0..self.params.len()
    }

    /// The parameter before the update (0 where missing).
    #[inline]
    pub fn param(&self, p: usize) -> f64 {
        self.params.get(p).copied().unwrap_or(0.0)
    }

    /// The update's `dw` of parameter `p` (0 where missing).
    #[inline]
    pub fn dw(&self, p: usize) -> f64 {
        self.dw.get(p).copied().unwrap_or(0.0)
    }

    /// `(dw_p)_t` as a quantity of the formula.
    #[inline]
    pub fn dw_q<N: Num>(&self, p: usize) -> N {
        N::q(self.sym(Name::Dw, p, self.t), self.dw(p))
    }

    /// Where parameter `p`'s new value sits in the step: `/weights_after/p` or `/bias_after`.
    #[inline]
    pub fn weight_pointer(&self, p: usize) -> Option<Pointer> {
        Some(Pointer::WeightsAfter(self.names.param(p)))
    }

    /// Where accumulator `name` of parameter `p` sits in the step's `state`.
    #[inline]
    pub fn state_pointer(&self, name: &'static str, p: usize) -> Option<Pointer> {
        Some(self.names.state_pointer(name, p))
    }
}

/// How the optimizers' vector is named: a neuron's weights then its bias, or a network's
/// parameters by layer and unit (docs/contract.md §11).
#[derive(Debug, Clone, Copy)]
pub enum ParamNames<'a> {
    Neuron { weights: usize },
    Network(&'a Layout),
}

impl ParamNames<'_> {
    /// The names of `problem`'s parameters.
    pub fn of(problem: &Problem) -> ParamNames<'_> {
        match &problem.network {
            Some(net) => ParamNames::Network(&net.layout),
            None => ParamNames::Neuron {
                weights: problem.weights.len(),
            },
        }
    }

    /// Parameter `p` of the vector.
    #[inline]
    pub fn param(&self, p: usize) -> Param {
        match self {
            ParamNames::Neuron { weights } => Param::of(p, *weights),
            ParamNames::Network(layout) => Param::Unit(layout.param(p)),
        }
    }

    /// `name` of parameter `p` at time `t`.
    #[inline]
    pub fn sym(&self, name: Name, p: usize, t: u64) -> Symbol {
        Symbol::Param {
            name,
            param: self.param(p),
            suffix: Suffix::Time(t),
        }
    }

    /// Where accumulator `name` of parameter `p` sits in the step: `/state/<name>/p`, or a
    /// network's `/layers/l/state/<name>/j/k`.
    #[inline]
    pub fn state_pointer(&self, name: &'static str, p: usize) -> Pointer {
        match self {
            ParamNames::Neuron { .. } => Pointer::State {
                name,
                index: index(p),
            },
            ParamNames::Network(layout) => Pointer::UnitState {
                name,
                param: layout.param(p),
            },
        }
    }
}

/// `(1 − β) x` written as the course does, with `1 − β` visible.
#[inline]
pub fn one_minus<N: Num>(symbol: Const, decay: f64) -> N {
    N::lit(1.0) - N::q(Symbol::Const(symbol), decay)
}

/// `decay · previous + (1 − decay) · term`: an exponential moving average.
#[inline]
pub fn moving_average<N: Num>(decay_symbol: Const, decay: f64, previous: N, term: N) -> N {
    N::q(Symbol::Const(decay_symbol), decay) * previous + one_minus::<N>(decay_symbol, decay) * term
}

/// The correction divisor `1 − decay^t` as an expression.
#[inline]
pub fn correction<N: Num>(decay: Const, t: u64, power: f64) -> N {
    N::lit(1.0) - N::q(Symbol::Power(decay, t), power)
}

/// The next power of a decay, `power · decay` (`β^t` from `β^{t−1}`), exactly as the product
/// gives it. After a few thousand updates the power becomes a subnormal `k · 2⁻¹⁰⁷⁴`, and once
/// `k · (1 − decay) < ½` the product rounds back to the same number forever (β = 0.8 stops at
/// k = 2); x86 multiplies a subnormal through a microcode assist of about a hundred cycles,
/// which made this one product a quarter of a long summary's time. At that fixed point the
/// product is not taken: the same bits, without the assist (a unit test compares them).
#[inline]
pub fn next_power(power: f64, decay: f64) -> f64 {
    if power > 0.0 && power < f64::MIN_POSITIVE && (0.5..=1.0).contains(&decay) {
        // `1 − decay` is exact for a decay in [½, 1], and `k` is an integer below 2⁵²; the
        // margin below ½ covers the one rounding of their product.
        let k = power.to_bits() as f64;
        if k * (1.0 - decay) < 0.49 {
            return power;
        }
    }
    // Opaque to the optimizer, so the product stays behind the branch instead of being taken
    // on both paths and selected (which would keep the assist).
    std::hint::black_box(power) * decay
}

/// An exponential moving average per parameter, `x_t = decay · x_{t−1} + (1 − decay) · term`,
/// into `next` from `previous`: named `name` in the lines and `key` in the step's `state`.
pub fn average_into<R: Reading>(
    u: &Update,
    r: &mut R,
    next: &mut Vec<f64>,
    previous: &[f64],
    (name, key): (Name, &'static str),
    (decay_symbol, decay): (Const, f64),
    mut term: impl FnMut(usize) -> R::N,
) {
    next.clear();
    for p in u.indices() {
        let before = R::N::q(u.sym(name, p, u.t - 1), at(previous, p));
        let expr = moving_average(decay_symbol, decay, before, term(p));
        next.push(r.line(u.state_pointer(key, p), u.sym(name, p, u.t), expr));
    }
}

/// Adam's two moments per parameter, into `next` from `previous`: the first,
/// `v ← β₁ v + (1 − β₁) dw` (`first_moment`), and the second, `s ← β₂ s + (1 − β₂) dw²`
/// (`second_moment`); Adam's family and NAdam keep both.
pub fn adam_moments<R: Reading>(
    u: &Update,
    r: &mut R,
    (first, second): (&mut Vec<f64>, &mut Vec<f64>),
    (previous_first, previous_second): (&[f64], &[f64]),
    (beta1, beta2): (f64, f64),
) {
    average_into(
        u,
        r,
        first,
        previous_first,
        (Name::V, "first_moment"),
        (Const::Beta1, beta1),
        |p| u.dw_q(p),
    );
    average_into(
        u,
        r,
        second,
        previous_second,
        (Name::S, "second_moment"),
        (Const::Beta2, beta2),
        |p| u.dw_q::<R::N>(p).square(),
    );
}

/// The bias-corrected copy of a moving average, `x̂ = x / (1 − decay^t)` per parameter, into
/// `target` when the update corrects (its room reused, in place), else `None`: momentum's,
/// RMSProp's and Adam's two. `raw` is the average's name and values, `corrected` the copy's
/// name and its key in the step's `state`.
pub fn bias_corrected<R: Reading>(
    u: &Update,
    r: &mut R,
    target: &mut Option<Vec<f64>>,
    raw: (Name, &[f64]),
    corrected: (Name, &'static str),
    decay: (Const, f64),
) {
    if !u.bias_correction {
        *target = None;
        return;
    }
    let room = target.get_or_insert_with(Vec::new);
    room.clear();
    for p in u.indices() {
        let expr = R::N::q(u.sym(raw.0, p, u.t), at(raw.1, p)) / correction(decay.0, u.t, decay.1);
        room.push(r.line(
            u.state_pointer(corrected.1, p),
            u.sym(corrected.0, p, u.t),
            expr,
        ));
    }
}

/// `v[p]`, 0 where missing.
#[inline]
pub fn at(values: &[f64], p: usize) -> f64 {
    values.get(p).copied().unwrap_or(0.0)
}

/// `w ← w − α · numerator / denominator` per parameter, leaving a weight unchanged (with a
/// warning) where the denominator is exactly 0 (docs/contract.md §4). `before` names and holds the weights the
/// step starts from (`w` and `u.params`, or AdamW's decayed `\tilde{w}`): passed apart from
/// `u`, which copying with other parameters cost a struct copy per update.
pub fn guarded_update<R: Reading>(
    u: &Update,
    (before, params): (Name, &[f64]),
    r: &mut R,
    weights: &mut [f64],
    mut numerator: impl FnMut(usize) -> R::N,
    mut denominator: impl FnMut(usize) -> R::N,
) {
    for (p, slot) in weights.iter_mut().enumerate().take(u.params.len()) {
        let weight = R::N::q(u.sym(before, p, u.t), at(params, p));
        // Built where used, so a reading that ignores it does not build it.
        let symbol = || u.sym(Name::W, p, u.t + 1);
        let den = denominator(p);
        let num = numerator(p);
        *slot = if den.value() == 0.0 {
            r.warn(
                "zero_denominator",
                format!(
                    "update {}: the denominator of {} is 0, so the parameter is left unchanged",
                    u.t,
                    symbol().text()
                ),
                u.t,
            );
            r.line(u.weight_pointer(p), symbol(), weight)
        } else {
            let step = (u.alpha::<R::N>() / den) * num;
            r.line(u.weight_pointer(p), symbol(), u.apply(weight, step))
        };
    }
}

#[cfg(test)]
mod tests {
    use super::spec::Value;
    use super::*;

    /// Each registered optimizer resolved from its defaults (and a learning rate, a fixed
    /// step, three parameters where it needs them).
    fn at_defaults(id: Id) -> Option<Optimizer> {
        let mut values = vec![("line_search", Value::Text("fixed"))];
        for used in id.spec().uses {
            let value = match used.default {
                spec::Default::Number(x) => Value::Number(x),
                spec::Default::Text(t) => Value::Text(t),
                spec::Default::Required => Value::Number(0.2),
                spec::Default::ParameterCount => Value::Integer(3),
                spec::Default::Absent => continue,
            };
            if !values.iter().any(|(k, _)| *k == used.name) {
                values.push((used.name, value));
            }
        }
        id.resolve(&Resolved(&values))
    }

    #[test]
    fn every_registered_optimizer_is_itself_and_named_once() {
        let mut names = Vec::new();
        for (id, spec) in Id::ALL.iter().zip(SPECS) {
            assert_eq!(id.spec().name, spec.name);
            assert!(!spec.title.is_empty() && !spec.summary.is_empty() && !spec.update.is_empty());
            assert!(!names.contains(&spec.name), "{} twice", spec.name);
            names.push(spec.name);
            let optimizer = at_defaults(*id).unwrap_or_else(|| panic!("{}", spec.name));
            assert_eq!(optimizer.id(), *id);
            let rate = optimizer.learning_rate();
            assert!(rate.is_some(), "{}", spec.name);
            let halved = optimizer.with_learning_rate(|rate| rate / 2.0);
            assert_eq!(
                halved.and_then(|o| o.learning_rate()),
                rate.map(|r| r / 2.0)
            );
            assert!(!optimizer.shown(|x| x.to_string()).is_empty());
        }
    }

    #[test]
    fn every_key_is_listed_once() {
        let keys = hyperparameters();
        for (i, key) in keys.iter().enumerate() {
            assert!(keys[..i].iter().all(|k| k.name != key.name), "{}", key.name);
        }
        assert_eq!(&keys[..keys::PUBLISHED.len()], keys::PUBLISHED);
    }

    #[test]
    fn next_power_is_the_product_at_the_subnormal_fixed_points_and_elsewhere() {
        let mut decays = vec![
            0.0,
            0.3,
            0.5,
            0.5000000000000001,
            0.8,
            0.9,
            0.99,
            0.999,
            1.0,
        ];
        decays.extend((1..=500).map(|k| 0.5 + f64::from(k) / 1000.0));
        let mut powers: Vec<f64> = (0..3000u64).map(f64::from_bits).collect();
        powers.extend([1e-300, f64::MIN_POSITIVE, 0.5, 1.0]);
        for decay in decays {
            for &power in &powers {
                assert_eq!(
                    next_power(power, decay).to_bits(),
                    (power * decay).to_bits(),
                    "{power:e} · {decay}"
                );
            }
        }
    }
}

//! The optimizers of docs/contract.md §3, one small unit each, and what they share: the update's inputs and
//! the notation. Each update is written once, generic over the [`Reading`]: plain numbers, or
//! the worked lines with the same numbers.
//!
//! Every optimizer computes in the request's sign convention: `dw = sign · g`, signed
//! accumulators carry `dw`'s sign, and the update subtracts for `gradient` and adds for `delta`,
//! so the weights come out identical either way (negation is exact).
//!
//! An update reads the current state and writes the next one into a second state of the same
//! kind (and the new parameters into a buffer), so a run keeps two states and swaps them, and
//! an update that diverges is simply not swapped in.

pub mod adadelta;
pub mod adagrad;
pub mod adam;
pub mod cg;
pub mod gd;
pub mod line_search;
pub mod momentum;
pub mod rmsprop;

use std::collections::BTreeMap;

use super::expr::Num;
use super::problem::{EpsilonPlacement, Optimizer, Problem, SignConvention};
use super::reading::Reading;
use super::symbol::{index, Const, Name, Param, Pointer, Symbol};

/// What one update of an element-wise optimizer sees.
#[derive(Debug, Clone, Copy)]
pub struct Update<'a> {
    /// The update counter `t`, 1-based.
    pub t: u64,
    /// The learning rate of this update.
    pub lr: f64,
    /// How the learning rate is written (`\alpha`, or `\alpha(e)` under a schedule).
    pub lr_symbol: Symbol,
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
    #[inline]
    pub fn alpha<N: Num>(&self) -> N {
        N::q(self.lr_symbol, self.lr)
    }

    /// The symbol of `name` for parameter `p` at time `t`, in the course's notation.
    #[inline]
    pub fn sym(&self, name: Name, p: usize, t: u64) -> Symbol {
        Symbol::param(name, p, self.n_weights, t)
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

    /// Where parameter `p`'s new value sits in the step: `/weights_after/p` or `/bias_after`.
    #[inline]
    pub fn weight_pointer(&self, p: usize) -> Option<Pointer> {
        Some(Pointer::WeightsAfter(Param::of(p, self.n_weights)))
    }

    /// Where accumulator `name` of parameter `p` sits in the step's `state`.
    #[inline]
    pub fn state_pointer(&self, name: &'static str, p: usize) -> Option<Pointer> {
        Some(Pointer::State {
            name,
            index: index(p),
        })
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

/// A vector rewritten in place from an iterator of one value per parameter.
pub fn refill(target: &mut Vec<f64>, values: impl Iterator<Item = f64>) {
    target.clear();
    target.extend(values);
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

    /// Every accumulator by name, and every bias-correction divisor by the name of what it
    /// corrects.
    pub fn visit(
        &self,
        entry: &mut impl FnMut(&'static str, &[f64]),
        factor: &mut impl FnMut(&'static str, f64),
    ) {
        match self {
            State::Gd => {}
            State::Momentum(s) => s.visit(entry, factor),
            State::Adagrad(s) => s.visit(entry),
            State::Adadelta(s) => s.visit(entry, factor),
            State::Rmsprop(s) => s.visit(entry, factor),
            State::Adam(s) => s.visit(entry, factor),
        }
    }

    /// The accumulators by name, for the trace, and the bias-correction divisors.
    pub fn record(
        &self,
    ) -> (
        BTreeMap<&'static str, Vec<f64>>,
        BTreeMap<&'static str, f64>,
    ) {
        let mut state = BTreeMap::new();
        let mut factors = BTreeMap::new();
        self.visit(
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

/// One element-wise update: the next state into `next` (of the same kind as `current`), the
/// new parameters into `weights`, lines and warnings into the reading. Conjugate gradient is
/// not element-wise and has its own driver (`cg`).
pub fn step<R: Reading>(
    optimizer: &Optimizer,
    current: &State,
    next: &mut State,
    u: &Update,
    r: &mut R,
    weights: &mut Vec<f64>,
) {
    // Every optimizer writes every parameter, so only the length is set: clearing first made
    // the resize a `memset` call per update.
    weights.resize(u.params.len(), 0.0);
    match (optimizer, current, next) {
        (Optimizer::Momentum { beta, form, .. }, State::Momentum(s), State::Momentum(n)) => {
            momentum::step(*beta, *form, false, s, n, u, r, weights)
        }
        (Optimizer::Nesterov { beta, form, .. }, State::Momentum(s), State::Momentum(n)) => {
            momentum::step(*beta, *form, true, s, n, u, r, weights)
        }
        (
            Optimizer::Adagrad {
                epsilon, window, ..
            },
            State::Adagrad(s),
            State::Adagrad(n),
        ) => adagrad::step(*epsilon, *window, s, n, u, r, weights),
        (Optimizer::Adadelta { rho, epsilon, .. }, State::Adadelta(s), State::Adadelta(n)) => {
            adadelta::step(*rho, *epsilon, s, n, u, r, weights)
        }
        (Optimizer::Rmsprop { beta, epsilon, .. }, State::Rmsprop(s), State::Rmsprop(n)) => {
            rmsprop::step(*beta, *epsilon, s, n, u, r, weights)
        }
        (optimizer, State::Adam(s), State::Adam(n)) => match adam::AdamConfig::of(optimizer) {
            Some(config) => adam::step(&config, s, n, u, r, weights),
            None => gd::step(u, r, weights),
        },
        // gd keeps no state. (`State::initial` pairs every other optimizer with its own state,
        // so no other pair reaches here.)
        _ => gd::step(u, r, weights),
    }
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
    use super::next_power;

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

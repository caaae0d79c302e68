//! Momentum and Nesterov momentum (docs/contract.md §3; the course's "Gradient Descent with Momentum").

use super::{
    at, bias_corrected, moving_average, next_power, one_minus, Name, Num, Reading, Update,
};
use crate::solve::problem::MomentumForm;
use crate::solve::symbol::{Const, Symbol};

/// The velocity `v` per parameter, and `β^t` kept as a running product.
#[derive(Debug, Clone, PartialEq)]
pub struct MomentumState {
    pub velocity: Vec<f64>,
    pub velocity_corrected: Option<Vec<f64>>,
    pub beta_power: f64,
    /// Nesterov's step directions of the last update (room reused from update to update).
    direction: Vec<f64>,
}

impl MomentumState {
    pub fn new(n: usize) -> Self {
        MomentumState {
            velocity: vec![0.0; n],
            velocity_corrected: None,
            beta_power: 1.0,
            direction: Vec::new(),
        }
    }

    pub fn visit(
        &self,
        entry: &mut impl FnMut(&'static str, &[f64]),
        factor: &mut impl FnMut(&'static str, f64),
    ) {
        entry("velocity", &self.velocity);
        if let Some(corrected) = &self.velocity_corrected {
            entry("velocity_corrected", corrected);
            factor("velocity", 1.0 - self.beta_power);
        }
    }
}

/// Momentum: `v ← β v + (1 − β) dw` (`average`) or `v ← β v + dw` (`sum`); `w ← w − α v̂`.
/// Nesterov: the same `v`, then `w ← w − α (β v̂ + (1 − β) dw)` (`average`) or
/// `w ← w − α (β v̂ + dw)` (`sum`, as PyTorch).
#[allow(clippy::too_many_arguments)]
pub fn step<R: Reading>(
    beta: f64,
    form: MomentumForm,
    nesterov: bool,
    state: &MomentumState,
    next: &mut MomentumState,
    u: &Update,
    r: &mut R,
    weights: &mut [f64],
) {
    let t = u.t;
    let q = |symbol: Symbol, value: f64| R::N::q(symbol, value);
    let b = || q(Symbol::Const(Const::Beta), beta);
    let dw = |p: usize| q(u.sym(Name::Dw, p, t), u.dw(p));
    next.beta_power = r.round(next_power(state.beta_power, beta));

    next.velocity.clear();
    for p in u.indices() {
        let previous = q(u.sym(Name::V, p, t - 1), at(&state.velocity, p));
        let expr = match form {
            MomentumForm::Average => moving_average(Const::Beta, beta, previous, dw(p)),
            MomentumForm::Sum => b() * previous + dw(p),
        };
        let v = r.line(u.state_pointer("velocity", p), u.sym(Name::V, p, t), expr);
        next.velocity.push(v);
    }

    bias_corrected(
        u,
        r,
        &mut next.velocity_corrected,
        (Name::V, &next.velocity),
        (Name::HatV, "velocity_corrected"),
        (Const::Beta, next.beta_power),
    );
    let (v_hat_name, v_hat) = match &next.velocity_corrected {
        Some(c) => (Name::HatV, c),
        None => (Name::V, &next.velocity),
    };

    let (direction_name, direction) = if nesterov {
        next.direction.clear();
        for p in u.indices() {
            let momentum_term = b() * q(u.sym(v_hat_name, p, t), v_hat[p]);
            let gradient_term = match form {
                MomentumForm::Average => one_minus::<R::N>(Const::Beta, beta) * dw(p),
                MomentumForm::Sum => dw(p),
            };
            let d = r.line(None, u.sym(Name::D, p, t), momentum_term + gradient_term);
            next.direction.push(d);
        }
        (Name::D, &next.direction)
    } else {
        (v_hat_name, v_hat)
    };

    for (p, slot) in weights.iter_mut().enumerate().take(u.params.len()) {
        let weight = q(u.sym(Name::W, p, t), u.param(p));
        let step = u.alpha::<R::N>() * q(u.sym(direction_name, p, t), at(direction, p));
        *slot = r.line(
            u.weight_pointer(p),
            u.sym(Name::W, p, t + 1),
            u.apply(weight, step),
        );
    }
}

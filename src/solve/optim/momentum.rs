//! Momentum and Nesterov momentum (docs/contract.md §3; the course's "Gradient Descent with Momentum").

use std::collections::BTreeMap;

use super::{correction, div, moving_average, mul, q, Update, Worked};
use crate::solve::expr::add;
use crate::solve::problem::MomentumForm;

/// The velocity `v` per parameter, and `β^t` kept as a running product.
#[derive(Debug, Clone, PartialEq)]
pub struct MomentumState {
    pub velocity: Vec<f64>,
    pub velocity_corrected: Option<Vec<f64>>,
    pub beta_power: f64,
}

impl MomentumState {
    pub fn new(n: usize) -> Self {
        MomentumState {
            velocity: vec![0.0; n],
            velocity_corrected: None,
            beta_power: 1.0,
        }
    }

    pub fn record(
        &self,
        state: &mut BTreeMap<String, Vec<f64>>,
        factors: &mut BTreeMap<String, f64>,
    ) {
        state.insert("velocity".into(), self.velocity.clone());
        if let Some(corrected) = &self.velocity_corrected {
            state.insert("velocity_corrected".into(), corrected.clone());
            factors.insert("velocity".into(), 1.0 - self.beta_power);
        }
    }
}

/// Momentum: `v ← β v + (1 − β) dw` (`average`) or `v ← β v + dw` (`sum`); `w ← w − α v̂`.
/// Nesterov: the same `v`, then `w ← w − α (β v̂ + (1 − β) dw)` (`average`) or
/// `w ← w − α (β v̂ + dw)` (`sum`, as PyTorch).
pub fn step(
    beta: f64,
    form: MomentumForm,
    nesterov: bool,
    state: &MomentumState,
    u: &Update,
    worked: &mut Worked,
) -> (Vec<f64>, MomentumState) {
    let t = u.t;
    let beta_power = worked.round(state.beta_power * beta);
    let dw = |p: usize| q(u.sym("dw", p, t), u.dw[p]);

    let velocity: Vec<f64> = u
        .indices()
        .map(|p| {
            let previous = q(
                u.sym("v", p, t - 1),
                state.velocity.get(p).copied().unwrap_or(0.0),
            );
            let expr = match form {
                MomentumForm::Average => moving_average("\\beta", beta, previous, dw(p)),
                MomentumForm::Sum => add(mul(q("\\beta", beta), previous), dw(p)),
            };
            worked.line_at(u.state_pointer("velocity", p), u.sym("v", p, t), expr)
        })
        .collect();

    let corrected: Option<Vec<f64>> = u.bias_correction.then(|| {
        u.indices()
            .map(|p| {
                let expr = div(
                    q(u.sym("v", p, t), velocity[p]),
                    correction(format!("\\beta^{{{t}}}"), beta_power),
                );
                worked.line_at(
                    u.state_pointer("velocity_corrected", p),
                    u.sym("\\hat{v}", p, t),
                    expr,
                )
            })
            .collect()
    });
    let (v_hat_name, v_hat) = match &corrected {
        Some(c) => ("\\hat{v}", c),
        None => ("v", &velocity),
    };

    let direction: Vec<(String, f64)> = if nesterov {
        u.indices()
            .map(|p| {
                let momentum_term = mul(q("\\beta", beta), q(u.sym(v_hat_name, p, t), v_hat[p]));
                let gradient_term = match form {
                    MomentumForm::Average => mul(super::one_minus("\\beta", beta), dw(p)),
                    MomentumForm::Sum => dw(p),
                };
                let symbol = u.sym("d", p, t);
                let value = worked.line(symbol.clone(), add(momentum_term, gradient_term));
                (symbol, value)
            })
            .collect()
    } else {
        u.indices()
            .map(|p| (u.sym(v_hat_name, p, t), v_hat[p]))
            .collect()
    };

    let weights = u
        .indices()
        .map(|p| {
            let weight = q(u.sym("w", p, t), u.params[p]);
            let (symbol, value) = &direction[p];
            let step = mul(u.alpha(), q(symbol.clone(), *value));
            worked.line_at(
                u.weight_pointer(p),
                u.sym("w", p, t + 1),
                u.apply(weight, step),
            )
        })
        .collect();

    (
        weights,
        MomentumState {
            velocity,
            velocity_corrected: corrected,
            beta_power,
        },
    )
}

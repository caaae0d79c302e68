//! Adadelta (docs/contract.md §3; Zeiler 2012, "ADADELTA: an adaptive learning rate method", Algorithm 1).

use super::{at, correction, moving_average, next_power, Name, Num, Reading, Update};
use crate::solve::problem::SignConvention;
use crate::solve::symbol::{Const, Symbol};

/// `s` (average of `dw²`) and `u` (average of `Δ²`) per parameter, and `ρ^t`.
#[derive(Debug, Clone, PartialEq)]
pub struct AdadeltaState {
    pub square_avg: Vec<f64>,
    pub delta_avg: Vec<f64>,
    pub square_avg_corrected: Option<Vec<f64>>,
    pub previous_delta_avg_corrected: Option<Vec<f64>>,
    pub rho_power: f64,
    /// `ρ^(t−1)`, the divisor's power for the `u` used at update `t`.
    pub previous_rho_power: f64,
    /// The last update's `Δ` (room reused from update to update).
    deltas: Vec<f64>,
}

impl AdadeltaState {
    pub fn new(n: usize) -> Self {
        AdadeltaState {
            square_avg: vec![0.0; n],
            delta_avg: vec![0.0; n],
            square_avg_corrected: None,
            previous_delta_avg_corrected: None,
            rho_power: 1.0,
            previous_rho_power: 1.0,
            deltas: Vec::new(),
        }
    }

    pub fn visit(
        &self,
        entry: &mut impl FnMut(&'static str, &[f64]),
        factor: &mut impl FnMut(&'static str, f64),
    ) {
        entry("square_avg", &self.square_avg);
        entry("delta_avg", &self.delta_avg);
        if let Some(c) = &self.square_avg_corrected {
            entry("square_avg_corrected", c);
            factor("square_avg", 1.0 - self.rho_power);
        }
        if let Some(c) = &self.previous_delta_avg_corrected {
            entry("previous_delta_avg_corrected", c);
            factor("previous_delta_avg", 1.0 - self.previous_rho_power);
        }
    }
}

/// Adadelta: `s ← ρ s + (1 − ρ) dw²`; `Δ = −√(u + ε) / √(s + ε) · g`; `u ← ρ u + (1 − ρ) Δ²`;
/// `w ← w + α Δ`.
pub fn step<R: Reading>(
    rho: f64,
    epsilon: f64,
    state: &AdadeltaState,
    next: &mut AdadeltaState,
    u: &Update,
    r: &mut R,
    weights: &mut [f64],
) {
    let t = u.t;
    let q = |symbol: Symbol, value: f64| R::N::q(symbol, value);
    let dw = |p: usize| q(u.sym(Name::Dw, p, t), u.dw(p));
    next.previous_rho_power = state.rho_power;
    next.rho_power = r.round(next_power(state.rho_power, rho));

    next.square_avg.clear();
    for p in u.indices() {
        let previous = q(u.sym(Name::S, p, t - 1), at(&state.square_avg, p));
        let s = r.line(
            u.state_pointer("square_avg", p),
            u.sym(Name::S, p, t),
            moving_average(Const::Rho, rho, previous, dw(p).square()),
        );
        next.square_avg.push(s);
    }

    let previous_u = |p: usize| at(&state.delta_avg, p);
    let mut s_hat = next.square_avg_corrected.take().unwrap_or_default();
    let mut u_hat = next.previous_delta_avg_corrected.take().unwrap_or_default();
    if u.bias_correction {
        s_hat.clear();
        for p in u.indices() {
            let expr = q(u.sym(Name::S, p, t), next.square_avg[p])
                / correction(Const::Rho, t, next.rho_power);
            let value = r.line(
                u.state_pointer("square_avg_corrected", p),
                u.sym(Name::HatS, p, t),
                expr,
            );
            s_hat.push(value);
        }
        // The `u` used at update t has been updated t − 1 times; at t = 1 it is 0 (docs/contract.md §3.1).
        u_hat.clear();
        for p in u.indices() {
            let expr = if t <= 1 {
                R::N::lit(0.0)
            } else {
                q(u.sym(Name::U, p, t - 1), previous_u(p))
                    / correction(Const::Rho, t - 1, next.previous_rho_power)
            };
            let value = r.line(
                u.state_pointer("previous_delta_avg_corrected", p),
                u.sym(Name::HatU, p, t - 1),
                expr,
            );
            u_hat.push(value);
        }
        next.square_avg_corrected = Some(s_hat);
        next.previous_delta_avg_corrected = Some(u_hat);
    } else {
        next.square_avg_corrected = None;
        next.previous_delta_avg_corrected = None;
    }
    let (s_name, u_name) = if u.bias_correction {
        (Name::HatS, Name::HatU)
    } else {
        (Name::S, Name::U)
    };
    let s_used = |p: usize| match &next.square_avg_corrected {
        Some(c) => at(c, p),
        None => at(&next.square_avg, p),
    };
    let u_used = |p: usize| match &next.previous_delta_avg_corrected {
        Some(c) => at(c, p),
        None => previous_u(p),
    };

    let mut deltas = std::mem::take(&mut next.deltas);
    deltas.clear();
    for p in u.indices() {
        let numerator = u.root(q(u.sym(u_name, p, t - 1), u_used(p)), epsilon);
        let denominator = u.root(q(u.sym(s_name, p, t), s_used(p)), epsilon);
        let symbol = u.sym(Name::Delta, p, t);
        let delta = if denominator.value() == 0.0 {
            r.warn(
                "zero_denominator",
                format!(
                    "update {t}: √(s + ε) is 0 for {}, so Δ = 0 and the parameter is left unchanged",
                    u.sym(Name::W, p, t).text()
                ),
                t,
            );
            r.line(None, symbol, R::N::lit(0.0))
        } else {
            let scaled = (numerator / denominator) * dw(p);
            // Δ is a change of weight: the same in both conventions, so it flips with dw's sign.
            let expr = match u.sign {
                SignConvention::Gradient => -scaled,
                SignConvention::Delta => scaled,
            };
            r.line(None, symbol, expr)
        };
        deltas.push(delta);
    }

    next.delta_avg.clear();
    for p in u.indices() {
        let previous = q(u.sym(Name::U, p, t - 1), previous_u(p));
        let term = q(u.sym(Name::Delta, p, t), deltas[p]).square();
        let value = r.line(
            u.state_pointer("delta_avg", p),
            u.sym(Name::U, p, t),
            moving_average(Const::Rho, rho, previous, term),
        );
        next.delta_avg.push(value);
    }

    for (p, slot) in weights.iter_mut().enumerate().take(u.params.len()) {
        let weight = q(u.sym(Name::W, p, t), u.param(p));
        let step = u.alpha::<R::N>() * q(u.sym(Name::Delta, p, t), deltas[p]);
        *slot = r.line(u.weight_pointer(p), u.sym(Name::W, p, t + 1), weight + step);
    }
    next.deltas = deltas;
}

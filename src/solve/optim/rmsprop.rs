//! RMSProp (docs/contract.md §3; the course's "RMSProp").

use super::{
    at, average_into, bias_corrected, guarded_update, next_power, Name, Num, Reading, Update,
};
use crate::solve::symbol::{Const, Symbol};

/// The moving average of squared gradients per parameter (the course's `v`), and `β^t`.
#[derive(Debug, Clone, PartialEq)]
pub struct RmspropState {
    pub square_avg: Vec<f64>,
    pub square_avg_corrected: Option<Vec<f64>>,
    pub beta_power: f64,
}

impl RmspropState {
    pub fn new(n: usize) -> Self {
        RmspropState {
            square_avg: vec![0.0; n],
            square_avg_corrected: None,
            beta_power: 1.0,
        }
    }

    pub fn visit(
        &self,
        entry: &mut impl FnMut(&'static str, &[f64]),
        factor: &mut impl FnMut(&'static str, f64),
    ) {
        entry("square_avg", &self.square_avg);
        if let Some(corrected) = &self.square_avg_corrected {
            entry("square_avg_corrected", corrected);
            factor("square_avg", 1.0 - self.beta_power);
        }
    }
}

/// RMSProp: `v ← β v + (1 − β) dw²`; `w ← w − α dw / √(v̂ + ε)`.
pub fn step<R: Reading>(
    beta: f64,
    epsilon: f64,
    state: &RmspropState,
    next: &mut RmspropState,
    u: &Update,
    r: &mut R,
    weights: &mut [f64],
) {
    let t = u.t;
    let q = |symbol: Symbol, value: f64| R::N::q(symbol, value);
    next.beta_power = r.round(next_power(state.beta_power, beta));
    average_into(
        u,
        r,
        &mut next.square_avg,
        &state.square_avg,
        (Name::V, "square_avg"),
        (Const::Beta, beta),
        |p| q(u.sym(Name::Dw, p, t), u.dw(p)).square(),
    );
    bias_corrected(
        u,
        r,
        &mut next.square_avg_corrected,
        (Name::V, &next.square_avg),
        (Name::HatV, "square_avg_corrected"),
        (Const::Beta, next.beta_power),
    );
    let (name, used) = match &next.square_avg_corrected {
        Some(c) => (Name::HatV, c),
        None => (Name::V, &next.square_avg),
    };
    guarded_update(
        u,
        (Name::W, u.params),
        r,
        weights,
        |p| q(u.sym(Name::Dw, p, t), u.dw(p)),
        |p| u.root(q(u.sym(name, p, t), at(used, p)), epsilon),
    );
}

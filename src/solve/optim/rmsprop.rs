//! RMSProp (docs/contract.md §3; the course's "RMSProp").

use super::{at, correction, guarded_update, moving_average, Name, Num, Reading, Update};
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
        entry: &mut dyn FnMut(&'static str, &[f64]),
        factor: &mut dyn FnMut(&'static str, f64),
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
    next.beta_power = r.round(state.beta_power * beta);
    next.square_avg.clear();
    for p in u.indices() {
        let previous = q(u.sym(Name::V, p, t - 1), at(&state.square_avg, p));
        let term = q(u.sym(Name::Dw, p, t), u.dw(p)).square();
        let v = r.line(
            u.state_pointer("square_avg", p),
            u.sym(Name::V, p, t),
            moving_average(Const::Beta, beta, previous, term),
        );
        next.square_avg.push(v);
    }
    let mut corrected = next.square_avg_corrected.take().unwrap_or_default();
    next.square_avg_corrected = if u.bias_correction {
        corrected.clear();
        for p in u.indices() {
            let expr = q(u.sym(Name::V, p, t), next.square_avg[p])
                / correction(Const::Beta, t, next.beta_power);
            let value = r.line(
                u.state_pointer("square_avg_corrected", p),
                u.sym(Name::HatV, p, t),
                expr,
            );
            corrected.push(value);
        }
        Some(corrected)
    } else {
        None
    };
    let (name, used) = match &next.square_avg_corrected {
        Some(c) => (Name::HatV, c),
        None => (Name::V, &next.square_avg),
    };
    guarded_update(
        u,
        Name::W,
        r,
        weights,
        |p| q(u.sym(Name::Dw, p, t), u.dw(p)),
        |p| u.root(q(u.sym(name, p, t), at(used, p)), epsilon),
    );
}

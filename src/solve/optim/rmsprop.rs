//! RMSProp (docs/contract.md §3; the course's "RMSProp").

use std::collections::BTreeMap;

use super::{correction, div, guarded_update, moving_average, q, Update, Worked};
use crate::solve::expr::square;

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

    pub fn record(
        &self,
        state: &mut BTreeMap<String, Vec<f64>>,
        factors: &mut BTreeMap<String, f64>,
    ) {
        state.insert("square_avg".into(), self.square_avg.clone());
        if let Some(corrected) = &self.square_avg_corrected {
            state.insert("square_avg_corrected".into(), corrected.clone());
            factors.insert("square_avg".into(), 1.0 - self.beta_power);
        }
    }
}

/// RMSProp: `v ← β v + (1 − β) dw²`; `w ← w − α dw / √(v̂ + ε)`.
pub fn step(
    beta: f64,
    epsilon: f64,
    state: &RmspropState,
    u: &Update,
    worked: &mut Worked,
) -> (Vec<f64>, RmspropState) {
    let t = u.t;
    let beta_power = worked.round(state.beta_power * beta);
    let square_avg: Vec<f64> = u
        .indices()
        .map(|p| {
            let previous = q(
                u.sym("v", p, t - 1),
                state.square_avg.get(p).copied().unwrap_or(0.0),
            );
            let term = square(q(u.sym("dw", p, t), u.dw[p]));
            worked.line_at(
                u.state_pointer("square_avg", p),
                u.sym("v", p, t),
                moving_average("\\beta", beta, previous, term),
            )
        })
        .collect();
    let corrected: Option<Vec<f64>> = u.bias_correction.then(|| {
        u.indices()
            .map(|p| {
                let expr = div(
                    q(u.sym("v", p, t), square_avg[p]),
                    correction(format!("\\beta^{{{t}}}"), beta_power),
                );
                worked.line_at(
                    u.state_pointer("square_avg_corrected", p),
                    u.sym("\\hat{v}", p, t),
                    expr,
                )
            })
            .collect()
    });
    let (name, used) = match &corrected {
        Some(c) => ("\\hat{v}", c),
        None => ("v", &square_avg),
    };
    let numerators: Vec<_> = u.indices().map(|p| q(u.sym("dw", p, t), u.dw[p])).collect();
    let denominators: Vec<_> = u
        .indices()
        .map(|p| u.root(q(u.sym(name, p, t), used[p]), epsilon))
        .collect();
    let weights = guarded_update(u, "w", worked, &numerators, &denominators);
    (
        weights,
        RmspropState {
            square_avg,
            square_avg_corrected: corrected,
            beta_power,
        },
    )
}

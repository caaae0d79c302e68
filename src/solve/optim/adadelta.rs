//! Adadelta (docs/contract.md §3; Zeiler 2012, "ADADELTA: an adaptive learning rate method", Algorithm 1).

use std::collections::BTreeMap;

use super::{correction, div, moving_average, mul, q, Update, Worked};
use crate::solve::expr::{lit, neg, square, Expr};
use crate::solve::problem::SignConvention;

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
        }
    }

    pub fn record(
        &self,
        state: &mut BTreeMap<String, Vec<f64>>,
        factors: &mut BTreeMap<String, f64>,
    ) {
        state.insert("square_avg".into(), self.square_avg.clone());
        state.insert("delta_avg".into(), self.delta_avg.clone());
        if let Some(c) = &self.square_avg_corrected {
            state.insert("square_avg_corrected".into(), c.clone());
            factors.insert("square_avg".into(), 1.0 - self.rho_power);
        }
        if let Some(c) = &self.previous_delta_avg_corrected {
            state.insert("previous_delta_avg_corrected".into(), c.clone());
            factors.insert("previous_delta_avg".into(), 1.0 - self.previous_rho_power);
        }
    }
}

/// Adadelta: `s ← ρ s + (1 − ρ) dw²`; `Δ = −√(u + ε) / √(s + ε) · g`; `u ← ρ u + (1 − ρ) Δ²`;
/// `w ← w + α Δ`.
pub fn step(
    rho: f64,
    epsilon: f64,
    state: &AdadeltaState,
    u: &Update,
    worked: &mut Worked,
) -> (Vec<f64>, AdadeltaState) {
    let t = u.t;
    let previous_rho_power = state.rho_power;
    let rho_power = worked.round(state.rho_power * rho);
    let dw = |p: usize| q(u.sym("dw", p, t), u.dw[p]);

    let square_avg: Vec<f64> = u
        .indices()
        .map(|p| {
            let previous = q(
                u.sym("s", p, t - 1),
                state.square_avg.get(p).copied().unwrap_or(0.0),
            );
            worked.line_at(
                u.state_pointer("square_avg", p),
                u.sym("s", p, t),
                moving_average("\\rho", rho, previous, square(dw(p))),
            )
        })
        .collect();

    let previous_u = |p: usize| state.delta_avg.get(p).copied().unwrap_or(0.0);
    let (s_name, s_used, u_name, u_used, square_corrected, delta_corrected) = if u.bias_correction {
        let s_hat: Vec<f64> = u
            .indices()
            .map(|p| {
                let expr = div(
                    q(u.sym("s", p, t), square_avg[p]),
                    correction(format!("\\rho^{{{t}}}"), rho_power),
                );
                worked.line_at(
                    u.state_pointer("square_avg_corrected", p),
                    u.sym("\\hat{s}", p, t),
                    expr,
                )
            })
            .collect();
        // The `u` used at update t has been updated t − 1 times; at t = 1 it is 0 (docs/contract.md §3.1).
        let u_hat: Vec<f64> = u
            .indices()
            .map(|p| {
                let expr = if t <= 1 {
                    lit(0.0)
                } else {
                    div(
                        q(u.sym("u", p, t - 1), previous_u(p)),
                        correction(format!("\\rho^{{{}}}", t - 1), previous_rho_power),
                    )
                };
                worked.line_at(
                    u.state_pointer("previous_delta_avg_corrected", p),
                    u.sym("\\hat{u}", p, t - 1),
                    expr,
                )
            })
            .collect();
        (
            "\\hat{s}",
            s_hat.clone(),
            "\\hat{u}",
            u_hat.clone(),
            Some(s_hat),
            Some(u_hat),
        )
    } else {
        let u_prev: Vec<f64> = u.indices().map(previous_u).collect();
        ("s", square_avg.clone(), "u", u_prev, None, None)
    };

    let deltas: Vec<f64> = u
        .indices()
        .map(|p| {
            let numerator = u.root(q(u.sym(u_name, p, t - 1), u_used[p]), epsilon);
            let denominator = u.root(q(u.sym(s_name, p, t), s_used[p]), epsilon);
            let symbol = u.sym("\\Delta", p, t);
            if denominator.eval() == 0.0 {
                worked.warn(
                    "zero_denominator",
                    format!(
                        "update {t}: √(s + ε) is 0 for {}, so Δ = 0 and the parameter is left unchanged",
                        crate::solve::expr::tex_to_text(&u.sym("w", p, t))
                    ),
                    t,
                );
                return worked.line(symbol, lit(0.0));
            }
            let scaled: Expr = mul(div(numerator, denominator), dw(p));
            // Δ is a change of weight: the same in both conventions, so it flips with dw's sign.
            let expr = match u.sign {
                SignConvention::Gradient => neg(scaled),
                SignConvention::Delta => scaled,
            };
            worked.line(symbol, expr)
        })
        .collect();

    let delta_avg: Vec<f64> = u
        .indices()
        .map(|p| {
            let previous = q(u.sym("u", p, t - 1), previous_u(p));
            let term = square(q(u.sym("\\Delta", p, t), deltas[p]));
            worked.line_at(
                u.state_pointer("delta_avg", p),
                u.sym("u", p, t),
                moving_average("\\rho", rho, previous, term),
            )
        })
        .collect();

    let weights = u
        .indices()
        .map(|p| {
            let weight = q(u.sym("w", p, t), u.params[p]);
            let step = mul(u.alpha(), q(u.sym("\\Delta", p, t), deltas[p]));
            worked.line_at(
                u.weight_pointer(p),
                u.sym("w", p, t + 1),
                crate::solve::expr::add(weight, step),
            )
        })
        .collect();

    (
        weights,
        AdadeltaState {
            square_avg,
            delta_avg,
            square_avg_corrected: square_corrected,
            previous_delta_avg_corrected: delta_corrected,
            rho_power,
            previous_rho_power,
        },
    )
}

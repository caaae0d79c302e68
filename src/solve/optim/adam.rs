//! Adam and its kin: AdamW (decoupled weight decay) and AMSGrad (docs/contract.md §3; the course's "Adam").

use std::collections::BTreeMap;

use super::{correction, div, guarded_update, moving_average, mul, q, Update, Worked};
use crate::solve::expr::{max, square, sub};
use crate::solve::problem::Optimizer;

/// Which member of the family, with its hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdamConfig {
    pub beta1: f64,
    pub beta2: f64,
    pub epsilon: f64,
    /// AdamW's `λ`.
    pub weight_decay: Option<f64>,
    /// AMSGrad: divide by the running maximum of `s`.
    pub amsgrad: bool,
}

impl AdamConfig {
    /// The configuration of `adam`, `adamw` or `amsgrad`; `None` for the other optimizers.
    pub fn of(optimizer: &Optimizer) -> Option<AdamConfig> {
        let config = |beta1, beta2, epsilon, weight_decay, amsgrad| AdamConfig {
            beta1,
            beta2,
            epsilon,
            weight_decay,
            amsgrad,
        };
        match *optimizer {
            Optimizer::Adam {
                beta1,
                beta2,
                epsilon,
                ..
            } => Some(config(beta1, beta2, epsilon, None, false)),
            Optimizer::AdamW {
                beta1,
                beta2,
                epsilon,
                weight_decay,
                ..
            } => Some(config(beta1, beta2, epsilon, Some(weight_decay), false)),
            Optimizer::Amsgrad {
                beta1,
                beta2,
                epsilon,
                ..
            } => Some(config(beta1, beta2, epsilon, None, true)),
            _ => None,
        }
    }
}

/// First and second moments per parameter, AMSGrad's maximum, and `β₁^t`, `β₂^t`.
#[derive(Debug, Clone, PartialEq)]
pub struct AdamState {
    pub first_moment: Vec<f64>,
    pub second_moment: Vec<f64>,
    pub max_second_moment: Option<Vec<f64>>,
    pub first_moment_corrected: Option<Vec<f64>>,
    pub second_moment_corrected: Option<Vec<f64>>,
    pub beta1_power: f64,
    pub beta2_power: f64,
}

impl AdamState {
    pub fn new(n: usize) -> Self {
        AdamState {
            first_moment: vec![0.0; n],
            second_moment: vec![0.0; n],
            max_second_moment: None,
            first_moment_corrected: None,
            second_moment_corrected: None,
            beta1_power: 1.0,
            beta2_power: 1.0,
        }
    }

    pub fn record(
        &self,
        state: &mut BTreeMap<String, Vec<f64>>,
        factors: &mut BTreeMap<String, f64>,
    ) {
        state.insert("first_moment".into(), self.first_moment.clone());
        state.insert("second_moment".into(), self.second_moment.clone());
        if let Some(m) = &self.max_second_moment {
            state.insert("max_second_moment".into(), m.clone());
        }
        if let Some(c) = &self.first_moment_corrected {
            state.insert("first_moment_corrected".into(), c.clone());
            factors.insert("first_moment".into(), 1.0 - self.beta1_power);
        }
        if let Some(c) = &self.second_moment_corrected {
            let name = if self.max_second_moment.is_some() {
                "max_second_moment"
            } else {
                "second_moment"
            };
            state.insert(format!("{name}_corrected"), c.clone());
            factors.insert(name.into(), 1.0 - self.beta2_power);
        }
    }
}

/// Adam: `v ← β₁ v + (1 − β₁) dw`; `s ← β₂ s + (1 − β₂) dw²`; `w ← w − α v̂ / √(ŝ + ε)`.
/// AdamW first decays `w ← w − α λ w`; AMSGrad uses `s_max ← max(s_max, s)` in place of `s`.
pub fn step(
    config: &AdamConfig,
    state: &AdamState,
    u: &Update,
    worked: &mut Worked,
) -> (Vec<f64>, AdamState) {
    let t = u.t;
    let beta1_power = worked.round(state.beta1_power * config.beta1);
    let beta2_power = worked.round(state.beta2_power * config.beta2);
    let dw = |p: usize| q(u.sym("dw", p, t), u.dw[p]);

    let first_moment: Vec<f64> = u
        .indices()
        .map(|p| {
            let previous = q(
                u.sym("v", p, t - 1),
                state.first_moment.get(p).copied().unwrap_or(0.0),
            );
            worked.line_at(
                u.state_pointer("first_moment", p),
                u.sym("v", p, t),
                moving_average("\\beta_1", config.beta1, previous, dw(p)),
            )
        })
        .collect();
    let second_moment: Vec<f64> = u
        .indices()
        .map(|p| {
            let previous = q(
                u.sym("s", p, t - 1),
                state.second_moment.get(p).copied().unwrap_or(0.0),
            );
            worked.line_at(
                u.state_pointer("second_moment", p),
                u.sym("s", p, t),
                moving_average("\\beta_2", config.beta2, previous, square(dw(p))),
            )
        })
        .collect();
    let max_second_moment: Option<Vec<f64>> = config.amsgrad.then(|| {
        u.indices()
            .map(|p| {
                let previous = state
                    .max_second_moment
                    .as_ref()
                    .and_then(|m| m.get(p).copied())
                    .unwrap_or(0.0);
                let expr = max(
                    q(u.sym("s^{max}", p, t - 1), previous),
                    q(u.sym("s", p, t), second_moment[p]),
                );
                worked.line_at(
                    u.state_pointer("max_second_moment", p),
                    u.sym("s^{max}", p, t),
                    expr,
                )
            })
            .collect()
    });
    let (s_name, s_used) = match &max_second_moment {
        Some(m) => ("s^{max}", m),
        None => ("s", &second_moment),
    };

    let (first_corrected, second_corrected) = if u.bias_correction {
        let v_hat: Vec<f64> = u
            .indices()
            .map(|p| {
                let expr = div(
                    q(u.sym("v", p, t), first_moment[p]),
                    correction(format!("\\beta_1^{{{t}}}"), beta1_power),
                );
                worked.line_at(
                    u.state_pointer("first_moment_corrected", p),
                    u.sym("\\hat{v}", p, t),
                    expr,
                )
            })
            .collect();
        let corrected_name = if config.amsgrad {
            "max_second_moment_corrected"
        } else {
            "second_moment_corrected"
        };
        let s_hat: Vec<f64> = u
            .indices()
            .map(|p| {
                let expr = div(
                    q(u.sym(s_name, p, t), s_used[p]),
                    correction(format!("\\beta_2^{{{t}}}"), beta2_power),
                );
                worked.line_at(
                    u.state_pointer(corrected_name, p),
                    u.sym("\\hat{s}", p, t),
                    expr,
                )
            })
            .collect();
        (Some(v_hat), Some(s_hat))
    } else {
        (None, None)
    };
    let (v_name, v_used) = match &first_corrected {
        Some(c) => ("\\hat{v}", c),
        None => ("v", &first_moment),
    };
    let (s_name, s_used) = match &second_corrected {
        Some(c) => ("\\hat{s}", c),
        None => (s_name, s_used),
    };

    // AdamW's decoupled decay acts on the weights before the Adam step; the gradient was taken
    // before it.
    let decayed: Vec<f64>;
    let (params, weight_symbol): (&[f64], &str) = match config.weight_decay {
        Some(lambda) => {
            decayed = u
                .indices()
                .map(|p| {
                    let weight = q(u.sym("w", p, t), u.params[p]);
                    let decay = mul(
                        mul(u.alpha(), q("\\lambda", lambda)),
                        q(u.sym("w", p, t), u.params[p]),
                    );
                    worked.line(u.sym("\\tilde{w}", p, t), sub(weight, decay))
                })
                .collect();
            (&decayed, "\\tilde{w}")
        }
        None => (u.params, "w"),
    };
    let numerators: Vec<_> = u
        .indices()
        .map(|p| q(u.sym(v_name, p, t), v_used[p]))
        .collect();
    let denominators: Vec<_> = u
        .indices()
        .map(|p| u.root(q(u.sym(s_name, p, t), s_used[p]), config.epsilon))
        .collect();
    let decayed_update = Update {
        params,
        ..u.clone()
    };
    let weights = guarded_update(
        &decayed_update,
        weight_symbol,
        worked,
        &numerators,
        &denominators,
    );

    (
        weights,
        AdamState {
            first_moment,
            second_moment,
            max_second_moment,
            first_moment_corrected: first_corrected,
            second_moment_corrected: second_corrected,
            beta1_power,
            beta2_power,
        },
    )
}

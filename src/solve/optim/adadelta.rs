//! Adadelta (docs/contract.md §3; Zeiler 2012, "ADADELTA: an adaptive learning rate method", Algorithm 1).

use super::keys::{EPSILON, LEARNING_RATE};
use super::spec::{uses, Default, Hyperparameter, Interval, Kind, Resolved, Schema, Shown, Spec};
use super::{
    at, average_into, bias_corrected, correction, next_power, Accumulators, ConjugateStep, Name,
    Num, Optimize, Reading, Update,
};
use crate::solve::problem::SignConvention;
use crate::solve::symbol::{Const, Symbol};

pub const RHO: Hyperparameter = Hyperparameter {
    name: "rho",
    kind: Kind::Number(Interval::DECAY),
    description: "Adadelta's decay ρ of both running averages, s of the squared gradients \
                  and u of the squared steps Δ.",
    schema: Schema {
        description: "Adadelta's decay, in [0, 1); default 0.95.",
        example: None,
        named: None,
    },
};

/// Adadelta, with its hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adadelta {
    pub learning_rate: f64,
    pub rho: f64,
    pub epsilon: f64,
}

impl Optimize for Adadelta {
    const SPEC: Spec = Spec {
        name: "adadelta",
        title: "Adadelta",
        summary: "Zeiler's Adadelta: the step is the ratio of the running RMS of past updates \
                  to that of the gradients.",
        uses: &[
            uses(&LEARNING_RATE, Default::Number(1.0)),
            uses(&RHO, Default::Number(0.95)),
            uses(&EPSILON, Default::Number(1e-6)),
        ],
        update: &[
            "s_t = \\rho s_{t-1} + (1 - \\rho)\\, dw_t^2",
            "\\Delta_t = -\\frac{\\sqrt{\\hat{u}_{t-1} + \\epsilon}}{\\sqrt{\\hat{s}_t + \\epsilon}}\\, dw_t",
            "u_t = \\rho u_{t-1} + (1 - \\rho)\\, \\Delta_t^2",
            "w_{t+1} = w_t + \\alpha \\Delta_t",
        ],
        corrects: &[
            "s by 1 - rho^t",
            "u (as used at update t) by 1 - rho^(t-1); it is 0 at t = 1",
        ],
        root: Some("s"),
        ..Spec::ELEMENT_WISE
    };

    type State = AdadeltaState;

    fn resolve(values: &Resolved) -> Option<Self> {
        Some(Adadelta {
            learning_rate: values.number(&LEARNING_RATE)?,
            rho: values.number(&RHO)?,
            epsilon: values.number(&EPSILON)?,
        })
    }

    fn initial(&self, params: usize) -> AdadeltaState {
        AdadeltaState::new(params)
    }

    fn learning_rate_mut(&mut self) -> Option<&mut f64> {
        Some(&mut self.learning_rate)
    }

    fn shown(&self, number: &dyn Fn(f64) -> String) -> Vec<Shown> {
        vec![
            Shown::symbol("α", number(self.learning_rate)),
            Shown::symbol("ρ", number(self.rho)),
            Shown::symbol("ε", number(self.epsilon)),
        ]
    }

    /// Adadelta: `s ← ρ s + (1 − ρ) dw²`; `Δ = −√(u + ε) / √(s + ε) · g`;
    /// `u ← ρ u + (1 − ρ) Δ²`; `w ← w + α Δ`.
    fn step<R: Reading>(
        &self,
        state: &AdadeltaState,
        next: &mut AdadeltaState,
        u: &Update,
        r: &mut R,
        weights: &mut Vec<f64>,
    ) -> Option<ConjugateStep> {
        let rho = self.rho;
        next.previous_rho_power = state.rho_power;
        next.rho_power = r.round(next_power(state.rho_power, rho));
        average_into(
            u,
            r,
            &mut next.square_avg,
            &state.square_avg,
            (Name::S, "square_avg"),
            (Const::Rho, rho),
            |p| u.dw_q::<R::N>(p).square(),
        );
        correct(state, next, u, r);
        let mut deltas = std::mem::take(&mut next.deltas);
        self.deltas(state, next, u, r, &mut deltas);
        average_into(
            u,
            r,
            &mut next.delta_avg,
            &state.delta_avg,
            (Name::U, "delta_avg"),
            (Const::Rho, rho),
            |p| R::N::q(u.sym(Name::Delta, p, u.t), deltas[p]).square(),
        );
        for (p, slot) in weights.iter_mut().enumerate().take(u.params.len()) {
            let weight = R::N::q(u.sym(Name::W, p, u.t), u.param(p));
            let step = u.alpha::<R::N>() * R::N::q(u.sym(Name::Delta, p, u.t), deltas[p]);
            *slot = r.line(
                u.weight_pointer(p),
                u.sym(Name::W, p, u.t + 1),
                weight + step,
            );
        }
        next.deltas = deltas;
        None
    }
}

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
}

impl Accumulators for AdadeltaState {
    fn visit(
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

/// With bias correction, `ŝ = s / (1 − ρ^t)` and the `u` used at update `t`, updated `t − 1`
/// times, `û = u / (1 − ρ^(t−1))` (0 at `t = 1`, docs/contract.md §3.1); else neither.
fn correct<R: Reading>(state: &AdadeltaState, next: &mut AdadeltaState, u: &Update, r: &mut R) {
    bias_corrected(
        u,
        r,
        &mut next.square_avg_corrected,
        (Name::S, &next.square_avg),
        (Name::HatS, "square_avg_corrected"),
        (Const::Rho, next.rho_power),
    );
    if !u.bias_correction {
        next.previous_delta_avg_corrected = None;
        return;
    }
    let t = u.t;
    let u_hat = next
        .previous_delta_avg_corrected
        .get_or_insert_with(Vec::new);
    u_hat.clear();
    for p in u.indices() {
        let expr = if t <= 1 {
            R::N::lit(0.0)
        } else {
            R::N::q(u.sym(Name::U, p, t - 1), at(&state.delta_avg, p))
                / correction(Const::Rho, t - 1, next.previous_rho_power)
        };
        let value = r.line(
            u.state_pointer("previous_delta_avg_corrected", p),
            u.sym(Name::HatU, p, t - 1),
            expr,
        );
        u_hat.push(value);
    }
}

impl Adadelta {
    /// `Δ = −√(û + ε) / √(ŝ + ε) · dw` per parameter, into `deltas`; 0, with a warning, where
    /// the denominator is 0 (docs/contract.md §4).
    fn deltas<R: Reading>(
        &self,
        state: &AdadeltaState,
        next: &AdadeltaState,
        u: &Update,
        r: &mut R,
        deltas: &mut Vec<f64>,
    ) {
        let t = u.t;
        let q = |symbol: Symbol, value: f64| R::N::q(symbol, value);
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
            None => at(&state.delta_avg, p),
        };
        deltas.clear();
        for p in u.indices() {
            let numerator = u.root(q(u.sym(u_name, p, t - 1), u_used(p)), self.epsilon);
            let denominator = u.root(q(u.sym(s_name, p, t), s_used(p)), self.epsilon);
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
                let scaled = (numerator / denominator) * u.dw_q(p);
                // Δ is a change of weight: the same in both conventions, so it flips with dw's sign.
                let expr = match u.sign {
                    SignConvention::Gradient => -scaled,
                    SignConvention::Delta => scaled,
                };
                r.line(None, symbol, expr)
            };
            deltas.push(delta);
        }
    }
}

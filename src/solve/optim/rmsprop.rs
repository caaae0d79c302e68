//! RMSProp (docs/contract.md §3; the course's "RMSProp").

use super::keys::{BETA, EPSILON, LEARNING_RATE};
use super::spec::{uses, Default, Resolved, Shown, Spec};
use super::{
    at, average_into, bias_corrected, guarded_update, next_power, Accumulators, ConjugateStep,
    Name, Num, Optimize, Reading, Update,
};
use crate::solve::symbol::{Const, Symbol};

/// RMSProp, with its hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rmsprop {
    pub learning_rate: f64,
    pub beta: f64,
    pub epsilon: f64,
}

impl Optimize for Rmsprop {
    const SPEC: Spec = Spec {
        name: "rmsprop",
        title: "RMSProp",
        summary: "Divides each weight's step by the root of a moving average of its squared \
                  gradients.",
        uses: &[
            uses(&LEARNING_RATE, Default::Required),
            uses(&BETA, Default::Number(0.9)),
            uses(&EPSILON, Default::Number(1e-8)),
        ],
        update: &[
            "v_t = \\beta v_{t-1} + (1 - \\beta)\\, dw_t^2",
            "w_{t+1} = w_t - \\frac{\\alpha}{\\sqrt{\\hat{v}_t + \\epsilon}}\\, dw_t",
        ],
        corrects: &["v by 1 - beta^t"],
        root: Some("v"),
        ..Spec::ELEMENT_WISE
    };

    type State = RmspropState;

    fn resolve(values: &Resolved) -> Option<Self> {
        Some(Rmsprop {
            learning_rate: values.number(&LEARNING_RATE)?,
            beta: values.number(&BETA)?,
            epsilon: values.number(&EPSILON)?,
        })
    }

    fn initial(&self, params: usize) -> RmspropState {
        RmspropState::new(params)
    }

    fn learning_rate_mut(&mut self) -> Option<&mut f64> {
        Some(&mut self.learning_rate)
    }

    fn shown(&self, number: &dyn Fn(f64) -> String) -> Vec<Shown> {
        vec![
            Shown::symbol("α", number(self.learning_rate)),
            Shown::symbol("β", number(self.beta)),
            Shown::symbol("ε", number(self.epsilon)),
        ]
    }

    /// RMSProp: `v ← β v + (1 − β) dw²`; `w ← w − α dw / √(v̂ + ε)`.
    fn step<R: Reading>(
        &self,
        state: &RmspropState,
        next: &mut RmspropState,
        u: &Update,
        r: &mut R,
        weights: &mut Vec<f64>,
    ) -> Option<ConjugateStep> {
        let (beta, epsilon) = (self.beta, self.epsilon);
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
            |p| u.dw_q::<R::N>(p).square(),
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
            |p| u.dw_q(p),
            |p| u.root(q(u.sym(name, p, t), at(used, p)), epsilon),
        );
        None
    }
}

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
}

impl Accumulators for RmspropState {
    fn visit(
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

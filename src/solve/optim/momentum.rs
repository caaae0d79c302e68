//! Momentum and Nesterov momentum (docs/contract.md §3; the course's "Gradient Descent with Momentum").

use super::keys::{BETA, LEARNING_RATE};
use super::spec::{uses, Default, Hyperparameter, Kind, Resolved, Schema, Shown, Spec};
use super::{
    at, bias_corrected, moving_average, next_power, one_minus, Accumulators, ConjugateStep, Name,
    Num, Optimize, Reading, Update,
};
use crate::solve::problem::MomentumForm;
use crate::solve::symbol::{Const, Symbol};

pub const FORM: Hyperparameter = Hyperparameter {
    name: "form",
    kind: Kind::Choice(&["average", "sum"]),
    description: "How the velocity is written: `average` v ← βv + (1−β)dw, or `sum` \
                  v ← βv + dw.",
    schema: Schema {
        description: "Momentum / nesterov velocity form; default `average`.",
        example: None,
        named: Some((
            "MomentumForm",
            "How momentum's velocity is written (docs/contract.md §3).",
        )),
    },
};

const USES: &[super::spec::Uses] = &[
    uses(&LEARNING_RATE, Default::Required),
    uses(&BETA, Default::Number(0.9)),
    uses(&FORM, Default::Text("average")),
];

/// The velocity's rule, both forms, as the catalogue writes it.
const VELOCITY: &str =
    "v_t = \\beta v_{t-1} + (1 - \\beta)\\, dw_t \\quad (\\text{average}) \\qquad \
                        v_t = \\beta v_{t-1} + dw_t \\quad (\\text{sum})";

/// Momentum, with its hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Momentum {
    pub learning_rate: f64,
    pub beta: f64,
    pub form: MomentumForm,
}

/// Nesterov momentum: momentum's hyperparameters, and a look-ahead step.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nesterov {
    pub learning_rate: f64,
    pub beta: f64,
    pub form: MomentumForm,
}

/// `Optimize` for momentum and for Nesterov momentum: the same hyperparameters and state, and
/// one update, which `nesterov` makes the look-ahead one.
macro_rules! momentum_family {
    ($optimizer:ident, nesterov: $nesterov:expr, $spec:expr, $(#[$step:meta])+) => {
        impl Optimize for $optimizer {
            const SPEC: Spec = $spec;

            type State = MomentumState;

            fn resolve(values: &Resolved) -> Option<Self> {
                let form = match values.text(&FORM)? {
                    "average" => MomentumForm::Average,
                    "sum" => MomentumForm::Sum,
                    _ => return None,
                };
                Some($optimizer {
                    learning_rate: values.number(&LEARNING_RATE)?,
                    beta: values.number(&BETA)?,
                    form,
                })
            }

            fn initial(&self, params: usize) -> MomentumState {
                MomentumState::new(params)
            }

            fn learning_rate_mut(&mut self) -> Option<&mut f64> {
                Some(&mut self.learning_rate)
            }

            fn shown(&self, number: &dyn Fn(f64) -> String) -> Vec<Shown> {
                let (rule, brief) = match self.form {
                    MomentumForm::Average => ("average, v ← β v + (1 − β) dw", "average form"),
                    MomentumForm::Sum => ("sum, v ← β v + dw", "sum form"),
                };
                vec![
                    Shown::symbol("α", number(self.learning_rate)),
                    Shown::symbol("β", number(self.beta)),
                    Shown::item("form", rule.into(), Some(brief.into())),
                ]
            }

            $(#[$step])+
            fn step<R: Reading>(
                &self,
                state: &MomentumState,
                next: &mut MomentumState,
                u: &Update,
                r: &mut R,
                weights: &mut Vec<f64>,
            ) -> Option<ConjugateStep> {
                step(self.beta, self.form, $nesterov, state, next, u, r, weights);
                None
            }
        }
    };
}

momentum_family!(
    Momentum,
    nesterov: false,
    Spec {
        name: "momentum",
        title: "Momentum",
        summary: "Gradient descent on an exponentially weighted average of the gradients \
                  (the velocity).",
        uses: USES,
        update: &[VELOCITY, "w_{t+1} = w_t - \\alpha \\hat{v}_t"],
        corrects: &["v by 1 - beta^t"],
        ..Spec::ELEMENT_WISE
    },
    /// Momentum: `v ← β v + (1 − β) dw` (`average`) or `v ← β v + dw` (`sum`); `w ← w − α v̂`.
);

momentum_family!(
    Nesterov,
    nesterov: true,
    Spec {
        name: "nesterov",
        title: "Nesterov momentum",
        summary: "Momentum that steps along the velocity plus the current gradient (Nesterov's \
                  look-ahead, as PyTorch writes it).",
        uses: USES,
        update: &[
            VELOCITY,
            "d_t = \\beta \\hat{v}_t + (1 - \\beta)\\, dw_t \\quad (\\text{average}) \\qquad \
             d_t = \\beta \\hat{v}_t + dw_t \\quad (\\text{sum})",
            "w_{t+1} = w_t - \\alpha\\, d_t",
        ],
        corrects: &["v by 1 - beta^t (not the gradient term of the direction)"],
        ..Spec::ELEMENT_WISE
    },
    /// Nesterov: momentum's `v`, then `w ← w − α (β v̂ + (1 − β) dw)` (`average`) or
    /// `w ← w − α (β v̂ + dw)` (`sum`, as PyTorch).
);

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
}

impl Accumulators for MomentumState {
    fn visit(
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

/// Momentum's update, and with `nesterov` Nesterov's: `v`, its correction `v̂`, then the step
/// along `v̂` or along Nesterov's direction `d`.
#[allow(clippy::too_many_arguments)]
fn step<R: Reading>(
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
    let dw = |p: usize| u.dw_q::<R::N>(p);
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

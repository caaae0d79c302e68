//! NAdam: Adam with Nesterov momentum (docs/contract.md §3; Dozat 2016, "Incorporating Nesterov
//! Momentum into Adam"), as PyTorch's `torch.optim.NAdam` computes it, with its momentum-decay
//! schedule: the momentum's weight `μ_t = β₁ (1 − ½ · 0.96^(t ψ))` warms up towards `β₁`, and
//! the step looks ahead along the momentum.
//!
//! Bias correction: PyTorch always applies it; here it is the `bias_correction` flag (on by
//! default, as for Adam). On, the first moment is divided by `1 − Π_{t+1}` and the gradient's
//! term of the step by `1 − Π_t` (`Π_t = μ_1 ⋯ μ_t`, NAdam's correction of the first moment)
//! and the second moment by `1 − β₂^t`, which is PyTorch's update exactly. Off, no moment is
//! divided: the step keeps Nesterov's look-ahead, `d = μ_{t+1} v + (1 − μ_t) dw`, over `√s`.
//! ε goes where `conventions.epsilon` says, as for every algorithm: PyTorch's `√ŝ + ε` is
//! `outside_sqrt`.

use super::keys::{BETA1, BETA2, EPSILON, LEARNING_RATE};
use super::spec::{uses, Default, Hyperparameter, Interval, Kind, Resolved, Schema, Shown, Spec};
use super::{
    adam_moments, at, bias_corrected, guarded_update, next_power, Accumulators, ConjugateStep,
    Name, Num, Optimize, Reading, Update,
};
use crate::solve::symbol::{Const, Spelling, Symbol};

pub const MOMENTUM_DECAY: Hyperparameter = Hyperparameter {
    name: "momentum_decay",
    kind: Kind::Number(Interval::NON_NEGATIVE),
    description: "NAdam's momentum decay ψ: the momentum's weight μ_t = β₁ (1 − ½ · 0.96^(t ψ)) \
                  warms up towards β₁ the faster the larger ψ is.",
    schema: Schema {
        description: "NAdam's momentum decay ψ ≥ 0; default 0.004.",
        example: None,
        named: None,
    },
};

/// `μ_t`, the momentum's weight at update `t`.
const MU: Spelling = Spelling {
    tex: "\\mu",
    text: "μ",
};

/// `Π_t = μ_1 ⋯ μ_t`, the product that corrects the first moment.
const PI: Spelling = Spelling {
    tex: "\\Pi",
    text: "Π",
};

/// The momentum decay `ψ`.
const PSI: Spelling = Spelling {
    tex: "\\psi",
    text: "ψ",
};

/// NAdam, with its hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Nadam {
    pub learning_rate: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub epsilon: f64,
    /// `ψ`.
    pub momentum_decay: f64,
}

/// The moments per parameter, their corrections, `Π_t` and `β₂^t`.
#[derive(Debug, Clone, PartialEq)]
pub struct NadamState {
    pub first_moment: Vec<f64>,
    pub second_moment: Vec<f64>,
    pub first_moment_corrected: Option<Vec<f64>>,
    pub second_moment_corrected: Option<Vec<f64>>,
    /// `Π_t = μ_1 ⋯ μ_t` (1 before the first update, and without bias correction).
    pub mu_product: f64,
    /// `Π_{t+1} = Π_t μ_{t+1}`, the first moment's divisor at update `t`.
    pub next_mu_product: f64,
    pub beta2_power: f64,
    /// The last update's look-ahead directions (room reused from update to update).
    direction: Vec<f64>,
}

impl NadamState {
    pub fn new(n: usize) -> Self {
        NadamState {
            first_moment: vec![0.0; n],
            second_moment: vec![0.0; n],
            first_moment_corrected: None,
            second_moment_corrected: None,
            mu_product: 1.0,
            next_mu_product: 1.0,
            beta2_power: 1.0,
            direction: Vec::new(),
        }
    }
}

impl Accumulators for NadamState {
    fn visit(
        &self,
        entry: &mut impl FnMut(&'static str, &[f64]),
        factor: &mut impl FnMut(&'static str, f64),
    ) {
        entry("first_moment", &self.first_moment);
        entry("second_moment", &self.second_moment);
        if let Some(c) = &self.first_moment_corrected {
            entry("first_moment_corrected", c);
            factor("first_moment", 1.0 - self.next_mu_product);
        }
        if let Some(c) = &self.second_moment_corrected {
            entry("second_moment_corrected", c);
            factor("second_moment", 1.0 - self.beta2_power);
        }
    }
}

impl Optimize for Nadam {
    const SPEC: Spec = Spec {
        name: "nadam",
        title: "NAdam",
        summary: "Adam with Nesterov momentum (Dozat's NAdam, as PyTorch computes it): the step \
                  looks ahead along the momentum, whose weight μ_t warms up by the \
                  momentum-decay schedule.",
        uses: &[
            uses(&LEARNING_RATE, Default::Number(0.002)),
            uses(&BETA1, Default::Number(0.9)),
            uses(&BETA2, Default::Number(0.999)),
            uses(&EPSILON, Default::Number(1e-8)),
            uses(&MOMENTUM_DECAY, Default::Number(0.004)),
        ],
        update: &[
            "\\mu_t = \\beta_1 \\left(1 - \\tfrac{1}{2}\\, 0.96^{t \\psi}\\right), \\quad \
             \\Pi_t = \\Pi_{t-1}\\, \\mu_t, \\quad \\Pi_0 = 1",
            "v_t = \\beta_1 v_{t-1} + (1 - \\beta_1)\\, dw_t, \\quad \
             s_t = \\beta_2 s_{t-1} + (1 - \\beta_2)\\, dw_t^2",
            "\\hat{v}_t = \\frac{v_t}{1 - \\Pi_{t+1}}, \\quad \
             \\hat{s}_t = \\frac{s_t}{1 - \\beta_2^t}",
            "d_t = \\mu_{t+1} \\hat{v}_t + \\frac{(1 - \\mu_t)\\, dw_t}{1 - \\Pi_t}",
            "w_{t+1} = w_t - \\frac{\\alpha\\, d_t}{\\sqrt{\\hat{s}_t + \\epsilon}}",
        ],
        corrects: &[
            "v by 1 - Pi_(t+1), and the gradient term of d by 1 - Pi_t (Pi_t = mu_1 ... mu_t)",
            "s by 1 - beta2^t",
        ],
        bias_correction_default: true,
        root: Some("s"),
        ..Spec::ELEMENT_WISE
    };

    type State = NadamState;

    fn resolve(values: &Resolved) -> Option<Self> {
        Some(Nadam {
            learning_rate: values.number(&LEARNING_RATE)?,
            beta1: values.number(&BETA1)?,
            beta2: values.number(&BETA2)?,
            epsilon: values.number(&EPSILON)?,
            momentum_decay: values.number(&MOMENTUM_DECAY)?,
        })
    }

    fn initial(&self, params: usize) -> NadamState {
        NadamState::new(params)
    }

    fn learning_rate_mut(&mut self) -> Option<&mut f64> {
        Some(&mut self.learning_rate)
    }

    fn shown(&self, number: &dyn Fn(f64) -> String) -> Vec<Shown> {
        vec![
            Shown::symbol("α", number(self.learning_rate)),
            Shown::symbol("β₁", number(self.beta1)),
            Shown::symbol("β₂", number(self.beta2)),
            Shown::symbol("ε", number(self.epsilon)),
            Shown::symbol("ψ", number(self.momentum_decay)),
        ]
    }

    /// NAdam (PyTorch's `NAdam`):
    /// `μ_t = β₁ (1 − ½ · 0.96^(t ψ))`, `μ_{t+1}` likewise, `Π_t = Π_{t−1} μ_t`;
    /// `v ← β₁ v + (1 − β₁) dw`; `s ← β₂ s + (1 − β₂) dw²`;
    /// `v̂ = v / (1 − Π_{t+1})` (`Π_{t+1} = Π_t μ_{t+1}`), `ŝ = s / (1 − β₂^t)`;
    /// `d = μ_{t+1} v̂ + (1 − μ_t) dw / (1 − Π_t)`; `w ← w − α d / √(ŝ + ε)`.
    fn step<R: Reading>(
        &self,
        state: &NadamState,
        next: &mut NadamState,
        u: &Update,
        r: &mut R,
        weights: &mut Vec<f64>,
    ) -> Option<ConjugateStep> {
        let t = u.t;
        let q = |symbol: Symbol, value: f64| R::N::q(symbol, value);
        let (mu, mu_next) = (self.mu(r, t), self.mu(r, t + 1));
        self.products(state, next, u, r, (mu, mu_next));
        adam_moments(
            u,
            r,
            (&mut next.first_moment, &mut next.second_moment),
            (&state.first_moment, &state.second_moment),
            (self.beta1, self.beta2),
        );
        next.beta2_power = r.round(next_power(state.beta2_power, self.beta2));
        first_moment_corrected(next, u, r);
        bias_corrected(
            u,
            r,
            &mut next.second_moment_corrected,
            (Name::S, &next.second_moment),
            (Name::HatS, "second_moment_corrected"),
            (Const::Beta2, next.beta2_power),
        );
        let mut direction = std::mem::take(&mut next.direction);
        look_ahead(next, u, r, (mu, mu_next), &mut direction);
        let (s_name, s_used) = match &next.second_moment_corrected {
            Some(c) => (Name::HatS, c),
            None => (Name::S, &next.second_moment),
        };
        guarded_update(
            u,
            (Name::W, u.params),
            r,
            weights,
            |p| q(u.sym(Name::D, p, t), at(&direction, p)),
            |p| u.root(q(u.sym(s_name, p, t), at(s_used, p)), self.epsilon),
        );
        next.direction = direction;
        None
    }
}

impl Nadam {
    /// The line `μ_n = β₁ (1 − ½ · 0.96^(n ψ))`, and its value.
    fn mu<R: Reading>(&self, r: &mut R, n: u64) -> f64 {
        let q = |symbol: Symbol, value: f64| R::N::q(symbol, value);
        let exponent = R::N::lit(n as f64) * q(Symbol::Spelled(&PSI), self.momentum_decay);
        // `/ 2` reads better than `0.5 ×` before a power, and is the same number.
        let warm = R::N::lit(1.0) - R::N::lit(0.96).pow(exponent) / R::N::lit(2.0);
        r.line(
            None,
            Symbol::SpelledAt(&MU, n),
            q(Symbol::Const(Const::Beta1), self.beta1) * warm,
        )
    }

    /// With bias correction, the lines `Π_t = Π_{t−1} μ_t` and `Π_{t+1} = Π_t μ_{t+1}`.
    fn products<R: Reading>(
        &self,
        state: &NadamState,
        next: &mut NadamState,
        u: &Update,
        r: &mut R,
        (mu, mu_next): (f64, f64),
    ) {
        let t = u.t;
        if !u.bias_correction {
            next.mu_product = state.mu_product;
            next.next_mu_product = state.next_mu_product;
            return;
        }
        let q = |symbol: Symbol, value: f64| R::N::q(symbol, value);
        let product = |n: u64, previous: f64, mu: f64| {
            q(Symbol::SpelledAt(&PI, n - 1), previous) * q(Symbol::SpelledAt(&MU, n), mu)
        };
        next.mu_product = r.line(
            None,
            Symbol::SpelledAt(&PI, t),
            product(t, state.mu_product, mu),
        );
        next.next_mu_product = r.line(
            None,
            Symbol::SpelledAt(&PI, t + 1),
            product(t + 1, next.mu_product, mu_next),
        );
    }
}

/// With bias correction, `v̂ = v / (1 − Π_{t+1})` per parameter (NAdam's correction of the
/// first moment), else `None`.
fn first_moment_corrected<R: Reading>(next: &mut NadamState, u: &Update, r: &mut R) {
    if !u.bias_correction {
        next.first_moment_corrected = None;
        return;
    }
    let t = u.t;
    let divisor = R::N::lit(1.0) - R::N::q(Symbol::SpelledAt(&PI, t + 1), next.next_mu_product);
    let room = next.first_moment_corrected.get_or_insert_with(Vec::new);
    room.clear();
    for p in u.indices() {
        let expr = R::N::q(u.sym(Name::V, p, t), at(&next.first_moment, p)) / divisor;
        room.push(r.line(
            u.state_pointer("first_moment_corrected", p),
            u.sym(Name::HatV, p, t),
            expr,
        ));
    }
}

/// Nesterov's look-ahead, `d = μ_{t+1} v̂ + (1 − μ_t) dw / (1 − Π_t)` per parameter into
/// `direction` (without bias correction `μ_{t+1} v + (1 − μ_t) dw`).
fn look_ahead<R: Reading>(
    next: &NadamState,
    u: &Update,
    r: &mut R,
    (mu, mu_next): (f64, f64),
    direction: &mut Vec<f64>,
) {
    let t = u.t;
    let q = |symbol: Symbol, value: f64| R::N::q(symbol, value);
    let (v_name, v_used) = match &next.first_moment_corrected {
        Some(c) => (Name::HatV, c),
        None => (Name::V, &next.first_moment),
    };
    direction.clear();
    for p in u.indices() {
        let momentum = q(Symbol::SpelledAt(&MU, t + 1), mu_next) * q(u.sym(v_name, p, t), v_used[p]);
        let mut gradient =
            (R::N::lit(1.0) - q(Symbol::SpelledAt(&MU, t), mu)) * u.dw_q::<R::N>(p);
        if u.bias_correction {
            gradient = gradient
                / (R::N::lit(1.0) - q(Symbol::SpelledAt(&PI, t), next.mu_product));
        }
        direction.push(r.line(None, u.sym(Name::D, p, t), momentum + gradient));
    }
}

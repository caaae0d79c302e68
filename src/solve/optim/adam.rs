//! Adam and its kin: AdamW (decoupled weight decay) and AMSGrad (docs/contract.md §3; the course's "Adam").

use super::keys::{BETA1, BETA2, EPSILON, LEARNING_RATE};
use super::spec::{
    uses, Default, Hyperparameter, Interval, Kind, Resolved, Schema, Shown, Spec, Uses,
};
use super::{
    adam_moments, at, bias_corrected, guarded_update, next_power, Accumulators, ConjugateStep,
    Name, Num, Optimize, Reading, Update,
};
use crate::solve::symbol::{Const, Symbol};

pub const WEIGHT_DECAY: Hyperparameter = Hyperparameter {
    name: "weight_decay",
    kind: Kind::Number(Interval::NON_NEGATIVE),
    description: "AdamW's decoupled weight decay λ: `w̃ = w − α λ w`, then the Adam step \
                  from w̃.",
    schema: Schema {
        description: "AdamW's decoupled weight decay λ ≥ 0; default 0.01.",
        example: None,
        named: None,
    },
};

const ADAM_USES: &[Uses] = &[
    uses(&LEARNING_RATE, Default::Required),
    uses(&BETA1, Default::Number(0.9)),
    uses(&BETA2, Default::Number(0.999)),
    uses(&EPSILON, Default::Number(1e-8)),
];

/// The moments' rules, as the catalogue writes them.
const FIRST_MOMENT: &str = "v_t = \\beta_1 v_{t-1} + (1 - \\beta_1)\\, dw_t";
const ADAM_STEP: &str =
    "w_{t+1} = w_t - \\frac{\\alpha\\, \\hat{v}_t}{\\sqrt{\\hat{s}_t + \\epsilon}}";

/// Adam, with its hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adam {
    pub learning_rate: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub epsilon: f64,
}

/// AdamW: Adam's hyperparameters and the decoupled weight decay `λ`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AdamW {
    pub learning_rate: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub epsilon: f64,
    pub weight_decay: f64,
}

/// AMSGrad: Adam's hyperparameters, dividing by the largest second moment so far.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Amsgrad {
    pub learning_rate: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub epsilon: f64,
}

/// What the family's one update needs to know of its member.
#[derive(Debug, Clone, Copy, PartialEq)]
struct AdamConfig {
    beta1: f64,
    beta2: f64,
    epsilon: f64,
    /// AdamW's `λ`.
    weight_decay: Option<f64>,
    /// AMSGrad: divide by the running maximum of `s`.
    amsgrad: bool,
}

/// `Optimize` for a member of the family: Adam's four hyperparameters (and any `extra`, each
/// with its key and symbol), its state, and the family's update as `config` makes it.
macro_rules! adam_family {
    (
        $optimizer:ident { $($extra:ident: $key:path, $symbol:literal),* },
        $config:expr,
        $spec:expr,
        $(#[$step:meta])+
    ) => {
        impl Optimize for $optimizer {
            const SPEC: Spec = $spec;

            type State = AdamState;

            fn resolve(values: &Resolved) -> Option<Self> {
                Some($optimizer {
                    learning_rate: values.number(&LEARNING_RATE)?,
                    beta1: values.number(&BETA1)?,
                    beta2: values.number(&BETA2)?,
                    epsilon: values.number(&EPSILON)?,
                    $($extra: values.number(&$key)?,)*
                })
            }

            fn initial(&self, params: usize) -> AdamState {
                AdamState::new(params)
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
                    $(Shown::symbol($symbol, number(self.$extra)),)*
                ]
            }

            $(#[$step])+
            fn step<R: Reading>(
                &self,
                state: &AdamState,
                next: &mut AdamState,
                u: &Update,
                r: &mut R,
                weights: &mut Vec<f64>,
            ) -> Option<ConjugateStep> {
                let config: fn(&Self) -> AdamConfig = $config;
                step(&config(self), state, next, u, r, weights);
                None
            }
        }
    };
}

adam_family!(
    Adam {},
    |o| AdamConfig {
        beta1: o.beta1,
        beta2: o.beta2,
        epsilon: o.epsilon,
        weight_decay: None,
        amsgrad: false,
    },
    Spec {
        name: "adam",
        title: "Adam",
        summary: "RMSProp with momentum: moving averages of the gradients and of their squares.",
        uses: ADAM_USES,
        update: &[
            FIRST_MOMENT,
            "s_t = \\beta_2 s_{t-1} + (1 - \\beta_2)\\, dw_t^2",
            "\\hat{v}_t = \\frac{v_t}{1 - \\beta_1^t}, \\quad \\hat{s}_t = \\frac{s_t}{1 - \\beta_2^t}",
            ADAM_STEP,
        ],
        corrects: &["v by 1 - beta1^t", "s by 1 - beta2^t"],
        bias_correction_default: true,
        root: Some("s"),
        ..Spec::ELEMENT_WISE
    },
    /// Adam: `v ← β₁ v + (1 − β₁) dw`; `s ← β₂ s + (1 − β₂) dw²`; `w ← w − α v̂ / √(ŝ + ε)`.
);

adam_family!(
    AdamW { weight_decay: WEIGHT_DECAY, "λ" },
    |o| AdamConfig {
        beta1: o.beta1,
        beta2: o.beta2,
        epsilon: o.epsilon,
        weight_decay: Some(o.weight_decay),
        amsgrad: false,
    },
    Spec {
        name: "adamw",
        title: "AdamW",
        summary: "Adam with decoupled weight decay (the bias decays too, as in PyTorch).",
        uses: &[
            uses(&LEARNING_RATE, Default::Required),
            uses(&BETA1, Default::Number(0.9)),
            uses(&BETA2, Default::Number(0.999)),
            uses(&EPSILON, Default::Number(1e-8)),
            uses(&WEIGHT_DECAY, Default::Number(0.01)),
        ],
        update: &[
            "\\tilde{w}_t = w_t - \\alpha \\lambda w_t",
            "v_t = \\beta_1 v_{t-1} + (1 - \\beta_1)\\, dw_t, \\quad \
             s_t = \\beta_2 s_{t-1} + (1 - \\beta_2)\\, dw_t^2 \\quad (dw_t \\text{ taken before the decay})",
            "w_{t+1} = \\tilde{w}_t - \\frac{\\alpha\\, \\hat{v}_t}{\\sqrt{\\hat{s}_t + \\epsilon}}",
        ],
        corrects: &["v by 1 - beta1^t", "s by 1 - beta2^t"],
        bias_correction_default: true,
        root: Some("s"),
        ..Spec::ELEMENT_WISE
    },
    /// AdamW: first the decoupled decay `w̃ ← w − α λ w`, then Adam's step from `w̃`.
);

adam_family!(
    Amsgrad {},
    |o| AdamConfig {
        beta1: o.beta1,
        beta2: o.beta2,
        epsilon: o.epsilon,
        weight_decay: None,
        amsgrad: true,
    },
    Spec {
        name: "amsgrad",
        title: "AMSGrad",
        summary: "Adam that divides by the largest second moment seen so far.",
        uses: ADAM_USES,
        update: &[
            FIRST_MOMENT,
            "s_t = \\beta_2 s_{t-1} + (1 - \\beta_2)\\, dw_t^2, \\quad \
             s^{max}_t = \\max(s^{max}_{t-1}, s_t)",
            "\\hat{v}_t = \\frac{v_t}{1 - \\beta_1^t}, \\quad \\hat{s}_t = \\frac{s^{max}_t}{1 - \\beta_2^t}",
            ADAM_STEP,
        ],
        corrects: &["v by 1 - beta1^t", "s^max by 1 - beta2^t"],
        bias_correction_default: true,
        root: Some("s^max"),
        ..Spec::ELEMENT_WISE
    },
    /// AMSGrad: Adam with `s_max ← max(s_max, s)` in place of `s` under the root.
);

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
    /// AdamW's decayed weights of the last update (room reused from update to update).
    decayed: Vec<f64>,
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
            decayed: Vec::new(),
        }
    }
}

impl Accumulators for AdamState {
    fn visit(
        &self,
        entry: &mut impl FnMut(&'static str, &[f64]),
        factor: &mut impl FnMut(&'static str, f64),
    ) {
        entry("first_moment", &self.first_moment);
        entry("second_moment", &self.second_moment);
        if let Some(m) = &self.max_second_moment {
            entry("max_second_moment", m);
        }
        if let Some(c) = &self.first_moment_corrected {
            entry("first_moment_corrected", c);
            factor("first_moment", 1.0 - self.beta1_power);
        }
        if let Some(c) = &self.second_moment_corrected {
            let (name, corrected) = if self.max_second_moment.is_some() {
                ("max_second_moment", "max_second_moment_corrected")
            } else {
                ("second_moment", "second_moment_corrected")
            };
            entry(corrected, c);
            factor(name, 1.0 - self.beta2_power);
        }
    }
}

/// `target` refilled by `fill` when `wanted` (its room reused), else `None`. In place: moving
/// the vector out and back stalled on its own copy, the costliest line of a summary's update.
fn optional(target: &mut Option<Vec<f64>>, wanted: bool, fill: impl FnOnce(&mut Vec<f64>)) {
    if wanted {
        let room = target.get_or_insert_with(Vec::new);
        room.clear();
        fill(room);
    } else {
        *target = None;
    }
}

/// The family's update: the moments (and AMSGrad's maximum), their corrections, AdamW's decay,
/// then `w ← w − α v̂ / √(ŝ + ε)`.
fn step<R: Reading>(
    config: &AdamConfig,
    state: &AdamState,
    next: &mut AdamState,
    u: &Update,
    r: &mut R,
    weights: &mut [f64],
) {
    let t = u.t;
    let q = |symbol: Symbol, value: f64| R::N::q(symbol, value);
    next.beta1_power = r.round(next_power(state.beta1_power, config.beta1));
    next.beta2_power = r.round(next_power(state.beta2_power, config.beta2));
    moments(config, state, next, u, r);
    corrections(config, next, u, r);
    let (v_name, v_used): (Name, &[f64]) = match &next.first_moment_corrected {
        Some(c) => (Name::HatV, c),
        None => (Name::V, &next.first_moment),
    };
    let s_raw = if config.amsgrad { Name::SMax } else { Name::S };
    let (s_name, s_used): (Name, &[f64]) = match &next.second_moment_corrected {
        Some(c) => (Name::HatS, c),
        None => (
            s_raw,
            next.max_second_moment
                .as_ref()
                .unwrap_or(&next.second_moment),
        ),
    };

    // AdamW's decoupled decay acts on the weights before the Adam step; the gradient was taken
    // before it.
    let mut decayed = std::mem::take(&mut next.decayed);
    let (params, weight_name): (&[f64], Name) = match config.weight_decay {
        Some(lambda) => {
            decayed.clear();
            for p in u.indices() {
                let weight = q(u.sym(Name::W, p, t), u.param(p));
                let decay = (u.alpha::<R::N>() * q(Symbol::Const(Const::Lambda), lambda))
                    * q(u.sym(Name::W, p, t), u.param(p));
                decayed.push(r.line(None, u.sym(Name::TildeW, p, t), weight - decay));
            }
            (&decayed, Name::TildeW)
        }
        None => (u.params, Name::W),
    };
    guarded_update(
        u,
        (weight_name, params),
        r,
        weights,
        |p| q(u.sym(v_name, p, t), at(v_used, p)),
        |p| u.root(q(u.sym(s_name, p, t), at(s_used, p)), config.epsilon),
    );
    next.decayed = decayed;
}

/// `v ← β₁ v + (1 − β₁) dw`, `s ← β₂ s + (1 − β₂) dw²`, and AMSGrad's `s_max ← max(s_max, s)`.
fn moments<R: Reading>(
    config: &AdamConfig,
    state: &AdamState,
    next: &mut AdamState,
    u: &Update,
    r: &mut R,
) {
    let t = u.t;
    let q = |symbol: Symbol, value: f64| R::N::q(symbol, value);
    adam_moments(
        u,
        r,
        (&mut next.first_moment, &mut next.second_moment),
        (&state.first_moment, &state.second_moment),
        (config.beta1, config.beta2),
    );
    let second_moment = &next.second_moment;
    optional(&mut next.max_second_moment, config.amsgrad, |room| {
        for p in u.indices() {
            let previous = state.max_second_moment.as_ref().map_or(0.0, |m| at(m, p));
            let expr = q(u.sym(Name::SMax, p, t - 1), previous)
                .max(q(u.sym(Name::S, p, t), second_moment[p]));
            let value = r.line(
                u.state_pointer("max_second_moment", p),
                u.sym(Name::SMax, p, t),
                expr,
            );
            room.push(value);
        }
    });
}

/// With bias correction, `v̂ = v / (1 − β₁^t)` and `ŝ = s / (1 − β₂^t)` (AMSGrad's of `s_max`).
fn corrections<R: Reading>(config: &AdamConfig, next: &mut AdamState, u: &Update, r: &mut R) {
    bias_corrected(
        u,
        r,
        &mut next.first_moment_corrected,
        (Name::V, &next.first_moment),
        (Name::HatV, "first_moment_corrected"),
        (Const::Beta1, next.beta1_power),
    );
    let s_name = if config.amsgrad { Name::SMax } else { Name::S };
    let (s_used, corrected_name) = match &next.max_second_moment {
        Some(max) => (max, "max_second_moment_corrected"),
        None => (&next.second_moment, "second_moment_corrected"),
    };
    bias_corrected(
        u,
        r,
        &mut next.second_moment_corrected,
        (s_name, s_used),
        (Name::HatS, corrected_name),
        (Const::Beta2, next.beta2_power),
    );
}

//! Adam and its kin: AdamW (decoupled weight decay) and AMSGrad (docs/contract.md §3; the course's "Adam").

use super::{
    at, average_into, bias_corrected, guarded_update, next_power, Name, Num, Reading, Update,
};
use crate::solve::problem::Optimizer;
use crate::solve::symbol::{Const, Symbol};

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

    pub fn visit(
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

/// Adam: `v ← β₁ v + (1 − β₁) dw`; `s ← β₂ s + (1 − β₂) dw²`; `w ← w − α v̂ / √(ŝ + ε)`.
/// AdamW first decays `w ← w − α λ w`; AMSGrad uses `s_max ← max(s_max, s)` in place of `s`.
pub fn step<R: Reading>(
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
    let dw = |p: usize| q(u.sym(Name::Dw, p, t), u.dw(p));

    average_into(
        u,
        r,
        &mut next.first_moment,
        &state.first_moment,
        (Name::V, "first_moment"),
        (Const::Beta1, config.beta1),
        dw,
    );
    average_into(
        u,
        r,
        &mut next.second_moment,
        &state.second_moment,
        (Name::S, "second_moment"),
        (Const::Beta2, config.beta2),
        |p| dw(p).square(),
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
    let s_name = if config.amsgrad { Name::SMax } else { Name::S };

    bias_corrected(
        u,
        r,
        &mut next.first_moment_corrected,
        (Name::V, &next.first_moment),
        (Name::HatV, "first_moment_corrected"),
        (Const::Beta1, next.beta1_power),
    );
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
    let (v_name, v_used): (Name, &[f64]) = match &next.first_moment_corrected {
        Some(c) => (Name::HatV, c),
        None => (Name::V, &next.first_moment),
    };
    let (s_name, s_used): (Name, &[f64]) = match &next.second_moment_corrected {
        Some(c) => (Name::HatS, c),
        None => (
            s_name,
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

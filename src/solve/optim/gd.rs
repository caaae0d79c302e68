//! Gradient descent: `w ← w − α g` (docs/contract.md §3).

use super::keys::LEARNING_RATE;
use super::spec::{uses, Default, Resolved, Shown, Spec};
use super::{ConjugateStep, Name, NoState, Num, Optimize, Reading, Update};

/// Gradient descent, with its one hyperparameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gd {
    pub learning_rate: f64,
}

impl Optimize for Gd {
    const SPEC: Spec = Spec {
        name: "gd",
        title: "Gradient descent",
        summary: "Plain gradient descent.",
        uses: &[uses(&LEARNING_RATE, Default::Required)],
        update: &["w_{t+1} = w_t - \\alpha\\, dw_t"],
        ..Spec::ELEMENT_WISE
    };

    type State = NoState;

    fn resolve(values: &Resolved) -> Option<Self> {
        Some(Gd {
            learning_rate: values.number(&LEARNING_RATE)?,
        })
    }

    fn initial(&self, _: usize) -> NoState {
        NoState
    }

    fn learning_rate_mut(&mut self) -> Option<&mut f64> {
        Some(&mut self.learning_rate)
    }

    fn shown(&self, number: &dyn Fn(f64) -> String) -> Vec<Shown> {
        vec![Shown::symbol("α", number(self.learning_rate))]
    }

    /// Gradient descent: `(w_i)_{t+1} = (w_i)_t − α (dw_i)_t`.
    fn step<R: Reading>(
        &self,
        _: &NoState,
        _: &mut NoState,
        u: &Update,
        r: &mut R,
        weights: &mut Vec<f64>,
    ) -> Option<ConjugateStep> {
        for (p, slot) in weights.iter_mut().enumerate().take(u.params.len()) {
            let weight = R::N::q(u.sym(Name::W, p, u.t), u.param(p));
            *slot = r.line(
                u.weight_pointer(p),
                u.sym(Name::W, p, u.t + 1),
                u.apply(weight, u.alpha::<R::N>() * u.dw_q::<R::N>(p)),
            );
        }
        None
    }
}

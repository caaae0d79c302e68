//! Gradient descent: `w ← w − α g` (docs/contract.md §3).

use super::{Name, Num, Reading, Update};

/// Gradient descent: `(w_i)_{t+1} = (w_i)_t − α (dw_i)_t`.
pub fn step<R: Reading>(u: &Update, r: &mut R, weights: &mut [f64]) {
    for (p, slot) in weights.iter_mut().enumerate().take(u.params.len()) {
        let weight = R::N::q(u.sym(Name::W, p, u.t), u.param(p));
        let dw = R::N::q(u.sym(Name::Dw, p, u.t), u.dw(p));
        *slot = r.line(
            u.weight_pointer(p),
            u.sym(Name::W, p, u.t + 1),
            u.apply(weight, u.alpha::<R::N>() * dw),
        );
    }
}

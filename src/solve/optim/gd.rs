//! Gradient descent: `w ← w − α g` (docs/contract.md §3).

use super::{mul, q, Update, Worked};

/// Gradient descent: `(w_i)_{t+1} = (w_i)_t − α (dw_i)_t`.
pub fn step(u: &Update, worked: &mut Worked) -> Vec<f64> {
    u.indices()
        .map(|p| {
            let weight = q(u.sym("w", p, u.t), u.params[p]);
            let dw = q(u.sym("dw", p, u.t), u.dw[p]);
            worked.line_at(
                u.weight_pointer(p),
                u.sym("w", p, u.t + 1),
                u.apply(weight, mul(u.alpha(), dw)),
            )
        })
        .collect()
}

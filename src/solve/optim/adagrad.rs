//! Adagrad (docs/contract.md §3; the course's "Adagrad"), with the course's windowed variant.

use std::collections::VecDeque;

use super::{at, guarded_update, Name, Num, Reading, Update};
use crate::solve::expr::sum;
use crate::solve::symbol::{Const, Symbol};

/// The running sum of squared gradients per parameter (the course's cache `v`).
#[derive(Debug, Clone, PartialEq)]
pub struct AdagradState {
    pub square_sum: Vec<f64>,
    pub initial_accumulator: f64,
    /// The gradients still inside the window, oldest first, each with its update `t`.
    pub window: VecDeque<(u64, Vec<f64>)>,
}

impl AdagradState {
    pub fn new(n: usize, initial_accumulator: f64) -> Self {
        AdagradState {
            square_sum: vec![initial_accumulator; n],
            initial_accumulator,
            window: VecDeque::new(),
        }
    }

    pub fn visit(&self, entry: &mut impl FnMut(&'static str, &[f64])) {
        entry("square_sum", &self.square_sum);
    }
}

/// Adagrad: `v ← v + dw²` (with a window W: `v = v₀ + Σ` of the last W `dw²`);
/// `w ← w − α dw / √(v + ε)`.
pub fn step<R: Reading>(
    epsilon: f64,
    window: Option<usize>,
    state: &AdagradState,
    next: &mut AdagradState,
    u: &Update,
    r: &mut R,
    weights: &mut [f64],
) {
    let t = u.t;
    let q = |symbol: Symbol, value: f64| R::N::q(symbol, value);
    next.initial_accumulator = state.initial_accumulator;
    match window {
        Some(w) => {
            next.window.clone_from(&state.window);
            next.window.push_back((t, u.dw.to_vec()));
            while next.window.len() > w {
                next.window.pop_front();
            }
        }
        None => next.window.clear(),
    }
    next.square_sum.clear();
    for p in u.indices() {
        let expr = match window {
            None => {
                q(u.sym(Name::V, p, t - 1), at(&state.square_sum, p))
                    + q(u.sym(Name::Dw, p, t), u.dw(p)).square()
            }
            Some(_) => {
                let initial = q(Symbol::Const(Const::V0), state.initial_accumulator);
                let recent = next
                    .window
                    .iter()
                    .map(|(time, dws)| q(u.sym(Name::Dw, p, *time), at(dws, p)).square());
                sum(std::iter::once(initial).chain(recent))
            }
        };
        let v = r.line(u.state_pointer("square_sum", p), u.sym(Name::V, p, t), expr);
        next.square_sum.push(v);
    }

    let square_sum = &next.square_sum;
    guarded_update(
        u,
        (Name::W, u.params),
        r,
        weights,
        |p| q(u.sym(Name::Dw, p, t), u.dw(p)),
        |p| u.root(q(u.sym(Name::V, p, t), at(square_sum, p)), epsilon),
    );
}

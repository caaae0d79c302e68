//! Adagrad (docs/contract.md §3; the course's "Adagrad"), with the course's windowed variant.

use std::collections::{BTreeMap, VecDeque};

use super::{guarded_update, q, Update, Worked};
use crate::solve::expr::{add, square, sum};

/// The running sum of squared gradients per parameter (the course's cache `v`).
#[derive(Debug, Clone, PartialEq)]
pub struct AdagradState {
    pub square_sum: Vec<f64>,
    pub initial_accumulator: f64,
    /// The squared gradients still inside the window, oldest first, each with its update `t`.
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

    pub fn record(&self, state: &mut BTreeMap<String, Vec<f64>>) {
        state.insert("square_sum".into(), self.square_sum.clone());
    }
}

/// Adagrad: `v ← v + dw²` (with a window W: `v = v₀ + Σ` of the last W `dw²`);
/// `w ← w − α dw / √(v + ε)`.
pub fn step(
    epsilon: f64,
    window: Option<usize>,
    state: &AdagradState,
    u: &Update,
    worked: &mut Worked,
) -> (Vec<f64>, AdagradState) {
    let t = u.t;
    let mut recent = state.window.clone();
    recent.push_back((t, u.dw.to_vec()));
    if let Some(w) = window {
        while recent.len() > w {
            recent.pop_front();
        }
    }
    let square_sum: Vec<f64> = u
        .indices()
        .map(|p| {
            let expr = match window {
                None => add(
                    q(
                        u.sym("v", p, t - 1),
                        state.square_sum.get(p).copied().unwrap_or(0.0),
                    ),
                    square(q(u.sym("dw", p, t), u.dw[p])),
                ),
                Some(_) => {
                    let mut terms = vec![q("v_{0}", state.initial_accumulator)];
                    terms.extend(recent.iter().map(|(time, dws)| {
                        square(q(u.sym("dw", p, *time), dws.get(p).copied().unwrap_or(0.0)))
                    }));
                    sum(terms)
                }
            };
            worked.line_at(u.state_pointer("square_sum", p), u.sym("v", p, t), expr)
        })
        .collect();

    let numerators: Vec<_> = u.indices().map(|p| q(u.sym("dw", p, t), u.dw[p])).collect();
    let denominators: Vec<_> = u
        .indices()
        .map(|p| u.root(q(u.sym("v", p, t), square_sum[p]), epsilon))
        .collect();
    let weights = guarded_update(u, "w", worked, &numerators, &denominators);

    (
        weights,
        AdagradState {
            square_sum,
            initial_accumulator: state.initial_accumulator,
            window: if window.is_some() {
                recent
            } else {
                VecDeque::new()
            },
        },
    )
}

//! Adagrad (docs/contract.md §3; the course's "Adagrad"), with the course's windowed variant.

use std::collections::VecDeque;

use super::keys::{EPSILON, LEARNING_RATE};
use super::spec::{uses, Default, Hyperparameter, Interval, Kind, Resolved, Schema, Shown, Spec};
use super::{
    at, guarded_update, Accumulators, ConjugateStep, Name, Num, Optimize, Reading, Update,
};
use crate::solve::expr::sum;
use crate::solve::symbol::{Const, Symbol};

pub const INITIAL_ACCUMULATOR: Hyperparameter = Hyperparameter {
    name: "initial_accumulator",
    kind: Kind::Number(Interval::NON_NEGATIVE),
    description: "Adagrad's starting value v₀ of the sum v of squared gradients.",
    schema: Schema {
        description: "Adagrad's starting sum v₀ ≥ 0; default 0.",
        example: None,
        named: None,
    },
};

pub const WINDOW: Hyperparameter = Hyperparameter {
    name: "window",
    kind: Kind::Integer { min: 1 },
    description: "Adagrad: sum only the last W squared gradients (absent: all of them).",
    schema: Schema {
        description: "Adagrad: sum only the last W squared gradients; absent = all.",
        example: None,
        named: None,
    },
};

/// Adagrad, with its hyperparameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Adagrad {
    pub learning_rate: f64,
    pub epsilon: f64,
    pub initial_accumulator: f64,
    /// Sum only the last this many squared gradients (`None`: all of them).
    pub window: Option<usize>,
}

impl Optimize for Adagrad {
    const SPEC: Spec = Spec {
        name: "adagrad",
        title: "Adagrad",
        summary: "Divides each weight's step by the root of the sum of its squared gradients.",
        uses: &[
            uses(&LEARNING_RATE, Default::Required),
            uses(&EPSILON, Default::Number(1e-8)),
            uses(&INITIAL_ACCUMULATOR, Default::Number(0.0)),
            uses(&WINDOW, Default::Absent),
        ],
        update: &[
            "v_t = v_{t-1} + dw_t^2, \\quad v_0 = \\text{initial\\_accumulator} \\qquad \
             (\\text{window } W: v_t = v_0 + \\textstyle\\sum_{i=t-W+1}^{t} dw_i^2)",
            "w_{t+1} = w_t - \\frac{\\alpha}{\\sqrt{v_t + \\epsilon}}\\, dw_t",
        ],
        root: Some("v"),
        ..Spec::ELEMENT_WISE
    };

    type State = AdagradState;

    fn resolve(values: &Resolved) -> Option<Self> {
        Some(Adagrad {
            learning_rate: values.number(&LEARNING_RATE)?,
            epsilon: values.number(&EPSILON)?,
            initial_accumulator: values.number(&INITIAL_ACCUMULATOR)?,
            window: values.count(&WINDOW),
        })
    }

    fn initial(&self, params: usize) -> AdagradState {
        AdagradState::new(params, self.initial_accumulator)
    }

    fn learning_rate_mut(&mut self) -> Option<&mut f64> {
        Some(&mut self.learning_rate)
    }

    fn shown(&self, number: &dyn Fn(f64) -> String) -> Vec<Shown> {
        let mut shown = vec![
            Shown::symbol("α", number(self.learning_rate)),
            Shown::symbol("ε", number(self.epsilon)),
        ];
        if self.initial_accumulator != 0.0 {
            shown.push(Shown::symbol("v₀", number(self.initial_accumulator)));
        }
        if let Some(w) = self.window {
            shown.push(Shown::item(
                "window",
                w.to_string(),
                Some(format!("window {w}")),
            ));
        }
        shown
    }

    /// Adagrad: `v ← v + dw²` (with a window W: `v = v₀ + Σ` of the last W `dw²`);
    /// `w ← w − α dw / √(v + ε)`.
    fn step<R: Reading>(
        &self,
        state: &AdagradState,
        next: &mut AdagradState,
        u: &Update,
        r: &mut R,
        weights: &mut Vec<f64>,
    ) -> Option<ConjugateStep> {
        step(self.epsilon, self.window, state, next, u, r, weights);
        None
    }
}

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
}

impl Accumulators for AdagradState {
    fn visit(
        &self,
        entry: &mut impl FnMut(&'static str, &[f64]),
        _: &mut impl FnMut(&'static str, f64),
    ) {
        entry("square_sum", &self.square_sum);
    }
}

/// Adagrad's update: the sum (or the window's sum) `v`, then the step.
fn step<R: Reading>(
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
                q(u.sym(Name::V, p, t - 1), at(&state.square_sum, p)) + u.dw_q::<R::N>(p).square()
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
        |p| u.dw_q(p),
        |p| u.root(q(u.sym(Name::V, p, t), at(square_sum, p)), epsilon),
    );
}

//! Nonlinear conjugate gradient (docs/contract.md §3.2; the course's "Conjugate Gradient"): one iteration per
//! epoch on the full-batch loss, with the four β rules, periodic and descent restarts, and an
//! exact or fixed step.

use super::keys::LEARNING_RATE;
use super::line_search;
use super::spec::{
    uses, uses_when, Default, Hyperparameter, Interval, Kind, Resolved, Schema, Shown, Spec,
};
use super::{at, Accumulators, ConjugateStep, Optimize, ParamNames, Update};
use crate::solve::expr::{count, sum, Num};
use crate::solve::model::loss_and_gradient;
use crate::solve::problem::{BetaFormula, LineSearch};
use crate::solve::reading::Reading;
use crate::solve::symbol::{index, Const, Name, Pointer, Symbol};

pub const BETA_FORMULA: Hyperparameter = Hyperparameter {
    name: "beta_formula",
    kind: Kind::Choice(&[
        "fletcher_reeves",
        "polak_ribiere",
        "polak_ribiere_plus",
        "hestenes_stiefel",
    ]),
    description: "How conjugate gradient computes β_k.",
    schema: Schema {
        description: "Conjugate gradient's β rule; default `fletcher_reeves`.",
        example: None,
        named: Some((
            "BetaFormula",
            "Conjugate gradient's β rule (docs/contract.md §3.2).",
        )),
    },
};

pub const LINE_SEARCH: Hyperparameter = Hyperparameter {
    name: "line_search",
    kind: Kind::Choice(&["exact", "fixed"]),
    description: "Conjugate gradient's step length: `exact` minimizes the loss along d_k; \
                  `fixed` uses η_k = learning_rate.",
    schema: Schema {
        description: "Conjugate gradient's step rule; default `exact`.",
        example: None,
        named: Some((
            "LineSearch",
            "Conjugate gradient's step length rule (docs/contract.md §3.2).",
        )),
    },
};

pub const RESTART_EVERY: Hyperparameter = Hyperparameter {
    name: "restart_every",
    kind: Kind::Integer { min: 1 },
    description: "Conjugate gradient restarts (β_k = 0) every this many iterations; \
                  default: the number of parameters, bias included.",
    schema: Schema {
        description: "Conjugate gradient restart period; default the number of parameters \
                      (bias included).",
        example: None,
        named: None,
    },
};

pub const MAX_STEP: Hyperparameter = Hyperparameter {
    name: "max_step",
    kind: Kind::Number(Interval::POSITIVE),
    description: "Largest step length the exact line search considers.",
    schema: Schema {
        description: "Largest step of the exact line search, > 0; default 1000.",
        example: None,
        named: None,
    },
};

pub const TOLERANCE: Hyperparameter = Hyperparameter {
    name: "tolerance",
    kind: Kind::Number(Interval::NON_NEGATIVE),
    description: "Conjugate gradient stops (`converged`) when every gradient component is \
                  at most this in magnitude.",
    schema: Schema {
        description: "Conjugate gradient's convergence tolerance ≥ 0; default 1e-10.",
        example: None,
        named: None,
    },
};

/// Conjugate gradient, with its settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ConjugateGradient {
    pub beta_formula: BetaFormula,
    pub line_search: LineSearch,
    pub restart_every: usize,
    pub tolerance: f64,
}

/// The previous iteration's gradient and direction, and iterations since the last restart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CgState {
    pub previous_gradient: Option<Vec<f64>>,
    pub previous_direction: Option<Vec<f64>>,
    pub since_restart: usize,
}

/// The trace shows conjugate gradient's quantities in `conjugate`, not in `state`.
impl Accumulators for CgState {
    fn visit(
        &self,
        _: &mut impl FnMut(&'static str, &[f64]),
        _: &mut impl FnMut(&'static str, f64),
    ) {
    }
}

impl Optimize for ConjugateGradient {
    const SPEC: Spec = Spec {
        name: "conjugate_gradient",
        title: "Conjugate gradient",
        summary: "Nonlinear conjugate gradient on the full-batch loss; one iteration per epoch.",
        uses: &[
            uses(&BETA_FORMULA, Default::Text("fletcher_reeves")),
            uses(&LINE_SEARCH, Default::Text("exact")),
            uses_when(&LEARNING_RATE, Default::Required, ("line_search", "fixed")),
            uses(&RESTART_EVERY, Default::ParameterCount),
            uses_when(&MAX_STEP, Default::Number(1000.0), ("line_search", "exact")),
            uses(&TOLERANCE, Default::Number(1e-10)),
        ],
        update: &[
            "g_k = \\nabla E(w_k), \\quad d_0 = -g_0, \\quad d_k = -g_k + \\beta_k d_{k-1}",
            "\\beta_k = \\frac{g_k^\\top g_k}{g_{k-1}^\\top g_{k-1}} \\;(\\text{FR}), \\quad \
             \\frac{g_k^\\top (g_k - g_{k-1})}{g_{k-1}^\\top g_{k-1}} \\;(\\text{PR}), \\quad \
             \\max(0, \\beta_k^{PR}) \\;(\\text{PR+}), \\quad \
             \\frac{g_k^\\top (g_k - g_{k-1})}{d_{k-1}^\\top (g_k - g_{k-1})} \\;(\\text{HS})",
            "w_{k+1} = w_k + \\eta_k d_k, \\quad \\eta_k = \\arg\\min_{0 \\le \\eta \\le \
             \\text{max\\_step}} E(w_k + \\eta d_k) \\;(\\text{exact}) \\text{ or } \\alpha \
             \\;(\\text{fixed})",
        ],
        full_batch: true,
        passes_per_update: Some(60),
        no_learning_rate: "with line_search \"exact\" has no learning rate to schedule; use \
                           line_search \"fixed\" or leave schedule out",
        ..Spec::ELEMENT_WISE
    };

    type State = CgState;

    fn resolve(values: &Resolved) -> Option<Self> {
        let beta_formula = match values.text(&BETA_FORMULA)? {
            "fletcher_reeves" => BetaFormula::FletcherReeves,
            "polak_ribiere" => BetaFormula::PolakRibiere,
            "polak_ribiere_plus" => BetaFormula::PolakRibierePlus,
            "hestenes_stiefel" => BetaFormula::HestenesStiefel,
            _ => return None,
        };
        let line_search = match values.text(&LINE_SEARCH)? {
            "exact" => LineSearch::Exact {
                max_step: values.number(&MAX_STEP)?,
            },
            "fixed" => LineSearch::Fixed {
                learning_rate: values.number(&LEARNING_RATE)?,
            },
            _ => return None,
        };
        Some(ConjugateGradient {
            beta_formula,
            line_search,
            restart_every: values.count(&RESTART_EVERY)?,
            tolerance: values.number(&TOLERANCE)?,
        })
    }

    fn initial(&self, _: usize) -> CgState {
        CgState::default()
    }

    fn learning_rate_mut(&mut self) -> Option<&mut f64> {
        match &mut self.line_search {
            LineSearch::Fixed { learning_rate } => Some(learning_rate),
            LineSearch::Exact { .. } => None,
        }
    }

    fn shown(&self, number: &dyn Fn(f64) -> String) -> Vec<Shown> {
        let title = self.beta_formula.title();
        let search = match self.line_search {
            LineSearch::Exact { max_step } => Shown::item(
                "line search",
                format!("exact, η ≤ {}", number(max_step)),
                Some("exact line search".into()),
            ),
            LineSearch::Fixed { learning_rate } => Shown::item(
                "line search",
                format!("fixed, η = α = {}", number(learning_rate)),
                Some(format!("η = {}", number(learning_rate))),
            ),
        };
        vec![
            Shown::item("β rule", title.to_string(), Some(title.to_string())),
            search,
            Shown::item(
                "restart every",
                count(self.restart_every, "iteration", "iterations"),
                Some(format!("restart every {}", self.restart_every)),
            ),
            Shown::item("tolerance", number(self.tolerance), None),
        ]
    }

    /// One iteration `k = t − 1` from `w_k` with gradient `g_k` (already worked out in the
    /// reading): `β_k`, `d_k = −g_k + β_k d_{k−1}`, `η_k`, `w_{k+1} = w_k + η_k d_k`.
    fn step<R: Reading>(
        &self,
        state: &CgState,
        next: &mut CgState,
        u: &Update,
        r: &mut R,
        weights: &mut Vec<f64>,
    ) -> Option<ConjugateStep> {
        let iteration = Iteration {
            k: u.t - 1,
            names: u.names,
            gradient: u.gradient,
        };
        let (beta_expr, restarted) = self.beta::<R>(&iteration, state, r);
        let (beta, beta_used, restarted) =
            self.beta_line(&iteration, state, r, beta_expr, restarted);
        let direction: Vec<f64> = (0..u.gradient.len())
            .map(|p| {
                r.line(
                    Some(Pointer::ConjugateDirection(index(p))),
                    iteration.sym(Name::D, p, iteration.k),
                    iteration.direction::<R::N>(state, p, beta_used),
                )
            })
            .collect();
        let slope: f64 = u.gradient.iter().zip(&direction).map(|(g, d)| g * d).sum();
        // The schedule's rate where one is given; without one, the fixed step writes its α.
        let rate = u.scheduled.then_some((u.lr_symbol, u.lr));
        let step_length = self.step_length(&iteration, u, &direction, slope, rate, r);
        iteration.advance(u.params, &direction, step_length, r, weights);
        *next = CgState {
            previous_gradient: Some(u.gradient.to_vec()),
            previous_direction: Some(direction.clone()),
            since_restart: if beta_used.is_none() {
                1
            } else {
                state.since_restart + 1
            },
        };
        Some(ConjugateStep {
            k: iteration.k,
            beta,
            restarted,
            direction,
            step_length,
            directional_derivative: slope,
        })
    }

    fn converged(&self, gradient: &[f64]) -> bool {
        gradient.iter().all(|g| g.abs() <= self.tolerance)
    }
}

/// What one iteration's formulas share.
struct Iteration<'a> {
    k: u64,
    names: ParamNames<'a>,
    /// `g_k`.
    gradient: &'a [f64],
}

impl Iteration<'_> {
    fn sym(&self, name: Name, p: usize, time: u64) -> Symbol {
        self.names.sym(name, p, time)
    }

    /// `(g_p)_k`.
    fn g<N: Num>(&self, p: usize) -> N {
        N::q(self.sym(Name::G, p, self.k), self.gradient[p])
    }

    /// `β_k` as a symbol.
    fn beta_symbol(&self) -> Symbol {
        Symbol::Iteration(Const::Beta, self.k)
    }

    /// `(d_p)_k = −(g_p)_k + β_k (d_p)_{k−1}`, or `−(g_p)_k` without β.
    fn direction<N: Num>(&self, state: &CgState, p: usize, beta: Option<f64>) -> N {
        match (beta, &state.previous_direction) {
            (Some(beta), Some(previous)) => {
                -self.g::<N>(p)
                    + N::q(self.beta_symbol(), beta)
                        * N::q(
                            self.sym(Name::D, p, self.k.saturating_sub(1)),
                            at(previous, p),
                        )
            }
            _ => -self.g::<N>(p),
        }
    }

    /// `w_{k+1} = w_k + η_k d_k` per parameter, into `next`.
    fn advance<R: Reading>(
        &self,
        params: &[f64],
        direction: &[f64],
        step_length: f64,
        r: &mut R,
        next: &mut Vec<f64>,
    ) {
        let k = self.k;
        let eta = Symbol::Iteration(Const::Eta, k);
        next.clear();
        for (p, w) in params.iter().enumerate() {
            let expr = R::N::q(self.sym(Name::W, p, k), *w)
                + R::N::q(eta, step_length) * R::N::q(self.sym(Name::D, p, k), at(direction, p));
            let value = r.line(
                Some(Pointer::WeightsAfter(self.names.param(p))),
                self.sym(Name::W, p, k + 1),
                expr,
            );
            next.push(value);
        }
    }
}

impl ConjugateGradient {
    /// `β_k` by the rule, from the previous iteration; `None` at the first iteration and for a
    /// restart, with whether a restart was forced (every `restart_every` iterations, or a β
    /// rule's zero denominator, warned about).
    fn beta<R: Reading>(&self, it: &Iteration, state: &CgState, r: &mut R) -> (Option<R::N>, bool) {
        let k = it.k;
        let (Some(previous_g), Some(previous_d)) =
            (&state.previous_gradient, &state.previous_direction)
        else {
            return (None, false);
        };
        if state.since_restart >= self.restart_every {
            return (None, true);
        }
        let g = |p: usize| it.g::<R::N>(p);
        let g_prev = |p: usize| R::N::q(it.sym(Name::G, p, k - 1), at(previous_g, p));
        let d_prev = |p: usize| R::N::q(it.sym(Name::D, p, k - 1), at(previous_d, p));
        let indices = 0..it.gradient.len();
        let change = |p: usize| g(p) - g_prev(p);
        let (numerator, denominator) = match self.beta_formula {
            BetaFormula::FletcherReeves => (
                sum(indices.clone().map(|p| g(p).square())),
                sum(indices.map(|p| g_prev(p).square())),
            ),
            BetaFormula::PolakRibiere | BetaFormula::PolakRibierePlus => (
                sum(indices.clone().map(|p| g(p) * change(p))),
                sum(indices.map(|p| g_prev(p).square())),
            ),
            BetaFormula::HestenesStiefel => (
                sum(indices.clone().map(|p| g(p) * change(p))),
                sum(indices.map(|p| d_prev(p) * change(p))),
            ),
        };
        if denominator.value() == 0.0 {
            r.warn(
                "zero_denominator",
                format!("iteration {k}: the denominator of β_{k} is 0, so β_{k} = 0 (a restart)"),
                k + 1,
            );
            return (None, true);
        }
        let ratio = numerator / denominator;
        let beta = match self.beta_formula {
            BetaFormula::PolakRibierePlus => R::N::lit(0.0).max(ratio),
            _ => ratio,
        };
        (Some(beta), false)
    }

    /// `β_k`'s line, once a direction that is not one of descent has forced its restart (with
    /// a warning): its value, the β the direction uses (`None`: a restart), and whether the
    /// iteration restarted.
    fn beta_line<R: Reading>(
        &self,
        it: &Iteration,
        state: &CgState,
        r: &mut R,
        beta_expr: Option<R::N>,
        mut restarted: bool,
    ) -> (f64, Option<f64>, bool) {
        let k = it.k;
        let mut beta_value = beta_expr.map(|e| r.round(e.value()));
        let candidate: Vec<f64> = (0..it.gradient.len())
            .map(|p| r.round(it.direction::<R::N>(state, p, beta_value).value()))
            .collect();
        let candidate_slope: f64 = it.gradient.iter().zip(&candidate).map(|(g, d)| g * d).sum();
        if beta_value.is_some() && candidate_slope >= 0.0 {
            restarted = true;
            r.warn(
                "restart_not_descent",
                format!("iteration {k}: d_{k} was not a descent direction (g_kᵀd_k ≥ 0), so β_{k} = 0 (a restart)"),
                k + 1,
            );
            beta_value = None;
        }
        let beta = match (beta_expr, beta_value) {
            (Some(expr), Some(_)) => r.line(Some(Pointer::ConjugateBeta), it.beta_symbol(), expr),
            _ if k > 0 => r.line(
                Some(Pointer::ConjugateBeta),
                it.beta_symbol(),
                R::N::lit(0.0),
            ),
            _ => 0.0,
        };
        (beta, beta_value.is_some().then_some(beta), restarted)
    }

    /// `η_k`: the scheduled rate (`rate`), the fixed step's `α`, or the exact line search's
    /// minimum along `direction` (with a warning where it stops at `max_step` or at the
    /// resolution of floating point).
    fn step_length<R: Reading>(
        &self,
        it: &Iteration,
        u: &Update,
        direction: &[f64],
        slope: f64,
        rate: Option<(Symbol, f64)>,
        r: &mut R,
    ) -> f64 {
        let k = it.k;
        let eta = Symbol::Iteration(Const::Eta, k);
        let pointer = Some(Pointer::ConjugateStepLength);
        let max_step = match (self.line_search, rate) {
            (LineSearch::Fixed { .. }, Some((symbol, value))) => {
                return r.line(pointer, eta, R::N::q(symbol, value));
            }
            (LineSearch::Fixed { learning_rate }, None) => {
                return r.line(
                    pointer,
                    eta,
                    R::N::q(Symbol::Const(Const::Alpha), learning_rate),
                );
            }
            (LineSearch::Exact { max_step }, _) => max_step,
        };
        let result = line_search::exact(slope, max_step, |step| {
            let trial: Vec<f64> = u
                .params
                .iter()
                .zip(direction)
                .map(|(w, d)| w + step * d)
                .collect();
            let (_, trial_gradient) = loss_and_gradient(u.problem, &trial);
            trial_gradient
                .iter()
                .zip(direction)
                .map(|(g, d)| g * d)
                .sum()
        });
        if result.at_max_step {
            r.warn(
                "line_search_max_step",
                format!("iteration {k}: the loss still decreases at η = max_step = {max_step}; the step stops there"),
                k + 1,
            );
        }
        if result.resolution_limited {
            r.warn(
                "line_search_resolution",
                format!(
                    "iteration {k}: the line search reached floating-point resolution with φ′(η) = {:e}, above {:e} · |g_kᵀd_k|",
                    result.derivative,
                    line_search::RELATIVE_TOLERANCE
                ),
                k + 1,
            );
        }
        let symbol = Symbol::ArgMin {
            max_step: max_step.to_bits(),
            k,
        };
        r.line(pointer, eta, R::N::q(symbol, result.step))
    }
}

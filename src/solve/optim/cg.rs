//! Nonlinear conjugate gradient (docs/contract.md §3.2; the course's "Conjugate Gradient"): one iteration per
//! epoch on the full-batch loss, with the four β rules, periodic and descent restarts, and an
//! exact or fixed step.

use super::line_search;
use crate::solve::expr::{sum, Num};
use crate::solve::neuron::batch_loss_and_gradient;
use crate::solve::problem::{BetaFormula, LineSearch, Problem};
use crate::solve::reading::Reading;
use crate::solve::symbol::{index, Const, Name, Param, Pointer, Symbol};
use crate::solve::trace::ConjugateStep;

/// The previous iteration's gradient and direction, and iterations since the last restart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CgState {
    pub previous_gradient: Option<Vec<f64>>,
    pub previous_direction: Option<Vec<f64>>,
    pub since_restart: usize,
}

/// Conjugate gradient's resolved settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CgConfig {
    pub beta_formula: BetaFormula,
    pub line_search: LineSearch,
    pub restart_every: usize,
}

/// What one iteration did (the new parameters are written into the caller's buffer).
pub struct CgIteration {
    pub state: CgState,
    pub detail: ConjugateStep,
}

/// One iteration `k` from `params` with gradient `gradient` (already worked out in the reading):
/// `β_k`, `d_k = −g_k + β_k d_{k−1}`, `η_k`, `w_{k+1} = w_k + η_k d_k` (into `next`).
/// `rate` is `(symbol, value)` of the fixed step's learning rate.
#[allow(clippy::too_many_arguments)]
pub fn iterate<R: Reading>(
    problem: &Problem,
    config: &CgConfig,
    k: u64,
    params: &[f64],
    gradient: &[f64],
    rate: Option<(Symbol, f64)>,
    state: &CgState,
    r: &mut R,
    next: &mut Vec<f64>,
) -> CgIteration {
    let n_weights = problem.weights.len();
    let sym = |name: Name, p: usize, time: u64| Symbol::param(name, p, n_weights, time);
    let q = |symbol: Symbol, value: f64| R::N::q(symbol, value);
    let g = |p: usize| q(sym(Name::G, p, k), gradient[p]);
    let update_index = k + 1;
    let beta_symbol = Symbol::Iteration(Const::Beta, k);
    let eta_symbol = Symbol::Iteration(Const::Eta, k);

    // β_k, or a restart.
    let mut restarted = false;
    let beta_expr: Option<R::N> = match (&state.previous_gradient, &state.previous_direction) {
        (Some(previous_g), Some(previous_d)) if state.since_restart < config.restart_every => {
            let g_prev = |p: usize| q(sym(Name::G, p, k - 1), at(previous_g, p));
            let d_prev = |p: usize| q(sym(Name::D, p, k - 1), at(previous_d, p));
            let indices = 0..gradient.len();
            let change = |p: usize| g(p) - g_prev(p);
            let (numerator, denominator) = match config.beta_formula {
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
                restarted = true;
                r.warn(
                    "zero_denominator",
                    format!(
                        "iteration {k}: the denominator of β_{k} is 0, so β_{k} = 0 (a restart)"
                    ),
                    update_index,
                );
                None
            } else {
                let ratio = numerator / denominator;
                Some(match config.beta_formula {
                    BetaFormula::PolakRibierePlus => R::N::lit(0.0).max(ratio),
                    _ => ratio,
                })
            }
        }
        (Some(_), Some(_)) => {
            restarted = true;
            None
        }
        _ => None,
    };

    // `(d_i)_k = −(g_i)_k + β_k (d_i)_{k−1}`, or `−(g_i)_k` without β.
    let direction_expr = |p: usize, beta: Option<f64>| match (beta, &state.previous_direction) {
        (Some(beta), Some(previous)) => {
            -g(p) + q(beta_symbol, beta) * q(sym(Name::D, p, k.saturating_sub(1)), at(previous, p))
        }
        _ => -g(p),
    };
    let mut beta_value = beta_expr.map(|e| r.round(e.value()));
    let candidate: Vec<f64> = (0..gradient.len())
        .map(|p| r.round(direction_expr(p, beta_value).value()))
        .collect();
    let candidate_slope: f64 = gradient.iter().zip(&candidate).map(|(g, d)| g * d).sum();
    if beta_value.is_some() && candidate_slope >= 0.0 {
        restarted = true;
        r.warn(
            "restart_not_descent",
            format!("iteration {k}: d_{k} was not a descent direction (g_kᵀd_k ≥ 0), so β_{k} = 0 (a restart)"),
            update_index,
        );
        beta_value = None;
    }

    // The lines, now that the restart decisions are made.
    let beta = match (beta_expr, beta_value) {
        (Some(expr), Some(_)) => r.line(Some(Pointer::ConjugateBeta), beta_symbol, expr),
        _ if k > 0 => r.line(Some(Pointer::ConjugateBeta), beta_symbol, R::N::lit(0.0)),
        _ => 0.0,
    };
    let beta_used = beta_value.is_some().then_some(beta);
    let direction: Vec<f64> = (0..gradient.len())
        .map(|p| {
            r.line(
                Some(Pointer::ConjugateDirection(index(p))),
                sym(Name::D, p, k),
                direction_expr(p, beta_used),
            )
        })
        .collect();
    let slope: f64 = gradient.iter().zip(&direction).map(|(g, d)| g * d).sum();

    // η_k.
    let step_length = match (config.line_search, rate) {
        (LineSearch::Fixed { .. }, Some((rate_symbol, rate_value))) => r.line(
            Some(Pointer::ConjugateStepLength),
            eta_symbol,
            q(rate_symbol, rate_value),
        ),
        (LineSearch::Fixed { learning_rate }, None) => r.line(
            Some(Pointer::ConjugateStepLength),
            eta_symbol,
            q(Symbol::Const(Const::Alpha), learning_rate),
        ),
        (LineSearch::Exact { max_step }, _) => {
            let result = line_search::exact(slope, max_step, |eta| {
                let trial: Vec<f64> = params
                    .iter()
                    .zip(&direction)
                    .map(|(w, d)| w + eta * d)
                    .collect();
                let (_, trial_gradient) = batch_loss_and_gradient(problem, &trial);
                trial_gradient
                    .iter()
                    .zip(&direction)
                    .map(|(g, d)| g * d)
                    .sum()
            });
            if result.at_max_step {
                r.warn(
                    "line_search_max_step",
                    format!("iteration {k}: the loss still decreases at η = max_step = {max_step}; the step stops there"),
                    update_index,
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
                    update_index,
                );
            }
            let symbol = Symbol::ArgMin {
                max_step: max_step.to_bits(),
                k,
            };
            r.line(
                Some(Pointer::ConjugateStepLength),
                eta_symbol,
                q(symbol, result.step),
            )
        }
    };

    next.clear();
    for (p, w) in params.iter().enumerate() {
        let expr = q(sym(Name::W, p, k), *w)
            + q(eta_symbol, step_length) * q(sym(Name::D, p, k), at(&direction, p));
        let value = r.line(
            Some(Pointer::WeightsAfter(Param::of(p, n_weights))),
            sym(Name::W, p, k + 1),
            expr,
        );
        next.push(value);
    }

    CgIteration {
        state: CgState {
            previous_gradient: Some(gradient.to_vec()),
            previous_direction: Some(direction.clone()),
            since_restart: if beta_used.is_none() {
                1
            } else {
                state.since_restart + 1
            },
        },
        detail: ConjugateStep {
            k,
            beta,
            restarted,
            direction,
            step_length,
            directional_derivative: slope,
        },
    }
}

fn at(values: &[f64], p: usize) -> f64 {
    values.get(p).copied().unwrap_or(0.0)
}

//! Nonlinear conjugate gradient (docs/contract.md §3.2; the course's "Conjugate Gradient"): one iteration per
//! epoch on the full-batch loss, with the four β rules, periodic and descent restarts, and an
//! exact or fixed step.

use super::line_search;
use super::{symbol, Worked};
use crate::solve::expr::{add, div, lit, max, mul, neg, q, square, sub, sum, Expr};
use crate::solve::neuron::batch_loss_and_gradient;
use crate::solve::problem::{BetaFormula, LineSearch, Problem};
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

/// What one iteration did.
pub struct CgIteration {
    pub params: Vec<f64>,
    pub state: CgState,
    pub detail: ConjugateStep,
}

/// One iteration `k` from `params` with gradient `gradient` (already worked out in `worked`):
/// `β_k`, `d_k = −g_k + β_k d_{k−1}`, `η_k`, `w_{k+1} = w_k + η_k d_k`.
/// `rate` is `(symbol, value)` of the fixed step's learning rate.
#[allow(clippy::too_many_arguments)]
pub fn iterate(
    problem: &Problem,
    config: &CgConfig,
    k: u64,
    params: &[f64],
    gradient: &[f64],
    rate: Option<(String, f64)>,
    state: &CgState,
    worked: &mut Worked,
) -> CgIteration {
    let n_weights = problem.weights.len();
    let sym = |name: &str, p: usize, time: u64| symbol(name, p, n_weights, &time.to_string());
    let g = |p: usize| q(sym("g", p, k), gradient[p]);
    let update_index = k + 1;

    // β_k, or a restart.
    let mut restarted = false;
    let beta_expr: Option<Expr> = match (&state.previous_gradient, &state.previous_direction) {
        (Some(previous_g), Some(previous_d)) if state.since_restart < config.restart_every => {
            let g_prev = |p: usize| {
                q(
                    sym("g", p, k - 1),
                    previous_g.get(p).copied().unwrap_or(0.0),
                )
            };
            let d_prev = |p: usize| {
                q(
                    sym("d", p, k - 1),
                    previous_d.get(p).copied().unwrap_or(0.0),
                )
            };
            let indices = 0..gradient.len();
            let change = |p: usize| sub(g(p), g_prev(p));
            let (numerator, denominator) = match config.beta_formula {
                BetaFormula::FletcherReeves => (
                    sum(indices.clone().map(|p| square(g(p))).collect()),
                    sum(indices.map(|p| square(g_prev(p))).collect()),
                ),
                BetaFormula::PolakRibiere | BetaFormula::PolakRibierePlus => (
                    sum(indices.clone().map(|p| mul(g(p), change(p))).collect()),
                    sum(indices.map(|p| square(g_prev(p))).collect()),
                ),
                BetaFormula::HestenesStiefel => (
                    sum(indices.clone().map(|p| mul(g(p), change(p))).collect()),
                    sum(indices.map(|p| mul(d_prev(p), change(p))).collect()),
                ),
            };
            if denominator.eval() == 0.0 {
                restarted = true;
                worked.warn(
                    "zero_denominator",
                    format!(
                        "iteration {k}: the denominator of β_{k} is 0, so β_{k} = 0 (a restart)"
                    ),
                    update_index,
                );
                None
            } else {
                let ratio = div(numerator, denominator);
                Some(match config.beta_formula {
                    BetaFormula::PolakRibierePlus => max(lit(0.0), ratio),
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

    let direction_of = |beta: Option<f64>, worked: &Worked| -> Vec<f64> {
        (0..gradient.len())
            .map(|p| worked.round(direction_expr(&g(p), beta, state, &sym, p, k).eval()))
            .collect()
    };
    let mut beta_value = beta_expr.as_ref().map(|e| worked.round(e.eval()));
    let direction = direction_of(beta_value, worked);
    let candidate_slope: f64 = gradient.iter().zip(&direction).map(|(g, d)| g * d).sum();
    if beta_value.is_some() && candidate_slope >= 0.0 {
        restarted = true;
        worked.warn(
            "restart_not_descent",
            format!("iteration {k}: d_{k} was not a descent direction (g_kᵀd_k ≥ 0), so β_{k} = 0 (a restart)"),
            update_index,
        );
        beta_value = None;
    }

    // The lines, now that the restart decisions are made.
    let beta = match (&beta_expr, beta_value) {
        (Some(expr), Some(_)) => {
            worked.line_at(beta_pointer(), format!("\\beta_{{{k}}}"), expr.clone())
        }
        _ if k > 0 => worked.line_at(beta_pointer(), format!("\\beta_{{{k}}}"), lit(0.0)),
        _ => 0.0,
    };
    let beta_used = (beta_value.is_some()).then_some(beta);
    let direction: Vec<f64> = (0..gradient.len())
        .map(|p| {
            worked.line_at(
                format!("/conjugate/direction/{p}"),
                sym("d", p, k),
                direction_expr(&g(p), beta_used, state, &sym, p, k),
            )
        })
        .collect();
    let slope: f64 = gradient.iter().zip(&direction).map(|(g, d)| g * d).sum();

    // η_k.
    let step_length = match (config.line_search, rate) {
        (LineSearch::Fixed { .. }, Some((rate_symbol, rate_value))) => worked.line_at(
            eta_pointer(),
            format!("\\eta_{{{k}}}"),
            q(rate_symbol, rate_value),
        ),
        (LineSearch::Fixed { learning_rate }, None) => worked.line_at(
            eta_pointer(),
            format!("\\eta_{{{k}}}"),
            q("\\alpha", learning_rate),
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
                worked.warn(
                    "line_search_max_step",
                    format!("iteration {k}: the loss still decreases at η = max_step = {max_step}; the step stops there"),
                    update_index,
                );
            }
            if result.resolution_limited {
                worked.warn(
                    "line_search_resolution",
                    format!(
                        "iteration {k}: the line search reached floating-point resolution with φ′(η) = {:e}, above {:e} · |g_kᵀd_k|",
                        result.derivative,
                        line_search::RELATIVE_TOLERANCE
                    ),
                    update_index,
                );
            }
            let symbol = format!(
                "\\arg\\min_{{\\eta \\in [0, {}]}} E(w_{{{k}}} + \\eta d_{{{k}}})",
                fmt_plain(max_step)
            );
            worked.line_at(
                eta_pointer(),
                format!("\\eta_{{{k}}}"),
                q(symbol, result.step),
            )
        }
    };

    let next: Vec<f64> = params
        .iter()
        .enumerate()
        .map(|(p, w)| {
            let expr = add(
                q(sym("w", p, k), *w),
                mul(
                    q(format!("\\eta_{{{k}}}"), step_length),
                    q(sym("d", p, k), direction[p]),
                ),
            );
            worked.line_at(
                super::param_pointer("weights_after", "bias_after", p, n_weights),
                sym("w", p, k + 1),
                expr,
            )
        })
        .collect();

    CgIteration {
        params: next,
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

/// `(d_i)_k = −(g_i)_k + β_k (d_i)_{k−1}`, or `−(g_i)_k` without β.
fn direction_expr(
    g: &Expr,
    beta: Option<f64>,
    state: &CgState,
    sym: &dyn Fn(&str, usize, u64) -> String,
    p: usize,
    k: u64,
) -> Expr {
    match (beta, &state.previous_direction) {
        (Some(beta), Some(previous)) => add(
            neg(g.clone()),
            mul(
                q(format!("\\beta_{{{k}}}"), beta),
                q(
                    sym("d", p, k.saturating_sub(1)),
                    previous.get(p).copied().unwrap_or(0.0),
                ),
            ),
        ),
        _ => neg(g.clone()),
    }
}

fn beta_pointer() -> String {
    "/conjugate/beta".to_string()
}

fn eta_pointer() -> String {
    "/conjugate/step_length".to_string()
}

fn fmt_plain(x: f64) -> String {
    crate::solve::expr::format_number(x, crate::solve::expr::Precision::Full, true)
}

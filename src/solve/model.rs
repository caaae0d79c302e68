//! The model a problem trains, whichever it is: one neuron (docs/contract.md §1) or a network
//! (§11). The driver, conjugate gradient's line search, compare and the pictures ask here for
//! the parameters and the loss; only the pass itself differs.

use super::network::pass;
use super::neuron;
use super::problem::Problem;

/// The optimizers' vector at the start: the weights then the bias, or a network's layers
/// (`network::Layout::of`).
pub fn initial_params(problem: &Problem) -> Vec<f64> {
    match &problem.network {
        Some(net) => super::network::Layout::initial(&net.network),
        None => problem
            .weights
            .iter()
            .copied()
            .chain(problem.bias)
            .collect(),
    }
}

/// The loss over all samples at `params`, with the problem's reduction, without rounding.
pub fn loss_over_all(problem: &Problem, params: &[f64]) -> f64 {
    match &problem.network {
        Some(net) => pass::loss_over_all(&net.model(problem), &net.layers_at(params)),
        None => neuron::loss_over_all(problem, params),
    }
}

/// [`loss_over_all`], or `None` where it is not finite.
pub fn total_loss(problem: &Problem, params: &[f64]) -> Option<f64> {
    let loss = loss_over_all(problem, params);
    loss.is_finite().then_some(loss)
}

/// The loss over all samples and its gradient over the optimizers' vector at `params`, without
/// rounding (conjugate gradient's line search).
pub fn loss_and_gradient(problem: &Problem, params: &[f64]) -> (f64, Vec<f64>) {
    match &problem.network {
        Some(net) => {
            let (loss, full) = pass::loss_and_gradient(&net.model(problem), &net.layers_at(params));
            let mut gradient = Vec::with_capacity(params.len());
            net.restrict(&full, &mut gradient);
            (loss, gradient)
        }
        None => neuron::batch_loss_and_gradient(problem, params),
    }
}

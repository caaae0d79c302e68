//! The neuron (docs/contract.md §1): net input, activation, loss and gradient of one sample, and the loss of
//! the whole training set. Parameters are the weights followed by the bias, whose input is 1.

use super::problem::{Activation, Loss, Problem, Reduction, Sample};

/// The inputs a parameter vector sees for a sample: `x`, then 1 for the bias.
pub fn inputs(sample: &Sample, has_bias: bool) -> impl Iterator<Item = f64> + '_ {
    sample.x.iter().copied().chain(has_bias.then_some(1.0))
}

/// `y_in = Σ wᵢ xᵢ (+ b)`.
pub fn net_input(params: &[f64], sample: &Sample, has_bias: bool) -> f64 {
    params
        .iter()
        .zip(inputs(sample, has_bias))
        .map(|(w, x)| w * x)
        .sum()
}

/// `f(y_in)`.
pub fn activate(activation: Activation, net: f64) -> f64 {
    match activation {
        Activation::Logistic => 1.0 / (1.0 + (-net).exp()),
        Activation::Linear => net,
        Activation::Tanh => net.tanh(),
        Activation::Relu => net.max(0.0),
    }
}

/// `f′(y_in)` written, where the course does, through the output `y`.
pub fn derivative(activation: Activation, net: f64, output: f64) -> f64 {
    match activation {
        Activation::Logistic => output * (1.0 - output),
        Activation::Linear => 1.0,
        Activation::Tanh => 1.0 - output * output,
        Activation::Relu => {
            if net > 0.0 {
                1.0
            } else {
                0.0
            }
        }
    }
}

/// The loss of one sample.
pub fn sample_loss(loss: Loss, target: f64, output: f64) -> f64 {
    match loss {
        Loss::SquaredError => 0.5 * (target - output) * (target - output),
        Loss::CrossEntropy => -(target * output.ln() + (1.0 - target) * (1.0 - output).ln()),
    }
}

/// `∂E/∂y_in` of one sample: `−(t − y) f′(y_in)`, or `y − t` for cross-entropy on a logistic.
pub fn net_gradient(problem: &Problem, target: f64, net: f64, output: f64) -> f64 {
    match problem.loss {
        Loss::SquaredError => -(target - output) * derivative(problem.activation, net, output),
        Loss::CrossEntropy => output - target,
    }
}

/// The loss over all samples (with the problem's reduction) and its gradient, at `params`.
pub fn batch_loss_and_gradient(problem: &Problem, params: &[f64]) -> (f64, Vec<f64>) {
    let has_bias = problem.bias.is_some();
    let mut total = 0.0;
    let mut gradient = vec![0.0; params.len()];
    for sample in &problem.samples {
        let net = net_input(params, sample, has_bias);
        let output = activate(problem.activation, net);
        total += sample_loss(problem.loss, sample.t, output);
        let delta = net_gradient(problem, sample.t, net, output);
        for (g, x) in gradient.iter_mut().zip(inputs(sample, has_bias)) {
            *g += delta * x;
        }
    }
    if problem.reduction == Reduction::Mean && !problem.samples.is_empty() {
        let m = problem.samples.len() as f64;
        total /= m;
        for g in &mut gradient {
            *g /= m;
        }
    }
    (total, gradient)
}

/// The loss over all samples at `params`, or `None` where it is not finite.
pub fn total_loss(problem: &Problem, params: &[f64]) -> Option<f64> {
    let (loss, _) = batch_loss_and_gradient(problem, params);
    loss.is_finite().then_some(loss)
}

//! The course's problems as the core's own values (docs/contract.md §10), for the binaries that
//! call the core directly (core, grade): one copy of the samples and of the problem builder.

use gradtrace::solve::*;

/// The course's samples `(x₁, x₂, t)`: (1, 0.6, 0.8), (0.5, 0.5, 0.6), (0.2, 0.8, 0.3); the
/// first `count` of them.
pub fn course_samples(count: usize) -> Vec<(Vec<f64>, f64)> {
    [
        (vec![1.0, 0.6], 0.8),
        (vec![0.5, 0.5], 0.6),
        (vec![0.2, 0.8], 0.3),
    ]
    .into_iter()
    .take(count)
    .collect()
}

/// A problem on `samples` `(x, t)` from `weights`: logistic neuron, squared error, no bias, one
/// epoch of full-batch updates, the gradient convention, no rounding.
pub fn problem(samples: Vec<(Vec<f64>, f64)>, weights: Vec<f64>, optimizer: Optimizer) -> Problem {
    Problem {
        samples: samples.into_iter().map(|(x, t)| Sample { x, t }).collect(),
        weights,
        bias: None,
        activation: Activation::Logistic,
        loss: Loss::SquaredError,
        optimizer,
        bias_correction: false,
        epochs: 1,
        batch_size: usize::MAX,
        reduction: Reduction::Mean,
        schedule: None,
        conventions: Conventions::default(),
        rounding: None,
        network: None,
    }
}

/// A course problem: the first `count` samples, online updates from (0.5, 0.5).
pub fn course(count: usize, optimizer: Optimizer) -> Problem {
    let mut p = problem(course_samples(count), vec![0.5, 0.5], optimizer);
    p.batch_size = 1;
    p
}

/// docs/contract.md §10's momentum example (`tests/fixtures/momentum.json`): first 2 samples,
/// α 0.2, β 0.8, average form, sign `delta`.
pub fn course_momentum() -> Problem {
    let mut p = course(
        2,
        Optimizer::Momentum {
            learning_rate: 0.2,
            beta: 0.8,
            form: MomentumForm::Average,
        },
    );
    p.conventions.sign = SignConvention::Delta;
    p
}

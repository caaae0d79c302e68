//! The hyperparameter keys several optimizers share (a key of one optimizer only is declared in
//! its file), and the order the wire lists keys in.

use super::spec::{Hyperparameter, Interval, Kind, Schema};
use super::{adadelta, adagrad, adam, cg, momentum};

pub const LEARNING_RATE: Hyperparameter = Hyperparameter {
    name: "learning_rate",
    kind: Kind::Number(Interval::POSITIVE),
    description: "The step size α (the base rate α₀ that a schedule scales).",
    schema: Schema {
        description: "Step size α (> 0). Required unless the algorithm gives it a default \
                      (GET /v1/algorithms lists each one's keys and defaults: adadelta 1.0, \
                      nadam 0.002);\nnot used by conjugate gradient with the exact line search.",
        example: Some(0.2),
        named: None,
    },
};

pub const BETA: Hyperparameter = Hyperparameter {
    name: "beta",
    kind: Kind::Number(Interval::DECAY),
    description: "Decay β of the moving average: the velocity v (momentum, nesterov) or the \
                  average v of the squared gradients (rmsprop).",
    schema: Schema {
        description: "Decay of momentum's / nesterov's velocity or of rmsprop's square \
                      average, in [0, 1);\ndefault 0.9.",
        example: Some(0.8),
        named: None,
    },
};

pub const BETA1: Hyperparameter = Hyperparameter {
    name: "beta1",
    kind: Kind::Number(Interval::DECAY),
    description: "Decay β₁ of the first moment v (the average of the gradients).",
    schema: Schema {
        description: "Adam's first-moment decay, in [0, 1); default 0.9.",
        example: None,
        named: None,
    },
};

pub const BETA2: Hyperparameter = Hyperparameter {
    name: "beta2",
    kind: Kind::Number(Interval::DECAY),
    description: "Decay β₂ of the second moment s (the average of the squared gradients).",
    schema: Schema {
        description: "Adam's second-moment decay, in [0, 1); default 0.999.",
        example: None,
        named: None,
    },
};

pub const EPSILON: Hyperparameter = Hyperparameter {
    name: "epsilon",
    kind: Kind::Number(Interval::NON_NEGATIVE),
    description: "ε added to the denominator; inside or outside the square root per \
                  `conventions.epsilon`.",
    schema: Schema {
        description: "ε ≥ 0; default 1e-8 (adadelta: 1e-6).",
        example: None,
        named: None,
    },
};

/// The keys in the order the service first published them (the OpenAPI document's, the echo's,
/// and the "known:" list's). A key of an optimizer registered later needs no entry here: it
/// follows these, in the order of the registry (`optim::hyperparameters`).
pub const PUBLISHED: &[&Hyperparameter] = &[
    &LEARNING_RATE,
    &BETA,
    &BETA1,
    &BETA2,
    &adadelta::RHO,
    &EPSILON,
    &adam::WEIGHT_DECAY,
    &adagrad::INITIAL_ACCUMULATOR,
    &adagrad::WINDOW,
    &momentum::FORM,
    &cg::BETA_FORMULA,
    &cg::LINE_SEARCH,
    &cg::RESTART_EVERY,
    &cg::MAX_STEP,
    &cg::TOLERANCE,
];

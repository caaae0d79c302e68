//! The catalogue of common mistakes, as data: each entry has a stable code, a sentence for the
//! student, and a function that builds the variant runs that make the mistake for a problem (none
//! when the mistake cannot happen in it). Adding a mistake is adding one entry to [`MISTAKES`].
//!
//! A variant is a problem the core solves as it solves any other — a toggled flag, a swapped
//! convention, a negated learning rate, shifted inputs, a network's biases updated or not — or
//! one of the core's hooks: `stale_weights`, and a network's backpropagation slips (`f′` left
//! out of δ, δ's sign flipped, hidden δ's through the updated outer weights). The
//! grader runs each with the same carried-forward values as the grade itself, so a mistake is
//! recognised from the student's own earlier numbers too. Nothing here computes maths.

use crate::solve::network::{Network, NetworkModel};
use crate::solve::{
    Activation, DeltaLayers, DeltaSlips, EpsilonPlacement, Hooks, Loss, MomentumForm, Optimizer,
    Problem, SignConvention,
};

/// One way to run a problem wrongly.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The problem as the mistaken student sets it up.
    pub problem: Problem,
    /// The core's slips the student makes (`stale_weights`, a network's backpropagation
    /// slips); its `overrides` are left empty, for the grader's carried-forward values.
    pub hooks: Hooks,
}

impl Variant {
    fn of(problem: Problem) -> Variant {
        Variant {
            problem,
            hooks: Hooks::default(),
        }
    }

    /// The problem as it is, run with `hooks`.
    fn hooked(problem: &Problem, hooks: Hooks) -> Variant {
        Variant {
            problem: problem.clone(),
            hooks,
        }
    }
}

/// A named mistake: how to recognise it, and what to tell the student.
#[derive(Debug, Clone, Copy)]
pub struct MistakeKind {
    /// Stable machine-readable code, e.g. `bias_correction_forgotten`.
    pub code: &'static str,
    /// What the student did, as a sentence fragment for the feedback line.
    pub description: &'static str,
    /// The variant runs that make this mistake in `problem`; empty where it cannot happen.
    pub variants: fn(&Problem) -> Vec<Variant>,
}

/// Every mistake the grader names, in the order they are tried: the first whose variant
/// reproduces a wrong value (within the answer's tolerance) is the one reported.
pub const MISTAKES: &[MistakeKind] = &[
    MistakeKind {
        code: "bias_correction_forgotten",
        description: "the bias correction x̂ = x / (1 − decayᵗ) was left out, though it was asked for",
        variants: bias_correction_forgotten,
    },
    MistakeKind {
        code: "bias_correction_not_asked",
        description: "a bias correction x̂ = x / (1 − decayᵗ) was applied, though it was not asked for",
        variants: bias_correction_not_asked,
    },
    MistakeKind {
        code: "epsilon_outside_root",
        description: "ε was added outside the square root, √s + ε, instead of inside, √(s + ε)",
        variants: epsilon_outside_root,
    },
    MistakeKind {
        code: "epsilon_inside_root",
        description: "ε was added inside the square root, √(s + ε), instead of outside, √s + ε",
        variants: epsilon_inside_root,
    },
    MistakeKind {
        code: "other_momentum_form",
        description: "the other form of the velocity was used (v ← βv + (1 − β)dw and v ← βv + dw swapped)",
        variants: other_momentum_form,
    },
    MistakeKind {
        code: "other_momentum_method",
        description: "plain momentum and Nesterov momentum were swapped",
        variants: other_momentum_method,
    },
    MistakeKind {
        code: "wrong_update_direction",
        description: "the update was applied in the wrong direction (added where the rule subtracts, or the reverse), as under the other sign convention",
        variants: wrong_update_direction,
    },
    MistakeKind {
        code: "other_sign_convention",
        description: "the signed quantities (dw, the velocity) carry the other sign convention's sign",
        variants: other_sign_convention,
    },
    MistakeKind {
        code: "previous_sample_inputs",
        description: "the previous sample's inputs x were used in this sample's forward pass and gradient",
        variants: previous_sample_inputs,
    },
    MistakeKind {
        code: "weights_not_updated",
        description: "the weights were not carried from one update to the next: every update starts from the initial weights",
        variants: weights_not_updated,
    },
    MistakeKind {
        code: "wrong_epoch_rate",
        description: "the learning rate of the wrong epoch was used (the schedule's e off by one)",
        variants: wrong_epoch_rate,
    },
    MistakeKind {
        code: "updated_outer_weights",
        description: "the hidden δ's were propagated through the weights above as this update had already changed them, instead of the weights before the update",
        variants: updated_outer_weights,
    },
    MistakeKind {
        code: "missing_activation_derivative",
        description: "the activation's derivative f′ was left out of δ",
        variants: missing_activation_derivative,
    },
    MistakeKind {
        code: "delta_sign_flipped",
        description: "δ has the wrong sign (the output error written the other way round), so every gradient and the update go the wrong way",
        variants: delta_sign_flipped,
    },
    MistakeKind {
        code: "biases_updated",
        description: "the biases were updated, though the problem keeps them fixed",
        variants: biases_updated,
    },
    MistakeKind {
        code: "biases_fixed",
        description: "the biases were kept at their initial values, though the problem updates them",
        variants: biases_fixed,
    },
];

impl MistakeKind {
    /// The description in the notation of `problem`'s algorithm: the ε mistakes write the
    /// accumulator under the root as its worked lines do (`√(v + ε)` for Adagrad, Adam's `s`).
    pub fn description_for(&self, problem: &Problem) -> String {
        match (self.code, problem.optimizer.root_accumulator()) {
            ("epsilon_outside_root", Some(s)) => epsilon_moved("outside", "inside", s),
            ("epsilon_inside_root", Some(s)) => epsilon_moved("inside", "outside", s),
            ("delta_sign_flipped", _) => {
                // The output error as this problem's convention writes it, and as it was
                // written.
                let (asked, written) = match problem.conventions.sign {
                    SignConvention::Gradient => ("y − t", "t − y"),
                    SignConvention::Delta => ("t − y", "y − t"),
                };
                format!(
                    "δ has the wrong sign ({written} where {asked} belongs), so every gradient \
                     and the update go the wrong way"
                )
            }
            _ => self.description.to_string(),
        }
    }
}

/// "ε was added outside the square root, √s + ε, instead of inside, √(s + ε)" for accumulator
/// `s`: the text of `MISTAKES`' two ε entries (a test keeps them equal for `s`).
fn epsilon_moved(done: &str, asked: &str, s: &str) -> String {
    let root = |placement: &str| match placement {
        "outside" => format!("√{s} + ε"),
        _ => format!("√({s} + ε)"),
    };
    format!(
        "ε was added {done} the square root, {}, instead of {asked}, {}",
        root(done),
        root(asked)
    )
}

/// The mistake with this code.
pub fn mistake(code: &str) -> Option<&'static MistakeKind> {
    MISTAKES.iter().find(|m| m.code == code)
}

fn bias_correction_forgotten(problem: &Problem) -> Vec<Variant> {
    if !(problem.bias_correction && problem.optimizer.has_moving_average()) {
        return Vec::new();
    }
    let mut p = problem.clone();
    p.bias_correction = false;
    vec![Variant::of(p)]
}

fn bias_correction_not_asked(problem: &Problem) -> Vec<Variant> {
    if problem.bias_correction || !problem.optimizer.has_moving_average() {
        return Vec::new();
    }
    let mut p = problem.clone();
    p.bias_correction = true;
    vec![Variant::of(p)]
}

fn epsilon_placement(problem: &Problem, asked: EpsilonPlacement) -> Vec<Variant> {
    // ε concerns exactly the algorithms with a root.
    if problem.conventions.epsilon != asked || problem.optimizer.root_accumulator().is_none() {
        return Vec::new();
    }
    let mut p = problem.clone();
    p.conventions.epsilon = match asked {
        EpsilonPlacement::InsideSqrt => EpsilonPlacement::OutsideSqrt,
        EpsilonPlacement::OutsideSqrt => EpsilonPlacement::InsideSqrt,
    };
    vec![Variant::of(p)]
}

fn epsilon_outside_root(problem: &Problem) -> Vec<Variant> {
    epsilon_placement(problem, EpsilonPlacement::InsideSqrt)
}

fn epsilon_inside_root(problem: &Problem) -> Vec<Variant> {
    epsilon_placement(problem, EpsilonPlacement::OutsideSqrt)
}

/// Momentum's or Nesterov's settings, and whether it is Nesterov's; `None` for another
/// algorithm.
fn momentum_settings(optimizer: &Optimizer) -> Option<(bool, f64, f64, MomentumForm)> {
    match *optimizer {
        Optimizer::Momentum {
            learning_rate,
            beta,
            form,
        } => Some((false, learning_rate, beta, form)),
        Optimizer::Nesterov {
            learning_rate,
            beta,
            form,
        } => Some((true, learning_rate, beta, form)),
        _ => None,
    }
}

/// The problem with plain momentum or Nesterov momentum of these settings.
fn with_momentum(
    problem: &Problem,
    (nesterov, learning_rate, beta, form): (bool, f64, f64, MomentumForm),
) -> Vec<Variant> {
    let optimizer = if nesterov {
        Optimizer::Nesterov {
            learning_rate,
            beta,
            form,
        }
    } else {
        Optimizer::Momentum {
            learning_rate,
            beta,
            form,
        }
    };
    vec![Variant::of(Problem {
        optimizer,
        ..problem.clone()
    })]
}

fn other_momentum_form(problem: &Problem) -> Vec<Variant> {
    let Some((nesterov, learning_rate, beta, form)) = momentum_settings(&problem.optimizer) else {
        return Vec::new();
    };
    let other = match form {
        MomentumForm::Average => MomentumForm::Sum,
        MomentumForm::Sum => MomentumForm::Average,
    };
    with_momentum(problem, (nesterov, learning_rate, beta, other))
}

fn other_momentum_method(problem: &Problem) -> Vec<Variant> {
    let Some((nesterov, learning_rate, beta, form)) = momentum_settings(&problem.optimizer) else {
        return Vec::new();
    };
    with_momentum(problem, (!nesterov, learning_rate, beta, form))
}

/// `w ← w + α·step` where the rule says `w ← w − α·step`: the same run with `−α`, which the
/// core computes like any other rate (a schedule scales `α₀`, so every update flips).
fn wrong_update_direction(problem: &Problem) -> Vec<Variant> {
    match problem.optimizer.with_learning_rate(|rate| -rate) {
        Some(optimizer) => vec![Variant::of(Problem {
            optimizer,
            ..problem.clone()
        })],
        None => Vec::new(),
    }
}

/// `dw` (and the signed accumulators) in the other convention; the weights come out the same
/// (docs/contract.md §4), so only signed quantities can show this mistake.
fn other_sign_convention(problem: &Problem) -> Vec<Variant> {
    if problem.optimizer.full_batch() {
        // Conjugate gradient's worked lines are g, β, d, η — none carries the convention's
        // sign.
        return Vec::new();
    }
    let mut p = problem.clone();
    p.conventions.sign = match p.conventions.sign {
        SignConvention::Gradient => SignConvention::Delta,
        SignConvention::Delta => SignConvention::Gradient,
    };
    vec![Variant::of(p)]
}

/// The notes' own erratum (docs/contract.md §10): sample j's forward pass and gradient use sample j − 1's
/// inputs (and its own target). Only meaningful online, one sample per update.
fn previous_sample_inputs(problem: &Problem) -> Vec<Variant> {
    let online = problem.batch_size == 1 && problem.samples.len() >= 2;
    if !online || problem.optimizer.full_batch() {
        return Vec::new();
    }
    let mut p = problem.clone();
    for j in (1..p.samples.len()).rev() {
        let previous = p.samples[j - 1].x.clone();
        p.samples[j].x = previous;
    }
    vec![Variant::of(p)]
}

fn weights_not_updated(problem: &Problem) -> Vec<Variant> {
    let batches = if problem.optimizer.full_batch() {
        1
    } else {
        problem
            .samples
            .len()
            .div_ceil(problem.batch_size.clamp(1, problem.samples.len().max(1)))
    };
    let updates = (batches as u64).saturating_mul(problem.epochs);
    if updates < 2 {
        return Vec::new();
    }
    vec![Variant::hooked(
        problem,
        Hooks {
            stale_weights: true,
            ..Hooks::default()
        },
    )]
}

/// A network's backpropagation slip, where the problem has a backward pass to make it in:
/// a network trained by an optimizer of its own updates (conjugate gradient's line search
/// works on the whole vector, and its lines carry no δ's sign).
fn backprop_slip(problem: &Problem, hooks: Hooks) -> Vec<Variant> {
    if problem.network.is_none() || problem.optimizer.full_batch() {
        return Vec::new();
    }
    vec![Variant::hooked(problem, hooks)]
}

/// The classic slip of backpropagation by hand (the erratum of Mazur's worked example): the
/// outer weights updated first, and the hidden δ's propagated through the new values.
fn updated_outer_weights(problem: &Problem) -> Vec<Variant> {
    let hidden = problem
        .network
        .as_ref()
        .is_some_and(|net| net.network.layers.len() >= 2);
    if !hidden {
        return Vec::new();
    }
    backprop_slip(
        problem,
        Hooks {
            updated_outer_weights: true,
            ..Hooks::default()
        },
    )
}

/// `f′` left out at the outputs, in the hidden layers, or both — each only where there is an
/// `f′` to leave out (a linear unit's is 1; cross-entropy's output δ has none).
fn missing_activation_derivative(problem: &Problem) -> Vec<Variant> {
    let Some(net) = problem.network.as_deref() else {
        return Vec::new();
    };
    let layers = &net.network.layers;
    let curved = |layer: &crate::solve::network::Layer| layer.activation != Activation::Linear;
    let output = problem.loss == Loss::SquaredError && layers.last().is_some_and(curved);
    let hidden = layers.iter().rev().skip(1).any(curved);
    let which = match (output, hidden) {
        (true, true) => vec![DeltaLayers::All, DeltaLayers::Output, DeltaLayers::Hidden],
        (true, false) => vec![DeltaLayers::Output],
        (false, true) => vec![DeltaLayers::Hidden],
        (false, false) => Vec::new(),
    };
    which
        .into_iter()
        .flat_map(|layers| {
            backprop_slip(
                problem,
                Hooks {
                    deltas: DeltaSlips {
                        without_derivative: Some(layers),
                        ..DeltaSlips::default()
                    },
                    ..Hooks::default()
                },
            )
        })
        .collect()
}

/// The output error `t − y` for `y − t` (or the reverse): the δ's and gradients carry the other
/// sign, and the update, done by the right rule, goes uphill. Unlike `other_sign_convention`
/// (the signs of `dw` with the update still right) and `wrong_update_direction` (the right δ's,
/// the update reversed), it changes both.
fn delta_sign_flipped(problem: &Problem) -> Vec<Variant> {
    backprop_slip(
        problem,
        Hooks {
            deltas: DeltaSlips {
                sign_flipped: true,
                ..DeltaSlips::default()
            },
            ..Hooks::default()
        },
    )
}

/// The problem with its network's biases updated or not, where it has biases.
fn biases_toggled(problem: &Problem, asked_updated: bool) -> Vec<Variant> {
    let Some(net) = problem.network.as_deref() else {
        return Vec::new();
    };
    let has_biases = net.network.layers.iter().any(|l| l.biases.is_some());
    if !has_biases || net.network.update_biases != asked_updated {
        return Vec::new();
    }
    let network = Network {
        update_biases: !asked_updated,
        ..net.network.clone()
    };
    vec![Variant::of(Problem {
        network: Some(Box::new(NetworkModel::new(network))),
        ..problem.clone()
    })]
}

fn biases_updated(problem: &Problem) -> Vec<Variant> {
    biases_toggled(problem, false)
}

fn biases_fixed(problem: &Problem) -> Vec<Variant> {
    biases_toggled(problem, true)
}

/// The schedule's epoch number off by one either way (`first_epoch ± 1`, never below 0).
fn wrong_epoch_rate(problem: &Problem) -> Vec<Variant> {
    let Some(schedule) = problem.schedule else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for first_epoch in [
        schedule.first_epoch.checked_add(1),
        schedule.first_epoch.checked_sub(1),
    ]
    .into_iter()
    .flatten()
    {
        let mut p = problem.clone();
        if let Some(s) = p.schedule.as_mut() {
            s.first_epoch = first_epoch;
        }
        out.push(Variant::of(p));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epsilon_entries_read_as_their_description_written_for_s() {
        for (code, done, asked) in [
            ("epsilon_outside_root", "outside", "inside"),
            ("epsilon_inside_root", "inside", "outside"),
        ] {
            let kind = mistake(code).map(|k| k.description);
            assert_eq!(
                kind,
                Some(epsilon_moved(done, asked, "s").as_str()),
                "{code}"
            );
        }
    }
}

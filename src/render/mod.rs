//! Renderings of a whole solution for people: Markdown that reads like the course's solution
//! pages, and a LaTeX fragment of `align*` blocks. Pure functions of the problem and its solution;
//! numbers are displayed at the requested precision while the JSON keeps full precision.

mod latex;
mod markdown;
mod network;

pub use latex::{latex, latex_document, running_text as latex_text, PREAMBLE as LATEX_PREAMBLE};
pub use markdown::markdown;

/// The pieces of a rendered page, each rendering writing its own.
trait Page {
    /// The title, the settings and the initial weights.
    fn setup(out: &mut String, problem: &Problem, precision: Precision);
    /// The warnings whose update `at` accepts (`None`: the run's own).
    fn notes(out: &mut String, solution: &Solution, at: impl Fn(Option<u64>) -> bool);
    fn step(out: &mut String, problem: &Problem, step: &Step, precision: Precision);
    /// The final weights and the loss.
    fn result(out: &mut String, problem: &Problem, solution: &Solution, precision: Precision);
}

/// A whole solution as one rendering writes it: the setup and the run's notes, each update
/// followed by its notes, the notes about updates past the steps listed, the result.
fn page<P: Page>(problem: &Problem, solution: &Solution, precision: Precision) -> String {
    let mut out = String::new();
    P::setup(&mut out, problem, precision);
    P::notes(&mut out, solution, |step| step.is_none());
    for step in &solution.steps {
        P::step(&mut out, problem, step, precision);
        P::notes(&mut out, solution, |at| at == Some(step.index));
    }
    let shown = solution.steps.len() as u64;
    P::notes(&mut out, solution, |at| at.is_some_and(|s| s > shown));
    P::result(&mut out, problem, solution, precision);
    out
}

use crate::solve::expr::{count, format_number, Precision};
use crate::solve::{
    Activation, EpsilonPlacement, Loss, Problem, Reduction, Rounding, Schedule, ScheduleKind,
    SchedulePer, SignConvention, Solution, Step,
};

/// The heading of one update: the training example (online), the batch, or the iteration.
fn step_heading(problem: &Problem, step: &Step, precision: Precision, tex: bool) -> String {
    let mut heading = if let Some(c) = &step.conjugate {
        format!("Iteration k = {}", c.k)
    } else if let [only] = step.samples.as_slice() {
        let (names, values) = example_names(problem, *only, precision, tex);
        if tex {
            format!(
                "Update {}: training example {}, $({}) = ({})$",
                step.index,
                only + 1,
                names.join(", "),
                values.join(", ")
            )
        } else {
            format!(
                "Update {}: training example {}, ({}) = ({})",
                step.index,
                only + 1,
                names.join(", "),
                values.join(", ")
            )
        }
    } else {
        let first = step.samples.first().map_or(0, |s| s + 1);
        let last = step.samples.last().map_or(0, |s| s + 1);
        format!(
            "Update {}: batch of training examples {first}–{last}",
            step.index
        )
    };
    if problem.epochs > 1 || problem.schedule.is_some() {
        heading.push_str(&format!(" (epoch {})", step.epoch));
    }
    heading
}

/// The names of a training example's inputs and target and their values, for its heading:
/// `x₁, x₂, t` for the neuron; a network's in its notation (`i_1, i_2, target_o1, target_o2`).
fn example_names(
    problem: &Problem,
    sample: usize,
    precision: Precision,
    tex: bool,
) -> (Vec<String>, Vec<String>) {
    let number = |x: f64| format_number(x, precision, tex);
    if let Some(net) = network::model(problem) {
        let pairs = network::example(net, problem, sample).unwrap_or_default();
        return pairs
            .into_iter()
            .map(|(symbol, v)| {
                let name = if tex { symbol.tex() } else { symbol.text() };
                (name, number(v))
            })
            .unzip();
    }
    let values: Vec<String> = problem
        .samples
        .get(sample)
        .map(|s| s.x.iter().chain([&s.t]).map(|v| number(*v)).collect())
        .unwrap_or_default();
    let names: Vec<String> = (1..=problem.weights.len())
        .map(|i| {
            if tex {
                format!("x_{{{i}}}")
            } else {
                format!("x{}", subscript_digits(i))
            }
        })
        .chain(["t".to_string()])
        .collect();
    (names, values)
}

fn subscript_digits(i: usize) -> String {
    i.to_string()
        .chars()
        .map(|c| match c {
            '0' => '₀',
            '1' => '₁',
            '2' => '₂',
            '3' => '₃',
            '4' => '₄',
            '5' => '₅',
            '6' => '₆',
            '7' => '₇',
            '8' => '₈',
            _ => '₉',
        })
        .collect()
}

/// A title for the solution.
fn title(problem: &Problem) -> String {
    let name = problem.optimizer.spec().title;
    if problem.bias_correction && problem.optimizer.has_moving_average() {
        format!("{name} with bias correction")
    } else {
        name.to_string()
    }
}

/// The setup of the problem as `(name, value)` pairs in plain text: hyperparameters and the
/// choices that change the numbers.
fn setup(problem: &Problem, precision: Precision) -> Vec<(String, String)> {
    let number = |x: f64| format_number(x, precision, false);
    let mut items: Vec<(String, String)> = problem
        .optimizer
        .shown(number)
        .into_iter()
        .map(|s| (s.name.to_string(), s.value))
        .collect();
    let mut push = |k: &str, v: String| items.push((k.to_string(), v));
    if let Some(schedule) = &problem.schedule {
        push("schedule", schedule_rule(schedule, precision));
    }
    match network::model(problem) {
        Some(net) => {
            push("network", network::shape(net, loss_name(problem.loss)));
            if let Some(biases) = network::biases(net) {
                push("biases", biases);
            }
        }
        None => push("neuron", neuron(problem)),
    }
    if problem.batch_size > 1 {
        push(
            "batch",
            format!(
                "{} samples per update, {} of the sample gradients",
                problem.batch_size,
                match problem.reduction {
                    Reduction::Mean => "mean",
                    Reduction::Sum => "sum",
                }
            ),
        );
    }
    if problem.epochs > 1 {
        push("epochs", problem.epochs.to_string());
    }
    push(
        "sign convention",
        match problem.conventions.sign {
            SignConvention::Gradient => "gradient: dw = ∂E/∂w, updates subtract".into(),
            SignConvention::Delta => "delta: dw = −∂E/∂w, updates add".into(),
        },
    );
    if let Some(accumulator) = problem.optimizer.root_accumulator() {
        push(
            "ε placement",
            match problem.conventions.epsilon {
                EpsilonPlacement::InsideSqrt => format!("inside the root, √({accumulator} + ε)"),
                EpsilonPlacement::OutsideSqrt => format!("outside the root, √{accumulator} + ε"),
            },
        );
    }
    if let Some(rounding) = problem.rounding {
        push("rounding", rounding_rule(rounding));
    }
    items
}

/// The schedule's rule and where its `e` starts.
fn schedule_rule(schedule: &Schedule, precision: Precision) -> String {
    let number = |x: f64| format_number(x, precision, false);
    let rule = match schedule.kind {
        ScheduleKind::TimeBased { decay_rate } => {
            format!("time-based, α = α₀ / (1 + {} e)", number(decay_rate))
        }
        ScheduleKind::Step {
            drop_rate,
            epochs_drop,
        } => format!("step, α = α₀ × {}^⌊e / {epochs_drop}⌋", number(drop_rate)),
        ScheduleKind::Exponential { k } => format!("exponential, α = α₀ exp(−{} e)", number(k)),
    };
    let per = match schedule.per {
        SchedulePer::Epoch => "",
        SchedulePer::Update => ", e counts updates",
    };
    format!("{rule}, first e = {}{per}", schedule.first_epoch)
}

/// The neuron: its activation, loss and bias.
fn neuron(problem: &Problem) -> String {
    format!(
        "{} activation, {} loss{}",
        activation_name(problem.activation),
        loss_name(problem.loss),
        if problem.bias.is_some() {
            ", with bias b"
        } else {
            ""
        }
    )
}

fn activation_name(activation: Activation) -> &'static str {
    match activation {
        Activation::Logistic => "logistic",
        Activation::Linear => "linear",
        Activation::Tanh => "tanh",
        Activation::Relu => "ReLU",
    }
}

fn loss_name(loss: Loss) -> &'static str {
    match loss {
        Loss::SquaredError => "squared-error",
        Loss::CrossEntropy => "cross-entropy",
    }
}

/// How the hand calculation rounds.
fn rounding_rule(rounding: Rounding) -> String {
    match rounding {
        Rounding::Decimals(k) => format!(
            "every value to {}, carried forward",
            count(k, "decimal", "decimals")
        ),
        Rounding::SignificantFigures(k) => format!(
            "every value to {}, carried forward",
            count(k, "significant figure", "significant figures")
        ),
    }
}

/// Which number the first epoch has and the rate it trains at, and how to number as the
/// course's tables do (from 1); `None` for one epoch without a schedule, where it matters not.
fn epoch_numbering(problem: &Problem, precision: Precision) -> Option<String> {
    let number = |x: f64| format_number(x, precision, false);
    let rounded = |x: f64| crate::solve::reading::round_value(problem.rounding, x);
    let alpha0 = problem.optimizer.learning_rate();
    let Some(schedule) = &problem.schedule else {
        if problem.epochs <= 1 {
            return None;
        }
        let rate = alpha0
            .map(|a| {
                format!(
                    "; without a schedule every epoch uses α = {}",
                    number(rounded(a))
                )
            })
            .unwrap_or_default();
        return Some(format!(
            "the first epoch is epoch 0{rate} (a schedule with `first_epoch: 1` numbers epochs \
             from 1, as the course's tables do)"
        ));
    };
    let first = schedule.first_epoch;
    let rate = rounded(crate::solve::schedule::rate(
        alpha0.unwrap_or(0.0),
        schedule.kind,
        first,
    ));
    let uses = format!(
        "uses α({first}) = {}{}",
        if first == 0 { "α₀ = " } else { "" },
        number(rate)
    );
    let which = match schedule.per {
        SchedulePer::Epoch => format!("the first epoch is epoch {first} and {uses}"),
        SchedulePer::Update => {
            format!("e counts updates: the first update has e = {first} and {uses}")
        }
    };
    Some(if first == 1 {
        format!("{which}, as in the course's tables")
    } else {
        format!(
            "{which}; the course's tables start at epoch 1 (set `schedule.first_epoch: 1` for \
             them)"
        )
    })
}

/// The precision lines are shown with: hand-calculation values exactly as rounded.
fn line_precision(problem: &Problem, precision: Precision) -> Precision {
    if problem.rounding.is_some() {
        Precision::Full
    } else {
        precision
    }
}

/// A vector for display: `(0.5009, 0.5006)`.
fn vector(values: &[f64], precision: Precision, tex: bool) -> String {
    let items: Vec<String> = values
        .iter()
        .map(|v| format_number(*v, precision, tex))
        .collect();
    format!("({})", items.join(", "))
}

fn status_sentence(solution: &Solution) -> &'static str {
    match solution.status {
        crate::solve::Status::Completed => "completed every update",
        crate::solve::Status::Converged => "converged: the gradient is within the tolerance",
        crate::solve::Status::Diverged => {
            "diverged: the trace stops before the first non-finite update"
        }
    }
}

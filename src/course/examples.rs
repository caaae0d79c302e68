//! The course's worked examples (docs/contract.md §10) as ready-to-post problems, each with the
//! values the notes print and the errata that concern it; and the errata as warnings, which every
//! solve of a matching problem carries.
//!
//! Every `where` is a JSON pointer into the response of the example's `endpoint`; the names of
//! the accumulators (`velocity`, `square_sum`, `square_avg`) are docs/contract.md §7's.

use serde_json::{json, Value};

use crate::wire::model::{Erratum, Example, PrintedValue};

/// The example with this id.
pub fn example(id: &str) -> Option<Example> {
    examples().into_iter().find(|e| e.id == id)
}

pub(super) const SOLVE: &str = "/v1/solve";
const SCHEDULE: &str = "/v1/schedule";
const COMPARE: &str = "/v1/compare";

fn two_samples() -> Value {
    json!([{"x": [1, 0.6], "t": 0.8}, {"x": [0.5, 0.5], "t": 0.6}])
}

fn three_samples() -> Value {
    json!([
        {"x": [1, 0.6], "t": 0.8},
        {"x": [0.5, 0.5], "t": 0.6},
        {"x": [0.2, 0.8], "t": 0.3}
    ])
}

pub(super) fn printed(quantity: &str, printed: f64, location: &str) -> PrintedValue {
    PrintedValue {
        quantity: quantity.to_string(),
        printed,
        location: location.to_string(),
    }
}

pub(super) fn example_of(
    id: &str,
    title: &str,
    description: &str,
    endpoint: &str,
    problem: Value,
    printed_values: Vec<PrintedValue>,
    errata: Vec<Erratum>,
) -> Example {
    Example {
        id: id.to_string(),
        title: title.to_string(),
        description: description.to_string(),
        endpoint: endpoint.to_string(),
        problem,
        printed_values,
        errata,
    }
}

/// The notes' Adagrad and RMSProp write `α / √v` with no ε.
fn epsilon_omitted() -> Erratum {
    Erratum {
        quantity: "\\varepsilon".to_string(),
        printed: "w_{t+1} = w_t - \\frac{\\alpha}{\\sqrt{v_t}} dw_t (no epsilon)".to_string(),
        correct: "w_{t+1} = w_t - \\frac{\\alpha}{\\sqrt{v_t + \\varepsilon}} dw_t".to_string(),
        correct_value: None,
        location: None,
        explanation: "The worked solutions omit ε; the default 1e-8 inside the root moves the \
                      printed values by less than their last digit."
            .to_string(),
    }
}

/// The notes' errata that concern a problem, as warnings (code `erratum`) on the update they
/// concern: those of every example on the same training data, neuron and algorithm (the
/// hyperparameters and conventions may differ — the erratum is about the notes' data).
pub fn errata_warnings(problem: &crate::solve::Problem) -> Vec<crate::solve::Warning> {
    let mut warnings: Vec<crate::solve::Warning> = Vec::new();
    for (theirs, errata) in course_errata() {
        let same_setting = theirs.samples == problem.samples
            && theirs.weights == problem.weights
            && theirs.bias == problem.bias
            && theirs.activation == problem.activation
            && theirs.loss == problem.loss
            && theirs.optimizer.name() == problem.optimizer.name();
        if !same_setting {
            continue;
        }
        for warning in errata {
            if !warnings.iter().any(|w| w.message == warning.message) {
                warnings.push(warning.clone());
            }
        }
    }
    warnings
}

/// Each solve example's validated problem with its errata as warnings, built once: every
/// `/v1/solve` consults them.
fn course_errata() -> &'static [(crate::solve::Problem, Vec<crate::solve::Warning>)] {
    static ERRATA: std::sync::OnceLock<Vec<(crate::solve::Problem, Vec<crate::solve::Warning>)>> =
        std::sync::OnceLock::new();
    ERRATA.get_or_init(|| {
        examples()
            .into_iter()
            .filter(|e| e.endpoint == SOLVE)
            .filter_map(|example| {
                let valid = crate::wire::validate::problem(&example.problem).ok()?;
                let warnings = example.errata.iter().map(erratum_warning).collect();
                Some((valid.problem, warnings))
            })
            .collect()
    })
}

/// An erratum as a warning on the update it concerns.
fn erratum_warning(erratum: &Erratum) -> crate::solve::Warning {
    let step = erratum
        .location
        .as_deref()
        .and_then(|pointer| pointer.strip_prefix("/steps/"))
        .and_then(|rest| rest.split('/').next())
        .and_then(|index| index.parse::<u64>().ok())
        .map(|index| index + 1);
    let text = crate::solve::expr::tex_to_text;
    let message = format!(
        "Erratum in the course notes, {}: they write {}; it is {}. {}",
        text(&erratum.quantity),
        text(&erratum.printed),
        text(&erratum.correct),
        erratum.explanation
    );
    crate::solve::Warning::new("erratum", message, step)
}

/// Every example, in the order of the notes, then the networks' (docs/contract.md §11).
pub fn examples() -> Vec<Example> {
    let mut all = neuron_examples();
    all.extend(super::network_examples::examples());
    all
}

/// The single neuron's examples, in the order of the notes.
fn neuron_examples() -> Vec<Example> {
    let momentum_problem = |bias_correction: bool| {
        json!({
            "samples": two_samples(),
            "weights": [0.5, 0.5],
            "algorithm": "momentum",
            "hyperparameters": {"learning_rate": 0.2, "beta": 0.8, "form": "average"},
            "bias_correction": bias_correction,
            "conventions": {"sign": "delta"}
        })
    };
    let all_four = |algorithm: &str, hyperparameters: Value, sign: &str| {
        json!({
            "samples": three_samples(),
            "weights": [0.5, 0.5],
            "algorithm": algorithm,
            "hyperparameters": hyperparameters,
            "bias_correction": true,
            "conventions": {"sign": sign}
        })
    };
    let all_four_description = "The notes' last exercise: momentum, Adagrad, RMSProp and Adam \
        on the three samples with α 0.2, β 0.8, β₁ 0.8, β₂ 0.8, using bias correction in each \
        case. The notes print no solution.";

    vec![
        example_of(
            "momentum",
            "Momentum",
            "Two samples, α 0.2, β 0.8, the average form, and the notes' sign convention \
             (dw = (t − y) y (1 − y) x, updates add).",
            SOLVE,
            momentum_problem(false),
            vec![
                printed("y_{in}", 0.8, "/steps/0/forward/0/net"),
                printed("y", 0.6899, "/steps/0/forward/0/output"),
                printed("(dw_1)_1", 0.02354, "/steps/0/dw/0"),
                printed("(dw_2)_1", 0.01412, "/steps/0/dw/1"),
                printed("(v_1)_1", 0.004708, "/steps/0/state/velocity/0"),
                printed("(v_2)_1", 0.002824, "/steps/0/state/velocity/1"),
                printed("(w_1)_2", 0.5009, "/steps/0/weights_after/0"),
                printed("(w_2)_2", 0.5006, "/steps/0/weights_after/1"),
            ],
            vec![
                Erratum {
                    quantity: "y_{in} (second sample)".to_string(),
                    printed: "y_{in} = 0.5009 \\times 1 + 0.5006 \\times 0.6 = 0.7512".to_string(),
                    correct: "y_{in} = 0.5009 \\times 0.5 + 0.5006 \\times 0.5 \\approx 0.50075"
                        .to_string(),
                    correct_value: Some(0.50075),
                    location: Some("/steps/1/forward/0/net".to_string()),
                    explanation: "The notes use the first sample's inputs (1, 0.6) for the second \
                                  sample, whose inputs are (0.5, 0.5); the y = 0.67944 computed \
                                  from it is ≈ 0.62264 with the right inputs."
                        .to_string(),
                },
                Erratum {
                    quantity: "(w_2)_3".to_string(),
                    printed: "(w_2)_2 = (w_2)_2 + 0.2 \\times (v_2)_2".to_string(),
                    correct: "(w_2)_3 = (w_2)_2 + 0.2 \\times (v_2)_2".to_string(),
                    correct_value: None,
                    location: Some("/steps/1/weights_after/1".to_string()),
                    explanation: "The last line of the second update names the new weight with \
                                  the old index; it is the weight after update 2, (w_2)_3."
                        .to_string(),
                },
            ],
        ),
        example_of(
            "momentum_bias_correction",
            "Momentum with bias correction",
            "The momentum example again, with every velocity divided by 1 − β^t. The notes \
             print no solution (an exercise).",
            SOLVE,
            momentum_problem(true),
            Vec::new(),
            Vec::new(),
        ),
        example_of(
            "adagrad",
            "Adagrad",
            "Three samples, α 0.2, and the default ε 1e-8 inside the root (the notes omit ε). \
             The notes write the accumulator as v; here it is `state.square_sum`.",
            SOLVE,
            json!({
                "samples": three_samples(),
                "weights": [0.5, 0.5],
                "algorithm": "adagrad",
                "hyperparameters": {"learning_rate": 0.2}
            }),
            vec![
                printed("(v_1)_1", 0.000554, "/steps/0/state/square_sum/0"),
                printed("(v_2)_1", 0.000199, "/steps/0/state/square_sum/1"),
                printed("(w_1)_2", 0.7, "/steps/0/weights_after/0"),
                printed("(w_2)_2", 0.7, "/steps/0/weights_after/1"),
                printed("y_{in} (second sample)", 0.7, "/steps/1/forward/0/net"),
                printed("y (second sample)", 0.6682, "/steps/1/forward/0/output"),
                printed("(dw_1)_2", 0.007559, "/steps/1/dw/0"),
                printed("(dw_2)_2", 0.007559, "/steps/1/dw/1"),
                printed("(v_1)_2", 0.000611, "/steps/1/state/square_sum/0"),
                printed("(v_2)_2", 0.000257, "/steps/1/state/square_sum/1"),
                printed("(w_1)_3", 0.639, "/steps/1/weights_after/0"),
                printed("(w_2)_3", 0.606, "/steps/1/weights_after/1"),
                printed("(w_1)_4", 0.531, "/steps/2/weights_after/0"),
                printed("(w_2)_4", 0.412, "/steps/2/weights_after/1"),
            ],
            vec![epsilon_omitted()],
        ),
        example_of(
            "rmsprop",
            "RMSProp",
            "Three samples, α 0.2, β 0.8, and the default ε 1e-8 inside the root (the notes \
             omit ε). The notes write the accumulator as v; here it is `state.square_avg`.",
            SOLVE,
            json!({
                "samples": three_samples(),
                "weights": [0.5, 0.5],
                "algorithm": "rmsprop",
                "hyperparameters": {"learning_rate": 0.2, "beta": 0.8}
            }),
            vec![
                printed("(dw_1)_1", -0.02354, "/steps/0/dw/0"),
                printed("(dw_2)_1", -0.01412, "/steps/0/dw/1"),
                printed("(v_1)_1", 0.000111, "/steps/0/state/square_avg/0"),
                printed("(v_2)_1", 0.0000399, "/steps/0/state/square_avg/1"),
                printed("(w_1)_2", 0.947, "/steps/0/weights_after/0"),
            ],
            vec![
                Erratum {
                    quantity: "(w_2)_2".to_string(),
                    printed:
                        "(w_2)_2 = w_2 - \\frac{0.2}{\\sqrt{0.000399}} \\times (-0.01412) = 4.971"
                            .to_string(),
                    correct: "(w_2)_2 = w_2 - \\frac{0.2}{\\sqrt{0.0000399}} \\times (-0.01412) \
                              \\approx 0.947"
                        .to_string(),
                    correct_value: Some(0.947),
                    location: Some("/steps/0/weights_after/1".to_string()),
                    explanation: "The notes take the root of 0.000399 instead of 0.0000399 and \
                                  print 4.971; the value is ≈ 0.947, the same as (w_1)_2 \
                                  (the first RMSProp step moves every weight by about α)."
                        .to_string(),
                },
                epsilon_omitted(),
            ],
        ),
        example_of(
            "adam",
            "Adam",
            "Three samples, α 0.2, β₁ 0.8, β₂ 0.8, with Adam's bias correction (its default). \
             The notes leave it to the reader (\"try yourself\").",
            SOLVE,
            json!({
                "samples": three_samples(),
                "weights": [0.5, 0.5],
                "algorithm": "adam",
                "hyperparameters": {"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8}
            }),
            Vec::new(),
            Vec::new(),
        ),
        example_of(
            "bias_correction_all_momentum",
            "All four with bias correction: momentum",
            all_four_description,
            SOLVE,
            all_four(
                "momentum",
                json!({"learning_rate": 0.2, "beta": 0.8}),
                "delta",
            ),
            Vec::new(),
            Vec::new(),
        ),
        example_of(
            "bias_correction_all_adagrad",
            "All four with bias correction: Adagrad",
            "The notes' last exercise, Adagrad part. Adagrad keeps a running sum, not an \
             average, so bias correction changes nothing and the response says so in a warning.",
            SOLVE,
            all_four("adagrad", json!({"learning_rate": 0.2}), "gradient"),
            Vec::new(),
            Vec::new(),
        ),
        example_of(
            "bias_correction_all_rmsprop",
            "All four with bias correction: RMSProp",
            all_four_description,
            SOLVE,
            all_four(
                "rmsprop",
                json!({"learning_rate": 0.2, "beta": 0.8}),
                "gradient",
            ),
            Vec::new(),
            Vec::new(),
        ),
        example_of(
            "bias_correction_all_adam",
            "All four with bias correction: Adam",
            all_four_description,
            SOLVE,
            all_four(
                "adam",
                json!({"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8}),
                "gradient",
            ),
            Vec::new(),
            Vec::new(),
        ),
        example_of(
            "conjugate_gradient_vs_gradient_descent",
            "Conjugate gradient against gradient descent",
            "The notes' figures \"Convergence of Gradient Descent\" and \"Convergence of \
             Conjugate Gradient\" on the three samples from w = (0.5, 0.5): full-batch gradient \
             descent with α 45 zigzags across the valley, while Fletcher–Reeves conjugate gradient with an exact line search reaches \
             the minimum in a few iterations. The notes print no numbers; POST this body to \
             /v1/plot/surface for the figure, or to /v1/compare for the numbers.",
            COMPARE,
            json!({
                "problem": {
                    "samples": three_samples(),
                    "weights": [0.5, 0.5],
                    "epochs": 10,
                    "batch_size": 3
                },
                "configurations": [
                    {"label": "Gradient descent", "algorithm": "gd",
                     "hyperparameters": {"learning_rate": 45}},
                    {"label": "Conjugate gradient", "algorithm": "conjugate_gradient"}
                ]
            }),
            Vec::new(),
            Vec::new(),
        ),
        example_of(
            "time_based_decay",
            "Time-based decay",
            "α = α₀ / (1 + decay_rate · epoch) with α₀ 0.2 and decay_rate 1, at epochs 1, 2, 3.",
            SCHEDULE,
            json!({
                "learning_rate": 0.2,
                "schedule": {"type": "time_based", "decay_rate": 1},
                "epochs": [1, 2, 3]
            }),
            vec![
                printed("\\alpha (epoch 1)", 0.1, "/rates/0/learning_rate"),
                printed("\\alpha (epoch 2)", 0.067, "/rates/1/learning_rate"),
                printed("\\alpha (epoch 3)", 0.05, "/rates/2/learning_rate"),
            ],
            Vec::new(),
        ),
        example_of(
            "time_based_decay_solve",
            "Time-based decay inside a solve",
            "The time-based table again, inside a solve: gradient descent on the momentum \
             example's two samples with α₀ 0.2, the notes' sign convention, decay_rate 1 and \
             `first_epoch: 1`, for 3 epochs. The epochs are numbered 1, 2, 3 as in the notes' \
             table and train at 0.1, 0.067 and 0.05 (each rate on both updates of its epoch). \
             Without `first_epoch` the first epoch is epoch 0 and trains at α₀ = 0.2.",
            SOLVE,
            json!({
                "samples": two_samples(),
                "weights": [0.5, 0.5],
                "algorithm": "gd",
                "hyperparameters": {"learning_rate": 0.2},
                "epochs": 3,
                "schedule": {"type": "time_based", "decay_rate": 1, "first_epoch": 1},
                "conventions": {"sign": "delta"}
            }),
            vec![
                printed("\\alpha (epoch 1)", 0.1, "/steps/0/learning_rate"),
                printed("\\alpha (epoch 2)", 0.067, "/steps/2/learning_rate"),
                printed("\\alpha (epoch 3)", 0.05, "/steps/4/learning_rate"),
            ],
            Vec::new(),
        ),
        example_of(
            "step_decay",
            "Step decay",
            "α = α₀ · drop_rate^⌊epoch / epochs_drop⌋ with α₀ 0.2, drop_rate 0.5 and \
             epochs_drop 5, at epochs 5, 10, 15.",
            SCHEDULE,
            json!({
                "learning_rate": 0.2,
                "schedule": {"type": "step", "drop_rate": 0.5, "epochs_drop": 5},
                "epochs": [5, 10, 15]
            }),
            vec![
                printed("\\alpha (epoch 5)", 0.1, "/rates/0/learning_rate"),
                printed("\\alpha (epoch 10)", 0.05, "/rates/1/learning_rate"),
                printed("\\alpha (epoch 15)", 0.025, "/rates/2/learning_rate"),
            ],
            Vec::new(),
        ),
        example_of(
            "exponential_decay",
            "Exponential decay",
            "α = α₀ · e^(−k · epoch) with α₀ 0.2 and k 0.1, at epochs 1, 2, 3.",
            SCHEDULE,
            json!({
                "learning_rate": 0.2,
                "schedule": {"type": "exponential", "k": 0.1},
                "epochs": [1, 2, 3]
            }),
            vec![
                printed("\\alpha (epoch 1)", 0.181, "/rates/0/learning_rate"),
                printed("\\alpha (epoch 2)", 0.164, "/rates/1/learning_rate"),
                printed("\\alpha (epoch 3)", 0.148, "/rates/2/learning_rate"),
            ],
            Vec::new(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::fields::FieldError;
    use crate::wire::validate;

    #[test]
    fn every_example_is_a_valid_request_for_its_endpoint() {
        for example in examples() {
            let valid = match example.endpoint.as_str() {
                SOLVE => validate::problem(&example.problem).map(|_| ()),
                SCHEDULE => validate::schedule_request(&example.problem).map(|_| ()),
                COMPARE => crate::usecase::compare::compare_body(&example.problem)
                    .map(|_| ())
                    .map_err(|e| vec![FieldError::new("", format!("{e:?}"))]),
                other => panic!("{}: unknown endpoint {other}", example.id),
            };
            assert_eq!(valid, Ok(()), "{}", example.id);
        }
    }

    #[test]
    fn example_ids_are_unique() {
        let mut ids: Vec<String> = examples().into_iter().map(|e| e.id).collect();
        let count = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), count);
    }

    #[test]
    fn the_four_errata_are_each_attached_somewhere() {
        let all: Vec<Erratum> = examples().into_iter().flat_map(|e| e.errata).collect();
        let mut distinct: Vec<&str> = all.iter().map(|e| e.quantity.as_str()).collect();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), 4, "{distinct:?}");
    }
}

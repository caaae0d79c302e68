//! The course's problems (docs/contract.md §10), one problem per algorithm, and ways to build a student's
//! answers: from the right solution, from a run with slips carried forward, or from a run that
//! makes a mistake.

use std::collections::BTreeMap;

use gradtrace::grade::{grade, Answer, CarryForward, GradeReport, GradeSpec, Tolerance};
use gradtrace::solve::*;

pub use crate::common::course::{course, course_momentum};

/// docs/contract.md §10's adagrad example: 3 samples, α 0.2 (ε at its default 1e-8).
pub fn course_adagrad(epsilon: f64) -> Problem {
    course(
        3,
        Optimizer::Adagrad {
            learning_rate: 0.2,
            epsilon,
            initial_accumulator: 0.0,
            window: None,
        },
    )
}

/// docs/contract.md §10's rmsprop example: 3 samples, α 0.2, β 0.8.
pub fn course_rmsprop() -> Problem {
    course(
        3,
        Optimizer::Rmsprop {
            learning_rate: 0.2,
            beta: 0.8,
            epsilon: 1e-8,
        },
    )
}

/// docs/contract.md §10's adam exercise: 3 samples, α 0.2, β₁ 0.8, β₂ 0.8.
pub fn course_adam() -> Problem {
    course(
        3,
        Optimizer::Adam {
            learning_rate: 0.2,
            beta1: 0.8,
            beta2: 0.8,
            epsilon: 1e-8,
        },
    )
}

/// One problem per algorithm on the course's data, with the course's α 0.2 and β 0.8 where the
/// algorithm has them (others at docs/contract.md §3's defaults).
pub fn every_algorithm() -> Vec<Problem> {
    let mut cg = course(
        3,
        Optimizer::ConjugateGradient {
            beta_formula: BetaFormula::FletcherReeves,
            line_search: LineSearch::Exact { max_step: 1000.0 },
            restart_every: 2,
            tolerance: 1e-10,
        },
    );
    cg.batch_size = 3;
    cg.epochs = 3;
    vec![
        course(3, Optimizer::Gd { learning_rate: 0.2 }),
        course_momentum(),
        course(
            3,
            Optimizer::Nesterov {
                learning_rate: 0.2,
                beta: 0.8,
                form: MomentumForm::Sum,
            },
        ),
        course_adagrad(1e-8),
        course(
            3,
            Optimizer::Adadelta {
                learning_rate: 1.0,
                rho: 0.95,
                epsilon: 1e-6,
            },
        ),
        course_rmsprop(),
        course_adam(),
        course(
            3,
            Optimizer::AdamW {
                learning_rate: 0.2,
                beta1: 0.8,
                beta2: 0.8,
                epsilon: 1e-8,
                weight_decay: 0.01,
            },
        ),
        course(
            3,
            Optimizer::Amsgrad {
                learning_rate: 0.2,
                beta1: 0.8,
                beta2: 0.8,
                epsilon: 1e-8,
            },
        ),
        cg,
    ]
}

pub fn answer_at(step: u64, symbol: &str, value: f64) -> Answer {
    Answer {
        pointer: None,
        step: Some(step),
        symbol: Some(symbol.to_string()),
        value,
        tolerance: None,
        weight: None,
        label: None,
    }
}

pub fn answer_ptr(pointer: &str, value: f64) -> Answer {
    Answer {
        pointer: Some(pointer.to_string()),
        step: None,
        symbol: None,
        value,
        tolerance: None,
        weight: None,
        label: None,
    }
}

pub fn spec(answers: Vec<Answer>, carry_forward: CarryForward) -> GradeSpec {
    GradeSpec {
        answers,
        tolerance: None,
        carry_forward,
    }
}

/// The same, every answer judged to `tolerance`.
pub fn spec_with(
    answers: Vec<Answer>,
    carry_forward: CarryForward,
    tolerance: Tolerance,
) -> GradeSpec {
    GradeSpec {
        answers,
        tolerance: Some(tolerance),
        carry_forward,
    }
}

/// Grade, failing the test with the errors if the answers are rejected.
pub fn graded(problem: &Problem, spec: &GradeSpec) -> GradeReport {
    match grade(problem, spec) {
        Ok(report) => report,
        Err(errors) => panic!("answers rejected: {errors:?}"),
    }
}

/// Every worked line of `solution`, answered by step and symbol with the line's own value.
pub fn every_line(solution: &Solution) -> Vec<Answer> {
    solution
        .steps
        .iter()
        .flat_map(|step| {
            step.lines
                .iter()
                .map(|line| answer_at(step.index, &line.symbol.tex(), line.value))
        })
        .collect()
}

/// The slip of the grading tests: (dw₁)₁ written as 0.2 instead of 0.02354 (course momentum,
/// docs/contract.md §10).
pub fn slip() -> BTreeMap<u64, BTreeMap<String, f64>> {
    BTreeMap::from([(1, BTreeMap::from([("(dw_1)_1".to_string(), 0.2)]))])
}

/// What a student who slips writes: `slips[t][symbol]` in place of those lines, and every other
/// line computed correctly from the numbers they had (the core's carried-forward run).
pub fn with_slips(problem: &Problem, slips: &BTreeMap<u64, BTreeMap<String, f64>>) -> Vec<Answer> {
    let run = solve_with(
        problem,
        Hooks {
            overrides: slips.clone(),
            ..Hooks::default()
        },
    );
    run.steps
        .iter()
        .flat_map(|step| {
            step.lines.iter().map(|line| {
                let value = slips
                    .get(&step.index)
                    .and_then(|s| s.get(&line.symbol.tex()))
                    .copied()
                    .unwrap_or(line.value);
                answer_at(step.index, &line.symbol.tex(), value)
            })
        })
        .collect()
}

/// The line of `mistaken` that holds the same quantity as `line` of step `t` in the right
/// solution: where the step carries it (a pointer outlives a symbol, as `α_e` under another
/// epoch), else by symbol.
fn same_quantity<'s>(mistaken: &'s Solution, t: u64, line: &Line) -> Option<&'s Line> {
    let step = mistaken.steps.iter().find(|s| s.index == t)?;
    line.pointer
        .as_ref()
        .and_then(|p| {
            step.lines
                .iter()
                .rev()
                .find(|l| l.pointer.as_ref() == Some(p))
        })
        .or_else(|| step.lines.iter().find(|l| l.symbol == line.symbol))
}

/// A student's trace made with a mistake: for every line of the right `solution`, the value the
/// same quantity has in the `mistaken` run (lines it lacks are left unanswered).
pub fn mistaken_trace(solution: &Solution, mistaken: &Solution) -> Vec<Answer> {
    solution
        .steps
        .iter()
        .flat_map(|step| {
            step.lines.iter().filter_map(move |line| {
                same_quantity(mistaken, step.index, line)
                    .map(|m| answer_at(step.index, &line.symbol.tex(), m.value))
            })
        })
        .collect()
}

/// Full marks, and no answer taken for a named mistake.
pub fn assert_all_right(problem: &Problem, report: &GradeReport) {
    assert_eq!(
        report.score,
        1.0,
        "{}: {:?}",
        problem.optimizer.name(),
        wrong(report)
    );
    assert!(report.results.iter().all(|r| r.mistake.is_none()));
}

/// `(step, symbol)` of each wrong answer, for messages.
pub fn wrong(report: &GradeReport) -> Vec<(u64, String)> {
    report
        .results
        .iter()
        .filter(|r| !r.correct)
        .map(|r| {
            (
                r.address.step.unwrap_or(0),
                r.address.symbol.clone().unwrap_or_default(),
            )
        })
        .collect()
}

/// A `POST /v1/solve` body read into the core's problem (failing the test if it is refused): how
/// the network problems here are written.
pub fn read_problem(body: &serde_json::Value) -> Problem {
    match gradtrace::wire::validate::problem(body) {
        Ok(valid) => valid.problem,
        Err(errors) => panic!("the problem is refused: {errors:?}"),
    }
}

/// Mazur's 2-2-2 example (tests/fixtures/network-examples.json: "A Step by Step Backpropagation
/// Example", 2015) as a body: one sample, biases fixed, gd with α 0.5, the numbered notation.
pub fn mazur_body() -> serde_json::Value {
    serde_json::json!({
        "samples": [{"x": [0.05, 0.10], "t": [0.01, 0.99]}],
        "network": {"layers": [
            {"activation": "logistic", "weights": [[0.15, 0.20], [0.25, 0.30]], "biases": [0.35, 0.35]},
            {"activation": "logistic", "weights": [[0.40, 0.45], [0.50, 0.55]], "biases": [0.60, 0.60]}
        ], "update_biases": false, "notation": "numbered"},
        "algorithm": "gd",
        "hyperparameters": {"learning_rate": 0.5}
    })
}

pub fn mazur() -> Problem {
    read_problem(&mazur_body())
}

/// Network problems on which every network mistake can happen: Mazur's example over 2 epochs;
/// the same in the layered notation with its biases updated, momentum, two samples in the
/// delta convention; a 2-3-1 tanh network with a cross-entropy output, Adam in batches of 2.
pub fn network_problems() -> Vec<Problem> {
    let mut twice = mazur_body();
    twice["epochs"] = serde_json::json!(2);
    let mut layered = twice.clone();
    layered["network"]["notation"] = serde_json::json!("layered");
    layered["network"]["update_biases"] = serde_json::json!(true);
    layered["samples"] = serde_json::json!([
        {"x": [0.05, 0.10], "t": [0.01, 0.99]},
        {"x": [0.20, 0.30], "t": [0.50, 0.50]}
    ]);
    layered["algorithm"] = serde_json::json!("momentum");
    layered["hyperparameters"] = serde_json::json!({"learning_rate": 0.5, "beta": 0.9});
    layered["conventions"] = serde_json::json!({"sign": "delta"});
    let deep = serde_json::json!({
        "samples": [{"x": [1.0, -0.5], "t": 1}, {"x": [0.3, 0.8], "t": 0}, {"x": [-0.4, 0.2], "t": 1}],
        "network": {"layers": [
            {"activation": "tanh", "weights": [[0.3, -0.2], [0.1, 0.4], [-0.5, 0.2]], "biases": [0.1, -0.1, 0.05]},
            {"activation": "logistic", "weights": [[0.6, -0.4, 0.3]], "biases": [0.2]}
        ]},
        "loss": "cross_entropy",
        "algorithm": "adam",
        "hyperparameters": {"learning_rate": 0.1},
        "batch_size": 2,
        "epochs": 2
    });
    [twice, layered, deep].iter().map(read_problem).collect()
}

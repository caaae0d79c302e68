//! Problem builders and checks shared by the core tests.

use gradtrace::solve::*;

pub use crate::common::course::{course_samples, problem};

pub fn exact_cg(beta_formula: BetaFormula, restart_every: usize) -> Optimizer {
    Optimizer::ConjugateGradient {
        beta_formula,
        line_search: LineSearch::Exact { max_step: 1000.0 },
        restart_every,
        tolerance: 1e-10,
    }
}

/// Every number in the solution's JSON, with the keys that may legitimately be null skipped;
/// a null anywhere else is a non-finite number that serde_json silently wrote as null.
pub fn assert_all_finite(solution: &Solution) {
    let json = serde_json::to_value(solution).expect("a solution always serializes");
    walk(&json, "");
}

const NULLABLE: [&str; 10] = [
    "pointer",
    "bias_before",
    "bias_gradient",
    "bias_dw",
    "bias_after",
    "final_bias",
    "step",
    "conjugate",
    "initial",
    "final",
];

fn walk(value: &serde_json::Value, path: &str) {
    match value {
        serde_json::Value::Null => {
            let key = path.rsplit('/').next().unwrap_or("");
            let in_per_epoch = path.contains("/per_epoch/");
            assert!(
                NULLABLE.contains(&key) || in_per_epoch,
                "null (a non-finite number?) at {path}"
            );
        }
        serde_json::Value::Number(n) => {
            assert!(
                n.as_f64().is_some_and(f64::is_finite),
                "non-finite at {path}"
            );
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &format!("{path}/{i}"));
            }
        }
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                walk(v, &format!("{path}/{k}"));
            }
        }
        _ => {}
    }
}

pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn base(optimizer: Optimizer) -> Problem {
    let mut p = problem(course_samples(3), vec![0.5, 0.5], optimizer);
    p.batch_size = 1;
    p.epochs = 2;
    p
}

fn optimizers() -> Vec<Optimizer> {
    let mut all = vec![
        Optimizer::Gd { learning_rate: 0.2 },
        Optimizer::Adagrad {
            learning_rate: 0.2,
            epsilon: 1e-8,
            initial_accumulator: 0.1,
            window: Some(2),
        },
        Optimizer::Adagrad {
            learning_rate: 0.2,
            epsilon: 0.0,
            initial_accumulator: 0.0,
            window: None,
        },
        Optimizer::Adadelta {
            learning_rate: 1.0,
            rho: 0.95,
            epsilon: 1e-6,
        },
        Optimizer::Rmsprop {
            learning_rate: 0.2,
            beta: 0.8,
            epsilon: 1e-8,
        },
        Optimizer::Adam {
            learning_rate: 0.2,
            beta1: 0.8,
            beta2: 0.8,
            epsilon: 1e-8,
        },
        Optimizer::AdamW {
            learning_rate: 0.2,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
            weight_decay: 0.01,
        },
        Optimizer::Amsgrad {
            learning_rate: 0.2,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
        },
    ];
    for form in [MomentumForm::Average, MomentumForm::Sum] {
        all.push(Optimizer::Momentum {
            learning_rate: 0.2,
            beta: 0.8,
            form,
        });
        all.push(Optimizer::Nesterov {
            learning_rate: 0.2,
            beta: 0.8,
            form,
        });
    }
    for beta_formula in [
        BetaFormula::FletcherReeves,
        BetaFormula::PolakRibiere,
        BetaFormula::PolakRibierePlus,
        BetaFormula::HestenesStiefel,
    ] {
        for line_search in [
            LineSearch::Exact { max_step: 1000.0 },
            LineSearch::Fixed { learning_rate: 0.5 },
        ] {
            all.push(Optimizer::ConjugateGradient {
                beta_formula,
                line_search,
                restart_every: 2,
                tolerance: 1e-10,
            });
        }
    }
    // Every algorithm registered later, at its defaults with a learning rate of 0.2, as the
    // service resolves it.
    for spec in gradtrace::wire::catalog::ALGORITHMS {
        if all.iter().any(|o| o.name() == spec.name) {
            continue;
        }
        let body = serde_json::json!({
            "samples": [{"x": [1], "t": 0.5}],
            "weights": [0.5],
            "algorithm": spec.name,
            "hyperparameters": {"learning_rate": 0.2},
        });
        match gradtrace::wire::validate::problem(&body) {
            Ok(valid) => all.push(valid.problem.optimizer),
            Err(errors) => panic!("{}: {errors:?}", spec.name),
        }
    }
    all
}

/// Every algorithm under every option that changes what a line shows.
pub fn all_option_problems() -> Vec<Problem> {
    let mut problems = Vec::new();
    for optimizer in optimizers() {
        let cg = matches!(optimizer, Optimizer::ConjugateGradient { .. });
        let plain = base(optimizer);
        for variant in 0..12 {
            let mut p = plain.clone();
            match variant {
                0 => {}
                1 => p.bias_correction = true,
                2 => p.conventions.sign = SignConvention::Delta,
                3 => p.conventions.epsilon = EpsilonPlacement::OutsideSqrt,
                4 => p.bias = Some(0.1),
                5 => {
                    p.batch_size = 2;
                    p.reduction = Reduction::Sum;
                }
                6 => p.rounding = Some(Rounding::Decimals(4)),
                7 => p.rounding = Some(Rounding::SignificantFigures(3)),
                8 => {
                    p.activation = Activation::Tanh;
                    p.samples[0].x = vec![-1e-300, 2e20];
                }
                9 => p.activation = Activation::Relu,
                10 => p.loss = Loss::CrossEntropy,
                _ => p.activation = Activation::Linear,
            }
            if cg {
                p.batch_size = usize::MAX;
            }
            problems.push(p);
        }
        for kind in [
            ScheduleKind::TimeBased { decay_rate: 1.0 },
            ScheduleKind::Step {
                drop_rate: 0.5,
                epochs_drop: 1,
            },
            ScheduleKind::Exponential { k: 0.1 },
        ] {
            let mut p = plain.clone();
            if matches!(
                p.optimizer,
                Optimizer::ConjugateGradient {
                    line_search: LineSearch::Exact { .. },
                    ..
                }
            ) {
                continue;
            }
            p.schedule = Some(Schedule {
                kind,
                first_epoch: 1,
                per: SchedulePer::Epoch,
            });
            problems.push(p);
        }
    }
    problems
}

/// Each worked line that names a pointer carries exactly the number the step has there, and
/// every new weight, the gradient and every accumulator has its line.
pub fn assert_lines_match_the_trace(step: &Step) {
    let json = serde_json::to_value(step).unwrap();
    for line in &step.lines {
        if let Some(pointer) = &line.pointer {
            let carried = json.pointer(&pointer.to_string()).and_then(|v| v.as_f64());
            assert_eq!(carried, Some(line.value), "{} at {pointer}", line.symbol);
        }
    }
    let pointed: Vec<String> = step
        .lines
        .iter()
        .filter_map(|l| l.pointer.map(|p| p.to_string()))
        .collect();
    let mut expected: Vec<String> = (0..step.weights_after.len())
        .flat_map(|i| [format!("/weights_after/{i}"), format!("/dw/{i}")])
        .collect();
    if step.conjugate.is_some() {
        expected.retain(|p| !p.starts_with("/dw"));
        expected.extend((0..step.gradient.len()).map(|i| format!("/gradient/{i}")));
    }
    for (name, values) in &step.state {
        expected.extend((0..values.len()).map(|i| format!("/state/{name}/{i}")));
    }
    for pointer in expected {
        assert!(pointed.contains(&pointer), "no line for {pointer}");
    }
}

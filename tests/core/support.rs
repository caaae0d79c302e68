//! Problem builders and checks shared by the core tests.

use gradtrace::solve::*;

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
    }
}

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

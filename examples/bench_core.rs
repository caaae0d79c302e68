//! Quick release timing of the core (not a test): `cargo run --release --example bench_core`.
use std::time::Instant;

use gradtrace::solve::*;

fn course_adam(epochs: u64) -> Problem {
    Problem {
        samples: vec![
            Sample {
                x: vec![1.0, 0.6],
                t: 0.8,
            },
            Sample {
                x: vec![0.5, 0.5],
                t: 0.6,
            },
            Sample {
                x: vec![0.2, 0.8],
                t: 0.3,
            },
        ],
        weights: vec![0.5, 0.5],
        bias: None,
        activation: Activation::Logistic,
        loss: Loss::SquaredError,
        optimizer: Optimizer::Adam {
            learning_rate: 0.2,
            beta1: 0.8,
            beta2: 0.8,
            epsilon: 1e-8,
        },
        bias_correction: true,
        epochs,
        batch_size: 1,
        reduction: Reduction::Mean,
        schedule: None,
        conventions: Conventions::default(),
        rounding: None,
        network: None,
    }
}

fn wide_adam(epochs: u64) -> Problem {
    let mut seed = 0x9e3779b97f4a7c15u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    let samples = (0..10)
        .map(|_| Sample {
            x: (0..100).map(|_| next() * 2.0 - 1.0).collect(),
            t: next(),
        })
        .collect();
    Problem {
        samples,
        weights: vec![0.01; 100],
        ..course_adam(epochs)
    }
}

fn time(label: &str, updates: u64, mut run: impl FnMut() -> usize) {
    let _ = run();
    let mut best = f64::INFINITY;
    let mut bytes = 0;
    for _ in 0..5 {
        let start = Instant::now();
        bytes = run();
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "{label:<44} {:>10.3} µs/update  ({bytes} bytes)",
        best * 1e6 / updates as f64
    );
}

fn main() {
    if std::env::var_os("NUMBERS").is_some() {
        let values: Vec<f64> = (0..1000)
            .map(|i| 0.6899744811276125 * (1.0 + i as f64 * 1e-3))
            .collect();
        for precision in [expr_precision(4), expr_precision(0)] {
            let start = Instant::now();
            let mut out = String::new();
            for _ in 0..1000 {
                out.clear();
                for v in &values {
                    gradtrace::solve::expr::write_number(&mut out, *v, precision, false);
                }
            }
            println!(
                "{precision:?}: {:.1} ns per number",
                start.elapsed().as_nanos() as f64 / 1e6
            );
        }
        return;
    }
    if std::env::var_os("JSON_ONLY").is_some() {
        let solved = solve(&course_adam(100));
        let mut total = 0;
        let iterations: usize = std::env::var("ITERATIONS")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(100);
        for _ in 0..iterations {
            let mut out = Vec::new();
            solved.write_json(&mut out, None);
            total += out.len();
        }
        println!("{total}");
        return;
    }
    for (name, problem, updates) in [
        ("course adam", course_adam(1000), 3000u64),
        ("100-weight adam", wide_adam(30), 300),
    ] {
        time(&format!("{name}: lines, solve only"), updates, || {
            solve(&problem).steps.len()
        });
        let solved = solve(&problem);
        time(
            &format!("{name}: serde JSON of a solved trace"),
            updates,
            || serde_json::to_vec(&solved).map_or(0, |v| v.len()),
        );
        time(&format!("{name}: JSON of a solved trace"), updates, || {
            let mut out = Vec::new();
            solved.write_json(&mut out, None);
            out.len()
        });
        time(&format!("{name}: lines + JSON"), updates, || {
            let mut out = Vec::new();
            solve(&problem).write_json(&mut out, None);
            out.len()
        });
    }
}

fn expr_precision(k: u32) -> gradtrace::solve::expr::Precision {
    if k == 0 {
        gradtrace::solve::expr::Precision::Full
    } else {
        gradtrace::solve::expr::Precision::Significant(k)
    }
}

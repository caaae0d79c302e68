//! Every LaTeX string gradtrace emits parses with KaTeX (`renderToString`, `throwOnError: true`):
//! each worked line's `latex` over every algorithm and option, at several display precisions,
//! and every math block of the LaTeX rendering.
//!
//! The corpus is written to `target/katex-corpus.json` and checked by `tests/katex/check.js`
//! with the npm package `katex` (pinned in `tests/katex/package-lock.json`); the test installs it
//! with `npm ci` when it is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use gradtrace::render;
use gradtrace::solve::expr::Precision;
use gradtrace::solve::*;
use serde_json::json;

use crate::support::problem;

fn base(optimizer: Optimizer) -> Problem {
    let mut p = problem(
        vec![
            (vec![1.0, 0.6], 0.8),
            (vec![0.5, 0.5], 0.6),
            (vec![0.2, 0.8], 0.3),
        ],
        vec![0.5, 0.5],
        optimizer,
    );
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
    all
}

/// Every algorithm under every option that changes what a line shows.
fn problems() -> Vec<Problem> {
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

/// Each math block of the LaTeX rendering: `align*` environments and inline `$…$`.
fn math_blocks(document: &str) -> Vec<(String, bool)> {
    let mut blocks = Vec::new();
    let mut rest = document;
    while let Some(start) = rest.find("\\begin{align*}") {
        let Some(len) = rest[start..].find("\\end{align*}") else {
            break;
        };
        let end = start + len + "\\end{align*}".len();
        blocks.push((rest[start..end].to_string(), true));
        rest = &rest[end..];
    }
    for line in document.lines().filter(|l| !l.contains("align*")) {
        let parts: Vec<&str> = line.split('$').collect();
        for (i, part) in parts.iter().enumerate() {
            if i % 2 == 1 && i + 1 < parts.len() {
                blocks.push((part.to_string(), false));
            }
        }
    }
    blocks
}

fn corpus() -> Vec<serde_json::Value> {
    let mut corpus = Vec::new();
    for (i, p) in problems().iter().enumerate() {
        let solution = solve(p);
        let name = format!("problem {i} ({})", p.optimizer.name());
        for precision in [
            Precision::Significant(4),
            Precision::Significant(1),
            Precision::Full,
        ] {
            for step in &solution.steps {
                for line in &step.lines {
                    let mut line = line.clone();
                    if p.rounding.is_none() {
                        line.render(precision);
                    }
                    corpus.push(json!({
                        "where": format!("{name}, update {}, {}", step.index, line.symbol),
                        "latex": line.latex,
                        "display": false,
                    }));
                }
            }
        }
        let document = render::latex(p, &solution, Precision::Significant(4));
        for (block, display) in math_blocks(&document) {
            corpus.push(json!({"where": format!("{name}, LaTeX rendering"), "latex": block, "display": display}));
        }
    }
    corpus
}

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn ensure_katex(dir: &Path) {
    if dir.join("node_modules/katex").is_dir() {
        return;
    }
    let status = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(dir)
        .status()
        .expect("npm is needed to install KaTeX for this test (Node.js with npm)");
    assert!(status.success(), "npm ci in tests/katex failed");
}

#[test]
fn every_latex_string_parses_with_katex() {
    let corpus = corpus();
    assert!(
        corpus.len() > 5_000,
        "the corpus shrank to {}",
        corpus.len()
    );
    let path = repository().join("target/katex-corpus.json");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, serde_json::to_vec(&corpus).unwrap()).unwrap();

    let dir = repository().join("tests/katex");
    ensure_katex(&dir);
    let output = Command::new("node")
        .arg("check.js")
        .arg(&path)
        .current_dir(&dir)
        .output()
        .expect("node runs the KaTeX check");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{report}");
    println!("{report}");
}

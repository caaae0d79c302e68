//! Every LaTeX string gradtrace emits parses with KaTeX (`renderToString`, `throwOnError: true`):
//! each worked line's `latex` over every algorithm and option, at several display precisions,
//! every math block of the LaTeX rendering, and the update rules and errata the catalogue serves.
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

use crate::support::all_option_problems as problems;

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
                    let shown = line.shown(Some(precision));
                    corpus.push(json!({
                        "where": format!("{name}, update {}, {}", step.index, line.symbol),
                        "latex": line.latex(shown),
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

/// The LaTeX of the HTTP layer's catalogue: each algorithm's update rule, and
/// the errata of the course's examples.
fn catalogue_corpus() -> Vec<serde_json::Value> {
    let mut corpus = Vec::new();
    for algorithm in gradtrace::wire::catalog::ALGORITHMS {
        for latex in algorithm.update {
            corpus.push(json!({"where": format!("/v1/algorithms {}", algorithm.name), "latex": latex, "display": true}));
        }
    }
    for example in gradtrace::course::examples::examples() {
        for erratum in &example.errata {
            for latex in [&erratum.printed, &erratum.correct] {
                corpus.push(json!({"where": format!("/v1/examples/{} errata", example.id), "latex": latex, "display": true}));
            }
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
    let mut corpus = corpus();
    corpus.extend(catalogue_corpus());
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

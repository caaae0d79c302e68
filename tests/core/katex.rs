//! Every LaTeX string gradtrace emits parses with KaTeX (`renderToString`, `throwOnError: true`):
//! each worked line's `latex` over every algorithm and option, at several display precisions,
//! every math block of the LaTeX rendering, and the update rules and errata the catalogue serves;
//! the same for the network problems of `tests/common/networks.rs`, which between them write
//! every kind of network symbol (checked).
//!
//! The corpus is written to `target/katex-corpus.json` and checked by `tests/katex/check.js`
//! with the npm package `katex` (pinned in `tests/katex/package-lock.json`); the test installs it
//! with `npm ci` when it is missing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use gradtrace::render;
use gradtrace::solve::expr::Precision;
use gradtrace::solve::network::notation::NetSymbol;
use gradtrace::solve::symbol::{Name, Param, Suffix};
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

/// A network line's symbol kind (docs/contract.md §11): what it names, in which notation, at a
/// time or for one sample of a batch; `None` for a symbol that is not a network's.
fn network_kind(symbol: &Symbol) -> Option<String> {
    let notation = |numbered: bool| if numbered { "numbered" } else { "layered" };
    match *symbol {
        Symbol::Param {
            name,
            param: Param::Unit(p),
            suffix,
        } => Some(format!(
            "{name:?} {} {} {}",
            if p.col.is_some() { "weight" } else { "bias" },
            notation(p.number > 0),
            match suffix {
                Suffix::Time(_) => "at a time",
                Suffix::Sample(_) => "of a sample",
            }
        )),
        Symbol::Net(NetSymbol::Unit {
            name,
            numbered,
            tag,
            ..
        }) => Some(format!(
            "{name:?} {} tagged {}",
            notation(numbered),
            tag.is_some()
        )),
        Symbol::Net(NetSymbol::Total { numbered, tag }) => Some(format!(
            "Total {} tagged {}",
            notation(numbered),
            tag.is_some()
        )),
        _ => None,
    }
}

/// Every kind a network's worked lines can have: each unit quantity, the total loss, and each
/// optimizer quantity of a weight and of a bias, in both notations, alone and in a batch.
fn every_network_kind() -> BTreeSet<String> {
    let names = [
        Name::W,
        Name::TildeW,
        Name::Dw,
        Name::G,
        Name::V,
        Name::S,
        Name::SMax,
        Name::HatV,
        Name::HatS,
        Name::HatU,
        Name::U,
        Name::Delta,
        Name::D,
    ];
    let mut kinds = BTreeSet::new();
    for notation in ["layered", "numbered"] {
        for name in names {
            for param in ["weight", "bias"] {
                kinds.insert(format!("{name:?} {param} {notation} at a time"));
            }
        }
        for param in ["weight", "bias"] {
            kinds.insert(format!("Dw {param} {notation} of a sample"));
        }
        for unit in ["Net", "Output", "Loss", "Delta", "Total"] {
            for tagged in [false, true] {
                kinds.insert(format!("{unit} {notation} tagged {tagged}"));
            }
        }
    }
    kinds
}

/// The network problems' worked lines, at the precisions of [`corpus`], and their LaTeX
/// renderings; every kind of network symbol among them.
fn network_corpus() -> Vec<serde_json::Value> {
    let mut corpus = Vec::new();
    let mut kinds = BTreeSet::new();
    for (name, body) in crate::common::networks::network_problems() {
        let p = match gradtrace::wire::validate::problem(&body) {
            Ok(valid) => valid.problem,
            Err(errors) => panic!("{name}: {errors:?}"),
        };
        let solution = solve(&p);
        assert!(!solution.steps.is_empty(), "{name}: no steps");
        for precision in [
            Precision::Significant(4),
            Precision::Significant(1),
            Precision::Full,
        ] {
            for step in &solution.steps {
                for line in &step.lines {
                    kinds.extend(network_kind(&line.symbol));
                    let shown = line.shown(Some(precision));
                    corpus.push(json!({
                        "where": format!("network {name}, update {}, {}", step.index, line.symbol),
                        "latex": line.latex(shown),
                        "display": false,
                    }));
                }
            }
        }
        let document = render::latex(&p, &solution, Precision::Significant(4));
        for (block, display) in math_blocks(&document) {
            corpus.push(json!({"where": format!("network {name}, LaTeX rendering"), "latex": block, "display": display}));
        }
    }
    let missing: Vec<String> = every_network_kind().difference(&kinds).cloned().collect();
    assert!(
        missing.is_empty(),
        "no network line of these kinds: {missing:?}"
    );
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
    let networks = network_corpus();
    println!("{} of the strings are of networks", networks.len());
    corpus.extend(networks);
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

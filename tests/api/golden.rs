//! Golden outputs: the exact bytes the service answers for a spread of problems, frozen under
//! `tests/fixtures/golden/`, one file per case holding its JSON, Markdown and LaTeX at the
//! default display precision and at full precision.
//!
//! Output is a contract: a refactor keeps these bytes, and a deliberate change to them is a
//! commit of its own that says why. `UPDATE_GOLDEN=1 cargo test --test api golden` rewrites the
//! files (and removes those of cases that no longer exist); review the diff before committing.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{json, Value};

use crate::helpers::{adam, get, get_json, merged, post};

/// The renderings frozen for every solve case: (label, query string).
const RENDERINGS: [(&str, &str); 6] = [
    ("json, default precision", "?format=json"),
    ("json, full precision", "?format=json&precision=0"),
    ("markdown, default precision", "?format=markdown"),
    ("markdown, full precision", "?format=markdown&precision=0"),
    ("latex, default precision", "?format=latex"),
    ("latex, full precision", "?format=latex&precision=0"),
];

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/golden")
}

/// The course's three samples and initial weights (docs/contract.md §10, the Adam exercise's)
/// under `algorithm`, with `overrides` merged in.
fn course(algorithm: &str, hyperparameters: Value, overrides: Value) -> Value {
    let problem = merged(
        adam(),
        json!({"algorithm": algorithm, "hyperparameters": hyperparameters}),
    );
    merged(problem, overrides)
}

/// Every element-wise algorithm with the hyperparameters the course uses for it.
fn algorithms() -> Vec<(&'static str, Value)> {
    vec![
        ("gd", json!({"learning_rate": 0.2})),
        ("momentum", json!({"learning_rate": 0.2, "beta": 0.8})),
        (
            "momentum_sum",
            json!({"learning_rate": 0.2, "beta": 0.8, "form": "sum"}),
        ),
        ("nesterov", json!({"learning_rate": 0.2, "beta": 0.8})),
        ("adagrad", json!({"learning_rate": 0.2})),
        ("adadelta", json!({"rho": 0.9})),
        ("rmsprop", json!({"learning_rate": 0.2, "beta": 0.8})),
        (
            "adam",
            json!({"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8}),
        ),
        (
            "adamw",
            json!({"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8, "weight_decay": 0.1}),
        ),
        (
            "amsgrad",
            json!({"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8}),
        ),
    ]
}

/// Every option that changes what a line shows, as keys merged into a problem.
fn options() -> Vec<(&'static str, Value)> {
    vec![
        ("plain", json!({})),
        ("bias_correction", json!({"bias_correction": true})),
        ("no_bias_correction", json!({"bias_correction": false})),
        ("delta", json!({"conventions": {"sign": "delta"}})),
        (
            "outside_sqrt",
            json!({"conventions": {"epsilon": "outside_sqrt"}}),
        ),
        ("batch_mean", json!({"batch_size": 2})),
        ("batch_sum", json!({"batch_size": 2, "reduction": "sum"})),
        ("bias", json!({"bias": 0.1})),
        ("decimals", json!({"rounding": {"decimals": 3}})),
        (
            "significant_figures",
            json!({"rounding": {"significant_figures": 3}}),
        ),
        (
            "time_based",
            json!({"epochs": 2, "schedule": {"type": "time_based", "decay_rate": 1, "first_epoch": 1}}),
        ),
        (
            "step",
            json!({"epochs": 2, "schedule": {"type": "step", "drop_rate": 0.5, "epochs_drop": 1}}),
        ),
        (
            "exponential",
            json!({"epochs": 2, "schedule": {"type": "exponential", "k": 0.1, "per": "update"}}),
        ),
    ]
}

/// Every case: a name (its file) and a `/v1/solve` body.
fn solve_cases() -> Vec<(String, Value)> {
    let mut cases = Vec::new();
    for (name, hyperparameters) in algorithms() {
        let algorithm = name.split('_').next().unwrap_or(name);
        for (option, overrides) in options() {
            cases.push((
                format!("{name}.{option}"),
                course(algorithm, hyperparameters.clone(), overrides),
            ));
        }
    }
    cases.extend(conjugate_gradient_cases());
    for (name, activation_or_loss) in [
        ("gd.cross_entropy", json!({"loss": "cross_entropy"})),
        ("gd.tanh", json!({"activation": "tanh"})),
        ("gd.linear", json!({"activation": "linear"})),
    ] {
        cases.push((
            name.into(),
            course("gd", json!({"learning_rate": 0.2}), activation_or_loss),
        ));
    }
    cases.extend(edge_cases());
    cases
}

/// Conjugate gradient under each β rule, with the exact and with a fixed line search, and
/// rounded.
fn conjugate_gradient_cases() -> Vec<(String, Value)> {
    let mut cases = Vec::new();
    for rule in [
        "fletcher_reeves",
        "polak_ribiere",
        "polak_ribiere_plus",
        "hestenes_stiefel",
    ] {
        cases.push((
            format!("conjugate_gradient.{rule}"),
            course(
                "conjugate_gradient",
                json!({"beta_formula": rule}),
                json!({"epochs": 3}),
            ),
        ));
        cases.push((
            format!("conjugate_gradient.{rule}.fixed_bias_schedule"),
            course(
                "conjugate_gradient",
                json!({"beta_formula": rule, "line_search": "fixed", "learning_rate": 0.5}),
                json!({"epochs": 3, "bias": 0.1,
                       "schedule": {"type": "time_based", "decay_rate": 0.5}}),
            ),
        ));
    }
    cases.push((
        "conjugate_gradient.rounding".into(),
        course(
            "conjugate_gradient",
            json!({}),
            json!({"epochs": 2, "rounding": {"significant_figures": 4}}),
        ),
    ));
    cases
}

/// Problems of their own: a ReLU at a zero net input, a zero ε, a run that diverges.
fn edge_cases() -> Vec<(String, Value)> {
    [
        (
            "gd.relu_zero_net_input",
            json!({
                "samples": [{"x": [1, -1], "t": 1}, {"x": [0.5, 0.5], "t": 0}],
                "weights": [0.5, 0.5], "algorithm": "gd",
                "hyperparameters": {"learning_rate": 0.1}, "activation": "relu"
            }),
        ),
        (
            "rmsprop.zero_epsilon",
            json!({
                "samples": [{"x": [1, 0], "t": 0.5}],
                "weights": [0.5, 0.5], "algorithm": "rmsprop",
                "hyperparameters": {"learning_rate": 0.1, "epsilon": 0}
            }),
        ),
        (
            "gd.diverged",
            json!({
                "samples": [{"x": [1e300], "t": 0.5}],
                "weights": [1e10], "algorithm": "gd", "activation": "linear",
                "hyperparameters": {"learning_rate": 1e300}, "epochs": 3
            }),
        ),
    ]
    .into_iter()
    .map(|(name, problem)| (name.to_string(), problem))
    .collect()
}

/// The frozen text of one solve case: each rendering under a header line.
async fn render_case(problem: &Value) -> String {
    let mut text = String::new();
    for (label, query) in RENDERINGS {
        let reply = post(&format!("/v1/solve{query}"), problem).await;
        text.push_str(&format!(
            "===== {label} ({}) =====\n",
            reply.status.as_u16()
        ));
        text.push_str(&String::from_utf8_lossy(&reply.body));
        text.push('\n');
    }
    text
}

/// Every case with its frozen text: the solve cases, each course example through its own
/// endpoint, and the comparison of the course's last exercise.
async fn all_cases() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (name, problem) in solve_cases() {
        out.push((name, render_case(&problem).await));
    }
    let (status, list) = get_json("/v1/examples").await;
    assert_eq!(status, 200);
    for example in list["examples"].as_array().into_iter().flatten() {
        let id = example["id"].as_str().unwrap_or_default();
        let (_, full) = get_json(&format!("/v1/examples/{id}")).await;
        let endpoint = full["endpoint"].as_str().unwrap_or_default();
        let text = if endpoint == "/v1/solve" {
            render_case(&full["problem"]).await
        } else {
            let reply = post(endpoint, &full["problem"]).await;
            format!(
                "===== {endpoint} ({}) =====\n{}\n",
                reply.status.as_u16(),
                String::from_utf8_lossy(&reply.body)
            )
        };
        let example_json = get(&format!("/v1/examples/{id}")).await.body;
        out.push((
            format!("example.{id}"),
            format!(
                "===== GET /v1/examples/{id} =====\n{}\n{text}",
                String::from_utf8_lossy(&example_json)
            ),
        ));
    }
    let compare: Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/class/compare.json"),
        )
        .expect("the comparison fixture is readable"),
    )
    .expect("the comparison fixture is JSON");
    let mut text = String::new();
    for query in ["", "?format=markdown", "?format=markdown&precision=0"] {
        let reply = post(&format!("/v1/compare{query}"), &compare).await;
        text.push_str(&format!(
            "===== /v1/compare{query} ({}) =====\n{}\n",
            reply.status.as_u16(),
            String::from_utf8_lossy(&reply.body)
        ));
    }
    out.push(("compare.course".into(), text));
    out.extend(picture_cases().await);
    let catalogue = get("/v1/algorithms").await;
    out.push((
        "algorithms".into(),
        format!("{}\n", String::from_utf8_lossy(&catalogue.body)),
    ));
    out
}

/// Where two texts first differ, with a little context from each.
fn first_difference(expected: &str, actual: &str) -> String {
    let at = expected
        .bytes()
        .zip(actual.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(actual.len()));
    let line = expected[..at.min(expected.len())].matches('\n').count() + 1;
    let window = |text: &str| {
        let start = text.floor_char_boundary(at.saturating_sub(80));
        let end = text.ceil_char_boundary((at + 80).min(text.len()));
        text[start..end].to_string()
    };
    format!(
        "first difference at byte {at} (line {line}):\n  golden: {:?}\n  now:    {:?}",
        window(expected),
        window(actual)
    )
}

#[tokio::test]
async fn every_output_is_byte_for_byte_the_golden_one() {
    let dir = golden_dir();
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let cases = all_cases().await;
    let names: BTreeSet<String> = cases.iter().map(|(n, _)| format!("{n}.txt")).collect();
    assert_eq!(names.len(), cases.len(), "case names are unique");
    if update {
        std::fs::create_dir_all(&dir).expect("the golden folder can be made");
        for entry in std::fs::read_dir(&dir).expect("the golden folder is readable") {
            let path = entry.expect("a folder entry").path();
            let name = path.file_name().map(|n| n.to_string_lossy().to_string());
            if name.is_some_and(|n| !names.contains(&n)) {
                std::fs::remove_file(&path).expect("a stale golden file can be removed");
            }
        }
    }
    let mut failures = Vec::new();
    for (name, text) in &cases {
        let path = dir.join(format!("{name}.txt"));
        if update {
            std::fs::write(&path, text).expect("the golden file can be written");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(golden) if &golden == text => {}
            Ok(golden) => failures.push(format!("{name}: {}", first_difference(&golden, text))),
            Err(error) => failures.push(format!("{name}: no golden file ({error})")),
        }
    }
    if !update {
        let on_disk: BTreeSet<String> = std::fs::read_dir(&dir)
            .expect("the golden folder is readable")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        for stale in on_disk.difference(&names) {
            failures.push(format!("{stale}: a golden file with no case"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} golden outputs differ (UPDATE_GOLDEN=1 rewrites them; a deliberate change is a commit of its own):\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// The pictures of §13: the course's conjugate-gradient figure and its loss, and a schedule.
async fn picture_cases() -> Vec<(String, String)> {
    let (_, example) = get_json("/v1/examples/conjugate_gradient_vs_gradient_descent").await;
    let schedule = serde_json::json!({
        "learning_rate": 0.2,
        "schedule": {"type": "step", "drop_rate": 0.5, "epochs_drop": 5},
        "epochs": [0, 5, 10, 15]
    });
    let mut out = Vec::new();
    for (name, path, body) in [
        (
            "surface.conjugate_gradient",
            "/v1/plot/surface",
            &example["problem"],
        ),
        (
            "loss.conjugate_gradient",
            "/v1/plot/loss",
            &example["problem"],
        ),
        ("schedule.step", "/v1/plot/schedule", &schedule),
    ] {
        let reply = post(path, body).await;
        out.push((
            format!("plot.{name}"),
            format!(
                "===== {path} ({}) =====\n{}\n",
                reply.status.as_u16(),
                String::from_utf8_lossy(&reply.body)
            ),
        ));
    }
    out
}

//! Networks (docs/contract.md §11) through the class endpoints and grading: a batch of network
//! problems or submissions, a comparison of optimizers on a network, variants drawn inside a
//! network's nested arrays — each result checked against the single endpoint it stands for.

use serde_json::{json, Value};

use crate::helpers::{assert_problem, pointers_in_order, post, post_json};

/// Mazur's 2-2-2 example (tests/fixtures/network-examples.json), in the numbered notation.
fn mazur() -> Value {
    json!({
        "samples": [{"x": [0.05, 0.10], "t": [0.01, 0.99]}],
        "network": {"layers": [
            {"activation": "logistic", "weights": [[0.15, 0.20], [0.25, 0.30]], "biases": [0.35, 0.35]},
            {"activation": "logistic", "weights": [[0.40, 0.45], [0.50, 0.55]], "biases": [0.60, 0.60]}
        ], "update_biases": false, "notation": "numbered"},
        "algorithm": "gd",
        "hyperparameters": {"learning_rate": 0.5}
    })
}

/// The same network, layered notation, biases updated, momentum over two samples.
fn layered_momentum() -> Value {
    let mut problem = mazur();
    problem["network"]["notation"] = json!("layered");
    problem["network"]["update_biases"] = json!(true);
    problem["samples"] = json!([
        {"x": [0.05, 0.10], "t": [0.01, 0.99]},
        {"x": [0.20, 0.30], "t": [0.50, 0.50]}
    ]);
    problem["algorithm"] = json!("momentum");
    problem["hyperparameters"] = json!({"learning_rate": 0.5, "beta": 0.9});
    problem
}

#[tokio::test]
async fn a_batch_of_network_problems_gives_what_solve_gives_for_each() {
    let mut broken = mazur();
    // A second layer of 3 columns on a first layer of 2 units: a shape the validator refuses.
    broken["network"]["layers"][1]["weights"] = json!([[0.4, 0.45, 0.1], [0.5, 0.55, 0.1]]);
    let problems = vec![mazur(), layered_momentum(), broken];
    let (status, batch) = post_json("/v1/solve/batch", &json!({"problems": problems})).await;
    assert_eq!(status, 200, "{batch}");
    let results = batch["results"].as_array().expect("results");
    for (i, (problem, result)) in problems.iter().zip(results).enumerate() {
        let (single_status, single) = post_json("/v1/solve", problem).await;
        assert_eq!(result, &single, "item {i}");
        assert_eq!(single_status, if i == 2 { 422 } else { 200 }, "item {i}");
    }
    assert!(results[0]["final_network"]["layers"][1]["weights"][0][0].is_number());
}

#[tokio::test]
async fn a_batch_of_network_submissions_gives_what_grade_gives_for_each() {
    let submissions = vec![
        json!({"problem": mazur(), "answers": [
            {"step": 1, "symbol": "(w_5)_2", "value": 0.35891648},
            {"step": 1, "symbol": "delta_o1", "value": 0.1385},
            {"pointer": "/steps/0/layers/0/weights_after/0/0", "value": 0.1498}
        ]}),
        json!({"problem": layered_momentum(), "answers": [
            {"step": 1, "symbol": "\\delta^{(2)}_{1}", "value": 0.5},
            {"pointer": "/final_network/layers/1/biases/0", "value": 0.55}
        ], "carry_forward": "always"}),
        json!({"problem": mazur(), "answers": [{"step": 1, "symbol": "w_9", "value": 1}]}),
    ];
    let (status, batch) = post_json(
        "/v1/grade/batch",
        &json!({ "submissions": submissions.clone() }),
    )
    .await;
    assert_eq!(status, 200, "{batch}");
    let results = batch["results"].as_array().expect("results");
    for (i, (submission, result)) in submissions.iter().zip(results).enumerate() {
        let (single_status, single) = post_json("/v1/grade", submission).await;
        assert_eq!(result, &single, "item {i}");
        assert_eq!(single_status, if i == 2 { 422 } else { 200 }, "item {i}");
    }
    assert_eq!(results[0]["score"], 1.0, "{}", results[0]);
}

/// A comparison of three optimizers on the Mazur network, 3 epochs.
fn network_comparison() -> Value {
    let mut problem = mazur();
    problem["epochs"] = json!(3);
    json!({
        "problem": problem,
        "configurations": [
            {"label": "GD", "algorithm": "gd"},
            {"label": "Momentum", "algorithm": "momentum", "hyperparameters": {"beta": 0.9}},
            {"label": "Adam", "algorithm": "adam", "hyperparameters": {"learning_rate": 0.05}}
        ],
        "loss_threshold": 0.2
    })
}

#[tokio::test]
async fn a_comparison_on_a_network_gives_each_columns_final_network_and_losses_as_solve_does() {
    let body = network_comparison();
    let (status, compared) = post_json("/v1/compare", &body).await;
    assert_eq!(status, 200, "{compared}");
    let (_, with_steps) = post_json("/v1/compare?detail=values", &body).await;
    let results = compared["results"].as_array().expect("results");
    assert_eq!(results.len(), 3);
    for (i, column) in results.iter().enumerate() {
        let (status, solved) = post_json("/v1/solve", &column["problem"]).await;
        assert_eq!(status, 200, "{solved}");
        for key in ["final_weights", "final_network", "status", "warnings"] {
            assert_eq!(column[key], solved[key], "column {i}: {key}");
        }
        assert_eq!(column["loss"]["final"], solved["loss"]["final"]);
        assert_eq!(column["loss"]["per_epoch"], solved["loss"]["per_epoch"]);
        // The loss per update as the summary records it, and as the steps' weights give it.
        let per_update = &column["loss"]["per_update"];
        assert_eq!(per_update.as_array().map(Vec::len), Some(3));
        assert_eq!(per_update[2], solved["loss"]["final"]);
        assert_eq!(
            &with_steps["results"][i]["loss"]["per_update"], per_update,
            "column {i}"
        );
    }
}

#[tokio::test]
async fn a_network_comparisons_table_describes_the_network_and_names_its_weights() {
    let reply = post("/v1/compare?format=markdown", &network_comparison()).await;
    assert_eq!(reply.status, 200);
    let table = reply.text();
    assert!(
        table.contains("a network of 2–2–2 units (logistic, logistic), biases fixed"),
        "{table}"
    );
    assert!(!table.contains("initial weights w = ()"), "{table}");
    let (_, compared) = post_json("/v1/compare", &network_comparison()).await;
    // w_5 is the optimizers' 5th parameter: layers[1].weights[0][0].
    let w5: Vec<String> = compared["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let w = r["final_network"]["layers"][1]["weights"][0][0]
                .as_f64()
                .unwrap_or(f64::NAN);
            assert_eq!(r["final_weights"][4].as_f64(), Some(w));
            format!("{}", (w * 1e4).round() / 1e4)
        })
        .collect();
    assert!(
        table.contains(&format!("| final w_5 | {} |", w5.join(" | "))),
        "{table}\n{w5:?}"
    );
    assert!(table.contains("| final w_8 |"), "{table}");
    assert!(!table.contains("| final w_9 |"), "{table}");
}

/// A template with ranges in a network's weights and biases (nested arrays), an input and a
/// target.
fn network_template() -> Value {
    let mut template = mazur();
    template["samples"][0]["x"][0] = json!({"uniform": [0.01, 0.10], "decimals": 2});
    template["samples"][0]["t"][1] = json!({"choice": [0.9, 0.99]});
    template["network"]["layers"][0]["weights"][0][0] = json!({"uniform": [0.1, 0.3]});
    template["network"]["layers"][1]["weights"][1][1] =
        json!({"uniform": [0.5, 0.6], "decimals": 3});
    template["network"]["layers"][0]["biases"][1] = json!({"uniform": [0.3, 0.4]});
    json!({"template": template, "count": 4, "seed": 2024})
}

#[tokio::test]
async fn variants_draw_ranges_inside_a_networks_nested_arrays_and_solve_each() {
    let (status, drawn) = post_json("/v1/variants", &network_template()).await;
    assert_eq!(status, 200, "{drawn}");
    let variants = drawn["variants"].as_array().expect("variants");
    assert_eq!(variants.len(), 4);
    for variant in variants {
        let pointers: Vec<&str> = variant["draws"]
            .as_array()
            .expect("draws")
            .iter()
            .filter_map(|d| d["pointer"].as_str())
            .collect();
        assert_eq!(
            pointers,
            [
                "/samples/0/x/0",
                "/samples/0/t/1",
                "/network/layers/0/weights/0/0",
                "/network/layers/0/biases/1",
                "/network/layers/1/weights/1/1"
            ]
        );
        let problem = &variant["problem"];
        let w = problem["network"]["layers"][0]["weights"][0][0]
            .as_f64()
            .unwrap_or(f64::NAN);
        assert!((0.1..=0.3).contains(&w), "{w}");
        let t = problem["samples"][0]["t"][1].as_f64().unwrap_or(f64::NAN);
        assert!(t == 0.9 || t == 0.99, "{t}");
        // Each drawn value sits where the range was, and the solution is /v1/solve's.
        for draw in variant["draws"].as_array().expect("draws") {
            let at = draw["pointer"].as_str().unwrap_or("");
            assert_eq!(problem.pointer(at), Some(&draw["value"]));
        }
        let (_, solved) = post_json("/v1/solve", problem).await;
        assert_eq!(variant["solution"], solved);
    }
}

#[tokio::test]
async fn a_network_range_that_could_break_a_rule_is_refused_naming_its_pointer() {
    let mut body = network_template();
    // A row of the wrong length among the options: the shapes no longer chain.
    body["template"]["network"]["layers"][1]["weights"][0] =
        json!({"choice": [[0.4, 0.45], [0.4, 0.45, 0.1]]});
    body["template"]["network"]["layers"][1]["activation"] =
        json!({"choice": ["logistic", "softmax"]});
    let reply = post("/v1/variants", &body).await;
    let problem = assert_problem(&reply, 422);
    let pointers = pointers_in_order(&problem);
    assert!(
        pointers
            .iter()
            .any(|p| p.starts_with("/template/network/layers/1/weights/0")),
        "{pointers:?}"
    );
    assert!(
        pointers.contains(&"/template/network/layers/1/activation".to_string()),
        "{pointers:?}"
    );
}

#[tokio::test]
async fn grading_mazurs_printed_total_error_names_the_updated_outer_weights_slip() {
    // The post prints E_total = 0.291027924 after one round; the right value is 0.2910277737.
    let body = json!({
        "problem": mazur(),
        "answers": [
            {"pointer": "/loss/final", "value": 0.291027924},
            {"step": 1, "symbol": "delta_o1", "value": 0.138498562},
            {"step": 1, "symbol": "w5+", "value": 0.35891648}
        ],
        "tolerance": {"mode": "sigfig", "digits": 9}
    });
    let (status, report) = post_json("/v1/grade", &body).await;
    assert_eq!(status, 200, "{report}");
    let results = report["results"].as_array().expect("results");
    assert_eq!(results[0]["correct"], false);
    assert_eq!(
        results[0]["mistake"]["code"], "updated_outer_weights",
        "{report}"
    );
    assert_eq!(results[1]["correct"], true, "{report}");
    assert_eq!(results[2]["correct"], true, "{report}");
    assert_eq!(results[2]["address"]["symbol"], "(w_5)_2");
}

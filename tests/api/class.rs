//! A whole class at once (issue 6): batches of problems and of submissions, optimizers side by
//! side, and per-student variants — each result checked against the single endpoint it stands
//! for (`/v1/solve`, `/v1/grade`), the variant generator pinned to exact numbers, and the
//! README's request files (`tests/fixtures/class/`) posted as the README posts them.

use proptest::prelude::*;
use serde_json::{json, Value};

use crate::helpers::{
    adam, assert_problem, fixture, get_json, momentum, pointers_in_order, post, post_json,
};

/// Run the binary with no input.
fn cli(args: &[&str]) -> std::process::Output {
    crate::helpers::gradtrace(args, "")
}

/// 100 distinct problems (the course's momentum problem with shifted weights); those at
/// `invalid` are broken in three different ways.
fn hundred_problems(invalid: &[usize]) -> Vec<Value> {
    (0..100)
        .map(|i| {
            let mut problem = momentum();
            problem["weights"] = json!([0.5 + i as f64 / 1000.0, 0.5]);
            if invalid.contains(&i) {
                match i % 3 {
                    0 => problem["hyperparameters"]["beta"] = json!(1.5),
                    1 => problem["samples"] = json!([]),
                    _ => problem["weights"] = json!("heavy"),
                }
            }
            problem
        })
        .collect()
}

/// A batch's 100 results, checked to hold an error (problem+json) exactly at `invalid`.
fn results_with_errors_at<'a>(batch: &'a Value, invalid: &[usize]) -> &'a Vec<Value> {
    let results = batch["results"].as_array().expect("results");
    assert_eq!(results.len(), 100);
    let errors: Vec<usize> = (0..100)
        .filter(|i| results[*i].get("type").is_some())
        .collect();
    assert_eq!(errors, invalid);
    results
}

#[tokio::test]
async fn a_batch_of_100_problems_with_3_invalid_ones_returns_97_solutions_and_3_errors_in_order() {
    let invalid = [3, 40, 98];
    let problems = hundred_problems(&invalid);
    let (status, batch) = post_json("/v1/solve/batch", &json!({"problems": problems})).await;
    assert_eq!(status, 200, "{batch}");
    let results = results_with_errors_at(&batch, &invalid);
    for (i, (problem, result)) in problems.iter().zip(results).enumerate() {
        // Each result is what /v1/solve returns for that very body, error or solution.
        let (single_status, single) = post_json("/v1/solve", problem).await;
        assert_eq!(result, &single, "item {i}");
        if invalid.contains(&i) {
            assert_eq!(single_status, 422);
            assert_eq!(result["status"], 422);
        } else {
            assert_eq!(result["status"], "completed");
        }
    }
}

#[tokio::test]
async fn a_batch_of_100_submissions_with_3_invalid_ones_returns_97_grades_and_3_errors_in_order() {
    let invalid = [0, 58, 98];
    let base = fixture("grade/momentum.json");
    let submissions: Vec<Value> = (0..100)
        .map(|i| {
            let mut submission = base.clone();
            // Every student's last answer a little different, so the grades differ.
            submission["answers"][3]["value"] = json!(0.5009 + i as f64 * 1e-4);
            if invalid.contains(&i) {
                match i % 3 {
                    0 => submission["answers"][3]["pointer"] = json!("steps/1/weights_after/1"),
                    1 => submission["problem"]["hyperparameters"]["beta"] = json!(2),
                    _ => submission["answers"] = json!([]),
                }
            }
            submission
        })
        .collect();
    let (status, batch) = post_json("/v1/grade/batch", &json!({"submissions": submissions})).await;
    assert_eq!(status, 200, "{batch}");
    let results = results_with_errors_at(&batch, &invalid);
    for (i, (submission, result)) in submissions.iter().zip(results).enumerate() {
        let (single_status, single) = post_json("/v1/grade", submission).await;
        assert_eq!(result, &single, "submission {i}");
        assert_eq!(
            single_status == 200,
            !invalid.contains(&i),
            "submission {i}"
        );
    }
}

#[tokio::test]
async fn grading_a_batch_in_a_platform_format_formats_every_grade() {
    let (status, batch) = post_json(
        "/v1/grade/batch?format=gradescope",
        &fixture("class/grade-batch.json"),
    )
    .await;
    assert_eq!(status, 200, "{batch}");
    let (_, single) = post_json(
        "/v1/grade?format=gradescope",
        &fixture("class/grade-batch.json")["submissions"][1],
    )
    .await;
    assert_eq!(batch["results"][1], single);
    assert_eq!(batch["results"][0]["status"], 422);
    assert_eq!(
        batch["results"][0]["errors"][0]["pointer"],
        "/answers/3/pointer"
    );
}

#[tokio::test]
async fn batches_over_the_item_limit_or_the_trace_budget_are_refused_naming_the_limit() {
    let many = vec![momentum(); 1001];
    let reply = post("/v1/solve/batch", &json!({"problems": many})).await;
    let problem = assert_problem(&reply, 422);
    assert_eq!(problem["errors"][0]["pointer"], "/problems");
    assert!(problem["errors"][0]["detail"]
        .as_str()
        .unwrap_or("")
        .contains("1000"));

    // Each at 99 996 trace entries (2 updates × 3 per epoch), under the single-problem cap of
    // 100 000; six are over the batch budget of 500 000, and the request is refused before any
    // is solved.
    let mut long = momentum();
    long["epochs"] = json!(16666);
    let reply = post("/v1/solve/batch", &json!({"problems": vec![long; 6]})).await;
    let problem = assert_problem(&reply, 422);
    assert_eq!(problem["errors"][0]["pointer"], "/problems");
    let detail = problem["errors"][0]["detail"].as_str().unwrap_or("");
    assert!(
        detail.contains("599976") && detail.contains("500000"),
        "{detail}"
    );

    let submissions = vec![fixture("grade/momentum.json"); 1001];
    let reply = post("/v1/grade/batch", &json!({"submissions": submissions})).await;
    assert_eq!(
        assert_problem(&reply, 422)["errors"][0]["pointer"],
        "/submissions"
    );
}

#[tokio::test]
async fn a_batch_body_of_the_wrong_shape_names_every_pointer() {
    let reply = post("/v1/solve/batch", &json!({"problem": [], "items": 1})).await;
    let problem = assert_problem(&reply, 422);
    let pointers = pointers_in_order(&problem);
    assert_eq!(pointers, ["/problem", "/items", "/problems"]);
    let reply = post("/v1/solve/batch", &json!([momentum()])).await;
    assert_problem(&reply, 422);
    let (status, empty) = post_json("/v1/solve/batch", &json!({"problems": []})).await;
    assert_eq!((status, empty), (200, json!({"results": []})));
}

/// The course's last exercise, column by column, as `GET /v1/examples` serves each part.
const COURSE_COLUMNS: [(&str, &str); 4] = [
    ("Momentum", "bias_correction_all_momentum"),
    ("Adagrad", "bias_correction_all_adagrad"),
    ("RMSProp", "bias_correction_all_rmsprop"),
    ("Adam", "bias_correction_all_adam"),
];

#[tokio::test]
async fn the_courses_last_exercise_is_one_comparison_each_column_equal_to_solve() {
    let (status, compared) = post_json("/v1/compare", &fixture("class/compare.json")).await;
    assert_eq!(status, 200, "{compared}");
    let results = compared["results"].as_array().expect("results");
    assert_eq!(results.len(), 4);
    for ((label, example_id), column) in COURSE_COLUMNS.iter().zip(results) {
        assert_eq!(column["label"], *label);
        // The column's own problem, solved alone.
        let (status, solved) = post_json("/v1/solve", &column["problem"]).await;
        assert_eq!(status, 200, "{label}: {solved}");
        // The notes' exercise as /v1/examples serves this part of it, solved alone.
        let (_, example) = get_json(&format!("/v1/examples/{example_id}")).await;
        let (_, course) = post_json("/v1/solve", &example["problem"]).await;
        for solution in [&solved, &course] {
            assert_eq!(column["problem"], solution["problem"], "{label}");
            assert_eq!(
                column["final_weights"], solution["final_weights"],
                "{label}"
            );
            assert_eq!(column["final_bias"], solution["final_bias"], "{label}");
            assert_eq!(column["status"], solution["status"], "{label}");
            assert_eq!(column["warnings"], solution["warnings"], "{label}");
            assert_eq!(
                column["loss"]["initial"], solution["loss"]["initial"],
                "{label}"
            );
            assert_eq!(
                column["loss"]["final"], solution["loss"]["final"],
                "{label}"
            );
            assert_eq!(
                column["loss"]["per_epoch"], solution["loss"]["per_epoch"],
                "{label}"
            );
            let steps = solution["steps"].as_array().expect("steps");
            assert_eq!(column["updates"], steps.len(), "{label}");
        }
        // The loss after the last update is the final loss; each update's is the loss at the
        // weights that step ends with.
        let per_update = column["loss"]["per_update"].as_array().expect("per_update");
        assert_eq!(per_update.len(), 3, "{label}");
        assert_eq!(per_update.last(), Some(&column["loss"]["final"]), "{label}");
    }
    // Threshold 0.018 (the loss starts at ≈ 0.0194): Adagrad and RMSProp reach it at the third
    // update; Momentum and Adam do not within the three.
    let reached: Vec<Value> = results
        .iter()
        .map(|r| r["updates_to_threshold"].clone())
        .collect();
    assert_eq!(reached, [Value::Null, json!(3), json!(3), Value::Null]);
    assert!(results[1]["warnings"][0]["code"] == "bias_correction_ignored");
}

#[tokio::test]
async fn the_comparison_table_has_a_column_per_configuration() {
    let reply = post(
        "/v1/compare?format=markdown",
        &fixture("class/compare.json"),
    )
    .await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.content_type(), "text/markdown; charset=utf-8");
    let table = String::from_utf8_lossy(&reply.body).to_string();
    assert!(
        table.contains("| | Momentum | Adagrad | RMSProp | Adam |"),
        "{table}"
    );
    assert!(
        table.contains("| updates to reach loss ≤ 0.018 | not reached | 3 | 3 | not reached |"),
        "{table}"
    );
    // Final w₁ of each column, at 4 significant figures, as /v1/solve has it in full.
    let (_, compared) = post_json("/v1/compare", &fixture("class/compare.json")).await;
    let w1: Vec<String> = compared["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            let w = r["final_weights"][0].as_f64().unwrap_or(f64::NAN);
            format!("{}", (w * 1e4).round() / 1e4)
        })
        .collect();
    assert!(
        table.contains(&format!("| final w₁ | {} |", w1.join(" | "))),
        "{table}\n{w1:?}"
    );

    let by_accept = post("/v1/compare", &fixture("class/compare.json")).await;
    assert_eq!(by_accept.content_type(), "application/json");
}

#[tokio::test]
async fn a_comparison_names_each_error_where_its_value_came_from() {
    let mut body = fixture("class/compare.json");
    body["configurations"][3]["hyperparameters"]["beta2"] = json!(1);
    body["problem"]["weights"] = json!([0.5]);
    let reply = post("/v1/compare", &body).await;
    let problem = assert_problem(&reply, 422);
    let pointers = pointers_in_order(&problem);
    assert_eq!(
        pointers,
        [
            "/problem/samples/0/x",
            "/problem/samples/1/x",
            "/problem/samples/2/x",
            "/configurations/3/hyperparameters/beta2"
        ]
    );
}

/// The documented draw scheme (`class::variants`), written again from its description: the
/// first output of SplitMix64 seeded with `seed XOR mix64(FNV-1a-64(pointer) + i·γ)`.
fn documented_r(seed: u64, index: u64, pointer: &str) -> u64 {
    const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;
    let mix = |z: u64| {
        let z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in pointer.bytes() {
        h = (h ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    let state = seed ^ mix(h.wrapping_add(index.wrapping_mul(GAMMA)));
    mix(state.wrapping_add(GAMMA))
}

#[tokio::test]
async fn the_first_variant_of_a_fixed_seed_is_pinned_to_exact_numbers() {
    // The README's template, seed 2026: grids to 1 and 2 decimals and a choice.
    let (status, response) = post_json("/v1/variants", &fixture("class/variants.json")).await;
    assert_eq!(status, 200, "{response}");
    assert_eq!(response["generator"], "gradtrace-splitmix64-v1");
    let first = &response["variants"][0];
    assert_eq!(
        first["draws"],
        json!([
            {"pointer": "/samples/0/t", "value": 0.4},
            {"pointer": "/samples/1/t", "value": 0.1},
            {"pointer": "/weights/0", "value": 0.46},
            {"pointer": "/weights/1", "value": 0.12},
            {"pointer": "/hyperparameters/learning_rate", "value": 0.2}
        ])
    );
    assert_eq!(first["problem"]["weights"], json!([0.46, 0.12]));

    // Continuous ranges, pinned to every bit, and the same numbers computed from the
    // documentation alone.
    let template = json!({
        "template": {
            "samples": [momentum()["samples"][0]],
            "weights": [{"uniform": [-1, 1]}, 0.5],
            "algorithm": "gd",
            "hyperparameters": {"learning_rate": {"uniform": [0.05, 0.5]}}
        },
        "count": 2,
        "seed": 42
    });
    let (status, response) = post_json("/v1/variants", &template).await;
    assert_eq!(status, 200, "{response}");
    let w = response["variants"][0]["problem"]["weights"][0]
        .as_f64()
        .unwrap_or(f64::NAN);
    let lr = response["variants"][0]["problem"]["hyperparameters"]["learning_rate"]
        .as_f64()
        .unwrap_or(f64::NAN);
    assert_eq!(w.to_bits(), 0.13903248265085955f64.to_bits());
    assert_eq!(lr.to_bits(), 0.38561710636542285f64.to_bits());
    let unit = |r: u64| (r >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0);
    assert_eq!(w, -1.0 + unit(documented_r(42, 0, "/weights/0")) * 2.0);
    assert_eq!(
        lr,
        0.05 + unit(documented_r(42, 0, "/hyperparameters/learning_rate")) * (0.5 - 0.05)
    );
    // The grid and the choice of the README's template, from the documentation alone.
    let pick = |r: u64, n: u64| ((u128::from(r) * u128::from(n)) >> 64) as u64;
    assert_eq!(pick(documented_r(2026, 0, "/weights/0"), 101), 46);
    assert_eq!(pick(documented_r(2026, 0, "/samples/0/t"), 11), 4);
    assert_eq!(
        pick(documented_r(2026, 0, "/hyperparameters/learning_rate"), 3),
        1
    );
}

#[tokio::test]
async fn the_same_seed_gives_byte_identical_variants_and_another_seed_other_numbers() {
    let body = fixture("class/variants.json");
    let one = post("/v1/variants", &body).await;
    let two = post("/v1/variants", &body).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body, two.body);

    // Variant i does not depend on count or start: the first three of ten are the same three.
    let mut more = body.clone();
    more["count"] = json!(10);
    let (_, ten) = post_json("/v1/variants", &more).await;
    assert_eq!(
        ten["variants"].as_array().map(|v| v[..3].to_vec()),
        one.json()["variants"].as_array().cloned()
    );
    let mut later = body.clone();
    later["start"] = json!(2);
    later["count"] = json!(1);
    let (_, third) = post_json("/v1/variants", &later).await;
    assert_eq!(third["variants"][0], ten["variants"][2]);

    let mut other = body;
    other["seed"] = json!(2027);
    let (_, other) = post_json("/v1/variants", &other).await;
    let draws = |response: &Value| -> Vec<Value> {
        response["variants"]
            .as_array()
            .map(|v| v.iter().map(|v| v["draws"].clone()).collect())
            .unwrap_or_default()
    };
    let first = one.json();
    assert_ne!(draws(&first), draws(&other));
    assert_ne!(first["variants"][0]["draws"], other["variants"][0]["draws"]);
}

#[tokio::test]
async fn each_variants_solution_equals_solve_on_that_variant() {
    let mut body = fixture("class/variants.json");
    body["count"] = json!(12);
    let (status, response) = post_json("/v1/variants", &body).await;
    assert_eq!(status, 200, "{response}");
    for variant in response["variants"].as_array().expect("variants") {
        let (status, solved) = post_json("/v1/solve", &variant["problem"]).await;
        assert_eq!(status, 200);
        assert_eq!(variant["solution"], solved, "variant {}", variant["index"]);
        // The echo posts back to the same solution too.
        let (_, again) = post_json("/v1/solve", &solved["problem"]).await;
        assert_eq!(again, solved);
    }
}

#[tokio::test]
async fn a_range_that_could_break_a_rule_is_refused_up_front_naming_its_pointer() {
    let mut body = fixture("class/variants.json");
    body["template"]["hyperparameters"]["beta"] = json!({"uniform": [0.5, 1]});
    body["template"]["epochs"] = json!({"uniform": [1, 4]});
    body["template"]["weights"][1] = json!({"uniform": [0, "1"]});
    let reply = post("/v1/variants", &body).await;
    let problem = assert_problem(&reply, 422);
    let pointers = pointers_in_order(&problem);
    assert_eq!(pointers, ["/template/weights/1/uniform/1"]);

    body["template"]["weights"][1] = json!(0.5);
    let reply = post("/v1/variants", &body).await;
    let problem = assert_problem(&reply, 422);
    let details: Vec<(String, String)> = problem["errors"]
        .as_array()
        .map(|e| {
            e.iter()
                .map(|e| (e["pointer"].to_string(), e["detail"].to_string()))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(details.len(), 2, "{details:?}");
    assert!(
        details[0].0.contains("/template/hyperparameters/beta"),
        "{details:?}"
    );
    assert!(
        details[0]
            .1
            .contains("when /template/hyperparameters/beta is 1"),
        "{details:?}"
    );
    assert!(details[1].0.contains("/template/epochs"), "{details:?}");
}

/// A template with every kind of range, over every kind of field: continuous and grid numbers,
/// an integer field, choices of numbers, of algorithms and of whole sample lists.
fn property_template() -> Value {
    json!({
        "samples": {"choice": [
            momentum()["samples"],
            adam()["samples"]
        ]},
        "weights": [{"uniform": [-1, 1], "decimals": 2}, {"uniform": [0, 1]}],
        "bias": {"choice": [null, 0.1]},
        "algorithm": {"choice": ["momentum", "rmsprop", "adam", "adagrad"]},
        "hyperparameters": {
            "learning_rate": {"uniform": [0.01, 0.5]},
            "beta": {"uniform": [0, 0.99], "decimals": 2},
            "epsilon": {"choice": [1e-8, 0]}
        },
        "epochs": {"uniform": [1, 3], "decimals": 0},
        "batch_size": {"choice": [1, 2, 5]},
        "bias_correction": {"choice": [true, false]},
        "conventions": {"sign": {"choice": ["gradient", "delta"]}}
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    #[test]
    fn no_variant_of_any_seed_breaks_a_validation_rule(seed in 0..=i64::MAX as u64, start in 0u64..1_000_000) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
        runtime.block_on(async {
            let body = json!({"template": property_template(), "count": 8, "seed": seed, "start": start});
            let (status, response) = post_json("/v1/variants", &body).await;
            prop_assert_eq!(status, 200, "{}", response);
            let variants = response["variants"].as_array().cloned().unwrap_or_default();
            prop_assert_eq!(variants.len(), 8);
            for (k, variant) in variants.iter().enumerate() {
                prop_assert_eq!(&variant["index"], &json!(start + k as u64));
                // Valid as /v1/solve validates it, and solved the same.
                let (status, solved) = post_json("/v1/solve", &variant["problem"]).await;
                prop_assert_eq!(status, 200, "{}", solved);
                prop_assert_eq!(&variant["solution"], &solved);
                let w0 = variant["problem"]["weights"][0].as_f64().unwrap_or(f64::NAN);
                prop_assert!((-1.0..=1.0).contains(&w0));
                prop_assert_eq!(format!("{w0}").split('.').nth(1).map_or(0, str::len) <= 2, true);
            }
            Ok(())
        })?;
    }
}

#[tokio::test]
async fn every_request_file_of_the_readme_posts_with_200() {
    for (path, file) in [
        ("/v1/solve/batch", "class/solve-batch.json"),
        ("/v1/grade/batch", "class/grade-batch.json"),
        (
            "/v1/grade/batch?format=prairielearn",
            "class/grade-batch.json",
        ),
        ("/v1/compare", "class/compare.json"),
        ("/v1/compare?format=markdown", "class/compare.json"),
        ("/v1/variants", "class/variants.json"),
    ] {
        let reply = post(path, &fixture(file)).await;
        assert_eq!(
            reply.status,
            200,
            "{path} {file}: {}",
            String::from_utf8_lossy(&reply.body)
        );
    }
}

#[test]
fn the_request_files_are_the_openapi_documents_examples() {
    let document = serde_json::to_value(gradtrace::openapi()).unwrap_or_default();
    let schemas = &document["components"]["schemas"];
    for (schema, file) in [
        ("SolveBatchRequest", "class/solve-batch.json"),
        ("GradeBatchRequest", "class/grade-batch.json"),
        ("CompareRequest", "class/compare.json"),
        ("VariantsRequest", "class/variants.json"),
    ] {
        assert_eq!(schemas[schema]["example"], fixture(file), "{schema}");
    }
    for (path, tag) in [
        ("/v1/solve/batch", "class"),
        ("/v1/grade/batch", "class"),
        ("/v1/compare", "class"),
        ("/v1/variants", "class"),
    ] {
        let operation = &document["paths"][path]["post"];
        assert_eq!(operation["tags"][0], tag, "{path}");
        assert!(
            operation["description"]
                .as_str()
                .is_some_and(|d| d.len() > 100),
            "{path}"
        );
        assert!(operation["responses"]["422"].is_object(), "{path}");
    }
    // The variant generator's contract is the endpoint's description, word for word.
    let description = document["paths"]["/v1/variants"]["post"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(description.contains("gradtrace-splitmix64-v1"));
    assert!(description.contains("0x9e3779b97f4a7c15"));
    assert!(description.contains("FNV-1a-64"));
}

#[tokio::test]
async fn variants_on_the_command_line_print_the_endpoints_variants_as_ndjson() {
    let output = cli(&["variants", "tests/fixtures/class/variants.json"]);
    assert!(output.status.success(), "{output:?}");
    let (_, served) = post_json("/v1/variants", &fixture("class/variants.json")).await;
    let printed: Vec<Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON value per line"))
        .collect();
    assert_eq!(Some(printed), served["variants"].as_array().cloned());
}

#[tokio::test]
async fn variants_with_out_write_one_file_per_variant() {
    let dir = std::env::temp_dir().join(format!("gradtrace-variants-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.to_string_lossy().to_string();
    let output = cli(&[
        "variants",
        "tests/fixtures/class/variants.json",
        "--out",
        &out,
    ]);
    assert!(output.status.success(), "{output:?}");
    assert!(output.stdout.is_empty());
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("the directory exists")
        .filter_map(|entry| {
            entry
                .ok()
                .map(|e| e.file_name().to_string_lossy().to_string())
        })
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["variant-000.json", "variant-001.json", "variant-002.json"]
    );
    let (_, served) = post_json("/v1/variants", &fixture("class/variants.json")).await;
    let written: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("variant-001.json")).unwrap_or_default(),
    )
    .expect("JSON");
    assert_eq!(written, served["variants"][1]);
    let _ = std::fs::remove_dir_all(&dir);

    let mut bad = fixture("class/variants.json");
    bad["count"] = json!(0);
    let file = std::env::temp_dir().join(format!("gradtrace-bad-{}.json", std::process::id()));
    std::fs::write(&file, bad.to_string()).expect("temp file");
    let output = cli(&["variants", &file.to_string_lossy()]);
    let _ = std::fs::remove_file(&file);
    assert_eq!(output.status.code(), Some(1));
    let problem: Value = serde_json::from_slice(&output.stdout).expect("problem+json");
    assert_eq!(problem["errors"][0]["pointer"], "/count");
}

#[tokio::test]
async fn compare_on_the_command_line_prints_the_endpoints_json_and_table() {
    let output = cli(&["compare", "tests/fixtures/class/compare.json", "--compact"]);
    assert!(output.status.success(), "{output:?}");
    let reply = post("/v1/compare", &fixture("class/compare.json")).await;
    assert_eq!(output.stdout, [reply.body.as_slice(), b"\n"].concat());
    let output = cli(&[
        "compare",
        "tests/fixtures/class/compare.json",
        "--format",
        "markdown",
        "--precision",
        "3",
    ]);
    let reply = post(
        "/v1/compare?format=markdown&precision=3",
        &fixture("class/compare.json"),
    )
    .await;
    assert_eq!(output.stdout, reply.body);
}

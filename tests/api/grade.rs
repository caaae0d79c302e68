//! `POST /v1/grade` and `gradtrace grade` through the HTTP API and the binary: scores,
//! carry-forward strategies, every rejection with its pointer, each platform's results JSON
//! against that platform's documented fields, the CLI's bytes against the endpoint's, and the
//! request files under `tests/fixtures/grade/` that the README's curl examples post.

use serde_json::{json, Value};

use crate::common::platforms::{
    assert_coderunner, assert_gradescope, assert_prairielearn, CODERUNNER, GRADESCOPE,
    GRADESCOPE_TEST, PRAIRIELEARN, PRAIRIELEARN_TEST,
};
use crate::helpers::{
    assert_problem, assert_problem_saying, assert_usage_error, gradtrace, momentum, pointers, post,
    post_json, printed_problem, Reply,
};

/// The platforms, as `?format=` spells them; each has a fixture of the same name.
const PLATFORMS: [&str; 3] = ["prairielearn", "gradescope", "coderunner"];

fn fixture(name: &str) -> Value {
    crate::common::fixture(&format!("grade/{name}.json"))
}

/// POST a body to `/v1/grade` with a query string, the reply in full.
async fn post_grade(query: &str, body: &Value) -> Reply {
    post(&format!("/v1/grade{query}"), body).await
}

/// POST and expect a 200 with JSON, which is returned.
async fn graded(query: &str, body: &Value) -> Value {
    let reply = post_grade(query, body).await;
    assert_eq!(
        reply.status.as_u16(),
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.content_type(), "application/json");
    reply.json()
}

fn grade_request(answers: Value, carry_forward: &str) -> Value {
    json!({"problem": momentum(), "answers": answers, "carry_forward": carry_forward})
}

fn logistic(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// The course's momentum exercise (docs/contract.md §10: α 0.2, β 0.8, average form, sign `delta`)
/// answered by a student who writes the first velocity as `(v_1)_1 = (dw_1)_1`, forgetting the
/// (1 − β), and computes everything after it correctly from that slip. The numbers are worked
/// here by hand from the course's formulas, not by the service: `dw = (t − y) y (1 − y) x`,
/// `v ← β v + (1 − β) dw`, `w ← w + α v`.
fn slipped_answers() -> Value {
    let (alpha, beta) = (0.2, 0.8);
    // Update 1: sample (1, 0.6), t 0.8, from weights (0.5, 0.5).
    let y = logistic(0.5 * 1.0 + 0.5 * 0.6);
    let dw1 = (0.8 - y) * y * (1.0 - y) * 1.0;
    let dw2 = (0.8 - y) * y * (1.0 - y) * 0.6;
    let v1 = dw1; // the slip
    let v2 = (1.0 - beta) * dw2;
    let (w1, w2) = (0.5 + alpha * v1, 0.5 + alpha * v2);
    // Update 2: sample (0.5, 0.5), t 0.6, from the student's weights.
    let net = w1 * 0.5 + w2 * 0.5;
    let y = logistic(net);
    let dw1_2 = (0.6 - y) * y * (1.0 - y) * 0.5;
    let v1_2 = beta * v1 + (1.0 - beta) * dw1_2;
    let w1_3 = w1 + alpha * v1_2;
    json!([
        {"step": 1, "symbol": "(dw_1)_1", "value": dw1},
        {"step": 1, "symbol": "(v_1)_1", "value": v1},
        {"step": 1, "symbol": "(w_1)_2", "value": w1},
        {"step": 2, "symbol": "y_in", "value": net},
        {"step": 2, "symbol": "(w_1)_3", "value": w1_3}
    ])
}

/// `slipped_answers` judged to 1e-6 relative: the slip moves (w_1)_2 by under 1%, which
/// PrairieLearn's default 1e-2 would accept.
fn slipped_request(carry_forward: &str) -> Value {
    let mut body = grade_request(slipped_answers(), carry_forward);
    body["tolerance"] = json!({"mode": "relabs", "rtol": 1e-6, "atol": 1e-12});
    body
}

fn verdicts(report: &Value) -> Vec<bool> {
    report["results"]
        .as_array()
        .map(|r| r.iter().map(|r| r["correct"] == true).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_line_answered_with_the_solutions_own_values_scores_one() {
    let (status, solution) = post_json("/v1/solve", &momentum()).await;
    assert_eq!(status, 200);
    let mut answers = Vec::new();
    for step in solution["steps"].as_array().into_iter().flatten() {
        for line in step["lines"].as_array().into_iter().flatten() {
            answers.push(
                json!({"step": step["index"], "symbol": line["symbol"], "value": line["value"]}),
            );
        }
    }
    answers.push(json!({"pointer": "/final_weights/1", "value": solution["final_weights"][1]}));
    assert_eq!(answers.len(), 19);
    for strategy in ["none", "always", "best"] {
        let report = graded("", &grade_request(json!(answers), strategy)).await;
        assert_eq!(report["score"], 1.0, "{strategy}: {report}");
        assert_eq!(report["first_wrong"], Value::Null);
        assert_eq!(report["points"], 19.0);
        assert!(verdicts(&report).iter().all(|&v| v));
    }
}

#[tokio::test]
async fn one_wrong_step_without_carry_forward_makes_every_later_dependent_value_wrong() {
    let report = graded("", &slipped_request("none")).await;
    assert_eq!(verdicts(&report), [true, false, false, false, false]);
    assert_eq!(report["score"], 0.2);
    assert_eq!(report["first_wrong"], 1);
    assert_eq!(report["carry_forward_used"], "none");
}

#[tokio::test]
async fn with_carry_forward_always_only_the_wrong_step_loses_its_mark() {
    let report = graded("", &slipped_request("always")).await;
    assert_eq!(verdicts(&report), [true, false, true, true, true]);
    assert_eq!(report["score"], 0.8);
    assert_eq!(report["carry_forward_used"], "always");
    let slip = &report["results"][1];
    // Against the student's own (dw_1)_1, the velocity should have been 0.2 × (dw_1)_1.
    let expected = slip["expected"].as_f64().unwrap_or(f64::NAN);
    let given = slip["given"].as_f64().unwrap_or(f64::NAN);
    assert!((expected - 0.2 * given).abs() < 1e-15, "{slip}");
    assert_eq!(slip["mistake"]["code"], "other_momentum_form", "{slip}");
    assert_eq!(report["results"][4]["carried_forward"], true);
}

#[tokio::test]
async fn carry_forward_best_keeps_the_higher_score_and_says_which_it_used() {
    let report = graded("", &slipped_request("best")).await;
    assert_eq!(report["carry_forward"], "best");
    assert_eq!(report["carry_forward_used"], "always");
    assert_eq!(report["scores"], json!({"none": 0.2, "always": 0.8}));
    assert_eq!(report["score"], 0.8);
    // Answers that are right are not carried forward: the notes' Adagrad values are right to 3
    // figures, and carrying their rounded y = 0.668 would make (dw_1)_2 0.00754 instead of the
    // notes' 0.00756 (worked from the unrounded y). Both ways score 1; a tie keeps `none`.
    let report = graded("", &fixture("prairielearn")).await;
    assert_eq!(report["carry_forward"], "best");
    assert_eq!(report["scores"], json!({"none": 1.0, "always": 1.0}));
    assert_eq!(report["carry_forward_used"], "none");
    assert_eq!(report["score"], 1.0);
}

#[tokio::test]
async fn a_malformed_pointer_and_an_unknown_symbol_are_422s_naming_their_answers() {
    let body = grade_request(
        json!([
            {"step": 1, "symbol": "(w_1)_2", "value": 0.5009},
            {"pointer": "steps/0/weights_after/0", "value": 0.5009},
            {"step": 1, "symbol": "(z_1)_2", "value": 0.5009},
            {"pointer": "/steps/0/we~2ights", "value": 0.5},
            {"step": 9, "symbol": "(w_1)_2", "value": 0.5}
        ]),
        "always",
    );
    let problem = assert_problem(&post_grade("", &body).await, 422);
    assert_eq!(
        pointers(&problem),
        [
            "/answers/1/pointer",
            "/answers/2/symbol",
            "/answers/3/pointer",
            "/answers/4/step"
        ]
    );
    let details: Vec<&str> = problem["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["detail"].as_str())
        .collect();
    assert!(
        details[0].contains("`steps/0/weights_after/0`"),
        "{details:?}"
    );
    assert!(details[1].contains("`(z_1)_2`"), "{details:?}");
    assert!(
        details[1].contains("(w_1)_2"),
        "the known symbols are listed: {details:?}"
    );
    assert!(details[3].contains("step 9 is out of range"), "{details:?}");
}

#[tokio::test]
async fn an_invalid_problem_is_a_422_with_its_pointers_under_problem() {
    let mut problem = momentum();
    problem["hyperparameters"]["beta"] = json!(1);
    problem["samples"][1]["x"] = json!([0.5, 0.5, 0.5]);
    problem["colour"] = json!("blue");
    let body = json!({
        "problem": problem,
        "answers": [{"step": 1, "symbol": "(w_1)_2", "value": "0.5"}],
        "carry_forward": "sometimes"
    });
    let reply = assert_problem(&post_grade("", &body).await, 422);
    assert_eq!(
        pointers(&reply),
        [
            "/answers/0/value",
            "/carry_forward",
            "/problem/colour",
            "/problem/hyperparameters/beta",
            "/problem/samples/1/x"
        ]
    );
    // A problem that is not an object at all is named at `/problem` itself.
    let body =
        json!({"problem": [1, 2], "answers": [{"pointer": "/final_weights/0", "value": 0.5}]});
    let reply = assert_problem(&post_grade("", &body).await, 422);
    assert_eq!(pointers(&reply), ["/problem"]);
}

#[tokio::test]
async fn answers_of_the_wrong_shape_are_all_named_at_once() {
    let body = json!({
        "problem": momentum(),
        "answer": [],
        "answers": [
            {"step": 1, "symbol": "(w_1)_2", "value": 0.5009, "colour": "red"},
            {"step": 1.5, "symbol": 7, "value": 0.5},
            {"pointer": "/final_weights/0"},
            {"pointer": "/final_weights/0", "value": 0.5, "tolerance": {"mode": "sigfigs"}},
            {"pointer": "/final_weights/0", "value": 0.5, "tolerance": {"mode": "relabs", "digits": 3}},
            {"pointer": "/final_weights/0", "value": 0.5, "weight": -1},
            "0.5"
        ],
        "tolerance": {"mode": "decdig", "digits": -2},
        "carry_forward": 1
    });
    let problem = assert_problem(&post_grade("", &body).await, 422);
    assert_eq!(
        pointers(&problem),
        [
            "/answer",
            "/answers/0/colour",
            "/answers/1/step",
            "/answers/1/symbol",
            "/answers/2/value",
            "/answers/3/tolerance/mode",
            "/answers/4/tolerance/digits",
            "/answers/5/weight",
            "/answers/6",
            "/carry_forward",
            "/tolerance/digits"
        ]
    );
    let detail = |pointer: &str| {
        problem["errors"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|e| e["pointer"] == pointer)
            .and_then(|e| e["detail"].as_str())
            .unwrap_or_default()
            .to_string()
    };
    assert!(detail("/answer").contains("did you mean `answers`?"));
    assert!(detail("/answers/3/tolerance/mode").contains("did you mean `sigfig`?"));
    assert!(
        detail("/answers/5/weight").contains("≥ 0"),
        "the grader's own check"
    );
}

#[tokio::test]
async fn null_reads_as_absent_for_every_optional_key() {
    let body = json!({
        "problem": momentum(),
        "answers": [{"pointer": null, "step": 1, "symbol": "(w_1)_2", "value": 0.5009,
                     "tolerance": null, "weight": null, "label": null}],
        "tolerance": null,
        "carry_forward": null
    });
    let report = graded("", &body).await;
    assert_eq!(report["score"], 1.0);
    assert_eq!(report["carry_forward"], "none");
}

#[tokio::test]
async fn an_unknown_format_or_query_parameter_is_a_400_problem() {
    for query in ["?format=moodle", "?format=", "?formats=json"] {
        assert_problem_saying(
            &post_grade(query, &fixture("momentum")).await,
            400,
            "prairielearn",
        );
    }
}

#[tokio::test]
async fn the_default_format_is_the_grade_report() {
    let body = fixture("momentum");
    assert_eq!(graded("", &body).await, graded("?format=json", &body).await);
}

fn assert_platform(platform: &str, results: &Value) {
    match platform {
        "prairielearn" => assert_prairielearn(results),
        "gradescope" => assert_gradescope(results),
        "coderunner" => assert_coderunner(results),
        other => panic!("no platform {other}"),
    }
}

#[tokio::test]
async fn prairielearn_results_have_the_documented_fields_and_types() {
    // The README's example: the course's Adagrad values as the notes print them, to 3 figures.
    let results = graded("?format=prairielearn", &fixture("prairielearn")).await;
    assert_prairielearn(&results);
    assert_eq!(results["score"], 1.0);
    assert_eq!(results["tests"].as_array().map(Vec::len), Some(13));
    // And a grade with a wrong answer.
    let results = graded("?format=prairielearn", &fixture("momentum")).await;
    assert_prairielearn(&results);
    assert_eq!(results["score"], 0.75);
    assert_eq!(results["tests"][1]["points"], 0.0);
}

#[tokio::test]
async fn gradescope_results_have_the_documented_fields_and_types() {
    // The README's example: the notes' RMSProp values, their erratum (w₂)₂ = 4.971 included,
    // with labels and weights.
    let results = graded("?format=gradescope", &fixture("gradescope")).await;
    assert_gradescope(&results);
    assert_eq!(results["score"], 4.0);
    let last = &results["tests"][3];
    assert_eq!(last["name"], "Q4 (w₂)₂");
    assert_eq!(last["status"], "failed");
    assert_eq!(last["max_score"], 2.0);
    assert!(
        last["output"]
            .as_str()
            .is_some_and(|o| o.contains("expected 0.9472")),
        "{last}"
    );
    assert_gradescope(&graded("?format=gradescope", &fixture("momentum")).await);
}

#[tokio::test]
async fn coderunner_results_have_the_documented_fields_and_types() {
    // The README's example: Adam with its bias correction forgotten, named in the feedback.
    let results = graded("?format=coderunner", &fixture("coderunner")).await;
    assert_coderunner(&results);
    assert_eq!(results["fraction"], 0.6);
    let row = &results["testresults"][4];
    assert_eq!(row[0], false);
    assert!(
        row[4]
            .as_str()
            .is_some_and(|f| f.contains("bias correction")),
        "{row}"
    );
    assert_coderunner(&graded("?format=coderunner", &fixture("momentum")).await);
}

#[tokio::test]
async fn every_readme_fixture_grades_in_every_format() {
    for name in ["momentum", "prairielearn", "gradescope", "coderunner"] {
        let body = fixture(name);
        let report = graded("", &body).await;
        assert!(report["results"].is_array(), "{name}");
        for platform in PLATFORMS {
            assert_platform(
                platform,
                &graded(&format!("?format={platform}"), &body).await,
            );
        }
    }
}

/// The documented schema of each platform names only fields that platform documents.
#[test]
fn the_documented_platform_schemas_use_only_the_platforms_field_names() {
    let document = serde_json::to_value(gradtrace::openapi()).unwrap_or_default();
    let schemas = &document["components"]["schemas"];
    for (schema, allowed) in [
        ("PrairieLearnResults", &PRAIRIELEARN.promised[..]),
        ("PrairieLearnTest", &PRAIRIELEARN_TEST.promised),
        ("GradescopeResults", &GRADESCOPE.promised),
        ("GradescopeTest", &GRADESCOPE_TEST.promised),
        ("CodeRunnerResult", &CODERUNNER.promised),
    ] {
        let mut properties: Vec<&str> = schemas[schema]["properties"]
            .as_object()
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        properties.sort_unstable();
        let mut allowed = allowed.to_vec();
        allowed.sort_unstable();
        assert_eq!(properties, allowed, "{schema}");
    }
    let cells = &schemas["CodeRunnerResult"]["properties"]["testresults"]["items"]["items"];
    assert_eq!(
        cells["oneOf"],
        json!([{"type": "boolean"}, {"type": "string"}])
    );
}

#[tokio::test]
async fn the_documented_example_is_the_momentum_fixture_and_its_responses_are_real() {
    let document = serde_json::to_value(gradtrace::openapi()).unwrap_or_default();
    let operation = &document["paths"]["/v1/grade"]["post"];
    assert_eq!(operation["tags"], json!(["grade"]));
    let example = &document["components"]["schemas"]["GradeRequest"]["example"];
    assert_eq!(example, &fixture("momentum"));
    let formats = &operation["parameters"][0];
    assert_eq!(formats["name"], "format");
    assert_eq!(
        formats["schema"]["enum"],
        json!(["json", "prairielearn", "gradescope", "coderunner"])
    );
    let ok = &operation["responses"]["200"]["content"]["application/json"];
    assert_eq!(ok["schema"]["$ref"], "#/components/schemas/GradeOutput");
    assert_eq!(
        document["components"]["schemas"]["GradeOutput"]["anyOf"]
            .as_array()
            .map(Vec::len),
        Some(4)
    );
    for format in ["json", "prairielearn", "gradescope", "coderunner"] {
        let served = graded(&format!("?format={format}"), example).await;
        assert_eq!(ok["examples"][format]["value"], served, "{format}");
    }
    // The 422 example is what the service says about its own example with broken answers.
    let rejected = &operation["responses"]["422"]["content"]["application/problem+json"];
    let mut body = example.clone();
    body["answers"] = json!([
        {"pointer": "steps/0/weights_after/0", "value": 0.5009},
        {"step": 1, "symbol": "(z_1)_2", "value": 0.5009},
        {"step": 1, "symbol": "(w_1)_2", "value": "0.5009"}
    ]);
    let reply = post_grade("", &body).await;
    assert_eq!(rejected["example"], assert_problem(&reply, 422));
}

#[tokio::test]
async fn grade_compact_prints_the_endpoints_bytes_in_every_format() {
    for name in ["momentum", "prairielearn", "gradescope", "coderunner"] {
        let path = format!("tests/fixtures/grade/{name}.json");
        for format in ["json", "prairielearn", "gradescope", "coderunner"] {
            let output = gradtrace(&["grade", "--compact", "--format", format, &path], "");
            assert!(output.status.success(), "{name} {format}: {output:?}");
            let mut served = post_grade(&format!("?format={format}"), &fixture(name))
                .await
                .body;
            served.push(b'\n');
            assert!(
                output.stdout == served,
                "{name} {format}:\n{}\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&served)
            );
        }
    }
}

#[tokio::test]
async fn grade_from_stdin_prints_the_same_json_pretty() {
    let body = fixture("gradescope");
    let output = gradtrace(&["grade", "--format", "gradescope", "-"], &body.to_string());
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("{\n  \""), "pretty: {text}");
    let printed: Value = serde_json::from_str(&text).expect("JSON on stdout");
    assert_eq!(printed, graded("?format=gradescope", &body).await);
}

#[tokio::test]
async fn grade_of_a_rejected_request_prints_the_endpoints_problem_json_and_exits_1() {
    let body = grade_request(
        json!([{"pointer": "final_weights/0", "value": 0.5}]),
        "none",
    );
    let output = gradtrace(&["grade", "--compact", "-"], &body.to_string());
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let mut served = post_grade("", &body).await.body;
    served.push(b'\n');
    assert_eq!(output.stdout, served);

    let problem = printed_problem(&gradtrace(&["grade", "-"], "{\"problem\": "));
    assert_eq!(problem["status"], 400);
}

#[test]
fn grade_of_a_missing_file_or_an_unknown_format_exits_2() {
    let output = gradtrace(&["grade", "/nonexistent/answers.json"], "");
    assert_usage_error(&output, "cannot read");

    let output = gradtrace(&["grade", "--format", "moodle", "-"], "");
    assert_usage_error(&output, "moodle");
}

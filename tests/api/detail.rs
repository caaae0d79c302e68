//! `detail` (docs/contract.md §12) on every endpoint that returns solutions, and the NDJSON stream of
//! `/v1/solve`, in memory. The reference for every shape is the `lines` answer (today's bytes,
//! frozen by `golden`): `values` is that answer with every step's lines removed, `summary` that
//! answer without steps and with the loss after each update, and a stream's lines put together
//! are that answer.

use axum::http::Method;
use serde_json::{json, Map, Value};

use crate::helpers::{
    assert_problem, merged, momentum, post, post_accepting, post_json, request, Reply,
};

/// The course's Adam problem on its three samples, two epochs, with a bias: six updates.
fn adam() -> Value {
    merged(crate::helpers::adam(), json!({"bias": 0.1, "epochs": 2}))
}

/// `solution` with every step's `lines` emptied: what `values` must be.
fn without_lines(mut solution: Value) -> Value {
    for step in solution["steps"].as_array_mut().into_iter().flatten() {
        step["lines"] = json!([]);
    }
    solution
}

/// The loss over all samples at `weights` and `bias`, written out from docs/contract.md §1 (logistic
/// neuron, squared error, mean reduction): an independent check of `per_update`.
fn mean_squared_error(problem: &Value, weights: &Value, bias: &Value) -> f64 {
    let samples = problem["samples"].as_array().cloned().unwrap_or_default();
    let total: f64 = samples
        .iter()
        .map(|sample| {
            let x = sample["x"].as_array().cloned().unwrap_or_default();
            let net: f64 = x
                .iter()
                .zip(weights.as_array().into_iter().flatten())
                .map(|(x, w)| x.as_f64().unwrap_or(f64::NAN) * w.as_f64().unwrap_or(f64::NAN))
                .sum::<f64>()
                + bias.as_f64().unwrap_or(0.0);
            let y = 1.0 / (1.0 + (-net).exp());
            let t = sample["t"].as_f64().unwrap_or(f64::NAN);
            0.5 * (t - y) * (t - y)
        })
        .sum();
    total / samples.len() as f64
}

#[tokio::test]
async fn values_is_the_lines_trace_with_every_line_left_out() {
    let lines = post("/v1/solve", &adam()).await;
    let explicit = post("/v1/solve?detail=lines", &adam()).await;
    assert_eq!(lines.body, explicit.body, "lines is the default");
    let (status, values) = post_json("/v1/solve?detail=values", &adam()).await;
    assert_eq!(status, 200, "{values}");
    let steps = values["steps"].as_array().cloned().unwrap_or_default();
    assert_eq!(steps.len(), 6);
    assert!(steps.iter().all(|s| s["lines"] == json!([])), "{values}");
    assert_eq!(values, without_lines(lines.json()));
}

#[tokio::test]
async fn summary_has_no_steps_and_the_loss_after_every_update() {
    let lines = post("/v1/solve", &adam()).await.json();
    let (status, summary) = post_json("/v1/solve?detail=summary", &adam()).await;
    assert_eq!(status, 200, "{summary}");
    assert_eq!(summary["steps"], json!([]));
    let per_update = summary["loss"]["per_update"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let steps = lines["steps"].as_array().cloned().unwrap_or_default();
    assert_eq!(per_update.len(), steps.len());
    for (loss, step) in per_update.iter().zip(&steps) {
        let expected = mean_squared_error(&adam(), &step["weights_after"], &step["bias_after"]);
        let got = loss.as_f64().unwrap_or(f64::NAN);
        assert!((got - expected).abs() <= 1e-15, "{got} vs {expected}");
    }
    // After the last update of each epoch, the loss per epoch; after the last, the final.
    assert_eq!(per_update[2], summary["loss"]["per_epoch"][0]);
    assert_eq!(per_update[5], summary["loss"]["per_epoch"][1]);
    assert_eq!(per_update[5], summary["loss"]["final"]);
    // Everything else is the lines answer's.
    let mut rest = summary.clone();
    rest["steps"] = lines["steps"].clone();
    if let Some(loss) = rest["loss"].as_object_mut() {
        loss.remove("per_update");
    }
    assert_eq!(rest, lines);
    // Only a summary has `per_update`.
    assert!(lines["loss"].get("per_update").is_none());
}

#[tokio::test]
async fn a_detail_that_is_not_listed_is_a_400() {
    for path in [
        "/v1/solve?detail=full",
        "/v1/solve?detail=values&format=markdown&depth=1",
        "/v1/solve/batch?detail=all",
        "/v1/variants?detail=Values",
        "/v1/compare?detail=steps",
    ] {
        let reply = post(path, &json!({})).await;
        let problem = assert_problem(&reply, 400);
        let detail = problem["detail"].as_str().unwrap_or_default();
        assert!(detail.contains("`detail` is"), "{path}: {detail}");
    }
}

#[tokio::test]
async fn the_renderings_are_the_worked_lines_whatever_the_detail() {
    for (query, plain) in [
        ("?format=markdown&detail=values", "?format=markdown"),
        (
            "?format=latex&detail=summary&precision=3",
            "?format=latex&precision=3",
        ),
    ] {
        let asked = post(&format!("/v1/solve{query}"), &adam()).await;
        let rendered = post(&format!("/v1/solve{plain}"), &adam()).await;
        assert_eq!(asked.status, 200);
        assert_eq!(asked.body, rendered.body, "{query}");
    }
    let accepted = post_accepting("/v1/solve?detail=values", "text/markdown", &adam()).await;
    let rendered = post("/v1/solve?format=markdown", &adam()).await;
    assert_eq!(accepted.body, rendered.body);
    // And they are held to the limits of the lines: 20,000 epochs of the course's momentum
    // problem are 120,000 trace entries, within values' limit, over lines'.
    let mut long = momentum();
    long["epochs"] = json!(20_000);
    let reply = post("/v1/solve?format=markdown&detail=values", &long).await;
    let problem = assert_problem(&reply, 422);
    assert_eq!(problem["errors"][0]["limit"]["name"], "max_trace_entries");
    // The comparison table is the summary whatever the detail.
    let body = gradtrace::course::requests::course_exercise();
    let asked = post("/v1/compare?format=markdown&detail=lines", &body).await;
    let table = post("/v1/compare?format=markdown", &body).await;
    assert_eq!(asked.status, 200);
    assert_eq!(asked.body, table.body);
}

#[tokio::test]
async fn a_batch_gives_each_problem_what_solve_gives_it_at_the_same_detail() {
    let mut broken = momentum();
    broken["hyperparameters"]["beta"] = json!(1.5);
    let problems = vec![momentum(), broken, adam()];
    for detail in ["lines", "values", "summary"] {
        let (status, batch) = post_json(
            &format!("/v1/solve/batch?detail={detail}"),
            &json!({"problems": problems}),
        )
        .await;
        assert_eq!(status, 200, "{batch}");
        for (problem, result) in problems
            .iter()
            .zip(batch["results"].as_array().into_iter().flatten())
        {
            let (_, alone) = post_json(&format!("/v1/solve?detail={detail}"), problem).await;
            assert_eq!(result, &alone, "{detail}");
        }
    }
}

#[tokio::test]
async fn variants_give_each_problem_what_solve_gives_it_at_the_same_detail() {
    let body = json!({"template": momentum(), "count": 2, "seed": 7});
    let (_, lines) = post_json("/v1/variants", &body).await;
    for detail in ["lines", "values", "summary"] {
        let (status, variants) = post_json(&format!("/v1/variants?detail={detail}"), &body).await;
        assert_eq!(status, 200, "{variants}");
        let items = variants["variants"].as_array().cloned().unwrap_or_default();
        assert_eq!(items.len(), 2);
        for item in &items {
            let (_, alone) =
                post_json(&format!("/v1/solve?detail={detail}"), &item["problem"]).await;
            assert_eq!(item["solution"], alone, "{detail}");
        }
        if detail == "lines" {
            assert_eq!(variants, lines, "lines is the default");
        }
    }
}

#[tokio::test]
async fn a_comparison_is_a_summary_and_values_or_lines_add_each_columns_steps() {
    let body = gradtrace::course::requests::course_exercise();
    let default = post("/v1/compare", &body).await;
    let summary = post("/v1/compare?detail=summary", &body).await;
    assert_eq!(default.body, summary.body, "summary is the default");
    let summary = summary.json();
    for result in summary["results"].as_array().into_iter().flatten() {
        assert!(result.get("steps").is_none(), "{result}");
    }
    for detail in ["values", "lines"] {
        let (status, compared) = post_json(&format!("/v1/compare?detail={detail}"), &body).await;
        assert_eq!(status, 200, "{compared}");
        let results = compared["results"].as_array().cloned().unwrap_or_default();
        let summaries = summary["results"].as_array().cloned().unwrap_or_default();
        assert_eq!(results.len(), 4);
        for (result, summarized) in results.iter().zip(&summaries) {
            let (_, alone) =
                post_json(&format!("/v1/solve?detail={detail}"), &result["problem"]).await;
            assert_eq!(result["steps"], alone["steps"], "{detail}");
            assert_eq!(
                result["updates"].as_u64(),
                result["steps"].as_array().map(|s| s.len() as u64)
            );
            let mut rest = result.clone();
            if let Some(map) = rest.as_object_mut() {
                map.remove("steps");
            }
            assert_eq!(&rest, summarized, "{detail}");
        }
    }
}

/// A stream's lines, each parsed on its own.
fn stream_lines(reply: &Reply) -> Vec<Value> {
    assert_eq!(
        reply.status,
        200,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.content_type(), "application/x-ndjson");
    assert!(reply.body.ends_with(b"\n"));
    reply
        .body
        .split(|b| *b == b'\n')
        .filter(|line| !line.is_empty())
        .map(|line| {
            serde_json::from_slice(line).unwrap_or_else(|e| {
                panic!(
                    "a line is not JSON ({e}): {}",
                    String::from_utf8_lossy(line)
                )
            })
        })
        .collect()
}

/// The solution a stream's lines put together: the header's algorithm and problem, each step
/// without its `type`, and the end's fields, in the JSON trace's order.
fn assembled(lines: &[Value]) -> Value {
    let (Some(header), Some(end)) = (lines.first(), lines.last()) else {
        panic!("an empty stream");
    };
    assert_eq!(header["type"], "header", "{header}");
    assert_eq!(end["type"], "end", "{end}");
    let steps: Vec<Value> = lines[1..lines.len() - 1]
        .iter()
        .map(|line| {
            assert_eq!(line["type"], "step", "{line}");
            let mut step = line.clone();
            if let Some(map) = step.as_object_mut() {
                map.shift_remove("type");
            }
            step
        })
        .collect();
    let mut solution = Map::new();
    solution.insert("algorithm".into(), header["algorithm"].clone());
    solution.insert("problem".into(), header["problem"].clone());
    for key in ["status", "warnings"] {
        solution.insert(key.into(), end[key].clone());
    }
    solution.insert("steps".into(), Value::Array(steps));
    for key in ["final_weights", "final_bias", "loss"] {
        solution.insert(key.into(), end[key].clone());
    }
    assert_eq!(header.as_object().map(Map::len), Some(3), "{header}");
    assert_eq!(end.as_object().map(Map::len), Some(6), "{end}");
    Value::Object(solution)
}

#[tokio::test]
async fn a_streams_lines_put_together_are_the_solution_at_its_detail() {
    for (query, json_query) in [
        ("?format=ndjson&detail=values", "?detail=values"),
        ("?format=ndjson", ""),
        ("?format=ndjson&precision=2", "?precision=2"),
        ("?format=ndjson&detail=values&precision=0", "?detail=values"),
    ] {
        let reply = post(&format!("/v1/solve{query}"), &adam()).await;
        let lines = stream_lines(&reply);
        assert_eq!(lines.len(), 8, "header, six steps, end");
        let (_, solution) = post_json(&format!("/v1/solve{json_query}"), &adam()).await;
        // Compared as text too: the stream's numbers are the JSON trace's, digit for digit.
        let solution_text = solution.to_string();
        assert_eq!(assembled(&lines).to_string(), solution_text, "{query}");
    }
    // `Accept` chooses the stream as `format` does, with the same bytes.
    let accepted = post_accepting("/v1/solve?detail=values", "application/x-ndjson", &adam()).await;
    let asked = post("/v1/solve?format=ndjson&detail=values", &adam()).await;
    assert_eq!(accepted.body, asked.body);
}

#[tokio::test]
async fn a_summary_stream_is_its_header_and_end_with_the_loss_after_every_update() {
    let lines = stream_lines(&post("/v1/solve?format=ndjson&detail=summary", &adam()).await);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let (_, summary) = post_json("/v1/solve?detail=summary", &adam()).await;
    assert_eq!(
        summary["loss"]["per_update"].as_array().map(Vec::len),
        Some(6)
    );
    assert_eq!(assembled(&lines), summary);
}

#[tokio::test]
async fn a_diverging_stream_ends_with_its_status_and_warning() {
    let problem = json!({
        "samples": [{"x": [1], "t": 1}, {"x": [2], "t": -1}],
        "weights": [1],
        "activation": "linear",
        "algorithm": "gd",
        "hyperparameters": {"learning_rate": 1e200},
        "epochs": 10
    });
    let lines = stream_lines(&post("/v1/solve?format=ndjson&detail=values", &problem).await);
    let (_, solution) = post_json("/v1/solve?detail=values", &problem).await;
    assert_eq!(solution["status"], "diverged");
    assert_eq!(assembled(&lines), solution);
}

#[tokio::test]
async fn a_problem_refused_before_the_stream_starts_gets_its_usual_problem_json() {
    let mut body = momentum();
    body["hyperparameters"]["beta"] = json!(1.5);
    let reply = post("/v1/solve?format=ndjson", &body).await;
    let problem = assert_problem(&reply, 422);
    assert_eq!(problem["errors"][0]["pointer"], "/hyperparameters/beta");
    let reply = request(
        Method::POST,
        "/v1/solve?format=ndjson",
        Some("application/json"),
        "{not json",
    )
    .await;
    assert_problem(&reply, 400);
}

#[tokio::test]
async fn the_openapi_document_lists_detail_on_every_endpoint_that_returns_solutions() {
    let document = gradtrace::openapi();
    let Ok(document) = serde_json::to_value(&document) else {
        panic!("the document serializes");
    };
    for path in [
        "/v1/solve",
        "/v1/solve/batch",
        "/v1/compare",
        "/v1/variants",
    ] {
        let parameters = document["paths"][path]["post"]["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let detail = parameters
            .iter()
            .find(|p| p["name"] == "detail")
            .unwrap_or_else(|| panic!("{path} has no `detail`"));
        assert_eq!(detail["in"], "query");
        let names = detail["schema"]["enum"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            names,
            [json!("lines"), json!("values"), json!("summary")],
            "{path}: {detail}"
        );
    }
    let content = &document["paths"]["/v1/solve"]["post"]["responses"]["200"]["content"];
    assert!(content.get("application/x-ndjson").is_some(), "{content}");
    let loss = &document["components"]["schemas"]["LossSummary"]["properties"];
    assert!(loss.get("per_update").is_some(), "{loss}");
}

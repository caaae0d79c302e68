//! Every configurable limit: a request over it is a 413 or a 422 that names the limit, its
//! value, and the flag and environment variable that raise it; a request at it is served. Small
//! limits keep the requests small.

use std::process::{Command, Stdio};
use std::time::Duration;

use gradtrace::config::{Config, Limits};
use serde_json::json;

use crate::support::{
    adam_updates, assert_names_limit, assert_over_limit, assert_problem, momentum, post, Server,
};

/// `n` copies of the course momentum problem's first sample.
fn copies_of_a_sample(n: usize) -> serde_json::Value {
    json!(vec![momentum()["samples"][0].clone(); n])
}

fn app(limits: Limits) -> axum::Router {
    gradtrace::app_with(&Config {
        limits,
        ..Config::default()
    })
}

#[tokio::test]
async fn a_body_over_the_configured_size_is_a_413_naming_max_body_bytes() {
    // Room for the course's problem, not for ten more samples.
    let limit = momentum().to_string().len() as u64 + 20;
    let app = app(Limits {
        body_bytes: limit,
        ..Limits::default()
    });
    let fits = post(&app, "/v1/solve", &momentum()).await;
    assert_eq!(fits.status, 200, "{}", fits.text());

    let mut body = momentum();
    body["samples"] = copies_of_a_sample(10);
    let reply = post(&app, "/v1/solve", &body).await;
    let problem = assert_problem(&reply, 413);
    assert_eq!(
        problem["type"],
        "https://gradtrace.dev/problems/payload-too-large"
    );
    assert_names_limit(&problem["limit"], "max_body_bytes", json!(limit));
    let detail = problem["detail"].as_str().unwrap_or_default();
    assert!(detail.contains("--max-body-bytes"), "{detail}");
    assert!(detail.contains("GRADTRACE_MAX_BODY_BYTES"), "{detail}");
}

#[tokio::test]
async fn more_samples_than_the_limit_is_a_422_at_samples() {
    let app = app(Limits {
        samples: 2,
        ..Limits::default()
    });
    assert_eq!(post(&app, "/v1/solve", &momentum()).await.status, 200);
    let mut body = momentum();
    body["samples"] = copies_of_a_sample(3);
    assert_over_limit(
        &post(&app, "/v1/solve", &body).await,
        "/samples",
        "max_samples",
        2,
    );
}

#[tokio::test]
async fn more_features_than_the_limit_is_a_422_at_weights() {
    let app = app(Limits {
        features: 2,
        ..Limits::default()
    });
    assert_eq!(post(&app, "/v1/solve", &momentum()).await.status, 200);
    let mut body = momentum();
    body["weights"] = json!([0.5, 0.5, 0.5]);
    body["samples"] = json!([{"x": [1, 0.6, 0.1], "t": 0.8}]);
    assert_over_limit(
        &post(&app, "/v1/solve", &body).await,
        "/weights",
        "max_features",
        2,
    );
}

#[tokio::test]
async fn a_network_over_the_parameter_limit_is_a_422_at_its_layers_and_one_at_it_is_solved() {
    // 2·2 + 2 + 1·2 + 1 = 9 parameters, the fixed biases counted: each has its gradient.
    let app = app(Limits {
        network_parameters: 9,
        ..Limits::default()
    });
    let mut body = json!({
        "samples": [{"x": [0.5, 1.0], "t": 0.2}],
        "network": {"layers": [
            {"weights": [[0.1, 0.2], [0.3, 0.4]], "biases": [0.1, 0.2]},
            {"weights": [[0.5, 0.6]], "biases": [0.3]}
        ], "update_biases": false},
        "algorithm": "gd",
        "hyperparameters": {"learning_rate": 0.5}
    });
    let at = post(&app, "/v1/solve", &body).await;
    assert_eq!(at.status, 200, "{}", at.text());
    body["network"]["layers"][0]["weights"] = json!([[0.1, 0.2, 0.3], [0.3, 0.4, 0.5]]);
    body["samples"][0]["x"] = json!([0.5, 1.0, 2.0]);
    assert_over_limit(
        &post(&app, "/v1/solve", &body).await,
        "/network/layers",
        "max_network_parameters",
        9,
    );
}

#[tokio::test]
async fn a_trace_just_over_the_entry_limit_is_a_422_at_epochs_and_one_at_it_is_solved() {
    // 2 samples online, 2 weights: each epoch is 2 updates of 3 entries.
    let app = app(Limits {
        trace_entries: 30,
        ..Limits::default()
    });
    let mut body = momentum();
    body["epochs"] = json!(5);
    let at = post(&app, "/v1/solve", &body).await;
    assert_eq!(at.status, 200, "{}", at.text());
    assert_eq!(at.json()["steps"].as_array().map(Vec::len), Some(10));
    body["epochs"] = json!(6);
    assert_over_limit(
        &post(&app, "/v1/solve", &body).await,
        "/epochs",
        "max_trace_entries",
        30,
    );
}

#[tokio::test]
async fn a_full_batch_run_over_the_forward_limit_is_a_422_at_epochs() {
    // 4 samples in one batch, 1 weight: each epoch is 1 update of 2 entries but shows 4
    // forward passes of 2 entries.
    let app = app(Limits {
        forward_entries: 40,
        ..Limits::default()
    });
    let body = |epochs: u64| {
        json!({
            "samples": [{"x": [1], "t": 0.1}, {"x": [2], "t": 0.2}, {"x": [3], "t": 0.3}, {"x": [4], "t": 0.4}],
            "weights": [0.5],
            "algorithm": "gd",
            "hyperparameters": {"learning_rate": 0.1},
            "batch_size": 4,
            "epochs": epochs
        })
    };
    assert_eq!(post(&app, "/v1/solve", &body(5)).await.status, 200);
    assert_over_limit(
        &post(&app, "/v1/solve", &body(6)).await,
        "/epochs",
        "max_forward_entries",
        40,
    );
}

#[tokio::test]
async fn the_default_trace_limit_refuses_the_update_after_the_largest_solve_it_allows() {
    // 33,333 Adam updates of 2 weights are 99,999 entries; 33,334 are 100,002. Only validated,
    // so the test stays fast.
    let reply = post(&gradtrace::app(), "/v1/solve", &adam_updates(33_334)).await;
    assert_over_limit(&reply, "/epochs", "max_trace_entries", 100_000);
}

#[tokio::test]
async fn a_schedule_table_longer_than_the_limit_is_a_422_at_epochs() {
    let app = app(Limits {
        schedule_epochs: 3,
        ..Limits::default()
    });
    let body = |n: u64| {
        json!({
            "learning_rate": 0.2,
            "schedule": {"type": "time_based", "decay_rate": 1},
            "epochs": (1..=n).collect::<Vec<_>>()
        })
    };
    assert_eq!(post(&app, "/v1/schedule", &body(3)).await.status, 200);
    assert_over_limit(
        &post(&app, "/v1/schedule", &body(4)).await,
        "/epochs",
        "max_schedule_epochs",
        3,
    );
}

#[tokio::test]
async fn batches_variants_and_grades_read_the_same_configured_limits() {
    let app = app(Limits {
        batch_problems: 2,
        samples: 2,
        ..Limits::default()
    });
    let problems = json!({"problems": [momentum(), momentum(), momentum()]});
    assert_over_limit(
        &post(&app, "/v1/solve/batch", &problems).await,
        "/problems",
        "max_batch_problems",
        2,
    );

    let submission =
        json!({"problem": momentum(), "answers": [{"step": 1, "symbol": "(w_1)_2", "value": 0.5}]});
    let submissions = json!({"submissions": [submission, submission, submission]});
    assert_over_limit(
        &post(&app, "/v1/grade/batch", &submissions).await,
        "/submissions",
        "max_batch_problems",
        2,
    );

    let variants = json!({"template": momentum(), "count": 3, "seed": 1});
    assert_over_limit(
        &post(&app, "/v1/variants", &variants).await,
        "/count",
        "max_batch_problems",
        2,
    );

    // A problem inside a grade is held to the same sample limit as on its own.
    let mut crowded = momentum();
    crowded["samples"] = copies_of_a_sample(3);
    let grade =
        json!({"problem": crowded, "answers": [{"step": 1, "symbol": "(w_1)_2", "value": 0.5}]});
    assert_over_limit(
        &post(&app, "/v1/grade", &grade).await,
        "/problem/samples",
        "max_samples",
        2,
    );
}

#[tokio::test]
async fn a_batch_over_the_shared_trace_budget_is_a_422_naming_it() {
    let app = app(Limits {
        batch_trace_entries: 20,
        ..Limits::default()
    });
    // Each course momentum problem is 2 updates × 3 = 6 entries: three fit, four do not.
    let fits = json!({"problems": [momentum(), momentum(), momentum()]});
    assert_eq!(post(&app, "/v1/solve/batch", &fits).await.status, 200);
    let over = json!({"problems": [momentum(), momentum(), momentum(), momentum()]});
    assert_over_limit(
        &post(&app, "/v1/solve/batch", &over).await,
        "/problems",
        "max_batch_trace_entries",
        20,
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_over_the_time_limit_is_a_503_naming_request_timeout() {
    let server = Server::start(Config {
        request_timeout: Duration::from_millis(300),
        ..Config::default()
    })
    .await;
    // The body never arrives in full, so only the time limit can answer.
    let held = crate::support::HeldRequest::start(server.addr, "/v1/solve", &momentum()).await;
    let reply = tokio::time::timeout(Duration::from_secs(10), held.read())
        .await
        .expect("the time limit answers, not the test's");
    assert_eq!(reply.status, 503);
    assert_eq!(reply.header("retry-after").as_deref(), Some("1"));
    let problem = reply.json();
    assert_eq!(problem["type"], "https://gradtrace.dev/problems/timeout");
    assert_names_limit(&problem["limit"], "request_timeout", json!(0.3));
    server.stop().await;
}

#[test]
fn the_offline_solve_applies_the_same_limits_from_flags_and_the_environment() {
    let run = |args: &[&str], env: Option<(&str, &str)>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_gradtrace"));
        command
            .args(["solve", "--compact", "-"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        if let Some((key, value)) = env {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("the binary starts");
        {
            use std::io::Write;
            let mut stdin = child.stdin.take().expect("stdin is piped");
            stdin
                .write_all(momentum().to_string().as_bytes())
                .expect("the problem is written");
        }
        let output = child.wait_with_output().expect("the binary ends");
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        (output.status.code(), json)
    };
    let (code, _) = run(&[], None);
    assert_eq!(code, Some(0));
    for (args, env) in [
        (&["--max-samples", "1"][..], None),
        (&[][..], Some(("GRADTRACE_MAX_SAMPLES", "1"))),
    ] {
        let (code, problem) = run(args, env);
        assert_eq!(code, Some(1), "{problem}");
        assert_eq!(problem["errors"][0]["pointer"], "/samples", "{problem}");
        assert_names_limit(&problem["errors"][0]["limit"], "max_samples", json!(1));
    }
}

#[tokio::test]
async fn each_detail_is_held_to_its_own_trace_limits() {
    // The course's momentum problem: 2 samples online, 2 weights, so each epoch is 2 updates
    // of 3 trace entries, 2 × 2 × 3 = 12 loss entries and 2 updates.
    let app = app(Limits {
        trace_entries: 30,
        values_trace_entries: 60,
        summary_entries: 120,
        stream_updates: 20,
        ..Limits::default()
    });
    let with_epochs = |epochs: u64| {
        let mut body = momentum();
        body["epochs"] = json!(epochs);
        body
    };
    // 6 epochs: 36 trace entries, over lines' 30, under values' 60.
    assert_over_limit(
        &post(&app, "/v1/solve", &with_epochs(6)).await,
        "/epochs",
        "max_trace_entries",
        30,
    );
    let values = post(&app, "/v1/solve?detail=values", &with_epochs(6)).await;
    assert_eq!(values.status, 200, "{}", values.text());
    assert_eq!(values.json()["steps"].as_array().map(Vec::len), Some(12));
    // 10 epochs: 60 entries, at values' limit; 11 are over it.
    assert_eq!(
        post(&app, "/v1/solve?detail=values", &with_epochs(10))
            .await
            .status,
        200
    );
    assert_over_limit(
        &post(&app, "/v1/solve?detail=values", &with_epochs(11)).await,
        "/epochs",
        "max_values_trace_entries",
        60,
    );
    // A summary counts loss entries only: 10 epochs are 120, 11 are 132.
    let summary = post(&app, "/v1/solve?detail=summary", &with_epochs(10)).await;
    assert_eq!(summary.status, 200, "{}", summary.text());
    assert_eq!(
        summary.json()["loss"]["per_update"]
            .as_array()
            .map(Vec::len),
        Some(20)
    );
    assert_over_limit(
        &post(&app, "/v1/solve?detail=summary", &with_epochs(11)).await,
        "/epochs",
        "max_summary_entries",
        120,
    );
    // A stream counts updates: 10 epochs are 20, 11 are 22, whatever its detail.
    for query in ["?format=ndjson", "?format=ndjson&detail=values"] {
        let at = post(&app, &format!("/v1/solve{query}"), &with_epochs(10)).await;
        assert_eq!(at.status, 200, "{}", at.text());
        assert_over_limit(
            &post(&app, &format!("/v1/solve{query}"), &with_epochs(11)).await,
            "/epochs",
            "max_stream_updates",
            20,
        );
    }
}

#[tokio::test]
async fn a_batch_is_held_to_the_budget_of_its_detail() {
    let app = app(Limits {
        batch_trace_entries: 20,
        batch_values_trace_entries: 30,
        batch_summary_entries: 30,
        ..Limits::default()
    });
    // Each course momentum problem is 6 trace entries and 12 loss entries.
    let problems = |n: usize| json!({"problems": vec![momentum(); n]});
    for (query, fits, name, limit) in [
        ("", 3, "max_batch_trace_entries", 20),
        ("?detail=values", 5, "max_batch_values_trace_entries", 30),
        ("?detail=summary", 2, "max_batch_summary_entries", 30),
    ] {
        let path = format!("/v1/solve/batch{query}");
        let reply = post(&app, &path, &problems(fits)).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text());
        assert_over_limit(
            &post(&app, &path, &problems(fits + 1)).await,
            "/problems",
            name,
            limit,
        );
    }
    // A comparison is a summary unless it asks for steps.
    let compare = json!({
        "problem": momentum(),
        "configurations": [{"algorithm": "momentum"}, {"algorithm": "gd"}, {"algorithm": "adam"}]
    });
    assert_over_limit(
        &post(&app, "/v1/compare", &compare).await,
        "/configurations",
        "max_batch_summary_entries",
        30,
    );
    let variants = json!({"template": momentum(), "count": 6, "seed": 1});
    assert_over_limit(
        &post(&app, "/v1/variants?detail=values", &variants).await,
        "/count",
        "max_batch_values_trace_entries",
        30,
    );
}

//! The real binary as an operator runs it: SIGTERM finishes the requests in flight and exits
//! 0, the grace period bounds how long that takes, `/healthz` stays fast while the biggest
//! solves run, and `--log-format json` writes one JSON object per line with the request id.

use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::net::TcpStream;

use crate::support::{
    adam_updates, http, metric, momentum, serial, spawn_solves, wait_for_metrics, Binary,
    HeldRequest,
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_a_slow_solve_lets_it_finish_with_200_then_exits_0() {
    let _serial = serial().await;
    let mut server = Binary::start(&["--request-timeout", "120s"]).await;
    let addr = server.addr;
    // A solve of a few seconds in a debug build: a fifth of the largest one allowed.
    let body = adam_updates(700).to_string();
    let solve =
        tokio::spawn(
            async move { http(addr, "POST", "/v1/solve", &[], Some(body.as_bytes())).await },
        );
    wait_for_metrics(addr, Duration::from_secs(30), |text| {
        metric(text, "gradtrace_solver_threads_busy") == Some(1.0)
    })
    .await;

    server.terminate();
    let reply = tokio::time::timeout(Duration::from_secs(120), solve)
        .await
        .expect("the solve is answered")
        .expect("the client task ends");
    assert_eq!(reply.status, 200);
    let solution = reply.json();
    assert_eq!(solution["steps"].as_array().map(Vec::len), Some(700));
    let status = server.wait(Duration::from_secs(30)).await;
    assert_eq!(status.code(), Some(0), "{status:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_sigterm_no_connection_is_accepted_while_the_last_request_finishes() {
    let mut server = Binary::start(&["--request-timeout", "60s"]).await;
    let addr = server.addr;
    let held = HeldRequest::start(addr, "/v1/solve", &momentum()).await;
    wait_for_metrics(addr, Duration::from_secs(10), |text| {
        metric(text, "gradtrace_http_requests_in_flight") == Some(2.0)
    })
    .await;

    server.terminate();
    // The listener closes at once; the held request's connection stays open.
    let start = Instant::now();
    while TcpStream::connect(addr).await.is_ok() {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "still accepting 10 s after SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let reply = held.finish().await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["algorithm"], "momentum");
    assert_eq!(server.wait(Duration::from_secs(10)).await.code(), Some(0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_grace_period_bounds_how_long_a_request_in_flight_delays_the_exit() {
    let mut server =
        Binary::start(&["--request-timeout", "60s", "--shutdown-grace", "300ms"]).await;
    let addr = server.addr;
    // A request that will never finish on its own (its body never arrives).
    let held = HeldRequest::start(addr, "/v1/solve", &momentum()).await;
    wait_for_metrics(addr, Duration::from_secs(10), |text| {
        metric(text, "gradtrace_http_requests_in_flight") == Some(2.0)
    })
    .await;
    let start = Instant::now();
    server.terminate();
    let status = server.wait(Duration::from_secs(10)).await;
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
    drop(held);
    let logged = server.lines().join("\n");
    assert!(logged.contains("grace period ended"), "{logged}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_answers_within_50_ms_while_four_maximum_size_solves_run() {
    let _serial = serial().await;
    let mut server = Binary::start(&["--solver-threads", "2", "--request-timeout", "300s"]).await;
    let addr = server.addr;
    // The largest solve the default limits allowed before issue 10: 3,333 Adam updates, 9,999
    // trace entries, ≈ 17 MB of JSON each.
    let solves = spawn_solves(addr, &adam_updates(3333), 4);
    // All four in: two computing on the two solver threads, two waiting for one.
    wait_for_metrics(addr, Duration::from_secs(60), |text| {
        metric(text, "gradtrace_solver_threads_busy") == Some(2.0)
            && metric(text, "gradtrace_solver_jobs_waiting") == Some(2.0)
    })
    .await;
    let mut latencies = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let reply = http(addr, "GET", "/healthz", &[], None).await;
        latencies.push(start.elapsed());
        assert_eq!(reply.status, 200);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Still all four running or waiting: the probes were measured under the full load.
    let text =
        String::from_utf8_lossy(&http(addr, "GET", "/metrics", &[], None).await.body).into_owned();
    let busy = metric(&text, "gradtrace_solver_threads_busy").unwrap_or_default();
    assert_eq!(busy, 2.0, "{text}");
    for latency in &latencies {
        assert!(
            *latency < Duration::from_millis(50),
            "/healthz took {latency:?} (all: {latencies:?})"
        );
    }
    for solve in solves {
        let reply = solve.await.expect("the client task ends");
        assert_eq!(reply.status, 200);
        // ≈ 17 MB of JSON each.
        assert!(reply.body.len() > 10_000_000, "{}", reply.body.len());
    }
    server.terminate();
    assert_eq!(server.wait(Duration::from_secs(30)).await.code(), Some(0));
}

/// The service says it is listening only once a SIGTERM would be caught: one sent at once after
/// that line is a clean shutdown (before, the handlers were installed later and it killed the
/// process, 20 times out of 20 by hand, and now and then a test here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sigterm_right_after_the_listening_line_is_a_clean_shutdown() {
    for _ in 0..5 {
        let mut server = Binary::start(&[]).await;
        server.terminate();
        let status = server.wait(Duration::from_secs(10)).await;
        assert_eq!(status.code(), Some(0), "{status:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_logs_are_one_object_per_line_with_the_request_id() {
    let mut server = Binary::start(&["--log-format", "json"]).await;
    let addr = server.addr;
    let reply = http(
        addr,
        "GET",
        "/v1/examples/momentum",
        &[("x-request-id", "grader-run-7")],
        None,
    )
    .await;
    assert_eq!(reply.status, 200);
    server.terminate();
    assert_eq!(server.wait(Duration::from_secs(10)).await.code(), Some(0));
    // The reader thread may still be passing on the last lines.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let lines = server.lines();
    let entries: Vec<Value> = lines
        .iter()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let response = entries
        .iter()
        .find(|e| e["span"]["request_id"] == "grader-run-7" && e["status"] == 200)
        .unwrap_or_else(|| panic!("no response line for the request: {lines:#?}"));
    assert_eq!(response["level"], "INFO");
    assert_eq!(response["span"]["route"], "/v1/examples/{id}");
    assert_eq!(response["span"]["method"], "GET");
    assert!(response["latency"].is_string(), "{response}");
}

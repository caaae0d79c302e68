//! Load shedding and the solver pool: over the in-flight bound a request gets 503 problem+json
//! with Retry-After at once, the probes are never shed, and no more solves compute at once than
//! there are solver threads.

use std::time::Duration;

use gradtrace::config::Config;
use serde_json::json;

use crate::support::{
    adam_updates, http, metric, momentum, serial, spawn_solves, wait_for_metrics, HeldRequest,
    Server,
};

const IN_FLIGHT: &str = "gradtrace_http_requests_in_flight";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_over_the_in_flight_limit_is_shed_with_503_and_retry_after() {
    let server = Server::start(Config {
        max_in_flight: 1,
        ..Config::default()
    })
    .await;
    let addr = server.addr;
    // One solve whose body is held back takes the only slot.
    let held = HeldRequest::start(addr, "/v1/solve", &momentum()).await;
    // In flight: the held solve and the scrape itself.
    wait_for_metrics(addr, Duration::from_secs(10), |text| {
        metric(text, IN_FLIGHT) == Some(2.0)
    })
    .await;

    let shed = http(addr, "GET", "/v1/algorithms", &[], None).await;
    assert_eq!(shed.status, 503);
    assert_eq!(shed.header("retry-after").as_deref(), Some("1"));
    assert_eq!(
        shed.header("content-type").as_deref(),
        Some("application/problem+json")
    );
    let problem = shed.json();
    assert_eq!(problem["type"], "https://gradtrace.dev/problems/overloaded");
    assert_eq!(problem["status"], 503);

    // The liveness probe is never shed: an orchestrator must see a busy service as alive.
    assert_eq!(http(addr, "GET", "/healthz", &[], None).await.status, 200);
    let text = http(addr, "GET", "/metrics", &[], None).await;
    let text = String::from_utf8_lossy(&text.body).into_owned();
    assert_eq!(
        metric(
            &text,
            "gradtrace_http_requests_shed_total{reason=\"in_flight\"}"
        ),
        Some(1.0),
        "{text}"
    );

    // The held request was never refused: it is answered once its body arrives, and its slot
    // is free again.
    let answered = held.finish().await;
    assert_eq!(answered.status, 200);
    assert_eq!(answered.json()["algorithm"], "momentum");
    assert_eq!(
        http(addr, "GET", "/v1/algorithms", &[], None).await.status,
        200
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_more_solves_compute_at_once_than_there_are_solver_threads() {
    let _serial = serial().await;
    let server = Server::start(Config {
        solver_threads: std::num::NonZeroUsize::new(1),
        request_timeout: Duration::from_secs(120),
        ..Config::default()
    })
    .await;
    let addr = server.addr;
    let solves = spawn_solves(addr, &adam_updates(600), 3);
    // While one computes, the other two wait for the one thread.
    let text = wait_for_metrics(addr, Duration::from_secs(60), |text| {
        metric(text, "gradtrace_solver_jobs_waiting") == Some(2.0)
    })
    .await;
    assert_eq!(metric(&text, "gradtrace_solver_threads_busy"), Some(1.0));
    assert_eq!(metric(&text, "gradtrace_solver_threads"), Some(1.0));
    for solve in solves {
        let reply = solve.await.expect("the client task ends");
        assert_eq!(reply.status, 200);
    }
    let text = http(addr, "GET", "/metrics", &[], None).await;
    let text = String::from_utf8_lossy(&text.body).into_owned();
    assert_eq!(metric(&text, "gradtrace_solver_threads_busy"), Some(0.0));
    assert_eq!(metric(&text, "gradtrace_solver_jobs_waiting"), Some(0.0));
    server.stop().await;
}

#[tokio::test]
async fn a_batch_at_the_in_memory_app_is_bounded_by_the_same_pool_without_deadlock() {
    // Batches run their items on helper threads inside one pool job; the pool must not wait on
    // itself. Two batches through an app with a single solver thread both finish.
    let app = gradtrace::app_with(&Config {
        solver_threads: std::num::NonZeroUsize::new(1),
        ..Config::default()
    });
    let body = json!({"problems": [momentum(), momentum(), momentum()]});
    let (a, b) = tokio::join!(
        crate::support::post(&app, "/v1/solve/batch", &body),
        crate::support::post(&app, "/v1/solve/batch", &body)
    );
    assert_eq!(a.status, 200);
    assert_eq!(b.status, 200);
    assert_eq!(a.json()["results"].as_array().map(Vec::len), Some(3));
}

//! NDJSON streams on a real socket (docs/contract.md §12): a stream holds a solver thread while it computes
//! and gives it back when its client goes away; a stream over its limit is refused before any
//! byte; the request's time limit applies until the first byte, the stream's own after it; and
//! SIGTERM ends a running stream with an `error` line before the process exits 0.

use std::num::NonZeroUsize;
use std::time::{Duration, Instant};

use gradtrace::config::{Config, Limits};
use serde_json::{json, Value};

use crate::support::{
    adam_updates, assert_names_limit, http, metric, metric_now, serial, wait_for_metrics, Binary,
    Server, StreamReader,
};

const BUSY: &str = "gradtrace_solver_threads_busy";
const OPEN: &str = "gradtrace_streams_open";
const VALUES: &str = "/v1/solve?format=ndjson&detail=values";

/// Far more updates than any of these tests reads: a stream that runs until it is stopped.
const ENDLESS: u64 = 5_000_000;

fn one_thread(config: Config) -> Config {
    Config {
        solver_threads: NonZeroUsize::new(1),
        ..config
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_goes_away_gives_the_solver_thread_back_within_100_ms() {
    let _serial = serial().await;
    let server = Server::start(one_thread(Config::default())).await;
    let addr = server.addr;
    let mut stream = StreamReader::open(addr, VALUES, &adam_updates(ENDLESS)).await;
    assert_eq!(stream.status, 200, "{}", stream.head);
    assert_eq!(
        stream.header("content-type").as_deref(),
        Some("application/x-ndjson")
    );
    assert_eq!(
        stream.line().await.map(|l| l["type"].clone()),
        Some(json!("header"))
    );
    for index in 1..=20 {
        let step = stream.line().await.expect("a step");
        assert_eq!(
            (&step["type"], &step["index"]),
            (&json!("step"), &json!(index))
        );
    }
    let text = wait_for_metrics(addr, Duration::from_secs(10), |text| {
        metric(text, BUSY) == Some(1.0)
    })
    .await;
    assert_eq!(metric(&text, OPEN), Some(1.0), "{text}");

    let gone = Instant::now();
    drop(stream);
    loop {
        if metric_now(addr, BUSY).await == 0.0 {
            break;
        }
        assert!(
            gone.elapsed() < Duration::from_millis(100),
            "the solver thread is still busy {:?} after the client went away",
            gone.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let released = gone.elapsed();
    assert!(released < Duration::from_millis(100), "{released:?}");
    assert_eq!(metric_now(addr, OPEN).await, 0.0);
    // The thread is free for the next solve at once.
    let reply = http(
        addr,
        "POST",
        "/v1/solve",
        &[],
        Some(adam_updates(2).to_string().as_bytes()),
    )
    .await;
    assert_eq!(reply.status, 200);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_over_its_update_limit_is_a_422_before_any_byte() {
    let server = Server::start(Config {
        limits: Limits {
            stream_updates: 100,
            ..Limits::default()
        },
        ..Config::default()
    })
    .await;
    let body = adam_updates(101).to_string();
    let reply = http(server.addr, "POST", VALUES, &[], Some(body.as_bytes())).await;
    assert_eq!(reply.status, 422);
    assert_eq!(
        reply.header("content-type").as_deref(),
        Some("application/problem+json")
    );
    let problem = reply.json();
    assert_eq!(problem["errors"][0]["pointer"], "/epochs");
    assert_names_limit(
        &problem["errors"][0]["limit"],
        "max_stream_updates",
        json!(100),
    );
    // At the limit, the stream runs: header, 100 steps, end.
    let mut stream = StreamReader::open(server.addr, VALUES, &adam_updates(100)).await;
    assert_eq!(stream.status, 200);
    let lines = stream.rest().await;
    assert_eq!(lines.len(), 102);
    assert_eq!(lines.last().map(|l| l["type"].clone()), Some(json!("end")));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_started_stream_outlives_the_request_timeout_and_ends_at_its_own_limit() {
    let _serial = serial().await;
    let request_timeout = Duration::from_millis(300);
    let server = Server::start(Config {
        request_timeout,
        ..Config::default()
    })
    .await;
    // A client that reads the header, then nothing for longer than the request timeout, of a
    // stream with its lines (≈ 5 kB an update, so ≈ 8 MB: more than the socket buffers hold,
    // so the stream cannot be over before the client reads on).
    let start = Instant::now();
    let mut stream =
        StreamReader::open(server.addr, "/v1/solve?format=ndjson", &adam_updates(1500)).await;
    assert_eq!(
        stream.line().await.map(|l| l["type"].clone()),
        Some(json!("header"))
    );
    tokio::time::sleep(request_timeout + Duration::from_millis(200)).await;
    let lines = stream.rest().await;
    assert!(start.elapsed() > request_timeout);
    assert_eq!(lines.len(), 1501, "{:?}", lines.last());
    assert_eq!(lines.last().map(|l| l["type"].clone()), Some(json!("end")));
    server.stop().await;

    let server = Server::start(Config {
        request_timeout,
        stream_timeout: Duration::from_millis(1500),
        ..Config::default()
    })
    .await;
    let addr = server.addr;
    // One that would run for hours ends at the stream timeout with an `error` line.
    let start = Instant::now();
    let mut stream = StreamReader::open(addr, VALUES, &adam_updates(ENDLESS)).await;
    assert_eq!(stream.status, 200);
    let lines = stream.rest().await;
    let took = start.elapsed();
    let Some(last) = lines.last() else {
        panic!("an empty stream")
    };
    assert!(lines.len() > 2, "{lines:?}");
    assert_eq!(last["type"], "error", "{last}");
    assert_eq!(
        last["problem_type"],
        "https://gradtrace.dev/problems/timeout"
    );
    assert_eq!(last["status"], 503);
    assert_names_limit(&last["limit"], "stream_timeout", json!(1.5));
    assert!(
        took >= Duration::from_millis(1500) && took < Duration::from_secs(5),
        "{took:?}"
    );
    // Every line before it is a whole step, in order.
    for (index, line) in lines[1..lines.len() - 1].iter().enumerate() {
        assert_eq!(line["index"], json!(index + 1));
    }
    wait_for_metrics(addr, Duration::from_secs(2), |text| {
        metric(text, BUSY) == Some(0.0) && metric(text, OPEN) == Some(0.0)
    })
    .await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_waiting_for_a_solver_thread_is_held_to_the_request_timeout() {
    let _serial = serial().await;
    let server = Server::start(one_thread(Config {
        request_timeout: Duration::from_millis(500),
        ..Config::default()
    }))
    .await;
    let addr = server.addr;
    let mut running = StreamReader::open(addr, VALUES, &adam_updates(ENDLESS)).await;
    assert_eq!(
        running.line().await.map(|l| l["type"].clone()),
        Some(json!("header"))
    );

    // The only thread is taken: the second stream waits for it, until the request timeout.
    let body = adam_updates(10).to_string();
    let start = Instant::now();
    let reply = http(addr, "POST", VALUES, &[], Some(body.as_bytes())).await;
    assert_eq!(reply.status, 503);
    let problem = reply.json();
    assert_eq!(problem["type"], "https://gradtrace.dev/problems/timeout");
    assert_names_limit(&problem["limit"], "request_timeout", json!(0.5));
    assert!(start.elapsed() >= Duration::from_millis(500));
    let text = wait_for_metrics(addr, Duration::from_secs(2), |text| {
        metric(text, "gradtrace_solver_jobs_waiting") == Some(0.0)
    })
    .await;
    assert_eq!(metric(&text, BUSY), Some(1.0), "{text}");

    // The first stream, still running, was never cut by that limit.
    let step = running.line().await.expect("a step");
    assert_eq!(step["type"], "step");
    drop(running);
    wait_for_metrics(addr, Duration::from_secs(2), |text| {
        metric(text, BUSY) == Some(0.0)
    })
    .await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_ends_a_running_stream_with_an_error_line_and_exits_0() {
    let _serial = serial().await;
    let grace = Duration::from_secs(10);
    let mut server = Binary::start(&["--shutdown-grace", "10s"]).await;
    let addr = server.addr;
    let mut stream = StreamReader::open(addr, VALUES, &adam_updates(ENDLESS)).await;
    assert_eq!(stream.status, 200);
    for _ in 0..10 {
        stream.line().await.expect("a line");
    }
    let signalled = Instant::now();
    server.terminate();
    let lines: Vec<Value> = stream.rest().await;
    let ended = signalled.elapsed();
    let Some(last) = lines.last() else {
        panic!("the stream ended without a line after SIGTERM")
    };
    assert_eq!(last["type"], "error", "{last}");
    assert_eq!(
        last["problem_type"],
        "https://gradtrace.dev/problems/shutting-down"
    );
    assert_eq!(last["status"], 503);
    for line in &lines[..lines.len() - 1] {
        assert_eq!(line["type"], "step", "{line}");
    }
    assert!(ended < grace, "the error line came {ended:?} after SIGTERM");
    let status = server.wait(grace).await;
    assert_eq!(status.code(), Some(0), "{status:?}");
    assert!(
        signalled.elapsed() < grace,
        "the process took {:?} to exit",
        signalled.elapsed()
    );
}

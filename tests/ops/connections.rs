//! Slow and idle clients cannot hold the service: connections that never finish their headers
//! are closed after the header timeout, idle keep-alive connections after the same time, and
//! connections past the cap are closed at once — while `/healthz` keeps answering.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use gradtrace::config::Config;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::{http, metric, momentum, serial, Server};

/// Wait until the server closes `stream` (end of file or a reset); how long that took from
/// `since`. Anything the server writes first (a 408, say) is read and ignored.
async fn closed_after(mut stream: TcpStream, since: Instant, within: Duration) -> Duration {
    let mut buffer = [0u8; 1024];
    let read_all = async {
        loop {
            match stream.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(_) => continue,
            }
        }
    };
    tokio::time::timeout(within, read_all)
        .await
        .unwrap_or_else(|_| panic!("the connection is still open after {within:?}"));
    since.elapsed()
}

/// A connection that sends the start of a request and never finishes its headers.
async fn slow_headers(addr: SocketAddr) -> (TcpStream, Instant) {
    let mut stream = TcpStream::connect(addr).await.expect("the server accepts");
    let opened = Instant::now();
    stream
        .write_all(b"POST /v1/solve HTTP/1.1\r\nHost: x\r\n")
        .await
        .expect("the first header lines are sent");
    (stream, opened)
}

/// `GET /healthz` on a new connection every 20 ms until `until`; the worst latency seen.
async fn probe_until(addr: SocketAddr, until: Instant) -> Duration {
    let mut worst = Duration::ZERO;
    while Instant::now() < until {
        let start = Instant::now();
        let reply = http(addr, "GET", "/healthz", &[], None).await;
        assert_eq!(reply.status, 200);
        worst = worst.max(start.elapsed());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    worst
}

fn config(header_timeout: Duration, max_connections: usize) -> Config {
    Config {
        header_timeout,
        max_connections: std::num::NonZeroUsize::new(max_connections),
        ..Config::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_that_never_finish_their_headers_are_closed_after_the_header_timeout() {
    let _serial = serial().await;
    let timeout = Duration::from_secs(1);
    let server = Server::start(config(timeout, 1000)).await;
    let addr = server.addr;
    let mut held = Vec::new();
    for _ in 0..500 {
        held.push(slow_headers(addr).await);
    }
    let probe = tokio::spawn(probe_until(
        addr,
        Instant::now() + timeout + Duration::from_secs(1),
    ));
    let closings: Vec<_> = held
        .into_iter()
        .map(|(stream, opened)| {
            tokio::spawn(closed_after(
                stream,
                opened,
                timeout + Duration::from_secs(2),
            ))
        })
        .collect();
    let mut latest = Duration::ZERO;
    for closing in closings {
        let took = closing.await.expect("the reader finishes");
        assert!(
            took >= timeout - Duration::from_millis(50),
            "closed after {took:?}, before the header timeout"
        );
        latest = latest.max(took);
    }
    assert!(
        latest <= timeout + Duration::from_secs(1),
        "the last of 500 slow connections closed after {latest:?}"
    );
    let worst = probe.await.expect("the probe finishes");
    assert!(
        worst < Duration::from_millis(50),
        "/healthz took {worst:?} with 500 slow connections open"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_idle_keep_alive_connection_is_closed_after_the_header_timeout() {
    let _serial = serial().await;
    let timeout = Duration::from_secs(1);
    let server = Server::start(config(timeout, 1000)).await;
    let mut stream = TcpStream::connect(server.addr)
        .await
        .expect("the server accepts");
    // Two requests on one keep-alive connection: it stays open between them while active.
    for _ in 0..2 {
        stream
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .expect("the request is sent");
        let mut response = Vec::new();
        let mut buffer = [0u8; 1024];
        while !String::from_utf8_lossy(&response).contains("\"status\"") {
            let n = stream
                .read(&mut buffer)
                .await
                .expect("the response is read");
            assert!(n > 0, "the server closed an active keep-alive connection");
            response.extend_from_slice(&buffer[..n]);
        }
        assert!(String::from_utf8_lossy(&response).starts_with("HTTP/1.1 200"));
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let idle_since = Instant::now() - Duration::from_millis(300);
    let took = closed_after(stream, idle_since, timeout + Duration::from_secs(2)).await;
    assert!(
        took >= timeout - Duration::from_millis(50) && took <= timeout + Duration::from_secs(1),
        "the idle connection closed after {took:?} (header timeout {timeout:?})"
    );
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_past_the_cap_are_closed_at_once_while_probes_still_get_through() {
    let _serial = serial().await;
    let cap = 10;
    let server = Server::start(config(Duration::from_secs(10), cap)).await;
    let addr = server.addr;
    let mut held = Vec::new();
    for _ in 0..cap {
        held.push(slow_headers(addr).await.0);
    }
    // Let the server take all of them before the extra ones arrive.
    tokio::time::sleep(Duration::from_millis(100)).await;

    // 200 more that send nothing: the cap is full, so each is closed within 100 ms — at once
    // when the probe reserve is full too, or after the reserve's 50 ms header deadline.
    let mut extra = Vec::new();
    for _ in 0..200 {
        let stream = TcpStream::connect(addr).await.expect("the kernel accepts");
        extra.push(tokio::spawn(closed_after(
            stream,
            Instant::now(),
            Duration::from_secs(2),
        )));
    }
    for closing in extra {
        let took = closing.await.expect("the reader finishes");
        assert!(
            took <= Duration::from_millis(100),
            "a connection past the cap stayed open {took:?}"
        );
    }

    // At the cap a probe still gets /healthz and /metrics, and counts what came in past it.
    let health = http(addr, "GET", "/healthz", &[], None).await;
    assert_eq!(health.status, 200);
    let metrics = http(addr, "GET", "/metrics", &[], None).await;
    assert_eq!(metrics.status, 200);
    let text = String::from_utf8_lossy(&metrics.body).into_owned();
    let over_cap = metric(&text, "gradtrace_connections_over_cap_total").unwrap_or(0.0);
    assert!(over_cap >= 202.0, "over the cap: {over_cap}\n{text}");
    // More arrived at once than the reserve holds, so some were refused outright.
    let refused = metric(&text, "gradtrace_connections_refused_total").unwrap_or(0.0);
    let reserve = gradtrace::api::server::PROBE_RESERVE as f64;
    assert!(
        refused >= 1.0 && refused <= 200.0 - reserve,
        "refused: {refused}\n{text}"
    );
    let open = metric(&text, "gradtrace_connections_open").unwrap_or(0.0);
    assert!(open >= cap as f64, "open: {open}");
    // Anything else is told to come back, at once.
    let body = momentum().to_string();
    let refused = http(addr, "POST", "/v1/solve", &[], Some(body.as_bytes())).await;
    assert_eq!(refused.status, 503);
    assert_eq!(
        refused.json()["type"],
        "https://gradtrace.dev/problems/overloaded"
    );
    assert!(refused.header("retry-after").is_some());

    // Once the held connections go, the service answers again.
    drop(held);
    let start = Instant::now();
    loop {
        let reply = http(addr, "POST", "/v1/solve", &[], Some(body.as_bytes())).await;
        if reply.status == 200 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "still refused after the held connections closed: {}",
            reply.status
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.stop().await;
}

//! The real server on a real socket: `gradtrace::serve` on 127.0.0.1:0, plain HTTP/1.1 over a
//! `TcpStream`, and a graceful shutdown at the end.

use std::time::Duration;

use serde_json::Value;
use tokio::net::TcpListener;

use crate::common::socket::HttpReply;
use tokio::sync::oneshot;

/// One request on its own connection; a body is sent as JSON.
async fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> HttpReply {
    crate::common::socket::http(addr, method, path, &[], body.map(str::as_bytes)).await
}

#[tokio::test]
async fn the_real_server_serves_an_example_and_its_solution_then_shuts_down_gracefully() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let addr = listener.local_addr().expect("a bound address");
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(gradtrace::serve(listener, async {
        let _ = stopped.await;
    }));

    let example = http(addr, "GET", "/v1/examples/momentum", None).await;
    assert_eq!(example.status, 200);
    let example: Value = serde_json::from_slice(&example.body).expect("JSON");

    let problem = example["problem"].to_string();
    let solution = http(addr, "POST", "/v1/solve", Some(&problem)).await;
    assert_eq!(
        solution.status,
        200,
        "{}",
        String::from_utf8_lossy(&solution.body)
    );
    assert!(solution
        .head
        .to_ascii_lowercase()
        .contains("application/json"));
    let solution: Value = serde_json::from_slice(&solution.body).expect("JSON");
    assert_eq!(solution["algorithm"], "momentum");

    // The front door is the playground; the docs answer at both spellings with the same
    // page, whose every asset loads.
    let front = http(addr, "GET", "/", None).await;
    assert_eq!(front.status, 200, "{}", front.head);
    assert!(front.head.to_ascii_lowercase().contains("text/html"));
    let page = http(addr, "GET", "/docs/", None).await;
    for path in ["/docs", "/docs/"] {
        let docs = http(addr, "GET", path, None).await;
        assert_eq!(docs.status, 200, "{path}");
        assert!(docs.head.to_ascii_lowercase().contains("text/html"));
        assert_eq!(docs.body, page.body, "{path}");
    }
    let html = String::from_utf8_lossy(&page.body).to_string();
    assert!(html.contains("<html"));
    for asset in crate::meta::docs_assets(&html) {
        let reply = http(addr, "GET", &asset, None).await;
        assert_eq!(reply.status, 200, "{asset}");
        assert!(!reply.body.is_empty(), "{asset}");
    }

    let missing = http(addr, "GET", "/nowhere", None).await;
    assert_eq!(missing.status, 404);
    assert!(missing.head.contains("application/problem+json"));

    let _ = stop.send(());
    let result = tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops within 10 s")
        .expect("the server task did not panic");
    assert!(result.is_ok(), "{result:?}");
}

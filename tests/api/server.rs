//! The real server on a real socket: `gradtrace::serve` on 127.0.0.1:0, plain HTTP/1.1 over a
//! `TcpStream`, and a graceful shutdown at the end.

use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;

struct HttpReply {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

/// One request on its own connection (`Connection: close`, so the body ends at EOF).
async fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    body: Option<&str>,
) -> HttpReply {
    let mut stream = TcpStream::connect(addr).await.expect("the server accepts");
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(body) = body {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        ));
    } else {
        request.push_str("\r\n");
    }
    stream
        .write_all(request.as_bytes())
        .await
        .expect("the request is sent");
    let mut raw = Vec::new();
    stream
        .read_to_end(&mut raw)
        .await
        .expect("the response is read");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a header block");
    let headers = String::from_utf8_lossy(&raw[..split]).to_string();
    let status = headers
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let mut body = raw[split + 4..].to_vec();
    if headers
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    HttpReply {
        status,
        headers,
        body,
    }
}

/// Decode a chunked body (enough of RFC 9112 §7.1 for a test: no trailers, no extensions).
fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    while let Some(end) = raw.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&raw[..end]).trim(), 16)
            .expect("a chunk size");
        if size == 0 {
            break;
        }
        body.extend_from_slice(&raw[end + 2..end + 2 + size]);
        raw = &raw[end + 2 + size + 2..];
    }
    body
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
        .headers
        .to_ascii_lowercase()
        .contains("application/json"));
    let solution: Value = serde_json::from_slice(&solution.body).expect("JSON");
    assert_eq!(solution["algorithm"], "momentum");

    // The front door is the playground; the docs answer at both spellings with the same
    // page, whose every asset loads.
    let front = http(addr, "GET", "/", None).await;
    assert_eq!(front.status, 200, "{}", front.headers);
    assert!(front.headers.to_ascii_lowercase().contains("text/html"));
    let page = http(addr, "GET", "/docs/", None).await;
    for path in ["/docs", "/docs/"] {
        let docs = http(addr, "GET", path, None).await;
        assert_eq!(docs.status, 200, "{path}");
        assert!(docs.headers.to_ascii_lowercase().contains("text/html"));
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
    assert!(missing.headers.contains("application/problem+json"));

    let _ = stop.send(());
    let result = tokio::time::timeout(Duration::from_secs(10), server)
        .await
        .expect("the server stops within 10 s")
        .expect("the server task did not panic");
    assert!(result.is_ok(), "{result:?}");
}

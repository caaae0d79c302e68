//! What the operations tests share: the app in memory with a given config, the real server on
//! port 0 in this process, the real binary as a child process, plain HTTP/1.1 over a socket
//! (including a request whose body is held back, to keep it in flight), and reading metrics.

use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use gradtrace::config::Config;
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, Mutex, MutexGuard};

pub use crate::common::{course, merged, momentum, send_to as send, Reply};

/// POST a JSON value to an in-memory app.
pub async fn post(app: &axum::Router, path: &str, body: &Value) -> Reply {
    let request = Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .expect("a valid request");
    send(app, request).await
}

/// GET a path of an in-memory app.
pub async fn get(app: &axum::Router, path: &str) -> Reply {
    let request = Request::get(path)
        .body(Body::empty())
        .expect("a valid request");
    send(app, request).await
}

/// Adam on one of the course's samples for `epochs` updates: 2 weights, so
/// `3 × epochs` trace entries. At 3,333 epochs it was as large a solve as the default limits
/// allowed before issue 10 (9,999 of 10,000 trace entries; ≈ 17 MB of JSON).
pub fn adam_updates(epochs: u64) -> Value {
    let problem = course("adam", &json!({"learning_rate": 0.01}));
    let first_sample = json!([problem["samples"][0]]);
    merged(problem, json!({"samples": first_sample, "epochs": epochs}))
}

/// Assert problem+json with `status`; the body.
pub fn assert_problem(reply: &Reply, status: u16) -> Value {
    assert_eq!(reply.status.as_u16(), status, "{}", reply.text());
    assert_eq!(
        reply.header("content-type"),
        Some("application/problem+json")
    );
    let problem = reply.json();
    assert_eq!(problem["status"], status, "{problem}");
    problem
}

/// Assert that `limit` (a problem's or a field error's `limit`) names `name` with `value`, and
/// the flag and variable that raise it.
pub fn assert_names_limit(limit: &Value, name: &str, value: Value) {
    assert_eq!(limit["name"], name, "{limit}");
    assert_eq!(limit["value"], value, "{limit}");
    let flag = format!("--{}", name.replace('_', "-"));
    assert_eq!(limit["flag"], flag.as_str(), "{limit}");
    assert_eq!(
        limit["env"],
        format!("GRADTRACE_{}", name.to_ascii_uppercase()).as_str(),
        "{limit}"
    );
}

/// The one field error of a 422, checked to name `pointer` and the limit `name`, with the flag
/// and variable in its detail too.
pub fn assert_over_limit(reply: &Reply, pointer: &str, name: &str, value: u64) {
    let problem = assert_problem(reply, 422);
    let errors = problem["errors"].as_array().cloned().unwrap_or_default();
    let error = errors
        .iter()
        .find(|e| e["pointer"] == pointer)
        .unwrap_or_else(|| panic!("no error at {pointer}: {problem}"));
    assert_names_limit(&error["limit"], name, json!(value));
    let detail = error["detail"].as_str().unwrap_or_default();
    let flag = format!("--{}", name.replace('_', "-"));
    assert!(detail.contains(&flag), "{detail}");
    assert!(detail.contains(&value.to_string()), "{detail}");
}

/// The server in this process on 127.0.0.1:0, until `stop`.
pub struct Server {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    pub async fn start(config: Config) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let addr = listener.local_addr().expect("a bound address");
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            gradtrace::serve_with(listener, &config, async {
                let _ = stopped.await;
            })
            .await
        });
        Server {
            addr,
            stop: Some(stop),
            task,
        }
    }

    /// Signal shutdown and wait (at most 30 s) for the server to return.
    pub async fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let result = tokio::time::timeout(Duration::from_secs(30), &mut self.task)
            .await
            .expect("the server stops");
        assert!(matches!(result, Ok(Ok(()))), "{result:?}");
    }
}

pub use crate::common::socket::{http, read_reply, request_bytes, HttpReply};

/// `count` POSTs of `body` to `/v1/solve` of the server at `addr`, sent at once, each from its
/// own task.
pub fn spawn_solves(
    addr: SocketAddr,
    body: &Value,
    count: usize,
) -> Vec<tokio::task::JoinHandle<HttpReply>> {
    let body = body.to_string();
    (0..count)
        .map(|_| {
            let body = body.clone();
            tokio::spawn(async move {
                http(addr, "POST", "/v1/solve", &[], Some(body.as_bytes())).await
            })
        })
        .collect()
}

/// A POST whose headers promise `body` but whose last bytes are held back: the request is in
/// flight (its handler waits for the body) until [`HeldRequest::finish`].
pub struct HeldRequest {
    stream: TcpStream,
    rest: Vec<u8>,
}

impl HeldRequest {
    pub async fn start(addr: SocketAddr, path: &str, body: &Value) -> HeldRequest {
        let bytes = request_bytes(addr, "POST", path, &[], Some(body.to_string().as_bytes()));
        let held = bytes.len() - 5;
        let mut stream = TcpStream::connect(addr).await.expect("the server accepts");
        stream
            .write_all(&bytes[..held])
            .await
            .expect("the first part is sent");
        HeldRequest {
            stream,
            rest: bytes[held..].to_vec(),
        }
    }

    /// Send the held bytes and read the response.
    pub async fn finish(mut self) -> HttpReply {
        self.stream
            .write_all(&self.rest)
            .await
            .expect("the rest is sent");
        read_reply(&mut self.stream).await
    }

    /// Read the response without sending the rest (the server answers on its own: a timeout).
    pub async fn read(mut self) -> HttpReply {
        read_reply(&mut self.stream).await
    }
}

/// The value of one sample in Prometheus text (`name{labels}` exactly as rendered), if any.
pub fn metric(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| {
            let (name, value) = line.rsplit_once(' ')?;
            (name == series).then(|| value.parse().ok()).flatten()
        })
}

/// Scrape `/metrics` until `ready` holds of the text (at most `within`); the last text.
pub async fn wait_for_metrics(
    addr: SocketAddr,
    within: Duration,
    ready: impl Fn(&str) -> bool,
) -> String {
    let start = Instant::now();
    loop {
        let reply = http(addr, "GET", "/metrics", &[], None).await;
        let text = String::from_utf8_lossy(&reply.body).into_owned();
        if ready(&text) {
            return text;
        }
        assert!(
            start.elapsed() < within,
            "metrics never got there within {within:?}:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The tests that time things, or that load the machine, run one at a time: two at once would
/// measure each other.
pub async fn serial() -> MutexGuard<'static, ()> {
    static SERIAL: Mutex<()> = Mutex::const_new(());
    SERIAL.lock().await
}

/// The real binary, serving on a port the kernel picks.
pub struct Binary {
    pub child: Child,
    pub addr: SocketAddr,
    /// Every line the process wrote to stderr, collected by a thread until it exits.
    pub stderr: tokio::sync::mpsc::UnboundedReceiver<String>,
}

impl Binary {
    /// `gradtrace serve --addr 127.0.0.1:0 ARGS…`, once it logs where it listens.
    pub async fn start(args: &[&str]) -> Binary {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gradtrace"))
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .env("RUST_LOG", "info")
            .env_remove("GRADTRACE_ADDR")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (lines, mut stderr_lines) = tokio::sync::mpsc::unbounded_channel();
        // A thread rather than a task: it must keep draining the pipe whatever the runtime does.
        std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr)
                .lines()
                .map_while(Result::ok)
            {
                let _ = lines.send(line);
            }
        });
        let mut seen = Vec::new();
        let addr = tokio::time::timeout(Duration::from_secs(30), async {
            while let Some(line) = stderr_lines.recv().await {
                seen.push(line.clone());
                if let Some(at) = line.find("listening on http://") {
                    let rest = &line[at + "listening on http://".len()..];
                    let addr: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
                    return addr.parse::<SocketAddr>().ok();
                }
            }
            None
        })
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("the binary did not say where it listens: {seen:#?}"));
        Binary {
            child,
            addr,
            stderr: stderr_lines,
        }
    }

    /// Send SIGTERM, as a container runtime does.
    pub fn terminate(&self) {
        let status = Command::new("sh")
            .args(["-c", &format!("kill -TERM {}", self.child.id())])
            .status()
            .expect("sh runs");
        assert!(status.success());
    }

    /// Wait (at most `within`) for the process to exit; its status.
    pub async fn wait(&mut self, within: Duration) -> std::process::ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("the child can be waited for") {
                return status;
            }
            assert!(
                start.elapsed() < within,
                "the process did not exit within {within:?}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The stderr lines written so far.
    pub fn lines(&mut self) -> Vec<String> {
        let mut lines = Vec::new();
        while let Ok(line) = self.stderr.try_recv() {
            lines.push(line);
        }
        lines
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        // A failed test must not leave a server behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An NDJSON stream read line by line as it arrives over its own connection (chunked transfer
/// encoding decoded on the way).
pub struct StreamReader {
    stream: TcpStream,
    /// Bytes after the header block not yet decoded.
    raw: Vec<u8>,
    /// Decoded body bytes not yet returned as lines.
    decoded: Vec<u8>,
    /// The last chunk was read.
    done: bool,
    pub status: u16,
    pub head: String,
}

impl StreamReader {
    /// POST `body` to `path` and read the response's header block.
    pub async fn open(addr: SocketAddr, path: &str, body: &Value) -> StreamReader {
        let mut stream = TcpStream::connect(addr).await.expect("the server accepts");
        stream
            .write_all(&request_bytes(
                addr,
                "POST",
                path,
                &[],
                Some(body.to_string().as_bytes()),
            ))
            .await
            .expect("the request is sent");
        let mut reader = StreamReader {
            stream,
            raw: Vec::new(),
            decoded: Vec::new(),
            done: false,
            status: 0,
            head: String::new(),
        };
        let split = loop {
            if let Some(split) = reader.raw.windows(4).position(|w| w == b"\r\n\r\n") {
                break split;
            }
            assert!(
                reader.fill().await,
                "the connection closed before the headers"
            );
        };
        reader.head = String::from_utf8_lossy(&reader.raw[..split]).into_owned();
        reader.status = reader
            .head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status line");
        reader.raw.drain(..split + 4);
        reader
    }

    /// A header's value (names compared case-insensitively).
    pub fn header(&self, name: &str) -> Option<String> {
        crate::common::socket::header_in(&self.head, name)
    }

    /// More bytes from the socket (at most 30 s of waiting); false at its end.
    async fn fill(&mut self) -> bool {
        let mut buffer = vec![0u8; 64 * 1024];
        let read = tokio::time::timeout(Duration::from_secs(30), self.stream.read(&mut buffer))
            .await
            .expect("the server sends something within 30 s");
        match read {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.raw.extend_from_slice(&buffer[..n]);
                true
            }
        }
    }

    /// Move every complete chunk of `raw` into `decoded`.
    fn decode(&mut self) {
        while let Some(end) = self.raw.windows(2).position(|w| w == b"\r\n") {
            let size = usize::from_str_radix(String::from_utf8_lossy(&self.raw[..end]).trim(), 16)
                .expect("a chunk size");
            if size == 0 {
                self.done = true;
                self.raw.clear();
                return;
            }
            if self.raw.len() < end + 2 + size + 2 {
                return;
            }
            self.decoded
                .extend_from_slice(&self.raw[end + 2..end + 2 + size]);
            self.raw.drain(..end + 2 + size + 2);
        }
    }

    /// The next line, parsed; `None` at the end of the stream.
    pub async fn line(&mut self) -> Option<Value> {
        loop {
            if let Some(at) = self.decoded.iter().position(|b| *b == b'\n') {
                let line: Vec<u8> = self.decoded.drain(..=at).collect();
                return Some(serde_json::from_slice(&line).unwrap_or_else(|e| {
                    panic!(
                        "a line is not JSON ({e}): {}",
                        String::from_utf8_lossy(&line)
                    )
                }));
            }
            if self.done {
                assert!(self.decoded.is_empty(), "the stream ends mid-line");
                return None;
            }
            self.decode();
            if self.decoded.contains(&b'\n') || self.done {
                continue;
            }
            if !self.fill().await {
                assert!(self.decoded.is_empty(), "the connection closed mid-line");
                return None;
            }
        }
    }

    /// Every line to the end of the stream.
    pub async fn rest(&mut self) -> Vec<Value> {
        let mut lines = Vec::new();
        while let Some(line) = self.line().await {
            lines.push(line);
        }
        lines
    }
}

/// A series of `/metrics` as a number (0 when absent).
pub async fn metric_now(addr: SocketAddr, series: &str) -> f64 {
    let reply = http(addr, "GET", "/metrics", &[], None).await;
    metric(&String::from_utf8_lossy(&reply.body), series).unwrap_or(0.0)
}

//! A solution streamed as NDJSON (docs/contract.md §12): `POST /v1/solve` with `?format=ndjson` or
//! `Accept: application/x-ndjson`, and `gradtrace solve --stream` (the same bytes: both write
//! through [`produce`]).
//!
//! Lines: `{"type":"header","algorithm","problem"}`, one `{"type":"step",…}` per update (the
//! step's fields as in the JSON trace, at the detail and precision asked for), and
//! `{"type":"end","status","warnings","final_weights","final_bias","loss"}` (at `detail=summary`
//! there are no step lines, and the end's `loss` has `per_update`). A stream cut short
//! after it started ends instead with `{"type":"error","problem_type",…}`: the problem details
//! of the cause, whose own `type` URI is renamed `problem_type` so that every line's `type` says
//! what the line is.
//!
//! How it runs: the producer computes on a solver thread (the bounded pool of
//! `api::overload`, whose permit it holds until it returns) and hands each line to a bounded
//! channel; the response body takes lines from it as the socket accepts them. So a slow client
//! slows the solver, memory stays flat whatever the length, and when the client goes away (the
//! body, and with it the receiver, is dropped) the producer stops at its next line. The body
//! side also watches the stream's time limit and the service's shutdown, and either ends the
//! stream with its `error` line at once, wherever the solver is.

use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tokio::sync::{mpsc, watch};
use tokio::time::Sleep;

use super::error::ApiError;
use super::metrics::Metrics;
use super::overload::{self, Counted};
use super::solve::complete_warnings;
use crate::solve::expr::Precision;
use crate::solve::{self, Hooks, LossSummary, Solver, Status, Warning};
use crate::wire::model::{Algorithm, ResolvedProblem};
use crate::wire::validate::ValidProblem;

/// The media type of a stream.
pub const NDJSON: &str = "application/x-ndjson";

/// Lines the channel between the solver and the socket holds: enough to keep both busy, few
/// enough that a stream's memory does not depend on its length.
const CHANNEL_LINES: usize = 16;

/// Lines waiting in the channel are sent together up to about this many bytes, so a fast
/// solver does not pay one write per line.
const CHUNK_BYTES: usize = 64 * 1024;

/// What every stream of an app shares: its time limit, the switch that stops it, and the
/// gauge of open streams.
#[derive(Clone)]
pub struct Streams {
    timeout: Duration,
    stopping: Arc<watch::Sender<bool>>,
    open: prometheus::IntGauge,
}

/// Ends every running stream of an app with its `error` line (on SIGTERM).
#[derive(Clone)]
pub struct Shutdown(Arc<watch::Sender<bool>>);

impl Shutdown {
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

impl Streams {
    /// The streams of one app, with their time limit and gauge, and the switch that ends them.
    pub fn new(timeout: Duration, metrics: &Metrics) -> (Streams, Shutdown) {
        let (sender, _) = watch::channel(false);
        let stopping = Arc::new(sender);
        let streams = Streams {
            timeout,
            stopping: stopping.clone(),
            open: metrics.streams_open.clone(),
        };
        (streams, Shutdown(stopping))
    }
}

/// One line on its way to the socket.
struct Line {
    bytes: Vec<u8>,
    end: bool,
}

/// Start the stream of a validated problem: once a solver thread is free (the request's time
/// limit still applies while waiting), the response, whose body is the stream.
pub async fn respond(
    valid: ValidProblem,
    detail: solve::Detail,
    precision: Option<Precision>,
    streams: Streams,
) -> Result<Response, ApiError> {
    let (sender, receiver) = mpsc::channel::<Line>(CHANNEL_LINES);
    overload::start(move || {
        produce(valid, detail, precision, |bytes, end| {
            sender.blocking_send(Line { bytes, end }).is_ok()
        });
    })
    .await?;
    let feed = Feed {
        lines: receiver,
        stopping: streams.stopping.subscribe(),
        deadline: Box::pin(tokio::time::sleep(streams.timeout)),
        limit: streams.timeout,
        done: false,
        _open: Counted::new(&streams.open),
    };
    let body = Body::from_stream(futures_util::stream::unfold(feed, Feed::next));
    Ok(([(header::CONTENT_TYPE, NDJSON)], body).into_response())
}

/// The body's side of a stream.
struct Feed {
    lines: mpsc::Receiver<Line>,
    stopping: watch::Receiver<bool>,
    deadline: Pin<Box<Sleep>>,
    limit: Duration,
    done: bool,
    _open: Counted,
}

/// What the body waits for next.
enum Next {
    Line(Line),
    Cut(ApiError),
}

impl Feed {
    async fn next(mut self) -> Option<(Result<Bytes, Infallible>, Feed)> {
        if self.done {
            return None;
        }
        let next = tokio::select! {
            biased;
            () = stopped(&mut self.stopping) => Next::Cut(ApiError::ShuttingDown),
            () = &mut self.deadline => Next::Cut(ApiError::StreamTimeout { limit: self.limit }),
            line = self.lines.recv() => match line {
                Some(line) => Next::Line(line),
                None => Next::Cut(ApiError::Internal(
                    "the solver stopped before the end of the stream".to_string(),
                )),
            },
        };
        let bytes = match next {
            Next::Line(line) => self.chunk(line),
            Next::Cut(error) => {
                self.done = true;
                // The producer stops at its next line, even if it is waiting for room now.
                self.lines.close();
                match &error {
                    ApiError::Internal(detail) => tracing::error!(%detail, "stream failed"),
                    other => tracing::info!(kind = %other.problem().kind, "stream cut short"),
                }
                error_line(&error)
            }
        };
        Some((Ok(Bytes::from(bytes)), self))
    }

    /// `first`, and the lines already waiting behind it, up to [`CHUNK_BYTES`].
    fn chunk(&mut self, first: Line) -> Vec<u8> {
        let Line { mut bytes, mut end } = first;
        while !end && bytes.len() < CHUNK_BYTES {
            match self.lines.try_recv() {
                Ok(line) => {
                    bytes.extend_from_slice(&line.bytes);
                    end = line.end;
                }
                Err(_) => break,
            }
        }
        self.done = end;
        bytes
    }
}

/// Resolves once the app is stopping; never if its switch is gone.
async fn stopped(stopping: &mut watch::Receiver<bool>) {
    if stopping.wait_for(|stopping| *stopping).await.is_err() {
        std::future::pending::<()>().await;
    }
}

#[derive(Serialize)]
struct Header<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    algorithm: Algorithm,
    problem: &'a ResolvedProblem,
}

#[derive(Serialize)]
struct End<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    status: Status,
    warnings: &'a [Warning],
    final_weights: &'a [f64],
    final_bias: Option<f64>,
    loss: &'a LossSummary,
}

/// Write the stream of a validated problem line by line (each ending in `\n`) through `emit`,
/// which is told whether the line is the last and returns whether to go on. Synchronous and
/// CPU-bound: the server runs it on a solver thread, the CLI on its own.
pub fn produce(
    valid: ValidProblem,
    detail: solve::Detail,
    precision: Option<Precision>,
    mut emit: impl FnMut(Vec<u8>, bool) -> bool,
) {
    let ValidProblem {
        problem,
        warnings,
        echo,
    } = valid;
    let header = Header {
        kind: "header",
        algorithm: echo.algorithm,
        problem: &echo,
    };
    // Whether to go on after a line; a line that cannot be written ends the stream with an
    // error line instead.
    let mut send = |line: Result<Vec<u8>, ApiError>| match line {
        Ok(line) => emit(line, false),
        Err(error) => {
            emit(error_line(&error), true);
            false
        }
    };
    if !send(json_line(&header)) {
        return;
    }
    let mut solution = if detail == solve::Detail::Summary {
        // No step lines: the end carries the loss after every update.
        solve::solve_detail(&problem, detail)
    } else {
        let mut solver = Solver::with_detail(&problem, Hooks::default(), detail);
        for step in solver.by_ref() {
            if !send(tagged_line("step", &step.view(precision))) {
                return;
            }
        }
        solver.finish(Vec::new())
    };
    complete_warnings(&mut solution.warnings, warnings, &problem);
    let end = End {
        kind: "end",
        status: solution.status,
        warnings: &solution.warnings,
        final_weights: &solution.final_weights,
        final_bias: solution.final_bias,
        loss: &solution.loss,
    };
    let line = json_line(&end).unwrap_or_else(|error| error_line(&error));
    emit(line, true);
}

/// A value as one NDJSON line.
fn json_line(value: &impl Serialize) -> Result<Vec<u8>, ApiError> {
    let mut line = super::json::to_vec(value)
        .map_err(|error| ApiError::Internal(format!("cannot serialize: {error}")))?;
    line.push(b'\n');
    Ok(line)
}

/// An object's JSON with `"type": kind` first, as one line: the object's own bytes, exactly as
/// the JSON trace writes them.
fn tagged_line(kind: &str, value: &impl Serialize) -> Result<Vec<u8>, ApiError> {
    let json = json_line(value)?;
    let fields = match json.strip_prefix(b"{") {
        Some(rest) if !rest.starts_with(b"}") => rest,
        _ => return Err(ApiError::Internal(format!("a {kind} is not a JSON object"))),
    };
    let mut line = format!("{{\"type\":\"{kind}\",").into_bytes();
    line.extend_from_slice(fields);
    Ok(line)
}

/// The `error` line of a stream cut short: `{"type":"error","problem_type":<the problem's type
/// URI>, "title", "status", "detail", …}`.
pub fn error_line(error: &ApiError) -> Vec<u8> {
    let mut line = serde_json::Map::new();
    line.insert("type".to_string(), "error".into());
    if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(error.problem()) {
        for (key, value) in fields {
            let key = if key == "type" {
                "problem_type".to_string()
            } else {
                key
            };
            line.insert(key, value);
        }
    }
    // A map of strings and integers always serializes.
    json_line(&line).unwrap_or_else(|_| b"{\"type\":\"error\"}\n".to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_line_keeps_the_problem_type_under_its_own_name() {
        let line = error_line(&ApiError::ShuttingDown);
        let Ok(value) = serde_json::from_slice::<serde_json::Value>(&line) else {
            panic!("not JSON: {}", String::from_utf8_lossy(&line));
        };
        assert_eq!(value["type"], "error");
        assert_eq!(
            value["problem_type"],
            "https://gradtrace.dev/problems/shutting-down"
        );
        assert_eq!(value["status"], 503);
        assert!(line.ends_with(b"}\n"));
    }

    #[test]
    fn a_tagged_line_is_the_objects_bytes_with_its_type_first() {
        let Ok(line) = tagged_line("step", &serde_json::json!({"index": 1, "x": [0.5]})) else {
            panic!("an object");
        };
        assert_eq!(line, b"{\"type\":\"step\",\"index\":1,\"x\":[0.5]}\n");
        assert!(tagged_line("step", &serde_json::json!({})).is_err());
    }
}

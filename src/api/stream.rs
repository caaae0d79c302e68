//! A solution streamed as NDJSON (docs/contract.md §12): `POST /v1/solve` with `?format=ndjson`
//! or `Accept: application/x-ndjson`. The lines are `usecase::stream`'s ([`produce`]); this is
//! how they reach the socket.
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
use tokio::sync::{mpsc, watch};
use tokio::time::Sleep;

use super::error::ApiError;
use super::metrics::Metrics;
use super::overload::{self, Counted};
use crate::solve;
use crate::solve::expr::Precision;
use crate::usecase::stream::{error_line, produce};
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
                None => Next::Cut(ApiError::internal(
                    "the solver stopped before the end of the stream",
                )),
            },
        };
        let bytes = match next {
            Next::Line(line) => self.chunk(line),
            Next::Cut(error) => {
                self.done = true;
                // The producer stops at its next line, even if it is waiting for room now.
                self.lines.close();
                let problem = error.problem();
                if let ApiError::Case(crate::usecase::Error::Internal(detail)) = &error {
                    tracing::error!(%detail, "stream failed");
                } else {
                    tracing::info!(kind = %problem.kind, "stream cut short");
                }
                error_line(&problem)
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

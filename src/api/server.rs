//! The accept loop: connections served by hyper's HTTP/1 server with a header-read deadline, at
//! most `max_connections` of them at once, and graceful shutdown.
//!
//! Why not `axum::serve`: it sets no timer, so hyper's header-read timeout never runs and a
//! client that opens a connection and never finishes its headers (slowloris) holds it forever.
//! Here hyper's own `header_read_timeout` does that work. hyper starts that timer whenever a
//! connection waits for a request head — when it opens and again after each response — so the
//! one setting bounds both the time to send headers and a keep-alive connection's idle time.
//!
//! The cap: an ordinary connection takes one of `max_connections` slots. Past the cap a small
//! reserve of [`PROBE_RESERVE`] slots serves one request per connection, only `GET /healthz`
//! and `GET /metrics` (anything else is answered 503 `overloaded` without reading its body),
//! with a header deadline of [`PROBE_HEADER_TIMEOUT`]; a probe, which sends its request as soon
//! as it connects, gets through, while a connection that sends nothing is closed within that
//! deadline. Past the reserve a connection is closed at once. Nothing is ever queued.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tower::ServiceExt;

use super::error::ApiError;
use super::metrics::Metrics;

/// Connections past the cap that may still ask for `/healthz` or `/metrics`.
pub const PROBE_RESERVE: usize = 64;
/// How long a connection in the probe reserve has to send its request's headers.
pub const PROBE_HEADER_TIMEOUT: Duration = Duration::from_millis(50);

/// What the accept loop needs to know.
#[derive(Debug, Clone, Copy)]
pub struct Connections {
    pub header_timeout: Duration,
    pub max_connections: usize,
}

/// Serve `router` on `listener` until `shutdown` resolves; then stop accepting, let every
/// connection finish the request it is answering (idle ones close at once), and return when
/// all are closed. The caller bounds that wait with its grace period.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    metrics: Metrics,
    connections: Connections,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let ordinary = Arc::new(Semaphore::new(connections.max_connections));
    let reserve = Arc::new(Semaphore::new(PROBE_RESERVE));
    // Connections watch `stop` for the signal and hold `open` until they close.
    let (stop_tx, stop_rx) = watch::channel(false);
    let (open_tx, open_rx) = watch::channel(());
    let mut shutdown = pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of file descriptors and the like: the listener itself is fine, so wait a
            // little instead of spinning, as hyper's and axum's loops do.
            Err(error) => {
                tracing::warn!(%error, "cannot accept a connection");
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let Some((slot, probe)) = slot(&ordinary, &reserve, &metrics) else {
            drop(stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let connection = Connection {
            io: TokioIo::new(stream),
            probe,
            header_timeout: connections.header_timeout,
        };
        tokio::spawn(connection.serve(
            router.clone(),
            metrics.clone(),
            stop_rx.clone(),
            (slot, open_rx.clone()),
        ));
    }
    drop(listener);
    let _ = stop_tx.send(true);
    drop(open_rx);
    open_tx.closed().await;
    Ok(())
}

/// A slot for a new connection, held until it closes, and whether it came in past the cap
/// (a probe's); `None` when the cap and the probe reserve are full.
fn slot(
    ordinary: &Arc<Semaphore>,
    reserve: &Arc<Semaphore>,
    metrics: &Metrics,
) -> Option<(OwnedSemaphorePermit, bool)> {
    if let Ok(permit) = Arc::clone(ordinary).try_acquire_owned() {
        return Some((permit, false));
    }
    metrics.connection_over_cap();
    match Arc::clone(reserve).try_acquire_owned() {
        Ok(permit) => Some((permit, true)),
        Err(_) => {
            metrics.connection_refused();
            None
        }
    }
}

/// One accepted connection.
struct Connection {
    io: TokioIo<tokio::net::TcpStream>,
    /// It came in past the cap: it may ask only for a probe's routes.
    probe: bool,
    header_timeout: Duration,
}

impl Connection {
    /// Answer requests on the connection until it closes, or until `stop` says the server is
    /// stopping and the request in hand is answered; `held` (its slot, and the server's count
    /// of open connections) is released when it closes.
    async fn serve(
        self,
        router: Router,
        metrics: Metrics,
        mut stop: watch::Receiver<bool>,
        held: (OwnedSemaphorePermit, watch::Receiver<()>),
    ) {
        let Connection {
            io,
            probe,
            header_timeout,
        } = self;
        metrics.connection_opened();
        let mut builder = http1::Builder::new();
        builder.timer(TokioTimer::new());
        let service = if !probe {
            builder.header_read_timeout(header_timeout);
            TowerToHyperService::new(router.map_request(to_axum).boxed_clone())
        } else {
            builder
                .header_read_timeout(PROBE_HEADER_TIMEOUT)
                .keep_alive(false);
            TowerToHyperService::new(
                tower::service_fn(move |request: Request<Incoming>| {
                    probe_only(router.clone(), to_axum(request))
                })
                .boxed_clone(),
            )
        };
        let mut connection = pin!(builder.serve_connection(io, service));
        // `true` once shutdown is signalled; never while the server runs.
        let stopping = pin!(async move { stop.wait_for(|stopping| *stopping).await.is_ok() });
        tokio::select! {
            _ = connection.as_mut() => {}
            signalled = stopping => {
                if signalled {
                    connection.as_mut().graceful_shutdown();
                }
                // An idle connection closes at once; a busy one after its response.
                let _ = connection.as_mut().await;
            }
        }
        metrics.connection_closed();
        drop(held);
    }
}

fn to_axum(request: Request<Incoming>) -> Request {
    request.map(Body::new)
}

/// The probe reserve's service: `GET /healthz` and `GET /metrics` as usual, anything else a 503
/// at once (its body unread) that tells the client to come back.
async fn probe_only(router: Router, request: Request) -> Result<Response, Infallible> {
    let allowed =
        request.method() == Method::GET && matches!(request.uri().path(), "/healthz" | "/metrics");
    if allowed {
        return router.oneshot(request).await;
    }
    let mut response = ApiError::TooManyConnections { retry_after: 1 }.into_response();
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    debug_assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    Ok(response)
}

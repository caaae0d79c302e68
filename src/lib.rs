//! gradtrace: worked solutions for single-neuron optimizer exercises, as a JSON trace over HTTP
//! and on the command line.
//!
//! Layout of the crate:
//!
//! - [`solve`] — the pure core: the validated [`solve::Problem`], the optimizers, schedules,
//!   worked-line expressions and the trace ([`solve::Solution`]). No axum, async or I/O.
//! - [`wire`] — the published shape, shared by the HTTP edge and the CLI: [`wire::model`] (the
//!   request and response types and their OpenAPI schemas), [`wire::catalog`] (algorithms,
//!   hyperparameters, ranges, defaults), [`wire::validate`] (JSON → `Problem`, every violation
//!   with its pointer), [`wire::grade`] (a grade request read into a problem and a spec) and
//!   [`wire::fields`] (the violations). No axum.
//! - [`api`] — the HTTP edge: [`api::error`] (every error as problem+json),
//!   [`api::extract`] (the JSON body extractor), and one file per group of endpoints:
//!   [`api::solve`] (with [`api::stream`], its NDJSON stream), [`api::grade`], [`api::batch`],
//!   [`api::compare`], [`api::variants`], [`api::schedule`], [`api::meta`], [`api::examples`],
//!   [`api::picture`]; [`api::server`] is the accept loop (header timeout, connection cap and
//!   its probe reserve, graceful shutdown), [`api::docs`] the Swagger UI at `/docs` and
//!   `/docs/`, and [`api::json`] the one JSON encoder (it never writes `-0.0`).
//! - [`course`] — the course's data: its worked examples with the values its notes print, and
//!   its errata (every solve of a matching problem carries them as warnings).
//! - [`render`] — Markdown and LaTeX renderings of a solution (pure).
//! - [`picture`] — SVG pictures of solutions (pure): the loss surface with each optimizer's
//!   path, the loss per update and per epoch, a schedule's rate; served by [`api::picture`],
//!   and `GET /` is the playground page ([`api::playground`], its files in `web/`).
//! - [`grade`] — checking a student's answers against the trace: tolerances, carried-forward
//!   errors, named mistakes (pure).
//! - [`class`] — a whole class at once: many problems over the cores, optimizers side by side,
//!   per-student variants from a seed (pure; the generator is specified in
//!   [`class::variants`]).
//! - [`mod@pointer`] — JSON pointers (RFC 6901): the one escaping of a key, for every error's
//!   pointer and every grader's address.
//! - [`config`] — the service's limits and operating settings ([`config::Config`]), from flags
//!   and environment variables or the defaults.
//! - [`cli`] — the `gradtrace` command: `serve`, `solve`, `grade`, `variants`, `compare`,
//!   `plot`, `openapi`.
//! - here: [`app`] / [`app_with`] (the router, testable without a socket), [`serve`] /
//!   [`serve_with`] (run it on a listener until a shutdown future resolves, then let requests
//!   in flight finish within a grace period) and [`openapi`] (the generated document).

pub mod api;
pub mod class;
pub mod cli;
pub mod config;
pub mod course;
pub mod grade;
pub mod picture;
pub mod pointer;
pub mod render;
pub mod solve;
pub mod wire;

use std::future::Future;
use std::io;

use axum::Router;

use config::Config;

/// The whole service as a router, with the default config: every endpoint, `/openapi.json`,
/// `/docs`, and the layers.
pub fn app() -> Router {
    api::app()
}

/// The whole service as a router, with `config`'s limits, pool, time limit and CORS origins.
pub fn app_with(config: &Config) -> Router {
    api::app_with(config)
}

/// Serve [`app`] on `listener` until `shutdown` resolves, then finish the requests in flight
/// (within the default grace period).
pub async fn serve(
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_with(listener, &Config::default(), shutdown).await
}

/// Serve [`app_with`]`(config)` on `listener` until `shutdown` resolves; then stop accepting
/// connections, end running streams with their `error` line, let the requests in flight
/// finish, and return — at the latest `config.shutdown_grace` after the signal, whatever is
/// still running.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    config: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let grace = config.shutdown_grace;
    let (signalled, on_signal) = tokio::sync::oneshot::channel::<()>();
    let (router, metrics, streams) = api::serving(config);
    let connections = api::server::Connections {
        header_timeout: config.header_timeout,
        max_connections: config.max_connections(),
    };
    let server = api::server::serve(listener, router, metrics, connections, async move {
        shutdown.await;
        // Running streams end with their `error` line now, so their connections close within
        // the grace period like any other request's.
        streams.stop();
        let _ = signalled.send(());
    });
    let deadline = async move {
        // The sender is dropped without a signal only when the server stopped on its own.
        if on_signal.await.is_ok() {
            tokio::time::sleep(grace).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        result = server => result,
        () = deadline => {
            tracing::warn!(
                grace_seconds = grace.as_secs_f64(),
                "the grace period ended with requests still in flight; stopping anyway"
            );
            Ok(())
        }
    }
}

/// The OpenAPI 3.1 document generated from the types, as served at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::openapi()
}

//! gradtrace: worked solutions for single-neuron optimizer exercises, as a JSON trace over HTTP
//! and on the command line.
//!
//! Layout of the crate:
//!
//! - [`solve`] — the pure core: the validated [`solve::Problem`], the optimizers, schedules,
//!   worked-line expressions and the trace ([`solve::Solution`]). No axum, async or I/O.
//! - [`api`] — the HTTP edge: [`api::error`] (every error as problem+json),
//!   [`api::extract`] (the JSON body extractor), [`api::model`] (wire types and their OpenAPI
//!   schemas), [`api::validate`] (JSON → `Problem`, every violation with its pointer; also used
//!   by the CLI), [`api::catalog`] (algorithms, hyperparameters, ranges, defaults), and one file
//!   per group of endpoints: [`api::solve`], [`api::grade`], [`api::batch`], [`api::compare`],
//!   [`api::variants`], [`api::schedule`], [`api::meta`], [`api::examples`].
//! - [`render`] — Markdown and LaTeX renderings of a solution (pure).
//! - [`grade`] — checking a student's answers against the trace: tolerances, carried-forward
//!   errors, named mistakes (pure).
//! - [`class`] — a whole class at once: many problems over the cores, optimizers side by side,
//!   per-student variants from a seed (pure; the generator is specified in
//!   [`class::variants`]).
//! - [`cli`] — the `gradtrace` command: `serve`, `solve`, `grade`, `variants`, `compare`,
//!   `openapi`.
//! - here: [`app`] (the router, testable without a socket), [`serve`] (run it on a listener
//!   until a shutdown future resolves) and [`openapi`] (the generated document).

pub mod api;
pub mod class;
pub mod cli;
pub mod grade;
pub mod render;
pub mod solve;

use std::future::Future;
use std::io;

use axum::Router;

/// The whole service as a router: every endpoint, `/openapi.json`, `/docs`, and the layers.
pub fn app() -> Router {
    api::app()
}

/// Serve [`app`] on `listener` until `shutdown` resolves, then finish the requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(listener, app())
        .with_graceful_shutdown(shutdown)
        .await
}

/// The OpenAPI 3.1 document generated from the types, as served at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    api::openapi()
}

//! gradtrace: worked solutions for single-neuron optimizer exercises, as a JSON trace over HTTP
//! and on the command line.
//!
//! Layout of the crate:
//!
//! - [`solve`] — the pure core: the validated [`solve::Problem`], the optimizers, schedules,
//!   worked-line expressions and the trace ([`solve::Solution`]). No axum, async or I/O.
//! - [`wire`] — the published shape, shared by the HTTP edge and the CLI: [`wire::model`] (the
//!   request and response types and their OpenAPI schemas; [`wire::class`] for the class
//!   endpoints), [`wire::catalog`] (algorithms, hyperparameters, ranges, defaults),
//!   [`wire::validate`] (JSON → `Problem`, every violation with its pointer), [`wire::grade`]
//!   (a grade request read into a problem and a spec), [`wire::fields`] (the violations),
//!   [`wire::problem`] (the problem document of every error) and [`wire::json`] (the one JSON
//!   encoder; it never writes `-0.0`). No axum.
//! - [`usecase`] — the use cases apart from HTTP: [`usecase::solve`] (and its NDJSON lines,
//!   [`usecase::stream`]), [`usecase::grade`], [`usecase::compare`], [`usecase::variants`],
//!   [`usecase::batch`], [`usecase::schedule`], [`usecase::picture`] — plain functions from a
//!   JSON body to a wire response, returning [`usecase::Error`], which knows no HTTP. The
//!   HTTP edge and the CLI call these and nothing else.
//! - [`api`] — the HTTP edge, axum only: [`api::error`] (every error as problem+json, with its
//!   status and headers), [`api::extract`] (the JSON body and the query), one file of routes
//!   and thin handlers per group of endpoints, [`api::stream`] (a stream's socket side),
//!   [`api::overload`] (the solver pool, load shedding, the time limit), [`api::metrics`],
//!   [`api::server`] (the accept loop: header timeout, connection cap and its probe reserve,
//!   graceful shutdown), [`api::docs`] (the Swagger UI), [`api::playground`] (`GET /`, its
//!   files in `web/`), and [`app`] / [`serve_with`] / [`openapi`], re-exported here.
//! - [`course`] — the course's data: its worked examples with the values its notes print, its
//!   errata (every solve of a matching problem carries them as warnings), and its exercises as
//!   request bodies (the OpenAPI examples).
//! - [`render`] — Markdown and LaTeX renderings of a solution (pure).
//! - [`picture`] — SVG pictures of solutions (pure): the loss surface with each optimizer's
//!   path, the loss per update and per epoch, a schedule's rate ([`usecase::picture`] draws
//!   them for a body).
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
//!   `plot`, `openapi`; clap and I/O over the use cases (it imports nothing from [`api`]).
//! - re-exported from [`api`]: [`app`] / [`app_with`] (the router, testable without a socket),
//!   [`serve`] / [`serve_with`] (run it on a listener until a shutdown future resolves, then
//!   let requests in flight finish within a grace period) and [`openapi`] (the generated
//!   document).

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
pub mod usecase;
pub mod wire;

pub use api::{app, app_with, openapi, serve, serve_with};

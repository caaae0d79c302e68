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
//!   by the CLI), [`api::catalog`] (algorithms, hyperparameters, ranges, defaults).
//! - [`render`] — Markdown and LaTeX renderings of a solution (pure).

pub mod api;
pub mod render;
pub mod solve;

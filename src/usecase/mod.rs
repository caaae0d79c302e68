//! The use cases, apart from HTTP: plain, synchronous functions from a parsed JSON body to a
//! wire response — [`solve`] (and its NDJSON lines, [`stream`]), [`grade`], [`compare`],
//! [`variants`], [`batch`], [`schedule`] and [`picture`]. They return [`Error`], which knows
//! nothing of HTTP: the HTTP edge (`api`) answers with its problem document and status, the CLI
//! prints the same document and exits 1. Both edges call these and nothing else, so they cannot
//! disagree. CPU-bound: the server runs them on its solver pool.

pub mod batch;
pub mod compare;
pub mod error;
pub mod grade;
pub mod picture;
pub mod schedule;
pub mod solve;
pub mod stream;
pub mod variants;

pub use error::{encode, parse, Error};

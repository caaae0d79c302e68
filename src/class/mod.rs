//! A whole class at once (issue 6): the pure half of batches, comparisons and per-student
//! variants. No axum, async or I/O; the endpoints and the CLI call in here.
//!
//! Layout: `rng` (SplitMix64 and FNV-1a, written out), `variants` (templates with ranges, and
//! the documented draw scheme).

pub mod rng;
pub mod variants;

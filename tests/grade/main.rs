//! Tests of the pure grading core (`gradtrace::grade`), without HTTP: scores and carry-forward,
//! PrairieLearn's tolerance boundaries, invalid answers, named mistakes, and the platforms'
//! result formats. Problems come from the course (docs/contract.md §10) wherever they fit.

#[path = "../common/mod.rs"]
mod common;
mod errors;
mod formats;
mod mistakes;
mod networks;
mod properties;
mod scoring;
mod support;
mod tolerance;

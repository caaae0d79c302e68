//! Tests of the pure core, without HTTP: conjugate gradient's guarantees, divergence, and
//! property tests that no problem, however extreme, makes the core panic or emit a non-finite
//! number.

#[path = "../common/mod.rs"]
mod common;
mod conjugate_gradient;
mod hooks;
mod json;
mod katex;
mod network;
mod network_gradients;
mod network_runs;
mod properties;
mod substitution;
mod support;

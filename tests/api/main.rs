//! The HTTP API's tests, one binary: `cargo test --test api`.
//!
//! `helpers` sends requests to `gradtrace::app()` in memory; `server` is the one test on a real
//! socket; `openapi` keeps the committed document in step with the code.

mod class;
mod cli;
#[path = "../common/mod.rs"]
mod common;
mod course;
mod detail;
mod errors;
mod golden;
mod grade;
mod helpers;
mod latex;
mod meta;
mod nadam;
mod network;
mod network_examples;
mod networks;
mod notation;
mod openapi;
mod picture;
mod playground;
mod properties;
mod readme;
mod reference;
mod rendering;
mod server;
mod solve;

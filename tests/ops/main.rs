//! Operations tests, one binary: `cargo test --test ops`. The configurable limits, load
//! shedding and the solver pool, the time limit, request ids, metrics and CORS, in memory or on
//! a real socket in this process; graceful shutdown, `/healthz` under load and JSON logs
//! against the real binary.

#[path = "../common/mod.rs"]
mod common;
mod connections;
mod cors;
mod limits;
mod observability;
mod overload;
mod process;
mod stream;
mod support;

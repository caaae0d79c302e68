//! The `gradtrace` binary: everything it does is in `gradtrace::cli`.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    gradtrace::cli::main().await
}

//! The `gradtrace` binary: everything it does is in `gradtrace::cli`.

use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("gradtrace: cannot start the async runtime: {error}");
            return ExitCode::from(2);
        }
    };
    let code = runtime.block_on(gradtrace::cli::main());
    // Dropping a runtime waits for every blocking task; a solve still computing when the
    // shutdown grace period ran out must not keep the process alive, so it is abandoned.
    runtime.shutdown_timeout(Duration::from_millis(100));
    code
}

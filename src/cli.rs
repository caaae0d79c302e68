//! The `gradtrace` command line: `serve` (the default), `solve FILE|-`, `grade FILE|-`,
//! `variants FILE|-`, `compare FILE|-`, `plot surface|loss|schedule FILE|-` and `openapi`.
//!
//! Every command calls the same use cases as the HTTP service (`usecase::solve`,
//! `usecase::stream`, `usecase::grade`, `openapi()`; `variants` and `compare`, in
//! `cli/class.rs`, `usecase::variants` and `usecase::compare`; `plot`, in `cli/plot.rs`,
//! `usecase::picture`), so the CLI and the endpoints cannot disagree; a use case's error is
//! printed as the problem+json the endpoint returns, with exit status 1. Logs go to stderr;
//! stdout carries only what a command prints.

mod class;
mod plot;

use std::io::{self, IsTerminal, Read, Write};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use serde::Serialize;
use tracing_subscriber::EnvFilter;

use crate::config::{Config, Limits};
use crate::grade;
use crate::solve::expr::Precision;
use crate::usecase::grade::grade_body_with;
use crate::usecase::solve::{effective_detail, rendered_text, sizing, solve_body_with, Format};
use crate::usecase::stream::produce;
use crate::usecase::{encode, parse, Error};
use crate::wire::json;
use crate::wire::model::Detail;
use crate::wire::validate;

const AFTER_HELP: &str = "\
Exit status:
  0  success (for `solve`: a solution was printed, whatever its status; for `grade`: a
     grade was printed, whatever the score)
  1  `solve`, `grade`: the input was rejected; the problem+json error the endpoint would
     return (400 or 422) is printed to stdout
  2  usage error, or a file or socket could not be used (message on stderr)

Logging: set RUST_LOG (e.g. RUST_LOG=debug); logs go to stderr, as plain text or, with
`serve --log-format json`, one JSON object per line.";

/// Worked solutions for optimizer exercises on one neuron or a network, over HTTP and on the command line.
#[derive(Debug, Parser)]
#[command(
    name = "gradtrace",
    version,
    args_conflicts_with_subcommands = true,
    after_help = AFTER_HELP
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// With no command, `gradtrace` serves, and takes `serve`'s options.
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the HTTP service until Ctrl-C or SIGTERM (the default command).
    Serve(ServeArgs),
    /// Solve a problem (the body of POST /v1/solve) from a file, or from stdin with `-`, and
    /// print the same JSON the endpoint returns.
    #[command(after_help = AFTER_HELP)]
    Solve(SolveArgs),
    /// Grade a student's answers (the body of POST /v1/grade) from a file, or from stdin with
    /// `-`, and print the same JSON the endpoint returns — with no server, for graders that run
    /// with networking off.
    #[command(after_help = AFTER_HELP)]
    Grade(GradeArgs),
    /// Draw per-student variants of a template (the body of POST /v1/variants), each with its
    /// solution: NDJSON on stdout, or one file per variant with `--out DIR`.
    #[command(after_help = class::AFTER_HELP)]
    Variants(class::VariantsArgs),
    /// Compare optimizer configurations on one problem (the body of POST /v1/compare): the
    /// endpoint's JSON, or its Markdown table with `--format markdown`.
    #[command(after_help = class::AFTER_HELP)]
    Compare(class::CompareArgs),
    /// Draw a picture as SVG on stdout (`gradtrace plot surface FILE > figure.svg`), the bytes
    /// POST /v1/plot/surface, /v1/plot/loss or /v1/plot/schedule return.
    #[command(after_help = class::AFTER_HELP)]
    Plot(plot::PlotArgs),
    /// Print the OpenAPI 3.1 document (pretty JSON), as committed at openapi/openapi.json.
    Openapi,
    /// Exit 0 if the service at `--addr` answers `GET /healthz` with 200 within 2 s, else 1
    /// (the container's HEALTHCHECK: the runtime image has no curl).
    Healthcheck(AddrArgs),
}

#[derive(Debug, Args)]
struct AddrArgs {
    /// Address to listen on.
    #[arg(long, env = "GRADTRACE_ADDR", default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    listen: AddrArgs,
    /// Request logs (stderr) as plain text or as one JSON object per line.
    #[arg(
        long,
        env = "GRADTRACE_LOG_FORMAT",
        value_enum,
        default_value = "plain"
    )]
    log_format: LogFormat,
    #[command(flatten)]
    config: Config,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    /// One line of text per event, for people.
    Plain,
    /// One JSON object per event, with the request's span fields, for log collectors.
    Json,
}

#[derive(Debug, Args)]
struct SolveArgs {
    /// The problem as JSON: a file, or `-` for stdin.
    file: PathBuf,
    /// Print compact JSON, byte for byte what the endpoint sends, instead of pretty JSON.
    #[arg(long)]
    compact: bool,
    /// Print the solution as JSON (default), or rendered as Markdown or LaTeX, as the
    /// endpoint's `?format=` does.
    #[arg(long, value_enum, default_value = "json")]
    format: CliFormat,
    /// Significant figures of displayed numbers (default 4; 0 = in full), as `?precision=`.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=17))]
    precision: Option<u32>,
    /// With `--format latex`: print a whole document that pdflatex compiles as it is, instead
    /// of the fragment, as `?standalone=true` does.
    #[arg(long)]
    standalone: bool,
    /// How much of the solution, as `?detail=`: every step with its worked lines (default),
    /// every step's values without lines, or a summary with no steps and the loss after every
    /// update. The Markdown and LaTeX renderings are always of the lines.
    #[arg(long, value_enum, default_value = "lines")]
    detail: CliDetail,
    /// Print the solution as NDJSON, one line per update as it is computed, byte for byte the
    /// endpoint's `?format=ndjson` (held to --max-stream-updates instead of the trace limits).
    #[arg(long, conflicts_with_all = ["format", "compact"])]
    stream: bool,
    /// The same limits as `serve`, so a problem the service refuses is refused here too.
    #[command(flatten)]
    limits: Limits,
}

/// The details `--detail` offers, as `?detail=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum CliDetail {
    Lines,
    Values,
    Summary,
}

impl From<CliDetail> for Detail {
    fn from(detail: CliDetail) -> Self {
        match detail {
            CliDetail::Lines => Detail::Lines,
            CliDetail::Values => Detail::Values,
            CliDetail::Summary => Detail::Summary,
        }
    }
}

#[derive(Debug, Args)]
struct GradeArgs {
    /// The request as JSON (`problem`, `answers`, `tolerance`, `carry_forward`): a file, or `-`
    /// for stdin.
    file: PathBuf,
    /// Print compact JSON, byte for byte what the endpoint sends, instead of pretty JSON.
    #[arg(long)]
    compact: bool,
    /// The grade report (default), or the results file of PrairieLearn, Gradescope or
    /// CodeRunner, as the endpoint's `?format=` does.
    #[arg(long, value_enum, default_value = "json")]
    format: CliGradeFormat,
    /// The same limits as `serve`, so a request the service refuses is refused here too.
    #[command(flatten)]
    limits: Limits,
}

/// The outputs `grade --format` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CliGradeFormat {
    Json,
    Prairielearn,
    Gradescope,
    Coderunner,
}

impl From<CliGradeFormat> for grade::Format {
    fn from(format: CliGradeFormat) -> Self {
        match format {
            CliGradeFormat::Json => grade::Format::Json,
            CliGradeFormat::Prairielearn => grade::Format::Prairielearn,
            CliGradeFormat::Gradescope => grade::Format::Gradescope,
            CliGradeFormat::Coderunner => grade::Format::Coderunner,
        }
    }
}

/// The renderings `solve --format` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CliFormat {
    Json,
    Markdown,
    Latex,
}

/// Parse the arguments and run the command.
pub async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => serve(cli.serve).await,
        Some(Command::Serve(args)) => serve(args).await,
        Some(Command::Solve(args)) => solve(&args),
        Some(Command::Grade(args)) => grade(&args),
        Some(Command::Variants(args)) => class::variants(&args),
        Some(Command::Compare(args)) => class::compare(&args),
        Some(Command::Plot(args)) => plot::plot(&args),
        Some(Command::Openapi) => print_json(&crate::openapi(), false),
        Some(Command::Healthcheck(args)) => healthcheck(args.addr),
    }
}

/// One plain HTTP/1.1 request to `/healthz`, with a timeout on every socket operation.
fn healthcheck(addr: SocketAddr) -> ExitCode {
    use std::net::TcpStream;
    use std::time::Duration;
    let timeout = Duration::from_secs(2);
    let attempt = || -> io::Result<bool> {
        let mut stream = TcpStream::connect_timeout(&addr, timeout)?;
        stream.set_read_timeout(Some(timeout))?;
        stream.set_write_timeout(Some(timeout))?;
        write!(
            stream,
            "GET /healthz HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
        )?;
        let mut status_line = [0u8; 12];
        stream.read_exact(&mut status_line)?;
        Ok(status_line.starts_with(b"HTTP/1.1 200"))
    };
    match attempt() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("gradtrace: {addr}/healthz did not answer 200");
            ExitCode::from(1)
        }
        Err(error) => {
            eprintln!("gradtrace: {addr}/healthz: {error}");
            ExitCode::from(1)
        }
    }
}

fn init_tracing(default: &str) {
    init_tracing_as(default, LogFormat::Plain);
}

fn init_tracing_as(default: &str, format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(io::stderr);
    // A second initialisation (only possible in tests) is harmless, so its error is ignored.
    let _ = match format {
        // Colour codes only for people; log files and collectors get plain text.
        LogFormat::Plain => builder.with_ansi(io::stderr().is_terminal()).try_init(),
        // The event's fields at the top level, and the request span's (method, route,
        // request_id) under `span`, so a collector can group a request's lines.
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
    };
}

async fn serve(args: ServeArgs) -> ExitCode {
    init_tracing_as("info,tower_http=info", args.log_format);
    let shutdown = shutdown_signal();
    let addr = args.listen.addr;
    let listener = match tokio::net::TcpListener::bind(addr).await {
        Ok(listener) => listener,
        Err(error) => {
            eprintln!("gradtrace: cannot listen on {addr}: {error}");
            return ExitCode::from(2);
        }
    };
    match listener.local_addr() {
        Ok(addr) => tracing::info!("listening on http://{addr} (docs at http://{addr}/docs/)"),
        Err(_) => tracing::info!("listening on {addr}"),
    }
    let config = &args.config;
    tracing::info!(
        limits = ?config.limits,
        request_timeout_seconds = config.request_timeout.as_secs_f64(),
        max_in_flight = config.max_in_flight,
        solver_threads = config.solver_threads(),
        shutdown_grace_seconds = config.shutdown_grace.as_secs_f64(),
        cors_origins = ?config.cors_origins,
        "configuration"
    );
    match crate::serve_with(listener, config, shutdown).await {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("gradtrace: server error: {error}");
            ExitCode::from(2)
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is called, not when
/// the future is first polled: the service says it is listening only once a SIGTERM would be
/// caught (before, one sent right after that line killed the process). A signal that cannot be
/// watched never fires, rather than firing at once and stopping the server for no reason.
pub fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let (mut interrupt, mut terminate) = {
        use tokio::signal::unix::{signal, SignalKind};
        (
            signal(SignalKind::interrupt()).ok(),
            signal(SignalKind::terminate()).ok(),
        )
    };
    async move {
        #[cfg(unix)]
        {
            let interrupt = async {
                match interrupt.as_mut() {
                    Some(signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            let terminate = async {
                match terminate.as_mut() {
                    Some(signal) => {
                        signal.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            tokio::select! {
                () = interrupt => {},
                () = terminate => {},
            }
        }
        #[cfg(not(unix))]
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
        tracing::info!("shutdown signal received; finishing requests in flight");
    }
}

fn solve(args: &SolveArgs) -> ExitCode {
    init_tracing("warn");
    if args.standalone && args.format != CliFormat::Latex {
        eprintln!("gradtrace: --standalone makes a whole LaTeX document; it needs --format latex");
        return ExitCode::from(2);
    }
    let bytes = match read_input(&args.file) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("gradtrace: cannot read {}: {error}", args.file.display());
            return ExitCode::from(2);
        }
    };
    let precision = args.precision.map(Precision::from_digits);
    if args.stream {
        return solve_stream(&bytes, args, precision);
    }
    let format = match args.format {
        CliFormat::Json => Format::Json,
        CliFormat::Markdown => Format::Markdown,
        CliFormat::Latex => Format::Latex,
    };
    let detail = effective_detail(format, args.detail.into());
    let result = parse(&bytes).and_then(|body| solve_body_with(&body, &args.limits, detail));
    match result {
        // Compact JSON is the service's own bytes; pretty JSON is re-laid out.
        Ok(response) if args.format == CliFormat::Json && args.compact => {
            print_compact(&response, precision)
        }
        Ok(response) if args.format == CliFormat::Json => {
            print_json(&response.view(precision), false)
        }
        Ok(response) => match rendered_text(&response, format, precision, args.standalone) {
            Ok(text) => write_stdout(text.as_bytes()),
            Err(error) => print_problem(&error, args.compact),
        },
        Err(error) => rejected(&error, args.compact),
    }
}

/// `solve --stream`: the endpoint's NDJSON, line by line as it is computed.
fn solve_stream(bytes: &[u8], args: &SolveArgs, precision: Option<Precision>) -> ExitCode {
    let detail: Detail = args.detail.into();
    let valid = parse(bytes).and_then(|body| {
        Ok(validate::problem_sized(
            &body,
            &args.limits,
            sizing(Format::Ndjson, detail),
        )?)
    });
    let valid = match valid {
        Ok(valid) => valid,
        Err(error) => return rejected(&error, true),
    };
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    let mut failed = None;
    produce(valid, detail.into(), precision, |line, end| {
        // Each line is flushed as it is computed, as the endpoint sends it.
        let written = stdout.write_all(&line).and_then(|()| stdout.flush());
        match written {
            Ok(()) => !end,
            Err(error) => {
                failed = Some(error);
                false
            }
        }
    });
    match failed {
        None => ExitCode::SUCCESS,
        // A closed pipe (`gradtrace solve --stream p.json | head`) is the reader's choice.
        Some(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Some(error) => {
            eprintln!("gradtrace: cannot write to stdout: {error}");
            ExitCode::from(2)
        }
    }
}

fn grade(args: &GradeArgs) -> ExitCode {
    init_tracing("warn");
    let bytes = match read_input(&args.file) {
        Ok(bytes) => bytes,
        Err(error) => {
            eprintln!("gradtrace: cannot read {}: {error}", args.file.display());
            return ExitCode::from(2);
        }
    };
    let graded =
        parse(&bytes).and_then(|body| grade_body_with(&body, args.format.into(), &args.limits));
    match graded {
        // The endpoint's own encoder, so `--compact` is the response body byte for byte.
        Ok(value) if args.compact => match encode(&value) {
            Ok(bytes) => write_stdout(&bytes),
            Err(error) => print_problem(&error, true),
        },
        Ok(value) => print_json(&value, false),
        Err(error) => rejected(&error, args.compact),
    }
}

fn read_input(file: &PathBuf) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if file.as_os_str() == "-" {
        io::stdin().lock().read_to_end(&mut bytes)?;
    } else {
        bytes = std::fs::read(file)?;
    }
    Ok(bytes)
}

fn print_problem(error: &Error, compact: bool) -> ExitCode {
    let problem = error.problem();
    if compact {
        write_stdout(&problem.to_json())
    } else {
        print_json(&problem, false)
    }
}

/// The problem+json of a rejected input on stdout; exit 1 (or 2 if stdout failed).
fn rejected(error: &Error, compact: bool) -> ExitCode {
    let code = print_problem(error, compact);
    if code == ExitCode::SUCCESS {
        ExitCode::from(1)
    } else {
        code
    }
}

/// Print a value as JSON with a trailing newline.
fn print_json(value: &impl Serialize, compact: bool) -> ExitCode {
    let text = if compact {
        json::to_vec(value)
    } else {
        json::to_vec_pretty(value)
    };
    match text {
        Ok(bytes) => write_stdout(&bytes),
        Err(error) => {
            eprintln!("gradtrace: cannot serialize the output: {error}");
            ExitCode::from(2)
        }
    }
}

/// The service's compact JSON of a solved problem, written to stdout as it is produced (a long
/// summary or trace needs no buffer of its whole size), with a trailing newline.
fn print_compact(
    response: &crate::wire::model::SolveResponse,
    precision: Option<crate::solve::expr::Precision>,
) -> ExitCode {
    let mut stdout = io::stdout().lock();
    let mut written = Ok(());
    let mut out = Vec::new();
    response.write_json_spilling(&mut out, precision, &mut |bytes: &mut Vec<u8>| {
        if written.is_ok() {
            written = stdout.write_all(bytes);
        }
        bytes.clear();
    });
    out.push(b'\n');
    let written = written
        .and_then(|()| stdout.write_all(&out))
        .and_then(|()| stdout.flush());
    written_or_exit_code(written)
}

fn write_stdout(bytes: &[u8]) -> ExitCode {
    let mut stdout = io::stdout().lock();
    // One trailing newline, whether or not the text brings its own (the renderings do).
    let newline: &[u8] = if bytes.ends_with(b"\n") { b"" } else { b"\n" };
    let written = stdout
        .write_all(bytes)
        .and_then(|()| stdout.write_all(newline))
        .and_then(|()| stdout.flush());
    written_or_exit_code(written)
}

fn written_or_exit_code(written: io::Result<()>) -> ExitCode {
    match written {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`gradtrace solve p.json | head`) is the reader's choice, not a failure.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("gradtrace: cannot write to stdout: {error}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_command_means_serve_on_the_default_address() {
        let cli = Cli::try_parse_from(["gradtrace"]).map_err(|e| e.to_string());
        let Ok(cli) = cli else { panic!("{cli:?}") };
        assert!(cli.command.is_none());
        assert_eq!(cli.serve.listen.addr.port(), 8080);
    }

    #[test]
    fn grade_takes_a_platform_format() {
        let cli = Cli::try_parse_from(["gradtrace", "grade", "--format", "gradescope", "-"]);
        assert!(matches!(
            cli.map(|c| c.command),
            Ok(Some(Command::Grade(GradeArgs {
                format: CliGradeFormat::Gradescope,
                ..
            })))
        ));
    }

    #[test]
    fn solve_takes_a_file_or_a_dash() {
        let cli = Cli::try_parse_from(["gradtrace", "solve", "-", "--compact"]);
        assert!(matches!(
            cli.map(|c| c.command),
            Ok(Some(Command::Solve(SolveArgs { compact: true, .. })))
        ));
    }
}

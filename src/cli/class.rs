//! `gradtrace variants FILE|-` and `gradtrace compare FILE|-`: the class endpoints with no
//! server, through the very use cases behind `POST /v1/variants` and `POST /v1/compare`.
//!
//! `variants` prints NDJSON — one line per variant, each the compact JSON of one item of the
//! endpoint's `variants` — or, with `--out DIR`, writes one pretty JSON file per variant
//! (`variant-000.json`, …) and prints nothing on stdout. `compare` prints the endpoint's JSON
//! or its Markdown table. Exit status as `solve`'s: 1 with the problem+json on stdout when the
//! input is rejected, 2 when a file cannot be read or written.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::{init_tracing, print_json, read_input, rejected, write_stdout, CliDetail};
use crate::config::Limits;
use crate::solve::number::Precision;
use crate::usecase::compare::{compare_body_with, effective_detail, CompareFormat as Rendering};
use crate::usecase::variants::variants_body_with;
use crate::usecase::{encode, parse, Error};
use crate::wire::class::VariantResult;

pub(super) const AFTER_HELP: &str = "\
Exit status:
  0  success
  1  the input was rejected; the problem+json error the endpoint would return (400 or 422)
     is printed to stdout
  2  usage error, or a file could not be read or written (message on stderr)";

#[derive(Debug, Args)]
pub(super) struct VariantsArgs {
    /// The body of POST /v1/variants (`template`, `count`, `seed`, `start`): a file, or `-`
    /// for stdin.
    file: PathBuf,
    /// Write one pretty JSON file per variant into this directory (created if needed) instead
    /// of NDJSON on stdout.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// How much of each solution, as `?detail=`: every step with its worked lines (default),
    /// every step's values without lines, or a summary with no steps.
    #[arg(long, value_enum, default_value = "lines")]
    detail: CliDetail,
    /// The same limits as `serve`, so a request the service refuses is refused here too.
    #[command(flatten)]
    limits: Limits,
}

#[derive(Debug, Args)]
pub(super) struct CompareArgs {
    /// The body of POST /v1/compare (`problem`, `configurations`, `loss_threshold`): a file, or
    /// `-` for stdin.
    file: PathBuf,
    /// Print the JSON (default) or the comparison table in Markdown, as `?format=` does.
    #[arg(long, value_enum, default_value = "json")]
    format: CompareFormat,
    /// Significant figures of the table's numbers (default 4; 0 = in full), as `?precision=`.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=17))]
    precision: Option<u32>,
    /// Print compact JSON, byte for byte what the endpoint sends, instead of pretty JSON.
    #[arg(long)]
    compact: bool,
    /// A summary of each configuration (default), or also its steps with their values or
    /// their worked lines, as `?detail=` (the Markdown table is always the summary).
    #[arg(long, value_enum, default_value = "summary")]
    detail: CliDetail,
    /// The same limits as `serve`, so a request the service refuses is refused here too.
    #[command(flatten)]
    limits: Limits,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CompareFormat {
    Json,
    Markdown,
}

pub(super) fn variants(args: &VariantsArgs) -> ExitCode {
    init_tracing("warn");
    let body = match read_body(&args.file) {
        Ok(body) => body,
        Err(code) => return code,
    };
    let response =
        match body.and_then(|body| variants_body_with(&body, &args.limits, args.detail.into())) {
            Ok(response) => response,
            Err(error) => return rejected(&error, false),
        };
    match &args.out {
        Some(dir) => match write_files(dir, &response.variants) {
            Ok(count) => {
                eprintln!(
                    "gradtrace: wrote {} to {}",
                    crate::solve::expr::count(count, "variant", "variants"),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("gradtrace: cannot write to {}: {error}", dir.display());
                ExitCode::from(2)
            }
        },
        None => write_ndjson(&response.variants),
    }
}

pub(super) fn compare(args: &CompareArgs) -> ExitCode {
    init_tracing("warn");
    let body = match read_body(&args.file) {
        Ok(body) => body,
        Err(code) => return code,
    };
    let format = match args.format {
        CompareFormat::Json => Rendering::Json,
        CompareFormat::Markdown => Rendering::Markdown,
    };
    let precision = args.precision.map(Precision::from_digits);
    let detail = effective_detail(format, args.detail.into());
    let compared = body.and_then(|body| compare_body_with(&body, &args.limits, detail, precision));
    let compared = match compared {
        Ok(compared) => compared,
        Err(error) => return rejected(&error, args.compact),
    };
    match args.format {
        CompareFormat::Markdown => write_stdout(compared.markdown(precision).as_bytes()),
        CompareFormat::Json if args.compact => match encode(&compared.response) {
            Ok(bytes) => write_stdout(&bytes),
            Err(error) => rejected(&error, true),
        },
        CompareFormat::Json => print_json(&compared.response, false),
    }
}

/// The input parsed as JSON (a syntax error is the endpoint's 400), or the exit code of a file
/// that cannot be read.
pub(super) fn read_body(file: &PathBuf) -> Result<Result<serde_json::Value, Error>, ExitCode> {
    match read_input(file) {
        Ok(bytes) => Ok(parse(&bytes)),
        Err(error) => {
            eprintln!("gradtrace: cannot read {}: {error}", file.display());
            Err(ExitCode::from(2))
        }
    }
}

fn write_ndjson(variants: &[VariantResult]) -> ExitCode {
    let mut stdout = io::stdout().lock();
    for variant in variants {
        let written = encode(variant)
            .map_err(|e| io::Error::other(format!("{e:?}")))
            .and_then(|mut line| {
                line.push(b'\n');
                stdout.write_all(&line)
            });
        match written {
            Ok(()) => {}
            // A closed pipe (`gradtrace variants t.json | head -1`) is the reader's choice.
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
            Err(error) => {
                eprintln!("gradtrace: cannot write to stdout: {error}");
                return ExitCode::from(2);
            }
        }
    }
    match stdout.flush() {
        Err(error) if error.kind() != io::ErrorKind::BrokenPipe => {
            eprintln!("gradtrace: cannot write to stdout: {error}");
            ExitCode::from(2)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// One file per variant, named by its index padded to the widest index (at least 3 digits,
/// so a class's files sort in order).
fn write_files(dir: &Path, variants: &[VariantResult]) -> io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let width = variants
        .iter()
        .map(|v| v.index.to_string().len())
        .max()
        .unwrap_or(0)
        .max(3);
    for variant in variants {
        let mut text = crate::wire::json::to_vec_pretty(variant).map_err(io::Error::other)?;
        text.push(b'\n');
        let path = dir.join(format!("variant-{:0width$}.json", variant.index));
        std::fs::write(path, text)?;
    }
    Ok(variants.len())
}

//! Every shell example of the README and of the reference pages in `docs/` works as written and
//! prints what the page shows.
//!
//! The convention, for whoever writes an example:
//! - A ```sh block is run under `bash -euo pipefail` from the repository root, against a real
//!   server on a free port: `localhost:8080` and `127.0.0.1:8080` are pointed at it, and
//!   `gradtrace` (as after `cargo install --path .`) and `cargo run --release -q --` are the
//!   test's own binary. The set-up commands (`cargo run --release`, `cargo test`,
//!   `cargo install --path .`) are not run. A command that must not run here (Docker, a
//!   grading platform's paths) goes in a ```shell block instead.
//! - The ```text or ```json block right after it (only blank lines between) is its expected
//!   output, and every example has one. It must match the whole of stdout line by line, where a
//!   line `…` stands for any number of lines (none included) and a `…` inside a line for any
//!   text. Every number shown is compared to the digits shown: `0.5016` accepts 0.5015881…, and
//!   `0.06667` accepts 0.0666666…, but not 0.0668 (|actual − shown| ≤ half a unit of the last
//!   digit shown).

use std::path::{Path, PathBuf};
use std::process::Command;

use tokio::net::TcpListener;
use tokio::sync::oneshot;

/// The README's set-up commands: shown, not run (they build, test and install this very crate).
const SETUP_COMMANDS: [&str; 3] = [
    "cargo run --release",
    "cargo test",
    "cargo install --path .",
];

/// The pages whose examples are run, in the order they are run.
const DOCUMENTS: [&str; 6] = [
    "README.md",
    "docs/contract.md",
    "docs/grading.md",
    "docs/class.md",
    "docs/cli.md",
    "docs/operations.md",
];

/// Pages under `docs/` whose ```sh blocks are not run here: the LaTeX page's need pdflatex and
/// files of their own, and its test compiles the renderings itself.
const NOT_RUN: [&str; 1] = ["docs/latex.md"];

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fenced block of a Markdown page.
#[derive(Debug, Clone, PartialEq)]
struct Fence {
    /// The info string: `sh`, `text`, `json`, …
    language: String,
    text: String,
    /// 1-based line numbers of the opening and closing fence.
    opens: usize,
    closes: usize,
}

fn fences(page: &str) -> Vec<Fence> {
    let mut fences = Vec::new();
    let mut open: Option<Fence> = None;
    for (number, line) in page.lines().enumerate().map(|(i, l)| (i + 1, l.trim_end())) {
        match open.as_mut() {
            None => {
                if let Some(language) = line.strip_prefix("```") {
                    open = Some(Fence {
                        language: language.trim().to_string(),
                        text: String::new(),
                        opens: number,
                        closes: number,
                    });
                }
            }
            Some(fence) if line == "```" => {
                fence.closes = number;
                fences.extend(open.take());
            }
            Some(fence) => {
                fence.text.push_str(line);
                fence.text.push('\n');
            }
        }
    }
    fences
}

/// One runnable example: the command and the output the page shows for it.
#[derive(Debug, Clone)]
struct Example {
    place: String,
    command: String,
    shown: Option<String>,
}

/// The ```sh blocks of a page, each with the ```text or ```json block right after it.
fn examples(path: &str, page: &str) -> Vec<Example> {
    let lines: Vec<&str> = page.lines().collect();
    let fences = fences(page);
    let mut examples = Vec::new();
    for (i, fence) in fences.iter().enumerate() {
        if fence.language != "sh" {
            continue;
        }
        let shown = fences.get(i + 1).filter(|next| {
            matches!(next.language.as_str(), "text" | "json")
                && lines
                    .get(fence.closes..next.opens - 1)
                    .is_some_and(|between| between.iter().all(|l| l.trim().is_empty()))
        });
        examples.push(Example {
            place: format!("{path}:{}", fence.opens),
            command: fence.text.clone(),
            shown: shown.map(|s| s.text.clone()),
        });
    }
    examples
}

/// A piece of an expected line.
#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    /// A number as shown, and how far the actual one may be from it.
    Number {
        value: f64,
        tolerance: f64,
    },
    /// `…`: any text.
    Gap,
}

/// The length in bytes of the number at the start of `text` (`-0.25`, `3.99e-05`), if any.
fn number_at(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let digits = |from: usize| {
        bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let mut end = usize::from(bytes.first() == Some(&b'-'));
    let whole = digits(end);
    if whole == 0 {
        return None;
    }
    end += whole;
    if bytes.get(end) == Some(&b'.') && digits(end + 1) > 0 {
        end += 1 + digits(end + 1);
    }
    if matches!(bytes.get(end), Some(b'e' | b'E')) {
        let sign = usize::from(matches!(bytes.get(end + 1), Some(b'-' | b'+')));
        let exponent = digits(end + 1 + sign);
        if exponent > 0 {
            end += 1 + sign + exponent;
        }
    }
    Some(end)
}

/// Half a unit of the last digit of a number as written: `0.5016` → 0.00005, `4` → 0.5.
fn half_unit(written: &str) -> f64 {
    let (mantissa, exponent) = match written.find(['e', 'E']) {
        Some(at) => (
            &written[..at],
            written[at + 1..].parse::<i32>().unwrap_or(0),
        ),
        None => (written, 0),
    };
    let decimals = mantissa.find('.').map_or(0, |dot| mantissa.len() - dot - 1) as i32;
    0.5 * 10f64.powi(exponent - decimals)
}

fn pieces(line: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let number = number_at(rest).and_then(|len| {
            let written = &rest[..len];
            written
                .parse::<f64>()
                .ok()
                .map(|value| (len, value, half_unit(written)))
        });
        if let Some((len, value, tolerance)) = number {
            pieces.extend((!text.is_empty()).then(|| Piece::Text(std::mem::take(&mut text))));
            pieces.push(Piece::Number { value, tolerance });
            rest = &rest[len..];
        } else if c == '…' {
            pieces.extend((!text.is_empty()).then(|| Piece::Text(std::mem::take(&mut text))));
            pieces.push(Piece::Gap);
            rest = &rest[c.len_utf8()..];
        } else {
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    pieces.extend((!text.is_empty()).then_some(Piece::Text(text)));
    pieces
}

/// Whether `actual` (all of it) matches the pieces.
fn line_matches(pieces: &[Piece], actual: &str) -> bool {
    match pieces.split_first() {
        None => actual.is_empty(),
        Some((Piece::Text(text), rest)) => actual
            .strip_prefix(text.as_str())
            .is_some_and(|after| line_matches(rest, after)),
        Some((Piece::Number { value, tolerance }, rest)) => {
            let Some(len) = number_at(actual) else {
                return false;
            };
            let close = actual[..len]
                .parse::<f64>()
                .is_ok_and(|got| (got - value).abs() <= tolerance * (1.0 + 1e-9));
            close && line_matches(rest, &actual[len..])
        }
        Some((Piece::Gap, rest)) => actual
            .char_indices()
            .map(|(at, _)| at)
            .chain([actual.len()])
            .any(|at| line_matches(rest, &actual[at..])),
    }
}

/// The lines of a text without trailing blanks, each without trailing spaces.
fn trimmed_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// Whether the whole of `actual` matches `shown`, a `…` line standing for any lines.
fn output_matches(shown: &str, actual: &str) -> bool {
    let expected: Vec<Option<Vec<Piece>>> = trimmed_lines(shown)
        .into_iter()
        .map(|line| (line != "…").then(|| pieces(line)))
        .collect();
    let actual = trimmed_lines(actual);
    // matches[i][j]: expected[i..] matches actual[j..].
    let mut matches = vec![vec![false; actual.len() + 1]; expected.len() + 1];
    matches[expected.len()][actual.len()] = true;
    for i in (0..expected.len()).rev() {
        for j in (0..=actual.len()).rev() {
            matches[i][j] = match &expected[i] {
                None => matches[i + 1][j] || (j < actual.len() && matches[i][j + 1]),
                Some(pieces) => {
                    j < actual.len() && matches[i + 1][j + 1] && line_matches(pieces, actual[j])
                }
            };
        }
    }
    matches[0][0]
}

fn read(path: &str) -> String {
    std::fs::read_to_string(repository().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn shown_output_is_compared_to_the_digits_shown() {
    let actual = "{\"final_weights\": [0.5015881851492551, 0.5009103620191324]}\n";
    assert!(output_matches(
        "{\"final_weights\": [0.5016, 0.5009]}",
        actual
    ));
    assert!(output_matches("{\"final_weights\": [0.50159, …]}", actual));
    assert!(!output_matches(
        "{\"final_weights\": [0.5015, 0.5009]}",
        actual
    ));
    assert!(!output_matches("{\"final_weights\": [0.5016]}", actual));
    assert!(!output_matches(
        "{\"final_weights\": [5016, 0.5009]}",
        actual
    ));
    assert!(output_matches("3.99e-5", "3.99e-05"));
    assert!(!output_matches("3.99e-5", "3.99e-04"));
    assert!(output_matches("0.06667", "0.06666666666666667"));
    assert!(!output_matches("0.06667", "0.0668"));
    assert!(output_matches("-0.002659", "-0.0026588"));
    assert!(!output_matches("-0.002659", "0.002659"));
}

#[test]
fn an_elided_line_stands_for_any_lines_and_the_rest_must_be_there_in_order() {
    let actual = "a 1\nb 2\nc 3\nd 4\n\n";
    assert!(output_matches("a 1\n…\nd 4", actual));
    assert!(output_matches("…\nb 2\nc 3\n…", actual));
    assert!(output_matches("a 1\nb 2\n…\nc 3\nd 4", actual));
    assert!(
        !output_matches("a 1\n…\nc 3", actual),
        "the end is anchored"
    );
    assert!(!output_matches("b 2\n…", actual), "the start is anchored");
    assert!(
        !output_matches("a 1\nc 3\n…", actual),
        "no line skipped without `…`"
    );
    assert!(!output_matches("…\nc 3\nb 2\n…", actual), "in order");
    assert!(output_matches(
        "x-request-id: …",
        "x-request-id: 4bd48cf5-d10a"
    ));
}

#[test]
fn an_example_is_a_sh_block_with_the_output_block_right_after_it() {
    let page = "Text.\n\n```sh\necho 1\n```\n\n```text\n1\n```\n\n```sh\necho 2\n```\n\
                Prose.\n\n```json\n2\n```\n";
    let found = examples("page.md", page);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].command, "echo 1\n");
    assert_eq!(found[0].shown.as_deref(), Some("1\n"));
    assert_eq!(found[0].place, "page.md:3");
    assert_eq!(found[1].shown, None, "prose between: not its output");
}

/// Every page under `docs/` with runnable examples is either run or named as not run, so an
/// example added to a new page cannot go unchecked.
#[test]
fn every_page_with_examples_is_run() {
    let Ok(entries) = std::fs::read_dir(repository().join("docs")) else {
        panic!("docs/ is missing");
    };
    for entry in entries.flatten() {
        let path = format!("docs/{}", entry.file_name().to_string_lossy());
        if !path.ends_with(".md") || NOT_RUN.contains(&path.as_str()) {
            continue;
        }
        let runnable = fences(&read(&path)).iter().any(|f| f.language == "sh");
        assert!(
            !runnable || DOCUMENTS.contains(&path.as_str()),
            "{path} has ```sh examples: add it to DOCUMENTS (or NOT_RUN) in tests/api/readme.rs"
        );
    }
}

fn run(command: &str, binary: &Path, addr: &str) -> std::process::Output {
    let script = command
        .replace("localhost:8080", addr)
        .replace("127.0.0.1:8080", addr)
        .replace("cargo run --release -q --", &binary.display().to_string());
    let bin_dir = binary.parent().map(Path::to_path_buf).unwrap_or_default();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("bash")
        .args(["-euo", "pipefail", "-c", &script])
        .current_dir(repository())
        .env("PATH", path)
        .output()
        .expect("bash runs")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_works_as_written_and_prints_what_is_shown() {
    let readme = read("README.md");
    let readme_blocks: Vec<String> = fences(&readme)
        .into_iter()
        .filter(|f| f.language == "sh")
        .map(|f| f.text.trim().to_string())
        .collect();
    for setup in SETUP_COMMANDS {
        let shown = readme_blocks.iter().filter(|b| *b == setup).count();
        assert_eq!(shown, 1, "the README shows `{setup}` once, on its own");
    }

    let mut all = Vec::new();
    for path in DOCUMENTS {
        let found: Vec<Example> = examples(path, &read(path))
            .into_iter()
            .filter(|e| !SETUP_COMMANDS.contains(&e.command.trim()))
            .collect();
        assert!(!found.is_empty(), "{path} has no example");
        all.extend(found);
    }
    let quick_start = all.iter().filter(|e| e.place.starts_with("README")).count();
    assert!(
        (4..=8).contains(&quick_start),
        "the README's quick start has {quick_start} examples"
    );

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let (stop, stopped) = oneshot::channel::<()>();
    let server = tokio::spawn(gradtrace::serve(listener, async {
        let _ = stopped.await;
    }));

    let binary = PathBuf::from(env!("CARGO_BIN_EXE_gradtrace"));
    for example in all {
        let Example {
            place,
            command,
            shown,
        } = example;
        let Some(shown) = shown else {
            panic!("{place}: the example shows no output (a ```text block right after it)");
        };
        let (binary, addr) = (binary.clone(), addr.clone());
        let output = tokio::task::spawn_blocking(move || run(&command, &binary, &addr))
            .await
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success(),
            "{place}: the example failed\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        assert!(
            output_matches(&shown, &stdout),
            "{place}: the output is not what the page shows\n--- shown:\n{shown}\n--- printed:\n\
             {stdout}\n--- stderr:\n{stderr}"
        );
    }

    let _ = stop.send(());
    server.await.unwrap().unwrap();
}

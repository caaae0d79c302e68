//! Solving one problem (docs/contract.md §7, §12): validate, run the core, assemble the
//! response, render it — the `POST /v1/solve` endpoint's work and `gradtrace solve`'s, so both
//! give the same output for the same problem. The stream is [`super::stream`].

use serde::Deserialize;
use utoipa::ToSchema;

use super::error::Error;
use crate::config::{Limits, Sizing};
use crate::render;
use crate::solve;
use crate::solve::expr::{Precision, DEFAULT_PRECISION};
use crate::wire::model::{Detail, SolveResponse};
use crate::wire::validate::{self, ValidProblem};

/// How a solution is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// The JSON trace (docs/contract.md §7).
    Json,
    /// A page that reads like the course's solution pages: a heading per update, one equation
    /// per line.
    Markdown,
    /// A LaTeX fragment: a `\subsection*` and an `align*` block per update, in ASCII, that
    /// compiles with pdflatex after `\documentclass{article}\usepackage{amsmath}`
    /// (`standalone=true` gives the whole document; docs/latex.md).
    Latex,
    /// NDJSON, one line per update as it is computed (docs/contract.md §12).
    Ndjson,
}

/// The detail a response in `format` is computed at: the Markdown and LaTeX renderings are
/// the worked lines, so they are always at `lines` (and its limits), whatever was asked.
pub fn effective_detail(format: Format, detail: Detail) -> Detail {
    match format {
        Format::Markdown | Format::Latex => Detail::Lines,
        Format::Json | Format::Ndjson => detail,
    }
}

/// The size caps of a response in `format` at `detail`: a stream's (updates) for the steps of
/// a stream; a stream at `summary` has no step lines and is held to the summary's.
pub fn sizing(format: Format, detail: Detail) -> Sizing {
    match (format, effective_detail(format, detail)) {
        (Format::Ndjson, Detail::Lines | Detail::Values) => Sizing::Stream,
        (_, detail) => Sizing::Detail(detail.into()),
    }
}

/// The body text of a solved problem in the chosen format (the CLI prints it); `standalone`
/// makes the LaTeX a whole document.
pub fn rendered_text(
    response: &SolveResponse,
    format: Format,
    precision: Option<Precision>,
    standalone: bool,
) -> Result<String, Error> {
    let display = precision.unwrap_or(DEFAULT_PRECISION);
    match format {
        // Hand-rounded lines keep their rounded digits whatever is asked (`Line::shown`).
        Format::Json => {
            let mut out = Vec::new();
            response.write_json(&mut out, precision);
            String::from_utf8(out)
                .map_err(|error| Error::Internal(format!("cannot serialize: {error}")))
        }
        Format::Ndjson => Err(Error::Internal(
            "a stream is written line by line by usecase::stream, not rendered whole".to_string(),
        )),
        Format::Markdown => Ok(render::markdown(
            &response.core_problem,
            &response.solution,
            display,
        )),
        Format::Latex if standalone => Ok(render::latex_document(
            &response.core_problem,
            &response.solution,
            display,
        )),
        Format::Latex => Ok(render::latex(
            &response.core_problem,
            &response.solution,
            display,
        )),
    }
}

/// Validate and solve an already parsed body within `limits` at `detail`, synchronously (the
/// CLI).
pub fn solve_body_with(
    body: &serde_json::Value,
    limits: &Limits,
    detail: Detail,
) -> Result<SolveResponse, Error> {
    let valid = validate::problem_sized(body, limits, Sizing::Detail(detail.into()))?;
    Ok(respond_at(valid, detail.into()))
}

/// Run the core on a validated problem at `detail` and assemble the response.
pub fn respond_at(valid: ValidProblem, detail: solve::Detail) -> SolveResponse {
    let ValidProblem {
        problem,
        warnings,
        echo,
    } = valid;
    let mut solution = solve::solve_detail(&problem, detail);
    complete_warnings(&mut solution.warnings, warnings, &problem);
    SolveResponse {
        algorithm: echo.algorithm,
        problem: echo,
        solution,
        core_problem: problem,
    }
}

/// A solution's warnings as a response gives them: the validation's first, then the run's,
/// then the course's errata that concern the problem.
pub fn complete_warnings(
    run: &mut Vec<solve::Warning>,
    validation: Vec<solve::Warning>,
    problem: &solve::Problem,
) {
    run.splice(0..0, validation);
    run.extend(crate::course::examples::errata_warnings(problem));
}

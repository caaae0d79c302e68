//! `POST /v1/grade`: a problem and a student's answers in, a grade out — as the
//! [`GradeReport`](crate::grade::GradeReport) or as PrairieLearn's, Gradescope's or CodeRunner's
//! results JSON (`?format=`). The work is `usecase::grade`'s.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::Deserialize;
use utoipa::IntoParams;

use super::error::{ApiError, ProblemDetails};
use super::extract::{self, ApiJson, QueryResult};
use super::overload::blocking;
use crate::config::Limits;
use crate::course::requests::{grade_example_output, grade_example_rejection};
use crate::grade::Format;
use crate::usecase::encode;
use crate::usecase::grade::grade_body_with;
use crate::wire::model::{GradeOutput, GradeRequest};

/// Query parameters of `POST /v1/grade`.
#[derive(Debug, Clone, Copy, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct GradeQuery {
    /// `json` (default): the grade report; `prairielearn`, `gradescope` or `coderunner`: the
    /// results file that platform's grader reads, ready to write as it is.
    #[param(inline, example = "gradescope")]
    pub format: Option<Format>,
}

impl GradeQuery {
    /// The format asked for, or the 400 of a query that is not understood.
    pub fn read(query: QueryResult<GradeQuery>) -> Result<Format, ApiError> {
        let query = extract::query(
            query,
            "`format` is json, prairielearn, gradescope or coderunner.",
        )?;
        Ok(query.format.unwrap_or_default())
    }
}

/// Grade a student's answers to a problem, step by step.
#[utoipa::path(
    post,
    path = "/v1/grade",
    tag = "grade",
    params(GradeQuery),
    request_body(
        content = GradeRequest,
        description = "The problem (the body of `POST /v1/solve`), the answers, a tolerance and a \
                       carry-forward strategy. The example is the course's momentum exercise \
                       answered by a student who wrote the velocity without its (1 − β) factor \
                       and carried the slip forward correctly.",
        content_type = "application/json"
    ),
    responses(
        (status = 200, description = "The grade, in the `format` asked for: a `GradeReport` \
                                      (`json`, the default) or a platform's results JSON",
         content((GradeOutput = "application/json", examples(
            ("json" = (summary = "format=json: the grade report",
                       value = json!(grade_example_output(Format::Json)))),
            ("prairielearn" = (summary = "format=prairielearn: PrairieLearn's results.json",
                               value = json!(grade_example_output(Format::Prairielearn)))),
            ("gradescope" = (summary = "format=gradescope: Gradescope's results.json",
                             value = json!(grade_example_output(Format::Gradescope)))),
            ("coderunner" = (summary = "format=coderunner: CodeRunner's combinator grader JSON",
                             value = json!(grade_example_output(Format::Coderunner))))
         )))),
        (status = 400, description = "The body is not JSON (with line and column), or `format` is not one of those listed", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 413, description = "The body is over 1 MiB", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = ProblemDetails, content_type = "application/problem+json"),
        (status = 422, description = "The request breaks the contract: `errors` names every violation by JSON pointer — the problem's under `/problem`, the answers' under `/answers/<i>` (an unknown key, a wrong type, a malformed pointer, a step or symbol the solution does not have)", body = ProblemDetails, content_type = "application/problem+json",
         example = json!(grade_example_rejection()))
    )
)]
pub async fn grade(
    query: QueryResult<GradeQuery>,
    Extension(limits): Extension<Limits>,
    ApiJson(body): ApiJson,
) -> Result<Response, ApiError> {
    let format = GradeQuery::read(query)?;
    let graded = blocking(move || grade_body_with(&body, format, &limits)).await??;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        encode(&graded)?,
    )
        .into_response())
}

//! A grade report in the JSON that auto-grading platforms read, as pure functions of the report,
//! so a grader script is one request and one file write. Field names and types follow each
//! platform's own documentation, cited on each type; no I/O here.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use utoipa::ToSchema;

use super::{AnswerResult, CarryForwardUsed, GradeReport, IntervalEnds};
use crate::solve::expr::{count, format_number, Precision};

/// Which JSON a grade is returned as (`?format=` of `POST /v1/grade`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// The [`GradeReport`] itself.
    #[default]
    Json,
    /// [`PrairieLearnResults`].
    Prairielearn,
    /// [`GradescopeResults`].
    Gradescope,
    /// [`CodeRunnerResult`].
    Coderunner,
}

/// PrairieLearn's external-grader `results.json` (PrairieLearn docs, "External Grading" →
/// "Grading results", `docs/externalGrading.md` in PrairieLearn/PrairieLearn): `score` a float in
/// [0, 1] (the one mandatory field), `gradable` (false only for unparseable submissions),
/// `message`, `output`, and `tests` as `<pl-external-grader-results>` renders them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PrairieLearnResults {
    /// Always true: answers that cannot be graded are a 422, never a result.
    pub gradable: bool,
    /// In [0, 1].
    pub score: f64,
    /// A one-line summary.
    pub message: String,
    /// Every answer's feedback line.
    pub output: String,
    pub tests: Vec<PrairieLearnTest>,
}

/// One entry of PrairieLearn's `tests`: `name`, `description`, `points`, `max_points`,
/// `message`, `output` (same source).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PrairieLearnTest {
    pub name: String,
    /// The quantity and its formula.
    pub description: String,
    pub points: f64,
    pub max_points: f64,
    /// The feedback line.
    pub message: String,
    /// Expected, given and the accepted interval.
    pub output: String,
}

/// Gradescope's autograder `results.json` (Gradescope autograder docs, "Autograder
/// Specifications" → "Output format", `docs/specs.md` in gradescope/autograder_samples): a
/// top-level `score` (points; it overrides the tests' total, and here equals it), `output`, and
/// `tests` with `score`, `max_score`, `status`, `name`, `output`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GradescopeResults {
    /// Points: `Σ weight·correct`.
    pub score: f64,
    /// A summary for the whole submission.
    pub output: String,
    pub tests: Vec<GradescopeTest>,
}

/// A Gradescope test case's `status` ("Test case status" in the same document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GradescopeStatus {
    Passed,
    Failed,
}

/// One Gradescope test case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GradescopeTest {
    pub name: String,
    pub score: f64,
    pub max_score: f64,
    pub status: GradescopeStatus,
    /// The feedback line, then expected, given and the accepted interval.
    pub output: String,
}

/// CodeRunner's combinator template grader output (CodeRunner docs, "Combinator-template
/// grading", `docs/index.md` in trampgeek/moodle-qtype_coderunner; checked against
/// `classes/jobrunner.php`, which rejects any field outside its allowed list and a `fraction`
/// outside [0, 1], and `renderer.php`, which shows an `iscorrect` cell as a tick when
/// `(float) cell` is 1 — so the booleans here render as ticks and crosses).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CodeRunnerResult {
    /// The mark, in [0, 1].
    pub fraction: f64,
    /// A table: the first row the column headers `iscorrect`, `Test`, `Expected`, `Got`,
    /// `Feedback`; then one row per answer, a boolean `iscorrect` and strings.
    #[schema(schema_with = testresults_schema)]
    pub testresults: Vec<Vec<Value>>,
    /// HTML shown before the table: the score and the carry-forward strategy used.
    pub prologuehtml: String,
}

/// The schema of [`CodeRunnerResult::testresults`]: rows of booleans and strings (a derived
/// `Vec<Vec<Value>>` would say objects, which no cell is).
fn testresults_schema() -> utoipa::openapi::Array {
    use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, OneOfBuilder, Type};
    let cell = OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Boolean))
        .item(ObjectBuilder::new().schema_type(Type::String));
    ArrayBuilder::new()
        .items(ArrayBuilder::new().items(cell))
        .description(Some(
            "A table: the first row the column headers `iscorrect`, `Test`, `Expected`, `Got`, \
             `Feedback`; then one row per answer, a boolean `iscorrect` and strings.",
        ))
        .build()
}

/// The column headers of [`CodeRunnerResult::testresults`].
pub const CODERUNNER_HEADERS: [&str; 5] = ["iscorrect", "Test", "Expected", "Got", "Feedback"];

fn number(value: f64) -> String {
    format_number(value, Precision::Full, false)
}

/// `expected …, given …, accepted [lo, hi]` (or `(lo, hi)` for an open interval).
fn detail(r: &AnswerResult) -> String {
    let [lo, hi] = r.interval;
    let interval = match r.interval_ends {
        IntervalEnds::Closed => format!("[{}, {}]", number(lo), number(hi)),
        IntervalEnds::Open => format!("({}, {})", number(lo), number(hi)),
    };
    format!(
        "expected {}, given {}, accepted {interval} ({})",
        number(r.expected),
        number(r.given),
        r.tolerance.describe()
    )
}

fn summary(report: &GradeReport) -> String {
    let correct = report.results.iter().filter(|r| r.correct).count();
    let strategy = match report.carry_forward_used {
        CarryForwardUsed::None => "none",
        CarryForwardUsed::Always => "always (judged against your own earlier values)",
    };
    format!(
        "{correct} of {} correct; {} of {} {}; carry forward: {strategy}.",
        count(report.results.len(), "answer", "answers"),
        number(report.points),
        number(report.max_points),
        if report.max_points == 1.0 {
            "point"
        } else {
            "points"
        }
    )
}

/// The report as PrairieLearn's `results.json`.
pub fn prairielearn(report: &GradeReport) -> PrairieLearnResults {
    PrairieLearnResults {
        gradable: true,
        score: report.score,
        message: summary(report),
        output: report
            .results
            .iter()
            .map(|r| r.feedback.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        tests: report
            .results
            .iter()
            .map(|r| PrairieLearnTest {
                name: r.name.clone(),
                description: match &r.formula {
                    Some(f) => format!("{} = {f}", r.quantity),
                    None => r.quantity.clone(),
                },
                points: r.points,
                max_points: r.weight,
                message: r.feedback.clone(),
                output: detail(r),
            })
            .collect(),
    }
}

/// The report as Gradescope's `results.json`.
pub fn gradescope(report: &GradeReport) -> GradescopeResults {
    GradescopeResults {
        score: report.points,
        output: summary(report),
        tests: report
            .results
            .iter()
            .map(|r| GradescopeTest {
                name: r.name.clone(),
                score: r.points,
                max_score: r.weight,
                status: if r.correct {
                    GradescopeStatus::Passed
                } else {
                    GradescopeStatus::Failed
                },
                output: format!("{}\n{}", r.feedback, detail(r)),
            })
            .collect(),
    }
}

/// Escape text for HTML.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The report as CodeRunner's combinator grader JSON.
pub fn coderunner(report: &GradeReport) -> CodeRunnerResult {
    let mut table: Vec<Vec<Value>> = vec![CODERUNNER_HEADERS.iter().map(|h| json!(h)).collect()];
    table.extend(report.results.iter().map(|r| {
        vec![
            json!(r.correct),
            json!(r.name),
            json!(number(r.expected)),
            json!(number(r.given)),
            json!(r.feedback),
        ]
    }));
    CodeRunnerResult {
        fraction: report.score.clamp(0.0, 1.0),
        testresults: table,
        prologuehtml: format!("<p>{}</p>", html(&summary(report))),
    }
}

/// The report in `format`, as JSON.
pub fn render(report: &GradeReport, format: Format) -> Value {
    let value = match format {
        Format::Json => serde_json::to_value(report),
        Format::Prairielearn => serde_json::to_value(prairielearn(report)),
        Format::Gradescope => serde_json::to_value(gradescope(report)),
        Format::Coderunner => serde_json::to_value(coderunner(report)),
    };
    // Every type here serializes (string keys, finite numbers); Null is unreachable.
    value.unwrap_or(Value::Null)
}

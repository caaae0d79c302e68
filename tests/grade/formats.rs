//! Each platform format has exactly the documented field names with the documented types:
//! PrairieLearn's external-grader results.json (`docs/externalGrading.md`, "Grading results"),
//! Gradescope's results.json (`docs/specs.md` of gradescope/autograder_samples, "Output
//! format"), CodeRunner's combinator grader (`docs/index.md` of moodle-qtype_coderunner,
//! "Combinator-template grading", and the allowed-field list of its `combinator_grader_outcome`).

use serde_json::Value;

use gradtrace::grade::{render, CarryForward, Format, GradeReport};

use crate::common::platforms::{
    assert_coderunner, assert_gradescope, assert_prairielearn, number, object,
};
use crate::support::*;

/// A report with right and wrong answers: the course momentum example with one slip in (dw₁)₁,
/// graded without carry-forward, the first answer with a label full of HTML characters.
fn report() -> GradeReport {
    let problem = course_momentum();
    let mut answers = with_slips(&problem, &slip());
    answers[0].label = Some("net input <of> sample 1 & \"more\"".into());
    let report = graded(&problem, &spec(answers, CarryForward::None));
    assert!(report.results.iter().any(|r| r.correct));
    assert!(report.results.iter().any(|r| !r.correct));
    report
}

#[test]
fn prairielearn_results_have_the_documented_fields_and_types() {
    let report = report();
    let json = render(&report, Format::Prairielearn);
    assert_prairielearn(&json);
    let top = object(&json);
    assert_eq!(top["gradable"], Value::Bool(true));
    let score = number(&top["score"]);
    assert!((0.0..=1.0).contains(&score));
    assert_eq!(score, report.score);
    assert!(top["message"].is_string() && top["output"].is_string());
    let tests = top["tests"].as_array().expect("tests is an array");
    assert_eq!(tests.len(), report.results.len());
    for (test, result) in tests.iter().zip(&report.results) {
        let test = object(test);
        for key in ["name", "description", "message", "output"] {
            assert!(test[key].is_string(), "{key} is a string");
        }
        assert_eq!(number(&test["points"]), result.points);
        assert_eq!(number(&test["max_points"]), result.weight);
        assert_eq!(test["message"], Value::String(result.feedback.clone()));
    }
}

#[test]
fn gradescope_results_have_the_documented_fields_and_types() {
    let report = report();
    let json = render(&report, Format::Gradescope);
    assert_gradescope(&json);
    let top = object(&json);
    assert!(top["output"].is_string());
    let tests = top["tests"].as_array().expect("tests is an array");
    let mut total = 0.0;
    for (test, result) in tests.iter().zip(&report.results) {
        let test = object(test);
        let status = test["status"].as_str().expect("status is a string");
        assert_eq!(status, if result.correct { "passed" } else { "failed" });
        assert_eq!(number(&test["score"]), result.points);
        assert_eq!(number(&test["max_score"]), result.weight);
        assert!(test["name"].is_string() && test["output"].is_string());
        total += number(&test["score"]);
    }
    // The top-level score overrides the tests' total (Gradescope's spec); here it is that total.
    assert_eq!(number(&top["score"]), total);
    assert_eq!(total, report.points);
}

#[test]
fn coderunner_results_have_only_allowed_fields_a_fraction_and_a_result_table() {
    let report = report();
    let json = render(&report, Format::Coderunner);
    assert_coderunner(&json);
    let top = object(&json);
    // CodeRunner's jobrunner rejects any other field ("unknowncombinatorgraderfield").
    let fraction = number(&top["fraction"]);
    assert!((0.0..=1.0).contains(&fraction));
    assert_eq!(fraction, report.score);
    let table = top["testresults"]
        .as_array()
        .expect("testresults is a list");
    let header: Vec<&str> = table[0]
        .as_array()
        .expect("rows are lists")
        .iter()
        .map(|h| h.as_str().expect("headers are strings"))
        .collect();
    assert_eq!(
        header,
        vec!["iscorrect", "Test", "Expected", "Got", "Feedback"]
    );
    assert_eq!(table.len(), report.results.len() + 1);
    for (row, result) in table[1..].iter().zip(&report.results) {
        let row = row.as_array().expect("rows are lists");
        assert_eq!(row.len(), header.len());
        assert_eq!(row[0], Value::Bool(result.correct));
        assert!(row[1..].iter().all(Value::is_string));
    }
    // The prologue is HTML; the table cells are plain text that CodeRunner sanitises itself
    // (`%s` columns, its default), so the label goes in unescaped.
    let prologue = top["prologuehtml"]
        .as_str()
        .expect("prologuehtml is a string");
    assert!(prologue.starts_with("<p>") && prologue.ends_with("</p>"));
    assert_eq!(
        table[1].as_array().map(|r| r[1].clone()),
        Some(Value::String("net input <of> sample 1 & \"more\"".into()))
    );
}

#[test]
fn the_json_format_is_the_report_itself() {
    let report = report();
    let json = render(&report, Format::Json);
    assert_eq!(
        json,
        serde_json::to_value(&report).expect("a report serializes")
    );
    let first = object(&json["results"][0]);
    for key in [
        "index",
        "name",
        "address",
        "quantity",
        "formula",
        "expected",
        "solution_value",
        "carried_forward",
        "given",
        "correct",
        "interval",
        "interval_ends",
        "tolerance",
        "feedback",
        "mistake",
        "weight",
        "points",
    ] {
        assert!(first.contains_key(key), "results carry {key}");
    }
    assert_eq!(first["interval"].as_array().map(Vec::len), Some(2));
    assert_eq!(first["tolerance"]["mode"], Value::String("relabs".into()));
}

#[test]
fn formats_read_from_their_query_spelling() {
    for (text, format) in [
        ("\"json\"", Format::Json),
        ("\"prairielearn\"", Format::Prairielearn),
        ("\"gradescope\"", Format::Gradescope),
        ("\"coderunner\"", Format::Coderunner),
    ] {
        assert_eq!(serde_json::from_str::<Format>(text).ok(), Some(format));
    }
}

//! Invalid answers are rejected with every problem at once, each with a JSON pointer into the
//! grade spec that names the answer and a detail that names what was wrong (for a 422).

use gradtrace::grade::{grade, Answer, CarryForward, GradeFieldError, GradeSpec, Tolerance};

use crate::support::*;

fn errors(answers: Vec<Answer>) -> Vec<GradeFieldError> {
    match grade(&course_momentum(), &spec(answers, CarryForward::Always)) {
        Ok(report) => panic!("expected errors, got a report: {report:?}"),
        Err(errors) => errors,
    }
}

fn pointers(errors: &[GradeFieldError]) -> Vec<&str> {
    errors.iter().map(|e| e.pointer.as_str()).collect()
}

/// The error's detail says `words`.
fn assert_says(e: &GradeFieldError, words: &str) {
    assert!(e.detail.contains(words), "{words:?} not in {}", e.detail);
}

fn only(answers: Vec<Answer>) -> GradeFieldError {
    let mut all = errors(answers);
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

#[test]
fn a_pointer_without_a_leading_slash_is_malformed_and_named() {
    let e = only(vec![
        answer_ptr("/final_weights/0", 0.5),
        answer_ptr("steps/0/weights_after/0", 0.5),
    ]);
    assert_eq!(e.pointer, "/answers/1/pointer");
    assert_says(&e, "`steps/0/weights_after/0`");
    assert_says(&e, "must start with `/`");
}

#[test]
fn a_pointer_with_a_bad_escape_is_malformed() {
    let e = only(vec![answer_ptr("/steps/0/we~2ights", 0.5)]);
    assert_eq!(e.pointer, "/answers/0/pointer");
    assert_says(&e, "~0 and `/` as ~1");
}

#[test]
fn a_pointer_past_the_last_step_says_how_many_there_are() {
    let e = only(vec![answer_ptr("/steps/9/weights_after/0", 0.5)]);
    assert_eq!(e.pointer, "/answers/0/pointer");
    assert_says(&e, "/steps has no index 9: it has 2 (indices 0–1)");
}

#[test]
fn a_pointer_to_an_unknown_field_lists_the_fields_there() {
    let e = only(vec![answer_ptr("/steps/0/weight_after/0", 0.5)]);
    assert_says(&e, "/steps/0 has no `weight_after`");
    assert_says(&e, "weights_after");
}

#[test]
fn a_pointer_to_something_other_than_a_number_is_rejected() {
    let e = only(vec![answer_ptr("/steps/0/weights_after", 0.5)]);
    assert_says(&e, "is an array, not a number");
    // The course's neuron has no bias.
    let e = only(vec![answer_ptr("/final_bias", 0.0)]);
    assert_says(&e, "is null");
    let e = only(vec![answer_ptr("", 0.0)]);
    assert_says(&e, "is an object");
    // Array indices are written without leading zeros (RFC 6901).
    let e = only(vec![answer_ptr("/final_weights/01", 0.5)]);
    assert_says(&e, "`01` is not an index");
}

#[test]
fn an_unknown_symbol_is_named_with_the_lines_the_step_has() {
    let e = only(vec![answer_at(1, "(w_3)_2", 0.5)]);
    assert_eq!(e.pointer, "/answers/0/symbol");
    assert_says(&e, "step 1 has no line `(w_3)_2`");
    assert_says(&e, "(w_1)_2, (w_2)_2");
}

#[test]
fn a_step_out_of_range_is_named_with_the_range() {
    let e = only(vec![answer_at(3, "(w_1)_4", 0.5)]);
    assert_eq!(e.pointer, "/answers/0/step");
    assert_eq!(e.detail, "step 3 is out of range: the solution has 2 (1–2)");
    let e = only(vec![answer_at(0, "(w_1)_1", 0.5)]);
    assert_eq!(e.pointer, "/answers/0/step");
}

#[test]
fn an_answer_must_name_its_value_one_way() {
    let mut both = answer_at(1, "(w_1)_2", 0.5);
    both.pointer = Some("/final_weights/0".into());
    let mut neither = answer_ptr("/final_weights/0", 0.5);
    neither.pointer = None;
    let mut step_only = answer_at(1, "(w_1)_2", 0.5);
    step_only.symbol = None;
    let mut symbol_only = answer_at(1, "(w_1)_2", 0.5);
    symbol_only.step = None;
    let all = errors(vec![both, neither, step_only, symbol_only]);
    assert_eq!(
        pointers(&all),
        vec![
            "/answers/0",
            "/answers/1",
            "/answers/2/symbol",
            "/answers/3/step"
        ]
    );
}

#[test]
fn every_invalid_answer_is_reported_at_once_in_order() {
    let mut bad_weight = answer_at(1, "y", 0.69);
    bad_weight.weight = Some(-1.0);
    let mut bad_tolerance = answer_at(1, "y", 0.69);
    bad_tolerance.tolerance = Some(Tolerance::Relabs {
        rtol: 0.01,
        atol: -1.0,
    });
    let all = errors(vec![
        answer_ptr("nope", 1.0),
        answer_at(1, "y", 0.69),
        answer_at(1, "z", 1.0),
        answer_at(5, "y", 1.0),
        bad_weight,
        bad_tolerance,
        answer_at(1, "y", f64::NAN),
    ]);
    assert_eq!(
        pointers(&all),
        vec![
            "/answers/0/pointer",
            "/answers/2/symbol",
            "/answers/3/step",
            "/answers/4/weight",
            "/answers/5/tolerance/atol",
            "/answers/6/value",
        ]
    );
}

#[test]
fn the_grade_wide_tolerance_and_the_answer_list_are_checked() {
    let bad = GradeSpec {
        answers: vec![answer_at(1, "y", 0.69)],
        tolerance: Some(Tolerance::Relabs {
            rtol: f64::INFINITY,
            atol: 0.0,
        }),
        carry_forward: CarryForward::None,
    };
    let e = grade(&course_momentum(), &bad).expect_err("an infinite rtol is rejected");
    assert_eq!(e[0].pointer, "/tolerance/rtol");

    let e = grade(&course_momentum(), &spec(vec![], CarryForward::None))
        .expect_err("no answers is an error");
    assert_eq!(e[0].pointer, "/answers");

    let mut zero = answer_at(1, "y", 0.69);
    zero.weight = Some(0.0);
    let e = grade(&course_momentum(), &spec(vec![zero], CarryForward::None))
        .expect_err("weights adding up to 0 give no score");
    assert_eq!(e[0].pointer, "/answers");
}

#[test]
fn a_grade_spec_reads_from_json_and_rejects_unknown_keys() {
    let spec: GradeSpec = serde_json::from_str(
        r#"{"answers": [{"step": 1, "symbol": "(w_1)_2", "value": 0.5009},
                        {"pointer": "/final_weights/1", "value": 0.5009, "weight": 2,
                         "tolerance": {"mode": "sigfig", "digits": 3}}],
            "carry_forward": "best"}"#,
    )
    .expect("a well-formed spec reads");
    assert_eq!(spec.carry_forward, CarryForward::Best);
    assert_eq!(spec.answers[1].weight, Some(2.0));
    let defaulted: GradeSpec =
        serde_json::from_str(r#"{"answers": [{"pointer": "/final_weights/0", "value": 0.5}]}"#)
            .expect("carry_forward and tolerance are optional");
    assert_eq!(defaulted.carry_forward, CarryForward::None);
    assert!(serde_json::from_str::<GradeSpec>(
        r#"{"answers": [{"pointer": "/final_weights/0", "value": 0.5, "extra": 1}]}"#
    )
    .is_err());
    assert!(
        serde_json::from_str::<GradeSpec>(r#"{"answers": [], "carry_forward": "sometimes"}"#)
            .is_err()
    );
}

//! No input makes the grader panic or write a non-finite number: arbitrary pointers, symbols,
//! steps, values, weights and tolerances, under every strategy, on the course's problems.

use proptest::prelude::*;
use serde_json::Value;

use gradtrace::grade::{grade, render, Answer, CarryForward, Format, GradeSpec, Tolerance};

use crate::support::*;

fn any_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        -2.0..2.0f64,
        Just(0.0),
        Just(1e308),
        Just(-1e308),
        Just(5e-324),
        Just(f64::NAN),
        any::<f64>(),
    ]
}

fn any_pointer() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("/steps/0/weights_after/0".to_string()),
        Just("/steps/1/state/velocity/1".to_string()),
        Just("/final_weights/1".to_string()),
        Just("/loss/final".to_string()),
        Just("/steps/0/lines/3/value".to_string()),
        Just("/steps/99/dw/0".to_string()),
        Just("/steps/-1".to_string()),
        Just("~".to_string()),
        "[/~0-9a-z_]{0,24}",
        ".{0,12}",
    ]
}

fn any_symbol() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("(w_1)_2".to_string()),
        Just("y_{in}".to_string()),
        Just("(\\hat{v}_1)_1".to_string()),
        Just("\\hat{".to_string()),
        ".{0,12}",
    ]
}

fn any_tolerance() -> impl Strategy<Value = Option<Tolerance>> {
    prop_oneof![
        Just(None),
        (any_value(), any_value()).prop_map(|(rtol, atol)| Some(Tolerance::Relabs { rtol, atol })),
        any::<u32>().prop_map(|digits| Some(Tolerance::Sigfig { digits })),
        (0u32..30).prop_map(|digits| Some(Tolerance::Decdig { digits })),
    ]
}

fn any_answer() -> impl Strategy<Value = Answer> {
    (
        proptest::option::of(any_pointer()),
        proptest::option::of(prop_oneof![0u64..5, any::<u64>()]),
        proptest::option::of(any_symbol()),
        any_value(),
        any_tolerance(),
        proptest::option::of(any_value()),
    )
        .prop_map(|(pointer, step, symbol, value, tolerance, weight)| Answer {
            pointer,
            step,
            symbol,
            value,
            tolerance,
            weight,
            label: None,
        })
}

fn assert_finite(value: &Value, path: &str) {
    match value {
        Value::Number(n) => assert!(n.as_f64().is_some_and(f64::is_finite), "{path}"),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| assert_finite(v, &format!("{path}/{i}"))),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| assert_finite(v, &format!("{path}/{k}"))),
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_answers_grade_or_are_rejected_without_a_panic(
        answers in proptest::collection::vec(any_answer(), 0..6),
        strategy in prop_oneof![
            Just(CarryForward::None),
            Just(CarryForward::Always),
            Just(CarryForward::Best)
        ],
        tolerance in any_tolerance(),
        which in 0usize..10,
    ) {
        let problems = every_algorithm();
        let problem = &problems[which % problems.len()];
        let spec = GradeSpec { answers, tolerance, carry_forward: strategy };
        match grade(problem, &spec) {
            Ok(report) => {
                prop_assert!((0.0..=1.0).contains(&report.score));
                for format in [Format::Json, Format::Prairielearn, Format::Gradescope, Format::Coderunner] {
                    assert_finite(&render(&report, format), "");
                }
            }
            Err(errors) => prop_assert!(!errors.is_empty()),
        }
    }

    #[test]
    fn wild_values_for_real_lines_carry_forward_without_a_panic(
        values in proptest::collection::vec(any_value(), 1..19),
        which in 0usize..10,
    ) {
        // Every line of the plain solution answered with an arbitrary (finite) value: the carried
        // run may diverge on them, and the grader must still judge every answer.
        let problems = every_algorithm();
        let problem = &problems[which % problems.len()];
        let mut answers = every_line(&gradtrace::solve::solve(problem));
        for (a, v) in answers.iter_mut().zip(values.iter().cycle()) {
            a.value = if v.is_finite() { *v } else { 1e300 };
        }
        let count = answers.len();
        let report = grade(problem, &spec(answers, CarryForward::Best));
        let report = report.map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        prop_assert_eq!(report.results.len(), count);
        assert_finite(&render(&report, Format::Json), "");
    }
}

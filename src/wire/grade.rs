//! A `POST /v1/grade` body read into a problem and a grading spec, every violation at its
//! pointer (the answers' pointers moved back to the body's own answer indices): the grader's
//! side of the published shape, for the HTTP edge and the CLI alike.

use serde_json::{Map, Value};

use super::catalog;
use super::fields::FieldError;
use super::validate::{self, shown};
use crate::config::Limits;
use crate::grade::{self, Answer, CarryForward, GradeSpec, Tolerance};
use crate::pointer::type_name;

/// A grade request as far as it could be read.
pub struct ReadRequest {
    /// The problem, when it is valid.
    pub problem: Option<crate::solve::Problem>,
    /// The answers that read cleanly, the tolerance if it did, the strategy.
    pub spec: GradeSpec,
    /// `spec.answers[k]` is `answers[positions[k]]` of the body.
    pub positions: Vec<usize>,
    /// Whether every answer read cleanly (so `spec` is the whole request).
    pub complete: bool,
    pub errors: Vec<FieldError>,
}

const TOP_KEYS: &[&str] = &["problem", "answers", "tolerance", "carry_forward"];
const ANSWER_KEYS: &[&str] = &[
    "pointer",
    "step",
    "symbol",
    "value",
    "tolerance",
    "weight",
    "label",
];
const MODES: &[&str] = &["relabs", "sigfig", "decdig"];
const STRATEGIES: [&str; 3] = ["none", "always", "best"];
/// What each of [`STRATEGIES`] names, in its order.
const STRATEGY_VALUES: [CarryForward; 3] =
    [CarryForward::None, CarryForward::Always, CarryForward::Best];
/// The examples an error about a malformed answer or tolerance shows.
const ANSWER_EXAMPLE: &str = r#"{"step": 1, "symbol": "(w_1)_2", "value": 0.5009}"#;
const TOLERANCE_EXAMPLE: &str = r#"{"mode": "sigfig", "digits": 3}"#;

pub fn read(body: &Value, limits: &Limits) -> ReadRequest {
    let mut check = Check::default();
    let mut read = ReadRequest {
        problem: None,
        spec: GradeSpec {
            answers: Vec::new(),
            tolerance: None,
            carry_forward: CarryForward::None,
        },
        positions: Vec::new(),
        complete: false,
        errors: Vec::new(),
    };
    let Value::Object(top) = body else {
        check.fail(
            "",
            format!(
                "must be a JSON object (`problem`, `answers`, `tolerance`, `carry_forward`), \
                 not {}",
                type_name(body)
            ),
        );
        read.errors = check.errors;
        return read;
    };
    check.unknown_keys(top, "", TOP_KEYS, "key");

    match present(top, "problem") {
        None => check.fail("/problem", "is required: the body of POST /v1/solve"),
        Some(problem) => match validate::problem_with(problem, limits) {
            Ok(valid) => read.problem = Some(valid.problem),
            Err(errors) => check.errors.extend(errors.into_iter().map(|e| FieldError {
                pointer: format!("/problem{}", e.pointer),
                ..e
            })),
        },
    }

    match present(top, "answers") {
        None => check.fail("/answers", "is required: at least one answer"),
        Some(Value::Array(answers)) if answers.is_empty() => {
            check.fail("/answers", "give at least one answer")
        }
        Some(Value::Array(answers)) => {
            for (index, answer) in answers.iter().enumerate() {
                if let Some(answer) = check.answer(answer, index) {
                    read.spec.answers.push(answer);
                    read.positions.push(index);
                }
            }
            read.complete = read.positions.len() == answers.len();
        }
        Some(other) => check.fail(
            "/answers",
            format!("must be an array of answers, not {}", type_name(other)),
        ),
    }

    read.spec.tolerance = present(top, "tolerance").and_then(|t| check.tolerance(t, "/tolerance"));
    if let Some(strategy) = present(top, "carry_forward") {
        if let Some(strategy) = check.strategy(strategy) {
            read.spec.carry_forward = strategy;
        }
    }
    read.errors = check.errors;
    read
}

/// A grader error's pointer with its answer index moved back to the body's (the grader saw
/// only the answers that read cleanly). Its whole-answer-list errors (`/answers`, the weights'
/// total) are dropped when some answers were left out, since they speak of the subset.
pub fn reroot_answer(pointer: &str, positions: &[usize], complete: bool) -> Option<String> {
    let Some(rest) = pointer.strip_prefix("/answers") else {
        return Some(pointer.to_string());
    };
    let Some(rest) = rest.strip_prefix('/') else {
        return complete.then(|| pointer.to_string());
    };
    let (index, tail) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let original = index.parse::<usize>().ok().and_then(|k| positions.get(k))?;
    Some(format!("/answers/{original}{tail}"))
}

/// Where an error's pointer is in a grade request, for ordering: unknown top-level keys, the
/// problem, the answers by index, the tolerance, the strategy.
pub fn place_in_body(pointer: &str) -> (u8, usize) {
    let mut tokens = pointer.split('/').skip(1);
    match tokens.next() {
        Some("problem") => (1, 0),
        Some("answers") => (2, tokens.next().and_then(|i| i.parse().ok()).unwrap_or(0)),
        Some("tolerance") => (3, 0),
        Some("carry_forward") => (4, 0),
        _ => (0, 0),
    }
}

/// The value at `key`; `null` reads as absent.
fn present<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|v| !v.is_null())
}

/// Collects every violation of the grade spec's shape, in the order of the request.
#[derive(Default)]
struct Check {
    errors: Vec<FieldError>,
}

impl Check {
    fn fail(&mut self, at: &str, detail: impl Into<String>) {
        self.errors.push(FieldError::new(at, detail));
    }

    fn unknown_keys(
        &mut self,
        object: &Map<String, Value>,
        at: &str,
        allowed: &[&str],
        what: &str,
    ) {
        for key in object.keys() {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let detail = match catalog::suggestion(key, allowed.iter().copied()) {
                Some(near) => format!("is not a known {what}; did you mean `{near}`?"),
                None => format!("is not a known {what}; known: {}", allowed.join(", ")),
            };
            self.fail(&crate::pointer::child(at, key), detail);
        }
    }

    /// One answer, or `None` (with its errors recorded) when any part of it is malformed.
    fn answer(&mut self, value: &Value, index: usize) -> Option<Answer> {
        let at = format!("/answers/{index}");
        let Value::Object(object) = value else {
            self.fail(
                &at,
                format!(
                    "must be an answer object, such as {ANSWER_EXAMPLE}, not {}",
                    type_name(value)
                ),
            );
            return None;
        };
        let before = self.errors.len();
        self.unknown_keys(object, &at, ANSWER_KEYS, "key of an answer");
        let pointer = self.text(present(object, "pointer"), &format!("{at}/pointer"));
        let step = present(object, "step").and_then(|v| self.step(v, &format!("{at}/step")));
        let symbol = self.text(present(object, "symbol"), &format!("{at}/symbol"));
        let value = match present(object, "value") {
            None => {
                self.fail(&format!("{at}/value"), "is required: the student's number");
                None
            }
            Some(v) => self.number(v, &format!("{at}/value")),
        };
        let tolerance = present(object, "tolerance")
            .and_then(|t| self.tolerance(t, &format!("{at}/tolerance")));
        let weight =
            present(object, "weight").and_then(|v| self.number(v, &format!("{at}/weight")));
        let label = self.text(present(object, "label"), &format!("{at}/label"));
        if self.errors.len() > before {
            return None;
        }
        Some(Answer {
            pointer,
            step,
            symbol,
            value: value?,
            tolerance,
            weight,
            label,
        })
    }

    fn text(&mut self, value: Option<&Value>, at: &str) -> Option<String> {
        match value? {
            Value::String(s) => Some(s.clone()),
            other => {
                self.fail(at, format!("must be a string, not {}", type_name(other)));
                None
            }
        }
    }

    fn number(&mut self, value: &Value, at: &str) -> Option<f64> {
        match value {
            // serde_json yields only finite numbers from text; checked anyway because the
            // grader is promised finite input.
            Value::Number(n) => match n.as_f64() {
                Some(x) if x.is_finite() => Some(x),
                _ => {
                    self.fail(at, "must be a finite number");
                    None
                }
            },
            other => {
                self.fail(at, format!("must be a number, not {}", type_name(other)));
                None
            }
        }
    }

    /// A whole number in `[min, max]`; `2.0` counts as 2, as in JSON Schema and the problem.
    fn whole(&mut self, value: &Value, at: &str, min: u64, max: u64, what: &str) -> Option<u64> {
        let whole = match value {
            Value::Number(n) => n.as_u64().or_else(|| {
                n.as_f64()
                    .filter(|x| x.fract() == 0.0 && *x >= 0.0 && *x <= max as f64)
                    .map(|x| x as u64)
            }),
            _ => None,
        };
        match whole {
            Some(k) if (min..=max).contains(&k) => Some(k),
            _ => {
                let got = match value {
                    Value::Number(_) => String::new(),
                    other => format!(", not {}", type_name(other)),
                };
                self.fail(
                    at,
                    format!("must be an integer from {min} to {max} ({what}){got}"),
                );
                None
            }
        }
    }

    fn step(&mut self, value: &Value, at: &str) -> Option<u64> {
        self.whole(value, at, 0, u64::MAX, "the step's `index`, counted from 1")
    }

    /// A tolerance object: `mode` and that mode's parameters. Their ranges are the grader's to
    /// check (PrairieLearn's rules live in `grade::tolerance`).
    fn tolerance(&mut self, value: &Value, at: &str) -> Option<Tolerance> {
        let Value::Object(object) = value else {
            self.fail(
                at,
                format!(
                    "must be a tolerance object, such as {TOLERANCE_EXAMPLE}, not {}",
                    type_name(value)
                ),
            );
            return None;
        };
        let mode_at = format!("{at}/mode");
        let mode = match present(object, "mode") {
            None => {
                self.fail(
                    &mode_at,
                    format!("is required: one of {}", MODES.join(", ")),
                );
                None
            }
            Some(mode) => self.choice(mode, &mode_at, MODES, "mode").map(|i| MODES[i]),
        };
        let before = self.errors.len();
        let tolerance = match mode {
            Some("relabs") => Some(self.relabs(object, at)),
            Some(mode) => Some(self.digits(object, at, mode)),
            None => None,
        };
        if self.errors.len() > before {
            None
        } else {
            tolerance
        }
    }

    /// The parameters of a `relabs` tolerance, each defaulted when absent.
    fn relabs(&mut self, object: &Map<String, Value>, at: &str) -> Tolerance {
        self.unknown_keys(
            object,
            at,
            &["mode", "rtol", "atol"],
            "key of a relabs tolerance",
        );
        let rtol = present(object, "rtol").and_then(|v| self.number(v, &format!("{at}/rtol")));
        let atol = present(object, "atol").and_then(|v| self.number(v, &format!("{at}/atol")));
        Tolerance::Relabs {
            rtol: rtol.unwrap_or(grade::tolerance::DEFAULT_RTOL),
            atol: atol.unwrap_or(grade::tolerance::DEFAULT_ATOL),
        }
    }

    /// A `sigfig` or `decdig` tolerance (`mode`): its `digits`, defaulted when absent.
    fn digits(&mut self, object: &Map<String, Value>, at: &str, mode: &str) -> Tolerance {
        let what = format!("key of a {mode} tolerance");
        self.unknown_keys(object, at, &["mode", "digits"], &what);
        let digits = present(object, "digits").and_then(|v| {
            // The document's `int32` (`digits` is a u32 there): what the schema allows
            // is accepted, and no more.
            self.whole(v, &format!("{at}/digits"), 0, i32::MAX as u64, "digits")
        });
        // In range by the check above.
        let digits = digits
            .and_then(|d| u32::try_from(d).ok())
            .unwrap_or(grade::tolerance::DEFAULT_DIGITS);
        if mode == "sigfig" {
            Tolerance::Sigfig { digits }
        } else {
            Tolerance::Decdig { digits }
        }
    }

    fn strategy(&mut self, value: &Value) -> Option<CarryForward> {
        self.choice(value, "/carry_forward", &STRATEGIES, "strategy")
            .map(|i| STRATEGY_VALUES[i])
    }

    /// Which of `names` a string names (its index), or `None` with the error recorded: a
    /// nearby name suggested, else every name listed.
    fn choice(&mut self, value: &Value, at: &str, names: &[&str], what: &str) -> Option<usize> {
        let Value::String(name) = value else {
            self.fail(
                at,
                format!(
                    "must be one of {}, not {}",
                    names.join(", "),
                    type_name(value)
                ),
            );
            return None;
        };
        if let Some(i) = names.iter().position(|n| n == name) {
            return Some(i);
        }
        let detail = match catalog::suggestion(name, names.iter().copied()) {
            Some(near) => format!("`{}` is not a {what}; did you mean `{near}`?", shown(name)),
            None => format!(
                "`{}` is not a {what}; one of {}",
                shown(name),
                names.join(", ")
            ),
        };
        self.fail(at, detail);
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grader_pointer_moves_back_to_the_bodys_answer_index() {
        assert_eq!(
            reroot_answer("/answers/1/pointer", &[0, 3], false).as_deref(),
            Some("/answers/3/pointer")
        );
        assert_eq!(
            reroot_answer("/answers/0", &[2], false).as_deref(),
            Some("/answers/2")
        );
        assert_eq!(
            reroot_answer("/tolerance/rtol", &[], false).as_deref(),
            Some("/tolerance/rtol")
        );
    }

    /// The errors of a grade request outside its problem, as `(pointer, detail)`.
    fn messages(body: Value) -> Vec<(String, String)> {
        read(&body, &Limits::default())
            .errors
            .into_iter()
            .filter(|e| !e.pointer.starts_with("/problem"))
            .map(|e| (e.pointer, e.detail))
            .collect()
    }

    fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(p, d)| (p.to_string(), d.to_string()))
            .collect()
    }

    /// Every message about a malformed answer or tolerance object, word for word.
    #[test]
    fn a_malformed_answer_or_tolerance_is_told_in_these_words() {
        let body = serde_json::json!({
            "answers": [
                7,
                {"value": 1, "tolerance": "tight"},
                {"value": 1, "tolerance": {"mode": "relabs", "rtol": "x", "digits": 2}},
                {"value": 1, "tolerance": {"mode": "decdig", "digits": -1}},
            ],
            "tolerance": {"mode": "sigfig", "digits": 3, "rtol": 1},
        });
        let expected = [
            (
                "/answers/0",
                r#"must be an answer object, such as {"step": 1, "symbol": "(w_1)_2", "value": 0.5009}, not a number"#,
            ),
            (
                "/answers/1/tolerance",
                r#"must be a tolerance object, such as {"mode": "sigfig", "digits": 3}, not a string"#,
            ),
            (
                "/answers/2/tolerance/digits",
                "is not a known key of a relabs tolerance; known: mode, rtol, atol",
            ),
            (
                "/answers/2/tolerance/rtol",
                "must be a number, not a string",
            ),
            (
                "/answers/3/tolerance/digits",
                "must be an integer from 0 to 2147483647 (digits)",
            ),
            (
                "/tolerance/rtol",
                "is not a known key of a sigfig tolerance; known: mode, digits",
            ),
        ];
        assert_eq!(messages(body), owned(&expected));
    }

    /// Every message about a malformed tolerance `mode`, word for word.
    #[test]
    fn a_malformed_mode_is_told_in_these_words() {
        for (tolerance, detail) in [
            (
                serde_json::json!({}),
                "is required: one of relabs, sigfig, decdig",
            ),
            (
                serde_json::json!({"mode": "sigfg"}),
                "`sigfg` is not a mode; did you mean `sigfig`?",
            ),
            (
                serde_json::json!({"mode": "zzzzzz"}),
                "`zzzzzz` is not a mode; one of relabs, sigfig, decdig",
            ),
            (
                serde_json::json!({"mode": 3}),
                "must be one of relabs, sigfig, decdig, not a number",
            ),
        ] {
            let body = serde_json::json!({"answers": [{"value": 1, "tolerance": tolerance}]});
            assert_eq!(
                messages(body),
                owned(&[("/answers/0/tolerance/mode", detail)])
            );
        }
    }

    /// Every message about a malformed `carry_forward`, word for word.
    #[test]
    fn a_malformed_strategy_is_told_in_these_words() {
        for (strategy, detail) in [
            (
                serde_json::json!("alway"),
                "`alway` is not a strategy; did you mean `always`?",
            ),
            (
                serde_json::json!("qqqqqq"),
                "`qqqqqq` is not a strategy; one of none, always, best",
            ),
            (
                serde_json::json!(true),
                "must be one of none, always, best, not a boolean",
            ),
        ] {
            let body = serde_json::json!({"answers": [{"value": 1}], "carry_forward": strategy});
            assert_eq!(messages(body), owned(&[("/carry_forward", detail)]));
        }
    }

    #[test]
    fn a_whole_list_error_about_a_subset_of_the_answers_is_dropped() {
        assert_eq!(reroot_answer("/answers", &[0], false), None);
        assert_eq!(
            reroot_answer("/answers", &[0], true).as_deref(),
            Some("/answers")
        );
    }
}

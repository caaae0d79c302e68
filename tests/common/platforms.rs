//! The three grading platforms' result formats, checked against their documentation: every key
//! one the platform documents, every key gradtrace promises present, and the types and ranges.
//! Used by the api binary (the endpoint's output) and the grade binary (the renderer's).

use serde_json::{json, Map, Value};

pub fn object(value: &Value) -> &Map<String, Value> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("an object: {value}"))
}

/// Every key is one the platform documents, and every key we promise is there.
pub fn keys_within<const P: usize, const O: usize>(map: &Map<String, Value>, keys: &Keys<P, O>) {
    for key in map.keys() {
        assert!(
            keys.promised.contains(&key.as_str()) || keys.optional.contains(&key.as_str()),
            "undocumented key {key}"
        );
    }
    for key in keys.promised {
        assert!(map.contains_key(key), "missing {key}");
    }
}

pub fn number(value: &Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("a number: {value}"))
}

/// The keys a platform documents for one object of its results: those gradtrace promises
/// (always writes; its OpenAPI schema lists exactly these), and the others it may not write.
pub struct Keys<const P: usize, const O: usize> {
    pub promised: [&'static str; P],
    pub optional: [&'static str; O],
}

pub const PRAIRIELEARN: Keys<5, 2> = Keys {
    promised: ["gradable", "score", "message", "output", "tests"],
    optional: ["images", "format_errors"],
};

pub const PRAIRIELEARN_TEST: Keys<6, 1> = Keys {
    promised: [
        "name",
        "description",
        "points",
        "max_points",
        "message",
        "output",
    ],
    optional: ["images"],
};

pub const GRADESCOPE: Keys<3, 8> = Keys {
    promised: ["score", "output", "tests"],
    optional: [
        "execution_time",
        "output_format",
        "test_output_format",
        "test_name_format",
        "visibility",
        "stdout_visibility",
        "extra_data",
        "leaderboard",
    ],
};

pub const GRADESCOPE_TEST: Keys<5, 6> = Keys {
    promised: ["score", "max_score", "status", "name", "output"],
    optional: [
        "name_format",
        "number",
        "output_format",
        "tags",
        "visibility",
        "extra_data",
    ],
};

pub const CODERUNNER: Keys<3, 7> = Keys {
    promised: ["fraction", "testresults", "prologuehtml"],
    optional: [
        "files",
        "epiloguehtml",
        "columnformats",
        "showdifferences",
        "showoutputonly",
        "graderstate",
        "instructorhtml",
    ],
};

/// PrairieLearn's external-grader results (`docs/externalGrading.md` of PrairieLearn/PrairieLearn,
/// "Grading results"): `score` in [0, 1] the one mandatory field; `gradable`, `message`,
/// `output`, `images`, `format_errors`; `tests` with `name`, `description`, `points`,
/// `max_points`, `message`, `output`, `images`.
pub fn assert_prairielearn(results: &Value) {
    let top = object(results);
    keys_within(top, &PRAIRIELEARN);
    assert_eq!(top["gradable"], true);
    assert!((0.0..=1.0).contains(&number(&top["score"])));
    assert!(top["message"].is_string() && top["output"].is_string());
    for test in top["tests"].as_array().expect("tests is an array") {
        let test = object(test);
        keys_within(test, &PRAIRIELEARN_TEST);
        for key in ["name", "description", "message", "output"] {
            assert!(test[key].is_string(), "{key} is a string");
        }
        assert!(number(&test["points"]) <= number(&test["max_points"]));
    }
}

/// Gradescope's autograder results (`docs/specs.md` of gradescope/autograder_samples, "Output
/// format"): a top-level `score` (it overrides the tests' total), `output`, `tests` with
/// `score`, `max_score`, `status` ("passed" or "failed"), `name`, `output`, and the optional
/// keys listed.
pub fn assert_gradescope(results: &Value) {
    let top = object(results);
    keys_within(top, &GRADESCOPE);
    assert!(top["output"].is_string());
    let mut total = 0.0;
    for test in top["tests"].as_array().expect("tests is an array") {
        let test = object(test);
        keys_within(test, &GRADESCOPE_TEST);
        let status = test["status"].as_str().expect("status is a string");
        assert!(["passed", "failed"].contains(&status), "{status}");
        assert!(test["name"].is_string() && test["output"].is_string());
        total += number(&test["score"]);
        assert!(number(&test["score"]) <= number(&test["max_score"]));
    }
    assert_eq!(number(&top["score"]), total);
}

/// CodeRunner's combinator-grader result (`docs/index.md` of trampgeek/moodle-qtype_coderunner,
/// "Combinator-template grading"; its `jobrunner.php` rejects any other field): `fraction` in
/// [0, 1], `testresults` a table whose first row is the column headers, and optional
/// `prologuehtml` and the others listed.
pub fn assert_coderunner(results: &Value) {
    let top = object(results);
    keys_within(top, &CODERUNNER);
    assert!((0.0..=1.0).contains(&number(&top["fraction"])));
    assert!(top["prologuehtml"].is_string());
    let table = top["testresults"]
        .as_array()
        .expect("testresults is a list");
    let header = table[0].as_array().expect("rows are lists");
    assert_eq!(
        header,
        &["iscorrect", "Test", "Expected", "Got", "Feedback"].map(|h| json!(h))
    );
    for row in &table[1..] {
        let row = row.as_array().expect("rows are lists");
        assert_eq!(row.len(), header.len());
        assert!(row[0].is_boolean(), "iscorrect is a boolean");
        assert!(row[1..].iter().all(Value::is_string));
    }
}

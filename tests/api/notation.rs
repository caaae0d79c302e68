//! What people read agrees with itself and with the course, scanned over a broad spread of
//! responses: the solve in JSON, Markdown and LaTeX for every algorithm and option, the
//! catalogue, the examples, the comparison (JSON and table), grade reports in every format and
//! carry-forward strategy, and some refusals. None may hold a negative zero (`-0.0` in JSON,
//! `-0` or `−0` as a displayed number), a Rust enum name (`FletcherReeves`, `InsideSqrt`), or a
//! count that disagrees with its noun ("of 1 parameters"); and for each algorithm, the
//! accumulators the catalogue, the Markdown header and the comparison table write are the ones
//! its worked lines use (the course's `v` for Adagrad and RMSProp).

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::helpers::{adam, course, course_data, get_text, merged, post_text, unlisted_algorithms};

/// One response body, with what produced it (for the failure message).
struct Text {
    what: String,
    body: String,
}

/// Every algorithm with hyperparameters that make short runs (those registered later at their
/// defaults).
fn algorithms() -> Vec<(&'static str, Value)> {
    let mut list = vec![
        ("gd", json!({"learning_rate": 0.2})),
        ("momentum", json!({"learning_rate": 0.2, "beta": 0.8})),
        (
            "nesterov",
            json!({"learning_rate": 0.2, "beta": 0.8, "form": "sum"}),
        ),
        ("adagrad", json!({"learning_rate": 0.2})),
        ("adadelta", json!({"rho": 0.9})),
        ("rmsprop", json!({"learning_rate": 0.2, "beta": 0.8})),
        (
            "adam",
            json!({"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8}),
        ),
        ("adamw", json!({"learning_rate": 0.2, "weight_decay": 0.1})),
        ("amsgrad", json!({"learning_rate": 0.2})),
        ("conjugate_gradient", json!({})),
    ];
    let listed: Vec<&str> = list.iter().map(|(name, _)| *name).collect();
    list.extend(unlisted_algorithms(&listed));
    list
}

/// A ReLU neuron whose net input is exactly 0 at the start: its gradient is 0, and `delta`
/// negates it.
fn relu_at_zero(algorithm: &str, hyperparameters: &Value, sign: &str) -> Value {
    json!({
        "samples": [{"x": [1, -1], "t": 0.8}, {"x": [0.5, 0.5], "t": 0.6}],
        "weights": [0.5, 0.5],
        "bias": 0,
        "activation": "relu",
        "algorithm": algorithm,
        "hyperparameters": hyperparameters,
        "conventions": {"sign": sign},
    })
}

/// The spread of problems: every algorithm in both conventions, with and without bias
/// correction and a bias term; then ReLU at 0, ε = 0, batches, every schedule, both roundings,
/// every β rule, the other activations and losses, Adagrad's options.
fn problems() -> Vec<(String, Value)> {
    let mut problems = convention_problems();
    problems.extend(zero_epsilon_problems());
    for (reduction, batch_size) in [("mean", 2), ("sum", 3)] {
        let problem = merged(
            adam(),
            json!({
                "bias": 0.1,
                "hyperparameters": {"learning_rate": 0.2},
                "batch_size": batch_size,
                "reduction": reduction,
                "epochs": 2,
            }),
        );
        problems.push((
            format!("adam, batches of {batch_size}, {reduction}"),
            problem,
        ));
    }
    problems.extend(schedule_problems());
    problems.extend(rounding_problems());
    problems.extend(beta_rule_problems());
    for (activation, loss) in [
        ("linear", "squared_error"),
        ("tanh", "squared_error"),
        ("logistic", "cross_entropy"),
    ] {
        let problem = course("gd", &json!({"learning_rate": 0.2}));
        let problem = merged(problem, json!({"activation": activation, "loss": loss}));
        problems.push((format!("gd, {activation}, {loss}"), problem));
    }
    for hyperparameters in [
        json!({"learning_rate": 0.2, "initial_accumulator": 0.1}),
        json!({"learning_rate": 0.2, "window": 1}),
    ] {
        let problem = merged(course("adagrad", &hyperparameters), json!({"epochs": 2}));
        problems.push((format!("adagrad, {hyperparameters}"), problem));
    }
    problems
}

/// Every algorithm in both sign conventions, with and without bias correction (with it, a
/// bias term and two epochs), and (but conjugate gradient) a ReLU at net input 0.
fn convention_problems() -> Vec<(String, Value)> {
    let mut problems = Vec::new();
    for (algorithm, hyperparameters) in algorithms() {
        for sign in ["gradient", "delta"] {
            for bias_correction in [false, true] {
                let mut problem = course(algorithm, &hyperparameters);
                problem["conventions"] = json!({"sign": sign});
                problem["bias_correction"] = json!(bias_correction);
                if bias_correction {
                    problem["bias"] = json!(0);
                    problem["epochs"] = json!(2);
                }
                problems.push((
                    format!("{algorithm}, {sign}, bias_correction {bias_correction}"),
                    problem,
                ));
            }
        }
        if algorithm != "conjugate_gradient" {
            for sign in ["gradient", "delta"] {
                problems.push((
                    format!("{algorithm}, relu at net 0, {sign}"),
                    relu_at_zero(algorithm, &hyperparameters, sign),
                ));
            }
        }
    }
    problems
}

/// The algorithms with an ε, at ε = 0 inside and outside the root.
fn zero_epsilon_problems() -> Vec<(String, Value)> {
    let mut problems = Vec::new();
    // Every algorithm with a root, where ε = 0 can divide by 0.
    let rooted = gradtrace::wire::catalog::ALGORITHMS
        .iter()
        .filter(|a| a.root.is_some());
    for algorithm in rooted.map(|a| a.name) {
        for placement in ["inside_sqrt", "outside_sqrt"] {
            let mut problem = relu_at_zero(algorithm, &json!({"learning_rate": 0.2}), "delta");
            problem["hyperparameters"]["epsilon"] = json!(0);
            problem["conventions"]["epsilon"] = json!(placement);
            problems.push((format!("{algorithm}, ε = 0, {placement}"), problem));
        }
    }
    problems
}

/// Every schedule, over three epochs of gd, rmsprop and conjugate gradient's fixed step.
fn schedule_problems() -> Vec<(String, Value)> {
    let mut problems = Vec::new();
    for (name, schedule) in [
        ("time_based", json!({"type": "time_based", "decay_rate": 1})),
        (
            "time_based from 1",
            json!({"type": "time_based", "decay_rate": 1, "first_epoch": 1}),
        ),
        (
            "step per update",
            json!({"type": "step", "drop_rate": 0.5, "epochs_drop": 1, "per": "update"}),
        ),
        ("exponential", json!({"type": "exponential", "k": 0.1})),
    ] {
        for (algorithm, hyperparameters) in [
            ("gd", json!({"learning_rate": 0.2})),
            ("rmsprop", json!({"learning_rate": 0.2})),
            (
                "conjugate_gradient",
                json!({"line_search": "fixed", "learning_rate": 0.5}),
            ),
        ] {
            let problem = merged(
                course(algorithm, &hyperparameters),
                json!({"schedule": schedule, "epochs": 3}),
            );
            problems.push((format!("{algorithm}, schedule {name}"), problem));
        }
    }
    problems
}

/// Both roundings at two precisions, on momentum, adagrad and adadelta in the delta convention.
fn rounding_problems() -> Vec<(String, Value)> {
    let mut problems = Vec::new();
    for rounding in [
        json!({"decimals": 1}),
        json!({"decimals": 4}),
        json!({"significant_figures": 1}),
        json!({"significant_figures": 3}),
    ] {
        for algorithm in ["momentum", "adagrad", "adadelta"] {
            let hyperparameters = if algorithm == "adadelta" {
                json!({})
            } else {
                json!({"learning_rate": 0.2})
            };
            let problem = merged(
                course(algorithm, &hyperparameters),
                json!({"rounding": rounding, "conventions": {"sign": "delta"}}),
            );
            problems.push((format!("{algorithm}, rounding {rounding}"), problem));
        }
    }
    problems
}

/// Conjugate gradient under every β rule, restarted every iteration and every third.
fn beta_rule_problems() -> Vec<(String, Value)> {
    let mut problems = Vec::new();
    for beta_formula in [
        "fletcher_reeves",
        "polak_ribiere",
        "polak_ribiere_plus",
        "hestenes_stiefel",
    ] {
        for restart_every in [1, 3] {
            let problem = merged(
                course(
                    "conjugate_gradient",
                    &json!({"beta_formula": beta_formula, "restart_every": restart_every}),
                ),
                json!({"epochs": 4}),
            );
            problems.push((
                format!("conjugate_gradient, {beta_formula}, restart every {restart_every}"),
                problem,
            ));
        }
    }
    problems
}

/// `/v1/solve` of `problem` as JSON, Markdown and LaTeX.
async fn renderings(what: &str, problem: &Value) -> Vec<Text> {
    let mut texts = Vec::new();
    for format in ["json", "markdown", "latex"] {
        let (status, body) = post_text(&format!("/v1/solve?format={format}"), problem).await;
        assert_eq!(status, 200, "{what}: {body}");
        texts.push(Text {
            what: format!("solve ({format}) of {what}"),
            body,
        });
    }
    texts
}

/// Answers to every worked line of the first two steps of `solution`, each its line's value
/// plus `offset` (0: all right), and one by pointer.
fn answers(solution: &Value, offset: f64) -> Value {
    let mut answers = Vec::new();
    for step in solution["steps"].as_array().into_iter().flatten().take(2) {
        for line in step["lines"].as_array().into_iter().flatten() {
            answers.push(json!({
                "step": step["index"],
                "symbol": line["symbol"],
                "value": line["value"].as_f64().unwrap_or(0.0) + offset,
            }));
        }
    }
    answers.push(json!({
        "pointer": "/final_weights/0",
        "value": solution["final_weights"][0].as_f64().unwrap_or(0.0) + offset,
    }));
    Value::Array(answers)
}

/// Grade reports of `problem` in every format and strategy, for one answer, answers all right,
/// all wrong, and right then wrong, with tolerances of one digit; and a request without answers.
async fn grade_reports(what: &str, problem: &Value) -> Vec<Text> {
    let (status, solution) = post_text("/v1/solve", problem).await;
    assert_eq!(status, 200, "{solution}");
    let solution: Value = serde_json::from_str(&solution).unwrap();
    let right = answers(&solution, 0.0);
    let wrong = answers(&solution, 1.0);
    let mut mixed = right.clone();
    if let (Some(items), Some(first_wrong)) = (mixed.as_array_mut(), wrong.get(0)) {
        items.truncate(2);
        items.push(first_wrong.clone());
    }
    let one = json!([right[0]]);
    let mut texts = Vec::new();
    for (set, given, tolerance) in [
        ("one", &one, json!({"mode": "sigfig", "digits": 4})),
        ("right", &right, json!({"mode": "sigfig", "digits": 1})),
        ("wrong", &wrong, json!({"mode": "decdig", "digits": 1})),
        ("mixed", &mixed, json!({"mode": "relabs"})),
    ] {
        for carry_forward in ["none", "always", "best"] {
            for format in ["json", "prairielearn", "gradescope", "coderunner"] {
                let body = json!({
                    "problem": problem,
                    "answers": given,
                    "tolerance": tolerance,
                    "carry_forward": carry_forward,
                });
                let (status, report) =
                    post_text(&format!("/v1/grade?format={format}"), &body).await;
                assert_eq!(status, 200, "{what}, {set}: {report}");
                texts.push(Text {
                    what: format!("grade ({format}, {carry_forward}) of {set} answers to {what}"),
                    body: report,
                });
            }
        }
    }
    let (status, refusal) =
        post_text("/v1/grade", &json!({"problem": problem, "answers": []})).await;
    assert_eq!(status, 422, "{refusal}");
    texts.push(Text {
        what: format!("grade without answers to {what}"),
        body: refusal,
    });
    texts
}

/// Every response the scan covers.
async fn responses() -> Vec<Text> {
    let mut texts = Vec::new();
    for (what, problem) in problems() {
        texts.extend(renderings(&what, &problem).await);
    }
    for path in ["/v1/algorithms", "/v1/examples"] {
        let (status, body) = get_text(path).await;
        assert_eq!(status, 200, "{path}");
        texts.push(Text {
            what: path.to_string(),
            body,
        });
    }
    texts.extend(comparison_texts().await);
    for (what, problem) in [
        (
            "momentum, delta",
            course("momentum", &json!({"learning_rate": 0.2, "beta": 0.8})),
        ),
        (
            "adam, relu at net 0",
            relu_at_zero("adam", &json!({"learning_rate": 0.2}), "delta"),
        ),
        (
            "conjugate_gradient",
            merged(
                course("conjugate_gradient", &json!({})),
                json!({"epochs": 2}),
            ),
        ),
    ] {
        let problem = merged(problem, json!({"conventions": {"sign": "delta"}}));
        texts.extend(grade_reports(what, &problem).await);
    }
    texts.extend(refusal_texts().await);
    texts
}

/// The comparison of every algorithm, and of one, as JSON and as Markdown.
async fn comparison_texts() -> Vec<Text> {
    let mut texts = Vec::new();
    let configurations: Vec<Value> = algorithms()
        .into_iter()
        .map(|(algorithm, hyperparameters)| {
            json!({"algorithm": algorithm, "hyperparameters": hyperparameters})
        })
        .collect();
    for (what, configurations) in [
        ("every algorithm", Value::Array(configurations.clone())),
        ("one configuration", json!([configurations[3]])),
    ] {
        for format in ["json", "markdown"] {
            let problem = merged(
                course_data(),
                json!({"bias": 0, "epochs": 2, "conventions": {"sign": "delta"}}),
            );
            let body = json!({
                "problem": problem,
                "configurations": configurations,
                "loss_threshold": 0.01,
            });
            let (status, table) = post_text(&format!("/v1/compare?format={format}"), &body).await;
            assert_eq!(status, 200, "{table}");
            texts.push(Text {
                what: format!("compare ({format}) of {what}"),
                body: table,
            });
        }
    }
    texts
}

/// Refusals whose messages count things.
async fn refusal_texts() -> Vec<Text> {
    let mut texts = Vec::new();
    let mut one_weight = json!({
        "samples": [{"x": [1], "t": 0.8}],
        "weights": [0.5],
        "algorithm": "gd",
        "hyperparameters": {"learning_rate": 0.2},
        // One past the default trace cap: two entries (the weight, and the update) per epoch.
        "epochs": gradtrace::config::DEFAULT_TRACE_ENTRIES / 2 + 1,
    });
    let mut one_input = course("gd", &json!({"learning_rate": 0.2}));
    one_input["samples"][1]["x"] = json!([0.5]);
    for (what, body) in [
        ("one parameter over the trace limit", one_weight.take()),
        ("a sample with one input", one_input),
    ] {
        let (status, refusal) = post_text("/v1/solve", &body).await;
        assert_eq!(status, 422, "{what}: {refusal}");
        texts.push(Text {
            what: what.to_string(),
            body: refusal,
        });
    }
    texts
}

/// Each place in `text` where a number written with a minus sign is zero: `-0`, `−0.0`,
/// `-0e0`. A minus followed by a space (`a − 0`) is an operator, not a sign.
fn negative_zeros(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        if !matches!(c, '-' | '−') {
            continue;
        }
        let mut end = i + 1;
        while end < chars.len() && (chars[end].is_ascii_digit() || chars[end] == '.') {
            end += 1;
        }
        if end < chars.len() && matches!(chars[end], 'e' | 'E') {
            let mut exponent = end + 1;
            if exponent < chars.len() && matches!(chars[exponent], '-' | '+') {
                exponent += 1;
            }
            while exponent < chars.len() && chars[exponent].is_ascii_digit() {
                exponent += 1;
            }
            if exponent > end + 1 {
                end = exponent;
            }
        }
        let number: String = chars[i + 1..end].iter().collect();
        if number.parse::<f64>().is_ok_and(|x| x == 0.0) {
            let from = i.saturating_sub(30);
            let to = (end + 30).min(chars.len());
            found.push(chars[from..to].iter().collect());
        }
    }
    found
}

/// The names Rust's `Debug` gives the domain's enum variants (the first word of `{:?}`), less
/// those that are also how people write the word (`Momentum`, `Adam`, `Update 1`, `Step decay`).
fn rust_names() -> Vec<String> {
    domain_values()
        .iter()
        .map(|v| {
            format!("{v:?}")
                .split([' ', '(', '{'])
                .next()
                .unwrap_or_default()
                .to_string()
        })
        .filter(|name| !ALSO_PEOPLES.contains(&name.as_str()))
        .collect()
}

/// One value of each of the domain's enum variants.
fn domain_values() -> Vec<Box<dyn std::fmt::Debug>> {
    use gradtrace::grade::{CarryForward, Format as GradeFormat, IntervalEnds, Tolerance};
    use gradtrace::solve::*;
    vec![
        Box::new(Activation::Logistic),
        Box::new(Activation::Linear),
        Box::new(Activation::Tanh),
        Box::new(Activation::Relu),
        Box::new(Loss::SquaredError),
        Box::new(Loss::CrossEntropy),
        Box::new(Reduction::Mean),
        Box::new(Reduction::Sum),
        Box::new(SignConvention::Gradient),
        Box::new(SignConvention::Delta),
        Box::new(EpsilonPlacement::InsideSqrt),
        Box::new(EpsilonPlacement::OutsideSqrt),
        Box::new(MomentumForm::Average),
        Box::new(MomentumForm::Sum),
        Box::new(BetaFormula::FletcherReeves),
        Box::new(BetaFormula::PolakRibiere),
        Box::new(BetaFormula::PolakRibierePlus),
        Box::new(BetaFormula::HestenesStiefel),
        Box::new(LineSearch::Exact { max_step: 1.0 }),
        Box::new(LineSearch::Fixed { learning_rate: 1.0 }),
        Box::new(Optimizer::Gd { learning_rate: 1.0 }),
        Box::new(Optimizer::Rmsprop {
            learning_rate: 1.0,
            beta: 0.9,
            epsilon: 0.0,
        }),
        Box::new(Optimizer::Amsgrad {
            learning_rate: 1.0,
            beta1: 0.9,
            beta2: 0.9,
            epsilon: 0.0,
        }),
        Box::new(Optimizer::ConjugateGradient {
            beta_formula: BetaFormula::FletcherReeves,
            line_search: LineSearch::Exact { max_step: 1.0 },
            restart_every: 1,
            tolerance: 0.0,
        }),
        Box::new(ScheduleKind::TimeBased { decay_rate: 1.0 }),
        Box::new(ScheduleKind::Step {
            drop_rate: 0.5,
            epochs_drop: 1,
        }),
        Box::new(ScheduleKind::Exponential { k: 0.1 }),
        Box::new(SchedulePer::Epoch),
        Box::new(SchedulePer::Update),
        Box::new(Rounding::Decimals(1)),
        Box::new(Rounding::SignificantFigures(1)),
        Box::new(Status::Completed),
        Box::new(Status::Converged),
        Box::new(Status::Diverged),
        Box::new(CarryForward::None),
        Box::new(CarryForward::Always),
        Box::new(CarryForward::Best),
        Box::new(GradeFormat::Json),
        Box::new(GradeFormat::Prairielearn),
        Box::new(GradeFormat::Gradescope),
        Box::new(GradeFormat::Coderunner),
        Box::new(Tolerance::Sigfig { digits: 1 }),
        Box::new(Tolerance::Decdig { digits: 1 }),
        Box::new(Tolerance::Relabs {
            rtol: 0.0,
            atol: 0.0,
        }),
        Box::new(IntervalEnds::Closed),
        Box::new(IntervalEnds::Open),
    ]
}

// English words and proper names people write with a capital too.
const ALSO_PEOPLES: &[&str] = &[
    "Average",
    "Always",
    "Best",
    "Closed",
    "Completed",
    "Converged",
    "Delta",
    "Diverged",
    "Epoch",
    "Exact",
    "Exponential",
    "Fixed",
    "Gradescope",
    "Gradient",
    "Linear",
    "Mean",
    "None",
    "Open",
    "Step",
    "Sum",
    "Update",
];

/// Each whole-word occurrence of one of `names` in `text`.
fn whole_words<'a>(text: &str, names: &'a [String]) -> Vec<&'a str> {
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric() && c != '_');
    let mut found = Vec::new();
    for name in names {
        for (at, _) in text.match_indices(name.as_str()) {
            let before = text[..at].chars().next_back();
            let after = text[at + name.len()..].chars().next();
            if boundary(before) && boundary(after) {
                found.push(name.as_str());
            }
        }
    }
    found
}

/// Nouns a response counts, in the plural.
const PLURALS: &[&str] = &[
    "answers",
    "bytes",
    "characters",
    "configurations",
    "decimals",
    "digits",
    "entries",
    "epochs",
    "errors",
    "features",
    "figures",
    "inputs",
    "items",
    "iterations",
    "lines",
    "options",
    "parameters",
    "points",
    "problems",
    "ranges",
    "samples",
    "steps",
    "updates",
    "values",
    "variants",
    "weights",
];

/// Words that may stand between a count and its noun ("1 significant figure").
const NOUN_ADJECTIVES: &[&str] = &["decimal", "optimizer", "significant", "trace"];

/// Each "1 <plural>" in `text`: the number 1 on its own, then a plural noun (possibly after an
/// adjective).
fn plural_slips(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("1 ") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '−' | '_')) {
            continue;
        }
        let words: Vec<String> = text[at + 2..]
            .split(|c: char| !c.is_alphabetic())
            .take(2)
            .map(str::to_string)
            .collect();
        let slip = match words.as_slice() {
            [first, ..] if PLURALS.contains(&first.as_str()) => true,
            [first, second] if NOUN_ADJECTIVES.contains(&first.as_str()) => {
                PLURALS.contains(&second.as_str())
            }
            _ => false,
        };
        if slip {
            let end = (at + 40).min(text.len());
            let end = (end..=text.len())
                .find(|e| text.is_char_boundary(*e))
                .unwrap_or(text.len());
            found.push(text[at..end].to_string());
        }
    }
    found
}

#[tokio::test]
async fn no_response_holds_a_negative_zero_a_rust_name_or_a_plural_slip() {
    let names = rust_names();
    assert!(names.iter().any(|n| n == "FletcherReeves"), "{names:?}");
    let texts = responses().await;
    assert!(texts.len() > 400, "only {} responses", texts.len());
    let mut failures = Vec::new();
    for text in &texts {
        for zero in negative_zeros(&text.body) {
            failures.push(format!("{}: negative zero in …{zero}…", text.what));
        }
        for name in whole_words(&text.body, &names) {
            failures.push(format!("{}: the Rust name {name}", text.what));
        }
        for slip in plural_slips(&text.body) {
            failures.push(format!("{}: «{slip}»", text.what));
        }
    }
    failures.dedup();
    assert!(
        failures.is_empty(),
        "{} findings, the first 40:\n{}",
        failures.len(),
        failures
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn the_scanners_find_what_they_look_for() {
    assert_eq!(negative_zeros(r#"{"none": -0.0, "x": -0.02}"#).len(), 1);
    assert_eq!(
        negative_zeros("w = −0 and 1e-08 and 0.5 − 0 = 0.5").len(),
        1
    );
    assert_eq!(negative_zeros("-0e0, -0.000, x_{t-1}, 1 - 0.5").len(), 2);
    let names = vec!["FletcherReeves".to_string()];
    assert_eq!(whole_words("β rule: FletcherReeves", &names).len(), 1);
    assert!(whole_words("fletcher_reeves, FletcherReevesX", &names).is_empty());
    assert_eq!(plural_slips("of 1 parameters; 1 of 1 answers").len(), 2);
    assert_eq!(plural_slips("to 1 significant figures").len(), 1);
    assert!(plural_slips("1 parameter, 21 samples, 0.1 samples, (epoch 1) updates").is_empty());
}

/// The name of a symbol without its subscripts: `(v_1)_2` → `v`, `(\hat{s}_b)_1` → `\hat{s}`,
/// `(s^{max}_1)_1` → `s^{max}`, `\beta_{1}` → `\beta`, `(db)_1` → `db`, `\alpha(3)` → `\alpha`.
fn line_name(symbol: &str) -> String {
    let inner = symbol.strip_prefix('(').unwrap_or(symbol);
    let mut depth = 0;
    let mut end = inner.len();
    for (i, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            '_' | '(' | ')' if depth == 0 => {
                end = i;
                break;
            }
            _ => {}
        }
    }
    inner[..end].to_string()
}

/// The names of every worked line of a solution.
fn line_names(solution: &Value) -> BTreeSet<String> {
    solution["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|step| step["lines"].as_array().into_iter().flatten())
        .filter_map(|line| line["symbol"].as_str())
        .map(line_name)
        .collect()
}

/// The names a LaTeX update rule gives a subscript that counts time (`_t`, `_{t-1}`, `_k`,
/// `_0`, `_i`): `v_t` → `v`, `\hat{s}^{max}_t` → `\hat{s}^{max}`, `w'_t` → `w'`,
/// `\tilde{w}_t` → `\tilde{w}`. Hyperparameters' own subscripts (`\beta_1`) and operators'
/// (`\sum_`, `\min_`) are left out.
fn rule_names(rule: &str) -> BTreeSet<String> {
    let bytes = rule.as_bytes();
    let mut names = BTreeSet::new();
    for (at, _) in rule.match_indices('_') {
        if at == 0 || bytes[at - 1] == b'\\' {
            continue;
        }
        let subscript = match bytes.get(at + 1) {
            Some(b'{') => rule[at + 2..].split('}').next().unwrap_or_default(),
            Some(_) => &rule[at + 1..at + 2],
            None => "",
        };
        if !(subscript.contains(['t', 'k', 'i']) || subscript == "0") {
            continue;
        }
        let start = name_start(rule, at);
        let name = &rule[start..at];
        if !["\\sum", "\\min", "\\max", "\\arg"].contains(&name) && !name.is_empty() {
            names.insert(name.to_string());
        }
    }
    names
}

/// Where the name that ends at `end` begins: back over `{…}` groups, `^`, `'`, letters and one
/// command backslash.
fn name_start(rule: &str, end: usize) -> usize {
    let bytes = rule.as_bytes();
    let mut at = end;
    loop {
        match bytes.get(at.wrapping_sub(1)) {
            Some(b'}') => {
                let mut depth = 0;
                while at > 0 {
                    at -= 1;
                    match bytes[at] {
                        b'}' => depth += 1,
                        b'{' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            Some(b'^' | b'\'') => at -= 1,
            Some(c) if c.is_ascii_alphabetic() => {
                while at > 0 && bytes[at - 1].is_ascii_alphabetic() {
                    at -= 1;
                }
                if at > 0 && bytes[at - 1] == b'\\' {
                    at -= 1;
                }
                return at;
            }
            _ => return at,
        }
    }
}

/// The accumulators a plain-text header or table cell writes: under a root (`√(v + ε)`,
/// `√v + ε`), before an arrow (`v ←`), or as a starting value (`v₀`).
fn text_accumulators(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for (at, _) in text.match_indices('√') {
        let rest = &text[at + '√'.len_utf8()..];
        let rest = rest.strip_prefix('(').unwrap_or(rest);
        if let Some(name) = rest.split(" + ε").next() {
            found.insert(name.to_string());
        }
    }
    for (at, _) in text.match_indices(" ←") {
        if let Some(name) = text[..at].split([' ', ',']).next_back() {
            found.insert(name.to_string());
        }
    }
    for (at, _) in text.match_indices('₀') {
        let name: String = text[..at]
            .chars()
            .rev()
            .take_while(|c| c.is_alphabetic())
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if !name.is_empty() && name != "α" {
            found.insert(name);
        }
    }
    found
}

/// A line name as plain text without its hat: `\hat{v}` → `v`, `s^{max}` → `s^max`.
fn plain(name: &str) -> String {
    let unhatted = name
        .strip_prefix("\\hat{")
        .and_then(|rest| rest.strip_suffix('}'))
        .unwrap_or(name);
    gradtrace::solve::expr::tex_to_text(unhatted)
}

/// For one algorithm, every problem variant whose lines together use all its accumulators.
fn notation_problems(algorithm: &str, hyperparameters: &Value) -> Vec<Value> {
    let mut problems = Vec::new();
    for bias_correction in [false, true] {
        let mut problem = course(algorithm, hyperparameters);
        problem["bias_correction"] = json!(bias_correction);
        problem["bias"] = json!(0.1);
        problem["epochs"] = json!(2);
        if algorithm == "adagrad" {
            problem["hyperparameters"]["initial_accumulator"] = json!(0.1);
        }
        problems.push(problem);
    }
    if algorithm == "adagrad" {
        let mut windowed = course(algorithm, hyperparameters);
        windowed["hyperparameters"]["window"] = json!(1);
        problems.push(windowed);
    }
    problems
}

#[tokio::test]
async fn each_algorithms_catalogue_header_and_table_use_its_worked_lines_symbols() {
    let (_, catalogue) = get_text("/v1/algorithms").await;
    let catalogue: Value = serde_json::from_str(&catalogue).unwrap();
    let mut failures = Vec::new();
    let mut configurations = Vec::new();
    let mut lines_of = Vec::new();
    for (algorithm, hyperparameters) in algorithms() {
        let worked = worked(algorithm, &hyperparameters).await;
        configurations.extend(worked.configurations.iter().cloned());
        let entry = catalogue["algorithms"]
            .as_array()
            .and_then(|all| all.iter().find(|a| a["name"] == algorithm))
            .unwrap_or_else(|| panic!("{algorithm} is not in the catalogue"));
        failures.extend(catalogue_slips(algorithm, entry, &worked));
        lines_of.push((algorithm, worked.plain_names()));
    }
    // The comparison table, in tables of as many columns as one comparison may hold.
    let mut columns = 0;
    for chunk in configurations.chunks(gradtrace::class::MAX_CONFIGURATIONS) {
        let (slips, shown) = comparison_table_slips(chunk, &lines_of).await;
        failures.extend(slips);
        columns += shown;
    }
    assert!(columns > 10, "only {columns} columns");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// What an algorithm's notation problems show, under both ε placements.
struct Worked {
    /// The names of its worked lines.
    names: BTreeSet<String>,
    /// Each Markdown rendering's setup list.
    headers: Vec<String>,
    /// A comparison column for each run without bias correction.
    configurations: Vec<Value>,
}

impl Worked {
    fn plain_names(&self) -> BTreeSet<String> {
        self.names.iter().map(|n| plain(n)).collect()
    }
}

async fn worked(algorithm: &str, hyperparameters: &Value) -> Worked {
    let mut worked = Worked {
        names: BTreeSet::new(),
        headers: Vec::new(),
        configurations: Vec::new(),
    };
    for problem in notation_problems(algorithm, hyperparameters) {
        for placement in ["inside_sqrt", "outside_sqrt"] {
            let mut problem = problem.clone();
            problem["conventions"] = json!({"epsilon": placement});
            let (status, solution) = post_text("/v1/solve", &problem).await;
            assert_eq!(status, 200, "{solution}");
            worked
                .names
                .extend(line_names(&serde_json::from_str(&solution).unwrap()));
            let (_, page) = post_text("/v1/solve?format=markdown", &problem).await;
            let header: String = page
                .lines()
                .take_while(|l| !l.starts_with("## "))
                .filter(|l| l.starts_with("- "))
                .collect::<Vec<_>>()
                .join("\n");
            worked.headers.push(header);
            if problem["bias_correction"] == json!(false) {
                worked.configurations.push(json!({
                    "label": format!("{algorithm} {placement}"),
                    "algorithm": algorithm,
                    "hyperparameters": problem["hyperparameters"],
                    "conventions": {"epsilon": placement},
                }));
            }
        }
    }
    worked
}

/// Where the catalogue `entry` of `algorithm` (its update rule, what its bias correction
/// corrects) or a Markdown header names a symbol its worked lines do not use.
fn catalogue_slips(algorithm: &str, entry: &Value, worked: &Worked) -> Vec<String> {
    let (names, plain_names) = (&worked.names, worked.plain_names());
    let mut failures = Vec::new();
    for rule in entry["update"].as_array().into_iter().flatten() {
        for name in rule_names(rule.as_str().unwrap_or_default()) {
            if !names.contains(&name) {
                failures.push(format!(
                    "{algorithm}: the catalogue's update rule writes {name}, the worked \
                     lines only {names:?}"
                ));
            }
        }
    }
    for corrects in entry["bias_correction"]["corrects"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let name = corrects.as_str().unwrap_or_default().split(' ').next();
        if !name.is_some_and(|n| plain_names.contains(n)) {
            failures.push(format!(
                "{algorithm}: bias correction corrects {name:?}, the worked lines use \
                 {plain_names:?}"
            ));
        }
    }
    for header in &worked.headers {
        for name in text_accumulators(header) {
            if !plain_names.contains(&name) {
                failures.push(format!(
                    "{algorithm}: the Markdown header writes {name}, the worked lines \
                     {plain_names:?}:\n{header}"
                ));
            }
        }
    }
    failures
}

/// Where the comparison table of `configurations` writes, in a column's hyperparameters or
/// conventions, a symbol that column's algorithm's worked lines (`lines_of`) do not use; and
/// how many columns it has.
async fn comparison_table_slips(
    configurations: &[Value],
    lines_of: &[(&str, BTreeSet<String>)],
) -> (Vec<String>, usize) {
    let (status, table) = post_text(
        "/v1/compare?format=markdown",
        &json!({"problem": course_data(), "configurations": configurations}),
    )
    .await;
    assert_eq!(status, 200, "{table}");
    let rows: Vec<Vec<&str>> = table
        .lines()
        .filter(|l| l.starts_with("| "))
        .map(|l| l.split(" | ").map(|c| c.trim_matches(['|', ' '])).collect())
        .collect();
    let row = |name: &str| rows.iter().find(|r| r.first() == Some(&name)).cloned();
    let (Some(algorithm_row), Some(hyperparameters), Some(conventions)) =
        (row("algorithm"), row("hyperparameters"), row("conventions"))
    else {
        panic!("the table lacks its rows:\n{table}");
    };
    assert_eq!(algorithm_row.len(), configurations.len() + 1, "{table}");
    let mut failures = Vec::new();
    for (column, algorithm) in algorithm_row.iter().enumerate().skip(1) {
        let Some((_, names)) = lines_of.iter().find(|(a, _)| a == algorithm) else {
            failures.push(format!("the table names an unknown algorithm {algorithm}"));
            continue;
        };
        for cell in [&hyperparameters, &conventions] {
            let text = cell.get(column).copied().unwrap_or_default();
            for name in text_accumulators(text) {
                if !names.contains(&name) {
                    failures.push(format!(
                        "{algorithm}: the comparison table writes {name} in «{text}», the \
                         worked lines {names:?}"
                    ));
                }
            }
        }
    }
    (failures, configurations.len())
}

#[test]
fn the_notation_readers_read_symbols_as_written() {
    assert_eq!(line_name("(v_1)_2"), "v");
    assert_eq!(line_name("(\\hat{s}_b)_1"), "\\hat{s}");
    assert_eq!(line_name("(s^{max}_1)_1"), "s^{max}");
    assert_eq!(line_name("\\beta_{1}"), "\\beta");
    assert_eq!(line_name("\\alpha(3)"), "\\alpha");
    assert_eq!(line_name("(db)_1"), "db");
    let names = |rule: &str| rule_names(rule).into_iter().collect::<Vec<_>>();
    assert_eq!(
        names("s_t = \\beta_2 s_{t-1} + (1 - \\beta_2)\\, dw_t^2"),
        ["dw", "s"]
    );
    assert_eq!(
        names("w_{t+1} = w'_t - \\frac{\\alpha}{\\sqrt{\\hat{s}^{max}_t + \\epsilon}}"),
        ["\\hat{s}^{max}", "w", "w'"]
    );
    assert_eq!(
        names("\\tilde{w}_t = w_t, \\quad \\sum_{i=t-W+1}^{t} \\text{initial\\_accumulator}"),
        ["\\tilde{w}", "w"]
    );
    let found = |t: &str| text_accumulators(t).into_iter().collect::<Vec<_>>();
    assert_eq!(found("inside the root, √(v + ε)"), ["v"]);
    assert_eq!(found("outside the root, √s^max + ε"), ["s^max"]);
    assert_eq!(found("sum, v ← β v + dw; α = α₀ / 2, v₀ = 0.1"), ["v"]);
    assert_eq!(plain("\\hat{v}"), "v");
    assert_eq!(plain("s^{max}"), "s^max");
}

#[tokio::test]
async fn the_graders_epsilon_mistakes_name_the_algorithms_own_accumulator() {
    // A large ε, so that the placement moves the first weight well beyond the tolerance.
    let problem = |placement: &str| {
        let mut problem = course("adagrad", &json!({"learning_rate": 0.2, "epsilon": 0.01}));
        problem["conventions"] = json!({"epsilon": placement});
        problem
    };
    let (_, outside) = post_text("/v1/solve", &problem("outside_sqrt")).await;
    let outside: Value = serde_json::from_str(&outside).unwrap();
    let given = &outside["steps"][0]["weights_after"][0];
    let (status, report) = post_text(
        "/v1/grade",
        &json!({
            "problem": problem("inside_sqrt"),
            "answers": [{"pointer": "/steps/0/weights_after/0", "value": given}],
        }),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    let report: Value = serde_json::from_str(&report).unwrap();
    let mistake = &report["results"][0]["mistake"];
    assert_eq!(mistake["code"], "epsilon_outside_root", "{report}");
    let description = mistake["description"].as_str().unwrap_or_default();
    // Adagrad's worked lines name the accumulator v, as the course does.
    assert_eq!(
        text_accumulators(description)
            .into_iter()
            .collect::<Vec<_>>(),
        ["v"],
        "{description}"
    );
    assert!(
        report["results"][0]["feedback"]
            .as_str()
            .is_some_and(|f| f.contains("√v + ε")),
        "{report}"
    );
}

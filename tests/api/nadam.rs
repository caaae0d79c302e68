//! NAdam through the HTTP API: its updates against an independent computation of PyTorch's
//! `torch.optim.NAdam`, its catalogue entry, its renderings, its hyperparameter's range, and
//! grading a NAdam problem.
//!
//! The expected numbers come from this Python script (python3, no libraries), which follows
//! PyTorch's `_single_tensor_nadam` (torch/optim/nadam.py, the `foreach=False` loop, each
//! parameter a tensor of one element) line by line, for a logistic neuron with squared error
//! trained online; `bias_correction=False` drops the divisors, which is what the service's flag
//! means for NAdam (PyTorch has no such flag):
//!
//! ```python
//! import math
//!
//! def nadam(samples, w, lr, beta1=0.9, beta2=0.999, eps=1e-8, psi=0.004, epochs=1,
//!           bias_correction=True, eps_outside=True):
//!     w = list(w); m = [0.0] * len(w); v = [0.0] * len(w); mu_product = 1.0; step = 0
//!     steps = []
//!     for _ in range(epochs):
//!         for x, t in samples:
//!             y = 1 / (1 + math.exp(-sum(wi * xi for wi, xi in zip(w, x))))
//!             grad = [(y - t) * y * (1 - y) * xi for xi in x]
//!             step += 1
//!             bias_correction2 = 1 - beta2 ** step if bias_correction else 1.0
//!             mu = beta1 * (1. - 0.5 * (0.96 ** (step * psi)))
//!             mu_next = beta1 * (1. - 0.5 * (0.96 ** ((step + 1) * psi)))
//!             mu_product *= mu
//!             mu_product_next = mu_product * mu_next
//!             c, c_next = (1. - mu_product, 1. - mu_product_next) if bias_correction else (1., 1.)
//!             for i in range(len(w)):
//!                 m[i] += (grad[i] - m[i]) * (1 - beta1)   # exp_avg.lerp_(grad, 1 - beta1)
//!                 v[i] = v[i] * beta2 + (1 - beta2) * grad[i] * grad[i]
//!                 s = v[i] / bias_correction2
//!                 denom = math.sqrt(s) + eps if eps_outside else math.sqrt(s + eps)
//!                 w[i] += (-lr * (1. - mu) / c) * grad[i] / denom
//!                 w[i] += ((-lr * mu_next) / c_next) * m[i] / denom
//!             steps.append((list(w), list(m), list(v)))
//!     return steps
//!
//! samples = [([1, 0.6], 0.8), ([0.5, 0.5], 0.6), ([0.2, 0.8], 0.3)]
//! for w, m, v in nadam(samples, [0.5, 0.5], 0.2, epochs=2):
//!     print("torch", [repr(x) for x in w], [repr(x) for x in m], [repr(x) for x in v])
//! for w, m, v in nadam(samples, [0.5, 0.5], 0.002, bias_correction=False, eps_outside=False):
//!     print("plain", [repr(x) for x in w])
//! ```
//!
//! The service computes the same formulas in another order (`d = μ_{t+1} v̂ + (1 − μ_t) dw /
//! (1 − Π_t)`, then `α d / (√ŝ + ε)`), so the numbers agree to a few units in the last place,
//! not bit for bit.

use serde_json::{json, Value};

use crate::helpers::{get_json, pointers, post, post_json, post_text};

/// The course's three samples and weights (docs/contract.md §10) with NAdam.
fn problem(hyperparameters: Value) -> Value {
    json!({
        "samples": [
            {"x": [1, 0.6], "t": 0.8},
            {"x": [0.5, 0.5], "t": 0.6},
            {"x": [0.2, 0.8], "t": 0.3}
        ],
        "weights": [0.5, 0.5],
        "algorithm": "nadam",
        "hyperparameters": hyperparameters,
    })
}

/// PyTorch's setting: α 0.2, the other hyperparameters at their defaults (PyTorch's), ε
/// outside the root as PyTorch puts it, two epochs (six updates).
fn pytorch_problem() -> Value {
    let mut problem = problem(json!({"learning_rate": 0.2}));
    problem["conventions"] = json!({"epsilon": "outside_sqrt"});
    problem["epochs"] = json!(2);
    problem
}

/// The script's `torch` lines: weights, first moment, second moment after each update.
const PYTORCH: [[[f64; 2]; 3]; 6] = [
    [
        [0.7112902658960406, 0.7112902060460583],
        [-0.0023535525351480336, -0.0014121315210888202],
        [5.539209535701744e-07, 1.9941154328526277e-07],
    ],
    [
        [0.6574390269129795, 0.621179540104455],
        [-0.0013375876654667582, -0.000490308752813466],
        [6.143021699017609e-07, 2.601472690271343e-07],
    ],
    [
        [0.541741800753272, 0.4034059641577618],
        [0.0003938393118707525, 0.005949394965631219],
        [8.689422389090183e-07, 4.343957060592652e-06],
    ],
    [
        [0.6979947323085491, 0.4426009070428134],
        [-0.002088385179187283, 0.0038887511331455213],
        [1.4648202967651768e-06, 4.5544420235662835e-06],
    ],
    [
        [0.676438138097729, 0.41417077348108444],
        [-0.0014315708697900309, 0.003947851811309493],
        [1.4834237074434927e-06, 4.569955812517798e-06],
    ],
    [
        [0.5774636400269738, 0.21141838471458477],
        [0.00020190113201529452, 0.009514326289483833],
        [1.7040441382714282e-06, 8.119047529271346e-06],
    ],
];

/// The script's `plain` lines: the weights without bias correction, at the default α 0.002
/// and ε inside the root.
const WITHOUT_CORRECTION: [[f64; 2]; 3] = [
    [0.5372922714042062, 0.5367179895504586],
    [0.5341287779176631, 0.5300059491415815],
    [0.5154141701757071, 0.4938132159519188],
];

/// `actual` holds `expected` to 1e-12, relative to its size (at least 1).
fn assert_close(actual: &Value, expected: &[f64], what: &str) {
    let actual: Vec<f64> = actual
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_f64)
        .collect();
    assert_eq!(actual.len(), expected.len(), "{what}: {actual:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!(
            (a - e).abs() <= 1e-12 * e.abs().max(1.0),
            "{what}: {a:e}, expected {e:e}"
        );
    }
}

#[tokio::test]
async fn nadam_matches_pytorch_over_six_updates() {
    let (status, solution) = post_json("/v1/solve", &pytorch_problem()).await;
    assert_eq!(status, 200, "{solution}");
    let steps = solution["steps"].as_array().cloned().unwrap_or_default();
    assert_eq!(steps.len(), PYTORCH.len());
    for (step, [weights, first, second]) in steps.iter().zip(PYTORCH) {
        let t = &step["index"];
        assert_close(&step["weights_after"], &weights, &format!("w after {t}"));
        assert_close(&step["state"]["first_moment"], &first, &format!("v at {t}"));
        assert_close(
            &step["state"]["second_moment"],
            &second,
            &format!("s at {t}"),
        );
    }
    assert_eq!(solution["problem"]["bias_correction"], true);
    assert_eq!(
        solution["problem"]["hyperparameters"],
        json!({"learning_rate": 0.2, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8,
               "momentum_decay": 0.004})
    );
}

#[tokio::test]
async fn nadam_without_bias_correction_drops_every_divisor() {
    let mut problem = problem(json!({}));
    problem["bias_correction"] = json!(false);
    let (status, solution) = post_json("/v1/solve", &problem).await;
    assert_eq!(status, 200, "{solution}");
    let steps = solution["steps"].as_array().cloned().unwrap_or_default();
    assert_eq!(steps.len(), WITHOUT_CORRECTION.len());
    for (step, weights) in steps.iter().zip(WITHOUT_CORRECTION) {
        let t = &step["index"];
        assert_close(&step["weights_after"], &weights, &format!("w after {t}"));
        assert_eq!(step["correction_factors"], json!({}), "{t}");
    }
    assert_eq!(
        solution["problem"]["hyperparameters"]["learning_rate"],
        0.002
    );
}

#[tokio::test]
async fn the_worked_lines_write_the_momentum_schedule_in_the_courses_notation() {
    let (_, solution) = post_json("/v1/solve", &pytorch_problem()).await;
    let symbols: Vec<&str> = solution["steps"][1]["lines"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|l| l["symbol"].as_str())
        .collect();
    for symbol in [
        "\\mu_{2}",
        "\\mu_{3}",
        "\\Pi_{2}",
        "\\Pi_{3}",
        "(v_1)_2",
        "(s_1)_2",
        "(\\hat{v}_1)_2",
        "(\\hat{s}_1)_2",
        "(d_1)_2",
        "(w_1)_3",
    ] {
        assert!(symbols.contains(&symbol), "{symbol} in {symbols:?}");
    }
    let factors = &solution["steps"][1]["correction_factors"];
    assert!(factors["first_moment"].is_number() && factors["second_moment"].is_number());
}

#[tokio::test]
async fn the_catalogue_lists_nadam_with_pytorchs_defaults() {
    let (status, body) = get_json("/v1/algorithms").await;
    assert_eq!(status, 200);
    let nadam = body["algorithms"]
        .as_array()
        .and_then(|all| all.iter().find(|a| a["name"] == "nadam"))
        .cloned()
        .unwrap_or_default();
    let defaults: Vec<(String, Value)> = nadam["hyperparameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| {
            (
                h["name"].as_str().unwrap_or("").to_string(),
                h["default"].clone(),
            )
        })
        .collect();
    assert_eq!(
        defaults,
        [
            ("learning_rate".to_string(), json!(0.002)),
            ("beta1".to_string(), json!(0.9)),
            ("beta2".to_string(), json!(0.999)),
            ("epsilon".to_string(), json!(1e-8)),
            ("momentum_decay".to_string(), json!(0.004)),
        ]
    );
    assert_eq!(nadam["bias_correction"]["default"], true);
    assert_eq!(nadam["bias_correction"]["applies"], true);
    let decay = &nadam["hyperparameters"][4];
    assert_eq!(decay["range"], ">= 0");
    assert!(nadam["update"].as_array().is_some_and(|u| u.len() == 5));
}

#[tokio::test]
async fn markdown_and_latex_render_nadam() {
    let (status, markdown) = post_text("/v1/solve?format=markdown", &pytorch_problem()).await;
    assert_eq!(status, 200, "{markdown}");
    assert!(
        markdown.starts_with("# NAdam with bias correction"),
        "{markdown}"
    );
    assert!(markdown.contains("- ψ: 0.004"), "{markdown}");
    assert!(markdown.contains("outside the root, √s + ε"), "{markdown}");
    let (status, latex) = post_text("/v1/solve?format=latex", &pytorch_problem()).await;
    assert_eq!(status, 200, "{latex}");
    assert!(
        latex.contains("\\mu_{1}") && latex.contains("\\Pi_{2}"),
        "{latex}"
    );
    assert!(latex.is_ascii());
}

#[tokio::test]
async fn momentum_decay_is_range_checked_and_only_nadam_uses_it() {
    let reply = post("/v1/solve", &problem(json!({"momentum_decay": -1}))).await;
    assert_eq!(reply.status.as_u16(), 422);
    assert_eq!(pointers(&reply.json()), ["/hyperparameters/momentum_decay"]);
    let mut adam = problem(json!({"learning_rate": 0.2, "momentum_decay": 0.004}));
    adam["algorithm"] = json!("adam");
    let (status, solution) = post_json("/v1/solve", &adam).await;
    assert_eq!(status, 200, "{solution}");
    assert_eq!(solution["warnings"][0]["code"], "unused_hyperparameter");
}

#[tokio::test]
async fn a_nadam_problem_is_graded_line_by_line_and_its_epsilon_slip_is_named() {
    let problem = pytorch_problem();
    let (_, solution) = post_json("/v1/solve", &problem).await;
    let mut answers = Vec::new();
    for step in solution["steps"].as_array().into_iter().flatten().take(2) {
        for line in step["lines"].as_array().into_iter().flatten() {
            answers.push(
                json!({"step": step["index"], "symbol": line["symbol"], "value": line["value"]}),
            );
        }
    }
    let (status, report) = post_json(
        "/v1/grade",
        &json!({"problem": problem, "answers": answers}),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["score"], 1.0, "{report}");

    // A student who put ε inside the root, √(ŝ + ε), with a large ε that shows.
    let mut asked = problem.clone();
    asked["hyperparameters"]["epsilon"] = json!(0.01);
    let mut slipped = asked.clone();
    slipped["conventions"]["epsilon"] = json!("inside_sqrt");
    let (_, wrong) = post_json("/v1/solve", &slipped).await;
    let given = &wrong["steps"][0]["weights_after"][0];
    let (status, report) = post_json(
        "/v1/grade",
        &json!({
            "problem": asked,
            "answers": [{"pointer": "/steps/0/weights_after/0", "value": given}],
        }),
    )
    .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["score"], 0.0, "{report}");
    assert_eq!(
        report["results"][0]["mistake"]["code"], "epsilon_inside_root",
        "{report}"
    );
}

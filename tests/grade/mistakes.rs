//! Named mistakes: a student trace produced with a mistake (the mistake's variant run through the
//! core, its values taken line by line) is diagnosed as that mistake; a correct trace never is.

use gradtrace::grade::{mistakes, Answer, CarryForward, GradeReport, Tolerance, MISTAKES};
use gradtrace::solve::*;

use crate::support::*;

/// A student's answers to `problem` made with the mistake `code` (its first variant), graded.
fn graded_with_mistake(problem: &Problem, code: &str, strategy: CarryForward) -> GradeReport {
    let kind = mistakes::mistake(code).expect("the mistake is in the catalogue");
    let variants = (kind.variants)(problem);
    let variant = variants
        .first()
        .expect("the mistake applies to this problem");
    let mistaken = solve_with(&variant.problem, variant.hooks.clone());
    let answers = mistaken_trace(&solve(problem), &mistaken);
    graded(problem, &spec(answers, strategy))
}

/// A student's answers to `problem` made with the mistake `code`, graded without carry-forward
/// and checked to be diagnosed as `code`.
fn diagnosed(problem: &Problem, code: &str) -> GradeReport {
    let report = graded_with_mistake(problem, code, CarryForward::None);
    assert_diagnosed(&report, code);
    report
}

/// Every wrong answer is diagnosed as `code`, and there is at least one.
fn assert_diagnosed(report: &GradeReport, code: &str) {
    let wrong: Vec<_> = report.results.iter().filter(|r| !r.correct).collect();
    assert!(!wrong.is_empty(), "{code}: the mistake changed no answer");
    for r in &wrong {
        assert_eq!(
            r.mistake.as_ref().map(|m| m.code.as_str()),
            Some(code),
            "{}: {}",
            r.name,
            r.feedback
        );
        assert!(
            r.feedback.contains("it matches a known mistake"),
            "{}",
            r.feedback
        );
    }
    assert!(report
        .results
        .iter()
        .filter(|r| r.correct)
        .all(|r| r.mistake.is_none()));
}

#[test]
fn forgetting_bias_correction_in_adam_is_diagnosed() {
    let mut problem = course_adam();
    problem.bias_correction = true;
    let report = diagnosed(&problem, "bias_correction_forgotten");
    let first = &report.results[report.first_wrong.expect("a wrong answer")];
    assert_eq!(first.quantity, "(w_1)_2");
    assert!(
        first
            .feedback
            .contains("the bias correction x̂ = x / (1 − decayᵗ) was left out"),
        "{}",
        first.feedback
    );
}

#[test]
fn applying_bias_correction_in_rmsprop_when_not_asked_is_diagnosed() {
    diagnosed(&course_rmsprop(), "bias_correction_not_asked");
}

#[test]
fn epsilon_outside_the_root_is_diagnosed_where_epsilon_is_large_enough_to_show() {
    // ε = 0.01 against s ≈ 0.00055 (the course's (v₁)₁ for adagrad): √(s + ε) ≈ 0.103 while
    // √s + ε ≈ 0.0335.
    diagnosed(&course_adagrad(0.01), "epsilon_outside_root");
}

#[test]
fn epsilon_inside_the_root_is_diagnosed_when_the_convention_puts_it_outside() {
    let mut problem = course_adagrad(0.01);
    problem.conventions.epsilon = EpsilonPlacement::OutsideSqrt;
    diagnosed(&problem, "epsilon_inside_root");
}

#[test]
fn the_other_momentum_form_is_diagnosed() {
    diagnosed(&course_momentum(), "other_momentum_form");
}

#[test]
fn plain_momentum_for_nesterov_is_diagnosed() {
    let mut problem = course(
        3,
        Optimizer::Nesterov {
            learning_rate: 0.2,
            beta: 0.8,
            form: MomentumForm::Average,
        },
    );
    problem.conventions.sign = SignConvention::Delta;
    diagnosed(&problem, "other_momentum_method");
}

#[test]
fn the_update_applied_in_the_wrong_direction_is_diagnosed() {
    diagnosed(
        &course(3, Optimizer::Gd { learning_rate: 0.2 }),
        "wrong_update_direction",
    );
}

#[test]
fn the_other_sign_conventions_dw_and_velocity_are_diagnosed() {
    let report = diagnosed(&course_momentum(), "other_sign_convention");
    // The weights come out the same either way (docs/contract.md §4): only dw and v are wrong.
    assert!(report
        .results
        .iter()
        .filter(|r| !r.correct)
        .all(|r| r.quantity.starts_with("(dw_") || r.quantity.starts_with("(v_")));
}

#[test]
fn the_notes_erratum_of_using_the_previous_samples_inputs_is_diagnosed() {
    diagnosed(&course_momentum(), "previous_sample_inputs");
    // docs/contract.md §10: the notes write the second sample's y_in = 0.5009·1 + 0.5006·0.6, the first
    // sample's inputs, which is 0.80126. (They print 0.7512, which is 0.5009·1 + 0.5006·0.5 and
    // matches no consistent mistake; the right value is 0.50075.)
    let notes = graded(
        &course_momentum(),
        &spec(
            vec![answer_at(2, "y_in", 0.5009 * 1.0 + 0.5006 * 0.6)],
            CarryForward::None,
        ),
    );
    let r = &notes.results[0];
    assert!(!r.correct);
    assert_eq!(
        r.mistake.as_ref().map(|m| m.code.as_str()),
        Some("previous_sample_inputs")
    );
}

#[test]
fn weights_not_carried_between_samples_are_diagnosed() {
    diagnosed(&course_adagrad(1e-8), "weights_not_updated");
}

/// gd on the course's data over 3 epochs with time-based decay, α₀ 0.2 and decay_rate 1 (docs/contract.md
/// §10's annealing example): epochs 0, 1, 2 train at 0.2, 0.1, 0.0667.
fn annealed(first_epoch: u64) -> Problem {
    let mut problem = course(2, Optimizer::Gd { learning_rate: 0.2 });
    problem.epochs = 3;
    problem.schedule = Some(Schedule {
        kind: ScheduleKind::TimeBased { decay_rate: 1.0 },
        first_epoch,
        per: SchedulePer::Epoch,
    });
    problem
}

#[test]
fn the_learning_rate_of_the_next_epoch_is_diagnosed() {
    // The course's table starts at epoch 1 (0.1, 0.067, 0.05): a student who reads it for a run
    // whose first epoch is 0.
    let report = diagnosed(&annealed(0), "wrong_epoch_rate");
    let rate = &report.results[0];
    assert_eq!(rate.quantity, "α(0)");
    assert!((rate.given - 0.1).abs() < 1e-15);
}

#[test]
fn the_learning_rate_of_the_previous_epoch_is_diagnosed() {
    let problem = annealed(1);
    let kind = mistakes::mistake("wrong_epoch_rate").expect("in the catalogue");
    let variants = (kind.variants)(&problem);
    assert_eq!(variants.len(), 2, "first_epoch + 1 and first_epoch − 1");
    let previous = &variants[1];
    assert_eq!(previous.problem.schedule.map(|s| s.first_epoch), Some(0));
    let answers = mistaken_trace(&solve(&problem), &solve(&previous.problem));
    let report = graded(&problem, &spec(answers, CarryForward::None));
    assert_diagnosed(&report, "wrong_epoch_rate");
}

#[test]
fn a_mistake_is_diagnosed_against_the_students_own_numbers_with_carry_forward() {
    // Forgetting Adam's correction at every update: with carry-forward each new weight is the
    // only wrong value of its update, and each is still recognised.
    let mut problem = course_adam();
    problem.bias_correction = true;
    let report = graded_with_mistake(&problem, "bias_correction_forgotten", CarryForward::Always);
    assert_diagnosed(&report, "bias_correction_forgotten");
    let wrong: Vec<String> = report
        .results
        .iter()
        .filter(|r| !r.correct)
        .map(|r| format!("{}@{}", r.quantity, r.address.step.unwrap_or(0)))
        .collect();
    assert_eq!(
        wrong,
        vec![
            "(w_1)_2@1",
            "(w_2)_2@1",
            "(w_1)_3@2",
            "(w_2)_3@2",
            "(w_1)_4@3",
            "(w_2)_4@3"
        ]
    );
}

#[test]
fn a_wrong_value_that_matches_no_mistake_is_not_diagnosed() {
    let report = graded(
        &course_momentum(),
        &spec(vec![answer_at(1, "(w_1)_2", 123.0)], CarryForward::None),
    );
    assert!(!report.results[0].correct);
    assert_eq!(report.results[0].mistake, None);
    assert!(!report.results[0].feedback.contains("mistake"));
}

/// Problems on which as many mistakes as possible apply: bias correction on, a schedule, ε
/// large enough to matter.
fn with_every_mistake_possible(mut problem: Problem) -> Problem {
    if problem.optimizer.learning_rate().is_some() {
        problem.epochs = 2;
        problem.schedule = Some(Schedule {
            kind: ScheduleKind::TimeBased { decay_rate: 1.0 },
            first_epoch: 1,
            per: SchedulePer::Epoch,
        });
    }
    problem.bias_correction = problem.optimizer.has_moving_average();
    problem
}

#[test]
fn a_correct_trace_is_never_diagnosed_for_any_algorithm() {
    for base in every_algorithm() {
        for problem in [base.clone(), with_every_mistake_possible(base)] {
            let solution = solve(&problem);
            // Exact values, and values nudged within every tolerance used here.
            let exact = every_line(&solution);
            let nudged: Vec<_> = exact
                .iter()
                .map(|a| {
                    let mut a = a.clone();
                    a.value *= 1.0 + 1e-7;
                    a
                })
                .collect();
            for answers in [exact, nudged] {
                for strategy in [CarryForward::None, CarryForward::Always] {
                    for tolerance in [Tolerance::default(), Tolerance::Sigfig { digits: 4 }] {
                        let report =
                            graded(&problem, &spec_with(answers.clone(), strategy, tolerance));
                        assert_all_right(&problem, &report);
                    }
                }
            }
        }
    }
}

#[test]
fn every_mistake_in_the_catalogue_has_a_code_a_description_and_a_problem_it_applies_to() {
    let problems: Vec<Problem> = every_algorithm()
        .into_iter()
        .flat_map(|p| {
            let mut outside = p.clone();
            outside.conventions.epsilon = EpsilonPlacement::OutsideSqrt;
            [p.clone(), with_every_mistake_possible(p), outside]
        })
        .chain(network_problems())
        .collect();
    let mut codes: Vec<&str> = MISTAKES.iter().map(|m| m.code).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), MISTAKES.len(), "codes are unique");
    for kind in MISTAKES {
        assert!(!kind.description.is_empty());
        assert!(
            problems.iter().any(|p| !(kind.variants)(p).is_empty()),
            "{} applies somewhere",
            kind.code
        );
    }
}

// A network's backpropagation slips, on Mazur's example (support::mazur). The wrong values are
// computed independently of the Rust code, by this Python (no libraries; `slip` is the mistake):
//
//     import math
//     s = lambda z: 1 / (1 + math.exp(-z))
//     def run(slip=None, lr=0.5):
//         W1 = [[.15, .20], [.25, .30]]; b1 = [.35, .35]; W2 = [[.40, .45], [.50, .55]]; b2 = [.60, .60]
//         x = [.05, .10]; t = [.01, .99]
//         h = [s(sum(w * a for w, a in zip(W1[j], x)) + b1[j]) for j in range(2)]
//         o = [s(sum(w * a for w, a in zip(W2[j], h)) + b2[j]) for j in range(2)]
//         e = [o[j] - t[j] for j in range(2)]
//         if slip == 'flip': e = [-v for v in e]
//         do = [e[j] * (1 if slip in ('noder_out', 'noder_all') else o[j] * (1 - o[j])) for j in range(2)]
//         nW2 = [[W2[j][k] - lr * do[j] * h[k] for k in range(2)] for j in range(2)]
//         P = nW2 if slip == 'updated' else W2
//         dh = [sum(P[i][j] * do[i] for i in range(2))
//               * (1 if slip in ('noder_hid', 'noder_all') else h[j] * (1 - h[j])) for j in range(2)]
//         nW1 = [[W1[j][k] - lr * dh[j] * x[k] for k in range(2)] for j in range(2)]
//         h = [s(sum(w * a for w, a in zip(nW1[j], x)) + b1[j]) for j in range(2)]
//         o = [s(sum(w * a for w, a in zip(nW2[j], h)) + b2[j]) for j in range(2)]
//         return sum(.5 * (t[j] - o[j]) ** 2 for j in range(2)), nW1, nW2, do, dh
//
// run() gives the right E_total after the update, 0.29102777369359933; run('updated') gives
// 0.29102792390544197, δ_h1 0.0072944575518818725 and (w_1)_2 0.14981763856120295, and the
// fixture's independent reference (tests/fixtures/network-examples.json,
// after_10000_rounds.with_hidden_deltas_through_updated_output_weights) has the same E_total.

/// One answer by step and symbol, to `digits` significant figures.
fn to_digits(step: u64, symbol: &str, value: f64, digits: u32) -> Answer {
    Answer {
        tolerance: Some(Tolerance::Sigfig { digits }),
        ..answer_at(step, symbol, value)
    }
}

/// The mistake each result is taken for.
fn codes(report: &GradeReport) -> Vec<Option<&str>> {
    report
        .results
        .iter()
        .map(|r| r.mistake.as_ref().map(|m| m.code.as_str()))
        .collect()
}

#[test]
fn mazurs_printed_total_error_is_the_hidden_deltas_through_the_updated_outer_weights() {
    // The post prints E_total = 0.291027924 after the first round; the right value is
    // 0.2910277737 (docs/contract.md §11: δ's through the weights before the update).
    let problem = mazur();
    let printed = Answer {
        tolerance: Some(Tolerance::Sigfig { digits: 9 }),
        ..answer_ptr("/loss/final", 0.291027924)
    };
    let report = graded(&problem, &spec(vec![printed], CarryForward::None));
    let r = &report.results[0];
    assert!(!r.correct);
    assert!(
        (r.expected - 0.291_027_773_693_599_33).abs() < 1e-15,
        "{}",
        r.expected
    );
    assert_eq!(
        r.mistake.as_ref().map(|m| m.code.as_str()),
        Some("updated_outer_weights"),
        "{}",
        r.feedback
    );
    assert!(
        r.feedback.contains("propagated through the weights above"),
        "{}",
        r.feedback
    );
    // The same slip seen in the student's own hidden δ and first weight (the Python above).
    let answers = vec![
        to_digits(1, "delta_h1", 0.007_294_457_551_881_872_5, 6),
        to_digits(1, "(w_1)_2", 0.149_817_638_561_202_95, 9),
        to_digits(1, "(w_5)_2", 0.358_916_479_717_884_65, 9),
    ];
    let report = graded(&problem, &spec(answers, CarryForward::None));
    assert_eq!(
        codes(&report),
        [
            Some("updated_outer_weights"),
            Some("updated_outer_weights"),
            None
        ]
    );
    assert!(report.results[2].correct, "the outer weights are right");
}

#[test]
fn a_trace_with_the_hidden_deltas_through_the_updated_weights_is_diagnosed() {
    for problem in network_problems() {
        diagnosed(&problem, "updated_outer_weights");
    }
}

#[test]
fn deltas_without_the_activations_derivative_are_diagnosed() {
    // run('noder_out'): δ_o1 = (out_o1 − target_o1) with no out(1 − out), and w5 from it;
    // run('noder_hid'): δ_h1 without out_h1(1 − out_h1).
    let problem = mazur();
    let answers = vec![
        to_digits(1, "delta_o1", 0.741_365_069_552_315_7, 6),
        to_digits(1, "w5+", 0.180_085_175_519_076_68, 6),
    ];
    let report = graded(&problem, &spec(answers, CarryForward::None));
    assert_eq!(
        codes(&report),
        [
            Some("missing_activation_derivative"),
            Some("missing_activation_derivative")
        ],
        "{:?}",
        report.results
    );
    let hidden = vec![
        to_digits(1, "δ_h1", 0.036_350_306_393_144_68, 6),
        to_digits(1, "(w_1)_2", 0.149_091_242_340_171_38, 9),
    ];
    let report = graded(&problem, &spec(hidden, CarryForward::None));
    assert_eq!(
        codes(&report),
        [
            Some("missing_activation_derivative"),
            Some("missing_activation_derivative")
        ]
    );
    for problem in network_problems() {
        diagnosed(&problem, "missing_activation_derivative");
    }
}

#[test]
fn deltas_with_the_wrong_sign_are_diagnosed() {
    // run('flip'): δ_o1 = (target_o1 − out_o1) out_o1 (1 − out_o1) with the gradient convention,
    // so w5 moves up the slope, and E_total grows.
    let problem = mazur();
    let answers = vec![
        to_digits(1, "\\delta_{o1}", -0.138_498_561_628_556_98, 6),
        to_digits(1, "(w_5)_2", 0.441_083_520_282_115_4, 6),
        Answer {
            tolerance: Some(Tolerance::Sigfig { digits: 6 }),
            ..answer_ptr("/loss/final", 0.305_640_632_684_367_75)
        },
    ];
    let report = graded(&problem, &spec(answers, CarryForward::None));
    assert_eq!(codes(&report), [Some("delta_sign_flipped"); 3]);
    let description = report.results[0]
        .mistake
        .as_ref()
        .map(|m| m.description.clone())
        .unwrap_or_default();
    assert!(
        description.contains("t − y where y − t belongs"),
        "{description}"
    );
    for problem in network_problems() {
        diagnosed(&problem, "delta_sign_flipped");
    }
}

// The biases, by this Python (Mazur's example over two rounds; `upd_b`: the biases updated):
//
//     def run(upd_b, rounds=2, lr=0.5):
//         W1 = [[.15, .20], [.25, .30]]; b1 = [.35, .35]; W2 = [[.40, .45], [.50, .55]]; b2 = [.60, .60]
//         x = [.05, .10]; t = [.01, .99]; seen = []
//         for _ in range(rounds):
//             n = [sum(w * a for w, a in zip(W1[j], x)) + b1[j] for j in range(2)]; h = [s(v) for v in n]
//             o = [s(sum(w * a for w, a in zip(W2[j], h)) + b2[j]) for j in range(2)]
//             seen.append((n[0], o[0]))
//             do = [(o[j] - t[j]) * o[j] * (1 - o[j]) for j in range(2)]
//             dh = [sum(W2[i][j] * do[i] for i in range(2)) * h[j] * (1 - h[j]) for j in range(2)]
//             W2 = [[W2[j][k] - lr * do[j] * h[k] for k in range(2)] for j in range(2)]
//             W1 = [[W1[j][k] - lr * dh[j] * x[k] for k in range(2)] for j in range(2)]
//             if upd_b: b2 = [b2[j] - lr * do[j] for j in range(2)]; b1 = [b1[j] - lr * dh[j] for j in range(2)]
//         h = [s(sum(w * a for w, a in zip(W1[j], x)) + b1[j]) for j in range(2)]
//         o = [s(sum(w * a for w, a in zip(W2[j], h)) + b2[j]) for j in range(2)]
//         return seen, sum(.5 * (t[j] - o[j]) ** 2 for j in range(2))
//
// run(False): net_h1 0.3774451790331907 and out_o1 0.7420881111907824 in round 2, E_total
// 0.28354713312241997 after it; run(True): 0.3730595016884472, 0.7284417622337656 and
// 0.2619076230693008.

/// Mazur's example over two rounds, its biases updated or not.
fn mazur_twice(update_biases: bool) -> Problem {
    let mut body = mazur_body();
    body["epochs"] = serde_json::json!(2);
    body["network"]["update_biases"] = serde_json::json!(update_biases);
    read_problem(&body)
}

#[test]
fn biases_updated_where_the_problem_keeps_them_fixed_are_diagnosed() {
    let answers = vec![
        to_digits(2, "net_h1", 0.373_059_501_688_447_2, 6),
        to_digits(2, "out_o1", 0.728_441_762_233_765_6, 6),
        Answer {
            tolerance: Some(Tolerance::Sigfig { digits: 6 }),
            ..answer_ptr("/loss/final", 0.261_907_623_069_300_8)
        },
    ];
    let report = graded(&mazur_twice(false), &spec(answers, CarryForward::None));
    assert_eq!(codes(&report), [Some("biases_updated"); 3]);
    diagnosed(&mazur_twice(false), "biases_updated");
}

#[test]
fn biases_kept_fixed_where_the_problem_updates_them_are_diagnosed() {
    let answers = vec![
        to_digits(2, "net_{h1}", 0.377_445_179_033_190_7, 6),
        to_digits(2, "out_{o1}", 0.742_088_111_190_782_4, 6),
        Answer {
            tolerance: Some(Tolerance::Sigfig { digits: 6 }),
            ..answer_ptr("/loss/final", 0.283_547_133_122_419_97)
        },
    ];
    let report = graded(&mazur_twice(true), &spec(answers, CarryForward::None));
    assert_eq!(codes(&report), [Some("biases_fixed"); 3]);
    diagnosed(&network_problems()[1], "biases_fixed");
}

#[test]
fn a_correct_network_trace_is_never_diagnosed() {
    for problem in network_problems().into_iter().chain([mazur()]) {
        let exact = every_line(&solve(&problem));
        let nudged: Vec<_> = exact
            .iter()
            .map(|a| Answer {
                value: a.value * (1.0 + 1e-7),
                ..a.clone()
            })
            .collect();
        for answers in [exact, nudged] {
            for strategy in [CarryForward::None, CarryForward::Always] {
                for tolerance in [Tolerance::default(), Tolerance::Sigfig { digits: 4 }] {
                    let report = graded(&problem, &spec_with(answers.clone(), strategy, tolerance));
                    assert_all_right(&problem, &report);
                }
            }
        }
    }
}

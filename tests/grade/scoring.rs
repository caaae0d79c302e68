//! Scores and carry-forward: all-correct answers score 1; one slip costs every later mark without
//! carry-forward and one mark with it; `best` keeps the higher; pointers carry forward too.

use gradtrace::grade::{CarryForward, CarryForwardUsed, GradeReport, Tolerance};
use gradtrace::solve::solve;

use crate::support::*;

/// The course prints 4 significant figures, so a slip shows at that precision.
const FOUR_FIGURES: Tolerance = Tolerance::Sigfig { digits: 4 };

/// The course momentum answers with [`slip`], graded with `strategy` to four figures.
fn graded_slip(strategy: CarryForward) -> GradeReport {
    let problem = course_momentum();
    graded(
        &problem,
        &spec_with(with_slips(&problem, &slip()), strategy, FOUR_FIGURES),
    )
}

#[test]
fn all_correct_answers_score_one_whatever_the_strategy() {
    for problem in every_algorithm() {
        let answers = every_line(&solve(&problem));
        for strategy in [CarryForward::None, CarryForward::Always, CarryForward::Best] {
            let report = graded(&problem, &spec(answers.clone(), strategy));
            assert_all_right(&problem, &report);
            assert_eq!(report.first_wrong, None);
            assert_eq!(report.points, report.max_points);
            assert_eq!(report.max_points, answers.len() as f64);
        }
    }
}

/// docs/contract.md §10: the values the notes print for the momentum example.
fn notes_momentum_answers() -> Vec<gradtrace::grade::Answer> {
    vec![
        answer_at(1, "y", 0.6899),
        answer_at(1, "(dw_1)_1", 0.02354),
        answer_at(1, "(dw_2)_1", 0.01412),
        answer_at(1, "(v_1)_1", 0.004708),
        answer_at(1, "(v_2)_1", 0.002824),
        answer_at(1, "(w_1)_2", 0.5009),
        answer_at(1, "(w_2)_2", 0.5006),
    ]
}

#[test]
fn the_values_the_notes_print_for_momentum_pass_the_default_tolerance() {
    let report = graded(
        &course_momentum(),
        &spec(notes_momentum_answers(), CarryForward::None),
    );
    assert_eq!(report.score, 1.0, "{:?}", wrong(&report));
}

#[test]
fn four_significant_figures_tell_the_notes_hand_rounding_from_the_exact_values() {
    let report = graded(
        &course_momentum(),
        &spec_with(notes_momentum_answers(), CarryForward::None, FOUR_FIGURES),
    );
    // y = 0.689974… rounds to 0.6900 (the notes truncate), and (v₁)₁ = 0.2 × 0.02354 = 0.004708
    // comes from the rounded dw where the exact value is 0.0047071: both outside
    // |s − t| < 0.51·10⁻ⁿ.
    assert_eq!(
        wrong(&report),
        vec![(1, "y".to_string()), (1, "(v_1)_1".to_string())]
    );
}

#[test]
fn without_carry_forward_one_slip_makes_every_value_computed_from_it_wrong() {
    let report = graded_slip(CarryForward::None);
    // Step 1's values that do not use (dw₁)₁ stay right; everything computed from it is wrong,
    // step 2 entirely because (w₁)₂ feeds its net input — except (w₂)₃, which moves by less than
    // 4 figures show (0.50091 either way).
    let right: Vec<(u64, String)> = report
        .results
        .iter()
        .filter(|r| r.correct)
        .map(|r| (r.address.step.unwrap_or(0), r.quantity.clone()))
        .collect();
    let mut expected_right: Vec<(u64, String)> =
        ["y_in", "y", "E", "(dw_2)_1", "(v_2)_1", "(w_2)_2"]
            .iter()
            .map(|q| (1, q.to_string()))
            .collect();
    expected_right.push((2, "(w_2)_3".to_string()));
    assert_eq!(right, expected_right);
    assert_eq!(report.results.len(), 18);
    assert_eq!(report.score, 7.0 / 18.0);
    assert_eq!(report.first_wrong, Some(3));
    assert_eq!(report.carry_forward_used, CarryForwardUsed::None);
    assert!(report.results.iter().all(|r| !r.carried_forward));
}

#[test]
fn with_carry_forward_only_the_slip_itself_is_wrong() {
    let report = graded_slip(CarryForward::Always);
    assert_eq!(wrong(&report), vec![(1, "(dw_1)_1".to_string())]);
    assert_eq!(report.score, 17.0 / 18.0);
    assert_eq!(report.carry_forward_used, CarryForwardUsed::Always);
    let slipped = &report.results[3];
    // Its own line is still judged against the right value: (t − y) y (1 − y) x₁ = 0.02354.
    assert!((slipped.expected - 0.023535525351480343).abs() < 1e-15);
    assert!(
        slipped.feedback.contains("expected 0.02354"),
        "{}",
        slipped.feedback
    );
    // (v₁)₁ is judged against 0.8 × 0 + 0.2 × 0.2 = 0.04, from the student's own dw.
    let v = &report.results[5];
    assert_eq!(v.quantity, "(v_1)_1");
    assert!(v.correct && v.carried_forward);
    assert!((v.expected - 0.04).abs() < 1e-15);
    assert!((v.solution_value - 0.004707105070296067).abs() < 1e-15);
}

#[test]
fn best_keeps_carry_forward_when_it_scores_higher_and_says_so() {
    let report = graded_slip(CarryForward::Best);
    assert_eq!(report.carry_forward, CarryForward::Best);
    assert_eq!(report.carry_forward_used, CarryForwardUsed::Always);
    let scores = report.scores.expect("best reports both scores");
    assert_eq!(scores.none, 7.0 / 18.0);
    assert_eq!(scores.always, 17.0 / 18.0);
    assert_eq!(report.score, scores.always);
}

#[test]
fn best_keeps_the_plain_grade_when_it_scores_higher() {
    // A student who writes a wrong (w₁)₂ but then copies the right step 2 (computed from the
    // right 0.5009): against their own number step 2 would be wrong, against the solution right.
    let problem = course_momentum();
    let mut answers = every_line(&solve(&problem));
    let w = answers
        .iter_mut()
        .find(|a| a.step == Some(1) && a.symbol.as_deref() == Some("(w_1)_2"))
        .expect("the course's step 1 has (w_1)_2");
    w.value = 0.7;
    let report = graded(&problem, &spec(answers, CarryForward::Best));
    assert_eq!(report.carry_forward_used, CarryForwardUsed::None);
    let scores = report.scores.expect("best reports both scores");
    assert_eq!(scores.none, 17.0 / 18.0);
    assert!(scores.always < scores.none);
    assert_eq!(report.score, scores.none);
}

#[test]
fn best_prefers_the_plain_grade_on_a_tie() {
    let problem = course_momentum();
    let report = graded(
        &problem,
        &spec(every_line(&solve(&problem)), CarryForward::Best),
    );
    assert_eq!(report.carry_forward_used, CarryForwardUsed::None);
}

#[test]
fn answers_by_pointer_carry_forward_like_answers_by_symbol() {
    // The slip at /steps/0/dw/0; the rest by pointer, final weights included.
    let problem = course_momentum();
    let plain = solve(&problem);
    let slipped = with_slips(&problem, &slip());
    let value_of = |symbol: &str, step: u64| {
        slipped
            .iter()
            .find(|a| a.step == Some(step) && a.symbol.as_deref() == Some(symbol))
            .map(|a| a.value)
            .expect("the slipped trace has every line")
    };
    let answers = vec![
        answer_ptr("/steps/0/dw/0", 0.2),
        answer_ptr("/steps/0/state/velocity/0", value_of("(v_1)_1", 1)),
        answer_ptr("/steps/0/weights_after/0", value_of("(w_1)_2", 1)),
        answer_ptr("/steps/1/forward/0/net", value_of("y_{in}", 2)),
        answer_ptr("/final_weights/0", value_of("(w_1)_3", 2)),
        answer_ptr("/final_weights/1", value_of("(w_2)_3", 2)),
    ];
    let always = graded(
        &problem,
        &spec_with(answers.clone(), CarryForward::Always, FOUR_FIGURES),
    );
    assert_eq!(wrong(&always), vec![(1, "(dw_1)_1".to_string())]);
    let final_weight = &always.results[4];
    assert_eq!(final_weight.address.step, Some(2));
    assert_eq!(final_weight.address.symbol.as_deref(), Some("(w_1)_3"));
    assert_eq!(final_weight.solution_value, plain.final_weights[0]);
    let none = graded(
        &problem,
        &spec_with(answers, CarryForward::None, FOUR_FIGURES),
    );
    // Without carry-forward only (w₂)₃ survives the slip (it moves by less than 4 figures show).
    let right: Vec<&str> = none
        .results
        .iter()
        .filter(|r| r.correct)
        .filter_map(|r| r.address.pointer.as_deref())
        .collect();
    assert_eq!(right, vec!["/final_weights/1"]);
}

#[test]
fn a_value_no_line_computes_is_graded_against_the_solution_even_with_carry_forward() {
    let problem = course_momentum();
    let plain = solve(&problem);
    let final_loss = plain.loss.final_.expect("the course's loss is finite");
    let mut answers = with_slips(&problem, &slip());
    answers.push(answer_ptr("/loss/final", final_loss));
    let report = graded(&problem, &spec(answers, CarryForward::Always));
    let loss = report.results.last().expect("the loss answer is graded");
    assert!(loss.correct && !loss.carried_forward);
    assert_eq!(loss.quantity, "/loss/final");
    assert_eq!(loss.address.step, None);
    assert_eq!(loss.formula, None);
    assert_eq!(loss.expected, final_loss);
}

#[test]
fn the_gradient_by_pointer_is_its_dw_line_under_the_gradient_convention() {
    let problem = course_adam();
    let answers = vec![answer_ptr("/steps/0/gradient/0", -0.0235)];
    let report = graded(&problem, &spec(answers, CarryForward::Always));
    let r = &report.results[0];
    assert_eq!(r.address.symbol.as_deref(), Some("(dw_1)_1"));
    assert!(r.correct);
}

#[test]
fn a_line_is_found_by_its_latex_or_its_plain_symbol() {
    let mut problem = course_adam();
    problem.bias_correction = true;
    let plain = solve(&problem);
    let v_hat = plain.steps[0]
        .lines
        .iter()
        .find(|l| l.symbol == "(\\hat{v}_1)_1")
        .map(|l| l.value)
        .expect("adam with correction has v̂");
    let answers = vec![
        answer_at(1, "(\\hat{v}_1)_1", v_hat),
        answer_at(1, "(v̂_1)_1", v_hat),
        answer_at(1, "( \\hat{v}_{1} )_{1}", v_hat),
        answer_at(1, "y_in", 0.8),
        answer_ptr("/steps/0/lines/0/value", 0.8),
    ];
    let report = graded(&problem, &spec(answers, CarryForward::None));
    assert_eq!(report.score, 1.0);
    for r in &report.results[..3] {
        assert_eq!(r.address.symbol.as_deref(), Some("(\\hat{v}_1)_1"));
        assert_eq!(
            r.address.pointer.as_deref(),
            Some("/steps/0/state/first_moment_corrected/0")
        );
        assert_eq!(r.quantity, "(v̂_1)_1");
    }
    assert_eq!(report.results[4].address.symbol.as_deref(), Some("y_{in}"));
}

#[test]
fn weights_scale_each_answer_and_the_score_is_their_weighted_share() {
    let problem = course_momentum();
    let mut right = answer_at(1, "(w_1)_2", 0.5009414);
    right.weight = Some(3.0);
    let mut wrong_one = answer_at(1, "(w_2)_2", 0.9);
    wrong_one.weight = Some(1.0);
    let mut free = answer_at(1, "y", 0.0);
    free.weight = Some(0.0);
    let report = graded(
        &problem,
        &spec(vec![right, wrong_one, free], CarryForward::None),
    );
    assert_eq!(report.max_points, 4.0);
    assert_eq!(report.points, 3.0);
    assert_eq!(report.score, 0.75);
    assert_eq!(report.first_wrong, Some(1));
    assert_eq!(report.results[0].points, 3.0);
    assert_eq!(report.results[1].points, 0.0);
}

#[test]
fn feedback_names_the_quantity_its_formula_and_the_expected_value_when_wrong() {
    let problem = course_momentum();
    let report = graded(
        &problem,
        &spec_with(
            vec![
                answer_at(1, "(w_1)_2", 0.5009),
                answer_at(1, "(w_2)_2", 0.51),
            ],
            CarryForward::None,
            FOUR_FIGURES,
        ),
    );
    assert_eq!(
        report.results[0].feedback,
        "(w_1)_2 = (w_1)_1 + α (v_1)_1: 0.5009 is correct."
    );
    // 0.5005649 to the fewest figures 4-figure grading accepts: 0.5006.
    assert_eq!(
        report.results[1].feedback,
        "(w_2)_2 = (w_2)_1 + α (v_2)_1: 0.51 is wrong; expected 0.5006."
    );
    assert_eq!(report.results[1].name, "(w_2)_2, step 1");
    assert_eq!(
        report.results[1].formula.as_deref(),
        Some("(w_2)_1 + α (v_2)_1")
    );
}

#[test]
fn a_report_round_trips_through_json() {
    let problem = course_momentum();
    let report = graded(
        &problem,
        &spec(with_slips(&problem, &slip()), CarryForward::Best),
    );
    let json = serde_json::to_string(&report).expect("a report serializes");
    let back: gradtrace::grade::GradeReport = serde_json::from_str(&json).expect("and reads back");
    assert_eq!(back, report);
}

//! Grading a network (docs/contract.md §11): every value addressed by pointer, by step and
//! symbol in either notation, or by the plain-text spelling a student types; a slip carried
//! forward through the forward pass, the δ's and the updates.

use std::collections::BTreeMap;

use gradtrace::grade::{grade, CarryForward};
use gradtrace::solve::*;

use crate::support::*;

/// Every worked line of `solution` answered by its pointer (`/steps/i` and the line's pointer),
/// with the line's value; lines the step does not carry are left out.
fn every_pointer(solution: &Solution) -> Vec<(String, String, f64)> {
    let mut out = Vec::new();
    for (i, step) in solution.steps.iter().enumerate() {
        for (k, line) in step.lines.iter().enumerate() {
            let Some(at) = line.pointer.map(|p| p.to_string()) else {
                continue;
            };
            // The last line a step carries at a pointer is the one the pointer finds.
            let last = step
                .lines
                .iter()
                .rposition(|l| l.pointer.is_some_and(|p| p == at.as_str()));
            if last == Some(k) {
                out.push((format!("/steps/{i}{at}"), line.symbol.tex(), line.value));
            }
        }
    }
    out
}

#[test]
fn every_network_line_is_found_by_its_pointer_and_by_its_symbol_in_either_notation() {
    for problem in network_problems().into_iter().chain([mazur()]) {
        let solution = solve(&problem);
        let by_symbol = graded(&problem, &spec(every_line(&solution), CarryForward::Always));
        assert_all_right(&problem, &by_symbol);
        let pointed = every_pointer(&solution);
        assert!(pointed.len() > 20);
        let answers = pointed
            .iter()
            .map(|(pointer, _, value)| answer_ptr(pointer, *value))
            .collect();
        let report = graded(&problem, &spec(answers, CarryForward::None));
        assert_all_right(&problem, &report);
        for (r, (pointer, symbol, _)) in report.results.iter().zip(&pointed) {
            assert_eq!(r.address.pointer.as_deref(), Some(pointer.as_str()));
            assert_eq!(
                r.address.symbol.as_deref(),
                Some(symbol.as_str()),
                "{pointer}"
            );
        }
    }
}

#[test]
fn a_student_may_type_a_networks_symbols_in_plain_text() {
    let problem = mazur();
    // (typed, the line's symbol)
    let spellings = [
        ("delta_o1", "\\delta_{o1}"),
        ("δ_o1", "\\delta_{o1}"),
        ("delta_{h2}", "\\delta_{h2}"),
        ("out_h1", "out_{h1}"),
        ("outh1", "out_{h1}"),
        ("net_h2", "net_{h2}"),
        ("E_total", "E_{total}"),
        ("E_o2", "E_{o2}"),
        ("(w5)_2", "(w_5)_2"),
        ("w5_2", "(w_5)_2"),
        ("(dw5)_1", "(dw_5)_1"),
        ("(db_o1)_1", "(db_{o1})_1"),
        // Mazur writes the updated weight w5⁺.
        ("w5+", "(w_5)_2"),
        ("w_5^+", "(w_5)_2"),
        ("w_{8}^{+}", "(w_8)_2"),
    ];
    let answers = spellings
        .iter()
        .map(|(typed, _)| answer_at(1, typed, 0.0))
        .collect();
    let report = graded(&problem, &spec(answers, CarryForward::None));
    for (r, (typed, symbol)) in report.results.iter().zip(spellings) {
        assert_eq!(r.address.symbol.as_deref(), Some(symbol), "{typed}");
    }

    let mut layered = problem.clone();
    if let Some(net) = layered.network.as_mut() {
        net.network.style = network::notation::Style::Layered;
        **net = network::NetworkModel::new(net.network.clone());
    }
    let spellings = [
        ("delta^(2)_1", "\\delta^{(2)}_{1}"),
        ("a^(1)_2", "a^{(1)}_{2}"),
        ("a^1_2", "a^{(1)}_{2}"),
        ("z^(2)_2", "z^{(2)}_{2}"),
        ("(w^(2)_12)_2", "(w^{(2)}_{12})_2"),
        ("w^(2)_12+", "(w^{(2)}_{12})_2"),
        ("(dw^(1)_21)_1", "(dw^{(1)}_{21})_1"),
    ];
    let answers = spellings
        .iter()
        .map(|(typed, _)| answer_at(1, typed, 0.0))
        .collect();
    let report = graded(&layered, &spec(answers, CarryForward::None));
    for (r, (typed, symbol)) in report.results.iter().zip(spellings) {
        assert_eq!(r.address.symbol.as_deref(), Some(symbol), "{typed}");
    }
}

#[test]
fn a_bare_weight_is_refused_pointing_to_its_new_value() {
    // `w5` alone is the weight before the update (the problem's), which no line computes.
    let Err(errors) = grade(
        &mazur(),
        &spec(vec![answer_at(1, "w5", 0.4)], CarryForward::None),
    ) else {
        panic!("w5 names no line");
    };
    assert_eq!(errors[0].pointer, "/answers/0/symbol");
    assert!(
        errors[0]
            .detail
            .contains("the new value is `(w_5)_2` (or `w5+`)"),
        "{}",
        errors[0].detail
    );
}

#[test]
fn a_networks_flat_and_final_pointers_find_its_lines() {
    let problem = mazur();
    let w5 = solve(&problem).steps[0]
        .layers
        .as_ref()
        .map_or(f64::NAN, |l| l[1].weights_after[0][0]);
    // w5 is place 4 of the optimizers' vector (no bias is updated).
    let answers = vec![
        answer_ptr("/final_weights/4", w5),
        answer_ptr("/final_network/layers/1/weights/0/0", w5),
        answer_ptr("/steps/0/weights_after/4", w5),
        answer_ptr("/steps/0/gradient/4", 0.082_167_04),
        answer_ptr("/steps/0/layers/1/gradient/0/0", 0.082_167_04),
        answer_ptr("/steps/0/layers/1/bias_gradient/0", 0.138_498_56),
    ];
    let report = graded(&problem, &spec(answers, CarryForward::None));
    let symbols: Vec<Option<&str>> = report
        .results
        .iter()
        .map(|r| r.address.symbol.as_deref())
        .collect();
    assert_eq!(
        symbols,
        [
            Some("(w_5)_2"),
            Some("(w_5)_2"),
            Some("(w_5)_2"),
            Some("(dw_5)_1"),
            Some("(dw_5)_1"),
            Some("(db_{o1})_1")
        ]
    );
    assert!(report.results.iter().all(|r| r.correct), "{report:?}");
}

#[test]
fn a_slip_in_a_network_is_carried_forward_and_costs_one_mark() {
    // δ_o1 written as 0.2 instead of 0.1385: with carry-forward every later line — δ_h1, w5's
    // gradient and new value, the next epoch's forward pass — is judged from the student's δ.
    let mut checked = 0;
    for problem in network_problems() {
        let delta = match problem.network.as_deref().map(|n| n.network.style) {
            Some(network::notation::Style::Numbered) => "\\delta_{o1}",
            _ => "\\delta^{(2)}_{1}",
        };
        let first = solve(&problem);
        let Some(line) = first.steps[0].lines.iter().find(|l| l.symbol == delta) else {
            continue; // a batch tags its δ's by sample; the other problems show it
        };
        let slips = BTreeMap::from([(1, BTreeMap::from([(delta.to_string(), line.value + 0.05)]))]);
        let answers = with_slips(&problem, &slips);
        let carried = graded(&problem, &spec(answers.clone(), CarryForward::Always));
        let wrong = wrong(&carried);
        assert_eq!(wrong, [(1, delta.to_string())], "{wrong:?}");
        assert!(carried.results.iter().any(|r| r.carried_forward));
        let plain = graded(&problem, &spec(answers, CarryForward::None));
        assert!(plain.results.iter().filter(|r| !r.correct).count() > 5);
        // Best keeps the carried score.
        let best = graded(
            &problem,
            &spec(with_slips(&problem, &slips), CarryForward::Best),
        );
        assert_eq!(best.score, carried.score);
        checked += 1;
    }
    assert_eq!(checked, 2, "the two online problems");
}

//! Conjugate gradient (docs/contract.md §3.2): finite termination on a quadratic, each β rule against its
//! formula recomputed from the trace's own gradients and directions, restarts, and the
//! orthogonality an exact line search guarantees.

use gradtrace::solve::*;
use proptest::prelude::*;

use crate::support::{assert_all_finite, course_samples, dot, exact_cg, problem};

/// Five samples of three inputs; a linear neuron with squared error makes the mean loss a
/// quadratic whose minimizer solves the normal equations XᵀX w = Xᵀt.
fn quadratic_samples() -> Vec<(Vec<f64>, f64)> {
    vec![
        (vec![1.0, 0.6, 0.2], 0.8),
        (vec![0.5, 0.5, 1.0], 0.6),
        (vec![0.2, 0.8, 0.4], 0.3),
        (vec![0.9, 0.1, 0.7], 0.5),
        (vec![0.3, 0.4, 0.9], 0.2),
    ]
}

/// The least-squares weights by Gaussian elimination on the normal equations — written here,
/// independently of the core.
fn least_squares(samples: &[(Vec<f64>, f64)]) -> Vec<f64> {
    let n = samples[0].0.len();
    let mut a = vec![vec![0.0; n + 1]; n];
    for (x, t) in samples {
        for i in 0..n {
            for j in 0..n {
                a[i][j] += x[i] * x[j];
            }
            a[i][n] += x[i] * t;
        }
    }
    for col in 0..n {
        let pivot = (col..n)
            .max_by(|&r, &s| a[r][col].abs().total_cmp(&a[s][col].abs()))
            .unwrap();
        a.swap(col, pivot);
        let pivot_row = a[col].clone();
        for (row, cells) in a.iter_mut().enumerate() {
            if row != col {
                let factor = cells[col] / pivot_row[col];
                for (cell, p) in cells.iter_mut().zip(&pivot_row).skip(col) {
                    *cell -= factor * p;
                }
            }
        }
    }
    (0..n).map(|i| a[i][n] / a[i][i]).collect()
}

fn linear_quadratic(formula: BetaFormula, epochs: u64) -> Problem {
    let mut p = problem(
        quadratic_samples(),
        vec![0.0, 0.0, 0.0],
        exact_cg(formula, 3),
    );
    p.activation = Activation::Linear;
    p.epochs = epochs;
    p
}

#[test]
fn exact_line_search_reaches_the_least_squares_weights_within_three_iterations() {
    let expected = least_squares(&quadratic_samples());
    for formula in [
        BetaFormula::FletcherReeves,
        BetaFormula::PolakRibiere,
        BetaFormula::PolakRibierePlus,
        BetaFormula::HestenesStiefel,
    ] {
        let solution = solve(&linear_quadratic(formula, 3));
        assert!(solution.steps.len() <= 3);
        for (got, want) in solution.final_weights.iter().zip(&expected) {
            assert!(
                (got - want).abs() < 1e-8,
                "{formula:?}: {got} vs least squares {want}"
            );
        }
        // A fourth iteration finds the gradient within tolerance (or barely moves).
        let more = solve(&linear_quadratic(formula, 10));
        for (got, want) in more.final_weights.iter().zip(&expected) {
            assert!((got - want).abs() < 1e-8);
        }
    }
}

#[test]
fn a_run_at_the_minimum_converges_before_updating() {
    let mut p = linear_quadratic(BetaFormula::FletcherReeves, 5);
    p.weights = least_squares(&quadratic_samples());
    if let Optimizer::ConjugateGradient { tolerance, .. } = &mut p.optimizer {
        *tolerance = 1e-9;
    }
    let solution = solve(&p);
    assert_eq!(solution.status, Status::Converged);
    assert!(solution.steps.is_empty());
}

/// A logistic problem (not a quadratic), on which the four β rules really differ.
fn logistic(formula: BetaFormula) -> Problem {
    let mut p = problem(course_samples(3), vec![0.5, 0.5], exact_cg(formula, 100));
    p.epochs = 4;
    p
}

/// β_k recomputed from the trace: g_k = step k's gradient, d_{k−1} = step k−1's direction.
fn check_beta(formula: BetaFormula, rule: impl Fn(&[f64], &[f64], &[f64]) -> f64) {
    let solution = solve(&logistic(formula));
    assert!(solution.steps.len() >= 3, "{:?}", solution.status);
    for pair in solution.steps.windows(2) {
        let (previous, step) = (&pair[0], &pair[1]);
        let previous_direction = &previous.conjugate.as_ref().unwrap().direction;
        let detail = step.conjugate.as_ref().unwrap();
        if detail.restarted {
            continue;
        }
        let expected = rule(&step.gradient, &previous.gradient, previous_direction);
        assert!(
            (detail.beta - expected).abs() <= 1e-12 * expected.abs().max(1e-300),
            "{formula:?} k={}: β {} vs {}",
            detail.k,
            detail.beta,
            expected
        );
        // d_k = −g_k + β_k d_{k−1}
        for ((g, d_prev), d) in step
            .gradient
            .iter()
            .zip(previous_direction)
            .zip(&detail.direction)
        {
            assert!((d - (-g + detail.beta * d_prev)).abs() < 1e-15);
        }
    }
}

fn difference(a: &[f64], b: &[f64]) -> Vec<f64> {
    a.iter().zip(b).map(|(x, y)| x - y).collect()
}

#[test]
fn fletcher_reeves_beta_is_the_ratio_of_squared_gradient_norms() {
    check_beta(BetaFormula::FletcherReeves, |g, g0, _| {
        dot(g, g) / dot(g0, g0)
    });
}

#[test]
fn polak_ribiere_beta_uses_the_gradient_change() {
    check_beta(BetaFormula::PolakRibiere, |g, g0, _| {
        dot(g, &difference(g, g0)) / dot(g0, g0)
    });
}

#[test]
fn polak_ribiere_plus_beta_is_never_negative() {
    check_beta(BetaFormula::PolakRibierePlus, |g, g0, _| {
        (dot(g, &difference(g, g0)) / dot(g0, g0)).max(0.0)
    });
}

#[test]
fn hestenes_stiefel_beta_divides_by_the_previous_direction_times_the_change() {
    check_beta(BetaFormula::HestenesStiefel, |g, g0, d0| {
        let y = difference(g, g0);
        dot(g, &y) / dot(d0, &y)
    });
}

#[test]
fn restart_every_one_is_steepest_descent() {
    let mut p = logistic(BetaFormula::FletcherReeves);
    if let Optimizer::ConjugateGradient { restart_every, .. } = &mut p.optimizer {
        *restart_every = 1;
    }
    let solution = solve(&p);
    for step in &solution.steps {
        let detail = step.conjugate.as_ref().unwrap();
        assert_eq!(detail.beta, 0.0);
        for (d, g) in detail.direction.iter().zip(&step.gradient) {
            assert_eq!(*d, -g);
        }
    }
}

#[test]
fn fixed_step_uses_the_learning_rate_as_eta() {
    let mut p = logistic(BetaFormula::FletcherReeves);
    p.optimizer = Optimizer::ConjugateGradient {
        beta_formula: BetaFormula::FletcherReeves,
        line_search: LineSearch::Fixed { learning_rate: 0.3 },
        restart_every: 2,
        tolerance: 0.0,
    };
    let solution = solve(&p);
    for step in &solution.steps {
        assert_eq!(step.learning_rate, 0.3);
        let detail = step.conjugate.as_ref().unwrap();
        for i in 0..2 {
            let expected = step.weights_before[i] + 0.3 * detail.direction[i];
            assert_eq!(step.weights_after[i], expected);
        }
    }
}

fn sample_strategy(n: usize) -> impl Strategy<Value = (Vec<f64>, f64)> {
    (prop::collection::vec(-2.0..2.0f64, n), 0.0..1.0f64)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// After an exact line search, the new gradient is orthogonal to the direction searched:
    /// |g_{k+1}ᵀ d_k| ≤ 1e-9 |g_kᵀ d_k| (docs/contract.md §3.2), up to floating-point resolution.
    #[test]
    fn new_gradient_is_orthogonal_to_the_previous_direction(
        samples in (1usize..4).prop_flat_map(|n| prop::collection::vec(sample_strategy(n), 1..5)),
        seed_weight in -1.0..1.0f64,
        linear in any::<bool>(),
        formula in prop::sample::select(vec![
            BetaFormula::FletcherReeves, BetaFormula::PolakRibiere,
            BetaFormula::PolakRibierePlus, BetaFormula::HestenesStiefel,
        ]),
    ) {
        let n = samples[0].0.len();
        let mut p = problem(samples, vec![seed_weight; n], exact_cg(formula, n));
        p.epochs = 4;
        if linear { p.activation = Activation::Linear; }
        let solution = solve(&p);
        assert_all_finite(&solution);
        let warned_resolution = |k: u64| solution.warnings.iter().any(|w| {
            w.step == Some(k + 1) && (w.code == "line_search_resolution" || w.code == "line_search_max_step")
        });
        for pair in solution.steps.windows(2) {
            let detail = pair[0].conjugate.as_ref().unwrap();
            if warned_resolution(detail.k) {
                continue;
            }
            let next_gradient: Vec<f64> = pair[1].gradient.clone();
            let along = dot(&next_gradient, &detail.direction);
            prop_assert!(
                along.abs() <= 1e-9 * detail.directional_derivative.abs() + 1e-15,
                "k={}: g_(k+1)·d_k = {} vs g_k·d_k = {}", detail.k, along, detail.directional_derivative
            );
        }
    }
}

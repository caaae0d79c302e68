//! The JSON written straight from the trace (`Solution::write_json`, what the service sends) is
//! byte for byte the JSON of its `Serialize` (the edge's encoder, `api::json`, over `Solution::view`; both write -0.0 as 0.0), at every
//! display precision, for every algorithm under every option; and a diverging run's too.

use gradtrace::solve::expr::Precision;
use gradtrace::solve::*;

use crate::support::{all_option_problems, problem};

fn assert_same_bytes(solution: &Solution, what: &str) {
    for precision in [
        None,
        Some(Precision::Full),
        Some(Precision::Significant(1)),
        Some(Precision::Significant(4)),
        Some(Precision::Significant(13)),
        Some(Precision::Significant(17)),
    ] {
        let mut written = Vec::new();
        solution.write_json(&mut written, precision);
        let serialized = gradtrace::wire::json::to_vec(&solution.view(precision)).unwrap();
        assert_eq!(
            String::from_utf8_lossy(&written),
            String::from_utf8_lossy(&serialized),
            "{what} at {precision:?}"
        );
        for step in &solution.steps {
            let mut one = Vec::new();
            step.write_json(&mut one, precision);
            assert_eq!(
                one,
                gradtrace::wire::json::to_vec(&step.view(precision)).unwrap()
            );
        }
    }
}

#[test]
fn the_written_json_is_the_serialized_json() {
    for (i, p) in all_option_problems().iter().enumerate() {
        let solution = solve(p);
        assert_same_bytes(&solution, &format!("problem {i} ({})", p.optimizer.name()));
    }
}

#[test]
fn a_diverging_run_writes_the_same_json() {
    let mut p = problem(
        vec![(vec![1e300], 0.5)],
        vec![1e10],
        Optimizer::Gd {
            learning_rate: 1e300,
        },
    );
    p.activation = Activation::Linear;
    p.epochs = 3;
    let solution = solve(&p);
    assert_eq!(solution.status, Status::Diverged);
    assert_same_bytes(&solution, "diverging gd");
}

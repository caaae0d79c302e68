//! Each tolerance mode's boundaries, as PrairieLearn defines them (`is_correct_scalar_ra`,
//! `is_correct_scalar_sf`, `is_correct_scalar_dd` in PrairieLearn's `prairielearn/core.py`):
//! relabs `|s − t| ≤ atol + rtol·|t|` (closed), sigfig and decdig `t − eps < s < t + eps` (open),
//! with t = 0 handled as PrairieLearn does.

use gradtrace::grade::{CarryForward, IntervalEnds, Tolerance};
use gradtrace::solve::solve;

use crate::support::*;

/// The course momentum example's (w₁)₂ = 0.5009414210140593 (docs/contract.md §10 prints 0.5009).
fn w12() -> f64 {
    solve(&course_momentum()).steps[0].weights_after[0]
}

fn accepts(tolerance: Tolerance, given: f64, expected: f64) -> bool {
    tolerance.judge(given, expected).correct
}

#[test]
fn sigfig_with_four_digits_around_the_course_weight_accepts_0_5009_and_rejects_0_5010() {
    let t = w12();
    assert!((t - 0.500941).abs() < 1e-6);
    let sigfig = Tolerance::Sigfig { digits: 4 };
    // n = 4 − 1 − ⌊log10 0.5009⌋ = 4, eps = 0.51e-4: accepted in (0.500890, 0.500992).
    assert!(accepts(sigfig, 0.5009, t));
    assert!(!accepts(sigfig, 0.5010, t));
    assert!(accepts(sigfig, 0.50099, t));
    assert!(!accepts(sigfig, 0.50089, t));
    let j = sigfig.judge(0.5009, t);
    assert_eq!(j.ends, IntervalEnds::Open);
    assert!((j.lo - (t - 0.000051)).abs() < 1e-15);
    assert!((j.hi - (t + 0.000051)).abs() < 1e-15);
}

#[test]
fn sigfig_and_decdig_intervals_are_open_at_both_ends() {
    let t = w12();
    for tolerance in [
        Tolerance::Sigfig { digits: 4 },
        Tolerance::Sigfig { digits: 1 },
        Tolerance::Decdig { digits: 3 },
        Tolerance::Decdig { digits: 0 },
    ] {
        for expected in [t, 0.0, -t, 1234.5] {
            let j = tolerance.judge(expected, expected);
            assert!(j.correct, "{tolerance:?} accepts the exact value");
            assert!(
                !accepts(tolerance, j.lo, expected),
                "{tolerance:?} {expected}"
            );
            assert!(
                !accepts(tolerance, j.hi, expected),
                "{tolerance:?} {expected}"
            );
            assert!(accepts(tolerance, j.lo.next_up(), expected));
            assert!(accepts(tolerance, j.hi.next_down(), expected));
        }
    }
}

#[test]
fn sigfig_at_zero_uses_digits_minus_one_decimals() {
    // PrairieLearn: `if a_tru == 0: n = digits - 1`, so 2 digits accept |s| < 0.051.
    let sigfig = Tolerance::Sigfig { digits: 2 };
    assert!(accepts(sigfig, 0.05, 0.0));
    assert!(accepts(sigfig, -0.05, 0.0));
    assert!(!accepts(sigfig, 0.052, 0.0));
    assert!(!accepts(sigfig, -0.052, 0.0));
    let j = sigfig.judge(0.0, 0.0);
    assert!((j.hi - 0.051).abs() < 1e-17 && (j.lo + 0.051).abs() < 1e-17);
}

#[test]
fn sigfig_counts_figures_from_the_leading_digit_for_large_and_negative_values() {
    let sigfig = Tolerance::Sigfig { digits: 3 };
    // t = −1234.5: n = 3 − 1 − 3 = −1, eps = 5.1.
    assert!(accepts(sigfig, -1230.0, -1234.5));
    assert!(accepts(sigfig, -1239.5, -1234.5));
    assert!(!accepts(sigfig, -1240.0, -1234.5));
    // Exactly a power of ten: ⌊log10 100⌋ = 2, n = 0, eps = 0.51.
    assert!(accepts(sigfig, 100.5, 100.0));
    assert!(!accepts(sigfig, 100.52, 100.0));
}

#[test]
fn decdig_with_three_digits_around_the_course_weight() {
    let t = w12();
    let decdig = Tolerance::Decdig { digits: 3 };
    // eps = 0.51e-3: accepted in (0.500431, 0.501451).
    assert!(accepts(decdig, 0.501, t));
    assert!(accepts(decdig, 0.5005, t));
    assert!(!accepts(decdig, 0.500, t));
    assert!(!accepts(decdig, 0.5004, t));
    assert!(!accepts(decdig, 0.5015, t));
}

#[test]
fn decdig_at_zero_is_the_same_band() {
    // eps = 0.51e-2, whatever t is.
    let decdig = Tolerance::Decdig { digits: 2 };
    assert!(accepts(decdig, 0.005, 0.0));
    assert!(accepts(decdig, -0.005, 0.0));
    assert!(!accepts(decdig, 0.0052, 0.0));
    assert!(!accepts(decdig, -0.0052, 0.0));
}

#[test]
fn relabs_defaults_to_one_percent_and_is_closed() {
    let t = w12();
    let relabs = Tolerance::default();
    assert_eq!(
        relabs,
        Tolerance::Relabs {
            rtol: 1e-2,
            atol: 1e-8
        }
    );
    // allowed = 1e-8 + 0.01 × 0.5009414 = 0.005009424.
    assert!(accepts(relabs, 0.496, t));
    assert!(!accepts(relabs, 0.4959, t));
    assert!(accepts(relabs, 0.5059, t));
    assert!(!accepts(relabs, 0.506, t));
    assert_eq!(relabs.judge(t, t).ends, IntervalEnds::Closed);
    // A bound that is exact in f64: t = 2, rtol 0.5, atol 0 allow exactly 1 either way.
    let half = Tolerance::Relabs {
        rtol: 0.5,
        atol: 0.0,
    };
    let j = half.judge(3.0, 2.0);
    assert_eq!((j.lo, j.hi), (1.0, 3.0));
    assert!(j.correct);
    assert!(accepts(half, 1.0, 2.0));
    assert!(!accepts(half, 3.0f64.next_up(), 2.0));
    // 1 − 2⁻⁵³ is 1 + 2⁻⁵³ from 2, which rounds to exactly 1 in f64 (as in numpy): one step
    // further out is rejected.
    assert!(accepts(half, 1.0f64.next_down(), 2.0));
    assert!(!accepts(half, 0.999_999_999_999_999, 2.0));
}

#[test]
fn relabs_at_zero_is_the_absolute_tolerance_alone() {
    let relabs = Tolerance::default();
    assert!(accepts(relabs, 1e-8, 0.0));
    assert!(accepts(relabs, -1e-8, 0.0));
    assert!(!accepts(relabs, 1e-8f64.next_up(), 0.0));
    assert!(!accepts(relabs, 1.1e-8, 0.0));
    let j = relabs.judge(0.0, 0.0);
    assert_eq!((j.lo, j.hi), (-1e-8, 1e-8));
}

#[test]
fn an_answer_carries_the_interval_and_tolerance_it_was_judged_with() {
    let t = w12();
    let mut per_answer = answer_at(1, "(w_1)_2", 0.5010);
    per_answer.tolerance = Some(Tolerance::Sigfig { digits: 4 });
    let everyone = answer_at(1, "(w_2)_2", 0.5006);
    let report = graded(
        &course_momentum(),
        &spec_with(
            vec![per_answer, everyone],
            CarryForward::None,
            Tolerance::Decdig { digits: 4 },
        ),
    );
    let first = &report.results[0];
    assert!(!first.correct);
    assert_eq!(first.tolerance, Tolerance::Sigfig { digits: 4 });
    assert_eq!(first.interval_ends, IntervalEnds::Open);
    assert!((first.interval[0] - (t - 0.000051)).abs() < 1e-15);
    assert!((first.interval[1] - (t + 0.000051)).abs() < 1e-15);
    let second = &report.results[1];
    assert_eq!(second.tolerance, Tolerance::Decdig { digits: 4 });
    assert!(second.correct);
}

#[test]
fn extreme_tolerances_give_finite_intervals() {
    // 0 significant figures of 1e308: eps = 0.51e309 overflows; the bounds stay numbers.
    let j = Tolerance::Sigfig { digits: 0 }.judge(1e308, 1e308);
    assert!(j.lo.is_finite() && j.hi.is_finite());
    let j = Tolerance::Relabs {
        rtol: 1e300,
        atol: 1e300,
    }
    .judge(0.0, -1e300);
    assert!(j.lo.is_finite() && j.hi.is_finite() && j.correct);
    let j = Tolerance::Decdig { digits: u32::MAX }.judge(0.5, 0.5);
    assert!(j.lo.is_finite() && j.hi.is_finite());
}

#[test]
fn tolerances_read_from_json_with_prairielearn_defaults() {
    let read = |text: &str| serde_json::from_str::<Tolerance>(text);
    assert_eq!(
        read(r#"{"mode": "relabs"}"#).ok(),
        Some(Tolerance::Relabs {
            rtol: 1e-2,
            atol: 1e-8
        })
    );
    assert_eq!(
        read(r#"{"mode": "sigfig"}"#).ok(),
        Some(Tolerance::Sigfig { digits: 2 })
    );
    assert_eq!(
        read(r#"{"mode": "decdig", "digits": 3}"#).ok(),
        Some(Tolerance::Decdig { digits: 3 })
    );
    assert!(read(r#"{"mode": "sigfig", "rtol": 0.1}"#).is_err());
    assert!(read(r#"{"mode": "percent"}"#).is_err());
    assert!(read(r#"{"mode": "decdig", "digits": -1}"#).is_err());
}

#[test]
fn a_tolerance_describes_itself_in_a_few_words() {
    assert_eq!(
        Tolerance::default().describe(),
        "relative 0.01, absolute 1e-8"
    );
    assert_eq!(
        Tolerance::Sigfig { digits: 4 }.describe(),
        "4 significant figures"
    );
    assert_eq!(
        Tolerance::Decdig { digits: 3 }.describe(),
        "3 decimal digits"
    );
}

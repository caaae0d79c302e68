//! Exact line search for conjugate gradient (docs/contract.md §3.2): minimize `φ(η) = E(w + η d)` over
//! `0 ≤ η ≤ max_step` by finding a zero of the directional derivative `φ′(η) = ∇E(w + η d)ᵀ d`.
//!
//! Bracketing by doubling, then regula falsi with the Illinois modification (exact in one step on
//! a quadratic, where `φ′` is linear), falling back to bisection; it stops once
//! `|φ′(η)| ≤ 1e-9 · |φ′(0)|`.

/// How the search ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineSearchResult {
    pub step: f64,
    /// `φ′` at `step`.
    pub derivative: f64,
    /// The minimum lies at (or beyond) `max_step`.
    pub at_max_step: bool,
    /// The interval shrank to floating-point resolution before the tolerance was met.
    pub resolution_limited: bool,
    /// How many times `φ′` was evaluated.
    pub evaluations: u32,
}

/// Relative tolerance on the directional derivative.
pub const RELATIVE_TOLERANCE: f64 = 1e-9;
const MAX_EVALUATIONS: u32 = 400;

/// Search along a descent direction: `derivative_at_zero = φ′(0)` must be negative.
pub fn exact(
    derivative_at_zero: f64,
    max_step: f64,
    mut derivative: impl FnMut(f64) -> f64,
) -> LineSearchResult {
    let target = RELATIVE_TOLERANCE * derivative_at_zero.abs();
    let mut evaluations = 0;
    let mut eval = |eta: f64, count: &mut u32| {
        *count += 1;
        derivative(eta)
    };
    let (mut lo, mut d_lo) = (0.0_f64, derivative_at_zero);
    let mut eta = max_step.min(1.0);
    // Bracket: grow η until φ′ turns non-negative (or not finite: treated as an overshoot).
    let (mut hi, mut d_hi) = loop {
        let d = eval(eta, &mut evaluations);
        if d.is_finite() && d.abs() <= target {
            return done(eta, d, false, false, evaluations);
        }
        if !d.is_finite() || d > 0.0 {
            break (eta, d);
        }
        lo = eta;
        d_lo = d;
        if eta >= max_step || evaluations >= MAX_EVALUATIONS {
            return done(eta, d, true, false, evaluations);
        }
        eta = (eta * 2.0).min(max_step);
    };
    let mut last_side = 0_i8;
    while evaluations < MAX_EVALUATIONS {
        let secant = if d_hi.is_finite() {
            lo - d_lo * (hi - lo) / (d_hi - d_lo)
        } else {
            f64::NAN
        };
        let mid = lo + (hi - lo) / 2.0;
        let candidate = if secant.is_finite() && secant > lo && secant < hi {
            secant
        } else {
            mid
        };
        if candidate <= lo || candidate >= hi {
            // No representable point left between lo and hi.
            let (step, d) = if d_hi.is_finite() && d_hi.abs() < d_lo.abs() {
                (hi, d_hi)
            } else {
                (lo, d_lo)
            };
            return done(step, d, false, true, evaluations);
        }
        let d = eval(candidate, &mut evaluations);
        if d.is_finite() && d.abs() <= target {
            return done(candidate, d, false, false, evaluations);
        }
        if d.is_finite() && d < 0.0 {
            lo = candidate;
            d_lo = d;
            if last_side == -1 && d_hi.is_finite() {
                d_hi /= 2.0;
            }
            last_side = -1;
        } else {
            hi = candidate;
            d_hi = d;
            if last_side == 1 {
                d_lo /= 2.0;
            }
            last_side = 1;
        }
    }
    done(lo, d_lo, false, true, evaluations)
}

fn done(
    step: f64,
    derivative: f64,
    at_max_step: bool,
    resolution_limited: bool,
    evaluations: u32,
) -> LineSearchResult {
    LineSearchResult {
        step,
        derivative,
        at_max_step,
        resolution_limited,
        evaluations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quadratic_is_minimized_in_one_secant_step() {
        // φ(η) = (η − 3)², φ′(η) = 2(η − 3); φ′(0) = −6.
        let result = exact(-6.0, 1000.0, |eta| 2.0 * (eta - 3.0));
        assert!((result.step - 3.0).abs() < 1e-12, "{result:?}");
        assert!(!result.at_max_step);
    }

    #[test]
    fn a_minimum_beyond_max_step_stops_there() {
        let result = exact(-1.0, 5.0, |_| -1.0);
        assert_eq!(result.step, 5.0);
        assert!(result.at_max_step);
    }

    #[test]
    fn a_non_quadratic_meets_the_relative_tolerance() {
        // φ(η) = exp(η) − 4η, minimum at ln 4.
        let result = exact(1.0 - 4.0, 1000.0, |eta| eta.exp() - 4.0);
        assert!(result.derivative.abs() <= 1e-9 * 3.0);
        assert!((result.step - 4f64.ln()).abs() < 1e-9);
    }
}

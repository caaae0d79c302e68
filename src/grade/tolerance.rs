//! Tolerances with the exact semantics of PrairieLearn's `pl-number-input`, so a grader that
//! moves over from PrairieLearn keeps its settings and its boundaries.
//!
//! Verified against PrairieLearn's source (`apps/prairielearn/python/prairielearn/core.py` and
//! `apps/prairielearn/elements/pl-number-input/pl-number-input.py` in PrairieLearn/PrairieLearn):
//!
//! - `relabs` is `is_correct_scalar_ra`, i.e. `numpy.allclose(a_sub, a_tru, rtol, atol)`:
//!   `|s − t| ≤ atol + rtol·|t|` — non-strict, so the accepted interval is **closed**.
//!   `pl-number-input`'s defaults are `rtol = 1e-2`, `atol = 1e-8`, and it rejects negative ones.
//! - `sigfig` is `is_correct_scalar_sf`: `n = −⌊log10|t|⌋ + (digits − 1)`, or `n = digits − 1`
//!   when `t = 0`; `eps = 0.51 · 10^−n`; accepted when `t − eps < s < t + eps` — strict, so the
//!   interval is **open**.
//! - `decdig` is `is_correct_scalar_dd`: `eps = 0.51 · 10^−digits`; accepted when
//!   `t − eps < s < t + eps` — strict, **open**.
//! - `digits` defaults to 2 and must be non-negative (`DIGITS_DEFAULT`, and the element's check).
//!
//! The bounds are computed as PrairieLearn computes them — `lower = t − eps`, `upper = t + eps`
//! in f64, then compared — so a value on the reported bound is judged exactly as PrairieLearn
//! judges it. No I/O, no panics.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::solve::expr::{count, format_number, Precision};

/// PrairieLearn's `RTOL_DEFAULT`.
pub const DEFAULT_RTOL: f64 = 1e-2;
/// PrairieLearn's `ATOL_DEFAULT`.
pub const DEFAULT_ATOL: f64 = 1e-8;
/// PrairieLearn's `DIGITS_DEFAULT`.
pub const DEFAULT_DIGITS: u32 = 2;

fn default_rtol() -> f64 {
    DEFAULT_RTOL
}
fn default_atol() -> f64 {
    DEFAULT_ATOL
}
fn default_digits() -> u32 {
    DEFAULT_DIGITS
}

/// How close a given value must be to the expected one (PrairieLearn's `comparison`).
/// Absent, a grade uses `relabs` with `rtol` 1e-2 and `atol` 1e-8, PrairieLearn's default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(tag = "mode", rename_all = "snake_case", deny_unknown_fields)]
pub enum Tolerance {
    /// `|s − t| ≤ atol + rtol·|t|` (numpy.allclose). The accepted interval is closed.
    Relabs {
        /// Relative tolerance, ≥ 0.
        #[serde(default = "default_rtol")]
        #[schema(default = 0.01, example = 0.01, minimum = 0.0, nullable)]
        rtol: f64,
        /// Absolute tolerance, ≥ 0.
        #[serde(default = "default_atol")]
        #[schema(default = 1e-8, example = 1e-8, minimum = 0.0, nullable)]
        atol: f64,
    },
    /// `|s − t| < 0.51·10^−n` with `n = digits − 1 − ⌊log10|t|⌋` (`n = digits − 1` when
    /// `t = 0`): `digits` significant figures. The accepted interval is open.
    Sigfig {
        /// Significant figures, ≥ 0.
        #[serde(default = "default_digits")]
        #[schema(default = 2, example = 4, nullable)]
        digits: u32,
    },
    /// `|s − t| < 0.51·10^−digits`: `digits` digits after the decimal point. The accepted
    /// interval is open.
    Decdig {
        /// Digits after the decimal point, ≥ 0.
        #[serde(default = "default_digits")]
        #[schema(default = 2, example = 3, nullable)]
        digits: u32,
    },
}

impl Default for Tolerance {
    fn default() -> Self {
        Tolerance::Relabs {
            rtol: DEFAULT_RTOL,
            atol: DEFAULT_ATOL,
        }
    }
}

/// Whether the ends of an accepted interval belong to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntervalEnds {
    /// `lo ≤ s ≤ hi` (`relabs`).
    Closed,
    /// `lo < s < hi` (`sigfig`, `decdig`).
    Open,
}

/// The verdict on one value: whether it is accepted, and the accepted interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    pub correct: bool,
    pub lo: f64,
    pub hi: f64,
    pub ends: IntervalEnds,
}

impl Tolerance {
    /// What is wrong with the tolerance's parameters, as `(field, detail)` pairs: PrairieLearn
    /// rejects negative `rtol` and `atol`; non-finite ones would make every bound meaningless.
    pub fn problems(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Tolerance::Relabs { rtol, atol } = *self {
            for (name, value) in [("rtol", rtol), ("atol", atol)] {
                if !value.is_finite() || value < 0.0 {
                    out.push((name, "must be a finite number ≥ 0".to_string()));
                }
            }
        }
        out
    }

    /// Judge `given` against `expected`, as PrairieLearn's number input does.
    pub fn judge(&self, given: f64, expected: f64) -> Judgement {
        match *self {
            Tolerance::Relabs { rtol, atol } => {
                // numpy.allclose: absolute(a − b) <= (atol + rtol * absolute(b)), b the truth.
                let allowed = atol + rtol * expected.abs();
                let correct = (given - expected).abs() <= allowed;
                Judgement {
                    correct,
                    lo: finite(expected - allowed),
                    hi: finite(expected + allowed),
                    ends: IntervalEnds::Closed,
                }
            }
            Tolerance::Sigfig { digits } => {
                // n = −⌊log10|t|⌋ + (digits − 1); n = digits − 1 when t = 0.
                let n = if expected == 0.0 {
                    i64::from(digits) - 1
                } else {
                    i64::from(digits) - 1 - expected.abs().log10().floor() as i64
                };
                strict_band(given, expected, n)
            }
            Tolerance::Decdig { digits } => strict_band(given, expected, i64::from(digits)),
        }
    }

    /// The tolerance in a few words, for feedback: `relative 0.01, absolute 1e-8`,
    /// `4 significant figures`, `3 decimal digits`.
    pub fn describe(&self) -> String {
        match *self {
            Tolerance::Relabs { rtol, atol } => format!(
                "relative {}, absolute {}",
                format_number(rtol, Precision::Full, false),
                format_number(atol, Precision::Full, false)
            ),
            Tolerance::Sigfig { digits } => {
                count(digits, "significant figure", "significant figures")
            }
            Tolerance::Decdig { digits } => count(digits, "decimal digit", "decimal digits"),
        }
    }
}

/// `t − eps < s < t + eps` with `eps = 0.51 · 10^−n`, bounds computed as PrairieLearn does.
fn strict_band(given: f64, expected: f64, n: i64) -> Judgement {
    // Python evaluates `10**-n` for an int n as an exact integer when −n ≥ 0 and as C's
    // pow(10.0, −n) otherwise; powf is that libm pow, exact for 10^0 … 10^22, so the bounds are
    // PrairieLearn's bit for bit in every practical case. (Not powi: the standard library
    // documents its precision as unspecified.)
    let eps = 0.51 * 10f64.powf(-(n as f64));
    let lower = expected - eps;
    let upper = expected + eps;
    Judgement {
        correct: given > lower && given < upper,
        lo: finite(lower),
        hi: finite(upper),
        ends: IntervalEnds::Open,
    }
}

/// A bound that serializes: an overflowed one becomes the largest finite f64 of its sign (JSON
/// has no infinity, and serde_json would silently write `null`).
fn finite(bound: f64) -> f64 {
    if bound.is_nan() {
        0.0
    } else {
        bound.clamp(-f64::MAX, f64::MAX)
    }
}

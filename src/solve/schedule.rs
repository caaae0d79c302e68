//! Learning-rate schedules (docs/contract.md §5, the course's "learning rate annealing").

#[cfg(test)]
use super::expr::power;
use super::expr::{ArenaScope, Expr, Num};
use super::number::Precision;
use super::problem::{Schedule, ScheduleKind, SchedulePer};
use super::symbol::{Const, Symbol};
use super::trace::Line;

/// The `e` the schedule formula sees at update `t` (1-based) of epoch `epoch_offset` (0-based).
pub fn schedule_input(schedule: &Schedule, epoch_offset: u64, t: u64) -> u64 {
    match schedule.per {
        SchedulePer::Epoch => schedule.first_epoch.saturating_add(epoch_offset),
        SchedulePer::Update => schedule.first_epoch.saturating_add(t.saturating_sub(1)),
    }
}

/// The rate at `e` as a formula: `α₀ / (1 + decay_rate · e)`, `α₀ · drop^⌊e / epochs_drop⌋`
/// or `α₀ · exp(−k · e)`.
pub fn rate_expr<N: Num>(alpha0: f64, kind: ScheduleKind, e: u64) -> N {
    let alpha0 = N::q(Symbol::Const(Const::Alpha0), alpha0);
    let epoch = N::q(Symbol::Const(Const::E), e as f64);
    match kind {
        ScheduleKind::TimeBased { decay_rate } => {
            alpha0 / (N::lit(1.0) + N::q(Symbol::Const(Const::DecayRate), decay_rate) * epoch)
        }
        ScheduleKind::Step {
            drop_rate,
            epochs_drop,
        } => {
            let drops = e.checked_div(epochs_drop).unwrap_or(0);
            alpha0
                * N::q(Symbol::Const(Const::DropRate), drop_rate)
                    .pow(N::q(Symbol::Floor(epochs_drop), drops as f64))
        }
        ScheduleKind::Exponential { k } => {
            alpha0 * (-(N::q(Symbol::Const(Const::K), k) * epoch)).exp()
        }
    }
}

/// The rate at `e`.
pub fn rate(alpha0: f64, kind: ScheduleKind, e: u64) -> f64 {
    rate_expr::<f64>(alpha0, kind, e)
}

/// How the rate of epoch `e` is written: `α(e)`, apart from the base rate `α_0`.
pub fn rate_symbol(e: u64) -> Symbol {
    Symbol::Rate(e)
}

/// The worked line `α(e) = … = value` for one epoch, shown at `precision`.
pub fn rate_line(alpha0: f64, kind: ScheduleKind, e: u64, precision: Precision) -> Line {
    let _scope = ArenaScope::enter();
    let expr: Expr = rate_expr(alpha0, kind, e);
    Line {
        symbol: rate_symbol(e),
        expr: expr.capture(),
        value: expr.value(),
        pointer: None,
        display: precision,
        hand_rounded: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // The course's annealing tables (docs/contract.md §10), to the digits printed.
    #[test]
    fn course_time_based_decay_table() {
        let kind = ScheduleKind::TimeBased { decay_rate: 1.0 };
        assert_eq!(rate(0.2, kind, 1), 0.1);
        assert!((rate(0.2, kind, 2) - 0.067).abs() < 5e-4);
        assert!((rate(0.2, kind, 3) - 0.05).abs() < 1e-15);
    }

    #[test]
    fn course_step_decay_table() {
        let kind = ScheduleKind::Step {
            drop_rate: 0.5,
            epochs_drop: 5,
        };
        assert_eq!(rate(0.2, kind, 4), 0.2);
        assert_eq!(rate(0.2, kind, 5), 0.1);
        assert_eq!(rate(0.2, kind, 10), 0.05);
        assert_eq!(rate(0.2, kind, 15), 0.025);
    }

    #[test]
    fn course_exponential_decay_table() {
        let kind = ScheduleKind::Exponential { k: 0.1 };
        for (e, printed) in [(1, 0.181), (2, 0.164), (3, 0.148)] {
            assert!((rate(0.2, kind, e) - printed).abs() < 5e-4, "epoch {e}");
        }
    }

    #[test]
    fn step_decay_keeps_dropping_over_a_million_epochs() {
        let kind = ScheduleKind::Step {
            drop_rate: 0.99999,
            epochs_drop: 1,
        };
        // 0.99999^1e6 = exp(1e6 · ln 0.99999) ≈ 4.539e-5.
        let expected = (1e6 * 0.99999f64.ln()).exp();
        assert!((rate(1.0, kind, 1_000_000) - expected).abs() < 1e-12 * 1e6 * expected);
        assert_eq!(power(0.5, 3), 0.125);
        assert_eq!(power(2.0, 0), 1.0);
    }

    #[test]
    fn rate_line_shows_the_substituted_formula() {
        let line = rate_line(
            0.2,
            ScheduleKind::TimeBased { decay_rate: 1.0 },
            2,
            Precision::Full,
        );
        assert_eq!(line.substitution(Precision::Full), "0.2 / (1 + 1 × 2)");
        assert_eq!(line.symbol, "\\alpha(2)");
        let step = rate_line(
            0.2,
            ScheduleKind::Step {
                drop_rate: 0.5,
                epochs_drop: 5,
            },
            10,
            Precision::Full,
        );
        assert_eq!(step.formula(), "α_0 drop_rate^⌊e / 5⌋");
        assert_eq!(step.substitution(Precision::Full), "0.2 × 0.5^2");
        assert_eq!(step.value, 0.05);
    }
}

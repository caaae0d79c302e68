//! The two readings of a formula (docs/contract.md §12): [`Values`] computes plain `f64`s and keeps no line;
//! [`Lines`] computes the same numbers through [`Expr`] and records each worked line. Both round
//! as the student does (§6), take a grader's carried-forward value for a line's symbol, and note
//! the first line whose value is not finite.

use std::collections::BTreeMap;

use super::expr::{ArenaScope, Expr, Num};
use super::number::{round_decimals, round_significant, Precision, DEFAULT_PRECISION};
use super::problem::Rounding;
use super::symbol::{Pointer, Symbol};
use super::trace::{Line, Warning};

/// Where a formula's lines go.
pub trait Reading {
    /// The arithmetic formulas are evaluated in.
    type N: Num;

    /// Evaluate `expr`, round it, record the line `symbol = expr = value` (the lines reading
    /// only), and return the value that is used from now on: the line's own, or the override
    /// given for its symbol (a student's answer carried forward).
    fn line(&mut self, pointer: Option<Pointer>, symbol: Symbol, expr: Self::N) -> f64;

    /// Round as the student does (docs/contract.md §6); identity without `rounding`.
    fn round(&self, value: f64) -> f64;

    /// What the reading has noted so far.
    fn record(&self) -> &Record;

    fn record_mut(&mut self) -> &mut Record;

    fn warn(&mut self, code: &str, message: String, step: u64) {
        self.record_mut()
            .warnings
            .push(Warning::new(code, message, Some(step)));
    }

    /// The first line whose own value is not finite.
    fn first_not_finite(&self) -> Option<Symbol> {
        self.record().first_not_finite
    }

    /// Whether a line was not finite that this reading did not name ([`Exact`] only): the
    /// update is then read again in [`Values`], which names it.
    fn unnamed_not_finite(&self) -> bool {
        false
    }

    /// The warnings so far, handed over.
    fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.record_mut().warnings)
    }

    /// Where the reading is now, to [`rewind`](Reading::rewind) to.
    fn mark(&self) -> Mark {
        Mark {
            lines: 0,
            warnings: self.record().warnings.len(),
            first_not_finite: self.record().first_not_finite,
            not_finite: false,
        }
    }

    /// Forget every line and note since `mark`: a pass made only for its numbers (a grader's
    /// slip that computes an update to propagate through, then the pass again) leaves nothing.
    fn rewind(&mut self, mark: Mark) {
        let record = self.record_mut();
        record.warnings.truncate(mark.warnings);
        record.first_not_finite = mark.first_not_finite;
    }
}

/// A reading's place: its lines, warnings and what it had noted.
#[derive(Debug, Clone, Copy)]
pub struct Mark {
    lines: usize,
    warnings: usize,
    first_not_finite: Option<Symbol>,
    not_finite: bool,
}

/// What every reading notes as it goes: warnings, and the first line that is not finite.
#[derive(Debug, Default)]
pub struct Record {
    pub warnings: Vec<Warning>,
    pub first_not_finite: Option<Symbol>,
}

impl Record {
    /// Note `symbol` if its line's own value is the first that is not finite.
    #[inline]
    fn check(&mut self, symbol: Symbol, value: f64) {
        if !value.is_finite() && self.first_not_finite.is_none() {
            self.first_not_finite = Some(symbol);
        }
    }
}

/// What the values and lines readings keep: rounding, overrides, and their record.
#[derive(Debug, Default)]
pub struct Ledger<'o> {
    rounding: Option<Rounding>,
    overrides: Option<&'o BTreeMap<String, f64>>,
    /// The symbol's LaTeX, written to look an override up.
    key: String,
    pub record: Record,
}

impl<'o> Ledger<'o> {
    pub fn new(rounding: Option<Rounding>, overrides: Option<&'o BTreeMap<String, f64>>) -> Self {
        Ledger {
            rounding,
            overrides: overrides.filter(|o| !o.is_empty()),
            key: String::new(),
            record: Record::default(),
        }
    }

    /// The line's own (rounded) value and the value used from now on.
    #[inline]
    fn settle(&mut self, symbol: Symbol, computed: f64) -> (f64, f64) {
        let value = round_value(self.rounding, computed);
        self.record.check(symbol, value);
        let used = match self.overrides {
            None => value,
            Some(overrides) => {
                self.key.clear();
                symbol.write_tex(&mut self.key);
                overrides.get(&self.key).copied().unwrap_or(value)
            }
        };
        (value, used)
    }
}

/// The [`Reading`] methods of a reading that keeps a [`Ledger`] in its `ledger` field: it
/// rounds as the ledger says and notes into the ledger's record ([`Values`], [`Lines`]).
macro_rules! kept_in_the_ledger {
    () => {
        #[inline]
        fn round(&self, value: f64) -> f64 {
            round_value(self.ledger.rounding, value)
        }

        fn record(&self) -> &Record {
            &self.ledger.record
        }

        fn record_mut(&mut self) -> &mut Record {
            &mut self.ledger.record
        }
    };
}

/// The values reading: plain `f64` arithmetic, no line kept.
#[derive(Debug, Default)]
pub struct Values<'o> {
    pub ledger: Ledger<'o>,
}

impl<'o> Values<'o> {
    pub fn new(rounding: Option<Rounding>, overrides: Option<&'o BTreeMap<String, f64>>) -> Self {
        Values {
            ledger: Ledger::new(rounding, overrides),
        }
    }
}

impl Reading for Values<'_> {
    type N = f64;

    #[inline]
    fn line(&mut self, _: Option<Pointer>, symbol: Symbol, expr: f64) -> f64 {
        self.ledger.settle(symbol, expr).1
    }

    kept_in_the_ledger!();
}

/// The values reading of a run with neither hand rounding nor carried-forward values (nearly
/// every run): the numbers of [`Values`], without the per-line look-ups that cannot apply, so a
/// summary's loop pays for its arithmetic and little else. It notes only *that* a line was not
/// finite, not which: building each line's symbol just in case cost more than the line's
/// arithmetic, and the rare update that diverges is read again in [`Values`] to name it.
#[derive(Debug, Default)]
pub struct Exact {
    record: Record,
    not_finite: bool,
}

impl Reading for Exact {
    type N = f64;

    #[inline]
    fn line(&mut self, _: Option<Pointer>, _: Symbol, expr: f64) -> f64 {
        self.not_finite |= !expr.is_finite();
        expr
    }

    fn unnamed_not_finite(&self) -> bool {
        self.not_finite
    }

    fn mark(&self) -> Mark {
        Mark {
            lines: 0,
            warnings: self.record.warnings.len(),
            first_not_finite: self.record.first_not_finite,
            not_finite: self.not_finite,
        }
    }

    fn rewind(&mut self, mark: Mark) {
        self.record.warnings.truncate(mark.warnings);
        self.record.first_not_finite = mark.first_not_finite;
        self.not_finite = mark.not_finite;
    }

    #[inline]
    fn round(&self, value: f64) -> f64 {
        value
    }

    fn record(&self) -> &Record {
        &self.record
    }

    fn record_mut(&mut self) -> &mut Record {
        &mut self.record
    }
}

/// The lines reading: the same arithmetic as expression trees, each line recorded.
#[derive(Debug)]
pub struct Lines<'o> {
    pub ledger: Ledger<'o>,
    pub lines: Vec<Line>,
    display: Precision,
    // Declared last: the arena forgets this reading's trees after the lines are captured.
    _scope: ArenaScope,
}

impl<'o> Lines<'o> {
    pub fn new(rounding: Option<Rounding>, overrides: Option<&'o BTreeMap<String, f64>>) -> Self {
        Lines::with_display(rounding, overrides, display_precision(rounding))
    }

    /// Lines shown at `display` when nothing else is asked.
    pub fn with_display(
        rounding: Option<Rounding>,
        overrides: Option<&'o BTreeMap<String, f64>>,
        display: Precision,
    ) -> Self {
        Lines {
            ledger: Ledger::new(rounding, overrides),
            lines: Vec::new(),
            display,
            _scope: ArenaScope::enter(),
        }
    }
}

impl Reading for Lines<'_> {
    type N = Expr;

    fn line(&mut self, pointer: Option<Pointer>, symbol: Symbol, expr: Expr) -> f64 {
        let (value, used) = self.ledger.settle(symbol, expr.value());
        self.lines.push(Line {
            symbol,
            expr: expr.capture(),
            value,
            pointer,
            display: self.display,
            hand_rounded: self.ledger.rounding.is_some(),
        });
        used
    }

    fn mark(&self) -> Mark {
        Mark {
            lines: self.lines.len(),
            warnings: self.ledger.record.warnings.len(),
            first_not_finite: self.ledger.record.first_not_finite,
            not_finite: false,
        }
    }

    fn rewind(&mut self, mark: Mark) {
        self.lines.truncate(mark.lines);
        self.ledger.record.warnings.truncate(mark.warnings);
        self.ledger.record.first_not_finite = mark.first_not_finite;
    }

    kept_in_the_ledger!();
}

/// The precision lines are displayed with: hand-calculation values exactly as rounded, other
/// values at the default display precision.
pub fn display_precision(rounding: Option<Rounding>) -> Precision {
    match rounding {
        Some(_) => Precision::Full,
        None => DEFAULT_PRECISION,
    }
}

#[inline]
pub fn round_value(rounding: Option<Rounding>, value: f64) -> f64 {
    match rounding {
        None => value,
        Some(Rounding::Decimals(k)) => round_decimals(value, k),
        Some(Rounding::SignificantFigures(k)) => round_significant(value, k),
    }
}

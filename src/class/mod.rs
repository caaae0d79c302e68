//! A whole class at once (issue 6): the pure half of batches, comparisons and per-student
//! variants. No axum, async or I/O; the endpoints (`api::batch`, `api::compare`,
//! `api::variants`) and the CLI call in here.
//!
//! Layout: `parallel` (many jobs over the cores, bounded process-wide), `rng` (SplitMix64 and
//! FNV-1a, written out), `variants` (templates with ranges, and the documented draw scheme),
//! `compare` (loss per update, updates to a threshold, the Markdown table), and here the size
//! budget a request of many problems must fit.

pub mod compare;
pub mod parallel;
pub mod rng;
pub mod variants;

use crate::config::{Limit, Limits};
use crate::solve::{Optimizer, Problem};

/// The most configurations one comparison may hold (the course compares four; every algorithm
/// twice is twenty).
pub const MAX_CONFIGURATIONS: usize = 20;

// The most problems one batch (or one `count` of variants) may hold, and the trace budget all of
// them share, are configurable limits: `config::Limits` (`batch_problems`,
// `batch_trace_entries`, `batch_forward_entries`) says why each default is what it is.

/// How much trace a validated problem asks for, counted as the single-problem caps count it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TraceSize {
    /// `updates × (parameters + 1)`.
    pub entries: u64,
    /// `epochs × samples × (parameters + 1)`.
    pub forward: u64,
}

impl TraceSize {
    /// The size of one problem (an upper bound: a run may stop early).
    pub fn of(problem: &Problem) -> TraceSize {
        let samples = problem.samples.len() as u64;
        let per_epoch = if matches!(problem.optimizer, Optimizer::ConjugateGradient { .. }) {
            1
        } else {
            samples.div_ceil((problem.batch_size as u64).max(1))
        };
        let width = problem.weights.len() as u64 + u64::from(problem.bias.is_some()) + 1;
        TraceSize {
            entries: problem
                .epochs
                .saturating_mul(per_epoch)
                .saturating_mul(width),
            forward: problem.epochs.saturating_mul(samples).saturating_mul(width),
        }
    }

    /// The sum of two sizes.
    pub fn plus(self, other: TraceSize) -> TraceSize {
        TraceSize {
            entries: self.entries.saturating_add(other.entries),
            forward: self.forward.saturating_add(other.forward),
        }
    }

    /// Why this total is over the budget of `limits`, if it is, and which limit that is.
    pub fn over_budget(self, limits: &Limits) -> Option<(String, Limit, u64)> {
        let (max_trace, max_forward) = (limits.batch_trace_entries, limits.batch_forward_entries);
        if self.entries > max_trace {
            Some((
                format!(
                    "ask for {} trace entries together (updates × (parameters + 1), summed over \
                     the problems); the limit is {max_trace} (max_batch_trace_entries)",
                    self.entries
                ),
                Limit::BatchTraceEntries,
                max_trace,
            ))
        } else if self.forward > max_forward {
            Some((
                format!(
                    "ask for {} forward-pass entries together (epochs × samples × (parameters \
                     + 1), summed over the problems); the limit is {max_forward} \
                     (max_batch_forward_entries)",
                    self.forward
                ),
                Limit::BatchForwardEntries,
                max_forward,
            ))
        } else {
            None
        }
    }
}

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

use crate::config::{Limit, Limits, Measure};
use crate::solve::{Detail, Optimizer, Problem};

/// The most configurations one comparison may hold (the course compares four; every algorithm
/// twice is twenty).
pub const MAX_CONFIGURATIONS: usize = 20;

// The most problems one batch (or one `count` of variants) may hold, and the trace budget all of
// them share at each detail, are configurable limits: `config::Limits` (`batch_problems`,
// `batch_caps`) says why each default is what it is.

/// How much trace a validated problem asks for, counted as the single-problem caps count it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TraceSize {
    /// `updates × (parameters + 1)`.
    pub entries: u64,
    /// `epochs × samples × (parameters + 1)`.
    pub forward: u64,
    /// `updates × samples × (parameters + 1)`: a summary's loss after every update.
    pub loss: u64,
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
        // A network's pass computes every parameter's gradient, the fixed biases' too, as the
        // single-problem caps count it.
        let parameters = match &problem.network {
            Some(net) => net.full.len() as u64,
            None => problem.weights.len() as u64 + u64::from(problem.bias.is_some()),
        };
        let width = parameters + 1;
        let updates = problem.epochs.saturating_mul(per_epoch);
        TraceSize {
            entries: updates.saturating_mul(width),
            forward: problem.epochs.saturating_mul(samples).saturating_mul(width),
            loss: updates.saturating_mul(samples).saturating_mul(width),
        }
    }

    /// The sum of two sizes.
    pub fn plus(self, other: TraceSize) -> TraceSize {
        TraceSize {
            entries: self.entries.saturating_add(other.entries),
            forward: self.forward.saturating_add(other.forward),
            loss: self.loss.saturating_add(other.loss),
        }
    }

    /// Why this total is over the batch budget of `limits` at `detail`, if it is, and which
    /// limit that is.
    pub fn over_budget(self, limits: &Limits, detail: Detail) -> Option<(String, Limit, u64)> {
        limits.batch_caps(detail).into_iter().find_map(|cap| {
            let size = match cap.measure {
                Measure::TraceEntries => self.entries,
                Measure::ForwardEntries => self.forward,
                Measure::LossEntries => self.loss,
                // No batch is streamed.
                Measure::Updates => return None,
            };
            (size > cap.value).then(|| {
                (
                    format!(
                        "ask for {size} {} together, summed over the problems; the limit is {} \
                         ({})",
                        cap.measure.describe(),
                        cap.value,
                        cap.limit.name()
                    ),
                    cap.limit,
                    cap.value,
                )
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_networks_size_counts_every_parameter_its_pass_computes() {
        // 8 weights and 4 fixed biases, whose gradients the pass still computes: 12 + 1 per
        // update, as the single-problem caps count it.
        let body = json!({
            "samples": [{"x": [0.05, 0.10], "t": [0.01, 0.99]}, {"x": [0.2, 0.3], "t": [0.5, 0.5]}],
            "network": {"layers": [
                {"weights": [[0.15, 0.20], [0.25, 0.30]], "biases": [0.35, 0.35]},
                {"weights": [[0.40, 0.45], [0.50, 0.55]], "biases": [0.60, 0.60]}
            ], "update_biases": false},
            "algorithm": "gd", "hyperparameters": {"learning_rate": 0.5}, "epochs": 3
        });
        let valid = crate::wire::validate::problem_with(&body, &Limits::default());
        let Ok(valid) = valid else {
            panic!("the problem is valid");
        };
        let size = TraceSize::of(&valid.problem);
        assert_eq!(size.entries, 6 * 13);
        assert_eq!(size.forward, 3 * 2 * 13);
    }
}

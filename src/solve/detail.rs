//! STAND-IN, replaced by the core redesign of issue 10 (this whole file and the lines marked
//! "STAND-IN" in `trace.rs` and `mod.rs`). It gives the HTTP edge the core's announced names —
//! `Detail`, `solve_detail`, `Solver::with_detail` — on today's core: every line is still
//! computed, then dropped. The numbers are the same; only the cost differs.

use super::{solve, Hooks, Problem, Solution, Solver, Step};
use crate::class::compare::loss_per_update;

/// How much of a solution to produce.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Detail {
    /// Every step with its worked lines.
    #[default]
    Lines,
    /// Every step without lines.
    Values,
    /// No steps; the loss after every update in `loss.per_update`.
    Summary,
}

/// Solve a problem at a detail.
pub fn solve_detail(problem: &Problem, detail: Detail) -> Solution {
    let mut solution = solve(problem);
    match detail {
        Detail::Lines => {}
        Detail::Values => solution.steps.iter_mut().for_each(|s| s.lines.clear()),
        Detail::Summary => {
            solution.loss.per_update = Some(loss_per_update(problem, &solution));
            solution.steps.clear();
        }
    }
    solution
}

/// A solver whose steps have no lines below `Detail::Lines`.
pub struct DetailSolver<'p> {
    solver: Solver<'p>,
    detail: Detail,
}

impl<'p> Solver<'p> {
    /// A solver that produces steps at `detail` (a summary's steps are values).
    pub fn with_detail(problem: &'p Problem, hooks: Hooks, detail: Detail) -> DetailSolver<'p> {
        DetailSolver {
            solver: Solver::with_hooks(problem, hooks),
            detail,
        }
    }
}

impl DetailSolver<'_> {
    /// As [`Solver::finish`].
    pub fn finish(self, steps: Vec<Step>) -> Solution {
        self.solver.finish(steps)
    }
}

impl Iterator for DetailSolver<'_> {
    type Item = Step;
    fn next(&mut self) -> Option<Step> {
        let mut step = self.solver.next_step()?;
        if self.detail != Detail::Lines {
            step.lines.clear();
        }
        Some(step)
    }
}

//! The pure computation core: model, optimizers, schedules and the trace.
//!
//! No axum, no async, no I/O lives here. [`Solver`] is the one driver loop: it produces the
//! trace one update at a time (an iterator of [`Step`]s) from any state, so a streaming response
//! and a grader that resumes from a student's own values can reuse it; [`solve`] runs a whole
//! problem.
//!
//! Every formula is written once and read in one of two ways (`reading`): as plain numbers, or
//! as worked lines with those very numbers. The [`Detail`] of a run says which, and how much of
//! the trace is kept: every line, every step's values, or only the summary.
//!
//! Layout: `problem` (validated input), `neuron` (model §1), `optim/` (one file per optimizer,
//! §3), `schedule` (§5), `expr` (the arithmetic and worked-line expressions), `number`
//! (display and hand rounding, §6), `symbol` (names and pointers), `reading` (the two
//! readings), `trace` (§7).

pub mod expr;
pub mod json;
pub mod model;
pub mod network;
pub mod neuron;
pub mod number;
pub mod optim;
pub mod problem;
pub mod reading;
pub mod schedule;
pub mod symbol;
pub mod trace;

pub use problem::*;
pub use symbol::{Pointer, Symbol};
pub use trace::*;

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use model::{initial_params, total_loss};
use network::pass::{Backward, SamplePass};
pub use network::pass::{DeltaLayers, DeltaSlips};
use network::trace::{final_network, StepParts};
use neuron::{GradientNaming, SampleNumbers};
use optim::{Engine, ParamNames, Update};
use reading::{Exact, Lines, Mark, Reading, Values};
use symbol::{Const, Name, Pointer as LinePointer};

/// How much of a run is kept (docs/contract.md §12).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    /// Every step with its worked lines (the whole trace of docs/contract.md §7).
    #[default]
    Lines,
    /// Every step's values, without lines.
    Values,
    /// No steps: the status, warnings, final weights and the loss per epoch and per update.
    Summary,
}

/// Run a whole problem to the end (or to divergence or convergence), with every line.
pub fn solve(problem: &Problem) -> Solution {
    solve_detail_with(problem, Hooks::default(), Detail::Lines)
}

/// Run a whole problem with hooks (a grader's carried-forward values, a simulated slip).
pub fn solve_with(problem: &Problem, hooks: Hooks) -> Solution {
    solve_detail_with(problem, hooks, Detail::Lines)
}

/// Run a whole problem keeping `detail`: `Values` leaves every step's `lines` empty, `Summary`
/// leaves `steps` empty and fills `loss.per_update`. The numbers are the same in all three.
pub fn solve_detail(problem: &Problem, detail: Detail) -> Solution {
    solve_detail_with(problem, Hooks::default(), detail)
}

/// `solve_detail` with hooks.
pub fn solve_detail_with(problem: &Problem, hooks: Hooks, detail: Detail) -> Solution {
    let mut solver = Solver::with_detail(problem, hooks, detail);
    if detail == Detail::Summary {
        while solver.advance() {}
        solver.finish(Vec::new())
    } else {
        let steps: Vec<Step> = solver.by_ref().collect();
        solver.finish(steps)
    }
}

/// Ways to run a problem other than the plain one, for graders.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hooks {
    /// Per update `t`, values to use in place of the lines' own, by line symbol (LaTeX, as
    /// the core writes it): a student's answers carried forward. Each line still records the
    /// value it computes.
    pub overrides: BTreeMap<u64, BTreeMap<String, f64>>,
    /// Every update starts from the initial weights, as a student who forgets to carry the new
    /// weights to the next sample does (accumulators still carry).
    pub stale_weights: bool,
    /// A network's hidden δ's propagated through the weights above as this very update leaves
    /// them, as a student who updates the outer layer first and backpropagates through its new
    /// weights does: from the top down, each layer's update is computed and the δ's below it
    /// computed again through it (the forward pass is unchanged).
    pub updated_outer_weights: bool,
    /// Slips in a network's δ's: `f′` left out, the error's sign flipped.
    pub deltas: DeltaSlips,
}

/// The driver: evaluates, steps, records and decides when to stop.
#[derive(Debug, Clone)]
pub struct Solver<'p> {
    problem: &'p Problem,
    hooks: Hooks,
    detail: Detail,
    run: Run,
}

/// What a run has done so far, and room reused from update to update.
#[derive(Debug, Clone)]
struct Run {
    params: Vec<f64>,
    /// The optimizer with its state, and where an update writes the next state (swapped in
    /// when the update is applied).
    engine: Engine,
    /// Updates applied so far.
    t: u64,
    /// Epochs completed so far.
    epochs_done: u64,
    /// Index of the next batch within the current epoch.
    next_batch: usize,
    status: Option<Status>,
    warnings: Vec<Warning>,
    epoch_losses: Vec<Option<f64>>,
    /// The loss over all samples after each update (`Detail::Summary`).
    update_losses: Option<Vec<f64>>,
    // The update being computed.
    start: Vec<f64>,
    forward: Vec<SampleNumbers>,
    /// A network's sample passes, and its gradient over every parameter (biases that are not
    /// updated included) in the lines' sign.
    passes: Vec<SamplePass>,
    full_dw: Vec<f64>,
    /// The layers a network's pass ran on: the start's weights and the (rounded) fixed biases.
    layers: Vec<network::Layer>,
    per_sample: Vec<f64>,
    dw: Vec<f64>,
    gradient: Vec<f64>,
    new_params: Vec<f64>,
}

/// An update that was applied, for its step.
struct Applied {
    t: u64,
    epoch: u64,
    batch: Range<usize>,
    learning_rate: f64,
    conjugate: Option<ConjugateStep>,
}

impl<'p> Solver<'p> {
    /// A solver at the problem's initial weights and zero state.
    pub fn new(problem: &'p Problem) -> Self {
        Self::with_hooks(problem, Hooks::default())
    }

    /// A solver that applies `hooks` as it goes, with every line.
    pub fn with_hooks(problem: &'p Problem, hooks: Hooks) -> Self {
        Self::with_detail(problem, hooks, Detail::Lines)
    }

    /// A solver that applies `hooks` and keeps `detail`: its steps carry lines only at
    /// `Lines`; at `Summary` it records the loss after every update (and its steps, if it is
    /// iterated rather than [`advance`](Solver::advance)d, have no lines).
    pub fn with_detail(problem: &'p Problem, hooks: Hooks, detail: Detail) -> Self {
        let params = initial_params(problem);
        let mut warnings = Vec::new();
        if problem.bias_correction && !problem.optimizer.has_moving_average() {
            warnings.push(Warning::new(
                "bias_correction_ignored",
                format!(
                    "{} keeps no moving average, so bias_correction changes nothing",
                    problem.optimizer.name()
                ),
                None,
            ));
        }
        if let Some(warning) = problem.network.as_deref().and_then(symmetric_units_warning) {
            warnings.push(warning);
        }
        let engine = Engine::new(&problem.optimizer, params.len());
        Solver {
            problem,
            hooks,
            detail,
            run: Run {
                engine,
                params,
                t: 0,
                epochs_done: 0,
                next_batch: 0,
                status: None,
                warnings,
                // Reserved like `update_losses`: a long summary's list grew by doubling, copying
                // tens of megabytes.
                epoch_losses: Vec::with_capacity(if detail == Detail::Summary {
                    expected_epochs(problem)
                } else {
                    0
                }),
                update_losses: (detail == Detail::Summary)
                    .then(|| Vec::with_capacity(expected_updates(problem))),
                start: Vec::new(),
                forward: Vec::new(),
                passes: Vec::new(),
                full_dw: Vec::new(),
                layers: Vec::new(),
                per_sample: Vec::new(),
                dw: Vec::new(),
                gradient: Vec::new(),
                new_params: Vec::new(),
            },
        }
    }

    /// The parameters now: weights, then the bias.
    pub fn params(&self) -> &[f64] {
        &self.run.params
    }

    /// The detail this solver keeps.
    pub fn detail(&self) -> Detail {
        self.detail
    }

    /// The warnings so far.
    pub fn warnings(&self) -> &[Warning] {
        &self.run.warnings
    }

    /// Assemble the solution from the steps this solver produced (none for a summary, or for
    /// a stream that sent them as it went).
    pub fn finish(self, steps: Vec<Step>) -> Solution {
        let problem = self.problem;
        let run = self.run;
        let n = problem.weights.len();
        Solution {
            status: run.status.unwrap_or(Status::Completed),
            warnings: run.warnings,
            steps,
            final_weights: match &problem.network {
                Some(_) => run.params.clone(),
                None => run.params.iter().take(n).copied().collect(),
            },
            final_bias: run
                .params
                .get(n)
                .copied()
                .filter(|_| problem.bias.is_some()),
            final_network: problem
                .network
                .as_deref()
                .map(|net| final_network(net, &run.params)),
            loss: LossSummary {
                initial: total_loss(problem, &initial_params(problem)),
                final_: total_loss(problem, &run.params),
                per_epoch: run.epoch_losses,
                per_update: run.update_losses,
            },
        }
    }

    /// Compute the next update, or `None` once the run has ended.
    pub fn next_step(&mut self) -> Option<Step> {
        let t = self.run.t.saturating_add(1);
        let overrides = self.hooks.overrides.get(&t);
        let rounding = self.problem.rounding;
        if self.detail == Detail::Lines {
            let mut reading = Lines::new(rounding, overrides);
            let applied = self.run.update(self.problem, &self.hooks, &mut reading)?;
            let lines = std::mem::take(&mut reading.lines);
            Some(self.run.step(self.problem, applied, lines))
        } else {
            let applied = self.update_values()?;
            Some(self.run.step(self.problem, applied, Vec::new()))
        }
    }

    /// Apply the next update without making its step (the summary's loop); false once the run
    /// has ended.
    pub fn advance(&mut self) -> bool {
        self.update_values().is_some()
    }

    /// The next update in the values reading: [`Exact`] when nothing is rounded or carried
    /// forward (the same numbers, fewer look-ups), [`Values`] otherwise.
    fn update_values(&mut self) -> Option<Applied> {
        let t = self.run.t.saturating_add(1);
        let overrides = self.hooks.overrides.get(&t).filter(|o| !o.is_empty());
        let rounding = self.problem.rounding;
        let hooks = &self.hooks;
        if rounding.is_none() && overrides.is_none() {
            self.run.update(self.problem, hooks, &mut Exact::default())
        } else {
            self.run
                .update(self.problem, hooks, &mut Values::new(rounding, overrides))
        }
    }
}

impl Iterator for Solver<'_> {
    type Item = Step;
    fn next(&mut self) -> Option<Step> {
        self.next_step()
    }
}

/// `symmetric_units` (docs/contract.md §11), once for the whole network: every pair of hidden
/// units that start alike, which every optimizer here then keeps alike, each parameter being
/// updated by the same formula from the same numbers.
fn symmetric_units_warning(net: &network::NetworkModel) -> Option<Warning> {
    let pairs = network::symmetric_units(&net.network);
    if pairs.is_empty() {
        return None;
    }
    let listed: Vec<String> = pairs
        .iter()
        .map(|(l, j, i)| format!("units {j} and {i} of /network/layers/{l}"))
        .collect();
    Some(Warning::new(
        "symmetric_units",
        format!(
            "{} start with the same incoming weights and bias and the same outgoing weights, so \
             every update keeps them identical (weight symmetry: the network cannot tell them \
             apart); make their initial weights differ to break it",
            listed.join(", ")
        ),
        None,
    ))
}

/// How many updates a run makes if it runs to the end: room for a summary's losses, reserved
/// once (up to 2²⁴; the summary's limit bounds the count anyway).
fn expected_epochs(problem: &Problem) -> usize {
    usize::try_from(problem.epochs)
        .unwrap_or(usize::MAX)
        .min(1 << 24)
}

fn expected_updates(problem: &Problem) -> usize {
    let per_epoch = if problem.optimizer.full_batch() {
        1
    } else {
        batches_per_epoch(problem)
    };
    usize::try_from(problem.epochs)
        .unwrap_or(usize::MAX)
        .saturating_mul(per_epoch)
        .min(1 << 24)
}

/// A rough measure of a run's cost, in units of about a microsecond on one core: per update,
/// each parameter meets each sample of its batch (and, at `summary`, every sample again for
/// the loss after the update; conjugate gradient's line search, some sixty passes over all
/// samples), and the worked lines cost about eight times the plain numbers. The edge answers
/// a problem this small where it arrives rather than on a solver thread (`api::overload`).
pub fn work(problem: &Problem, detail: Detail) -> u128 {
    let m = problem.samples.len() as u128;
    let params = match &problem.network {
        // Each parameter's gradient, with the forward pass and deltas about as much again.
        Some(net) => 2 * net.full.len() as u128,
        None => problem.weights.len() as u128 + u128::from(problem.bias.is_some()),
    };
    let batch = match problem.optimizer.spec().passes_per_update {
        Some(passes) => u128::from(passes) * m,
        None => problem.batch_size.clamp(1, problem.samples.len().max(1)) as u128,
    };
    let per_update = match detail {
        Detail::Lines => 8 * batch,
        Detail::Values => batch,
        Detail::Summary => batch + m,
    };
    expected_updates(problem) as u128 * (params + 1) * per_update
}

fn batches_per_epoch(problem: &Problem) -> usize {
    let m = problem.samples.len();
    let b = problem.batch_size.clamp(1, m.max(1));
    m.div_ceil(b)
}

impl Run {
    /// Compute the next update in `r`; apply it unless it diverges. `None` once the run has
    /// ended (completed, converged, or diverged at this update).
    fn update<R: Reading>(
        &mut self,
        problem: &Problem,
        hooks: &Hooks,
        r: &mut R,
    ) -> Option<Applied> {
        if self.status.is_some() {
            return None;
        }
        if self.epochs_done >= problem.epochs || problem.samples.is_empty() {
            self.status = Some(Status::Completed);
            return None;
        }
        let batch = self.batch(problem);
        let t = self.t + 1;
        let epoch = problem
            .schedule
            .map_or(0, |s| s.first_epoch)
            .saturating_add(self.epochs_done);
        self.start_from(problem, hooks.stale_weights, r);
        // The learning rate of this update.
        let (lr, lr_symbol) = learning_rate(problem, self.epochs_done, t, r);
        let mark = r.mark();
        self.gradient(problem, batch.clone(), t, hooks.deltas, None, r);
        if self.engine.converged(&self.gradient) {
            self.status = Some(Status::Converged);
            return None;
        }
        let mut conjugate = self.optimizer_step(problem, t, (lr, lr_symbol), r);
        if hooks.updated_outer_weights {
            let again = (batch.clone(), t, (lr, lr_symbol), hooks.deltas);
            if let Some(c) = self.through_updated_weights(problem, again, mark, r) {
                conjugate = c;
            }
        }
        if r.unnamed_not_finite() {
            // Nothing is applied yet: the values reading computes the same numbers and names
            // the line for the warning.
            return self.update(problem, hooks, &mut Values::new(None, None));
        }
        let learning_rate = conjugate.as_ref().map_or(lr, |c| c.step_length);
        if self.diverges(problem, t, learning_rate, conjugate.as_ref(), r) {
            return None;
        }
        self.apply(problem, r);
        Some(Applied {
            t,
            epoch,
            batch,
            learning_rate,
            conjugate,
        })
    }

    /// The optimizer's step from the gradient just computed: the next state and parameters
    /// (not yet applied), and conjugate gradient's search.
    fn optimizer_step<R: Reading>(
        &mut self,
        problem: &Problem,
        t: u64,
        (lr, lr_symbol): (f64, Symbol),
        r: &mut R,
    ) -> Option<ConjugateStep> {
        let update = Update {
            t,
            lr,
            lr_symbol,
            scheduled: problem.schedule.is_some(),
            dw: &self.dw,
            gradient: &self.gradient,
            params: &self.start,
            names: ParamNames::of(problem),
            sign: problem.conventions.sign,
            epsilon: problem.conventions.epsilon,
            bias_correction: problem.bias_correction,
            problem,
        };
        self.engine.step(&update, r, &mut self.new_params)
    }

    /// `Hooks::updated_outer_weights`: from the top layer down, the layer's weights as the
    /// update just computed leaves them, and the pass and the step again with the δ's below it
    /// propagated through them; only the last pass's lines stay (back to `mark`). A network of
    /// one layer has no hidden δ, and nothing changes. `Some` with the last step's search.
    fn through_updated_weights<R: Reading>(
        &mut self,
        problem: &Problem,
        (batch, t, rate, slips): (Range<usize>, u64, (f64, Symbol), DeltaSlips),
        mark: Mark,
        r: &mut R,
    ) -> Option<Option<ConjugateStep>> {
        let net = problem.network.as_deref()?;
        let mut through = net.layers_at(&self.start);
        let mut conjugate = None;
        for above in (1..through.len()).rev() {
            let updated = net.layers_at(&self.new_params).into_iter().nth(above)?;
            through[above] = updated;
            r.rewind(mark);
            self.gradient(problem, batch.clone(), t, slips, Some(&through), r);
            conjugate = Some(self.optimizer_step(problem, t, rate, r));
        }
        conjugate
    }

    /// The samples of the next update: the next batch of the epoch, or all of them.
    fn batch(&self, problem: &Problem) -> Range<usize> {
        let m = problem.samples.len();
        if problem.optimizer.full_batch() {
            0..m
        } else {
            let size = problem.batch_size.clamp(1, m);
            let start = self.next_batch.saturating_mul(size).min(m);
            start..start.saturating_add(size).min(m)
        }
    }

    /// The parameters the update starts from, as the student holds them: rounded, and the
    /// initial ones again when the weights are not carried (`stale`).
    fn start_from<R: Reading>(&mut self, problem: &Problem, stale: bool, r: &mut R) {
        self.start.clear();
        if stale {
            let initial = initial_params(problem);
            self.start.extend(initial.into_iter().map(|p| r.round(p)));
        } else {
            self.start.extend(self.params.iter().map(|p| r.round(*p)));
        }
    }

    /// The forward blocks of `batch` and the reduced gradient: `dw` in the convention's sign
    /// (conjugate gradient's `g` in its own), and `∂E/∂w` itself. A network's backward pass
    /// makes the δ `slips`, propagating through `through` when given (a neuron has no δ).
    fn gradient<R: Reading>(
        &mut self,
        problem: &Problem,
        batch: Range<usize>,
        t: u64,
        slips: DeltaSlips,
        through: Option<&[network::Layer]>,
        r: &mut R,
    ) {
        let sign = gradient_sign(problem);
        let naming = if problem.optimizer.full_batch() {
            GradientNaming {
                name: Name::G,
                time: t - 1,
                sign,
            }
        } else {
            GradientNaming {
                name: Name::Dw,
                time: t,
                sign,
            }
        };
        if let Some(net) = &problem.network {
            self.layers = net.layers_at(&self.start);
            if problem.rounding.is_some() && !net.network.update_biases {
                // Fixed biases are not in the vector the start rounds; a hand calculation
                // rounds them too.
                for biases in self.layers.iter_mut().filter_map(|l| l.biases.as_mut()) {
                    biases.iter_mut().for_each(|b| *b = r.round(*b));
                }
            }
            self.full_dw.resize(net.full.len(), 0.0);
            network::pass::batch_with(
                r,
                &net.model(problem),
                &self.layers,
                Backward { through, slips },
                batch,
                naming,
                (&mut self.passes, &mut self.per_sample, &mut self.full_dw),
            );
            net.restrict(&self.full_dw, &mut self.dw);
        } else {
            // `batch` writes every entry; only the length is set (no `memset` per update).
            self.dw.resize(self.start.len(), 0.0);
            neuron::batch(
                r,
                problem,
                &self.start,
                batch,
                naming,
                &mut self.forward,
                &mut self.per_sample,
                &mut self.dw,
            );
        }
        self.gradient.clear();
        self.gradient.extend(self.dw.iter().map(|d| sign * d));
    }

    /// Whether the update just computed is not finite somewhere; if so the run stops before
    /// it, with a warning naming the first such quantity.
    fn diverges<R: Reading>(
        &mut self,
        problem: &Problem,
        t: u64,
        learning_rate: f64,
        conjugate: Option<&ConjugateStep>,
        r: &R,
    ) -> bool {
        let numbers = StepNumbers {
            problem,
            forward: &self.forward,
            per_sample: &self.per_sample,
            width: self.start.len(),
            gradient: &self.gradient,
            learning_rate,
            engine: &self.engine,
            conjugate,
            new_params: &self.new_params,
            line: r.first_not_finite(),
        };
        let Some(quantity) = numbers.first_non_finite() else {
            return false;
        };
        self.status = Some(Status::Diverged);
        self.warnings.push(Warning::new(
            "diverged",
            format!(
                "update {t}: {quantity} is not finite; the run stops before this update, and the trace ends at the last finite weights"
            ),
            Some(t),
        ));
        true
    }

    /// Apply the update just computed: its warnings, parameters and state, and the run's
    /// counts and losses.
    fn apply<R: Reading>(&mut self, problem: &Problem, r: &mut R) {
        if !r.record().warnings.is_empty() {
            self.warnings.append(&mut r.take_warnings());
        }
        std::mem::swap(&mut self.params, &mut self.new_params);
        self.engine.apply();
        self.t += 1;
        self.next_batch += 1;
        let epoch_ends =
            problem.optimizer.full_batch() || self.next_batch >= batches_per_epoch(problem);
        match &mut self.update_losses {
            Some(losses) => {
                let loss = model::loss_over_all(problem, &self.params);
                losses.push(loss);
                if epoch_ends {
                    self.epoch_losses.push(loss.is_finite().then_some(loss));
                }
            }
            None => {
                if epoch_ends {
                    self.epoch_losses.push(total_loss(problem, &self.params));
                }
            }
        }
        if epoch_ends {
            self.next_batch = 0;
            self.epochs_done += 1;
        }
    }

    /// The step of the update just applied.
    fn step(&self, problem: &Problem, applied: Applied, lines: Vec<Line>) -> Step {
        // A network's flat vectors are the optimizers' whole vector.
        let n = match problem.network {
            Some(_) => self.start.len(),
            None => problem.weights.len(),
        };
        let has_bias = problem.bias.is_some() && problem.network.is_none();
        let split = |v: &[f64], factor: f64| -> (Vec<f64>, Option<f64>) {
            let weights = v.iter().take(n).map(|x| factor * x).collect();
            let bias = if has_bias {
                v.get(n).map(|x| factor * x)
            } else {
                None
            };
            (weights, bias)
        };
        // `split` by 1 copies; the sign factor is ±1, so the products are exact.
        let (weights_before, bias_before) = split(&self.start, 1.0);
        let width = self.start.len().max(1);
        let sign = gradient_sign(problem);
        let forward = self
            .forward
            .iter()
            .zip(self.per_sample.chunks(width))
            .map(|(f, row)| {
                let (gradient, bias_gradient) = split(row, sign);
                Forward {
                    sample: f.sample,
                    net: f.net,
                    output: f.output,
                    loss: f.loss,
                    gradient,
                    bias_gradient,
                }
            })
            .collect();
        let (gradient, bias_gradient) = split(&self.gradient, 1.0);
        // `dw` in the request's convention, also for conjugate gradient, whose lines use g.
        let (dw, bias_dw) = split(&self.gradient, problem.conventions.sign.factor());
        let (state, correction_factors) = self.engine.record();
        let (weights_after, bias_after) = split(&self.params, 1.0);
        let network = problem.network.as_deref().map(|net| {
            let gradient: Vec<f64> = self.full_dw.iter().map(|d| sign * d).collect();
            StepParts {
                net,
                before: &self.layers,
                after: &self.params,
                gradient: &gradient,
                sign: problem.conventions.sign.factor(),
                state: &state,
                passes: &self.passes,
            }
            .step()
        });
        let (layers, losses) = match network {
            Some(network) => (Some(network.layers), Some(network.losses)),
            None => (None, None),
        };
        Step {
            index: applied.t,
            epoch: applied.epoch,
            samples: applied.batch.collect(),
            learning_rate: applied.learning_rate,
            weights_before,
            bias_before,
            forward,
            gradient,
            bias_gradient,
            dw,
            bias_dw,
            state,
            correction_factors,
            conjugate: applied.conjugate,
            weights_after,
            bias_after,
            layers,
            losses,
            lines,
        }
    }
}

/// The sign of the gradient the worked lines carry: the convention's `dw`, or conjugate
/// gradient's own `g`.
fn gradient_sign(problem: &Problem) -> f64 {
    if problem.optimizer.full_batch() {
        1.0
    } else {
        problem.conventions.sign.factor()
    }
}

/// `α` of update `t`: the scheduled rate (with its worked line) or the constant one.
fn learning_rate<R: Reading>(
    problem: &Problem,
    epochs_done: u64,
    t: u64,
    r: &mut R,
) -> (f64, Symbol) {
    let alpha0 = problem.optimizer.learning_rate().unwrap_or(0.0);
    match problem.schedule {
        Some(schedule) => {
            let e = schedule::schedule_input(&schedule, epochs_done, t);
            let symbol = schedule::rate_symbol(e);
            let value = r.line(
                Some(LinePointer::LearningRate),
                symbol,
                schedule::rate_expr(alpha0, schedule.kind, e),
            );
            (value, symbol)
        }
        None => (r.round(alpha0), Symbol::Const(Const::Alpha)),
    }
}

/// The numbers of an update before it is applied, in the order a step shows them.
struct StepNumbers<'a> {
    problem: &'a Problem,
    forward: &'a [SampleNumbers],
    /// Each sample's gradient in the convention's sign, `width` per sample.
    per_sample: &'a [f64],
    width: usize,
    gradient: &'a [f64],
    learning_rate: f64,
    /// The optimizer, whose next state the update computed.
    engine: &'a Engine,
    conjugate: Option<&'a ConjugateStep>,
    new_params: &'a [f64],
    /// The first worked line whose value is not finite.
    line: Option<Symbol>,
}

impl StepNumbers<'_> {
    /// Whether the numbers of the step that are no worked line's value are finite: the
    /// learning rate, the bias-correction divisors and conjugate gradient's search. Every other
    /// number of a step (forward pass, gradients, accumulators, new weights) is the value of a
    /// line, which the reading's record checks as it is computed; so with a clean record this
    /// is the whole check, and the naming scan below runs only for a step that diverges.
    fn unlined_finite(&self) -> bool {
        let mut factors = true;
        self.engine.visit(true, &mut |_, _| {}, &mut |_, value| {
            factors &= value.is_finite()
        });
        let search = self.conjugate.is_none_or(|c| {
            c.direction.iter().all(|v| v.is_finite())
                && [c.beta, c.step_length, c.directional_derivative]
                    .iter()
                    .all(|v| v.is_finite())
        });
        self.learning_rate.is_finite()
            && factors
            && search
            && self.new_params.iter().all(|v| v.is_finite())
    }

    /// The first quantity of the step that is not finite, named for the warning.
    fn first_non_finite(&self) -> Option<String> {
        if self.line.is_none() && self.unlined_finite() {
            return None;
        }
        let bad = |v: &f64| !v.is_finite();
        for (f, row) in self
            .forward
            .iter()
            .zip(self.per_sample.chunks(self.width.max(1)))
        {
            let sample = f.sample + 1;
            if bad(&f.net) {
                return Some(format!("the net input of sample {sample}"));
            }
            if bad(&f.output) {
                return Some(format!("the output for sample {sample}"));
            }
            if bad(&f.loss) {
                return Some(format!("the loss of sample {sample}"));
            }
            if row.iter().any(bad) {
                return Some(format!("the gradient for sample {sample}"));
            }
        }
        if self.gradient.iter().any(bad) || bad(&self.learning_rate) {
            return Some("the gradient".into());
        }
        // The trace names accumulators in order; the first of them that is not finite.
        let mut accumulator: Option<&'static str> = None;
        let mut factor_bad = false;
        self.engine.visit(
            true,
            &mut |name, values| {
                if values.iter().any(bad) && accumulator.is_none_or(|first| name < first) {
                    accumulator = Some(name);
                }
            },
            &mut |_, value| factor_bad |= bad(&value),
        );
        if let Some(name) = accumulator {
            return Some(format!("the accumulator {name}"));
        }
        if factor_bad {
            return Some("a bias-correction factor".into());
        }
        if let Some(c) = self.conjugate {
            if c.direction.iter().any(bad)
                || bad(&c.beta)
                || bad(&c.step_length)
                || bad(&c.directional_derivative)
            {
                return Some("the conjugate direction or step".into());
            }
        }
        if let Some(net) = &self.problem.network {
            // A network's parameters are named as its lines name them: `w^{(2)}_{12}`.
            return match self.new_params.iter().position(bad) {
                Some(p) => {
                    let name =
                        Symbol::Net(network::notation::NetSymbol::Param(net.layout.param(p)));
                    Some(format!("the new {}", name.text()))
                }
                None => self
                    .line
                    .map(|symbol| format!("the worked value {}", symbol.text())),
            };
        }
        let n = self.problem.weights.len();
        if let Some(i) = self.new_params.iter().take(n).position(bad) {
            return Some(format!("the new weight w_{}", i + 1));
        }
        if self.problem.bias.is_some() && self.new_params.get(n).is_some_and(bad) {
            return Some("the new bias".into());
        }
        self.line
            .map(|symbol| format!("the worked value {}", symbol.text()))
    }
}

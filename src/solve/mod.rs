//! The pure computation core: model, optimizers, schedules and the trace.
//!
//! No axum, no async, no I/O lives here. [`Solver`] is the one driver loop: it produces the
//! trace one update at a time (an iterator of [`Step`]s) from any state, so a streaming response
//! and a grader that resumes from a student's own values can reuse it; [`solve`] runs a whole
//! problem.
//!
//! Layout: `problem` (validated input), `neuron` (model §1), `optim/` (one file per optimizer,
//! §3), `schedule` (§5), `expr` (worked-line expressions and hand rounding, §6), `trace` (§7).

pub mod expr;
pub mod neuron;
pub mod number;
pub mod optim;
pub mod problem;
pub mod schedule;
pub mod trace;

pub use problem::*;
pub use trace::*;

use std::collections::BTreeMap;

use expr::{div, lit, mul, q, square, sub, sum, Expr};
use neuron::{inputs, total_loss};
use optim::cg::{CgConfig, CgState};
use optim::{State, Update, Worked};

/// Run a whole problem to the end (or to divergence or convergence).
pub fn solve(problem: &Problem) -> Solution {
    solve_with(problem, Hooks::default())
}

/// Run a whole problem with hooks (a grader's carried-forward values, a simulated slip).
pub fn solve_with(problem: &Problem, hooks: Hooks) -> Solution {
    let mut solver = Solver::with_hooks(problem, hooks);
    let steps: Vec<Step> = solver.by_ref().collect();
    solver.finish(steps)
}

/// Ways to run a problem other than the plain one, for graders.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hooks {
    /// Per update `t`, values to use in place of the lines' own, by line symbol: a student's
    /// answers carried forward. Each line still records the value it computes.
    pub overrides: BTreeMap<u64, BTreeMap<String, f64>>,
    /// Every update starts from the initial weights, as a student who forgets to carry the new
    /// weights to the next sample does (accumulators still carry).
    pub stale_weights: bool,
}

/// The driver: evaluates, steps, records and decides when to stop.
#[derive(Debug, Clone)]
pub struct Solver<'p> {
    problem: &'p Problem,
    params: Vec<f64>,
    state: State,
    cg_state: CgState,
    /// Updates applied so far.
    t: u64,
    /// Epochs completed so far.
    epochs_done: u64,
    /// Index of the next batch within the current epoch.
    next_batch: usize,
    status: Option<Status>,
    warnings: Vec<Warning>,
    epoch_losses: Vec<Option<f64>>,
    hooks: Hooks,
}

impl<'p> Solver<'p> {
    /// A solver at the problem's initial weights and zero state.
    pub fn new(problem: &'p Problem) -> Self {
        Self::with_hooks(problem, Hooks::default())
    }

    /// A solver that applies `hooks` as it goes.
    pub fn with_hooks(problem: &'p Problem, hooks: Hooks) -> Self {
        let params: Vec<f64> = problem
            .weights
            .iter()
            .copied()
            .chain(problem.bias)
            .collect();
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
        Solver {
            state: State::initial(problem, params.len()),
            params,
            problem,
            cg_state: CgState::default(),
            t: 0,
            epochs_done: 0,
            next_batch: 0,
            status: None,
            warnings,
            epoch_losses: Vec::new(),
            hooks,
        }
    }

    /// The parameters now: weights, then the bias.
    pub fn params(&self) -> &[f64] {
        &self.params
    }

    /// Assemble the solution from the steps this solver produced.
    pub fn finish(self, steps: Vec<Step>) -> Solution {
        let n = self.problem.weights.len();
        let status = self.status.unwrap_or(Status::Completed);
        Solution {
            status,
            warnings: self.warnings,
            steps,
            final_weights: self.params.iter().take(n).copied().collect(),
            final_bias: self
                .params
                .get(n)
                .copied()
                .filter(|_| self.problem.bias.is_some()),
            loss: LossSummary {
                initial: total_loss(self.problem, &initial_params(self.problem)),
                final_: total_loss(self.problem, &self.params),
                per_epoch: self.epoch_losses,
            },
        }
    }

    fn batches_per_epoch(&self) -> usize {
        let m = self.problem.samples.len();
        let b = self.problem.batch_size.clamp(1, m.max(1));
        m.div_ceil(b)
    }

    fn is_cg(&self) -> bool {
        matches!(self.problem.optimizer, Optimizer::ConjugateGradient { .. })
    }

    /// Compute the next update, or `None` once the run has ended.
    pub fn next_step(&mut self) -> Option<Step> {
        if self.status.is_some() {
            return None;
        }
        if self.epochs_done >= self.problem.epochs || self.problem.samples.is_empty() {
            self.status = Some(Status::Completed);
            return None;
        }
        let problem = self.problem;
        let batch: Vec<usize> = if self.is_cg() {
            (0..problem.samples.len()).collect()
        } else {
            let size = problem.batch_size.clamp(1, problem.samples.len());
            let start = self.next_batch * size;
            (start..(start + size).min(problem.samples.len())).collect()
        };
        let t = self.t + 1;
        let epoch = problem
            .schedule
            .map_or(0, |s| s.first_epoch)
            .saturating_add(self.epochs_done);
        let mut worked = Worked::new(problem.rounding);
        worked.overrides = self.hooks.overrides.get(&t).cloned().unwrap_or_default();
        let start = if self.hooks.stale_weights {
            initial_params(problem)
        } else {
            self.params.clone()
        };
        let rounded_params: Vec<f64> = start.iter().map(|p| worked.round(*p)).collect();

        // The learning rate of this update.
        let (lr, lr_symbol) = self.learning_rate(t, &mut worked);

        // Forward blocks and the reduced gradient.
        let cg = self.is_cg();
        let (grad_name, time_label) = if cg { ("g", t - 1) } else { ("dw", t) };
        let sign = if cg {
            1.0
        } else {
            problem.conventions.sign.factor()
        };
        let (forward, dw) = forward_and_gradient(
            problem,
            &rounded_params,
            &batch,
            grad_name,
            time_label,
            sign,
            &mut worked,
        );
        let gradient: Vec<f64> = dw.iter().map(|d| sign * d).collect();

        let mut conjugate = None;
        let (new_params, new_state, new_cg_state) = match &problem.optimizer {
            Optimizer::ConjugateGradient {
                beta_formula,
                line_search,
                restart_every,
                tolerance,
            } => {
                if gradient.iter().all(|g| g.abs() <= *tolerance) {
                    self.status = Some(Status::Converged);
                    return None;
                }
                let config = CgConfig {
                    beta_formula: *beta_formula,
                    line_search: *line_search,
                    restart_every: *restart_every,
                };
                let rate = problem.schedule.map(|_| (lr_symbol.clone(), lr));
                let iteration = optim::cg::iterate(
                    problem,
                    &config,
                    t - 1,
                    &rounded_params,
                    &gradient,
                    rate,
                    &self.cg_state,
                    &mut worked,
                );
                conjugate = Some(iteration.detail);
                (iteration.params, self.state.clone(), iteration.state)
            }
            optimizer => {
                let update = Update {
                    t,
                    lr,
                    lr_symbol,
                    dw: &dw,
                    params: &rounded_params,
                    n_weights: problem.weights.len(),
                    sign: problem.conventions.sign,
                    epsilon: problem.conventions.epsilon,
                    bias_correction: problem.bias_correction,
                };
                let (params, state) = optim::step(optimizer, &self.state, &update, &mut worked);
                (params, state, self.cg_state.clone())
            }
        };
        let learning_rate = conjugate.as_ref().map_or(lr, |c| c.step_length);
        let (state_map, factors) = new_state.record();

        let n = problem.weights.len();
        let split = |v: &[f64]| -> (Vec<f64>, Option<f64>) {
            let weights = v.iter().take(n).copied().collect();
            let bias = if problem.bias.is_some() {
                v.get(n).copied()
            } else {
                None
            };
            (weights, bias)
        };
        let (weights_before, bias_before) = split(&rounded_params);
        let (gradient_w, bias_gradient) = split(&gradient);
        // `dw` in the request's convention, also for conjugate gradient, whose lines use g.
        let convention_dw: Vec<f64> = gradient
            .iter()
            .map(|g| problem.conventions.sign.factor() * g)
            .collect();
        let (dw_w, bias_dw) = split(&convention_dw);
        let (weights_after, bias_after) = split(&new_params);
        let step = Step {
            index: t,
            epoch,
            samples: batch,
            learning_rate,
            weights_before,
            bias_before,
            forward,
            gradient: gradient_w,
            bias_gradient,
            dw: dw_w,
            bias_dw,
            state: state_map,
            correction_factors: factors,
            conjugate,
            weights_after,
            bias_after,
            lines: worked.lines,
        };

        if let Some(quantity) = first_non_finite(&step) {
            self.status = Some(Status::Diverged);
            self.warnings.push(Warning::new(
                "diverged",
                format!(
                    "update {t}: {quantity} is not finite; the run stops before this update, and the trace ends at the last finite weights"
                ),
                Some(t),
            ));
            return None;
        }

        self.warnings.extend(worked.warnings);
        self.params = new_params;
        self.state = new_state;
        self.cg_state = new_cg_state;
        self.t = t;
        self.next_batch += 1;
        if cg || self.next_batch >= self.batches_per_epoch() {
            self.next_batch = 0;
            self.epochs_done += 1;
            self.epoch_losses.push(total_loss(problem, &self.params));
        }
        Some(step)
    }

    /// `α` of update `t`: the scheduled rate (with its worked line) or the constant one.
    fn learning_rate(&self, t: u64, worked: &mut Worked) -> (f64, String) {
        let problem = self.problem;
        let alpha0 = problem.optimizer.learning_rate().unwrap_or(0.0);
        match problem.schedule {
            Some(schedule) => {
                let e = schedule::schedule_input(&schedule, self.epochs_done, t);
                let symbol = schedule::rate_symbol(e);
                let value = worked.line_at(
                    "/learning_rate".to_string(),
                    symbol.clone(),
                    schedule::rate_expr(alpha0, schedule.kind, e),
                );
                (value, symbol)
            }
            None => (worked.round(alpha0), "\\alpha".to_string()),
        }
    }
}

impl Iterator for Solver<'_> {
    type Item = Step;
    fn next(&mut self) -> Option<Step> {
        self.next_step()
    }
}

fn initial_params(problem: &Problem) -> Vec<f64> {
    problem
        .weights
        .iter()
        .copied()
        .chain(problem.bias)
        .collect()
}

/// The forward pass of every sample of the batch with its worked lines, then the batch's
/// gradient in the given sign (`dw` lines, or `g` for conjugate gradient).
fn forward_and_gradient(
    problem: &Problem,
    params: &[f64],
    batch: &[usize],
    grad_name: &str,
    time: u64,
    sign: f64,
    worked: &mut Worked,
) -> (Vec<Forward>, Vec<f64>) {
    let has_bias = problem.bias.is_some();
    let n = problem.weights.len();
    let several = batch.len() > 1;
    let mut forward = Vec::with_capacity(batch.len());
    let mut per_sample: Vec<Vec<f64>> = Vec::with_capacity(batch.len());
    // Where the batch's gradient lines sit: `dw` in the convention, `g` (the gradient) for CG.
    let (field, bias_field) = if grad_name == "g" {
        ("gradient", "bias_gradient")
    } else {
        ("dw", "bias_dw")
    };
    for (position, &index) in batch.iter().enumerate() {
        let Some(sample) = problem.samples.get(index) else {
            continue;
        };
        // In a batch every sample's symbols carry its number: y^{(2)}.
        let tag = if several {
            format!("^{{({})}}", index + 1)
        } else {
            String::new()
        };
        let terms: Vec<Expr> = params
            .iter()
            .zip(inputs(sample, has_bias))
            .enumerate()
            .map(|(p, (w, x))| {
                if p < n {
                    mul(
                        q(format!("w_{{{}}}", p + 1), *w),
                        q(format!("x_{{{}}}{tag}", p + 1), x),
                    )
                } else {
                    q("b", *w)
                }
            })
            .collect();
        let at = |name: &str| format!("/forward/{position}/{name}");
        let net = worked.line_at(at("net"), format!("y_{{in}}{tag}"), sum(terms));
        let net_q = q(format!("y_{{in}}{tag}"), net);
        let output_expr = match problem.activation {
            Activation::Logistic => div(lit(1.0), expr::add(lit(1.0), expr::exp(expr::neg(net_q)))),
            Activation::Linear => net_q,
            Activation::Tanh => expr::tanh(net_q),
            Activation::Relu => expr::max(lit(0.0), net_q),
        };
        let output = worked.line_at(at("output"), format!("y{tag}"), output_expr);
        let y = q(format!("y{tag}"), output);
        let target = q(format!("t{tag}"), sample.t);
        let loss_expr = match problem.loss {
            Loss::SquaredError => mul(lit(0.5), square(sub(target.clone(), y.clone()))),
            Loss::CrossEntropy => expr::neg(expr::add(
                mul(target.clone(), expr::ln(y.clone())),
                mul(
                    sub(lit(1.0), target.clone()),
                    expr::ln(sub(lit(1.0), y.clone())),
                ),
            )),
        };
        let loss = worked.line_at(at("loss"), format!("E{tag}"), loss_expr);

        // dw = sign · ∂E/∂w: (y − t) f′ x for `gradient`, (t − y) f′ x for `delta`.
        let error = if sign > 0.0 {
            sub(y.clone(), target.clone())
        } else {
            sub(target.clone(), y.clone())
        };
        let slope: Option<Expr> = match (problem.loss, problem.activation) {
            (Loss::CrossEntropy, _) | (_, Activation::Linear) => None,
            (_, Activation::Logistic) => Some(mul(y.clone(), sub(lit(1.0), y.clone()))),
            (_, Activation::Tanh) => Some(sub(lit(1.0), square(y.clone()))),
            (_, Activation::Relu) => Some(q(
                format!("f'(y_{{in}}{tag})"),
                if net > 0.0 { 1.0 } else { 0.0 },
            )),
        };
        let signal = match slope {
            Some(s) => mul(error, s),
            None => error,
        };
        let grads: Vec<f64> = inputs(sample, has_bias)
            .enumerate()
            .map(|(p, x)| {
                let expr = if p < n {
                    mul(signal.clone(), q(format!("x_{{{}}}{tag}", p + 1), x))
                } else {
                    signal.clone()
                };
                if several {
                    let symbol = format!("{}{tag}", optim::base_symbol(grad_name, p, n));
                    // The per-sample gradient is carried as ∂E/∂w: the same number only in the
                    // gradient convention.
                    if sign > 0.0 {
                        let pointer = if p < n {
                            at(&format!("gradient/{p}"))
                        } else {
                            at("bias_gradient")
                        };
                        worked.line_at(pointer, symbol, expr)
                    } else {
                        worked.line(symbol, expr)
                    }
                } else {
                    let symbol = optim::symbol(grad_name, p, n, &time.to_string());
                    worked.line_at(optim::param_pointer(field, bias_field, p, n), symbol, expr)
                }
            })
            .collect();
        let (gradient, bias_gradient) = {
            let g: Vec<f64> = grads.iter().map(|d| sign * d).collect();
            let bias = if has_bias { g.get(n).copied() } else { None };
            (g.into_iter().take(n).collect(), bias)
        };
        forward.push(Forward {
            sample: index,
            net,
            output,
            loss,
            gradient,
            bias_gradient,
        });
        per_sample.push(grads);
    }

    let dw: Vec<f64> = if several {
        let m = per_sample.len() as f64;
        (0..params.len())
            .map(|p| {
                let terms: Vec<Expr> = batch
                    .iter()
                    .zip(&per_sample)
                    .map(|(index, grads)| {
                        let tag = format!("^{{({})}}", index + 1);
                        q(
                            format!("{}{tag}", optim::base_symbol(grad_name, p, n)),
                            grads.get(p).copied().unwrap_or(0.0),
                        )
                    })
                    .collect();
                let total = sum(terms);
                let expr = match problem.reduction {
                    Reduction::Mean => div(total, lit(m)),
                    Reduction::Sum => total,
                };
                worked.line_at(
                    optim::param_pointer(field, bias_field, p, n),
                    optim::symbol(grad_name, p, n, &time.to_string()),
                    expr,
                )
            })
            .collect()
    } else {
        per_sample.into_iter().next().unwrap_or_default()
    };
    (forward, dw)
}

/// The first quantity of a step that is not finite, named for the warning.
fn first_non_finite(step: &Step) -> Option<String> {
    let bad = |v: &f64| !v.is_finite();
    for f in &step.forward {
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
        if f.gradient.iter().chain(&f.bias_gradient).any(bad) {
            return Some(format!("the gradient for sample {sample}"));
        }
    }
    if step.gradient.iter().chain(&step.bias_gradient).any(bad) || bad(&step.learning_rate) {
        return Some("the gradient".into());
    }
    for (name, values) in &step.state {
        if values.iter().any(bad) {
            return Some(format!("the accumulator {name}"));
        }
    }
    if step.correction_factors.values().any(bad) {
        return Some("a bias-correction factor".into());
    }
    if let Some(c) = &step.conjugate {
        if c.direction.iter().any(bad)
            || bad(&c.beta)
            || bad(&c.step_length)
            || bad(&c.directional_derivative)
        {
            return Some("the conjugate direction or step".into());
        }
    }
    if let Some(i) = step.weights_after.iter().position(bad) {
        return Some(format!("the new weight w_{}", i + 1));
    }
    if step.bias_after.iter().any(bad) {
        return Some("the new bias".into());
    }
    step.lines
        .iter()
        .find(|l| bad(&l.value))
        .map(|l| format!("the worked value {}", expr::tex_to_text(&l.symbol)))
}

//! The neuron (docs/contract.md §1): net input, activation, loss and gradient of one sample, and of a batch
//! — written once, in any [`Reading`]: the worked lines of an update, and the plain numbers of
//! the loss over all samples and of conjugate gradient's line search.
//! Parameters are the weights followed by the bias, whose input is 1.

use std::ops::Range;

use super::expr::{sum, Num};
use super::problem::{Activation, Loss, Problem, Reduction};
use super::reading::{Exact, Reading};
use super::symbol::{index, Const, ForwardField, Name, Param, Pointer, SampleName, Symbol};

/// The forward pass of one sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampleNumbers {
    /// Index of the sample in `samples`.
    pub sample: usize,
    pub net: f64,
    pub output: f64,
    pub loss: f64,
}

/// How an update names its gradient: `dw` in the convention's sign, or conjugate gradient's
/// `g` (the gradient itself, at iteration `time`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GradientNaming {
    pub name: Name,
    pub time: u64,
    /// `+1` (the gradient, `y − t`) or `−1` (the course's delta, `t − y`).
    pub sign: f64,
}

impl GradientNaming {
    /// Where the step carries the reduced gradient's line for parameter `p`.
    fn pointer(&self, param: Param) -> Pointer {
        if self.name == Name::G {
            Pointer::Gradient(param)
        } else {
            Pointer::Dw(param)
        }
    }
}

/// One sample's forward pass, with its lines, and (when `gradient` is given) its gradient in
/// `naming`'s sign into `gradient` (one entry per parameter). `position` is its place in the
/// batch; `several` says whether the batch has more than one sample (then every symbol carries
/// the sample's number, and the gradient lines are per sample).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub fn sample<R: Reading>(
    r: &mut R,
    problem: &Problem,
    params: &[f64],
    sample_index: usize,
    position: usize,
    several: bool,
    naming: GradientNaming,
    gradient: Option<&mut [f64]>,
) -> SampleNumbers {
    let Some(sample) = problem.samples.get(sample_index) else {
        if let Some(row) = gradient {
            row.fill(0.0);
        }
        return SampleNumbers {
            sample: sample_index,
            net: f64::NAN,
            output: f64::NAN,
            loss: f64::NAN,
        };
    };
    let at = SampleAt {
        problem,
        x: &sample.x,
        t: sample.t,
        index: sample_index,
        position: index(position),
        // In a batch every sample's symbols carry its number: y^{(2)}.
        tag: several.then(|| index(sample_index).saturating_add(1)),
        several,
        width: sample.x.len() + usize::from(problem.bias.is_some()),
    };
    let (numbers, y, target) = forward(r, &at, params);
    if let Some(gradient) = gradient {
        gradient_lines(r, &at, naming, y, target, numbers.net, gradient);
    }
    numbers
}

/// One sample within its update: how its quantities are named and where the step carries
/// them.
struct SampleAt<'a> {
    problem: &'a Problem,
    x: &'a [f64],
    t: f64,
    /// Its index in `samples`.
    index: usize,
    /// Its place in the batch.
    position: u32,
    /// The sample's number on every symbol, within a batch of several.
    tag: Option<u32>,
    several: bool,
    /// Inputs: the features, then 1 for the bias.
    width: usize,
}

impl SampleAt<'_> {
    #[inline(always)]
    fn pointer(&self, field: ForwardField) -> Option<Pointer> {
        Some(Pointer::Forward {
            position: self.position,
            field,
        })
    }

    #[inline(always)]
    fn quantity(&self, name: SampleName) -> Symbol {
        Symbol::Sample {
            name,
            tag: self.tag,
        }
    }

    #[inline(always)]
    fn input(&self, p: usize) -> Symbol {
        Symbol::Input {
            index: index(p),
            tag: self.tag,
        }
    }

    /// Input `p`: `x_p`, then 1 for the bias.
    #[inline(always)]
    fn x_of(&self, p: usize) -> f64 {
        self.x.get(p).copied().unwrap_or(1.0)
    }
}

/// The net input, activation and loss lines; their numbers, and the output and target as
/// quantities for the gradient.
#[inline(always)]
fn forward<R: Reading>(r: &mut R, at: &SampleAt, params: &[f64]) -> (SampleNumbers, R::N, R::N) {
    let net = r.line(
        at.pointer(ForwardField::Net),
        at.quantity(SampleName::Net),
        net_input::<R::N>(at, params),
    );
    let net_q = R::N::q(at.quantity(SampleName::Net), net);
    let one = || R::N::lit(1.0);
    let output_expr = match at.problem.activation {
        Activation::Logistic => one() / (one() + (-net_q).exp()),
        Activation::Linear => net_q,
        Activation::Tanh => net_q.tanh(),
        Activation::Relu => R::N::lit(0.0).max(net_q),
    };
    let output = r.line(
        at.pointer(ForwardField::Output),
        at.quantity(SampleName::Output),
        output_expr,
    );
    let y = R::N::q(at.quantity(SampleName::Output), output);
    let target = R::N::q(at.quantity(SampleName::Target), at.t);
    let loss_expr = match at.problem.loss {
        Loss::SquaredError => R::N::lit(0.5) * (target - y).square(),
        Loss::CrossEntropy => -(target * y.ln() + (one() - target) * (one() - y).ln()),
    };
    let loss = r.line(
        at.pointer(ForwardField::Loss),
        at.quantity(SampleName::Loss),
        loss_expr,
    );
    let numbers = SampleNumbers {
        sample: at.index,
        net,
        output,
        loss,
    };
    (numbers, y, target)
}

/// `w_1 x_1 + … + b`; indexed rather than an iterator chain, whose state cost more than the
/// net input's arithmetic.
#[inline(always)]
fn net_input<N: Num>(at: &SampleAt, params: &[f64]) -> N {
    let n = at.problem.weights.len();
    let term = |p: usize, w: f64| {
        if p < n {
            N::q(Symbol::Weight { index: index(p) }, w) * N::q(at.input(p), at.x_of(p))
        } else {
            N::q(Symbol::Const(Const::B), w)
        }
    };
    let used = &params[..params.len().min(at.width)];
    match used.split_first() {
        None => N::lit(0.0),
        Some((&first, rest)) => {
            let mut total = term(0, first);
            for (p, &w) in rest.iter().enumerate() {
                total = total + term(p + 1, w);
            }
            total
        }
    }
}

/// The gradient lines of one sample, in `naming`'s sign, into `gradient`: per sample within a
/// batch of several, else the update's own.
#[inline(always)]
fn gradient_lines<R: Reading>(
    r: &mut R,
    at: &SampleAt,
    naming: GradientNaming,
    y: R::N,
    target: R::N,
    net: f64,
    gradient: &mut [f64],
) {
    let signal = error_signal::<R::N>(at, naming, y, target, net);
    let n = at.problem.weights.len();
    // Parameters without an input (none in a validated problem) get no gradient.
    if let Some(rest) = gradient.get_mut(at.width..) {
        rest.fill(0.0);
    }
    for (p, slot) in gradient.iter_mut().enumerate().take(at.width) {
        let expr = if p < n {
            signal * R::N::q(at.input(p), at.x_of(p))
        } else {
            signal
        };
        let param = Param::of(p, n);
        *slot = if at.several {
            let symbol = Symbol::param_of_sample(naming.name, p, n, at.index);
            // The per-sample gradient is carried as ∂E/∂w: the same number only in the
            // gradient convention.
            let pointer = (naming.sign > 0.0).then_some(Pointer::ForwardGradient {
                position: at.position,
                param,
            });
            r.line(pointer, symbol, expr)
        } else {
            let symbol = Symbol::param(naming.name, p, n, naming.time);
            r.line(Some(naming.pointer(param)), symbol, expr)
        };
    }
}

/// What multiplies each input in the gradient: dw = sign · ∂E/∂w, (y − t) f′ x for
/// `gradient`, (t − y) f′ x for `delta`.
#[inline(always)]
fn error_signal<N: Num>(at: &SampleAt, naming: GradientNaming, y: N, target: N, net: f64) -> N {
    let one = || N::lit(1.0);
    let error = if naming.sign > 0.0 {
        y - target
    } else {
        target - y
    };
    let slope = match (at.problem.loss, at.problem.activation) {
        (Loss::CrossEntropy, _) | (_, Activation::Linear) => None,
        (_, Activation::Logistic) => Some(y * (one() - y)),
        (_, Activation::Tanh) => Some(one() - y.square()),
        (_, Activation::Relu) => Some(N::q(
            at.quantity(SampleName::Slope),
            if net > 0.0 { 1.0 } else { 0.0 },
        )),
    };
    match slope {
        Some(s) => error * s,
        None => error,
    }
}

/// The forward pass of every sample of `batch` with its lines (into `forward`), each sample's
/// gradient in `naming`'s sign (into `per_sample`, one row of `params.len()` per sample), and
/// the batch's reduced gradient (into `reduced`).
#[allow(clippy::too_many_arguments)]
pub fn batch<R: Reading>(
    r: &mut R,
    problem: &Problem,
    params: &[f64],
    batch: Range<usize>,
    naming: GradientNaming,
    forward: &mut Vec<SampleNumbers>,
    per_sample: &mut Vec<f64>,
    reduced: &mut [f64],
) {
    let width = params.len();
    let several = batch.len() > 1;
    forward.clear();
    // `sample` writes every entry of its row; only the length is set (no `memset` per update).
    per_sample.resize(batch.len() * width, 0.0);
    for (position, (sample_index, row)) in batch
        .clone()
        .zip(per_sample.chunks_mut(width.max(1)))
        .enumerate()
    {
        forward.push(sample(
            r,
            problem,
            params,
            sample_index,
            position,
            several,
            naming,
            Some(row),
        ));
    }
    let n = problem.weights.len();
    if several {
        let m = forward.len() as f64;
        for (p, slot) in reduced.iter_mut().enumerate().take(width) {
            let terms =
                batch
                    .clone()
                    .zip(per_sample.chunks(width.max(1)))
                    .map(|(sample_index, row)| {
                        R::N::q(
                            Symbol::param_of_sample(naming.name, p, n, sample_index),
                            row.get(p).copied().unwrap_or(0.0),
                        )
                    });
            let total = sum(terms);
            let expr = match problem.reduction {
                Reduction::Mean => total / R::N::lit(m),
                Reduction::Sum => total,
            };
            *slot = r.line(
                Some(naming.pointer(Param::of(p, n))),
                Symbol::param(naming.name, p, n, naming.time),
                expr,
            );
        }
    } else {
        for (slot, value) in reduced.iter_mut().zip(per_sample.iter()) {
            *slot = *value;
        }
    }
}

/// The loss over all samples at `params` (with the problem's reduction): the forward pass of
/// the worked lines, read as plain numbers, without rounding.
pub fn loss_over_all(problem: &Problem, params: &[f64]) -> f64 {
    let mut values = Exact::default();
    let naming = GradientNaming {
        name: Name::Dw,
        time: 0,
        sign: 1.0,
    };
    let losses = (0..problem.samples.len())
        .map(|i| sample(&mut values, problem, params, i, i, false, naming, None).loss);
    reduced_loss(losses, problem.reduction)
}

/// The samples' losses summed in order, divided by their count for the mean.
pub fn reduced_loss(losses: impl Iterator<Item = f64>, reduction: Reduction) -> f64 {
    let (mut total, mut count) = (0.0, 0usize);
    for loss in losses {
        total += loss;
        count += 1;
    }
    if reduction == Reduction::Mean && count > 0 {
        total /= count as f64;
    }
    total
}

/// The loss over all samples at `params`, or `None` where it is not finite.
pub fn total_loss(problem: &Problem, params: &[f64]) -> Option<f64> {
    let loss = loss_over_all(problem, params);
    loss.is_finite().then_some(loss)
}

/// The loss over all samples and its gradient `∂E/∂w` at `params`: the full batch of the worked
/// lines, read as plain numbers, without rounding (conjugate gradient's line search).
pub fn batch_loss_and_gradient(problem: &Problem, params: &[f64]) -> (f64, Vec<f64>) {
    let mut values = Exact::default();
    let naming = GradientNaming {
        name: Name::G,
        time: 0,
        sign: 1.0,
    };
    let mut forward = Vec::with_capacity(problem.samples.len());
    let mut per_sample = Vec::new();
    let mut gradient = vec![0.0; params.len()];
    batch(
        &mut values,
        problem,
        params,
        0..problem.samples.len(),
        naming,
        &mut forward,
        &mut per_sample,
        &mut gradient,
    );
    (
        reduced_loss(forward.iter().map(|f| f.loss), problem.reduction),
        gradient,
    )
}

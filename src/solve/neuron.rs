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
    let has_bias = problem.bias.is_some();
    let n = problem.weights.len();
    // In a batch every sample's symbols carry its number: y^{(2)}.
    let tag = several.then(|| index(sample_index).saturating_add(1));
    let position32 = index(position);
    let at = |field| {
        Some(Pointer::Forward {
            position: position32,
            field,
        })
    };
    let quantity = |name| Symbol::Sample { name, tag };
    let input = |p: usize| Symbol::Input {
        index: index(p),
        tag,
    };

    // Input `p` is `x_p`, then 1 for the bias; indexed rather than an iterator chain, whose
    // state cost more than the net input's arithmetic.
    let width = sample.x.len() + usize::from(has_bias);
    let x_of = |p: usize| sample.x.get(p).copied().unwrap_or(1.0);
    let term = |p: usize, w: f64| {
        if p < n {
            R::N::q(Symbol::Weight { index: index(p) }, w) * R::N::q(input(p), x_of(p))
        } else {
            R::N::q(Symbol::Const(Const::B), w)
        }
    };
    let used = &params[..params.len().min(width)];
    let net_expr = match used.split_first() {
        None => R::N::lit(0.0),
        Some((&first, rest)) => {
            let mut total = term(0, first);
            for (p, &w) in rest.iter().enumerate() {
                total = total + term(p + 1, w);
            }
            total
        }
    };
    let net = r.line(at(ForwardField::Net), quantity(SampleName::Net), net_expr);
    let net_q = R::N::q(quantity(SampleName::Net), net);
    let one = || R::N::lit(1.0);
    let output_expr = match problem.activation {
        Activation::Logistic => one() / (one() + (-net_q).exp()),
        Activation::Linear => net_q,
        Activation::Tanh => net_q.tanh(),
        Activation::Relu => R::N::lit(0.0).max(net_q),
    };
    let output = r.line(
        at(ForwardField::Output),
        quantity(SampleName::Output),
        output_expr,
    );
    let y = R::N::q(quantity(SampleName::Output), output);
    let target = R::N::q(quantity(SampleName::Target), sample.t);
    let loss_expr = match problem.loss {
        Loss::SquaredError => R::N::lit(0.5) * (target - y).square(),
        Loss::CrossEntropy => -(target * y.ln() + (one() - target) * (one() - y).ln()),
    };
    let loss = r.line(
        at(ForwardField::Loss),
        quantity(SampleName::Loss),
        loss_expr,
    );
    let numbers = SampleNumbers {
        sample: sample_index,
        net,
        output,
        loss,
    };
    let Some(gradient) = gradient else {
        return numbers;
    };

    // dw = sign · ∂E/∂w: (y − t) f′ x for `gradient`, (t − y) f′ x for `delta`.
    let error = if naming.sign > 0.0 {
        y - target
    } else {
        target - y
    };
    let slope = match (problem.loss, problem.activation) {
        (Loss::CrossEntropy, _) | (_, Activation::Linear) => None,
        (_, Activation::Logistic) => Some(y * (one() - y)),
        (_, Activation::Tanh) => Some(one() - y.square()),
        (_, Activation::Relu) => Some(R::N::q(
            quantity(SampleName::Slope),
            if net > 0.0 { 1.0 } else { 0.0 },
        )),
    };
    let signal = match slope {
        Some(s) => error * s,
        None => error,
    };
    // Parameters without an input (none in a validated problem) get no gradient.
    if let Some(rest) = gradient.get_mut(width..) {
        rest.fill(0.0);
    }
    for (p, slot) in gradient.iter_mut().enumerate().take(width) {
        let expr = if p < n {
            signal * R::N::q(input(p), x_of(p))
        } else {
            signal
        };
        let param = Param::of(p, n);
        *slot = if several {
            let symbol = Symbol::param_of_sample(naming.name, p, n, sample_index);
            // The per-sample gradient is carried as ∂E/∂w: the same number only in the
            // gradient convention.
            let pointer = (naming.sign > 0.0).then_some(Pointer::ForwardGradient {
                position: position32,
                param,
            });
            r.line(pointer, symbol, expr)
        } else {
            let symbol = Symbol::param(naming.name, p, n, naming.time);
            r.line(Some(naming.pointer(param)), symbol, expr)
        };
    }
    numbers
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
    let mut total = 0.0;
    for i in 0..problem.samples.len() {
        total += sample(&mut values, problem, params, i, i, false, naming, None).loss;
    }
    if problem.reduction == Reduction::Mean && !problem.samples.is_empty() {
        total /= problem.samples.len() as f64;
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
    let mut total = 0.0;
    for f in &forward {
        total += f.loss;
    }
    if problem.reduction == Reduction::Mean && !forward.is_empty() {
        total /= forward.len() as f64;
    }
    (total, gradient)
}

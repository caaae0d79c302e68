//! A network's forward and backward pass (docs/contract.md §11), written once in any
//! [`Reading`]: the worked lines of an update, or plain numbers (the loss over all samples,
//! conjugate gradient's line search).
//!
//! Gradients are over every parameter, biases included whether or not they are updated, in
//! the order of [`Model::full`]: layer by layer, each layer's weights row by row, then its
//! biases.

use std::ops::Range;

use super::notation::{NetPointer, NetSymbol, Style, UnitName, UnitParam};
use super::{Layer, Layout, Network};
use crate::solve::expr::{sum, Num};
use crate::solve::neuron::{reduced_loss, GradientNaming};
use crate::solve::problem::{Activation, Loss, Reduction, Sample};
use crate::solve::reading::{Exact, Reading};
use crate::solve::symbol::{Name, Param, Pointer, Suffix, Symbol};

/// What a pass needs to know of the problem.
#[derive(Debug, Clone, Copy)]
pub struct Model<'a> {
    pub network: &'a Network,
    /// Every parameter's place in a gradient (every layer's biases included).
    pub full: &'a Layout,
    pub samples: &'a [Sample],
    pub loss: Loss,
    pub reduction: Reduction,
}

/// The backward pass as a student may do it (a grader's slips, `solve::Hooks`); the default
/// is §11's own.
#[derive(Debug, Clone, Copy, Default)]
pub struct Backward<'a> {
    /// The layers a hidden δ is propagated through (`layers[l + 1]`'s weights for layer `l`),
    /// in place of the forward pass's own: the weights above as the update leaves them.
    pub through: Option<&'a [Layer]>,
    pub slips: DeltaSlips,
}

/// Slips in writing a δ.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeltaSlips {
    /// The factor `f′` left out of the δ's of these layers.
    pub without_derivative: Option<DeltaLayers>,
    /// The output error with the other sign: `t − y` where `y − t` belongs, or the reverse,
    /// so every δ, every gradient and the update go the other way.
    pub sign_flipped: bool,
}

/// Which δ's a slip concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeltaLayers {
    Output,
    Hidden,
    All,
}

impl DeltaLayers {
    fn includes(self, is_output: bool) -> bool {
        match self {
            DeltaLayers::Output => is_output,
            DeltaLayers::Hidden => !is_output,
            DeltaLayers::All => true,
        }
    }
}

/// One sample's forward pass and deltas, layer by layer (`net[l][j]` is unit `j` of layer
/// `l + 1`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SamplePass {
    /// Index of the sample in `samples`.
    pub sample: usize,
    pub net: Vec<Vec<f64>>,
    pub output: Vec<Vec<f64>>,
    /// In the naming's sign: `∂E/∂z` for the gradient convention, its negative for `delta`.
    pub delta: Vec<Vec<f64>>,
    /// The loss of each output.
    pub losses: Vec<f64>,
    /// Their sum.
    pub loss: f64,
}

/// Where a sample's lines are, and how they are named.
struct At<'a> {
    style: Style,
    position: usize,
    tag: Option<u32>,
    x: &'a [f64],
    targets: &'a [f64],
}

impl At<'_> {
    fn unit(&self, name: UnitName, layer: usize, unit: usize) -> Symbol {
        Symbol::Net(NetSymbol::unit(name, layer, unit, self.style, self.tag))
    }

    /// Unit `k`'s output of layer `l` (0: the inputs), as a quantity.
    fn below<N: Num>(&self, outputs: &[Vec<f64>], l: usize, k: usize) -> N {
        let value = if l == 0 {
            self.x.get(k).copied().unwrap_or(0.0)
        } else {
            outputs
                .get(l - 1)
                .and_then(|o| o.get(k))
                .copied()
                .unwrap_or(0.0)
        };
        N::q(self.unit(UnitName::Output, l, k), value)
    }
}

/// The net input and output of every unit, layer by layer, with their lines.
fn forward<R: Reading>(r: &mut R, at: &At, layers: &[Layer], full: &Layout) -> SamplePass {
    let mut pass = SamplePass::default();
    for (l, layer) in layers.iter().enumerate() {
        let mut nets = Vec::with_capacity(layer.units());
        let mut outs = Vec::with_capacity(layer.units());
        for (j, row) in layer.weights.iter().enumerate() {
            let terms = row.iter().enumerate().map(|(k, &w)| {
                R::N::q(Symbol::Net(NetSymbol::Param(full.weight(l, j, k))), w)
                    * at.below::<R::N>(&pass.output, l, k)
            });
            let mut expr = sum(terms);
            if let Some(b) = layer.biases.as_ref().and_then(|b| b.get(j)) {
                expr = expr + R::N::q(Symbol::Net(NetSymbol::Param(full.bias(l, j))), *b);
            }
            let pointer = Pointer::Net(NetPointer::net(l, at.position, j));
            let net = r.line(Some(pointer), at.unit(UnitName::Net, l + 1, j), expr);
            let z = R::N::q(at.unit(UnitName::Net, l + 1, j), net);
            let pointer = Pointer::Net(NetPointer::output(l, at.position, j));
            let out = r.line(
                Some(pointer),
                at.unit(UnitName::Output, l + 1, j),
                activated(layer.activation, z),
            );
            nets.push(net);
            outs.push(out);
        }
        pass.net.push(nets);
        pass.output.push(outs);
    }
    pass
}

/// `f(z)`.
fn activated<N: Num>(activation: Activation, z: N) -> N {
    let one = || N::lit(1.0);
    match activation {
        Activation::Logistic => one() / (one() + (-z).exp()),
        Activation::Linear => z,
        Activation::Tanh => z.tanh(),
        Activation::Relu => N::lit(0.0).max(z),
    }
}

/// `f'(z)` in terms of the unit's output `a` (ReLU's as its own quantity); `None` for a
/// linear unit, whose slope is 1.
fn slope<N: Num>(activation: Activation, a: N, slope_of_relu: impl FnOnce() -> N) -> Option<N> {
    let one = || N::lit(1.0);
    match activation {
        Activation::Linear => None,
        Activation::Logistic => Some(a * (one() - a)),
        Activation::Tanh => Some(one() - a.square()),
        Activation::Relu => Some(slope_of_relu()),
    }
}

/// Each output's loss, then their sum, with their lines (the sum alone for one output).
fn losses<R: Reading>(r: &mut R, at: &At, loss: Loss, pass: &mut SamplePass) {
    let last = pass.output.len();
    let outputs = pass.output.last().map_or(&[][..], Vec::as_slice);
    let one = || R::N::lit(1.0);
    let mut terms = Vec::with_capacity(outputs.len());
    for (k, &y) in outputs.iter().enumerate() {
        let y = R::N::q(at.unit(UnitName::Output, last, k), y);
        let t = R::N::q(
            at.unit(UnitName::Target, last, k),
            at.targets.get(k).copied().unwrap_or(0.0),
        );
        let expr = match loss {
            Loss::SquaredError => R::N::lit(0.5) * (t - y).square(),
            Loss::CrossEntropy => -(t * y.ln() + (one() - t) * (one() - y).ln()),
        };
        if outputs.len() == 1 {
            terms.push(expr);
        } else {
            let pointer = Pointer::Net(NetPointer::OutputLoss {
                position: crate::solve::symbol::index(at.position),
                unit: u16::try_from(k).unwrap_or(u16::MAX),
            });
            let value = r.line(Some(pointer), at.unit(UnitName::Loss, last, k), expr);
            pass.losses.push(value);
            terms.push(R::N::q(at.unit(UnitName::Loss, last, k), value));
        }
    }
    let total = Symbol::Net(NetSymbol::Total {
        numbered: at.style == Style::Numbered,
        tag: at.tag,
    });
    let pointer = Pointer::Net(NetPointer::Loss {
        position: crate::solve::symbol::index(at.position),
    });
    pass.loss = r.line(Some(pointer), total, sum(terms));
    if outputs.len() == 1 {
        pass.losses.push(pass.loss);
    }
}

/// Every unit's δ in the naming's sign, from the outputs back, through the weights before the
/// update (or those `backward` gives, with its slips).
#[allow(clippy::too_many_arguments)]
fn deltas<R: Reading>(
    r: &mut R,
    at: &At,
    layers: &[Layer],
    full: &Layout,
    loss: Loss,
    backward: Backward,
    naming: GradientNaming,
    pass: &mut SamplePass,
) {
    let count = layers.len();
    let through = backward.through.unwrap_or(layers);
    // y − t in the gradient's sign, t − y in the delta convention's; a slip swaps them.
    let error_up = (naming.sign > 0.0) != backward.slips.sign_flipped;
    pass.delta = vec![Vec::new(); count];
    for l in (0..count).rev() {
        let layer = &layers[l];
        let mut row = Vec::with_capacity(layer.units());
        for j in 0..layer.units() {
            let a = R::N::q(
                at.unit(UnitName::Output, l + 1, j),
                pass.output[l].get(j).copied().unwrap_or(0.0),
            );
            let net = pass.net[l].get(j).copied().unwrap_or(0.0);
            let relu = || {
                R::N::q(
                    at.unit(UnitName::Slope, l + 1, j),
                    if net > 0.0 { 1.0 } else { 0.0 },
                )
            };
            let error = if l + 1 == count {
                let t = R::N::q(
                    at.unit(UnitName::Target, l + 1, j),
                    at.targets.get(j).copied().unwrap_or(0.0),
                );
                if error_up {
                    a - t
                } else {
                    t - a
                }
            } else {
                // `l + 1 < count` here; `through` is as long as `layers`.
                let above = through.get(l + 1).unwrap_or(&layers[l + 1]);
                let terms = above.weights.iter().enumerate().map(|(i, weights)| {
                    let w = weights.get(j).copied().unwrap_or(0.0);
                    let d = pass.delta[l + 1].get(i).copied().unwrap_or(0.0);
                    R::N::q(Symbol::Net(NetSymbol::Param(full.weight(l + 1, i, j))), w)
                        * R::N::q(at.unit(UnitName::Delta, l + 2, i), d)
                });
                sum(terms)
            };
            let is_output = l + 1 == count;
            let left_out = backward
                .slips
                .without_derivative
                .is_some_and(|which| which.includes(is_output));
            let expr = match (
                is_output && loss == Loss::CrossEntropy,
                slope(layer.activation, a, relu),
            ) {
                (true, _) | (_, None) => error,
                (false, Some(_)) if left_out => error,
                (false, Some(s)) => error * s,
            };
            let pointer = Pointer::Net(NetPointer::delta(l, at.position, j));
            row.push(r.line(Some(pointer), at.unit(UnitName::Delta, l + 1, j), expr));
        }
        pass.delta[l] = row;
    }
}

/// Each parameter's gradient `δ a` (in the naming's sign) into `gradient`, in `full`'s order,
/// with its lines: per sample within a batch (`several`), else the update's own.
#[allow(clippy::too_many_arguments)]
fn gradient_lines<R: Reading>(
    r: &mut R,
    at: &At,
    layers: &[Layer],
    full: &Layout,
    naming: GradientNaming,
    sample_index: usize,
    several: bool,
    pass: &SamplePass,
    gradient: &mut [f64],
) {
    for (l, (layer, span)) in layers.iter().zip(&full.spans).enumerate() {
        for j in 0..layer.units() {
            let d = R::N::q(
                at.unit(UnitName::Delta, l + 1, j),
                pass.delta[l].get(j).copied().unwrap_or(0.0),
            );
            for k in 0..layer.inputs() {
                let expr = d * at.below::<R::N>(&pass.output, l, k);
                let value =
                    gradient_line(r, naming, full.weight(l, j, k), sample_index, several, expr);
                if let Some(slot) = gradient.get_mut(span.weight(j, k)) {
                    *slot = value;
                }
            }
            if let (true, Some(b)) = (layer.biases.is_some(), span.bias_start) {
                let value = gradient_line(r, naming, full.bias(l, j), sample_index, several, d);
                if let Some(slot) = gradient.get_mut(b + j) {
                    *slot = value;
                }
            }
        }
    }
}

/// One gradient line: `(dw^{(l)}_{jk})_t`, or `(dw^{(l)}_{jk})^{(i)}` for sample `i` of a
/// batch (which the step does not carry).
fn gradient_line<R: Reading>(
    r: &mut R,
    naming: GradientNaming,
    param: UnitParam,
    sample_index: usize,
    several: bool,
    expr: R::N,
) -> f64 {
    let param = Param::Unit(param);
    if several {
        let symbol = Symbol::Param {
            name: naming.name,
            param,
            suffix: Suffix::Sample(crate::solve::symbol::index(sample_index).saturating_add(1)),
        };
        r.line(None, symbol, expr)
    } else {
        let symbol = Symbol::Param {
            name: naming.name,
            param,
            suffix: Suffix::Time(naming.time),
        };
        r.line(Some(pointer_of(naming, param)), symbol, expr)
    }
}

/// Where the step carries a reduced gradient: `dw` in the convention's sign, or conjugate
/// gradient's `g`.
fn pointer_of(naming: GradientNaming, param: Param) -> Pointer {
    if naming.name == Name::G {
        Pointer::Gradient(param)
    } else {
        Pointer::Dw(param)
    }
}

/// One sample's forward pass, losses and deltas with their lines, and (when `gradient` is
/// given, one entry per parameter of [`Model::full`]) its gradient.
#[allow(clippy::too_many_arguments)]
pub fn sample<R: Reading>(
    r: &mut R,
    model: &Model,
    layers: &[Layer],
    sample_index: usize,
    position: usize,
    several: bool,
    naming: GradientNaming,
    gradient: Option<&mut [f64]>,
) -> SamplePass {
    let at = (sample_index, position, several);
    sample_with(r, model, layers, Backward::default(), at, naming, gradient)
}

/// [`sample`] with its backward pass done as `backward` says; `at` is the sample's index, its
/// position in the batch, and whether the batch has several.
fn sample_with<R: Reading>(
    r: &mut R,
    model: &Model,
    layers: &[Layer],
    backward: Backward,
    (sample_index, position, several): (usize, usize, bool),
    naming: GradientNaming,
    gradient: Option<&mut [f64]>,
) -> SamplePass {
    let x = model
        .samples
        .get(sample_index)
        .map_or(&[][..], |s| s.x.as_slice());
    let targets = model
        .network
        .targets
        .get(sample_index)
        .map_or(&[][..], Vec::as_slice);
    let at = At {
        style: model.network.style,
        position,
        tag: several.then(|| crate::solve::symbol::index(sample_index).saturating_add(1)),
        x,
        targets,
    };
    let mut pass = forward(r, &at, layers, model.full);
    pass.sample = sample_index;
    losses(r, &at, model.loss, &mut pass);
    if let Some(gradient) = gradient {
        deltas(
            r, &at, layers, model.full, model.loss, backward, naming, &mut pass,
        );
        gradient_lines(
            r,
            &at,
            layers,
            model.full,
            naming,
            sample_index,
            several,
            &pass,
            gradient,
        );
    }
    pass
}

/// Every sample of `batch` (into `passes`, each sample's gradient a row of `per_sample`), and
/// the batch's reduced gradient (into `reduced`) with its lines.
#[allow(clippy::too_many_arguments)]
pub fn batch<R: Reading>(
    r: &mut R,
    model: &Model,
    layers: &[Layer],
    batch: Range<usize>,
    naming: GradientNaming,
    passes: &mut Vec<SamplePass>,
    per_sample: &mut Vec<f64>,
    reduced: &mut [f64],
) {
    let out = (passes, per_sample, reduced);
    batch_with(r, model, layers, Backward::default(), batch, naming, out);
}

/// [`batch`] with its backward pass done as `backward` says (a grader's slips); `out` is
/// where [`batch`] writes: the passes, each sample's gradient, the reduced gradient.
pub fn batch_with<R: Reading>(
    r: &mut R,
    model: &Model,
    layers: &[Layer],
    backward: Backward,
    batch: Range<usize>,
    naming: GradientNaming,
    (passes, per_sample, reduced): (&mut Vec<SamplePass>, &mut Vec<f64>, &mut [f64]),
) {
    let width = model.full.len();
    let several = batch.len() > 1;
    passes.clear();
    per_sample.clear();
    per_sample.resize(batch.len() * width, 0.0);
    for (position, (sample_index, row)) in batch
        .clone()
        .zip(per_sample.chunks_mut(width.max(1)))
        .enumerate()
    {
        passes.push(sample_with(
            r,
            model,
            layers,
            backward,
            (sample_index, position, several),
            naming,
            Some(row),
        ));
    }
    if !several {
        for (slot, value) in reduced.iter_mut().zip(per_sample.iter()) {
            *slot = *value;
        }
        return;
    }
    let m = passes.len() as f64;
    for (p, slot) in reduced.iter_mut().enumerate().take(width) {
        let param = Param::Unit(model.full.param(p));
        let terms =
            batch
                .clone()
                .zip(per_sample.chunks(width.max(1)))
                .map(|(sample_index, row)| {
                    let symbol = Symbol::Param {
                        name: naming.name,
                        param,
                        suffix: Suffix::Sample(
                            crate::solve::symbol::index(sample_index).saturating_add(1),
                        ),
                    };
                    R::N::q(symbol, row.get(p).copied().unwrap_or(0.0))
                });
        let total = sum(terms);
        let expr = match model.reduction {
            Reduction::Mean => total / R::N::lit(m),
            Reduction::Sum => total,
        };
        let symbol = Symbol::Param {
            name: naming.name,
            param,
            suffix: Suffix::Time(naming.time),
        };
        *slot = r.line(Some(pointer_of(naming, param)), symbol, expr);
    }
}

/// The loss over all samples at `layers` (with the problem's reduction), without rounding.
pub fn loss_over_all(model: &Model, layers: &[Layer]) -> f64 {
    let mut values = Exact::default();
    let naming = GradientNaming {
        name: Name::Dw,
        time: 0,
        sign: 1.0,
    };
    let losses = (0..model.samples.len())
        .map(|i| sample(&mut values, model, layers, i, i, false, naming, None).loss);
    reduced_loss(losses, model.reduction)
}

/// The loss over all samples and its gradient `∂E/∂p` over [`Model::full`], without rounding
/// (conjugate gradient's line search).
pub fn loss_and_gradient(model: &Model, layers: &[Layer]) -> (f64, Vec<f64>) {
    let mut values = Exact::default();
    let naming = GradientNaming {
        name: Name::G,
        time: 0,
        sign: 1.0,
    };
    let mut passes = Vec::with_capacity(model.samples.len());
    let mut per_sample = Vec::new();
    let mut gradient = vec![0.0; model.full.len()];
    batch(
        &mut values,
        model,
        layers,
        0..model.samples.len(),
        naming,
        &mut passes,
        &mut per_sample,
        &mut gradient,
    );
    (
        reduced_loss(passes.iter().map(|p| p.loss), model.reduction),
        gradient,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solve::reading::Lines;

    /// Matt Mazur's "A Step by Step Backpropagation Example" (2015): the numbers it prints,
    /// to its digits (tests/fixtures/network-examples.json has the source and every value, as
    /// tests/reference/network.py computes them independently).
    fn mazur() -> (Network, Vec<Sample>) {
        let network = super::super::classic_example();
        let samples = vec![Sample {
            x: vec![0.05, 0.10],
            t: 0.01,
        }];
        (network, samples)
    }

    /// The worked lines of one update of `batch` (at `time`, in `sign`'s convention), the
    /// passes, each sample's gradient and the reduced one.
    fn worked(
        model: &Model,
        batch_of: Range<usize>,
        time: u64,
        sign: f64,
    ) -> (
        Vec<crate::solve::trace::Line>,
        Vec<SamplePass>,
        Vec<f64>,
        Vec<f64>,
    ) {
        let mut lines = Lines::new(None, None);
        let naming = GradientNaming {
            name: Name::Dw,
            time,
            sign,
        };
        let (mut passes, mut per_sample) = (Vec::new(), Vec::new());
        let mut reduced = vec![0.0; model.full.len()];
        batch(
            &mut lines,
            model,
            &model.network.layers,
            batch_of,
            naming,
            &mut passes,
            &mut per_sample,
            &mut reduced,
        );
        (lines.lines, passes, per_sample, reduced)
    }

    fn squared_error<'a>(
        network: &'a Network,
        full: &'a Layout,
        samples: &'a [Sample],
    ) -> Model<'a> {
        Model {
            network,
            full,
            samples,
            loss: Loss::SquaredError,
            reduction: Reduction::Mean,
        }
    }

    fn close(got: f64, printed: f64, digits: i32) {
        let scale = 10f64.powi(digits);
        assert!(
            ((got * scale).round() - printed * scale).abs() < 0.5,
            "{got} does not round to {printed}"
        );
    }

    #[test]
    fn the_classic_two_two_two_example_gives_the_numbers_it_prints() {
        let (network, samples) = mazur();
        let full = Layout::full(&network);
        let model = squared_error(&network, &full, &samples);
        let (loss, gradient) = loss_and_gradient(&model, &network.layers);
        close(loss, 0.298371109, 9);
        // w5 (layers[1] row 0 column 0, place 6 of 12) and w1 (place 0).
        close(gradient[6], 0.082167041, 9);
        close(gradient[0], 0.000438568, 9);
        let (lines, passes, _, _) = worked(&model, 0..1, 1, 1.0);
        close(passes[0].output[0][0], 0.593269992, 9);
        close(passes[0].output[1][0], 0.75136507, 8);
        close(passes[0].delta[1][0], 0.138498562, 9);
        let symbols: Vec<String> = lines.iter().map(|l| l.symbol.tex()).collect();
        assert_eq!(
            symbols[..6],
            ["net_{h1}", "out_{h1}", "net_{h2}", "out_{h2}", "net_{o1}", "out_{o1}"]
        );
        assert!(symbols.contains(&"E_{o2}".to_string()), "{symbols:?}");
        assert!(symbols.contains(&"E_{total}".to_string()), "{symbols:?}");
        assert!(symbols.contains(&"\\delta_{h2}".to_string()), "{symbols:?}");
        assert!(symbols.contains(&"(dw_5)_1".to_string()), "{symbols:?}");
        assert!(symbols.contains(&"(db_{o2})_1".to_string()), "{symbols:?}");
        for line in &lines {
            assert_eq!(
                line.symbol.text(),
                crate::solve::expr::tex_to_text(&line.symbol.tex()),
                "{}",
                line.symbol.tex()
            );
        }
    }

    #[test]
    fn the_layered_notation_names_layers_units_and_samples() {
        let (mut network, mut samples) = mazur();
        network.style = Style::Layered;
        samples.push(samples[0].clone());
        network.targets.push(network.targets[0].clone());
        let full = Layout::full(&network);
        let model = squared_error(&network, &full, &samples);
        let (lines, passes, per_sample, reduced) = worked(&model, 0..2, 2, -1.0);
        let symbols: Vec<String> = lines.iter().map(|l| l.symbol.tex()).collect();
        for expected in [
            "z^{(1)}_{1}[1]",
            "a^{(2)}_{2}[2]",
            "\\delta^{(1)}_{2}[1]",
            "(dw^{(2)}_{12})^{(2)}",
            "(dw^{(2)}_{12})_2",
            "(db^{(1)}_{2})_2",
        ] {
            assert!(
                symbols.contains(&expected.to_string()),
                "{expected}: {symbols:?}"
            );
        }
        // The delta convention: the negatives, and the same for both copies of the sample.
        assert!(passes[0].delta[1][0] < 0.0);
        assert_eq!(reduced, per_sample[..full.len()]);
        let pointers: Vec<String> = lines
            .iter()
            .filter_map(|l| l.pointer.map(|p| p.to_string()))
            .collect();
        for expected in [
            "/layers/0/forward/1/net/0",
            "/layers/1/delta/0/1",
            "/losses/1/outputs/1",
            "/losses/0/loss",
            "/layers/1/dw/0/1",
            "/layers/0/bias_dw/1",
        ] {
            assert!(
                pointers.contains(&expected.to_string()),
                "{expected}: {pointers:?}"
            );
        }
    }
}

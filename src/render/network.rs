//! What a network's page adds to a neuron's (docs/contract.md §11): the network in its own
//! notation (each layer's weights as a matrix of named values, what the notation's symbols
//! mean), and each update's lines in three parts. Both renderings write these pieces, each in
//! its own markup.

use crate::solve::network::notation::{NetSymbol, Style, UnitName, UnitParam};
use crate::solve::network::trace::FinalNetwork;
use crate::solve::network::{Layer, NetworkModel};
use crate::solve::symbol::{Name, Param, Suffix, Symbol};
use crate::solve::{Line, Problem, Step};

use super::{activation_name, count};

/// The parts of a network's update, in the order they are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Part {
    /// Every unit's `z` and `a`, each output's loss and their sum.
    Forward,
    /// The deltas and the gradients `δ a`, per sample and reduced.
    Backward,
    /// The scheduled rate, the optimizer's lines and the new parameters.
    Update,
}

impl Part {
    pub(super) fn heading(self) -> &'static str {
        match self {
            Part::Forward => "Forward pass",
            Part::Backward => "Backward pass",
            Part::Update => "Update",
        }
    }
}

/// Which part a line belongs to, by what its symbol is: the optimizers' lines name no unit
/// and no gradient, so whatever is neither forward nor backward is the update.
fn part(line: &Line) -> Part {
    match line.symbol {
        Symbol::Net(NetSymbol::Unit {
            name: UnitName::Delta | UnitName::Slope,
            ..
        }) => Part::Backward,
        Symbol::Net(_) => Part::Forward,
        // `dw` in either sign convention, and conjugate gradient's `g`.
        Symbol::Param {
            name: Name::Dw | Name::G,
            ..
        } => Part::Backward,
        _ => Part::Update,
    }
}

/// A network's update in its parts, each part's lines in the order of the step (the
/// scheduled rate, which the step lists first, so heads the update); empty parts left out.
pub(super) fn parts(step: &Step) -> Vec<(Part, Vec<&Line>)> {
    [Part::Forward, Part::Backward, Part::Update]
        .into_iter()
        .map(|p| (p, step.lines.iter().filter(|l| part(l) == p).collect()))
        .filter(|(_, lines): &(Part, Vec<&Line>)| !lines.is_empty())
        .collect()
}

/// A piece of running text that names the notation's symbols: each rendering writes text,
/// symbols and numbers its own way.
pub(super) enum Span {
    Text(String),
    Symbol(Symbol),
}

fn text(s: &str) -> Span {
    Span::Text(s.to_string())
}

/// One layer's parameters as a table: a row per unit of the layer, a column per unit of the
/// layer below, then the bias; each cell names its parameter (`w_5 = 0.4`).
pub(super) struct LayerTable {
    /// `Layer 1 (hidden), 2 logistic units`.
    pub caption: String,
    /// The layer below's outputs (`x_1`, `out_h1`).
    pub inputs: Vec<Symbol>,
    pub has_biases: bool,
    /// Each unit's output symbol and its parameters: the weights, then the bias.
    pub rows: Vec<(Symbol, Vec<(Symbol, f64)>)>,
}

/// The model of a network problem.
pub(super) fn model(problem: &Problem) -> Option<&NetworkModel> {
    problem.network.as_deref()
}

/// The initial layers as tables.
pub(super) fn initial_tables(net: &NetworkModel) -> Vec<LayerTable> {
    tables(net, &net.network.layers)
}

/// The layers after the last update as tables (the initial ones when the solution has none).
pub(super) fn final_tables(net: &NetworkModel, last: Option<&FinalNetwork>) -> Vec<LayerTable> {
    let Some(last) = last else {
        return initial_tables(net);
    };
    let layers: Vec<Layer> = last
        .layers
        .iter()
        .map(|l| Layer {
            activation: l.activation,
            weights: l.weights.clone(),
            biases: l.biases.clone(),
        })
        .collect();
    tables(net, &layers)
}

fn tables(net: &NetworkModel, layers: &[Layer]) -> Vec<LayerTable> {
    let style = net.network.style;
    let count_layers = layers.len();
    layers
        .iter()
        .enumerate()
        .map(|(l, layer)| {
            let role = if l + 1 == count_layers {
                "output"
            } else {
                "hidden"
            };
            let caption = format!(
                "Layer {} ({role}), {}",
                l + 1,
                count(
                    layer.units(),
                    &format!("{} unit", activation_name(layer.activation)),
                    &format!("{} units", activation_name(layer.activation)),
                )
            );
            let output = |layer: usize, unit: usize| {
                Symbol::Net(NetSymbol::unit(UnitName::Output, layer, unit, style, None))
            };
            let rows = layer
                .weights
                .iter()
                .enumerate()
                .map(|(j, row)| {
                    let mut cells: Vec<(Symbol, f64)> = row
                        .iter()
                        .enumerate()
                        .map(|(k, w)| (Symbol::Net(NetSymbol::Param(net.full.weight(l, j, k))), *w))
                        .collect();
                    if let Some(b) = layer.biases.as_ref().and_then(|b| b.get(j)) {
                        cells.push((Symbol::Net(NetSymbol::Param(net.full.bias(l, j))), *b));
                    }
                    (output(l + 1, j), cells)
                })
                .collect();
            LayerTable {
                caption,
                inputs: (0..layer.inputs()).map(|k| output(l, k)).collect(),
                has_biases: layer.biases.is_some(),
                rows,
            }
        })
        .collect()
}

/// The network's shape and loss, plain text: `2 inputs; layer 1 (hidden): 2 logistic units;
/// …; squared-error loss`.
pub(super) fn shape(net: &NetworkModel, loss: &str) -> String {
    let layers = &net.network.layers;
    let mut parts = vec![count(
        layers.first().map_or(0, Layer::inputs),
        "input",
        "inputs",
    )];
    for (l, layer) in layers.iter().enumerate() {
        let role = if l + 1 == layers.len() {
            "output"
        } else {
            "hidden"
        };
        let name = activation_name(layer.activation);
        parts.push(format!(
            "layer {} ({role}): {}",
            l + 1,
            count(
                layer.units(),
                &format!("{name} unit"),
                &format!("{name} units")
            )
        ));
    }
    parts.push(format!("{loss} loss"));
    parts.join("; ")
}

/// Whether the biases are updated, plain text; `None` when no layer has any.
pub(super) fn biases(net: &NetworkModel) -> Option<String> {
    let layers = &net.network.layers;
    let with: Vec<String> = layers
        .iter()
        .enumerate()
        .filter(|(_, layer)| layer.biases.is_some())
        .map(|(l, _)| (l + 1).to_string())
        .collect();
    if with.is_empty() {
        return None;
    }
    let which = if with.len() == layers.len() {
        String::new()
    } else {
        format!(
            "in {} {} only; ",
            if with.len() == 1 { "layer" } else { "layers" },
            with.join(", ")
        )
    };
    let how = if net.network.update_biases {
        "updated with the weights"
    } else {
        "fixed at their initial values (their gradients are still shown)"
    };
    Some(format!("{which}{how}"))
}

/// What the notation's symbols mean, with examples of this network's own; with `batch`, how
/// a sample's values are told apart.
pub(super) fn notation(net: &NetworkModel, batch: bool) -> Vec<Span> {
    let style = net.network.style;
    let unit = |name, layer, unit| Symbol::Net(NetSymbol::unit(name, layer, unit, style, None));
    let param = |p| Symbol::Net(NetSymbol::Param(p));
    let inputs = net.network.layers.first().map_or(1, Layer::inputs).max(1);
    let mut spans = match style {
        Style::Layered => vec![
            text("layered: "),
            Span::Symbol(unit(UnitName::Net, 1, 0)),
            text(" and "),
            Span::Symbol(unit(UnitName::Output, 1, 0)),
            text(" are the net input and the output of unit 1 of layer 1 (layer 0 is the inputs "),
            Span::Symbol(unit(UnitName::Output, 0, 0)),
            text(", …), "),
            Span::Symbol(unit(UnitName::Delta, 1, 0)),
            text(" its delta, "),
            Span::Symbol(param(net.full.weight(0, 0, inputs - 1))),
            text(&format!(
                " the weight from unit {inputs} of layer 0 to unit 1 of layer 1, "
            )),
            Span::Symbol(param(net.full.bias(0, 0))),
            text(" its bias; "),
            Span::Symbol(unit(UnitName::Target, 2, 0)),
            text(" and "),
            Span::Symbol(unit(UnitName::Loss, 2, 0)),
            text(" the target and the loss of output 1"),
        ],
        Style::Numbered => {
            let weights: usize = net.full.spans.iter().map(|s| s.rows * s.cols).sum();
            let output_layer = net.network.layers.len();
            vec![
                text("numbered: "),
                Span::Symbol(param(net.full.weight(0, 0, 0))),
                text(" … "),
                Span::Symbol(param(UnitParam::weight(0, 0, 0, style, weights))),
                text(" are the weights in the order of the parameters (layer by layer, each unit's incoming weights in turn); "),
                Span::Symbol(unit(UnitName::Output, 0, 0)),
                text(" is input 1, "),
                Span::Symbol(unit(UnitName::Net, 1, 0)),
                text(" and "),
                Span::Symbol(unit(UnitName::Output, 1, 0)),
                text(" the net input and the output of hidden unit 1, "),
                Span::Symbol(unit(UnitName::Net, output_layer, 0)),
                text(" and "),
                Span::Symbol(unit(UnitName::Output, output_layer, 0)),
                text(" those of output 1, "),
                Span::Symbol(unit(UnitName::Target, output_layer, 0)),
                text(" its target, "),
                Span::Symbol(unit(UnitName::Loss, output_layer, 0)),
                text(" its loss and "),
                Span::Symbol(Symbol::Net(NetSymbol::Total {
                    numbered: true,
                    tag: None,
                })),
                text(" the sum of the outputs' losses, "),
                Span::Symbol(unit(UnitName::Delta, output_layer, 0)),
                text(" its delta"),
            ]
        }
    };
    if batch {
        let tagged = NetSymbol::unit(UnitName::Net, 1, 0, style, Some(2));
        let gradient = Symbol::Param {
            name: Name::Dw,
            param: Param::Unit(net.full.weight(0, 0, 0)),
            suffix: Suffix::Sample(2),
        };
        spans.extend([
            text("; within a batch, [2] marks the second sample's values ("),
            Span::Symbol(Symbol::Net(tagged)),
            text(") and "),
            Span::Symbol(gradient),
            text(" its gradient"),
        ]);
    }
    spans
}

/// The symbols of a training example's inputs and targets, for its heading (`x_1`, …, `t_1`,
/// …; numbered: `i_1`, …, `target_o1`, …) and their values; `None` past the samples.
pub(super) fn example(
    net: &NetworkModel,
    problem: &Problem,
    sample: usize,
) -> Option<Vec<(Symbol, f64)>> {
    let style = net.network.style;
    let x = &problem.samples.get(sample)?.x;
    let t = net.network.targets.get(sample)?;
    let output_layer = net.network.layers.len();
    let named = |name, layer, values: &[f64]| -> Vec<(Symbol, f64)> {
        values
            .iter()
            .enumerate()
            .map(|(k, v)| {
                (
                    Symbol::Net(NetSymbol::unit(name, layer, k, style, None)),
                    *v,
                )
            })
            .collect()
    };
    let mut pairs = named(UnitName::Output, 0, x);
    pairs.extend(named(UnitName::Target, output_layer, t));
    Some(pairs)
}

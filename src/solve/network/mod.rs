//! Feed-forward networks (docs/contract.md §11): the layers, where each parameter sits in the
//! optimizers' vector ([`Layout`]), the forward and backward pass of a sample and of a batch in
//! any [`Reading`](super::reading::Reading) ([`pass`]), and their notation ([`notation`]).
//!
//! The optimizers see one vector: layer by layer, each layer's weights row by row, then its
//! biases when they are updated. Biases that are not updated keep their initial values, have
//! no optimizer state, and their gradients are still computed and shown.

pub mod notation;
pub mod pass;
pub mod trace;

use super::problem::{Activation, Problem};
use notation::{Style, UnitParam};

/// One layer: `weights[j][k]` from unit `k` of the layer below to unit `j` of this one.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub activation: Activation,
    pub weights: Vec<Vec<f64>>,
    /// One per unit; `None`: the layer has no bias terms.
    pub biases: Option<Vec<f64>>,
}

impl Layer {
    /// Units of the layer (rows of `weights`).
    pub fn units(&self) -> usize {
        self.weights.len()
    }

    /// Units of the layer below (columns of `weights`).
    pub fn inputs(&self) -> usize {
        self.weights.first().map_or(0, Vec::len)
    }
}

/// A network as a problem gives it: its initial layers, and what the optimizers update.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    pub layers: Vec<Layer>,
    /// With `false`, the biases keep their initial values.
    pub update_biases: bool,
    pub style: Style,
    /// The targets of each sample, one per output unit (`samples[i].t` is the first).
    pub targets: Vec<Vec<f64>>,
}

/// Where one layer's parameters sit in the optimizers' vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayerSpan {
    /// The first weight's place; the weights follow row by row.
    pub start: usize,
    pub rows: usize,
    pub cols: usize,
    /// Whether the layer has biases.
    pub has_biases: bool,
    /// The first bias's place when the biases are updated.
    pub bias_start: Option<usize>,
    /// The first weight's number in the numbered notation (`w_1` is 1), counting weights only.
    pub first_number: usize,
}

impl LayerSpan {
    /// Place of weight `(j, k)`.
    pub fn weight(&self, j: usize, k: usize) -> usize {
        self.start + j * self.cols + k
    }

    /// One past the layer's last parameter.
    pub fn end(&self) -> usize {
        match self.bias_start {
            Some(b) => b + self.rows,
            None => self.start + self.rows * self.cols,
        }
    }
}

/// Every layer's span, and how the notation names a parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pub spans: Vec<LayerSpan>,
    pub style: Style,
}

impl Layout {
    pub fn of(network: &Network) -> Layout {
        let mut spans = Vec::with_capacity(network.layers.len());
        let mut at = 0;
        let mut number = 1;
        for layer in &network.layers {
            let (rows, cols) = (layer.units(), layer.inputs());
            let has_biases = layer.biases.is_some();
            let bias_start = (has_biases && network.update_biases).then_some(at + rows * cols);
            let span = LayerSpan {
                start: at,
                rows,
                cols,
                has_biases,
                bias_start,
                first_number: number,
            };
            at = span.end();
            number += rows * cols;
            spans.push(span);
        }
        Layout {
            spans,
            style: network.style,
        }
    }

    /// Every parameter's place, biases included whether or not they are updated: the order of
    /// a pass's gradient ([`pass::Model::full`]).
    pub fn full(network: &Network) -> Layout {
        Layout::of(&Network {
            layers: network.layers.clone(),
            update_biases: true,
            style: network.style,
            targets: Vec::new(),
        })
    }

    /// The length of the optimizers' vector.
    pub fn len(&self) -> usize {
        self.spans.last().map_or(0, LayerSpan::end)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The parameter at place `p` of the optimizers' vector.
    pub fn param(&self, p: usize) -> UnitParam {
        for (l, span) in self.spans.iter().enumerate() {
            if p >= span.end() {
                continue;
            }
            let weights_end = span.start + span.rows * span.cols;
            return if p < weights_end {
                let within = p - span.start;
                let (j, k) = (within / span.cols.max(1), within % span.cols.max(1));
                self.weight(l, j, k)
            } else {
                self.bias(l, p - weights_end)
            };
        }
        // Past the end (no valid problem asks): the last layer's first bias names it.
        self.bias(self.spans.len().saturating_sub(1), 0)
    }

    /// Weight `(j, k)` of layer `l` (0-based), as the notation names it.
    pub fn weight(&self, l: usize, j: usize, k: usize) -> UnitParam {
        let number = self
            .spans
            .get(l)
            .map_or(0, |span| span.first_number + j * span.cols + k);
        UnitParam::weight(l, j, k, self.style, number)
    }

    /// Bias `j` of layer `l` (0-based), as the notation names it.
    pub fn bias(&self, l: usize, j: usize) -> UnitParam {
        UnitParam::bias(l, j, self.style)
    }

    /// The flat vector the optimizers start from.
    pub fn initial(network: &Network) -> Vec<f64> {
        let mut params = Vec::new();
        for layer in &network.layers {
            for row in &layer.weights {
                params.extend_from_slice(row);
            }
            if let (true, Some(biases)) = (network.update_biases, &layer.biases) {
                params.extend_from_slice(biases);
            }
        }
        params
    }
}

/// A network problem's model: the network, where the optimizers' vector holds each parameter
/// ([`Layout::of`]), and where a pass's gradient does ([`Layout::full`]).
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkModel {
    pub network: Network,
    pub layout: Layout,
    pub full: Layout,
}

impl NetworkModel {
    pub fn new(network: Network) -> Self {
        NetworkModel {
            layout: Layout::of(&network),
            full: Layout::full(&network),
            network,
        }
    }

    /// The optimizers' entries of a gradient over every parameter: the same order, without
    /// the biases that are not updated.
    pub fn restrict(&self, full: &[f64], out: &mut Vec<f64>) {
        out.clear();
        for (span, whole) in self.layout.spans.iter().zip(&self.full.spans) {
            let weights = whole.start..whole.start + whole.rows * whole.cols;
            out.extend(weights.map(|p| full.get(p).copied().unwrap_or(0.0)));
            if let (Some(_), Some(b)) = (span.bias_start, whole.bias_start) {
                out.extend((b..b + whole.rows).map(|p| full.get(p).copied().unwrap_or(0.0)));
            }
        }
    }

    /// The layers at a point of the optimizers' vector.
    pub fn layers_at(&self, params: &[f64]) -> Vec<Layer> {
        layers_at(&self.network, &self.layout, params)
    }

    /// What a pass needs of `problem`, this network's.
    pub fn model<'a>(&'a self, problem: &'a Problem) -> pass::Model<'a> {
        pass::Model {
            network: &self.network,
            full: &self.full,
            samples: &problem.samples,
            loss: problem.loss,
            reduction: problem.reduction,
        }
    }
}

/// The layers at a point of the optimizers' vector: the weights (and updated biases) from
/// `params`, the fixed biases from the network.
pub fn layers_at(network: &Network, layout: &Layout, params: &[f64]) -> Vec<Layer> {
    network
        .layers
        .iter()
        .zip(&layout.spans)
        .map(|(layer, span)| Layer {
            activation: layer.activation,
            weights: (0..span.rows)
                .map(|j| {
                    (0..span.cols)
                        .map(|k| params.get(span.weight(j, k)).copied().unwrap_or(0.0))
                        .collect()
                })
                .collect(),
            biases: layer.biases.as_ref().map(|initial| match span.bias_start {
                Some(b) => (0..span.rows)
                    .map(|j| params.get(b + j).copied().unwrap_or(0.0))
                    .collect(),
                None => initial.clone(),
            }),
        })
        .collect()
}

/// Pairs of units of a hidden layer that start with the same incoming weights and bias and the
/// same outgoing weights: `(layer, j, i)`, 0-based, `j < i`. Gradient descent keeps such units
/// identical forever (docs/contract.md §11, `symmetric_units`).
pub fn symmetric_units(network: &Network) -> Vec<(usize, usize, usize)> {
    let mut pairs = Vec::new();
    for (l, pair) in network.layers.windows(2).enumerate() {
        let [layer, above] = pair else { continue };
        for j in 0..layer.units() {
            for i in j + 1..layer.units() {
                let same_in = layer.weights[j] == layer.weights[i]
                    && layer.biases.as_ref().is_none_or(|b| b.get(j) == b.get(i));
                let same_out = above.weights.iter().all(|row| row.get(j) == row.get(i));
                if same_in && same_out {
                    pairs.push((l, j, i));
                }
            }
        }
    }
    pairs
}

/// The classic 2-2-2 example (Mazur, 2015; docs/contract.md §11), its biases fixed: for tests
/// and the OpenAPI document's examples.
pub(crate) fn classic_example() -> Network {
    let layer = |weights: [[f64; 2]; 2], bias: f64| Layer {
        activation: Activation::Logistic,
        weights: weights.iter().map(|r| r.to_vec()).collect(),
        biases: Some(vec![bias, bias]),
    };
    Network {
        layers: vec![
            layer([[0.15, 0.20], [0.25, 0.30]], 0.35),
            layer([[0.40, 0.45], [0.50, 0.55]], 0.60),
        ],
        update_biases: false,
        style: Style::Numbered,
        targets: vec![vec![0.01, 0.99]],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vector_is_each_layers_weights_row_by_row_then_its_updated_biases() {
        let mut network = classic_example();
        let layout = Layout::of(&network);
        assert_eq!(layout.len(), 8);
        assert_eq!(
            Layout::initial(&network),
            [0.15, 0.20, 0.25, 0.30, 0.40, 0.45, 0.50, 0.55]
        );
        assert_eq!(
            layout.param(5),
            UnitParam::weight(1, 0, 1, Style::Numbered, 6)
        );
        network.update_biases = true;
        let layout = Layout::of(&network);
        assert_eq!(layout.len(), 12);
        assert_eq!(layout.param(4), UnitParam::bias(0, 0, Style::Numbered));
        assert_eq!(
            layout.param(6),
            UnitParam::weight(1, 0, 0, Style::Numbered, 5)
        );
        let params: Vec<f64> = (0..12).map(f64::from).collect();
        let layers = layers_at(&network, &layout, &params);
        assert_eq!(layers[1].weights, [[6.0, 7.0], [8.0, 9.0]]);
        assert_eq!(layers[1].biases, Some(vec![10.0, 11.0]));
    }

    #[test]
    fn units_with_the_same_weights_in_and_out_are_symmetric() {
        let mut network = classic_example();
        assert!(symmetric_units(&network).is_empty());
        network.layers[0].weights = vec![vec![0.1, 0.2], vec![0.1, 0.2]];
        network.layers[1].weights = vec![vec![0.3, 0.3], vec![0.5, 0.5]];
        assert_eq!(symmetric_units(&network), [(0, 0, 1)]);
    }
}

//! What a network's step and solution add to the trace (docs/contract.md §11): every layer's
//! parameters before and after, its gradients, its optimizer state shaped like its weights, its
//! gradient norm, and each sample's forward pass and deltas; each sample's losses.

use std::collections::BTreeMap;

use serde::{Serialize, Serializer};
use utoipa::ToSchema;

use super::pass::SamplePass;
use super::{Layer, NetworkModel};
use crate::solve::problem::Activation;

/// One layer within an update.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = examples::layer_step)]
pub struct LayerStep {
    /// `weights_before[j][k]`: from unit `k` of the layer below to unit `j` of this one.
    pub weights_before: Vec<Vec<f64>>,
    pub weights_after: Vec<Vec<f64>>,
    /// null: the layer has no biases.
    pub biases_before: Option<Vec<f64>>,
    pub biases_after: Option<Vec<f64>>,
    /// `∂E/∂w` of the update's (reduced) loss.
    pub gradient: Vec<Vec<f64>>,
    /// `∂E/∂b`, shown also when the biases are not updated.
    pub bias_gradient: Option<Vec<f64>>,
    /// The gradient in the request's sign convention.
    pub dw: Vec<Vec<f64>>,
    pub bias_dw: Option<Vec<f64>>,
    /// The accumulators after the update, each shaped like the weights.
    #[schema(value_type = BTreeMap<String, Vec<Vec<f64>>>)]
    pub state: BTreeMap<&'static str, Vec<Vec<f64>>>,
    /// The biases' accumulators (empty when the biases are not updated).
    #[schema(value_type = BTreeMap<String, Vec<f64>>)]
    pub bias_state: BTreeMap<&'static str, Vec<f64>>,
    /// `√(Σ (∂E/∂w)² + Σ (∂E/∂b)²)` over the layer: how gradients vanish or explode.
    pub gradient_norm: f64,
    /// Per sample of the update: every unit's `net` and `output`.
    pub forward: Vec<UnitValues>,
    /// Per sample of the update: every unit's δ (in the sign of the lines: `(t − y) f′` for the
    /// `delta` convention).
    pub delta: Vec<Vec<f64>>,
}

/// One sample's `net` (`z`) and `output` (`a`) of every unit of a layer.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct UnitValues {
    pub net: Vec<f64>,
    pub output: Vec<f64>,
}

/// One sample's losses within an update.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = examples::sample_loss)]
pub struct SampleLoss {
    /// Index of the sample in `samples` (0-based).
    pub sample: usize,
    /// The loss of each output unit (`E_{o1}`, …).
    pub outputs: Vec<f64>,
    /// Their sum, the sample's loss.
    pub loss: f64,
}

/// What a network's step carries beyond the flat vectors.
#[derive(Debug, Clone, PartialEq)]
pub struct NetworkStep {
    pub layers: Vec<LayerStep>,
    pub losses: Vec<SampleLoss>,
}

/// A layer as a problem writes it: the solution's `final_network`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FinalLayer {
    #[schema(value_type = String, example = "logistic")]
    #[serde(serialize_with = "activation_name")]
    pub activation: Activation,
    pub weights: Vec<Vec<f64>>,
    pub biases: Option<Vec<f64>>,
}

/// The network after the last update, shaped like the request's `network`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[schema(example = examples::final_network)]
pub struct FinalNetwork {
    pub layers: Vec<FinalLayer>,
    pub update_biases: bool,
}

fn activation_name<S: Serializer>(activation: &Activation, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(activation.name())
}

/// `-0.0` as `0.0` (no response writes a negative zero); every other number as it is.
fn clean(x: f64) -> f64 {
    x + 0.0
}

fn cleaned(values: &[f64]) -> Vec<f64> {
    values.iter().map(|v| clean(*v)).collect()
}

/// The numbers of one update, gathered for its step.
pub struct StepParts<'a> {
    pub net: &'a NetworkModel,
    /// The layers the update started from.
    pub before: &'a [Layer],
    /// The optimizers' vector after the update.
    pub after: &'a [f64],
    /// `∂E/∂p` over every parameter ([`NetworkModel::full`]).
    pub gradient: &'a [f64],
    /// `+1` or `−1`: `dw = sign · ∂E/∂w`.
    pub sign: f64,
    /// The optimizer's state over the optimizers' vector.
    pub state: &'a BTreeMap<&'static str, Vec<f64>>,
    pub passes: &'a [SamplePass],
}

impl StepParts<'_> {
    pub fn step(&self) -> NetworkStep {
        let after = self.net.layers_at(self.after);
        let layers = self
            .before
            .iter()
            .zip(&after)
            .enumerate()
            .map(|(l, (before, after))| self.layer(l, before, after))
            .collect();
        let losses = self
            .passes
            .iter()
            .map(|pass| SampleLoss {
                sample: pass.sample,
                outputs: cleaned(&pass.losses),
                loss: clean(pass.loss),
            })
            .collect();
        NetworkStep { layers, losses }
    }

    fn layer(&self, l: usize, before: &Layer, after: &Layer) -> LayerStep {
        let (Some(full), Some(span)) = (self.net.full.spans.get(l), self.net.layout.spans.get(l))
        else {
            return LayerStep::empty();
        };
        let at = |values: &[f64], p: usize, factor: f64| {
            clean(factor * values.get(p).copied().unwrap_or(0.0))
        };
        let matrix = |values: &[f64], factor: f64| -> Vec<Vec<f64>> {
            (0..full.rows)
                .map(|j| {
                    (0..full.cols)
                        .map(|k| at(values, full.weight(j, k), factor))
                        .collect()
                })
                .collect()
        };
        let bias_vector = |values: &[f64], start: Option<usize>, factor: f64| {
            start.map(|b| {
                (0..full.rows)
                    .map(|j| at(values, b + j, factor))
                    .collect::<Vec<_>>()
            })
        };
        let state = self
            .state
            .iter()
            .map(|(name, values)| {
                let shaped = (0..span.rows)
                    .map(|j| {
                        (0..span.cols)
                            .map(|k| at(values, span.weight(j, k), 1.0))
                            .collect()
                    })
                    .collect();
                (*name, shaped)
            })
            .collect();
        let bias_state = self
            .state
            .iter()
            .filter_map(|(name, values)| Some((*name, bias_vector(values, span.bias_start, 1.0)?)))
            .collect();
        let norm = (full.start..full.end())
            .map(|p| self.gradient.get(p).copied().unwrap_or(0.0).powi(2))
            .sum::<f64>()
            .sqrt();
        LayerStep {
            weights_before: before.weights.iter().map(|r| cleaned(r)).collect(),
            weights_after: after.weights.iter().map(|r| cleaned(r)).collect(),
            biases_before: before.biases.as_deref().map(cleaned),
            biases_after: after.biases.as_deref().map(cleaned),
            gradient: matrix(self.gradient, 1.0),
            bias_gradient: bias_vector(self.gradient, full.bias_start, 1.0),
            dw: matrix(self.gradient, self.sign),
            bias_dw: bias_vector(self.gradient, full.bias_start, self.sign),
            state,
            bias_state,
            gradient_norm: clean(norm),
            forward: self
                .passes
                .iter()
                .map(|pass| UnitValues {
                    net: pass.net.get(l).map_or_else(Vec::new, |v| cleaned(v)),
                    output: pass.output.get(l).map_or_else(Vec::new, |v| cleaned(v)),
                })
                .collect(),
            delta: self
                .passes
                .iter()
                .map(|pass| pass.delta.get(l).map_or_else(Vec::new, |v| cleaned(v)))
                .collect(),
        }
    }
}

impl LayerStep {
    fn empty() -> Self {
        LayerStep {
            weights_before: Vec::new(),
            weights_after: Vec::new(),
            biases_before: None,
            biases_after: None,
            gradient: Vec::new(),
            bias_gradient: None,
            dw: Vec::new(),
            bias_dw: None,
            state: BTreeMap::new(),
            bias_state: BTreeMap::new(),
            gradient_norm: 0.0,
            forward: Vec::new(),
            delta: Vec::new(),
        }
    }
}

/// The network at a point of the optimizers' vector, as the solution's `final_network`.
pub fn final_network(net: &NetworkModel, params: &[f64]) -> FinalNetwork {
    FinalNetwork {
        layers: net
            .layers_at(params)
            .into_iter()
            .map(|layer| FinalLayer {
                activation: layer.activation,
                weights: layer.weights.iter().map(|r| cleaned(r)).collect(),
                biases: layer.biases.as_deref().map(cleaned),
            })
            .collect(),
        update_biases: net.network.update_biases,
    }
}

/// The OpenAPI document's examples: the classic 2-2-2 example's first update, as the core
/// computes it (so the document cannot drift from the service).
mod examples {
    use serde_json::Value;

    use crate::solve::network::{classic_example, NetworkModel};
    use crate::solve::{
        solve, Activation, Conventions, Loss, Optimizer, Problem, Reduction, Sample, Solution,
    };

    fn solved() -> Solution {
        let network = classic_example();
        let problem = Problem {
            samples: vec![Sample {
                x: vec![0.05, 0.10],
                t: 0.01,
            }],
            weights: Vec::new(),
            bias: None,
            activation: Activation::Logistic,
            loss: Loss::SquaredError,
            optimizer: Optimizer::Gd { learning_rate: 0.5 },
            bias_correction: false,
            epochs: 1,
            batch_size: 1,
            reduction: Reduction::Mean,
            schedule: None,
            conventions: Conventions::default(),
            rounding: None,
            network: Some(Box::new(NetworkModel::new(network))),
        };
        solve(&problem)
    }

    fn step_field(pick: impl Fn(&crate::solve::Step) -> Option<Value>) -> Value {
        solved().steps.first().and_then(pick).unwrap_or(Value::Null)
    }

    /// The output layer of the first update.
    pub fn layer_step() -> Value {
        step_field(|s| {
            let layer = s.layers.as_ref()?.get(1)?;
            serde_json::to_value(layer).ok()
        })
    }

    pub fn sample_loss() -> Value {
        step_field(|s| serde_json::to_value(s.losses.as_ref()?.first()?).ok())
    }

    pub fn final_network() -> Value {
        serde_json::to_value(solved().final_network).unwrap_or(Value::Null)
    }
}

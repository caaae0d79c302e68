//! A problem's `network` (docs/contract.md §11): its layers' shapes chain, its biases match its
//! units, its size is within `max_network_parameters`; every bad value is named by its pointer.

use serde_json::Value;

use super::{Check, Object, Read, Reported};
use crate::config::Limit;
use crate::pointer::type_name;
use crate::solve::expr::count;
use crate::solve::network::{notation::Style, Layer, Network};
use crate::wire::model::{self, Activation, Notation};

pub(super) const NETWORK_KEYS: &[&str] = &["layers", "update_biases", "notation"];
pub(super) const LAYER_KEYS: &[&str] = &["activation", "weights", "biases"];

/// The notation's and the pointers' bounds: a layer's number is a byte, a unit's two.
const MAX_LAYERS: usize = 255;
const MAX_UNITS: usize = 65_535;

/// A network that passed every check of its own: the core's (targets still to come from the
/// samples) and its echo.
pub(super) struct ReadNetwork {
    pub network: Network,
    pub echo: model::Network,
}

impl ReadNetwork {
    /// Inputs per sample: the first layer's columns.
    pub fn inputs(&self) -> usize {
        self.network.layers.first().map_or(0, Layer::inputs)
    }

    /// Output units: the last layer's rows.
    pub fn outputs(&self) -> usize {
        self.network.layers.last().map_or(0, Layer::units)
    }

    /// Every parameter, biases included whether or not they are updated.
    pub fn parameters(&self) -> u64 {
        parameters(&self.network.layers)
    }

    /// The length of the optimizers' vector.
    pub fn updated_parameters(&self) -> u64 {
        self.network
            .layers
            .iter()
            .map(|layer| {
                let biases = if self.network.update_biases {
                    layer.biases.as_ref().map_or(0, Vec::len)
                } else {
                    0
                };
                (layer.units() * layer.inputs() + biases) as u64
            })
            .sum()
    }

    pub fn output_activation(&self) -> Option<crate::solve::Activation> {
        self.network.layers.last().map(|l| l.activation)
    }
}

fn parameters(layers: &[Layer]) -> u64 {
    layers
        .iter()
        .map(|layer| {
            (layer.units() * layer.inputs() + layer.biases.as_ref().map_or(0, Vec::len)) as u64
        })
        .sum()
}

impl Check {
    /// The network at `/network`, or `None` with every violation reported.
    pub(super) fn network(&mut self, value: &Value) -> Option<ReadNetwork> {
        let object = match self.object(Some(value), "/network", NETWORK_KEYS, "key of a network") {
            Ok(Some(object)) => object,
            _ => return None,
        };
        let layers = self.layers(object);
        let update_biases = self.boolean(object.get("update_biases"), "/network/update_biases");
        let notation = self.choice::<Notation>(object.get("notation"), "/network/notation");
        let (layers, echo_layers) = layers?;
        let notation = notation.ok()?.unwrap_or(Notation::Layered);
        if notation == Notation::Numbered && layers.len() != 2 {
            self.fail(
                "/network/notation",
                format!(
                    "numbered names a network with exactly one hidden layer (2 layers), as the \
                     classic examples are; this one has {}; use layered",
                    count(layers.len(), "layer", "layers")
                ),
            );
            return None;
        }
        let total = parameters(&layers);
        let limit = self.limits.network_parameters;
        if total > limit {
            let limit_name = Limit::NetworkParameters;
            self.over_limit(
                "/network/layers",
                format!(
                    "has {total} parameters (weights and biases); the limit is {limit} ({})",
                    limit_name.name()
                ),
                limit_name,
                limit,
            );
            return None;
        }
        let update_biases = update_biases.ok()?.unwrap_or(true);
        let style = match notation {
            Notation::Layered => Style::Layered,
            Notation::Numbered => Style::Numbered,
        };
        Some(ReadNetwork {
            network: Network {
                layers,
                update_biases,
                style,
                targets: Vec::new(),
            },
            echo: model::Network {
                layers: echo_layers,
                update_biases: Some(update_biases),
                notation: Some(notation),
            },
        })
    }

    /// Every layer, each checked against the one below.
    fn layers(&mut self, object: Object<'_>) -> Option<(Vec<Layer>, Vec<model::NetworkLayer>)> {
        let at = "/network/layers";
        let items = self.required_array(object.get("layers"), at, "layers")?;
        if items.is_empty() {
            self.fail(at, "must contain at least one layer");
            return None;
        }
        if items.len() > MAX_LAYERS {
            self.fail(
                at,
                format!("has {} layers; at most {MAX_LAYERS}", items.len()),
            );
            return None;
        }
        let mut layers = Vec::with_capacity(items.len());
        let mut echo = Vec::with_capacity(items.len());
        let mut valid = true;
        // Units of the layer below, once known.
        let mut below: Option<usize> = None;
        for (l, item) in items.iter().enumerate() {
            match self.layer(l, item, below) {
                Some((layer, echoed)) => {
                    below = Some(layer.units());
                    layers.push(layer);
                    echo.push(echoed);
                }
                None => {
                    below = None;
                    valid = false;
                }
            }
        }
        valid.then_some((layers, echo))
    }

    /// Layer `l` (0-based), its columns as many as `below` units when that is known.
    fn layer(
        &mut self,
        l: usize,
        item: &Value,
        below: Option<usize>,
    ) -> Option<(Layer, model::NetworkLayer)> {
        let at = format!("/network/layers/{l}");
        let Value::Object(map) = item else {
            self.fail(
                &at,
                format!(
                    "must be a layer {{\"weights\": [[...]], \"biases\": [...]}}, not {}",
                    type_name(item)
                ),
            );
            return None;
        };
        let object = Object { map, at: &at };
        self.unknown_keys(object, LAYER_KEYS, "key of a layer");
        let activation =
            self.choice::<Activation>(object.get("activation"), &object.pointer("activation"));
        let weights = self.matrix(object, below, l);
        let biases_at = object.pointer("biases");
        let biases = self.numbers(object.get("biases"), &biases_at, "bias");
        let (activation, weights, biases) = (activation.ok()?, weights?, biases.ok()?);
        if let Some(b) = &biases {
            if b.len() != weights.len() {
                self.fail(
                    &biases_at,
                    format!(
                        "has {} but the layer has {} (rows of weights)",
                        count(b.len(), "bias", "biases"),
                        count(weights.len(), "unit", "units")
                    ),
                );
                return None;
            }
        }
        let activation = activation.unwrap_or(Activation::Logistic);
        let layer = Layer {
            activation: activation.into(),
            weights: weights.clone(),
            biases: biases.clone(),
        };
        let echoed = model::NetworkLayer {
            activation: Some(activation),
            weights,
            biases,
        };
        Some((layer, echoed))
    }

    /// A layer's `weights`: rows of equal length, as many columns as the layer below has units.
    fn matrix(
        &mut self,
        object: Object<'_>,
        below: Option<usize>,
        l: usize,
    ) -> Option<Vec<Vec<f64>>> {
        let at = object.pointer("weights");
        let rows = self.required_array(object.get("weights"), &at, "rows of numbers")?;
        if rows.is_empty() {
            self.fail(&at, "must have at least one row (one per unit)");
            return None;
        }
        if rows.len() > MAX_UNITS {
            self.fail(
                &at,
                format!("has {} rows; at most {MAX_UNITS} units", rows.len()),
            );
            return None;
        }
        let mut matrix = Vec::with_capacity(rows.len());
        let mut valid = true;
        for (j, row) in rows.iter().enumerate() {
            let row_at = format!("{at}/{j}");
            let read = self.numbers(Some(row), &row_at, "weight");
            match self.required(read, &row_at) {
                Some(row) => matrix.push(row),
                None => valid = false,
            }
        }
        if !valid {
            return None;
        }
        let cols = matrix[0].len();
        for (j, row) in matrix.iter().enumerate().skip(1) {
            if row.len() != cols {
                self.fail(
                    &format!("{at}/{j}"),
                    format!(
                        "has {} but row 0 has {cols}: every unit of a layer has one weight per \
                         unit below",
                        count(row.len(), "weight", "weights")
                    ),
                );
                valid = false;
            }
        }
        if let Some(units) = below {
            if cols != units {
                self.fail(
                    &format!("{at}/0"),
                    format!(
                        "has {} but the layer below (/network/layers/{}) has {}: the shapes \
                         must chain",
                        count(cols, "column", "columns"),
                        l - 1,
                        count(units, "unit", "units")
                    ),
                );
                valid = false;
            }
        }
        valid.then_some(matrix)
    }

    /// A sample's `t`: a number, or an array of `outputs` numbers (a number also for one
    /// output). `outputs` is `None` for a neuron, whose target is a number.
    pub(super) fn target(
        &mut self,
        value: Option<&Value>,
        at: &str,
        outputs: Option<Option<usize>>,
    ) -> Read<model::Target> {
        match (value, outputs) {
            (Some(Value::Array(_)), None) => Err(self.fail(
                at,
                "must be a number: a neuron has one output (an array of targets is for a \
                 network with several outputs)",
            )),
            (Some(array @ Value::Array(_)), Some(expected)) => {
                let Some(targets) = self.numbers(Some(array), at, "target")? else {
                    return Ok(None);
                };
                match expected {
                    Some(n) if n != targets.len() => Err(self.fail(
                        at,
                        format!(
                            "has {} but the last layer has {}",
                            count(targets.len(), "target", "targets"),
                            count(n, "output unit", "output units")
                        ),
                    )),
                    _ => Ok(Some(model::Target::Outputs(targets))),
                }
            }
            (value, Some(Some(n))) if n > 1 && value.is_some_and(Value::is_number) => Err(self
                .fail(
                    at,
                    format!("must be an array of {n} targets: the last layer has {n} units"),
                )),
            (value, _) => Ok(self.number(value, at)?.map(model::Target::One)),
        }
    }
}

/// The error a network's problem has when it also gives the neuron's keys.
pub(super) fn neuron_keys_with_a_network(
    check: &mut Check,
    top: Object<'_>,
) -> Result<(), Reported> {
    let mut clash = false;
    if top.get("weights").is_some() {
        check.fail(
            "/weights",
            "a problem has either weights (one neuron) or network, not both",
        );
        check.fail(
            "/network",
            "a problem has either network or weights (one neuron), not both",
        );
        clash = true;
    }
    for (key, what) in [("bias", "biases"), ("activation", "activation")] {
        if top.get(key).is_some() {
            check.fail(
                &format!("/{key}"),
                format!("belongs to the neuron; with network, each layer gives its own {what}"),
            );
            clash = true;
        }
    }
    if clash {
        Err(Reported)
    } else {
        Ok(())
    }
}

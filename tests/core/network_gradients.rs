//! A network's gradient is the derivative of its loss: over random networks (1–4 layers, widths
//! 1–4, every activation and both losses, with and without biases, batches of 1–3 samples,
//! mean and sum), every entry of the pass's gradient equals a central finite difference of the
//! loss (Richardson's five-point form), computed by this file's own forward pass (written from
//! docs/contract.md §11, not from the Rust core), to 1e-6 relative or 1e-9 absolute.

use gradtrace::solve::network::notation::Style;
use gradtrace::solve::network::pass::{self, Model};
use gradtrace::solve::network::{Layer, Layout, Network};
use gradtrace::solve::neuron::GradientNaming;
use gradtrace::solve::reading::Exact;
use gradtrace::solve::symbol::Name;
use gradtrace::solve::{Activation, Loss, Reduction, Sample};
use proptest::prelude::*;

/// `ln(1 + e^u)` without overflow or cancellation.
fn softplus(u: f64) -> f64 {
    u.max(0.0) + (-u.abs()).exp().ln_1p()
}

/// The loss of one sample, by the contract: z = W a + b, a = f(z), E summed over the outputs.
/// Cross-entropy of a logistic output is written in its net input, `softplus(z) − t z`, so a
/// finite difference of it does not lose the digits `ln(1 − y)` loses when y is near 1.
fn sample_loss(layers: &[Layer], loss: Loss, x: &[f64], t: &[f64]) -> f64 {
    let mut a = x.to_vec();
    let mut last_net = Vec::new();
    for layer in layers {
        last_net = layer
            .weights
            .iter()
            .enumerate()
            .map(|(j, row)| {
                let z: f64 = row.iter().zip(&a).map(|(w, a)| w * a).sum();
                z + layer.biases.as_ref().map_or(0.0, |b| b[j])
            })
            .collect();
        a = layer
            .weights
            .iter()
            .enumerate()
            .map(|(j, row)| {
                let mut z: f64 = row.iter().zip(&a).map(|(w, a)| w * a).sum();
                if let Some(b) = &layer.biases {
                    z += b[j];
                }
                match layer.activation {
                    Activation::Logistic => 1.0 / (1.0 + (-z).exp()),
                    Activation::Tanh => z.tanh(),
                    Activation::Linear => z,
                    Activation::Relu => z.max(0.0),
                }
            })
            .collect();
    }
    match loss {
        Loss::SquaredError => a.iter().zip(t).map(|(y, t)| 0.5 * (t - y) * (t - y)).sum(),
        Loss::CrossEntropy => last_net
            .iter()
            .zip(t)
            .map(|(z, t)| softplus(*z) - t * z)
            .sum(),
    }
}

fn batch_loss(
    layers: &[Layer],
    loss: Loss,
    reduction: Reduction,
    data: &[(Vec<f64>, Vec<f64>)],
) -> f64 {
    let total: f64 = data
        .iter()
        .map(|(x, t)| sample_loss(layers, loss, x, t))
        .sum();
    match reduction {
        Reduction::Mean => total / data.len() as f64,
        Reduction::Sum => total,
    }
}

/// Whether some ReLU unit's net input is within `margin` of its kink, where the loss has no
/// derivative.
fn near_a_kink(layers: &[Layer], x: &[f64], margin: f64) -> bool {
    let mut a = x.to_vec();
    for layer in layers {
        let mut next = Vec::new();
        for (j, row) in layer.weights.iter().enumerate() {
            let mut z: f64 = row.iter().zip(&a).map(|(w, a)| w * a).sum();
            if let Some(b) = &layer.biases {
                z += b[j];
            }
            if layer.activation == Activation::Relu && z.abs() < margin {
                return true;
            }
            next.push(match layer.activation {
                Activation::Logistic => 1.0 / (1.0 + (-z).exp()),
                Activation::Tanh => z.tanh(),
                Activation::Linear => z,
                Activation::Relu => z.max(0.0),
            });
        }
        a = next;
    }
    false
}

#[derive(Debug, Clone)]
struct Case {
    layers: Vec<Layer>,
    data: Vec<(Vec<f64>, Vec<f64>)>,
    loss: Loss,
    reduction: Reduction,
}

fn case() -> impl Strategy<Value = Case> {
    let widths = prop::collection::vec(1usize..=4, 2..=5);
    let activations = prop::collection::vec(
        prop::sample::select(vec![
            Activation::Logistic,
            Activation::Tanh,
            Activation::Linear,
            Activation::Relu,
        ]),
        4,
    );
    let biased = prop::collection::vec(any::<bool>(), 4);
    let loss = prop::sample::select(vec![Loss::SquaredError, Loss::CrossEntropy]);
    let reduction = prop::sample::select(vec![Reduction::Mean, Reduction::Sum]);
    (
        widths,
        activations,
        biased,
        loss,
        reduction,
        1usize..=3,
        any::<u64>(),
    )
        .prop_map(
            |(widths, activations, biased, loss, reduction, batch, seed)| {
                // Numbers from a small generator of the test's own, so a case is its seed.
                let mut state = seed | 1;
                let mut next = move |low: f64, high: f64| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    low + (high - low) * ((state >> 11) as f64 / (1u64 << 53) as f64)
                };
                let count = widths.len() - 1;
                let layers: Vec<Layer> = (0..count)
                    .map(|l| Layer {
                        // Cross-entropy needs logistic outputs.
                        activation: if l + 1 == count && loss == Loss::CrossEntropy {
                            Activation::Logistic
                        } else {
                            activations[l]
                        },
                        weights: (0..widths[l + 1])
                            .map(|_| (0..widths[l]).map(|_| next(-1.5, 1.5)).collect())
                            .collect(),
                        biases: biased[l]
                            .then(|| (0..widths[l + 1]).map(|_| next(-1.0, 1.0)).collect()),
                    })
                    .collect();
                let outputs = widths[count];
                let data = (0..batch)
                    .map(|_| {
                        let x = (0..widths[0]).map(|_| next(-2.0, 2.0)).collect();
                        let t = (0..outputs).map(|_| next(0.05, 0.95)).collect();
                        (x, t)
                    })
                    .collect();
                Case {
                    layers,
                    data,
                    loss,
                    reduction,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_gradient_entry_is_the_finite_difference_of_the_loss(case in case()) {
        prop_assume!(!case.data.iter().any(|(x, _)| near_a_kink(&case.layers, x, 1e-2)));
        let network = Network {
            layers: case.layers.clone(),
            update_biases: true,
            style: Style::Layered,
            targets: case.data.iter().map(|(_, t)| t.clone()).collect(),
        };
        let samples: Vec<Sample> = case
            .data
            .iter()
            .map(|(x, t)| Sample { x: x.clone(), t: t[0] })
            .collect();
        let full = Layout::full(&network);
        let model = Model {
            network: &network,
            full: &full,
            samples: &samples,
            loss: case.loss,
            reduction: case.reduction,
        };
        let naming = GradientNaming { name: Name::G, time: 1, sign: 1.0 };
        let (mut passes, mut per_sample) = (Vec::new(), Vec::new());
        let mut gradient = vec![0.0; full.len()];
        pass::batch(
            &mut Exact::default(),
            &model,
            &network.layers,
            0..samples.len(),
            naming,
            &mut passes,
            &mut per_sample,
            &mut gradient,
        );
        let loss = batch_loss(&case.layers, case.loss, case.reduction, &case.data);
        let total: f64 = passes.iter().map(|p| p.loss).sum();
        let reduced = match case.reduction {
            Reduction::Mean => total / samples.len() as f64,
            Reduction::Sum => total,
        };
        // The pass writes cross-entropy as the contract does, −[t ln y + (1 − t) ln(1 − y)],
        // which keeps about ε/(1 − y) of relative precision: near saturation, a few digits
        // fewer than the test's form.
        prop_assert!((reduced - loss).abs() <= 1e-6 * loss.abs().max(1.0), "{} vs {}", reduced, loss);
        for (l, span) in full.spans.iter().enumerate() {
            let mut places: Vec<(usize, Option<usize>, usize)> = Vec::new();
            for j in 0..span.rows {
                for k in 0..span.cols {
                    places.push((j, Some(k), span.weight(j, k)));
                }
                if let Some(b) = span.bias_start {
                    places.push((j, None, b + j));
                }
            }
            for (j, k, p) in places {
                let shifted = |by: f64| {
                    let mut layers = case.layers.clone();
                    match k {
                        Some(k) => layers[l].weights[j][k] += by,
                        None => {
                            if let Some(b) = layers[l].biases.as_mut() {
                                b[j] += by;
                            }
                        }
                    }
                    batch_loss(&layers, case.loss, case.reduction, &case.data)
                };
                // Richardson's five-point difference: truncation O(h⁴), rounding about
                // ε·|E|/h. Its own error is estimated by the same difference at twice the step,
                // and allowed on top of the tolerance: the test holds the pass to the
                // difference's accuracy, not to digits the difference does not have.
                let five_point = |h: f64| {
                    (8.0 * (shifted(h) - shifted(-h)) - (shifted(2.0 * h) - shifted(-2.0 * h)))
                        / (12.0 * h)
                };
                let difference = five_point(1e-5);
                let uncertainty = (difference - five_point(2e-5)).abs();
                let got = gradient[p];
                let allowed = (1e-6 * difference.abs()).max(1e-9) + 2.0 * uncertainty;
                prop_assert!(
                    (got - difference).abs() <= allowed,
                    "layer {l}, unit {j}, input {k:?}: the pass {got}, the difference {difference} (± {uncertainty})"
                );
            }
        }
    }
}

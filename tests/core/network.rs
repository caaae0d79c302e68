//! The network core (docs/contract.md §11) against values computed independently of the Rust
//! code: `tests/reference/network.py`, a pure-Python implementation written from the contract
//! alone, wrote `tests/fixtures/network-reference.json` (24 cases: 1–3 layers, every
//! activation, both losses, with and without biases, fixed and updated biases, batches with
//! mean and sum, both sign conventions). Each case's first update is read here through
//! `solve::network::pass`: every unit's net input and output, every δ, every gradient, and the
//! batch's loss before the update (and the loss over all samples, for a full batch). The service does not read network requests yet, so
//! the problems are read into the core's types by the small reader below.

use gradtrace::solve::network::notation::Style;
use gradtrace::solve::network::pass::{self, Model};
use gradtrace::solve::network::{Layer, Layout, Network};
use gradtrace::solve::neuron::GradientNaming;
use gradtrace::solve::reading::Exact;
use gradtrace::solve::symbol::Name;
use gradtrace::solve::{Activation, Loss, Reduction, Sample};
use serde_json::Value;

const FIXTURE: &str = include_str!("../fixtures/network-reference.json");

/// The two implementations may differ in the last bits (libm's `exp` and `tanh`).
fn close(got: f64, want: f64, at: &str) {
    assert!(
        (got - want).abs() <= 1e-12 * want.abs().max(1e-3),
        "{at}: got {got}, the reference {want}"
    );
}

fn numbers(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default()
}

fn activation(name: Option<&str>) -> Activation {
    match name {
        Some("tanh") => Activation::Tanh,
        Some("linear") => Activation::Linear,
        Some("relu") => Activation::Relu,
        _ => Activation::Logistic,
    }
}

/// A case's problem as the core's network, samples, loss and reduction, and its sign.
fn read(problem: &Value) -> (Network, Vec<Sample>, Loss, Reduction, f64) {
    let layers = problem["network"]["layers"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|layer| Layer {
            activation: activation(layer["activation"].as_str()),
            weights: layer["weights"]
                .as_array()
                .into_iter()
                .flatten()
                .map(numbers)
                .collect(),
            biases: layer.get("biases").filter(|b| !b.is_null()).map(numbers),
        })
        .collect();
    let mut samples = Vec::new();
    let mut targets = Vec::new();
    for sample in problem["samples"].as_array().into_iter().flatten() {
        let t = match &sample["t"] {
            Value::Array(_) => numbers(&sample["t"]),
            other => other.as_f64().into_iter().collect(),
        };
        samples.push(Sample {
            x: numbers(&sample["x"]),
            t: t.first().copied().unwrap_or(0.0),
        });
        targets.push(t);
    }
    let network = Network {
        layers,
        update_biases: problem["network"]["update_biases"]
            .as_bool()
            .unwrap_or(true),
        style: Style::Layered,
        targets,
    };
    let loss = match problem["loss"].as_str() {
        Some("cross_entropy") => Loss::CrossEntropy,
        _ => Loss::SquaredError,
    };
    let reduction = match problem["reduction"].as_str() {
        Some("sum") => Reduction::Sum,
        _ => Reduction::Mean,
    };
    let sign = if problem["conventions"]["sign"] == "delta" {
        -1.0
    } else {
        1.0
    };
    (network, samples, loss, reduction, sign)
}

#[test]
fn every_reference_cases_first_update_has_the_references_numbers() {
    let cases: Vec<Value> = serde_json::from_str(FIXTURE).expect("the fixture is JSON");
    assert_eq!(cases.len(), 24);
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let (network, samples, loss, reduction, sign) = read(&case["problem"]);
        let full = Layout::full(&network);
        let model = Model {
            network: &network,
            full: &full,
            samples: &samples,
            loss,
            reduction,
        };
        let step = &case["expected"]["steps"][0];
        let batch: Vec<usize> = step["samples"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|i| i.as_u64().map(|i| i as usize))
            .collect();
        let (first, last) = (batch[0], batch[batch.len() - 1]);
        let naming = GradientNaming {
            name: Name::Dw,
            time: 1,
            sign,
        };
        let (mut passes, mut per_sample) = (Vec::new(), Vec::new());
        let mut reduced = vec![0.0; full.len()];
        pass::batch(
            &mut Exact::default(),
            &model,
            &network.layers,
            first..last + 1,
            naming,
            &mut passes,
            &mut per_sample,
            &mut reduced,
        );
        // The reference's `loss_before` is the update's batch's loss, reduced.
        let total: f64 = passes.iter().map(|p| p.loss).sum();
        let batch_loss = match reduction {
            Reduction::Mean => total / passes.len() as f64,
            Reduction::Sum => total,
        };
        close(
            batch_loss,
            step["loss_before"].as_f64().unwrap_or(f64::NAN),
            &format!("{name}: the batch's loss before the update"),
        );
        if batch.len() == samples.len() {
            close(
                pass::loss_over_all(&model, &network.layers),
                batch_loss,
                &format!("{name}: the loss over all samples"),
            );
        }
        for (position, pass) in passes.iter().enumerate() {
            for (l, layer) in step["forward"][position]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                for (field, got) in [("net", &pass.net[l]), ("output", &pass.output[l])] {
                    let want = numbers(&layer[field]);
                    assert_eq!(got.len(), want.len(), "{name}: {field} of layer {l}");
                    for (j, (g, w)) in got.iter().zip(&want).enumerate() {
                        close(
                            *g,
                            *w,
                            &format!("{name}: sample {position}, {field} {l}/{j}"),
                        );
                    }
                }
                let want = numbers(&step["delta"][position][l]);
                for (j, (g, w)) in pass.delta[l].iter().zip(&want).enumerate() {
                    close(*g, *w, &format!("{name}: sample {position}, δ {l}/{j}"));
                }
            }
        }
        for (l, (layer, span)) in step["layers"]
            .as_array()
            .into_iter()
            .flatten()
            .zip(&full.spans)
            .enumerate()
        {
            for (j, row) in layer["gradient"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                for (k, want) in numbers(row).iter().enumerate() {
                    // The pass's gradient is in the convention's sign: dw = sign · ∂E/∂w.
                    let got = sign * reduced[span.weight(j, k)];
                    close(got, *want, &format!("{name}: ∂E/∂w {l}/{j}/{k}"));
                }
            }
            let want = numbers(&layer["bias_gradient"]);
            assert_eq!(
                want.is_empty(),
                !span.has_biases,
                "{name}: layer {l}'s biases"
            );
            for (j, want) in want.iter().enumerate() {
                let at = span.bias_start.map_or(usize::MAX, |b| b + j);
                close(sign * reduced[at], *want, &format!("{name}: ∂E/∂b {l}/{j}"));
            }
        }
    }
}

//! The course's network concepts (docs/contract.md §10 and §11) as ready problems for
//! `/v1/solve`: the classic backpropagation example, and small networks whose traces show a
//! saddle point, vanishing and exploding gradients, and weight symmetry. The figures each
//! description quotes are checked by tests/api/network_examples.rs.
//!
//! The chains of the gradient examples start every unit at net input exactly 0 (σ(0) = 0.5,
//! so `w · 0.5 + b = 0` with `b = −w/2`), where the logistic derivative is exactly 1/4: each
//! layer down then scales δ by exactly `w/4`, and the figures are powers of two, not luck.

use serde_json::{json, Value};

use super::examples::{example_of, printed, SOLVE};
use crate::wire::model::Example;

/// A chain of six logistic layers of one unit, each with weight `w` and bias `−w/2`, on the one
/// sample x = 0.5 with target `t`, for `epochs` epochs of gradient descent with α 0.5.
fn chain(w: f64, t: f64, epochs: u32) -> Value {
    let layer = json!({"activation": "logistic", "weights": [[w]], "biases": [-w / 2.0]});
    json!({
        "samples": [{"x": [0.5], "t": t}],
        "network": {"layers": vec![layer; 6]},
        "algorithm": "gd",
        "hyperparameters": {"learning_rate": 0.5},
        "epochs": epochs
    })
}

/// Every network example, in the order of the notes' topics (local minima and saddle points,
/// vanishing and exploding gradients, non-identifiability), after the classic example.
pub fn examples() -> Vec<Example> {
    vec![
        example_of(
            "backpropagation_2_2_2",
            "Backpropagation in a 2-2-2 network",
            "The classic worked example of backpropagation: Matt Mazur, A Step by Step \
             Backpropagation Example (2015). Two inputs (0.05, 0.10), two logistic hidden units \
             and two logistic outputs with targets (0.01, 0.99), weights w₁ … w₈ = 0.15, 0.20, \
             0.25, 0.30, 0.40, 0.45, 0.50, 0.55 (numbered notation: w₁, w₂ into h1, w₃, w₄ into \
             h2, w₅, w₆ into o1, w₇, w₈ into o2), biases 0.35 and 0.60 kept fixed \
             (`update_biases: false`, as the post does), squared error ½ Σ (t − y)², gradient \
             descent with η 0.5. The forward pass gives out_h1 0.593269992 and out_o1 \
             0.75136507 and E_total 0.298371109; the output deltas give ∂E_total/∂w₅ \
             0.082167041 and w₅ becomes 0.35891648; the hidden deltas are taken through the \
             output weights before the update, and w₁ becomes 0.149780716. `printed_values` \
             are the post's numbers, and every one is reproduced. After this update the error \
             is 0.2910277737; the post's 0.291027924 is, to every digit, the error after an \
             update whose hidden deltas went through the already updated output weights, the \
             order its own text rules out (the grader names that slip updated_outer_weights).",
            SOLVE,
            json!({
                "samples": [{"x": [0.05, 0.10], "t": [0.01, 0.99]}],
                "network": {
                    "layers": [
                        {"activation": "logistic", "weights": [[0.15, 0.20], [0.25, 0.30]],
                         "biases": [0.35, 0.35]},
                        {"activation": "logistic", "weights": [[0.40, 0.45], [0.50, 0.55]],
                         "biases": [0.60, 0.60]}
                    ],
                    "update_biases": false,
                    "notation": "numbered"
                },
                "algorithm": "gd",
                "hyperparameters": {"learning_rate": 0.5}
            }),
            vec![
                printed("net_{h1}", 0.3775, "/steps/0/layers/0/forward/0/net/0"),
                printed(
                    "out_{h1}",
                    0.593269992,
                    "/steps/0/layers/0/forward/0/output/0",
                ),
                printed(
                    "out_{h2}",
                    0.596884378,
                    "/steps/0/layers/0/forward/0/output/1",
                ),
                printed("net_{o1}", 1.105905967, "/steps/0/layers/1/forward/0/net/0"),
                printed(
                    "out_{o1}",
                    0.75136507,
                    "/steps/0/layers/1/forward/0/output/0",
                ),
                printed(
                    "out_{o2}",
                    0.772928465,
                    "/steps/0/layers/1/forward/0/output/1",
                ),
                printed("E_{o1}", 0.274811083, "/steps/0/losses/0/outputs/0"),
                printed("E_{o2}", 0.023560026, "/steps/0/losses/0/outputs/1"),
                printed("E_{total}", 0.298371109, "/steps/0/losses/0/loss"),
                printed("\\delta_{o1}", 0.138498562, "/steps/0/layers/1/delta/0/0"),
                printed(
                    "\\partial E_{total} / \\partial w_5",
                    0.082167041,
                    "/steps/0/layers/1/gradient/0/0",
                ),
                printed("w_5^+", 0.35891648, "/steps/0/layers/1/weights_after/0/0"),
                printed("w_6^+", 0.408666186, "/steps/0/layers/1/weights_after/0/1"),
                printed("w_7^+", 0.511301270, "/steps/0/layers/1/weights_after/1/0"),
                printed("w_8^+", 0.561370121, "/steps/0/layers/1/weights_after/1/1"),
                printed(
                    "\\partial E_{total} / \\partial w_1",
                    0.000438568,
                    "/steps/0/layers/0/gradient/0/0",
                ),
                printed("w_1^+", 0.149780716, "/steps/0/layers/0/weights_after/0/0"),
                printed("w_2^+", 0.19956143, "/steps/0/layers/0/weights_after/0/1"),
                printed("w_3^+", 0.24975114, "/steps/0/layers/0/weights_after/1/0"),
                printed("w_4^+", 0.29950229, "/steps/0/layers/0/weights_after/1/1"),
            ],
            Vec::new(),
        ),
        example_of(
            "saddle_point",
            "A saddle point where gradient descent stalls",
            "A 1-1-1 network of tanh units without biases, both weights 0, on the samples \
             (x, t) = (1, 0.8) and (−1, −0.8), full-batch gradient descent with α 0.5 for 20 \
             epochs. With both weights 0 the hidden output is tanh(0) = 0, so the output \
             weight's gradient δ⁽²⁾ a⁽¹⁾ is 0, and the hidden weight's gradient reaches it \
             through the output weight, 0, so it is 0 too: every `gradient_norm` is exactly 0, \
             no weight moves, and the loss stays at 0.32 for all 20 epochs. The point is a \
             saddle, not a minimum: near it the loss is about ½ mean (t − w⁽²⁾ w⁽¹⁾ x)², lower \
             along w⁽¹⁾ = w⁽²⁾ (0.3121 at 0.1, 0.1) and higher along w⁽¹⁾ = −w⁽²⁾ (0.3280 at \
             0.1, −0.1) — in the course's words, \"seeing from one dimension, that point seems \
             minimum while from other dimension it seems as a maximum point\", and \"slope of \
             the error surface is also near to zero at saddle points and hence the model stops \
             learning\". Start the hidden weight at 0.01 instead and gradient descent escapes: \
             the loss stays above 0.3 for ten epochs, then falls, to 0.0165 after the 20th.",
            SOLVE,
            json!({
                "samples": [{"x": [1], "t": 0.8}, {"x": [-1], "t": -0.8}],
                "network": {"layers": [
                    {"activation": "tanh", "weights": [[0]]},
                    {"activation": "tanh", "weights": [[0]]}
                ]},
                "algorithm": "gd",
                "hyperparameters": {"learning_rate": 0.5},
                "epochs": 20,
                "batch_size": 2
            }),
            Vec::new(),
            Vec::new(),
        ),
        example_of(
            "vanishing_gradients",
            "Vanishing gradients in a deep chain of logistic units",
            "Six logistic layers of one unit each, every weight 0.5 and every bias −0.25, on \
             the one sample x = 0.5 with target 1, gradient descent with α 0.5 for 5 epochs. \
             Every unit starts at net input 0 (0.5 × 0.5 − 0.25), where the logistic \
             derivative is largest, 1/4; going one layer down, backpropagation multiplies δ by \
             the weight above and that derivative, 0.5 × 1/4 = 1/8. So in the first update \
             `gradient_norm` is 0.1398 in layer 6, 0.01747 in layer 5, and so on down to \
             4.265e-6 in layer 1, 8⁵ = 32768 times smaller: layer 6's weight moves by 0.031 and \
             layer 1's by 0.00000095. The course: \"In a network of n hidden layers, n \
             derivatives will be multiplied together\", and \"if the derivatives are small, \
             then the gradient will decrease exponentially as we propagate through the model \
             until it eventually vanishes\". The logistic derivative being at most 1/4, any \
             weight under 4 in magnitude shrinks the gradient at every layer. The units stay \
             near net 0, and over the five epochs each layer's norm stays more than 6 times \
             the one below.",
            SOLVE,
            chain(0.5, 1.0, 5),
            Vec::new(),
            Vec::new(),
        ),
        example_of(
            "exploding_gradients",
            "Exploding gradients in a deep chain of logistic units",
            "The vanishing-gradients chain with every weight 32 and every bias −16, and the \
             target 0.9, gradient descent with α 0.5 for 3 epochs. Every unit again starts at \
             net input 0 (32 × 0.5 − 16), output 0.5 and derivative 1/4, but now each layer \
             down multiplies δ by 32 × 1/4 = 8: in the first update `gradient_norm` is 0.1118 \
             in layer 6, 0.8944 in layer 5, and so on up to 3664 in layer 1, 8⁵ = 32768 times \
             larger. The course: \"If the derivatives are large, then the gradient will \
             increase exponentially as we propagate down the model until they eventually \
             explode\". That update moves layer 6's weight by 0.025 but layer 1's by 819 and \
             its bias by 1638, and throws every unit into saturation (net inputs from 16 to \
             2048), where the derivative is nearly 0: the output is 0.9999999 against the \
             target 0.9, and from the second update on the gradients are 1.5e-8 in layer 6 \
             and exactly 0 in layers 1 to 3, so the loss stays at 0.005. A learning rate small \
             enough for layer 1 would leave layer 6 all but frozen.",
            SOLVE,
            chain(32.0, 0.9, 3),
            Vec::new(),
            Vec::new(),
        ),
        example_of(
            "weight_symmetry",
            "Weight symmetry: two hidden units that stay identical",
            "A 2-2-1 logistic network on the four XOR samples, online gradient descent with α \
             0.5 for 3 epochs (12 updates), whose two hidden units start alike: both have \
             incoming weights (0.3, −0.2) and bias 0.1, and both send 0.4 to the output. The \
             response warns `symmetric_units` once, and on every update the two rows of \
             `layers[0].weights_after`, the two hidden biases and the two columns of \
             `layers[1].weights_after` stay identical bit for bit: the two units compute the \
             same net input, get the same δ and the same gradient, so the same update. This is \
             the weight symmetry behind the course's model non-identifiability, \"which happens \
             when we rearrange hidden units and their incoming and outgoing weight vectors \
             accordingly\": swapping the two units gives the same network, and here the swap \
             is the network itself, so gradient descent can never tell the units apart. The \
             network then computes what one hidden unit would, and one hidden unit cannot fit \
             XOR. Start the second unit's first weight at 0.31 instead and there is no warning, \
             and the units differ after every update.",
            SOLVE,
            json!({
                "samples": [
                    {"x": [0, 0], "t": 0},
                    {"x": [0, 1], "t": 1},
                    {"x": [1, 0], "t": 1},
                    {"x": [1, 1], "t": 0}
                ],
                "network": {"layers": [
                    {"activation": "logistic", "weights": [[0.3, -0.2], [0.3, -0.2]],
                     "biases": [0.1, 0.1]},
                    {"activation": "logistic", "weights": [[0.4, 0.4]], "biases": [-0.1]}
                ]},
                "algorithm": "gd",
                "hyperparameters": {"learning_rate": 0.5},
                "epochs": 3
            }),
            Vec::new(),
            Vec::new(),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_network_example_is_a_network_problem() {
        for example in examples() {
            assert!(
                example.problem.get("network").is_some(),
                "{} has no network",
                example.id
            );
            assert!(example.problem.get("weights").is_none(), "{}", example.id);
        }
    }

    #[test]
    fn the_chains_start_every_unit_at_net_zero() {
        // σ(0) = 0.5 exactly, so w · 0.5 + b is exactly 0 with b = −w/2, in every layer.
        for w in [0.5, 32.0] {
            let problem = chain(w, 1.0, 1);
            let layers = problem["network"]["layers"].as_array().cloned();
            for layer in layers.unwrap_or_default() {
                let weight = layer["weights"][0][0].as_f64().unwrap_or(f64::NAN);
                let bias = layer["biases"][0].as_f64().unwrap_or(f64::NAN);
                assert_eq!(weight * 0.5 + bias, 0.0, "w {w}");
            }
        }
    }
}

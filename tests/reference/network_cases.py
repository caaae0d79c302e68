"""The network problems pinned in tests/fixtures/network-reference.json, as §11 request bodies.

Written from /work/shared/SPEC.md §11 alone. Each case names what it covers; together they cover
1–3 layers, widths 1–3, every activation, both losses, layers with and without biases,
update_biases true and false, batches of 1–3 with mean and sum, both sign conventions, every
optimizer but conjugate gradient, a schedule, and 1–3 epochs.
"""

# The course's training set (docs/contract.md §10), two inputs and one target each.
COURSE_SAMPLES = [
    {"x": [1.0, 0.6], "t": 0.8},
    {"x": [0.5, 0.5], "t": 0.6},
    {"x": [0.2, 0.8], "t": 0.3},
]
# The same inputs with two targets each, for networks with two output units.
TWO_TARGETS = [
    {"x": [1.0, 0.6], "t": [0.8, 0.2]},
    {"x": [0.5, 0.5], "t": [0.6, 0.9]},
    {"x": [0.2, 0.8], "t": [0.3, 0.4]},
]

# Matt Mazur, "A Step by Step Backpropagation Example" (2015): w1…w4 are layer 1's rows h1, h2
# (columns i1, i2), w5…w8 layer 2's rows o1, o2 (columns h1, h2); b1, b2 are shared per layer.
MAZUR_LAYERS = [
    {"activation": "logistic", "weights": [[0.15, 0.20], [0.25, 0.30]], "biases": [0.35, 0.35]},
    {"activation": "logistic", "weights": [[0.40, 0.45], [0.50, 0.55]], "biases": [0.60, 0.60]},
]
MAZUR_SAMPLES = [{"x": [0.05, 0.10], "t": [0.01, 0.99]}]

# Han & Kamber, Data Mining: Concepts and Techniques, the backpropagation example: hidden units 4
# and 5 are layer 1's rows (columns x1, x2, x3), unit 6 is layer 2; θ4, θ5, θ6 are the biases.
HAN_KAMBER_LAYERS = [
    {"activation": "logistic", "weights": [[0.2, 0.4, -0.5], [-0.3, 0.1, 0.2]], "biases": [-0.4, 0.2]},
    {"activation": "logistic", "weights": [[-0.3, -0.2]], "biases": [0.1]},
]
HAN_KAMBER_SAMPLES = [{"x": [1.0, 0.0, 1.0], "t": 1.0}]

# A 2-2-1 logistic network with distinct weights (no two hidden units alike).
SMALL_LAYERS = [
    {"activation": "logistic", "weights": [[0.3, -0.2], [0.1, 0.4]], "biases": [0.05, -0.1]},
    {"activation": "logistic", "weights": [[0.5, -0.4]], "biases": [0.2]},
]


def problem(samples, layers, algorithm, hyperparameters, update_biases=None, **fields):
    """A §11 request body; fields (loss, epochs, batch_size, reduction, …) are added as given."""
    network = {"layers": [dict(layer) for layer in layers]}
    if update_biases is not None:
        network["update_biases"] = update_biases
    body = {"samples": [dict(s) for s in samples], "network": network}
    if "loss" in fields:
        body["loss"] = fields.pop("loss")
    body["algorithm"] = algorithm
    body["hyperparameters"] = dict(hyperparameters)
    body.update(fields)
    return body


def mazur(**fields):
    return problem(MAZUR_SAMPLES, MAZUR_LAYERS, "gd", {"learning_rate": 0.5}, update_biases=False, **fields)


def han_kamber():
    return problem(HAN_KAMBER_SAMPLES, HAN_KAMBER_LAYERS, "gd", {"learning_rate": 0.9}, update_biases=True,
                   conventions={"sign": "delta"})


def one_unit_network(algorithm, hyperparameters, **fields):
    """One layer with one unit and a bias: the §1 neuron with weights (0.5, 0.5) and bias 0.1."""
    layers = [{"activation": "logistic", "weights": [[0.5, 0.5]], "biases": [0.1]}]
    return problem(COURSE_SAMPLES, layers, algorithm, hyperparameters, **fields)


def one_unit_neuron(algorithm, hyperparameters, **fields):
    """The same neuron as a §2 request body, for reference.solve."""
    body = {"samples": [dict(s) for s in COURSE_SAMPLES], "weights": [0.5, 0.5], "bias": 0.1,
            "algorithm": algorithm, "hyperparameters": dict(hyperparameters)}
    body.update(fields)
    return body


def small(algorithm, hyperparameters, samples=COURSE_SAMPLES, **fields):
    return problem(samples, SMALL_LAYERS, algorithm, hyperparameters, **fields)


def signed_momentum(sign):
    return small("momentum", {"learning_rate": 0.5, "beta": 0.8}, samples=COURSE_SAMPLES[:2], epochs=2,
                 conventions={"sign": sign})


def full_batch(reduction):
    return small("gd", {"learning_rate": 0.5}, batch_size=3, reduction=reduction, epochs=2)


# relu hidden layer: on sample 0 unit 1's net input is exactly 0 (0.5·1 − 0.5·1 + 0), on sample 1
# it is negative; unit 2 is positive on both. The contract fixes relu′ = 0 at z ≤ 0.
RELU_LAYERS = [
    {"activation": "relu", "weights": [[0.5, -0.5], [0.4, 0.3]], "biases": [0.0, 0.1]},
    {"activation": "logistic", "weights": [[0.6, -0.7]], "biases": [0.05]},
]
RELU_SAMPLES = [
    {"x": [1.0, 1.0], "t": 0.7},
    {"x": [0.2, 0.9], "t": 0.2},
]


def all_cases():
    """Every fixture case: its name, one sentence on what it covers, and the request body."""
    table = [
        # The published examples (see network.py's EXAMPLES and tests/fixtures/network-examples.json).
        ("mazur_2015", "Mazur's 2-2-2 example: logistic, squared error ½Σ, gd α 0.5, biases kept (update_biases false).",
         mazur()),
        ("mazur_2015_3_epochs", "Mazur's example for 3 updates: the weights move, the biases never do, and their "
                                "gradients are still shown.",
         mazur(epochs=3)),
        ("mazur_2015_update_biases", "Mazur's network with update_biases true: each unit's bias is its own parameter, "
                                     "after its layer's weights in the flat vector.",
         problem(MAZUR_SAMPLES, MAZUR_LAYERS, "gd", {"learning_rate": 0.5}, epochs=2)),
        ("han_kamber_3_2_1", "Han & Kamber's 3-2-1 example: sign delta (δ = Err = (T − O) f′), biases updated by adding, "
                             "gd l 0.9.",
         han_kamber()),

        # A single neuron is a network of one layer with one unit (§11, last point).
        ("one_unit_network_momentum", "One layer, one unit, a bias: exactly reference.py's neuron with momentum "
                                      "(the bias last in the flat vector).",
         one_unit_network("momentum", {"learning_rate": 0.2, "beta": 0.8}, epochs=2)),

        # One layer, several units; batches and reductions.
        ("one_layer_3_linear_units_full_batch_sum", "One layer of 3 linear units (targets arrays of 3), a full batch "
                                                    "of 3 with the sum reduction, 2 epochs.",
         problem([{"x": [1.0, 0.6], "t": [0.8, 0.1, -0.3]},
                  {"x": [0.5, 0.5], "t": [0.6, 0.4, 0.2]},
                  {"x": [0.2, 0.8], "t": [0.3, 0.9, 0.0]}],
                 [{"activation": "linear", "weights": [[0.2, -0.1], [0.4, 0.3], [-0.5, 0.6]],
                   "biases": [0.0, 0.1, -0.2]}],
                 "gd", {"learning_rate": 0.1}, epochs=2, batch_size=3, reduction="sum")),
        ("gd_full_batch_mean", "2-2-1, the 3 samples as one batch, mean of the per-sample gradients, 2 epochs.",
         full_batch("mean")),
        ("gd_full_batch_sum", "The same with the sum: the first gradient is exactly 3 times the mean's.",
         full_batch("sum")),
        ("linear_outputs_two_targets_batch2_mean", "2-2-2, logistic hidden, linear outputs, batches of 2 then 1 with "
                                                   "the mean, 2 epochs.",
         problem(TWO_TARGETS,
                 [{"activation": "logistic", "weights": [[0.3, -0.2], [0.1, 0.4]], "biases": [0.05, -0.1]},
                  {"activation": "linear", "weights": [[0.5, -0.4], [-0.3, 0.8]], "biases": [0.2, 0.0]}],
                 "gd", {"learning_rate": 0.3}, epochs=2, batch_size=2)),

        # Activations.
        ("tanh_hidden_linear_output_adam_batch2", "2-3-1: tanh hidden (f′ = 1 − a²), linear output, Adam with its "
                                                  "default bias correction, batches of 2 and 1, 2 epochs.",
         problem(COURSE_SAMPLES,
                 [{"activation": "tanh", "weights": [[0.3, -0.2], [0.1, 0.4], [-0.5, 0.2]], "biases": [0.05, -0.1, 0.0]},
                  {"activation": "linear", "weights": [[0.5, -0.4, 0.3]], "biases": [0.2]}],
                 "adam", {"learning_rate": 0.05, "beta1": 0.8, "beta2": 0.9}, epochs=2, batch_size=2)),
        ("relu_hidden_at_kink", "2-2-1 relu hidden: a net input of exactly 0 and a negative one both have derivative "
                                "0, so that unit's δ and incoming gradients are 0 there.",
         problem(RELU_SAMPLES, RELU_LAYERS, "gd", {"learning_rate": 0.5}, epochs=2)),

        # Cross-entropy (logistic outputs).
        ("cross_entropy_no_biases_rmsprop", "2-3-1 with no bias anywhere, cross-entropy (δ = y − t at the output), "
                                            "RMSProp β 0.8, 2 epochs.",
         problem(COURSE_SAMPLES,
                 [{"activation": "logistic", "weights": [[0.3, -0.2], [0.1, 0.4], [-0.5, 0.2]]},
                  {"activation": "logistic", "weights": [[0.5, -0.4, 0.3]]}],
                 "rmsprop", {"learning_rate": 0.1, "beta": 0.8}, loss="cross_entropy", epochs=2)),
        ("cross_entropy_two_outputs_adagrad", "2-2-2 cross-entropy summed over two logistic outputs, Adagrad, "
                                              "2 epochs.",
         problem(TWO_TARGETS,
                 [{"activation": "tanh", "weights": [[0.3, -0.2], [0.1, 0.4]], "biases": [0.05, -0.1]},
                  {"activation": "logistic", "weights": [[0.5, -0.4], [-0.3, 0.8]], "biases": [0.2, 0.0]}],
                 "adagrad", {"learning_rate": 0.2}, loss="cross_entropy", epochs=2)),

        # Three layers.
        ("three_layers_mixed_momentum_batch2_sum", "2-3-2-1: tanh, logistic, linear; momentum β 0.9 (average form), "
                                                   "batches of 2 and 1 summed, 2 epochs.",
         problem(COURSE_SAMPLES,
                 [{"activation": "tanh", "weights": [[0.3, -0.2], [0.1, 0.4], [-0.5, 0.2]], "biases": [0.05, -0.1, 0.0]},
                  {"activation": "logistic", "weights": [[0.2, -0.3, 0.4], [0.6, 0.1, -0.2]], "biases": [0.1, -0.1]},
                  {"activation": "linear", "weights": [[0.7, -0.5]], "biases": [0.05]}],
                 "momentum", {"learning_rate": 0.3, "beta": 0.9}, epochs=2, batch_size=2, reduction="sum")),
        ("three_layers_middle_without_biases_nesterov_sum", "2-2-2-1, logistic throughout, the middle layer without "
                                                            "biases; Nesterov, sum form (as PyTorch), 2 epochs.",
         problem(COURSE_SAMPLES,
                 [{"activation": "logistic", "weights": [[0.3, -0.2], [0.1, 0.4]], "biases": [0.05, -0.1]},
                  {"activation": "logistic", "weights": [[0.2, -0.3], [0.6, 0.1]]},
                  {"activation": "logistic", "weights": [[0.7, -0.5]], "biases": [0.05]}],
                 "nesterov", {"learning_rate": 0.3, "beta": 0.9, "form": "sum"}, epochs=2)),
        ("chain_1_1_1_time_based_schedule", "Three layers of width 1 (1-1-1-1: tanh, logistic, linear), time-based "
                                            "decay 0.5 per epoch from epoch 0, 3 epochs over 2 samples.",
         problem([{"x": [0.8], "t": 0.3}, {"x": [-0.4], "t": -0.1}],
                 [{"activation": "tanh", "weights": [[0.6]], "biases": [0.1]},
                  {"activation": "logistic", "weights": [[-0.7]], "biases": [0.2]},
                  {"activation": "linear", "weights": [[0.9]], "biases": [-0.1]}],
                 "gd", {"learning_rate": 0.4}, epochs=3, schedule={"type": "time_based", "decay_rate": 0.5})),

        # Optimizers on the 2-2-1 network.
        ("adadelta_bias_correction", "Adadelta with its defaults and bias correction (s by 1−ρ^t, u by 1−ρ^(t−1)), "
                                     "two samples, 3 epochs.",
         small("adadelta", {}, samples=COURSE_SAMPLES[:2], epochs=3, bias_correction=True)),
        ("amsgrad_3_epochs", "AMSGrad (the running maximum of the uncorrected s), bias correction by default, 3 epochs.",
         small("amsgrad", {"learning_rate": 0.05, "beta1": 0.8, "beta2": 0.8}, epochs=3)),
        ("adamw_decays_biases", "AdamW, weight decay 0.1: every updated parameter decays first, the biases too.",
         small("adamw", {"learning_rate": 0.05, "beta1": 0.8, "beta2": 0.8, "weight_decay": 0.1}, epochs=2)),
        ("adam_update_biases_false", "Adam with update_biases false: the flat vector holds only the weights, the "
                                     "biases keep their values and have no state, their gradients are still shown.",
         small("adam", {"learning_rate": 0.05, "beta1": 0.8, "beta2": 0.8}, update_biases=False, epochs=2)),
        ("rmsprop_bias_correction_epsilon_outside", "RMSProp β 0.8 with bias correction and ε 1e-2 outside the root "
                                                    "(α g / (√ŝ + ε)), 2 epochs.",
         small("rmsprop", {"learning_rate": 0.05, "beta": 0.8, "epsilon": 1e-2}, epochs=2, bias_correction=True,
               conventions={"epsilon": "outside_sqrt"})),

        # Sign conventions.
        ("momentum_sign_gradient", "Momentum, sign gradient: dw, δ and v carry ∂E's sign, updates subtract.",
         signed_momentum("gradient")),
        ("momentum_sign_delta", "Momentum, sign delta: dw, δ and v flip sign, the weights are the same.",
         signed_momentum("delta")),
        ("adam_sign_delta", "Adam, sign delta, 2-2-2 with linear outputs: the first moment flips, the second "
                            "does not, the weights are Adam's.",
         problem(TWO_TARGETS[:2],
                 [{"activation": "logistic", "weights": [[0.3, -0.2], [0.1, 0.4]], "biases": [0.05, -0.1]},
                  {"activation": "linear", "weights": [[0.5, -0.4], [-0.3, 0.8]], "biases": [0.2, 0.0]}],
                 "adam", {"learning_rate": 0.05}, epochs=2, conventions={"sign": "delta"})),
    ]
    return [{"name": name, "why": why, "problem": body} for name, why, body in table]

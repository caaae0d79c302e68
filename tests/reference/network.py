#!/usr/bin/env python3
"""Independent reference for feed-forward networks with backpropagation (/work/shared/SPEC.md §11).

Written from the contract alone (SPEC.md §11 and docs/contract.md §1–§5), without reading the
Rust sources under src/, so that its fixtures are a second opinion on the service's numbers and
not a copy of them. Pure Python 3.11, standard library only, full double precision, no rounding.

It reuses reference.py (the single-neuron reference) for everything §11 says is unchanged: the
optimizers of §3 (with their hyperparameter defaults, bias correction, sign and ε conventions) and
the learning-rate schedules of §5. The optimizers are fed one flat parameter vector, in the order
§11 fixes: layer by layer, each layer's weights row by row (row j = unit j of the layer, column
k = unit k of the layer below), then that layer's biases when they are updated.

Regenerate the fixtures from the repository root:

    python3 tests/reference/network.py --output tests/fixtures/network-reference.json \
        --examples tests/fixtures/network-examples.json

Without --output the case fixture is printed to stdout. selfcheck() runs first and nothing is
written when a check fails: every gradient of every step of every case is compared with a central
finite difference of the update's reduced loss (step 1e-6, relative tolerance 1e-6 plus an
absolute 1e-9 for round-off), a one-unit network is compared with reference.py's neuron, the sign
conventions are compared pairwise, and the two textbook examples (Mazur 2015; Han & Kamber) are
compared with the digits their sources print, where those digits are right (see EXAMPLES).

network-reference.json holds a list of {"name", "why", "problem", "expected"}; "problem" is a
§11 request body and "expected" is {"steps", "final_network", "loss"}. Each step has "index",
"epoch", "samples", "learning_rate", "loss_before" (the update's reduced loss at the parameters it
starts from), "layers" (per layer: "weights_before", "weights_after", "biases_before",
"biases_after", "gradient", "bias_gradient", "dw", "bias_dw", "gradient_norm", "state",
"bias_state"), "forward" (per sample, per layer: {"net", "output"}) and "delta" (per sample, per
layer, every unit's δ in the chosen sign convention). A layer without biases has null for its bias
fields. "state" holds each accumulator after the update shaped like the weights, "bias_state"
like the biases ({} when the biases are not updated: they have no optimizer state); the grouping
into "state"/"bias_state" is this fixture's own choice, §11 only says "shaped like the weights it
belongs to". "loss" is {"initial", "per_epoch", "final"} over all samples with the problem's
reduction, as §7.

network-examples.json holds the two published examples: the request body, where the numbers
were found, how the source names its weights in our [layer][row][column] layout, and, side by
side, every number the source prints, our full-precision value, and whether the printed digits
are our value rounded (with the reason where they are not).
"""

import argparse
import copy
import json
import math
import sys
from decimal import ROUND_HALF_UP, Decimal, getcontext

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository
import reference  # noqa: E402  (tests/reference/reference.py: optimizers, schedules, JSON layout)

getcontext().prec = 50  # the decimal proofs of the examples

NETWORK_PROBLEM_FIELDS = {
    "samples", "network", "loss", "algorithm", "hyperparameters", "bias_correction", "epochs",
    "batch_size", "reduction", "schedule", "conventions",
}
ACTIVATIONS = {"logistic", "tanh", "linear", "relu"}


# ---------------------------------------------------------------------------------------------
# The problem


class Network:
    """The network of a §11 request, with every default filled in and its shapes checked."""

    def __init__(self, problem):
        unknown = set(problem) - NETWORK_PROBLEM_FIELDS
        if unknown:
            raise ValueError(f"unknown problem fields {sorted(unknown)}")
        spec = problem["network"]
        unknown = set(spec) - {"layers", "update_biases"}
        if unknown:
            raise ValueError(f"unknown network fields {sorted(unknown)}")
        self.update_biases = spec.get("update_biases", True)
        self.layers = []
        width = len(problem["samples"][0]["x"])
        for number, layer in enumerate(spec["layers"], start=1):
            unknown = set(layer) - {"activation", "weights", "biases"}
            if unknown:
                raise ValueError(f"layer {number}: unknown fields {sorted(unknown)}")
            activation = layer.get("activation", "logistic")
            if activation not in ACTIVATIONS:
                raise ValueError(f"layer {number}: unknown activation {activation}")
            weights = [[float(w) for w in row] for row in layer["weights"]]
            if not weights or any(len(row) != width for row in weights):
                raise ValueError(f"layer {number}: every row needs {width} columns")
            biases = [float(b) for b in layer["biases"]] if layer.get("biases") is not None else None
            if biases is not None and len(biases) != len(weights):
                raise ValueError(f"layer {number}: one bias per unit")
            self.layers.append({"activation": activation, "weights": weights, "biases": biases})
            width = len(weights)
        self.output_width = width
        self.loss = problem.get("loss", "squared_error")
        if self.loss == "cross_entropy" and self.layers[-1]["activation"] != "logistic":
            raise ValueError("cross_entropy is defined for logistic outputs only")
        self.reduction = problem.get("reduction", "mean")
        self.samples = [{"x": [float(v) for v in s["x"]], "t": self.targets(s["t"])} for s in problem["samples"]]

    def targets(self, t):
        """§11: a number when the last layer has one unit, otherwise one target per output unit."""
        if isinstance(t, list):
            if self.output_width == 1:
                raise ValueError("t is a number when the last layer has one unit")
            values = [float(v) for v in t]
        else:
            if self.output_width != 1:
                raise ValueError("t is an array when the last layer has several units")
            values = [float(t)]
        if len(values) != self.output_width:
            raise ValueError("one target per output unit")
        return values

    def updated_biases(self, layer):
        return layer["biases"] is not None and self.update_biases

    # The flat parameter vector the optimizers see (§11): per layer, the weights row by row, then
    # the layer's biases when they are updated.

    def flatten(self, layers):
        flat = []
        for layer, shape in zip(layers, self.layers, strict=True):
            for row in layer["weights"]:
                flat.extend(row)
            if self.updated_biases(shape):
                flat.extend(layer["biases"])
        return flat

    def unflatten(self, flat, fixed_biases):
        """Layers from a flat vector; biases that are not updated are taken from fixed_biases."""
        layers, position = [], 0
        for index, shape in enumerate(self.layers):
            weights = []
            for row in shape["weights"]:
                weights.append(list(flat[position:position + len(row)]))
                position += len(row)
            if self.updated_biases(shape):
                biases = list(flat[position:position + len(shape["biases"])])
                position += len(shape["biases"])
            else:
                biases = None if fixed_biases[index] is None else list(fixed_biases[index])
            layers.append({"weights": weights, "biases": biases})
        assert position == len(flat)
        return layers

    def flat_labels(self):
        """For each flat position: (layer, "w", row, column) or (layer, "b", row)."""
        labels = []
        for l, shape in enumerate(self.layers):
            for j, row in enumerate(shape["weights"]):
                labels.extend((l, "w", j, k) for k in range(len(row)))
            if self.updated_biases(shape):
                labels.extend((l, "b", j) for j in range(len(shape["biases"])))
        return labels

    def initial_layers(self):
        return [{"weights": copy.deepcopy(l["weights"]), "biases": copy.deepcopy(l["biases"])} for l in self.layers]


# ---------------------------------------------------------------------------------------------
# Forward, loss, backward (§11)


def forward(network, layers, x):
    """Per layer {"net", "output", "slope"}: z = Σ_k w_jk a_k (in order) + b_j, a = f(z), f′(z)."""
    passes, below = [], x
    for shape, layer in zip(network.layers, layers, strict=True):
        nets, outputs, slopes = [], [], []
        for j, row in enumerate(layer["weights"]):
            z = 0.0
            for w, a in zip(row, below, strict=True):
                z += w * a
            if layer["biases"] is not None:
                z += layer["biases"][j]
            a, slope = reference.activate(shape["activation"], z)
            nets.append(z)
            outputs.append(a)
            slopes.append(slope)
        passes.append({"net": nets, "output": outputs, "slope": slopes})
        below = outputs
    return passes


def sample_loss(network, outputs, targets):
    """½ Σ_k (t_k − y_k)², or −Σ_k [t_k ln y_k + (1 − t_k) ln(1 − y_k)]."""
    total = 0.0
    for y, t in zip(outputs, targets, strict=True):
        if network.loss == "squared_error":
            total += 0.5 * (t - y) ** 2
        else:
            total += -(t * math.log(y) + (1.0 - t) * math.log(1.0 - y))
    return total


def backward(network, layers, passes, targets):
    """Every unit's δ = ∂E/∂z (gradient convention), output layer first, weights before the update."""
    last = passes[-1]
    if network.loss == "squared_error":
        delta = [(y - t) * s for y, t, s in zip(last["output"], targets, last["slope"], strict=True)]
    else:
        delta = [y - t for y, t in zip(last["output"], targets, strict=True)]
    deltas = [delta]
    for l in range(len(layers) - 2, -1, -1):
        above = layers[l + 1]["weights"]
        delta = []
        for j, slope in enumerate(passes[l]["slope"]):
            back = 0.0
            for i, d in enumerate(deltas[0]):
                back += above[i][j] * d
            delta.append(back * slope)
        deltas.insert(0, delta)
    return deltas


def sample_gradients(network, layers, x, deltas, passes):
    """∂E/∂w_jk = δ_j a_k (a = x below the first layer), ∂E/∂b_j = δ_j (for every layer with biases)."""
    grads = []
    for l, layer in enumerate(layers):
        below = x if l == 0 else passes[l - 1]["output"]
        weights = [[d * a for a in below] for d in deltas[l]]
        biases = list(deltas[l]) if layer["biases"] is not None else None
        grads.append({"weights": weights, "biases": biases})
    return grads


def reduce_gradients(network, per_sample):
    """The mean (or sum) over the batch, summed in sample order, as reference.batch_gradient."""
    count = len(per_sample)
    reduced = []
    for l, first in enumerate(per_sample[0]):
        weights = [[0.0] * len(row) for row in first["weights"]]
        biases = [0.0] * len(first["biases"]) if first["biases"] is not None else None
        for grads in per_sample:
            for j, row in enumerate(grads[l]["weights"]):
                for k, g in enumerate(row):
                    weights[j][k] += g
            if biases is not None:
                for j, g in enumerate(grads[l]["biases"]):
                    biases[j] += g
        if network.reduction == "mean":
            weights = [[g / count for g in row] for row in weights]
            biases = [g / count for g in biases] if biases is not None else None
        elif network.reduction != "sum":
            raise ValueError(f"unknown reduction {network.reduction}")
        reduced.append({"weights": weights, "biases": biases})
    return reduced


def reduce_losses(network, losses):
    total = 0.0
    for value in losses:
        total += value
    return total / len(losses) if network.reduction == "mean" else total


def batch_loss(network, layers, batch):
    return reduce_losses(network, [sample_loss(network, forward(network, layers, s["x"])[-1]["output"], s["t"])
                                   for s in batch])


def evaluate(network, layers, batch):
    """Forward and backward over a batch: per-sample passes and δ's, the reduced loss and gradient."""
    passes, deltas, grads, losses = [], [], [], []
    for sample in batch:
        p = forward(network, layers, sample["x"])
        d = backward(network, layers, p, sample["t"])
        passes.append(p)
        deltas.append(d)
        grads.append(sample_gradients(network, layers, sample["x"], d, p))
        losses.append(sample_loss(network, p[-1]["output"], sample["t"]))
    return passes, deltas, reduce_gradients(network, grads), reduce_losses(network, losses), losses


def gradient_norm(grad):
    """√(Σ_jk (∂E/∂w_jk)² + Σ_j (∂E/∂b_j)²), the biases' gradients counted whether or not they are updated."""
    total = 0.0
    for row in grad["weights"]:
        for g in row:
            total += g * g
    for g in grad["biases"] or []:
        total += g * g
    return math.sqrt(total)


# ---------------------------------------------------------------------------------------------
# The optimizer run, on reference.py's optimizers


def neuron_settings(problem, parameter_count):
    """reference.Settings for the same optimizer fields: the network stands in as a flat weight vector.

    Settings reads hyperparameters (with §3's defaults and required keys), bias_correction (default
    on for adam, adamw, amsgrad), epochs, batch_size, reduction, schedule and both conventions exactly
    as for a neuron; activation and loss are left at their defaults because the network checks its
    own (cross-entropy needs logistic outputs, not a logistic neuron).
    """
    body = {key: value for key, value in problem.items() if key not in ("network", "loss")}
    body["weights"] = [0.0] * parameter_count
    return reference.Settings(body)


def signed(settings, value):
    return value if settings.sign == "gradient" else -value


def shape_state(network, state):
    """Each flat accumulator split into per-layer {name: matrix} and {name: vector of the biases}."""
    per_layer = [({}, {}) for _ in network.layers]
    for name, flat in state.items():
        for l, layer in enumerate(network.unflatten(flat, [None] * len(network.layers))):
            per_layer[l][0][name] = layer["weights"]
            if layer["biases"] is not None:
                per_layer[l][1][name] = layer["biases"]
    return per_layer


def solve(problem):
    """The expected trace of a §11 run: every update's numbers, then the final network and losses."""
    network = Network(problem)
    layers = network.initial_layers()
    fixed_biases = [l["biases"] for l in layers]
    parameters = network.flatten(layers)
    settings = neuron_settings(problem, len(parameters))
    if settings.algorithm == "conjugate_gradient":
        raise ValueError("the network reference does not cover conjugate gradient")
    optimizer = reference.make_optimizer(settings, len(parameters))
    first_epoch = settings.schedule.get("first_epoch", 0) if settings.schedule else 0
    indexed = list(enumerate(network.samples))
    initial_loss = batch_loss(network, layers, network.samples)
    steps, per_epoch, update_index = [], [], 0
    for epochs_before in range(settings.epochs):
        epoch_number = first_epoch + epochs_before
        for chunk in reference.batches(indexed, settings.batch_size):
            update_index += 1
            rate = reference.step_rate(settings, epoch_number, update_index)
            batch = [sample for _, sample in chunk]
            passes, deltas, grad, loss_before, _ = evaluate(network, layers, batch)
            flat_gradient = network.flatten([{"weights": g["weights"], "biases": g["biases"]} for g in grad])
            new_parameters, state = optimizer.step(parameters, flat_gradient, rate)
            new_layers = network.unflatten(new_parameters, fixed_biases)
            states = shape_state(network, state)
            finite = new_parameters + flat_gradient + [loss_before]
            assert all(math.isfinite(v) for v in finite), "reference cases must not diverge"
            step_layers = []
            for l, (before, after, g) in enumerate(zip(layers, new_layers, grad, strict=True)):
                step_layers.append({
                    "weights_before": before["weights"],
                    "weights_after": after["weights"],
                    "biases_before": before["biases"],
                    "biases_after": after["biases"],
                    "gradient": g["weights"],
                    "bias_gradient": g["biases"],
                    "dw": [[signed(settings, v) for v in row] for row in g["weights"]],
                    "bias_dw": [signed(settings, v) for v in g["biases"]] if g["biases"] is not None else None,
                    "gradient_norm": gradient_norm(g),
                    "state": states[l][0],
                    "bias_state": states[l][1],
                })
            steps.append({
                "index": update_index,
                "epoch": epoch_number,
                "samples": [i for i, _ in chunk],
                "learning_rate": rate,
                "loss_before": loss_before,
                "layers": step_layers,
                "forward": [[{"net": p["net"], "output": p["output"]} for p in sample_passes]
                            for sample_passes in passes],
                "delta": [[[signed(settings, v) for v in d] for d in sample_deltas] for sample_deltas in deltas],
            })
            layers, parameters = new_layers, new_parameters
        per_epoch.append(batch_loss(network, layers, network.samples))
    final = {"layers": [], "update_biases": network.update_biases}
    for shape, layer in zip(network.layers, layers, strict=True):
        entry = {"activation": shape["activation"], "weights": layer["weights"]}
        if layer["biases"] is not None:
            entry["biases"] = layer["biases"]
        final["layers"].append(entry)
    return {
        "steps": steps,
        "final_network": final,
        "loss": {"initial": initial_loss, "per_epoch": per_epoch, "final": per_epoch[-1]},
    }


# ---------------------------------------------------------------------------------------------
# Finite differences: every gradient against the loss it is the gradient of


def finite_difference_check(problem, expected, name, step=1e-6, relative=1e-6, absolute=1e-9):
    """Each step's ∂E/∂w and ∂E/∂b against a central difference of that update's reduced loss.

    Where a relu unit's net input is within 10·step of its kink for a sample of the batch, the
    parameters that move that net input are left out: there the loss has no derivative and the
    contract fixes f′(0) = 0 instead (checked in selfcheck). Returns (compared, left out).
    """
    network = Network(problem)
    compared = skipped = 0
    for s in expected["steps"]:
        layers = [{"weights": copy.deepcopy(l["weights_before"]), "biases": copy.deepcopy(l["biases_before"])}
                  for l in s["layers"]]
        batch = [network.samples[i] for i in s["samples"]]
        # Units whose relu net input sits at (or within 10·step of) the kink, for any sample of the batch.
        kinked = {(l, j) for passes in s["forward"] for l, (shape, p) in enumerate(zip(network.layers, passes))
                  if shape["activation"] == "relu" for j, z in enumerate(p["net"]) if abs(z) <= 10 * step}
        assert abs(batch_loss(network, layers, batch) - s["loss_before"]) <= 1e-15 * max(1.0, s["loss_before"])
        for l, layer in enumerate(layers):
            targets = [("weights", j, k) for j in range(len(layer["weights"])) for k in range(len(layer["weights"][j]))]
            if layer["biases"] is not None:
                targets += [("biases", j, None) for j in range(len(layer["biases"]))]
            for kind, j, k in targets:
                # A parameter that moves a kinked unit's net input (its own incoming weights and bias, and
                # everything in the layers below it) is left out: the loss has no derivative there.
                if any(l < kl or (l == kl and j == kj) for kl, kj in kinked):
                    skipped += 1
                    continue

                def loss_at(offset):
                    moved = copy.deepcopy(layers)
                    if kind == "weights":
                        moved[l]["weights"][j][k] += offset
                    else:
                        moved[l]["biases"][j] += offset
                    return batch_loss(network, moved, batch)
                numeric = (loss_at(step) - loss_at(-step)) / (2 * step)
                analytic = (s["layers"][l]["gradient"][j][k] if kind == "weights"
                            else s["layers"][l]["bias_gradient"][j])
                tolerance = relative * max(abs(analytic), abs(numeric)) + absolute
                assert abs(analytic - numeric) <= tolerance, \
                    f"{name} step {s['index']} layer {l} {kind}[{j}]{'' if k is None else f'[{k}]'}: " \
                    f"analytic {analytic} vs finite difference {numeric}"
                compared += 1
    return compared, skipped


# ---------------------------------------------------------------------------------------------
# The published examples: where they were found, how they name their weights, what they print


def rounds_to(value, printed):
    """Whether the double's exact value, rounded half away from zero to the printed decimals, is the printed text."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    exact = Decimal(value)
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded == Decimal(printed)


def decimal_logistic(z):
    return Decimal(1) / (Decimal(1) + (-z).exp())


def decimal_forward(layers, x):
    """The forward pass of a logistic network in 50-digit decimal arithmetic (for the proofs below)."""
    outputs, below = [], [Decimal(repr(v)) for v in x]
    for layer in layers:
        nets = [sum((Decimal(repr(w)) * a for w, a in zip(row, below)), Decimal(0)) + Decimal(repr(b))
                for row, b in zip(layer["weights"], layer["biases"])]
        below = [decimal_logistic(z) for z in nets]
        outputs.append((nets, below))
    return outputs


def mazur_stale_order(rounds):
    """Mazur's network trained with the hidden δ's taken through the output weights already updated.

    NOT the contract's rule (§11 and Mazur's own text use the weights before the update). It exists
    only to show where the post's "error after the first round" and "after 10,000 rounds" come
    from: this order reproduces them to every printed digit, the contract's order does not.
    Returns the total error after each round and the final outputs.
    """
    import network_cases
    layers = copy.deepcopy(network_cases.MAZUR_LAYERS)
    network = Network(network_cases.mazur())
    sample = network.samples[0]
    errors = []
    for _ in range(rounds):
        passes = forward(network, layers, sample["x"])
        hidden, out = passes[0], passes[1]
        output_delta = [(y - t) * s for y, t, s in zip(out["output"], sample["t"], out["slope"])]
        for i, d in enumerate(output_delta):
            for j, a in enumerate(hidden["output"]):
                layers[1]["weights"][i][j] -= 0.5 * d * a
        for j, slope in enumerate(hidden["slope"]):
            back = 0.0
            for i, d in enumerate(output_delta):
                back += layers[1]["weights"][i][j] * d  # the updated weight: the departure from §11
            for k, x in enumerate(sample["x"]):
                layers[0]["weights"][j][k] -= 0.5 * back * slope * x
        errors.append(batch_loss(network, layers, [sample]))
    return errors, forward(network, layers, sample["x"])[-1]["output"]


MAZUR_SOURCE = {
    "title": "Matt Mazur, \"A Step by Step Backpropagation Example\", 17 March 2015",
    "url": "https://mattmazur.com/2015/03/17/a-step-by-step-backpropagation-example/",
    "found": [
        "The post itself is not in the search corpora; its text was read in full in two verbatim "
        "transcriptions: github.com/vortune/actual-number-backpropagation, "
        "A_Step_by_Step_Backpropagation_Example_bilingual.md (English original with a Chinese translation, "
        "2017) and A_Step_by_Step_Backpropagation_Example.md; the URL above is the one these and other "
        "copies cite.",
        "The author's own code, github.com/mattm/simple-neural-network, neural-network.py: "
        "NeuralNetwork(2, 2, 2, hidden_layer_weights=[0.15, 0.2, 0.25, 0.3], hidden_layer_bias=0.35, "
        "output_layer_weights=[0.4, 0.45, 0.5, 0.55], output_layer_bias=0.6), learning rate 0.5, weights "
        "listed neuron by neuron (for h: for i), one bias per layer that train() never changes.",
    ],
    "transcription_variants": [
        "The English-only transcription prints the w5 product as \"0.036350306 * 0.241300709 * 0.05 = "
        "0.000433568\" (the w1 line pasted in, with a digit changed); the bilingual one has the post's "
        "\"0.74136507 * 0.186815602 * 0.593269992 = 0.082167041\", which is what the w5+ line uses.",
        "Most copies give the error after 10,000 rounds as 0.000035085, two as 0.0000351085; only "
        "0.000035085 matches any computation (see after_10000_rounds).",
        "The post writes the o1 exponent once as e^-1.1059059067 (a stray digit) beside net_o1 = "
        "1.105905967, and ∂E_o2/∂out_h1 once as -0.01904919 (a dropped digit) beside -0.019049119.",
    ],
}

MAZUR_MAPPING = {
    "w1": "layers[0].weights[0][0] (i1 → h1)", "w2": "layers[0].weights[0][1] (i2 → h1)",
    "w3": "layers[0].weights[1][0] (i1 → h2)", "w4": "layers[0].weights[1][1] (i2 → h2)",
    "w5": "layers[1].weights[0][0] (h1 → o1)", "w6": "layers[1].weights[0][1] (h2 → o1)",
    "w7": "layers[1].weights[1][0] (h1 → o2)", "w8": "layers[1].weights[1][1] (h2 → o2)",
    "b1": "layers[0].biases[0] and layers[0].biases[1] (one bias shared by h1 and h2)",
    "b2": "layers[1].biases[0] and layers[1].biases[1] (one bias shared by o1 and o2)",
    "why": "The post writes net_h1 = w1·i1 + w2·i2 + b1 and net_o1 = w5·out_h1 + w6·out_h2 + b2, so w1, w2 "
           "are row h1 and w5, w6 row o1; w3, w4 and w7, w8 are the second rows by its figure and by the "
           "author's code (weights listed for each neuron, then for each input). The numbers confirm it: "
           "out_h2 = σ(0.25·0.05 + 0.30·0.10 + 0.35) = σ(0.3925) = 0.596884378, while the column-major "
           "reading would give net_h1 = 0.15·0.05 + 0.25·0.10 + 0.35 = 0.3825, not the printed 0.3775; "
           "and w7+ = 0.511301270 needs ∂E/∂w7 = δ_o2·out_h1 (w7 is h1 → o2).",
}

HAN_KAMBER_SOURCE = {
    "title": "J. Han, M. Kamber (and J. Pei), Data Mining: Concepts and Techniques, the backpropagation "
             "example (Example 6.9, 2nd ed., 2006; Example 9.1, 3rd ed., 2011), figure and Tables of initial "
             "values, net input and output, error at each node, weight and bias updating",
    "found": [
        "The book itself is not in the search corpora. Its example, with the same numbers and layout, is "
        "reproduced by \"Appendix B: An Example of Back-propagation algorithm, November 2011\" "
        "(https://slideplayer.com./amp/7523369, Tables 1–4, biases written w04, w05, w06 for θ4, θ5, θ6) "
        "and set up by the slides \"Data Mining Tools & Techniques, Lecture 15.1 Backpropagation of Error\" "
        "(https://www.scribd.com/document/671182582/Lecture-15: training tuple X = (1, 0, 1), class label 1, "
        "learning rate 0.9, sigmoid, Err_j = O_j(1 − O_j)(T_j − O_j)). The printed digits below are those "
        "copies'; they could not be checked against a page of the book.",
    ],
    "transcription_variants": [
        "The appendix prints O5 as 1/(1+e^0.1) = 0.525; 1/(1+e^0.1) is 0.475, the value 0.525 is "
        "1/(1+e^-0.1) = σ(0.1). The sign in the exponent is a typo; the value is right.",
    ],
}

HAN_KAMBER_MAPPING = {
    "w14": "layers[0].weights[0][0]", "w24": "layers[0].weights[0][1]", "w34": "layers[0].weights[0][2]",
    "w15": "layers[0].weights[1][0]", "w25": "layers[0].weights[1][1]", "w35": "layers[0].weights[1][2]",
    "w46": "layers[1].weights[0][0]", "w56": "layers[1].weights[0][1]",
    "θ4": "layers[0].biases[0]", "θ5": "layers[0].biases[1]", "θ6": "layers[1].biases[0]",
    "Err_j": "the step's delta[0][layer][unit] under \"conventions\": {\"sign\": \"delta\"} (δ = (T − O) f′, "
             "updates add: w_ij += l·Err_j·O_i, θ_j += l·Err_j); the step's dw is Err_j·O_i",
    "why": "w_ij is the weight from unit i to unit j: rows are the receiving units 4, 5 (then 6), columns "
           "the sending units 1, 2, 3 (then 4, 5).",
}


def mazur_example():
    import network_cases
    problem = network_cases.mazur()
    solution = solve(problem)
    step = solution["steps"][0]
    (hidden, out), = step["forward"]
    (d_hidden, d_out), = step["delta"]
    t = problem["samples"][0]["t"]
    w = problem["network"]["layers"][1]["weights"]
    g = [layer["gradient"] for layer in step["layers"]]
    after = [layer["weights_after"] for layer in step["layers"]]
    dEo1_douth1 = d_out[0] * w[0][0]
    dEo2_douth1 = d_out[1] * w[1][0]
    ten_thousand = solve(network_cases.mazur(epochs=10000))
    final_layers = [{"weights": l["weights"], "biases": l["biases"]} for l in ten_thousand["final_network"]["layers"]]
    final_outputs = forward(Network(problem), final_layers, problem["samples"][0]["x"])[-1]["output"]
    stale_errors, stale_outputs = mazur_stale_order(10000)

    # Each printed number: (symbol, source's expression, printed text or None, our value, pointer, note).
    rows = [
        ("net_h1", "w1·i1 + w2·i2 + b1·1", "0.3775", hidden["net"][0], "/steps/0/forward/0/0/net/0", None),
        ("out_h1", "1/(1+e^-net_h1)", "0.593269992", hidden["output"][0], "/steps/0/forward/0/0/output/0", None),
        ("net_h2", "w3·i1 + w4·i2 + b1·1", None, hidden["net"][1], "/steps/0/forward/0/0/net/1",
         "not printed (\"carrying out the same process for h2\"); 0.3925 exactly, but summed in order "
         "((0 + 0.25·0.05) + 0.30·0.10) + 0.35 in doubles it is 0.39249999999999996, one ulp below the double "
         "nearest 0.3925"),
        ("out_h2", "1/(1+e^-net_h2)", "0.596884378", hidden["output"][1], "/steps/0/forward/0/0/output/1", None),
        ("net_o1", "w5·out_h1 + w6·out_h2 + b2·1", "1.105905967", out["net"][0], "/steps/0/forward/0/1/net/0", None),
        ("out_o1", "1/(1+e^-net_o1)", "0.75136507", out["output"][0], "/steps/0/forward/0/1/output/0",
         "printed to 8 decimals where the others have 9 (0.751365070)"),
        ("net_o2", "w7·out_h1 + w8·out_h2 + b2·1", None, out["net"][1], "/steps/0/forward/0/1/net/1", "not printed"),
        ("out_o2", "1/(1+e^-net_o2)", "0.772928465", out["output"][1], "/steps/0/forward/0/1/output/1", None),
        ("E_o1", "½(target_o1 − out_o1)²", "0.274811083", 0.5 * (t[0] - out["output"][0]) ** 2, None, None),
        ("E_o2", "½(target_o2 − out_o2)²", "0.023560026", 0.5 * (t[1] - out["output"][1]) ** 2, None, None),
        ("E_total", "E_o1 + E_o2", "0.298371109", step["loss_before"], "/steps/0/loss_before", None),
        ("∂E_total/∂out_o1", "−(target_o1 − out_o1)", "0.74136507", out["output"][0] - t[0], None, None),
        ("∂out_o1/∂net_o1", "out_o1(1 − out_o1)", "0.186815602", out["output"][0] * (1 - out["output"][0]), None, None),
        ("∂net_o1/∂w5", "out_h1", "0.593269992", hidden["output"][0], "/steps/0/forward/0/0/output/0", None),
        ("∂E_total/∂w5", "0.74136507 · 0.186815602 · 0.593269992", "0.082167041", g[1][0][0],
         "/steps/0/layers/1/gradient/0/0", None),
        ("w5+", "w5 − η ∂E_total/∂w5", "0.35891648", after[1][0][0], "/steps/0/layers/1/weights_after/0/0",
         "8 decimals (0.358916480)"),
        ("w6+", "", "0.408666186", after[1][0][1], "/steps/0/layers/1/weights_after/0/1", None),
        ("w7+", "", "0.511301270", after[1][1][0], "/steps/0/layers/1/weights_after/1/0", None),
        ("w8+", "", "0.561370121", after[1][1][1], "/steps/0/layers/1/weights_after/1/1", None),
        ("∂E_o1/∂net_o1", "∂E_o1/∂out_o1 · ∂out_o1/∂net_o1 = δ_o1", "0.138498562", d_out[0],
         "/steps/0/delta/0/1/0", None),
        ("∂net_o1/∂out_h1", "w5", "0.40", w[0][0], "/problem/network/layers/1/weights/0/0", None),
        ("∂E_o1/∂out_h1", "δ_o1 · w5", "0.055399425", dEo1_douth1, None, None),
        ("∂E_o2/∂out_h1", "δ_o2 · w7", "-0.019049119", dEo2_douth1, None,
         "printed digit wrong: δ_o2·w7 = −0.0190491182583, which rounds to −0.019049118. Neither a double "
         "rounding error (about 1e-18 here) nor the post's rounded intermediates (−(0.99 − 0.772928465) · "
         "0.772928465(1 − 0.772928465) · 0.5 = −0.0190491183) reach the boundary −0.0190491185, 2.4e-10 away; "
         "50-digit decimal arithmetic gives the same (see proofs). The post also writes it once as "
         "−0.01904919. Its sum 0.036350306 is nevertheless right."),
        ("∂E_total/∂out_h1", "∂E_o1/∂out_h1 + ∂E_o2/∂out_h1", "0.036350306", dEo1_douth1 + dEo2_douth1, None, None),
        ("∂out_h1/∂net_h1", "out_h1(1 − out_h1)", "0.241300709", hidden["output"][0] * (1 - hidden["output"][0]),
         None, "the post substitutes out_h1 rounded to 0.59326999; the result rounds the same"),
        ("∂net_h1/∂w1", "i1", "0.05", problem["samples"][0]["x"][0], None, None),
        ("∂E_total/∂w1", "0.036350306 · 0.241300709 · 0.05", "0.000438568", g[0][0][0],
         "/steps/0/layers/0/gradient/0/0", None),
        ("w1+", "w1 − η ∂E_total/∂w1", "0.149780716", after[0][0][0], "/steps/0/layers/0/weights_after/0/0", None),
        ("w2+", "", "0.19956143", after[0][0][1], "/steps/0/layers/0/weights_after/0/1", "8 decimals"),
        ("w3+", "", "0.24975114", after[0][1][0], "/steps/0/layers/0/weights_after/1/0", "8 decimals"),
        ("w4+", "", "0.29950229", after[0][1][1], "/steps/0/layers/0/weights_after/1/1", "8 decimals"),
        ("E_total after the first round", "", "0.291027924", solution["loss"]["final"], "/loss/final",
         "not our value: after the printed update (w1+…w8+, biases kept) the error is 0.2910277737, which "
         "rounds to 0.291027774. The printed 0.291027924 is, to every digit, the error after an update whose "
         "hidden δ's were taken through the already-updated w5…w8 (0.2910279239): the order the post itself "
         "says not to use, and which would also have printed w1+ = 0.149817639, not 0.149780716. The post's "
         "w1+…w4+ follow §11; its error figures came from code run in the other order."),
    ]
    printed = []
    for symbol, expression, text, value, pointer, note in rows:
        entry = {"symbol": symbol, "expression": expression, "printed": text, "computed": value,
                 "rounds_to_printed": None if text is None else rounds_to(value, text), "pointer": pointer}
        if note:
            entry["note"] = note
        printed.append(entry)

    # 50-digit decimal arithmetic for the digits that disagree.
    (hidden_d, out_d), = [decimal_forward(problem["network"]["layers"], problem["samples"][0]["x"])]
    t_d = [Decimal(repr(v)) for v in t]
    delta_o2 = (out_d[1][1] - t_d[1]) * out_d[1][1] * (1 - out_d[1][1])
    proofs = {
        "∂E_o2/∂out_h1 in 50 digits": str(delta_o2 * Decimal("0.5")),
        "E_total in 50 digits": str(sum(Decimal("0.5") * (tt - y) ** 2 for tt, y in zip(t_d, out_d[1]))),
    }
    return {
        "source": MAZUR_SOURCE,
        "mapping": MAZUR_MAPPING,
        "problem": problem,
        "printed": printed,
        "after_10000_rounds": {
            "printed": {"E_total": "0.000035085", "out_o1": "0.015912196", "out_o2": "0.984065734",
                        "E_total, in two copies": "0.0000351085"},
            "problem": network_cases.mazur(epochs=10000),
            "computed": {"E_total": ten_thousand["loss"]["final"], "out_o1": final_outputs[0],
                         "out_o2": final_outputs[1]},
            "rounds_to_printed": {"E_total": rounds_to(ten_thousand["loss"]["final"], "0.000035085"),
                                  "out_o1": rounds_to(final_outputs[0], "0.015912196"),
                                  "out_o2": rounds_to(final_outputs[1], "0.984065734")},
            "with_hidden_deltas_through_updated_output_weights": {
                "E_total after round 1": stale_errors[0], "E_total after round 10000": stale_errors[-1],
                "out_o1": stale_outputs[0], "out_o2": stale_outputs[1]},
            "note": "Our 10,000 updates by §11 (epochs 10000 on the one sample) end at E_total 0.0000351019, "
                    "outputs 0.015913620 and 0.984064274. The post's figures are reproduced to every digit by "
                    "the other order (hidden δ's through the updated output weights): E 0.000035085, outputs "
                    "0.015912196 and 0.984065734. 0.0000351085 matches neither and is a copying error.",
        },
        "proofs": proofs,
        "computed": solution,
    }


def han_kamber_example():
    import network_cases
    problem = network_cases.han_kamber()
    solution = solve(problem)
    step = solution["steps"][0]
    (hidden, out), = step["forward"]
    (err_hidden, err_out), = step["delta"]
    after = [layer["weights_after"] for layer in step["layers"]]
    bias_after = [layer["biases_after"] for layer in step["layers"]]
    rows = [
        ("I4", "w14·x1 + w24·x2 + w34·x3 + θ4", "-0.7", hidden["net"][0], "/steps/0/forward/0/0/net/0", None),
        ("O4", "1/(1+e^-I4)", "0.332", hidden["output"][0], "/steps/0/forward/0/0/output/0", None),
        ("I5", "w15·x1 + w25·x2 + w35·x3 + θ5", "0.1", hidden["net"][1], "/steps/0/forward/0/0/net/1", None),
        ("O5", "1/(1+e^-I5)", "0.525", hidden["output"][1], "/steps/0/forward/0/0/output/1",
         "the copy prints 1/(1+e^0.1); the value 0.525 is σ(0.1)"),
        ("I6", "w46·O4 + w56·O5 + θ6", "-0.105", out["net"][0], "/steps/0/forward/0/1/net/0",
         "the book substitutes the rounded O4 0.332, O5 0.525 (−0.1046); ours is −0.10454, both round to −0.105"),
        ("O6", "1/(1+e^-I6)", "0.474", out["output"][0], "/steps/0/forward/0/1/output/0", None),
        ("Err6", "O6(1 − O6)(T − O6)", "0.1311", err_out[0], "/steps/0/delta/0/1/0",
         "printed digit from a rounded intermediate: the book uses O6 = 0.474, and 0.474 · 0.526 · 0.526 = "
         "0.131144 → 0.1311; with O6 = 0.4738889 it is 0.1311691 → 0.1312 (50-digit decimal arithmetic "
         "agrees, see proofs). The new weights printed below are rounded to 3 decimals and come out the same "
         "either way."),
        ("Err5", "O5(1 − O5) Err6 w56", "-0.0065", err_hidden[1], "/steps/0/delta/0/0/1",
         "the book multiplies the rounded Err6 0.1311 and O5 0.525; the result rounds the same"),
        ("Err4", "O4(1 − O4) Err6 w46", "-0.0087", err_hidden[0], "/steps/0/delta/0/0/0", "likewise"),
        ("w46", "w46 + l·Err6·O4", "-0.261", after[1][0][0], "/steps/0/layers/1/weights_after/0/0", None),
        ("w56", "w56 + l·Err6·O5", "-0.138", after[1][0][1], "/steps/0/layers/1/weights_after/0/1", None),
        ("w14", "w14 + l·Err4·x1", "0.192", after[0][0][0], "/steps/0/layers/0/weights_after/0/0", None),
        ("w15", "w15 + l·Err5·x1", "-0.306", after[0][1][0], "/steps/0/layers/0/weights_after/1/0", None),
        ("w24", "w24 + l·Err4·x2", "0.4", after[0][0][1], "/steps/0/layers/0/weights_after/0/1", "x2 = 0: unchanged"),
        ("w25", "w25 + l·Err5·x2", "0.1", after[0][1][1], "/steps/0/layers/0/weights_after/1/1", "x2 = 0: unchanged"),
        ("w34", "w34 + l·Err4·x3", "-0.508", after[0][0][2], "/steps/0/layers/0/weights_after/0/2", None),
        ("w35", "w35 + l·Err5·x3", "0.194", after[0][1][2], "/steps/0/layers/0/weights_after/1/2", None),
        ("θ6", "θ6 + l·Err6", "0.218", bias_after[1][0], "/steps/0/layers/1/biases_after/0", None),
        ("θ5", "θ5 + l·Err5", "0.194", bias_after[0][1], "/steps/0/layers/0/biases_after/1", None),
        ("θ4", "θ4 + l·Err4", "-0.408", bias_after[0][0], "/steps/0/layers/0/biases_after/0", None),
    ]
    printed = []
    for symbol, expression, text, value, pointer, note in rows:
        entry = {"symbol": symbol, "expression": expression, "printed": text, "computed": value,
                 "rounds_to_printed": rounds_to(value, text), "pointer": pointer}
        if note:
            entry["note"] = note
        printed.append(entry)
    (_, (_, (o6,))) = decimal_forward(problem["network"]["layers"], problem["samples"][0]["x"])
    book_chain = {"Err6 from O6 = 0.474": 0.474 * (1 - 0.474) * (1 - 0.474)}
    return {
        "source": HAN_KAMBER_SOURCE,
        "mapping": HAN_KAMBER_MAPPING,
        "problem": problem,
        "printed": printed,
        "book_rounded_chain": book_chain,
        "proofs": {"O6 in 50 digits": str(o6), "Err6 in 50 digits": str(o6 * (1 - o6) * (1 - o6))},
        "computed": solution,
    }


def build_examples():
    return {"mazur_2015": mazur_example(), "han_kamber": han_kamber_example()}


# ---------------------------------------------------------------------------------------------
# Self-check


# The printed digits our full-precision values do not round to, each explained in its example's notes.
KNOWN_DISAGREEMENTS = {
    "mazur_2015": {"∂E_o2/∂out_h1", "E_total after the first round"},
    "han_kamber": {"Err6"},
}


def same(a, b):
    return json.dumps(a) == json.dumps(b)


def negated(value):
    if isinstance(value, list):
        return [negated(v) for v in value]
    return None if value is None else -value


def selfcheck(fixture, examples):
    import network_cases
    reference.selfcheck()  # the neuron reference this one builds on still holds

    by_name = {case["name"]: case for case in fixture}

    # 1. Every gradient of every step against a central finite difference of its loss.
    compared = skipped = 0
    for case in fixture:
        c, s = finite_difference_check(case["problem"], case["expected"], case["name"])
        compared, skipped = compared + c, skipped + s
    assert compared > 500 and skipped < compared / 10, (compared, skipped)

    # 2. A network of one unit is reference.py's neuron, bit for bit (the bias last in the flat vector).
    for algorithm, hyperparameters in [("momentum", {"learning_rate": 0.2, "beta": 0.8}),
                                       ("adam", {"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8}),
                                       ("adadelta", {}), ("nesterov", {"learning_rate": 0.2, "beta": 0.8})]:
        net = solve(network_cases.one_unit_network(algorithm, hyperparameters, epochs=2))
        neuron = reference.solve(network_cases.one_unit_neuron(algorithm, hyperparameters, epochs=2))
        for a, b in zip(net["steps"], neuron["steps"], strict=True):
            layer, = a["layers"]
            assert layer["gradient"] == [b["gradient"]] and layer["bias_gradient"] == [b["bias_gradient"]], algorithm
            assert layer["weights_after"] == [b["weights_after"]], algorithm
            assert layer["biases_after"] == [b["bias_after"]], algorithm
            for key, values in b["state"].items():
                assert layer["state"][key] == [values[:2]] and layer["bias_state"][key] == values[2:], algorithm

    # 3. The sign convention flips dw, bias_dw, δ and momentum's v; never the gradient or the weights.
    g, d = by_name["momentum_sign_gradient"]["expected"], by_name["momentum_sign_delta"]["expected"]
    for a, b in zip(g["steps"], d["steps"], strict=True):
        assert same(a["delta"], negated(b["delta"]))
        for la, lb in zip(a["layers"], b["layers"], strict=True):
            for key in ("weights_after", "biases_after", "gradient", "bias_gradient", "gradient_norm"):
                assert same(la[key], lb[key]), key
            assert same(la["dw"], negated(lb["dw"])) and same(la["bias_dw"], negated(lb["bias_dw"]))
            assert same(la["state"]["velocity"], negated(lb["state"]["velocity"]))
    adam_gradient = solve({**by_name["adam_sign_delta"]["problem"], "conventions": {"sign": "gradient"}})
    for a, b in zip(adam_gradient["steps"], by_name["adam_sign_delta"]["expected"]["steps"], strict=True):
        for la, lb in zip(a["layers"], b["layers"], strict=True):
            assert same(la["weights_after"], lb["weights_after"]) and same(la["biases_after"], lb["biases_after"])
            assert same(la["state"]["first_moment"], negated(lb["state"]["first_moment"]))
            assert same(la["state"]["second_moment"], lb["state"]["second_moment"])

    # 4. update_biases false: biases unchanged, no bias state, gradients still there.
    for name in ("mazur_2015", "mazur_2015_3_epochs", "adam_update_biases_false"):
        for step in by_name[name]["expected"]["steps"]:
            for layer in step["layers"]:
                assert layer["biases_after"] == layer["biases_before"] and layer["bias_state"] == {}
                assert any(v != 0.0 for v in layer["bias_gradient"])
    initial = [l["biases"] for l in by_name["adam_update_biases_false"]["problem"]["network"]["layers"]]
    assert [l["biases"] for l in by_name["adam_update_biases_false"]["expected"]["final_network"]["layers"]] == initial

    # 5. relu′ = 0 at z ≤ 0: the unit at the kink has δ = 0 and no gradient from that sample.
    relu = by_name["relu_hidden_at_kink"]["expected"]
    for step in relu["steps"]:
        (hidden, _), = step["forward"]
        (delta_hidden, _), = step["delta"]
        assert hidden["net"][0] <= 0.0 and delta_hidden[0] == 0.0 and hidden["output"][0] == 0.0
        assert step["layers"][0]["gradient"][0] == [0.0, 0.0] and step["layers"][0]["bias_gradient"][0] == 0.0
    assert relu["steps"][0]["forward"][0][0]["net"][0] == 0.0  # exactly at the kink, not just below it

    # 6. Reductions: from the same start, the sum's gradient is 3 times the mean's.
    mean, total = by_name["gd_full_batch_mean"]["expected"], by_name["gd_full_batch_sum"]["expected"]
    for lm, ls in zip(mean["steps"][0]["layers"], total["steps"][0]["layers"], strict=True):
        for rm, rs in zip(lm["gradient"], ls["gradient"]):
            for vm, vs in zip(rm, rs):
                assert abs(3 * vm - vs) <= 1e-15 * max(1.0, abs(vs))

    # 7. The published examples: every printed digit is our value rounded, except the ones explained.
    for name, example in examples.items():
        wrong = {row["symbol"] for row in example["printed"] if row["rounds_to_printed"] is False}
        assert wrong == KNOWN_DISAGREEMENTS[name], (name, wrong)
    mazur = examples["mazur_2015"]["after_10000_rounds"]
    assert not any(mazur["rounds_to_printed"].values())
    stale = mazur["with_hidden_deltas_through_updated_output_weights"]
    assert rounds_to(stale["E_total after round 1"], "0.291027924")
    assert rounds_to(stale["E_total after round 10000"], "0.000035085")
    assert rounds_to(stale["out_o1"], "0.015912196") and rounds_to(stale["out_o2"], "0.984065734")
    assert not rounds_to(mazur["computed"]["E_total"], "0.0000351085")
    proof = Decimal(examples["mazur_2015"]["proofs"]["∂E_o2/∂out_h1 in 50 digits"])
    assert proof.quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP) == Decimal("-0.019049118")
    hk = examples["han_kamber"]
    assert Decimal(hk["proofs"]["Err6 in 50 digits"]).quantize(Decimal("1e-4")) == Decimal("0.1312")
    assert rounds_to(hk["book_rounded_chain"]["Err6 from O6 = 0.474"], "0.1311")


# ---------------------------------------------------------------------------------------------
# Output


def build_fixture():
    import network_cases
    fixture = []
    for case in network_cases.all_cases():
        fixture.append({"name": case["name"], "why": case["why"], "problem": case["problem"],
                        "expected": solve(case["problem"])})
    names = [case["name"] for case in fixture]
    assert len(names) == len(set(names)), "case names must be unique"
    return fixture


def write(path, value):
    # allow_nan=False in reference.to_json: a NaN or an infinity anywhere fails here.
    text = reference.to_json(value) + "\n"
    if path:
        with open(path, "w", encoding="utf-8") as file:
            file.write(text)
    else:
        sys.stdout.write(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", help="write the case fixture here instead of stdout")
    parser.add_argument("--examples", help="also write the two published examples here")
    arguments = parser.parse_args()
    if not __debug__:
        sys.exit("selfcheck() is written with assert: run without -O")
    fixture = build_fixture()
    examples = build_examples()
    selfcheck(fixture, examples)
    write(arguments.output, fixture)
    if arguments.examples:
        write(arguments.examples, examples)


if __name__ == "__main__":
    main()

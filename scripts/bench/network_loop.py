"""The numpy loop scripts/bench.sh measures gradtrace's networks against.

A student's script: online gradient descent on a feed-forward network of logistic layers with
squared error summed over the outputs, backpropagation with the weights before the update,
biases kept fixed (the classic 2-2-2 example, GET /v1/examples). Two loops:

- `values`: the update and the loss over all samples after it (gradtrace's `summary`);
- `json`: the same, also keeping every step's per-layer values (weights before and after,
  gradients, nets, outputs, deltas, gradient norms) and writing them as one JSON document
  (gradtrace's `detail=values`).

Usage: network_loop.py PROBLEM.json LOOP UPDATES  → one JSON object: per-update seconds (best
of 3 runs) and the final weights, layer by layer.
"""

import json

import numpy as np

from numpy_loop import measure


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def forward(weights, biases, x):
    nets, outs = [], [x]
    for w, b in zip(weights, biases):
        z = w @ outs[-1] + b
        nets.append(z)
        outs.append(sigmoid(z))
    return nets, outs


def run(problem, loop, updates, sink):
    layers = problem["network"]["layers"]
    weights = [np.array(l["weights"], dtype=float) for l in layers]
    biases = [np.array(l.get("biases", [0.0] * len(l["weights"])), dtype=float) for l in layers]
    X = [np.array(s["x"], dtype=float) for s in problem["samples"]]
    T = [np.array(s["t"], dtype=float) for s in problem["samples"]]
    lr = problem["hyperparameters"]["learning_rate"]
    m = len(X)
    losses, steps = [], []
    for t in range(1, updates + 1):
        i = (t - 1) % m
        nets, outs = forward(weights, biases, X[i])
        y = outs[-1]
        deltas = [None] * len(weights)
        deltas[-1] = (y - T[i]) * y * (1.0 - y)
        for l in range(len(weights) - 2, -1, -1):
            a = outs[l + 1]
            deltas[l] = (weights[l + 1].T @ deltas[l + 1]) * a * (1.0 - a)
        grads = [np.outer(d, a) for d, a in zip(deltas, outs[:-1])]
        before = weights
        weights = [w - lr * g for w, g in zip(weights, grads)]
        loss = 0.0
        for x, target in zip(X, T):
            out = forward(weights, biases, x)[1][-1]
            loss += float(np.sum(0.5 * (target - out) ** 2))
        losses.append(loss / m)
        if loop == "json":
            steps.append({"index": t, "samples": [i], "layers": [
                {"weights_before": wb.tolist(), "weights_after": wa.tolist(),
                 "gradient": g.tolist(), "bias_gradient": d.tolist(),
                 "gradient_norm": float(np.sqrt(np.sum(g * g) + np.sum(d * d))),
                 "forward": [{"net": z.tolist(), "output": a.tolist()}],
                 "delta": [d.tolist()]}
                for wb, wa, g, d, z, a in zip(before, weights, grads, deltas, nets, outs[1:])]})
    if loop == "json":
        json.dump({"steps": steps, "loss": losses}, sink)
    return weights


def main():
    measure(run, lambda weights: [w.tolist() for w in weights])


if __name__ == "__main__":
    main()

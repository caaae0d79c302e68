"""The numpy loops scripts/bench.sh measures gradtrace against.

A student's script: online Adam (bias-corrected, ε inside the root, as gradtrace's defaults) on a
logistic neuron with squared error, one update per sample. Two loops:

- `values`: the update and the loss over all samples after it (what gradtrace's `summary`
  returns: final weights, loss per update);
- `json`: the same, also keeping every step's values (net input, output, loss, gradient,
  moments, weights) and writing them as one JSON document (what `detail=values` returns).

Usage: numpy_loop.py PROBLEM.json LOOP UPDATES  → prints one JSON object: per-update seconds
(best of 3 runs) and the final weights, which bench.sh compares with gradtrace's.
"""

import json
import sys
import time

import numpy as np


def run(problem, loop, updates, sink):
    X = np.array([s["x"] for s in problem["samples"]], dtype=float)
    T = np.array([s["t"] for s in problem["samples"]], dtype=float)
    h = problem["hyperparameters"]
    lr, b1, b2 = h["learning_rate"], h.get("beta1", 0.9), h.get("beta2", 0.999)
    eps = h.get("epsilon", 1e-8)
    w = np.array(problem["weights"], dtype=float)
    v = np.zeros_like(w)
    s = np.zeros_like(w)
    b1p = b2p = 1.0
    losses = []
    steps = []
    m = len(T)
    for t in range(1, updates + 1):
        i = (t - 1) % m
        x, target = X[i], T[i]
        net = w @ x
        y = 1.0 / (1.0 + np.exp(-net))
        loss = 0.5 * (target - y) ** 2
        g = -(target - y) * y * (1.0 - y) * x
        v = b1 * v + (1.0 - b1) * g
        s = b2 * s + (1.0 - b2) * g * g
        b1p *= b1
        b2p *= b2
        v_hat = v / (1.0 - b1p)
        s_hat = s / (1.0 - b2p)
        before = w
        w = w - lr * v_hat / np.sqrt(s_hat + eps)
        losses.append(float(np.mean(0.5 * (T - 1.0 / (1.0 + np.exp(-(X @ w)))) ** 2)))
        if loop == "json":
            steps.append({
                "index": t, "samples": [i], "learning_rate": lr,
                "weights_before": before.tolist(),
                "forward": [{"sample": i, "net": float(net), "output": float(y),
                             "loss": float(loss), "gradient": g.tolist()}],
                "gradient": g.tolist(), "dw": g.tolist(),
                "state": {"first_moment": v.tolist(), "second_moment": s.tolist(),
                          "first_moment_corrected": v_hat.tolist(),
                          "second_moment_corrected": s_hat.tolist()},
                "weights_after": w.tolist(),
            })
    if loop == "json":
        json.dump({"steps": steps, "final_weights": w.tolist(), "loss": losses}, sink)
    return w


def measure(run, final_weights):
    """The command line both loops share: `PROBLEM.json LOOP UPDATES` → per-update seconds
    (best of 3 runs of `run`) and `final_weights` of the last run's result, as JSON."""
    path, loop, updates = sys.argv[1], sys.argv[2], int(sys.argv[3])
    with open(path) as f:
        problem = json.load(f)
    best = float("inf")
    with open("/dev/null", "w") as sink:
        for _ in range(3):
            start = time.perf_counter()
            result = run(problem, loop, updates, sink)
            best = min(best, time.perf_counter() - start)
    print(json.dumps({"seconds_per_update": best / updates,
                      "final_weights": final_weights(result)}))


def main():
    measure(run, lambda w: w.tolist())


if __name__ == "__main__":
    main()

"""A grade request at the old default trace cap, for scripts/bench.sh: 3,333 Adam updates of the
course's 2-weight neuron (9,999 trace entries, the largest solve the defaults allowed before the
detail limits), with carry_forward "best" and answers spread over the run, a third of them wrong
(a student who slipped: each wrong answer is carried forward and diagnosed)."""

import json

updates = 3333
answers = []
for step in range(1, updates + 1, 333):
    answers.append({"step": step, "symbol": f"(v_1)_{{{step}}}" if step > 9 else f"(v_1)_{step}",
                    "value": 0.001 * step if step % 3 == 0 else 0.0})
    answers.append({"pointer": f"/steps/{step - 1}/weights_after/0", "value": 0.5})
print(json.dumps({
    "problem": {
        "samples": [{"x": [1, 0.6], "t": 0.8}],
        "weights": [0.5, 0.5],
        "algorithm": "adam",
        "hyperparameters": {"learning_rate": 0.01},
        "epochs": updates,
    },
    "answers": answers,
    "carry_forward": "best",
}))

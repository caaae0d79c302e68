"""The problems pinned in tests/fixtures/reference.json, as docs/contract.md §2 request bodies.

Most use the course's training set (docs/contract.md §10): samples (1, 0.6, 0.8), (0.5, 0.5, 0.6),
(0.2, 0.8, 0.3), initial weights (0.5, 0.5), a logistic neuron with squared error.
"""

COURSE_SAMPLES = [
    {"x": [1.0, 0.6], "t": 0.8},
    {"x": [0.5, 0.5], "t": 0.6},
    {"x": [0.2, 0.8], "t": 0.3},
]
COURSE_WEIGHTS = [0.5, 0.5]

# Hyperparameters like the course's (α 0.2, β 0.8, β₁ 0.8, β₂ 0.8) for every algorithm.
COURSE_HYPERPARAMETERS = {
    "gd": {"learning_rate": 0.2},
    "momentum": {"learning_rate": 0.2, "beta": 0.8},
    "nesterov": {"learning_rate": 0.2, "beta": 0.8},
    "adagrad": {"learning_rate": 0.2},
    "adadelta": {},
    "rmsprop": {"learning_rate": 0.2, "beta": 0.8},
    "adam": {"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8},
    "adamw": {"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8, "weight_decay": 0.1},
    "amsgrad": {"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8},
}


def problem(algorithm, hyperparameters=None, samples=COURSE_SAMPLES, weights=COURSE_WEIGHTS, **fields):
    """A request body on the course's data unless told otherwise; fields are added as given."""
    if hyperparameters is None:
        hyperparameters = COURSE_HYPERPARAMETERS[algorithm]
    body = {"samples": [dict(s) for s in samples], "weights": list(weights)}
    for key in ("bias", "activation", "loss"):
        if key in fields:
            body[key] = fields.pop(key)
    body["algorithm"] = algorithm
    body["hyperparameters"] = dict(hyperparameters)
    body.update(fields)
    return body


def course_momentum(bias_correction=False):
    return problem("momentum", {"learning_rate": 0.2, "beta": 0.8}, samples=COURSE_SAMPLES[:2],
                   bias_correction=bias_correction, conventions={"sign": "delta"})


def course_adagrad():
    return problem("adagrad", {"learning_rate": 0.2})


def course_rmsprop(bias_correction=False):
    return problem("rmsprop", {"learning_rate": 0.2, "beta": 0.8},
                   **({"bias_correction": True} if bias_correction else {}))


def course_adam(bias_correction=True):
    return problem("adam", {"learning_rate": 0.2, "beta1": 0.8, "beta2": 0.8},
                   **({} if bias_correction else {"bias_correction": False}))


def gd_course(**fields):
    return problem("gd", {"learning_rate": 0.2}, epochs=2, **fields)


def momentum_form(form, learning_rate, beta, bias_correction):
    return problem("momentum", {"learning_rate": learning_rate, "beta": beta, "form": form},
                   epochs=2, bias_correction=bias_correction)


def with_sign(algorithm, sign, **fields):
    return problem(algorithm, epochs=2, conventions={"sign": sign}, **fields)


def with_epsilon(algorithm, placement):
    hyperparameters = {**COURSE_HYPERPARAMETERS[algorithm], "epsilon": 1e-2}
    return problem(algorithm, hyperparameters, epochs=2, conventions={"epsilon": placement})


def scheduled(schedule):
    return problem("gd", {"learning_rate": 0.2}, samples=COURSE_SAMPLES[:2], epochs=3, schedule=schedule)


def cg_quadratic():
    """Five samples of three inputs: a full-rank, well-conditioned least-squares problem."""
    samples = [
        {"x": [1.0, 0.2, 0.4], "t": 0.9},
        {"x": [0.3, 1.0, 0.1], "t": 0.4},
        {"x": [0.2, 0.5, 1.0], "t": 0.7},
        {"x": [0.8, 0.6, 0.3], "t": 0.6},
        {"x": [0.4, 0.1, 0.7], "t": 0.5},
    ]
    return problem("conjugate_gradient", {"beta_formula": "fletcher_reeves", "line_search": "exact"},
                   samples=samples, weights=[0.5, 0.5, 0.5], activation="linear", epochs=3)


def all_cases():
    """Every fixture case: its name, one sentence on what it covers, and the request body."""
    table = [
        # The course's worked examples (docs/contract.md §10), traced in full.
        ("course_momentum", "The course's momentum example: two samples, α 0.2, β 0.8, average form, sign delta.",
         course_momentum()),
        ("course_momentum_bias_correction", "The course's momentum exercise with bias correction: v divided by 1−β^t.",
         course_momentum(bias_correction=True)),
        ("course_adagrad", "The course's Adagrad example: three samples, α 0.2, default ε 1e-8 inside the root.",
         course_adagrad()),
        ("course_rmsprop", "The course's RMSProp example: three samples, α 0.2, β 0.8, no bias correction.",
         course_rmsprop()),
        ("course_adam", "The course's Adam example: three samples, α 0.2, β1 β2 0.8, bias correction on by default.",
         course_adam()),

        # Plain gradient descent, batching and activations.
        ("gd", "Online gradient descent over two epochs; the update counter runs on across epochs.",
         gd_course()),
        ("gd_batch2_mean", "Batches of 2 over 3 samples (the last batch has 1) with the mean of the gradients.",
         gd_course(batch_size=2, reduction="mean")),
        ("gd_batch2_sum", "Batches of 2 over 3 samples (the last batch has 1) with the sum of the gradients.",
         gd_course(batch_size=2, reduction="sum")),
        ("gd_full_batch", "A batch size of at least the number of samples: one mean-gradient update per epoch.",
         gd_course(batch_size=3)),
        ("gd_tanh", "tanh activation, f′ = 1 − y².", gd_course(activation="tanh")),
        ("gd_linear", "Linear activation, f′ = 1.", gd_course(activation="linear")),
        ("gd_relu", "ReLU with a net input of exactly 0 and one negative: both have derivative 0.",
         problem("gd", {"learning_rate": 0.2}, epochs=2, activation="relu", samples=[
             {"x": [1.0, -1.0], "t": 0.3},
             {"x": [1.0, 0.6], "t": 0.5},
             {"x": [-1.0, 0.2], "t": 0.3},
         ])),
        ("gd_cross_entropy", "Cross-entropy loss on the logistic neuron: the gradient is (y − t) x.",
         gd_course(loss="cross_entropy")),

        # Momentum and Nesterov.
        ("momentum_average_form", "Average form with α 0.2, β 0.75, bias correction: pairs with the sum form.",
         momentum_form("average", 0.2, 0.75, True)),
        ("momentum_sum_form_scaled_rate", "Sum form with α(1−β) = 0.05: the same weights as the average form with α.",
         momentum_form("sum", 0.05, 0.75, True)),
        ("momentum_sign_gradient", "Sign convention gradient: dw and v are ∂E/∂w's sign, updates subtract.",
         with_sign("momentum", "gradient")),
        ("momentum_sign_delta", "Sign convention delta: dw and v flip sign, the weights are the same.",
         with_sign("momentum", "delta")),
        ("momentum_with_bias", "A bias term: an extra parameter with constant input 1, last in the state arrays.",
         problem("momentum", epochs=2, bias=0.1)),
        ("nesterov_average", "Nesterov, average form: direction β v + (1−β) g.",
         problem("nesterov", {"learning_rate": 0.2, "beta": 0.8, "form": "average"}, epochs=2)),
        ("nesterov_sum", "Nesterov, sum form as PyTorch: direction β v + g.",
         problem("nesterov", {"learning_rate": 0.2, "beta": 0.8, "form": "sum"}, epochs=2)),
        ("nesterov_average_bias_correction", "Nesterov with bias correction: only v is corrected, not the gradient term.",
         problem("nesterov", {"learning_rate": 0.2, "beta": 0.8, "form": "average"}, epochs=2,
                 bias_correction=True)),

        # Adagrad, Adadelta, RMSProp.
        ("adagrad_window_initial_accumulator", "Adagrad with window 2 and initial accumulator 0.1: old squares leave the sum.",
         problem("adagrad", {"learning_rate": 0.2, "initial_accumulator": 0.1, "window": 2}, epochs=2)),
        ("adadelta", "Adadelta with its defaults (α 1, ρ 0.95, ε 1e-6) and no bias correction.",
         problem("adadelta", {}, epochs=2)),
        ("adadelta_bias_correction", "Adadelta with bias correction: s by 1−ρ^t, u by 1−ρ^(t−1), û = 0 at t = 1.",
         problem("adadelta", {}, epochs=2, bias_correction=True)),
        ("rmsprop_bias_correction", "The course's RMSProp with bias correction: s divided by 1−β^t.",
         course_rmsprop(bias_correction=True)),
        ("rmsprop_epsilon_inside", "RMSProp with ε 1e-2 inside the root: α g / √(s + ε).",
         with_epsilon("rmsprop", "inside_sqrt")),
        ("rmsprop_epsilon_outside", "RMSProp with ε 1e-2 outside the root: α g / (√s + ε).",
         with_epsilon("rmsprop", "outside_sqrt")),

        # Adam and its variants.
        ("adam_no_bias_correction", "The course's Adam with bias correction turned off.",
         course_adam(bias_correction=False)),
        ("adam_sign_gradient", "Adam, sign gradient: the first moment carries ∂E/∂w's sign.",
         with_sign("adam", "gradient")),
        ("adam_sign_delta", "Adam, sign delta: the first moment flips sign, the weights are the same.",
         with_sign("adam", "delta")),
        ("adam_epsilon_inside", "Adam with ε 1e-2 inside the root: α v̂ / √(ŝ + ε).",
         with_epsilon("adam", "inside_sqrt")),
        ("adam_epsilon_outside", "Adam with ε 1e-2 outside the root: α v̂ / (√ŝ + ε).",
         with_epsilon("adam", "outside_sqrt")),
        ("adam_with_bias", "Adam with a bias term: the bias has its own moments, last in the state arrays.",
         problem("adam", epochs=2, bias=0.1)),
        ("adamw", "AdamW, weight decay 0.1: w − αλw first, then the Adam step with the gradient from before.",
         problem("adamw", epochs=2)),
        ("adamw_with_bias", "AdamW decays the bias too.", problem("adamw", epochs=2, bias=0.1)),
        ("amsgrad", "AMSGrad: the running maximum of the uncorrected s, then corrected by 1−β2^t.",
         problem("amsgrad", epochs=2)),

        # Learning-rate schedules (docs/contract.md §5), gradient descent with α0 0.2 over 3 epochs.
        ("schedule_time_based_first_epoch_0", "Time-based decay, decay_rate 1, epochs numbered from 0: 0.2, 0.1, 0.0667.",
         scheduled({"type": "time_based", "decay_rate": 1.0})),
        ("schedule_time_based_first_epoch_1", "Time-based decay numbered from 1, the course's table: 0.1, 0.0667, 0.05.",
         scheduled({"type": "time_based", "decay_rate": 1.0, "first_epoch": 1})),
        ("schedule_step_first_epoch_0", "Step decay, drop 0.5 every 2 epochs, numbered from 0: 0.2, 0.2, 0.1.",
         scheduled({"type": "step", "drop_rate": 0.5, "epochs_drop": 2})),
        ("schedule_step_first_epoch_1", "Step decay, drop 0.5 every 2 epochs, numbered from 1: 0.2, 0.1, 0.1.",
         scheduled({"type": "step", "drop_rate": 0.5, "epochs_drop": 2, "first_epoch": 1})),
        ("schedule_exponential_first_epoch_0", "Exponential decay, k 0.1, numbered from 0: 0.2, 0.181, 0.164.",
         scheduled({"type": "exponential", "k": 0.1})),
        ("schedule_exponential_first_epoch_1", "Exponential decay numbered from 1, the course's table: 0.181, 0.164, 0.148.",
         scheduled({"type": "exponential", "k": 0.1, "first_epoch": 1})),
        ("schedule_time_based_per_update", "Time-based decay per update: the rate follows t − 1 + first_epoch, not the epoch.",
         scheduled({"type": "time_based", "decay_rate": 0.5, "per": "update", "first_epoch": 1})),

        # Conjugate gradient on a quadratic (docs/contract.md §3.2).
        ("cg_quadratic_3_weights", "Fletcher–Reeves CG with exact search on a linear least-squares problem: "
                                   "three iterations reach the least-squares weights.",
         cg_quadratic()),
    ]
    return [{"name": name, "why": why, "problem": body} for name, why, body in table]

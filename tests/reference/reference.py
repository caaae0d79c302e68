#!/usr/bin/env python3
"""Independent reference implementation of gradtrace's arithmetic (docs/contract.md §1–§5 and §3.2).

It is written from docs/contract.md and the course notes alone, without reading the Rust sources, so that
the fixture it produces is a second opinion on the service's numbers rather than a copy of them.
Pure Python 3.11, standard library only, full double precision, no rounding (§6 is not modelled).

Regenerate the fixture from the repository root:

    python3 tests/reference/reference.py --output tests/fixtures/reference.json

Without --output the JSON is printed to stdout. selfcheck() runs first: it compares this
implementation with the values the course prints (docs/contract.md §10) and with identities the contract states,
and nothing is written when a check fails. The cases themselves are listed in cases.py.

Each fixture entry is {"name", "why", "problem", "expected"}; "problem" is a request body exactly
as in docs/contract.md §2. For the optimizers "expected" is {"steps", "final_weights", "final_bias"}; for the
conjugate-gradient quadratic (algorithm "conjugate_gradient") it is {"least_squares_weights",
"steps", "final_weights", "final_bias"}, each step giving g_k, β_k, d_k, η_k (as "learning_rate",
the name §3.2 gives it) and the new weights.
"""

import argparse
import json
import math
import sys
from collections import deque

sys.dont_write_bytecode = True  # keep __pycache__ out of the repository when cases.py is imported
import cases  # noqa: E402

REQUIRED = object()

ADAM_HYPERPARAMETERS = {"learning_rate": REQUIRED, "beta1": 0.9, "beta2": 0.999, "epsilon": 1e-8}
MOMENTUM_HYPERPARAMETERS = {"learning_rate": REQUIRED, "beta": 0.9, "form": "average"}

# docs/contract.md §3: every hyperparameter an algorithm accepts, with its default.
HYPERPARAMETERS = {
    "gd": {"learning_rate": REQUIRED},
    "momentum": MOMENTUM_HYPERPARAMETERS,
    "nesterov": MOMENTUM_HYPERPARAMETERS,
    "adagrad": {"learning_rate": REQUIRED, "epsilon": 1e-8, "initial_accumulator": 0.0, "window": None},
    "adadelta": {"learning_rate": 1.0, "rho": 0.95, "epsilon": 1e-6},
    "rmsprop": {"learning_rate": REQUIRED, "beta": 0.9, "epsilon": 1e-8},
    "adam": ADAM_HYPERPARAMETERS,
    "adamw": {**ADAM_HYPERPARAMETERS, "weight_decay": 0.01},
    "amsgrad": ADAM_HYPERPARAMETERS,
    "conjugate_gradient": {
        "beta_formula": "fletcher_reeves", "line_search": "exact", "learning_rate": None,
        "restart_every": None, "max_step": 1000.0, "tolerance": 1e-10,
    },
}

PROBLEM_FIELDS = {
    "samples", "weights", "bias", "activation", "loss", "algorithm", "hyperparameters",
    "bias_correction", "epochs", "batch_size", "reduction", "schedule", "conventions",
}


class Settings:
    """A request body with every default of docs/contract.md §2–§5 filled in."""

    def __init__(self, problem):
        unknown = set(problem) - PROBLEM_FIELDS
        if unknown:
            raise ValueError(f"unknown problem fields {sorted(unknown)}")
        self.samples = problem["samples"]
        self.weights = [float(w) for w in problem["weights"]]
        self.bias = float(problem["bias"]) if "bias" in problem else None
        self.activation = problem.get("activation", "logistic")
        self.loss = problem.get("loss", "squared_error")
        self.algorithm = problem["algorithm"]
        self.bias_correction = problem.get("bias_correction", self.algorithm in ("adam", "adamw", "amsgrad"))
        self.epochs = problem.get("epochs", 1)
        self.batch_size = problem.get("batch_size", 1)
        self.reduction = problem.get("reduction", "mean")
        self.schedule = problem.get("schedule")
        conventions = problem.get("conventions", {})
        self.sign = conventions.get("sign", "gradient")
        self.epsilon_placement = conventions.get("epsilon", "inside_sqrt")

        accepted = HYPERPARAMETERS[self.algorithm]
        given = problem.get("hyperparameters", {})
        unknown = set(given) - set(accepted)
        if unknown:
            raise ValueError(f"{self.algorithm} does not take {sorted(unknown)}")
        self.hyperparameters = {**accepted, **given}
        missing = [key for key, value in self.hyperparameters.items() if value is REQUIRED]
        if missing:
            raise ValueError(f"{self.algorithm} requires {missing}")
        if self.loss == "cross_entropy" and self.activation != "logistic":
            raise ValueError("cross_entropy is defined for the logistic activation only")

    @property
    def has_bias(self):
        return self.bias is not None

    def initial_parameters(self):
        """The weights followed by the bias, when there is one: the bias is one more weight."""
        return self.weights + ([self.bias] if self.has_bias else [])


# ---------------------------------------------------------------------------------------------
# The neuron (docs/contract.md §1)


def activate(activation, net):
    """Output f(net) and the derivative f'(net)."""
    if activation == "logistic":
        y = 1.0 / (1.0 + math.exp(-net))
        return y, y * (1.0 - y)
    if activation == "linear":
        return net, 1.0
    if activation == "tanh":
        y = math.tanh(net)
        return y, 1.0 - y * y
    if activation == "relu":
        # The contract fixes the derivative at the kink: 0 at net = 0.
        return (net, 1.0) if net > 0 else (0.0, 0.0)
    raise ValueError(f"unknown activation {activation}")


def inputs_of(sample, has_bias):
    """The sample's inputs, with the bias's constant input 1 appended when there is a bias."""
    return [float(x) for x in sample["x"]] + ([1.0] if has_bias else [])


def net_input(parameters, inputs):
    """Σ wᵢ xᵢ (+ b · 1), summed in order."""
    net = 0.0
    for p, x in zip(parameters, inputs, strict=True):
        net += p * x
    return net


def forward(settings, parameters, sample):
    """Net input and output of the neuron for one sample."""
    net = net_input(parameters, inputs_of(sample, settings.has_bias))
    output, _ = activate(settings.activation, net)
    return net, output


def sample_gradient(settings, parameters, sample):
    """∂E/∂p of one sample's loss, for every parameter (weights, then bias)."""
    inputs = inputs_of(sample, settings.has_bias)
    y, slope = activate(settings.activation, net_input(parameters, inputs))
    t = float(sample["t"])
    if settings.loss == "squared_error":
        error_signal = -(t - y) * slope
    elif settings.loss == "cross_entropy":
        error_signal = y - t
    else:
        raise ValueError(f"unknown loss {settings.loss}")
    return [error_signal * x for x in inputs]


def batch_gradient(settings, parameters, batch):
    """Gradient of the batch loss: the mean (or sum) of the sample gradients, in sample order."""
    total = [0.0] * len(parameters)
    for sample in batch:
        for i, g in enumerate(sample_gradient(settings, parameters, sample)):
            total[i] += g
    if settings.reduction == "mean":
        return [g / len(batch) for g in total]
    if settings.reduction == "sum":
        return total
    raise ValueError(f"unknown reduction {settings.reduction}")


# ---------------------------------------------------------------------------------------------
# Learning-rate schedules (docs/contract.md §5)


def scheduled_rate(initial_rate, schedule, e):
    """The rate at epoch number (or, per update, update number) e."""
    kind = schedule["type"]
    if kind == "time_based":
        return initial_rate / (1.0 + schedule["decay_rate"] * e)
    if kind == "step":
        return initial_rate * schedule["drop_rate"] ** (e // schedule["epochs_drop"])
    if kind == "exponential":
        return initial_rate * math.exp(-schedule["k"] * e)
    raise ValueError(f"unknown schedule {kind}")


def step_rate(settings, epoch_number, update_index):
    """The learning rate an update uses: constant, or the schedule at its epoch or update."""
    initial_rate = settings.hyperparameters["learning_rate"]
    if settings.schedule is None:
        return initial_rate
    if settings.schedule.get("per", "epoch") == "update":
        first_epoch = settings.schedule.get("first_epoch", 0)
        return scheduled_rate(initial_rate, settings.schedule, update_index - 1 + first_epoch)
    return scheduled_rate(initial_rate, settings.schedule, epoch_number)


# ---------------------------------------------------------------------------------------------
# Optimizers (docs/contract.md §3, §3.1, §4). Each keeps its accumulators per parameter and returns, from
# step(), the new parameters and the state to show. Running products (β^t) are multiplied once
# per update rather than computed with a power, as the service does.


class Optimizer:
    def __init__(self, settings, parameter_count):
        self.hp = settings.hyperparameters
        self.bias_correction = settings.bias_correction
        self.sign = settings.sign
        self.epsilon_placement = settings.epsilon_placement
        self.count = parameter_count
        self.t = 0

    def signed(self, gradient):
        """dw in the chosen convention: ∂E/∂w, or its negative for "delta"."""
        return [g if self.sign == "gradient" else -g for g in gradient]

    def move(self, parameter, amount):
        """Apply an amount measured in dw's units: updates subtract with "gradient", add with "delta"."""
        return parameter - amount if self.sign == "gradient" else parameter + amount

    def root(self, value, epsilon):
        """√(x + ε) (inside_sqrt) or √x + ε (outside_sqrt)."""
        if self.epsilon_placement == "inside_sqrt":
            return math.sqrt(value + epsilon)
        return math.sqrt(value) + epsilon


class GradientDescent(Optimizer):
    def step(self, parameters, gradient, rate):
        dw = self.signed(gradient)
        return [self.move(p, rate * d) for p, d in zip(parameters, dw)], {}


class Momentum(Optimizer):
    """Momentum, and with nesterov=True the look-ahead direction β v̂ + (1−β) dw (or β v̂ + dw)."""

    def __init__(self, settings, parameter_count, nesterov=False):
        super().__init__(settings, parameter_count)
        self.nesterov = nesterov
        self.velocity = [0.0] * parameter_count
        self.beta_power = 1.0

    def step(self, parameters, gradient, rate):
        beta, form = self.hp["beta"], self.hp["form"]
        dw = self.signed(gradient)
        self.beta_power *= beta
        corrected, new_parameters = [], []
        for i, p in enumerate(parameters):
            if form == "average":
                self.velocity[i] = beta * self.velocity[i] + (1.0 - beta) * dw[i]
            else:
                self.velocity[i] = beta * self.velocity[i] + dw[i]
            v_hat = self.velocity[i] / (1.0 - self.beta_power) if self.bias_correction else self.velocity[i]
            corrected.append(v_hat)
            if not self.nesterov:
                direction = v_hat
            elif form == "average":
                direction = beta * v_hat + (1.0 - beta) * dw[i]
            else:
                direction = beta * v_hat + dw[i]
            new_parameters.append(self.move(p, rate * direction))
        state = {"velocity": list(self.velocity)}
        if self.bias_correction:
            state["velocity_corrected"] = corrected
        return new_parameters, state


class Adagrad(Optimizer):
    def __init__(self, settings, parameter_count):
        super().__init__(settings, parameter_count)
        window = self.hp["window"]
        self.initial = self.hp["initial_accumulator"]
        self.square_sum = [self.initial] * parameter_count
        # With a window only the last W squared gradients count (the course's idea of Adadelta).
        self.recent_squares = [deque(maxlen=window) for _ in range(parameter_count)] if window else None

    def step(self, parameters, gradient, rate):
        dw = self.signed(gradient)
        new_parameters = []
        for i, p in enumerate(parameters):
            if self.recent_squares is None:
                self.square_sum[i] += gradient[i] ** 2
            else:
                self.recent_squares[i].append(gradient[i] ** 2)
                self.square_sum[i] = self.initial + sum(self.recent_squares[i])
            denominator = self.root(self.square_sum[i], self.hp["epsilon"])
            new_parameters.append(p if denominator == 0.0 else self.move(p, rate * dw[i] / denominator))
        return new_parameters, {"square_sum": list(self.square_sum)}


class Adadelta(Optimizer):
    """Zeiler 2012; s and u are corrected by 1−ρ^t and 1−ρ^(t−1) (û = 0 at t = 1)."""

    def __init__(self, settings, parameter_count):
        super().__init__(settings, parameter_count)
        self.square_avg = [0.0] * parameter_count
        self.delta_avg = [0.0] * parameter_count
        self.rho_power = 1.0

    def step(self, parameters, gradient, rate):
        rho, epsilon = self.hp["rho"], self.hp["epsilon"]
        self.t += 1
        previous_rho_power = self.rho_power  # ρ^(t−1): how often u has been updated so far
        self.rho_power *= rho
        square_corrected, previous_delta_corrected, new_parameters = [], [], []
        for i, p in enumerate(parameters):
            g = gradient[i]
            self.square_avg[i] = rho * self.square_avg[i] + (1.0 - rho) * g * g
            if self.bias_correction:
                s_hat = self.square_avg[i] / (1.0 - self.rho_power)
                u_hat = 0.0 if self.t == 1 else self.delta_avg[i] / (1.0 - previous_rho_power)
            else:
                s_hat, u_hat = self.square_avg[i], self.delta_avg[i]
            square_corrected.append(s_hat)
            previous_delta_corrected.append(u_hat)
            denominator = self.root(s_hat, epsilon)
            delta = 0.0 if denominator == 0.0 else -(self.root(u_hat, epsilon) / denominator) * g
            self.delta_avg[i] = rho * self.delta_avg[i] + (1.0 - rho) * delta * delta
            new_parameters.append(p + rate * delta)
        state = {"square_avg": list(self.square_avg), "delta_avg": list(self.delta_avg)}
        if self.bias_correction:
            state["square_avg_corrected"] = square_corrected
            state["previous_delta_avg_corrected"] = previous_delta_corrected
        return new_parameters, state


class RMSProp(Optimizer):
    def __init__(self, settings, parameter_count):
        super().__init__(settings, parameter_count)
        self.square_avg = [0.0] * parameter_count
        self.beta_power = 1.0

    def step(self, parameters, gradient, rate):
        beta, epsilon = self.hp["beta"], self.hp["epsilon"]
        dw = self.signed(gradient)
        self.beta_power *= beta
        corrected, new_parameters = [], []
        for i, p in enumerate(parameters):
            self.square_avg[i] = beta * self.square_avg[i] + (1.0 - beta) * gradient[i] ** 2
            s_hat = self.square_avg[i] / (1.0 - self.beta_power) if self.bias_correction else self.square_avg[i]
            corrected.append(s_hat)
            denominator = self.root(s_hat, epsilon)
            new_parameters.append(p if denominator == 0.0 else self.move(p, rate * dw[i] / denominator))
        state = {"square_avg": list(self.square_avg)}
        if self.bias_correction:
            state["square_avg_corrected"] = corrected
        return new_parameters, state


class Adam(Optimizer):
    """Adam; with variant "adamw" decoupled weight decay first, with "amsgrad" the running max of s."""

    def __init__(self, settings, parameter_count, variant="adam"):
        super().__init__(settings, parameter_count)
        self.variant = variant
        self.first = [0.0] * parameter_count
        self.second = [0.0] * parameter_count
        self.max_second = [0.0] * parameter_count
        self.beta1_power = 1.0
        self.beta2_power = 1.0

    def step(self, parameters, gradient, rate):
        beta1, beta2, epsilon = self.hp["beta1"], self.hp["beta2"], self.hp["epsilon"]
        dw = self.signed(gradient)
        self.beta1_power *= beta1
        self.beta2_power *= beta2
        first_corrected, second_corrected, new_parameters = [], [], []
        for i, p in enumerate(parameters):
            self.first[i] = beta1 * self.first[i] + (1.0 - beta1) * dw[i]
            self.second[i] = beta2 * self.second[i] + (1.0 - beta2) * gradient[i] ** 2
            second_used = self.second[i]
            if self.variant == "amsgrad":
                # The maximum is taken over the uncorrected averages, then corrected like s.
                self.max_second[i] = max(self.max_second[i], self.second[i])
                second_used = self.max_second[i]
            if self.bias_correction:
                v_hat = self.first[i] / (1.0 - self.beta1_power)
                s_hat = second_used / (1.0 - self.beta2_power)
            else:
                v_hat, s_hat = self.first[i], second_used
            first_corrected.append(v_hat)
            second_corrected.append(s_hat)
            denominator = self.root(s_hat, epsilon)
            if denominator == 0.0:
                new_parameters.append(p)
                continue
            if self.variant == "adamw":
                # Decoupled decay of the weight as it was before this update (the bias too).
                p = p - rate * self.hp["weight_decay"] * p
            new_parameters.append(self.move(p, rate * v_hat / denominator))
        state = {"first_moment": list(self.first), "second_moment": list(self.second)}
        if self.variant == "amsgrad":
            state["max_second_moment"] = list(self.max_second)
        if self.bias_correction:
            state["first_moment_corrected"] = first_corrected
            if self.variant == "amsgrad":
                state["max_second_moment_corrected"] = second_corrected
            else:
                state["second_moment_corrected"] = second_corrected
        return new_parameters, state


def make_optimizer(settings, parameter_count):
    algorithm = settings.algorithm
    if algorithm == "gd":
        return GradientDescent(settings, parameter_count)
    if algorithm in ("momentum", "nesterov"):
        return Momentum(settings, parameter_count, nesterov=algorithm == "nesterov")
    if algorithm == "adagrad":
        return Adagrad(settings, parameter_count)
    if algorithm == "adadelta":
        return Adadelta(settings, parameter_count)
    if algorithm == "rmsprop":
        return RMSProp(settings, parameter_count)
    if algorithm in ("adam", "adamw", "amsgrad"):
        return Adam(settings, parameter_count, variant=algorithm)
    raise ValueError(f"no reference for algorithm {algorithm}")


# ---------------------------------------------------------------------------------------------
# The driver: epochs of consecutive batches, one update per batch, t counted across epochs.


def batches(samples, batch_size):
    return [samples[start:start + batch_size] for start in range(0, len(samples), batch_size)]


def solve(problem):
    """The expected trace of an optimizer run: every update's numbers, then the final parameters."""
    settings = Settings(problem)
    if settings.algorithm == "conjugate_gradient":
        return solve_conjugate_gradient_quadratic(settings)
    n = len(settings.weights)
    parameters = settings.initial_parameters()
    optimizer = make_optimizer(settings, len(parameters))
    first_epoch = settings.schedule.get("first_epoch", 0) if settings.schedule else 0
    steps = []
    update_index = 0
    for epochs_before in range(settings.epochs):
        epoch_number = first_epoch + epochs_before
        for batch in batches(settings.samples, settings.batch_size):
            update_index += 1
            rate = step_rate(settings, epoch_number, update_index)
            gradient = batch_gradient(settings, parameters, batch)
            dw = optimizer.signed(gradient)
            parameters, state = optimizer.step(parameters, gradient, rate)
            assert all(math.isfinite(v) for v in parameters + gradient), "reference cases must not diverge"
            steps.append({
                "index": update_index,
                "epoch": epoch_number,
                "learning_rate": rate,
                "gradient": gradient[:n],
                "bias_gradient": gradient[n] if settings.has_bias else None,
                "dw": dw[:n],
                "bias_dw": dw[n] if settings.has_bias else None,
                "weights_after": parameters[:n],
                "bias_after": parameters[n] if settings.has_bias else None,
                "state": state,
            })
    return {
        "steps": steps,
        "final_weights": parameters[:n],
        "final_bias": parameters[n] if settings.has_bias else None,
    }


# ---------------------------------------------------------------------------------------------
# Conjugate gradient on a quadratic (docs/contract.md §3.2): a linear neuron with squared error and mean
# reduction has E(w) = mean ½(t − wᵀx)², whose Hessian H = mean x xᵀ is constant, so the exact
# line search has the closed form η = −gᵀd / dᵀHd and the minimum solves H w = mean t x.


def dot(a, b):
    total = 0.0
    for x, y in zip(a, b):
        total += x * y
    return total


def solve_linear_system(matrix, rhs):
    """Gaussian elimination with partial pivoting."""
    size = len(rhs)
    rows = [list(map(float, row)) + [float(value)] for row, value in zip(matrix, rhs)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(rows[r][column]))
        if rows[pivot][column] == 0.0:
            raise ValueError("singular system")
        rows[column], rows[pivot] = rows[pivot], rows[column]
        for r in range(column + 1, size):
            factor = rows[r][column] / rows[column][column]
            for c in range(column, size + 1):
                rows[r][c] -= factor * rows[column][c]
    solution = [0.0] * size
    for r in reversed(range(size)):
        known = sum(rows[r][c] * solution[c] for c in range(r + 1, size))
        solution[r] = (rows[r][size] - known) / rows[r][r]
    return solution


def least_squares_weights(samples):
    """The minimizer of mean ½(t − wᵀx)², from the normal equations (mean x xᵀ) w = mean t x."""
    m, n = len(samples), len(samples[0]["x"])
    hessian = [[sum(s["x"][i] * s["x"][j] for s in samples) / m for j in range(n)] for i in range(n)]
    rhs = [sum(s["t"] * s["x"][i] for s in samples) / m for i in range(n)]
    return solve_linear_system(hessian, rhs)


def solve_conjugate_gradient_quadratic(settings):
    hp = settings.hyperparameters
    if (settings.activation, settings.loss, settings.reduction) != ("linear", "squared_error", "mean") \
            or settings.has_bias or hp["beta_formula"] != "fletcher_reeves" or hp["line_search"] != "exact":
        raise ValueError("the reference covers only the linear, mean squared error quadratic with FR and exact search")
    samples = settings.samples
    weights = list(settings.weights)
    restart_every = hp["restart_every"] or len(weights)
    steps = []
    previous_gradient = direction = None
    iterations_since_restart = 0
    for k in range(settings.epochs):
        gradient = batch_gradient(settings, weights, samples)
        if all(abs(g) <= hp["tolerance"] for g in gradient):
            break
        restart = k == 0 or iterations_since_restart == restart_every
        if restart:
            beta, direction = 0.0, [-g for g in gradient]
        else:
            beta = dot(gradient, gradient) / dot(previous_gradient, previous_gradient)
            direction = [-g + beta * d for g, d in zip(gradient, direction)]
            if dot(gradient, direction) >= 0.0:
                restart = True
                beta, direction = 0.0, [-g for g in gradient]
        if restart:
            iterations_since_restart = 0
        # dᵀHd with H = mean x xᵀ is the mean of (xᵀd)².
        curvature = sum(dot(s["x"], direction) ** 2 for s in samples) / len(samples)
        step_length = -dot(gradient, direction) / curvature
        assert 0.0 <= step_length <= hp["max_step"]
        weights = [w + step_length * d for w, d in zip(weights, direction)]
        iterations_since_restart += 1
        previous_gradient = gradient
        steps.append({
            "index": k + 1,
            "gradient": gradient,
            "beta": beta,
            "direction": direction,
            "learning_rate": step_length,
            "weights_after": weights,
        })
    return {
        "least_squares_weights": least_squares_weights(samples),
        "steps": steps,
        "final_weights": weights,
        "final_bias": None,
    }


# ---------------------------------------------------------------------------------------------
# Self-check against the course's printed values (docs/contract.md §10) and the identities the contract states.


def assert_printed(value, printed, what):
    """The value agrees with a number the notes print, to one unit of its last printed digit."""
    decimals = len(printed.split(".")[1]) if "." in printed else 0
    assert abs(value - float(printed)) <= 10.0 ** -decimals, f"{what}: {value} is not {printed}"


def assert_close(a, b, what, tolerance=1e-12):
    for x, y in zip(a, b, strict=True):
        assert abs(x - y) <= tolerance * max(1.0, abs(x), abs(y)), f"{what}: {a} != {b}"


def selfcheck():
    course = cases.COURSE_SAMPLES

    # Momentum, first two samples, α 0.2, β 0.8, average form, sign delta.
    problem = cases.course_momentum()
    settings = Settings(problem)
    net, y = forward(settings, settings.weights, course[0])
    assert_printed(y, "0.6899", "momentum y")
    steps = solve(problem)["steps"]
    first = steps[0]
    assert_printed(first["dw"][0], "0.02354", "momentum (dw1)1")
    assert_printed(first["dw"][1], "0.01412", "momentum (dw2)1")
    assert_printed(first["state"]["velocity"][0], "0.004708", "momentum (v1)1")
    assert_printed(first["state"]["velocity"][1], "0.002824", "momentum (v2)1")
    assert_printed(first["weights_after"][0], "0.5009", "momentum (w1)2")
    assert_printed(first["weights_after"][1], "0.5006", "momentum (w2)2")
    net, _ = forward(settings, first["weights_after"], course[1])
    assert_printed(net, "0.50075", "momentum second net input (erratum: the notes use the first inputs)")

    # Adagrad, three samples, α 0.2.
    problem = cases.course_adagrad()
    settings = Settings(problem)
    steps = solve(problem)["steps"]
    assert_printed(steps[0]["state"]["square_sum"][0], "0.000554", "adagrad (v1)1")
    assert_printed(steps[0]["state"]["square_sum"][1], "0.000199", "adagrad (v2)1")
    assert_printed(steps[0]["weights_after"][0], "0.7", "adagrad w1 after sample 1")
    assert_printed(steps[0]["weights_after"][1], "0.7", "adagrad w2 after sample 1")
    net, y = forward(settings, steps[0]["weights_after"], course[1])
    assert_printed(net, "0.7", "adagrad second net input")
    assert_printed(y, "0.6682", "adagrad second output")
    assert_printed(steps[1]["gradient"][0], "0.007559", "adagrad second dw1")
    assert_printed(steps[1]["gradient"][1], "0.007559", "adagrad second dw2")
    assert_printed(steps[1]["state"]["square_sum"][0], "0.000611", "adagrad second v1")
    assert_printed(steps[1]["state"]["square_sum"][1], "0.000257", "adagrad second v2")
    assert_printed(steps[1]["weights_after"][0], "0.639", "adagrad w1 after sample 2")
    assert_printed(steps[1]["weights_after"][1], "0.606", "adagrad w2 after sample 2")
    assert_printed(steps[2]["weights_after"][0], "0.531", "adagrad w1 after sample 3")
    assert_printed(steps[2]["weights_after"][1], "0.412", "adagrad w2 after sample 3")

    # RMSProp, three samples, α 0.2, β 0.8; (w2)2 is 0.947, not the notes' 4.971.
    steps = solve(cases.course_rmsprop())["steps"]
    assert_printed(steps[0]["state"]["square_avg"][0], "0.000111", "rmsprop (v1)1")
    assert_printed(steps[0]["state"]["square_avg"][1], "0.0000399", "rmsprop (v2)1")
    assert_printed(steps[0]["weights_after"][0], "0.947", "rmsprop (w1)2")
    assert_printed(steps[0]["weights_after"][1], "0.947", "rmsprop (w2)2 (erratum: the notes print 4.971)")

    # The annealing tables.
    for epoch, printed in [(1, "0.1"), (2, "0.067"), (3, "0.05")]:
        assert_printed(scheduled_rate(0.2, {"type": "time_based", "decay_rate": 1.0}, epoch), printed, "time-based")
    for epoch, printed in [(5, "0.1"), (10, "0.05"), (15, "0.025")]:
        rate = scheduled_rate(0.2, {"type": "step", "drop_rate": 0.5, "epochs_drop": 5}, epoch)
        assert_printed(rate, printed, "step decay")
    for epoch, printed in [(1, "0.181"), (2, "0.164"), (3, "0.148")]:
        assert_printed(scheduled_rate(0.2, {"type": "exponential", "k": 0.1}, epoch), printed, "exponential")

    # §3.1: the sum form with α(1−β) is the average form with α, corrected or not. With β = 0.75
    # the scaling by 1−β is a power of two, so the two agree to the last bit.
    for bias_correction in (False, True):
        average = solve(cases.momentum_form("average", 0.2, 0.75, bias_correction))
        summed = solve(cases.momentum_form("sum", 0.05, 0.75, bias_correction))
        for a, s in zip(average["steps"], summed["steps"], strict=True):
            assert a["weights_after"] == s["weights_after"], "momentum average α vs sum α(1−β)"
        assert_close(average["final_weights"], summed["final_weights"], "momentum forms")

    # §4: the sign convention changes dw (and momentum's and Adam's v), never the weights.
    for algorithm in ("gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "amsgrad", "adadelta"):
        by_gradient = solve(cases.with_sign(algorithm, "gradient", bias=0.1))
        by_delta = solve(cases.with_sign(algorithm, "delta", bias=0.1))
        for g, d in zip(by_gradient["steps"], by_delta["steps"], strict=True):
            assert g["weights_after"] == d["weights_after"], f"{algorithm}: sign changed the weights"
            assert g["bias_after"] == d["bias_after"], f"{algorithm}: sign changed the bias"
            assert g["dw"] == [-x for x in d["dw"]], f"{algorithm}: dw not opposite"
            assert g["gradient"] == d["gradient"], f"{algorithm}: gradient depends on the sign"

    # AMSGrad's first step is Adam's: s_max = s at t = 1.
    adam_step = solve(cases.course_adam())["steps"][0]
    amsgrad_step = solve({**cases.course_adam(), "algorithm": "amsgrad"})["steps"][0]
    assert adam_step["weights_after"] == amsgrad_step["weights_after"]

    # Nesterov with β = 0 is gradient descent in both forms.
    gd = solve(cases.gd_course())
    for form in ("average", "sum"):
        problem = {**cases.gd_course(), "algorithm": "nesterov",
                   "hyperparameters": {"learning_rate": 0.2, "beta": 0.0, "form": form}}
        assert_close(solve(problem)["final_weights"], gd["final_weights"], f"nesterov β=0 {form}")

    # Conjugate gradient: n iterations of exact-search CG minimize an n-dimensional quadratic, and
    # successive directions are H-conjugate.
    expected = solve(cases.cg_quadratic())
    assert_close(expected["final_weights"], expected["least_squares_weights"], "CG reaches least squares", 1e-10)
    settings = Settings(cases.cg_quadratic())
    directions = [step["direction"] for step in expected["steps"]]
    for a in range(len(directions)):
        for b in range(a):
            conjugacy = sum(dot(s["x"], directions[a]) * dot(s["x"], directions[b]) for s in settings.samples)
            assert abs(conjugacy) < 1e-12, "CG directions are not conjugate"
    residual = batch_gradient(settings, expected["least_squares_weights"], settings.samples)
    assert max(abs(g) for g in residual) < 1e-12, "least squares weights are not stationary"


def build_fixture():
    fixture = []
    for case in cases.all_cases():
        expected = solve(case["problem"])
        fixture.append({"name": case["name"], "why": case["why"], "problem": case["problem"], "expected": expected})
    names = [case["name"] for case in fixture]
    assert len(names) == len(set(names)), "case names must be unique"
    return fixture


def is_one_line(value):
    """Scalars, lists of scalars, and objects whose values are those."""
    def is_scalar(item):
        return not isinstance(item, (dict, list))

    if isinstance(value, list):
        return all(is_scalar(item) for item in value)
    if isinstance(value, dict):
        return all(is_scalar(item) or is_one_line(item) and isinstance(item, list) for item in value.values())
    return True


def to_json(value, depth=0):
    """JSON indented by two spaces, with short flat values on one line so a step reads at a glance."""
    # Python's float repr is the shortest text that reads back as the same double.
    flat = json.dumps(value, ensure_ascii=False, allow_nan=False)
    if is_one_line(value) and (not isinstance(value, dict) or len(flat) <= 100):
        return flat
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{inner}{json.dumps(key)}: {to_json(item, depth + 1)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    return "[\n" + ",\n".join(inner + to_json(item, depth + 1) for item in value) + "\n" + pad + "]"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", help="write the fixture here instead of stdout")
    arguments = parser.parse_args()
    if not __debug__:
        sys.exit("selfcheck() is written with assert: run without -O")
    selfcheck()
    text = to_json(build_fixture()) + "\n"
    if arguments.output:
        with open(arguments.output, "w", encoding="utf-8") as file:
            file.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()

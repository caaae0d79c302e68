//! From untyped JSON to the core's validated `Problem` (docs/contract.md §2–§6, §9): every rule checked,
//! every violation reported at once with a JSON pointer, every default filled in.
//!
//! Pure: no axum, no I/O, so the CLI uses it as the server does. Ranges and defaults of
//! hyperparameters come from `wire::catalog`; this file owns the order of checks and the wording
//! of messages. `null` counts as absent for every optional key, so an echoed `problem` (which
//! writes `"bias": null`) can be posted again.
//!
//! The size of one request is bounded by the configured [`Limits`] (`config.rs` says why each
//! exists): `problem_with` and `schedule_request_with` take them as a parameter; `problem` and
//! `schedule_request` apply the defaults.

use serde_json::{Map, Value};

use super::catalog::{self, Hyperparameters, Interval, Kind, Resolved, Spec, Value as HyperValue};
use super::fields::{FieldError, LimitDetails};
use super::model::{
    self, Activation, Algorithm, EpsilonPlacement, Loss, Reduction, ResolvedProblem, SchedulePer,
    Sign, WireEnum,
};
use crate::config::{Limit, Limits, Measure, Sizing};
use crate::pointer::{child, type_name};
use crate::solve::expr::count;
use crate::solve::{self, Detail, Warning};

mod network;
use network::ReadNetwork;

/// The most digits `rounding` accepts: an `f64` has no 18th significant digit to round to.
pub const MAX_ROUNDING_DIGITS: u64 = 17;

/// The largest integer any key accepts: the top of the OpenAPI document's `int64` format, so
/// that a value the schema allows is never refused as too large, and the reverse.
pub const MAX_INTEGER: u64 = i64::MAX as u64;

/// A problem that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidProblem {
    /// What the core computes on.
    pub problem: solve::Problem,
    /// Things worth knowing that are not errors (e.g. `unused_hyperparameter`).
    pub warnings: Vec<Warning>,
    /// The request with every default filled in, as the response's `problem`.
    pub echo: ResolvedProblem,
}

/// A `POST /v1/schedule` body that passed every check.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidSchedule {
    pub learning_rate: f64,
    pub schedule: solve::Schedule,
    pub epochs: Vec<u64>,
    pub warnings: Vec<Warning>,
}

const TOP_KEYS: &[&str] = &[
    "samples",
    "weights",
    "bias",
    "activation",
    "network",
    "loss",
    "algorithm",
    "hyperparameters",
    "bias_correction",
    "epochs",
    "batch_size",
    "reduction",
    "schedule",
    "conventions",
    "rounding",
];
const SAMPLE_KEYS: &[&str] = &["x", "t"];
const CONVENTION_KEYS: &[&str] = &["sign", "epsilon"];
const ROUNDING_KEYS: &[&str] = &["decimals", "significant_figures"];
const SCHEDULE_TYPES: &[&str] = &["time_based", "step", "exponential"];
const SCHEDULE_REQUEST_KEYS: &[&str] = &["learning_rate", "schedule", "epochs"];

/// Validate a `POST /v1/solve` body within the default limits.
pub fn problem(body: &Value) -> Result<ValidProblem, Vec<FieldError>> {
    problem_with(body, &Limits::default())
}

/// Validate a `POST /v1/solve` body within `limits`, to be solved with its lines.
pub fn problem_with(body: &Value, limits: &Limits) -> Result<ValidProblem, Vec<FieldError>> {
    problem_sized(body, limits, Sizing::Detail(Detail::Lines))
}

/// Validate a `POST /v1/solve` body within `limits`, held to the size caps of `sizing` (a
/// detail's, or a stream's).
pub fn problem_sized(
    body: &Value,
    limits: &Limits,
    sizing: Sizing,
) -> Result<ValidProblem, Vec<FieldError>> {
    let mut check = Check::new(limits);
    check.sizing = sizing;
    let Some(top) = check.top_object(body, TOP_KEYS, "a problem") else {
        return Err(check.errors);
    };
    let fields = check.problem_fields(top);
    if !check.errors.is_empty() {
        return Err(check.errors);
    }
    // With no error recorded every value is present; `None` only keeps a broken invariant
    // from becoming a panic.
    fields.valid().ok_or_else(|| {
        vec![FieldError::new(
            "",
            "could not be validated (an internal inconsistency; please report it)",
        )]
    })
}

/// What a sample must look like: how many inputs (and who says so), and its target (`None`: a
/// neuron's number; `Some(n)`: a network's, `n` outputs when its layers are valid).
#[derive(Clone, Copy)]
struct Shape {
    inputs: Option<(usize, &'static str)>,
    outputs: Option<Option<usize>>,
}

/// Every field of a problem as read, defaults filled in where the value was valid or absent.
struct ProblemFields {
    samples: Option<Vec<model::Sample>>,
    weights: Option<Vec<f64>>,
    /// `None`: a neuron; `Some(None)`: a network with a violation.
    network: Option<Option<ReadNetwork>>,
    bias: Option<f64>,
    activation: Result<Activation, Reported>,
    loss: Result<Loss, Reported>,
    algorithm: Option<Algorithm>,
    hyper: Option<Hyper>,
    bias_correction: Read<bool>,
    epochs: Result<u64, Reported>,
    batch_size: Result<u64, Reported>,
    reduction: Read<Reduction>,
    schedule: Read<solve::Schedule>,
    conventions: Result<(Sign, EpsilonPlacement), Reported>,
    rounding: Read<solve::Rounding>,
}

impl Check {
    /// Read every field of the problem `top`, in the request's order, then the rules that
    /// tie fields together.
    fn problem_fields(&mut self, top: Object<'_>) -> ProblemFields {
        let (weights, network, shape) = self.model(top);
        let samples = self.samples(top.get("samples"), shape);
        let bias = self.number(top.get("bias"), "/bias").ok().flatten();
        let activation = self.choice::<Activation>(top.get("activation"), "/activation");
        let loss = self.choice::<Loss>(top.get("loss"), "/loss");
        let algorithm = self.algorithm(top.get("algorithm"));
        let bias_correction = self.boolean(top.get("bias_correction"), "/bias_correction");
        let epochs = self.integer(top.get("epochs"), "/epochs", 1);
        let batch_size = self.integer(top.get("batch_size"), "/batch_size", 1);
        let reduction = self.choice::<Reduction>(top.get("reduction"), "/reduction");
        let schedule = self.schedule(top.get("schedule"), "/schedule");
        let conventions = self.conventions(top.get("conventions"));
        let rounding = self.rounding(top.get("rounding"));

        // Defaults (docs/contract.md §2), where the value itself was valid or absent.
        let activation = activation.map(|a| a.unwrap_or(Activation::Logistic));
        let loss = loss.map(|l| l.unwrap_or(Loss::SquaredError));
        // The optimizers' vector, and every parameter a pass computes a gradient for.
        let (parameters, all_parameters) = match &network {
            Some(n) => (
                n.as_ref().map(ReadNetwork::updated_parameters),
                n.as_ref().map(ReadNetwork::parameters),
            ),
            None => {
                let p = weights
                    .as_ref()
                    .map(|w| w.len() as u64 + u64::from(bias.is_some()));
                (p, p)
            }
        };
        let hyper = self.hyperparameters(top.get("hyperparameters"), algorithm, parameters);
        if let Ok(Loss::CrossEntropy) = loss {
            self.cross_entropy_outputs(activation, &network);
        }
        let sample_count = samples.as_ref().map(|s| s.len() as u64);
        let full_batch = algorithm.filter(|a| a.spec().full_batch);
        let epochs = epochs.map(|e| e.unwrap_or(1));
        let batch_size = self.batch_size(batch_size, sample_count, full_batch);
        if let (Some(hyper), Ok(Some(_))) = (&hyper, &schedule) {
            if hyper.optimizer.learning_rate().is_none() {
                let optimizer = &hyper.optimizer;
                self.fail(
                    "/schedule",
                    format!("{} {}", optimizer.name(), optimizer.spec().no_learning_rate),
                );
            }
        }
        if let (Ok(epochs), Ok(batch), Some(m), Some(p)) =
            (epochs, batch_size, sample_count, all_parameters)
        {
            self.limits(epochs, batch, m, p, full_batch.is_some());
        }
        ProblemFields {
            samples,
            weights,
            network,
            bias,
            activation,
            loss,
            algorithm,
            hyper,
            bias_correction,
            epochs,
            batch_size,
            reduction,
            schedule,
            conventions,
            rounding,
        }
    }

    /// The model: a neuron's `weights`, or a `network` (`Some(None)`: one with a violation),
    /// and the shape every sample must have for it.
    fn model(&mut self, top: Object<'_>) -> (Option<Vec<f64>>, Option<Option<ReadNetwork>>, Shape) {
        let (weights, network) = match top.get("network") {
            Some(value) => {
                let clash = network::neuron_keys_with_a_network(self, top);
                let network = self.network(value);
                (None, Some(network.filter(|_| clash.is_ok())))
            }
            None => (self.weights(top.get("weights")), None),
        };
        let shape = match &network {
            Some(Some(n)) => Shape {
                inputs: Some((n.inputs(), "the first layer has")),
                outputs: Some(Some(n.outputs())),
            },
            Some(None) => Shape {
                inputs: None,
                outputs: Some(None),
            },
            None => Shape {
                inputs: weights.as_ref().map(|w| (w.len(), "`weights` has")),
                outputs: None,
            },
        };
        (weights, network, shape)
    }

    /// Cross-entropy needs logistic outputs: the neuron's activation, or a network's last
    /// layer's.
    fn cross_entropy_outputs(
        &mut self,
        activation: Result<Activation, Reported>,
        network: &Option<Option<ReadNetwork>>,
    ) {
        match (network, activation) {
            (Some(Some(n)), _) => {
                let last = n.network.layers.len().saturating_sub(1);
                if n.output_activation() != Some(solve::Activation::Logistic) {
                    let name = n.output_activation().map_or("", solve::Activation::name);
                    self.fail(
                        "/loss",
                        format!(
                            "cross_entropy is only defined with logistic outputs, not {name} \
                             (/network/layers/{last}/activation)"
                        ),
                    );
                }
            }
            (None, Ok(activation)) if activation != Activation::Logistic => {
                self.fail(
                    "/loss",
                    format!(
                        "cross_entropy is only defined with the logistic activation, not {}",
                        activation.name()
                    ),
                );
            }
            _ => {}
        }
    }

    /// The batch size used: the request's, capped at the number of samples (docs/contract.md
    /// §2); by default 1, or the full batch for an algorithm that needs it (and nothing less).
    fn batch_size(
        &mut self,
        given: Read<u64>,
        samples: Option<u64>,
        full_batch: Option<Algorithm>,
    ) -> Result<u64, Reported> {
        match (given, samples) {
            (Ok(Some(b)), Some(m)) if full_batch.is_some() && b < m => {
                let name = full_batch.map_or("", |a| a.name());
                self.fail(
                    "/batch_size",
                    format!(
                        "{name} always uses the full batch ({m} samples); leave batch_size out \
                         or make it at least {m}"
                    ),
                );
                Err(Reported)
            }
            // At least the number of samples means full batch (docs/contract.md §2).
            (Ok(Some(b)), Some(m)) => Ok(b.min(m)),
            (Ok(None), Some(m)) if full_batch.is_some() => Ok(m),
            (Ok(None), Some(_)) => Ok(1),
            _ => Err(Reported),
        }
    }
}

impl ProblemFields {
    /// The problem the core computes on, its echo and its warnings; `None` if a field is
    /// missing.
    fn valid(self) -> Option<ValidProblem> {
        let (samples, algorithm, hyper) = (self.samples?, self.algorithm?, self.hyper?);
        let (weights, network) = match self.network {
            Some(network) => (None, Some(network?)),
            None => (Some(self.weights?), None),
        };
        let (activation, loss) = (self.activation.ok()?, self.loss.ok()?);
        let (epochs, batch_size) = (self.epochs.ok()?, self.batch_size.ok()?);
        let (schedule, rounding) = (self.schedule.ok()?, self.rounding.ok()?);
        let (sign, epsilon) = self.conventions.ok()?;
        let bias_correction = self
            .bias_correction
            .ok()?
            .unwrap_or_else(|| algorithm.spec().bias_correction_default);
        let reduction = self.reduction.ok()?.unwrap_or(Reduction::Mean);
        let bias = self.bias;
        let problem = solve::Problem {
            samples: samples
                .iter()
                .map(|s| solve::Sample {
                    x: s.x.clone(),
                    t: s.t.first(),
                })
                .collect(),
            weights: weights.clone().unwrap_or_default(),
            bias,
            activation: activation.into(),
            loss: loss.into(),
            optimizer: hyper.optimizer,
            bias_correction,
            epochs,
            batch_size: usize::try_from(batch_size).unwrap_or(usize::MAX),
            reduction: reduction.into(),
            schedule,
            conventions: solve::Conventions {
                sign: sign.into(),
                epsilon: epsilon.into(),
            },
            rounding,
            network: network.as_ref().map(|n| {
                Box::new(solve::network::NetworkModel::new(solve::network::Network {
                    targets: samples.iter().map(|s| s.t.all()).collect(),
                    ..n.network.clone()
                }))
            }),
        };
        let neuron = network.is_none();
        let echo = ResolvedProblem {
            samples,
            weights,
            bias: neuron.then_some(bias),
            activation: neuron.then_some(activation),
            network: network.map(|n| n.echo),
            loss,
            algorithm,
            hyperparameters: hyper.echo,
            bias_correction,
            epochs,
            batch_size,
            reduction,
            schedule: schedule.map(model::Schedule::from),
            conventions: model::Conventions {
                sign: Some(sign),
                epsilon: Some(epsilon),
            },
            rounding: rounding.map(model::Rounding::from),
        };
        Some(ValidProblem {
            problem,
            warnings: hyper.warnings,
            echo,
        })
    }
}

/// Validate a `POST /v1/schedule` body, `{"learning_rate", "schedule", "epochs": [..]}`, within
/// the default limits.
pub fn schedule_request(body: &Value) -> Result<ValidSchedule, Vec<FieldError>> {
    schedule_request_with(body, &Limits::default())
}

/// Validate a `POST /v1/schedule` body within `limits`.
pub fn schedule_request_with(
    body: &Value,
    limits: &Limits,
) -> Result<ValidSchedule, Vec<FieldError>> {
    let mut check = Check::new(limits);
    let Some(top) = check.top_object(body, SCHEDULE_REQUEST_KEYS, "a schedule request") else {
        return Err(check.errors);
    };
    let learning_rate = check.number_in(
        top.get("learning_rate"),
        "/learning_rate",
        Interval::POSITIVE,
    );
    let learning_rate = check.required(learning_rate, "/learning_rate");
    let schedule = check.schedule(top.get("schedule"), "/schedule");
    let schedule = check.required(schedule, "/schedule");
    let epochs = check.epoch_list(top.get("epochs"));

    let mut warnings = Vec::new();
    if let Some(Value::Object(given)) = top.get("schedule") {
        for key in ["first_epoch", "per"] {
            if given.get(key).is_some_and(|v| !v.is_null()) {
                warnings.push(Warning::new(
                    "unused_schedule_field",
                    format!(
                        "`schedule.{key}` does not apply to a table: each value of `epochs` is \
                         the e put into the formula"
                    ),
                    None,
                ));
            }
        }
    }
    match (learning_rate, schedule, epochs) {
        (Some(learning_rate), Some(schedule), Some(epochs)) if check.errors.is_empty() => {
            Ok(ValidSchedule {
                learning_rate,
                schedule,
                epochs,
                warnings,
            })
        }
        _ => Err(check.errors),
    }
}

/// Marks a value whose error has already been recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Reported;

/// A value read from the request: absent (or null), present and valid, or invalid (reported).
type Read<T> = Result<Option<T>, Reported>;

/// A JSON object together with where it is in the request.
#[derive(Clone, Copy)]
struct Object<'a> {
    map: &'a Map<String, Value>,
    at: &'a str,
}

impl<'a> Object<'a> {
    /// The value at `key`; `null` reads as absent.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn pointer(&self, key: &str) -> String {
        child(self.at, key)
    }
}

/// A key as shown in a message: at most 40 characters, so a hostile key cannot bloat the error.
pub(super) fn shown(key: &str) -> String {
    let mut short: String = key.chars().take(40).collect();
    if short.len() < key.len() {
        short.push('…');
    }
    short
}

fn list(names: &[&str]) -> String {
    names.join(", ")
}

/// The resolved hyperparameters of a known algorithm.
struct Hyper {
    optimizer: solve::Optimizer,
    echo: Hyperparameters,
    warnings: Vec<Warning>,
}

/// Collects every violation, in the order of the request.
struct Check {
    errors: Vec<FieldError>,
    limits: Limits,
    sizing: Sizing,
}

impl Check {
    fn new(limits: &Limits) -> Self {
        Check {
            errors: Vec::new(),
            limits: *limits,
            sizing: Sizing::Detail(Detail::Lines),
        }
    }

    /// A value over a configured limit.
    fn over_limit(&mut self, at: &str, detail: String, limit: Limit, value: u64) -> Reported {
        self.errors.push(FieldError::over_limit(
            at,
            detail,
            LimitDetails::new(limit, value),
        ));
        Reported
    }

    /// Whether the `len` items of the array at `at` are more than `limit`, at `max`, allows,
    /// reported if so: "has 12 samples; the limit is 10 (max_samples)".
    fn too_many(&mut self, at: &str, len: usize, noun: &str, (limit, max): (Limit, u64)) -> bool {
        if len as u64 <= max {
            return false;
        }
        let detail = format!("has {len} {noun}; the limit is {max} ({})", limit.name());
        self.over_limit(at, detail, limit, max);
        true
    }

    fn fail(&mut self, at: &str, detail: impl Into<String>) -> Reported {
        self.errors.push(FieldError::new(at, detail));
        Reported
    }

    /// A required value that is absent gets "is required".
    fn required<T>(&mut self, read: Read<T>, at: &str) -> Option<T> {
        match read {
            Ok(Some(value)) => Some(value),
            Ok(None) => {
                self.fail(at, "is required");
                None
            }
            Err(Reported) => None,
        }
    }

    /// The body itself, which must be an object with only the listed keys.
    fn top_object<'a>(
        &mut self,
        body: &'a Value,
        allowed: &[&str],
        what: &str,
    ) -> Option<Object<'a>> {
        match body {
            Value::Object(map) => {
                let object = Object { map, at: "" };
                self.unknown_keys(object, allowed, "key");
                Some(object)
            }
            other => {
                self.fail(
                    "",
                    format!("must be a JSON object ({what}), not {}", type_name(other)),
                );
                None
            }
        }
    }

    /// An optional object; its keys outside `allowed` are errors.
    fn object<'a>(
        &mut self,
        value: Option<&'a Value>,
        at: &'a str,
        allowed: &[&str],
        what: &str,
    ) -> Read<Object<'a>> {
        match value {
            None => Ok(None),
            Some(Value::Object(map)) => {
                let object = Object { map, at };
                self.unknown_keys(object, allowed, what);
                Ok(Some(object))
            }
            Some(other) => {
                Err(self.fail(at, format!("must be an object, not {}", type_name(other))))
            }
        }
    }

    fn unknown_keys(&mut self, object: Object<'_>, allowed: &[&str], what: &str) {
        for key in object.map.keys() {
            if allowed.contains(&key.as_str()) {
                continue;
            }
            let detail = match catalog::suggestion(key, allowed.iter().copied()) {
                Some(near) => format!("is not a known {what}; did you mean `{near}`?"),
                None => format!("is not a known {what}; known: {}", list(allowed)),
            };
            self.fail(&object.pointer(key), detail);
        }
    }

    fn number(&mut self, value: Option<&Value>, at: &str) -> Read<f64> {
        match value {
            None => Ok(None),
            // serde_json never yields a non-finite number from text; checked anyway because
            // the core is promised finite input.
            Some(Value::Number(n)) => match n.as_f64() {
                Some(x) if x.is_finite() => Ok(Some(x)),
                _ => Err(self.fail(at, "must be a finite number")),
            },
            Some(other) => {
                Err(self.fail(at, format!("must be a number, not {}", type_name(other))))
            }
        }
    }

    fn number_in(&mut self, value: Option<&Value>, at: &str, interval: Interval) -> Read<f64> {
        match self.number(value, at)? {
            Some(x) if !interval.contains(x) => Err(self.fail(at, interval.requirement())),
            other => Ok(other),
        }
    }

    /// An integer `≥ min` and at most `MAX_INTEGER`; `2.0` counts as the integer 2, as in JSON
    /// Schema.
    fn integer(&mut self, value: Option<&Value>, at: &str, min: u64) -> Read<u64> {
        // Written only for an error: every valid request reads several integers.
        let requirement = || format!("must be an integer >= {min}");
        match value {
            None => Ok(None),
            Some(Value::Number(n)) => {
                let whole = n.as_u64().or_else(|| {
                    n.as_f64()
                        .filter(|x| x.fract() == 0.0 && *x >= 0.0 && *x < u64::MAX as f64)
                        .map(|x| x as u64)
                });
                let too_large = match whole {
                    Some(k) => k > MAX_INTEGER,
                    None => n.as_f64().is_some_and(|x| x >= u64::MAX as f64),
                };
                match whole {
                    _ if too_large => {
                        Err(self.fail(at, format!("is too large (at most {MAX_INTEGER})")))
                    }
                    Some(k) if k >= min => Ok(Some(k)),
                    _ => Err(self.fail(at, requirement())),
                }
            }
            Some(other) => {
                Err(self.fail(at, format!("{}, not {}", requirement(), type_name(other))))
            }
        }
    }

    fn boolean(&mut self, value: Option<&Value>, at: &str) -> Read<bool> {
        match value {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(other) => Err(self.fail(
                at,
                format!("must be true or false, not {}", type_name(other)),
            )),
        }
    }

    fn string<'a>(&mut self, value: Option<&'a Value>, at: &str, names: &[&str]) -> Read<&'a str> {
        match value {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(other) => Err(self.fail(
                at,
                format!("must be one of {}, not {}", list(names), type_name(other)),
            )),
        }
    }

    /// One of the spellings of a wire enum.
    fn choice<T: WireEnum>(&mut self, value: Option<&Value>, at: &str) -> Read<T> {
        let names = T::names();
        let Some(text) = self.string(value, at, &names)? else {
            return Ok(None);
        };
        match T::parse(text) {
            Some(v) => Ok(Some(v)),
            None => Err(self.fail(at, one_of(text, &names))),
        }
    }

    fn algorithm(&mut self, value: Option<&Value>) -> Option<Algorithm> {
        let read = self.choice::<Algorithm>(value, "/algorithm");
        match read {
            Ok(None) => {
                self.fail(
                    "/algorithm",
                    format!("is required; one of {}", list(&Algorithm::names())),
                );
                None
            }
            other => other.ok().flatten(),
        }
    }

    /// A required array at `at`; "is required", or "must be an array of `what`", otherwise.
    fn required_array<'a>(
        &mut self,
        value: Option<&'a Value>,
        at: &str,
        what: &str,
    ) -> Option<&'a Vec<Value>> {
        match value {
            None => {
                self.fail(at, "is required");
                None
            }
            Some(Value::Array(items)) => Some(items),
            Some(other) => {
                self.fail(
                    at,
                    format!("must be an array of {what}, not {}", type_name(other)),
                );
                None
            }
        }
    }

    /// A required, non-empty array at `at` of at most `limit` items, or `None` with the failure
    /// reported: "is required", "must be an array of `of`", `empty`, or "has 12 `noun`; the
    /// limit is …" (over the limit, the items are not read one by one: the count is the
    /// answer).
    fn bounded_array<'a>(
        &mut self,
        value: Option<&'a Value>,
        at: &str,
        (of, empty, noun): (&str, &str, &str),
        limit: (Limit, u64),
    ) -> Option<&'a Vec<Value>> {
        let items = self.required_array(value, at, of)?;
        if items.is_empty() {
            self.fail(at, empty);
            return None;
        }
        if self.too_many(at, items.len(), noun, limit) {
            return None;
        }
        Some(items)
    }

    /// The samples; every `x` must have as many inputs as there are weights (or, without valid
    /// weights, as the first sample), checked even when other samples are invalid.
    fn samples(&mut self, value: Option<&Value>, shape: Shape) -> Option<Vec<model::Sample>> {
        let items = self.bounded_array(
            value,
            "/samples",
            ("samples", "must contain at least one sample", "samples"),
            (Limit::Samples, self.limits.samples),
        )?;
        let mut samples = Vec::with_capacity(items.len());
        let mut all_valid = true;
        let mut expected = shape.inputs;
        for (i, item) in items.iter().enumerate() {
            match self.sample(i, item, &mut expected, shape.outputs) {
                Some(sample) => samples.push(sample),
                None => all_valid = false,
            }
        }
        all_valid.then_some(samples)
    }

    /// Sample `i`, its `x` as long as `expected` says (the first valid `x` sets it, without
    /// valid weights).
    fn sample(
        &mut self,
        i: usize,
        item: &Value,
        expected: &mut Option<(usize, &'static str)>,
        outputs: Option<Option<usize>>,
    ) -> Option<model::Sample> {
        let at = format!("/samples/{i}");
        let Value::Object(map) = item else {
            self.fail(
                &at,
                format!(
                    "must be an object {{\"x\": [...], \"t\": ...}}, not {}",
                    type_name(item)
                ),
            );
            return None;
        };
        let object = Object { map, at: &at };
        self.unknown_keys(object, SAMPLE_KEYS, "key of a sample");
        let x_at = object.pointer("x");
        let x = self.numbers(object.get("x"), &x_at, "input");
        let x = self.required(x, &x_at);
        if let Some(x) = &x {
            match *expected {
                Some((n, _)) if n == x.len() => {}
                Some((n, source)) => {
                    self.fail(
                        &x_at,
                        format!("has {} but {source} {n}", count(x.len(), "input", "inputs")),
                    );
                }
                None => *expected = Some((x.len(), "the first sample's x has")),
            }
        }
        let t_at = object.pointer("t");
        let t = self.target(object.get("t"), &t_at, outputs);
        let t = self.required(t, &t_at);
        x.zip(t).map(|(x, t)| model::Sample { x, t })
    }

    /// A non-empty array of finite numbers.
    fn numbers(&mut self, value: Option<&Value>, at: &str, what: &str) -> Read<Vec<f64>> {
        let items = match value {
            None => return Ok(None),
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(self.fail(
                    at,
                    format!("must be an array of numbers, not {}", type_name(other)),
                ))
            }
        };
        if items.is_empty() {
            return Err(self.fail(at, format!("must have at least one {what}")));
        }
        let mut numbers = Vec::with_capacity(items.len());
        let mut valid = true;
        for (i, item) in items.iter().enumerate() {
            // A finite number needs no pointer; one is written only for an error.
            if let Some(x) = item.as_f64().filter(|x| x.is_finite()) {
                numbers.push(x);
                continue;
            }
            // Inside an array null is a value, not an absence.
            let read = match item {
                Value::Null => Err(self.fail(&format!("{at}/{i}"), "must be a number, not null")),
                item => self.number(Some(item), &format!("{at}/{i}")),
            };
            match read {
                Ok(Some(x)) => numbers.push(x),
                _ => valid = false,
            }
        }
        if valid {
            Ok(Some(numbers))
        } else {
            Err(Reported)
        }
    }

    fn weights(&mut self, value: Option<&Value>) -> Option<Vec<f64>> {
        if let Some(Value::Array(items)) = value {
            let limit = (Limit::Features, self.limits.features);
            if self.too_many("/weights", items.len(), "weights (features)", limit) {
                return None;
            }
        }
        let read = self.numbers(value, "/weights", "weight");
        self.required(read, "/weights")
    }

    /// Read every key of `hyperparameters` (type and range, whether or not the algorithm uses
    /// it), then resolve the algorithm's own keys with their defaults.
    fn hyperparameters(
        &mut self,
        value: Option<&Value>,
        algorithm: Option<Algorithm>,
        parameters: Option<u64>,
    ) -> Option<Hyper> {
        let spec = algorithm.map(|a| a.spec());
        let given = match value {
            None => Vec::new(),
            Some(Value::Object(map)) => self.given_hyperparameters(
                Object {
                    map,
                    at: "/hyperparameters",
                },
                spec,
            ),
            Some(other) => {
                self.fail(
                    "/hyperparameters",
                    format!("must be an object, not {}", type_name(other)),
                );
                return None;
            }
        };
        let (algorithm, spec) = (algorithm?, spec?);
        let resolved = self.resolve_hyperparameters(spec, &given, parameters)?;
        let warnings = unused_hyperparameters(spec, &given, &resolved);
        let optimizer = algorithm.resolve(&Resolved(&resolved))?;
        Some(Hyper {
            optimizer,
            echo: Hyperparameters::from_values(&resolved),
            warnings,
        })
    }

    /// Each key of the `hyperparameters` object read by its kind and range (absent for
    /// `null`); an unknown key is an error, with the likely one or the algorithm's own keys.
    fn given_hyperparameters(
        &mut self,
        object: Object<'_>,
        spec: Option<&Spec>,
    ) -> Vec<(&'static str, Result<HyperValue, Reported>)> {
        let known: Vec<&str> = catalog::hyperparameters().iter().map(|h| h.name).collect();
        let mut given = Vec::new();
        for (key, value) in object.map {
            let at = object.pointer(key);
            let Some(hyper) = catalog::hyperparameter(key) else {
                let detail = match (catalog::suggestion(key, known.iter().copied()), spec) {
                    (Some(near), _) => {
                        format!("is not a known hyperparameter; did you mean `{near}`?")
                    }
                    (None, Some(spec)) => format!(
                        "is not a known hyperparameter; {} uses {}",
                        spec.name,
                        list(&spec.uses.iter().map(|u| u.name).collect::<Vec<_>>())
                    ),
                    (None, None) => {
                        format!("is not a known hyperparameter; known: {}", list(&known))
                    }
                };
                self.fail(&at, detail);
                continue;
            };
            if value.is_null() {
                continue;
            }
            match self.hyperparameter(hyper.kind, value, &at) {
                Ok(Some(v)) => given.push((hyper.name, Ok(v))),
                Ok(None) => {}
                Err(reported) => given.push((hyper.name, Err(reported))),
            }
        }
        given
    }

    /// One hyperparameter's value, by its kind.
    fn hyperparameter(&mut self, kind: Kind, value: &Value, at: &str) -> Read<HyperValue> {
        match kind {
            Kind::Number(interval) => self
                .number_in(Some(value), at, interval)
                .map(|x| x.map(HyperValue::Number)),
            Kind::Integer { min } => self
                .integer(Some(value), at, min)
                .map(|k| k.map(HyperValue::Integer)),
            Kind::Choice(names) => match self.string(Some(value), at, names)? {
                Some(text) => match names.iter().find(|n| **n == text) {
                    Some(name) => Ok(Some(HyperValue::Text(name))),
                    None => Err(self.fail(at, one_of(text, names))),
                },
                None => Ok(None),
            },
        }
    }

    /// The algorithm's keys in its order, each the given value or its default (a conditional
    /// key only when its condition holds); `None` when one is missing or invalid, each
    /// required one that is missing reported.
    fn resolve_hyperparameters(
        &mut self,
        spec: &Spec,
        given: &[(&'static str, Result<HyperValue, Reported>)],
        parameters: Option<u64>,
    ) -> Option<Vec<(&'static str, HyperValue)>> {
        let mut resolved: Vec<(&'static str, HyperValue)> = Vec::new();
        let mut complete = true;
        for uses in spec.uses {
            if let Some((key, wanted)) = uses.only_when {
                let current = resolved.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
                if current != Some(HyperValue::Text(wanted)) {
                    continue;
                }
            }
            let at = child("/hyperparameters", uses.name);
            match given.iter().find(|(k, _)| *k == uses.name) {
                Some((_, Ok(v))) => resolved.push((uses.name, *v)),
                Some((_, Err(Reported))) => complete = false,
                None => match uses.default {
                    catalog::Default::Required => {
                        let condition = match uses.only_when {
                            Some((key, value)) => format!(" with {key} \"{value}\""),
                            None => String::new(),
                        };
                        self.fail(&at, format!("is required for {}{condition}", spec.name));
                        complete = false;
                    }
                    catalog::Default::Number(x) => {
                        resolved.push((uses.name, HyperValue::Number(x)))
                    }
                    catalog::Default::Text(t) => resolved.push((uses.name, HyperValue::Text(t))),
                    catalog::Default::Absent => {}
                    catalog::Default::ParameterCount => match parameters {
                        Some(p) => resolved.push((uses.name, HyperValue::Integer(p))),
                        None => complete = false,
                    },
                },
            }
        }
        complete.then_some(resolved)
    }

    fn schedule(&mut self, value: Option<&Value>, at: &str) -> Read<solve::Schedule> {
        let all_keys = [
            "type",
            "decay_rate",
            "drop_rate",
            "epochs_drop",
            "k",
            "first_epoch",
            "per",
        ];
        // Which keys are allowed depends on `type`; read it first so that a `k` in a
        // time_based schedule is named as the mistake it is.
        let type_at = child(at, "type");
        let kind = self.schedule_type(value, &type_at);
        let allowed: &[&str] = match kind {
            Some("time_based") => &["type", "decay_rate", "first_epoch", "per"],
            Some("step") => &["type", "drop_rate", "epochs_drop", "first_epoch", "per"],
            Some("exponential") => &["type", "k", "first_epoch", "per"],
            _ => &all_keys,
        };
        let what = match kind {
            Some(kind) => format!("parameter of a {kind} schedule"),
            None => "schedule parameter".to_string(),
        };
        let Some(object) = self.object(value, at, allowed, &what)? else {
            return Ok(None);
        };
        if object.get("type").is_none() {
            self.fail(
                &type_at,
                format!("is required; one of {}", list(SCHEDULE_TYPES)),
            );
        }
        let first_epoch =
            self.integer(object.get("first_epoch"), &object.pointer("first_epoch"), 0);
        let per = self.choice::<SchedulePer>(object.get("per"), &object.pointer("per"));
        let kind = kind.and_then(|kind| self.schedule_kind(kind, object));
        match (kind, first_epoch, per) {
            (Some(kind), Ok(first_epoch), Ok(per)) => Ok(Some(solve::Schedule {
                kind,
                first_epoch: first_epoch.unwrap_or(0),
                per: per.unwrap_or(SchedulePer::Epoch).into(),
            })),
            _ => Err(Reported),
        }
    }

    /// The schedule's `type`, if it is one of [`SCHEDULE_TYPES`] (anything else reported).
    fn schedule_type(&mut self, value: Option<&Value>, type_at: &str) -> Option<&'static str> {
        let kind_name = match value {
            Some(Value::Object(map)) => map.get("type"),
            _ => None,
        };
        match kind_name.filter(|v| !v.is_null()) {
            None => None,
            Some(Value::String(s)) => {
                let known = SCHEDULE_TYPES.iter().copied().find(|t| *t == s.as_str());
                if known.is_none() {
                    self.fail(type_at, one_of(s, SCHEDULE_TYPES));
                }
                known
            }
            Some(other) => {
                self.fail(
                    type_at,
                    format!(
                        "must be one of {}, not {}",
                        list(SCHEDULE_TYPES),
                        type_name(other)
                    ),
                );
                None
            }
        }
    }

    /// The parameters of a schedule of type `kind`.
    fn schedule_kind(&mut self, kind: &str, object: Object<'_>) -> Option<solve::ScheduleKind> {
        match kind {
            "time_based" => {
                let at = object.pointer("decay_rate");
                let decay_rate =
                    self.number_in(object.get("decay_rate"), &at, Interval::NON_NEGATIVE);
                self.required(decay_rate, &at)
                    .map(|decay_rate| solve::ScheduleKind::TimeBased { decay_rate })
            }
            "step" => {
                let at = object.pointer("drop_rate");
                let drop_rate = self.number_in(object.get("drop_rate"), &at, Interval::DROP_RATE);
                let drop_rate = self.required(drop_rate, &at);
                let at = object.pointer("epochs_drop");
                let epochs_drop = self.integer(object.get("epochs_drop"), &at, 1);
                let epochs_drop = self.required(epochs_drop, &at);
                drop_rate.zip(epochs_drop).map(|(drop_rate, epochs_drop)| {
                    solve::ScheduleKind::Step {
                        drop_rate,
                        epochs_drop,
                    }
                })
            }
            "exponential" => {
                let at = object.pointer("k");
                let k = self.number_in(object.get("k"), &at, Interval::NON_NEGATIVE);
                self.required(k, &at)
                    .map(|k| solve::ScheduleKind::Exponential { k })
            }
            _ => None,
        }
    }

    fn conventions(&mut self, value: Option<&Value>) -> Result<(Sign, EpsilonPlacement), Reported> {
        let Some(object) = self.object(value, "/conventions", CONVENTION_KEYS, "convention")?
        else {
            return Ok((Sign::Gradient, EpsilonPlacement::InsideSqrt));
        };
        let sign = self.choice::<Sign>(object.get("sign"), "/conventions/sign");
        let epsilon =
            self.choice::<EpsilonPlacement>(object.get("epsilon"), "/conventions/epsilon");
        Ok((
            sign?.unwrap_or(Sign::Gradient),
            epsilon?.unwrap_or(EpsilonPlacement::InsideSqrt),
        ))
    }

    fn rounding(&mut self, value: Option<&Value>) -> Read<solve::Rounding> {
        let Some(object) = self.object(value, "/rounding", ROUNDING_KEYS, "rounding")? else {
            return Ok(None);
        };
        let decimals = self.digits(object, "decimals", 0);
        let figures = self.digits(object, "significant_figures", 1);
        match (decimals?, figures?) {
            (Some(k), None) => Ok(Some(solve::Rounding::Decimals(k))),
            (None, Some(k)) => Ok(Some(solve::Rounding::SignificantFigures(k))),
            _ => Err(self.fail(
                "/rounding",
                "must have exactly one of decimals, significant_figures",
            )),
        }
    }

    fn digits(&mut self, object: Object<'_>, key: &str, min: u64) -> Read<u32> {
        let at = object.pointer(key);
        match self.integer(object.get(key), &at, min)? {
            Some(k) if k > MAX_ROUNDING_DIGITS => Err(self.fail(
                &at,
                format!("must be an integer from {min} to {MAX_ROUNDING_DIGITS}"),
            )),
            // k ≤ 17 here, so the conversion cannot fail.
            Some(k) => Ok(Some(u32::try_from(k).unwrap_or(u32::MAX))),
            None => Ok(None),
        }
    }

    /// `POST /v1/schedule`'s `epochs`: 1 to `limits.schedule_epochs` integers ≥ 0.
    fn epoch_list(&mut self, value: Option<&Value>) -> Option<Vec<u64>> {
        let items = self.bounded_array(
            value,
            "/epochs",
            ("integers", "must have at least one entry", "entries"),
            (Limit::ScheduleEpochs, self.limits.schedule_epochs),
        )?;
        let mut epochs = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let at = format!("/epochs/{i}");
            let read = match item {
                Value::Null => Err(self.fail(&at, "must be an integer >= 0, not null")),
                item => self.integer(Some(item), &at, 0),
            };
            if let Ok(Some(e)) = read {
                epochs.push(e);
            }
        }
        (epochs.len() == items.len()).then_some(epochs)
    }

    /// The size caps of `self.sizing` (`Limits::problem_caps`), reported at `/epochs`, the
    /// knob that usually moves them; the first one over is named.
    fn limits(&mut self, epochs: u64, batch: u64, samples: u64, parameters: u64, is_cg: bool) {
        let per_epoch = if is_cg {
            1
        } else {
            samples.div_ceil(batch.max(1))
        };
        let width = u128::from(parameters) + 1;
        let updates = u128::from(epochs) * u128::from(per_epoch);
        let over = self
            .limits
            .problem_caps(self.sizing)
            .into_iter()
            .find_map(|cap| {
                let (size, what) = match cap.measure {
                    Measure::TraceEntries => (
                        updates * width,
                        format!(
                            "asks for {} ({} × {per_epoch} per epoch) of {}: {} (updates × \
                             (parameters + 1))",
                            count(updates, "update", "updates"),
                            count(epochs, "epoch", "epochs"),
                            count(parameters, "parameter", "parameters"),
                            count(updates * width, "trace entry", "trace entries"),
                        ),
                    ),
                    Measure::ForwardEntries => {
                        let forward = u128::from(epochs) * u128::from(samples) * width;
                        (
                            forward,
                            format!(
                            "asks for {forward} forward-pass entries (epochs {epochs} × samples \
                             {samples} × (parameters {parameters} + 1))"
                        ),
                        )
                    }
                    Measure::LossEntries => {
                        let loss = updates * u128::from(samples) * width;
                        (
                            loss,
                            format!(
                                "asks for {loss} loss entries (updates {updates} × samples \
                             {samples} × (parameters {parameters} + 1))"
                            ),
                        )
                    }
                    Measure::Updates => (
                        updates,
                        format!(
                            "asks for {} ({} × {per_epoch} per epoch)",
                            count(updates, "update", "updates"),
                            count(epochs, "epoch", "epochs"),
                        ),
                    ),
                };
                (size > u128::from(cap.value)).then_some((cap, what))
            });
        if let Some((cap, what)) = over {
            let hint = match self.sizing {
                Sizing::Detail(Detail::Lines) => {
                    "; detail=values or summary, or a stream, allow longer runs"
                }
                _ => "",
            };
            self.over_limit(
                "/epochs",
                format!(
                    "{what}; the limit is {} ({}){hint}",
                    cap.value,
                    cap.limit.name()
                ),
                cap.limit,
                cap.value,
            );
        }
    }
}

/// A given key that did not resolve is one the algorithm does not use, or uses only under a
/// condition that is off: a warning each.
fn unused_hyperparameters(
    spec: &Spec,
    given: &[(&'static str, Result<HyperValue, Reported>)],
    resolved: &[(&'static str, HyperValue)],
) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for (key, _) in given {
        if resolved.iter().any(|(k, _)| k == key) {
            continue;
        }
        let reason = match spec.used(key) {
            Some(catalog::Uses {
                only_when: Some((k, v)),
                ..
            }) => format!("{} uses it only with {k} \"{v}\"", spec.name),
            _ => format!("{} does not use it", spec.name),
        };
        warnings.push(Warning::new(
            "unused_hyperparameter",
            format!("hyperparameters.{key} is ignored: {reason}"),
            None,
        ));
    }
    warnings
}

/// "`adamax` is not one of gd, momentum, …; did you mean `adam`?"
fn one_of(text: &str, names: &[&str]) -> String {
    let base = format!("must be one of {}, not \"{}\"", list(names), shown(text));
    match catalog::suggestion(text, names.iter().copied()) {
        Some(near) => format!("{base}; did you mean \"{near}\"?"),
        None => base,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The property names the OpenAPI document gives `T`.
    fn published_keys<T: utoipa::ToSchema>() -> Vec<String> {
        let schema = serde_json::to_value(T::schema()).unwrap_or_default();
        let properties = schema["properties"]
            .as_object()
            .cloned()
            .unwrap_or_default();
        properties.keys().cloned().collect()
    }

    /// The validator's key lists are the published shape's (the types the OpenAPI document is
    /// generated from), key for key and in order: a key added to one and not the other fails.
    #[test]
    fn the_validators_key_lists_are_the_published_shapes() {
        let expect = |keys: &[&str], published: Vec<String>| assert_eq!(keys, published);
        expect(TOP_KEYS, published_keys::<model::SolveRequest>());
        expect(SAMPLE_KEYS, published_keys::<model::Sample>());
        expect(network::NETWORK_KEYS, published_keys::<model::Network>());
        expect(network::LAYER_KEYS, published_keys::<model::NetworkLayer>());
        expect(CONVENTION_KEYS, published_keys::<model::Conventions>());
        expect(
            SCHEDULE_REQUEST_KEYS,
            published_keys::<model::ScheduleRequest>(),
        );
    }

    /// The course's momentum problem, the tests' own fixture.
    fn momentum() -> Value {
        serde_json::from_str(include_str!("../../tests/fixtures/momentum.json")).unwrap_or_default()
    }

    fn pointers(body: Value) -> Vec<String> {
        match problem(&body) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.pointer).collect(),
        }
    }

    #[test]
    fn the_course_momentum_problem_resolves_with_its_defaults() {
        let Ok(valid) = problem(&momentum()) else {
            panic!("the course's problem is valid");
        };
        assert_eq!(
            valid.problem.optimizer,
            solve::Optimizer::Momentum {
                learning_rate: 0.2,
                beta: 0.8,
                form: solve::MomentumForm::Average
            }
        );
        assert_eq!(valid.problem.batch_size, 1);
        assert_eq!(valid.problem.epochs, 1);
        assert_eq!(valid.problem.conventions.sign, solve::SignConvention::Delta);
        assert!(valid.warnings.is_empty());
        assert_eq!(
            valid.echo.hyperparameters.get("form"),
            Some(HyperValue::Text("average"))
        );
    }

    #[test]
    fn every_algorithm_resolves_with_only_a_learning_rate() {
        for algorithm in Algorithm::ALL {
            let mut body = momentum();
            body["algorithm"] = json!(algorithm.name());
            body["hyperparameters"] = json!({"learning_rate": 0.1});
            let result = problem(&body);
            // conjugate gradient's default line search is exact, which has no learning rate.
            match result {
                Ok(valid) if *algorithm == Algorithm::ConjugateGradient => {
                    assert_eq!(valid.warnings.len(), 1, "{valid:?}");
                }
                Ok(valid) => assert!(valid.warnings.is_empty(), "{valid:?}"),
                Err(errors) => panic!("{}: {errors:?}", algorithm.name()),
            }
        }
    }

    #[test]
    fn conjugate_gradient_defaults_to_full_batch_and_restarts_every_parameter_count() {
        let mut body = momentum();
        body["algorithm"] = json!("conjugate_gradient");
        body["bias"] = json!(0.1);
        body["hyperparameters"] = json!({});
        let Ok(valid) = problem(&body) else { panic!() };
        assert_eq!(valid.problem.batch_size, 2);
        let solve::Optimizer::ConjugateGradient { restart_every, .. } = valid.problem.optimizer
        else {
            panic!()
        };
        assert_eq!(restart_every, 3);
    }

    #[test]
    fn a_string_where_a_number_belongs_is_named_by_its_pointer() {
        let mut body = momentum();
        body["samples"][1]["t"] = json!("0.6");
        assert_eq!(pointers(body), ["/samples/1/t"]);
    }

    #[test]
    fn null_reads_as_absent_for_optional_keys() {
        let mut body = momentum();
        body["bias"] = Value::Null;
        body["schedule"] = Value::Null;
        body["hyperparameters"]["form"] = Value::Null;
        assert!(problem(&body).is_ok());
    }

    #[test]
    fn a_batch_size_above_the_sample_count_is_full_batch() {
        let mut body = momentum();
        body["batch_size"] = json!(10);
        let Ok(valid) = problem(&body) else { panic!() };
        assert_eq!(valid.problem.batch_size, 2);
        assert_eq!(valid.echo.batch_size, 2);
    }

    #[test]
    fn conditional_keys_warn_when_their_condition_is_off() {
        let mut body = momentum();
        body["algorithm"] = json!("conjugate_gradient");
        body["hyperparameters"] = json!({"learning_rate": 0.1, "max_step": 5});
        let Ok(valid) = problem(&body) else { panic!() };
        let codes: Vec<_> = valid.warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(codes.len(), 1, "{codes:?}");
        assert!(codes[0].contains("learning_rate"));

        body["hyperparameters"] =
            json!({"line_search": "fixed", "learning_rate": 0.1, "max_step": 5});
        let Ok(valid) = problem(&body) else { panic!() };
        assert_eq!(valid.warnings.len(), 1);
        assert!(valid.warnings[0].message.contains("max_step"));
    }

    #[test]
    fn conjugate_gradient_with_fixed_steps_needs_a_learning_rate() {
        let mut body = momentum();
        body["algorithm"] = json!("conjugate_gradient");
        body["hyperparameters"] = json!({"line_search": "fixed"});
        assert_eq!(pointers(body), ["/hyperparameters/learning_rate"]);
    }

    #[test]
    fn an_exact_line_search_cannot_be_scheduled() {
        let mut body = momentum();
        body["algorithm"] = json!("conjugate_gradient");
        body["hyperparameters"] = json!({});
        body["schedule"] = json!({"type": "exponential", "k": 0.1});
        assert_eq!(pointers(body), ["/schedule"]);
    }

    #[test]
    fn schedule_parameters_of_another_type_are_unknown_keys() {
        let mut body = momentum();
        body["schedule"] = json!({"type": "time_based", "k": 0.1});
        assert_eq!(pointers(body), ["/schedule/k", "/schedule/decay_rate"]);
    }

    #[test]
    fn rounding_needs_exactly_one_key() {
        let mut body = momentum();
        body["rounding"] = json!({"decimals": 4, "significant_figures": 3});
        assert_eq!(pointers(body.clone()), ["/rounding"]);
        body["rounding"] = json!({});
        assert_eq!(pointers(body.clone()), ["/rounding"]);
        body["rounding"] = json!({"significant_figures": 0});
        assert_eq!(pointers(body.clone()), ["/rounding/significant_figures"]);
        body["rounding"] = json!({"decimals": 18});
        assert_eq!(pointers(body), ["/rounding/decimals"]);
    }

    #[test]
    fn too_many_updates_are_refused_at_epochs() {
        let mut body = momentum();
        body["epochs"] = json!(1e9);
        assert_eq!(pointers(body), ["/epochs"]);
    }

    #[test]
    fn pointers_escape_slashes_and_tildes_in_keys() {
        let mut body = momentum();
        body["a/b~c"] = json!(1);
        assert_eq!(pointers(body), ["/a~1b~0c"]);
    }

    #[test]
    fn integers_may_be_written_with_a_zero_fraction() {
        let mut body = momentum();
        body["epochs"] = json!(2.0);
        let Ok(valid) = problem(&body) else { panic!() };
        assert_eq!(valid.problem.epochs, 2);
        body["epochs"] = json!(2.5);
        assert_eq!(pointers(body), ["/epochs"]);
    }

    #[test]
    fn a_schedule_table_warns_about_fields_it_does_not_use() {
        let body = json!({
            "learning_rate": 0.2,
            "schedule": {"type": "step", "drop_rate": 0.5, "epochs_drop": 5, "first_epoch": 1},
            "epochs": [5, 10, 15]
        });
        let Ok(valid) = schedule_request(&body) else {
            panic!()
        };
        assert_eq!(valid.epochs, [5, 10, 15]);
        assert_eq!(valid.warnings.len(), 1);
    }
}

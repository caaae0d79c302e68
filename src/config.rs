//! The service's limits and operating settings, in one [`Config`]: what one request may ask for
//! ([`Limits`]), how long it may take, how many run at once, how the process stops, and which
//! browser origins may call it.
//!
//! The CLI builds it from flags and environment variables (clap derives them from the fields
//! below, so each flag, variable and default is written once, here); `Config::default()` is the
//! same values with nothing set, which is what `gradtrace::app()` and the tests use. Nothing
//! here is global: the config is a value handed to `api::app_with` and `serve_with`.
//!
//! The size caps of a problem depend on how it is answered ([`Sizing`]: a solution at a
//! `detail`, or an NDJSON stream): [`Limits::problem_caps`] and [`Limits::batch_caps`] list them.
//!
//! [`Limit`] names each limit with its flag and variable, so that an error about a limit can
//! tell an operator how to raise it (a unit test keeps those names equal to clap's).

use std::num::NonZeroUsize;
use std::str::FromStr;
use std::time::Duration;

use clap::Args;

use crate::solve::Detail;

/// Default body limit: 1 MiB.
pub const DEFAULT_BODY_BYTES: u64 = 1024 * 1024;
/// Default most samples in one problem.
pub const DEFAULT_SAMPLES: u64 = 10_000;
/// Default most features (inputs per sample, the length of `weights`).
pub const DEFAULT_FEATURES: u64 = 1_000;
/// Default most parameters of one network (weights and biases, updated or not): a worked
/// backpropagation is read by people, and each parameter costs a few lines per update.
pub const DEFAULT_NETWORK_PARAMETERS: u64 = 10_000;
// The size caps of a solve, per `detail` (issue 10). Every default below is provisional until
// the redesigned core is measured (`scripts/bench.sh`): lines get 10× and values 100× the trace
// entries allowed before issue 10 (10,000, when one Adam update of the course's 2-weight
// problem cost ≈ 220 µs with lines and ≈ 1.7 kB of JSON per entry, so 10,000 entries were
// ≈ 17 MB and 1.5 s). A batch (batch, compare, variants) may ask for 5 times one problem's cap.

/// Default most `updates × (parameters + 1)` with `detail=lines`: every update shows a few
/// lines per parameter, so the answer grows with this.
pub const DEFAULT_TRACE_ENTRIES: u64 = 100_000;
/// Default most `epochs × samples × (parameters + 1)` with `detail=lines`: every update shows
/// each of its samples' forward pass, so full-batch runs grow with this rather than with updates.
pub const DEFAULT_FORWARD_ENTRIES: u64 = 200_000;
/// Default most `updates × (parameters + 1)` with `detail=values` (no lines: the numbers only).
pub const DEFAULT_VALUES_TRACE_ENTRIES: u64 = 1_000_000;
/// Default most `epochs × samples × (parameters + 1)` with `detail=values`.
pub const DEFAULT_VALUES_FORWARD_ENTRIES: u64 = 2_000_000;
/// Default most `updates × samples × (parameters + 1)` with `detail=summary`: the loss over
/// every sample after every update, which bounds both its arithmetic and its `per_update`.
pub const DEFAULT_SUMMARY_ENTRIES: u64 = 10_000_000;
/// Default most problems in one batch request (`/v1/solve/batch`, `/v1/grade/batch`, and the
/// `count` of `/v1/variants`): a large class at once.
pub const DEFAULT_BATCH_PROBLEMS: u64 = 1_000;
/// Default most trace entries all the problems of one batch request may ask for together with
/// `detail=lines` (`updates × (parameters + 1)`, summed): five single problems at their cap.
/// A class of 1,000 students on the course's three-sample exercise needs 9,000.
pub const DEFAULT_BATCH_TRACE_ENTRIES: u64 = 5 * DEFAULT_TRACE_ENTRIES;
/// Default most forward-pass entries of one batch request together with `detail=lines`.
pub const DEFAULT_BATCH_FORWARD_ENTRIES: u64 = 5 * DEFAULT_FORWARD_ENTRIES;
/// Default most trace entries of one batch request together with `detail=values`.
pub const DEFAULT_BATCH_VALUES_TRACE_ENTRIES: u64 = 5 * DEFAULT_VALUES_TRACE_ENTRIES;
/// Default most forward-pass entries of one batch request together with `detail=values`.
pub const DEFAULT_BATCH_VALUES_FORWARD_ENTRIES: u64 = 5 * DEFAULT_VALUES_FORWARD_ENTRIES;
/// Default most loss entries of one batch request together with `detail=summary`.
pub const DEFAULT_BATCH_SUMMARY_ENTRIES: u64 = 5 * DEFAULT_SUMMARY_ENTRIES;
/// Default most updates in one NDJSON stream: a stream's memory stays flat whatever its length
/// (a bounded channel between the solver and the socket), so only time bounds it.
pub const DEFAULT_STREAM_UPDATES: u64 = 10_000_000;
/// Default most entries of `epochs` in `POST /v1/schedule`.
pub const DEFAULT_SCHEDULE_EPOCHS: u64 = 10_000;
/// A 201 × 201 grid draws smooth contours at the picture's 440 pixels.
pub const DEFAULT_PLOT_RESOLUTION: u64 = 201;
/// Under half a second of loss evaluations on one core (measured: 0.43 s in release).
pub const DEFAULT_PLOT_EVALUATIONS: u64 = 20_000_000;
/// Default time one request may take, reading its body included (a stream: until its first
/// byte).
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time one NDJSON stream may take once its first byte is sent.
pub const DEFAULT_STREAM_TIMEOUT: Duration = Duration::from_secs(600);
/// Default most requests in flight at once (`/healthz` and `/metrics` not counted); more are
/// refused with 503 at once rather than queued.
pub const DEFAULT_MAX_IN_FLIGHT: u64 = 64;
/// Default time a connection has to send a request's headers, from when it opens or from the
/// end of its previous response: a browser or script sends them within milliseconds, while a
/// client that holds a connection without finishing them (slowloris) is closed after this.
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// Default most connections open at once per core. Each costs a file descriptor and a few tens
/// of kilobytes; at 512 per core a 2-core machine serves 1,024, far below the 20,000 files a
/// process may open here, and 64 clients of wrk use 64.
pub const DEFAULT_CONNECTIONS_PER_CORE: usize = 512;
/// Default time in-flight requests get to finish after SIGTERM or Ctrl-C: under the 30 s a
/// container orchestrator usually waits before it kills.
pub const DEFAULT_SHUTDOWN_GRACE: Duration = Duration::from_secs(20);

/// What one request may ask for. Each limit is a flag and an environment variable of `serve`
/// (and of the offline commands, which apply the same limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Args)]
pub struct Limits {
    /// Largest request body, in bytes (larger: 413).
    #[arg(
        long = "max-body-bytes",
        env = "GRADTRACE_MAX_BODY_BYTES",
        value_name = "BYTES",
        default_value_t = DEFAULT_BODY_BYTES,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub body_bytes: u64,
    /// Most samples in one problem (more: 422 at /samples).
    #[arg(
        long = "max-samples",
        env = "GRADTRACE_MAX_SAMPLES",
        value_name = "N",
        default_value_t = DEFAULT_SAMPLES,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub samples: u64,
    /// Most features, i.e. weights (more: 422 at /weights).
    #[arg(
        long = "max-features",
        env = "GRADTRACE_MAX_FEATURES",
        value_name = "N",
        default_value_t = DEFAULT_FEATURES,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub features: u64,
    /// Most parameters (weights and biases) of one network (more: 422 at /network/layers).
    #[arg(
        long = "max-network-parameters",
        env = "GRADTRACE_MAX_NETWORK_PARAMETERS",
        value_name = "N",
        default_value_t = DEFAULT_NETWORK_PARAMETERS,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub network_parameters: u64,
    /// Most updates × (parameters + 1) in one trace with detail=lines, the default (more: 422
    /// at /epochs).
    #[arg(
        long = "max-trace-entries",
        env = "GRADTRACE_MAX_TRACE_ENTRIES",
        value_name = "N",
        default_value_t = DEFAULT_TRACE_ENTRIES,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub trace_entries: u64,
    /// Most epochs × samples × (parameters + 1) in one trace with detail=lines (more: 422 at
    /// /epochs).
    #[arg(
        long = "max-forward-entries",
        env = "GRADTRACE_MAX_FORWARD_ENTRIES",
        value_name = "N",
        default_value_t = DEFAULT_FORWARD_ENTRIES,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub forward_entries: u64,
    /// Most updates × (parameters + 1) in one trace with detail=values (more: 422 at /epochs).
    #[arg(
        long = "max-values-trace-entries",
        env = "GRADTRACE_MAX_VALUES_TRACE_ENTRIES",
        value_name = "N",
        default_value_t = DEFAULT_VALUES_TRACE_ENTRIES,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub values_trace_entries: u64,
    /// Most epochs × samples × (parameters + 1) in one trace with detail=values (more: 422 at
    /// /epochs).
    #[arg(
        long = "max-values-forward-entries",
        env = "GRADTRACE_MAX_VALUES_FORWARD_ENTRIES",
        value_name = "N",
        default_value_t = DEFAULT_VALUES_FORWARD_ENTRIES,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub values_forward_entries: u64,
    /// Most updates × samples × (parameters + 1) in one detail=summary solution: the loss over
    /// every sample after every update (more: 422 at /epochs).
    #[arg(
        long = "max-summary-entries",
        env = "GRADTRACE_MAX_SUMMARY_ENTRIES",
        value_name = "N",
        default_value_t = DEFAULT_SUMMARY_ENTRIES,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub summary_entries: u64,
    /// Most updates in one NDJSON stream (more: 422 at /epochs, before any byte).
    #[arg(
        long = "max-stream-updates",
        env = "GRADTRACE_MAX_STREAM_UPDATES",
        value_name = "N",
        default_value_t = DEFAULT_STREAM_UPDATES,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub stream_updates: u64,
    /// Most problems in one batch request (more: 422).
    #[arg(
        long = "max-batch-problems",
        env = "GRADTRACE_MAX_BATCH_PROBLEMS",
        value_name = "N",
        default_value_t = DEFAULT_BATCH_PROBLEMS,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub batch_problems: u64,
    /// With detail=lines: most updates × (parameters + 1) of all the problems of one batch
    /// request together (more: 422).
    #[arg(
        long = "max-batch-trace-entries",
        env = "GRADTRACE_MAX_BATCH_TRACE_ENTRIES",
        value_name = "N",
        default_value_t = DEFAULT_BATCH_TRACE_ENTRIES,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub batch_trace_entries: u64,
    /// With detail=lines: most epochs × samples × (parameters + 1) of all the problems of one
    /// batch request together (more: 422).
    #[arg(
        long = "max-batch-forward-entries",
        env = "GRADTRACE_MAX_BATCH_FORWARD_ENTRIES",
        value_name = "N",
        default_value_t = DEFAULT_BATCH_FORWARD_ENTRIES,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub batch_forward_entries: u64,
    /// With detail=values: most updates × (parameters + 1) of all the problems of one batch
    /// request together (more: 422).
    #[arg(
        long = "max-batch-values-trace-entries",
        env = "GRADTRACE_MAX_BATCH_VALUES_TRACE_ENTRIES",
        value_name = "N",
        default_value_t = DEFAULT_BATCH_VALUES_TRACE_ENTRIES,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub batch_values_trace_entries: u64,
    /// With detail=values: most epochs × samples × (parameters + 1) of all the problems of one
    /// batch request together (more: 422).
    #[arg(
        long = "max-batch-values-forward-entries",
        env = "GRADTRACE_MAX_BATCH_VALUES_FORWARD_ENTRIES",
        value_name = "N",
        default_value_t = DEFAULT_BATCH_VALUES_FORWARD_ENTRIES,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub batch_values_forward_entries: u64,
    /// With detail=summary: most updates × samples × (parameters + 1) of all the problems of
    /// one batch request together (more: 422).
    #[arg(
        long = "max-batch-summary-entries",
        env = "GRADTRACE_MAX_BATCH_SUMMARY_ENTRIES",
        value_name = "N",
        default_value_t = DEFAULT_BATCH_SUMMARY_ENTRIES,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub batch_summary_entries: u64,
    /// Most values of `epochs` in one POST /v1/schedule (more: 422 at /epochs).
    #[arg(
        long = "max-schedule-epochs",
        env = "GRADTRACE_MAX_SCHEDULE_EPOCHS",
        value_name = "N",
        default_value_t = DEFAULT_SCHEDULE_EPOCHS,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub schedule_epochs: u64,
    /// Most grid points per side of a loss surface picture (more: 422 at `resolution`).
    #[arg(
        long = "max-plot-resolution",
        env = "GRADTRACE_MAX_PLOT_RESOLUTION",
        value_name = "N",
        default_value_t = DEFAULT_PLOT_RESOLUTION,
        value_parser = clap::value_parser!(u64).range(5..)
    )]
    pub plot_resolution: u64,
    /// Most grid points × samples of one loss surface picture, the losses it computes (more:
    /// 422 at `resolution`).
    #[arg(
        long = "max-plot-evaluations",
        env = "GRADTRACE_MAX_PLOT_EVALUATIONS",
        value_name = "N",
        default_value_t = DEFAULT_PLOT_EVALUATIONS,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub plot_evaluations: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: DEFAULT_BODY_BYTES,
            samples: DEFAULT_SAMPLES,
            features: DEFAULT_FEATURES,
            network_parameters: DEFAULT_NETWORK_PARAMETERS,
            trace_entries: DEFAULT_TRACE_ENTRIES,
            forward_entries: DEFAULT_FORWARD_ENTRIES,
            values_trace_entries: DEFAULT_VALUES_TRACE_ENTRIES,
            values_forward_entries: DEFAULT_VALUES_FORWARD_ENTRIES,
            summary_entries: DEFAULT_SUMMARY_ENTRIES,
            stream_updates: DEFAULT_STREAM_UPDATES,
            batch_problems: DEFAULT_BATCH_PROBLEMS,
            batch_trace_entries: DEFAULT_BATCH_TRACE_ENTRIES,
            batch_forward_entries: DEFAULT_BATCH_FORWARD_ENTRIES,
            batch_values_trace_entries: DEFAULT_BATCH_VALUES_TRACE_ENTRIES,
            batch_values_forward_entries: DEFAULT_BATCH_VALUES_FORWARD_ENTRIES,
            batch_summary_entries: DEFAULT_BATCH_SUMMARY_ENTRIES,
            schedule_epochs: DEFAULT_SCHEDULE_EPOCHS,
            plot_resolution: DEFAULT_PLOT_RESOLUTION,
            plot_evaluations: DEFAULT_PLOT_EVALUATIONS,
        }
    }
}

impl Limits {
    /// The body limit as a `usize` (saturating on a 32-bit target).
    pub fn body_bytes(&self) -> usize {
        usize::try_from(self.body_bytes).unwrap_or(usize::MAX)
    }

    /// The caps one problem is held to when solved as `sizing` says, in the order they are
    /// checked.
    pub fn problem_caps(&self, sizing: Sizing) -> Vec<Cap> {
        use Measure::*;
        match sizing {
            Sizing::Detail(Detail::Lines) => vec![
                Cap::new(TraceEntries, self.trace_entries, Limit::TraceEntries),
                Cap::new(ForwardEntries, self.forward_entries, Limit::ForwardEntries),
            ],
            Sizing::Detail(Detail::Values) => vec![
                Cap::new(
                    TraceEntries,
                    self.values_trace_entries,
                    Limit::ValuesTraceEntries,
                ),
                Cap::new(
                    ForwardEntries,
                    self.values_forward_entries,
                    Limit::ValuesForwardEntries,
                ),
            ],
            Sizing::Detail(Detail::Summary) => vec![Cap::new(
                LossEntries,
                self.summary_entries,
                Limit::SummaryEntries,
            )],
            Sizing::Stream => vec![Cap::new(Updates, self.stream_updates, Limit::StreamUpdates)],
        }
    }

    /// The caps all the problems of one batch request (batch, compare, variants) are held to
    /// together at `detail`.
    pub fn batch_caps(&self, detail: Detail) -> Vec<Cap> {
        use Measure::*;
        match detail {
            Detail::Lines => vec![
                Cap::new(
                    TraceEntries,
                    self.batch_trace_entries,
                    Limit::BatchTraceEntries,
                ),
                Cap::new(
                    ForwardEntries,
                    self.batch_forward_entries,
                    Limit::BatchForwardEntries,
                ),
            ],
            Detail::Values => vec![
                Cap::new(
                    TraceEntries,
                    self.batch_values_trace_entries,
                    Limit::BatchValuesTraceEntries,
                ),
                Cap::new(
                    ForwardEntries,
                    self.batch_values_forward_entries,
                    Limit::BatchValuesForwardEntries,
                ),
            ],
            Detail::Summary => vec![Cap::new(
                LossEntries,
                self.batch_summary_entries,
                Limit::BatchSummaryEntries,
            )],
        }
    }
}

/// How a problem is answered, for its size caps: a whole solution at a detail, or a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sizing {
    Detail(Detail),
    Stream,
}

/// What a size cap counts of a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// `updates × (parameters + 1)`: the steps' values and lines.
    TraceEntries,
    /// `epochs × samples × (parameters + 1)`: the steps' forward passes.
    ForwardEntries,
    /// `updates × samples × (parameters + 1)`: the loss over every sample after every update.
    LossEntries,
    /// Updates.
    Updates,
}

impl Measure {
    /// What it counts, for messages: "trace entries (updates × (parameters + 1))".
    pub fn describe(self) -> &'static str {
        match self {
            Measure::TraceEntries => "trace entries (updates × (parameters + 1))",
            Measure::ForwardEntries => "forward-pass entries (epochs × samples × (parameters + 1))",
            Measure::LossEntries => "loss entries (updates × samples × (parameters + 1))",
            Measure::Updates => "updates",
        }
    }
}

/// One size cap: what it counts, its value, and the limit that sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cap {
    pub measure: Measure,
    pub value: u64,
    pub limit: Limit,
}

impl Cap {
    fn new(measure: Measure, value: u64, limit: Limit) -> Self {
        Cap {
            measure,
            value,
            limit,
        }
    }
}

/// One configurable limit, named as an operator sets it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    BodyBytes,
    Samples,
    Features,
    NetworkParameters,
    TraceEntries,
    ForwardEntries,
    ValuesTraceEntries,
    ValuesForwardEntries,
    SummaryEntries,
    StreamUpdates,
    BatchProblems,
    BatchTraceEntries,
    BatchForwardEntries,
    BatchValuesTraceEntries,
    BatchValuesForwardEntries,
    BatchSummaryEntries,
    ScheduleEpochs,
    PlotResolution,
    PlotEvaluations,
    RequestTimeout,
    MaxConnections,
    StreamTimeout,
}

impl Limit {
    /// Every limit.
    pub const ALL: &'static [Limit] = &[
        Limit::BodyBytes,
        Limit::Samples,
        Limit::Features,
        Limit::NetworkParameters,
        Limit::TraceEntries,
        Limit::ForwardEntries,
        Limit::ValuesTraceEntries,
        Limit::ValuesForwardEntries,
        Limit::SummaryEntries,
        Limit::StreamUpdates,
        Limit::BatchProblems,
        Limit::BatchTraceEntries,
        Limit::BatchForwardEntries,
        Limit::BatchValuesTraceEntries,
        Limit::BatchValuesForwardEntries,
        Limit::BatchSummaryEntries,
        Limit::ScheduleEpochs,
        Limit::PlotResolution,
        Limit::PlotEvaluations,
        Limit::RequestTimeout,
        Limit::MaxConnections,
        Limit::StreamTimeout,
    ];

    /// The flag without its dashes, as clap spells it.
    pub fn flag_name(self) -> &'static str {
        match self {
            Limit::BodyBytes => "max-body-bytes",
            Limit::Samples => "max-samples",
            Limit::Features => "max-features",
            Limit::NetworkParameters => "max-network-parameters",
            Limit::TraceEntries => "max-trace-entries",
            Limit::ForwardEntries => "max-forward-entries",
            Limit::ValuesTraceEntries => "max-values-trace-entries",
            Limit::ValuesForwardEntries => "max-values-forward-entries",
            Limit::SummaryEntries => "max-summary-entries",
            Limit::StreamUpdates => "max-stream-updates",
            Limit::BatchProblems => "max-batch-problems",
            Limit::BatchTraceEntries => "max-batch-trace-entries",
            Limit::BatchForwardEntries => "max-batch-forward-entries",
            Limit::BatchValuesTraceEntries => "max-batch-values-trace-entries",
            Limit::BatchValuesForwardEntries => "max-batch-values-forward-entries",
            Limit::BatchSummaryEntries => "max-batch-summary-entries",
            Limit::ScheduleEpochs => "max-schedule-epochs",
            Limit::PlotResolution => "max-plot-resolution",
            Limit::PlotEvaluations => "max-plot-evaluations",
            Limit::RequestTimeout => "request-timeout",
            Limit::MaxConnections => "max-connections",
            Limit::StreamTimeout => "stream-timeout",
        }
    }

    /// The flag, `--max-samples`.
    pub fn flag(self) -> String {
        format!("--{}", self.flag_name())
    }

    /// The limit's name in problem+json, `max_samples`.
    pub fn name(self) -> String {
        self.flag_name().replace('-', "_")
    }

    /// The environment variable, `GRADTRACE_MAX_SAMPLES`.
    pub fn env(self) -> String {
        format!("GRADTRACE_{}", self.name().to_ascii_uppercase())
    }

    /// "an operator raises it with --max-samples or GRADTRACE_MAX_SAMPLES", the end of every
    /// message about this limit.
    pub fn how_to_raise(self) -> String {
        format!(
            "an operator raises it with {} or {}",
            self.flag(),
            self.env()
        )
    }
}

/// Which browser origins may call the API (CORS).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum CorsOrigins {
    /// Any origin (`*`), never with credentials.
    #[default]
    Any,
    /// Exactly these origins (`https://example.edu`), compared as the browser sends them.
    List(Vec<String>),
}

impl FromStr for CorsOrigins {
    type Err = String;

    /// `*`, or a comma-separated list of origins (`scheme://host[:port]`).
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text == "*" {
            return Ok(CorsOrigins::Any);
        }
        let mut origins = Vec::new();
        for origin in text.split(',').map(str::trim).filter(|o| !o.is_empty()) {
            let well_formed = (origin.starts_with("http://") || origin.starts_with("https://"))
                && !origin.ends_with('/')
                && origin.bytes().all(|b| b.is_ascii_graphic());
            if !well_formed {
                return Err(format!(
                    "`{origin}` is not an origin like https://example.edu (scheme, host, \
                     optional port, no path); use `*` for any origin"
                ));
            }
            origins.push(origin.to_string());
        }
        if origins.is_empty() {
            return Err("no origin given; use `*` for any origin".to_string());
        }
        Ok(CorsOrigins::List(origins))
    }
}

/// A duration written as `10s`, `500ms`, `2m` or a plain number of seconds (`1.5`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| c.is_ascii_alphabetic()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let value: f64 = number
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a duration like 10s, 500ms or 2m"))?;
    let seconds = match unit.trim() {
        "ms" => value / 1000.0,
        "s" => value,
        "m" => value * 60.0,
        other => return Err(format!("unknown unit `{other}`: use ms, s or m")),
    };
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= 86_400.0) {
        return Err(format!("`{text}` must be more than 0 and at most a day"));
    }
    Ok(Duration::from_secs_f64(seconds))
}

/// Everything `serve` can be told, limits included.
#[derive(Debug, Clone, PartialEq, Eq, Args)]
pub struct Config {
    #[command(flatten)]
    pub limits: Limits,
    /// Longest a request may take, reading its body included (then 503); a stream, until its
    /// first byte: 10s, 500ms, 2m.
    #[arg(
        long = "request-timeout",
        env = "GRADTRACE_REQUEST_TIMEOUT",
        value_name = "DURATION",
        default_value = "10s",
        value_parser = parse_duration
    )]
    pub request_timeout: Duration,
    /// Longest an NDJSON stream may run once its first byte is sent (then it ends with an
    /// `error` line); until then --request-timeout applies: 10m, 90s.
    #[arg(
        long = "stream-timeout",
        env = "GRADTRACE_STREAM_TIMEOUT",
        value_name = "DURATION",
        default_value = "10m",
        value_parser = parse_duration
    )]
    pub stream_timeout: Duration,
    /// Most requests in flight at once, /healthz and /metrics not counted; more are refused
    /// at once with 503 and Retry-After instead of waiting in a queue.
    #[arg(
        long = "max-in-flight",
        env = "GRADTRACE_MAX_IN_FLIGHT",
        value_name = "N",
        default_value_t = DEFAULT_MAX_IN_FLIGHT,
        value_parser = clap::value_parser!(u64).range(1..)
    )]
    pub max_in_flight: u64,
    /// Solves (and grades) computed at once, each on its own thread off the async workers;
    /// the rest wait their turn. Default: the number of cores.
    #[arg(
        long = "solver-threads",
        env = "GRADTRACE_SOLVER_THREADS",
        value_name = "N"
    )]
    pub solver_threads: Option<NonZeroUsize>,
    /// After SIGTERM or Ctrl-C, how long requests in flight get to finish before the process
    /// exits anyway.
    #[arg(
        long = "shutdown-grace",
        env = "GRADTRACE_SHUTDOWN_GRACE",
        value_name = "DURATION",
        default_value = "20s",
        value_parser = parse_duration
    )]
    pub shutdown_grace: Duration,
    /// Longest a connection may take to send a request's headers, from when it opens or from
    /// the end of its previous response (so also how long a keep-alive connection may sit
    /// idle); then it is closed.
    #[arg(
        long = "header-timeout",
        env = "GRADTRACE_HEADER_TIMEOUT",
        value_name = "DURATION",
        default_value = "5s",
        value_parser = parse_duration
    )]
    pub header_timeout: Duration,
    /// Most connections open at once. Past it a connection may still ask GET /healthz or GET
    /// /metrics at once (a small reserve kept for probes); others are closed at once.
    /// Default: 512 per core.
    #[arg(
        long = "max-connections",
        env = "GRADTRACE_MAX_CONNECTIONS",
        value_name = "N"
    )]
    pub max_connections: Option<NonZeroUsize>,
    /// Browser origins allowed to call the API (CORS), comma-separated, or `*` for any;
    /// credentials are never allowed.
    #[arg(
        long = "cors-origins",
        env = "GRADTRACE_CORS_ORIGINS",
        value_name = "ORIGINS",
        default_value = "*"
    )]
    pub cors_origins: CorsOrigins,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            limits: Limits::default(),
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            stream_timeout: DEFAULT_STREAM_TIMEOUT,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            solver_threads: None,
            shutdown_grace: DEFAULT_SHUTDOWN_GRACE,
            header_timeout: DEFAULT_HEADER_TIMEOUT,
            max_connections: None,
            cors_origins: CorsOrigins::Any,
        }
    }
}

impl Config {
    /// How many solves run at once: the flag, or the number of cores.
    pub fn solver_threads(&self) -> usize {
        self.solver_threads
            .or_else(|| std::thread::available_parallelism().ok())
            .map_or(1, NonZeroUsize::get)
    }

    /// How many connections may be open at once: the flag, or 512 per core.
    pub fn max_connections(&self) -> usize {
        self.max_connections.map_or_else(
            || {
                let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
                DEFAULT_CONNECTIONS_PER_CORE.saturating_mul(cores)
            },
            NonZeroUsize::get,
        )
    }

    /// `max_in_flight` as a `usize`.
    pub fn max_in_flight(&self) -> usize {
        usize::try_from(self.max_in_flight).unwrap_or(usize::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    #[derive(Debug, Parser)]
    struct Probe {
        #[command(flatten)]
        config: Config,
    }

    #[test]
    fn every_limit_is_named_as_its_flag_and_environment_variable() {
        let command = Probe::command();
        for limit in Limit::ALL {
            let arg = command
                .get_arguments()
                .find(|a| a.get_long() == Some(limit.flag_name()));
            let Some(arg) = arg else {
                panic!("no flag {}", limit.flag());
            };
            assert_eq!(
                arg.get_env().and_then(|e| e.to_str()),
                Some(limit.env().as_str())
            );
        }
    }

    #[test]
    fn the_flags_defaults_are_the_default_config() {
        // Without flags clap reads the environment; none of these variables is set in tests.
        let parsed = Probe::try_parse_from(["probe"]).map_err(|e| e.to_string());
        assert_eq!(parsed.map(|p| p.config), Ok(Config::default()));
    }

    #[test]
    fn durations_take_a_unit_or_mean_seconds() {
        assert_eq!(parse_duration("10s"), Ok(Duration::from_secs(10)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_duration("2m"), Ok(Duration::from_secs(120)));
        assert_eq!(parse_duration("1.5"), Ok(Duration::from_millis(1500)));
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("5h").is_err());
    }

    #[test]
    fn cors_origins_are_a_star_or_a_comma_separated_list() {
        assert_eq!("*".parse(), Ok(CorsOrigins::Any));
        assert_eq!(
            "https://a.edu, http://localhost:5173".parse(),
            Ok(CorsOrigins::List(vec![
                "https://a.edu".to_string(),
                "http://localhost:5173".to_string()
            ]))
        );
        assert!("a.edu".parse::<CorsOrigins>().is_err());
        assert!("https://a.edu/path/".parse::<CorsOrigins>().is_err());
        assert!(",".parse::<CorsOrigins>().is_err());
    }

    #[test]
    fn a_limit_message_names_its_flag_and_variable() {
        assert_eq!(
            Limit::Samples.how_to_raise(),
            "an operator raises it with --max-samples or GRADTRACE_MAX_SAMPLES"
        );
        assert_eq!(Limit::TraceEntries.name(), "max_trace_entries");
    }
}

//! `GET /metrics`: what the service is doing, in Prometheus' text format — requests counted and
//! timed per route, requests in flight, requests shed, and the solver pool's load.
//!
//! Built on the `prometheus` crate with a `Registry` per app rather than a process-wide
//! recorder, so every `app_with` (every test) counts only its own requests. Routes are labelled
//! by their matched pattern (`/v1/examples/{id}`), never by the raw URI, and methods outside the
//! usual few by `other`, so a hostile client cannot grow the label sets without end.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

use super::error::ProblemDetails;

/// The route label of a request no route matched.
pub const UNMATCHED: &str = "unmatched";

/// Upper bounds of the latency histogram, in seconds: from a cached example (≈ 1 ms) to a solve
/// at the size limit (≈ 1.5 s) and the default request timeout (10 s).
const LATENCY_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Every metric of one app, and the registry that renders them; shared, so that handing it to
/// each request (axum's `State`) is one reference count, not one per metric.
#[derive(Clone)]
pub struct Metrics(Arc<Registered>);

/// The metrics themselves.
pub struct Registered {
    registry: Registry,
    requests: IntCounterVec,
    duration: HistogramVec,
    in_flight: IntGauge,
    shed: IntCounterVec,
    /// Solver threads computing right now.
    pub solver_busy: IntGauge,
    /// Solves waiting for a solver thread.
    pub solver_waiting: IntGauge,
    solver_threads: IntGauge,
    connections_open: IntGauge,
    connections_over_cap: IntCounter,
    connections_refused: IntCounter,
    /// NDJSON streams being sent.
    pub streams_open: IntGauge,
}

impl std::ops::Deref for Metrics {
    type Target = Registered;

    fn deref(&self) -> &Registered {
        &self.0
    }
}

/// A metric made from constant definitions, registered in `registry`.
fn registered<M: prometheus::core::Collector + Clone + 'static>(
    registry: &Registry,
    metric: prometheus::Result<M>,
) -> M {
    let metric = metric.expect("constant metric definitions are valid");
    // Registration fails only for a duplicate name, which the constant names rule out.
    let _ = registry.register(Box::new(metric.clone()));
    metric
}

impl Metrics {
    /// A fresh registry with every metric at zero; `solver_threads` is the pool's size.
    pub fn new(solver_threads: usize) -> Self {
        let registry = Registry::new_custom(Some("gradtrace".to_string()), None)
            .unwrap_or_else(|_| Registry::new());
        let gauge = |name: &str, help: &str| registered(&registry, IntGauge::new(name, help));
        let counter = |name: &str, help: &str| registered(&registry, IntCounter::new(name, help));
        let metrics = Registered {
            requests: registered(
                &registry,
                IntCounterVec::new(
                    Opts::new(
                        "http_requests_total",
                        "HTTP requests answered, by method, matched route and status",
                    ),
                    &["method", "route", "status"],
                ),
            ),
            duration: registered(
                &registry,
                HistogramVec::new(
                    HistogramOpts::new(
                        "http_request_duration_seconds",
                        "Time from a request's arrival to its response, by method and matched \
                         route",
                    )
                    .buckets(LATENCY_BUCKETS.to_vec()),
                    &["method", "route"],
                ),
            ),
            in_flight: gauge(
                "http_requests_in_flight",
                "Requests being answered right now",
            ),
            shed: registered(
                &registry,
                IntCounterVec::new(
                    Opts::new(
                        "http_requests_shed_total",
                        "Requests answered 503 because of load: too many in flight (in_flight) \
                         or over the time limit (timeout)",
                    ),
                    &["reason"],
                ),
            ),
            solver_busy: gauge(
                "solver_threads_busy",
                "Solver threads computing a solve or a grade right now",
            ),
            solver_waiting: gauge(
                "solver_jobs_waiting",
                "Solves and grades waiting for a solver thread",
            ),
            solver_threads: gauge(
                "solver_threads",
                "Solver threads configured (--solver-threads)",
            ),
            connections_open: gauge(
                "connections_open",
                "Connections open right now, probe reserve included",
            ),
            connections_over_cap: counter(
                "connections_over_cap_total",
                "Connections that arrived with --max-connections open: served one probe \
                 request (GET /healthz or /metrics) from a small reserve, or closed at once",
            ),
            connections_refused: counter(
                "connections_refused_total",
                "Connections closed at once because the cap and the probe reserve were full",
            ),
            streams_open: gauge("streams_open", "NDJSON streams being sent right now"),
            registry,
        };
        metrics
            .solver_threads
            .set(i64::try_from(solver_threads).unwrap_or(i64::MAX));
        Metrics(Arc::new(metrics))
    }

    /// One shed request.
    pub fn shed(&self, reason: &'static str) {
        self.shed.with_label_values(&[reason]).inc();
    }

    /// A connection began to be served.
    pub fn connection_opened(&self) {
        self.connections_open.inc();
    }

    /// A served connection closed.
    pub fn connection_closed(&self) {
        self.connections_open.dec();
    }

    /// A connection arrived past the connection cap.
    pub fn connection_over_cap(&self) {
        self.connections_over_cap.inc();
    }

    /// A connection was closed at once: the cap and the probe reserve were full.
    pub fn connection_refused(&self) {
        self.connections_refused.inc();
    }

    /// Every metric in the Prometheus text exposition format (version 0.0.4).
    pub fn render(&self) -> Result<String, String> {
        TextEncoder::new()
            .encode_to_string(&self.registry.gather())
            .map_err(|error| error.to_string())
    }
}

/// Middleware: count and time every request under its matched route. It must sit inside the
/// router (`Router::layer`), where `MatchedPath` is known.
pub async fn track(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(UNMATCHED, MatchedPath::as_str)
        .to_string();
    let method = method_label(request.method());
    let start = Instant::now();
    metrics.in_flight.inc();
    let response = next.run(request).await;
    metrics.in_flight.dec();
    metrics
        .duration
        .with_label_values(&[method, &route])
        .observe(start.elapsed().as_secs_f64());
    metrics
        .requests
        .with_label_values(&[method, &route, response.status().as_str()])
        .inc();
    response
}

/// The method as a label: the usual ones by name, anything else as `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// Prometheus metrics of this process: request counts and latency histograms per route.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "meta",
    responses(
        (status = 200,
         description = "Prometheus text format 0.0.4: `gradtrace_http_requests_total{method,route,status}`, \
                        `gradtrace_http_request_duration_seconds{method,route}` (histogram), \
                        `gradtrace_http_requests_in_flight`, `gradtrace_http_requests_shed_total{reason}`, \
                        `gradtrace_solver_threads`, `gradtrace_solver_threads_busy`, \
                        `gradtrace_solver_jobs_waiting`, `gradtrace_streams_open`. `route` is the \
                        matched path pattern (`/v1/examples/{id}`), or `unmatched`; a stream is \
                        counted and timed until its first byte.",
         body = String,
         content_type = "text/plain"),
        (status = 500, description = "The metrics could not be rendered", body = ProblemDetails, content_type = "application/problem+json")
    )
)]
pub async fn metrics(Extension(metrics): Extension<Metrics>) -> Response {
    match metrics.render() {
        Ok(text) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, TextEncoder::new().format_type())],
            text,
        )
            .into_response(),
        Err(error) => super::error::ApiError::internal(format!("cannot render metrics: {error}"))
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fresh_registry_renders_the_pool_size_and_every_family() {
        let metrics = Metrics::new(3);
        metrics.shed("in_flight");
        let text = metrics.render().unwrap_or_default();
        assert!(text.contains("gradtrace_solver_threads 3"), "{text}");
        assert!(
            text.contains("gradtrace_http_requests_shed_total{reason=\"in_flight\"} 1"),
            "{text}"
        );
    }

    #[test]
    fn unusual_methods_share_one_label() {
        let Ok(method) = Method::from_bytes(b"BREW") else {
            panic!("a valid extension method")
        };
        assert_eq!(method_label(&method), "other");
        assert_eq!(method_label(&Method::POST), "POST");
    }
}

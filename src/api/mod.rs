//! The HTTP edge: parse, validate, dispatch, serialize — no maths (that is `crate::solve`).
//!
//! `router()` registers every handler together with its OpenAPI description (utoipa-axum's
//! `routes!`), so the document served at `/openapi.json`, the one shown at `/docs` and the one
//! committed at `openapi/openapi.json` are the same value. Every error leaves as problem+json:
//! handlers return `ApiError`, unknown paths and methods have fallbacks that do, and a last
//! layer rewrites any other bare error response (from axum or Swagger UI) the same way.
//!
//! `app_with(&Config)` wraps the routes in the service's layers (`layers` lists them, outermost
//! first): request ids, request logs, CORS, metrics, load shedding and the time limit, the body
//! limit. `app()` is the same with the default config.

pub mod batch;
pub mod compare;
pub mod docs;
pub mod error;
pub mod examples;
pub mod extract;
pub mod grade;
pub mod json;
pub mod meta;
pub mod metrics;
pub mod overload;
pub mod picture;
pub mod playground;
pub mod schedule;
pub mod server;
pub mod solve;
pub mod stream;
pub mod variants;

use std::future::Future;
use std::io;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::{middleware, Extension, Router};
use tower_http::cors::{AllowOrigin, Any, CorsLayer};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnFailure, DefaultOnResponse, TraceLayer};
use tower_http::LatencyUnit;
use tracing::Level;
use utoipa::openapi::{HeaderBuilder, ResponseBuilder};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::config::{Config, CorsOrigins};
use error::{ApiError, PROBLEM_JSON};
use metrics::Metrics;
use overload::{Guard, SolverPool};
use stream::{Shutdown, Streams};

/// The header that carries a request's id, in the request (a client may choose it) and in the
/// response.
pub const REQUEST_ID: &str = "x-request-id";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "gradtrace",
        description = "Worked, step-by-step solutions of single-neuron optimizer exercises \
                       (gradient descent, momentum, Nesterov, Adagrad, Adadelta, RMSProp, Adam, \
                       AdamW, AMSGrad, conjugate gradient) as a JSON trace. Every error is \
                       RFC 9457 problem+json.",
        license(name = "MIT", identifier = "MIT")
    ),
    tags(
        (name = "solve", description = "Worked solutions"),
        (name = "grade", description = "Students' answers graded step by step: PrairieLearn's \
                                       tolerances, errors carried forward, named mistakes, and \
                                       the results JSON of PrairieLearn, Gradescope and CodeRunner"),
        (name = "class", description = "A whole class at once: many problems or submissions in \
                                       one request, optimizers side by side, per-student \
                                       variants from a seed"),
        (name = "schedule", description = "Learning-rate schedules on their own"),
        (name = "pictures", description = "SVG pictures of the traces: the loss surface with \
                                          each optimizer's path, the loss per update and per \
                                          epoch, a schedule's rate per epoch"),
        (name = "examples", description = "The course's worked examples, ready to post"),
        (name = "meta", description = "What the service offers, and whether it is up")
    )
)]
struct ApiDoc;

/// Every documented route, and the OpenAPI document describing them.
fn documented() -> (Router, utoipa::openapi::OpenApi) {
    let (router, mut api) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(solve::solve))
        .routes(routes!(grade::grade))
        .routes(routes!(batch::solve_batch))
        .routes(routes!(batch::grade_batch))
        .routes(routes!(compare::compare))
        .routes(routes!(variants::variants))
        .routes(routes!(schedule::schedule))
        .routes(routes!(picture::plot_surface))
        .routes(routes!(picture::plot_loss))
        .routes(routes!(picture::plot_schedule))
        .routes(routes!(meta::algorithms))
        .routes(routes!(examples::list))
        .routes(routes!(examples::get))
        .routes(routes!(meta::healthz))
        .routes(routes!(metrics::metrics))
        .split_for_parts();
    // Set here rather than in the derive so the document always carries the crate's version.
    api.info.version = env!("CARGO_PKG_VERSION").to_string();
    document_load_shedding(&mut api);
    close_tagged_variants(&mut api, CLOSED_TAGGED_ENUMS);
    (router, api)
}

/// Request schemas that are internally tagged enums (`"type": "step"`) whose variants take no
/// other keys. serde has no `deny_unknown_fields` per variant, so utoipa cannot say it; the
/// validator refuses unknown keys all the same, and the document must say so too.
const CLOSED_TAGGED_ENUMS: &[&str] = &["Schedule", "Tolerance"];

/// Give each inline object variant of the named `oneOf` schemas `additionalProperties: false`.
fn close_tagged_variants(api: &mut utoipa::openapi::OpenApi, names: &[&str]) {
    use utoipa::openapi::schema::{AdditionalProperties, Schema};
    use utoipa::openapi::RefOr;
    let Some(components) = api.components.as_mut() else {
        return;
    };
    for name in names {
        let Some(RefOr::T(Schema::OneOf(one_of))) = components.schemas.get_mut(*name) else {
            continue;
        };
        for variant in &mut one_of.items {
            if let RefOr::T(Schema::Object(object)) = variant {
                object.additional_properties =
                    Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
        }
    }
}

/// Every operation but the probes can be shed (`api::overload`): say so once here rather than
/// in every handler's annotation, so no endpoint added later can forget it.
fn document_load_shedding(api: &mut utoipa::openapi::OpenApi) {
    let shed = ResponseBuilder::new()
        .description(
            "Too many requests in flight, or the request took longer than the time limit \
             (`limit` names it); `Retry-After` says when to try again",
        )
        .content(
            PROBLEM_JSON,
            utoipa::openapi::ContentBuilder::new()
                .schema(Some(utoipa::openapi::Ref::from_schema_name(
                    "ProblemDetails",
                )))
                .build(),
        )
        .header(
            "Retry-After",
            HeaderBuilder::new()
                .schema(Some(
                    utoipa::openapi::ObjectBuilder::new()
                        .schema_type(utoipa::openapi::schema::Type::Integer)
                        .minimum(Some(0)),
                ))
                .description(Some("Seconds to wait before retrying"))
                .build(),
        )
        .build();
    for (path, item) in api.paths.paths.iter_mut() {
        if overload::is_never_shed(path) {
            continue;
        }
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.options,
            &mut item.head,
            &mut item.patch,
            &mut item.trace,
        ];
        for operation in operations.into_iter().flatten() {
            operation
                .responses
                .responses
                .entry("503".to_string())
                .or_insert_with(|| shed.clone().into());
        }
    }
}

/// The OpenAPI 3.1 document of the service.
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().1
}

/// The whole service with the default config: API routes, `/openapi.json`, `/docs`
/// (`api::docs`), the playground at `/` (`api::playground`), fallbacks and layers.
pub fn app() -> Router {
    app_with(&Config::default())
}

/// The whole service with `config`'s limits, pool, time limit and CORS origins.
pub fn app_with(config: &Config) -> Router {
    serving(config).0
}

/// [`app_with`], its metrics (the accept loop, `server`, adds its connection counts to them),
/// and the switch that ends its running streams when the service stops.
pub fn serving(config: &Config) -> (Router, Metrics, Shutdown) {
    let (router, api) = documented();
    let limits = config.limits;
    let threads = config.solver_threads();
    let metrics = Metrics::new(threads);
    let (streams, shutdown) = Streams::new(config.stream_timeout, &metrics);
    let pool = SolverPool::new(threads, &metrics);
    let guard = Guard::new(
        config.max_in_flight(),
        config.request_timeout,
        pool,
        metrics.clone(),
    );
    let request_id = HeaderName::from_static(REQUEST_ID);
    // `Router::layer` wraps each route, so the layers see the matched route (`MatchedPath`)
    // for their labels and logs. Each `.layer` goes around the ones before it: read from the
    // bottom up for the order a request passes them.
    let app = router
        .merge(docs::router(&api))
        .merge(playground::router())
        .fallback(not_found)
        // After every route is registered: it applies to the routes present when called.
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limits.body_bytes()))
        .layer(Extension(limits))
        .layer(Extension(streams))
        .layer(Extension(metrics.clone()))
        .layer(middleware::from_fn_with_state(guard, overload::guard))
        .layer(middleware::map_response(move |response| {
            problem_for_bare_errors(response, limits.body_bytes)
        }))
        .layer(middleware::from_fn_with_state(
            metrics.clone(),
            metrics::track,
        ))
        .layer(cors(&config.cors_origins))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        // One INFO line per request (method, route, status, latency, request id); axum's
        // default is DEBUG.
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(request_span)
                .on_response(
                    DefaultOnResponse::new()
                        .level(Level::INFO)
                        .latency_unit(LatencyUnit::Micros),
                )
                // A 5xx is already counted and, when it is a bug, logged as an error where it
                // happens; shed requests are expected under load.
                .on_failure(DefaultOnFailure::new().level(Level::WARN)),
        )
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(middleware::map_request(drop_unusable_request_id));
    (app, metrics, shutdown)
}

/// Browsers may call from any origin, or from the configured ones; never with credentials.
/// Serve [`app`] on `listener` until `shutdown` resolves, then finish the requests in flight
/// (within the default grace period).
pub async fn serve(
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_with(listener, &Config::default(), shutdown).await
}

/// Serve [`app_with`]`(config)` on `listener` until `shutdown` resolves; then stop accepting
/// connections, end running streams with their `error` line, let the requests in flight
/// finish, and return — at the latest `config.shutdown_grace` after the signal, whatever is
/// still running.
pub async fn serve_with(
    listener: tokio::net::TcpListener,
    config: &Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let grace = config.shutdown_grace;
    let (signalled, on_signal) = tokio::sync::oneshot::channel::<()>();
    let (router, metrics, streams) = serving(config);
    let connections = server::Connections {
        header_timeout: config.header_timeout,
        max_connections: config.max_connections(),
    };
    let server = server::serve(listener, router, metrics, connections, async move {
        shutdown.await;
        // Running streams end with their `error` line now, so their connections close within
        // the grace period like any other request's.
        streams.stop();
        let _ = signalled.send(());
    });
    let deadline = async move {
        // The sender is dropped without a signal only when the server stopped on its own.
        if on_signal.await.is_ok() {
            tokio::time::sleep(grace).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        result = server => result,
        () = deadline => {
            tracing::warn!(
                grace_seconds = grace.as_secs_f64(),
                "the grace period ended with requests still in flight; stopping anyway"
            );
            Ok(())
        }
    }
}

fn cors(origins: &CorsOrigins) -> CorsLayer {
    let layer = CorsLayer::new()
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::ACCEPT])
        .expose_headers([HeaderName::from_static(REQUEST_ID), header::RETRY_AFTER]);
    match origins {
        CorsOrigins::Any => layer.allow_origin(Any),
        CorsOrigins::List(list) => layer.allow_origin(AllowOrigin::list(
            // Checked when the config was parsed; an origin that still fails is left out.
            list.iter().filter_map(|o| HeaderValue::from_str(o).ok()),
        )),
    }
}

/// The span of one request: what a log line about it needs to be found and grouped.
fn request_span(request: &Request) -> tracing::Span {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or(metrics::UNMATCHED, MatchedPath::as_str);
    let id = request
        .headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    tracing::info_span!(
        "request",
        method = %request.method(),
        path = %shown_path(request.uri()),
        route,
        request_id = id,
    )
}

/// A client may send its own request id (to follow a request through its own logs); one that
/// is long or has other characters than letters, digits and `-_.:` is replaced by a fresh one,
/// so that logs and headers only ever carry short, plain ids.
async fn drop_unusable_request_id(mut request: Request) -> Request {
    let usable = request.headers().get(REQUEST_ID).is_some_and(|value| {
        let bytes = value.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= 128
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(b))
    });
    if !usable {
        request.headers_mut().remove(REQUEST_ID);
    }
    request
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(format!("There is no resource at `{}`.", shown_path(&uri)))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed(format!(
        "`{}` does not accept {method}; the `Allow` header lists what it does accept.",
        shown_path(&uri)
    ))
}

/// The path for a message, cut short so a long URI cannot bloat the error.
fn shown_path(uri: &Uri) -> String {
    let path = uri.path();
    let mut shown: String = path.chars().take(200).collect();
    if shown.len() < path.len() {
        shown.push('…');
    }
    shown
}

/// Any error response that is not already problem+json (axum's own rejections, Swagger UI's
/// empty 404s) becomes one with the same status and headers.
async fn problem_for_bare_errors(response: Response, body_limit: u64) -> Response {
    let status = response.status();
    let is_problem = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()));
    if !(status.is_client_error() || status.is_server_error()) || is_problem {
        return response;
    }
    let error = match status {
        StatusCode::NOT_FOUND => ApiError::NotFound("There is no such resource.".to_string()),
        StatusCode::METHOD_NOT_ALLOWED => ApiError::MethodNotAllowed(
            "This path does not accept this method; see the `Allow` header.".to_string(),
        ),
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge { limit: body_limit },
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType(None),
        s if s.is_server_error() => ApiError::internal(format!("status {s}")),
        s => ApiError::BadRequest(format!(
            "The request was refused ({}).",
            s.canonical_reason().unwrap_or("client error")
        )),
    };
    let (mut parts, _) = response.into_parts();
    let rewritten = error.into_response();
    let (new_parts, body) = rewritten.into_parts();
    parts.status = new_parts.status;
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.remove(header::CONTENT_ENCODING);
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    Response::from_parts(parts, body)
}

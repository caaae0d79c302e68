//! What an operator sees: a request id on every response (the client's own when it sent a
//! usable one), Prometheus metrics per matched route, and `/metrics` in the OpenAPI document.

use axum::body::Body;
use axum::http::Request;
use serde_json::Value;

use crate::support::{get, metric, send};

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

#[tokio::test]
async fn every_response_carries_a_fresh_request_id_errors_included() {
    let app = gradtrace::app();
    let first = get(&app, "/healthz").await;
    let second = get(&app, "/healthz").await;
    let missing = get(&app, "/nowhere").await;
    let ids: Vec<String> = [&first, &second, &missing]
        .iter()
        .map(|r| r.header("x-request-id").unwrap_or_default().to_string())
        .collect();
    for id in &ids {
        assert!(is_uuid(id), "{id:?}");
    }
    assert_ne!(ids[0], ids[1]);
    assert_eq!(missing.status, 404);
}

#[tokio::test]
async fn a_clients_own_request_id_is_kept_and_a_hostile_one_replaced() {
    let app = gradtrace::app();
    let with_id = |id: &str| {
        Request::get("/healthz")
            .header("x-request-id", id)
            .body(Body::empty())
            .expect("a valid request")
    };
    let kept = send(&app, with_id("grader-42.run:7")).await;
    assert_eq!(kept.header("x-request-id"), Some("grader-42.run:7"));

    let long = "a".repeat(200);
    for hostile in [long.as_str(), "two words", "tab\there"] {
        let replaced = send(&app, with_id(hostile)).await;
        let id = replaced.header("x-request-id").unwrap_or_default();
        assert!(is_uuid(id), "{hostile:?} became {id:?}");
    }
}

#[tokio::test]
async fn metrics_count_and_time_requests_per_matched_route_not_per_uri() {
    let app = gradtrace::app();
    assert_eq!(get(&app, "/v1/examples/momentum").await.status, 200);
    assert_eq!(get(&app, "/v1/examples/adam").await.status, 200);
    assert_eq!(get(&app, "/v1/examples/nope").await.status, 404);
    assert_eq!(get(&app, "/no/such/path").await.status, 404);

    let reply = get(&app, "/metrics").await;
    assert_eq!(reply.status, 200);
    assert_eq!(
        reply.header("content-type"),
        Some("text/plain; version=0.0.4")
    );
    let text = reply.text();
    let route = "route=\"/v1/examples/{id}\"";
    assert_eq!(
        metric(
            &text,
            &format!("gradtrace_http_requests_total{{method=\"GET\",{route},status=\"200\"}}")
        ),
        Some(2.0),
        "{text}"
    );
    assert_eq!(
        metric(
            &text,
            &format!("gradtrace_http_requests_total{{method=\"GET\",{route},status=\"404\"}}")
        ),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        metric(
            &text,
            "gradtrace_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}"
        ),
        Some(1.0),
        "{text}"
    );
    // A latency histogram per route: every request in the +Inf bucket, and a sum.
    assert_eq!(
        metric(
            &text,
            &format!(
                "gradtrace_http_request_duration_seconds_bucket{{method=\"GET\",{route},le=\"+Inf\"}}"
            )
        ),
        Some(3.0),
        "{text}"
    );
    assert!(
        text.contains("gradtrace_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/examples/{id}\",le=\"0.005\"}"),
        "{text}"
    );
    assert!(
        !text.contains("/v1/examples/momentum"),
        "raw URIs leak: {text}"
    );
    assert!(!text.contains("/no/such/path"), "raw URIs leak: {text}");
    assert!(text.contains("# TYPE gradtrace_http_request_duration_seconds histogram"));
}

#[test]
fn metrics_are_in_the_openapi_document_as_prometheus_text() {
    let document: Value =
        serde_json::to_value(gradtrace::openapi()).expect("the document serializes");
    let metrics = &document["paths"]["/metrics"]["get"];
    assert!(
        metrics["responses"]["200"]["content"]["text/plain"].is_object(),
        "{metrics}"
    );
    let description = metrics["responses"]["200"]["description"]
        .as_str()
        .unwrap_or_default();
    assert!(description.contains("gradtrace_http_requests_total"));
    // Probes are never shed, so they document no 503; the API operations do.
    assert!(metrics["responses"]["503"].is_null());
    let solve = &document["paths"]["/v1/solve"]["post"]["responses"]["503"];
    assert!(solve["headers"]["Retry-After"].is_object(), "{solve}");
}

//! CORS for browser frontends: by default any origin, never with credentials; configured,
//! exactly the listed origins.

use axum::body::Body;
use axum::http::Request;
use gradtrace::config::{Config, CorsOrigins};

use crate::support::{send, Reply};

async fn from_origin(app: &axum::Router, origin: &str) -> Reply {
    let request = Request::get("/healthz")
        .header("origin", origin)
        .body(Body::empty())
        .expect("a valid request");
    send(app, request).await
}

async fn preflight(app: &axum::Router, origin: &str) -> Reply {
    let request = Request::options("/v1/solve")
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .body(Body::empty())
        .expect("a valid request");
    send(app, request).await
}

#[tokio::test]
async fn by_default_any_origin_may_call_without_credentials() {
    let app = gradtrace::app();
    let reply = from_origin(&app, "https://frontend.example").await;
    assert_eq!(reply.header("access-control-allow-origin"), Some("*"));
    assert_eq!(reply.header("access-control-allow-credentials"), None);
    let exposed = reply
        .header("access-control-expose-headers")
        .unwrap_or_default();
    assert!(exposed.contains("x-request-id"), "{exposed}");
    assert!(exposed.contains("retry-after"), "{exposed}");

    let preflight = preflight(&app, "https://frontend.example").await;
    assert_eq!(preflight.status, 200);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    let methods = preflight
        .header("access-control-allow-methods")
        .unwrap_or_default();
    assert!(methods.contains("POST"), "{methods}");
    let headers = preflight
        .header("access-control-allow-headers")
        .unwrap_or_default();
    assert!(headers.contains("content-type"), "{headers}");
}

#[tokio::test]
async fn configured_origins_are_allowed_and_no_other() {
    let origins = "https://course.example.edu, http://localhost:5173"
        .parse::<CorsOrigins>()
        .expect("two origins");
    let app = gradtrace::app_with(&Config {
        cors_origins: origins,
        ..Config::default()
    });
    for allowed in ["https://course.example.edu", "http://localhost:5173"] {
        let reply = from_origin(&app, allowed).await;
        assert_eq!(reply.header("access-control-allow-origin"), Some(allowed));
        assert_eq!(reply.header("access-control-allow-credentials"), None);
        let vary = reply
            .header("vary")
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert!(vary.contains("origin"), "{vary}");
        let preflight = preflight(&app, allowed).await;
        assert_eq!(
            preflight.header("access-control-allow-origin"),
            Some(allowed)
        );
    }
    let other = from_origin(&app, "https://elsewhere.example").await;
    // The request itself is answered (CORS is the browser's to enforce), without permission.
    assert_eq!(other.status, 200);
    assert_eq!(other.header("access-control-allow-origin"), None);
    let preflight = preflight(&app, "https://elsewhere.example").await;
    assert_eq!(preflight.header("access-control-allow-origin"), None);
}

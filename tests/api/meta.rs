//! The read-only endpoints: algorithms, examples, health, the OpenAPI document and the docs page.

use axum::body::Body;
use axum::http::Method;
use serde_json::Value;

use crate::helpers::{assert_problem_saying, get, get_json, post_json, request};

#[tokio::test]
async fn algorithms_lists_every_registered_one_with_their_hyperparameters() {
    let (status, body) = get_json("/v1/algorithms").await;
    assert_eq!(status, 200);
    let algorithms = body["algorithms"].as_array().cloned().unwrap_or_default();
    let names: Vec<&str> = algorithms
        .iter()
        .filter_map(|a| a["name"].as_str())
        .collect();
    assert_eq!(names, gradtrace::wire::catalog::algorithm_names());
    // The ten the service first published come first, in their order.
    assert_eq!(
        names[..10],
        [
            "gd",
            "momentum",
            "nesterov",
            "adagrad",
            "adadelta",
            "rmsprop",
            "adam",
            "adamw",
            "amsgrad",
            "conjugate_gradient"
        ]
    );
    for algorithm in &algorithms {
        assert!(
            algorithm["update"]
                .as_array()
                .is_some_and(|u| !u.is_empty()),
            "{algorithm}"
        );
        assert!(algorithm["summary"].is_string());
        assert!(algorithm["bias_correction"]["applies"].is_boolean());
    }
}

/// The entry of an algorithm of `/v1/algorithms` for its hyperparameter `name` (null if none).
fn hyperparameter(algorithm: &Value, name: &str) -> Value {
    algorithm["hyperparameters"]
        .as_array()
        .and_then(|h| h.iter().find(|p| p["name"] == name))
        .cloned()
        .unwrap_or_default()
}

#[tokio::test]
async fn algorithms_gives_momentums_beta_its_default_and_range() {
    let (_, body) = get_json("/v1/algorithms").await;
    let momentum = &body["algorithms"][1];
    let beta = hyperparameter(momentum, "beta");
    assert_eq!(beta["type"], "number");
    assert_eq!(beta["default"], 0.9);
    assert_eq!(beta["range"], "[0, 1)");
    assert_eq!(beta["minimum"], 0.0);
    assert_eq!(beta["exclusive_maximum"], 1.0);
    assert_eq!(beta["required"], false);
    let rate = &momentum["hyperparameters"][0];
    assert_eq!(rate["name"], "learning_rate");
    assert_eq!(rate["required"], true);
    assert_eq!(momentum["bias_correction"]["default"], false);
    assert_eq!(body["algorithms"][6]["bias_correction"]["default"], true);
}

#[tokio::test]
async fn conjugate_gradients_learning_rate_is_required_only_with_a_fixed_step() {
    let (_, body) = get_json("/v1/algorithms").await;
    let cg = &body["algorithms"][9];
    let rate = hyperparameter(cg, "learning_rate");
    assert_eq!(rate["only_when"]["line_search"], "fixed");
    assert_eq!(cg["bias_correction"]["applies"], false);
}

#[tokio::test]
async fn examples_cover_every_row_of_the_courses_table() {
    let (status, body) = get_json("/v1/examples").await;
    assert_eq!(status, 200);
    let ids: Vec<&str> = body["examples"]
        .as_array()
        .map(|e| e.iter().filter_map(|x| x["id"].as_str()).collect())
        .unwrap_or_default();
    for id in [
        "momentum",
        "momentum_bias_correction",
        "adagrad",
        "rmsprop",
        "adam",
        "bias_correction_all_momentum",
        "bias_correction_all_adagrad",
        "bias_correction_all_rmsprop",
        "bias_correction_all_adam",
        "time_based_decay",
        "step_decay",
        "exponential_decay",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
}

#[tokio::test]
async fn every_example_posts_to_its_endpoint_and_its_pointers_resolve() {
    let (_, body) = get_json("/v1/examples").await;
    for example in body["examples"].as_array().cloned().unwrap_or_default() {
        let id = &example["id"];
        let endpoint = example["endpoint"].as_str().unwrap_or_default();
        let (status, response) = post_json(endpoint, &example["problem"]).await;
        assert_eq!(status, 200, "{id}: {response}");
        for printed in example["printed_values"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let pointer = printed["where"].as_str().unwrap_or_default();
            assert!(
                response.pointer(pointer).is_some_and(Value::is_number),
                "{id}: {pointer} is not a number in the response"
            );
        }
        for erratum in example["errata"].as_array().cloned().unwrap_or_default() {
            if let Some(pointer) = erratum["where"].as_str() {
                assert!(
                    response.pointer(pointer).is_some_and(Value::is_number),
                    "{id}: erratum at {pointer}"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_schedule_examples_reproduce_the_printed_rates() {
    let (_, body) = get_json("/v1/examples").await;
    for example in body["examples"].as_array().cloned().unwrap_or_default() {
        if example["endpoint"] != "/v1/schedule" {
            continue;
        }
        let (_, response) = post_json("/v1/schedule", &example["problem"]).await;
        for printed in example["printed_values"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let want = printed["printed"].as_f64().unwrap_or(f64::NAN);
            let pointer = printed["where"].as_str().unwrap_or_default();
            let got = response
                .pointer(pointer)
                .and_then(Value::as_f64)
                .unwrap_or(f64::NAN);
            // The notes print three decimals at most: within half a unit of the third.
            assert!(
                (got - want).abs() <= 5e-4,
                "{}: {got} vs {want}",
                example["id"]
            );
        }
    }
}

#[tokio::test]
async fn one_example_is_served_by_its_id_and_an_unknown_id_is_a_404() {
    let (status, example) = get_json("/v1/examples/momentum").await;
    assert_eq!(status, 200);
    assert_eq!(example["endpoint"], "/v1/solve");
    assert_eq!(example["problem"]["algorithm"], "momentum");
    assert_eq!(example["errata"].as_array().map(Vec::len), Some(2));

    assert_problem_saying(&get("/v1/examples/nope").await, 404, "momentum");
}

#[tokio::test]
async fn healthz_says_ok_with_the_version() {
    let (status, body) = get_json("/healthz").await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn the_openapi_document_is_served_as_generated() {
    let (status, body) = get_json("/openapi.json").await;
    assert_eq!(status, 200);
    let generated = serde_json::to_value(gradtrace::openapi()).unwrap_or_default();
    assert_eq!(body, generated);
    assert_eq!(body["openapi"], "3.1.0");
    assert_eq!(body["info"]["title"], "gradtrace");
    assert_eq!(body["info"]["version"], env!("CARGO_PKG_VERSION"));
}

/// The paths of the assets a docs page loads, resolved as a browser does: against its
/// `<base href>` (the page must have one, as it is served at `/docs` too).
pub fn docs_assets(html: &str) -> Vec<String> {
    let attribute = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
        Some(tag[start..].split('"').next()?.to_string())
    };
    let base = html
        .split('<')
        .find(|tag| tag.starts_with("base "))
        .and_then(|tag| attribute(tag, "href"))
        .expect("the page has a <base href>");
    assert!(base.starts_with('/') && base.ends_with('/'), "{base}");
    html.split('<')
        .filter(|tag| !tag.starts_with("base "))
        .filter_map(|tag| attribute(tag, "href").or_else(|| attribute(tag, "src")))
        .map(|reference| {
            let relative = reference.strip_prefix("./").unwrap_or(&reference);
            if relative.starts_with('/') {
                relative.to_string()
            } else {
                format!("{base}{relative}")
            }
        })
        .collect()
}

#[tokio::test]
async fn docs_serve_swagger_ui_without_the_internet_at_both_paths() {
    let page = get("/docs/").await;
    assert_eq!(page.status, 200);
    assert!(page.content_type().starts_with("text/html"));
    let html = String::from_utf8_lossy(&page.body).to_string();
    assert!(html.contains("swagger"), "{html}");

    // `/docs` is the same page, not a redirect: its `<base>` makes the relative asset paths
    // (`./swagger-ui.css`) resolve under /docs/ from there too.
    let bare = get("/docs").await;
    assert_eq!(bare.status, 200);
    assert!(bare.content_type().starts_with("text/html"));
    assert_eq!(bare.body, page.body);

    // Every asset the page loads comes from the binary, not a CDN.
    let assets = docs_assets(&html);
    for expected in [
        "/docs/swagger-ui.css",
        "/docs/index.css",
        "/docs/swagger-ui-bundle.js",
        "/docs/swagger-ui-standalone-preset.js",
        "/docs/swagger-initializer.js",
    ] {
        assert!(
            assets.iter().any(|a| a == expected),
            "{expected}: {assets:?}"
        );
    }
    for asset in &assets {
        let reply = get(asset).await;
        assert_eq!(reply.status, 200, "{asset}");
        assert!(!reply.body.is_empty(), "{asset}");
    }
    let reply = get("/docs/swagger-initializer.js").await;
    assert!(String::from_utf8_lossy(&reply.body).contains("\"url\": \"/openapi.json\""));
}

#[tokio::test]
async fn the_front_door_is_the_playground() {
    for method in [Method::GET, Method::HEAD] {
        let reply = request(method.clone(), "/", None, Body::empty()).await;
        assert_eq!(reply.status, 200, "{method}");
        assert!(reply.content_type().starts_with("text/html"), "{method}");
    }
    // Not an operation of the API: the document does not list it.
    assert!(!gradtrace::openapi().paths.paths.contains_key("/"));
}

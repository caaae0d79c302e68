//! The committed `openapi/openapi.json` is the document the code generates. When the types
//! change, regenerate it with
//!
//!     UPDATE_OPENAPI=1 cargo test --test api openapi
//!
//! and commit the result with the change that caused it.

use std::path::PathBuf;

fn committed_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("openapi/openapi.json")
}

/// The document exactly as `gradtrace openapi` prints it: pretty JSON and a trailing newline.
fn generated() -> String {
    let mut text =
        serde_json::to_string_pretty(&gradtrace::openapi()).unwrap_or_else(|e| e.to_string());
    text.push('\n');
    text
}

#[test]
fn the_committed_openapi_document_matches_the_generated_one() {
    let path = committed_path();
    let generated = generated();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        }
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "{} differs from the document the code generates; regenerate it with\n\n    \
         UPDATE_OPENAPI=1 cargo test --test api openapi\n\nand commit it.",
        path.display()
    );
}

#[test]
fn the_document_is_openapi_3_1_with_every_endpoint() {
    let document = serde_json::to_value(gradtrace::openapi()).unwrap_or_default();
    assert_eq!(document["openapi"], "3.1.0");
    for (path, method) in [
        ("/v1/solve", "post"),
        ("/v1/schedule", "post"),
        ("/v1/algorithms", "get"),
        ("/v1/examples", "get"),
        ("/v1/examples/{id}", "get"),
        ("/healthz", "get"),
    ] {
        assert!(
            document["paths"][path][method].is_object(),
            "{method} {path} is not documented"
        );
    }
}

#[test]
fn the_request_schema_is_closed_and_carries_the_course_example() {
    let document = serde_json::to_value(gradtrace::openapi()).unwrap_or_default();
    let schemas = &document["components"]["schemas"];
    let request = &schemas["SolveRequest"];
    assert_eq!(request["additionalProperties"], false);
    let mut required: Vec<&str> = request["required"]
        .as_array()
        .map(|r| r.iter().filter_map(|v| v.as_str()).collect())
        .unwrap_or_default();
    required.sort();
    // `weights` or `network`, one of the two (docs/contract.md §11): no JSON Schema keyword
    // of this document says "exactly one of", so the validator's 422 does.
    assert_eq!(required, ["algorithm", "samples"]);
    assert!(request["properties"]["network"].is_object());
    assert_eq!(request["example"]["algorithm"], "momentum");
    assert_eq!(schemas["Hyperparameters"]["additionalProperties"], false);
    assert_eq!(
        schemas["Hyperparameters"]["properties"]["beta"]["exclusiveMaximum"],
        1.0
    );
    let errors = &document["paths"]["/v1/solve"]["post"]["responses"]["422"]["content"];
    assert!(errors["application/problem+json"].is_object(), "{errors}");
}

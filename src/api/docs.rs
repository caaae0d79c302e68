//! The pages for people around the API (the playground at `/` is `api::playground`): the Swagger
//! UI at `/docs` and `/docs/` (its assets under `/docs/`, served from the binary), and the
//! OpenAPI document at `/openapi.json`. None of them is an operation of the document itself.
//!
//! utoipa-swagger-ui's own router answers `/docs` with a redirect, because its page loads its
//! assets by relative paths (`./swagger-ui.css`) that resolve under `/docs/` only. Here both
//! paths serve the same page with a `<base href="/docs/">`, so the assets load from either.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use utoipa_swagger_ui::Config;

use super::error::ApiError;
use crate::wire::json;

/// Where the UI lives.
pub const DOCS: &str = "/docs/";

/// Where the OpenAPI document is served (and where the UI reads it).
pub const OPENAPI: &str = "/openapi.json";

/// The routes: `/docs`, `/docs/`, `/docs/{*asset}`, `/openapi.json`.
pub fn router(api: &utoipa::openapi::OpenApi) -> Router {
    let config = Arc::new(Config::new([OPENAPI]));
    // Both built once: neither changes while the process runs.
    let page = index_page(&config);
    // Bytes: each request clones a reference, not the 90 kB document.
    let document = json::to_vec(api)
        .map(Bytes::from)
        .map_err(|error| error.to_string());
    Router::new()
        .route("/docs", get(serve_index(page.clone())))
        .route(DOCS, get(serve_index(page)))
        .route(
            "/docs/{*asset}",
            get(move |Path(asset): Path<String>| {
                let config = config.clone();
                async move { asset_response(&asset, config) }
            }),
        )
        .route(
            OPENAPI,
            get(move || {
                let document = document.clone();
                async move {
                    match document {
                        Ok(bytes) => {
                            ([(header::CONTENT_TYPE, "application/json")], bytes).into_response()
                        }
                        Err(error) => ApiError::internal(format!(
                            "cannot serialize the OpenAPI document: {error}"
                        ))
                        .into_response(),
                    }
                }
            }),
        )
}

/// The page as built, or why it could not be.
type Page = Result<(String, String), String>;

/// A handler answering with the page.
fn serve_index(
    page: Page,
) -> impl Fn() -> std::future::Ready<Response> + Clone + Send + Sync + 'static {
    move || {
        std::future::ready(match &page {
            Ok((content_type, html)) => {
                ([(header::CONTENT_TYPE, content_type.clone())], html.clone()).into_response()
            }
            Err(error) => ApiError::internal(error.clone()).into_response(),
        })
    }
}

/// The UI's `index.html`, and its media type, with a `<base>` that makes its relative asset
/// paths resolve under `/docs/` from `/docs` too.
fn index_page(config: &Arc<Config<'static>>) -> Page {
    let file = match utoipa_swagger_ui::serve("index.html", config.clone()) {
        Ok(Some(file)) => file,
        Ok(None) => return Err("the Swagger UI has no index.html".to_string()),
        Err(error) => return Err(format!("the Swagger UI: {error}")),
    };
    let html = String::from_utf8_lossy(&file.bytes);
    let html = html.replacen("<head>", &format!("<head>\n    <base href=\"{DOCS}\">"), 1);
    Ok((file.content_type, html))
}

/// One of the UI's files, or a 404 in problem+json.
fn asset_response(asset: &str, config: Arc<Config<'static>>) -> Response {
    match utoipa_swagger_ui::serve(asset, config) {
        Ok(Some(file)) => {
            let mut response = (
                [(header::CONTENT_TYPE, file.content_type)],
                file.bytes.into_owned(),
            )
                .into_response();
            if file.gzpipped {
                response.headers_mut().insert(
                    header::CONTENT_ENCODING,
                    header::HeaderValue::from_static("gzip"),
                );
            }
            response
        }
        Ok(None) => {
            ApiError::NotFound("There is no such file of the documentation.".into()).into_response()
        }
        Err(error) => ApiError::internal(format!("the Swagger UI: {error}")).into_response(),
    }
}

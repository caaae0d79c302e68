//! The playground at `/` (docs/contract.md §13): a page of plain HTML, CSS and JavaScript and
//! the vendored KaTeX (its CSS and fonts beside it), all compiled into the binary — no build
//! step, no CDN, nothing fetched from anywhere but this service. The files live under `web/`;
//! `tests/browser` drives the page in Chromium, and `tests/api/playground.rs` checks the
//! vendored KaTeX against the npm package's published integrity hash.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::error::ApiError;

/// Where the page's files are served.
pub const ASSETS: &str = "/playground/";

/// The page may load only from this service; KaTeX writes inline styles.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; \
    connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; \
    form-action 'none'";

macro_rules! asset {
    ($path:literal, $type:literal) => {
        (
            $path,
            $type,
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/web/", $path)) as &[u8],
        )
    };
}

/// Every file of the page: its path under `/playground/`, media type and bytes.
pub const FILES: &[(&str, &str, &[u8])] = &[
    asset!("app.js", "text/javascript; charset=utf-8"),
    asset!("style.css", "text/css; charset=utf-8"),
    asset!("katex/katex.min.js", "text/javascript; charset=utf-8"),
    asset!("katex/katex.min.css", "text/css; charset=utf-8"),
    asset!("katex/LICENSE", "text/plain; charset=utf-8"),
    asset!("katex/fonts/KaTeX_AMS-Regular.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Caligraphic-Bold.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Caligraphic-Regular.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Fraktur-Bold.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Fraktur-Regular.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Main-Bold.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Main-BoldItalic.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Main-Italic.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Main-Regular.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Math-BoldItalic.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Math-Italic.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_SansSerif-Bold.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_SansSerif-Italic.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_SansSerif-Regular.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Script-Regular.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Size1-Regular.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Size2-Regular.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Size3-Regular.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Size4-Regular.woff2", "font/woff2"),
    asset!("katex/fonts/KaTeX_Typewriter-Regular.woff2", "font/woff2"),
];

const INDEX: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/web/index.html"));

/// The routes: `/` and `/playground/{*file}`.
pub fn router() -> Router {
    Router::new()
        .route("/", get(index))
        .route("/playground/{*file}", get(file))
}

async fn index() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        INDEX,
    )
        .into_response()
}

async fn file(Path(path): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == path) {
        Some((_, media_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *media_type),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
                (header::CACHE_CONTROL, "no-cache"),
            ],
            *bytes,
        )
            .into_response(),
        None => {
            ApiError::NotFound("There is no such file of the playground.".into()).into_response()
        }
    }
}

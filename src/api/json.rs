//! `Json<T>`: a JSON response body written by [`crate::wire::json::to_vec`] (which never writes
//! `-0.0`), as `axum::Json` sends it.

use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::error::ApiError;
use crate::wire::json::to_vec;

/// A JSON response body, as `axum::Json` sends it but written by [`to_vec`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match to_vec(&self.0) {
            Ok(bytes) => (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                bytes,
            )
                .into_response(),
            Err(error) => ApiError::internal(format!("cannot serialize: {error}")).into_response(),
        }
    }
}

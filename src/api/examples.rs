//! `GET /v1/examples` and `GET /v1/examples/{id}`: the course's worked examples
//! (`course::examples`, docs/contract.md §10) over HTTP.

use axum::extract::Path;

use super::error::{ApiError, ProblemDetails};
use super::json::Json;
use crate::course::examples::{example, examples};
use crate::wire::model::{Example, ExampleList};

/// `GET /v1/examples`: every example.
#[utoipa::path(
    get,
    path = "/v1/examples",
    tag = "examples",
    responses((status = 200, description = "The course's examples, in the notes' order", body = ExampleList))
)]
pub async fn list() -> Json<ExampleList> {
    Json(ExampleList {
        examples: examples(),
    })
}

/// `GET /v1/examples/{id}`: one example.
#[utoipa::path(
    get,
    path = "/v1/examples/{id}",
    tag = "examples",
    params(("id" = inline(ExampleId), Path, description = "The example's id, e.g. `momentum`", example = "momentum")),
    responses(
        (status = 200, description = "The example", body = Example),
        (status = 404, description = "No example has this id", body = ProblemDetails, content_type = "application/problem+json")
    )
)]
pub async fn get(Path(id): Path<String>) -> Result<Json<Example>, ApiError> {
    example(&id).map(Json).ok_or_else(|| {
        let ids: Vec<String> = examples().into_iter().map(|e| e.id).collect();
        let shown: String = id.chars().take(60).collect();
        ApiError::NotFound(format!(
            "There is no example `{shown}`; the examples are {}.",
            ids.join(", ")
        ))
    })
}

/// An example's id in the OpenAPI document: one of the ids `GET /v1/examples` lists, so the
/// document says which paths exist (anything else is a 404).
pub struct ExampleId;

impl utoipa::PartialSchema for ExampleId {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let ids: Vec<String> = examples().into_iter().map(|e| e.id).collect();
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .enum_values(Some(ids))
            .into()
    }
}

impl utoipa::ToSchema for ExampleId {}

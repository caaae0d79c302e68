//! The bodies of the class endpoints: batches of problems and of submissions, comparisons,
//! per-student variants — their request and response types and OpenAPI schemas.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::openapi::schema::{AnyOfBuilder, Schema};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::course::requests::{
    class_template, course_exercise, grade_batch_example, solve_batch_example,
};
use crate::solve::network::trace::FinalNetwork;
use crate::solve::{Status, Step, Warning};
use crate::wire::model::{
    Algorithm, Conventions, GradeOutput, GradeRequest, Hyperparameters, ResolvedProblem,
    SolveRequest, SolveResponse,
};
use crate::wire::problem::ProblemDetails;

// Batches.

/// The request body of `POST /v1/solve/batch`.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = solve_batch_example)]
pub struct SolveBatchRequest {
    /// Up to 1000 bodies of `POST /v1/solve`. An item that is not a valid problem gets its own
    /// error in `results`; the others are solved all the same.
    #[schema(max_items = 1000, value_type = Vec<SolveItem>)]
    pub problems: Vec<Value>,
}

/// An item of `problems` in the OpenAPI document (see `batch_item`).
pub struct SolveItem;

/// An item of `submissions` in the OpenAPI document (see `batch_item`).
pub struct GradeItem;

/// An item of a batch in the OpenAPI document: meant to be a `T`, but the request does not
/// fail when it is not — that item's result is its own problem+json error — so the schema
/// accepts any value and points at `T` (`anyOf: [T, {}]`).
fn batch_item<T: ToSchema>() -> RefOr<Schema> {
    utoipa::openapi::schema::AnyOfBuilder::new()
        .item(Ref::from_schema_name(T::name()))
        .item(
            utoipa::openapi::schema::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::SchemaType::AnyValue),
        )
        .description(Some(format!(
            "A `{}`; anything else is answered in place by its own problem+json error.",
            T::name()
        )))
        .into()
}

/// A schema and the schemas it refers to, added to a document's list.
pub(crate) fn add<T: ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
}

/// `$item`'s schema is [`batch_item`] of `$of`.
macro_rules! batch_item_of {
    ($item:ty, $of:ty) => {
        impl PartialSchema for $item {
            fn schema() -> RefOr<Schema> {
                batch_item::<$of>()
            }
        }

        impl ToSchema for $item {
            fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                add::<$of>(schemas);
            }
        }
    };
}

batch_item_of!(SolveItem, SolveRequest);
batch_item_of!(GradeItem, GradeRequest);

/// One item's result: what `POST /v1/solve` returns for that body — a solution, or a
/// problem+json error. Tell them apart by `type` (only errors have it) or by `status` (a number
/// in an error, a string such as `"completed"` in a solution).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum SolveOutcome {
    Solved(Box<SolveResponse>),
    Failed(ProblemDetails),
}

/// The response of `POST /v1/solve/batch`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct SolveBatchResponse {
    /// One result per item of `problems`, in the same order.
    pub results: Vec<SolveOutcome>,
}

/// The request body of `POST /v1/grade/batch`.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = grade_batch_example)]
pub struct GradeBatchRequest {
    /// Up to 1000 bodies of `POST /v1/grade`, one per student. A submission that cannot be
    /// graded gets its own error in `results`; the others are graded all the same.
    #[schema(max_items = 1000, value_type = Vec<GradeItem>)]
    pub submissions: Vec<Value>,
}

/// One submission's result: what `POST /v1/grade` returns for that body — the grade in the
/// `format` asked for, or a problem+json error (which alone has `type`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum GradeOutcome {
    Graded(Value),
    Failed(ProblemDetails),
}

// Written by hand: the grade is held as the rendered JSON `grade_body` returns, and its schema
// is `/v1/grade`'s `GradeOutput`. `anyOf`, as `GradeOutput`'s own: the platforms' schemas are
// open, so an error object might fit one of them too, and `oneOf` would then reject it.
impl utoipa::PartialSchema for GradeOutcome {
    fn schema() -> RefOr<Schema> {
        AnyOfBuilder::new()
            .item(Ref::from_schema_name(GradeOutput::name()))
            .item(Ref::from_schema_name(ProblemDetails::name()))
            .description(Some(
                "What `POST /v1/grade` returns for the submission: its grade in the `format` \
                 asked for, or a problem+json error object (only errors have `type`).",
            ))
            .into()
    }
}

impl ToSchema for GradeOutcome {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        add::<GradeOutput>(schemas);
        add::<ProblemDetails>(schemas);
    }
}

/// The response of `POST /v1/grade/batch`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct GradeBatchResponse {
    /// One result per submission, in the same order.
    pub results: Vec<GradeOutcome>,
}

// Comparisons.

/// One optimizer configuration of `POST /v1/compare`.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Configuration {
    /// The column's heading (default: the algorithm's name); at most 100 characters.
    #[schema(example = "Adam")]
    pub label: Option<String>,
    /// Required here unless the problem gives one.
    pub algorithm: Option<Algorithm>,
    /// Laid over the problem's `hyperparameters` key by key: a key here wins, a key only in
    /// the problem is kept (and, if this algorithm does not use it, warned about).
    pub hyperparameters: Option<Hyperparameters>,
    /// Replaces the problem's `bias_correction`.
    pub bias_correction: Option<bool>,
    /// Laid over the problem's `conventions` key by key.
    pub conventions: Option<Conventions>,
}

/// The request body of `POST /v1/compare`.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = course_exercise)]
pub struct CompareRequest {
    /// A body of `POST /v1/solve` whose `algorithm` and `hyperparameters` may be left to the
    /// configurations; what it gives, every column shares.
    #[schema(value_type = Object)]
    pub problem: Value,
    /// 1 to 20 configurations; one column each, in this order.
    #[schema(min_items = 1, max_items = 20)]
    pub configurations: Vec<Configuration>,
    /// When given (≥ 0), each column counts the updates until the loss over all samples is at
    /// most this.
    #[schema(minimum = 0.0, example = 0.018)]
    pub loss_threshold: Option<f64>,
}

/// The loss over all samples (with the problem's `reduction`); null where not finite.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CompareLoss {
    /// At the initial weights.
    pub initial: Option<f64>,
    /// At `final_weights`.
    #[serde(rename = "final")]
    pub final_: Option<f64>,
    /// After each completed epoch — `loss.per_epoch` of `/v1/solve`.
    pub per_epoch: Vec<Option<f64>>,
    /// After each update, at the weights it ends with.
    pub per_update: Vec<Option<f64>>,
}

/// One configuration's column.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CompareResult {
    pub label: String,
    pub algorithm: Algorithm,
    /// The problem this column solved, every default filled in: `POST /v1/solve` of it gives
    /// the full worked trace, with these very numbers.
    pub problem: ResolvedProblem,
    pub status: Status,
    /// As `/v1/solve` gives them for `problem`.
    pub warnings: Vec<Warning>,
    /// Updates applied.
    pub updates: u64,
    /// For a network, the optimizers' whole vector (docs/contract.md §11); `final_network`
    /// has it layer by layer.
    pub final_weights: Vec<f64>,
    pub final_bias: Option<f64>,
    /// A network after the last update, shaped like the request's `network` (absent for a
    /// neuron), as `/v1/solve` gives it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub final_network: Option<FinalNetwork>,
    pub loss: CompareLoss,
    /// The fewest updates after which the loss is at most `loss_threshold` (0: the initial
    /// weights already are); null when no update reaches it, or when no threshold was given.
    pub updates_to_threshold: Option<u64>,
    /// Only with `detail=values` or `lines`: every update, as `POST /v1/solve?detail=` of
    /// `problem` gives them. A comparison is a summary by default, without steps.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Step>>)]
    pub steps: Option<Vec<serde_json::Value>>,
}

/// The response of `POST /v1/compare`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct CompareResponse {
    /// The request's threshold, or null.
    pub loss_threshold: Option<f64>,
    /// One per configuration, in order.
    pub results: Vec<CompareResult>,
}

// Variants.

/// The request body of `POST /v1/variants`.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = class_template)]
pub struct VariantsRequest {
    /// A body of `POST /v1/solve` in which values may be ranges: `{"uniform": [a, b]}`,
    /// `{"uniform": [a, b], "decimals": k}` or `{"choice": [...]}`.
    #[schema(value_type = Object)]
    pub template: Value,
    /// How many variants, 1 to 1000.
    #[schema(minimum = 1, maximum = 1000, example = 3)]
    pub count: u64,
    /// Any integer from 0 to 2⁶³ − 1, the `int64` range. (JavaScript numbers are exact only up
    /// to 2⁵³.)
    #[schema(minimum = 0, example = 2026)]
    pub seed: u64,
    /// The index of the first variant (default 0): variants `start` to `start + count − 1`.
    #[schema(minimum = 0, example = 0)]
    pub start: Option<u64>,
}

/// One drawn value.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct DrawnValue {
    /// The range's JSON pointer in the template, and the value's in `problem`.
    #[schema(example = "/weights/0")]
    pub pointer: String,
    /// The drawn number (or, for `choice`, the chosen option, which may be any JSON value).
    #[schema(value_type = Value, example = 0.37)]
    pub value: Value,
}

/// One variant and its solution.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct VariantResult {
    /// Its index: the same seed always gives the same variant at the same index.
    pub index: u64,
    /// What was drawn, in the order the ranges appear in the template.
    pub draws: Vec<DrawnValue>,
    /// The template with every range replaced: a body of `POST /v1/solve`, which returns
    /// `solution` for it.
    #[schema(value_type = Object)]
    pub problem: Value,
    pub solution: SolveResponse,
}

/// The response of `POST /v1/variants`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct VariantsResponse {
    /// The draw scheme, `gradtrace-splitmix64-v1`.
    #[schema(example = "gradtrace-splitmix64-v1")]
    pub generator: String,
    pub seed: u64,
    pub start: u64,
    pub count: u64,
    /// Variants `start` to `start + count − 1`, in order.
    pub variants: Vec<VariantResult>,
}

//! Read-only endpoints about the service itself: `GET /v1/algorithms` (built from
//! `wire::catalog`, the same table the validator enforces) and `GET /healthz`.

use serde_json::{json, Map, Value};

use super::json::Json;
use crate::wire::catalog::{self, Kind};
use crate::wire::model::{
    Algorithm, AlgorithmInfo, AlgorithmList, BiasCorrectionInfo, Health, HyperparameterInfo,
    WireEnum,
};

/// Every algorithm with its hyperparameters, defaults, ranges and update rule.
#[utoipa::path(
    get,
    path = "/v1/algorithms",
    tag = "meta",
    responses((status = 200, description = "Every algorithm of docs/contract.md §3", body = AlgorithmList))
)]
pub async fn algorithms() -> Json<AlgorithmList> {
    Json(algorithm_list())
}

/// Liveness: answers as long as the process serves requests.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "meta",
    responses((status = 200, description = "The service is up", body = Health))
)]
pub async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

/// The catalogue as the wire shows it.
pub fn algorithm_list() -> AlgorithmList {
    let algorithms = catalog::ALGORITHMS
        .iter()
        .filter_map(|spec| {
            // Every catalogue name is a wire name (a unit test checks); skipping is only a
            // guard against a broken invariant.
            let name = Algorithm::parse(spec.name)?;
            Some(AlgorithmInfo {
                name,
                summary: spec.summary.to_string(),
                update: spec.update.iter().map(|s| s.to_string()).collect(),
                bias_correction: BiasCorrectionInfo {
                    applies: !spec.corrects.is_empty(),
                    default: spec.bias_correction_default,
                    corrects: spec.corrects.iter().map(|s| s.to_string()).collect(),
                },
                hyperparameters: spec.uses.iter().filter_map(hyperparameter_info).collect(),
            })
        })
        .collect();
    AlgorithmList { algorithms }
}

fn hyperparameter_info(uses: &catalog::Uses) -> Option<HyperparameterInfo> {
    let hyper = catalog::hyperparameter(uses.name)?;
    let (default, default_description, required) = match uses.default {
        catalog::Default::Required => (None, None, true),
        catalog::Default::Number(x) => (Some(json!(x)), None, false),
        catalog::Default::Text(t) => (Some(json!(t)), None, false),
        catalog::Default::Absent => (None, Some("absent (the feature is off)".to_string()), false),
        catalog::Default::ParameterCount => (
            None,
            Some("the number of parameters: weights, plus 1 with a bias".to_string()),
            false,
        ),
    };
    let bound = |b: Option<(f64, bool)>, inclusive: bool| {
        b.filter(|(_, closed)| *closed == inclusive).map(|(x, _)| x)
    };
    let mut info = HyperparameterInfo {
        name: hyper.name.to_string(),
        kind: String::new(),
        description: hyper.description.to_string(),
        required,
        default,
        default_description,
        only_when: uses.only_when.map(|(key, value)| {
            let mut map = Map::new();
            map.insert(key.to_string(), Value::from(value));
            map
        }),
        range: None,
        minimum: None,
        exclusive_minimum: None,
        maximum: None,
        exclusive_maximum: None,
        choices: None,
    };
    match hyper.kind {
        Kind::Number(interval) => {
            info.kind = "number".to_string();
            info.range = Some(interval.notation());
            info.minimum = bound(interval.min, true);
            info.exclusive_minimum = bound(interval.min, false);
            info.maximum = bound(interval.max, true);
            info.exclusive_maximum = bound(interval.max, false);
        }
        Kind::Integer { min } => {
            info.kind = "integer".to_string();
            info.range = Some(format!(">= {min}"));
            info.minimum = Some(min as f64);
        }
        Kind::Choice(values) => {
            info.kind = "string".to_string();
            info.choices = Some(values.iter().map(|v| v.to_string()).collect());
        }
    }
    Some(info)
}

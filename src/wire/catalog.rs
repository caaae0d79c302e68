//! The catalogue of algorithms and hyperparameters (docs/contract.md §3) as the wire shows it:
//! names, ranges, defaults, and the update rules in LaTeX, read from the registry of optimizers
//! (`solve::optim`, where each optimizer describes itself); and the wire types whose values and
//! schema the registry decides, [`Algorithm`] and [`Hyperparameters`].
//!
//! One registry feeds the validator (`wire::validate`), `GET /v1/algorithms` and the OpenAPI
//! document, so what the service documents and what it enforces cannot drift apart. No maths
//! lives here.

use std::borrow::Cow;

use serde::de::Error as _;
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use utoipa::openapi::schema::{
    AdditionalProperties, KnownFormat, ObjectBuilder, OneOfBuilder, Schema as OpenApiSchema,
    SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

pub use crate::solve::optim::spec::{
    Default, Hyperparameter, Interval, Kind, Resolved, Schema, Spec, Uses, Value,
};
use crate::solve::optim::{self, Id};

use super::model::WireEnum;

/// The wire's `algorithm`: which optimizer, one value per registered one.
pub type Algorithm = Id;

/// Every algorithm of docs/contract.md §3, in the registry's order.
pub const ALGORITHMS: &[Spec] = optim::SPECS;

/// Every key `hyperparameters` may hold, in the wire's order.
pub fn hyperparameters() -> &'static [&'static Hyperparameter] {
    optim::hyperparameters()
}

/// Look a hyperparameter key up.
pub fn hyperparameter(name: &str) -> Option<&'static Hyperparameter> {
    hyperparameters().iter().copied().find(|h| h.name == name)
}

/// Look an algorithm up by its wire name.
pub fn algorithm(name: &str) -> Option<&'static Spec> {
    ALGORITHMS.iter().find(|a| a.name == name)
}

/// The wire names of every algorithm, for error messages.
pub fn algorithm_names() -> Vec<&'static str> {
    ALGORITHMS.iter().map(|a| a.name).collect()
}

impl WireEnum for Id {
    const ALL: &'static [Id] = Id::ALL;

    fn name(self) -> &'static str {
        self.spec().name
    }
}

impl Serialize for Id {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(WireEnum::name(*self))
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = Cow::<str>::deserialize(deserializer)?;
        Id::parse(&name).ok_or_else(|| {
            D::Error::custom(format!(
                "unknown algorithm `{name}`, expected one of {}",
                algorithm_names().join(", ")
            ))
        })
    }
}

impl PartialSchema for Id {
    fn schema() -> RefOr<OpenApiSchema> {
        named_choice("The optimizer (docs/contract.md §3).", &algorithm_names())
    }
}

impl ToSchema for Id {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Algorithm")
    }
}

/// A string enum's schema: `{"type": "string", "description", "enum"}`.
fn named_choice(description: &str, values: &[&str]) -> RefOr<OpenApiSchema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values.iter().copied()))
        .into()
}

/// The `hyperparameters` of a request or of a solved problem's echo: values by key, written in
/// the wire's key order (`hyperparameters()`); in an echo, exactly the keys the algorithm uses,
/// defaults filled in. The keys, their ranges and the schema are the registry's.
#[derive(Debug, Clone, PartialEq, core::default::Default)]
pub struct Hyperparameters {
    values: Vec<(&'static Hyperparameter, Value)>,
}

impl Hyperparameters {
    /// The given values, in the wire's key order (a key not in the catalogue is left out).
    pub fn from_values(values: &[(&'static str, Value)]) -> Hyperparameters {
        let values = hyperparameters()
            .iter()
            .filter_map(|key| {
                let (_, value) = values.iter().find(|(name, _)| *name == key.name)?;
                Some((*key, *value))
            })
            .collect();
        Hyperparameters { values }
    }

    /// The value of `key`, if it is given.
    pub fn get(&self, key: &str) -> Option<Value> {
        self.values
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| *v)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Value::Number(x) => serializer.serialize_f64(x),
            Value::Integer(k) => serializer.serialize_u64(k),
            Value::Text(t) => serializer.serialize_str(t),
        }
    }
}

impl Serialize for Hyperparameters {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.values.len()))?;
        for (key, value) in &self.values {
            map.serialize_entry(key.name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Hyperparameters {
    /// Only the shape (each key known, of its kind); `wire::validate` checks the ranges.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let given = serde_json::Map::<String, serde_json::Value>::deserialize(deserializer)?;
        let mut values = Vec::new();
        for (name, value) in &given {
            let key = hyperparameter(name)
                .ok_or_else(|| D::Error::custom(format!("unknown hyperparameter `{name}`")))?;
            let read = match (key.kind, value) {
                (_, serde_json::Value::Null) => continue,
                (Kind::Number(_), v) => v.as_f64().map(Value::Number),
                (Kind::Integer { .. }, v) => v.as_u64().map(Value::Integer),
                (Kind::Choice(choices), v) => v
                    .as_str()
                    .and_then(|text| choices.iter().find(|c| **c == text))
                    .map(|c| Value::Text(c)),
            };
            let value = read.ok_or_else(|| D::Error::custom(format!("invalid `{name}`")))?;
            values.push((key.name, value));
        }
        Ok(Hyperparameters::from_values(&values))
    }
}

impl PartialSchema for Hyperparameters {
    fn schema() -> RefOr<OpenApiSchema> {
        let mut object = ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(
                "Hyperparameters of the algorithm (docs/contract.md §3). Every key is \
                 range-checked whether or not the\nalgorithm uses it; a key it does not use \
                 gives an `unused_hyperparameter` warning. In a\nresponse's `problem`, exactly \
                 the keys the algorithm uses, with defaults filled in.",
            ))
            .additional_properties(Some(AdditionalProperties::FreeForm(false)));
        for key in hyperparameters() {
            object = object.property(key.name, property(key));
        }
        object.into()
    }
}

impl ToSchema for Hyperparameters {
    fn name() -> Cow<'static, str> {
        Cow::Borrowed("Hyperparameters")
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<OpenApiSchema>)>) {
        for key in hyperparameters() {
            if let (Some((name, description)), Kind::Choice(choices)) = (key.schema.named, key.kind)
            {
                schemas.push((name.to_string(), named_choice(description, choices)));
            }
        }
    }
}

/// One key's property in the schema of [`Hyperparameters`]: nullable, as `null` reads as
/// absent.
fn property(key: &Hyperparameter) -> RefOr<OpenApiSchema> {
    let schema = key.schema;
    let nullable = |kind: Type| SchemaType::from_iter([kind, Type::Null]);
    let builder = match key.kind {
        Kind::Choice(_) => {
            let Some((name, _)) = schema.named else {
                return ObjectBuilder::new()
                    .schema_type(nullable(Type::String))
                    .description(Some(schema.description))
                    .into();
            };
            let mut reference = Ref::from_schema_name(name);
            reference.description = schema.description.to_string();
            return OneOfBuilder::new()
                .item(reference)
                .item(ObjectBuilder::new().schema_type(Type::Null))
                .into();
        }
        Kind::Number(interval) => {
            let bound = |end: Option<(f64, bool)>, closed: bool| {
                end.filter(|(_, c)| *c == closed).map(|(x, _)| x)
            };
            ObjectBuilder::new()
                .schema_type(nullable(Type::Number))
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Double)))
                .description(Some(schema.description))
                .minimum(bound(interval.min, true))
                .exclusive_minimum(bound(interval.min, false))
                .maximum(bound(interval.max, true))
                .exclusive_maximum(bound(interval.max, false))
        }
        Kind::Integer { min } => ObjectBuilder::new()
            .schema_type(nullable(Type::Integer))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .description(Some(schema.description))
            .minimum(Some(min as f64)),
    };
    #[allow(deprecated)] // the OpenAPI document has always written `example`
    let builder = builder.example(schema.example.map(serde_json::Value::from));
    builder.into()
}

/// The closest of `candidates` to a misspelt `word`, if one is close enough to be a likely typo
/// (`betta` → `beta`).
pub fn suggestion<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // Typos are short edits; anything further is more likely a different idea than a slip.
    let limit = if word.chars().count() <= 4 { 1 } else { 2 };
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance on characters; inputs are JSON keys, capped so a hostile 1 MiB key
/// costs nothing.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_an_algorithm_uses_is_a_known_hyperparameter() {
        for algorithm in ALGORITHMS {
            for used in algorithm.uses {
                assert_eq!(hyperparameter(used.name), Some(used.key), "{}", used.name);
                if let Some((key, value)) = used.only_when {
                    let Some(Hyperparameter {
                        kind: Kind::Choice(values),
                        ..
                    }) = hyperparameter(key)
                    else {
                        panic!("{key} is not a choice");
                    };
                    assert!(values.contains(&value));
                    let position = |n: &str| algorithm.uses.iter().position(|u| u.name == n);
                    assert!(position(key) < position(used.name), "{key} resolves first");
                }
            }
        }
    }

    #[test]
    fn a_one_letter_typo_suggests_the_intended_key() {
        let keys = hyperparameters().iter().map(|h| h.name);
        assert_eq!(suggestion("betta", keys.clone()), Some("beta"));
        assert_eq!(
            suggestion("learningrate", keys.clone()),
            Some("learning_rate")
        );
        assert_eq!(suggestion("zzzzzzzz", keys), None);
    }
}

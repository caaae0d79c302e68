//! The published shape of requests and responses, shared by the HTTP edge and the CLI: the
//! wire types with their OpenAPI schemas ([`model`]), the algorithm catalogue that fixes every
//! hyperparameter's name, range and default ([`catalog`]), the one reader that turns a JSON body
//! into validated domain values with every violation at its pointer ([`validate`]; a grade
//! request, [`grade`]), and those violations ([`fields`]). No axum, no I/O.

pub mod catalog;
pub mod class;
pub mod fields;
pub mod grade;
pub mod json;
pub mod model;
pub mod problem;
pub mod validate;

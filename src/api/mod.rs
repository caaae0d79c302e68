//! The HTTP edge: parse, validate, dispatch, serialize — no maths (that is `crate::solve`).

pub mod catalog;
pub mod error;
pub mod extract;
pub mod model;
pub mod validate;

//! gradtrace: worked solutions for single-neuron optimizer exercises.

pub mod render;
pub mod solve;

//! The course's own data, read by the use cases and the HTTP edge alike: its worked examples
//! with the values its notes print, and its errata.

pub mod examples;

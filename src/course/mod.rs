//! The course's own data, read by the use cases and the HTTP edge alike: its worked examples
//! with the values its notes print, and its errata ([`examples`]), and its exercises as request
//! bodies ([`requests`]).

pub mod examples;
pub mod requests;

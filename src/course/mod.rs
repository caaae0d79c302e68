//! The course's own data, read by the use cases and the HTTP edge alike: its worked examples
//! with the values its notes print, and its errata ([`examples`]), the concepts of its networks
//! as ready problems ([`network_examples`]), and its exercises as request bodies ([`requests`]).

pub mod examples;
pub mod network_examples;
pub mod requests;

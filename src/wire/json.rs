//! JSON text as the service writes it, over HTTP and on the command line: serde_json's, except
//! that a negative zero is written `0.0`.
//!
//! IEEE negative zeros arise naturally in the core (the `delta` convention negates a zero
//! gradient, ReLU's slope is 0 below its kink, an empty `Iterator::sum` of floats is `-0.0`) and
//! mean nothing to a reader; normalising them where numbers become text covers every response
//! at once, and changes no other byte. Every response body goes through [`to_vec`] or
//! [`to_vec_pretty`] (the renderings' own numbers go through `format_number`, which never writes
//! `-0` either).

use std::io;

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter, Serializer};

/// Methods of `Formatter` that hand their call to the inner formatter `self.0`.
macro_rules! layout {
    (writer: $($method:ident),+) => {$(
        fn $method<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
            self.0.$method(writer)
        }
    )+};
    (writer, first: $($method:ident),+) => {$(
        fn $method<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
            self.0.$method(writer, first)
        }
    )+};
}

/// A formatter that writes `0.0` for `-0.0` and otherwise is `F`.
struct PositiveZero<F>(F);

impl<F: Formatter> Formatter for PositiveZero<F> {
    fn write_f32<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f32) -> io::Result<()> {
        // `-0.0 == 0.0`: every zero becomes +0.
        self.0
            .write_f32(writer, if value == 0.0 { 0.0 } else { value })
    }

    fn write_f64<W: ?Sized + io::Write>(&mut self, writer: &mut W, value: f64) -> io::Result<()> {
        self.0
            .write_f64(writer, if value == 0.0 { 0.0 } else { value })
    }

    // The layout is the inner formatter's (these are the methods PrettyFormatter overrides).
    layout!(writer: begin_array, end_array, end_array_value, begin_object, end_object);
    layout!(writer: end_object_key, begin_object_value, end_object_value);
    layout!(writer, first: begin_array_value, begin_object_key);
}

fn write<F: Formatter>(value: &impl Serialize, formatter: F) -> serde_json::Result<Vec<u8>> {
    let mut bytes = Vec::with_capacity(128);
    value.serialize(&mut Serializer::with_formatter(
        &mut bytes,
        PositiveZero(formatter),
    ))?;
    Ok(bytes)
}

/// `serde_json::to_vec`, with `-0.0` written `0.0`.
pub fn to_vec(value: &impl Serialize) -> serde_json::Result<Vec<u8>> {
    write(value, CompactFormatter)
}

/// `serde_json::to_vec_pretty`, with `-0.0` written `0.0`.
pub fn to_vec_pretty(value: &impl Serialize) -> serde_json::Result<Vec<u8>> {
    write(value, PrettyFormatter::new())
}

/// `serde_json::to_string`, with `-0.0` written `0.0`.
pub fn to_string(value: &impl Serialize) -> serde_json::Result<String> {
    // serde_json writes only valid UTF-8.
    to_vec(value).map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn negative_zero_is_written_as_zero_and_nothing_else_changes() {
        let value = json!({"none": -0.0, "x": [-0.5, 0.0, -1e-300, 2], "f": -0.0f32});
        let expected = r#"{"none":0.0,"x":[-0.5,0.0,-1e-300,2],"f":0.0}"#;
        assert_eq!(to_string(&value).ok().as_deref(), Some(expected));
        let plain = json!({"a": [1.5, -2.25], "b": {"c": "−0 stays text"}});
        assert_eq!(to_vec(&plain).ok(), serde_json::to_vec(&plain).ok());
        assert_eq!(
            to_vec_pretty(&plain).ok(),
            serde_json::to_vec_pretty(&plain).ok()
        );
        assert_eq!(
            to_vec_pretty(&json!([-0.0])).ok().as_deref(),
            Some("[\n  0.0\n]".as_bytes())
        );
    }
}

//! A solution's JSON written straight into a byte buffer: the same bytes as its `Serialize`
//! (a test compares them), without the serializer's per-fragment machinery — each line's text
//! is written, escaped as it goes, directly into the output at the precision asked for.

use serde::Serialize;
use serde_json::ser::{CompactFormatter, Formatter};

use super::expr::Sink;
use super::number::{write_number, Display, Precision};
use super::trace::{ConjugateStep, Forward, Line, LossSummary, Solution, Step};

/// JSON string content: `\` and `"` escaped (the core's text has no control characters, and
/// any that came would be escaped too).
struct JsonText<'a>(&'a mut Vec<u8>);

/// Whether a byte needs escaping in a JSON string.
#[inline]
fn escaped(byte: u8) -> bool {
    byte == b'\\' || byte == b'"' || byte < 0x20
}

/// One byte as serde_json escapes it.
fn escape(out: &mut Vec<u8>, byte: u8) {
    match byte {
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'"' => out.extend_from_slice(b"\\\""),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        _ => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.extend_from_slice(b"\\u00");
            out.push(HEX[(byte >> 4) as usize]);
            out.push(HEX[(byte & 0xf) as usize]);
        }
    }
}

/// Bytes that need no escaping (`Sink::put`'s promise), copied.
#[inline]
fn plain(out: &mut Vec<u8>, bytes: &[u8]) {
    debug_assert!(
        !bytes.iter().any(|b| escaped(*b)),
        "text given to Sink::put needs escaping: {:?}",
        String::from_utf8_lossy(bytes)
    );
    if bytes.len() <= 16 {
        // Fragments: byte by byte is cheaper than a copy call.
        for &byte in bytes {
            out.push(byte);
        }
    } else {
        out.extend_from_slice(bytes);
    }
}

impl Sink for JsonText<'_> {
    #[inline]
    fn put(&mut self, text: &str) {
        plain(self.0, text.as_bytes());
    }

    #[inline]
    fn put_ascii(&mut self, bytes: &[u8]) {
        plain(self.0, bytes);
    }

    fn tex(&mut self, text: &str) {
        for &byte in text.as_bytes() {
            if escaped(byte) {
                escape(self.0, byte);
            } else {
                self.0.push(byte);
            }
        }
    }
}

fn f64_value(out: &mut Vec<u8>, value: f64) {
    if value.is_finite() {
        // `+ 0.0` turns -0.0 into 0.0 and leaves every other number as it is: no response
        // writes a negative zero (the edge's encoder, api::json, does the same).
        let _ = CompactFormatter.write_f64(out, value + 0.0);
    } else {
        out.extend_from_slice(b"null");
    }
}

fn optional(out: &mut Vec<u8>, value: Option<f64>) {
    match value {
        Some(v) => f64_value(out, v),
        None => out.extend_from_slice(b"null"),
    }
}

fn unsigned(out: &mut Vec<u8>, value: u64) {
    out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes());
}

/// `[…]`, each item written by `item`.
#[inline]
fn list<T>(out: &mut Vec<u8>, items: &[T], mut item: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        item(out, x);
    }
    out.push(b']');
}

fn array(out: &mut Vec<u8>, values: &[f64]) {
    list(out, values, |out, v| f64_value(out, *v));
}

/// `{"name":…,…}`, each value written by `value`.
fn object<'a, T: 'a>(
    out: &mut Vec<u8>,
    entries: impl IntoIterator<Item = (&'a &'static str, &'a T)>,
    mut value: impl FnMut(&mut Vec<u8>, &T),
) {
    out.push(b'{');
    for (i, (name, v)) in entries.into_iter().enumerate() {
        key(out, name, i == 0);
        value(out, v);
    }
    out.push(b'}');
}

fn key(out: &mut Vec<u8>, name: &str, first: bool) {
    if !first {
        out.push(b',');
    }
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
}

/// Anything else, as serde_json writes it.
fn serialized(out: &mut Vec<u8>, value: &impl Serialize) {
    let _ = serde_json::to_writer(&mut *out, value);
}

/// Room reused from line to line.
#[derive(Default)]
pub struct LineScratch {
    shown: Vec<Display>,
}

/// One line, its numbers shown at `precision`.
pub fn write_line(out: &mut Vec<u8>, line: &Line, precision: Precision, scratch: &mut LineScratch) {
    line.expr.shown_numbers(precision, &mut scratch.shown);
    let shown = &scratch.shown;
    out.extend_from_slice(b"{\"symbol\":\"");
    line.symbol.write_tex(&mut JsonText(out));
    out.extend_from_slice(b"\",\"formula\":\"");
    line.expr.write_formula(&mut JsonText(out), false);
    out.extend_from_slice(b"\",\"substitution\":\"");
    line.expr
        .write_substitution_shown(&mut JsonText(out), shown, false);
    out.extend_from_slice(b"\",\"value\":");
    f64_value(out, line.value);
    out.extend_from_slice(b",\"latex\":\"");
    {
        let mut text = JsonText(out);
        line.symbol.write_tex(&mut text);
        text.put(" = ");
        line.expr.write_substitution_shown(&mut text, shown, true);
        text.put(" = ");
        write_number(&mut text, line.value, precision, true);
    }
    out.extend_from_slice(b"\",\"pointer\":");
    match &line.pointer {
        Some(pointer) => {
            out.push(b'"');
            pointer.write(&mut JsonText(out));
            out.push(b'"');
        }
        None => out.extend_from_slice(b"null"),
    }
    out.push(b'}');
}

fn forward(out: &mut Vec<u8>, f: &Forward) {
    out.extend_from_slice(b"{\"sample\":");
    unsigned(out, f.sample as u64);
    key(out, "net", false);
    f64_value(out, f.net);
    key(out, "output", false);
    f64_value(out, f.output);
    key(out, "loss", false);
    f64_value(out, f.loss);
    key(out, "gradient", false);
    array(out, &f.gradient);
    key(out, "bias_gradient", false);
    optional(out, f.bias_gradient);
    out.push(b'}');
}

fn conjugate(out: &mut Vec<u8>, c: &ConjugateStep) {
    out.extend_from_slice(b"{\"k\":");
    unsigned(out, c.k);
    key(out, "beta", false);
    f64_value(out, c.beta);
    key(out, "restarted", false);
    out.extend_from_slice(if c.restarted { b"true" } else { b"false" });
    key(out, "direction", false);
    array(out, &c.direction);
    key(out, "step_length", false);
    f64_value(out, c.step_length);
    key(out, "directional_derivative", false);
    f64_value(out, c.directional_derivative);
    out.push(b'}');
}

/// One step, its lines' numbers shown at `precision` (`None`: each line's own; see
/// [`Line::shown`]).
pub fn write_step(
    out: &mut Vec<u8>,
    step: &Step,
    precision: Option<Precision>,
    scratch: &mut LineScratch,
) {
    out.extend_from_slice(b"{\"index\":");
    unsigned(out, step.index);
    key(out, "epoch", false);
    unsigned(out, step.epoch);
    key(out, "samples", false);
    list(out, &step.samples, |out, s| unsigned(out, *s as u64));
    key(out, "learning_rate", false);
    f64_value(out, step.learning_rate);
    key(out, "weights_before", false);
    array(out, &step.weights_before);
    key(out, "bias_before", false);
    optional(out, step.bias_before);
    key(out, "forward", false);
    list(out, &step.forward, forward);
    key(out, "gradient", false);
    array(out, &step.gradient);
    key(out, "bias_gradient", false);
    optional(out, step.bias_gradient);
    key(out, "dw", false);
    array(out, &step.dw);
    key(out, "bias_dw", false);
    optional(out, step.bias_dw);
    key(out, "state", false);
    object(out, &step.state, |out, values| array(out, values));
    key(out, "correction_factors", false);
    object(out, &step.correction_factors, |out, v| f64_value(out, *v));
    key(out, "conjugate", false);
    match &step.conjugate {
        Some(c) => conjugate(out, c),
        None => out.extend_from_slice(b"null"),
    }
    key(out, "weights_after", false);
    array(out, &step.weights_after);
    key(out, "bias_after", false);
    optional(out, step.bias_after);
    if let (Some(layers), Some(losses)) = (&step.layers, &step.losses) {
        key(out, "layers", false);
        serialized(out, layers);
        key(out, "losses", false);
        serialized(out, losses);
    }
    key(out, "lines", false);
    list(out, &step.lines, |out, line| {
        write_line(out, line, line.shown(precision), scratch)
    });
    out.push(b'}');
}

/// The members of a solution (`"status":…,"loss":{…}`, without braces), so a response can
/// put them after its own.
pub fn write_solution_members(
    out: &mut Vec<u8>,
    solution: &Solution,
    precision: Option<Precision>,
) {
    write_solution_members_spilling(out, solution, precision, &mut |_| {});
}

/// Bytes of a long solution held before [`write_solution_members_spilling`] hands them on.
const SPILL_AT: usize = 1 << 16;

/// [`write_solution_members`], handing `out` to `spill` whenever it holds more than 64 KiB
/// (between steps and between numbers of the loss lists): `spill` may write the bytes out and
/// empty the buffer, so a long trace or summary sent to a file or pipe needs no buffer of its
/// whole size (the CLI). A `spill` that leaves `out` as it is keeps every byte there.
pub fn write_solution_members_spilling(
    out: &mut Vec<u8>,
    solution: &Solution,
    precision: Option<Precision>,
    spill: &mut dyn FnMut(&mut Vec<u8>),
) {
    let mut scratch = LineScratch::default();
    key(out, "status", true);
    serialized(out, &solution.status);
    key(out, "warnings", false);
    serialized(out, &solution.warnings);
    key(out, "steps", false);
    list(out, &solution.steps, |out, step| {
        write_step(out, step, precision, &mut scratch);
        if out.len() > SPILL_AT {
            spill(out);
        }
    });
    key(out, "final_weights", false);
    array(out, &solution.final_weights);
    key(out, "final_bias", false);
    optional(out, solution.final_bias);
    if let Some(network) = &solution.final_network {
        key(out, "final_network", false);
        serialized(out, network);
    }
    key(out, "loss", false);
    write_loss(out, &solution.loss, spill);
}

/// The loss summary, as its `Serialize` writes it; a summary's `per_update` holds one number per
/// update, so it is written number by number rather than through the serializer.
fn write_loss(out: &mut Vec<u8>, loss: &LossSummary, spill: &mut dyn FnMut(&mut Vec<u8>)) {
    out.push(b'{');
    key(out, "initial", true);
    optional(out, loss.initial);
    key(out, "final", false);
    optional(out, loss.final_);
    key(out, "per_epoch", false);
    numbers(out, &loss.per_epoch, spill);
    if let Some(per_update) = &loss.per_update {
        key(out, "per_update", false);
        numbers(out, per_update, spill);
    }
    out.push(b'}');
}

/// A number, or null for `None` (as for one that is not finite).
trait Number: Copy {
    fn number(self) -> Option<f64>;
}

impl Number for f64 {
    #[inline]
    fn number(self) -> Option<f64> {
        Some(self)
    }
}

impl Number for Option<f64> {
    #[inline]
    fn number(self) -> Option<f64> {
        self
    }
}

fn numbers<T: Number>(out: &mut Vec<u8>, values: &[T], spill: &mut dyn FnMut(&mut Vec<u8>)) {
    out.push(b'[');
    for (i, chunk) in values.chunks(1024).enumerate() {
        // A number is at most 24 bytes (`-2.2250738585072014e-308`) and its comma.
        out.reserve(chunk.len() * 25);
        for (j, v) in chunk.iter().enumerate() {
            if i + j > 0 {
                out.push(b',');
            }
            optional(out, v.number());
        }
        if out.len() > SPILL_AT {
            spill(out);
        }
    }
    out.push(b']');
}

/// The whole solution as JSON.
pub fn write_solution(out: &mut Vec<u8>, solution: &Solution, precision: Option<Precision>) {
    out.push(b'{');
    write_solution_members(out, solution, precision);
    out.push(b'}');
}

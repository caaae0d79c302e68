//! The little SVG writing the pictures need: escaped text, coordinates at a fixed resolution,
//! and the axes of a frame. Written by hand rather than through plotters so each marker can
//! carry its update's index as an attribute and a `<title>` (docs/choices.md).

use std::fmt::Write;

/// Pixel coordinates are written with this many decimals: the plot's resolution.
pub const PIXEL_DECIMALS: usize = 2;

/// The palette, one colour per configuration in order (Tableau 10, colour-blind friendly).
pub const PALETTE: [&str; 10] = [
    "#4e79a7", "#e15759", "#59a14f", "#f28e2b", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7",
    "#9c755f", "#bab0ac",
];

/// The colour of configuration `i`.
pub fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// `text` with the five XML specials escaped, for element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// A pixel coordinate at the plot's resolution, never `-0.00`.
pub fn px(v: f64) -> String {
    unsigned_zero(format!("{v:.PIXEL_DECIMALS$}"))
}

/// A data value in full (the shortest text that reads back as the same f64); `-0` as `0`.
pub fn value(v: f64) -> String {
    if v == 0.0 {
        "0".to_string()
    } else {
        format!("{v}")
    }
}

/// A linear or logarithmic map from data to pixels along one axis.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    pub min: f64,
    pub max: f64,
    pub log: bool,
    /// The pixel of `min` and of `max` (for a y axis the first is the larger).
    pub from: f64,
    pub to: f64,
}

impl Scale {
    fn unit(&self, v: f64) -> f64 {
        if self.log {
            (v.log10() - self.min.log10()) / (self.max.log10() - self.min.log10())
        } else {
            (v - self.min) / (self.max - self.min)
        }
    }

    /// The pixel of `v`.
    pub fn at(&self, v: f64) -> f64 {
        self.from + self.unit(v) * (self.to - self.from)
    }

    /// Where the ticks go, with their labels.
    pub fn ticks(&self) -> Vec<(f64, String)> {
        if self.log {
            let mut ticks = Vec::new();
            let mut k = self.min.log10().ceil() as i32;
            while k as f64 <= self.max.log10() + 1e-9 && ticks.len() < 40 {
                ticks.push((10f64.powi(k), format!("1e{k}")));
                k += 1;
            }
            return ticks;
        }
        let step = nice_step((self.max - self.min) / 8.0);
        let decimals = (-step.log10().floor()).max(0.0) as usize;
        let mut ticks = Vec::new();
        let mut k = (self.min / step).ceil();
        while k * step <= self.max + step * 1e-9 && ticks.len() < 40 {
            let v = k * step;
            ticks.push((v, unsigned_zero(format!("{v:.decimals$}"))));
            k += 1.0;
        }
        ticks
    }
}

/// `-0`, `-0.0`… as their unsigned text.
fn unsigned_zero(text: String) -> String {
    if text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        text.trim_start_matches('-').to_string()
    } else {
        text
    }
}

/// 1, 2 or 5 times a power of ten, at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(raw.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * power)
        .find(|s| *s >= raw * (1.0 - 1e-12))
        .unwrap_or(10.0 * power)
}

/// A range padded a little, never empty: the axis of `lo..=hi`.
pub fn padded(lo: f64, hi: f64, log: bool) -> (f64, f64) {
    if log {
        let (a, b) = (lo.log10(), hi.log10());
        let pad = ((b - a) * 0.05).max(0.05);
        return (10f64.powf(a - pad), 10f64.powf(b + pad));
    }
    let span = hi - lo;
    let pad = if span > 0.0 {
        span * 0.05
    } else {
        lo.abs().max(1.0) * 0.05
    };
    (lo - pad, hi + pad)
}

/// The plotting area in pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// An axis name in the course's notation: `w_1` as w with a subscript 1, `b`, `t`, `E`.
pub fn name_text(name: &str) -> String {
    match name.split_once('_') {
        Some((base, sub)) => format!(
            "{}<tspan class=\"sub\" dy=\"0.3em\" font-size=\"0.75em\">{}</tspan>",
            escape(base),
            escape(sub)
        ),
        None => escape(name),
    }
}

/// The frame's rectangle (with its data ranges as attributes, so a reader can map pixels back
/// to values), its ticks, tick labels and axis names.
pub fn axes(out: &mut String, frame: Frame, x: Scale, y: Scale, x_name: &str, y_name: &str) {
    let _ = writeln!(
        out,
        "<rect class=\"frame\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" \
         stroke=\"#333\" data-x-min=\"{}\" data-x-max=\"{}\" data-y-min=\"{}\" data-y-max=\"{}\" \
         data-x-log=\"{}\" data-y-log=\"{}\"/>",
        px(frame.x),
        px(frame.y),
        px(frame.width),
        px(frame.height),
        value(x.min),
        value(x.max),
        value(y.min),
        value(y.max),
        x.log,
        y.log
    );
    let bottom = frame.y + frame.height;
    out.push_str("<g class=\"ticks\" font-size=\"11\" fill=\"#333\">\n");
    for (v, label) in x.ticks() {
        let p = px(x.at(v));
        let _ = writeln!(
            out,
            "<line x1=\"{p}\" y1=\"{b}\" x2=\"{p}\" y2=\"{b5}\" stroke=\"#333\"/>\
             <text x=\"{p}\" y=\"{b18}\" text-anchor=\"middle\">{label}</text>",
            b = px(bottom),
            b5 = px(bottom + 5.0),
            b18 = px(bottom + 18.0),
            label = escape(&label)
        );
    }
    for (v, label) in y.ticks() {
        let p = px(y.at(v));
        let _ = writeln!(
            out,
            "<line x1=\"{l5}\" y1=\"{p}\" x2=\"{l}\" y2=\"{p}\" stroke=\"#333\"/>\
             <text x=\"{l8}\" y=\"{p}\" dy=\"0.35em\" text-anchor=\"end\">{label}</text>",
            l = px(frame.x),
            l5 = px(frame.x - 5.0),
            l8 = px(frame.x - 8.0),
            label = escape(&label)
        );
    }
    out.push_str("</g>\n");
    let _ = writeln!(
        out,
        "<text class=\"axis-name\" data-name=\"{xn}\" x=\"{cx}\" y=\"{by}\" font-size=\"14\" \
         text-anchor=\"middle\">{xt}</text>\n<text class=\"axis-name\" data-name=\"{yn}\" \
         x=\"{lx}\" y=\"{cy}\" font-size=\"14\" text-anchor=\"middle\" \
         transform=\"rotate(-90 {lx} {cy})\">{yt}</text>",
        xn = escape(x_name),
        yn = escape(y_name),
        xt = name_text(x_name),
        yt = name_text(y_name),
        cx = px(frame.x + frame.width / 2.0),
        by = px(bottom + 38.0),
        lx = px(frame.x - 48.0),
        cy = px(frame.y + frame.height / 2.0),
    );
}

/// The document's opening: size, font, a title and a description for screen readers.
pub fn open(out: &mut String, width: f64, height: f64, title: &str, description: &str) {
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" role=\"img\">\n\
         <title>{t}</title>\n<desc>{d}</desc>\n\
         <rect width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>\n",
        w = px(width),
        h = px(height),
        t = escape(title),
        d = escape(description)
    );
}

/// `text` cut at its `, ` into lines of about `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for part in text.split(", ") {
        match lines.last_mut() {
            Some(line) if line.chars().count() + part.chars().count() + 2 <= width => {
                line.push_str(", ");
                line.push_str(part);
            }
            _ => lines.push(part.to_string()),
        }
    }
    lines
}

/// One legend entry at `y`: a swatch in the configuration's colour, its label, and the
/// detail wrapped below; the height it takes.
pub fn legend_entry(out: &mut String, x: f64, y: f64, i: usize, label: &str, detail: &str) -> f64 {
    let _ = write!(
        out,
        "<g class=\"legend-entry\" data-config=\"{i}\"><rect x=\"{x}\" y=\"{sy}\" width=\"12\" \
         height=\"12\" fill=\"{c}\"/><text x=\"{tx}\" y=\"{ty}\" font-size=\"13\">{l}</text>",
        x = px(x),
        sy = px(y - 10.0),
        c = colour(i),
        tx = px(x + 18.0),
        ty = px(y),
        l = escape(label),
    );
    let lines = wrap(detail, 40);
    for (k, line) in lines.iter().enumerate() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#555\">{}</text>",
            px(x + 18.0),
            px(y + 14.0 * (k + 1) as f64),
            escape(line)
        );
    }
    out.push_str("</g>\n");
    22.0 + 14.0 * lines.len() as f64
}

/// The height a legend of these entries takes, with room for a line below: a long legend
/// makes the picture taller rather than spill out of it.
pub fn legend_height<'a>(entries: impl Iterator<Item = (&'a str, &'a str)>) -> f64 {
    let mut scratch = String::new();
    entries
        .map(|(label, detail)| legend_entry(&mut scratch, 0.0, 0.0, 0, label, detail))
        .sum::<f64>()
        + 24.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pixels_have_two_decimals_and_no_negative_zero() {
        assert_eq!(px(1.0), "1.00");
        assert_eq!(px(-0.001), "0.00");
        assert_eq!(px(-1.234), "-1.23");
        assert_eq!(value(-0.0), "0");
        assert_eq!(value(0.5009), "0.5009");
    }

    #[test]
    fn linear_ticks_are_round_numbers_inside_the_range() {
        let scale = Scale {
            min: 0.43,
            max: 0.57,
            log: false,
            from: 0.0,
            to: 100.0,
        };
        let labels: Vec<String> = scale.ticks().into_iter().map(|t| t.1).collect();
        assert_eq!(
            labels,
            ["0.44", "0.46", "0.48", "0.50", "0.52", "0.54", "0.56"]
        );
    }

    #[test]
    fn log_ticks_are_powers_of_ten() {
        let scale = Scale {
            min: 0.003,
            max: 20.0,
            log: true,
            from: 0.0,
            to: 100.0,
        };
        let labels: Vec<String> = scale.ticks().into_iter().map(|t| t.1).collect();
        assert_eq!(labels, ["1e-2", "1e-1", "1e0", "1e1"]);
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
    }
}

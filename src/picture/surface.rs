//! The loss surface over two parameters (the others held at their initial values) as contour
//! lines, with each configuration's path: a marker per update carrying its index, the start
//! and the end marked, the hyperparameters in the legend.

use std::fmt::Write;

use super::contour::Grid;
use super::svg::{self, axes, colour, escape, legend_entry, px, value, Frame, Scale};
use super::{parameter_name, parameters, Series};
use crate::solve::expr::{format_number, Precision};
use crate::solve::model::initial_params;
use crate::solve::model::total_loss;
use crate::solve::Problem;

/// Grid points per side when the request does not say.
pub const DEFAULT_RESOLUTION: usize = 61;
/// The fewest grid points per side.
pub const MIN_RESOLUTION: usize = 5;
/// Contour levels drawn.
pub const LEVELS: usize = 12;
/// The loss must span more than this factor for the levels to be spaced logarithmically.
pub const LOG_SPAN: f64 = 100.0;

const WIDTH: f64 = 820.0;
const HEIGHT: f64 = 500.0;
const FRAME: Frame = Frame {
    x: 70.0,
    y: 20.0,
    width: 440.0,
    height: 420.0,
};
const LEGEND_X: f64 = 530.0;

/// What to draw: the two parameters (indices into weights-then-bias) and the grid's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub x: usize,
    pub y: usize,
    pub resolution: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            x: 0,
            y: 1,
            resolution: DEFAULT_RESOLUTION,
        }
    }
}

/// One configuration's points: (update index, x, y), the start as update 0.
fn path(series: &Series<'_>, options: Options) -> Vec<(u64, f64, f64)> {
    let problem = series.problem;
    let start = match series.solution.steps.first() {
        Some(step) => parameters(&step.weights_before, step.bias_before),
        None => initial_params(problem),
    };
    let pick = |p: &[f64]| {
        (
            p.get(options.x).copied().unwrap_or(0.0),
            p.get(options.y).copied().unwrap_or(0.0),
        )
    };
    let (x0, y0) = pick(&start);
    let mut points = vec![(0, x0, y0)];
    for step in &series.solution.steps {
        let (x, y) = pick(&parameters(&step.weights_after, step.bias_after));
        points.push((step.index, x, y));
    }
    points
}

/// The window: every path's points with a margin, neither side much narrower than the other
/// (a path along one axis still shows the surface across it).
fn window(points: &[(u64, f64, f64)]) -> ((f64, f64), (f64, f64)) {
    let range = |f: fn(&(u64, f64, f64)) -> f64| {
        points
            .iter()
            .map(f)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                (lo.min(v), hi.max(v))
            })
    };
    let (xr, yr) = (range(|p| p.1), range(|p| p.2));
    let widest = (xr.1 - xr.0).max(yr.1 - yr.0);
    let side = |(lo, hi): (f64, f64)| {
        let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 0.0) };
        let centre = (lo + hi) / 2.0;
        let span = (hi - lo).max(widest / 2.0);
        let span = if span > 0.0 {
            span
        } else {
            0.2 * centre.abs().max(1.0)
        };
        (centre - 0.6 * span, centre + 0.6 * span)
    };
    (side(xr), side(yr))
}

/// The loss on the grid (row by row from the bottom), non-finite values clipped to the largest
/// finite one so that no isoline stops inside the picture; and that finite range.
fn loss_grid(
    problem: &Problem,
    options: Options,
    (xr, yr): ((f64, f64), (f64, f64)),
) -> (Vec<f64>, Option<(f64, f64)>) {
    let n = options.resolution;
    let mut params = initial_params(problem);
    let mut z = Vec::with_capacity(n * n);
    for j in 0..n {
        for i in 0..n {
            let at = |(lo, hi): (f64, f64), k: usize| lo + (hi - lo) * k as f64 / (n - 1) as f64;
            if let Some(p) = params.get_mut(options.x) {
                *p = at(xr, i);
            }
            if let Some(p) = params.get_mut(options.y) {
                *p = at(yr, j);
            }
            z.push(total_loss(problem, &params).unwrap_or(f64::NAN));
        }
    }
    let finite = z.iter().copied().filter(|v| v.is_finite());
    let range = finite.fold(None, |r: Option<(f64, f64)>, v| {
        Some(r.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
    });
    if let Some((_, hi)) = range {
        for v in &mut z {
            if !v.is_finite() {
                *v = hi;
            }
        }
    }
    (z, range)
}

/// The levels strictly between the smallest and largest loss; logarithmic when it spans more
/// than `LOG_SPAN`.
pub fn levels(lo: f64, hi: f64) -> (Vec<f64>, bool) {
    if hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater) {
        return (Vec::new(), false);
    }
    let log = lo > 0.0 && hi / lo > LOG_SPAN;
    let levels = (1..=LEVELS)
        .map(|k| {
            let t = k as f64 / (LEVELS + 1) as f64;
            if log {
                lo * (hi / lo).powf(t)
            } else {
                lo + (hi - lo) * t
            }
        })
        .collect();
    (levels, log)
}

/// The contour lines, from the lowest level up, darker for lower loss.
fn contours(out: &mut String, z: &[f64], n: usize, levels: &[f64]) {
    let grid = Grid { nx: n, ny: n, z };
    let last = (n - 1) as f64;
    out.push_str("<g class=\"contours\" fill=\"none\" stroke-width=\"1\">\n");
    for (k, &level) in levels.iter().enumerate() {
        let grey = 60 + (150 * k) / levels.len().max(1);
        for line in grid.isolines(level) {
            let mut d = String::new();
            for (m, (gx, gy)) in line.points.iter().enumerate() {
                let x = FRAME.x + gx / last * FRAME.width;
                let y = FRAME.y + FRAME.height - gy / last * FRAME.height;
                let _ = write!(d, "{}{} {}", if m == 0 { "M" } else { " L" }, px(x), px(y));
            }
            if line.closed {
                d.push_str(" Z");
            }
            let _ = writeln!(
                out,
                "<path class=\"contour\" data-level=\"{}\" stroke=\"rgb({grey},{grey},{grey})\" \
                 d=\"{d}\"/>",
                value(level)
            );
        }
    }
    out.push_str("</g>\n");
}

/// A parameter's name in plain text for titles: `w₁`.
pub fn plain_name(name: &str) -> String {
    const DIGITS: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
    match name.split_once('_') {
        Some((base, sub)) => {
            let sub: String = sub
                .chars()
                .map(|c| c.to_digit(10).map_or(c, |d| DIGITS[d as usize]))
                .collect();
            format!("{base}{sub}")
        }
        None => name.to_string(),
    }
}

/// The paths: a line through each configuration's points, a square at the start, a marker per
/// update (its index in `data-update` and its `<title>`), a ring at the end.
fn paths(out: &mut String, series: &[Series<'_>], options: Options, scales: (Scale, Scale)) {
    let (sx, sy) = scales;
    let first = series[0].problem;
    let (xn, yn) = (
        plain_name(&parameter_name(first, options.x)),
        plain_name(&parameter_name(first, options.y)),
    );
    let n4 = |v: f64| format_number(v, Precision::Significant(4), false);
    for (i, s) in series.iter().enumerate() {
        let points = path(s, options);
        let c = colour(i);
        let mut d = String::new();
        for (m, &(_, x, y)) in points.iter().enumerate() {
            let sep = if m == 0 { "M" } else { " L" };
            let _ = write!(d, "{sep}{} {}", px(sx.at(x)), px(sy.at(y)));
        }
        let _ = writeln!(
            out,
            "<g class=\"configuration\" data-config=\"{i}\" data-label=\"{l}\">\n\
             <path class=\"optimizer-path\" data-config=\"{i}\" fill=\"none\" stroke=\"{c}\" \
             stroke-width=\"2\" d=\"{d}\"/>",
            l = escape(s.label)
        );
        for &(t, x, y) in &points {
            let (cx, cy) = (px(sx.at(x)), px(sy.at(y)));
            let what = format!("{xn} = {}, {yn} = {}", n4(x), n4(y));
            if t == 0 {
                let _ = writeln!(
                    out,
                    "<rect class=\"start\" x=\"{}\" y=\"{}\" width=\"9\" height=\"9\" \
                     fill=\"{c}\" pointer-events=\"none\"><title>{}, start: {what}</title></rect>",
                    px(sx.at(x) - 4.5),
                    px(sy.at(y) - 4.5),
                    escape(s.label)
                );
                continue;
            }
            let _ = writeln!(
                out,
                "<circle class=\"marker\" data-config=\"{i}\" data-update=\"{t}\" \
                 data-x=\"{}\" data-y=\"{}\" cx=\"{cx}\" cy=\"{cy}\" r=\"4\" fill=\"{c}\" \
                 stroke=\"#fff\" tabindex=\"0\"><title>{}, update {t}: {what}</title></circle>",
                value(x),
                value(y),
                escape(s.label)
            );
        }
        if let Some(&(_, x, y)) = points.last() {
            let _ = writeln!(
                out,
                "<circle class=\"end\" cx=\"{}\" cy=\"{}\" r=\"8\" fill=\"none\" stroke=\"{c}\" \
                 stroke-width=\"2\" pointer-events=\"none\"/>",
                px(sx.at(x)),
                px(sy.at(y))
            );
        }
        out.push_str("</g>\n");
    }
}

/// The picture, or why it cannot be drawn (no configuration; a parameter index with no
/// parameter; the same parameter twice).
pub fn surface(series: &[Series<'_>], options: Options) -> Result<String, String> {
    let Some(first) = series.first() else {
        return Err("there is no configuration to draw".to_string());
    };
    let count = initial_params(first.problem).len();
    if options.x >= count || options.y >= count || options.x == options.y {
        let order = if first.problem.network.is_some() {
            "the network's vector: layer by layer, weights row by row, then updated biases"
        } else {
            "weights, then the bias"
        };
        return Err(format!(
            "the surface needs two different parameters among the problem's {count} \
             ({order}), numbered from 0"
        ));
    }
    let options = Options {
        resolution: options.resolution.max(MIN_RESOLUTION),
        ..options
    };
    let points: Vec<_> = series.iter().flat_map(|s| path(s, options)).collect();
    let (xr, yr) = window(&points);
    let (z, range) = loss_grid(first.problem, options, (xr, yr));
    let (levels, log) = range.map_or((Vec::new(), false), |(lo, hi)| levels(lo, hi));
    let sx = Scale {
        min: xr.0,
        max: xr.1,
        log: false,
        from: FRAME.x,
        to: FRAME.x + FRAME.width,
    };
    let sy = Scale {
        min: yr.0,
        max: yr.1,
        log: false,
        from: FRAME.y + FRAME.height,
        to: FRAME.y,
    };
    let (xn, yn) = (
        parameter_name(first.problem, options.x),
        parameter_name(first.problem, options.y),
    );
    let title = format!("The loss over {} and {}", plain_name(&xn), plain_name(&yn));
    let mut out = String::new();
    let height =
        HEIGHT.max(svg::legend_height(series.iter().map(|s| (s.label, s.detail))) + 2.0 * FRAME.y);
    svg::open(
        &mut out,
        WIDTH,
        height,
        &title,
        &description(series, log, &levels),
    );
    contours(&mut out, &z, options.resolution, &levels);
    axes(&mut out, FRAME, sx, sy, &xn, &yn);
    paths(&mut out, series, options, (sx, sy));
    legend(&mut out, series, log, &levels);
    out.push_str("</svg>\n");
    Ok(out)
}

/// What the picture shows, in words.
fn description(series: &[Series<'_>], log: bool, levels: &[f64]) -> String {
    let labels: Vec<&str> = series.iter().map(|s| s.label).collect();
    format!(
        "Contour lines of the loss over all samples ({} levels, {} spaced), the other \
         parameters held at their initial values, and the path of {}: a square at the start, \
         a dot per update, a ring at the end.",
        levels.len(),
        if log { "logarithmically" } else { "evenly" },
        labels.join(", ")
    )
}

fn legend(out: &mut String, series: &[Series<'_>], log: bool, levels: &[f64]) {
    out.push_str("<g class=\"legend\">\n");
    let mut y = FRAME.y + 12.0;
    for (i, s) in series.iter().enumerate() {
        y += legend_entry(out, LEGEND_X, y, i, s.label, s.detail);
    }
    if let (Some(lo), Some(hi)) = (levels.first(), levels.last()) {
        let n4 = |v: f64| format_number(v, Precision::Significant(3), false);
        let _ = writeln!(
            out,
            "<text class=\"levels\" x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#555\">\
             E: {} levels, {} to {}{}</text>",
            px(LEGEND_X),
            px(y),
            levels.len(),
            n4(*lo),
            n4(*hi),
            if log { ", logarithmic" } else { "" }
        );
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_logarithmic_only_over_two_decades() {
        let (even, log) = levels(1.0, 50.0);
        assert!(!log);
        assert_eq!(even.len(), LEVELS);
        assert!(even
            .windows(2)
            .all(|w| (w[1] - w[0] - 49.0 / 13.0).abs() < 1e-9));
        let (spaced, log) = levels(0.001, 10.0);
        assert!(log);
        assert!(spaced
            .windows(2)
            .all(|w| (w[1] / w[0] - spaced[1] / spaced[0]).abs() < 1e-9));
        assert!(spaced[0] > 0.001 && spaced[LEVELS - 1] < 10.0);
        assert_eq!(levels(2.0, 2.0).0.len(), 0);
        assert_eq!(levels(f64::NAN, 2.0).0.len(), 0);
    }

    #[test]
    fn names_are_the_courses() {
        assert_eq!(plain_name("w_12"), "w₁₂");
        assert_eq!(plain_name("b"), "b");
    }

    #[test]
    fn a_window_around_a_straight_path_still_shows_the_other_axis() {
        let ((x0, x1), (y0, y1)) = window(&[(0, 0.0, 1.0), (1, 2.0, 1.0)]);
        assert!((x1 - x0 - 2.4).abs() < 1e-12);
        assert!((y1 - y0 - 1.2).abs() < 1e-12);
        let ((x0, x1), _) = window(&[(0, 3.0, 3.0)]);
        assert!(x1 > x0);
    }
}

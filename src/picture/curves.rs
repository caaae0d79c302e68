//! Curves over a count: the loss per update and per epoch (one curve per configuration), and a
//! schedule's learning rate per epoch. The y axis is logarithmic when the values are positive
//! and span more than `surface::LOG_SPAN`.

use std::fmt::Write;

use super::surface::LOG_SPAN;
use super::svg::{self, axes, colour, escape, legend_entry, padded, px, value, Frame, Scale};
use super::Series;
use crate::class::compare::loss_per_update;
use crate::solve::expr::{format_number, Precision};

const WIDTH: f64 = 820.0;
const HEIGHT: f64 = 380.0;
const FRAME: Frame = Frame {
    x: 80.0,
    y: 20.0,
    width: 430.0,
    height: 300.0,
};
const LEGEND_X: f64 = 530.0;

/// One point of a curve: x, y, its marker's class, and the attributes and title it carries.
struct Point {
    x: f64,
    y: f64,
    class: &'static str,
    attributes: String,
    title: String,
}

/// One curve: its points in order and its colour index.
struct Curve {
    config: usize,
    points: Vec<Point>,
}

fn n4(v: f64) -> String {
    format_number(v, Precision::Significant(4), false)
}

/// The y scale over `values`: logarithmic when they are positive and span decades.
fn y_scale(values: impl Iterator<Item = f64> + Clone) -> Scale {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    let (lo, hi) = if lo.is_finite() { (lo, hi) } else { (0.0, 1.0) };
    let log = lo > 0.0 && hi / lo > LOG_SPAN;
    let (min, max) = padded(lo, hi, log);
    Scale {
        min,
        max,
        log,
        from: FRAME.y + FRAME.height,
        to: FRAME.y,
    }
}

/// The frame, axes, curves and legend of one picture.
fn draw(
    curves: &[Curve],
    names: (&str, &str),
    title: &str,
    legend: &[(usize, &str, &str)],
) -> String {
    let xs = curves.iter().flat_map(|c| c.points.iter().map(|p| p.x));
    let x_hi = xs.clone().fold(1.0f64, f64::max);
    let x_lo = xs.fold(x_hi, f64::min).min(0.0);
    let sx = Scale {
        min: x_lo,
        max: x_hi,
        log: false,
        from: FRAME.x,
        to: FRAME.x + FRAME.width,
    };
    let sy = y_scale(curves.iter().flat_map(|c| c.points.iter().map(|p| p.y)));
    let mut out = String::new();
    let legend_height = svg::legend_height(legend.iter().map(|e| (e.1, e.2)));
    svg::open(
        &mut out,
        WIDTH,
        HEIGHT.max(legend_height + 2.0 * FRAME.y),
        title,
        title,
    );
    axes(&mut out, FRAME, sx, sy, names.0, names.1);
    for curve in curves {
        draw_curve(&mut out, curve, (sx, sy));
    }
    out.push_str("<g class=\"legend\">\n");
    let mut y = FRAME.y + 12.0;
    for &(i, label, detail) in legend {
        y += legend_entry(&mut out, LEGEND_X, y, i, label, detail);
    }
    out.push_str("</g>\n</svg>\n");
    out
}

/// One curve: a line through its points of each class, and a marker per point.
fn draw_curve(out: &mut String, curve: &Curve, (sx, sy): (Scale, Scale)) {
    let c = colour(curve.config);
    let mut d = String::new();
    // A curve only joins the points of one class (per update, or per epoch).
    let mut last_class = "";
    for p in &curve.points {
        let sep = if p.class == last_class { " L" } else { " M" };
        last_class = p.class;
        let _ = write!(d, "{sep}{} {}", px(sx.at(p.x)), px(sy.at(p.y)));
    }
    let _ = writeln!(
        out,
        "<g class=\"configuration\" data-config=\"{i}\">\n<path class=\"curve\" \
         data-config=\"{i}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"2\" d=\"{d}\"/>",
        i = curve.config,
        d = d.trim_start()
    );
    for p in &curve.points {
        let (cx, cy) = (px(sx.at(p.x)), px(sy.at(p.y)));
        let shape = if p.class == "epoch" {
            format!(
                "rect x=\"{}\" y=\"{}\" width=\"8\" height=\"8\"",
                px(sx.at(p.x) - 4.0),
                px(sy.at(p.y) - 4.0)
            )
        } else {
            format!("circle cx=\"{cx}\" cy=\"{cy}\" r=\"3.5\"")
        };
        let tag = shape.split(' ').next().unwrap_or("circle");
        let _ = writeln!(
            out,
            "<{shape} class=\"{}\" data-config=\"{}\" {} fill=\"{c}\" stroke=\"#fff\" \
             tabindex=\"0\"><title>{}</title></{tag}>",
            p.class,
            curve.config,
            p.attributes,
            escape(&p.title)
        );
    }
    out.push_str("</g>\n");
}

/// The loss over all samples before the first update and after each (dots, joined), and after
/// each epoch (squares, at the update that ends it, joined), one curve per configuration.
pub fn loss(series: &[Series<'_>]) -> String {
    let curves: Vec<Curve> = series
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut points = Vec::new();
            let updates = std::iter::once((0, s.solution.loss.initial)).chain(
                s.solution
                    .steps
                    .iter()
                    .map(|step| step.index)
                    .zip(loss_per_update(s.problem, s.solution)),
            );
            for (t, e) in updates {
                let Some(e) = e else { continue };
                points.push(Point {
                    x: t as f64,
                    y: e,
                    class: "update",
                    attributes: format!("data-update=\"{t}\" data-loss=\"{}\"", value(e)),
                    title: format!("{}, after update {t}: E = {}", s.label, n4(e)),
                });
            }
            points.extend(epoch_points(s));
            Curve { config: i, points }
        })
        .collect();
    let legend: Vec<(usize, &str, &str)> = series
        .iter()
        .enumerate()
        .map(|(i, s)| (i, s.label, s.detail))
        .collect();
    draw(
        &curves,
        ("t", "E"),
        "The loss per update and per epoch",
        &legend,
    )
}

/// The loss after each epoch, placed at the update that ends the epoch.
fn epoch_points(s: &Series<'_>) -> Vec<Point> {
    let steps = &s.solution.steps;
    let ends = steps
        .iter()
        .enumerate()
        .filter(|(k, step)| steps.get(k + 1).is_none_or(|next| next.epoch != step.epoch))
        .map(|(_, step)| step);
    ends.zip(&s.solution.loss.per_epoch)
        .enumerate()
        .filter_map(|(k, (step, e))| {
            let e = (*e)?;
            Some(Point {
                x: step.index as f64,
                y: e,
                class: "epoch",
                attributes: format!(
                    "data-epoch=\"{}\" data-update=\"{}\" data-loss=\"{}\"",
                    k + 1,
                    step.index,
                    value(e)
                ),
                title: format!("{}, after epoch {}: E = {}", s.label, k + 1, n4(e)),
            })
        })
        .collect()
}

/// A schedule's learning rate at each tabulated epoch.
pub fn schedule(rates: &[(u64, f64)], detail: &str) -> String {
    let points = rates
        .iter()
        .filter(|(_, a)| a.is_finite())
        .map(|&(e, a)| Point {
            x: e as f64,
            y: a,
            class: "rate",
            attributes: format!("data-epoch=\"{e}\" data-rate=\"{}\"", value(a)),
            title: format!("epoch {e}: α = {}", n4(a)),
        })
        .collect();
    let curves = [Curve { config: 0, points }];
    draw(
        &curves,
        ("epoch", "α"),
        "The learning rate per epoch",
        &[(0, "α", detail)],
    )
}

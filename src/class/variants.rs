//! Per-student variants: a problem template whose numbers may be ranges, and the one generator
//! that turns a seed into numbers. Pure: it works on JSON values and knows nothing of the
//! problem's rules (`api::variants` validates what it produces, as described below).
//!
//! What follows is `variants.md`, which is also the OpenAPI description of `POST /v1/variants`:
//! the contract is written once.
//!
#![doc = include_str!("variants.md")]

use serde_json::{Map, Value};

use super::rng::{below, fnv1a64, mix64, unit, SplitMix64, GAMMA};
use crate::pointer::child;
use crate::solve::expr::count;

/// The name of the scheme above, echoed in every response so a client can tell which one made
/// its variants.
pub const GENERATOR: &str = "gradtrace-splitmix64-v1";

/// The template format and the draw scheme, in Markdown: this module's documentation and the
/// OpenAPI description of `POST /v1/variants`.
pub const SPECIFICATION: &str = include_str!("variants.md");

/// The most ranges a template may have.
pub const MAX_RANGES: usize = 500;

/// The most options a `choice` may list.
pub const MAX_OPTIONS: usize = 100;

/// The most decimals a `uniform` range may ask for.
pub const MAX_DECIMALS: u64 = 15;

/// The most values the up-front check may try (every option of every choice, two to four
/// values per uniform range); each is one validation of the whole template.
pub const MAX_PROBES: usize = 2_000;

/// 10ᵏ for k ≤ 15, written out: every one is exact in a double (`powi` is not promised to be).
const POWERS_OF_TEN: [f64; 16] = [
    1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// Integers up to 2⁵³ in magnitude are exact in a double.
const EXACT_INTEGERS: f64 = 9_007_199_254_740_992.0;

/// 1/π: an interior point of a range that is an integer only by coincidence (see `probes`).
const INTERIOR: f64 = std::f64::consts::FRAC_1_PI;

/// What is wrong with a range, located by a JSON pointer relative to the template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    pub pointer: String,
    pub detail: String,
}

impl TemplateError {
    fn new(pointer: &str, detail: impl Into<String>) -> Self {
        TemplateError {
            pointer: pointer.to_string(),
            detail: detail.into(),
        }
    }
}

/// One drawn value.
#[derive(Debug, Clone, PartialEq)]
pub struct Draw {
    /// The range's pointer in the template (and the value's in the variant).
    pub pointer: String,
    pub value: Value,
}

/// One variant: the template with every range replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub index: u64,
    pub problem: Value,
    /// In the order the ranges appear in the template.
    pub draws: Vec<Draw>,
}

/// A body to check before drawing: every range at its first probe value, except at most one.
#[derive(Debug, Clone, PartialEq)]
pub struct Probe {
    pub body: Value,
    /// The range set to another of its probe values; `None` for the base body.
    pub varied: Option<Draw>,
}

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Template {
    body: Value,
    ranges: Vec<Range>,
}

#[derive(Debug, Clone, PartialEq)]
struct Range {
    pointer: String,
    kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// `uniform` without decimals.
    Continuous {
        low: f64,
        high: f64,
    },
    /// `uniform` with k decimals: `n / 10ᵏ` for `low ≤ n ≤ high`.
    Grid {
        low: i64,
        high: i64,
        decimals: u32,
    },
    Choice(Vec<Value>),
}

impl Template {
    /// Find and check every range; every problem is reported, with its pointer.
    pub fn parse(template: &Value) -> Result<Template, Vec<TemplateError>> {
        let mut ranges = Vec::new();
        let mut errors = Vec::new();
        scan(template, String::new(), &mut ranges, &mut errors);
        if ranges.len() > MAX_RANGES {
            errors.push(TemplateError::new(
                "",
                format!("has {} ranges; the limit is {MAX_RANGES}", ranges.len()),
            ));
        }
        let probes: usize = ranges.iter().map(|r| r.probe_values().len()).sum();
        if errors.is_empty() && probes > MAX_PROBES {
            errors.push(TemplateError::new(
                "",
                format!(
                    "has {probes} values to check before drawing (every option of every \
                     choice, and up to four values of every uniform range); the limit is \
                     {MAX_PROBES}"
                ),
            ));
        }
        if errors.is_empty() {
            Ok(Template {
                body: template.clone(),
                ranges,
            })
        } else {
            Err(errors)
        }
    }

    /// The pointers of the ranges, in the order they appear.
    pub fn pointers(&self) -> Vec<&str> {
        self.ranges.iter().map(|r| r.pointer.as_str()).collect()
    }

    /// Variant `index` of `seed` (see the module's documentation).
    pub fn draw(&self, seed: u64, index: u64) -> Variant {
        let draws: Vec<Draw> = self
            .ranges
            .iter()
            .map(|range| Draw {
                pointer: range.pointer.clone(),
                value: range.draw(stream_output(seed, index, &range.pointer)),
            })
            .collect();
        Variant {
            index,
            problem: self.with(&draws),
            draws,
        }
    }

    /// The bodies to validate before drawing: first every range at its least value (or first
    /// option), then, one range at a time, each other value it is checked at — its greatest
    /// value and interior points for a uniform range (an interior point that is not an integer
    /// catches a continuous range where an integer belongs), every option for a choice.
    /// Validation rules are intervals and integrality, so a range whose checked values all pass
    /// can draw no value that breaks a rule of its own field; a rule that joins two fields can
    /// still be broken by a combination, which is why every drawn variant is validated too.
    pub fn probes(&self) -> Vec<Probe> {
        let base: Vec<Draw> = self
            .ranges
            .iter()
            .map(|range| Draw {
                pointer: range.pointer.clone(),
                value: range.probe_values().swap_remove(0),
            })
            .collect();
        let mut probes = vec![Probe {
            body: self.with(&base),
            varied: None,
        }];
        for (i, range) in self.ranges.iter().enumerate() {
            for value in range.probe_values().into_iter().skip(1) {
                let mut draws = base.clone();
                let varied = Draw {
                    pointer: range.pointer.clone(),
                    value,
                };
                draws[i] = varied.clone();
                probes.push(Probe {
                    body: self.with(&draws),
                    varied: Some(varied),
                });
            }
        }
        probes
    }

    /// The template with each range replaced by its drawn value.
    fn with(&self, draws: &[Draw]) -> Value {
        let mut body = self.body.clone();
        for draw in draws {
            // Every pointer was made by `scan` on this very body, and ranges do not nest, so
            // the lookup always succeeds; a miss would leave the range object in place, which
            // validation then refuses.
            if let Some(slot) = body.pointer_mut(&draw.pointer) {
                *slot = draw.value.clone();
            }
        }
        body
    }
}

/// The 64-bit number `r` that range `pointer` of variant `index` is drawn from (step 2).
fn stream_output(seed: u64, index: u64, pointer: &str) -> u64 {
    let key = fnv1a64(pointer.as_bytes()).wrapping_add(index.wrapping_mul(GAMMA));
    SplitMix64::new(seed ^ mix64(key)).next_u64()
}

impl Range {
    fn draw(&self, r: u64) -> Value {
        match &self.kind {
            Kind::Choice(options) => {
                let i = below(r, options.len() as u64);
                // `i < len` by construction of `below`; `Null` only if that were broken.
                options
                    .get(usize::try_from(i).unwrap_or(usize::MAX))
                    .cloned()
                    .unwrap_or(Value::Null)
            }
            Kind::Grid {
                low,
                high,
                decimals,
            } => {
                // high − low + 1 ≤ 2⁵⁴ + 1: no overflow in i64 or u64.
                let count = high.abs_diff(*low) + 1;
                let n = low.saturating_add_unsigned(below(r, count));
                grid_value(n, *decimals)
            }
            Kind::Continuous { low, high } => {
                let x = (low + unit(r) * (high - low)).min(*high);
                number(x)
            }
        }
    }

    /// The values checked before drawing, least (or first) first; never empty.
    fn probe_values(&self) -> Vec<Value> {
        match &self.kind {
            Kind::Choice(options) => options.clone(),
            Kind::Grid {
                low,
                high,
                decimals,
            } => {
                let mut values = vec![grid_value(*low, *decimals)];
                if high > low {
                    values.push(grid_value(*high, *decimals));
                }
                // With k ≥ 1 decimals, of two neighbours at most one is an integer.
                if *decimals > 0 && high - low >= 2 {
                    values.push(grid_value(low + 1, *decimals));
                }
                values
            }
            Kind::Continuous { low, high } => {
                let mut values = vec![*low];
                for x in [
                    *high,
                    low + (high - low) * 0.5,
                    low + (high - low) * INTERIOR,
                ] {
                    if !values.contains(&x) {
                        values.push(x);
                    }
                }
                values.into_iter().map(number).collect()
            }
        }
    }
}

/// `n / 10ᵏ` as JSON: an integer for k = 0. `decimals` ≤ `MAX_DECIMALS` = 15: `uniform` is the
/// one place a grid is made, and it refuses more, so the table lookup is in bounds.
fn grid_value(n: i64, decimals: u32) -> Value {
    if decimals == 0 {
        Value::from(n)
    } else {
        number(n as f64 / POWERS_OF_TEN[decimals as usize])
    }
}

/// A finite double as JSON (every value drawn here is finite; 0 stands in if one were not).
fn number(x: f64) -> Value {
    serde_json::Number::from_f64(x).map_or(Value::from(0), Value::Number)
}

/// Walk the template in document order, collecting ranges (not looking inside them).
fn scan(value: &Value, at: String, ranges: &mut Vec<Range>, errors: &mut Vec<TemplateError>) {
    match value {
        Value::Object(map) if map.contains_key("uniform") || map.contains_key("choice") => {
            if let Some(kind) = range_kind(map, &at, errors) {
                ranges.push(Range { pointer: at, kind });
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                scan(item, child(&at, key), ranges, errors);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                scan(item, format!("{at}/{i}"), ranges, errors);
            }
        }
        _ => {}
    }
}

/// Check one range object.
fn range_kind(map: &Map<String, Value>, at: &str, errors: &mut Vec<TemplateError>) -> Option<Kind> {
    let before = errors.len();
    let (allowed, what): (&[&str], &str) = if map.contains_key("uniform") {
        (&["uniform", "decimals"], "uniform")
    } else {
        (&["choice"], "choice")
    };
    for key in map.keys() {
        if !allowed.contains(&key.as_str()) {
            let detail = if map.contains_key("uniform") && key == "choice" {
                "a range is either uniform or a choice, not both".to_string()
            } else {
                format!(
                    "is not a key of a {what} range; it takes {}",
                    allowed.join(", ")
                )
            };
            errors.push(TemplateError::new(&child(at, key), detail));
        }
    }
    let kind = if what == "choice" {
        choice(map.get("choice"), &child(at, "choice"), errors)
    } else {
        uniform(map, at, errors)
    };
    if errors.len() > before {
        None
    } else {
        kind
    }
}

fn choice(value: Option<&Value>, at: &str, errors: &mut Vec<TemplateError>) -> Option<Kind> {
    match value {
        Some(Value::Array(options)) if !options.is_empty() && options.len() <= MAX_OPTIONS => {
            Some(Kind::Choice(options.clone()))
        }
        Some(Value::Array(options)) => {
            errors.push(TemplateError::new(
                at,
                format!(
                    "must list 1 to {MAX_OPTIONS} options, not {}",
                    options.len()
                ),
            ));
            None
        }
        _ => {
            errors.push(TemplateError::new(
                at,
                "must be an array of the values to choose from",
            ));
            None
        }
    }
}

/// `{"uniform": [low, high]}`, on the grid of `decimals` decimals when that is given.
fn uniform(map: &Map<String, Value>, at: &str, errors: &mut Vec<TemplateError>) -> Option<Kind> {
    let bounds_at = child(at, "uniform");
    let bounds = bounds(map.get("uniform"), &bounds_at, errors);
    let decimals = decimals(map.get("decimals"), &child(at, "decimals"), errors)?;
    let (low, high) = bounds?;
    match decimals {
        None => Some(Kind::Continuous { low, high }),
        Some(decimals) => grid(low, high, decimals, &bounds_at, errors),
    }
}

/// `[low, high]`: two finite numbers, low ≤ high, high − low finite.
fn bounds(value: Option<&Value>, at: &str, errors: &mut Vec<TemplateError>) -> Option<(f64, f64)> {
    let items = match value {
        Some(Value::Array(items)) if items.len() == 2 => items,
        _ => {
            errors.push(TemplateError::new(at, "must be [low, high]: two numbers"));
            return None;
        }
    };
    let read = |i: usize| items[i].as_f64().filter(|x| x.is_finite());
    match (read(0), read(1)) {
        (Some(a), Some(b)) if a <= b && (b - a).is_finite() => Some((a, b)),
        (Some(a), Some(b)) if a > b => {
            errors.push(TemplateError::new(
                at,
                format!("must be [low, high] with low ≤ high, not [{a}, {b}]"),
            ));
            None
        }
        (Some(_), Some(_)) => {
            errors.push(TemplateError::new(
                at,
                "is too wide: high − low must be a finite double",
            ));
            None
        }
        (a, b) => {
            for (i, read) in [a, b].into_iter().enumerate() {
                if read.is_none() {
                    errors.push(TemplateError::new(
                        &format!("{at}/{i}"),
                        "must be a finite number",
                    ));
                }
            }
            None
        }
    }
}

/// The optional `decimals`: `Some(None)` when absent, `None` (with the error recorded) when
/// it is not an integer from 0 to `MAX_DECIMALS`.
fn decimals(
    value: Option<&Value>,
    at: &str,
    errors: &mut Vec<TemplateError>,
) -> Option<Option<u32>> {
    match value {
        None | Some(Value::Null) => Some(None),
        Some(value) => match value.as_u64() {
            Some(k) if k <= MAX_DECIMALS => Some(u32::try_from(k).ok()),
            _ => {
                errors.push(TemplateError::new(
                    at,
                    format!("must be an integer from 0 to {MAX_DECIMALS}"),
                ));
                None
            }
        },
    }
}

/// The numbers of `[low, high]` with `decimals` decimals, as integers over 10^decimals; `None`
/// (with the error at `at`) when the bounds are too large to scale exactly or the range holds
/// none.
fn grid(
    low: f64,
    high: f64,
    decimals: u32,
    at: &str,
    errors: &mut Vec<TemplateError>,
) -> Option<Kind> {
    let scale = POWERS_OF_TEN[decimals as usize];
    if low.abs() * scale > EXACT_INTEGERS || high.abs() * scale > EXACT_INTEGERS {
        errors.push(TemplateError::new(
            at,
            format!(
                "is too large for {}: |bound| × 10^{decimals} must be at most 2^53",
                count(decimals, "decimal", "decimals")
            ),
        ));
        return None;
    }
    let (lo, hi) = (grid_low(low, scale), grid_high(high, scale));
    if lo > hi {
        errors.push(TemplateError::new(
            at,
            format!(
                "contains no number with {}",
                count(decimals, "decimal", "decimals")
            ),
        ));
        return None;
    }
    Some(Kind::Grid {
        low: lo,
        high: hi,
        decimals,
    })
}

/// The least integer n with `low ≤ n / scale`, where |low · scale| ≤ 2⁵³.
fn grid_low(low: f64, scale: f64) -> i64 {
    // The rounded product is within one of the answer; step to it with exact comparisons of
    // the very doubles a draw produces.
    let mut n = (low * scale).round() as i64;
    while (n as f64) / scale < low {
        n += 1;
    }
    while ((n - 1) as f64) / scale >= low {
        n -= 1;
    }
    n
}

/// The greatest integer n with `n / scale ≤ high`, where |high · scale| ≤ 2⁵³.
fn grid_high(high: f64, scale: f64) -> i64 {
    let mut n = (high * scale).round() as i64;
    while (n as f64) / scale > high {
        n -= 1;
    }
    while ((n + 1) as f64) / scale <= high {
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn parse(template: Value) -> Template {
        match Template::parse(&template) {
            Ok(t) => t,
            Err(errors) => panic!("{errors:?}"),
        }
    }

    fn errors(template: Value) -> Vec<String> {
        match Template::parse(&template) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| e.pointer).collect(),
        }
    }

    #[test]
    fn ranges_are_found_in_document_order_and_not_looked_into() {
        let template = parse(json!({
            "weights": [{"uniform": [0, 1]}, 0.5],
            "hyperparameters": {"learning_rate": {"choice": [0.1, {"uniform": [0, 1]}]}},
            "samples": [{"x": [1, 2], "t": {"uniform": [0, 1], "decimals": 2}}]
        }));
        assert_eq!(
            template.pointers(),
            [
                "/weights/0",
                "/hyperparameters/learning_rate",
                "/samples/0/t"
            ]
        );
    }

    /// Every message about a malformed uniform range, word for word.
    #[test]
    fn a_malformed_uniform_range_is_told_in_these_words() {
        for (range, pointer, detail) in [
            (
                json!({"uniform": 1}),
                "/x/uniform",
                "must be [low, high]: two numbers",
            ),
            (
                json!({"uniform": [2, 1]}),
                "/x/uniform",
                "must be [low, high] with low ≤ high, not [2, 1]",
            ),
            (
                json!({"uniform": [-1e308, 1e308]}),
                "/x/uniform",
                "is too wide: high − low must be a finite double",
            ),
            (
                json!({"uniform": [0, "1"]}),
                "/x/uniform/1",
                "must be a finite number",
            ),
            (
                json!({"uniform": [0, 1], "decimals": 16}),
                "/x/decimals",
                "must be an integer from 0 to 15",
            ),
            (
                json!({"uniform": [0, 1e10], "decimals": 9}),
                "/x/uniform",
                "is too large for 9 decimals: |bound| × 10^9 must be at most 2^53",
            ),
            (
                json!({"uniform": [0.11, 0.19], "decimals": 1}),
                "/x/uniform",
                "contains no number with 1 decimal",
            ),
        ] {
            let found: Vec<(String, String)> = match Template::parse(&json!({ "x": range })) {
                Ok(_) => Vec::new(),
                Err(errors) => errors.into_iter().map(|e| (e.pointer, e.detail)).collect(),
            };
            assert_eq!(
                found,
                [(pointer.to_string(), detail.to_string())],
                "{range}"
            );
        }
        // A malformed `decimals` is told beside malformed bounds.
        assert_eq!(
            errors(json!({"x": {"uniform": [1, 0], "decimals": -1}})),
            ["/x/uniform", "/x/decimals"]
        );
    }

    #[test]
    fn a_grid_holds_every_decimal_in_the_range_and_no_other() {
        // 0.29 · 100 is 28.999999999999996 in doubles; the grid must still end at 29.
        let template = parse(json!({"x": {"uniform": [0.07, 0.29], "decimals": 2}}));
        assert_eq!(
            template.ranges[0].kind,
            Kind::Grid {
                low: 7,
                high: 29,
                decimals: 2
            }
        );
        let template = parse(json!({"x": {"uniform": [0.001, 0.999], "decimals": 1}}));
        assert_eq!(
            template.ranges[0].kind,
            Kind::Grid {
                low: 1,
                high: 9,
                decimals: 1
            }
        );
        let template = parse(json!({"x": {"uniform": [-1.5, 2.5], "decimals": 0}}));
        assert_eq!(
            template.ranges[0].kind,
            Kind::Grid {
                low: -1,
                high: 2,
                decimals: 0
            }
        );
    }

    #[test]
    fn grid_values_read_as_their_decimals() {
        assert_eq!(grid_value(37, 2), json!(0.37));
        assert_eq!(grid_value(3, 0), json!(3));
        assert_eq!(grid_value(-5, 1), json!(-0.5));
        assert_eq!(grid_value(29, 2).to_string(), "0.29");
    }

    #[test]
    fn malformed_ranges_are_named_by_pointer() {
        assert_eq!(errors(json!({"a": {"uniform": [1, 0]}})), ["/a/uniform"]);
        assert_eq!(
            errors(json!({"a": {"uniform": [0, "1"]}})),
            ["/a/uniform/1"]
        );
        assert_eq!(errors(json!({"a": {"uniform": 1}})), ["/a/uniform"]);
        assert_eq!(
            errors(json!({"a": {"uniform": [0, 1], "decimals": 16}})),
            ["/a/decimals"]
        );
        assert_eq!(
            errors(json!({"a": {"uniform": [0.01, 0.09], "decimals": 1}})),
            ["/a/uniform"]
        );
        assert_eq!(
            errors(json!({"a": {"uniform": [0, 1e300], "decimals": 2}})),
            ["/a/uniform"]
        );
        assert_eq!(
            errors(json!({"a": {"uniform": [-1e308, 1e308]}})),
            ["/a/uniform"]
        );
        assert_eq!(errors(json!({"a": {"choice": []}})), ["/a/choice"]);
        assert_eq!(
            errors(json!({"a": {"choice": [1], "step": 2}})),
            ["/a/step"]
        );
        assert_eq!(
            errors(json!({"a": {"uniform": [0, 1], "choice": [1]}})),
            ["/a/choice"]
        );
    }

    #[test]
    fn a_variant_depends_on_neither_other_ranges_nor_key_order() {
        let one = parse(json!({"a": {"uniform": [0, 1]}, "b": {"choice": [1, 2, 3]}}));
        let two = parse(
            json!({"c": {"uniform": [5, 9], "decimals": 1}, "b": {"choice": [1, 2, 3]}, "a": {"uniform": [0, 1]}}),
        );
        for index in 0..20 {
            let (x, y) = (one.draw(7, index), two.draw(7, index));
            assert_eq!(x.problem["a"], y.problem["a"]);
            assert_eq!(x.problem["b"], y.problem["b"]);
        }
    }

    #[test]
    fn draws_stay_within_their_ranges() {
        let template = parse(json!({
            "a": {"uniform": [0.5, 0.75]},
            "b": {"uniform": [-3, 3], "decimals": 0},
            "c": {"uniform": [0.1, 0.2], "decimals": 2},
            "d": {"uniform": [2, 2]}
        }));
        for index in 0..500 {
            let v = template.draw(12345, index).problem;
            let a = v["a"].as_f64().unwrap_or(f64::NAN);
            assert!((0.5..=0.75).contains(&a), "{a}");
            let b = v["b"].as_i64().unwrap_or(99);
            assert!((-3..=3).contains(&b), "{b}");
            let c = v["c"].to_string();
            assert!(c.len() <= 4 && c.starts_with("0.1") || c == "0.2", "{c}");
            assert_eq!(v["d"], json!(2.0));
        }
    }

    #[test]
    fn a_continuous_range_is_probed_at_a_non_integer_interior_point() {
        let template = parse(json!({"epochs": {"uniform": [1, 3]}}));
        let probes = template.probes();
        let values: Vec<f64> = probes
            .iter()
            .filter_map(|p| p.body["epochs"].as_f64())
            .collect();
        assert_eq!(values[..2], [1.0, 3.0]);
        assert!(values.iter().any(|x| x.fract() != 0.0), "{values:?}");
        assert!(probes[0].varied.is_none());
    }

    #[test]
    fn too_many_ranges_are_refused() {
        let many: Vec<Value> = (0..=MAX_RANGES).map(|_| json!({"choice": [1]})).collect();
        assert_eq!(errors(json!({"weights": many})), [""]);
    }
}

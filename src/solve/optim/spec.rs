//! How an optimizer describes itself to the rest of the service, as data: its hyperparameter
//! keys with their ranges and descriptions, which of them it uses with what defaults, the
//! catalogue's summary and update rule, and its settings as the renderings list them.
//! `wire::catalog` serves this (`GET /v1/algorithms`, the OpenAPI document) and
//! `wire::validate` enforces it, so what is documented and what is checked cannot drift apart.

/// An interval of real numbers, each end open or closed or absent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Interval {
    /// Lower end and whether it is included.
    pub min: Option<(f64, bool)>,
    /// Upper end and whether it is included.
    pub max: Option<(f64, bool)>,
}

impl Interval {
    /// `x > 0`.
    pub const POSITIVE: Interval = Interval {
        min: Some((0.0, false)),
        max: None,
    };
    /// `x ≥ 0`.
    pub const NON_NEGATIVE: Interval = Interval {
        min: Some((0.0, true)),
        max: None,
    };
    /// `0 ≤ x < 1`: the decay of a moving average.
    pub const DECAY: Interval = Interval {
        min: Some((0.0, true)),
        max: Some((1.0, false)),
    };
    /// `0 < x ≤ 1`: step decay's `drop_rate`.
    pub const DROP_RATE: Interval = Interval {
        min: Some((0.0, false)),
        max: Some((1.0, true)),
    };

    pub fn contains(&self, x: f64) -> bool {
        let above = match self.min {
            Some((lo, true)) => x >= lo,
            Some((lo, false)) => x > lo,
            None => true,
        };
        let below = match self.max {
            Some((hi, true)) => x <= hi,
            Some((hi, false)) => x < hi,
            None => true,
        };
        x.is_finite() && above && below
    }

    /// The interval as people write it: `> 0`, `>= 0`, `[0, 1)`.
    pub fn notation(&self) -> String {
        match (self.min, self.max) {
            (Some((lo, lo_in)), Some((hi, hi_in))) => format!(
                "{}{lo}, {hi}{}",
                if lo_in { "[" } else { "(" },
                if hi_in { "]" } else { ")" }
            ),
            (Some((lo, true)), None) => format!(">= {lo}"),
            (Some((lo, false)), None) => format!("> {lo}"),
            (None, Some((hi, true))) => format!("<= {hi}"),
            (None, Some((hi, false))) => format!("< {hi}"),
            (None, None) => "any finite number".to_string(),
        }
    }

    /// The sentence a validation error uses: `must be in [0, 1)`, `must be > 0`.
    pub fn requirement(&self) -> String {
        match (self.min, self.max) {
            (Some(_), Some(_)) => format!("must be in {}", self.notation()),
            (None, None) => "must be a finite number".to_string(),
            _ => format!("must be {}", self.notation()),
        }
    }
}

/// What values a hyperparameter takes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    /// A finite number in the interval.
    Number(Interval),
    /// An integer `≥ min`.
    Integer { min: u64 },
    /// One of the listed strings.
    Choice(&'static [&'static str]),
}

/// How the OpenAPI document describes a key of `hyperparameters`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schema {
    /// The property's description.
    pub description: &'static str,
    /// An example value, for the keys that show one.
    pub example: Option<f64>,
    /// A choice's own named schema: its name and description (its values are the choices).
    pub named: Option<(&'static str, &'static str)>,
}

/// One hyperparameter key, whatever algorithm uses it. Ranges are checked whether or not the
/// algorithm uses the key (docs/contract.md §3), so they belong to the key, not to its users.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Hyperparameter {
    pub name: &'static str,
    pub kind: Kind,
    /// The catalogue's description (`GET /v1/algorithms`).
    pub description: &'static str,
    pub schema: Schema,
}

/// A hyperparameter's value when the request leaves it out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Default {
    /// The request must give it.
    Required,
    Number(f64),
    Text(&'static str),
    /// Absent means "off" (Adagrad's `window`).
    Absent,
    /// The number of parameters: weights, plus one with a bias.
    ParameterCount,
}

/// A hyperparameter an algorithm uses, with its default.
#[derive(Debug, Clone, Copy)]
pub struct Uses {
    /// The key's name (that is, `key.name`).
    pub name: &'static str,
    pub key: &'static Hyperparameter,
    pub default: Default,
    /// Used only when another (choice) hyperparameter has this value, e.g. conjugate gradient's
    /// `learning_rate` only with `line_search: "fixed"`.
    pub only_when: Option<(&'static str, &'static str)>,
}

/// `key`, with `default`, whatever the other keys say.
pub const fn uses(key: &'static Hyperparameter, default: Default) -> Uses {
    Uses {
        name: key.name,
        key,
        default,
        only_when: None,
    }
}

/// `key`, with `default`, only when the choice `when.0` is `when.1`.
pub const fn uses_when(
    key: &'static Hyperparameter,
    default: Default,
    when: (&'static str, &'static str),
) -> Uses {
    Uses {
        name: key.name,
        key,
        default,
        only_when: Some(when),
    }
}

/// One optimizer as the service documents it.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// The wire name (`"adam"`).
    pub name: &'static str,
    /// The renderings' title (`"Adam"`).
    pub title: &'static str,
    pub summary: &'static str,
    /// Its hyperparameters in the order they are resolved and echoed; a key another key's
    /// `only_when` refers to comes before it.
    pub uses: &'static [Uses],
    /// The update rule, one LaTeX equation per entry, in the order they are applied.
    pub update: &'static [&'static str],
    /// What `bias_correction` divides, each with its factor (empty: the flag changes nothing).
    pub corrects: &'static [&'static str],
    /// The default of `bias_correction` for this algorithm.
    pub bias_correction_default: bool,
    /// The accumulator under the square root of the step, in plain text as the worked lines
    /// name it (the course's `v` for Adagrad and RMSProp, Adam's `s`); `None` for the
    /// algorithms without a root, which ε does not concern.
    pub root: Option<&'static str>,
    /// One iteration per epoch on the full batch, its gradient `g` in `∂E/∂w`'s own sign
    /// whatever the convention (conjugate gradient), rather than element-wise updates of `dw`.
    pub full_batch: bool,
    /// What an update costs in passes over all the samples, for an algorithm whose cost is not
    /// its batch's (conjugate gradient's line search: some sixty); see `solve::work`.
    pub passes_per_update: Option<u32>,
    /// Why a schedule is refused when the optimizer, as set up, has no learning rate, after
    /// its name (conjugate gradient's exact line search).
    pub no_learning_rate: &'static str,
}

impl Spec {
    /// What most optimizers leave as it is, for `..Spec::ELEMENT_WISE`: element-wise updates,
    /// no root, nothing bias correction divides (and it off by default).
    pub const ELEMENT_WISE: Spec = Spec {
        name: "",
        title: "",
        summary: "",
        uses: &[],
        update: &[],
        corrects: &[],
        bias_correction_default: false,
        root: None,
        full_batch: false,
        passes_per_update: None,
        no_learning_rate: "has no learning rate to schedule",
    };

    /// Whether `bias_correction` changes anything (docs/contract.md §3.1).
    pub fn has_moving_average(&self) -> bool {
        !self.corrects.is_empty()
    }

    /// The hyperparameter this algorithm uses by that name.
    pub fn used(&self, name: &str) -> Option<&'static Uses> {
        self.uses.iter().find(|u| u.name == name)
    }
}

/// A hyperparameter's value once read from a request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Number(f64),
    Integer(u64),
    Text(&'static str),
}

/// The hyperparameters of a request, resolved (each the request's value or its default), by
/// key: what an optimizer is built from.
#[derive(Debug, Clone, Copy)]
pub struct Resolved<'a>(pub &'a [(&'static str, Value)]);

impl Resolved<'_> {
    pub fn get(&self, key: &Hyperparameter) -> Option<Value> {
        self.0
            .iter()
            .find(|(name, _)| *name == key.name)
            .map(|(_, v)| *v)
    }

    pub fn number(&self, key: &Hyperparameter) -> Option<f64> {
        match self.get(key)? {
            Value::Number(x) => Some(x),
            _ => None,
        }
    }

    pub fn integer(&self, key: &Hyperparameter) -> Option<u64> {
        match self.get(key)? {
            Value::Integer(k) => Some(k),
            _ => None,
        }
    }

    /// An integer as a count, saturating (no problem has 2⁶⁴ of anything).
    pub fn count(&self, key: &Hyperparameter) -> Option<usize> {
        self.integer(key)
            .map(|k| usize::try_from(k).unwrap_or(usize::MAX))
    }

    pub fn text(&self, key: &Hyperparameter) -> Option<&'static str> {
        match self.get(key)? {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// One setting as the renderings show it: an item of the Markdown and LaTeX header
/// (`name: value`) and a phrase of the comparison table's cell (`brief`).
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub name: &'static str,
    pub value: String,
    /// `None`: the table leaves it out.
    pub brief: Option<String>,
}

impl Shown {
    /// A number under its symbol: `α: 0.2` in the header, `α = 0.2` in the table.
    pub fn symbol(symbol: &'static str, value: String) -> Shown {
        Shown {
            brief: Some(format!("{symbol} = {value}")),
            name: symbol,
            value,
        }
    }

    /// A setting written differently in the header and in the table.
    pub fn item(name: &'static str, value: String, brief: Option<String>) -> Shown {
        Shown { name, value, brief }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_as_the_spec_writes_them() {
        assert_eq!(Interval::DECAY.requirement(), "must be in [0, 1)");
        assert_eq!(Interval::POSITIVE.requirement(), "must be > 0");
        assert_eq!(Interval::NON_NEGATIVE.requirement(), "must be >= 0");
        assert_eq!(Interval::DROP_RATE.requirement(), "must be in (0, 1]");
        assert!(!Interval::DECAY.contains(1.0));
        assert!(Interval::DECAY.contains(0.0));
        assert!(!Interval::POSITIVE.contains(0.0));
    }
}

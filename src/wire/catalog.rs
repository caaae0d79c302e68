//! The catalogue of algorithms and hyperparameters (docs/contract.md §3): names, ranges, defaults, and the
//! update rules in LaTeX.
//!
//! One table feeds both the validator (`wire::validate`) and `GET /v1/algorithms`, so what the
//! service documents and what it enforces cannot drift apart. No maths lives here.

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

/// One hyperparameter key, whatever algorithm uses it.
#[derive(Debug, Clone, Copy)]
pub struct Hyperparameter {
    pub name: &'static str,
    pub kind: Kind,
    pub description: &'static str,
}

/// Every key `hyperparameters` may hold. Ranges are checked whether or not the algorithm uses
/// the key (docs/contract.md §3), so they live here rather than per algorithm.
pub const HYPERPARAMETERS: &[Hyperparameter] = &[
    Hyperparameter {
        name: "learning_rate",
        kind: Kind::Number(Interval::POSITIVE),
        description: "The step size α (the base rate α₀ that a schedule scales).",
    },
    Hyperparameter {
        name: "beta",
        kind: Kind::Number(Interval::DECAY),
        description: "Decay β of the moving average: the velocity v (momentum, nesterov) or the \
                      average v of the squared gradients (rmsprop).",
    },
    Hyperparameter {
        name: "beta1",
        kind: Kind::Number(Interval::DECAY),
        description: "Decay β₁ of the first moment v (the average of the gradients).",
    },
    Hyperparameter {
        name: "beta2",
        kind: Kind::Number(Interval::DECAY),
        description: "Decay β₂ of the second moment s (the average of the squared gradients).",
    },
    Hyperparameter {
        name: "rho",
        kind: Kind::Number(Interval::DECAY),
        description: "Adadelta's decay ρ of both running averages, s of the squared gradients \
                      and u of the squared steps Δ.",
    },
    Hyperparameter {
        name: "epsilon",
        kind: Kind::Number(Interval::NON_NEGATIVE),
        description: "ε added to the denominator; inside or outside the square root per \
                      `conventions.epsilon`.",
    },
    Hyperparameter {
        name: "weight_decay",
        kind: Kind::Number(Interval::NON_NEGATIVE),
        description: "AdamW's decoupled weight decay λ: `w̃ = w − α λ w`, then the Adam step \
                      from w̃.",
    },
    Hyperparameter {
        name: "initial_accumulator",
        kind: Kind::Number(Interval::NON_NEGATIVE),
        description: "Adagrad's starting value v₀ of the sum v of squared gradients.",
    },
    Hyperparameter {
        name: "window",
        kind: Kind::Integer { min: 1 },
        description: "Adagrad: sum only the last W squared gradients (absent: all of them).",
    },
    Hyperparameter {
        name: "form",
        kind: Kind::Choice(&["average", "sum"]),
        description: "How the velocity is written: `average` v ← βv + (1−β)dw, or `sum` \
                      v ← βv + dw.",
    },
    Hyperparameter {
        name: "beta_formula",
        kind: Kind::Choice(&[
            "fletcher_reeves",
            "polak_ribiere",
            "polak_ribiere_plus",
            "hestenes_stiefel",
        ]),
        description: "How conjugate gradient computes β_k.",
    },
    Hyperparameter {
        name: "line_search",
        kind: Kind::Choice(&["exact", "fixed"]),
        description: "Conjugate gradient's step length: `exact` minimizes the loss along d_k; \
                      `fixed` uses η_k = learning_rate.",
    },
    Hyperparameter {
        name: "restart_every",
        kind: Kind::Integer { min: 1 },
        description: "Conjugate gradient restarts (β_k = 0) every this many iterations; \
                      default: the number of parameters, bias included.",
    },
    Hyperparameter {
        name: "max_step",
        kind: Kind::Number(Interval::POSITIVE),
        description: "Largest step length the exact line search considers.",
    },
    Hyperparameter {
        name: "tolerance",
        kind: Kind::Number(Interval::NON_NEGATIVE),
        description: "Conjugate gradient stops (`converged`) when every gradient component is \
                      at most this in magnitude.",
    },
];

/// Look a hyperparameter key up.
pub fn hyperparameter(name: &str) -> Option<&'static Hyperparameter> {
    HYPERPARAMETERS.iter().find(|h| h.name == name)
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
    pub name: &'static str,
    pub default: Default,
    /// Used only when another (choice) hyperparameter has this value, e.g. conjugate gradient's
    /// `learning_rate` only with `line_search: "fixed"`.
    pub only_when: Option<(&'static str, &'static str)>,
}

const fn uses(name: &'static str, default: Default) -> Uses {
    Uses {
        name,
        default,
        only_when: None,
    }
}

/// One optimizer as the service documents it.
#[derive(Debug, Clone, Copy)]
pub struct Algorithm {
    pub name: &'static str,
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
}

const ADAM_USES: &[Uses] = &[
    uses("learning_rate", Default::Required),
    uses("beta1", Default::Number(0.9)),
    uses("beta2", Default::Number(0.999)),
    uses("epsilon", Default::Number(1e-8)),
];

/// Every algorithm of docs/contract.md §3, in its order.
pub const ALGORITHMS: &[Algorithm] = &[
    Algorithm {
        name: "gd",
        summary: "Plain gradient descent.",
        uses: &[uses("learning_rate", Default::Required)],
        update: &["w_{t+1} = w_t - \\alpha\\, dw_t"],
        corrects: &[],
        bias_correction_default: false,
    },
    Algorithm {
        name: "momentum",
        summary: "Gradient descent on an exponentially weighted average of the gradients \
                  (the velocity).",
        uses: &[
            uses("learning_rate", Default::Required),
            uses("beta", Default::Number(0.9)),
            uses("form", Default::Text("average")),
        ],
        update: &[
            "v_t = \\beta v_{t-1} + (1 - \\beta)\\, dw_t \\quad (\\text{average}) \\qquad \
             v_t = \\beta v_{t-1} + dw_t \\quad (\\text{sum})",
            "w_{t+1} = w_t - \\alpha \\hat{v}_t",
        ],
        corrects: &["v by 1 - beta^t"],
        bias_correction_default: false,
    },
    Algorithm {
        name: "nesterov",
        summary: "Momentum that steps along the velocity plus the current gradient (Nesterov's \
                  look-ahead, as PyTorch writes it).",
        uses: &[
            uses("learning_rate", Default::Required),
            uses("beta", Default::Number(0.9)),
            uses("form", Default::Text("average")),
        ],
        update: &[
            "v_t = \\beta v_{t-1} + (1 - \\beta)\\, dw_t \\quad (\\text{average}) \\qquad \
             v_t = \\beta v_{t-1} + dw_t \\quad (\\text{sum})",
            "d_t = \\beta \\hat{v}_t + (1 - \\beta)\\, dw_t \\quad (\\text{average}) \\qquad \
             d_t = \\beta \\hat{v}_t + dw_t \\quad (\\text{sum})",
            "w_{t+1} = w_t - \\alpha\\, d_t",
        ],
        corrects: &["v by 1 - beta^t (not the gradient term of the direction)"],
        bias_correction_default: false,
    },
    Algorithm {
        name: "adagrad",
        summary: "Divides each weight's step by the root of the sum of its squared gradients.",
        uses: &[
            uses("learning_rate", Default::Required),
            uses("epsilon", Default::Number(1e-8)),
            uses("initial_accumulator", Default::Number(0.0)),
            uses("window", Default::Absent),
        ],
        update: &[
            "v_t = v_{t-1} + dw_t^2, \\quad v_0 = \\text{initial\\_accumulator} \\qquad \
             (\\text{window } W: v_t = v_0 + \\textstyle\\sum_{i=t-W+1}^{t} dw_i^2)",
            "w_{t+1} = w_t - \\frac{\\alpha}{\\sqrt{v_t + \\epsilon}}\\, dw_t",
        ],
        corrects: &[],
        bias_correction_default: false,
    },
    Algorithm {
        name: "adadelta",
        summary: "Zeiler's Adadelta: the step is the ratio of the running RMS of past updates \
                  to that of the gradients.",
        uses: &[
            uses("learning_rate", Default::Number(1.0)),
            uses("rho", Default::Number(0.95)),
            uses("epsilon", Default::Number(1e-6)),
        ],
        update: &[
            "s_t = \\rho s_{t-1} + (1 - \\rho)\\, dw_t^2",
            "\\Delta_t = -\\frac{\\sqrt{\\hat{u}_{t-1} + \\epsilon}}{\\sqrt{\\hat{s}_t + \\epsilon}}\\, dw_t",
            "u_t = \\rho u_{t-1} + (1 - \\rho)\\, \\Delta_t^2",
            "w_{t+1} = w_t + \\alpha \\Delta_t",
        ],
        corrects: &[
            "s by 1 - rho^t",
            "u (as used at update t) by 1 - rho^(t-1); it is 0 at t = 1",
        ],
        bias_correction_default: false,
    },
    Algorithm {
        name: "rmsprop",
        summary: "Divides each weight's step by the root of a moving average of its squared \
                  gradients.",
        uses: &[
            uses("learning_rate", Default::Required),
            uses("beta", Default::Number(0.9)),
            uses("epsilon", Default::Number(1e-8)),
        ],
        update: &[
            "v_t = \\beta v_{t-1} + (1 - \\beta)\\, dw_t^2",
            "w_{t+1} = w_t - \\frac{\\alpha}{\\sqrt{\\hat{v}_t + \\epsilon}}\\, dw_t",
        ],
        corrects: &["v by 1 - beta^t"],
        bias_correction_default: false,
    },
    Algorithm {
        name: "adam",
        summary: "RMSProp with momentum: moving averages of the gradients and of their squares.",
        uses: ADAM_USES,
        update: &[
            "v_t = \\beta_1 v_{t-1} + (1 - \\beta_1)\\, dw_t",
            "s_t = \\beta_2 s_{t-1} + (1 - \\beta_2)\\, dw_t^2",
            "\\hat{v}_t = \\frac{v_t}{1 - \\beta_1^t}, \\quad \\hat{s}_t = \\frac{s_t}{1 - \\beta_2^t}",
            "w_{t+1} = w_t - \\frac{\\alpha\\, \\hat{v}_t}{\\sqrt{\\hat{s}_t + \\epsilon}}",
        ],
        corrects: &["v by 1 - beta1^t", "s by 1 - beta2^t"],
        bias_correction_default: true,
    },
    Algorithm {
        name: "adamw",
        summary: "Adam with decoupled weight decay (the bias decays too, as in PyTorch).",
        uses: &[
            uses("learning_rate", Default::Required),
            uses("beta1", Default::Number(0.9)),
            uses("beta2", Default::Number(0.999)),
            uses("epsilon", Default::Number(1e-8)),
            uses("weight_decay", Default::Number(0.01)),
        ],
        update: &[
            "\\tilde{w}_t = w_t - \\alpha \\lambda w_t",
            "v_t = \\beta_1 v_{t-1} + (1 - \\beta_1)\\, dw_t, \\quad \
             s_t = \\beta_2 s_{t-1} + (1 - \\beta_2)\\, dw_t^2 \\quad (dw_t \\text{ taken before the decay})",
            "w_{t+1} = \\tilde{w}_t - \\frac{\\alpha\\, \\hat{v}_t}{\\sqrt{\\hat{s}_t + \\epsilon}}",
        ],
        corrects: &["v by 1 - beta1^t", "s by 1 - beta2^t"],
        bias_correction_default: true,
    },
    Algorithm {
        name: "amsgrad",
        summary: "Adam that divides by the largest second moment seen so far.",
        uses: ADAM_USES,
        update: &[
            "v_t = \\beta_1 v_{t-1} + (1 - \\beta_1)\\, dw_t",
            "s_t = \\beta_2 s_{t-1} + (1 - \\beta_2)\\, dw_t^2, \\quad \
             s^{max}_t = \\max(s^{max}_{t-1}, s_t)",
            "\\hat{v}_t = \\frac{v_t}{1 - \\beta_1^t}, \\quad \\hat{s}_t = \\frac{s^{max}_t}{1 - \\beta_2^t}",
            "w_{t+1} = w_t - \\frac{\\alpha\\, \\hat{v}_t}{\\sqrt{\\hat{s}_t + \\epsilon}}",
        ],
        corrects: &["v by 1 - beta1^t", "s^max by 1 - beta2^t"],
        bias_correction_default: true,
    },
    Algorithm {
        name: "conjugate_gradient",
        summary: "Nonlinear conjugate gradient on the full-batch loss; one iteration per epoch.",
        uses: &[
            uses("beta_formula", Default::Text("fletcher_reeves")),
            uses("line_search", Default::Text("exact")),
            Uses {
                name: "learning_rate",
                default: Default::Required,
                only_when: Some(("line_search", "fixed")),
            },
            uses("restart_every", Default::ParameterCount),
            Uses {
                name: "max_step",
                default: Default::Number(1000.0),
                only_when: Some(("line_search", "exact")),
            },
            uses("tolerance", Default::Number(1e-10)),
        ],
        update: &[
            "g_k = \\nabla E(w_k), \\quad d_0 = -g_0, \\quad d_k = -g_k + \\beta_k d_{k-1}",
            "\\beta_k = \\frac{g_k^\\top g_k}{g_{k-1}^\\top g_{k-1}} \\;(\\text{FR}), \\quad \
             \\frac{g_k^\\top (g_k - g_{k-1})}{g_{k-1}^\\top g_{k-1}} \\;(\\text{PR}), \\quad \
             \\max(0, \\beta_k^{PR}) \\;(\\text{PR+}), \\quad \
             \\frac{g_k^\\top (g_k - g_{k-1})}{d_{k-1}^\\top (g_k - g_{k-1})} \\;(\\text{HS})",
            "w_{k+1} = w_k + \\eta_k d_k, \\quad \\eta_k = \\arg\\min_{0 \\le \\eta \\le \
             \\text{max\\_step}} E(w_k + \\eta d_k) \\;(\\text{exact}) \\text{ or } \\alpha \
             \\;(\\text{fixed})",
        ],
        corrects: &[],
        bias_correction_default: false,
    },
];

/// Look an algorithm up by its wire name.
pub fn algorithm(name: &str) -> Option<&'static Algorithm> {
    ALGORITHMS.iter().find(|a| a.name == name)
}

/// The wire names of every algorithm, for error messages.
pub fn algorithm_names() -> Vec<&'static str> {
    ALGORITHMS.iter().map(|a| a.name).collect()
}

/// The closest of `candidates` to a misspelt `word`, if one is close enough to be a likely typo
/// (`betta` → `beta`).
pub fn suggestion<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    // Typos are short edits; anything further is more likely a different idea than a slip.
    let limit = if word.chars().count() <= 4 { 1 } else { 2 };
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance on characters; inputs are JSON keys, capped so a hostile 1 MiB key
/// costs nothing.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().take(64).collect();
    let b: Vec<char> = b.chars().take(64).collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut current = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_an_algorithm_uses_is_a_known_hyperparameter() {
        for algorithm in ALGORITHMS {
            for used in algorithm.uses {
                assert!(hyperparameter(used.name).is_some(), "{}", used.name);
                if let Some((key, value)) = used.only_when {
                    let Some(Hyperparameter {
                        kind: Kind::Choice(values),
                        ..
                    }) = hyperparameter(key)
                    else {
                        panic!("{key} is not a choice");
                    };
                    assert!(values.contains(&value));
                    let position = |n: &str| algorithm.uses.iter().position(|u| u.name == n);
                    assert!(position(key) < position(used.name), "{key} resolves first");
                }
            }
        }
    }

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

    #[test]
    fn a_one_letter_typo_suggests_the_intended_key() {
        let keys = HYPERPARAMETERS.iter().map(|h| h.name);
        assert_eq!(suggestion("betta", keys.clone()), Some("beta"));
        assert_eq!(
            suggestion("learningrate", keys.clone()),
            Some("learning_rate")
        );
        assert_eq!(suggestion("zzzzzzzz", keys), None);
    }
}

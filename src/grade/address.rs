//! Where an answer's value lives: a JSON pointer into the solution (RFC 6901) or a step and a
//! worked-line symbol, resolved once against the plain solution into a [`Target`] — the number
//! it names and, where a worked line computes it, that line, so carried-forward values can be
//! keyed by update and symbol and the same quantity found again in any other run.
//!
//! Every way an address can be wrong is reported with the answer's pointer and a sentence that
//! names the offending text, for a 422. Nothing here panics on any input.

use std::collections::HashMap;

use serde_json::Value;

use super::{Answer, GradeFieldError};
use crate::pointer::{escape, type_name};
use crate::solve::expr::tex_to_text;
use crate::solve::{Line, Pointer, Problem, SignConvention, Solution, Step, Symbol};

/// A worked line, found by the update it belongs to and its place in that update.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LineRef {
    /// The update `t` (`Step.index`).
    pub t: u64,
    /// The line's position in `Step.lines` of the plain solution.
    pub position: usize,
    /// The line's symbol (its LaTeX, as the core writes it, is the key of an override).
    pub symbol: Symbol,
    /// Where the step carries the line's value (`Line.pointer`), when the line is the one that
    /// pointer finds; used to find the same quantity in runs whose symbols differ (another
    /// epoch's `α_e`).
    pub carried_at: Option<Pointer>,
}

/// An answer's resolved address.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Target {
    /// The JSON pointer into the solution, when the value has one.
    pub pointer: Option<String>,
    /// The worked line that computes the value, if any.
    pub line: Option<LineRef>,
    /// The value in the plain solution.
    pub value: f64,
    /// The quantity in plain text: the line's symbol, or the pointer.
    pub quantity: String,
    /// The line's formula in plain text.
    pub formula: Option<String>,
}

/// Resolve answer `index` against the plain solution and its JSON (`spellings`: the steps'
/// lines by spelling, kept from answer to answer).
pub(crate) fn resolve(
    problem: &Problem,
    solution: &Solution,
    json: &Value,
    spellings: &mut Spellings,
    (index, answer): (usize, &Answer),
) -> Result<Target, Vec<GradeFieldError>> {
    let at = |field: &str| {
        if field.is_empty() {
            format!("/answers/{index}")
        } else {
            format!("/answers/{index}/{field}")
        }
    };
    let error = |field: &str, detail: String| {
        vec![GradeFieldError {
            pointer: at(field),
            detail,
        }]
    };
    match (&answer.pointer, answer.step, &answer.symbol) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => Err(error(
            "",
            "give either `pointer` or `step` with `symbol`, not both".into(),
        )),
        (None, None, None) => Err(error(
            "",
            "name the value: `pointer` (a JSON pointer into the solution, e.g. /steps/0/weights_after/0) or `step` with `symbol` (e.g. {\"step\": 1, \"symbol\": \"(w_1)_2\"})".into(),
        )),
        (None, Some(_), None) => Err(error("symbol", "required with `step`".into())),
        (None, None, Some(_)) => Err(error("step", "required with `symbol`".into())),
        (Some(pointer), None, None) => by_pointer(problem, solution, json, pointer)
            .map_err(|detail| error("pointer", detail)),
        (None, Some(step), Some(symbol)) => by_symbol(solution, spellings, step, symbol)
            .map_err(|(field, detail)| error(field, detail)),
    }
}

/// RFC 6901: `""` is the whole document; otherwise `/`-separated tokens with `~1` for `/` and
/// `~0` for `~`.
fn parse_pointer(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!(
            "`{pointer}` is not a JSON pointer: it must start with `/` (RFC 6901), as in /steps/0/weights_after/0"
        ));
    };
    rest.split('/')
        .map(|token| {
            let mut out = String::with_capacity(token.len());
            let mut chars = token.chars();
            while let Some(c) = chars.next() {
                if c == '~' {
                    match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => {
                            return Err(format!(
                                "`{pointer}` is not a JSON pointer: `~` must be followed by 0 or 1 (RFC 6901 writes `~` as ~0 and `/` as ~1)"
                            ))
                        }
                    }
                } else {
                    out.push(c);
                }
            }
            Ok(out)
        })
        .collect()
}

fn join(tokens: &[String]) -> String {
    tokens.iter().map(|t| format!("/{}", escape(t))).collect()
}

/// An array index as RFC 6901 writes it: `0`, or digits without a leading zero.
fn array_index(token: &str) -> Option<usize> {
    let canonical = token == "0"
        || (!token.is_empty()
            && !token.starts_with('0')
            && token.bytes().all(|b| b.is_ascii_digit()));
    if canonical {
        token.parse().ok()
    } else {
        None
    }
}

/// Walk the pointer through the solution's JSON, explaining the first step that fails.
fn lookup<'v>(json: &'v Value, tokens: &[String], pointer: &str) -> Result<&'v Value, String> {
    let mut here = json;
    for (depth, token) in tokens.iter().enumerate() {
        let parent = join(&tokens[..depth]);
        let parent_name = if parent.is_empty() {
            "the solution".to_string()
        } else {
            parent.clone()
        };
        here = match here {
            Value::Object(map) => map.get(token).ok_or_else(|| {
                let keys: Vec<&str> = map.keys().map(String::as_str).collect();
                format!(
                    "`{pointer}` points to nothing: {parent_name} has no `{token}` (it has {})",
                    keys.join(", ")
                )
            })?,
            Value::Array(items) => {
                let Some(i) = array_index(token) else {
                    return Err(format!(
                        "`{pointer}` points to nothing: {parent_name} is an array, and `{token}` is not an index (0, 1, …)"
                    ));
                };
                items.get(i).ok_or_else(|| {
                    let range = if items.is_empty() {
                        "it is empty".to_string()
                    } else {
                        format!("it has {} (indices 0–{})", items.len(), items.len() - 1)
                    };
                    format!(
                        "`{pointer}` points to nothing: {parent_name} has no index {i}: {range}"
                    )
                })?
            }
            other => {
                return Err(format!(
                    "`{pointer}` points to nothing: {parent_name} is {}, with nothing inside",
                    type_name(other)
                ))
            }
        };
    }
    Ok(here)
}

fn by_pointer(
    problem: &Problem,
    solution: &Solution,
    json: &Value,
    pointer: &str,
) -> Result<Target, String> {
    let tokens = parse_pointer(pointer)?;
    let found = lookup(json, &tokens, pointer)?;
    let value = match found {
        Value::Number(n) => n.as_f64(),
        _ => None,
    };
    let Some(value) = value else {
        let why = if found.is_null() {
            " (a quantity this problem does not have, such as the bias without one)"
        } else {
            ""
        };
        return Err(format!(
            "`{pointer}` is {}{why}, not a number: point to one number of the solution, e.g. /steps/0/weights_after/0",
            type_name(found)
        ));
    };
    let line = line_for_pointer(problem, solution, &tokens);
    let (quantity, formula) = describe(solution, line.as_ref(), pointer);
    Ok(Target {
        pointer: Some(pointer.to_string()),
        line,
        value,
        quantity,
        formula,
    })
}

/// The worked line a solution pointer's value comes from, if any: `/steps/i/lines/k/value`
/// is line k itself; `/steps/i/<field>` is the line whose `pointer` is `/<field>` (the last one,
/// which is the value the step carries); `/final_weights/j`, `/final_bias` and a network's
/// `/final_network/layers/l/weights/j/k` and `…/biases/j` are the last step's new weights. A
/// network's flat vectors (`/steps/i/weights_after/p`, `dw`, `gradient`, `state/<name>/p`) are
/// found where its lines carry them, layer by layer ([`layered`]).
fn line_for_pointer(problem: &Problem, solution: &Solution, tokens: &[String]) -> Option<LineRef> {
    let strs: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let (step, relative): (&Step, String) = match strs.as_slice() {
        ["steps", i, "lines", k, "value"] => {
            let step = solution.steps.get(array_index(i)?)?;
            let position = array_index(k)?;
            let line = step.lines.get(position)?;
            return Some(line_ref(step, position, line));
        }
        ["steps", i, rest @ ..] if !rest.is_empty() => {
            (solution.steps.get(array_index(i)?)?, join(&tokens[2..]))
        }
        ["final_weights", j] => (solution.steps.last()?, format!("/weights_after/{j}")),
        ["final_bias"] => (solution.steps.last()?, "/bias_after".to_string()),
        ["final_network", "layers", l, "weights", j, k] => (
            solution.steps.last()?,
            format!("/layers/{l}/weights_after/{j}/{k}"),
        ),
        ["final_network", "layers", l, "biases", j] => (
            solution.steps.last()?,
            format!("/layers/{l}/biases_after/{j}"),
        ),
        _ => return None,
    };
    let mut candidates = vec![relative.clone()];
    candidates.extend(layered(problem, &relative));
    // With the gradient convention `dw` is the gradient itself, and its line sits at /dw/p
    // (a network's at /layers/l/dw/j/k and /layers/l/bias_dw/j).
    if problem.conventions.sign == SignConvention::Gradient {
        for at in candidates.clone() {
            let swapped = if at.starts_with("/gradient/") || at.starts_with("/layers/") {
                at.replacen("/gradient/", "/dw/", 1)
                    .replacen("/bias_gradient", "/bias_dw", 1)
            } else {
                at.replacen("/bias_gradient", "/bias_dw", 1)
            };
            if swapped != at {
                candidates.push(swapped);
            }
        }
    }
    candidates.iter().find_map(|wanted| {
        let position = step
            .lines
            .iter()
            .rposition(|l| l.pointer.is_some_and(|p| p == *wanted))?;
        Some(line_ref(step, position, &step.lines[position]))
    })
}

/// A network's flat pointer within a step — `/weights_after/p`, `/dw/p`, `/gradient/p`,
/// `/state/<name>/p`, place `p` of the optimizers' vector — as the pointer its lines carry:
/// `/layers/l/weights_after/j/k`, or for a bias `/layers/l/biases_after/j` (`bias_dw`,
/// `bias_gradient`, `bias_state/<name>`). `None` for a neuron, another field, or a place past
/// the vector's end.
fn layered(problem: &Problem, relative: &str) -> Option<String> {
    let net = problem.network.as_deref()?;
    let tokens: Vec<&str> = relative.strip_prefix('/')?.split('/').collect();
    let (field, bias_field, place) = match tokens.as_slice() {
        ["weights_after", p] => ("weights_after".to_string(), "biases_after".to_string(), p),
        ["dw", p] => ("dw".to_string(), "bias_dw".to_string(), p),
        ["gradient", p] => ("gradient".to_string(), "bias_gradient".to_string(), p),
        ["state", name, p] => (format!("state/{name}"), format!("bias_state/{name}"), p),
        _ => return None,
    };
    let place = array_index(place).filter(|p| *p < net.layout.len())?;
    let param = net.layout.param(place);
    Some(match param.col {
        Some(k) => format!("/layers/{}/{field}/{}/{k}", param.layer, param.row),
        None => format!("/layers/{}/{bias_field}/{}", param.layer, param.row),
    })
}

fn line_ref(step: &Step, position: usize, line: &Line) -> LineRef {
    // The pointer finds this very line only if it is the last line carried there.
    let carried_at = line
        .pointer
        .filter(|p| step.lines.iter().rposition(|l| l.pointer == Some(*p)) == Some(position));
    LineRef {
        t: step.index,
        position,
        symbol: line.symbol,
        carried_at,
    }
}

fn describe(
    solution: &Solution,
    line: Option<&LineRef>,
    fallback: &str,
) -> (String, Option<String>) {
    match line.and_then(|l| find_line(solution, l)) {
        Some(line) => (line.symbol.text(), Some(line.formula())),
        None => (fallback.to_string(), None),
    }
}

/// Whitespace does not matter in a symbol, and `(w_{1})_{2}` is `(w_1)_2`.
fn normalized(symbol: &str) -> String {
    without_whitespace(&tex_to_text(symbol))
}

/// A line's symbol as `normalized` reads it: its plain text (what `tex_to_text` makes of its
/// LaTeX) without whitespace.
fn normalized_symbol(symbol: &Symbol) -> String {
    without_whitespace(&symbol.text())
}

fn without_whitespace(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A symbol as a student may type it in plain text (`delta_o1`, `(w5)_2`, `out_h1`, `a^(2)_1`):
/// the normalized text with Greek letters named in Latin read as the letters, and without the
/// marks of subscripts (`_`, braces, backslashes), so `δ_{o1}` and `delta_o1` read alike.
fn loose(normalized: &str) -> String {
    let mut text = normalized.to_string();
    for (name, letter) in [("delta", "δ"), ("alpha", "α"), ("beta", "β")] {
        text = text.replace(name, letter);
    }
    text.chars()
        .filter(|c| !matches!(c, '_' | '{' | '}' | '\\'))
        .collect()
}

/// [`loose`] without parentheses either: `w5_2` for `(w_5)_2`, `a^2_1` for `a^{(2)}_{1}`.
fn looser(normalized: &str) -> String {
    loose(normalized)
        .chars()
        .filter(|c| !matches!(c, '(' | ')'))
        .collect()
}

/// Each step's lines by how they may be spelled, made the first time an answer by symbol
/// misses the step's exact symbols: one pass over its lines, not one per answer (a network's
/// step has thousands of lines, a class's answer sheet thousands of answers).
#[derive(Debug, Default)]
pub(crate) struct Spellings {
    steps: HashMap<usize, StepSpellings>,
}

/// One step's lines by their [`normalized_symbol`] (the first line of each) and by their
/// [`loose`] and [`looser`] readings (every line of each).
#[derive(Debug, Default)]
struct StepSpellings {
    normalized: HashMap<String, usize>,
    readings: [HashMap<String, Vec<usize>>; 2],
}

impl Spellings {
    fn of(&mut self, position: usize, step: &Step) -> &StepSpellings {
        self.steps.entry(position).or_insert_with(|| {
            let mut spellings = StepSpellings::default();
            for (i, line) in step.lines.iter().enumerate() {
                let text = normalized_symbol(&line.symbol);
                for (reading, spell) in spellings.readings.iter_mut().zip(READINGS) {
                    reading.entry(spell(&text)).or_default().push(i);
                }
                spellings.normalized.entry(text).or_insert(i);
            }
            spellings
        })
    }
}

/// How a typed symbol is read after its exact and normalized forms: [`loose`], then [`looser`].
const READINGS: [fn(&str) -> String; 2] = [loose, looser];

/// The one line of a step a plain-text spelling `wanted` (normalized) names, read loosely, or
/// the parameter after this update (`next` = t + 1) when it ends in `+` (`w5+`, `w_5^+`:
/// Mazur's notation for the updated weight, the line `(w_5)_{t+1}`). `Err(Some(lines))` when
/// several lines read alike; `Err(None)` when none does.
fn loosely(
    spellings: &StepSpellings,
    step: &Step,
    wanted: &str,
) -> Result<usize, Option<Vec<String>>> {
    let next = step.index.saturating_add(1);
    let key = loose(wanted);
    let forms = match key.strip_suffix("^+").or_else(|| key.strip_suffix('+')) {
        Some(base) => vec![format!("({base}){next}"), format!("{base}{next}")],
        None => vec![wanted.to_string()],
    };
    for (reading, spell) in spellings.readings.iter().zip(READINGS) {
        let mut found: Vec<usize> = forms
            .iter()
            .filter_map(|form| reading.get(&spell(form)))
            .flatten()
            .copied()
            .collect();
        found.sort_unstable();
        found.dedup();
        match found.as_slice() {
            [] => {}
            [one] => return Ok(*one),
            several => {
                return Err(Some(
                    several
                        .iter()
                        .filter_map(|&i| step.lines.get(i))
                        .map(|l| l.symbol.text())
                        .collect(),
                ))
            }
        }
    }
    Err(None)
}

fn by_symbol(
    solution: &Solution,
    spellings: &mut Spellings,
    step: u64,
    symbol: &str,
) -> Result<Target, (&'static str, String)> {
    let count = solution.steps.len();
    let Some((position_of_step, found)) =
        step_position(solution, step).and_then(|i| Some((i, solution.steps.get(i)?)))
    else {
        let range = if count == 0 {
            "the solution has no steps".to_string()
        } else {
            format!("the solution has {count} (1–{count})")
        };
        return Err(("step", format!("step {step} is out of range: {range}")));
    };
    let wanted = normalized(symbol);
    let exact = found.lines.iter().position(|l| l.symbol == symbol);
    let position = match exact {
        Some(position) => Ok(position),
        None => {
            let spelled = spellings.of(position_of_step, found);
            match spelled.normalized.get(&wanted) {
                Some(&position) => Ok(position),
                None => loosely(spelled, found, &wanted),
            }
        }
    };
    let position = match position {
        Ok(position) => position,
        Err(Some(alike)) => {
            return Err((
                "symbol",
                format!(
                    "`{symbol}` could name any of {} in step {step}; write it as its line does",
                    alike.join(", ")
                ),
            ))
        }
        Err(None) => {
            let spelled = spellings.of(position_of_step, found);
            return Err(("symbol", no_line(spelled, found, symbol, &wanted)));
        }
    };
    let Some(line) = found.lines.get(position) else {
        return Err(("symbol", format!("step {step} has no line `{symbol}`")));
    };
    let reference = line_ref(found, position, line);
    let pointer = line
        .pointer
        .map(|relative| format!("/steps/{position_of_step}{relative}"));
    Ok(Target {
        pointer,
        value: line.value,
        quantity: line.symbol.text(),
        formula: Some(line.formula()),
        line: Some(reference),
    })
}

/// Why step `step` has no line `symbol`, with its lines; for a parameter written bare (`w5`),
/// the line of its new value, since the value before the update is no line of it.
fn no_line(spelled: &StepSpellings, found: &Step, symbol: &str, wanted: &str) -> String {
    let step = found.index;
    let after = loosely(spelled, found, &format!("{wanted}+"))
        .ok()
        .and_then(|position| found.lines.get(position));
    if let Some(after) = after {
        let after = after.symbol.text();
        return format!(
            "step {step} has no line `{symbol}`: the value before this update is the problem's \
             or the previous step's, which no line of this step computes; the new value is \
             `{after}` (or `{symbol}+`)"
        );
    }
    let known: Vec<String> = found.lines.iter().map(|l| l.symbol.text()).collect();
    format!(
        "step {step} has no line `{symbol}`; its lines are {}",
        known.join(", ")
    )
}

/// Where the step with `index` t sits: at t − 1 in every run the core produces, searched for
/// otherwise (never a quadratic cost when thousands of answers name thousands of steps).
fn step_position(solution: &Solution, t: u64) -> Option<usize> {
    let guess = usize::try_from(t.checked_sub(1)?).ok()?;
    if solution.steps.get(guess).is_some_and(|s| s.index == t) {
        Some(guess)
    } else {
        solution.steps.iter().position(|s| s.index == t)
    }
}

fn step_at(solution: &Solution, t: u64) -> Option<&Step> {
    solution.steps.get(step_position(solution, t)?)
}

/// The line of `reference` in a run of the same problem or of a variant: by the pointer the
/// step carries it at when it has one (stable when a symbol is not, as `α_e` under another
/// epoch), else at the same place with the same symbol, else the first with that symbol.
pub(crate) fn find_line<'s>(solution: &'s Solution, reference: &LineRef) -> Option<&'s Line> {
    find_line_in(solution, None, reference)
}

/// Where each step of a run carries its values: `(t, pointer)` → the last line carried there.
/// Made once per run that many answers are looked up in (a network's step has thousands of
/// lines, and every wrong answer is looked up in every mistake's run).
#[derive(Debug, Default)]
pub(crate) struct Carried(HashMap<(u64, Pointer), usize>);

impl Carried {
    pub(crate) fn of(solution: &Solution) -> Carried {
        let mut index = HashMap::new();
        for step in &solution.steps {
            for (position, line) in step.lines.iter().enumerate() {
                if let Some(at) = line.pointer {
                    index.insert((step.index, at), position);
                }
            }
        }
        Carried(index)
    }
}

/// [`find_line`], looking pointers up in `carried` when given.
pub(crate) fn find_line_in<'s>(
    solution: &'s Solution,
    carried: Option<&Carried>,
    reference: &LineRef,
) -> Option<&'s Line> {
    let step = step_at(solution, reference.t)?;
    if let Some(at) = &reference.carried_at {
        let line = match carried {
            Some(Carried(index)) => index
                .get(&(reference.t, *at))
                .and_then(|&position| step.lines.get(position)),
            None => step
                .lines
                .iter()
                .rev()
                .find(|l| l.pointer.as_ref() == Some(at)),
        };
        if let Some(line) = line {
            return Some(line);
        }
    }
    step.lines
        .get(reference.position)
        .filter(|l| l.symbol == reference.symbol)
        .or_else(|| step.lines.iter().find(|l| l.symbol == reference.symbol))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The first step of Mazur's example in the numbered notation.
    fn mazur_step() -> Step {
        let body = json!({
            "samples": [{"x": [0.05, 0.10], "t": [0.01, 0.99]}],
            "network": {"layers": [
                {"weights": [[0.15, 0.20], [0.25, 0.30]], "biases": [0.35, 0.35]},
                {"weights": [[0.40, 0.45], [0.50, 0.55]], "biases": [0.60, 0.60]}
            ], "update_biases": false, "notation": "numbered"},
            "algorithm": "gd", "hyperparameters": {"learning_rate": 0.5}
        });
        let Ok(valid) = crate::wire::validate::problem(&body) else {
            panic!("the problem is valid");
        };
        crate::solve::solve(&valid.problem).steps.remove(0)
    }

    fn symbol_at(step: &Step, wanted: &str) -> Result<String, Option<Vec<String>>> {
        let mut spellings = Spellings::default();
        let spelled = spellings.of(0, step);
        loosely(spelled, step, &normalized(wanted)).map(|i| step.lines[i].symbol.tex())
    }

    #[test]
    fn a_loose_spelling_names_one_line_or_says_which_lines_it_could_be() {
        let mut step = mazur_step();
        assert_eq!(symbol_at(&step, "delta_h2"), Ok("\\delta_{h2}".to_string()));
        assert_eq!(symbol_at(&step, "w8+"), Ok("(w_8)_2".to_string()));
        assert_eq!(symbol_at(&step, "w9+"), Err(None));
        // Two lines that read alike: the answer is refused naming both.
        let twin = step.lines[0].clone();
        step.lines.push(twin);
        assert_eq!(
            symbol_at(&step, "neth1"),
            Err(Some(vec!["net_h1".to_string(), "net_h1".to_string()]))
        );
    }
}

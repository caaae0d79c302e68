//! Grading students' answers against a worked solution, step by step: PrairieLearn's
//! tolerances, error carried forward, named mistakes, and the platforms' result formats.
//!
//! Pure: no axum, no async, no I/O. [`grade`] takes a validated [`Problem`] and a [`GradeSpec`]
//! (the answers, a tolerance, a carry-forward strategy) and returns a [`GradeReport`], or every
//! problem with the answers as [`GradeFieldError`]s (JSON pointers relative to the spec, for a
//! 422). [`formats`] turns a report into PrairieLearn's, Gradescope's or CodeRunner's JSON.
//!
//! How carrying forward works: the core's `Hooks.overrides[t][symbol]` makes a worked line record
//! the value it computes while the run continues with the student's number. So a run with the
//! student's wrong answers as overrides is the trace "recomputed from the student's own earlier
//! answers", and each answer is judged against its line's recorded value there — one slip costs
//! one mark. (Right answers are not carried: their rounding would move the later targets.) A named
//! mistake is a variant run ([`mistakes`]) with the same overrides whose line reproduces the
//! student's wrong value; where several do, the one that explains the most of the student's wrong
//! answers is named.
//!
//! Layout: `tolerance` (the three comparison modes), `address` (pointer and symbol resolution),
//! `mistakes` (the catalogue, as data), `formats` (platform JSON), and here the driver.

mod address;
pub mod formats;
pub mod mistakes;
pub mod tolerance;

pub use formats::{
    coderunner, gradescope, prairielearn, render, CodeRunnerResult, Format, GradescopeResults,
    GradescopeTest, PrairieLearnResults, PrairieLearnTest,
};
pub use mistakes::{MistakeKind, Variant, MISTAKES};
pub use tolerance::{IntervalEnds, Tolerance};

use std::cell::OnceCell;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::solve::expr::{format_number, round_significant, Precision};
use crate::solve::{solve, solve_with, Hooks, Problem, Solution};
use address::Target;

/// One student answer: where its value lives in the solution, and the value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"step": 1, "symbol": "(w_1)_2", "value": 0.5009}))]
pub struct Answer {
    /// A JSON pointer (RFC 6901) to one number of the solution (docs/contract.md §7):
    /// `/steps/1/weights_after/0`, `/final_weights/0`, `/steps/0/state/velocity/1`,
    /// `/steps/0/lines/3/value`, `/loss/final`; a network's (§11)
    /// `/steps/0/layers/1/weights_after/0/0`, `/steps/0/layers/0/delta/0/1`,
    /// `/final_network/layers/1/weights/0/0`. Give this, or `step` with `symbol`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "/steps/0/weights_after/0")]
    pub pointer: Option<String>,
    /// The update (`index` of the step, 1-based) whose worked line `symbol` names the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 1)]
    pub step: Option<u64>,
    /// A worked line's symbol, in LaTeX (`(w_1)_2`, `(\hat{v}_1)_1`, `\alpha(3)`,
    /// `\delta_{o1}`) or plain text (`(v̂_1)_1`, `α_3`, `y_in`, `delta_o1`, `out_h1`,
    /// `(w5)_2`); `w5+` is a network's weight after this update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "(w_1)_2")]
    pub symbol: Option<String>,
    /// The student's value.
    #[schema(example = 0.5009)]
    pub value: f64,
    /// This answer's tolerance, in place of the grade's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<Tolerance>,
    /// Its weight in the score (default 1, ≥ 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 1.0)]
    pub weight: Option<f64>,
    /// A name for the answer in platform formats (default: the quantity and its step).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

/// Whether values are judged against the plain solution or against a trace recomputed from the
/// student's own earlier answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CarryForward {
    /// Every value against the plain solution.
    #[default]
    None,
    /// Every value against the trace recomputed from the student's earlier answers: each wrong
    /// answer is carried forward in place of the solution's value (right ones are not, so their
    /// rounding does not move later targets).
    Always,
    /// Both ways; the higher score is kept (`none` on a tie).
    Best,
}

/// The strategy a report's verdicts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CarryForwardUsed {
    None,
    Always,
}

/// What to grade and how (everything but the problem).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeSpec {
    /// The student's answers, at least one.
    pub answers: Vec<Answer>,
    /// The tolerance of every answer that gives none (default: `relabs`, rtol 1e-2, atol 1e-8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<Tolerance>,
    /// Default `none`.
    #[serde(default)]
    pub carry_forward: CarryForward,
}

/// A problem with the answers, for a 422: where (relative to the [`GradeSpec`]) and what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GradeFieldError {
    /// A JSON pointer into the grade spec: `/answers/3/pointer`, `/answers/0/symbol`,
    /// `/tolerance/rtol`.
    #[schema(example = "/answers/3/pointer")]
    pub pointer: String,
    #[schema(example = "step 7 is out of range: the solution has 2 (1–2)")]
    pub detail: String,
}

/// Where an answer's value lives, with every part the grader could work out filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Address {
    /// The JSON pointer into the solution (null for a line the step does not carry).
    pub pointer: Option<String>,
    /// The update (1-based) of the worked line (null when no line computes the value).
    pub step: Option<u64>,
    /// The worked line's symbol in LaTeX (null when no line computes the value).
    pub symbol: Option<String>,
}

/// A named mistake an answer matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Mistake {
    /// Stable code, e.g. `bias_correction_forgotten` (see [`MISTAKES`]).
    #[schema(example = "bias_correction_forgotten")]
    pub code: String,
    pub description: String,
}

/// The verdict on one answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AnswerResult {
    /// The answer's position in `answers` (0-based).
    pub index: usize,
    /// The answer's `label`, or the quantity and its step (`(w_1)_2, step 1`).
    pub name: String,
    pub address: Address,
    /// The quantity in plain text (`(w_1)_2`, `(v̂_1)_1`), or the pointer for a value no worked
    /// line computes.
    #[schema(example = "(w_1)_2")]
    pub quantity: String,
    /// The worked line's formula in plain text (null without a line).
    pub formula: Option<String>,
    /// The value the answer is judged against: the solution's, or with carry-forward the line's
    /// value recomputed from the student's earlier answers.
    pub expected: f64,
    /// The value in the plain solution (equal to `expected` without carry-forward).
    pub solution_value: f64,
    /// Whether `expected` was recomputed from the student's earlier answers.
    pub carried_forward: bool,
    /// The student's value.
    pub given: f64,
    pub correct: bool,
    /// The accepted values `[lo, hi]` around `expected`: closed for `relabs`, open for `sigfig`
    /// and `decdig` (see `interval_ends`).
    pub interval: [f64; 2],
    pub interval_ends: IntervalEnds,
    /// The tolerance used.
    pub tolerance: Tolerance,
    /// One line: the quantity and its formula, the verdict, the expected value when wrong, and
    /// the named mistake when one matches.
    pub feedback: String,
    /// The mistake a wrong value matches (never set on a correct one).
    pub mistake: Option<Mistake>,
    pub weight: f64,
    /// `weight` when correct, else 0.
    pub points: f64,
}

/// Both strategies' scores, reported when `carry_forward` is `best`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct StrategyScores {
    pub none: f64,
    pub always: f64,
}

/// The grade of a set of answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct GradeReport {
    /// `Σ weight·correct / Σ weight`, in [0, 1].
    pub score: f64,
    /// `Σ weight·correct`.
    pub points: f64,
    /// `Σ weight`.
    pub max_points: f64,
    /// The index of the first wrong answer, in the order given (null when all are correct).
    pub first_wrong: Option<usize>,
    /// The strategy asked for.
    pub carry_forward: CarryForward,
    /// The strategy the verdicts come from (with `best`, the one that scored higher).
    pub carry_forward_used: CarryForwardUsed,
    /// With `best`: the score each way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scores: Option<StrategyScores>,
    pub results: Vec<AnswerResult>,
}

/// One run of the problem (plain, carried forward, or a mistake's variant), with its JSON made
/// only when a pointer without a worked line needs it.
struct Run {
    solution: Solution,
    json: OnceCell<Value>,
    /// Where its steps carry their values, made when the second answer is looked up (one
    /// look-up scans a step; many would scan it once each).
    carried: OnceCell<address::Carried>,
    lookups: std::cell::Cell<usize>,
}

impl Run {
    fn new(solution: Solution) -> Run {
        Run {
            solution,
            json: OnceCell::new(),
            carried: OnceCell::new(),
            lookups: std::cell::Cell::new(0),
        }
    }

    fn json(&self) -> &Value {
        self.json
            .get_or_init(|| serde_json::to_value(&self.solution).unwrap_or(Value::Null))
    }

    /// The target's value in this run: its worked line's recorded value, or the number at its
    /// pointer; `None` when this run has neither (it diverged sooner, or lacks that line).
    fn value(&self, target: &Target) -> Option<f64> {
        match &target.line {
            Some(line) => {
                self.lookups.set(self.lookups.get().saturating_add(1));
                let carried = (self.lookups.get() > 1).then(|| {
                    self.carried
                        .get_or_init(|| address::Carried::of(&self.solution))
                });
                address::find_line_in(&self.solution, carried, line).map(|l| l.value)
            }
            None => self
                .json()
                .pointer(target.pointer.as_deref()?)
                .and_then(Value::as_f64),
        }
    }
}

/// An answer after validation: its target, tolerance and weight.
struct Resolved<'a> {
    answer: &'a Answer,
    target: Target,
    tolerance: Tolerance,
    weight: f64,
}

/// A verdict before diagnosis and feedback.
#[derive(Debug, Clone, Copy)]
struct Verdict {
    expected: f64,
    carried: bool,
    correct: bool,
    lo: f64,
    hi: f64,
    ends: IntervalEnds,
}

/// Grade `spec`'s answers to `problem`. Errors name every invalid answer at once.
pub fn grade(problem: &Problem, spec: &GradeSpec) -> Result<GradeReport, Vec<GradeFieldError>> {
    let plain = Run::new(solve(problem));
    let resolved = validate(problem, &plain, spec)?;

    let (used, verdicts, scores, overrides) = match spec.carry_forward {
        CarryForward::None => (
            CarryForwardUsed::None,
            judge_all(&resolved, &plain, false),
            None,
            BTreeMap::new(),
        ),
        CarryForward::Always => {
            let (carried, overrides) = carried_forward(problem, &resolved);
            (
                CarryForwardUsed::Always,
                judge_all(&resolved, &carried, true),
                None,
                overrides,
            )
        }
        CarryForward::Best => {
            let (carried, overrides) = carried_forward(problem, &resolved);
            let none = judge_all(&resolved, &plain, false);
            let always = judge_all(&resolved, &carried, true);
            let (score_none, score_always) =
                (score_of(&resolved, &none), score_of(&resolved, &always));
            let scores = Some(StrategyScores {
                none: score_none,
                always: score_always,
            });
            if score_always > score_none {
                (CarryForwardUsed::Always, always, scores, overrides)
            } else {
                (CarryForwardUsed::None, none, scores, BTreeMap::new())
            }
        }
    };

    // Variants run with the same carried values as the verdicts they explain.
    let mistakes = diagnose(problem, &resolved, &verdicts, overrides);
    let results: Vec<AnswerResult> = resolved
        .iter()
        .zip(&verdicts)
        .zip(mistakes)
        .enumerate()
        .map(|(index, ((r, verdict), mistake))| result(index, r, verdict, mistake))
        .collect();

    let max_points: f64 = resolved.iter().map(|r| r.weight).sum();
    let points: f64 = results.iter().map(|r| r.points).sum();
    Ok(GradeReport {
        score: ratio(points, max_points),
        points,
        max_points,
        first_wrong: results.iter().position(|r| !r.correct),
        carry_forward: spec.carry_forward,
        carry_forward_used: used,
        scores,
        results,
    })
}

/// `points / max`, kept in [0, 1].
fn ratio(points: f64, max: f64) -> f64 {
    if max > 0.0 && max.is_finite() {
        (points / max).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

fn score_of(resolved: &[Resolved], verdicts: &[Verdict]) -> f64 {
    let max: f64 = resolved.iter().map(|r| r.weight).sum();
    let points: f64 = resolved
        .iter()
        .zip(verdicts)
        .filter(|(_, v)| v.correct)
        .map(|(r, _)| r.weight)
        .sum();
    ratio(points, max)
}

/// Check every answer and the tolerances, collecting every problem.
fn validate<'a>(
    problem: &Problem,
    plain: &Run,
    spec: &'a GradeSpec,
) -> Result<Vec<Resolved<'a>>, Vec<GradeFieldError>> {
    let mut errors = Vec::new();
    if spec.answers.is_empty() {
        errors.push(GradeFieldError {
            pointer: "/answers".into(),
            detail: "give at least one answer".into(),
        });
    }
    let default_tolerance = spec.tolerance.unwrap_or_default();
    if let Some(t) = &spec.tolerance {
        for (field, detail) in t.problems() {
            errors.push(GradeFieldError {
                pointer: format!("/tolerance/{field}"),
                detail,
            });
        }
    }
    let mut resolved = Vec::with_capacity(spec.answers.len());
    let mut spellings = address::Spellings::default();
    for (index, answer) in spec.answers.iter().enumerate() {
        let mut ok = true;
        if !answer.value.is_finite() {
            ok = false;
            errors.push(GradeFieldError {
                pointer: format!("/answers/{index}/value"),
                detail: "must be a finite number".into(),
            });
        }
        let weight = answer.weight.unwrap_or(1.0);
        if !weight.is_finite() || weight < 0.0 {
            ok = false;
            errors.push(GradeFieldError {
                pointer: format!("/answers/{index}/weight"),
                detail: "must be a finite number ≥ 0".into(),
            });
        }
        if let Some(t) = &answer.tolerance {
            for (field, detail) in t.problems() {
                ok = false;
                errors.push(GradeFieldError {
                    pointer: format!("/answers/{index}/tolerance/{field}"),
                    detail,
                });
            }
        }
        match address::resolve(
            problem,
            &plain.solution,
            plain.json(),
            &mut spellings,
            (index, answer),
        ) {
            Ok(target) if ok => resolved.push(Resolved {
                answer,
                target,
                tolerance: answer.tolerance.unwrap_or(default_tolerance),
                weight,
            }),
            Ok(_) => {}
            Err(mut e) => errors.append(&mut e),
        }
    }
    if errors.is_empty() && !spec.answers.is_empty() {
        let total: f64 = resolved.iter().map(|r| r.weight).sum();
        if !(total > 0.0 && total.is_finite()) {
            errors.push(GradeFieldError {
                pointer: "/answers".into(),
                detail: "the answers' weights must add up to a finite number above 0".into(),
            });
        }
    }
    if errors.is_empty() {
        Ok(resolved)
    } else {
        Err(errors)
    }
}

/// The trace recomputed from the student's own earlier values, and those values by update and
/// line symbol (`Hooks.overrides`).
///
/// Only the values judged wrong are carried: a right answer is the solution's number up to the
/// tolerance, and carrying its rounding would shift what later answers are judged against (the
/// notes' Adagrad values, each right to 3 significant figures, would lose marks for the notes'
/// own rounding). Answers are settled in the order a student computes them — by update, then by
/// line — each judged against the run that carries every wrong value before it; the first answer
/// for a line wins.
fn carried_forward(
    problem: &Problem,
    resolved: &[Resolved],
) -> (Run, BTreeMap<u64, BTreeMap<String, f64>>) {
    let mut order: Vec<&Resolved> = resolved
        .iter()
        .filter(|r| r.target.line.is_some())
        .collect();
    order.sort_by_key(|r| r.target.line.as_ref().map(|l| (l.t, l.position)));
    let mut overrides: BTreeMap<u64, BTreeMap<String, f64>> = BTreeMap::new();
    let mut run = carried_run(problem, &overrides);
    for r in order {
        let Some(line) = &r.target.line else {
            continue;
        };
        let already = overrides
            .get(&line.t)
            .is_some_and(|m| m.contains_key(&line.symbol.tex()));
        let Some(expected) = run.value(&r.target) else {
            continue;
        };
        if already || r.tolerance.judge(r.answer.value, expected).correct {
            continue;
        }
        overrides
            .entry(line.t)
            .or_default()
            .insert(line.symbol.tex(), r.answer.value);
        run = carried_run(problem, &overrides);
    }
    (run, overrides)
}

fn carried_run(problem: &Problem, overrides: &BTreeMap<u64, BTreeMap<String, f64>>) -> Run {
    Run::new(solve_with(
        problem,
        Hooks {
            overrides: overrides.clone(),
            ..Hooks::default()
        },
    ))
}

/// Judge every answer against `reference`. A value no worked line computes, or one the reference
/// run never reached (it diverged on the student's numbers), is judged against the plain
/// solution.
/// `carrying` says whether `reference` is the carried-forward run.
fn judge_all(resolved: &[Resolved], reference: &Run, carrying: bool) -> Vec<Verdict> {
    resolved
        .iter()
        .map(|r| {
            let from_reference = r
                .target
                .line
                .as_ref()
                .and_then(|_| reference.value(&r.target));
            let (expected, carried) = match from_reference {
                Some(v) => (v, true),
                None => (r.target.value, false),
            };
            let j = r.tolerance.judge(r.answer.value, expected);
            Verdict {
                expected,
                carried: carrying && carried,
                correct: j.correct,
                lo: j.lo,
                hi: j.hi,
                ends: j.ends,
            }
        })
        .collect()
}

/// A variant with its run, solved the first time a wrong answer needs it.
type LazyVariant = (Variant, OnceCell<Run>);

/// The mistakes' variants for one problem.
struct Catalogue {
    overrides: BTreeMap<u64, BTreeMap<String, f64>>,
    /// Per entry of [`MISTAKES`], its variants.
    entries: Vec<(&'static MistakeKind, Vec<LazyVariant>)>,
}

impl Catalogue {
    fn new(problem: &Problem, overrides: BTreeMap<u64, BTreeMap<String, f64>>) -> Catalogue {
        let entries = MISTAKES
            .iter()
            .map(|kind| {
                let variants = (kind.variants)(problem)
                    .into_iter()
                    .map(|v| (v, OnceCell::new()))
                    .collect();
                (kind, variants)
            })
            .collect();
        Catalogue { overrides, entries }
    }

    /// Every mistake that reproduces the answer's wrong value, as (index in [`MISTAKES`],
    /// distance to the student's value): a variant whose value the answer's tolerance tells apart
    /// from `expected`, and accepts the student's value against.
    fn matches(&self, r: &Resolved, expected: f64) -> Vec<(usize, f64)> {
        let mut found = Vec::new();
        for (k, (_, variants)) in self.entries.iter().enumerate() {
            let closest = variants
                .iter()
                .filter_map(|(variant, run)| {
                    let run = run.get_or_init(|| {
                        Run::new(solve_with(
                            &variant.problem,
                            Hooks {
                                overrides: self.overrides.clone(),
                                ..variant.hooks.clone()
                            },
                        ))
                    });
                    let mistaken = run.value(&r.target)?;
                    // Where the mistake changes nothing visible, it explains nothing.
                    let visible = !r.tolerance.judge(mistaken, expected).correct;
                    let reproduced = r.tolerance.judge(r.answer.value, mistaken).correct;
                    (visible && reproduced).then(|| (r.answer.value - mistaken).abs())
                })
                .min_by(f64::total_cmp);
            if let Some(distance) = closest {
                found.push((k, distance));
            }
        }
        found
    }
}

/// The named mistake of each answer (never of a correct one). Where several mistakes reproduce a
/// value — forward-pass values after a wrong weight, or coinciding variants such as momentum's
/// `sum` form and bias correction at t = 1 — the one that explains the most of this student's
/// wrong answers is named, then the closest, then the first in [`MISTAKES`]: a student usually
/// makes one mistake throughout, and a loose tolerance lets an unrelated variant match one value
/// by chance.
fn diagnose(
    problem: &Problem,
    resolved: &[Resolved],
    verdicts: &[Verdict],
    overrides: BTreeMap<u64, BTreeMap<String, f64>>,
) -> Vec<Option<Mistake>> {
    if verdicts.iter().all(|v| v.correct) {
        return vec![None; verdicts.len()];
    }
    let catalogue = Catalogue::new(problem, overrides);
    let matches: Vec<Vec<(usize, f64)>> = resolved
        .iter()
        .zip(verdicts)
        .map(|(r, v)| {
            if v.correct {
                Vec::new()
            } else {
                catalogue.matches(r, v.expected)
            }
        })
        .collect();
    let mut support = vec![0usize; catalogue.entries.len()];
    for (k, _) in matches.iter().flatten() {
        support[*k] += 1;
    }
    matches
        .iter()
        .map(|found| {
            let (k, _) = found.iter().copied().max_by(|a, b| {
                support[a.0]
                    .cmp(&support[b.0])
                    .then(b.1.total_cmp(&a.1))
                    .then(b.0.cmp(&a.0))
            })?;
            let (kind, _) = catalogue.entries.get(k)?;
            Some(Mistake {
                code: kind.code.to_string(),
                description: kind.description_for(problem),
            })
        })
        .collect()
}

/// The expected value written with the fewest significant figures (at least 4) that the
/// tolerance still accepts, so the feedback shows what a student should have written.
fn shown(value: f64, tolerance: &Tolerance) -> String {
    let digits = (4..=17)
        .map(|k| round_significant(value, k))
        .find(|v| tolerance.judge(*v, value).correct)
        .unwrap_or(value);
    format_number(digits, Precision::Full, false)
}

fn result(index: usize, r: &Resolved, verdict: &Verdict, mistake: Option<Mistake>) -> AnswerResult {
    let target = &r.target;
    let line = target.line.as_ref();
    let name = r.answer.label.clone().unwrap_or_else(|| match line {
        Some(l) => format!("{}, step {}", target.quantity, l.t),
        None => target.quantity.clone(),
    });
    let head = match &target.formula {
        Some(formula) => format!("{} = {}", target.quantity, formula),
        None => target.quantity.clone(),
    };
    let given = format_number(r.answer.value, Precision::Full, false);
    let feedback = if verdict.correct {
        format!("{head}: {given} is correct.")
    } else {
        let mut text = format!(
            "{head}: {given} is wrong; expected {}",
            shown(verdict.expected, &r.tolerance)
        );
        if verdict.carried && !r.tolerance.judge(target.value, verdict.expected).correct {
            text.push_str(" from your own earlier values");
        }
        if let Some(m) = &mistake {
            text.push_str(&format!(" — it matches a known mistake: {}", m.description));
        }
        text.push('.');
        text
    };
    AnswerResult {
        index,
        name,
        address: Address {
            pointer: target.pointer.clone(),
            step: line.map(|l| l.t),
            symbol: line.map(|l| l.symbol.tex()),
        },
        quantity: target.quantity.clone(),
        formula: target.formula.clone(),
        expected: verdict.expected,
        solution_value: target.value,
        carried_forward: verdict.carried,
        given: r.answer.value,
        correct: verdict.correct,
        interval: [verdict.lo, verdict.hi],
        interval_ends: verdict.ends,
        tolerance: r.tolerance,
        feedback,
        mistake,
        weight: r.weight,
        points: if verdict.correct { r.weight } else { 0.0 },
    }
}

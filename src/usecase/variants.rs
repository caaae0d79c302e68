//! A problem template whose numbers may be ranges, a count and a seed → that many variants,
//! each with its solution: the work of `POST /v1/variants` and `gradtrace variants`.
//!
//! Read the request, check the template (`class::variants` finds the ranges and makes the
//! bodies to try; each goes through `validate::problem`), draw, validate every variant, solve
//! each as `/v1/solve` would. The generator and its contract are `class::variants` (and
//! `variants.md`, the endpoint's OpenAPI description).

use serde_json::Value;

use super::batch::{check_budget, internal};
use super::error::Error;
use super::solve::respond_at;
use crate::class::variants::{Probe, Template, Variant, GENERATOR};
use crate::class::{parallel, TraceSize};
use crate::config::{Limit, Limits, Sizing};
use crate::solve::expr::count;
use crate::wire::class::{DrawnValue, VariantResult, VariantsResponse};
use crate::wire::fields::{FieldError, LimitDetails};
use crate::wire::model::Detail;
use crate::wire::validate::{self, ValidProblem};

/// Variants whose errors a 422 lists when drawn variants break a rule (the rest are counted).
const LISTED_FAILURES: usize = 10;

/// The longest drawn value shown in an error message, in characters.
const SHOWN_VALUE: usize = 60;

/// The whole endpoint but HTTP within the default limits, synchronously (CPU-bound: call it off
/// the async workers).
pub fn variants_body(body: &Value) -> Result<VariantsResponse, Error> {
    variants_body_with(body, &Limits::default(), Detail::Lines)
}

/// The whole endpoint but HTTP within `limits`, each solution at `detail`, synchronously.
pub fn variants_body_with(
    body: &Value,
    limits: &Limits,
    detail: Detail,
) -> Result<VariantsResponse, Error> {
    let sizing = Sizing::Detail(detail.into());
    let request = read_request(body, limits)?;
    let template = Template::parse(request.template).map_err(|errors| {
        Error::Validation(
            errors
                .into_iter()
                .map(|e| FieldError::new(format!("/template{}", e.pointer), e.detail))
                .collect(),
        )
    })?;
    check_template(&template, limits, sizing)?;

    let indices: Vec<u64> = (0..request.count).map(|k| request.start + k).collect();
    let drawn: Vec<(Variant, Result<ValidProblem, Vec<FieldError>>)> =
        parallel::map(&indices, |&index| {
            let variant = template.draw(request.seed, index);
            let valid = validate::problem_sized(&variant.problem, limits, sizing);
            (variant, valid)
        })
        .into_iter()
        .collect::<Result<_, _>>()
        .map_err(internal)?;
    check_variants(&drawn, request.seed)?;

    let total = drawn
        .iter()
        .filter_map(|(_, valid)| valid.as_ref().ok())
        .fold(TraceSize::default(), |sum, v| {
            sum.plus(TraceSize::of(&v.problem))
        });
    check_budget(total, "/count", limits, detail)?;

    let variants = parallel::map(&drawn, |(variant, valid)| {
        // `check_variants` let only valid variants through.
        valid.as_ref().ok().map(|valid| VariantResult {
            index: variant.index,
            draws: variant
                .draws
                .iter()
                .map(|d| DrawnValue {
                    pointer: d.pointer.clone(),
                    value: d.value.clone(),
                })
                .collect(),
            problem: variant.problem.clone(),
            solution: respond_at(valid.clone(), detail.into()),
        })
    })
    .into_iter()
    .map(|result| {
        result
            .map_err(internal)?
            .ok_or_else(|| Error::Internal("a variant lost its validation".into()))
    })
    .collect::<Result<Vec<_>, _>>()?;
    Ok(VariantsResponse {
        generator: GENERATOR.to_string(),
        seed: request.seed,
        start: request.start,
        count: request.count,
        variants,
    })
}

struct Request<'a> {
    template: &'a Value,
    count: u64,
    seed: u64,
    start: u64,
}

fn read_request<'a>(body: &'a Value, limits: &Limits) -> Result<Request<'a>, Error> {
    let Value::Object(top) = body else {
        return Err(Error::Validation(vec![FieldError::new(
            "",
            "must be an object {\"template\": {...}, \"count\": n, \"seed\": s}",
        )]));
    };
    let mut errors = Vec::new();
    for key in top.keys() {
        if !["template", "count", "seed", "start"].contains(&key.as_str()) {
            errors.push(FieldError::new(
                crate::pointer::child("", key),
                "is not a known key; the body has template, count, seed and start",
            ));
        }
    }
    let template = top.get("template").filter(|t| !t.is_null());
    if template.is_none() {
        errors.push(FieldError::new("/template", "is required"));
    }
    // Over the configured limit is its own error, naming the limit and how to raise it.
    let most = limits.batch_problems;
    let over_limit = top
        .get("count")
        .and_then(Value::as_u64)
        .filter(|c| *c > most);
    if let Some(count) = over_limit {
        errors.push(FieldError::over_limit(
            "/count",
            format!("asks for {count} variants; the limit is {most} (max_batch_problems)"),
            LimitDetails::new(Limit::BatchProblems, most),
        ));
    }
    let mut integer = |key: &str, min: u64, max: u64, required: bool| -> Option<u64> {
        match top.get(key).filter(|v| !v.is_null()) {
            None if required => {
                errors.push(FieldError::new(format!("/{key}"), "is required"));
                None
            }
            None => Some(0),
            Some(value) => match value.as_u64() {
                Some(k) if (min..=max).contains(&k) => Some(k),
                _ => {
                    errors.push(FieldError::new(
                        format!("/{key}"),
                        format!("must be an integer from {min} to {max}"),
                    ));
                    None
                }
            },
        }
    };
    let count = match over_limit {
        Some(_) => None,
        None => integer("count", 1, most, true),
    };
    // The document's `int64`: a seed or start the schema allows is never refused, and the reverse.
    let seed = integer("seed", 0, validate::MAX_INTEGER, true);
    let start = integer("start", 0, validate::MAX_INTEGER, false);
    if let (Some(count), Some(start)) = (count, start) {
        // Every variant's `index` is an `int64` too.
        if start.saturating_add(count - 1) > validate::MAX_INTEGER {
            errors.push(FieldError::new(
                "/start",
                "leaves no room for `count` variants below 2^63",
            ));
        }
    }
    match (template, count, seed, start) {
        (Some(template), Some(count), Some(seed), Some(start)) if errors.is_empty() => {
            Ok(Request {
                template,
                count,
                seed,
                start,
            })
        }
        _ => Err(Error::Validation(errors)),
    }
}

/// Validate every probe of the template; a value that breaks a rule is a 422 under `/template`.
fn check_template(template: &Template, limits: &Limits, sizing: Sizing) -> Result<(), Error> {
    let probes = template.probes();
    let results = parallel::map(&probes, |probe: &Probe| {
        validate::problem_sized(&probe.body, limits, sizing).err()
    })
    .into_iter()
    .collect::<Result<Vec<_>, _>>()
    .map_err(internal)?;
    let ranged = !template.pointers().is_empty();
    let mut base: Vec<FieldError> = Vec::new();
    let mut errors: Vec<FieldError> = Vec::new();
    // A rule broken by one range is reported once, at the first value that breaks it.
    let mut reported: Vec<(FieldError, &str)> = Vec::new();
    for (probe, found) in probes.iter().zip(results) {
        for error in found.unwrap_or_default() {
            let pointer = format!("/template{}", error.pointer);
            match &probe.varied {
                None => {
                    base.push(error.clone());
                    let detail = if ranged {
                        format!(
                            "{} (with every range at its least value or first option)",
                            error.detail
                        )
                    } else {
                        error.detail
                    };
                    errors.push(FieldError::new(pointer, detail));
                }
                // What breaks at the base breaks here too; say it once.
                Some(_) if base.contains(&error) => {}
                Some(varied) if reported.contains(&(error.clone(), varied.pointer.as_str())) => {}
                Some(varied) => {
                    reported.push((error.clone(), &varied.pointer));
                    let error = FieldError::new(
                        pointer,
                        format!(
                            "{} (when /template{} is {})",
                            error.detail,
                            varied.pointer,
                            shown(&varied.value)
                        ),
                    );
                    errors.push(error);
                }
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

/// Every drawn variant must be valid; the first few that are not are listed.
fn check_variants(
    drawn: &[(Variant, Result<ValidProblem, Vec<FieldError>>)],
    seed: u64,
) -> Result<(), Error> {
    let failed: Vec<(&Variant, &Vec<FieldError>)> = drawn
        .iter()
        .filter_map(|(variant, valid)| valid.as_ref().err().map(|errors| (variant, errors)))
        .collect();
    if failed.is_empty() {
        return Ok(());
    }
    let mut errors = vec![FieldError::new(
        "/template",
        format!(
            "{} of the {} drawn with seed {seed} {} a rule that joins two values (each range \
             passed on its own); narrow the ranges. {}",
            failed.len(),
            count(drawn.len(), "variant", "variants"),
            if failed.len() == 1 { "breaks" } else { "break" },
            match failed.len().min(LISTED_FAILURES) {
                1 => "It is listed.".to_string(),
                listed => format!("The first {listed} are listed."),
            }
        ),
    )];
    for (variant, found) in failed.into_iter().take(LISTED_FAILURES) {
        let values: Vec<String> = variant
            .draws
            .iter()
            .map(|d| format!("{} = {}", d.pointer, shown(&d.value)))
            .collect();
        for error in found {
            errors.push(FieldError::new(
                format!("/template{}", error.pointer),
                format!(
                    "{} (variant {}, where {})",
                    error.detail,
                    variant.index,
                    values.join(", ")
                ),
            ));
        }
    }
    Err(Error::Validation(errors))
}

/// A drawn value in a message, cut short.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    let mut short: String = text.chars().take(SHOWN_VALUE).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course::requests::class_template;
    use crate::usecase::error::pointers_of;
    use serde_json::json;

    fn pointers(body: Value) -> Vec<String> {
        pointers_of(variants_body(&body))
    }

    #[test]
    fn the_class_template_gives_three_solved_variants() {
        let Ok(response) = variants_body(&class_template()) else {
            panic!("the example is valid");
        };
        assert_eq!(response.variants.len(), 3);
        assert_eq!(response.variants[2].index, 2);
        assert_eq!(response.variants[0].draws.len(), 5);
    }

    #[test]
    fn a_range_that_can_break_a_rule_is_refused_with_its_pointer() {
        let mut body = class_template();
        body["template"]["hyperparameters"]["beta"] = json!({"uniform": [0.5, 1]});
        assert_eq!(pointers(body), ["/template/hyperparameters/beta"]);
    }

    #[test]
    fn a_continuous_range_where_an_integer_belongs_is_refused() {
        let mut body = class_template();
        body["template"]["epochs"] = json!({"uniform": [1, 3]});
        assert_eq!(pointers(body.clone()), ["/template/epochs"]);
        body["template"]["epochs"] = json!({"uniform": [1, 3], "decimals": 0});
        assert_eq!(pointers(body), Vec::<String>::new());
    }

    #[test]
    fn a_choice_is_checked_option_by_option() {
        let mut body = class_template();
        body["template"]["algorithm"] = json!({"choice": ["momentum", "adamax"]});
        let Err(Error::Validation(errors)) = variants_body(&body) else {
            panic!("adamax is not an algorithm");
        };
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].pointer, "/template/algorithm");
        assert!(errors[0]
            .detail
            .contains("when /template/algorithm is \"adamax\""));
    }

    #[test]
    fn the_request_itself_is_checked() {
        assert_eq!(
            pointers(json!({"template": {}, "count": 0, "seed": -1, "extra": 1})),
            ["/extra", "/count", "/seed"]
        );
        assert_eq!(
            pointers(json!({"count": 1001, "seed": 1})),
            ["/template", "/count"]
        );
        assert_eq!(
            pointers(json!({"template": {}, "count": 2, "seed": 1, "start": u64::MAX})),
            ["/start"]
        );
    }

    #[test]
    fn a_combination_that_breaks_a_joint_rule_is_refused_naming_the_variants() {
        // Each range alone stays within the size cap (100,000 trace entries); together the
        // largest epochs and the smallest batch exceed it (12,000 × 4 updates × 3 = 144,000).
        let mut body = class_template();
        body["template"]["samples"] = json!([
            {"x": [1, 0.6], "t": 0.8}, {"x": [0.5, 0.5], "t": 0.6},
            {"x": [0.2, 0.8], "t": 0.3}, {"x": [0.1, 0.1], "t": 0.1}
        ]);
        body["template"]["epochs"] = json!({"choice": [1, 12000]});
        body["template"]["batch_size"] = json!({"choice": [4, 1]});
        body["count"] = json!(40);
        let Err(Error::Validation(errors)) = variants_body(&body) else {
            panic!("some variants have 12000 epochs of 4 updates");
        };
        assert_eq!(errors[0].pointer, "/template");
        assert!(errors[1].detail.contains("variant "), "{errors:?}");
    }
}

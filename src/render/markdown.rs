//! Markdown: a heading for each update, one equation per paragraph, in the course's notation.

use super::*;

/// The whole solution as Markdown.
pub fn markdown(problem: &Problem, solution: &Solution, precision: Precision) -> String {
    let mut out = String::new();
    out.push_str(&format!("# {}: worked solution\n\n", title(problem)));
    for (name, value) in setup(problem, precision) {
        out.push_str(&format!("- {name}: {value}\n"));
    }
    if let Some(numbering) = epoch_numbering(problem, precision) {
        out.push_str(&format!("- epoch numbering: {numbering}\n"));
    }
    out.push_str(&format!(
        "- initial weights: w = {}{}\n\n",
        vector(&problem.weights, precision, false),
        problem
            .bias
            .map(|b| format!(", b = {}", format_number(b, precision, false)))
            .unwrap_or_default()
    ));
    let general: Vec<_> = solution
        .warnings
        .iter()
        .filter(|w| w.step.is_none())
        .collect();
    for warning in general {
        out.push_str(&format!("> **Note.** {}\n\n", warning.message));
    }
    for step in &solution.steps {
        out.push_str(&format!(
            "## {}\n\n",
            step_heading(problem, step, precision, false)
        ));
        let line_precision = line_precision(problem, precision);
        for line in &step.lines {
            out.push_str(&equation(line, line_precision));
            out.push_str("\n\n");
        }
        for warning in solution
            .warnings
            .iter()
            .filter(|w| w.step == Some(step.index))
        {
            out.push_str(&format!("> **Note.** {}\n\n", warning.message));
        }
    }
    for warning in solution
        .warnings
        .iter()
        .filter(|w| w.step.is_some_and(|s| s > solution.steps.len() as u64))
    {
        out.push_str(&format!("> **Note.** {}\n\n", warning.message));
    }
    out.push_str("## Result\n\n");
    out.push_str(&format!("The run {}.\n\n", status_sentence(solution)));
    out.push_str(&format!(
        "Final weights: w = {}{}\n\n",
        vector(&solution.final_weights, precision, false),
        solution
            .final_bias
            .map(|b| format!(", b = {}", format_number(b, precision, false)))
            .unwrap_or_default()
    ));
    let loss = |v: Option<f64>| {
        v.map_or("not finite".to_string(), |v| {
            format_number(v, precision, false)
        })
    };
    out.push_str(&format!(
        "Loss over all samples: {} before, {} after.\n",
        loss(solution.loss.initial),
        loss(solution.loss.final_)
    ));
    out
}

/// `symbol = formula = substitution = value`, leaving out a part that repeats the one before.
fn equation(line: &crate::solve::Line, precision: Precision) -> String {
    let mut parts = vec![line.symbol.text()];
    let (formula, substitution) = (line.formula(), line.substitution(precision));
    if formula != substitution {
        parts.push(formula);
    }
    parts.push(substitution);
    let value = format_number(line.value, precision, false);
    if parts.last() != Some(&value) {
        parts.push(value);
    }
    parts.join(" = ")
}

//! LaTeX: a fragment with one `align*` block per update, for a document or a KaTeX renderer.

use super::*;

/// The whole solution as a LaTeX fragment.
pub fn latex(problem: &Problem, solution: &Solution, precision: Precision) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "\\section*{{{}: worked solution}}\n",
        escape(&title(problem))
    ));
    out.push_str("\\begin{itemize}\n");
    for (name, value) in setup(problem, precision) {
        out.push_str(&format!("  \\item {}: {}\n", escape(&name), escape(&value)));
    }
    out.push_str(&format!(
        "  \\item initial weights: $w = {}${}\n",
        vector(&problem.weights, precision, true),
        problem
            .bias
            .map(|b| format!(", $b = {}$", format_number(b, precision, true)))
            .unwrap_or_default()
    ));
    out.push_str("\\end{itemize}\n");
    for warning in solution.warnings.iter().filter(|w| w.step.is_none()) {
        out.push_str(&format!(
            "\\paragraph*{{Note.}} {}\n",
            escape(&warning.message)
        ));
    }
    for step in &solution.steps {
        out.push_str(&format!(
            "\n\\subsection*{{{}}}\n",
            heading_tex(problem, step, precision)
        ));
        let line_precision = line_precision(problem, precision);
        let lines = &step.lines;
        out.push_str("\\begin{align*}\n");
        for (i, line) in lines.iter().enumerate() {
            let end = if i + 1 < lines.len() { " \\\\" } else { "" };
            out.push_str(&format!("  {}{end}\n", aligned(line, line_precision)));
        }
        out.push_str("\\end{align*}\n");
        for warning in solution
            .warnings
            .iter()
            .filter(|w| w.step == Some(step.index))
        {
            out.push_str(&format!(
                "\\paragraph*{{Note.}} {}\n",
                escape(&warning.message)
            ));
        }
    }
    for warning in solution
        .warnings
        .iter()
        .filter(|w| w.step.is_some_and(|s| s > solution.steps.len() as u64))
    {
        out.push_str(&format!(
            "\\paragraph*{{Note.}} {}\n",
            escape(&warning.message)
        ));
    }
    out.push_str("\n\\subsection*{Result}\n");
    out.push_str(&format!("The run {}.\n", escape(status_sentence(solution))));
    out.push_str("\\begin{align*}\n");
    out.push_str(&format!(
        "  w &= {}",
        vector(&solution.final_weights, precision, true)
    ));
    if let Some(b) = solution.final_bias {
        out.push_str(&format!(
            " \\\\\n  b &= {}",
            format_number(b, precision, true)
        ));
    }
    out.push_str("\n\\end{align*}\n");
    out
}

/// `symbol &= formula = substitution = value`, leaving out a part that repeats the one before.
fn aligned(line: &crate::solve::Line, precision: Precision) -> String {
    let formula = line.expr.formula_tex();
    let substitution = line.expr.substitution_tex(precision);
    let value = format_number(line.value, precision, true);
    let mut parts = Vec::new();
    if formula != substitution {
        parts.push(formula);
    }
    parts.push(substitution.clone());
    if substitution != value {
        parts.push(value);
    }
    format!("{} &= {}", line.symbol, parts.join(" = "))
}

/// The step heading, with its math in `$…$` and the rest escaped.
fn heading_tex(problem: &Problem, step: &Step, precision: Precision) -> String {
    let heading = step_heading(problem, step, precision, true);
    // Escape the text outside `$…$`, keep the math as it is.
    heading
        .split('$')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 0 {
                escape(part)
            } else {
                format!("${part}$")
            }
        })
        .collect()
}

/// Escape LaTeX's special characters in running text; Unicode letters pass through (the
/// fragment is meant for a Unicode engine or KaTeX).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '$' | '&' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\^{}"),
            '~' => out.push_str("\\~{}"),
            _ => out.push(c),
        }
    }
    out
}

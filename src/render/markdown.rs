//! Markdown: a heading for each update, one equation per paragraph, in the course's notation.

use super::*;

/// The whole solution as Markdown.
pub fn markdown(problem: &Problem, solution: &Solution, precision: Precision) -> String {
    page::<Markdown>(problem, solution, precision)
}

/// This rendering's pieces of a page.
struct Markdown;

impl Page for Markdown {
    /// The title, and the problem's settings and initial weights as a list.
    fn setup(out: &mut String, problem: &Problem, precision: Precision) {
        out.push_str(&format!("# {}: worked solution\n\n", title(problem)));
        for (name, value) in setup(problem, precision) {
            out.push_str(&format!("- {name}: {value}\n"));
        }
        if let Some(numbering) = epoch_numbering(problem, precision) {
            out.push_str(&format!("- epoch numbering: {numbering}\n"));
        }
        match network::model(problem) {
            Some(net) => {
                let notation = spans(&network::notation(net, problem.batch_size > 1));
                out.push_str(&format!("- notation: {notation}\n\n"));
                out.push_str("The initial network, each layer's weights a row per unit:\n\n");
                tables(out, &network::initial_tables(net), precision);
            }
            None => out.push_str(&format!(
                "- initial weights: {}\n\n",
                weights_and_bias(&problem.weights, problem.bias, precision)
            )),
        }
    }

    /// The warnings whose step (`None`: the whole run) satisfies `at`, each as a note.
    fn notes(out: &mut String, solution: &Solution, at: impl Fn(Option<u64>) -> bool) {
        for warning in solution.warnings.iter().filter(|w| at(w.step)) {
            out.push_str(&format!("> **Note.** {}\n\n", warning.message));
        }
    }

    /// One update: its heading and one paragraph per line.
    fn step(out: &mut String, problem: &Problem, step: &Step, precision: Precision) {
        out.push_str(&format!(
            "## {}\n\n",
            step_heading(problem, step, precision, false)
        ));
        let line_precision = line_precision(problem, precision);
        if problem.network.is_some() {
            // A network's update in its three parts, each under its own heading.
            for (part, lines) in network::parts(step) {
                out.push_str(&format!("### {}\n\n", part.heading()));
                for line in lines {
                    out.push_str(&equation(line, line_precision));
                    out.push_str("\n\n");
                }
            }
            return;
        }
        for line in &step.lines {
            out.push_str(&equation(line, line_precision));
            out.push_str("\n\n");
        }
    }

    /// How the run ended, the final weights, and the loss before and after.
    fn result(out: &mut String, problem: &Problem, solution: &Solution, precision: Precision) {
        out.push_str("## Result\n\n");
        out.push_str(&format!("The run {}.\n\n", status_sentence(solution)));
        match network::model(problem) {
            Some(net) => {
                out.push_str("The final network:\n\n");
                let last = solution.final_network.as_ref();
                tables(out, &network::final_tables(net, last), precision);
            }
            None => out.push_str(&format!(
                "Final weights: {}\n\n",
                weights_and_bias(&solution.final_weights, solution.final_bias, precision)
            )),
        }
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
    }
}

/// Running text with the notation's symbols in their plain text.
fn spans(spans: &[network::Span]) -> String {
    spans
        .iter()
        .map(|span| match span {
            network::Span::Text(text) => text.clone(),
            network::Span::Symbol(symbol) => symbol.text(),
        })
        .collect()
}

/// Each layer as a caption and a table: a row per unit, a column per input, then the bias.
fn tables(out: &mut String, tables: &[network::LayerTable], precision: Precision) {
    for table in tables {
        out.push_str(&format!("{}:\n\n|", table.caption));
        let mut header: Vec<String> = table.inputs.iter().map(|s| s.text()).collect();
        if table.has_biases {
            header.push("bias".to_string());
        }
        for name in &header {
            out.push_str(&format!(" | {name}"));
        }
        out.push_str(" |\n|---|");
        out.push_str(&"---|".repeat(header.len()));
        out.push('\n');
        for (unit, cells) in &table.rows {
            out.push_str(&format!("| {}", unit.text()));
            for (symbol, value) in cells {
                let value = format_number(*value, precision, false);
                out.push_str(&format!(" | {} = {value}", symbol.text()));
            }
            out.push_str(" |\n");
        }
        out.push('\n');
    }
}

/// `w = [..], b = ..`, the bias left out when there is none.
fn weights_and_bias(weights: &[f64], bias: Option<f64>, precision: Precision) -> String {
    format!(
        "w = {}{}",
        vector(weights, precision, false),
        bias.map(|b| format!(", b = {}", format_number(b, precision, false)))
            .unwrap_or_default()
    )
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

//! Optimizers side by side: the loss after every update, the number of updates to reach a loss
//! threshold, and the comparison as a Markdown table (configurations as columns). Pure
//! functions of solved problems; `api::compare` builds the problems and runs them.

use crate::solve::expr::{count, format_number, Precision};
use crate::solve::model::total_loss;
use crate::solve::network::notation::NetSymbol;
use crate::solve::network::NetworkModel;
use crate::solve::{EpsilonPlacement, Problem, SignConvention, Solution, Status, Symbol};

/// Rows of per-update (or per-epoch) losses shown in full; longer runs show the first and last
/// halves of this many around a `…` row.
const MAX_LOSS_ROWS: usize = 20;

/// The loss over all samples (the problem's reduction) after each update of the trace, at the
/// weights the step ends with (a network's `weights_after` is the optimizers' whole vector);
/// `None` where not finite, as in `loss.per_epoch`.
pub fn loss_per_update(problem: &Problem, solution: &Solution) -> Vec<Option<f64>> {
    solution
        .steps
        .iter()
        .map(|step| {
            let params: Vec<f64> = step
                .weights_after
                .iter()
                .copied()
                .chain(step.bias_after)
                .collect();
            total_loss(problem, &params)
        })
        .collect()
}

/// The fewest updates after which the loss over all samples is at most `threshold`: 0 when the
/// initial weights already meet it, `None` when no update of the run does.
pub fn updates_to_threshold(
    initial: Option<f64>,
    per_update: &[Option<f64>],
    threshold: f64,
) -> Option<u64> {
    std::iter::once(initial)
        .chain(per_update.iter().copied())
        .position(|loss| loss.is_some_and(|l| l <= threshold))
        .map(|t| t as u64)
}

/// One column of the table.
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    pub label: &'a str,
    pub problem: &'a Problem,
    pub solution: &'a Solution,
    pub per_update: &'a [Option<f64>],
    pub updates_to_threshold: Option<u64>,
}

/// The comparison as Markdown: a sentence on the shared problem, then one column per
/// configuration, in the request's order.
pub fn markdown(columns: &[Column<'_>], threshold: Option<f64>, precision: Precision) -> String {
    let mut out = format!(
        "# Comparison of {}\n\n",
        count(
            columns.len(),
            "optimizer configuration",
            "optimizer configurations"
        )
    );
    if let Some(first) = columns.first() {
        out.push_str(&shared_setup(first.problem, precision));
        out.push_str("\n\n");
    }
    out.push_str("| |");
    for column in columns {
        out.push_str(&format!(" {} |", cell(column.label)));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(columns.len()));
    out.push('\n');
    for (name, cells) in rows(columns, threshold, precision) {
        out.push_str(&format!("| {} |", cell(&name)));
        for value in cells {
            out.push_str(&format!(" {} |", cell(&value)));
        }
        out.push('\n');
    }
    out
}

/// The table's rows, each its name and one cell per column: the setup, the final weights,
/// the losses, and how the run went.
fn rows(
    columns: &[Column<'_>],
    threshold: Option<f64>,
    precision: Precision,
) -> Vec<(String, Vec<String>)> {
    let number = |x: f64| format_number(x, precision, false);
    let loss = |x: Option<f64>| x.map_or("not finite".to_string(), number);
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let mut row = |name: &str, cell: &dyn Fn(&Column<'_>) -> String| {
        rows.push((name.to_string(), columns.iter().map(cell).collect()));
    };
    row("algorithm", &|c| c.problem.optimizer.name().to_string());
    row("hyperparameters", &|c| {
        hyperparameters(c.problem, precision)
    });
    row("bias correction", &|c| match (
        c.problem.bias_correction,
        c.problem.optimizer.has_moving_average(),
    ) {
        (true, true) => "on".to_string(),
        (true, false) => "on (no effect: no moving average)".to_string(),
        (false, _) => "off".to_string(),
    });
    row("conventions", &|c| conventions(c.problem));
    let names = columns
        .first()
        .map_or_else(Vec::new, |c| final_weight_names(c.problem));
    for (i, name) in names.iter().enumerate() {
        row(name, &|c| {
            c.solution
                .final_weights
                .get(i)
                .map_or(String::new(), |w| number(*w))
        });
    }
    if columns.iter().any(|c| c.problem.bias.is_some()) {
        row("final b", &|c| {
            c.solution.final_bias.map_or(String::new(), number)
        });
    }
    row("loss before", &|c| loss(c.solution.loss.initial));
    loss_rows(columns, &mut row, &loss);
    row("updates", &|c| c.per_update.len().to_string());
    if let Some(threshold) = threshold {
        row(
            &format!("updates to reach loss ≤ {}", number(threshold)),
            &|c| {
                c.updates_to_threshold
                    .map_or("not reached".to_string(), |t| t.to_string())
            },
        );
    }
    row("status", &|c| {
        match c.solution.status {
            Status::Completed => "completed",
            Status::Converged => "converged",
            Status::Diverged => "diverged",
        }
        .to_string()
    });
    rows
}

/// The loss after each update when that fits (the course's exercises: one epoch of a few
/// updates), after each epoch otherwise; the first and last of them for a long run.
fn loss_rows(
    columns: &[Column<'_>],
    row: &mut impl FnMut(&str, &dyn Fn(&Column<'_>) -> String),
    loss: &dyn Fn(Option<f64>) -> String,
) {
    let updates = columns
        .iter()
        .map(|c| c.per_update.len())
        .max()
        .unwrap_or(0);
    let epochs = columns
        .iter()
        .map(|c| c.solution.loss.per_epoch.len())
        .max()
        .unwrap_or(0);
    let (unit, count): (&str, usize) = if updates <= MAX_LOSS_ROWS {
        ("update", updates)
    } else {
        ("epoch", epochs)
    };
    for k in shown_indices(count) {
        match k {
            Some(k) => row(&format!("loss after {unit} {}", k + 1), &|c| {
                let series: &[Option<f64>] = if unit == "update" {
                    c.per_update
                } else {
                    &c.solution.loss.per_epoch
                };
                series.get(k).map_or("—".to_string(), |l| loss(*l))
            }),
            None => row("…", &|_| "…".to_string()),
        }
    }
}

/// The row indices to show of `count`: all of them, or the first and last ten around `None`.
fn shown_indices(count: usize) -> Vec<Option<usize>> {
    if count <= MAX_LOSS_ROWS {
        (0..count).map(Some).collect()
    } else {
        let half = MAX_LOSS_ROWS / 2;
        (0..half)
            .map(Some)
            .chain([None])
            .chain((count - half..count).map(Some))
            .collect()
    }
}

/// The rows of the final weights: `w₁, w₂, …`, or a network's optimizers' vector with each
/// parameter named as its lines name it (`w_5`, `w^(2)_12`, `b^(1)_1`).
fn final_weight_names(problem: &Problem) -> Vec<String> {
    match &problem.network {
        Some(net) => (0..net.layout.len())
            .map(|p| {
                let name = Symbol::Net(NetSymbol::Param(net.layout.param(p)));
                format!("final {}", name.text())
            })
            .collect(),
        None => (1..=problem.weights.len())
            .map(|i| format!("final w{}", subscript(i)))
            .collect(),
    }
}

/// A network's shape in the sentence: its units layer by layer (the inputs first), its
/// activations, and whether its biases train.
fn network_setup(net: &NetworkModel, inputs: usize) -> String {
    let layers = &net.network.layers;
    let units: Vec<String> = std::iter::once(inputs)
        .chain(layers.iter().map(|l| l.units()))
        .map(|n| n.to_string())
        .collect();
    let activations: Vec<&str> = layers.iter().map(|l| l.activation.name()).collect();
    let biases = if layers.iter().all(|l| l.biases.is_none()) {
        "no biases"
    } else if net.network.update_biases {
        "biases updated"
    } else {
        "biases fixed"
    };
    format!(
        "a network of {} units ({}), {biases}",
        units.join("–"),
        activations.join(", ")
    )
}

/// What every column shares, as a sentence.
fn shared_setup(problem: &Problem, precision: Precision) -> String {
    let m = problem.samples.len();
    let batches = if problem.batch_size >= m {
        "full-batch updates".to_string()
    } else if problem.batch_size == 1 {
        "online updates (one per sample)".to_string()
    } else {
        format!("batches of {} samples", problem.batch_size)
    };
    let model = match &problem.network {
        Some(net) => network_setup(net, problem.samples.first().map_or(0, |s| s.x.len())),
        None => {
            let weights: Vec<String> = problem
                .weights
                .iter()
                .map(|w| format_number(*w, precision, false))
                .collect();
            let bias = problem
                .bias
                .map(|b| format!(", initial bias b = {}", format_number(b, precision, false)))
                .unwrap_or_default();
            format!("initial weights w = ({}){bias}", weights.join(", "))
        }
    };
    format!(
        "Every column solves the same problem: {m} sample{}, {model}, \
         {} epoch{}, {batches}. Each column equals `POST /v1/solve` of its `problem`.",
        if m == 1 { "" } else { "s" },
        problem.epochs,
        if problem.epochs == 1 { "" } else { "s" },
    )
}

/// The hyperparameters in the course's symbols.
pub fn hyperparameters(problem: &Problem, precision: Precision) -> String {
    let briefs: Vec<String> = problem
        .optimizer
        .shown(|x| format_number(x, precision, false))
        .into_iter()
        .filter_map(|s| s.brief)
        .collect();
    briefs.join(", ")
}

fn conventions(problem: &Problem) -> String {
    let sign = match problem.conventions.sign {
        SignConvention::Gradient => "dw = ∂E/∂w",
        SignConvention::Delta => "dw = −∂E/∂w",
    };
    match problem.optimizer.root_accumulator() {
        Some(accumulator) => match problem.conventions.epsilon {
            EpsilonPlacement::InsideSqrt => format!("{sign}, √({accumulator} + ε)"),
            EpsilonPlacement::OutsideSqrt => format!("{sign}, √{accumulator} + ε"),
        },
        None => sign.to_string(),
    }
}

/// A table cell: no line breaks, and `|` escaped (labels are the client's text).
fn cell(text: &str) -> String {
    text.replace(['\r', '\n'], " ").replace('|', "\\|")
}

fn subscript(i: usize) -> String {
    const DIGITS: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
    i.to_string()
        .chars()
        .map(|c| c.to_digit(10).map_or(c, |d| DIGITS[d as usize]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_counts_updates_and_zero_means_already_there() {
        let losses = [Some(0.5), None, Some(0.2), Some(0.1)];
        assert_eq!(updates_to_threshold(Some(1.0), &losses, 0.2), Some(3));
        assert_eq!(updates_to_threshold(Some(1.0), &losses, 0.6), Some(1));
        assert_eq!(updates_to_threshold(Some(0.1), &losses, 0.6), Some(0));
        assert_eq!(updates_to_threshold(Some(1.0), &losses, 0.01), None);
        assert_eq!(updates_to_threshold(None, &[], 1.0), None);
    }

    #[test]
    fn long_runs_show_their_first_and_last_rows() {
        assert_eq!(shown_indices(3), [Some(0), Some(1), Some(2)]);
        let long = shown_indices(100);
        assert_eq!(long.len(), MAX_LOSS_ROWS + 1);
        assert_eq!(long[MAX_LOSS_ROWS / 2], None);
        assert_eq!(long.last(), Some(&Some(99)));
    }

    #[test]
    fn labels_cannot_break_the_table() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
        assert_eq!(subscript(12), "₁₂");
    }
}

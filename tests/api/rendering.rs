//! Worked lines a student can follow: the Markdown and LaTeX renderings, the display precision,
//! and hand-calculation rounding (docs/contract.md §6), through the HTTP API.

use serde_json::{json, Value};

use crate::helpers::{assert_problem_saying, get_json, momentum, post, post_accepting, post_json};

async fn post_text(path: &str, body: &Value, accept: Option<&str>) -> (u16, String, String) {
    let reply = match accept {
        Some(accept) => post_accepting(path, accept, body).await,
        None => post(path, body).await,
    };
    (
        reply.status.as_u16(),
        reply.content_type().to_string(),
        String::from_utf8(reply.body).unwrap(),
    )
}

async fn example_problem(id: &str) -> Value {
    let (status, example) = get_json(&format!("/v1/examples/{id}")).await;
    assert_eq!(status, 200);
    example["problem"].clone()
}

/// Each needle appears after the previous one.
fn assert_in_order(text: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match text[from..].find(needle) {
            Some(at) => from += at + needle.len(),
            None => panic!("{needle:?} does not follow in order in:\n{text}"),
        }
    }
}

#[tokio::test]
async fn momentum_markdown_follows_the_course_solution_page_and_notes_the_erratum() {
    let problem = example_problem("momentum").await;
    let (status, content_type, page) = post_text("/v1/solve?format=markdown", &problem, None).await;
    assert_eq!(status, 200, "{page}");
    assert!(content_type.starts_with("text/markdown"));
    // The notes' lines, in the notes' order (course, "Solution", first training example).
    assert_in_order(
        &page,
        &[
            "## Update 1: training example 1, (x₁, x₂, t) = (1, 0.6, 0.8)",
            "y_in = w_1 x_1 + w_2 x_2 = 0.5 × 1 + 0.5 × 0.6 = 0.8",
            "y = 1 / (1 + exp(−y_in)) = 1 / (1 + exp(−0.8)) = 0.69",
            "(dw_1)_1 = (t − y) y (1 − y) x_1 = (0.8 − 0.69) × 0.69 × (1 − 0.69) × 1 = 0.02354",
            "(dw_2)_1 = (t − y) y (1 − y) x_2 = (0.8 − 0.69) × 0.69 × (1 − 0.69) × 0.6 = 0.01412",
            "(v_1)_1 = β (v_1)_0 + (1 − β) (dw_1)_1 = 0.8 × 0 + (1 − 0.8) × 0.02354 = 0.004707",
            "(v_2)_1 = β (v_2)_0 + (1 − β) (dw_2)_1 = 0.8 × 0 + (1 − 0.8) × 0.01412 = 0.002824",
            "(w_1)_2 = (w_1)_1 + α (v_1)_1 = 0.5 + 0.2 × 0.004707 = 0.5009",
            "(w_2)_2 = (w_2)_1 + α (v_2)_1 = 0.5 + 0.2 × 0.002824 = 0.5006",
            // The second training example with its own inputs, not the notes' (1, 0.6).
            "## Update 2: training example 2, (x₁, x₂, t) = (0.5, 0.5, 0.6)",
            "y_in = w_1 x_1 + w_2 x_2 = 0.5009 × 0.5 + 0.5006 × 0.5 = 0.5008",
            "(v_1)_2 = β (v_1)_1 + (1 − β) (dw_1)_2",
            "(w_2)_3 = (w_2)_2 + α (v_2)_2",
            "**Note.** Erratum in the course notes, y_in (second sample): they write y_in = 0.5009 × 1 + 0.5006 × 0.6 = 0.7512",
            "## Result",
        ],
    );
}

#[tokio::test]
async fn accept_text_markdown_chooses_the_markdown_rendering() {
    let (status, content_type, page) =
        post_text("/v1/solve", &momentum(), Some("text/markdown")).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("text/markdown"), "{content_type}");
    assert!(page.starts_with("# Momentum: worked solution"));
}

#[tokio::test]
async fn latex_rendering_is_a_fragment_of_align_blocks() {
    let (status, content_type, page) = post_text("/v1/solve?format=latex", &momentum(), None).await;
    assert_eq!(status, 200);
    assert!(content_type.starts_with("application/x-latex"));
    assert_eq!(
        page.matches("\\begin{align*}").count(),
        3,
        "two updates and the result"
    );
    assert!(page
        .contains("y_{in} &= w_{1} x_{1} + w_{2} x_{2} = 0.5 \\times 1 + 0.5 \\times 0.6 = 0.8"));
    let (_, _, accepted) = post_text("/v1/solve", &momentum(), Some("application/x-latex")).await;
    assert_eq!(accepted, page);
}

#[tokio::test]
async fn precision_changes_the_displayed_digits_not_the_values() {
    let dw_line = |solution: &Value| solution["steps"][0]["lines"][3].clone();
    let (_, default) = post_json("/v1/solve", &momentum()).await;
    let (_, two) = post_json("/v1/solve?precision=2", &momentum()).await;
    let (_, full) = post_json("/v1/solve?precision=0", &momentum()).await;
    assert_eq!(dw_line(&default)["symbol"], "(dw_1)_1");
    assert!(dw_line(&default)["latex"]
        .as_str()
        .unwrap()
        .ends_with("= 0.02354"));
    assert!(dw_line(&two)["latex"]
        .as_str()
        .unwrap()
        .ends_with("= 0.024"));
    assert!(dw_line(&full)["latex"]
        .as_str()
        .unwrap()
        .ends_with("= 0.023535525351480343"));
    assert_eq!(
        dw_line(&full)["substitution"],
        "(0.8 − 0.6899744811276125) × 0.6899744811276125 × (1 − 0.6899744811276125) × 1"
    );
    // The value is the same full-precision number whatever is displayed.
    assert_eq!(dw_line(&default)["value"], dw_line(&two)["value"]);
    assert_eq!(dw_line(&default)["value"], dw_line(&full)["value"]);
}

#[tokio::test]
async fn an_unknown_format_or_precision_is_a_problem() {
    for query in ["format=pdf", "precision=18", "precision=-1", "colour=red"] {
        let reply = post(&format!("/v1/solve?{query}"), &momentum()).await;
        assert_problem_saying(&reply, 400, "format");
    }
}

#[tokio::test]
async fn four_significant_figures_carry_the_rounded_values_forward() {
    let mut problem = momentum();
    problem["rounding"] = json!({"significant_figures": 4});
    let (status, solution) = post_json("/v1/solve", &problem).await;
    assert_eq!(status, 200, "{solution}");
    let step = &solution["steps"][0];
    // By hand, rounding each result to 4 significant figures before using it:
    //   y = 1/(1 + e^−0.8) = 0.68997… → 0.69
    //   (dw₁)₁ = (0.8 − 0.69) × 0.69 × (1 − 0.69) × 1 = 0.11 × 0.69 × 0.31 = 0.023529 → 0.02353
    //   (v₁)₁ = 0.8 × 0 + 0.2 × 0.02353 = 0.004706           (full precision: 0.0047071)
    //   (w₁)₂ = 0.5 + 0.2 × 0.004706 = 0.5009412 → 0.5009
    assert_eq!(step["forward"][0]["output"], 0.69);
    assert_eq!(step["dw"][0], 0.02353);
    assert_eq!(step["state"]["velocity"][0], 0.004706);
    assert_eq!(step["weights_after"][0], 0.5009);
    // The second update starts from the rounded weights: y_in = 0.5009 × 0.5 + 0.5006 × 0.5.
    assert_eq!(solution["steps"][1]["forward"][0]["net"], 0.5008);
    // Displayed as used: the substitution shows the rounded numbers in full.
    let v_line = &step["lines"][5];
    assert_eq!(v_line["symbol"], "(v_1)_1");
    assert_eq!(v_line["substitution"], "0.8 × 0 + (1 − 0.8) × 0.02353");
}

#[tokio::test]
async fn adagrad_rounded_like_the_notes_gives_their_weights() {
    // The notes carry 3 significant figures (0.000554, 0.000199, 0.007559 → 0.00756 …), and
    // print the weights 0.7, 0.7 / 0.639, 0.606 / 0.531, 0.412.
    let mut problem = example_problem("adagrad").await;
    problem["rounding"] = json!({"significant_figures": 3});
    let (_, solution) = post_json("/v1/solve", &problem).await;
    let weights: Vec<Value> = solution["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["weights_after"].clone())
        .collect();
    assert_eq!(
        weights,
        vec![
            json!([0.7, 0.7]),
            json!([0.639, 0.606]),
            json!([0.531, 0.412])
        ]
    );

    // Full precision shows the same weights at 3 decimals.
    let (_, full) = post_json("/v1/solve", &example_problem("adagrad").await).await;
    let shown: Vec<String> = full["steps"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["weights_after"].as_array().unwrap().clone())
        .map(|w| format!("{:.3}", w.as_f64().unwrap()))
        .collect();
    assert_eq!(
        shown,
        ["0.700", "0.700", "0.639", "0.606", "0.531", "0.412"]
    );
}

#[tokio::test]
async fn three_decimals_carried_forward_wipe_out_adagrads_small_accumulators() {
    // Rounding every value to 3 decimals turns (v₂)₁ = 0.0141² = 0.000199 into 0.000, so the
    // step divides by √ε: the notes cannot have rounded this way (their v has 6 decimals).
    let mut problem = example_problem("adagrad").await;
    problem["rounding"] = json!({"decimals": 3});
    let (_, solution) = post_json("/v1/solve", &problem).await;
    assert_eq!(
        solution["steps"][0]["state"]["square_sum"],
        json!([0.001, 0.0])
    );
    assert_eq!(solution["steps"][0]["weights_after"], json!([0.652, 28.5]));
}

/// The header says how epochs are numbered whenever there is more than one or a schedule (the
/// rates from the formulas: 0.2 / (1 + 1 × 0) = 0.2, 0.2 · 0.5^⌊3 / 2⌋ = 0.1), and not for a
/// single epoch without one.
#[tokio::test]
async fn the_markdown_header_says_how_epochs_are_numbered() {
    let page = |problem: Value| async move {
        let (status, _, page) = post_text("/v1/solve?format=markdown", &problem, None).await;
        assert_eq!(status, 200, "{page}");
        page
    };
    let mut problem = momentum();
    assert!(!page(problem.clone()).await.contains("epoch numbering"));

    problem["epochs"] = json!(2);
    assert!(page(problem.clone()).await.contains(
        "- epoch numbering: the first epoch is epoch 0; without a schedule every epoch uses \
         α = 0.2 (a schedule with `first_epoch: 1` numbers epochs from 1, as the course's tables \
         do)\n"
    ));

    problem["schedule"] = json!({"type": "time_based", "decay_rate": 1});
    assert!(page(problem.clone()).await.contains(
        "- epoch numbering: the first epoch is epoch 0 and uses α(0) = α₀ = 0.2; the course's \
         tables start at epoch 1 (set `schedule.first_epoch: 1` for them)\n"
    ));

    problem["schedule"] = json!({
        "type": "step", "drop_rate": 0.5, "epochs_drop": 2, "first_epoch": 3, "per": "update"
    });
    assert!(page(problem).await.contains(
        "- epoch numbering: e counts updates: the first update has e = 3 and uses α(3) = 0.1; \
         the course's tables start at epoch 1 (set `schedule.first_epoch: 1` for them)\n"
    ));
}

/// The classic 2-2-2 example (Mazur 2015) in its numbered notation reads like the post: its
/// network, net and out of each unit, E_o1, E_o2, E_total, the deltas, and the new weights
/// w_1 … w_8, with the post's numbers (tests/fixtures/network-examples.json) at 9 digits.
#[tokio::test]
async fn the_classic_network_example_reads_like_the_post() {
    let problem = crate::common::networks::mazur();
    let (status, content_type, page) =
        post_text("/v1/solve?format=markdown&precision=9", &problem, None).await;
    assert_eq!(status, 200, "{page}");
    assert!(content_type.starts_with("text/markdown"));
    assert_in_order(
        &page,
        &[
            "# Gradient descent: worked solution",
            "- network: 2 inputs; layer 1 (hidden): 2 logistic units; layer 2 (output): 2 \
             logistic units; squared-error loss\n",
            "- biases: fixed at their initial values (their gradients are still shown)\n",
            "- notation: numbered: w_1 … w_8 are the weights",
            "Layer 1 (hidden), 2 logistic units:\n\n| | i_1 | i_2 | bias |\n|---|---|---|---|\n\
             | out_h1 | w_1 = 0.15 | w_2 = 0.2 | b_h1 = 0.35 |\n\
             | out_h2 | w_3 = 0.25 | w_4 = 0.3 | b_h2 = 0.35 |\n",
            "Layer 2 (output), 2 logistic units:\n\n| | out_h1 | out_h2 | bias |\n",
            "| out_o1 | w_5 = 0.4 | w_6 = 0.45 | b_o1 = 0.6 |\n",
            "## Update 1: training example 1, (i_1, i_2, target_o1, target_o2) = (0.05, 0.1, \
             0.01, 0.99)\n\n### Forward pass\n\n",
            "net_h1 = w_1 i_1 + w_2 i_2 + b_h1 = 0.15 × 0.05 + 0.2 × 0.1 + 0.35 = 0.3775\n",
            "out_h1 = 1 / (1 + exp(−net_h1)) = 1 / (1 + exp(−0.3775)) = 0.593269992\n",
            "out_h2 = ",
            "= 0.596884378\n",
            "out_o1 = ",
            "= 0.75136507\n",
            "out_o2 = ",
            "= 0.772928465\n",
            "E_o1 = 0.5 (target_o1 − out_o1)² = 0.5 × (0.01 − 0.75136507)² = 0.274811083\n",
            "E_o2 = ",
            "E_total = E_o1 + E_o2 = 0.274811083 + 0.0235600256 = 0.298371109\n",
            "### Backward pass\n\n",
            "δ_o1 = (out_o1 − target_o1) out_o1 (1 − out_o1) = ",
            "= 0.138498562\n",
            "δ_h1 = (w_5 δ_o1 + w_7 δ_o2) out_h1 (1 − out_h1) = ",
            "(dw_1)_1 = δ_h1 i_1 = ",
            "(dw_5)_1 = δ_o1 out_h1 = 0.138498562 × 0.593269992 = 0.0821670406\n",
            "### Update\n\n",
            "(w_1)_2 = (w_1)_1 − α (dw_1)_1 = ",
            "= 0.149780716\n",
            "(w_5)_2 = (w_5)_1 − α (dw_5)_1 = 0.4 − 0.5 × 0.0821670406 = 0.35891648\n",
            "(w_6)_2 = ",
            "= 0.408666186\n",
            "(w_7)_2 = ",
            "= 0.51130127\n",
            "(w_8)_2 = ",
            "= 0.561370121\n",
            "## Result",
            "The final network:",
            "| out_h1 | w_1 = 0.149780716 | w_2 = 0.199561432 | b_h1 = 0.35 |",
            // The post prints 0.291027924 after, the loss of an update taken in the other
            // order (the fixture's note); after the weights it prints, it is 0.291027774.
            "Loss over all samples: 0.298371109 before, 0.291027774 after.\n",
        ],
    );
    // Nothing of a neuron's page: no `y_in`, no initial weight vector.
    assert!(
        !page.contains("y_in") && !page.contains("initial weights"),
        "{page}"
    );

    // LaTeX: the same parts, each its own `align*` under a `\subsubsection*`, and each layer's
    // weights a `tabular` of named values.
    let (status, _, latex) = post_text("/v1/solve?format=latex", &problem, None).await;
    assert_eq!(status, 200, "{latex}");
    assert_in_order(
        &latex,
        &[
            "\\item[$\\bullet$] notation: numbered: $w_1$ \\ldots{} $w_8$",
            "\\noindent\\begin{tabular}{l|cc|c}\n  & $i_{1}$ & $i_{2}$ & bias \\\\\n  \\hline\n  \
             $out_{h1}$ & $w_1 = 0.15$ & $w_2 = 0.2$ & $b_{h1} = 0.35$ \\\\\n",
            "\\subsection*{Update 1: training example 1, $(i_{1}, i_{2}, target_{o1}, \
             target_{o2}) = (0.05, 0.1, 0.01, 0.99)$}\n\\subsubsection*{Forward pass}\n\
             \\begin{align*}\n  net_{h1} &= ",
            "E_{total} &= E_{o1} + E_{o2} = 0.2748 + 0.02356 = 0.2984\n\\end{align*}\n\
             \\subsubsection*{Backward pass}\n\\begin{align*}\n  \\delta_{o1} &= ",
            "\\end{align*}\n\\subsubsection*{Update}\n\\begin{align*}\n  (w_1)_2 &= ",
            "(w_8)_2 &= (w_8)_1 - \\alpha (dw_8)_1 = 0.55 - 0.5 \\times \\left(-0.02274\\right) \
             = 0.5614\n\\end{align*}\n",
            "\\subsection*{Result}",
            "Loss over all samples: $0.2984$ before, $0.291$ after.",
        ],
    );
}

/// A network's update in three parts: every line of the step once, the forward pass's `z`, `a`
/// and losses, then the deltas and gradients (each sample's, then the batch's), then the
/// scheduled rate (which the JSON lists first), the optimizer's lines and the new parameters.
#[tokio::test]
async fn a_network_update_is_its_forward_pass_backward_pass_and_update() {
    let problem = json!({
        "samples": [{"x": [0.05, 0.10], "t": 0.2}, {"x": [0.3, -0.2], "t": 0.9}],
        "network": {"layers": [
            {"activation": "tanh", "weights": [[0.15, 0.20], [0.25, 0.30]], "biases": [0.35, -0.1]},
            {"activation": "logistic", "weights": [[0.40, 0.45]], "biases": [0.60]}
        ]},
        "batch_size": 2,
        "algorithm": "momentum",
        "hyperparameters": {"learning_rate": 0.2, "beta": 0.8},
        "schedule": {"type": "time_based", "decay_rate": 1}
    });
    let (status, solution) = post_json("/v1/solve", &problem).await;
    assert_eq!(status, 200, "{solution}");
    let (_, _, page) = post_text("/v1/solve?format=markdown", &problem, None).await;
    let update = page
        .split("## Update 1: batch of training examples 1–2 (epoch 0)\n\n")
        .nth(1)
        .and_then(|rest| rest.split("## Result").next())
        .unwrap_or_else(|| panic!("{page}"));
    let headings: Vec<&str> = update.lines().filter(|l| l.starts_with('#')).collect();
    assert_eq!(
        headings,
        ["### Forward pass", "### Backward pass", "### Update"]
    );
    let parts: Vec<Vec<&str>> = update
        .split("### ")
        .skip(1)
        .map(|part| part.lines().skip(1).filter(|l| !l.is_empty()).collect())
        .collect();
    let symbols = |part: &[&str]| -> Vec<String> {
        part.iter()
            .map(|l| l.split(" = ").next().unwrap_or("").to_string())
            .collect()
    };
    let (forward, backward, optimizer) =
        (symbols(&parts[0]), symbols(&parts[1]), symbols(&parts[2]));
    // The JSON's lines, each in exactly one part, in the JSON's order within its part.
    let json_symbols: Vec<String> = solution["steps"][0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| gradtrace::solve::expr::tex_to_text(l["symbol"].as_str().unwrap()))
        .collect();
    assert_eq!(json_symbols[0], "α(0)", "the JSON lists the rate first");
    let mut shown: Vec<String> = [&forward[..], &backward[..], &optimizer[..]].concat();
    let mut listed = json_symbols.clone();
    shown.sort();
    listed.sort();
    assert_eq!(shown, listed);
    assert_eq!(forward[0], "z^(1)_1[1]");
    assert!(forward.contains(&"E[2]".to_string()), "{forward:?}");
    assert!(forward
        .iter()
        .all(|s| !s.starts_with('δ') && !s.starts_with("(d")));
    assert_eq!(backward[0], "δ^(2)_1[1]");
    assert!(
        backward.contains(&"(dw^(1)_11)^(2)".to_string()),
        "{backward:?}"
    );
    assert_eq!(backward.last().map(String::as_str), Some("(db^(2)_1)_1"));
    assert_eq!(optimizer[0], "α(0)");
    assert_eq!(optimizer[1], "(v^(1)_11)_1");
    assert_eq!(optimizer.last().map(String::as_str), Some("(b^(2)_1)_2"));
}

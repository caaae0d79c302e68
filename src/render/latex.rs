//! LaTeX: a fragment with one `align*` block per update, for a document or a KaTeX renderer.
//!
//! The fragment is pure ASCII and compiles with pdflatex inside [`PREAMBLE`] (docs/latex.md):
//! running text with Greek letters, minus signs, arrows, sub- and superscript digits and the
//! like goes through [`running_text`], which writes each as LaTeX (math in `$…$`, text
//! commands otherwise) and any character it does not know as `\texttt{[U+XXXX]}`.

use super::*;

/// The preamble every fragment compiles in: `align*` and `\text` come from amsmath; the rest
/// is ASCII that the LaTeX kernel reads as it is (docs/latex.md).
pub const PREAMBLE: &str = "\\documentclass{article}\n\\usepackage{amsmath}\n";

/// What a standalone document adds to [`PREAMBLE`], for layout only: room for the long worked
/// lines, and page breaks inside an update's block.
const STANDALONE_LAYOUT: &str = "\\usepackage[margin=2cm]{geometry}\n\\allowdisplaybreaks\n";

/// The whole solution as a LaTeX document that pdflatex compiles as it is: [`PREAMBLE`], the
/// standalone layout, and the fragment of [`latex`] between `\begin{document}` and
/// `\end{document}`.
pub fn latex_document(problem: &Problem, solution: &Solution, precision: Precision) -> String {
    format!(
        "{PREAMBLE}{STANDALONE_LAYOUT}\\begin{{document}}\n{}\\end{{document}}\n",
        latex(problem, solution, precision)
    )
}

/// The whole solution as a LaTeX fragment.
pub fn latex(problem: &Problem, solution: &Solution, precision: Precision) -> String {
    page::<Latex>(problem, solution, precision)
}

/// This rendering's pieces of a page.
struct Latex;

impl Page for Latex {
    /// The title, and the problem's settings and initial weights as a list.
    fn setup(out: &mut String, problem: &Problem, precision: Precision) {
        out.push_str(&format!(
            "\\section*{{{}: worked solution}}\n",
            running_text(&title(problem))
        ));
        // `\item[$\bullet$]`: the default label is a bullet from a font (TS1) pdflatex has only as
        // a bitmap made on the fly; the math bullet is in the Type 1 fonts every TeX has.
        out.push_str("\\begin{itemize}\n");
        for (name, value) in setup(problem, precision) {
            out.push_str(&format!(
                "  \\item[$\\bullet$] {}: {}\n",
                running_text(&name),
                running_text(&value)
            ));
        }
        if let Some(net) = network::model(problem) {
            out.push_str(&format!(
                "  \\item[$\\bullet$] notation: {}\n\\end{{itemize}}\n",
                spans(&network::notation(net, problem.batch_size > 1))
            ));
            out.push_str("The initial network, each layer's weights a row per unit:\n");
            tables(out, &network::initial_tables(net), precision);
            return;
        }
        out.push_str(&format!(
            "  \\item[$\\bullet$] initial weights: $w = {}${}\n",
            vector(&problem.weights, precision, true),
            problem
                .bias
                .map(|b| format!(", $b = {}$", format_number(b, precision, true)))
                .unwrap_or_default()
        ));
        out.push_str("\\end{itemize}\n");
    }

    /// The warnings whose step (`None`: the whole run) satisfies `at`, each as a note.
    fn notes(out: &mut String, solution: &Solution, at: impl Fn(Option<u64>) -> bool) {
        for warning in solution.warnings.iter().filter(|w| at(w.step)) {
            out.push_str(&format!(
                "\\paragraph*{{Note.}} {}\n",
                running_text(&warning.message)
            ));
        }
    }

    /// One update: its heading and its lines as one `align*` block.
    fn step(out: &mut String, problem: &Problem, step: &Step, precision: Precision) {
        out.push_str(&format!(
            "\n\\subsection*{{{}}}\n",
            heading_tex(problem, step, precision)
        ));
        let line_precision = line_precision(problem, precision);
        if problem.network.is_some() {
            // A network's update in its three parts, each under its own heading.
            for (part, lines) in network::parts(step) {
                out.push_str(&format!("\\subsubsection*{{{}}}\n", part.heading()));
                align(out, &lines, line_precision);
            }
            return;
        }
        let lines: Vec<&crate::solve::Line> = step.lines.iter().collect();
        align(out, &lines, line_precision);
    }

    /// How the run ended, and the final weights (a network's with the loss before and after).
    fn result(out: &mut String, problem: &Problem, solution: &Solution, precision: Precision) {
        out.push_str("\n\\subsection*{Result}\n");
        out.push_str(&format!(
            "The run {}.\n",
            running_text(status_sentence(solution))
        ));
        if let Some(net) = network::model(problem) {
            out.push_str("\n\\noindent The final network:\n");
            let last = solution.final_network.as_ref();
            tables(out, &network::final_tables(net, last), precision);
            let loss = |v: Option<f64>| {
                v.map_or("not finite".to_string(), |v| {
                    format!("${}$", format_number(v, precision, true))
                })
            };
            out.push_str(&format!(
                "\n\\noindent Loss over all samples: {} before, {} after.\n",
                loss(solution.loss.initial),
                loss(solution.loss.final_)
            ));
            return;
        }
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
    }
}

/// Lines as one `align*` block.
fn align(out: &mut String, lines: &[&crate::solve::Line], precision: Precision) {
    out.push_str("\\begin{align*}\n");
    for (i, line) in lines.iter().enumerate() {
        let end = if i + 1 < lines.len() { " \\\\" } else { "" };
        out.push_str(&format!("  {}{end}\n", aligned(line, precision)));
    }
    out.push_str("\\end{align*}\n");
}

/// Running text with the notation's symbols as math.
fn spans(spans: &[network::Span]) -> String {
    spans
        .iter()
        .map(|span| match span {
            network::Span::Text(text) => running_text(text),
            network::Span::Symbol(symbol) => format!("${}$", symbol.tex()),
        })
        .collect()
}

/// Each layer as a caption and a `tabular`: a row per unit, a column per input, then the
/// bias; each cell names its parameter.
fn tables(out: &mut String, tables: &[network::LayerTable], precision: Precision) {
    for table in tables {
        out.push_str(&format!(
            "\n\\medskip\n\\noindent {}:\n\n\\smallskip\n\\noindent",
            running_text(&table.caption)
        ));
        let columns = "c".repeat(table.inputs.len());
        let bias_column = if table.has_biases { "|c" } else { "" };
        out.push_str(&format!(
            "\\begin{{tabular}}{{l|{columns}{bias_column}}}\n "
        ));
        for input in &table.inputs {
            out.push_str(&format!(" & ${}$", input.tex()));
        }
        if table.has_biases {
            out.push_str(" & bias");
        }
        out.push_str(" \\\\\n  \\hline\n");
        for (unit, cells) in &table.rows {
            out.push_str(&format!("  ${}$", unit.tex()));
            for (symbol, value) in cells {
                let value = format_number(*value, precision, true);
                out.push_str(&format!(" & ${} = {value}$", symbol.tex()));
            }
            out.push_str(" \\\\\n");
        }
        out.push_str("\\end{tabular}\n");
    }
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

/// The step heading, with its math in `$…$` and the rest as running text.
fn heading_tex(problem: &Problem, step: &Step, precision: Precision) -> String {
    let heading = step_heading(problem, step, precision, true);
    let mut tex = TexText::default();
    for (i, part) in heading.split('$').enumerate() {
        if i % 2 == 0 {
            tex.push_str(part);
        } else {
            tex.push_math(part);
        }
    }
    tex.finish()
}

/// Running text (setup values, warnings, headings) as ASCII LaTeX for pdflatex in
/// [`PREAMBLE`]: LaTeX's special characters escaped, math characters (Greek, −, ≈, √, ∂,
/// arrows, sub- and superscripts) as math in `$…$`, dashes, quotes and accented Latin letters as
/// text commands, and any other character as `\texttt{[U+XXXX]}` so it can never stop a run.
pub fn running_text(text: &str) -> String {
    let mut tex = TexText::default();
    tex.push_str(text);
    tex.finish()
}

/// What one character of running text becomes.
enum Translation {
    /// An ASCII character that is itself in text.
    Plain(char),
    /// Text-mode LaTeX.
    Text(&'static str),
    /// A math atom, written inside `$…$`.
    Math(&'static str),
    /// A subscript of the atom before (`₁`).
    Sub(&'static str),
    /// A superscript of the atom before (`²`, `ᵀ`, `′`).
    Sup(&'static str),
    /// A combining accent on the character before (U+0302 after `m` is `\hat{m}`).
    Accent(&'static str),
    /// A text accent on a Latin letter (`è` is ``\`{e}``).
    TextAccent(&'static str, char),
    /// Nothing (zero-width characters).
    Drop,
    /// No translation: shown as its code point.
    Unknown,
}

/// One math atom: a base with its scripts.
#[derive(Default)]
struct Atom {
    base: String,
    sub: String,
    sup: String,
    /// The last script added was a subscript (so `x₁₂` is `x_{12}`, and `x²₁³` starts a new
    /// atom rather than writing a double superscript).
    last_sub: bool,
    /// Raw math (a heading's `$…$`) takes no scripts of its own.
    closed: bool,
}

enum Piece {
    Text(String),
    Math(Vec<Atom>),
}

/// Running text being translated: text pieces and math runs, adjacent math merged into one
/// `$…$`.
#[derive(Default)]
struct TexText {
    pieces: Vec<Piece>,
    /// An ASCII `"` opens (``` `` ```) and closes (`''`) quotes in turn.
    quote_open: bool,
}

impl TexText {
    fn push_str(&mut self, text: &str) {
        for c in text.chars() {
            self.push_char(c);
        }
    }

    fn push_char(&mut self, c: char) {
        match c {
            '"' => {
                let quote = if self.quote_open { "''" } else { "``" };
                self.quote_open = !self.quote_open;
                self.text(quote);
            }
            _ => match translate(c) {
                Translation::Plain(c) => self.text(c.encode_utf8(&mut [0; 4])),
                Translation::Text(tex) => self.text(tex),
                Translation::Math(tex) => self.atom(tex.to_string(), false),
                Translation::Sub(tex) => self.script(tex, true),
                Translation::Sup(tex) => self.script(tex, false),
                Translation::Accent(command) => self.accent(command),
                Translation::TextAccent(command, base) => {
                    let base = match base {
                        'i' => "\\i".to_string(),
                        'j' => "\\j".to_string(),
                        other => other.to_string(),
                    };
                    self.text(&format!("{command}{{{base}}}"));
                }
                Translation::Drop => {}
                Translation::Unknown => {
                    self.text(&format!("\\texttt{{[U+{:04X}]}}", u32::from(c)));
                }
            },
        }
    }

    /// Raw math, kept as it is.
    fn push_math(&mut self, math: &str) {
        self.atom(math.to_string(), true);
    }

    fn text(&mut self, tex: &str) {
        match self.pieces.last_mut() {
            Some(Piece::Text(text)) => text.push_str(tex),
            _ => self.pieces.push(Piece::Text(tex.to_string())),
        }
    }

    fn atom(&mut self, base: String, closed: bool) {
        let atom = Atom {
            base,
            closed,
            ..Atom::default()
        };
        match self.pieces.last_mut() {
            Some(Piece::Math(atoms)) => atoms.push(atom),
            _ => self.pieces.push(Piece::Math(vec![atom])),
        }
    }

    /// A sub- or superscript on what comes before: the math atom before it, or a one-letter
    /// word or a number just written as text (`v₀`, `10⁻⁸`), else an empty base.
    fn script(&mut self, tex: &str, sub: bool) {
        if !matches!(self.pieces.last(), Some(Piece::Math(_))) {
            let base = self.take_text_base();
            self.atom(base, false);
        }
        let Some(Piece::Math(atoms)) = self.pieces.last_mut() else {
            return;
        };
        let fits = atoms.last().is_some_and(|atom| {
            let (same, other) = if sub {
                (&atom.sub, &atom.sup)
            } else {
                (&atom.sup, &atom.sub)
            };
            !atom.closed && (same.is_empty() || atom.last_sub == sub || other.is_empty())
        });
        if !fits {
            atoms.push(Atom::default());
        }
        if let Some(atom) = atoms.last_mut() {
            let script = if sub { &mut atom.sub } else { &mut atom.sup };
            append_math(script, tex);
            atom.last_sub = sub;
        }
    }

    /// A combining accent on the atom or the letter before it.
    fn accent(&mut self, command: &str) {
        if let Some(Piece::Math(atoms)) = self.pieces.last_mut() {
            if let Some(atom) = atoms.last_mut() {
                if !atom.closed && atom.sub.is_empty() && atom.sup.is_empty() {
                    atom.base = format!("{command}{{{}}}", atom.base);
                    return;
                }
            }
        }
        let letter = match self.pieces.last_mut() {
            Some(Piece::Text(text)) if text.ends_with(|c: char| c.is_ascii_alphabetic()) => {
                text.pop().map(String::from).unwrap_or_default()
            }
            _ => String::new(),
        };
        if matches!(self.pieces.last(), Some(Piece::Text(text)) if text.is_empty()) {
            self.pieces.pop();
        }
        self.atom(format!("{command}{{{letter}}}"), false);
    }

    /// The one-letter word or the number that ends the text so far, removed from it.
    fn take_text_base(&mut self) -> String {
        let Some(Piece::Text(text)) = self.pieces.last_mut() else {
            return String::new();
        };
        let word_start = text
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '.'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = text[word_start..].trim_start_matches('.');
        let is_number = !word.is_empty() && word.chars().all(|c| c.is_ascii_digit() || c == '.');
        let is_letter = word.len() == 1 && word.chars().all(|c| c.is_ascii_alphabetic());
        // A letter after a backslash is a command's name, not a word.
        let after_command = text[..text.len() - word.len()].ends_with('\\');
        if !(is_number || is_letter) || after_command {
            return String::new();
        }
        let base = word.to_string();
        text.truncate(text.len() - base.len());
        if text.is_empty() {
            self.pieces.pop();
        }
        base
    }

    fn finish(self) -> String {
        let mut out = String::new();
        for piece in self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(&text),
                Piece::Math(atoms) => {
                    let mut math = String::new();
                    for (i, atom) in atoms.iter().enumerate() {
                        if atom.base.is_empty() && i > 0 {
                            math.push_str("{}");
                        } else {
                            append_math(&mut math, &atom.base);
                        }
                        if !atom.sub.is_empty() {
                            math.push_str(&format!("_{{{}}}", atom.sub));
                        }
                        if !atom.sup.is_empty() {
                            math.push_str(&format!("^{{{}}}", atom.sup));
                        }
                    }
                    out.push('$');
                    out.push_str(&math);
                    out.push('$');
                }
            }
        }
        out
    }
}

/// Append math, with a space where a command name would otherwise run into a letter
/// (`\alpha` then `x` is `\alpha x`, not `\alphax`).
fn append_math(math: &mut String, tex: &str) {
    if math.ends_with(|c: char| c.is_ascii_alphabetic())
        && tex.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        math.push(' ');
    }
    math.push_str(tex);
}

/// Latin letters with a text accent: the accent command, the letters, and their bases in the
/// same order.
const TEXT_ACCENTS: [(&str, &str, &str); 11] = [
    ("\\`", "ÀÈÌÒÙàèìòù", "AEIOUaeiou"),
    (
        "\\'",
        "ÁÉÍÓÚÝáéíóúýĆćĹĺŃńŔŕŚśŹź",
        "AEIOUYaeiouyCcLlNnRrSsZz",
    ),
    (
        "\\^",
        "ÂÊÎÔÛâêîôûĈĉĜĝĤĥĴĵŜŝŴŵŶŷ",
        "AEIOUaeiouCcGgHhJjSsWwYy",
    ),
    ("\\~", "ÃÑÕãñõĨĩŨũ", "ANOanoIiUu"),
    ("\\\"", "ÄËÏÖÜäëïöüÿŸ", "AEIOUaeiouyY"),
    ("\\c", "ÇçŞşŢţĢģĶķĻļŅņŖŗ", "CcSsTtGgKkLlNnRr"),
    ("\\v", "ČčŠšŽžŘřĚěŇňŤťĎďĽľ", "CcSsZzRrEeNnTtDdLl"),
    ("\\H", "ŐőŰű", "OoUu"),
    ("\\u", "ĂăĞğŬŭĔĕĬĭŎŏ", "AaGgUuEeIiOo"),
    ("\\.", "ŻżĖėĠġİ", "ZzEeGgI"),
    ("\\=", "ĀāĒēĪīŌōŪū", "AaEeIiOoUu"),
];

/// The LaTeX of one character of running text.
fn translate(c: char) -> Translation {
    if c.is_ascii() {
        return ascii(c);
    }
    text_accent(c)
        .or_else(|| greek(c))
        .or_else(|| math_sign(c))
        .or_else(|| subscript(c))
        .or_else(|| superscript(c))
        .or_else(|| combining_accent(c))
        .or_else(|| text_sign(c))
        .unwrap_or(Translation::Unknown)
}

/// An ASCII character: LaTeX's special characters escaped, the rest as it is.
fn ascii(c: char) -> Translation {
    use Translation::*;
    match c {
        '\\' => Math("\\backslash"),
        '{' => Text("\\{"),
        '}' => Text("\\}"),
        '%' => Text("\\%"),
        '$' => Text("\\$"),
        '&' => Text("\\&"),
        '#' => Text("\\#"),
        '_' => Text("\\_"),
        '^' => Text("\\^{}"),
        '~' => Text("\\~{}"),
        // The default font has ¡, ¿ and — in these places; math has the characters.
        '<' => Math("<"),
        '>' => Math(">"),
        '|' => Math("|"),
        // Braced so that `!`` and `?`` do not become ¡ and ¿.
        '`' => Text("{`}"),
        '\n' | '\r' | '\t' => Text(" "),
        c if c.is_ascii_control() => Unknown,
        _ => Plain(c),
    }
}

/// A Latin letter with a text accent ([`TEXT_ACCENTS`]).
fn text_accent(c: char) -> Option<Translation> {
    for (command, letters, bases) in TEXT_ACCENTS {
        if let Some(i) = letters.chars().position(|l| l == c) {
            if let Some(base) = bases.chars().nth(i) {
                return Some(Translation::TextAccent(command, base));
            }
        }
    }
    None
}

/// Greek; ε as the worked lines write it (`\epsilon`).
fn greek(c: char) -> Option<Translation> {
    use Translation::*;
    Some(match c {
        'α' => Math("\\alpha"),
        'β' => Math("\\beta"),
        'γ' => Math("\\gamma"),
        'δ' => Math("\\delta"),
        'ε' | 'ϵ' => Math("\\epsilon"),
        'ζ' => Math("\\zeta"),
        'η' => Math("\\eta"),
        'θ' => Math("\\theta"),
        'ϑ' => Math("\\vartheta"),
        'ι' => Math("\\iota"),
        'κ' => Math("\\kappa"),
        'λ' => Math("\\lambda"),
        'μ' | 'µ' => Math("\\mu"),
        'ν' => Math("\\nu"),
        'ξ' => Math("\\xi"),
        'ο' => Math("o"),
        'π' => Math("\\pi"),
        'ρ' => Math("\\rho"),
        'σ' => Math("\\sigma"),
        'ς' => Math("\\varsigma"),
        'τ' => Math("\\tau"),
        'υ' => Math("\\upsilon"),
        'φ' => Math("\\varphi"),
        'ϕ' => Math("\\phi"),
        'χ' => Math("\\chi"),
        'ψ' => Math("\\psi"),
        'ω' => Math("\\omega"),
        'Γ' => Math("\\Gamma"),
        'Δ' => Math("\\Delta"),
        'Θ' => Math("\\Theta"),
        'Λ' => Math("\\Lambda"),
        'Ξ' => Math("\\Xi"),
        'Π' => Math("\\Pi"),
        'Σ' => Math("\\Sigma"),
        'Υ' => Math("\\Upsilon"),
        'Φ' => Math("\\Phi"),
        'Ψ' => Math("\\Psi"),
        'Ω' => Math("\\Omega"),
        'Α' => Math("\\mathrm{A}"),
        'Β' => Math("\\mathrm{B}"),
        'Ε' => Math("\\mathrm{E}"),
        'Ζ' => Math("\\mathrm{Z}"),
        'Η' => Math("\\mathrm{H}"),
        'Ι' => Math("\\mathrm{I}"),
        'Κ' => Math("\\mathrm{K}"),
        'Μ' => Math("\\mathrm{M}"),
        'Ν' => Math("\\mathrm{N}"),
        'Ο' => Math("\\mathrm{O}"),
        'Ρ' => Math("\\mathrm{P}"),
        'Τ' => Math("\\mathrm{T}"),
        'Χ' => Math("\\mathrm{X}"),
        _ => return None,
    })
}

/// Operators, relations, arrows and other signs of math.
fn math_sign(c: char) -> Option<Translation> {
    use Translation::*;
    Some(match c {
        '−' => Math("-"),
        '×' => Math("\\times"),
        '·' | '⋅' => Math("\\cdot"),
        '÷' => Math("\\div"),
        '±' => Math("\\pm"),
        '∓' => Math("\\mp"),
        '∗' => Math("*"),
        '∘' => Math("\\circ"),
        '•' | '∙' => Math("\\bullet"),
        '≈' => Math("\\approx"),
        '≠' => Math("\\neq"),
        '≤' => Math("\\leq"),
        '≥' => Math("\\geq"),
        '≪' => Math("\\ll"),
        '≫' => Math("\\gg"),
        '≡' => Math("\\equiv"),
        '∼' => Math("\\sim"),
        '≃' => Math("\\simeq"),
        '∝' => Math("\\propto"),
        '←' => Math("\\leftarrow"),
        '→' => Math("\\rightarrow"),
        '↔' => Math("\\leftrightarrow"),
        '↑' => Math("\\uparrow"),
        '↓' => Math("\\downarrow"),
        '⇐' => Math("\\Leftarrow"),
        '⇒' => Math("\\Rightarrow"),
        '⇔' => Math("\\Leftrightarrow"),
        '↦' => Math("\\mapsto"),
        '∂' => Math("\\partial"),
        '∇' => Math("\\nabla"),
        '√' => Math("\\surd"),
        '∞' => Math("\\infty"),
        '∑' => Math("\\sum"),
        '∏' => Math("\\prod"),
        '∫' => Math("\\int"),
        '∈' => Math("\\in"),
        '∉' => Math("\\notin"),
        '∋' => Math("\\ni"),
        '⊂' => Math("\\subset"),
        '⊆' => Math("\\subseteq"),
        '∪' => Math("\\cup"),
        '∩' => Math("\\cap"),
        '∅' => Math("\\emptyset"),
        '∀' => Math("\\forall"),
        '∃' => Math("\\exists"),
        '¬' => Math("\\neg"),
        '∧' => Math("\\wedge"),
        '∨' => Math("\\vee"),
        '⌊' => Math("\\lfloor"),
        '⌋' => Math("\\rfloor"),
        '⌈' => Math("\\lceil"),
        '⌉' => Math("\\rceil"),
        '⟨' => Math("\\langle"),
        '⟩' => Math("\\rangle"),
        '‖' => Math("\\|"),
        '⋯' => Math("\\cdots"),
        'ℓ' => Math("\\ell"),
        'ℝ' => Math("\\mathbf{R}"),
        'ℕ' => Math("\\mathbf{N}"),
        'ℤ' => Math("\\mathbf{Z}"),
        '½' => Math("\\tfrac{1}{2}"),
        '¼' => Math("\\tfrac{1}{4}"),
        '¾' => Math("\\tfrac{3}{4}"),
        '′' => Sup("\\prime"),
        '″' => Sup("\\prime\\prime"),
        '°' => Sup("\\circ"),
        _ => return None,
    })
}

/// Subscript characters.
fn subscript(c: char) -> Option<Translation> {
    use Translation::*;
    Some(match c {
        '₀' => Sub("0"),
        '₁' => Sub("1"),
        '₂' => Sub("2"),
        '₃' => Sub("3"),
        '₄' => Sub("4"),
        '₅' => Sub("5"),
        '₆' => Sub("6"),
        '₇' => Sub("7"),
        '₈' => Sub("8"),
        '₉' => Sub("9"),
        '₊' => Sub("+"),
        '₋' => Sub("-"),
        '₌' => Sub("="),
        '₍' => Sub("("),
        '₎' => Sub(")"),
        'ₐ' => Sub("a"),
        'ₑ' => Sub("e"),
        'ₒ' => Sub("o"),
        'ₓ' => Sub("x"),
        'ₕ' => Sub("h"),
        'ᵢ' => Sub("i"),
        'ⱼ' => Sub("j"),
        'ₖ' => Sub("k"),
        'ₗ' => Sub("l"),
        'ₘ' => Sub("m"),
        'ₙ' => Sub("n"),
        'ₚ' => Sub("p"),
        'ᵣ' => Sub("r"),
        'ₛ' => Sub("s"),
        'ₜ' => Sub("t"),
        'ᵤ' => Sub("u"),
        'ᵥ' => Sub("v"),
        _ => return None,
    })
}

/// Superscript characters.
fn superscript(c: char) -> Option<Translation> {
    use Translation::*;
    Some(match c {
        '⁰' => Sup("0"),
        '¹' => Sup("1"),
        '²' => Sup("2"),
        '³' => Sup("3"),
        '⁴' => Sup("4"),
        '⁵' => Sup("5"),
        '⁶' => Sup("6"),
        '⁷' => Sup("7"),
        '⁸' => Sup("8"),
        '⁹' => Sup("9"),
        '⁺' => Sup("+"),
        '⁻' => Sup("-"),
        '⁼' => Sup("="),
        '⁽' => Sup("("),
        '⁾' => Sup(")"),
        'ᵀ' => Sup("T"),
        'ᵃ' => Sup("a"),
        'ᵇ' => Sup("b"),
        'ᶜ' => Sup("c"),
        'ᵈ' => Sup("d"),
        'ᵉ' => Sup("e"),
        'ᶠ' => Sup("f"),
        'ᵍ' => Sup("g"),
        'ʰ' => Sup("h"),
        'ⁱ' => Sup("i"),
        'ʲ' => Sup("j"),
        'ᵏ' => Sup("k"),
        'ˡ' => Sup("l"),
        'ᵐ' => Sup("m"),
        'ⁿ' => Sup("n"),
        'ᵒ' => Sup("o"),
        'ᵖ' => Sup("p"),
        'ʳ' => Sup("r"),
        'ˢ' => Sup("s"),
        'ᵗ' => Sup("t"),
        'ᵘ' => Sup("u"),
        'ᵛ' => Sup("v"),
        'ʷ' => Sup("w"),
        'ˣ' => Sup("x"),
        'ʸ' => Sup("y"),
        'ᶻ' => Sup("z"),
        _ => return None,
    })
}

/// Combining accents.
fn combining_accent(c: char) -> Option<Translation> {
    use Translation::*;
    Some(match c {
        '\u{300}' => Accent("\\grave"),
        '\u{301}' => Accent("\\acute"),
        '\u{302}' => Accent("\\hat"),
        '\u{303}' => Accent("\\tilde"),
        '\u{304}' | '\u{305}' => Accent("\\bar"),
        '\u{306}' => Accent("\\breve"),
        '\u{307}' => Accent("\\dot"),
        '\u{308}' => Accent("\\ddot"),
        '\u{30C}' => Accent("\\check"),
        '\u{20D7}' => Accent("\\vec"),
        _ => return None,
    })
}

/// Text: letters, dashes, quotes, spaces, signs.
fn text_sign(c: char) -> Option<Translation> {
    use Translation::*;
    Some(match c {
        'ß' => Text("\\ss{}"),
        'æ' => Text("\\ae{}"),
        'Æ' => Text("\\AE{}"),
        'œ' => Text("\\oe{}"),
        'Œ' => Text("\\OE{}"),
        'ø' => Text("\\o{}"),
        'Ø' => Text("\\O{}"),
        'å' => Text("\\aa{}"),
        'Å' => Text("\\AA{}"),
        'ł' => Text("\\l{}"),
        'Ł' => Text("\\L{}"),
        'ı' => Text("\\i{}"),
        '‐' | '‑' => Text("-"),
        '–' | '‒' => Text("--"),
        '—' | '―' => Text("---"),
        '‘' | '‚' | '‹' => Text("`"),
        '’' | '›' => Text("'"),
        '“' | '„' | '«' => Text("``"),
        '”' | '»' => Text("''"),
        '…' => Text("\\ldots{}"),
        '§' => Text("\\S{}"),
        '¶' => Text("\\P{}"),
        '†' => Text("\\dag{}"),
        '‡' => Text("\\ddag{}"),
        '©' => Text("\\copyright{}"),
        '£' => Text("\\pounds{}"),
        '¡' => Text("!`"),
        '¿' => Text("?`"),
        '\u{A0}' => Text("~"),
        '\u{2009}' | '\u{202F}' | '\u{200A}' => Text("\\,"),
        '\u{2002}'..='\u{2008}' => Text(" "),
        '\u{AD}' => Text("\\-"),
        '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => Drop,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::running_text;

    /// Expected values are the LaTeX one writes by hand for each character (the LaTeX manual's
    /// commands: `\beta`, `_{…}`, `` \`{e} ``, `--`, `\hat{…}`).
    #[test]
    fn running_text_writes_each_character_as_latex() {
        for (text, tex) in [
            ("α: 0.2", "$\\alpha$: 0.2"),
            ("β₁", "$\\beta_{1}$"),
            ("v₀: 0.1", "$v_{0}$: 0.1"),
            ("1e-8 or 10⁻⁸", "1e-8 or $10^{-8}$"),
            ("x₁₂", "$x_{12}$"),
            ("x₁²₃", "$x_{1}^{2}{}_{3}$"),
            ("abc₁", "abc$_{1}$"),
            ("m\u{302}", "$\\hat{m}$"),
            ("−∂E/∂w", "$-\\partial$E/$\\partial$w"),
            ("√(s + ε)", "$\\surd$(s + $\\epsilon$)"),
            ("φ′(η)", "$\\varphi^{\\prime}$($\\eta$)"),
            ("αx", "$\\alpha$x"),
            ("Polak–Ribière", "Polak--Ribi\\`{e}re"),
            ("naïve", "na\\\"{\\i}ve"),
            ("a_b {c} 50% & #1 $", "a\\_b \\{c\\} 50\\% \\& \\#1 \\$"),
            ("\\ ^ ~ < > |", "$\\backslash$ \\^{} \\~{} $<$ $>$ $|$"),
            ("say \"x\"", "say ``x''"),
            ("€ \u{7}", "\\texttt{[U+20AC]} \\texttt{[U+0007]}"),
            ("a\u{200B}b", "ab"),
        ] {
            assert_eq!(running_text(text), tex, "{text}");
        }
    }

    #[test]
    fn every_character_becomes_ascii() {
        let every: String = (0u32..0x11_0000).filter_map(char::from_u32).collect();
        assert!(running_text(&every).is_ascii());
    }
}

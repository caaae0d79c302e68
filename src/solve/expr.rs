//! Worked-line expressions: one tree per line whose leaves carry both a symbol and the number
//! used, so the symbolic formula, the substitution and the value all come from the same place —
//! the value *is* the evaluation of the substitution, which keeps the shown numbers honest.

use std::fmt::Write;

pub use super::number::{
    decimal_digits, format_number, round_decimals, round_significant, write_number, Precision,
    Sink, DEFAULT_PRECISION,
};

/// An arithmetic expression over named quantities and literal numbers.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A named quantity: shown by `symbol` (LaTeX notation) in the formula and by its value in
    /// the substitution.
    Quantity {
        symbol: String,
        value: f64,
    },
    /// A literal number, shown as itself in both.
    Literal(f64),
    Add(Box<Expr>, Box<Expr>),
    Sub(Box<Expr>, Box<Expr>),
    Mul(Box<Expr>, Box<Expr>),
    Div(Box<Expr>, Box<Expr>),
    Neg(Box<Expr>),
    Sqrt(Box<Expr>),
    Square(Box<Expr>),
    Exp(Box<Expr>),
    Tanh(Box<Expr>),
    Ln(Box<Expr>),
    /// `max(a, b)`.
    Max(Box<Expr>, Box<Expr>),
    /// `a^n` for a whole exponent `n ≥ 0` (step decay's `drop_rate^⌊e / epochs_drop⌋`).
    Power(Box<Expr>, Box<Expr>),
}

/// A named quantity.
pub fn q(symbol: impl Into<String>, value: f64) -> Expr {
    Expr::Quantity {
        symbol: symbol.into(),
        value,
    }
}

/// A literal number.
pub fn lit(value: f64) -> Expr {
    Expr::Literal(value)
}

macro_rules! binary {
    ($name:ident, $variant:ident) => {
        pub fn $name(a: Expr, b: Expr) -> Expr {
            Expr::$variant(Box::new(a), Box::new(b))
        }
    };
}
macro_rules! unary {
    ($name:ident, $variant:ident) => {
        pub fn $name(a: Expr) -> Expr {
            Expr::$variant(Box::new(a))
        }
    };
}
binary!(add, Add);
binary!(sub, Sub);
binary!(mul, Mul);
binary!(div, Div);
binary!(max, Max);
binary!(pow, Power);
unary!(neg, Neg);
unary!(sqrt, Sqrt);
unary!(square, Square);
unary!(exp, Exp);
unary!(tanh, Tanh);
unary!(ln, Ln);

/// `a₁ + a₂ + …` (0 for an empty list).
pub fn sum(terms: Vec<Expr>) -> Expr {
    let mut iter = terms.into_iter();
    match iter.next() {
        None => lit(0.0),
        Some(first) => iter.fold(first, add),
    }
}

impl Expr {
    /// The value of the expression with the numbers its leaves carry.
    pub fn eval(&self) -> f64 {
        match self {
            Expr::Quantity { value, .. } => *value,
            Expr::Literal(v) => *v,
            Expr::Add(a, b) => a.eval() + b.eval(),
            Expr::Sub(a, b) => a.eval() - b.eval(),
            Expr::Mul(a, b) => a.eval() * b.eval(),
            Expr::Div(a, b) => a.eval() / b.eval(),
            Expr::Neg(a) => -a.eval(),
            Expr::Sqrt(a) => a.eval().sqrt(),
            Expr::Square(a) => {
                let v = a.eval();
                v * v
            }
            Expr::Exp(a) => a.eval().exp(),
            Expr::Tanh(a) => a.eval().tanh(),
            Expr::Ln(a) => a.eval().ln(),
            Expr::Max(a, b) => a.eval().max(b.eval()),
            Expr::Power(a, n) => {
                let n = n.eval();
                if n >= 0.0 && n.fract() == 0.0 && n <= u64::MAX as f64 {
                    power(a.eval(), n as u64)
                } else {
                    a.eval().powf(n)
                }
            }
        }
    }

    /// The formula in symbols, plain text.
    pub fn formula_text(&self) -> String {
        self.render(Style {
            symbolic: true,
            tex: false,
            precision: Precision::Full,
        })
    }

    /// The formula in symbols, LaTeX.
    pub fn formula_tex(&self) -> String {
        self.render(Style {
            symbolic: true,
            tex: true,
            precision: Precision::Full,
        })
    }

    /// The formula with its numbers, plain text.
    pub fn substitution_text(&self, precision: Precision) -> String {
        self.render(Style {
            symbolic: false,
            tex: false,
            precision,
        })
    }

    /// The formula with its numbers, LaTeX.
    pub fn substitution_tex(&self, precision: Precision) -> String {
        self.render(Style {
            symbolic: false,
            tex: true,
            precision,
        })
    }

    fn render(&self, style: Style) -> String {
        let mut out = String::new();
        self.write(style, Slot::Top, &mut out);
        out
    }

    /// Binding strength: 1 sums, 2 products, 3 unary minus, 4 atoms.
    fn precedence(&self, style: Style) -> u8 {
        match self {
            Expr::Add(..) | Expr::Sub(..) => 1,
            Expr::Mul(..) => 2,
            Expr::Div(..) if style.tex => 4,
            Expr::Div(..) => 2,
            Expr::Neg(..) => 3,
            Expr::Quantity { value, .. } if !style.symbolic && is_negative(*value) => 3,
            Expr::Literal(v) if is_negative(*v) => 3,
            _ => 4,
        }
    }

    fn write(&self, style: Style, slot: Slot, out: &mut String) {
        let needed = match slot {
            Slot::Top | Slot::Argument => 0,
            Slot::SumLeft => 1,
            Slot::SumRight => 2,
            Slot::Factor => 2,
            Slot::Divisor => 3,
            Slot::Base => 4,
        };
        // A negative number after an operator reads better in brackets: `0.5 + (−0.2)`.
        let needed = if matches!(slot, Slot::SumLeft | Slot::Factor) && self.leads_with_minus(style)
        {
            needed.max(match slot {
                Slot::SumLeft => 1,
                _ => 3,
            })
        } else {
            needed
        };
        let own = self.precedence(style);
        let parens = own < needed || (own == 3 && matches!(slot, Slot::Factor | Slot::SumRight));
        if parens {
            out.push_str(if style.tex { "\\left(" } else { "(" });
        }
        self.write_bare(style, out);
        if parens {
            out.push_str(if style.tex { "\\right)" } else { ")" });
        }
    }

    fn leads_with_minus(&self, style: Style) -> bool {
        match self {
            Expr::Neg(_) => true,
            Expr::Literal(v) => is_negative(*v),
            Expr::Quantity { value, .. } => !style.symbolic && is_negative(*value),
            _ => false,
        }
    }

    fn write_bare(&self, style: Style, out: &mut String) {
        let minus = if style.tex { " - " } else { " − " };
        match self {
            Expr::Quantity { symbol, value } => {
                if style.symbolic {
                    out.push_str(&if style.tex {
                        symbol.clone()
                    } else {
                        tex_to_text(symbol)
                    });
                } else {
                    out.push_str(&format_number(*value, style.precision, style.tex));
                }
            }
            Expr::Literal(v) => out.push_str(&format_number(*v, style.precision, style.tex)),
            Expr::Add(a, b) => {
                a.write(style, Slot::SumLeft, out);
                out.push_str(" + ");
                b.write(style, Slot::SumRight, out);
            }
            Expr::Sub(a, b) => {
                a.write(style, Slot::SumLeft, out);
                out.push_str(minus);
                b.write(style, Slot::SumRight, out);
            }
            Expr::Mul(a, b) => {
                a.write(style, Slot::Factor, out);
                out.push_str(match (style.symbolic, style.tex) {
                    (true, _) => " ",
                    (false, true) => " \\times ",
                    (false, false) => " × ",
                });
                b.write(style, Slot::Factor, out);
            }
            Expr::Div(a, b) => {
                if style.tex {
                    out.push_str("\\frac{");
                    a.write(style, Slot::Top, out);
                    out.push_str("}{");
                    b.write(style, Slot::Top, out);
                    out.push('}');
                } else {
                    a.write(style, Slot::Factor, out);
                    out.push_str(" / ");
                    b.write(style, Slot::Divisor, out);
                }
            }
            Expr::Neg(a) => {
                out.push_str(if style.tex { "-" } else { "−" });
                // −k e needs no brackets (a product's sign is its first factor's); −(a + b) does.
                a.write(style, Slot::Factor, out);
            }
            Expr::Sqrt(a) => {
                if style.tex {
                    out.push_str("\\sqrt{");
                    a.write(style, Slot::Top, out);
                    out.push('}');
                } else {
                    out.push_str("√(");
                    a.write(style, Slot::Argument, out);
                    out.push(')');
                }
            }
            Expr::Square(a) => {
                if style.tex {
                    out.push('{');
                    a.write(style, Slot::Base, out);
                    out.push_str("}^{2}");
                } else {
                    a.write(style, Slot::Base, out);
                    out.push('²');
                }
            }
            Expr::Exp(a) => function(style, "exp", &[a], out),
            Expr::Tanh(a) => function(style, "tanh", &[a], out),
            Expr::Ln(a) => function(style, "ln", &[a], out),
            Expr::Max(a, b) => function(style, "max", &[a, b], out),
            Expr::Power(a, n) => {
                if style.tex {
                    out.push('{');
                    a.write(style, Slot::Base, out);
                    out.push_str("}^{");
                    n.write(style, Slot::Top, out);
                    out.push('}');
                } else {
                    a.write(style, Slot::Base, out);
                    out.push('^');
                    n.write(style, Slot::Base, out);
                }
            }
        }
    }
}

fn function(style: Style, name: &str, args: &[&Expr], out: &mut String) {
    if style.tex {
        let _ = write!(out, "\\{name}\\left(");
    } else {
        let _ = write!(out, "{name}(");
    }
    for (i, arg) in args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        arg.write(style, Slot::Argument, out);
    }
    out.push_str(if style.tex { "\\right)" } else { ")" });
}

fn is_negative(v: f64) -> bool {
    v < 0.0 || (v == 0.0 && v.is_sign_negative())
}

#[derive(Debug, Clone, Copy)]
struct Style {
    symbolic: bool,
    tex: bool,
    precision: Precision,
}

/// Where a subexpression sits, which decides whether it needs brackets.
#[derive(Debug, Clone, Copy)]
enum Slot {
    Top,
    Argument,
    SumLeft,
    SumRight,
    Factor,
    Divisor,
    Base,
}

/// LaTeX symbol notation to plain text: `\beta` → `β`, `\hat{v}` → `v̂`.
pub fn tex_to_text(tex: &str) -> String {
    const GREEK: [(&str, &str); 9] = [
        ("\\alpha", "α"),
        ("\\beta", "β"),
        ("\\rho", "ρ"),
        ("\\epsilon", "ε"),
        ("\\varepsilon", "ε"),
        ("\\eta", "η"),
        ("\\lambda", "λ"),
        ("\\Delta", "Δ"),
        ("\\sigma", "σ"),
    ];
    let mut text = expand_commands(tex);
    while let Some(start) = text.find("\\hat{") {
        let inner_start = start + "\\hat{".len();
        let Some(len) = text[inner_start..].find('}') else {
            break;
        };
        let inner = text[inner_start..inner_start + len].to_string();
        let replaced = format!("{}\u{302}", tex_to_text(&inner));
        text.replace_range(start..inner_start + len + 1, &replaced);
    }
    for (from, to) in GREEK {
        text = text.replace(from, to);
    }
    for (from, to) in [
        ("\\arg\\min", "argmin"),
        ("\\times", "×"),
        ("\\approx", "≈"),
        ("\\left", ""),
        ("\\right", ""),
        ("\\in", "∈"),
        ("\\tilde{w}", "w\u{303}"),
        ("\\tilde{b}", "b\u{303}"),
        ("\\text", ""),
        ("\\_", "_"),
        ("\\lfloor ", "⌊"),
        (" \\rfloor", "⌋"),
        ("\\rfloor", "⌋"),
        ("\\lfloor", "⌊"),
    ] {
        text = text.replace(from, to);
    }
    text.replace("\\max", "max").replace(['{', '}'], "")
}

/// `\frac{a}{b}` → `(a) / (b)` and `\sqrt{a}` → `√(a)`, for plain text.
fn expand_commands(tex: &str) -> String {
    let mut text = tex.to_string();
    for (command, arguments) in [("\\frac{", 2), ("\\sqrt{", 1)] {
        while let Some(start) = text.find(command) {
            let mut parts = Vec::new();
            let mut at = start + command.len() - 1;
            for _ in 0..arguments {
                let Some(end) = matching_brace(&text, at) else {
                    return text;
                };
                parts.push(text[at + 1..end].to_string());
                at = end + 1;
            }
            let replacement = match parts.as_slice() {
                [a, b] => format!("({a}) / ({b})"),
                [a] => format!("√({a})"),
                _ => return text,
            };
            text.replace_range(start..at, &replacement);
        }
    }
    text
}

/// The index of the `}` that closes the `{` at `open`.
fn matching_brace(text: &str, open: usize) -> Option<usize> {
    if text.as_bytes().get(open) != Some(&b'{') {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in text[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + i);
                }
            }
            _ => {}
        }
    }
    None
}

/// `base^exponent` by repeated squaring: only multiplications, each correctly rounded, so every
/// platform gives the same digits (unlike `powi`), in at most 128 of them for any `u64`.
pub fn power(base: f64, exponent: u64) -> f64 {
    let (mut result, mut square, mut remaining) = (1.0, base, exponent);
    while remaining > 0 {
        if remaining & 1 == 1 {
            result *= square;
        }
        square *= square;
        remaining >>= 1;
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitution_shows_numbers_and_formula_shows_symbols() {
        let e = add(
            mul(q("w_1", 0.5), q("x_1", 1.0)),
            mul(q("w_2", 0.5), q("x_2", 0.6)),
        );
        assert_eq!(e.formula_text(), "w_1 x_1 + w_2 x_2");
        assert_eq!(e.substitution_text(Precision::Full), "0.5 × 1 + 0.5 × 0.6");
        assert_eq!(
            e.substitution_tex(Precision::Full),
            "0.5 \\times 1 + 0.5 \\times 0.6"
        );
        assert!((e.eval() - 0.8).abs() < 1e-15);
    }

    #[test]
    fn negative_numbers_are_bracketed_after_an_operator() {
        let e = sub(q("w", 0.5), mul(q("\\alpha", 0.2), q("v", -0.25)));
        assert_eq!(e.substitution_text(Precision::Full), "0.5 − 0.2 × (−0.25)");
        assert_eq!(e.formula_text(), "w − α v");
        let s = square(q("g", -0.5));
        assert_eq!(s.substitution_text(Precision::Full), "(−0.5)²");
    }

    #[test]
    fn rounding_is_half_away_from_zero_on_the_printed_decimal() {
        assert_eq!(round_decimals(0.0045, 3), 0.005);
        assert_eq!(round_decimals(-0.0045, 3), -0.005);
        assert_eq!(round_decimals(2.675, 2), 2.68);
        assert_eq!(round_significant(0.68997448, 4), 0.69);
        assert_eq!(round_significant(999.96, 4), 1000.0);
        assert_eq!(round_decimals(0.0004, 3), 0.0);
        assert_eq!(round_decimals(0.0005, 3), 0.001);
        assert_eq!(round_significant(123456.0, 2), 120000.0);
    }

    #[test]
    fn numbers_display_positionally_or_scientifically() {
        assert_eq!(format_number(1e-8, Precision::Full, false), "1e-8");
        assert_eq!(format_number(1e-8, Precision::Full, true), "10^{-8}");
        assert_eq!(format_number(0.000554, Precision::Full, false), "0.000554");
        assert_eq!(
            format_number(0.68997448, Precision::Significant(4), false),
            "0.69"
        );
        assert_eq!(
            format_number(-2.5e20, Precision::Full, true),
            "-2.5 \\times 10^{20}"
        );
        assert_eq!(format_number(1200.0, Precision::Full, false), "1200");
    }

    #[test]
    fn hats_and_greek_letters_read_as_text() {
        assert_eq!(tex_to_text("(\\hat{v}_1)_2"), "(v\u{302}_1)_2");
        assert_eq!(tex_to_text("\\beta_1^{t}"), "β_1^t");
        assert_eq!(
            tex_to_text("w - \\frac{0.2}{\\sqrt{0.000399}} \\times 2 \\approx 1"),
            "w - (0.2) / (√(0.000399)) × 2 ≈ 1"
        );
        assert_eq!(
            tex_to_text("\\text{drop\\_rate}^{\\lfloor e / 5 \\rfloor}"),
            "drop_rate^⌊e / 5⌋"
        );
    }
}

//! Worked-line expressions: one tree per line whose leaves carry both a symbol and the number
//! used, so the symbolic formula, the substitution and the value all come from the same place —
//! the value *is* the evaluation of the substitution, which keeps the shown numbers honest.
//!
//! Formulas are written once, against [`Num`]: `f64` reads them as plain arithmetic, and
//! [`Expr`] reads them as that same arithmetic (each operator computes its `f64` value exactly
//! as `f64` does, in the same order, so both readings give the same bits) while also recording
//! the tree in a per-thread arena. A worked line keeps a compact copy of its tree
//! ([`LineExpr`]); its text is written only when a response is.

use std::cell::RefCell;
use std::ops::{Add, Div, Mul, Neg, Sub};

pub use super::number::{
    decimal_digits, format_number, round_decimals, round_significant, write_number, Precision,
    Sink, DEFAULT_PRECISION,
};
use super::number::{displayed, write_display, Display};
pub use super::symbol::Symbol;

/// One node of an expression tree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Node {
    /// A named quantity: shown by its symbol in the formula and by its value in the
    /// substitution.
    Quantity(Symbol, f64),
    /// A literal number, shown as itself in both.
    Literal(f64),
    Unary(Unary, u32),
    Binary(Binary, u32, u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unary {
    Neg,
    Sqrt,
    Square,
    Exp,
    Tanh,
    Ln,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binary {
    Add,
    Sub,
    Mul,
    Div,
    /// `max(a, b)`.
    Max,
    /// `a^n` for a whole exponent `n ≥ 0` (step decay's `drop_rate^⌊e / epochs_drop⌋`).
    Power,
}

/// Arithmetic that formulas are written in: `f64` (the values reading) or [`Expr`] (the worked
/// lines). Every operation of both computes the same `f64` the same way.
pub trait Num:
    Copy
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
    + Neg<Output = Self>
{
    /// A named quantity with its value.
    fn q(symbol: Symbol, value: f64) -> Self;
    /// A literal number.
    fn lit(value: f64) -> Self;
    fn sqrt(self) -> Self;
    fn square(self) -> Self;
    fn exp(self) -> Self;
    fn tanh(self) -> Self;
    fn ln(self) -> Self;
    fn max(self, other: Self) -> Self;
    /// `self^n`, `n` a whole number (else `powf`).
    fn pow(self, n: Self) -> Self;
    /// The number.
    fn value(self) -> f64;
}

/// `a^n` as the trace computes it: repeated squaring for a whole `n ≥ 0`, else `powf`.
pub fn pow_value(a: f64, n: f64) -> f64 {
    if n >= 0.0 && n.fract() == 0.0 && n <= u64::MAX as f64 {
        power(a, n as u64)
    } else {
        a.powf(n)
    }
}

fn square_value(v: f64) -> f64 {
    v * v
}

impl Num for f64 {
    #[inline(always)]
    fn q(_: Symbol, value: f64) -> f64 {
        value
    }
    #[inline(always)]
    fn lit(value: f64) -> f64 {
        value
    }
    #[inline(always)]
    fn sqrt(self) -> f64 {
        f64::sqrt(self)
    }
    #[inline(always)]
    fn square(self) -> f64 {
        square_value(self)
    }
    #[inline(always)]
    fn exp(self) -> f64 {
        f64::exp(self)
    }
    #[inline(always)]
    fn tanh(self) -> f64 {
        f64::tanh(self)
    }
    #[inline(always)]
    fn ln(self) -> f64 {
        f64::ln(self)
    }
    #[inline(always)]
    fn max(self, other: f64) -> f64 {
        f64::max(self, other)
    }
    #[inline(always)]
    fn pow(self, n: f64) -> f64 {
        pow_value(self, n)
    }
    #[inline(always)]
    fn value(self) -> f64 {
        self
    }
}

/// `a₁ + a₂ + …`, left to right (0 for no terms).
#[inline]
pub fn sum<N: Num>(terms: impl IntoIterator<Item = N>) -> N {
    let mut iter = terms.into_iter();
    match iter.next() {
        None => N::lit(0.0),
        Some(first) => iter.fold(first, |total, term| total + term),
    }
}

/// The nodes of the expressions built on this thread, and scratch space to copy one out.
struct Arena {
    nodes: Vec<Node>,
    stack: Vec<(u32, bool)>,
    done: Vec<u32>,
    out: Vec<Node>,
}

thread_local! {
    static ARENA: RefCell<Arena> = const {
        RefCell::new(Arena {
            nodes: Vec::new(),
            stack: Vec::new(),
            done: Vec::new(),
            out: Vec::new(),
        })
    };
}

fn push(node: Node) -> u32 {
    ARENA.with(|arena| {
        let mut arena = arena.borrow_mut();
        arena.nodes.push(node);
        u32::try_from(arena.nodes.len() - 1).unwrap_or(u32::MAX)
    })
}

/// While alive, the expressions built on this thread are kept; dropping it forgets those built
/// since it began (scopes nest). An [`Expr`] must not outlive the scope it was built in.
#[derive(Debug)]
pub struct ArenaScope {
    start: usize,
}

impl ArenaScope {
    pub fn enter() -> ArenaScope {
        ArenaScope {
            start: ARENA.with(|arena| arena.borrow().nodes.len()),
        }
    }
}

impl Drop for ArenaScope {
    fn drop(&mut self) {
        ARENA.with(|arena| {
            if let Ok(mut arena) = arena.try_borrow_mut() {
                arena.nodes.truncate(self.start);
            }
        });
    }
}

/// An expression under construction: its value, and its tree in this thread's arena.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expr {
    id: u32,
    value: f64,
}

impl Expr {
    fn unary(self, op: Unary, value: f64) -> Expr {
        Expr {
            id: push(Node::Unary(op, self.id)),
            value,
        }
    }

    fn binary(self, op: Binary, other: Expr, value: f64) -> Expr {
        Expr {
            id: push(Node::Binary(op, self.id, other.id)),
            value,
        }
    }

    /// A compact copy of the tree, to keep beyond the arena's scope.
    pub fn capture(self) -> LineExpr {
        ARENA.with(|arena| {
            let mut arena = arena.borrow_mut();
            let Arena {
                nodes,
                stack,
                done,
                out,
            } = &mut *arena;
            stack.clear();
            done.clear();
            out.clear();
            // Post-order, iteratively: a sum of a million terms is a deep tree.
            stack.push((self.id, false));
            while let Some((id, expanded)) = stack.pop() {
                let node = nodes
                    .get(id as usize)
                    .copied()
                    .unwrap_or(Node::Literal(f64::NAN));
                let local = match node {
                    Node::Quantity(..) | Node::Literal(_) => node,
                    Node::Unary(op, a) => {
                        if !expanded {
                            stack.push((id, true));
                            stack.push((a, false));
                            continue;
                        }
                        Node::Unary(op, done.pop().unwrap_or(0))
                    }
                    Node::Binary(op, a, b) => {
                        if !expanded {
                            stack.push((id, true));
                            stack.push((b, false));
                            stack.push((a, false));
                            continue;
                        }
                        let b = done.pop().unwrap_or(0);
                        let a = done.pop().unwrap_or(0);
                        Node::Binary(op, a, b)
                    }
                };
                out.push(local);
                done.push(u32::try_from(out.len() - 1).unwrap_or(u32::MAX));
            }
            LineExpr {
                nodes: out.as_slice().into(),
            }
        })
    }
}

impl Num for Expr {
    fn q(symbol: Symbol, value: f64) -> Expr {
        Expr {
            id: push(Node::Quantity(symbol, value)),
            value,
        }
    }
    fn lit(value: f64) -> Expr {
        Expr {
            id: push(Node::Literal(value)),
            value,
        }
    }
    fn sqrt(self) -> Expr {
        self.unary(Unary::Sqrt, self.value.sqrt())
    }
    fn square(self) -> Expr {
        self.unary(Unary::Square, square_value(self.value))
    }
    fn exp(self) -> Expr {
        self.unary(Unary::Exp, self.value.exp())
    }
    fn tanh(self) -> Expr {
        self.unary(Unary::Tanh, self.value.tanh())
    }
    fn ln(self) -> Expr {
        self.unary(Unary::Ln, self.value.ln())
    }
    fn max(self, other: Expr) -> Expr {
        self.binary(Binary::Max, other, self.value.max(other.value))
    }
    fn pow(self, n: Expr) -> Expr {
        self.binary(Binary::Power, n, pow_value(self.value, n.value))
    }
    fn value(self) -> f64 {
        self.value
    }
}

macro_rules! operator {
    ($trait:ident, $method:ident, $op:tt, $variant:ident) => {
        impl $trait for Expr {
            type Output = Expr;
            fn $method(self, other: Expr) -> Expr {
                self.binary(Binary::$variant, other, self.value $op other.value)
            }
        }
    };
}
operator!(Add, add, +, Add);
operator!(Sub, sub, -, Sub);
operator!(Mul, mul, *, Mul);
operator!(Div, div, /, Div);

impl Neg for Expr {
    type Output = Expr;
    fn neg(self) -> Expr {
        self.unary(Unary::Neg, -self.value)
    }
}

/// A worked line's expression: its tree in post-order, the root last.
#[derive(Debug, Clone, PartialEq)]
pub struct LineExpr {
    nodes: Box<[Node]>,
}

impl LineExpr {
    /// The nodes, in post-order (every node after its operands, the root last).
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The value of the expression with the numbers its leaves carry.
    pub fn eval(&self) -> f64 {
        let mut values: Vec<f64> = Vec::with_capacity(self.nodes.len());
        for node in self.nodes.iter() {
            let at = |i: u32| values.get(i as usize).copied().unwrap_or(f64::NAN);
            let value = match *node {
                Node::Quantity(_, v) | Node::Literal(v) => v,
                Node::Unary(op, a) => {
                    let a = at(a);
                    match op {
                        Unary::Neg => -a,
                        Unary::Sqrt => a.sqrt(),
                        Unary::Square => square_value(a),
                        Unary::Exp => a.exp(),
                        Unary::Tanh => a.tanh(),
                        Unary::Ln => a.ln(),
                    }
                }
                Node::Binary(op, a, b) => {
                    let (a, b) = (at(a), at(b));
                    match op {
                        Binary::Add => a + b,
                        Binary::Sub => a - b,
                        Binary::Mul => a * b,
                        Binary::Div => a / b,
                        Binary::Max => a.max(b),
                        Binary::Power => pow_value(a, b),
                    }
                }
            };
            values.push(value);
        }
        values.last().copied().unwrap_or(f64::NAN)
    }

    /// The formula in symbols, plain text.
    pub fn formula_text(&self) -> String {
        self.render(Style::formula(false))
    }

    /// The formula in symbols, LaTeX.
    pub fn formula_tex(&self) -> String {
        self.render(Style::formula(true))
    }

    /// The formula with its numbers, plain text.
    pub fn substitution_text(&self, precision: Precision) -> String {
        self.render(Style::substitution(false, precision))
    }

    /// The formula with its numbers, LaTeX.
    pub fn substitution_tex(&self, precision: Precision) -> String {
        self.render(Style::substitution(true, precision))
    }

    pub fn write_formula(&self, out: &mut impl Sink, tex: bool) {
        self.write_root(Style::formula(tex), out);
    }

    pub fn write_substitution(&self, out: &mut impl Sink, precision: Precision, tex: bool) {
        self.write_root(Style::substitution(tex, precision), out);
    }

    /// How each leaf's number shows at `precision`, by node (what the substitutions write),
    /// worked out once for both of them.
    pub fn shown_numbers(&self, precision: Precision, shown: &mut Vec<Display>) {
        shown.clear();
        shown.extend(self.nodes.iter().map(|node| match *node {
            Node::Quantity(_, v) | Node::Literal(v) => displayed(v, precision),
            _ => Display::Zero,
        }));
    }

    /// `write_substitution` with the numbers `shown_numbers` worked out.
    pub fn write_substitution_shown(&self, out: &mut impl Sink, shown: &[Display], tex: bool) {
        let mut style = Style::substitution(tex, Precision::Full);
        style.shown = Some(shown);
        self.write_root(style, out);
    }

    fn render(&self, style: Style<'_>) -> String {
        let mut out = String::new();
        self.write_root(style, &mut out);
        out
    }

    fn write_root(&self, style: Style<'_>, out: &mut impl Sink) {
        if let Some(root) = self.nodes.len().checked_sub(1) {
            self.write(root, style, Slot::Top, out);
        }
    }

    fn node(&self, i: u32) -> usize {
        (i as usize).min(self.nodes.len().saturating_sub(1))
    }

    /// Binding strength: 1 sums, 2 products, 3 unary minus, 4 atoms.
    fn precedence(&self, i: usize, style: Style<'_>) -> u8 {
        match self.nodes[i] {
            Node::Binary(Binary::Add | Binary::Sub, ..) => 1,
            Node::Binary(Binary::Mul, ..) => 2,
            Node::Binary(Binary::Div, ..) if style.tex => 4,
            Node::Binary(Binary::Div, ..) => 2,
            Node::Unary(Unary::Neg, _) => 3,
            Node::Quantity(_, value) if !style.symbolic && is_negative(value) => 3,
            Node::Literal(v) if is_negative(v) => 3,
            _ => 4,
        }
    }

    fn leads_with_minus(&self, i: usize, style: Style<'_>) -> bool {
        match self.nodes[i] {
            Node::Unary(Unary::Neg, _) => true,
            Node::Literal(v) => is_negative(v),
            Node::Quantity(_, value) => !style.symbolic && is_negative(value),
            _ => false,
        }
    }

    fn write(&self, i: usize, style: Style<'_>, slot: Slot, out: &mut impl Sink) {
        let needed = match slot {
            Slot::Top | Slot::Argument => 0,
            Slot::SumLeft => 1,
            Slot::SumRight => 2,
            Slot::Factor => 2,
            Slot::Divisor => 3,
            Slot::Base => 4,
        };
        // A negative number after an operator reads better in brackets: `0.5 + (−0.2)`.
        let needed =
            if matches!(slot, Slot::SumLeft | Slot::Factor) && self.leads_with_minus(i, style) {
                needed.max(match slot {
                    Slot::SumLeft => 1,
                    _ => 3,
                })
            } else {
                needed
            };
        let own = self.precedence(i, style);
        let parens = own < needed || (own == 3 && matches!(slot, Slot::Factor | Slot::SumRight));
        if parens {
            if style.tex {
                out.tex("\\left(");
            } else {
                out.put("(");
            }
        }
        self.write_bare(i, style, out);
        if parens {
            if style.tex {
                out.tex("\\right)");
            } else {
                out.put(")");
            }
        }
    }

    fn write_bare(&self, i: usize, style: Style<'_>, out: &mut impl Sink) {
        match self.nodes[i] {
            Node::Quantity(symbol, value) => {
                if style.symbolic {
                    if style.tex {
                        symbol.write_tex(out);
                    } else {
                        symbol.write_text(out);
                    }
                } else {
                    style.number(out, i, value);
                }
            }
            Node::Literal(v) => style.number(out, i, v),
            Node::Binary(op, a, b) => self.write_binary(op, self.node(a), self.node(b), style, out),
            Node::Unary(op, a) => self.write_unary(op, self.node(a), style, out),
        }
    }

    fn write_binary(&self, op: Binary, a: usize, b: usize, style: Style<'_>, out: &mut impl Sink) {
        match op {
            Binary::Add => {
                self.write(a, style, Slot::SumLeft, out);
                out.put(" + ");
                self.write(b, style, Slot::SumRight, out);
            }
            Binary::Sub => {
                self.write(a, style, Slot::SumLeft, out);
                out.put(if style.tex { " - " } else { " − " });
                self.write(b, style, Slot::SumRight, out);
            }
            Binary::Mul => {
                self.write(a, style, Slot::Factor, out);
                match (style.symbolic, style.tex) {
                    (true, _) => out.put(" "),
                    (false, true) => out.tex(" \\times "),
                    (false, false) => out.put(" × "),
                }
                self.write(b, style, Slot::Factor, out);
            }
            Binary::Div => {
                if style.tex {
                    out.tex("\\frac{");
                    self.write(a, style, Slot::Top, out);
                    out.put("}{");
                    self.write(b, style, Slot::Top, out);
                    out.put("}");
                } else {
                    self.write(a, style, Slot::Factor, out);
                    out.put(" / ");
                    self.write(b, style, Slot::Divisor, out);
                }
            }
            Binary::Max => self.function(style, "max", &[a, b], out),
            Binary::Power => {
                self.write_base(a, style, out);
                if style.tex {
                    out.put("^{");
                    self.write(b, style, Slot::Top, out);
                    out.put("}");
                } else {
                    out.put("^");
                    self.write(b, style, Slot::Base, out);
                }
            }
        }
    }

    fn write_unary(&self, op: Unary, a: usize, style: Style<'_>, out: &mut impl Sink) {
        match op {
            Unary::Neg => {
                out.put(if style.tex { "-" } else { "−" });
                // −k e needs no brackets (a product's sign is its first factor's);
                // −(a + b) does.
                self.write(a, style, Slot::Factor, out);
            }
            Unary::Sqrt => {
                if style.tex {
                    out.tex("\\sqrt{");
                    self.write(a, style, Slot::Top, out);
                    out.put("}");
                } else {
                    out.put("√(");
                    self.write(a, style, Slot::Argument, out);
                    out.put(")");
                }
            }
            Unary::Square => {
                self.write_base(a, style, out);
                out.put(if style.tex { "^{2}" } else { "²" });
            }
            Unary::Exp => self.function(style, "exp", &[a], out),
            Unary::Tanh => self.function(style, "tanh", &[a], out),
            Unary::Ln => self.function(style, "ln", &[a], out),
        }
    }

    /// The base of a power, braced in LaTeX (`{x}^{2}`).
    fn write_base(&self, a: usize, style: Style<'_>, out: &mut impl Sink) {
        if style.tex {
            out.put("{");
            self.write(a, style, Slot::Base, out);
            out.put("}");
        } else {
            self.write(a, style, Slot::Base, out);
        }
    }

    fn function(&self, style: Style<'_>, name: &str, args: &[usize], out: &mut impl Sink) {
        if style.tex {
            out.tex("\\");
            out.put(name);
            out.tex("\\left(");
        } else {
            out.put(name);
            out.put("(");
        }
        for (i, arg) in args.iter().enumerate() {
            if i > 0 {
                out.put(", ");
            }
            self.write(*arg, style, Slot::Argument, out);
        }
        if style.tex {
            out.tex("\\right)");
        } else {
            out.put(")");
        }
    }
}

/// Whether a number is shown with a minus sign (and so bracketed after an operator); a negative
/// zero is shown as `0`, like any zero.
fn is_negative(v: f64) -> bool {
    v < 0.0
}

/// A count with its noun in agreement: `1 parameter`, `2 parameters`, `0 parameters`.
pub fn count<N>(n: N, one: &str, many: &str) -> String
where
    N: Copy + PartialEq + From<u8> + std::fmt::Display,
{
    format!("{n} {}", if n == N::from(1) { one } else { many })
}

#[derive(Debug, Clone, Copy)]
struct Style<'a> {
    symbolic: bool,
    tex: bool,
    precision: Precision,
    /// Each node's number as shown, when already worked out.
    shown: Option<&'a [Display]>,
}

impl<'a> Style<'a> {
    fn formula(tex: bool) -> Style<'a> {
        Style {
            symbolic: true,
            tex,
            precision: Precision::Full,
            shown: None,
        }
    }

    fn substitution(tex: bool, precision: Precision) -> Style<'a> {
        Style {
            symbolic: false,
            tex,
            precision,
            shown: None,
        }
    }

    /// The number of node `i`, `value`, as shown.
    fn number(&self, out: &mut impl Sink, i: usize, value: f64) {
        match self.shown.and_then(|shown| shown.get(i)) {
            Some(display) => write_display(out, display, self.tex),
            None => write_number(out, value, self.precision, self.tex),
        }
    }
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
    const GREEK: [(&str, &str); 10] = [
        ("\\alpha", "α"),
        ("\\delta", "δ"),
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
    use super::super::symbol::{Const, SampleName};
    use super::*;

    fn weight(i: u32) -> Symbol {
        Symbol::Weight { index: i }
    }

    fn input(i: u32) -> Symbol {
        Symbol::Input {
            index: i,
            tag: None,
        }
    }

    #[test]
    fn substitution_shows_numbers_and_formula_shows_symbols() {
        let _scope = ArenaScope::enter();
        let e = Expr::q(weight(0), 0.5) * Expr::q(input(0), 1.0)
            + Expr::q(weight(1), 0.5) * Expr::q(input(1), 0.6);
        let line = e.capture();
        assert_eq!(line.formula_text(), "w_1 x_1 + w_2 x_2");
        assert_eq!(
            line.substitution_text(Precision::Full),
            "0.5 × 1 + 0.5 × 0.6"
        );
        assert_eq!(
            line.substitution_tex(Precision::Full),
            "0.5 \\times 1 + 0.5 \\times 0.6"
        );
        assert!((e.value() - 0.8).abs() < 1e-15);
        assert_eq!(line.eval().to_bits(), e.value().to_bits());
    }

    #[test]
    fn negative_numbers_are_bracketed_after_an_operator() {
        let _scope = ArenaScope::enter();
        let v = Symbol::Sample {
            name: SampleName::Output,
            tag: None,
        };
        let e = Expr::q(Symbol::Const(Const::B), 0.5)
            - Expr::q(Symbol::Const(Const::Alpha), 0.2) * Expr::q(v, -0.25);
        let line = e.capture();
        assert_eq!(
            line.substitution_text(Precision::Full),
            "0.5 − 0.2 × (−0.25)"
        );
        assert_eq!(line.formula_text(), "b − α y");
        let s = Expr::q(v, -0.5).square().capture();
        assert_eq!(s.substitution_text(Precision::Full), "(−0.5)²");
    }

    #[test]
    fn both_readings_give_the_same_bits() {
        let _scope = ArenaScope::enter();
        fn formula<N: Num>(a: N, b: N, c: N) -> N {
            (a * b + (N::lit(1.0) - b) * c.square()).sqrt() / (c.exp() - a).max(b.ln().tanh())
                + N::lit(0.3).pow(N::lit(3.0))
        }
        let (a, b, c) = (0.37, 0.8, -1.3);
        let plain = formula(a, b, c);
        let sym = Symbol::Const(Const::K);
        let tree = formula(Expr::q(sym, a), Expr::q(sym, b), Expr::q(sym, c));
        assert_eq!(tree.value().to_bits(), plain.to_bits());
        assert_eq!(tree.capture().eval().to_bits(), plain.to_bits());
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

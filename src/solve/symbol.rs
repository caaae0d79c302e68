//! The names of quantities and where a step carries them, as small values: a worked line's
//! symbol ([`Symbol`]) and its JSON pointer within the step ([`Pointer`]). Both are `Copy`, compare
//! structurally, and are written as text only when a response is: in LaTeX (the course's
//! notation, `(\hat{v}_1)_2`) or in plain text (`(v̂_1)_2`), each written directly — the plain
//! text is what `tex_to_text` makes of the LaTeX, which a test checks for every kind.

use std::fmt;

use super::network::notation::{self, NetPointer, NetSymbol, UnitParam};
use super::number::{write_number, Precision, Sink};

/// A per-parameter quantity's name: `v` in `(v_1)_3`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Name {
    /// The weight `w` (the bias is `b`).
    W,
    /// AdamW's decayed weight `\tilde{w}` (`\tilde{b}`).
    TildeW,
    /// The gradient in the convention's sign, `dw` (`db`).
    Dw,
    /// Conjugate gradient's gradient `g`.
    G,
    V,
    S,
    /// AMSGrad's running maximum `s^{max}`.
    SMax,
    HatV,
    HatS,
    HatU,
    U,
    Delta,
    /// A direction: Nesterov's step, conjugate gradient's `d`.
    D,
}

/// A spelling `(tex, text)` in one of its two forms.
fn write_spelling(out: &mut impl Sink, (tex_form, text_form): (&str, &str), tex: bool) {
    if tex {
        out.tex(tex_form);
    } else {
        out.put(text_form);
    }
}

impl Name {
    fn write(self, out: &mut impl Sink, tex: bool) {
        write_spelling(out, self.spelling(), tex);
    }

    /// Its spelling, for the network's notation.
    pub(crate) fn write_spelled(self, out: &mut impl Sink, tex: bool) {
        self.write(out, tex);
    }

    /// Its spelling in LaTeX and in plain text, side by side.
    fn spelling(self) -> (&'static str, &'static str) {
        match self {
            Name::W => ("w", "w"),
            Name::TildeW => ("\\tilde{w}", "w\u{303}"),
            Name::Dw => ("dw", "dw"),
            Name::G => ("g", "g"),
            Name::V => ("v", "v"),
            Name::S => ("s", "s"),
            Name::SMax => ("s^{max}", "s^max"),
            Name::HatV => ("\\hat{v}", "v\u{302}"),
            Name::HatS => ("\\hat{s}", "s\u{302}"),
            Name::HatU => ("\\hat{u}", "u\u{302}"),
            Name::U => ("u", "u"),
            Name::Delta => ("\\Delta", "Δ"),
            Name::D => ("d", "d"),
        }
    }

    /// The whole base for the bias, where it is not `(name_b)`.
    fn bias(self, tex: bool) -> Option<&'static str> {
        match (self, tex) {
            (Name::W, _) => Some("b"),
            (Name::TildeW, true) => Some("\\tilde{b}"),
            (Name::TildeW, false) => Some("b\u{303}"),
            (Name::Dw, _) => Some("(db)"),
            _ => None,
        }
    }
}

/// Which parameter: a weight (0-based) or the bias.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Param {
    Weight(u32),
    Bias,
    /// A network's weight or bias (docs/contract.md §11).
    Unit(UnitParam),
}

impl Param {
    /// Parameter `p` of a problem with `n_weights` weights: the weights, then the bias.
    pub fn of(p: usize, n_weights: usize) -> Param {
        if p < n_weights {
            Param::Weight(index(p))
        } else {
            Param::Bias
        }
    }
}

/// What follows a per-parameter name: the time, or (for one sample of a batch) the sample tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Suffix {
    Time(u64),
    /// The sample's number, 1-based: `^{(2)}`.
    Sample(u32),
}

/// A quantity of the forward pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SampleName {
    /// `y_{in}`
    Net,
    /// `y`
    Output,
    /// `E`
    Loss,
    /// `t`
    Target,
    /// ReLU's `f'(y_{in})`.
    Slope,
}

/// A constant or hyperparameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Const {
    Alpha,
    Alpha0,
    Beta,
    Beta1,
    Beta2,
    Rho,
    Epsilon,
    Lambda,
    Eta,
    /// The bias `b` in the net input.
    B,
    /// Adagrad's initial accumulator `v_{0}`.
    V0,
    /// The schedule's epoch `e`.
    E,
    /// Exponential decay's `k`.
    K,
    DecayRate,
    DropRate,
}

impl Const {
    fn write(self, out: &mut impl Sink, tex: bool) {
        write_spelling(out, self.spelling(), tex);
    }

    /// Its spelling in LaTeX and in plain text, side by side.
    fn spelling(self) -> (&'static str, &'static str) {
        match self {
            Const::Alpha => ("\\alpha", "α"),
            Const::Alpha0 => ("\\alpha_0", "α_0"),
            Const::Beta => ("\\beta", "β"),
            Const::Beta1 => ("\\beta_1", "β_1"),
            Const::Beta2 => ("\\beta_2", "β_2"),
            Const::Rho => ("\\rho", "ρ"),
            Const::Epsilon => ("\\epsilon", "ε"),
            Const::Lambda => ("\\lambda", "λ"),
            Const::Eta => ("\\eta", "η"),
            Const::B => ("b", "b"),
            Const::V0 => ("v_{0}", "v_0"),
            Const::E => ("e", "e"),
            Const::K => ("k", "k"),
            Const::DecayRate => ("\\text{decay\\_rate}", "decay_rate"),
            Const::DropRate => ("\\text{drop\\_rate}", "drop_rate"),
        }
    }
}

/// A name an optimizer spells itself, in LaTeX and in plain text side by side (NAdam's `\psi`,
/// `ψ`): for a quantity of one optimizer only, which then needs no kind of its own here. The
/// text should be what a reader types for the LaTeX.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Spelling {
    pub tex: &'static str,
    pub text: &'static str,
}

/// A worked line's symbol, or a named quantity in a formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Symbol {
    /// `(v_1)_3`, `b_3`, `(db)_3`, `(v_b)_3`; with a sample tag, `(dw_1)^{(2)}`.
    Param {
        name: Name,
        param: Param,
        suffix: Suffix,
    },
    /// `y_{in}`, `y`, `E`, `t`, `f'(y_{in})`, tagged `y^{(2)}` within a batch.
    Sample {
        name: SampleName,
        tag: Option<u32>,
    },
    /// The input `x_{i}` (1-based), tagged within a batch.
    Input {
        index: u32,
        tag: Option<u32>,
    },
    /// The weight `w_{i}` (1-based) of the net input.
    Weight {
        index: u32,
    },
    /// A network's quantity: `z^{(1)}_{1}`, `net_{h1}`, `E_{total}`, `w^{(2)}_{12}`.
    Net(NetSymbol),
    Const(Const),
    /// `\beta_1^{t}`: a decay to a power.
    Power(Const, u64),
    /// The scheduled rate `\alpha(e)`.
    Rate(u64),
    /// `\beta_{k}`, `\eta_{k}`: a quantity of conjugate gradient's iteration `k`.
    Iteration(Const, u64),
    /// A constant an optimizer spells itself ([`Spelling`]).
    Spelled(&'static Spelling),
    /// A quantity an optimizer spells itself, of update `t`: `\mu_{3}`.
    SpelledAt(&'static Spelling, u64),
    /// Step decay's exponent `\lfloor e / n \rfloor`.
    Floor(u64),
    /// The exact line search, `\arg\min_{\eta \in [0, max]} E(w_{k} + \eta d_{k})`
    /// (`max_step` as its bits).
    ArgMin {
        max_step: u64,
        k: u64,
    },
}

/// A 0-based position as the `u32` a symbol holds (saturating: no problem has 4 billion
/// parameters or samples).
pub fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

impl Symbol {
    /// `name` of parameter `p` at `time`.
    pub fn param(name: Name, p: usize, n_weights: usize, time: u64) -> Symbol {
        Symbol::Param {
            name,
            param: Param::of(p, n_weights),
            suffix: Suffix::Time(time),
        }
    }

    /// `name` of parameter `p` for one sample of a batch (`sample` 0-based).
    pub fn param_of_sample(name: Name, p: usize, n_weights: usize, sample: usize) -> Symbol {
        Symbol::Param {
            name,
            param: Param::of(p, n_weights),
            suffix: Suffix::Sample(index(sample).saturating_add(1)),
        }
    }

    pub fn write_tex(&self, out: &mut impl Sink) {
        self.write(out, true);
    }

    pub fn write_text(&self, out: &mut impl Sink) {
        self.write(out, false);
    }

    /// The LaTeX form, as a `String` (`to_string` gives the same).
    pub fn tex(&self) -> String {
        let mut out = String::new();
        self.write_tex(&mut out);
        out
    }

    /// The plain-text form: `(v̂_1)_2`.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.write_text(&mut out);
        out
    }

    fn write(&self, out: &mut impl Sink, tex: bool) {
        match *self {
            Symbol::Param {
                name,
                param,
                suffix,
            } => write_param(out, name, param, suffix, tex),
            Symbol::Sample { name, tag } => write_sample(out, name, tag, tex),
            Symbol::Input { index, tag } => {
                out.put("x_");
                braced(out, index as u64 + 1, tex);
                sample_tag(out, tag, tex);
            }
            Symbol::Weight { index } => {
                out.put("w_");
                braced(out, index as u64 + 1, tex);
            }
            Symbol::Net(symbol) => symbol.write(out, tex),
            Symbol::Const(c) => c.write(out, tex),
            Symbol::Power(c, t) => {
                c.write(out, tex);
                out.put("^");
                braced(out, t, tex);
            }
            Symbol::Rate(e) => {
                if tex {
                    out.tex("\\alpha(");
                } else {
                    out.put("α(");
                }
                out.put(itoa::Buffer::new().format(e));
                out.put(")");
            }
            Symbol::Iteration(c, k) => {
                c.write(out, tex);
                out.put("_");
                braced(out, k, tex);
            }
            Symbol::Spelled(spelling) => write_spelling(out, (spelling.tex, spelling.text), tex),
            Symbol::SpelledAt(spelling, t) => {
                write_spelling(out, (spelling.tex, spelling.text), tex);
                out.put("_");
                braced(out, t, tex);
            }
            Symbol::Floor(n) => {
                if tex {
                    out.tex("\\lfloor e / ");
                    out.put(itoa::Buffer::new().format(n));
                    out.tex(" \\rfloor");
                } else {
                    out.put("⌊e / ");
                    out.put(itoa::Buffer::new().format(n));
                    out.put("⌋");
                }
            }
            Symbol::ArgMin { max_step, k } => write_arg_min(out, max_step, k, tex),
        }
    }
}

/// `(v_1)_3`, `b_3`, `(db)_3`, `(v_b)_3`, `(dw_1)^{(2)}`.
fn write_param(out: &mut impl Sink, name: Name, param: Param, suffix: Suffix, tex: bool) {
    match (param, name.bias(tex)) {
        (Param::Unit(unit), _) => notation::write_timed(out, name, unit, tex),
        (Param::Bias, Some(whole)) => out.tex(whole),
        (Param::Bias, None) => {
            out.put("(");
            name.write(out, tex);
            out.put("_b)");
        }
        (Param::Weight(i), _) => {
            out.put("(");
            name.write(out, tex);
            out.put("_");
            subscript(out, i as u64 + 1, tex);
            out.put(")");
        }
    }
    match suffix {
        Suffix::Time(t) => {
            out.put("_");
            subscript(out, t, tex);
        }
        Suffix::Sample(s) => sample_tag(out, Some(s), tex),
    }
}

/// `y_{in}`, `y`, `E`, `t`, `f'(y_{in})`, each with the sample's tag in a batch.
fn write_sample(out: &mut impl Sink, name: SampleName, tag: Option<u32>, tex: bool) {
    let base = match (name, tex) {
        (SampleName::Net, true) => "y_{in}",
        (SampleName::Net, false) => "y_in",
        (SampleName::Output, _) => "y",
        (SampleName::Loss, _) => "E",
        (SampleName::Target, _) => "t",
        (SampleName::Slope, true) => "f'(y_{in}",
        (SampleName::Slope, false) => "f'(y_in",
    };
    out.put(base);
    sample_tag(out, tag, tex);
    if name == SampleName::Slope {
        out.put(")");
    }
}

/// The exact line search, `\arg\min_{\eta \in [0, max]} E(w_{k} + \eta d_{k})`.
fn write_arg_min(out: &mut impl Sink, max_step: u64, k: u64, tex: bool) {
    let mut bound = String::new();
    write_number(&mut bound, f64::from_bits(max_step), Precision::Full, true);
    let mut k_text = itoa::Buffer::new();
    let k_text = k_text.format(k);
    if tex {
        out.tex("\\arg\\min_{\\eta \\in [0, ");
        out.tex(&bound);
        out.put("]} E(w_{");
        out.put(k_text);
        out.tex("} + \\eta d_{");
        out.put(k_text);
        out.put("})");
    } else {
        out.put("argmin_η ∈ [0, ");
        out.put(&super::expr::tex_to_text(&bound));
        out.put("] E(w_");
        out.put(k_text);
        out.put(" + η d_");
        out.put(k_text);
        out.put(")");
    }
}

/// A LaTeX subscript: bare for one character, braced otherwise (plain text: bare).
pub(crate) fn subscript(out: &mut impl Sink, n: u64, tex: bool) {
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(n);
    if tex && digits.len() > 1 {
        out.put("{");
        out.put(digits);
        out.put("}");
    } else {
        out.put(digits);
    }
}

/// Always braced in LaTeX: `w_{1}`, `\beta_1^{3}`.
fn braced(out: &mut impl Sink, n: u64, tex: bool) {
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(n);
    if tex {
        out.put("{");
        out.put(digits);
        out.put("}");
    } else {
        out.put(digits);
    }
}

/// A batch sample's tag: `^{(2)}`, or `^(2)` in text.
fn sample_tag(out: &mut impl Sink, tag: Option<u32>, tex: bool) {
    if let Some(s) = tag {
        out.put(if tex { "^{(" } else { "^(" });
        out.put(itoa::Buffer::new().format(s));
        out.put(if tex { ")}" } else { ")" });
    }
}

/// Compares written text against a target as it is written, without allocating.
struct Compare<'a> {
    rest: &'a str,
    equal: bool,
}

impl Sink for Compare<'_> {
    fn put(&mut self, text: &str) {
        if self.equal {
            match self.rest.strip_prefix(text) {
                Some(rest) => self.rest = rest,
                None => self.equal = false,
            }
        }
    }
}

fn writes_as(target: &str, write: impl FnOnce(&mut Compare<'_>)) -> bool {
    let mut compare = Compare {
        rest: target,
        equal: true,
    };
    write(&mut compare);
    compare.equal && compare.rest.is_empty()
}

/// A value's text, written by `$write` into a [`Sink`], as its `Display`, its comparison with a
/// string (without allocating) and its serialization.
macro_rules! text_form {
    ($type:ty, $write:ident) => {
        impl fmt::Display for $type {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.$write(f);
                Ok(())
            }
        }

        impl PartialEq<str> for $type {
            fn eq(&self, other: &str) -> bool {
                writes_as(other, |c| self.$write(c))
            }
        }

        impl PartialEq<&str> for $type {
            fn eq(&self, other: &&str) -> bool {
                self == *other
            }
        }

        impl PartialEq<String> for $type {
            fn eq(&self, other: &String) -> bool {
                self == other.as_str()
            }
        }

        impl serde::Serialize for $type {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }
    };
}

// A symbol's text is its LaTeX.
text_form!(Symbol, write_tex);

/// A field of one sample's forward pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ForwardField {
    Net,
    Output,
    Loss,
}

/// Where a step carries a line's value, as a JSON pointer relative to the step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pointer {
    /// `/forward/i/net`, `/forward/i/output`, `/forward/i/loss` (`i`: the position in the batch).
    Forward { position: u32, field: ForwardField },
    /// `/forward/i/gradient/p` or `/forward/i/bias_gradient`.
    ForwardGradient { position: u32, param: Param },
    /// `/dw/p` or `/bias_dw`.
    Dw(Param),
    /// `/gradient/p` or `/bias_gradient`.
    Gradient(Param),
    /// `/weights_after/p` or `/bias_after`.
    WeightsAfter(Param),
    /// `/state/<name>/p`, over weights then the bias.
    State { name: &'static str, index: u32 },
    /// A network's `/layers/l/state/<name>/j/k` or `/layers/l/bias_state/<name>/j`.
    UnitState {
        name: &'static str,
        param: UnitParam,
    },
    /// A network's forward pass, deltas and losses.
    Net(NetPointer),
    /// `/learning_rate`
    LearningRate,
    /// `/conjugate/beta`
    ConjugateBeta,
    /// `/conjugate/step_length`
    ConjugateStepLength,
    /// `/conjugate/direction/p`
    ConjugateDirection(u32),
}

impl Pointer {
    pub fn write(&self, out: &mut impl Sink) {
        let number = |out: &mut _, n: u32| Sink::put(out, itoa::Buffer::new().format(n));
        let param = |out: &mut _, field: &str, bias_field: &str, p: Param| match p {
            Param::Weight(i) => {
                Sink::put(out, "/");
                Sink::put(out, field);
                Sink::put(out, "/");
                number(out, i);
            }
            Param::Bias => {
                Sink::put(out, "/");
                Sink::put(out, bias_field);
            }
            // A network's layers carry `biases_after` (one per unit).
            Param::Unit(unit) => notation::write_param_pointer(
                out,
                field,
                if bias_field == "bias_after" {
                    "biases_after"
                } else {
                    bias_field
                },
                unit,
            ),
        };
        match *self {
            Pointer::Forward { position, field } => {
                out.put("/forward/");
                number(out, position);
                out.put(match field {
                    ForwardField::Net => "/net",
                    ForwardField::Output => "/output",
                    ForwardField::Loss => "/loss",
                });
            }
            Pointer::ForwardGradient { position, param: p } => {
                out.put("/forward/");
                number(out, position);
                param(out, "gradient", "bias_gradient", p);
            }
            Pointer::Dw(p) => param(out, "dw", "bias_dw", p),
            Pointer::Gradient(p) => param(out, "gradient", "bias_gradient", p),
            Pointer::WeightsAfter(p) => param(out, "weights_after", "bias_after", p),
            Pointer::State { name, index } => {
                out.put("/state/");
                out.put(name);
                out.put("/");
                number(out, index);
            }
            Pointer::UnitState { name, param } => {
                let (field, bias_field) = (format!("state/{name}"), format!("bias_state/{name}"));
                notation::write_param_pointer(out, &field, &bias_field, param);
            }
            Pointer::Net(pointer) => pointer.write(out),
            Pointer::LearningRate => out.put("/learning_rate"),
            Pointer::ConjugateBeta => out.put("/conjugate/beta"),
            Pointer::ConjugateStepLength => out.put("/conjugate/step_length"),
            Pointer::ConjugateDirection(p) => {
                out.put("/conjugate/direction/");
                number(out, p);
            }
        }
    }
}

text_form!(Pointer, write);

#[cfg(test)]
mod tests {
    use super::super::expr::tex_to_text;
    use super::*;

    fn every_kind() -> Vec<Symbol> {
        let names = [
            Name::W,
            Name::TildeW,
            Name::Dw,
            Name::G,
            Name::V,
            Name::S,
            Name::SMax,
            Name::HatV,
            Name::HatS,
            Name::HatU,
            Name::U,
            Name::Delta,
            Name::D,
        ];
        let consts = [
            Const::Alpha,
            Const::Alpha0,
            Const::Beta,
            Const::Beta1,
            Const::Beta2,
            Const::Rho,
            Const::Epsilon,
            Const::Lambda,
            Const::Eta,
            Const::B,
            Const::V0,
            Const::E,
            Const::K,
            Const::DecayRate,
            Const::DropRate,
        ];
        let mut out = Vec::new();
        for name in names {
            out.extend(param_symbols(name));
        }
        out.extend(sample_symbols());
        for c in consts {
            out.push(Symbol::Const(c));
            for n in [0, 3, 17] {
                out.push(Symbol::Power(c, n));
                out.push(Symbol::Iteration(c, n));
            }
        }
        out.extend(schedule_and_line_search_symbols());
        out.extend(network_symbols(&names));
        out
    }

    /// A network's parameters under every name (layered and numbered, one- and two-digit
    /// indices, weights and biases, timed and per sample), and its units' quantities.
    fn network_symbols(names: &[Name]) -> Vec<Symbol> {
        use super::super::network::notation::{Style, UnitName};
        let mut params = Vec::new();
        for style in [Style::Layered, Style::Numbered] {
            params.push(UnitParam::weight(0, 0, 1, style, 2));
            params.push(UnitParam::weight(2, 11, 3, style, 123));
            params.push(UnitParam::bias(0, 1, style));
            params.push(UnitParam::bias(1, 12, style));
        }
        let mut out = Vec::new();
        for &name in names {
            for &unit in &params {
                for suffix in [Suffix::Time(1), Suffix::Time(12), Suffix::Sample(2)] {
                    out.push(Symbol::Param {
                        name,
                        param: Param::Unit(unit),
                        suffix,
                    });
                }
            }
        }
        for &unit in &params {
            out.push(Symbol::Net(NetSymbol::Param(unit)));
        }
        for style in [Style::Layered, Style::Numbered] {
            for name in [
                UnitName::Net,
                UnitName::Output,
                UnitName::Delta,
                UnitName::Slope,
                UnitName::Target,
                UnitName::Loss,
            ] {
                for (layer, unit) in [(0, 0), (1, 1), (2, 10)] {
                    for tag in [None, Some(2)] {
                        out.push(Symbol::Net(NetSymbol::unit(name, layer, unit, style, tag)));
                    }
                }
            }
            for tag in [None, Some(2)] {
                let numbered = style == Style::Numbered;
                out.push(Symbol::Net(NetSymbol::Total { numbered, tag }));
            }
        }
        out
    }

    /// `name` of weights with one- and two-digit subscripts and of the bias, at times and for
    /// samples.
    fn param_symbols(name: Name) -> Vec<Symbol> {
        let mut out = Vec::new();
        for param in [
            Param::Weight(0),
            Param::Weight(9),
            Param::Weight(12),
            Param::Bias,
        ] {
            for suffix in [
                Suffix::Time(0),
                Suffix::Time(7),
                Suffix::Time(10),
                Suffix::Time(12345),
                Suffix::Sample(2),
                Suffix::Sample(31),
            ] {
                out.push(Symbol::Param {
                    name,
                    param,
                    suffix,
                });
            }
        }
        out
    }

    /// The forward pass's quantities, inputs and weights, tagged and not.
    fn sample_symbols() -> Vec<Symbol> {
        let mut out = Vec::new();
        for name in [
            SampleName::Net,
            SampleName::Output,
            SampleName::Loss,
            SampleName::Target,
            SampleName::Slope,
        ] {
            for tag in [None, Some(1), Some(12)] {
                out.push(Symbol::Sample { name, tag });
            }
        }
        for index in [0, 9, 99] {
            out.push(Symbol::Weight { index });
            for tag in [None, Some(3)] {
                out.push(Symbol::Input { index, tag });
            }
        }
        out
    }

    /// Scheduled rates, step decay's floor and line searches.
    fn schedule_and_line_search_symbols() -> Vec<Symbol> {
        let mut out = Vec::new();
        for n in [0, 3, 12, u64::MAX] {
            out.push(Symbol::Rate(n));
            out.push(Symbol::Floor(n));
        }
        const LAMBDA: Spelling = Spelling {
            tex: "\\lambda",
            text: "λ",
        };
        out.push(Symbol::Spelled(&LAMBDA));
        for t in [1, 12] {
            out.push(Symbol::SpelledAt(&LAMBDA, t));
        }
        for max_step in [1000.0, 0.5, 1e20, 2.5e20, 1e-7] {
            for k in [0, 11] {
                out.push(Symbol::ArgMin {
                    max_step: f64::to_bits(max_step),
                    k,
                });
            }
        }
        out
    }

    #[test]
    fn the_text_of_every_symbol_is_what_tex_to_text_makes_of_its_latex() {
        for symbol in every_kind() {
            assert_eq!(symbol.text(), tex_to_text(&symbol.tex()), "{symbol:?}");
            assert!(symbol == symbol.tex().as_str());
            assert!(symbol != format!("{}x", symbol.tex()));
        }
    }

    #[test]
    fn symbols_are_written_as_the_course_writes_them() {
        let v = Symbol::param(Name::HatV, 0, 2, 2);
        assert_eq!(v.tex(), "(\\hat{v}_1)_2");
        assert_eq!(v.text(), "(v\u{302}_1)_2");
        assert_eq!(Symbol::param(Name::V, 9, 12, 12).tex(), "(v_{10})_{12}");
        assert_eq!(Symbol::param(Name::Dw, 2, 2, 3).tex(), "(db)_3");
        assert_eq!(Symbol::param(Name::W, 2, 2, 3).tex(), "b_3");
        assert_eq!(Symbol::param(Name::V, 2, 2, 3).tex(), "(v_b)_3");
        assert_eq!(
            Symbol::param_of_sample(Name::Dw, 0, 2, 1).tex(),
            "(dw_1)^{(2)}"
        );
        assert_eq!(Symbol::Power(Const::Beta1, 3).tex(), "\\beta_1^{3}");
        const MU: Spelling = Spelling {
            tex: "\\mu",
            text: "μ",
        };
        assert_eq!(Symbol::SpelledAt(&MU, 12).tex(), "\\mu_{12}");
        assert_eq!(Symbol::SpelledAt(&MU, 12).text(), "μ_12");
        assert_eq!(Symbol::Spelled(&MU).text(), "μ");
        assert_eq!(
            Symbol::Sample {
                name: SampleName::Slope,
                tag: Some(2)
            }
            .tex(),
            "f'(y_{in}^{(2)})"
        );
        assert_eq!(
            Symbol::ArgMin {
                max_step: 1000f64.to_bits(),
                k: 0
            }
            .tex(),
            "\\arg\\min_{\\eta \\in [0, 1000]} E(w_{0} + \\eta d_{0})"
        );
    }

    /// The forms a grader's student types for a network (docs/contract.md §11), and what they
    /// read as.
    #[test]
    fn network_symbols_read_as_plain_text() {
        use super::super::network::notation::{Style, UnitName};
        let numbered = |name| Symbol::Net(NetSymbol::unit(name, 1, 0, Style::Numbered, None));
        let cases = [
            (numbered(UnitName::Net), "net_{h1}", "net_h1"),
            (numbered(UnitName::Output), "out_{h1}", "out_h1"),
            (numbered(UnitName::Delta), "\\delta_{h1}", "δ_h1"),
            (
                Symbol::Net(NetSymbol::Total {
                    numbered: true,
                    tag: None,
                }),
                "E_{total}",
                "E_total",
            ),
            (
                Symbol::Net(NetSymbol::Param(UnitParam::weight(
                    1,
                    0,
                    1,
                    Style::Layered,
                    0,
                ))),
                "w^{(2)}_{12}",
                "w^(2)_12",
            ),
            (
                Symbol::Net(NetSymbol::unit(
                    UnitName::Delta,
                    2,
                    0,
                    Style::Layered,
                    Some(2),
                )),
                "\\delta^{(2)}_{1}[2]",
                "δ^(2)_1[2]",
            ),
            (
                Symbol::Param {
                    name: Name::W,
                    param: Param::Unit(UnitParam::bias(0, 1, Style::Layered)),
                    suffix: Suffix::Time(2),
                },
                "(b^{(1)}_{2})_2",
                "(b^(1)_2)_2",
            ),
            (
                Symbol::Param {
                    name: Name::W,
                    param: Param::Unit(UnitParam::bias(1, 0, Style::Numbered)),
                    suffix: Suffix::Time(2),
                },
                "(b_{o1})_2",
                "(b_o1)_2",
            ),
        ];
        for (symbol, tex, text) in cases {
            assert_eq!(symbol.tex(), tex);
            assert_eq!(symbol.text(), text);
            assert_eq!(tex_to_text(tex), text);
        }
    }

    #[test]
    fn pointers_are_json_pointers_into_the_step() {
        let cases = [
            (
                Pointer::Forward {
                    position: 1,
                    field: ForwardField::Output,
                },
                "/forward/1/output",
            ),
            (
                Pointer::ForwardGradient {
                    position: 0,
                    param: Param::Bias,
                },
                "/forward/0/bias_gradient",
            ),
            (Pointer::Dw(Param::Weight(3)), "/dw/3"),
            (Pointer::Gradient(Param::Bias), "/bias_gradient"),
            (Pointer::WeightsAfter(Param::Bias), "/bias_after"),
            (
                Pointer::State {
                    name: "velocity",
                    index: 2,
                },
                "/state/velocity/2",
            ),
            (Pointer::ConjugateDirection(1), "/conjugate/direction/1"),
        ];
        for (pointer, text) in cases {
            assert_eq!(pointer.to_string(), text);
            assert!(pointer == text);
        }
    }
}

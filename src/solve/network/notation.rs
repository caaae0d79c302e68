//! How a network's quantities are written (docs/contract.md §11), in LaTeX and in plain text
//! side by side, and where a step carries them.
//!
//! Layered (the default): `z^{(1)}_{1}`, `a^{(1)}_{1}`, `\delta^{(2)}_{1}`, `w^{(2)}_{12}`,
//! `b^{(1)}_{2}`, and the optimizers' `(v^{(2)}_{12})_{t}`. Numbered, for a network with one
//! hidden layer, as the classic worked examples write it: the weights `w_1 … w_m` in the
//! optimizers' order, `net_{h1}`, `out_{h1}`, `net_{o1}`, `out_{o1}`, `E_{o1}`, `E_{total}`,
//! `\delta_{o1}`, the inputs `i_1`, the biases `b_{h1}`. Within a batch every per-sample
//! quantity carries its sample's number in brackets: `z^{(1)}_{1}[2]`.

use crate::solve::number::Sink;
use crate::solve::symbol::{index, subscript, Name};

/// Which notation a network's lines use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Style {
    #[default]
    Layered,
    Numbered,
}

/// A parameter of a network: weight `(row, col)` of a layer, or the bias of unit `row`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitParam {
    /// The layer, 0-based (`layers/0` is layer 1 of the notation).
    pub layer: u8,
    pub row: u16,
    /// The column of a weight; `None` for the bias.
    pub col: Option<u16>,
    /// The weight's number in the numbered notation (`w_5`); 0 in the layered one, and for a
    /// bias.
    pub number: u16,
}

fn small(i: usize) -> u16 {
    u16::try_from(i).unwrap_or(u16::MAX)
}

impl UnitParam {
    pub fn weight(layer: usize, row: usize, col: usize, style: Style, number: usize) -> Self {
        UnitParam {
            layer: u8::try_from(layer).unwrap_or(u8::MAX),
            row: small(row),
            col: Some(small(col)),
            number: if style == Style::Numbered {
                small(number)
            } else {
                0
            },
        }
    }

    pub fn bias(layer: usize, row: usize, style: Style) -> Self {
        UnitParam {
            layer: u8::try_from(layer).unwrap_or(u8::MAX),
            row: small(row),
            col: None,
            // The numbered notation names a bias by its unit (`b_{h1}`); 1 marks it.
            number: u16::from(style == Style::Numbered),
        }
    }

    fn numbered(self) -> bool {
        self.number > 0
    }
}

/// What a unit's quantity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnitName {
    /// `z^{(l)}_j`, `net_{h1}`
    Net,
    /// `a^{(l)}_j` (`x_j` for layer 0), `out_{h1}` (`i_1`)
    Output,
    /// `\delta^{(l)}_j`, `\delta_{o1}`
    Delta,
    /// `f'(z^{(l)}_j)`: ReLU's slope.
    Slope,
    /// `t_j`, `target_{o1}`
    Target,
    /// The loss of output `j`: `E_j`, `E_{o1}`.
    Loss,
}

/// A network's symbol in a worked line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NetSymbol {
    /// A unit's quantity; `layer` is the notation's (0: the inputs), `unit` 0-based.
    Unit {
        name: UnitName,
        layer: u8,
        unit: u16,
        numbered: bool,
        /// The sample's number (1-based) within a batch.
        tag: Option<u32>,
    },
    /// The sample's loss, summed over the outputs: `E`, `E_{total}`.
    Total { numbered: bool, tag: Option<u32> },
    /// A parameter's current value, untimed: `w^{(2)}_{12}`, `b^{(1)}_{1}`, `w_5`, `b_{h1}`.
    Param(UnitParam),
}

impl NetSymbol {
    pub fn unit(name: UnitName, layer: usize, unit: usize, style: Style, tag: Option<u32>) -> Self {
        NetSymbol::Unit {
            name,
            layer: u8::try_from(layer).unwrap_or(u8::MAX),
            unit: small(unit),
            numbered: style == Style::Numbered,
            tag,
        }
    }

    pub fn write(&self, out: &mut impl Sink, tex: bool) {
        match *self {
            NetSymbol::Unit {
                name,
                layer,
                unit,
                numbered,
                tag,
            } => {
                write_unit(out, name, layer, unit, numbered, tex);
                write_tag(out, tag);
            }
            NetSymbol::Total { numbered, tag } => {
                out.put(match (numbered, tex) {
                    (true, true) => "E_{total}",
                    (true, false) => "E_total",
                    (false, _) => "E",
                });
                write_tag(out, tag);
            }
            NetSymbol::Param(p) => write_untimed(out, p, tex),
        }
    }
}

/// `[2]`: the sample's number within a batch (a superscript would collide with the layer's).
fn write_tag(out: &mut impl Sink, tag: Option<u32>) {
    if let Some(s) = tag {
        out.put("[");
        out.put(itoa::Buffer::new().format(s));
        out.put("]");
    }
}

/// `{h1}` or `h1`: a unit of the numbered notation (`i`, `h` or `o` and its number).
fn write_numbered_unit(out: &mut impl Sink, layer: u8, unit: u16, tex: bool) {
    if tex {
        out.put("{");
    }
    out.put(match layer {
        0 => "i",
        1 => "h",
        _ => "o",
    });
    out.put(itoa::Buffer::new().format(u32::from(unit) + 1));
    if tex {
        out.put("}");
    }
}

/// `^{(2)}`: a layer's number.
fn write_layer(out: &mut impl Sink, layer: u8, tex: bool) {
    out.put(if tex { "^{(" } else { "^(" });
    out.put(itoa::Buffer::new().format(layer));
    out.put(if tex { ")}" } else { ")" });
}

/// `_{12}`, or `_{12,3}` once an index has two digits (plain text: no braces).
fn write_indices(out: &mut impl Sink, indices: &[u16], tex: bool) {
    out.put(if tex { "_{" } else { "_" });
    let wide = indices.iter().any(|&i| i >= 9);
    for (n, &i) in indices.iter().enumerate() {
        if n > 0 && wide {
            out.put(",");
        }
        out.put(itoa::Buffer::new().format(u32::from(i) + 1));
    }
    if tex {
        out.put("}");
    }
}

fn write_unit(
    out: &mut impl Sink,
    name: UnitName,
    layer: u8,
    unit: u16,
    numbered: bool,
    tex: bool,
) {
    if numbered {
        let base = match (name, layer) {
            (UnitName::Net, _) => "net_",
            (UnitName::Output, 0) => "i_",
            (UnitName::Output, _) => "out_",
            (UnitName::Delta, _) if tex => "\\delta_",
            (UnitName::Delta, _) => "δ_",
            (UnitName::Slope, _) => "f'(net_",
            (UnitName::Target, _) => "target_",
            (UnitName::Loss, _) => "E_",
        };
        out.tex(base);
        if layer == 0 {
            // The inputs: `i_1`.
            if tex {
                out.put("{");
            }
            out.put(itoa::Buffer::new().format(u32::from(unit) + 1));
            if tex {
                out.put("}");
            }
        } else {
            write_numbered_unit(out, layer, unit, tex);
        }
    } else {
        match (name, layer) {
            (UnitName::Output, 0) => out.put("x"),
            (UnitName::Net, _) => out.put("z"),
            (UnitName::Output, _) => out.put("a"),
            (UnitName::Delta, _) => out.tex(if tex { "\\delta" } else { "δ" }),
            (UnitName::Slope, _) => out.put("f'(z"),
            (UnitName::Target, _) => out.put("t"),
            (UnitName::Loss, _) => out.put("E"),
        }
        let layered = !matches!((name, layer), (UnitName::Output, 0))
            && !matches!(name, UnitName::Target | UnitName::Loss);
        if layered {
            write_layer(out, layer, tex);
        }
        write_indices(out, &[unit], tex);
    }
    if name == UnitName::Slope {
        out.put(")");
    }
}

/// `w^{(2)}_{12}`, `b^{(1)}_{2}`, `w_5`, `b_{h1}` (`layer` 0-based: the notation's layer 1).
fn write_untimed(out: &mut impl Sink, p: UnitParam, tex: bool) {
    write_base(out, Name::W, p, tex);
}

/// A parameter's name and position, before its time: `(v^{(2)}_{12})`, `(v_{b^{(1)}_{2}})`,
/// `(b^{(1)}_{2})`, `(db^{(1)}_{2})`, `(v_5)`, `(v_{b_{h1}})`. A bias is in parentheses too,
/// unlike the neuron's bare `b_3`: its unit is already a subscript, and `b^{(1)}_{2}_3` is a
/// double subscript that neither KaTeX nor LaTeX reads.
pub fn write_timed(out: &mut impl Sink, name: Name, p: UnitParam, tex: bool) {
    let bare = name == Name::W || name == Name::TildeW;
    match p.col {
        Some(_) => {
            out.put("(");
            write_base(out, name, p, tex);
            out.put(")");
        }
        None if bare => {
            out.put("(");
            write_base(out, name, p, tex);
            out.put(")");
        }
        None if name == Name::Dw => {
            out.put("(d");
            write_base(out, Name::W, p, tex);
            out.put(")");
        }
        None => {
            out.put("(");
            name.write_spelled(out, tex);
            out.put(if tex { "_{" } else { "_" });
            write_base(out, Name::W, p, tex);
            if tex {
                out.put("}");
            }
            out.put(")");
        }
    }
}

/// `v^{(2)}_{12}` or `v_5` for a weight; `b^{(1)}_{2}`, `\tilde{b}_{h1}` for a bias (`name` is
/// `W` or `TildeW` for a bias).
fn write_base(out: &mut impl Sink, name: Name, p: UnitParam, tex: bool) {
    let layer = p.layer.saturating_add(1);
    match p.col {
        Some(col) => {
            if p.numbered() {
                name.write_spelled(out, tex);
                out.put("_");
                subscript(out, u64::from(p.number), tex);
            } else {
                // `s^{max}` has a superscript of its own: braced, the layer's is not a double
                // superscript (`{s^{max}}^{(1)}_{21}`).
                let braced = tex && name == Name::SMax;
                if braced {
                    out.put("{");
                }
                name.write_spelled(out, tex);
                if braced {
                    out.put("}");
                }
                write_layer(out, layer, tex);
                write_indices(out, &[p.row, col], tex);
            }
        }
        None => {
            out.tex(match (name, tex) {
                (Name::TildeW, true) => "\\tilde{b}",
                (Name::TildeW, false) => "b\u{303}",
                _ => "b",
            });
            if p.numbered() {
                out.put("_");
                write_numbered_unit(out, layer, p.row, tex);
            } else {
                write_layer(out, layer, tex);
                write_indices(out, &[p.row], tex);
            }
        }
    }
}

/// Where a step of a network carries a value that is not a parameter's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NetPointer {
    /// `/layers/l/forward/i/net/j`
    Net { layer: u8, position: u32, unit: u16 },
    /// `/layers/l/forward/i/output/j`
    Output { layer: u8, position: u32, unit: u16 },
    /// `/layers/l/delta/i/j`
    Delta { layer: u8, position: u32, unit: u16 },
    /// `/losses/i/outputs/j`
    OutputLoss { position: u32, unit: u16 },
    /// `/losses/i/loss`
    Loss { position: u32 },
}

impl NetPointer {
    pub fn net(layer: usize, position: usize, unit: usize) -> Self {
        NetPointer::Net {
            layer: u8::try_from(layer).unwrap_or(u8::MAX),
            position: index(position),
            unit: small(unit),
        }
    }

    pub fn output(layer: usize, position: usize, unit: usize) -> Self {
        NetPointer::Output {
            layer: u8::try_from(layer).unwrap_or(u8::MAX),
            position: index(position),
            unit: small(unit),
        }
    }

    pub fn delta(layer: usize, position: usize, unit: usize) -> Self {
        NetPointer::Delta {
            layer: u8::try_from(layer).unwrap_or(u8::MAX),
            position: index(position),
            unit: small(unit),
        }
    }

    pub fn write(&self, out: &mut impl Sink) {
        let number = |out: &mut _, n: u32| Sink::put(out, itoa::Buffer::new().format(n));
        match *self {
            NetPointer::Net {
                layer,
                position,
                unit,
            } => write_unit_pointer(out, layer, "/forward/", position, "/net/", unit),
            NetPointer::Output {
                layer,
                position,
                unit,
            } => write_unit_pointer(out, layer, "/forward/", position, "/output/", unit),
            NetPointer::Delta {
                layer,
                position,
                unit,
            } => write_unit_pointer(out, layer, "/delta/", position, "/", unit),
            NetPointer::OutputLoss { position, unit } => {
                out.put("/losses/");
                number(out, position);
                out.put("/outputs/");
                number(out, u32::from(unit));
            }
            NetPointer::Loss { position } => {
                out.put("/losses/");
                number(out, position);
                out.put("/loss");
            }
        }
    }
}

/// `/layers/l<list>i<field>j`: a unit's value for the sample at batch position `i`.
fn write_unit_pointer(
    out: &mut impl Sink,
    layer: u8,
    list: &str,
    position: u32,
    field: &str,
    unit: u16,
) {
    let number = |out: &mut _, n: u32| Sink::put(out, itoa::Buffer::new().format(n));
    out.put("/layers/");
    number(out, u32::from(layer));
    out.put(list);
    number(out, position);
    out.put(field);
    number(out, u32::from(unit));
}

/// `/layers/l/<field>/j/k`, or `/layers/l/<bias_field>/j` for a bias.
pub fn write_param_pointer(out: &mut impl Sink, field: &str, bias_field: &str, p: UnitParam) {
    let number = |out: &mut _, n: u32| Sink::put(out, itoa::Buffer::new().format(n));
    out.put("/layers/");
    number(out, u32::from(p.layer));
    out.put("/");
    match p.col {
        Some(col) => {
            out.put(field);
            out.put("/");
            number(out, u32::from(p.row));
            out.put("/");
            number(out, u32::from(col));
        }
        None => {
            out.put(bias_field);
            out.put("/");
            number(out, u32::from(p.row));
        }
    }
}

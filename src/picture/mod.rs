//! Pictures of solutions as SVG (docs/contract.md §13): the loss surface over two parameters
//! with each optimizer's path, the loss per update and per epoch, and a schedule's rate per
//! epoch. Pure functions from solved problems to a `String`; no I/O. The same bytes come out
//! of `/v1/plot/...` and `gradtrace plot ...`.

pub mod contour;
pub mod curves;
pub mod surface;
pub mod svg;

use crate::solve::network::notation::NetSymbol;
use crate::solve::{Problem, Solution, Symbol};

/// One configuration to draw: its legend label and line, and the run.
#[derive(Debug, Clone, Copy)]
pub struct Series<'a> {
    pub label: &'a str,
    /// The legend's second line: the algorithm and its hyperparameters.
    pub detail: &'a str,
    pub problem: &'a Problem,
    pub solution: &'a Solution,
}

/// The name of parameter `k` (weights, then the bias) in the course's notation.
pub fn parameter_name(problem: &Problem, k: usize) -> String {
    if let Some(net) = &problem.network {
        // `w^(2)_12`, `w_5`, `b_h1`: the network's own notation (docs/contract.md §11).
        let param = net.layout.param(k);
        return Symbol::Net(NetSymbol::Param(param)).text();
    }
    if k < problem.weights.len() {
        format!("w_{}", k + 1)
    } else {
        "b".to_string()
    }
}

/// The parameters of a problem, in order: the weights, then the bias.
pub fn parameters(weights: &[f64], bias: Option<f64>) -> Vec<f64> {
    weights.iter().copied().chain(bias).collect()
}

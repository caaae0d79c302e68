//! Each line's value is the number the trace carries at its pointer, and the substitution
//! shows the numbers really used: evaluating each line's `substitution` as
//! plain arithmetic gives its `value`, for every algorithm and option — exactly (after the
//! student's rounding) in hand-calculation mode, and to ~1e-12 at full display precision.

use gradtrace::solve::expr::{round_decimals, round_significant, Precision};
use gradtrace::solve::*;

use crate::support::{all_option_problems, assert_lines_match_the_trace};

/// A small evaluator for the plain-text arithmetic of substitutions: numbers (with `−`, `e`
/// exponents), `+ − × /`, brackets, `²`, `√(…)`, `exp`, `tanh`, `ln`, `max(a, b)`.
struct Parser<'a> {
    chars: Vec<char>,
    at: usize,
    text: &'a str,
}

impl<'a> Parser<'a> {
    fn evaluate(text: &'a str) -> f64 {
        let mut parser = Parser {
            chars: text.chars().collect(),
            at: 0,
            text,
        };
        let value = parser.sum();
        parser.skip_spaces();
        assert_eq!(parser.at, parser.chars.len(), "trailing input in {text:?}");
        value
    }

    fn skip_spaces(&mut self) {
        while self.chars.get(self.at) == Some(&' ') {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.skip_spaces();
        self.chars.get(self.at).copied()
    }

    fn expect(&mut self, c: char) {
        assert_eq!(
            self.peek(),
            Some(c),
            "expected {c:?} at {} in {:?}",
            self.at,
            self.text
        );
        self.at += 1;
    }

    fn sum(&mut self) -> f64 {
        let mut value = self.product();
        loop {
            match self.peek() {
                Some('+') => {
                    self.at += 1;
                    value += self.product();
                }
                Some('−') => {
                    self.at += 1;
                    value -= self.product();
                }
                _ => return value,
            }
        }
    }

    fn product(&mut self) -> f64 {
        let mut value = self.unary();
        loop {
            match self.peek() {
                Some('×') => {
                    self.at += 1;
                    value *= self.unary();
                }
                Some('/') => {
                    self.at += 1;
                    value /= self.unary();
                }
                _ => return value,
            }
        }
    }

    fn unary(&mut self) -> f64 {
        if self.peek() == Some('−') {
            self.at += 1;
            return -self.unary();
        }
        let mut value = self.atom();
        loop {
            match self.chars.get(self.at) {
                Some('²') => {
                    self.at += 1;
                    value *= value;
                }
                Some('^') => {
                    self.at += 1;
                    let exponent = self.atom();
                    value = value.powf(exponent);
                }
                _ => return value,
            }
        }
    }

    fn atom(&mut self) -> f64 {
        match self.peek() {
            Some('(') => {
                self.at += 1;
                let value = self.sum();
                self.expect(')');
                value
            }
            Some('√') => {
                self.at += 1;
                self.expect('(');
                let value = self.sum();
                self.expect(')');
                value.sqrt()
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let start = self.at;
                while self
                    .chars
                    .get(self.at)
                    .is_some_and(|c| c.is_ascii_alphabetic())
                {
                    self.at += 1;
                }
                let name: String = self.chars[start..self.at].iter().collect();
                self.expect('(');
                let a = self.sum();
                let value = match name.as_str() {
                    "exp" => a.exp(),
                    "tanh" => a.tanh(),
                    "ln" => a.ln(),
                    "max" => {
                        self.expect(',');
                        a.max(self.sum())
                    }
                    other => panic!("unknown function {other} in {:?}", self.text),
                };
                self.expect(')');
                value
            }
            _ => self.number(),
        }
    }

    fn number(&mut self) -> f64 {
        let start = self.at;
        while let Some(&c) = self.chars.get(self.at) {
            let exponent_sign = (c == '-' || c == '+')
                && self.at > start
                && self.chars.get(self.at - 1) == Some(&'e');
            if c.is_ascii_digit() || c == '.' || c == 'e' || exponent_sign {
                self.at += 1;
            } else {
                break;
            }
        }
        let literal: String = self.chars[start..self.at].iter().collect();
        literal
            .parse()
            .unwrap_or_else(|_| panic!("not a number {literal:?} at {start} in {:?}", self.text))
    }
}

#[test]
fn the_evaluator_reads_what_the_lines_write() {
    assert_eq!(
        Parser::evaluate("0.5 × 1 + 0.5 × 0.6"),
        0.5 * 1.0 + 0.5 * 0.6
    );
    assert_eq!(Parser::evaluate("(−0.5)² + √(4) − 1e-8"), 0.25 + 2.0 - 1e-8);
    assert_eq!(
        Parser::evaluate("1 / (1 + exp(−0.8))"),
        1.0 / (1.0 + (-0.8f64).exp())
    );
    assert_eq!(Parser::evaluate("max(0, −2) + 2.5e20"), 2.5e20);
}

#[test]
fn every_substitution_evaluates_to_its_value() {
    let mut checked = 0;
    for p in all_option_problems() {
        let solution = solve(&p);
        for step in &solution.steps {
            assert_lines_match_the_trace(step);
            for line in &step.lines {
                let substitution = line.substitution(Precision::Full);
                let evaluated = Parser::evaluate(&substitution);
                match p.rounding {
                    // The student rounds each result: exactly the value, after rounding.
                    Some(Rounding::Decimals(k)) => {
                        assert_eq!(
                            round_decimals(evaluated, k),
                            line.value,
                            "{}: {}",
                            line.symbol,
                            substitution
                        )
                    }
                    Some(Rounding::SignificantFigures(k)) => {
                        assert_eq!(
                            round_significant(evaluated, k),
                            line.value,
                            "{}: {}",
                            line.symbol,
                            substitution
                        )
                    }
                    None => assert!(
                        (evaluated - line.value).abs() <= 1e-12 * line.value.abs().max(1e-300)
                            || evaluated == line.value,
                        "{} = {} evaluates to {evaluated}, the line says {}",
                        line.symbol,
                        substitution,
                        line.value
                    ),
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 5_000, "only {checked} lines");
}

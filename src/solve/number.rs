//! Numbers as a person reads them: the shortest decimal that reads back as the same `f64`,
//! rounding half away from zero on that decimal (docs/contract.md §6), and display in text or LaTeX.
//!
//! Everything works on a [`Decimal`] held on the stack: the digits come from `ryu` (the same
//! shortest digits as Rust's `{:e}`, which a test checks over millions of doubles) and the
//! rounded forms are built from those digits, so no `format!` and no re-parse sits on the path of
//! a displayed number.

/// How many digits displayed numbers get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// The shortest decimal that reads back as the same `f64`.
    #[default]
    Full,
    /// Rounded (half away from zero) to this many significant figures, trailing zeros dropped.
    Significant(u32),
}

impl Precision {
    /// A `precision` as requests and the CLI give it: 0 is every digit (the shortest round
    /// trip), k is k significant figures (an f64 has no 18th, so at most 17).
    pub fn from_digits(digits: u32) -> Precision {
        match digits {
            0 => Precision::Full,
            k => Precision::Significant(k.min(17)),
        }
    }
}

/// Displayed numbers default to 4 significant figures, as the course prints them; `value`s keep
/// full precision.
pub const DEFAULT_PRECISION: Precision = Precision::Significant(4);

/// The most digits a decimal here holds: 17 round-trip digits, and one more for a carry.
const MAX_DIGITS: usize = 20;

/// A finite, non-zero decimal `±0.d₁d₂…dₙ × 10^(exponent+1)`, that is `d₁.d₂…dₙ × 10^exponent`,
/// with no trailing zero digit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decimal {
    pub negative: bool,
    digits: [u8; MAX_DIGITS],
    len: u8,
    /// The power of ten of the first digit.
    pub exponent: i32,
}

impl Decimal {
    /// The shortest round-trip decimal of a finite, non-zero `value`; `None` for 0 and
    /// non-finite values. The digits are those of Rust's `{:e}`.
    pub fn shortest(value: f64) -> Option<Decimal> {
        let fast = Decimal::ryu(value)?;
        if fast.len < 16 || !fast.is_below_a_tie(value) {
            Some(fast)
        } else {
            Decimal::exact(value)
        }
    }

    /// Whether `value` lies exactly halfway between these digits and the next decimal of the
    /// same length — the one case where `ryu` (ties to even) and `{:e}` (ties upwards) pick
    /// different shortest digits. Checked exactly: `value = m·2^b` with `m` odd, and the
    /// midpoint is `N·10^s` with `N = 10·digits + 5` odd, so they are equal only if `b = s` and
    /// the odd parts agree.
    fn is_below_a_tie(&self, value: f64) -> bool {
        let bits = value.abs().to_bits();
        let (fraction, biased) = (bits & ((1 << 52) - 1), (bits >> 52) as i32);
        let (mut m, mut b) = if biased == 0 {
            (fraction, -1074)
        } else {
            (fraction | (1 << 52), biased - 1075)
        };
        if m == 0 {
            return false;
        }
        let zeros = m.trailing_zeros();
        m >>= zeros;
        b += zeros as i32;
        let mut n: u128 = 0;
        for d in self.digits() {
            n = n * 10 + *d as u128;
        }
        let n = n * 10 + 5;
        // The weight of the midpoint's last digit.
        let s = self.exponent - self.len as i32;
        if b != s {
            return false;
        }
        let five_power = |e: i32| (0..e).try_fold(1u128, |p, _| p.checked_mul(5));
        if s >= 0 {
            five_power(s)
                .and_then(|p| p.checked_mul(n))
                .is_some_and(|odd| odd == m as u128)
        } else {
            five_power(-s)
                .and_then(|p| p.checked_mul(m as u128))
                .is_some_and(|odd| odd == n)
        }
    }

    /// The shortest decimal whose digits below the one of weight `10^place` may be those of
    /// `ryu` rather than `{:e}`: the two differ only with 16 or 17 digits, where `{:e}` breaks
    /// an exact tie between two shortest candidates upwards and `ryu` to the even one, so
    /// only the last digit can differ (by one). Rounding at a higher place never sees it.
    fn for_rounding_at(value: f64, place: i32) -> Option<Decimal> {
        Decimal::ryu(value).and_then(|fast| fast.or_exact_for(value, place))
    }

    /// These (`ryu`) digits, or `{:e}`'s where rounding at `place` would see the last one.
    fn or_exact_for(self, value: f64, place: i32) -> Option<Decimal> {
        let keep = self.exponent as i64 - place as i64 + 1;
        if self.len < 16 || keep < self.len as i64 - 1 || !self.is_below_a_tie(value) {
            Some(self)
        } else {
            Decimal::exact(value)
        }
    }

    fn ryu(value: f64) -> Option<Decimal> {
        if !value.is_finite() || value == 0.0 {
            return None;
        }
        let mut buffer = ryu::Buffer::new();
        Decimal::parse(value.is_sign_negative(), buffer.format_finite(value.abs()))
    }

    /// The digits of Rust's own `{:e}`, written on the stack.
    fn exact(value: f64) -> Option<Decimal> {
        use std::fmt::Write;
        if !value.is_finite() || value == 0.0 {
            return None;
        }
        let mut buffer = StackText::default();
        write!(buffer, "{:e}", value.abs()).ok()?;
        Decimal::parse(value.is_sign_negative(), buffer.as_str())
    }

    /// A positive number as `ryu` or `{:e}` writes it: `0.000554`, `1200.0`, `2.5e20`.
    fn parse(negative: bool, text: &str) -> Option<Decimal> {
        let (mantissa, exp) = match text.split_once('e') {
            Some((m, e)) => (m, e.parse::<i32>().ok()?),
            None => (text, 0),
        };
        let mut digits = [0u8; MAX_DIGITS];
        let mut len = 0usize;
        // Significant digits before the decimal point (negative: zeros after it).
        let mut before_point: i32 = 0;
        let mut seen_point = false;
        let mut leading = true;
        for byte in mantissa.bytes() {
            match byte {
                b'.' => seen_point = true,
                b'0'..=b'9' => {
                    if leading && byte == b'0' {
                        if seen_point {
                            before_point -= 1;
                        }
                        continue;
                    }
                    leading = false;
                    if !seen_point {
                        before_point += 1;
                    }
                    if len < MAX_DIGITS {
                        digits[len] = byte - b'0';
                        len += 1;
                    }
                }
                _ => return None,
            }
        }
        while len > 0 && digits[len - 1] == 0 {
            len -= 1;
        }
        if len == 0 {
            return None;
        }
        Some(Decimal {
            negative,
            digits,
            len: len as u8,
            exponent: before_point - 1 + exp,
        })
    }

    /// The significant digits, `0`–`9` each.
    pub fn digits(&self) -> &[u8] {
        &self.digits[..self.len as usize]
    }

    /// Rounded half away from zero at the digit of weight `10^place`: `None` when that rounds to
    /// zero (a zero keeps the sign of the value).
    pub fn rounded_at(&self, place: i32) -> Rounded {
        // Number of digits kept: those of weight ≥ 10^place.
        let keep = self.exponent as i64 - place as i64 + 1;
        let len = self.len as i64;
        if keep >= len {
            return Rounded::Unchanged;
        }
        let round_up = keep >= 0 && self.digits[keep as usize] >= 5;
        if keep < 0 || (keep == 0 && !round_up) {
            return Rounded::Zero;
        }
        let mut out = *self;
        let mut kept = keep as usize;
        if round_up {
            let mut i = kept;
            loop {
                if i == 0 {
                    // 9.99 → 10: one digit, one power of ten more.
                    out.digits[0] = 1;
                    kept = 1;
                    out.exponent += 1;
                    break;
                }
                i -= 1;
                if out.digits[i] == 9 {
                    out.digits[i] = 0;
                } else {
                    out.digits[i] += 1;
                    break;
                }
            }
        }
        while kept > 0 && out.digits[kept - 1] == 0 {
            kept -= 1;
        }
        out.len = kept as u8;
        Rounded::To(out)
    }

    /// The `f64` nearest this decimal, as `str::parse` would give it.
    pub fn to_f64(&self) -> f64 {
        let sign = if self.negative { -1.0 } else { 1.0 };
        // Exact when the digits fit a double's integer range and the power of ten is exact
        // (Clinger's fast path): one correctly rounded multiplication or division.
        let digits = self.digits();
        if digits.len() <= 15 {
            let mut mantissa: u64 = 0;
            for d in digits {
                mantissa = mantissa * 10 + *d as u64;
            }
            let scale = self.exponent - (digits.len() as i32 - 1);
            if (0..=22).contains(&scale) {
                return sign * (mantissa as f64 * POWERS_OF_TEN[scale as usize]);
            }
            if (-22..0).contains(&scale) {
                return sign * (mantissa as f64 / POWERS_OF_TEN[(-scale) as usize]);
            }
        }
        let mut text = [0u8; MAX_DIGITS + 16];
        let mut at = 0;
        if self.negative {
            text[at] = b'-';
            at += 1;
        }
        for (i, d) in digits.iter().enumerate() {
            if i == 1 {
                text[at] = b'.';
                at += 1;
            }
            text[at] = b'0' + d;
            at += 1;
        }
        text[at] = b'e';
        at += 1;
        let mut exponent = itoa::Buffer::new();
        for byte in exponent.format(self.exponent).bytes() {
            text[at] = byte;
            at += 1;
        }
        std::str::from_utf8(&text[..at])
            .ok()
            .and_then(|t| t.parse().ok())
            .unwrap_or(f64::NAN)
    }

    /// Whether `to_f64` of this decimal reads back as exactly these digits: true for up to 15
    /// significant digits away from the ends of the double range, where no two such decimals
    /// share a double.
    fn round_trips(&self) -> bool {
        self.len <= 15 && (-300..300).contains(&self.exponent)
    }
}

/// The outcome of rounding a decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounded {
    /// The decimal has no digit at or below the place: it stays as it is.
    Unchanged,
    /// It rounds to zero.
    Zero,
    To(Decimal),
}

/// A little text on the stack, for `{:e}`.
struct StackText {
    bytes: [u8; 40],
    len: usize,
}

impl Default for StackText {
    fn default() -> Self {
        StackText {
            bytes: [0; 40],
            len: 0,
        }
    }
}

impl StackText {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or("")
    }
}

impl std::fmt::Write for StackText {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        let end = self.len + text.len();
        let target = self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?;
        target.copy_from_slice(text.as_bytes());
        self.len = end;
        Ok(())
    }
}

const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Where text goes: a `String`, a formatter, or a JSON string being written.
pub trait Sink {
    /// Text without a backslash, quote or control character (digits, symbols' plain text,
    /// operators): a JSON string takes it as it is.
    fn put(&mut self, text: &str);

    /// LaTeX, which has backslashes.
    fn tex(&mut self, text: &str) {
        self.put(text);
    }

    /// ASCII text (digits, signs, TeX), without a UTF-8 check.
    fn put_ascii(&mut self, bytes: &[u8]) {
        if let Ok(text) = std::str::from_utf8(bytes) {
            self.put(text);
        }
    }
}

impl Sink for String {
    #[inline]
    fn put(&mut self, text: &str) {
        self.push_str(text);
    }

    #[inline]
    fn put_ascii(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            // Callers give ASCII; anything else would not be one character per byte.
            if byte.is_ascii() {
                self.push(byte as char);
            }
        }
    }
}

impl Sink for std::fmt::Formatter<'_> {
    fn put(&mut self, text: &str) {
        // A formatter writing into memory does not fail; there is nothing to do if one does.
        let _ = self.write_str(text);
    }
}

/// The shortest round-trip decimal of `|value|` as its significant digits and the exponent of the
/// first one (`0.0235` → `("235", -2)`).
pub fn decimal_digits(value: f64) -> (bool, String, i32) {
    match Decimal::shortest(value) {
        Some(d) => (
            d.negative,
            d.digits().iter().map(|d| (b'0' + d) as char).collect(),
            d.exponent,
        ),
        None => (value.is_sign_negative(), "0".to_string(), 0),
    }
}

/// Round half away from zero to `k` significant figures, on the decimal a person reads.
pub fn round_significant(value: f64, k: u32) -> f64 {
    if !value.is_finite() || value == 0.0 {
        return value;
    }
    if let Some(d) = rounded_by_scaling(value, k) {
        return d.to_f64();
    }
    let Some(fast) = Decimal::ryu(value) else {
        return value;
    };
    let place = significant_place(&fast, k);
    match fast.or_exact_for(value, place) {
        Some(d) => round_at(value, &d, place),
        None => value,
    }
}

/// The place of the last of `k` significant figures (the first digit's exponent is the same
/// in either formatter's digits: they differ only in the last of 16 or 17).
fn significant_place(d: &Decimal, k: u32) -> i32 {
    d.exponent.saturating_sub(k as i32).saturating_add(1)
}

/// Round half away from zero to `k` decimals, on the decimal a person reads.
pub fn round_decimals(value: f64, k: u32) -> f64 {
    let place = -(k.min(400) as i32);
    match Decimal::for_rounding_at(value, place) {
        Some(d) => round_at(value, &d, place),
        None => value,
    }
}

fn round_at(value: f64, decimal: &Decimal, place: i32) -> f64 {
    match decimal.rounded_at(place) {
        Rounded::Unchanged => value,
        Rounded::Zero => {
            if decimal.negative {
                -0.0
            } else {
                0.0
            }
        }
        Rounded::To(d) => d.to_f64(),
    }
}

/// A number for display: positional between 1e-5 and 1e15, scientific outside
/// (`1e-8`, or `1 \times 10^{-8}` in LaTeX).
pub fn format_number(value: f64, precision: Precision, tex: bool) -> String {
    let mut out = String::new();
    write_number(&mut out, value, precision, tex);
    out
}

/// `format_number`, written into `out`.
pub fn write_number(out: &mut impl Sink, value: f64, precision: Precision, tex: bool) {
    write_display(out, &displayed(value, precision), tex);
}

/// A number as `displayed` worked it out.
pub fn write_display(out: &mut impl Sink, display: &Display, tex: bool) {
    match display {
        Display::NotFinite if tex => out.tex("\\text{NaN}"),
        Display::NotFinite => out.put("NaN"),
        Display::Zero => out.put("0"),
        Display::Digits(d) => write_decimal(out, d, tex),
    }
}

/// What a number shows at a precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    NotFinite,
    Zero,
    Digits(Decimal),
}

/// The decimal `value` is displayed as at `precision`: the rounded value's own shortest decimal
/// (which, where it round-trips, is the rounded digits themselves).
pub fn displayed(value: f64, precision: Precision) -> Display {
    if !value.is_finite() {
        return Display::NotFinite;
    }
    let k = match precision {
        Precision::Full => {
            // A number with up to 12 significant figures (the inputs, the literals of a
            // formula) is its own 12-figure rounding: when that reads back as the value, it is
            // the shortest decimal (a shorter one would be its own rounding too).
            if value != 0.0 {
                if let Some(d) = rounded_by_scaling(value, MAX_SCALED_FIGURES) {
                    if d.to_f64() == value {
                        return Display::Digits(d);
                    }
                }
            }
            return Decimal::shortest(value).map_or(Display::Zero, Display::Digits);
        }
        Precision::Significant(k) => k.max(1),
    };
    if value == 0.0 {
        return Display::Zero;
    }
    if let Some(d) = rounded_by_scaling(value, k) {
        return Display::Digits(d);
    }
    let Some(fast) = Decimal::ryu(value) else {
        return Display::Zero;
    };
    let place = significant_place(&fast, k);
    let Some(decimal) = fast.or_exact_for(value, place) else {
        return Display::Zero;
    };
    match decimal.rounded_at(place) {
        Rounded::Unchanged => Display::Digits(decimal),
        Rounded::Zero => Display::Zero,
        Rounded::To(d) if d.round_trips() => Display::Digits(d),
        // Near the ends of the range, or with more digits than always round-trip: read the
        // rounded value back as the slow path always did.
        Rounded::To(d) => {
            let rounded = d.to_f64();
            if rounded == 0.0 {
                return Display::Zero;
            }
            match Decimal::shortest(rounded) {
                Some(d) => Display::Digits(d),
                // A value rounded up past the largest double: shown as the first formatter
                // showed an infinity's (absent) digits.
                None => Display::Digits(Decimal {
                    negative: rounded.is_sign_negative(),
                    ..ZERO_DIGITS
                }),
            }
        }
    }
}

/// The most significant figures [`rounded_by_scaling`] rounds to.
const MAX_SCALED_FIGURES: u32 = 12;

/// `10^i` for `i` in `-POWERS..=POWERS`, each the double nearest the power.
const POWERS: i32 = 320;

fn powers_of_ten() -> &'static [f64] {
    static TABLE: std::sync::OnceLock<Vec<f64>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        (-POWERS..=POWERS)
            .map(|i| format!("1e{i}").parse().unwrap_or(f64::NAN))
            .collect()
    })
}

/// `value` (finite, non-zero) rounded half away from zero to `k` significant figures of its
/// shortest decimal, by scaling it to a `k`-digit integer: exact whenever the scaled value is
/// clearly away from a half and from a power of ten; `None` (the digit path decides) otherwise.
///
/// The scaled product is within 2.3e-16 (relative) of the exact scaling, and the shortest
/// decimal within 1.2e-16 of the value, so a fraction farther than 1e-15·10^k from ½ rounds
/// the same way for both.
fn rounded_by_scaling(value: f64, k: u32) -> Option<Decimal> {
    if k > MAX_SCALED_FIGURES {
        return None;
    }
    let powers = powers_of_ten();
    let power = |i: i32| powers.get((i + POWERS) as usize).copied();
    let magnitude = value.abs();
    let binary_exponent = ((magnitude.to_bits() >> 52) & 0x7ff) as i32 - 1023;
    if !(-960..=960).contains(&binary_exponent) {
        return None;
    }
    // ⌊log₁₀ 2^e⌋ (78913 / 2^18 is log₁₀ 2 to well within that for |e| < 1650), then one up
    // if the value reaches the next power.
    let mut exponent = (binary_exponent * 78913) >> 18;
    if magnitude >= power(exponent + 1)? {
        exponent += 1;
    }
    let (low, high) = (power(exponent)?, power(exponent + 1)?);
    if magnitude == low {
        // The double nearest a power of ten reads back as that power: `1`, `1e-8`.
        let mut digits = [0u8; MAX_DIGITS];
        digits[0] = 1;
        return Some(Decimal {
            negative: value.is_sign_negative(),
            digits,
            len: 1,
            exponent,
        });
    }
    // Too near a power of ten, the exact decade is the digit path's to decide.
    if magnitude < low * (1.0 + 1e-14) || magnitude > high * (1.0 - 1e-14) {
        return None;
    }
    let shift = k as i32 - 1 - exponent;
    let scaled = magnitude * power(shift)?;
    // Positive and below 10^12: truncation is the floor.
    let whole = (scaled as u64) as f64;
    let fraction = scaled - whole;
    let margin = 1e-15 * power(k as i32)?;
    if (fraction - 0.5).abs() <= margin {
        return None;
    }
    let mut mantissa = whole as u64 + u64::from(fraction > 0.5);
    let top = 10u64.pow(k);
    if mantissa >= top {
        mantissa /= 10;
        exponent += 1;
    }
    if mantissa < top / 10 {
        return None;
    }
    let mut digits = [0u8; MAX_DIGITS];
    let mut len = k as usize;
    for slot in digits[..len].iter_mut().rev() {
        *slot = (mantissa % 10) as u8;
        mantissa /= 10;
    }
    while len > 0 && digits[len - 1] == 0 {
        len -= 1;
    }
    Some(Decimal {
        negative: value.is_sign_negative(),
        digits,
        len: len as u8,
        exponent,
    })
}

/// `0` as digits (what the first formatter printed for a rounded value beyond the range).
const ZERO_DIGITS: Decimal = Decimal {
    negative: false,
    digits: [0; MAX_DIGITS],
    len: 1,
    exponent: 0,
};

/// A decimal, positional between 1e-5 and 1e15 and scientific outside.
pub fn write_decimal(out: &mut impl Sink, d: &Decimal, tex: bool) {
    if d.negative {
        out.put(if tex { "-" } else { "−" });
    }
    // The longest: "0.0000" and 17 digits, or 17 digits and " \\times 10^{-324}".
    let mut buffer = [0u8; 64];
    let mut at = 0usize;
    let mut push = |byte: u8| {
        if at < buffer.len() {
            buffer[at] = byte;
            at += 1;
        }
    };
    let digits = d.digits();
    let exponent = d.exponent;
    if (-5..15).contains(&exponent) {
        positional(&mut push, digits, exponent);
        out.put_ascii(&buffer[..at]);
        return;
    }
    let is_one = digits == [1];
    if !(tex && is_one) {
        positional(&mut push, digits, 0);
    }
    if !tex {
        push(b'e');
    }
    out.put_ascii(&buffer[..at]);
    if tex {
        out.tex(if is_one { "10^{" } else { " \\times 10^{" });
    }
    out.put(itoa::Buffer::new().format(exponent));
    if tex {
        out.put("}");
    }
}

fn positional(push: &mut impl FnMut(u8), digits: &[u8], exponent: i32) {
    let len = digits.len() as i32;
    if exponent < 0 {
        push(b'0');
        push(b'.');
        for _ in 0..(-exponent - 1) {
            push(b'0');
        }
        for d in digits {
            push(b'0' + d);
        }
    } else if exponent + 1 >= len {
        for d in digits {
            push(b'0' + d);
        }
        for _ in 0..(exponent + 1 - len) {
            push(b'0');
        }
    } else {
        let split = (exponent + 1) as usize;
        for d in &digits[..split] {
            push(b'0' + d);
        }
        push(b'.');
        for d in &digits[split..] {
            push(b'0' + d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The digits and exponent Rust's own `{:e}` prints (the first formatter of this crate).
    fn reference_digits(value: f64) -> (bool, String, i32) {
        let formatted = format!("{:e}", value.abs());
        let (mantissa, exponent) = formatted.split_once('e').unwrap_or((&formatted, "0"));
        let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
        let digits = digits.trim_end_matches('0');
        let digits = if digits.is_empty() { "0" } else { digits };
        (
            value.is_sign_negative(),
            digits.to_string(),
            exponent.parse().unwrap_or(0),
        )
    }

    /// The first implementation of rounding: on the text of `{:e}`, parsed back.
    fn reference_round_at(value: f64, place: i32) -> f64 {
        let (negative, digits, exponent) = reference_digits(value);
        let keep = exponent - place + 1;
        if keep >= digits.len() as i32 {
            return value;
        }
        let bytes = digits.as_bytes();
        let round_up = keep >= 0 && bytes.get(keep.max(0) as usize).is_some_and(|d| *d >= b'5');
        let mut kept: Vec<u8> = if keep > 0 {
            bytes[..keep as usize].to_vec()
        } else {
            Vec::new()
        };
        let mut exponent = exponent;
        if keep < 0 || (keep == 0 && !round_up) {
            return if negative { -0.0 } else { 0.0 };
        }
        if round_up {
            let mut i = kept.len();
            loop {
                if i == 0 {
                    kept.insert(0, b'1');
                    exponent += 1;
                    break;
                }
                i -= 1;
                if kept[i] == b'9' {
                    kept[i] = b'0';
                } else {
                    kept[i] += 1;
                    break;
                }
            }
        }
        let mantissa = String::from_utf8(kept).unwrap_or_default();
        let text = format!(
            "{}{}.{}e{}",
            if negative { "-" } else { "" },
            &mantissa[..1],
            &mantissa[1..],
            exponent
        );
        text.parse().unwrap_or(value)
    }

    /// The first implementation of display.
    fn reference_format(value: f64, precision: Precision, tex: bool) -> String {
        if !value.is_finite() {
            return if tex {
                "\\text{NaN}".into()
            } else {
                "NaN".into()
            };
        }
        let value = match precision {
            Precision::Full => value,
            Precision::Significant(k) => {
                if value == 0.0 {
                    value
                } else {
                    let (_, _, exponent) = reference_digits(value);
                    reference_round_at(value, exponent - k.max(1) as i32 + 1)
                }
            }
        };
        if value == 0.0 {
            return "0".into();
        }
        let (negative, digits, exponent) = reference_digits(value);
        let sign = match (negative, tex) {
            (false, _) => "",
            (true, true) => "-",
            (true, false) => "−",
        };
        let positional = |digits: &str, exponent: i32| {
            let len = digits.len() as i32;
            if exponent < 0 {
                format!("0.{}{}", "0".repeat((-exponent - 1) as usize), digits)
            } else if exponent + 1 >= len {
                format!("{}{}", digits, "0".repeat((exponent + 1 - len) as usize))
            } else {
                let split = (exponent + 1) as usize;
                format!("{}.{}", &digits[..split], &digits[split..])
            }
        };
        if (-5..15).contains(&exponent) {
            format!("{sign}{}", positional(&digits, exponent))
        } else {
            let mantissa = positional(&digits, 0);
            if tex {
                if mantissa == "1" {
                    format!("{sign}10^{{{exponent}}}")
                } else {
                    format!("{sign}{mantissa} \\times 10^{{{exponent}}}")
                }
            } else {
                format!("{sign}{mantissa}e{exponent}")
            }
        }
    }

    /// A deterministic spread of doubles: random bit patterns, random values of every scale,
    /// short decimals, halves at every digit, integers, powers, and the ends of the range.
    fn doubles(count: usize) -> Vec<f64> {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut out = vec![
            f64::MIN_POSITIVE,
            f64::MAX,
            -f64::MAX,
            5e-324,
            1.7976931348623157e308,
            9.999999999999999e307,
            0.1,
            0.2,
            0.3,
            1.0 / 3.0,
            2.675,
            0.0045,
            999.96,
            9999.5,
            0.00099995,
            123456.0,
            1e15,
            1e-5,
            9.9999e14,
            9.99995e-6,
            // An exact tie between two 16-digit candidates, which `ryu` breaks the other way.
            7.578087935555933e14,
        ];
        // Every decade's power, its neighbours, and halves at several figures: where the scaled
        // rounding must hand over to the digits.
        for e in -320..=308 {
            let power: f64 = format!("1e{e}").parse().unwrap_or(1.0);
            let half: f64 = format!("1.2345e{e}").parse().unwrap_or(1.0);
            let five: f64 = format!("9.9995e{e}").parse().unwrap_or(1.0);
            for v in [power, half, five] {
                out.extend([v, v.next_up(), v.next_down(), v.next_up().next_up()]);
            }
        }
        // More such ties: quarters and eighths near 10^15.
        for i in 0..2_000u64 {
            out.push(7.5e14 + i as f64 * 0.125 + (next() % 1_000_000) as f64);
        }
        for _ in 0..count {
            let bits = next();
            out.push(f64::from_bits(bits));
            let mantissa = (next() >> 11) as f64 / (1u64 << 53) as f64;
            let scale = (next() % 80) as i32 - 40;
            out.push(mantissa * 10f64.powi(scale));
            let digits = (next() % 100_000) as f64;
            out.push(digits / 10f64.powi((next() % 12) as i32));
            out.push((digits + 0.5) / 10f64.powi((next() % 8) as i32));
            out.push((next() % 1_000_000) as f64);
        }
        out.retain(|v| v.is_finite());
        out
    }

    #[test]
    fn shortest_digits_are_those_of_rusts_own_formatter() {
        for value in doubles(100_000) {
            assert_eq!(decimal_digits(value), reference_digits(value), "{value:e}");
        }
    }

    #[test]
    fn rounding_and_display_match_the_first_implementation() {
        for value in doubles(10_000) {
            for k in [1, 2, 3, 4, 6, 9, 15, 16, 17] {
                let ours = round_significant(value, k);
                let (_, _, exponent) = reference_digits(value);
                let theirs = reference_round_at(value, exponent - k as i32 + 1);
                assert_eq!(ours.to_bits(), theirs.to_bits(), "{value:e} to {k} figures");
                for tex in [false, true] {
                    let precision = Precision::Significant(k);
                    assert_eq!(
                        format_number(value, precision, tex),
                        reference_format(value, precision, tex),
                        "{value:e} at {k} figures"
                    );
                }
            }
            for k in [0, 1, 3, 5, 10, 20, 320, 400] {
                let ours = round_decimals(value, k);
                let theirs = reference_round_at(value, -(k.min(400) as i32));
                assert_eq!(
                    ours.to_bits(),
                    theirs.to_bits(),
                    "{value:e} to {k} decimals"
                );
            }
            for tex in [false, true] {
                assert_eq!(
                    format_number(value, Precision::Full, tex),
                    reference_format(value, Precision::Full, tex)
                );
            }
        }
        for value in [0.0, -0.0, f64::NAN, f64::INFINITY] {
            for precision in [Precision::Full, Precision::Significant(3)] {
                for tex in [false, true] {
                    assert_eq!(
                        format_number(value, precision, tex),
                        reference_format(value, precision, tex)
                    );
                }
            }
        }
    }
}

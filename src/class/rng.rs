//! The variant generator's arithmetic, written out so that no crate upgrade can change a seed's
//! numbers: SplitMix64 (Steele, Lea and Flood 2014; Vigna's reference `splitmix64.c`), the
//! 64-bit FNV-1a hash of a byte string, and the two ways a 64-bit output becomes a draw.
//!
//! Every operation here is integer arithmetic modulo 2⁶⁴, or one IEEE 754 multiplication of
//! exactly representable values, so the results are the same on every machine. Changing any
//! constant or formula in this file changes every published variant: don't; add a new
//! generator version instead (see `class::variants`).

/// SplitMix64's increment, ⌊2⁶⁴ / φ⌋ rounded to odd.
pub const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// SplitMix64's output function (a variant of MurmurHash3's 64-bit finalizer).
pub fn mix64(z: u64) -> u64 {
    let z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The SplitMix64 generator: `state ← state + γ`, output `mix64(state)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator whose first output is `mix64(state + γ)`, as `splitmix64.c` seeded with
    /// `state`.
    pub fn new(state: u64) -> Self {
        SplitMix64 { state }
    }

    /// The next 64-bit output.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GAMMA);
        mix64(self.state)
    }
}

/// 64-bit FNV-1a of `bytes` (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// `⌊r · n / 2⁶⁴⌋`: an index in `0..n` from one output (multiply-shift; for every `n` used here,
/// at most 2⁵⁴ + 1, each index is equally likely to within n / 2⁶⁴).
pub fn below(r: u64, n: u64) -> u64 {
    // The product of two u64 fits a u128, and shifting by 64 leaves a value below n.
    ((u128::from(r) * u128::from(n)) >> 64) as u64
}

/// `(r >> 11) · 2⁻⁵³`: a number in [0, 1) on the grid of multiples of 2⁻⁵³, exactly.
pub fn unit(r: u64) -> f64 {
    // r >> 11 < 2⁵³ converts to f64 exactly, and scaling by a power of two is exact.
    (r >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_reproduces_the_reference_implementations_outputs() {
        // The first outputs of Vigna's splitmix64.c seeded with 1477776061723855037, as published
        // in the test of rand_xoshiro's SplitMix64 ("produced with the reference implementation").
        let mut rng = SplitMix64::new(1_477_776_061_723_855_037);
        for expected in [
            1_985_237_415_132_408_290,
            2_979_275_885_539_914_483,
            13_511_426_838_097_143_398,
            8_488_337_342_461_049_707,
            15_141_737_807_933_549_159,
        ] {
            assert_eq!(rng.next_u64(), expected);
        }
    }

    #[test]
    fn fnv1a64_reproduces_the_published_test_vectors() {
        // From the FNV test suite (Fowler, Noll, Vo): "", "a", "foobar".
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn below_covers_every_index_and_never_reaches_n() {
        assert_eq!(below(0, 7), 0);
        assert_eq!(below(u64::MAX, 7), 6);
        assert_eq!(below(u64::MAX, 1), 0);
        assert_eq!(below(1 << 63, 2), 1);
    }

    #[test]
    fn unit_stays_below_one() {
        assert_eq!(unit(0), 0.0);
        assert_eq!(unit(u64::MAX), 1.0 - f64::EPSILON / 2.0);
        assert_eq!(unit(1 << 63), 0.5);
    }
}

//! Per-decision scaling by a power of two: the predicates are homogeneous
//! in their leaves (a sign of a polynomial whose every monomial has the
//! same degree in coordinate differences and lengths), so multiplying every
//! leaf by the same `2^s` keeps every sign. One decision's leaves are
//! brought near `2^200` before its filter and expansions run, so that
//! extreme magnitudes elsewhere in a path, or extreme magnitudes of a
//! decision's own points, do not push it into big integers.
//!
//! Scaling a double by `2^s` is exact when the result is normal: each of
//! the two multiplications in [`Scale::apply`] moves the value
//! monotonically towards that result, so neither overflows nor rounds
//! (scaling a subnormal up is exact too). The filter and the expansions
//! check that every scaled leaf is in their range, `[2^-200, 2^200]`
//! (normal), so a leaf that would have rounded is never used.

use crate::core::point::Point;

/// The scaled extent of a decision's points: its largest leaf lands in
/// `[2^199, 2^200)`, the top of the stages' range.
const TARGET_EXPONENT: i32 = 199;

/// Multiplication by `2^exponent`.
///
/// Ownership: a plain `Copy` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Scale {
    exponent: i32,
}

impl Scale {
    /// No scaling: the filter's fast path.
    pub(super) const ONE: Scale = Scale { exponent: 0 };

    /// The scale for a decision among `points`, compared with `length` (0
    /// when there is none): its largest leaf, at most the larger of the
    /// points' widest coordinate span and the length, is brought to
    /// `[2^199, 2^200)`. [`Scale::ONE`] when that is 0 or not finite (the
    /// stages then reject the leaves that are out of range).
    pub(super) fn for_decision(points: &[Point], length: f64) -> Scale {
        let largest = extent(points).max(length);
        if largest == 0.0 || !largest.is_finite() {
            return Scale::ONE;
        }
        Scale {
            exponent: TARGET_EXPONENT - exponent(largest),
        }
    }

    /// `value × 2^exponent`; exact when the result is a normal number.
    #[inline]
    pub(super) fn apply(self, value: f64) -> f64 {
        let half = self.exponent / 2;
        value * power_of_two(half) * power_of_two(self.exponent - half)
    }
}

/// The widest span of `points` on either axis, rounded (up to 2 ulps
/// above or below the exact one, and never below a leaf of the decision:
/// rounding is monotonic, so every rounded coordinate difference is at most
/// the rounded span).
pub(super) fn extent(points: &[Point]) -> f64 {
    let span = |axis: fn(&Point) -> f64| {
        let (low, high) = points
            .iter()
            .map(axis)
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), c| {
                (low.min(c), high.max(c))
            });
        high - low
    };
    span(|p| p.x).max(span(|p| p.y))
}

/// `⌊log2 |value|⌋` of a finite nonzero double (subnormals included).
pub(in crate::core::points) fn exponent(value: f64) -> i32 {
    let bits = value.to_bits() & !(1 << 63);
    let biased = (bits >> 52) as i32;
    if biased == 0 {
        -1074 + (63 - bits.leading_zeros() as i32)
    } else {
        biased - 1023
    }
}

/// A subnormal or 0 as a signed integer number of units `2^-1074` (its
/// bits' low 52), read without floating-point arithmetic, which common
/// processors make slow on subnormals. Below `2^52` in magnitude, so an
/// exact double.
#[inline]
pub(in crate::core::points) fn subnormal_units(value: f64) -> i64 {
    let magnitude = (value.to_bits() & ((1 << 52) - 1)) as i64;
    if value.is_sign_negative() {
        -magnitude
    } else {
        magnitude
    }
}

/// `2^exponent`, for `exponent` in `[-1022, 1023]` (normal).
#[inline]
pub(in crate::core::points) const fn power_of_two(exponent: i32) -> f64 {
    debug_assert!(-1022 <= exponent && exponent <= 1023);
    f64::from_bits(((exponent + 1023) as u64) << 52)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exponents_and_powers_of_two_are_exact() {
        assert_eq!(exponent(1.0), 0);
        assert_eq!(exponent(-3.0), 1);
        assert_eq!(exponent(f64::MAX), 1023);
        assert_eq!(exponent(f64::MIN_POSITIVE), -1022);
        assert_eq!(exponent(f64::from_bits(1)), -1074);
        assert_eq!(exponent(f64::from_bits(3)), -1073);
        assert_eq!(power_of_two(-1022), f64::MIN_POSITIVE);
        assert_eq!(power_of_two(1023), 2f64.powi(1023));
    }

    #[test]
    fn decisions_are_scaled_to_the_top_of_the_range() {
        let points = [Point::new(1e300, -1e300), Point::new(-1e300, 5.0)];
        let scale = Scale::for_decision(&points, 0.0);
        // The span 2e300 overflows nothing and lands in [2^199, 2^200).
        let scaled = scale.apply(extent(&points));
        assert!((2f64.powi(199)..2f64.powi(200)).contains(&scaled));
        let tiny = [Point::new(0.0, 0.0), Point::new(f64::from_bits(5), 0.0)];
        let scale = Scale::for_decision(&tiny, 0.0);
        assert_eq!(scale.apply(f64::from_bits(5)), 5.0 * 2f64.powi(197));
        // A length larger than the points sets the scale.
        assert_eq!(Scale::for_decision(&tiny, 1.0).apply(1.0), 2f64.powi(199));
        assert_eq!(Scale::for_decision(&[Point::default(); 2], 0.0), Scale::ONE);
        let overflowing = [Point::new(f64::MAX, 0.0), Point::new(-f64::MAX, 0.0)];
        assert_eq!(Scale::for_decision(&overflowing, 0.0), Scale::ONE);
        assert_eq!(Scale::ONE.apply(0.1), 0.1);
    }
}

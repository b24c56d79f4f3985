//! The fast path of the exact predicates: `f64` arithmetic that carries a
//! proven bound on its own rounding error, and decides a sign only when the
//! computed value is farther from zero than that bound.
//!
//! # Why the bound holds
//!
//! Let `u = 2^-53`. Every leaf is either a length given as input (exact) or
//! the difference `a - b` of two input doubles, rounded once. Every node
//! adds, subtracts or multiplies two nodes, rounding once. Without overflow
//! or underflow each rounding is a factor `(1 + δ)` with `|δ| <= u`, so,
//! expanding the computed value as a polynomial in the exact leaves, each
//! monomial carries at most `k` such factors, where `k` (`roundings`) is 1
//! for a difference leaf, 0 for a length, `max + 1` for a sum and `k₁ + k₂ + 1`
//! for a product. Hence `|computed - exact| <= γ_k M` with `γ_k = k u / (1 - k u)`
//! and `M` the sum of the monomials' absolute values. `magnitude` is the
//! same expression evaluated on the leaves' absolute values, so it is at
//! least `M (1 - u)^k`, and `k ε M̂` (`ε = 2u`, computed and then rounded
//! once more) is at least `γ_k M` whenever `k u < 0.01`. So a computed value
//! beyond `k ε M̂` has the exact value's sign, and `M̂ == 0` means every
//! monomial, hence the exact value, is 0.
//!
//! Overflow and underflow would break the `(1 + δ)` model, so every leaf
//! must be 0 or have a magnitude in `[2^-200, 2^200]` (else the filter
//! gives up). Such a double is a multiple of `2^-252`; exact sums and
//! products of multiples of `2^g` and `2^h` are multiples of `2^min(g, h)`
//! and `2^(g + h)`, and rounding keeps a multiple of `2^g` one (for
//! `g >= -1074`). The predicates are polynomials of degree at most 4, so
//! every exact intermediate result is a multiple of `2^-1008`: zero, or a
//! normal number's size, never in the underflow range. And every value is at
//! most its magnitude, at most 8 monomials of `(2^200)^4` times `(1 + u)^k`,
//! far below overflow.

use std::cmp::Ordering;

use super::predicates::Arithmetic;
use super::scale::Scale;

/// The smallest and largest magnitudes of a nonzero leaf (see the module
/// documentation).
const SMALLEST_LEAF: f64 = 6.223015277861142e-61; // 2^-200
const LARGEST_LEAF: f64 = 1.6069380442589903e60; // 2^200

/// The largest degree (in leaves) of a polynomial that the range of leaves
/// keeps free of overflow and underflow.
const MAX_DEGREE: u32 = 4;

/// The numbers a filter computes in: each operation rounds once, as
/// `(1 + δ)` with `|δ| <= 2^-53`, while its leaves are in range.
pub(super) trait Float: Copy {
    /// `(minuend - subtrahend) × scale`, rounded once, and whether it is in
    /// the range where no operation overflows or underflows.
    fn difference(minuend: f64, subtrahend: f64, scale: Scale) -> (Self, bool);
    /// `value × scale`, and whether it is in range.
    fn length(value: f64, scale: Scale) -> (Self, bool);
    fn add(self, other: Self) -> Self;
    fn sub(self, other: Self) -> Self;
    fn mul(self, other: Self) -> Self;
    fn abs(self) -> Self;
    /// `self × (roundings × 2^-52)`, the error bound of a magnitude.
    fn error_bound(self, roundings: u32) -> Self;
    /// `Greater` when `self > bound`, `Less` when `self < -bound`, else
    /// `Equal` (with `bound >= 0`).
    fn beyond(self, bound: Self) -> Ordering;
    fn is_zero(self) -> bool;
}

impl Float for f64 {
    #[inline]
    fn difference(minuend: f64, subtrahend: f64, scale: Scale) -> (f64, bool) {
        // Scaling the rounded difference is exact when the result is in
        // range (see `scale.rs`), so the leaf is still one rounding away.
        f64::length(minuend - subtrahend, scale)
    }

    /// In range when 0, or its scaled magnitude is (a nonzero value scaled
    /// to 0 is not).
    #[inline]
    fn length(value: f64, scale: Scale) -> (f64, bool) {
        let scaled = scale.apply(value);
        // False for NaN and infinities.
        let in_range = value == 0.0 || (SMALLEST_LEAF..=LARGEST_LEAF).contains(&scaled.abs());
        (scaled, in_range)
    }

    #[inline]
    fn add(self, other: f64) -> f64 {
        self + other
    }

    #[inline]
    fn sub(self, other: f64) -> f64 {
        self - other
    }

    #[inline]
    fn mul(self, other: f64) -> f64 {
        self * other
    }

    #[inline]
    fn abs(self) -> f64 {
        f64::abs(self)
    }

    #[inline]
    fn error_bound(self, roundings: u32) -> f64 {
        (f64::from(roundings) * f64::EPSILON) * self
    }

    #[inline]
    fn beyond(self, bound: f64) -> Ordering {
        // Without branches on the outcome, which callers' data make random.
        let (above, below) = (self > bound, self < -bound);
        above.cmp(&below)
    }

    #[inline]
    fn is_zero(self) -> bool {
        self == 0.0
    }
}

/// A computed value with what bounds its error: the same expression on
/// absolute values, and the number of roundings in any of its monomials.
///
/// Ownership: a plain `Copy` value.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bounded<F = f64> {
    value: F,
    magnitude: F,
    roundings: u32,
    degree: u32,
    /// Every leaf was in range (for `f64`: 0 or within `[SMALLEST_LEAF,
    /// LARGEST_LEAF]`).
    in_range: bool,
}

impl<F: Float> Bounded<F> {
    fn leaf((value, in_range): (F, bool), roundings: u32) -> Self {
        Bounded {
            value,
            magnitude: value.abs(),
            roundings,
            degree: 1,
            in_range,
        }
    }

    fn combine(&self, other: &Self, value: F, magnitude: F, roundings: u32, degree: u32) -> Self {
        Bounded {
            value,
            magnitude,
            roundings,
            degree,
            in_range: self.in_range && other.in_range,
        }
    }
}

impl<F: Float> Arithmetic for Bounded<F> {
    #[inline]
    fn difference(minuend: f64, subtrahend: f64, scale: Scale) -> Self {
        Bounded::leaf(F::difference(minuend, subtrahend, scale), 1)
    }

    #[inline]
    fn length(value: f64, scale: Scale) -> Self {
        Bounded::leaf(F::length(value, scale), 0)
    }

    #[inline]
    fn add(&self, other: &Self) -> Self {
        self.combine(
            other,
            self.value.add(other.value),
            self.magnitude.add(other.magnitude),
            self.roundings.max(other.roundings) + 1,
            self.degree.max(other.degree),
        )
    }

    #[inline]
    fn sub(&self, other: &Self) -> Self {
        self.combine(
            other,
            self.value.sub(other.value),
            self.magnitude.add(other.magnitude),
            self.roundings.max(other.roundings) + 1,
            self.degree.max(other.degree),
        )
    }

    #[inline]
    fn mul(&self, other: &Self) -> Self {
        self.combine(
            other,
            self.value.mul(other.value),
            self.magnitude.mul(other.magnitude),
            self.roundings + other.roundings + 1,
            self.degree + other.degree,
        )
    }

    /// The exact value's sign, or `None` when the error bound does not
    /// exclude zero (or a leaf was out of range).
    #[inline]
    fn sign(&self) -> Option<Ordering> {
        debug_assert!(self.degree <= MAX_DEGREE && self.roundings < 100);
        let ordering = self
            .value
            .beyond(self.magnitude.error_bound(self.roundings));
        let decided = self.in_range & (ordering.is_ne() | self.magnitude.is_zero());
        decided.then_some(ordering)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leaf_range_constants_are_the_powers_of_two() {
        assert_eq!(SMALLEST_LEAF, 2f64.powi(-200));
        assert_eq!(LARGEST_LEAF, 2f64.powi(200));
    }

    #[test]
    fn decides_clear_signs_and_gives_up_near_zero_or_out_of_range() {
        let one = Bounded::<f64>::difference(1.0, 0.0, Scale::ONE);
        let third = Bounded::<f64>::difference(1.0 / 3.0, 0.0, Scale::ONE);
        assert_eq!(one.sub(&third).sign(), Some(Ordering::Greater));
        assert_eq!(third.sub(&one).sign(), Some(Ordering::Less));
        assert_eq!(one.sub(&one).sign(), None); // 0 computed, but M̂ > 0
        assert_eq!(
            Bounded::<f64>::difference(5.0, 5.0, Scale::ONE)
                .mul(&one)
                .sign(),
            Some(Ordering::Equal)
        );
        for out_of_range in [1e61, 1e-61, f64::INFINITY, f64::NAN, f64::MIN_POSITIVE] {
            assert_eq!(
                Bounded::<f64>::length(out_of_range, Scale::ONE).sign(),
                None
            );
            assert_eq!(
                Bounded::<f64>::length(out_of_range, Scale::ONE)
                    .mul(&one)
                    .add(&one)
                    .sign(),
                None
            );
        }
        // 1e16 + 1 - 1e16 rounds to 0: within the bound, so undecided.
        let big = Bounded::<f64>::difference(1e16, 0.0, Scale::ONE);
        assert_eq!(big.add(&one).sub(&big).sign(), None);
    }
}

//! Exact arithmetic without allocation: floating-point expansions (Shewchuk,
//! "Adaptive Precision Floating-Point Arithmetic and Fast Robust Geometric
//! Predicates", 1997), each value an unevaluated sum of doubles held in a
//! fixed-size array. The middle stage of the exact predicates, between the
//! filter and [`Dyadic`](super::dyadic::Dyadic): near a tie it decides in
//! tens of nanoseconds what the big integers decide in microseconds.
//!
//! # Why the value is exact
//!
//! An expansion is a sum of nonzero components, sorted by increasing
//! magnitude and *nonoverlapping* (the lowest set bit of each is above the
//! highest set bit of the one before), so its sign is its last component's.
//! `two_sum` and `two_product` (with `fma`) return a rounded result and its
//! exact error, which is exact while nothing overflows or underflows;
//! growing, scaling and compressing keep the value and the nonoverlapping
//! property (Shewchuk's theorems 10, 19 and 23; `two_sum` everywhere stands
//! in for `fast_two_sum`, which returns the same pair when its precondition
//! holds, so nothing rests on that precondition).
//!
//! Every input coordinate and length must be 0 or have a magnitude in
//! `[2^-200, 2^200]` (else the value is marked unknown and the big-integer
//! stage decides). Such a double is a multiple of `2^-252`; `two_sum` of
//! multiples of `2^g` gives multiples of `2^g`, and `two_product` of
//! multiples of `2^g` and `2^h` multiples of `2^(g + h)`, so in a polynomial
//! of degree at most 4 every component is a multiple of `2^-1008`: zero or
//! a normal number, never underflowing (an error term of `two_product` is
//! then representable). Every component is at most about the sum of the
//! monomials' absolute values, at most 8 times `(2^201)^4`: no overflow.
//!
//! A value that would need more than [`CAPACITY`] components is marked
//! unknown too, so this stage never fails silently: it decides, or hands
//! over.

use std::cmp::Ordering;

use super::predicates::Arithmetic;
use super::scale::Scale;

/// The most components an expansion holds. Near-ties of typical inputs
/// need a handful (a product of four 53-bit differences, at most 5), and
/// every operation copies the array: beyond this the big integers take
/// over.
const CAPACITY: usize = 12;

/// Sums longer than this are compressed (products are sums).
const COMPRESS_ABOVE: usize = 4;

/// The smallest and largest magnitudes of a nonzero input (see the module
/// documentation): the filter's range of leaves.
const SMALLEST_INPUT: f64 = 6.223015277861142e-61; // 2^-200
const LARGEST_INPUT: f64 = 1.6069380442589903e60; // 2^200

/// An exact value as a nonoverlapping expansion, or unknown (`known ==
/// false`) when an input was out of range or the components would not fit.
///
/// Ownership: a plain `Copy` value on the stack; nothing is allocated.
#[derive(Debug, Clone, Copy)]
pub(super) struct Expansion {
    components: [f64; CAPACITY],
    len: usize,
    known: bool,
}

/// `a + b` as a rounded sum and its exact error (Knuth's two-sum).
#[inline]
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let sum = a + b;
    let b_virtual = sum - a;
    let a_virtual = sum - b_virtual;
    (sum, (a - a_virtual) + (b - b_virtual))
}

/// `a × b` as a rounded product and its exact error.
#[inline]
fn two_product(a: f64, b: f64) -> (f64, f64) {
    let product = a * b;
    (product, a.mul_add(b, -product))
}

/// Whether `unscaled × scale`, `scaled`, is in range: 0 because
/// `unscaled` is, or of a magnitude within the range.
fn in_range(unscaled: f64, scaled: f64) -> bool {
    // False for NaN and infinities.
    unscaled == 0.0 || (SMALLEST_INPUT..=LARGEST_INPUT).contains(&scaled.abs())
}

impl Expansion {
    const ZERO: Expansion = Expansion {
        components: [0.0; CAPACITY],
        len: 0,
        known: true,
    };

    const UNKNOWN: Expansion = Expansion {
        known: false,
        ..Expansion::ZERO
    };

    fn components(&self) -> &[f64] {
        &self.components[..self.len]
    }

    /// Appends a component above all others, dropping zeros.
    #[inline]
    fn push(&mut self, component: f64) {
        if component != 0.0 {
            self.components[self.len] = component;
            self.len += 1;
        }
    }

    /// The exact `head + tail` of a `two_sum` or `two_product`.
    fn from_pair((head, tail): (f64, f64)) -> Self {
        let mut pair = Expansion::ZERO;
        pair.push(tail);
        pair.push(head);
        pair
    }

    /// Adds one double in place (Shewchuk's GROW-EXPANSION, zeros
    /// eliminated). Writing index `len` never passes reading index `i`,
    /// so the components are updated in place.
    fn grow(&mut self, value: f64) {
        if self.len == CAPACITY {
            *self = Expansion::UNKNOWN;
            return;
        }
        let mut sum = value;
        let mut len = 0;
        for i in 0..self.len {
            let (rounded, error) = two_sum(sum, self.components[i]);
            sum = rounded;
            if error != 0.0 {
                self.components[len] = error;
                len += 1;
            }
        }
        self.len = len;
        self.push(sum);
    }

    /// `self × value` (Shewchuk's SCALE-EXPANSION, zeros eliminated).
    fn scaled(&self, value: f64) -> Self {
        if 2 * self.len > CAPACITY {
            return Expansion::UNKNOWN;
        }
        let mut scaled = Expansion::ZERO;
        let Some((&lowest, rest)) = self.components().split_first() else {
            return scaled;
        };
        let (mut carry, error) = two_product(lowest, value);
        scaled.push(error);
        for &component in rest {
            let (product, product_error) = two_product(component, value);
            let (sum, error) = two_sum(carry, product_error);
            scaled.push(error);
            let (rounded, error) = two_sum(product, sum);
            scaled.push(error);
            carry = rounded;
        }
        scaled.push(carry);
        scaled
    }

    /// The same value in fewer components, in place (Shewchuk's
    /// COMPRESS): the downward pass writes at `bottom`, above the index it
    /// reads; the upward pass writes at `top`, at most the index it reads.
    fn compress(&mut self) {
        let Some(&top_component) = self.components().last() else {
            return;
        };
        let components = &mut self.components;
        let mut bottom = self.len - 1;
        let mut sum = top_component;
        for index in (0..self.len - 1).rev() {
            let (rounded, error) = two_sum(sum, components[index]);
            if error != 0.0 {
                components[bottom] = rounded;
                bottom -= 1;
                sum = error;
            } else {
                sum = rounded;
            }
        }
        let mut top = 0;
        for index in bottom + 1..self.len {
            let (rounded, error) = two_sum(components[index], sum);
            if error != 0.0 {
                components[top] = error;
                top += 1;
            }
            sum = rounded;
        }
        self.len = top;
        self.push(sum);
    }

    /// `self + sign × other`, `sign` being 1 or -1 (exact).
    fn plus(&self, other: &Self, sign: f64) -> Self {
        if !(self.known && other.known) {
            return Expansion::UNKNOWN;
        }
        let mut sum = *self;
        for &component in other.components() {
            sum.grow(sign * component);
        }
        // Compressing costs two dependent passes: only worth it on a long sum.
        if sum.len > COMPRESS_ABOVE {
            sum.compress();
        }
        sum
    }
}

impl Arithmetic for Expansion {
    /// The exact difference, as `two_sum` gives it (exact unless it
    /// overflows, when it is out of range), scaled: exact when both
    /// components are in range (see `scale.rs`).
    fn difference(minuend: f64, subtrahend: f64, scale: Scale) -> Self {
        let (head, tail) = two_sum(minuend, -subtrahend);
        let (scaled_head, scaled_tail) = (scale.apply(head), scale.apply(tail));
        if !(in_range(head, scaled_head) && in_range(tail, scaled_tail)) {
            return Expansion::UNKNOWN;
        }
        Expansion::from_pair((scaled_head, scaled_tail))
    }

    fn length(value: f64, scale: Scale) -> Self {
        let scaled = scale.apply(value);
        if !in_range(value, scaled) {
            return Expansion::UNKNOWN;
        }
        let mut length = Expansion::ZERO;
        length.push(scaled);
        length
    }

    fn add(&self, other: &Self) -> Self {
        self.plus(other, 1.0)
    }

    fn sub(&self, other: &Self) -> Self {
        self.plus(other, -1.0)
    }

    fn mul(&self, other: &Self) -> Self {
        if !(self.known && other.known) {
            return Expansion::UNKNOWN;
        }
        // Scale the longer by each component of the shorter.
        let (long, short) = if self.len >= other.len {
            (self, other)
        } else {
            (other, self)
        };
        match short.components() {
            [] => Expansion::ZERO,
            // The usual case near a tie: no sum to form.
            &[component] => long.scaled(component),
            components => components
                .iter()
                .fold(Expansion::ZERO, |product, &component| {
                    product.add(&long.scaled(component))
                }),
        }
    }

    /// The exact sign (the top component's), or `None` when unknown.
    fn sign(&self) -> Option<Ordering> {
        let top = self.components().last().copied().unwrap_or(0.0);
        self.known
            .then(|| top.partial_cmp(&0.0).expect("components are finite"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::points::exact::dyadic::Dyadic;

    #[test]
    fn input_range_constants_are_the_powers_of_two() {
        assert_eq!(SMALLEST_INPUT, 2f64.powi(-200));
        assert_eq!(LARGEST_INPUT, 2f64.powi(200));
    }

    #[test]
    fn sums_and_products_are_exact_where_doubles_round() {
        let big = Expansion::difference(1e16, 0.0, Scale::ONE);
        let one = Expansion::difference(1.0, 0.0, Scale::ONE);
        assert_eq!(
            big.add(&one).sub(&big).sub(&one).sign(),
            Some(Ordering::Equal)
        );
        assert_eq!(big.add(&one).sub(&big).sign(), Some(Ordering::Greater));
        // (1 + 2^-52)² - 1 - 2^-51 = 2^-104 > 0, though it rounds to 0.
        let near_one = Expansion::difference(1.0 + f64::EPSILON, 0.0, Scale::ONE);
        let rest = Expansion::length(2.0 * f64::EPSILON, Scale::ONE);
        let excess = near_one.mul(&near_one).sub(&one).sub(&rest);
        assert_eq!(excess.sign(), Some(Ordering::Greater));
        assert_eq!(
            excess
                .sub(&Expansion::length(f64::EPSILON * f64::EPSILON, Scale::ONE))
                .sign(),
            Some(Ordering::Equal)
        );
        // A difference's error term is kept: (1 - 2^-60) - 1 < 0.
        let below_one = Expansion::difference(1.0, 2f64.powi(-60), Scale::ONE);
        assert_eq!(below_one.sub(&one).sign(), Some(Ordering::Less));
    }

    #[test]
    fn out_of_range_inputs_are_unknown() {
        let one = Expansion::length(1.0, Scale::ONE);
        for out_of_range in [1e61, 1e-61, f64::INFINITY, f64::NAN, f64::MIN_POSITIVE] {
            assert_eq!(Expansion::length(out_of_range, Scale::ONE).sign(), None);
            assert_eq!(
                Expansion::difference(out_of_range, 1.0, Scale::ONE)
                    .mul(&one)
                    .sign(),
                None
            );
            assert_eq!(
                Expansion::difference(1.0, out_of_range, Scale::ONE)
                    .add(&one)
                    .sign(),
                None
            );
        }
        assert_eq!(
            Expansion::length(0.0, Scale::ONE).sign(),
            Some(Ordering::Equal)
        );
    }

    /// Single bits `apart` bits apart from `2^-200` to `2^200`, in both
    /// arithmetics.
    fn sparse_bits(apart: usize) -> (Expansion, Dyadic) {
        let (mut sparse, mut sparse_dyadic) = (Expansion::ZERO, Dyadic::length(0.0, Scale::ONE));
        for exponent in (-200..=200).step_by(apart) {
            sparse = sparse.add(&Expansion::length(2f64.powi(exponent), Scale::ONE));
            sparse_dyadic = sparse_dyadic.add(&Dyadic::length(2f64.powi(exponent), Scale::ONE));
        }
        (sparse, sparse_dyadic)
    }

    /// Values whose bits spread over the whole range are exact while they
    /// fit; a product with more components than fit is unknown, never a
    /// wrong sign.
    #[test]
    fn values_spread_over_the_range_are_exact_or_unknown() {
        // 200 apart: no two bits, nor two of their products, share a double.
        let (sparse, sparse_dyadic) = sparse_bits(200);
        let (square, square_dyadic) = (sparse.mul(&sparse), sparse_dyadic.mul(&sparse_dyadic));
        let one = (
            Expansion::length(1.0, Scale::ONE),
            Dyadic::length(1.0, Scale::ONE),
        );
        for (expansion, dyadic) in [
            (square.sub(&square), square_dyadic.sub(&square_dyadic)),
            (
                square.mul(&square.sub(&one.0)).sub(&square.mul(&square)),
                square_dyadic
                    .mul(&square_dyadic.sub(&one.1))
                    .sub(&square_dyadic.mul(&square_dyadic)),
            ),
        ] {
            assert!(expansion.sign().is_some());
            assert_eq!(expansion.sign(), dyadic.sign());
        }
        // 55 apart: 8 components, whose square does not fit.
        let (sparse, sparse_dyadic) = sparse_bits(55);
        assert_eq!(sparse.len, 8);
        assert_eq!(sparse.sub(&one.0).sign(), sparse_dyadic.sub(&one.1).sign());
        assert_eq!(sparse.mul(&sparse).sign(), None);
    }
}

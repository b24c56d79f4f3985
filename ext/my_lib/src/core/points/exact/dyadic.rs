//! Exact arithmetic on dyadic rationals (an integer times a power of two),
//! which is every finite `f64` and every sum, difference and product of
//! them: the fallback of the exact predicates, used only near a tie.

use std::cmp::Ordering;

use super::predicates::Arithmetic;
use super::scale::Scale;

/// The most 64-bit limbs a value of the predicates needs (see [`Dyadic`]).
const LIMBS: usize = 136;

/// `±magnitude × 2^exponent`, exactly. The magnitude is little-endian
/// 64-bit limbs, the first `len` of a fixed array, with no zero limb at the
/// top, so zero has `len == 0` (and is never negative).
///
/// # Why the array is large enough
///
/// Every leaf is a double or a difference of two: a multiple of `2^-1074`
/// below `2^1025` in magnitude. The predicates are sums of at most 8
/// monomials of degree at most 4 (`predicates.rs`), so every intermediate
/// value (partial sums and products included) is a multiple of `2^-4296`
/// below `2^4103`: at most 8,399 significant bits from its exponent, 132
/// limbs. An addition aligns both operands to the lower exponent (each
/// then at most 132 limbs, plus one for the shifted-out bits) and may carry
/// one more: 134. A product of `a` and `b` limbs is formed in `a + b <= 135`
/// (each operand's limbs span at most one more than its bits need).
///
/// Ownership: a plain `Copy` value on the stack (1.1 KB); nothing is
/// allocated, so the exact fallback cannot run out of memory.
#[derive(Debug, Clone, Copy)]
pub(super) struct Dyadic {
    negative: bool,
    len: usize,
    limbs: [u64; LIMBS],
    exponent: i32,
}

impl Dyadic {
    const ZERO: Dyadic = Dyadic {
        negative: false,
        len: 0,
        limbs: [0; LIMBS],
        exponent: 0,
    };

    /// The exact value of a finite double.
    pub(super) fn from_f64(value: f64) -> Self {
        debug_assert!(value.is_finite());
        let bits = value.to_bits();
        let biased_exponent = ((bits >> 52) & 0x7ff) as i32;
        let fraction = bits & ((1 << 52) - 1);
        let (mantissa, exponent) = if biased_exponent == 0 {
            (fraction, -1074) // subnormal (or zero)
        } else {
            (fraction | (1 << 52), biased_exponent - 1075)
        };
        let mut value = Dyadic {
            negative: bits >> 63 == 1,
            len: 1,
            exponent,
            ..Dyadic::ZERO
        };
        value.limbs[0] = mantissa;
        value.normalize();
        value
    }

    fn magnitude(&self) -> &[u64] {
        &self.limbs[..self.len]
    }

    /// Drops zero limbs at the top; zero is not negative.
    fn normalize(&mut self) {
        while self.len > 0 && self.limbs[self.len - 1] == 0 {
            self.len -= 1;
        }
        if self.len == 0 {
            self.negative = false;
        }
    }

    /// The magnitude as a multiple of `2^exponent` (at most
    /// `self.exponent`), read a limb at a time without forming it.
    fn aligned(&self, exponent: i32) -> Aligned<'_> {
        let shift = (self.exponent - exponent) as usize;
        Aligned {
            limbs: self.magnitude(),
            zeros: shift / 64,
            bits: (shift % 64) as u32,
        }
    }
}

/// A magnitude shifted left by `64 zeros + bits` bits.
struct Aligned<'a> {
    limbs: &'a [u64],
    zeros: usize,
    bits: u32,
}

impl Aligned<'_> {
    /// How many limbs the shifted magnitude spans (at most).
    fn len(&self) -> usize {
        self.zeros + self.limbs.len() + 1
    }

    /// Limb `i` of the shifted magnitude.
    fn limb(&self, i: usize) -> u64 {
        let source = |j: usize| -> u64 {
            j.checked_sub(self.zeros)
                .and_then(|k| self.limbs.get(k))
                .copied()
                .unwrap_or(0)
        };
        if self.bits == 0 {
            source(i)
        } else {
            let low = if i == 0 { 0 } else { source(i - 1) };
            (source(i) << self.bits) | (low >> (64 - self.bits))
        }
    }
}

/// Orders two aligned magnitudes.
fn compare_aligned(a: &Aligned<'_>, b: &Aligned<'_>) -> Ordering {
    (0..a.len().max(b.len()))
        .rev()
        .map(|i| a.limb(i).cmp(&b.limb(i)))
        .find(|ordering| ordering.is_ne())
        .unwrap_or(Ordering::Equal)
}

impl Dyadic {
    /// `self + other`, or `self - other` when `subtract`.
    fn plus(&self, other: &Self, subtract: bool) -> Self {
        let other_negative = other.negative != subtract;
        if other.len == 0 {
            return *self;
        }
        if self.len == 0 {
            return Dyadic {
                negative: other_negative,
                ..*other
            };
        }
        let exponent = self.exponent.min(other.exponent);
        let (a, b) = (self.aligned(exponent), other.aligned(exponent));
        let len = a.len().max(b.len());
        let mut sum = Dyadic {
            len: len + 1,
            exponent,
            ..Dyadic::ZERO
        };
        if self.negative == other_negative {
            sum.negative = self.negative;
            let mut carry = false;
            for i in 0..len {
                let (partial, overflow_1) = a.limb(i).overflowing_add(b.limb(i));
                let (total, overflow_2) = partial.overflowing_add(u64::from(carry));
                sum.limbs[i] = total;
                carry = overflow_1 || overflow_2;
            }
            sum.limbs[len] = u64::from(carry);
        } else {
            // The larger magnitude minus the smaller, with the larger's sign.
            let (larger, smaller, negative) = if compare_aligned(&a, &b).is_ge() {
                (&a, &b, self.negative)
            } else {
                (&b, &a, other_negative)
            };
            sum.negative = negative;
            let mut borrow = false;
            for i in 0..len {
                let (partial, borrow_1) = larger.limb(i).overflowing_sub(smaller.limb(i));
                let (total, borrow_2) = partial.overflowing_sub(u64::from(borrow));
                sum.limbs[i] = total;
                borrow = borrow_1 || borrow_2;
            }
            debug_assert!(!borrow);
        }
        sum.normalize();
        sum
    }
}

impl Arithmetic for Dyadic {
    /// Unscaled: the value is exact, and the predicates are homogeneous,
    /// so the sign is the scaled one.
    fn difference(minuend: f64, subtrahend: f64, _: Scale) -> Self {
        Dyadic::from_f64(minuend).sub(&Dyadic::from_f64(subtrahend))
    }

    fn length(value: f64, _: Scale) -> Self {
        Dyadic::from_f64(value)
    }

    fn add(&self, other: &Self) -> Self {
        self.plus(other, false)
    }

    fn sub(&self, other: &Self) -> Self {
        self.plus(other, true)
    }

    fn mul(&self, other: &Self) -> Self {
        let (a, b) = (self.magnitude(), other.magnitude());
        let mut product = Dyadic {
            negative: self.negative != other.negative,
            len: a.len() + b.len(),
            exponent: self.exponent + other.exponent,
            ..Dyadic::ZERO
        };
        for (i, &a_limb) in a.iter().enumerate() {
            let mut carry = 0u128;
            for (j, &b_limb) in b.iter().enumerate() {
                let wide = u128::from(a_limb) * u128::from(b_limb)
                    + u128::from(product.limbs[i + j])
                    + carry;
                product.limbs[i + j] = wide as u64;
                carry = wide >> 64;
            }
            product.limbs[i + b.len()] = carry as u64;
        }
        product.normalize();
        product
    }

    /// Always decides: the value is exact.
    fn sign(&self) -> Option<Ordering> {
        Some(match (self.len == 0, self.negative) {
            (true, _) => Ordering::Equal,
            (false, true) => Ordering::Less,
            (false, false) => Ordering::Greater,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign_of(value: &Dyadic) -> Ordering {
        value.sign().unwrap()
    }

    fn assert_equal(a: &Dyadic, b: &Dyadic) {
        assert_eq!(sign_of(&a.sub(b)), Ordering::Equal, "{a:?} != {b:?}");
    }

    #[test]
    fn doubles_convert_exactly() {
        assert_equal(&Dyadic::from_f64(0.0), &Dyadic::from_f64(-0.0));
        assert_eq!(sign_of(&Dyadic::from_f64(-0.0)), Ordering::Equal);
        let tiny = Dyadic::from_f64(f64::from_bits(1));
        assert_eq!((tiny.magnitude(), tiny.exponent), (&[1][..], -1074));
        let max = Dyadic::from_f64(f64::MAX);
        assert_eq!(max.exponent, 971);
        assert_eq!(max.magnitude(), [(1 << 53) - 1]);
        assert!(Dyadic::from_f64(-1.5).negative);
    }

    #[test]
    fn sums_and_products_are_exact_across_the_whole_range() {
        let tiny = Dyadic::from_f64(f64::from_bits(1));
        let max = Dyadic::from_f64(f64::MAX);
        // (MAX + tiny) - MAX is tiny, not 0.
        let difference = max.add(&tiny).sub(&max);
        assert_equal(&difference, &tiny);
        // MAX² - MAX² == 0, MAX² - (MAX² - tiny²) == tiny².
        let square = max.mul(&max);
        assert_eq!(sign_of(&square.sub(&square)), Ordering::Equal);
        let tiny_square = tiny.mul(&tiny);
        assert_equal(&square.sub(&square.sub(&tiny_square)), &tiny_square);
        assert_eq!(sign_of(&tiny_square.sub(&square)), Ordering::Less);
        // 3 × -0.5 == -1.5, with carries through limbs.
        assert_equal(
            &Dyadic::from_f64(3.0).mul(&Dyadic::from_f64(-0.5)),
            &Dyadic::from_f64(-1.5),
        );
        let big = Dyadic::from_f64(2f64.powi(64) - 2048.0);
        let squared = big.mul(&big);
        assert_eq!(
            sign_of(&squared.sub(&Dyadic::from_f64((2f64.powi(64) - 2048.0).powi(2)))),
            Ordering::Greater // the double square rounded down
        );
    }

    /// The widest value the predicates form: a degree-4 polynomial whose
    /// leaves mix differences across the whole range (`±MAX` against the
    /// smallest subnormal), which must fit the fixed array.
    #[test]
    fn the_widest_values_fit_the_array() {
        let tiny = f64::from_bits(1);
        let wide = Dyadic::difference(f64::MAX, -tiny, Scale::ONE);
        let huge = Dyadic::difference(f64::MAX, -f64::MAX, Scale::ONE);
        let mut sum = Dyadic::length(0.0, Scale::ONE);
        for _ in 0..8 {
            let monomial = wide.mul(&huge).mul(&wide).mul(&huge);
            sum = sum.add(&monomial);
        }
        assert!(sum.len <= LIMBS);
        let smallest =
            Dyadic::difference(tiny, 0.0, Scale::ONE).mul(&Dyadic::length(tiny, Scale::ONE));
        let smallest = smallest.mul(&smallest);
        let total = sum.add(&smallest);
        assert!(total.len > 128, "spans {} limbs", total.len);
        assert_equal(&total.sub(&sum), &smallest);
    }

    /// The values live on the stack: a whole decision in big integers, on
    /// the widest inputs, runs in a thread with 256 KiB of it (a Ruby
    /// fiber's machine stack is larger), even unoptimized.
    #[test]
    fn a_decision_fits_a_small_stack() {
        use crate::core::point::Point;
        use crate::core::points::exact::predicates;

        let tiny = f64::from_bits(1);
        let [start, end, p, q] = [
            Point::new(-f64::MAX, tiny),
            Point::new(f64::MAX, -tiny),
            Point::new(tiny, f64::MAX),
            Point::new(-tiny, -f64::MAX),
        ];
        let decided = std::thread::Builder::new()
            .stack_size(256 << 10)
            .spawn(move || {
                predicates::compare_segment_distances::<Dyadic>(start, end, p, q, Scale::ONE)
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(decided, Some(Ordering::Equal));
    }
}

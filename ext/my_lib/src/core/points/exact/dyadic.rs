//! Exact arithmetic on dyadic rationals (an integer times a power of two),
//! which is every finite `f64` and every sum, difference and product of
//! them: the fallback of the exact predicates, used only near a tie.

use std::cmp::Ordering;

use super::predicates::Arithmetic;

/// `±magnitude × 2^exponent`, exactly. The magnitude is little-endian
/// 64-bit limbs with no zero limb at the top, so zero is the empty
/// magnitude (and is never negative).
///
/// Ownership: a plain value that owns its limbs. The limbs are few (at most
/// about 140 for a product of four differences of doubles), so they are
/// allocated infallibly: their size does not depend on the input's length.
#[derive(Debug, Clone)]
pub(super) struct Dyadic {
    negative: bool,
    magnitude: Vec<u64>,
    exponent: i32,
}

impl Dyadic {
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
        Dyadic {
            negative: bits >> 63 == 1,
            magnitude: vec![mantissa],
            exponent,
        }
        .normalized()
    }

    fn normalized(mut self) -> Self {
        while self.magnitude.last() == Some(&0) {
            self.magnitude.pop();
        }
        if self.magnitude.is_empty() {
            self.negative = false;
        }
        self
    }

    fn negated(&self) -> Self {
        Dyadic {
            negative: !self.negative && !self.magnitude.is_empty(),
            ..self.clone()
        }
    }

    /// The magnitude as a multiple of `2^exponent` (at most `self.exponent`).
    fn magnitude_at(&self, exponent: i32) -> Vec<u64> {
        let shift = (self.exponent - exponent) as usize;
        let (limbs, bits) = (shift / 64, shift % 64);
        let mut shifted = vec![0; limbs];
        let mut carry = 0;
        for &limb in &self.magnitude {
            shifted.push(if bits == 0 {
                limb
            } else {
                (limb << bits) | carry
            });
            carry = if bits == 0 { 0 } else { limb >> (64 - bits) };
        }
        shifted.push(carry);
        shifted
    }
}

/// `a + b` on magnitudes of any lengths.
fn add_magnitudes(a: &[u64], b: &[u64]) -> Vec<u64> {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let mut sum = Vec::with_capacity(long.len() + 1);
    let mut carry = false;
    for (i, &limb) in long.iter().enumerate() {
        let (partial, overflow_1) = limb.overflowing_add(short.get(i).copied().unwrap_or(0));
        let (total, overflow_2) = partial.overflowing_add(u64::from(carry));
        sum.push(total);
        carry = overflow_1 || overflow_2;
    }
    sum.push(u64::from(carry));
    sum
}

/// `a - b` on magnitudes, where `a >= b`.
fn subtract_magnitudes(a: &[u64], b: &[u64]) -> Vec<u64> {
    let mut difference = Vec::with_capacity(a.len());
    let mut borrow = false;
    for (i, &limb) in a.iter().enumerate() {
        let (partial, borrow_1) = limb.overflowing_sub(b.get(i).copied().unwrap_or(0));
        let (total, borrow_2) = partial.overflowing_sub(u64::from(borrow));
        difference.push(total);
        borrow = borrow_1 || borrow_2;
    }
    debug_assert!(!borrow);
    difference
}

/// Orders magnitudes that may have zero limbs at the top.
fn compare_magnitudes(a: &[u64], b: &[u64]) -> Ordering {
    let limb = |m: &[u64], i: usize| m.get(i).copied().unwrap_or(0);
    (0..a.len().max(b.len()))
        .rev()
        .map(|i| limb(a, i).cmp(&limb(b, i)))
        .find(|ordering| ordering.is_ne())
        .unwrap_or(Ordering::Equal)
}

impl Arithmetic for Dyadic {
    fn difference(minuend: f64, subtrahend: f64) -> Self {
        Dyadic::from_f64(minuend).sub(&Dyadic::from_f64(subtrahend))
    }

    fn length(value: f64) -> Self {
        Dyadic::from_f64(value)
    }

    fn add(&self, other: &Self) -> Self {
        let exponent = self.exponent.min(other.exponent);
        let (a, b) = (self.magnitude_at(exponent), other.magnitude_at(exponent));
        let (negative, magnitude) = if self.negative == other.negative {
            (self.negative, add_magnitudes(&a, &b))
        } else if compare_magnitudes(&a, &b).is_ge() {
            (self.negative, subtract_magnitudes(&a, &b))
        } else {
            (other.negative, subtract_magnitudes(&b, &a))
        };
        Dyadic {
            negative,
            magnitude,
            exponent,
        }
        .normalized()
    }

    fn sub(&self, other: &Self) -> Self {
        self.add(&other.negated())
    }

    fn mul(&self, other: &Self) -> Self {
        let mut product = vec![0u64; self.magnitude.len() + other.magnitude.len()];
        for (i, &a) in self.magnitude.iter().enumerate() {
            let mut carry = 0u128;
            for (j, &b) in other.magnitude.iter().enumerate() {
                let wide = u128::from(a) * u128::from(b) + u128::from(product[i + j]) + carry;
                product[i + j] = wide as u64;
                carry = wide >> 64;
            }
            product[i + other.magnitude.len()] = carry as u64;
        }
        Dyadic {
            negative: self.negative != other.negative,
            magnitude: product,
            exponent: self.exponent + other.exponent,
        }
        .normalized()
    }

    /// Always decides: the value is exact.
    fn sign(&self) -> Option<Ordering> {
        Some(match (self.magnitude.is_empty(), self.negative) {
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
        assert_eq!(
            (tiny.magnitude.as_slice(), tiny.exponent),
            (&[1][..], -1074)
        );
        let max = Dyadic::from_f64(f64::MAX);
        assert_eq!(max.exponent, 971);
        assert_eq!(max.magnitude, [(1 << 53) - 1]);
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
}

//! Floating point with an exponent of its own: a double's 53-bit mantissa
//! times `2^exponent` for any `i32` exponent, so that no product or sum of
//! the predicates' leaves ever overflows or underflows. The numbers of the
//! filter's last attempt, for decisions whose leaves span more than its
//! `f64` range allows (a segment from `1e-70` to `MAX`, or teeth of
//! `1e-300` on a path `1e304` long), before big integers.
//!
//! # Why every operation rounds once
//!
//! A nonzero [`Wide`] is `mantissa × 2^exponent` with `|mantissa|` in
//! `[1, 2)`. A product multiplies the mantissas (in `[1, 4)`, one rounding)
//! and adds the exponents; a sum aligns the smaller operand to the larger's
//! exponent, `2^-gap` times its mantissa, exact for `gap <= 1000` (the
//! result is at least `2^-1000`, normal), and adds (one rounding). For a
//! larger `gap` the sum is the larger operand: its error, the smaller
//! operand, is below `2^-999` times the result, less than `2^-53`.
//! Renormalizing is exact. So each operation is the exact result times `(1
//! + δ)`, `|δ| <= 2^-53`, without a range condition: the filter's bound
//! (`filter.rs`) holds for any leaves.

use std::cmp::Ordering;

use super::filter::Float;
use super::scale::{Scale, exponent, power_of_two};

/// Sums whose operands' exponents differ by more than this are the larger.
const WIDEST_GAP: i32 = 1000;

/// `2^64`, to bring a subnormal into the normal range.
const TWO_TO_64: f64 = 18446744073709551616.0;

/// `mantissa × 2^exponent`, with `mantissa` 0 or of magnitude in `[1, 2)`.
///
/// Ownership: a plain `Copy` value.
#[derive(Debug, Clone, Copy)]
pub(super) struct Wide {
    mantissa: f64,
    exponent: i32,
}

impl Wide {
    const ZERO: Wide = Wide {
        mantissa: 0.0,
        exponent: 0,
    };

    /// `value × 2^exponent`, exactly, for a finite `value`.
    fn new(value: f64, exponent_offset: i32) -> Wide {
        if value == 0.0 {
            return Wide::ZERO;
        }
        let normal = if value.abs() < f64::MIN_POSITIVE {
            value * TWO_TO_64
        } else {
            value
        };
        let bits = normal.to_bits() & !(0x7ff << 52);
        Wide {
            mantissa: f64::from_bits(bits | (1023 << 52)),
            exponent: exponent(value) + exponent_offset,
        }
    }

    fn negated(self) -> Wide {
        Wide {
            mantissa: -self.mantissa,
            ..self
        }
    }

    fn sign(self) -> Ordering {
        self.mantissa.partial_cmp(&0.0).expect("finite")
    }
}

impl Float for Wide {
    /// Unscaled (a wide number needs no scale): in range whenever finite,
    /// as the fallback's inputs are.
    fn difference(minuend: f64, subtrahend: f64, _: Scale) -> (Wide, bool) {
        (Wide::new(minuend, 0).sub(Wide::new(subtrahend, 0)), true)
    }

    fn length(value: f64, _: Scale) -> (Wide, bool) {
        (Wide::new(value, 0), true)
    }

    fn add(self, other: Wide) -> Wide {
        if other.mantissa == 0.0 {
            return self;
        }
        if self.mantissa == 0.0 {
            return other;
        }
        let (larger, smaller) = if self.exponent >= other.exponent {
            (self, other)
        } else {
            (other, self)
        };
        let gap = larger.exponent - smaller.exponent;
        if gap > WIDEST_GAP {
            return larger;
        }
        Wide::new(
            larger.mantissa + smaller.mantissa * power_of_two(-gap),
            larger.exponent,
        )
    }

    fn sub(self, other: Wide) -> Wide {
        self.add(other.negated())
    }

    fn mul(self, other: Wide) -> Wide {
        Wide::new(
            self.mantissa * other.mantissa,
            self.exponent + other.exponent,
        )
    }

    fn abs(self) -> Wide {
        Wide {
            mantissa: self.mantissa.abs(),
            ..self
        }
    }

    fn error_bound(self, roundings: u32) -> Wide {
        Wide::new(
            self.mantissa * (f64::from(roundings) * f64::EPSILON),
            self.exponent,
        )
    }

    /// Signs of rounded sums are exact (rounding keeps a sign, and gives 0
    /// only for an exact 0).
    fn beyond(self, bound: Wide) -> Ordering {
        if self.sub(bound).sign().is_gt() {
            Ordering::Greater
        } else if self.add(bound).sign().is_lt() {
            Ordering::Less
        } else {
            Ordering::Equal
        }
    }

    fn is_zero(self) -> bool {
        self.mantissa == 0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value as a double, when it is in range.
    fn value(wide: Wide) -> f64 {
        wide.mantissa * 2f64.powi(wide.exponent)
    }

    #[test]
    fn values_convert_and_combine_across_the_whole_range() {
        let tiny = f64::from_bits(1);
        assert_eq!(Wide::new(tiny, 0).exponent, -1074);
        assert_eq!(Wide::new(tiny, 0).mantissa, 1.0);
        assert_eq!(Wide::new(-3.0, 0).mantissa, -1.5);
        assert_eq!(value(Wide::new(0.1, 0)), 0.1);
        let max = Wide::new(f64::MAX, 0);
        // MAX⁴ and tiny⁴ neither overflow nor underflow.
        let huge = max.mul(max).mul(max).mul(max);
        assert_eq!(huge.exponent, 4 * 1023 + 3);
        let small = Wide::new(tiny, 0).mul(Wide::new(tiny, 0));
        assert_eq!((small.mantissa, small.exponent), (1.0, -2148));
        assert_eq!(huge.add(small).exponent, huge.exponent);
        assert_eq!(huge.sub(huge).sign(), Ordering::Equal);
        assert_eq!(small.sub(huge).sign(), Ordering::Less);
        assert_eq!(value(Wide::new(1.5, 0).add(Wide::new(-0.25, 0))), 1.25);
        assert_eq!(value(Wide::new(3.0, 0).mul(Wide::new(-0.5, 0))), -1.5);
        // Sums round once: 1 + 2^-53 is 1, 1 + 2^-52 is not.
        let one = Wide::new(1.0, 0);
        assert_eq!(value(one.add(Wide::new(f64::EPSILON / 2.0, 0))), 1.0);
        assert_eq!(
            value(one.add(Wide::new(f64::EPSILON, 0))),
            1.0 + f64::EPSILON
        );
        assert_eq!(one.beyond(Wide::new(0.5, 0)), Ordering::Greater);
        assert_eq!(one.negated().beyond(Wide::new(0.5, 0)), Ordering::Less);
        assert_eq!(one.beyond(one), Ordering::Equal);
    }
}

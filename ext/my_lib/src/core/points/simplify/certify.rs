//! Distances that double arithmetic computes without any rounding, checked
//! by error-free transformations: the cheap exact comparison for inputs on
//! a grid (integers, or a few bits after the point), where whole rows of
//! points tie exactly and the general exact arithmetic would be needed for
//! every one of them.
//!
//! Every difference, product and sum below is checked exact (its rounding
//! error computed exactly and found zero); a result is only returned when
//! all were, so it is the exact value, and comparisons of such values are
//! exact. Otherwise `None`: the caller asks the exact predicates.

use std::cmp::Ordering;

use crate::core::point::Point;

/// A distance from a point to a segment, certified.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Certified {
    /// The point is on the segment.
    Zero,
    /// Nearest to the segment's interior, at `|cross| / |end - start|`:
    /// this `|cross| > 0` (the length is the same for every point).
    Interior(f64),
    /// Nearest to an end, at this squared distance `> 0`.
    End(f64),
}

impl Certified {
    /// How two certified distances to the same segment compare, when the
    /// certificates tell (an interior and an end distance do not).
    pub(super) fn compare(self, other: Certified) -> Option<Ordering> {
        match (self, other) {
            (Certified::Zero, Certified::Zero) => Some(Ordering::Equal),
            (Certified::Zero, _) => Some(Ordering::Less),
            (_, Certified::Zero) => Some(Ordering::Greater),
            (Certified::Interior(a), Certified::Interior(b))
            | (Certified::End(a), Certified::End(b)) => a.partial_cmp(&b),
            _ => None,
        }
    }

    /// The distance from `point` to the segment `start`–`end`, if double
    /// arithmetic gets it exactly.
    pub(super) fn distance(start: Point, end: Point, point: Point) -> Option<Certified> {
        let direction = difference(end, start)?;
        let from_start = difference(point, start)?;
        if direction == (0.0, 0.0) || !is_positive(dot(from_start, direction)?) {
            return end_distance(from_start);
        }
        let from_end = difference(point, end)?;
        if !is_negative(dot(from_end, direction)?) {
            return end_distance(from_end);
        }
        let (a, b) = (
            product(from_start.0, direction.1)?,
            product(from_start.1, direction.0)?,
        );
        let cross = sum(a, -b)?;
        Some(if cross == 0.0 {
            Certified::Zero
        } else {
            Certified::Interior(cross.abs())
        })
    }
}

fn end_distance(vector: (f64, f64)) -> Option<Certified> {
    let squared = sum(product(vector.0, vector.0)?, product(vector.1, vector.1)?)?;
    Some(if squared == 0.0 {
        Certified::Zero
    } else {
        Certified::End(squared)
    })
}

/// A dot product as two exact products, whose sum's sign is exact.
fn dot(a: (f64, f64), b: (f64, f64)) -> Option<(f64, f64)> {
    Some((product(a.0, b.0)?, product(a.1, b.1)?))
}

fn is_positive((a, b): (f64, f64)) -> bool {
    a > -b
}

fn is_negative((a, b): (f64, f64)) -> bool {
    a < -b
}

fn difference(a: Point, b: Point) -> Option<(f64, f64)> {
    Some((sum(a.x, -b.x)?, sum(a.y, -b.y)?))
}

/// `a + b` if it is exact (Knuth's two-sum: the rounding error, computed
/// exactly, is zero).
fn sum(a: f64, b: f64) -> Option<f64> {
    let s = a + b;
    let b_virtual = s - a;
    let a_virtual = s - b_virtual;
    let error = (a - a_virtual) + (b - b_virtual);
    (s.is_finite() && error == 0.0).then_some(s)
}

/// `a * b` if it is exact: a fused multiply-add gives the rounding error,
/// exactly when the product is far from the subnormal range (2^-900 and
/// up: the error of a product of doubles that large is a multiple of
/// 2^-1006, so it is representable, and zero only when there is none).
fn product(a: f64, b: f64) -> Option<f64> {
    let p = a * b;
    if p == 0.0 {
        return (a == 0.0 || b == 0.0).then_some(0.0);
    }
    let exact =
        p.is_finite() && p.abs() >= f64::from_bits((1023 - 900) << 52) && a.mul_add(b, -p) == 0.0;
    exact.then_some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn certified(start: (f64, f64), end: (f64, f64), point: (f64, f64)) -> Option<Certified> {
        let p = |(x, y)| Point::new(x, y);
        Certified::distance(p(start), p(end), p(point))
    }

    #[test]
    fn grid_distances_are_certified() {
        let (start, end) = ((0.0, 0.0), (4.0, 0.0));
        assert_eq!(certified(start, end, (2.0, 0.0)), Some(Certified::Zero));
        assert_eq!(
            certified(start, end, (2.0, -3.0)),
            Some(Certified::Interior(12.0))
        );
        assert_eq!(
            certified(start, end, (7.0, 4.0)),
            Some(Certified::End(25.0))
        );
        assert_eq!(
            certified(start, end, (-3.0, 4.0)),
            Some(Certified::End(25.0))
        );
        assert_eq!(
            certified(start, start, (3.0, 4.0)),
            Some(Certified::End(25.0))
        );
        assert_eq!(certified(start, end, (4.0, 0.0)), Some(Certified::Zero));
    }

    #[test]
    fn roundings_are_not_certified() {
        // 0.1 - 1e9 rounds; 1e200 squared overflows; 1e-200 squared underflows.
        assert_eq!(certified((1e9, 0.0), (1e9 + 4.0, 0.0), (0.1, 1.0)), None);
        assert_eq!(certified((0.0, 0.0), (0.0, 0.0), (1e200, 0.0)), None);
        assert_eq!(certified((0.0, 0.0), (0.0, 0.0), (1e-200, 0.0)), None);
        // (1 + 2^-52)^2 needs 105 bits.
        let odd = 1.0 + f64::EPSILON;
        assert_eq!(certified((0.0, 0.0), (0.0, 0.0), (odd, 0.0)), None);
    }

    #[test]
    fn comparisons_follow_the_distances() {
        use Certified::*;
        assert_eq!(Zero.compare(Interior(1.0)), Some(Ordering::Less));
        assert_eq!(End(4.0).compare(Zero), Some(Ordering::Greater));
        assert_eq!(Interior(2.0).compare(Interior(2.0)), Some(Ordering::Equal));
        assert_eq!(End(2.0).compare(End(3.0)), Some(Ordering::Less));
        assert_eq!(Interior(2.0).compare(End(3.0)), None);
    }
}

//! The oracle: squared distances in exact rational arithmetic
//! (`num-rational`), by the textbook formula (project onto the segment's
//! line, clamp to the segment), not the predicates' case analysis.

use num_bigint::BigInt;
use num_rational::BigRational;

use crate::core::point::Point;

pub(super) type Rational = BigRational;

/// The exact value of a finite double.
pub(super) fn rational(value: f64) -> Rational {
    Rational::from_float(value).expect("a finite double")
}

fn integer(value: i32) -> Rational {
    Rational::from_integer(BigInt::from(value))
}

fn coordinates(p: Point) -> (Rational, Rational) {
    (rational(p.x), rational(p.y))
}

pub(super) fn squared_distance(p: Point, q: Point) -> Rational {
    let ((px, py), (qx, qy)) = (coordinates(p), coordinates(q));
    let (dx, dy) = (px - qx, py - qy);
    &dx * &dx + &dy * &dy
}

/// From `p` to the closed segment from `start` to `end`.
pub(super) fn squared_distance_to_segment(start: Point, end: Point, p: Point) -> Rational {
    let ((ax, ay), (bx, by), (px, py)) = (coordinates(start), coordinates(end), coordinates(p));
    let (dx, dy) = (&bx - &ax, &by - &ay);
    let length_squared = &dx * &dx + &dy * &dy;
    let (zero, one) = (integer(0), integer(1));
    if length_squared == zero {
        return squared_distance(start, p);
    }
    let along = ((&px - &ax) * &dx + (&py - &ay) * &dy) / length_squared;
    let along = along.clamp(zero, one);
    let (nearest_x, nearest_y) = (ax + &along * dx, ay + along * dy);
    let (ex, ey) = (px - nearest_x, py - nearest_y);
    &ex * &ex + &ey * &ey
}

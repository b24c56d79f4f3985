//! The oracle: squared distances in exact rational arithmetic
//! (`num-rational`), by the textbook formulas (projection onto the segment's
//! line and Pythagoras), not the predicates' cross products, filter or
//! dyadic numbers.

use num_bigint::BigInt;
use num_rational::BigRational;

use crate::core::point::Point;

pub(in crate::core::points::exact) type Rational = BigRational;

/// The exact value of a finite double.
pub(in crate::core::points::exact) fn rational(value: f64) -> Rational {
    Rational::from_float(value).expect("a finite double")
}

fn integer(value: i32) -> Rational {
    Rational::from_integer(BigInt::from(value))
}

fn coordinates(p: Point) -> (Rational, Rational) {
    (rational(p.x), rational(p.y))
}

pub(in crate::core::points::exact) fn squared_distance(p: Point, q: Point) -> Rational {
    let ((px, py), (qx, qy)) = (coordinates(p), coordinates(q));
    let (dx, dy) = (px - qx, py - qy);
    &dx * &dx + &dy * &dy
}

/// From `p` to the closed segment from `start` to `end`: to the nearest
/// end when `p` projects outside the segment, else by Pythagoras,
/// `|p - start|² - (projection length)²`.
pub(super) fn squared_distance_to_segment(start: Point, end: Point, p: Point) -> Rational {
    let ((ax, ay), (bx, by), (px, py)) = (coordinates(start), coordinates(end), coordinates(p));
    let (dx, dy) = (bx - &ax, by - &ay);
    let length_squared = &dx * &dx + &dy * &dy;
    // `along / length_squared` is where `p` projects, from 0 at `start` to 1 at `end`.
    let along = (&px - &ax) * &dx + (&py - &ay) * &dy;
    if along <= integer(0) {
        squared_distance(start, p)
    } else if along >= length_squared {
        squared_distance(end, p)
    } else {
        squared_distance(start, p) - &along * &along / length_squared
    }
}

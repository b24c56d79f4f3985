//! The distance decisions as signs of polynomials in coordinate differences,
//! written once over an [`Arithmetic`]: evaluated first with the error-bounded
//! [`Bounded`](super::filter::Bounded), then, if it cannot decide, with the
//! exact [`Dyadic`](super::dyadic::Dyadic). Inputs are finite here; the
//! caller handles the others.
//!
//! Every polynomial has degree at most 4 in the leaves (differences of input
//! coordinates, and the given lengths), as the filter requires, and is
//! homogeneous: every monomial has the same degree (4 in a comparison of
//! segment distances, 2 in the other comparisons, in the signs of dot
//! products and in whether a point lies on a segment), so every leaf may
//! be multiplied by the same [`Scale`] without changing a sign.

use std::cmp::Ordering;

use super::scale::Scale;
use crate::core::point::Point;

/// Numbers that the predicates are evaluated in.
pub(super) trait Arithmetic: Sized {
    /// `(minuend - subtrahend) × scale`, two input coordinates (a leaf).
    fn difference(minuend: f64, subtrahend: f64, scale: Scale) -> Self;
    /// `value × scale`, an input length such as a radius (a leaf).
    fn length(value: f64, scale: Scale) -> Self;
    fn add(&self, other: &Self) -> Self;
    fn sub(&self, other: &Self) -> Self;
    fn mul(&self, other: &Self) -> Self;
    /// The sign of the exact value, or `None` if this arithmetic cannot
    /// tell. Exact arithmetic always tells.
    fn sign(&self) -> Option<Ordering>;
}

/// The vector from one input point to another.
struct Vector<T> {
    x: T,
    y: T,
}

impl<T: Arithmetic> Vector<T> {
    fn between(from: Point, to: Point, scale: Scale) -> Self {
        Vector {
            x: T::difference(to.x, from.x, scale),
            y: T::difference(to.y, from.y, scale),
        }
    }

    fn dot(&self, other: &Self) -> T {
        self.x.mul(&other.x).add(&self.y.mul(&other.y))
    }

    fn cross(&self, other: &Self) -> T {
        self.x.mul(&other.y).sub(&self.y.mul(&other.x))
    }

    fn norm_squared(&self) -> T {
        self.dot(self)
    }
}

/// A squared distance to a segment: `numerator`, divided by the segment's
/// squared length when `over_length` (the distance to its interior), else
/// undivided (the distance to an end, or a given length squared).
struct SquaredDistance<T> {
    numerator: T,
    over_length: bool,
}

impl<T: Arithmetic> SquaredDistance<T> {
    fn of_length(length: f64, scale: Scale) -> Self {
        let length = T::length(length, scale);
        SquaredDistance {
            numerator: length.mul(&length),
            over_length: false,
        }
    }

    /// From `point` to the closed segment from `start` to `end` (to `start`
    /// when both are the same point). `None` if the arithmetic cannot tell
    /// which part of the segment is closest.
    fn to_segment(start: Point, end: Point, point: Point, scale: Scale) -> Option<Self> {
        let direction = Vector::<T>::between(start, end, scale);
        let from_start = Vector::between(start, point, scale);
        // At or behind `start` (always, when `direction` is 0).
        if from_start.dot(&direction).sign()?.is_le() {
            return Some(SquaredDistance {
                numerator: from_start.norm_squared(),
                over_length: false,
            });
        }
        let from_end = Vector::between(end, point, scale);
        if from_end.dot(&direction).sign()?.is_ge() {
            return Some(SquaredDistance {
                numerator: from_end.norm_squared(),
                over_length: false,
            });
        }
        let cross = direction.cross(&from_start);
        Some(SquaredDistance {
            numerator: cross.mul(&cross),
            over_length: true,
        })
    }

    /// Orders `self` and `other`, given the segment's squared length (which
    /// is positive whenever one of them is `over_length`).
    fn compare(&self, other: &Self, length_squared: &T) -> Option<Ordering> {
        let difference = match (self.over_length, other.over_length) {
            (false, false) | (true, true) => self.numerator.sub(&other.numerator),
            (true, false) => self.numerator.sub(&other.numerator.mul(length_squared)),
            (false, true) => self.numerator.mul(length_squared).sub(&other.numerator),
        };
        difference.sign()
    }
}

/// `|p - target|` against `|q - target|`.
pub(super) fn compare_point_distances<T: Arithmetic>(
    target: Point,
    p: Point,
    q: Point,
    scale: Scale,
) -> Option<Ordering> {
    let to_p = Vector::<T>::between(target, p, scale).norm_squared();
    let to_q = Vector::<T>::between(target, q, scale).norm_squared();
    to_p.sub(&to_q).sign()
}

/// `|p - center|` against `radius` (`>= 0`).
pub(super) fn compare_point_distance_with<T: Arithmetic>(
    center: Point,
    p: Point,
    radius: f64,
    scale: Scale,
) -> Option<Ordering> {
    let radius = T::length(radius, scale);
    Vector::<T>::between(center, p, scale)
        .norm_squared()
        .sub(&radius.mul(&radius))
        .sign()
}

/// `dist(p, segment)` against `dist(q, segment)`.
pub(super) fn compare_segment_distances<T: Arithmetic>(
    start: Point,
    end: Point,
    p: Point,
    q: Point,
    scale: Scale,
) -> Option<Ordering> {
    let to_p = SquaredDistance::<T>::to_segment(start, end, p, scale)?;
    let to_q = SquaredDistance::<T>::to_segment(start, end, q, scale)?;
    to_p.compare(&to_q, &Vector::between(start, end, scale).norm_squared())
}

/// `dist(p, segment)` against `length` (`>= 0`). Against 0, whether `p`
/// lies on the segment ([`on_segment`]), by signs of degree 2: squaring
/// the cross product would leave the filter an error bound relative to
/// the squares of the coordinates' differences, far above the square of a
/// small cross product, so near-collinear points would all go exact.
pub(super) fn compare_segment_distance_with<T: Arithmetic>(
    start: Point,
    end: Point,
    p: Point,
    length: f64,
    scale: Scale,
) -> Option<Ordering> {
    if length == 0.0 {
        let on = on_segment::<T>(start, end, p, scale)?;
        return Some(if on {
            Ordering::Equal
        } else {
            Ordering::Greater
        });
    }
    compare_squared_segment_distance_with::<T>(start, end, p, length, scale)
}

/// Whether `p` lies on the closed segment (is `start` when both ends are
/// one point): its distance is 0 exactly when the vector to the segment's
/// nearest part is 0, that is `p` is the end it lies at or beyond, or its
/// cross product with the segment is 0.
fn on_segment<T: Arithmetic>(start: Point, end: Point, p: Point, scale: Scale) -> Option<bool> {
    let direction = Vector::<T>::between(start, end, scale);
    let from_start = Vector::between(start, p, scale);
    if from_start.dot(&direction).sign()?.is_le() {
        return Some(p == start);
    }
    if Vector::between(end, p, scale)
        .dot(&direction)
        .sign()?
        .is_ge()
    {
        return Some(p == end);
    }
    Some(direction.cross(&from_start).sign()?.is_eq())
}

/// `dist(p, segment)²` against `length²`, as polynomials of degree 4: the
/// general case of [`compare_segment_distance_with`].
fn compare_squared_segment_distance_with<T: Arithmetic>(
    start: Point,
    end: Point,
    p: Point,
    length: f64,
    scale: Scale,
) -> Option<Ordering> {
    let to_p = SquaredDistance::<T>::to_segment(start, end, p, scale)?;
    to_p.compare(
        &SquaredDistance::of_length(length, scale),
        &Vector::between(start, end, scale).norm_squared(),
    )
}

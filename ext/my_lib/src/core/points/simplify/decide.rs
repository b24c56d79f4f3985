//! The decisions Douglas–Peucker makes, in one place: whether a point has a
//! distance to a segment at all, which of two points is farther from it,
//! and whether a point is farther than the tolerance. Both the fast search
//! and the straightforward oracle make them here, so they agree by
//! construction.
//!
//! PLACEHOLDER until `core::points::exact` lands: plain floating point,
//! with that module's signatures and its rules for NaN and infinities.

use std::cmp::Ordering;

use crate::core::point::Point;

/// Whether the distance from `p` to the segment `start`–`end` is defined.
pub(super) fn is_defined(start: Point, end: Point, p: Point) -> bool {
    let coordinates = [start.x, start.y, end.x, end.y, p.x, p.y];
    if coordinates.iter().any(|c| c.is_nan()) {
        false
    } else if coordinates.iter().all(|c| c.is_finite()) || start != end {
        true
    } else {
        !((p.x - start.x).is_nan() || (p.y - start.y).is_nan())
    }
}

/// How the distance from `p` to the segment `start`–`end` compares with
/// that of `q`; `None` if either is undefined.
pub(super) fn compare_distances(start: Point, end: Point, p: Point, q: Point) -> Option<Ordering> {
    if !(is_defined(start, end, p) && is_defined(start, end, q)) {
        return None;
    }
    distance(start, end, p).partial_cmp(&distance(start, end, q))
}

/// Whether the distance from `p` to the segment `start`–`end` exceeds
/// `tolerance`.
pub(super) fn exceeds(start: Point, end: Point, p: Point, tolerance: f64) -> bool {
    is_defined(start, end, p) && distance(start, end, p) > tolerance
}

fn distance(a: Point, b: Point, p: Point) -> f64 {
    let direction = b - a;
    let length_squared = direction.x * direction.x + direction.y * direction.y;
    if length_squared.is_nan() || length_squared <= 0.0 {
        return p.distance_to(a);
    }
    let along = p - a;
    let cross = along.x * direction.y - along.y * direction.x;
    let projection = (along.x * direction.x + along.y * direction.y) / length_squared;
    if projection <= 0.0 {
        p.distance_to(a)
    } else if projection >= 1.0 {
        p.distance_to(b)
    } else {
        cross.abs() / length_squared.sqrt()
    }
}

//! Exact distance decisions: which of two points is nearer to a target or
//! to a segment, and whether a point is within a radius or beyond a
//! tolerance, decided on the real numbers that the input doubles denote,
//! as robust geometry predicates are, for every input.
//!
//! Each decision is the sign of a homogeneous polynomial of degree at most
//! 4 in coordinate differences (a square of a distance against another),
//! but a distance to a segment against 0, which is whether the point lies
//! on it: signs of degree 2, the two dot products that place it along the
//! segment and the cross product (a square would leave the filter a bound
//! relative to the squares of the differences, so every near-collinear
//! point would go exact). Each is evaluated first in `f64` with a proven
//! bound on its rounding error (`filter.rs`, where the proof is), which
//! decides unless the value is within that bound of zero (a tie, or a point
//! near the threshold) or a difference is outside `[2^-200, 2^200]` (as at
//! 1e308 or among subnormals). Then, out of line (`fallback.rs`), the
//! decision's leaves are multiplied by a power of two of its own
//! (`scale.rs`: homogeneity keeps the sign), and it is tried again in the
//! filter; then exactly, without allocating, in sums of doubles
//! (`expansion.rs`) when the scaled inputs are in that range and the sums
//! fit in a fixed array; then in the filter on numbers with an exponent of
//! their own (`wide.rs`) when the leaves span more than the range; last in
//! integers times powers of two, held in a fixed array (`dyadic.rs`). All
//! evaluate the same formulas (`predicates.rs`). On typical inputs the
//! filter decides alone, and the point predicates cost about what
//! `Point::distance_to` and a comparison cost (`tests/cost.rs` prints the
//! ratios). Searches keep each candidate's squared distance as a
//! [`Squared`], scaled per candidate, and compare those first
//! (`squared.rs`).
//!
//! Pruning with exact decisions: the part of the plane beyond the line
//! `x = split` is farther from `target` than `q` exactly when
//! `compare_point_distances(target, Point::new(split, target.y), q)` is
//! `Some(Greater)` (that point is the line's nearest to `target`).
//!
//! # Distances with NaN or infinite coordinates
//!
//! A distance is *undefined* when a coordinate involved is NaN, or when two
//! points' coordinates on one axis are the same infinity (their difference
//! is NaN). Undefined distances are never within a radius, never beyond a
//! tolerance, and do not compare (`None`): search never finds such a point,
//! simplify drops it unless it is an end, and a segment with a NaN end has
//! no defined distance to any point.
//! Otherwise a distance involving an infinite coordinate is `+∞`: farther
//! than every finite distance, equal to every other `+∞`, within only an
//! infinite radius, beyond every finite tolerance. For a segment whose ends
//! differ and one of which is infinite, every distance is `+∞` (so
//! simplify keeps what lies between); for a segment whose two ends are the
//! same point, the distance is the distance to that point.
//!
//! A radius or tolerance is compared as given: NaN is never reached nor
//! exceeded, a negative one is exceeded by every defined distance and
//! reached by none ([`DistanceLimit`](super::DistanceLimit) rules both out
//! at the surfaces), and `+∞` bounds every defined distance, `+∞` included.

mod dyadic;
mod expansion;
mod fallback;
mod filter;
mod predicates;
mod scale;
mod squared;
#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
mod tests;
mod wide;

use std::cmp::Ordering;

use crate::core::point::Point;
use filter::Bounded;
use scale::Scale;
pub(in crate::core::points) use scale::{exponent, power_of_two, subnormal_units};
pub use squared::{Radius, Squared, gap_may_reach};

/// `|p - target|` against `|q - target|`, exactly; `None` when either
/// distance is undefined (see the [module documentation](self)).
///
/// ```
/// # use std::cmp::Ordering;
/// # use my_lib::core::{point::Point, points::exact::compare_point_distances};
/// let target = Point::new(1e9, 1e9);
/// let p = Point::new(1e9 + 3.0, 1e9 + 4.0);
/// let q = Point::new(1e9 - 5.0, 1e9);
/// assert_eq!(compare_point_distances(target, p, q), Some(Ordering::Equal));
/// assert_eq!(compare_point_distances(target, p, Point::new(f64::NAN, 0.0)), None);
/// ```
#[inline]
pub fn compare_point_distances(target: Point, p: Point, q: Point) -> Option<Ordering> {
    match predicates::compare_point_distances::<Bounded>(target, p, q, Scale::ONE) {
        Some(ordering) => Some(ordering),
        None => fallback::compare_point_distances(target, p, q),
    }
}

/// Whether `|p - center| <= radius`, exactly (see the [module
/// documentation](self) for NaN, infinite and negative values).
///
/// ```
/// # use my_lib::core::{point::Point, points::exact::point_within};
/// let origin = Point::new(0.0, 0.0);
/// // √13 rounds down: the point at exactly √13 is farther.
/// assert!(!point_within(origin, Point::new(2.0, 3.0), 13f64.sqrt()));
/// assert!(point_within(origin, Point::new(3.0, 4.0), 5.0));
/// ```
#[inline]
pub fn point_within(center: Point, p: Point, radius: f64) -> bool {
    // The filter reads a length's magnitude: a negative radius goes the slow way.
    match predicates::compare_point_distance_with::<Bounded>(center, p, radius, Scale::ONE) {
        Some(ordering) if radius >= 0.0 => ordering.is_le(),
        _ => fallback::point_within(center, p, radius),
    }
}

/// The distance from `p` to the closed segment from `start` to `end`
/// against that from `q`, exactly; `None` when either is undefined. When
/// `start == end` the distances are to that point.
///
/// ```
/// # use std::cmp::Ordering;
/// # use my_lib::core::{point::Point, points::exact::compare_segment_distances};
/// let (start, end) = (Point::new(0.0, 0.0), Point::new(4.0, 0.0));
/// // 1 above the middle, against 1 beyond the end.
/// let ordering = compare_segment_distances(start, end, Point::new(2.0, 1.0), Point::new(5.0, 0.0));
/// assert_eq!(ordering, Some(Ordering::Equal));
/// ```
#[inline]
pub fn compare_segment_distances(start: Point, end: Point, p: Point, q: Point) -> Option<Ordering> {
    match predicates::compare_segment_distances::<Bounded>(start, end, p, q, Scale::ONE) {
        Some(ordering) => Some(ordering),
        None => fallback::compare_segment_distances(start, end, p, q),
    }
}

/// Whether the distance from `p` to the closed segment from `start` to
/// `end` is more than `tolerance`, exactly (see the [module
/// documentation](self) for NaN, infinite and negative values).
///
/// ```
/// # use my_lib::core::{point::Point, points::exact::segment_distance_exceeds};
/// // Issue 15: 8.12e-8 off the line, at 1e9; plain floating point says 0.
/// let start = Point::new(999999999.954514, 999999999.9267272);
/// let end = Point::new(999999999.9534665, 999999999.9257351);
/// let middle = Point::new(999999999.9540521, 999999999.9262898);
/// assert!(segment_distance_exceeds(start, end, middle, 0.0));
/// assert!(!segment_distance_exceeds(start, end, middle, 1e-7));
/// ```
#[inline]
pub fn segment_distance_exceeds(start: Point, end: Point, p: Point, tolerance: f64) -> bool {
    // The filter reads a length's magnitude: a negative tolerance goes the slow way.
    match predicates::compare_segment_distance_with::<Bounded>(start, end, p, tolerance, Scale::ONE)
    {
        Some(ordering) if tolerance >= 0.0 => ordering.is_gt(),
        _ => fallback::segment_distance_exceeds(start, end, p, tolerance),
    }
}

/// As [`compare_point_distances`], given the distances' [`Squared`]
/// estimates (`Squared::between(target, p)` and `(target, q)`): a
/// comparison of doubles when they are clearly apart, else exact. For
/// searches, which compare each candidate's distance many times.
///
/// ```
/// # use std::cmp::Ordering;
/// # use my_lib::core::{point::Point, points::exact::{Squared, compare_estimated_distances}};
/// let target = Point::new(0.0, 1e200);
/// let (p, q) = (Point::new(3e200, 1e200), Point::new(0.0, -4e200));
/// let (p_squared, q_squared) = (Squared::between(target, p).unwrap(), Squared::between(target, q).unwrap());
/// assert_eq!(compare_estimated_distances(target, p, p_squared, q, q_squared), Some(Ordering::Less));
/// ```
#[inline]
pub fn compare_estimated_distances(
    target: Point,
    p: Point,
    p_squared: Squared,
    q: Point,
    q_squared: Squared,
) -> Option<Ordering> {
    match p_squared.order(q_squared) {
        Some(ordering) => Some(ordering),
        None if p == q => Some(Ordering::Equal),
        None => compare_point_distances(target, p, q),
    }
}

/// Whether `|p - q|` is defined (not NaN; see the [module
/// documentation](self)): the points that a search can find.
pub fn point_distance_is_defined(p: Point, q: Point) -> bool {
    fallback::Reach::between(p, q).is_defined()
}

/// Whether the distance from `p` to the segment from `start` to `end` is
/// defined (see the [module documentation](self)): the points that
/// simplify can keep.
pub fn segment_distance_is_defined(start: Point, end: Point, p: Point) -> bool {
    fallback::Reach::to_segment(start, end, p).is_defined()
}

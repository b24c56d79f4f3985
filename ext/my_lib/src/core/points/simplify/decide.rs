//! The decisions Douglas–Peucker makes, in one place: whether a point has a
//! distance to a segment at all, which of two points is farther from it,
//! and whether a point is farther than the tolerance. Both the fast search
//! and the straightforward oracle make them here, exactly, through
//! [`exact`](crate::core::points::exact), so they agree by construction and
//! agree with arithmetic on the real numbers the doubles denote.

use std::cmp::Ordering;

use crate::core::point::Point;
use crate::core::points::exact;

/// Whether the distance from `p` to the segment `start`–`end` is defined
/// (no NaN; see [`exact`] for infinities).
pub(super) fn is_defined(start: Point, end: Point, p: Point) -> bool {
    exact::segment_distance_is_defined(start, end, p)
}

/// How the distance from `p` to the segment `start`–`end` compares with
/// that of `q`, exactly; `None` if either is undefined.
pub(super) fn compare_distances(start: Point, end: Point, p: Point, q: Point) -> Option<Ordering> {
    #[cfg(test)]
    count_exact();
    exact::compare_segment_distances(start, end, p, q)
}

/// Whether the distance from `p` to the segment `start`–`end` exceeds
/// `tolerance`, exactly.
pub(super) fn exceeds(start: Point, end: Point, p: Point, tolerance: f64) -> bool {
    #[cfg(test)]
    count_exact();
    exact::segment_distance_exceeds(start, end, p, tolerance)
}

#[cfg(test)]
thread_local! {
    /// The decisions this thread took past the floating-point filters:
    /// here, and in [`dot_sign`](super::dot_sign) past its filter.
    static EXACT_DECISIONS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts one decision taken past the floating-point filters (tests).
#[cfg(test)]
pub(super) fn count_exact() {
    EXACT_DECISIONS.with(|count| count.set(count.get() + 1));
}

/// The decisions this thread took past the filters since the last call.
#[cfg(test)]
pub(super) fn take_exact_count() -> usize {
    EXACT_DECISIONS.with(|count| count.replace(0))
}

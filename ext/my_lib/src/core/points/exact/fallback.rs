//! The slow path of the exact predicates, taken when the filter cannot
//! decide: distances with NaN or infinite inputs, negative or NaN limits
//! (as the [module documentation](super) states), and exact arithmetic on
//! finite ones: first in stack-held expansions, then, if they cannot hold
//! the values, in big integers. Kept out of line so that the filter inlines
//! into its callers.

use std::cmp::Ordering;

use super::dyadic::Dyadic;
use super::expansion::Expansion;
use super::filter::Bounded;
use super::predicates;
use super::scale::{self, Scale};
use super::wide::Wide;
use crate::core::point::Point;

#[cold]
#[inline(never)]
pub(super) fn compare_point_distances(target: Point, p: Point, q: Point) -> Option<Ordering> {
    Reach::between(target, p).compare(Reach::between(target, q), || {
        let scale = Scale::for_decision(&[target, p, q], 0.0);
        predicates::compare_point_distances::<Bounded>(target, p, q, scale)
            .or_else(|| predicates::compare_point_distances::<Expansion>(target, p, q, scale))
            .or_else(|| predicates::compare_point_distances::<Bounded<Wide>>(target, p, q, scale))
            .or_else(|| predicates::compare_point_distances::<Dyadic>(target, p, q, scale))
    })
}

#[cold]
#[inline(never)]
pub(super) fn point_within(center: Point, p: Point, radius: f64) -> bool {
    match Reach::between(center, p) {
        _ if radius.is_nan() || radius < 0.0 => false,
        Reach::Undefined => false,
        _ if radius == f64::INFINITY => true,
        Reach::Infinite => false,
        Reach::Finite => {
            let points = [center, p];
            if beyond_reach(&points, radius) {
                return true;
            }
            let scale = Scale::for_decision(&points, radius);
            exactly(
                predicates::compare_point_distance_with::<Bounded>(center, p, radius, scale)
                    .or_else(|| {
                        predicates::compare_point_distance_with::<Expansion>(
                            center, p, radius, scale,
                        )
                    })
                    .or_else(|| {
                        predicates::compare_point_distance_with::<Bounded<Wide>>(
                            center, p, radius, scale,
                        )
                    })
                    .or_else(|| {
                        predicates::compare_point_distance_with::<Dyadic>(center, p, radius, scale)
                    }),
            )
            .is_le()
        }
    }
}

#[cold]
#[inline(never)]
pub(super) fn compare_segment_distances(
    start: Point,
    end: Point,
    p: Point,
    q: Point,
) -> Option<Ordering> {
    let q_reach = Reach::to_segment(start, end, q);
    Reach::to_segment(start, end, p).compare(q_reach, || {
        let scale = Scale::for_decision(&[start, end, p, q], 0.0);
        predicates::compare_segment_distances::<Bounded>(start, end, p, q, scale)
            .or_else(|| predicates::compare_segment_distances::<Expansion>(start, end, p, q, scale))
            .or_else(|| {
                predicates::compare_segment_distances::<Bounded<Wide>>(start, end, p, q, scale)
            })
            .or_else(|| predicates::compare_segment_distances::<Dyadic>(start, end, p, q, scale))
    })
}

#[cold]
#[inline(never)]
pub(super) fn segment_distance_exceeds(start: Point, end: Point, p: Point, tolerance: f64) -> bool {
    match Reach::to_segment(start, end, p) {
        _ if tolerance.is_nan() => false,
        Reach::Undefined => false,
        _ if tolerance < 0.0 => true,
        _ if tolerance == f64::INFINITY => false,
        Reach::Infinite => true,
        Reach::Finite => {
            // The distance to the segment is at most that to `start`.
            if beyond_reach(&[start, p], tolerance) {
                return false;
            }
            let scale = Scale::for_decision(&[start, end, p], tolerance);
            exactly(
                predicates::compare_segment_distance_with::<Bounded>(
                    start, end, p, tolerance, scale,
                )
                .or_else(|| {
                    predicates::compare_segment_distance_with::<Expansion>(
                        start, end, p, tolerance, scale,
                    )
                })
                .or_else(|| {
                    predicates::compare_segment_distance_with::<Bounded<Wide>>(
                        start, end, p, tolerance, scale,
                    )
                })
                .or_else(|| {
                    predicates::compare_segment_distance_with::<Dyadic>(
                        start, end, p, tolerance, scale,
                    )
                }),
            )
            .is_gt()
        }
    }
}

/// Whether `length` is certainly more than the distance between the two
/// `points` (finite): at least twice their rounded extent `E`. The exact
/// distance is at most `√2` times the exact extent, at most `E (1 + u)`,
/// so below `2E`. It decides at once what scaling to the points could not
/// (a length far above them would leave the range of the scaled leaves).
fn beyond_reach(points: &[Point; 2], length: f64) -> bool {
    length >= 2.0 * scale::extent(points)
}

/// The sign that exact arithmetic always decides (the expansions, or else
/// the big integers).
fn exactly(sign: Option<Ordering>) -> Ordering {
    sign.expect("exact arithmetic decides every sign")
}

/// What kind of number a distance is, from its inputs' finiteness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reach {
    Finite,
    Infinite,
    Undefined,
}

impl Reach {
    pub(super) fn between(p: Point, q: Point) -> Self {
        if (p.x - q.x).is_nan() || (p.y - q.y).is_nan() {
            // A NaN coordinate, or the same infinity twice on one axis.
            Reach::Undefined
        } else if [p.x, p.y, q.x, q.y].iter().all(|c| c.is_finite()) {
            Reach::Finite
        } else {
            Reach::Infinite
        }
    }

    pub(super) fn to_segment(start: Point, end: Point, p: Point) -> Self {
        let coordinates = [start.x, start.y, end.x, end.y, p.x, p.y];
        if coordinates.iter().any(|c| c.is_nan()) {
            Reach::Undefined
        } else if coordinates.iter().all(|c| c.is_finite()) {
            Reach::Finite
        } else if start == end {
            Reach::between(start, p)
        } else {
            Reach::Infinite
        }
    }

    pub(super) fn is_defined(self) -> bool {
        self != Reach::Undefined
    }

    /// Orders two distances of these kinds; `exact` orders two finite ones.
    fn compare(self, other: Reach, exact: impl FnOnce() -> Option<Ordering>) -> Option<Ordering> {
        match (self, other) {
            (Reach::Undefined, _) | (_, Reach::Undefined) => None,
            (Reach::Finite, Reach::Finite) => Some(exactly(exact())),
            (Reach::Infinite, Reach::Infinite) => Some(Ordering::Equal),
            (Reach::Infinite, Reach::Finite) => Some(Ordering::Greater),
            (Reach::Finite, Reach::Infinite) => Some(Ordering::Less),
        }
    }
}

//! The distance decisions of the searches, exact on the input doubles: a
//! squared distance in `f64` decides whenever it is clearly apart from what
//! it is compared with, and [`exact`](crate::core::points::exact) decides
//! the rest (near a tie or the radius, and squares that overflow or
//! underflow).
//!
//! # Why the fast path is exact
//!
//! Let `u = 2^-53`. `squared_distance` rounds the two differences, their
//! squares and the sum once each, so when no square underflows or
//! overflows the computed value is the exact one times a factor within
//! `(1 ± u)^4`. A square that underflows adds an absolute error of at most
//! `2^-1074`, negligible next to a value of at least [`TRUSTED_MIN`]. So a
//! *trusted* value (finite, at least `TRUSTED_MIN`) is within a relative
//! `2^-50` of the exact one, and values more than [`MARGIN`] (`2^-48`)
//! apart, relatively, are ordered as the exact ones are. A radius squared
//! rounds once (relative `u`), or underflows (absolute `2^-1074`).
//!
//! NaN and infinite coordinates are decided by `exact` (a distance with an
//! infinite coordinate is `+∞`); a NaN [`squared_distance`] marks an
//! undefined distance, as [`exact::point_distance_is_defined`] does.

use std::cmp::Ordering;

use crate::core::point::Point;
use crate::core::points::exact;

/// The relative gap beyond which two trusted squared distances are ordered
/// as their exact values are (four times their proven relative error).
const MARGIN: f64 = 1.0 / (1u64 << 48) as f64;

/// The smallest squared distance trusted to carry only relative error.
const TRUSTED_MIN: f64 = f64::from_bits((1023 - 900) << 52); // 2^-900

/// `dx² + dy²` in `f64`, NaN when the distance is undefined.
pub(in crate::core::points) fn squared_distance(from: Point, to: Point) -> f64 {
    let (dx, dy) = (to.x - from.x, to.y - from.y);
    if dx.is_nan() || dy.is_nan() {
        return f64::NAN;
    }
    dx * dx + dy * dy
}

fn trusted(squared: f64) -> bool {
    (TRUSTED_MIN..=f64::MAX).contains(&squared)
}

/// How the distance from `target` to `p` compares with the one to `q`,
/// exactly; `p_squared` and `q_squared` are their [`squared_distance`]s
/// (neither NaN).
pub(in crate::core::points) fn compare_distances(
    target: Point,
    p: Point,
    p_squared: f64,
    q: Point,
    q_squared: f64,
) -> Ordering {
    if trusted(p_squared) && trusted(q_squared) {
        if p_squared < q_squared * (1.0 - MARGIN) {
            return Ordering::Less;
        }
        if q_squared < p_squared * (1.0 - MARGIN) {
            return Ordering::Greater;
        }
    }
    if p == q {
        return Ordering::Equal;
    }
    // Both distances are defined (the caller's candidates are), so the
    // exact comparison always has an answer.
    exact::compare_point_distances(target, p, q).unwrap_or(Ordering::Equal)
}

/// Whether `p` is at most `radius` from `center`, exactly; `squared` is
/// their [`squared_distance`] (not NaN).
pub(in crate::core::points) fn is_within(
    center: Point,
    p: Point,
    squared: f64,
    radius: f64,
) -> bool {
    if radius == f64::INFINITY || p == center {
        return true;
    }
    let radius_squared = radius * radius;
    if trusted(squared) {
        if squared * (1.0 - MARGIN) > radius_squared * (1.0 + MARGIN) + f64::MIN_POSITIVE {
            return false;
        }
        if trusted(radius_squared) && squared < radius_squared * (1.0 - MARGIN) {
            return true;
        }
        // The radius is above √f64::MAX (its square overflowed), the
        // distance at most √(f64::MAX / 2) (with its error).
        if radius_squared == f64::INFINITY && squared <= f64::MAX / 2.0 {
            return true;
        }
    }
    exact::point_within(center, p, radius)
}

/// Whether the far side of a k-d tree split, `gap` away along its axis
/// (`gap` rounded from the exact difference, or NaN), may hold a point at
/// most as far as one at squared distance `bound_squared` (a
/// [`squared_distance`]). Errs towards yes: only the search's speed
/// depends on it.
pub(in crate::core::points) fn may_reach(gap: f64, bound_squared: f64) -> bool {
    let gap_squared = gap * gap;
    // `gap` is the exact gap times (1 ± u), its square then rounded once:
    // `gap_squared` is within (1 ± 4u) of the exact gap's square, or
    // underflowed (absolute error below MIN_POSITIVE).
    !(gap_squared.is_finite()
        && bound_squared <= f64::MAX
        && gap_squared * (1.0 - MARGIN) > bound_squared * (1.0 + MARGIN) + f64::MIN_POSITIVE)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_margin_is_four_times_the_relative_error() {
        assert_eq!(MARGIN, 2f64.powi(-48));
        assert_eq!(TRUSTED_MIN, 2f64.powi(-900));
    }

    #[test]
    fn undefined_and_infinite_distances() {
        let origin = Point::default();
        assert!(squared_distance(origin, Point::new(f64::NAN, 0.0)).is_nan());
        let infinite = Point::new(f64::INFINITY, 0.0);
        assert!(squared_distance(infinite, infinite).is_nan());
        assert_eq!(squared_distance(origin, infinite), f64::INFINITY);
        let far = Point::new(0.0, f64::NEG_INFINITY);
        assert_eq!(
            compare_distances(origin, infinite, f64::INFINITY, far, f64::INFINITY),
            Ordering::Equal
        );
        let big = Point::new(1e300, 0.0); // squared overflows; finite exactly
        assert_eq!(
            compare_distances(origin, big, f64::INFINITY, infinite, f64::INFINITY),
            Ordering::Less
        );
        assert!(!is_within(origin, infinite, f64::INFINITY, f64::MAX));
        assert!(is_within(origin, infinite, f64::INFINITY, f64::INFINITY));
        assert!(is_within(origin, big, f64::INFINITY, 1e300));
        assert!(!is_within(
            origin,
            big,
            f64::INFINITY,
            9.999999999999999e299
        ));
    }

    #[test]
    fn the_grid_points_at_root_13_are_beyond_its_rounding() {
        let radius = 13f64.sqrt();
        // √13 rounds down, so the exact distance √13 is beyond it; the
        // rounded distance equals it, and its square is 1 ulp below 13.
        assert_eq!(Point::default().distance_to(Point::new(2.0, 3.0)), radius);
        assert_eq!(radius * radius, 12.999999999999998);
        let center = Point::default();
        let corner = Point::new(2.0, 3.0);
        assert!(!is_within(
            center,
            corner,
            squared_distance(center, corner),
            radius
        ));
        assert!(is_within(
            center,
            corner,
            13.0,
            f64::from_bits(radius.to_bits() + 1)
        ));
    }

    #[test]
    fn gaps_within_reach_err_towards_visiting() {
        assert!(may_reach(f64::NAN, 1.0));
        assert!(may_reach(1.0, 1.0));
        assert!(may_reach(1.0 + 1e-15, 1.0));
        assert!(!may_reach(1.1, 1.0));
        assert!(may_reach(1e200, f64::INFINITY));
        assert!(may_reach(1e-200, 0.0));
    }
}

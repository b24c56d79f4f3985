//! Floating-point distances from points to a segment, each with a rigorous
//! bound on its error: the cheap filter that settles most comparisons, so
//! that the exact predicates run only near a tie.
//!
//! Coordinates are first multiplied by a power of two, [`Scale`], that
//! brings the largest finite coordinate of the path near 2^500: exact
//! (except that a coordinate far below the largest may round to a subnormal,
//! an error covered by [`ABSOLUTE_ERROR`]), and afterwards no square or
//! product can overflow and no distance of interest underflows. The
//! differences `p - a` are then each one rounding away from exact, so the
//! error is relative to the point's distance from the segment's start, not
//! to the coordinates' magnitude: offsets of 1e9 with features of 1e-6 are
//! estimated as precisely as the same features near 0.
//!
//! Distance to a segment is 1-Lipschitz: a point within `r` of `c` is at
//! most `r` farther from the segment than `c` is, which bounds a node of the
//! search tree by a disk around its box's centre as well as by the box's
//! corners ([`Scale::radius`]).

use crate::core::point::Point;
use crate::core::points::exact::{exponent, power_of_two, subnormal_units};

/// Relative error allowed per unit of `|p - a|₁ + |b - a|₁`: 32 units in
/// the last place (u = 2⁻⁵³). The three branches of the distance err by at
/// most about 8.4u of that sum (differences 1u each, cross product 4.2u,
/// division and square root 3u, the bound's own rounding 1.1u); the rest
/// is margin.
const RELATIVE_ERROR: f64 = 32.0 * f64::EPSILON / 2.0;
/// Covers roundings below the normal range (scaled coordinates and
/// products that end subnormal), at most about 2⁻⁵³⁶ once through a square
/// root; a scaled distance this small is far below any scaled coordinate
/// difference of interest, so the filter loses nothing by it.
const ABSOLUTE_ERROR: f64 = power_of_two(-530);
/// A scaled segment shorter than this (in the 1-norm) is estimated as its
/// start point, the distance then off by at most the segment's length
/// (added to the error): its squared length could otherwise underflow.
const SHORTEST_SEGMENT: f64 = power_of_two(-400);

/// The power of two the coordinates of one path are multiplied by.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scale {
    factor: f64,
    /// `2^-1074` times `factor` on a path with subnormal coordinates that
    /// it scales up by at least `2^52` (so that this is normal), else 0:
    /// those are then scaled from their bits ([`subnormal_units`]), the
    /// same values without multiplying a subnormal, which common
    /// processors make slow (a walk of subnormals took 7.5 times a walk's
    /// time on an Intel Xeon, 41 % of it scaling for the tree's radii).
    subnormal_unit: f64,
}

impl Scale {
    /// The scale that brings `largest`, the largest finite coordinate
    /// magnitude of the path, into [2^499, 2^500); `smallest` is its
    /// smallest nonzero one.
    pub(super) fn for_path(largest: f64, smallest: f64) -> Scale {
        if largest == 0.0 || !largest.is_finite() {
            return Scale {
                factor: 1.0,
                subnormal_unit: 0.0,
            };
        }
        let shift = (499 - exponent(largest)).clamp(-1022, 1023);
        Scale {
            factor: power_of_two(shift),
            subnormal_unit: if smallest < f64::MIN_POSITIVE && shift >= 52 {
                power_of_two(shift - 1074)
            } else {
                0.0
            },
        }
    }

    /// Whether this stage resolves the features of a path whose smallest
    /// nonzero finite coordinate magnitude is `smallest`: whether the
    /// smallest difference two such coordinates can have (about
    /// `smallest · 2^-53`, a unit in its last place: teeth of `2^-19` on
    /// an offset of `1e10` are that small beside it) stays above
    /// `2^-500` once scaled, far above this stage's [`ABSOLUTE_ERROR`]
    /// and its products above the normal range's floor. Where it does not
    /// (magnitudes that span more than about `2^947`), the second stage
    /// ([`fine_estimate`](super::fine_estimate)) runs too.
    pub(super) fn resolves(self, smallest: f64) -> bool {
        smallest * power_of_two(-53) >= power_of_two(-500) / self.factor
    }

    /// Bounds on `value` (a length, `>= 0`) scaled, which may round below
    /// the normal range or overflow.
    pub(super) fn bounds(self, value: f64) -> Estimate {
        Estimate::of_scaled(value, self.factor)
    }

    /// Scaled, the largest distance from `center` to `points` (finite
    /// points, all): an upper bound on the exact one.
    pub(super) fn radius(self, center: Point, points: impl Iterator<Item = Point>) -> f64 {
        let center = self.apply(center);
        let largest_squared = points
            .map(|point| norm_squared(difference(self.apply(point), center)))
            .fold(0.0, f64::max);
        // Differences, squares, sum and root err by at most 4.5u in all;
        // ABSOLUTE_ERROR covers roundings below the normal range.
        largest_squared.sqrt() * (1.0 + 4.0 * f64::EPSILON) + ABSOLUTE_ERROR
    }

    /// Whether a disk of this `radius` (scaled) around the centre of the
    /// box from `min` to `max` can bound a distance to a segment more
    /// tightly than the box's corners: only if it is narrower than the
    /// box's half-diagonal, since the farthest corner is within that of
    /// the centre's distance (distance is 1-Lipschitz). A choice of speed
    /// (the search then skips the disk), not of correctness.
    pub(super) fn disk_may_beat_corners(self, radius: f64, min: Point, max: Point) -> bool {
        let (width, height) = ((max.x - min.x) * self.factor, (max.y - min.y) * self.factor);
        radius < 0.5 * width.hypot(height)
    }

    #[inline]
    fn apply(self, point: Point) -> (f64, f64) {
        if self.subnormal_unit == 0.0 {
            return (point.x * self.factor, point.y * self.factor);
        }
        self.apply_with_subnormals(point)
    }

    /// [`apply`](Self::apply) on a path with subnormal coordinates; out of
    /// line, so that every other path's estimates inline small.
    #[cold]
    #[inline(never)]
    fn apply_with_subnormals(self, point: Point) -> (f64, f64) {
        (self.coordinate(point.x), self.coordinate(point.y))
    }

    /// `value × factor` on a path with subnormal coordinates, exactly as
    /// multiplied (a subnormal scaled up by `2^52` or more is normal, so
    /// exact either way).
    fn coordinate(self, value: f64) -> f64 {
        if value != 0.0 && value.abs() < f64::MIN_POSITIVE {
            return subnormal_units(value) as f64 * self.subnormal_unit;
        }
        value * self.factor
    }
}

/// Bounds on a distance: the exact distance lies in `[low, high]`.
/// Unknown (non-finite input): `[-inf, inf]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Estimate {
    pub(super) low: f64,
    pub(super) high: f64,
}

impl Estimate {
    pub(super) const UNKNOWN: Estimate = Estimate {
        low: f64::NEG_INFINITY,
        high: f64::INFINITY,
    };

    /// The identity of [`max`](Self::max): below every bound.
    const UNKNOWN_BELOW: Estimate = Estimate {
        low: f64::NEG_INFINITY,
        high: f64::NEG_INFINITY,
    };

    /// Bounds on the largest of two distances.
    pub(super) fn max(self, other: Estimate) -> Estimate {
        Estimate {
            low: self.low.max(other.low),
            high: self.high.max(other.high),
        }
    }

    /// Bounds on `value` (a length, `>= 0`) times `factor` (a power of
    /// two, either stage's scale), which may round below the normal range
    /// or overflow: past `f64::MAX`, above every scaled distance (each
    /// stage's are below `2^1023`).
    pub(super) fn of_scaled(value: f64, factor: f64) -> Estimate {
        let scaled = value * factor;
        if scaled.is_finite() {
            let margin = scaled * f64::EPSILON + 2.0 * f64::from_bits(1);
            Estimate {
                low: scaled - margin,
                high: scaled + margin,
            }
        } else {
            Estimate {
                low: f64::MAX,
                high: f64::INFINITY,
            }
        }
    }

    /// Whether the distance is certainly smaller than `other`'s.
    pub(super) fn certainly_below(self, other: Estimate) -> bool {
        self.high < other.low
    }

    /// Whether the distance is certainly larger than `other`'s.
    pub(super) fn certainly_above(self, other: Estimate) -> bool {
        self.low > other.high
    }
}

/// A segment, scaled, with what every estimate needs computed once.
pub(super) struct SegmentEstimator {
    scale: Scale,
    /// `None` when an end is not finite: every estimate is then unknown.
    scaled: Option<ScaledSegment>,
}

struct ScaledSegment {
    start: (f64, f64),
    end: (f64, f64),
    direction: (f64, f64),
    length_squared: f64,
    length: f64,
    direction_norm: f64,
    /// Shorter than [`SHORTEST_SEGMENT`]: estimated as its start.
    short: bool,
}

impl SegmentEstimator {
    pub(super) fn new(start: Point, end: Point, scale: Scale) -> Self {
        let finite = [start.x, start.y, end.x, end.y]
            .iter()
            .all(|c| c.is_finite());
        let scaled = finite.then(|| {
            let (start, end) = (scale.apply(start), scale.apply(end));
            let direction = (end.0 - start.0, end.1 - start.1);
            let length_squared = direction.0 * direction.0 + direction.1 * direction.1;
            let direction_norm = direction.0.abs() + direction.1.abs();
            ScaledSegment {
                start,
                end,
                direction,
                length_squared,
                length: length_squared.sqrt(),
                direction_norm,
                short: direction_norm < SHORTEST_SEGMENT,
            }
        });
        SegmentEstimator { scale, scaled }
    }

    /// Bounds on the exact distance from `point` to the segment, scaled.
    #[inline]
    pub(super) fn estimate(&self, point: Point) -> Estimate {
        let Some(segment) = &self.scaled else {
            return Estimate::UNKNOWN;
        };
        if !(point.x.is_finite() && point.y.is_finite()) {
            return Estimate::UNKNOWN;
        }
        let (x, y) = self.scale.apply(point);
        let from_start = (x - segment.start.0, y - segment.start.1);
        let (distance, short_error) = if segment.short {
            // Within the segment's length of the distance to its start.
            (norm(from_start), 2.0 * segment.direction_norm)
        } else {
            let along = from_start.0 * segment.direction.0 + from_start.1 * segment.direction.1;
            let distance = if along <= 0.0 {
                norm(from_start)
            } else if along >= segment.length_squared {
                norm((x - segment.end.0, y - segment.end.1))
            } else {
                (from_start.0 * segment.direction.1 - from_start.1 * segment.direction.0).abs()
                    / segment.length
            };
            (distance, 0.0)
        };
        let magnitude = from_start.0.abs() + from_start.1.abs() + segment.direction_norm;
        let error = RELATIVE_ERROR * magnitude + ABSOLUTE_ERROR + short_error;
        Estimate {
            low: distance - error,
            high: distance + error,
        }
    }
}

impl SegmentEstimator {
    /// Bounds on the largest exact distance from the segment of the four
    /// corners of the box from `min` to `max`: as wide as or wider than the
    /// largest of their four [`estimate`](Self::estimate)s, and cheaper.
    /// The corners share their coordinates' differences and products; each
    /// corner's distance is computed by the same operations as in
    /// `estimate`, and their largest is taken before the one square root
    /// or division of each branch (rounded square root and division are
    /// monotone, so this is the largest of the four computed distances,
    /// bit for bit). The error allowed is that of the largest magnitude
    /// `|p - a|₁ + |b - a|₁` among the corners (rounded addition is
    /// monotone too), at least each corner's own.
    #[inline]
    pub(super) fn corners_estimate(&self, min: Point, max: Point) -> Estimate {
        let corners_one_by_one = || {
            [min, Point::new(min.x, max.y), Point::new(max.x, min.y), max]
                .map(|corner| self.estimate(corner))
                .into_iter()
                .fold(Estimate::UNKNOWN_BELOW, Estimate::max)
        };
        let Some(segment) = &self.scaled else {
            return Estimate::UNKNOWN;
        };
        let finite = [min.x, min.y, max.x, max.y].iter().all(|c| c.is_finite());
        if segment.short || !finite {
            return corners_one_by_one();
        }
        let ((x_low, y_low), (x_high, y_high)) = (self.scale.apply(min), self.scale.apply(max));
        let from_start_x = [x_low - segment.start.0, x_high - segment.start.0];
        let from_start_y = [y_low - segment.start.1, y_high - segment.start.1];
        let from_end_x = [x_low - segment.end.0, x_high - segment.end.0];
        let from_end_y = [y_low - segment.end.1, y_high - segment.end.1];
        // The largest squared distance to the start over the corners behind
        // it, to the end over those beyond it, and `|cross|` over the rest.
        let (mut behind, mut beyond, mut cross) = (0.0f64, 0.0f64, 0.0f64);
        for x in 0..2 {
            for y in 0..2 {
                let (dx, dy) = (from_start_x[x], from_start_y[y]);
                let along = dx * segment.direction.0 + dy * segment.direction.1;
                if along <= 0.0 {
                    behind = behind.max(norm_squared((dx, dy)));
                } else if along >= segment.length_squared {
                    beyond = beyond.max(norm_squared((from_end_x[x], from_end_y[y])));
                } else {
                    cross = cross.max((dx * segment.direction.1 - dy * segment.direction.0).abs());
                }
            }
        }
        let distance = behind.sqrt().max(beyond.sqrt()).max(cross / segment.length);
        let largest = |[a, b]: [f64; 2]| a.abs().max(b.abs());
        let magnitude = largest(from_start_x) + largest(from_start_y) + segment.direction_norm;
        let error = RELATIVE_ERROR * magnitude + ABSOLUTE_ERROR;
        Estimate {
            low: distance - error,
            high: distance + error,
        }
    }
}

fn norm(vector: (f64, f64)) -> f64 {
    norm_squared(vector).sqrt()
}

fn norm_squared((x, y): (f64, f64)) -> f64 {
    x * x + y * y
}

fn difference(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    (a.0 - b.0, a.1 - b.1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::test_random::Random;

    #[test]
    fn constants_are_the_powers_of_two_documented() {
        assert_eq!(ABSOLUTE_ERROR, 2f64.powi(-530));
        assert_eq!(SHORTEST_SEGMENT, 2f64.powi(-400));
    }

    #[test]
    fn the_scale_brings_the_largest_coordinate_near_two_to_the_500() {
        for largest in [1.0, 3.5, 1e9, f64::MAX, f64::MIN_POSITIVE, 5e-324, 1e-310] {
            let scaled = largest * Scale::for_path(largest, largest).factor;
            assert!(scaled < 2f64.powi(500), "{largest}: {scaled}");
            let floor = if largest < 1e-300 {
                2f64.powi(-60)
            } else {
                2f64.powi(499)
            };
            assert!(scaled >= floor, "{largest}: {scaled}");
        }
        assert_eq!(Scale::for_path(0.0, 0.0).factor, 1.0);
    }

    /// Subnormal coordinates, scaled from their bits on paths that have
    /// them, come out as multiplying gives them, bit for bit.
    #[test]
    fn subnormals_are_scaled_as_by_multiplying() {
        let mut random = Random::new(19);
        // Scaled up by `2^52` at least up to `2^447`, less from `2^448`.
        let subnormal_paths = [
            5e-324,
            1e-310,
            1e-300,
            1e-200,
            1.0,
            1e9,
            1e130,
            2f64.powi(447),
        ];
        let mut from_bits = 0;
        for largest in subnormal_paths
            .into_iter()
            .chain([2f64.powi(448), 1e140, 1e300])
        {
            let scale = Scale::for_path(largest, 5e-324);
            assert_eq!(
                scale.subnormal_unit != 0.0,
                subnormal_paths.contains(&largest)
            );
            for _ in 0..2000 {
                let units = random.below(1 << 52) >> random.below(53);
                let sign = if random.below(2) == 0 { 1.0 } else { -1.0 };
                let value = match random.below(4) {
                    0 => sign * 0.0,
                    1 => sign * f64::from_bits(units + f64::MIN_POSITIVE.to_bits()),
                    _ => sign * f64::from_bits(units),
                };
                from_bits += usize::from(
                    scale.subnormal_unit != 0.0 && value != 0.0 && value.abs() < f64::MIN_POSITIVE,
                );
                assert_eq!(
                    scale.apply(Point::new(value, value)).0.to_bits(),
                    (value * scale.factor).to_bits(),
                    "{value:e} on a path up to {largest:e}"
                );
            }
        }
        assert!(from_bits > 5000, "{from_bits}");
    }

    #[test]
    fn differences_below_two_to_the_minus_500_once_scaled_are_not_resolved() {
        let scale = Scale::for_path(1e305, 1e305);
        // 1e305 is about 2^1013.3: scaled by 2^-514, so coordinates from
        // 2^67 up, whose last places are 2^14 and more, are resolved.
        assert!(scale.resolves(2f64.powi(67)));
        assert!(!scale.resolves(2f64.powi(66)));
        assert!(!scale.resolves(1e10));
        assert!(!scale.resolves(1e-300));
        let scale = Scale::for_path(1.0, 1.0);
        assert!(scale.resolves(1e-280));
        assert!(!scale.resolves(1e-300));
        assert!(!scale.resolves(5e-324));
        // Paths whose scale is 2^1023 (the largest below 2^-524) resolve
        // every difference.
        assert!(Scale::for_path(1e-300, 1e-300).resolves(5e-324));
        assert!(Scale::for_path(0.0, 0.0).resolves(f64::INFINITY));
    }

    #[test]
    fn a_box_is_bounded_at_least_as_widely_as_its_corners_one_by_one() {
        let mut random = Random::new(17);
        let mut unit = || random.signed_unit();
        let rounds = if cfg!(miri) { 30 } else { 20_000 };
        let magnitudes = [1e-300, 1e-9, 1.0, 1e9, 1e300];
        for round in 0..rounds {
            let magnitude = magnitudes[round % magnitudes.len()];
            let offset = if round % 3 == 0 { 1e9 * magnitude } else { 0.0 };
            let mut point = || Point::new(offset + unit() * magnitude, unit() * magnitude);
            let (start, end, a, b) = (point(), point(), point(), point());
            // Some segments within SHORTEST_SEGMENT of a point once scaled.
            let end = if round % 7 == 0 { start } else { end };
            let (min, max) = (
                Point::new(a.x.min(b.x), a.y.min(b.y)),
                Point::new(a.x.max(b.x), a.y.max(b.y)),
            );
            let scale = Scale::for_path(offset.abs() + magnitude, offset.abs() + magnitude);
            let estimator = SegmentEstimator::new(start, end, scale);
            let together = estimator.corners_estimate(min, max);
            let one_by_one = [min, Point::new(min.x, max.y), Point::new(max.x, min.y), max]
                .map(|corner| estimator.estimate(corner))
                .into_iter()
                .reduce(Estimate::max)
                .unwrap();
            assert!(
                together.low <= one_by_one.low && together.high >= one_by_one.high,
                "{start:?} {end:?} {min:?} {max:?}: {together:?} {one_by_one:?}"
            );
            // No wider than twice the widest corner's bounds.
            let widest = [min, Point::new(min.x, max.y), Point::new(max.x, min.y), max]
                .map(|corner| {
                    let estimate = estimator.estimate(corner);
                    estimate.high - estimate.low
                })
                .into_iter()
                .fold(0.0, f64::max);
            assert!(together.high - together.low <= 2.0 * widest);
        }
        let estimator = SegmentEstimator::new(
            Point::new(0.0, 0.0),
            Point::new(1.0, 0.0),
            Scale::for_path(1.0, 1.0),
        );
        let unbounded =
            estimator.corners_estimate(Point::new(0.0, 0.0), Point::new(f64::INFINITY, 1.0));
        assert_eq!(unbounded.high, f64::INFINITY);
    }

    #[test]
    fn estimates_bound_known_distances() {
        let scale = Scale::for_path(4.0, 4.0);
        let estimator = SegmentEstimator::new(Point::new(0.0, 0.0), Point::new(4.0, 0.0), scale);
        for (point, exact) in [
            (Point::new(2.0, 3.0), 3.0),
            (Point::new(-3.0, 4.0), 5.0),
            (Point::new(7.0, -4.0), 5.0),
            (Point::new(1.0, 0.0), 0.0),
        ] {
            let estimate = estimator.estimate(point);
            let exact = exact * scale.factor;
            assert!(estimate.low <= exact && exact <= estimate.high, "{point:?}");
            assert!(estimate.high - estimate.low < 1e-12 * scale.factor);
        }
        assert_eq!(
            estimator.estimate(Point::new(f64::INFINITY, 0.0)),
            Estimate::UNKNOWN
        );
    }
}

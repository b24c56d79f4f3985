//! The second stage of the distance filter: bounds on a point's distance
//! to a segment scaled per decision, for the comparisons that the first
//! stage ([`estimate`](super::estimate), one power of two per path) cannot
//! settle on paths whose magnitudes span more than it resolves (teeth of
//! `1e-300` on a path `1e305` long vanish at its one scale). It costs more
//! (87 instructions an estimate against 57: on every path it cost a random
//! walk 35%), so it runs only on such paths, only where the first stage
//! fails, and leaves to the exact predicates only what it cannot settle
//! either.
//!
//! # Where the numbers live
//!
//! Fine estimates are compared with each other (a point's, the best's,
//! a node's corners') and with the tolerance, so one path reports them all
//! at one power of two, its [`FineScale`]: the one that brings the path's
//! largest finite coordinate magnitude `M` into `[2^1020, 2^1021)`, or as
//! near as a normal power of two goes (below it when `M < 2^-3`). That is
//! exact, but that a coordinate which scales below the normal range may
//! round (by at most `2^-1075`), which happens only when `M` is above
//! `2^1021`. Every coordinate difference is then below `2^1022` (no
//! overflow), and distances are resolved down to [`ABSOLUTE_ERROR`],
//! `2^-1016`, that is `2^-2036 M`.
//!
//! # No squares of coordinates
//!
//! The scale reports; it does not compute. Squares of coordinate
//! differences would overflow at it, and a scale that kept them in range
//! would make small features vanish: on a sawtooth `[i 1e300, ±1e-300]`
//! the teeth are `2^-2011` of the path, so every power of two either
//! overflows the squares of the long side or sends the teeth below the
//! doubles, and the old estimate (one scale per path, its largest
//! coordinate near `2^500`) saw every tooth as 0, leaving every decision
//! to the exact predicates. So each decision is scaled by powers of two
//! of its own. Per segment, in a frame whose first axis `u` is the
//! segment's longer one (a swap of coordinates, and of the ends so that
//! `d_u > 0`: exact, and distances do not change), the direction is `d_u
//! (1, s)` with slope `s = d_v / d_u`, `|s| <= 1`, kept as a double times
//! a power of two ([`Slope`]), so that `s w` is a double even where `s`
//! is not (`2e-300 / 1e305`); `c = 1 / √(1 + s²)`. For a point `p`, with
//! `f = p - a`:
//!
//! * `f · d = d_u (f_u + s f_v)` and `(b - p) · d = d_u (r - (f_u + s
//!   f_v))`, `r = d_u (1 + s²)` ([`Frame`]): the branch tests;
//! * the distance to the line is `|f_v - s f_u| c`;
//! * a norm is computed with its own power of two ([`norm`]).
//!
//! Nothing but ratios of at most 1 and norms scaled to fit is squared.
//!
//! # The error bound
//!
//! Let `u = 2⁻⁵³`. The coordinates at the path's scale are the inputs;
//! where one rounded (see above), each moved by at most `2^-1075`, and
//! the distance, 1-Lipschitz in the point and in each end, by at most
//! `2^-1072`. The leaves (the differences `f`, `p - b`, `d`) round once
//! each, never overflowing. The slope is the quotient of two leaves'
//! mantissas, `3u` from exact, and `r` is `6.5u` from exact; a product `s
//! w` of a leaf `w` is `5u` from exact, or taken as 0 when below `2^-1019`
//! (so that no slow subnormal arithmetic is done: see [`Slope::times`]).
//!
//! * The start's test `f_u + s f_v` errs by at most `6.1u (|f_u| + |s
//!   f_v|)` plus `2^-1019`; the end's adds `7.5u r` and `u` of its value.
//!   [`SIGN_ERROR`] allows `16u` of the computed magnitudes, plus
//!   [`ABSOLUTE_ERROR`]. Within that of 0 a test tells nothing: the
//!   estimate spans every branch it leaves possible (to the start if `f ·
//!   d <= 0`, else to the end if `(p - b) · d >= 0`, else to the line). No
//!   guess is made. One case needs no second branch: when only the start's
//!   test cannot tell, `|f · d| <= 32u |f| |d|` (Cauchy–Schwarz on its
//!   bound), so the line's distance `|f| sin θ` is within `545u²` of
//!   `|f|`, inside the norm's allowance (for `|f|` above `2^-1000`; the
//!   test's absolute term adds at most about `2^-1031` there, inside
//!   [`ABSOLUTE_ERROR`]).
//! * The line's distance errs by at most `11.4u (|f_v| + |s f_u|)` plus
//!   `2^-1019`: the difference `6.1u` of that sum, `c` (a square, a sum, a
//!   root and a quotient of a value `3u` off) `4.25u`, the last product `u`.
//! * A norm errs by at most `7u` of itself plus `2^-1075`.
//!
//! [`RELATIVE_ERROR`] is `32u` of the computed magnitudes; the rest covers
//! the roundings of the bound itself and of `low` and `high`.
//! [`ABSOLUTE_ERROR`], `2^-1016`, covers the absolute terms, and is added
//! inside each bound's product (`k (m + ABSOLUTE_ERROR / k)`) so that no
//! bound is computed below the normal range. Every value is at most
//! `2^1023` (a difference of two values below `2^1022`): no overflow.

use super::estimate::Estimate;
use crate::core::point::Point;
use crate::core::points::exact::{exponent, power_of_two};

/// `u`, the unit roundoff of doubles: `2^-53`.
const UNIT: f64 = f64::EPSILON / 2.0;
/// A branch test's allowance, per unit of its terms' computed magnitudes:
/// `16u` for the `6.1u` of the module documentation.
const SIGN_ERROR: f64 = 16.0 * UNIT;
/// A branch value's allowance, per unit of its computed magnitude: `32u`
/// for the at most `11.4u` of the module documentation.
const RELATIVE_ERROR: f64 = 32.0 * UNIT;
/// Covers the absolute terms of the module documentation, `2^-1019` and
/// less each: `2^-1016`.
const ABSOLUTE_ERROR: f64 = power_of_two(-1016);
/// [`ABSOLUTE_ERROR`] over [`SIGN_ERROR`] and over [`RELATIVE_ERROR`]: a
/// bound `k (m + ABSOLUTE_ERROR / k)` is `k m + ABSOLUTE_ERROR` without a
/// product below the normal range (slow on most processors).
const ABSOLUTE_OVER_SIGN: f64 = ABSOLUTE_ERROR / SIGN_ERROR;
const ABSOLUTE_OVER_RELATIVE: f64 = ABSOLUTE_ERROR / RELATIVE_ERROR;
/// Beyond this distance from the start (at the path's scale), a point whose
/// start test cannot tell is at the start's distance from the segment, up
/// to `545u²` of it (see the module documentation).
const NEAR_START: f64 = power_of_two(-1000);
/// The path's largest coordinate is scaled into
/// `[2^PATH_EXPONENT, 2^(PATH_EXPONENT + 1))`.
const PATH_EXPONENT: i32 = 1020;

/// The power of two that one path's fine estimates and tolerance are
/// reported at (see the module documentation).
///
/// Ownership: a plain `Copy` value, held by the path's tree.
#[derive(Debug, Clone, Copy)]
pub(super) struct FineScale {
    /// A power of two.
    factor: f64,
}

impl FineScale {
    /// The scale that brings `largest`, the largest finite coordinate
    /// magnitude of the path, into `[2^1020, 2^1021)`, or as near as a
    /// normal power of two goes (a path whose `largest` is below `2^-3`
    /// stays below).
    pub(super) fn for_largest(largest: f64) -> FineScale {
        let exponent = if largest == 0.0 || !largest.is_finite() {
            // No finite coordinate but 0: every distance is 0 or unknown.
            0
        } else {
            (PATH_EXPONENT - exponent(largest)).clamp(-1022, 1023)
        };
        FineScale {
            factor: power_of_two(exponent),
        }
    }

    /// Bounds on `value` (a length, `>= 0`) scaled, which may round below
    /// the normal range or overflow.
    pub(super) fn bounds(self, value: f64) -> Estimate {
        Estimate::of_scaled(value, self.factor)
    }

    fn apply(self, point: Point) -> (f64, f64) {
        (point.x * self.factor, point.y * self.factor)
    }
}

/// Bounds on a branch's `value`, which errs by at most `error` (its
/// [`ABSOLUTE_ERROR`] included).
#[inline]
fn around((value, error): (f64, f64)) -> Estimate {
    Estimate {
        low: value - error,
        high: value + error,
    }
}

/// Bounds holding both distances' (one of which it is).
fn union(one: Estimate, other: Estimate) -> Estimate {
    Estimate {
        low: one.low.min(other.low),
        high: one.high.max(other.high),
    }
}

/// A segment at its path's scale, with what every estimate needs
/// computed once.
///
/// Ownership: owned by one farthest-point query; borrows nothing.
pub(super) struct FineEstimator {
    scale: FineScale,
    /// `None` when an end is not finite: every estimate is then unknown.
    scaled: Option<ScaledSegment>,
}

/// The segment in its frame (see the module documentation): coordinates
/// are read with its longer axis first (`u`), and its ends are taken in
/// the order that makes `d_u > 0` (a segment's distances do not depend on
/// it).
struct ScaledSegment {
    /// The longer axis is `y`.
    swapped: bool,
    start: (f64, f64),
    end: (f64, f64),
    /// `None` when the scaled ends are one point: distances are to it.
    frame: Option<Frame>,
}

/// What the frame's formulas need of the segment's direction.
struct Frame {
    slope: Slope,
    /// `1 / √(1 + s²)`.
    inverse_secant: f64,
    /// `d_u (1 + s²)`, that is `|d|² / d_u`: `(b - p) · d / d_u` is
    /// `reach - (f_u + s f_v)`.
    reach: f64,
    /// [`SIGN_ERROR`] of `reach`, which the end's test adds to the start's.
    reach_bound: f64,
}

/// The slope `s`, `|s| <= 1`, as `high × factor`: `high` a normal double
/// (or 0) and `factor` a power of two `<= 1`, 0 below `2^-1074`.
struct Slope {
    high: f64,
    factor: f64,
    /// A `w` below this has `|s w| < 2^-1019`: taken as 0.
    negligible_below: f64,
}

impl FineEstimator {
    pub(super) fn new(start: Point, end: Point, scale: FineScale) -> Self {
        let finite = [start.x, start.y, end.x, end.y]
            .iter()
            .all(|c| c.is_finite());
        let scaled = finite.then(|| {
            let (start, end) = (scale.apply(start), scale.apply(end));
            let swapped = (end.1 - start.1).abs() > (end.0 - start.0).abs();
            let in_frame = |(x, y): (f64, f64)| if swapped { (y, x) } else { (x, y) };
            let (start, end) = (in_frame(start), in_frame(end));
            let (start, end) = if end.0 < start.0 {
                (end, start)
            } else {
                (start, end)
            };
            ScaledSegment {
                swapped,
                start,
                end,
                frame: Frame::of((end.0 - start.0, end.1 - start.1)),
            }
        });
        FineEstimator { scale, scaled }
    }

    /// Bounds on the exact distance from `point` to the segment, scaled.
    pub(super) fn estimate(&self, point: Point) -> Estimate {
        let Some(segment) = &self.scaled else {
            return Estimate::UNKNOWN;
        };
        if !(point.x.is_finite() && point.y.is_finite()) {
            return Estimate::UNKNOWN;
        }
        let (x, y) = self.scale.apply(point);
        let (u, v) = if segment.swapped { (y, x) } else { (x, y) };
        let from_start = (u - segment.start.0, v - segment.start.1);
        let Some(frame) = &segment.frame else {
            return around(norm(from_start));
        };
        // `f · d / d_u` and `(b - p) · d / d_u`, with their bounds.
        let (along, along_bound) = frame.along(from_start);
        let (short, short_bound) = (frame.reach - along, along_bound + frame.reach_bound);
        let ahead = along > along_bound;
        let before_end = short > short_bound;
        if ahead && before_end {
            return around(frame.to_line(from_start));
        }
        if along <= -along_bound {
            return around(norm(from_start));
        }
        if before_end {
            // Abreast of the start, too near to tell which side: the line's
            // distance is then the start's within `545u²` of it (module
            // documentation), inside the norm's allowance, unless the
            // point is within `2^-1000` of the start.
            let to_start = norm(from_start);
            if to_start.0 >= NEAR_START {
                return around(to_start);
            }
        }
        let from_end = (u - segment.end.0, v - segment.end.1);
        if ahead && short <= -short_bound {
            return around(norm(from_end));
        }
        frame.spanning(from_start, from_end, !ahead, (short, short_bound))
    }
}

impl Frame {
    /// The frame of the direction `(d_u, d_v)`, `d_u >= |d_v|`; `None` if
    /// it is 0.
    fn of((along, across): (f64, f64)) -> Option<Frame> {
        if along == 0.0 {
            return None;
        }
        let slope = Slope::of(across, along);
        let s = slope.high * slope.factor;
        let reach = along * (1.0 + s * s);
        Some(Frame {
            slope,
            inverse_secant: 1.0 / (1.0 + s * s).sqrt(),
            reach,
            reach_bound: SIGN_ERROR * reach,
        })
    }

    /// Bounds spanning every branch that the tests leave possible (one at
    /// least: the start's, or, past it, the end's and the line's), when a
    /// test is too near 0 to tell: `maybe_behind` the start, and the end's
    /// test with its bound. Out of line: rare.
    #[cold]
    #[inline(never)]
    fn spanning(
        &self,
        from_start: (f64, f64),
        from_end: (f64, f64),
        maybe_behind: bool,
        (short, short_bound): (f64, f64),
    ) -> Estimate {
        let possible = [
            maybe_behind.then(|| norm(from_start)),
            (short <= short_bound).then(|| norm(from_end)),
            (short > -short_bound).then(|| self.to_line(from_start)),
        ];
        possible
            .into_iter()
            .flatten()
            .map(around)
            .reduce(union)
            .unwrap_or(Estimate::UNKNOWN)
    }

    /// `u + s v` (the vector's dot product with the direction, over
    /// `|d_u|`) and its error bound.
    #[inline]
    fn along(&self, (u, v): (f64, f64)) -> (f64, f64) {
        let sloped = self.slope.times(v);
        let bound = SIGN_ERROR * (u.abs() + sloped.abs() + ABSOLUTE_OVER_SIGN);
        (u + sloped, bound)
    }

    /// The distance `|v - s u| c` to the segment's line of the point at
    /// `(u, v)` from the start, and its error bound (`c <= 1` is left out
    /// of it).
    #[inline]
    fn to_line(&self, (u, v): (f64, f64)) -> (f64, f64) {
        let sloped = self.slope.times(u);
        let value = (v - sloped).abs() * self.inverse_secant;
        let error = RELATIVE_ERROR * (v.abs() + sloped.abs() + ABSOLUTE_OVER_RELATIVE);
        (value, error)
    }
}

impl Slope {
    /// `across / along`, `along > 0`, `|across| <= along`: the quotient of
    /// their mantissas (one rounding) times the power of two of their
    /// exponents' difference, split so that `high` is normal.
    fn of(across: f64, along: f64) -> Slope {
        if across == 0.0 {
            return Slope {
                high: 0.0,
                factor: 1.0,
                negligible_below: f64::INFINITY,
            };
        }
        let (across_mantissa, across_exponent) = split(across);
        let (along_mantissa, along_exponent) = split(along);
        // At most 0: `|across| <= along`.
        let exponent = across_exponent - along_exponent;
        // The quotient is at least 1/2: `high` is at least 2^-1022.
        let high_exponent = exponent.max(-1021);
        let low_exponent = exponent - high_exponent;
        // `|s| < 2^(exponent + 1)`; a `w` below `2^(-1020 - exponent)` has
        // `|s w| < 2^-1019`, and any other `|s w|` is at least `2^-1021`
        // (normal: no slow subnormal arithmetic), as is `|w high|`.
        let negligible_exponent = -1020 - exponent;
        Slope {
            negligible_below: if negligible_exponent > 1023 {
                f64::INFINITY
            } else {
                power_of_two(negligible_exponent.max(-1022))
            },
            high: across_mantissa / along_mantissa * power_of_two(high_exponent),
            factor: if low_exponent >= -1022 {
                power_of_two(low_exponent)
            } else if low_exponent >= -1074 {
                f64::from_bits(1 << (low_exponent + 1074))
            } else {
                0.0
            },
        }
    }

    /// `s × w`: `5u` from exact, or 0 if that is below `2^-1019` (see the
    /// module documentation). Nothing below the normal range is computed:
    /// processors take many times longer over it.
    #[inline]
    fn times(&self, w: f64) -> f64 {
        if w.abs() < self.negligible_below {
            0.0
        } else {
            w * self.high * self.factor
        }
    }
}

/// `(m, e)` with `value = m × 2^e` and `|m|` in `[1, 2)`, exactly, for a
/// finite nonzero `value`.
fn split(value: f64) -> (f64, i32) {
    let exponent = exponent(value);
    // Two steps: `2^-exponent` alone may not be a double.
    let half = -exponent / 2;
    let mantissa = value * power_of_two(half) * power_of_two(-exponent - half);
    (mantissa, exponent)
}

/// The norm of `(x, y)`, and its error bound: the larger magnitude `m`
/// when the smaller, `q`, is at most `2^-27 m` (then `√(m² + q²)` is within
/// `2^-55` of it); else `√(x² + y²)` where `m` keeps the squares normal
/// (`[2^-480, 2^500]`, or above it after multiplying both by `2^-512`,
/// exactly); else `m √(1 + (q/m)²)` (the ratio `3u` off, its square `7u`).
/// Nothing below the normal range is computed unless `m` is.
#[inline]
fn norm((x, y): (f64, f64)) -> (f64, f64) {
    const NEGLIGIBLE: f64 = power_of_two(-27);
    const SMALL: f64 = power_of_two(-480);
    const LARGE: f64 = power_of_two(500);
    const DOWN: f64 = power_of_two(-512);
    const UP: f64 = power_of_two(512);
    let (x, y) = (x.abs(), y.abs());
    let (larger, smaller) = if x >= y { (x, y) } else { (y, x) };
    let value = if smaller <= larger * NEGLIGIBLE {
        larger
    } else if (SMALL..=LARGE).contains(&larger) {
        (x * x + y * y).sqrt()
    } else if larger > LARGE {
        let (x, y) = (x * DOWN, y * DOWN);
        (x * x + y * y).sqrt() * UP
    } else {
        let ratio = smaller / larger;
        larger * (1.0 + ratio * ratio).sqrt()
    };
    (value, RELATIVE_ERROR * (value + ABSOLUTE_OVER_RELATIVE))
}

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
mod tests {
    use super::*;
    use crate::core::test_random::Random;
    use std::cmp::Ordering;

    /// A turn or mirror of the plane, on coordinates.
    type Symmetry = fn(f64, f64) -> (f64, f64);

    #[test]
    fn constants_are_the_powers_of_two_documented() {
        assert_eq!(ABSOLUTE_ERROR, 2f64.powi(-1016));
        assert_eq!(SIGN_ERROR, 16.0 * 2f64.powi(-53));
        assert_eq!(RELATIVE_ERROR, 32.0 * 2f64.powi(-53));
    }

    #[test]
    fn the_scale_brings_the_largest_coordinate_near_two_to_the_1020() {
        for largest in [1.0, 3.5, 1e9, f64::MAX, f64::MIN_POSITIVE, 5e-324, 1e-310] {
            let scale = FineScale::for_largest(largest);
            let scaled = largest * scale.factor;
            assert!(scaled < 2f64.powi(1021), "{largest}: {scaled}");
            // Subnormal paths are scaled by 2^1023, the most a double holds.
            let floor = if largest < 1e-300 {
                largest * 2f64.powi(1023)
            } else {
                2f64.powi(1020)
            };
            assert!(scaled >= floor, "{largest}: {scaled}");
        }
        assert_eq!(FineScale::for_largest(0.0).factor, 1.0);
    }

    /// Exact distances at every magnitude, subnormals included, lie in the
    /// estimates, which are tight (relative width below 1e-13) unless the
    /// distance is 0.
    #[test]
    fn estimates_bound_known_distances_at_every_magnitude() {
        let cases = [
            // Behind the start, beyond the end, abreast, on the segment.
            ((0.0, 0.0), (4.0, 0.0), (2.0, 3.0), 3.0),
            ((0.0, 0.0), (4.0, 0.0), (-3.0, 4.0), 5.0),
            ((0.0, 0.0), (4.0, 0.0), (7.0, -4.0), 5.0),
            ((0.0, 0.0), (4.0, 0.0), (1.0, 0.0), 0.0),
            // A closed stretch: the distance to its one point.
            ((1.0, 1.0), (1.0, 1.0), (4.0, 5.0), 5.0),
            // A slanted segment (3-4-5): abreast, and beyond the end.
            ((0.0, 0.0), (4.0, 3.0), (1.0, 7.0), 5.0),
            ((0.0, 0.0), (4.0, 3.0), (7.0, 7.0), 5.0),
        ];
        for unit in [1.0, 1e308 / 8.0, 1e-300, 1e-320, 2f64.powi(-1070), 1e150] {
            let scale = FineScale::for_largest(8.0 * unit);
            // Each case turned and mirrored every way (distances stay).
            let symmetries: [Symmetry; 8] = [
                |x, y| (x, y),
                |x, y| (-x, y),
                |x, y| (x, -y),
                |x, y| (-x, -y),
                |x, y| (y, x),
                |x, y| (-y, x),
                |x, y| (y, -x),
                |x, y| (-y, -x),
            ];
            let cases = cases
                .iter()
                .flat_map(|&((ax, ay), (bx, by), (px, py), exact)| {
                    symmetries.map(|turn| (turn(ax, ay), turn(bx, by), turn(px, py), exact))
                });
            for ((ax, ay), (bx, by), (px, py), exact) in cases {
                let p = |x: f64, y: f64| Point::new(x * unit, y * unit);
                let estimator = FineEstimator::new(p(ax, ay), p(bx, by), scale);
                let estimate = estimator.estimate(p(px, py));
                let exact = exact * unit * scale.factor;
                assert!(
                    estimate.low <= exact && exact <= estimate.high,
                    "{unit:e}: {estimate:?} against {exact:e}"
                );
                if exact > 0.0 {
                    assert!(
                        estimate.high - estimate.low < 1e-13 * exact,
                        "{unit:e}: {estimate:?}"
                    );
                }
            }
        }
        let estimator = FineEstimator::new(
            Point::new(0.0, 0.0),
            Point::new(4.0, 0.0),
            FineScale::for_largest(4.0),
        );
        assert_eq!(
            estimator.estimate(Point::new(f64::INFINITY, 0.0)),
            Estimate::UNKNOWN
        );
    }

    /// Issue 22: teeth of 1e-300 on a segment 1e305 long, whose slope
    /// (2e-605) is below the doubles. Under any one power of two the teeth
    /// vanish or the squares overflow; the estimates still tell teeth
    /// 1e-300 apart.
    #[test]
    fn estimates_tell_tiny_teeth_on_huge_segments_apart() {
        let scale = FineScale::for_largest(1e305);
        let (start, end) = (Point::new(0.0, 1e-300), Point::new(1e305, -1e-300));
        let estimator = FineEstimator::new(start, end, scale);
        // Points on the upper row: farther from the line the farther on.
        let near = estimator.estimate(Point::new(2e304, 1e-300));
        let far = estimator.estimate(Point::new(6e304, 1e-300));
        assert!(near.certainly_below(far), "{near:?} {far:?}");
        // 2e-300 · 0.6 = 1.2e-300 (the slope changes nothing visible).
        let exact = 1.2e-300 * scale.factor;
        assert!(far.low <= exact * (1.0 + 1e-15) && exact * (1.0 - 1e-15) <= far.high);
        // The absolute allowance, 2^-1016, is 2^-28 of these teeth.
        assert!(far.high - far.low < 1e-7 * exact, "{far:?}");
        // The slope itself, 2e-300 / 1e305 below 2^-2000, is kept.
        let frame = Frame::of((1e305, -2e-300)).unwrap();
        let slope = frame.slope.times(1e305);
        assert!((slope / -2e-300 - 1.0).abs() < 1e-15, "{slope:e}");
        // A horizontal segment 1e305 long, teeth 1e-300 and 2e-300 off it.
        let estimator =
            FineEstimator::new(Point::new(0.0, 1e-300), Point::new(1e305, 1e-300), scale);
        let one = estimator.estimate(Point::new(3e304, 0.0));
        let two = estimator.estimate(Point::new(5e304, -1e-300));
        assert!(one.certainly_below(two), "{one:?} {two:?}");
    }

    /// A coordinate at any magnitude: any finite double, multiples of
    /// `1e300`, `1e-300`, `1e-70`, near `f64::MAX`, subnormals, small
    /// integers, 0, or one already drawn (ties).
    fn coordinate(random: &mut Random, drawn: &[f64]) -> f64 {
        let sign = if random.next() & 1 == 0 { 1.0 } else { -1.0 };
        let value = match random.below(12) {
            0 => 0.0,
            1 => f64::from_bits(random.next() & 0x7FEF_FFFF_FFFF_FFFF),
            2 => random.below(8) as f64 * 1e300,
            3 => random.below(8) as f64 * 1e-300,
            4 => f64::MAX * (1.0 - random.unit() * 2f64.powi(-(random.below(60) as i32))),
            5 => f64::from_bits(random.next() & 0x000F_FFFF_FFFF_FFFF),
            6 => random.below(5) as f64,
            7 => random.below(5) as f64 * 1e-70,
            8 => random.unit() * 2f64.powi(random.below(2098) as i32 - 1074),
            9 => f64::MAX,
            _ if drawn.is_empty() => 1.0,
            _ => drawn[random.below(drawn.len() as u64) as usize],
        };
        sign * value
    }

    /// The second stage's orders and tolerance decisions are the exact
    /// predicates' wherever it gives one, on segments and points drawn at
    /// every magnitude, mixed (teeth of `1e-300` beside `1e300`, `1e-70`
    /// beside `f64::MAX`, subnormals), on and abreast of the segment, at
    /// its ends, mirrored (exact ties), for closed segments, with the
    /// path's largest coordinate sometimes far above the segment's; and
    /// each estimate's bounds hold the exact distance. (Leaving `|s f_u|`
    /// out of the line's error bound fails it at once.)
    #[test]
    fn orders_and_tolerance_decisions_agree_with_the_exact_predicates() {
        use crate::core::points::exact::{compare_segment_distances, segment_distance_exceeds};
        let mut random = Random::new(22);
        let cases = if cfg!(miri) { 200 } else { 60_000 };
        let (mut orders, mut tolerance_decisions) = (0, 0);
        for _ in 0..cases {
            let mut drawn = Vec::new();
            let point = |random: &mut Random, drawn: &mut Vec<f64>| {
                let point = Point::new(coordinate(random, drawn), coordinate(random, drawn));
                drawn.extend([point.x, point.y]);
                point
            };
            let start = point(&mut random, &mut drawn);
            let end = if random.below(6) == 0 {
                start
            } else {
                point(&mut random, &mut drawn)
            };
            let near = |random: &mut Random, drawn: &mut Vec<f64>| {
                let direction = end - start;
                let across = Point::new(-direction.y, direction.x);
                let near = match random.below(9) {
                    0 => start,
                    1 => end,
                    2 => start + direction * random.unit(),
                    3 => start + across * (2.0 * random.unit() - 1.0),
                    4 => end + across * (2.0 * random.unit() - 1.0),
                    5 => start + direction * (4.0 * random.unit() - 1.5),
                    6 => Point::new(
                        start.x + coordinate(random, drawn) * 1e-300,
                        start.y + coordinate(random, drawn) * 1e-300,
                    ),
                    _ => point(random, drawn),
                };
                if near.x.is_finite() && near.y.is_finite() {
                    near
                } else {
                    point(random, drawn)
                }
            };
            let p = near(&mut random, &mut drawn);
            let q = match random.below(8) {
                0 => p,
                1 => Point::new(2.0 * start.x - p.x, p.y),
                _ => near(&mut random, &mut drawn),
            };
            let finite = [start, end, p, q]
                .iter()
                .all(|point| point.x.is_finite() && point.y.is_finite());
            if !finite {
                continue;
            }
            let mut largest = drawn
                .iter()
                .filter(|c| c.is_finite())
                .fold(0.0f64, |largest, c| largest.max(c.abs()));
            if random.below(4) == 0 {
                largest = f64::MAX;
            }
            let scale = FineScale::for_largest(largest);
            let estimator = FineEstimator::new(start, end, scale);
            let (for_p, for_q) = (estimator.estimate(p), estimator.estimate(q));
            let order = if for_p.certainly_below(for_q) {
                Some(Ordering::Less)
            } else if for_p.certainly_above(for_q) {
                Some(Ordering::Greater)
            } else {
                None
            };
            if order.is_some() {
                orders += 1;
                assert_eq!(
                    order,
                    compare_segment_distances(start, end, p, q),
                    "{start:?} {end:?} {p:?} {q:?} {for_p:?} {for_q:?}"
                );
            }
            // The bounds themselves, unscaled outward: the exact distance
            // exceeds what lies just below `low` and not `high`.
            if for_p.low > 0.0 {
                let low = for_p.low / scale.factor;
                let low = if low * scale.factor <= for_p.low {
                    low
                } else {
                    f64::from_bits(low.to_bits() - 1)
                };
                if low > 0.0 {
                    let below = f64::from_bits(low.to_bits() - 1);
                    assert!(
                        segment_distance_exceeds(start, end, p, below),
                        "low: {start:?} {end:?} {p:?} {for_p:?}"
                    );
                }
            }
            let high = for_p.high / scale.factor;
            if high.is_finite() {
                let high = if high * scale.factor >= for_p.high {
                    high
                } else {
                    f64::from_bits(high.to_bits() + 1)
                };
                assert!(
                    !segment_distance_exceeds(start, end, p, high),
                    "high: {start:?} {end:?} {p:?} {for_p:?}"
                );
            }
            let middle = ((for_p.low + for_p.high) / 2.0).max(0.0) / scale.factor;
            for tolerance in [0.0, 5e-324, 1e-300, 1e-70, 1.0, 1e300, f64::MAX, middle] {
                let bounds = scale.bounds(tolerance);
                let exceeds = segment_distance_exceeds(start, end, p, tolerance);
                if for_p.certainly_above(bounds) {
                    tolerance_decisions += 1;
                    assert!(exceeds, "{start:?} {end:?} {p:?} {tolerance:e} {for_p:?}");
                } else if for_p.high <= bounds.low {
                    tolerance_decisions += 1;
                    assert!(!exceeds, "{start:?} {end:?} {p:?} {tolerance:e} {for_p:?}");
                }
            }
        }
        // The stage decides most of them (it is a filter worth running).
        assert!(orders > cases / 3, "{orders} orders of {cases}");
        assert!(
            tolerance_decisions > cases,
            "{tolerance_decisions} decisions"
        );
    }
}

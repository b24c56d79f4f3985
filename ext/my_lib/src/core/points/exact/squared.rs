//! Squared distances kept in floating point with a proven relative error,
//! for searches that compare many distances from one target: each
//! candidate's [`Squared`] is computed once, two of them are ordered by a
//! comparison of doubles when they are clearly apart, and the exact
//! predicates decide the rest. The one rule for which distances are
//! undefined is [`Reach`]'s.
//!
//! # Why the order is exact
//!
//! Let `u = 2^-53`. A [`Squared`] is `scaled × 4^shift`, where `scaled` is
//! `dx'² + dy'²` for the rounded coordinate differences `dx`, `dy` times
//! `2^-shift`, a power of two of the vector's own (per candidate, so at
//! any magnitude): the larger of `|dx'|` and `|dy'|` lies in `[2^-257,
//! 2^256)`, so `scaled`, if not 0, is in `[2^-514, 2^513]`, far from
//! overflow and underflow. Scaling is exact, except that the smaller
//! difference may round to a subnormal, an absolute error below `2^-1074`,
//! negligible next to `scaled`. When a difference or `|dx| + |dy|`
//! overflows, the halves' differences are taken, with one more `shift`:
//! halving is exact but for a subnormal coordinate (an absolute error
//! below `2^-1074` again, next to a difference above `2^1022`). So `scaled` is within a factor `(1 ±
//! u)^4 (1 ± 2^-500)` of the exact value over `4^shift`: a relative error
//! below `2^-50`. Two values more than [`MARGIN`] (`2^-48`) apart,
//! relatively, are ordered as the exact ones are; values with different
//! shifts are first brought to a common one (exactly, by setting the
//! exponent), or are at least a factor 2 apart.
//!
//! An infinite distance (an infinite coordinate) has `scaled = +∞`: beyond
//! every finite one, and tied with every other (decided exactly).

use std::cmp::Ordering;

use super::fallback::Reach;
use super::scale::{exponent, subnormal_units};
use crate::core::point::Point;

/// The relative gap beyond which two values are ordered as their exact
/// values are (four times their proven relative error).
const MARGIN: f64 = 1.0 / (1u64 << 48) as f64;

/// The range of `|dx| + |dy|` that needs no scaling (the larger
/// difference is then in `[2^-257, 2^256)`).
const UNSCALED: std::ops::Range<f64> = 8.636168555094445e-78..1.157920892373162e77; // 2^-256..2^256

// Shifts are 0, ±512 or ±1024 (plus 1 after an overflow), so that most
// values of a search share one and compare as plain doubles: sizes below
// `2^-256` are scaled up by `2^512` (`UP`), below `TINY` twice; sizes
// from `2^256` down by `2^512` (`DOWN`), from `2^768` twice.
const UP: f64 = 1.3407807929942597e154; // 2^512
const DOWN: f64 = 7.458340731200207e-155; // 2^-512
const TINY: f64 = 6.441148769597133e-232; // 2^-768
/// `2^512`: [`UNSCALED`]'s end times this is `2^768`.
const HUGE_STEP: f64 = UP;

/// A squared distance, `scaled × 4^shift`, within a relative `2^-50` of
/// the exact one (see the module documentation).
///
/// Ownership: a plain `Copy` value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Squared {
    scaled: f64,
    shift: i32,
}

impl Squared {
    /// Farther than every finite distance.
    pub(in crate::core::points) const INFINITE: Squared = Squared {
        scaled: f64::INFINITY,
        shift: 0,
    };

    /// From `from` to `to`; `None` when the distance is undefined (see the
    /// [module documentation](super)).
    #[inline]
    pub fn between(from: Point, to: Point) -> Option<Squared> {
        Squared::of_differences((to.x, from.x), (to.y, from.y))
    }

    /// `length²`, for a length `>= 0` (a radius).
    pub fn of_length(length: f64) -> Squared {
        Squared::of_differences((length, 0.0), (0.0, 0.0)).unwrap_or(Squared::INFINITE)
    }

    /// `(x.0 - x.1)² + (y.0 - y.1)²`; `None` when it is undefined.
    #[inline]
    fn of_differences(x: (f64, f64), y: (f64, f64)) -> Option<Squared> {
        let (dx, dy) = (x.0 - x.1, y.0 - y.1);
        match Squared::of_vector(dx, dy) {
            Some(squared) => Some(squared),
            None => Squared::out_of_line(x, y),
        }
    }

    /// `dx² + dy²` scaled into range (see the module documentation);
    /// `None` when a difference is not finite, or their sum overflows.
    #[inline]
    fn of_vector(dx: f64, dy: f64) -> Option<Squared> {
        // Between the larger difference and twice it; NaN if either is.
        let size = dx.abs() + dy.abs();
        let (factor, shift) = if UNSCALED.contains(&size) {
            return Some(Squared {
                scaled: dx * dx + dy * dy,
                shift: 0,
            });
        } else if size < UNSCALED.start {
            if size == 0.0 {
                return Some(Squared {
                    scaled: 0.0,
                    shift: 0,
                });
            }
            if size < f64::MIN_POSITIVE {
                return Some(Squared::of_subnormal_vector(dx, dy));
            }
            // Up by 2^512 or 2^1024: exact.
            let twice = size < TINY;
            (
                if twice { [UP, UP] } else { [UP, 1.0] },
                if twice { -1024 } else { -512 },
            )
        } else if size < UNSCALED.end * HUGE_STEP {
            ([DOWN, 1.0], 512)
        } else if dx.is_finite() && dy.is_finite() {
            // `size` itself may overflow here: two finite differences whose
            // sum does not fit (both above MAX / 2) scale as any huge pair.
            ([DOWN, DOWN], 1024)
        } else {
            return None;
        };
        let (dx, dy) = (dx * factor[0] * factor[1], dy * factor[0] * factor[1]);
        Some(Squared {
            scaled: dx * dx + dy * dy,
            shift,
        })
    }

    /// [`Squared::of_vector`] of two subnormal (or 0) differences, not both
    /// 0: each times `2^1024` from its bits, the same values without
    /// multiplying subnormals, which common processors make slow. Out of
    /// line, so that the scans' loops inline `of_vector` small.
    #[cold]
    #[inline(never)]
    fn of_subnormal_vector(dx: f64, dy: f64) -> Squared {
        Squared::of_units(subnormal_units(dx), subnormal_units(dy))
    }

    /// The squared length of a vector of integer numbers of units
    /// `2^-1074`, not both 0, each below `2^53` in magnitude (an exact
    /// double): times `2^-50` they are the vector times `2^1024`, shift
    /// `-1024`, as [`Squared::of_vector`] scales a subnormal vector.
    fn of_units(dx: i64, dy: i64) -> Squared {
        let (dx, dy) = (dx as f64 * UNITS_SCALED, dy as f64 * UNITS_SCALED);
        Squared {
            scaled: dx * dx + dy * dy,
            shift: -1024,
        }
    }

    /// As [`Squared::between`], for two points whose coordinates are all
    /// subnormal or 0 (see [`is_subnormal`]), without arithmetic on
    /// subnormals, which common processors make slow: each coordinate is
    /// an integer number of units `2^-1074` (its bits' low 52, signed), so
    /// the differences are exact integer differences, below `2^53` (exact
    /// as doubles). Times `2^-50`, they are what [`Squared::of_vector`]
    /// makes of them: the difference times `2^1024`, shift `-1024` (or 0).
    fn between_subnormals(from: Point, to: Point) -> Squared {
        let (dx, dy) = (
            subnormal_units(to.x) - subnormal_units(from.x),
            subnormal_units(to.y) - subnormal_units(from.y),
        );
        if dx == 0 && dy == 0 {
            return Squared {
                scaled: 0.0,
                shift: 0,
            };
        }
        Squared::of_units(dx, dy)
    }

    /// The rest of [`Squared::of_differences`]: NaN and infinite
    /// coordinates, and differences or sizes that overflow.
    #[cold]
    #[inline(never)]
    fn out_of_line(x: (f64, f64), y: (f64, f64)) -> Option<Squared> {
        match Reach::between(Point::new(x.0, y.0), Point::new(x.1, y.1)) {
            Reach::Undefined => None,
            Reach::Infinite => Some(Squared::INFINITE),
            // The halves' difference (exact, see above), with one more shift.
            Reach::Finite => {
                let halves = Squared::of_vector(x.0 / 2.0 - x.1 / 2.0, y.0 / 2.0 - y.1 / 2.0)
                    .expect("halves of finite doubles do not overflow");
                Some(Squared {
                    shift: halves.shift + 1,
                    ..halves
                })
            }
        }
    }

    /// How `self` compares with `other` when their estimates are clearly
    /// apart; `None` when they are not (near a tie).
    #[inline]
    pub fn order(self, other: Squared) -> Option<Ordering> {
        if self.shift == other.shift {
            return clearly_apart(self.scaled, other.scaled);
        }
        self.order_across_shifts(other)
    }

    #[cold]
    #[inline(never)]
    fn order_across_shifts(self, other: Squared) -> Option<Ordering> {
        let (a, b) = (self.scaled, other.scaled);
        // 0 (shift 0) is below, +∞ (shift 0) above every other scale.
        if a == 0.0 || b == 0.0 || a.is_infinite() || b.is_infinite() {
            return clearly_apart(a, b);
        }
        // ⌊log2⌋ of each value.
        let (a_log, b_log) = (exponent(a) + 2 * self.shift, exponent(b) + 2 * other.shift);
        if a_log + 2 <= b_log {
            return Some(Ordering::Less);
        }
        if b_log + 2 <= a_log {
            return Some(Ordering::Greater);
        }
        // `a` at `other`'s shift: within a factor 8 of `b`, so normal.
        let exponent_there = a_log - 2 * other.shift;
        let a_there = f64::from_bits(
            (a.to_bits() & ((1 << 52) - 1)) | (((exponent_there + 1023) as u64) << 52),
        );
        clearly_apart(a_there, b)
    }
}

/// `2^-50`: a unit `2^-1074` times `2^1024`.
const UNITS_SCALED: f64 = 8.881784197001252e-16;

/// Whether both coordinates of `point` are subnormal or 0 (their exponent
/// bits are 0): read from the bits, without floating-point arithmetic.
#[inline]
fn is_subnormal(point: Point) -> bool {
    (point.x.to_bits() | point.y.to_bits()) & (0x7ff << 52) == 0
}

/// A radius around one center, with its square's estimate: for the many
/// [`point_within`](super::point_within) decisions of one `within` search.
///
/// Ownership: a plain `Copy` value.
#[derive(Debug, Clone, Copy)]
pub struct Radius {
    length: f64,
    squared: Squared,
}

impl Radius {
    pub fn new(length: f64) -> Radius {
        Radius {
            length,
            // A negative or NaN radius never decides by estimate (no
            // distance has this shift): the exact predicate rules on it.
            squared: if length >= 0.0 {
                Squared::of_length(length)
            } else {
                Squared {
                    scaled: 0.0,
                    shift: i32::MIN,
                }
            },
        }
    }

    pub fn length(self) -> f64 {
        self.length
    }

    /// Whether `p` is at most this radius from `center`, exactly, as
    /// [`point_within`](super::point_within) decides: a comparison of
    /// doubles when the distance's estimate is clearly apart from the
    /// radius's, else exact arithmetic.
    ///
    /// ```
    /// # use my_lib::core::{point::Point, points::exact::Radius};
    /// let (origin, tiny) = (Point::new(0.0, 0.0), f64::from_bits(1)); // 2^-1074
    /// let radius = Radius::new(5.0 * tiny);
    /// assert!(radius.contains(origin, Point::new(3.0 * tiny, 4.0 * tiny))); // on it
    /// assert!(!radius.contains(origin, Point::new(3.0 * tiny, 5.0 * tiny)));
    /// ```
    #[inline]
    pub fn contains(self, center: Point, p: Point) -> bool {
        // Inline unless a coordinate is not finite, or near a tie.
        let squared = if is_subnormal(center) && is_subnormal(p) {
            Some(Squared::between_subnormals(center, p))
        } else {
            Squared::of_vector(p.x - center.x, p.y - center.y)
        };
        if let Some(ordering) = squared.and_then(|d| d.order(self.squared)) {
            return ordering.is_lt();
        }
        self.decide(center, p)
    }

    /// [`Radius::contains`] in general.
    #[cold]
    #[inline(never)]
    fn decide(self, center: Point, p: Point) -> bool {
        let Some(squared) = Squared::between(center, p) else {
            return false;
        };
        if self.length == f64::INFINITY {
            return true;
        }
        match squared.order(self.squared) {
            Some(ordering) => ordering.is_le(),
            None => super::point_within(center, p, self.length),
        }
    }
}

/// `a` against `b` (each with a relative error below `2^-50`), when they
/// are more than [`MARGIN`] apart.
#[inline]
fn clearly_apart(a: f64, b: f64) -> Option<Ordering> {
    if a < b * (1.0 - MARGIN) {
        Some(Ordering::Less)
    } else if b < a * (1.0 - MARGIN) {
        Some(Ordering::Greater)
    } else {
        None
    }
}

/// Whether the part of the plane beyond a split, at `split` on an axis
/// where the target is at `at`, may hold a point as near as one at
/// `bound`: `(at - split)²` is not clearly beyond `bound`. Errs towards
/// yes; only a search's speed depends on it.
#[inline]
pub fn gap_may_reach(at: f64, split: f64, bound: Squared) -> bool {
    Squared::of_differences((at, split), (0.0, 0.0))
        .and_then(|gap| gap.order(bound))
        .is_none_or(|ordering| ordering.is_le())
}

#[cfg(test)]
mod tests {
    use super::super::tests::oracle::{self, rational};
    use super::super::tests::property::{Random, power_of_two};
    use super::*;

    #[test]
    fn the_constants_are_the_powers_of_two() {
        assert_eq!(MARGIN, 2f64.powi(-48));
        assert_eq!(UNSCALED, 2f64.powi(-256)..2f64.powi(256));
        assert_eq!((UP, DOWN), (2f64.powi(512), 2f64.powi(-512)));
        assert_eq!(TINY, 2f64.powi(-768));
        assert_eq!(UNSCALED.end * HUGE_STEP, 2f64.powi(768));
        assert_eq!(UNITS_SCALED, 2f64.powi(-50));
    }

    #[test]
    fn undefined_and_infinite_distances() {
        let origin = Point::default();
        assert_eq!(Squared::between(origin, Point::new(f64::NAN, 0.0)), None);
        assert_eq!(Squared::between(origin, Point::new(1.0, f64::NAN)), None);
        let infinite = Point::new(f64::INFINITY, 0.0);
        assert_eq!(Squared::between(infinite, infinite), None);
        assert_eq!(Squared::between(origin, infinite), Some(Squared::INFINITE));
        let huge = Squared::between(origin, Point::new(f64::MAX, -f64::MAX)).unwrap();
        assert_eq!(huge.order(Squared::INFINITE), Some(Ordering::Less));
        assert_eq!(Squared::INFINITE.order(Squared::INFINITE), None);
        // Differences that overflow are finite distances, ordered.
        let across = Squared::between(Point::new(-f64::MAX, 0.0), Point::new(f64::MAX, 0.0));
        assert_eq!(across.unwrap().order(huge), Some(Ordering::Greater));
        // Both differences overflow, and so do their halves' sizes summed.
        let diagonal = Squared::between(Point::new(1e308, 1e308), Point::new(-1e308, -1e308));
        assert_eq!(
            diagonal.unwrap().order(Squared::of_length(f64::MAX)),
            Some(Ordering::Greater)
        );
        assert_eq!(
            Squared::of_length(0.0).order(Squared::of_length(5e-324)),
            Some(Ordering::Less)
        );
    }

    /// The integer paths, for subnormal points and for subnormal
    /// differences, give exactly what multiplying the differences by
    /// `2^1024` gives (the straightforward scaling, slow on subnormals).
    #[test]
    fn subnormals_are_estimated_as_by_multiplying() {
        let multiplied = |from: Point, to: Point| {
            let (dx, dy) = (to.x - from.x, to.y - from.y);
            if dx == 0.0 && dy == 0.0 {
                return Squared {
                    scaled: 0.0,
                    shift: 0,
                };
            }
            let (dx, dy) = (dx * UP * UP, dy * UP * UP);
            Squared {
                scaled: dx * dx + dy * dy,
                shift: -1024,
            }
        };
        let mut random = Random::new(0x5eed_0011);
        for round in 0..2000 {
            let mut coordinate = || {
                let units = random.below(1 << 52) >> random.below(53);
                let sign = if random.below(2) == 0 { 1.0 } else { -1.0 };
                sign * if round % 2 == 0 {
                    // Subnormal points.
                    f64::from_bits(units)
                } else {
                    // Normal points a few units apart: subnormal
                    // differences.
                    f64::from_bits(f64::MIN_POSITIVE.to_bits() + (units >> 40))
                }
            };
            let (from, to) = (
                Point::new(coordinate(), coordinate()),
                Point::new(coordinate(), coordinate()),
            );
            let expected = multiplied(from, to);
            if is_subnormal(from) && is_subnormal(to) {
                assert_eq!(
                    Squared::between_subnormals(from, to),
                    expected,
                    "{from:?} {to:?}"
                );
            }
            assert_eq!(
                Squared::between(from, to),
                Some(expected),
                "{from:?} {to:?}"
            );
        }
        assert!(!is_subnormal(Point::new(f64::MIN_POSITIVE, 0.0)));
        assert!(is_subnormal(Point::new(-0.0, f64::from_bits(1))));
    }

    #[test]
    fn gaps_within_reach_err_towards_visiting() {
        let one = Squared::of_length(1.0);
        assert!(gap_may_reach(f64::NAN, 0.0, one));
        assert!(gap_may_reach(1.0, 0.0, one));
        assert!(gap_may_reach(0.0, 1.0 + 1e-15, one));
        assert!(!gap_may_reach(1.1, 0.0, one));
        assert!(gap_may_reach(1e200, 0.0, Squared::INFINITE));
        assert!(gap_may_reach(0.0, 0.0, Squared::of_length(0.0)));
        assert!(!gap_may_reach(1e-200, 0.0, Squared::of_length(0.0)));
        // At any magnitude (issue 22): squares that overflow or underflow.
        assert!(!gap_may_reach(1e200, -1e200, Squared::of_length(1e200)));
        assert!(!gap_may_reach(3e-320, 0.0, Squared::of_length(1e-320)));
        assert!(gap_may_reach(1e-320, 0.0, Squared::of_length(1e-320)));
    }

    /// Every order the estimates give is the exact one, on pairs of
    /// distances at every magnitude, near each other or not, with shifts
    /// alike or not.
    #[test]
    fn orders_agree_with_exact_arithmetic_at_every_magnitude() {
        let mut random = Random::new(0x5eed_0010);
        let (mut ordered, mut cases) = (0, 0);
        for _ in 0..if cfg!(miri) { 20 } else { 6_000 } {
            let point = |random: &mut Random| {
                let unit = power_of_two(-1074 + random.below(1074 + 1000) as i32);
                Point::new(random.signed_unit() * unit, random.signed_unit() * unit)
            };
            let (target, p) = (point(&mut random), point(&mut random));
            let q = match random.below(3) {
                // Nearly as far as p (a near-tie), or a mirror image (a tie).
                0 => Point::new(p.y, p.x * (1.0 + random.signed_unit() * 1e-14)),
                1 => Point::new(2.0 * target.x - p.x, 2.0 * target.y - p.y),
                _ => point(&mut random),
            };
            if ![q.x, q.y].iter().all(|c| c.is_finite()) {
                continue;
            }
            let (p_squared, q_squared) = (
                Squared::between(target, p).unwrap(),
                Squared::between(target, q).unwrap(),
            );
            let to_p = oracle::squared_distance(target, p);
            let exact = to_p.cmp(&oracle::squared_distance(target, q));
            cases += 1;
            if let Some(ordering) = p_squared.order(q_squared) {
                ordered += 1;
                assert_eq!(ordering, exact, "{target:?} {p:?} {q:?}");
            }
            // And against a radius.
            let radius = p.x.abs();
            if let Some(ordering) = p_squared.order(Squared::of_length(radius)) {
                assert_eq!(ordering, to_p.cmp(&(rational(radius) * rational(radius))));
            }
        }
        assert!(
            ordered * 4 > cases,
            "the estimates order the random third and more ({ordered} of {cases})"
        );
    }
}

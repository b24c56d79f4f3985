//! The sign of `(q - p) · (s - r)` for finite points, exactly: the one
//! predicate the convex hulls of [`hull`](super::hull) are built and
//! searched with (a cross product is the dot product with a vector turned
//! a quarter, and turning a point, `(x, y) -> (y, -x)`, is exact); and of
//! a sum of two such, for [`slab`](super::slab)'s comparisons.
//!
//! In stages, each exact where it decides and each costlier than the one
//! before; most calls end at the first:
//!
//! 1. **The filter**, in `f64` with a bound on the rounding error: each
//!    difference is off by at most `u = 2^-53` relatively, each product by
//!    `3u + O(u²)` (plus at most `2^-1075` where it is subnormal), the sum
//!    by `u` more, so the computed value is within `4.1u (|t1| + |t2|) + 3
//!    · 2^-1075` of the exact one, `t1`, `t2` the computed products;
//!    [`filtered_sign`] allows about twice that.
//! 2. **The factors' signs** ([`signs_decide`]): a product with a zero
//!    factor, or two products of one sign, at any magnitude (the exact
//!    ties of segments square to an axis).
//! 3. **The exact products** ([`products_sign`]): where the four
//!    differences subtract exactly and the products are far from underflow
//!    and overflow, the products and their rounding errors sum exactly to
//!    an expansion.
//! 4. **The compensated sum** ([`compensated_sign`]): the differences'
//!    rounding errors and the products' kept apart and summed in about
//!    twice the filter's precision, for near ties that are not ties (points
//!    a few rounding errors off a line: decisions of lines at an angle).
//! 5. **The exact sum**: the eight products of coordinates summed exactly
//!    in a fixed-size two's-complement integer scaled by `2^-2148` (the
//!    smallest product of two doubles), without allocating.
//!
//! One dot product goes through all five ([`dot_sign`]); a sum of two
//! through the first, the fourth and the fifth ([`sum_sign`]).

use std::cmp::Ordering;

use crate::core::point::Point;
use crate::core::points::exact::power_of_two;

/// Covers subnormal products, `3 · 2^-1075` per dot product, with margin.
const FILTER_ABSOLUTE: f64 = f64::from_bits(1 << 5);
/// Limbs of the exact sum: 4,090 bits of exponent range (`2^-2148` to
/// `2^1942`), 106 of a product, 4 of carries over sixteen terms, and a sign.
const LIMBS: usize = 68;
/// The most dot products one sum takes.
const MOST_DOTS: usize = 2;
/// [`compensated_sign`]'s error bound per unit of the products'
/// magnitudes: `128u²` against the `108.5u²` its analysis finds.
const COMPENSATED_BOUND: f64 = 128.0 * (f64::EPSILON / 2.0) * (f64::EPSILON / 2.0);
/// The least nonzero product [`compensated_sign`] takes: its rounding
/// error is then a double.
const LEAST_COMPENSATED_PRODUCT: f64 = power_of_two(-968);

/// The differences `(p, q, r, s)` of `(q - p) · (s - r)`.
pub(super) type Dot = (Point, Point, Point, Point);

/// The sign of `(q - p) · (s - r)`, exactly; every coordinate finite.
/// The filter is inlined into its callers (the hulls' binary searches run
/// it at every step); what it leaves undecided is not.
#[inline]
pub(super) fn dot_sign(p: Point, q: Point, r: Point, s: Point) -> Ordering {
    let (t1, t2) = ((q.x - p.x) * (s.x - r.x), (q.y - p.y) * (s.y - r.y));
    filtered_sign(t1 + t2, t1.abs() + t2.abs(), 1.0).unwrap_or_else(|| {
        #[cfg(test)]
        super::decide::count_exact();
        undecided_dot_sign(p, q, r, s)
    })
}

/// What the filter leaves undecided: the factors' signs
/// ([`signs_decide`]), else the expansion of [`products_sign`], else the
/// exact sum. Out of line, so that the filter inlines small.
#[inline(never)]
fn undecided_dot_sign(p: Point, q: Point, r: Point, s: Point) -> Ordering {
    signs_decide(p, q, r, s)
        .or_else(|| products_sign(p, q, r, s))
        .or_else(|| compensated_sign(&[(p, q, r, s)]))
        .unwrap_or_else(|| exact_sign(&[(p, q, r, s)]))
}

/// The sign of `(q - p) · (s - r)` when the signs of its two products
/// settle it: one product is exactly 0 (a factor's coordinates are equal)
/// or both have the same sign. The sign of a difference of two doubles is
/// their comparison, exactly, whatever the difference rounds to, so this
/// is exact at any magnitude; it takes the exact ties of a segment square
/// to an axis (a sawtooth's level stretches), where the filter's value and
/// magnitude are both 0. `None` when the products have opposite signs.
fn signs_decide(p: Point, q: Point, r: Point, s: Point) -> Option<Ordering> {
    let sign = |minuend: f64, subtrahend: f64| minuend.partial_cmp(&subtrahend);
    let product_sign = |a: Ordering, b: Ordering| match (a, b) {
        (Ordering::Equal, _) | (_, Ordering::Equal) => Ordering::Equal,
        _ if a == b => Ordering::Greater,
        _ => Ordering::Less,
    };
    let first = product_sign(sign(q.x, p.x)?, sign(s.x, r.x)?);
    let second = product_sign(sign(q.y, p.y)?, sign(s.y, r.y)?);
    match (first, second) {
        (Ordering::Equal, other) | (other, Ordering::Equal) => Some(other),
        _ if first == second => Some(first),
        _ => None,
    }
}

/// The sign of the sum of (at most two) dot products, exactly; every
/// coordinate finite. One dot product alone goes through [`dot_sign`],
/// whose undecided rest has a quicker stage.
pub(super) fn sum_sign(dots: &[Dot]) -> Ordering {
    let (mut value, mut magnitude) = (0.0, 0.0);
    for &(p, q, r, s) in dots {
        let (t1, t2) = ((q.x - p.x) * (s.x - r.x), (q.y - p.y) * (s.y - r.y));
        value += t1 + t2;
        magnitude += t1.abs() + t2.abs();
    }
    filtered_sign(value, magnitude, dots.len() as f64).unwrap_or_else(|| {
        #[cfg(test)]
        super::decide::count_exact();
        compensated_sign(dots).unwrap_or_else(|| exact_sign(dots))
    })
}

/// The sign of a sum of `count` computed dot products, `value`, whose
/// products' magnitudes sum to `magnitude`, when the rounding cannot have
/// changed it: for `k` dot products the `2k` computed products are each
/// within `3.01u` of exact, and the `2k - 1` additions add `u` each of the
/// products' sum of magnitudes, so the filter allows `(4 + 4k) u`. `None`
/// when the sign is not certain (or on an overflow).
#[inline]
fn filtered_sign(value: f64, magnitude: f64, count: f64) -> Option<Ordering> {
    let bound = (4.0 + 4.0 * count) * (f64::EPSILON / 2.0) * magnitude + count * FILTER_ABSOLUTE;
    let sign = if value > 0.0 {
        Ordering::Greater
    } else {
        Ordering::Less
    };
    (value.is_finite() && bound.is_finite() && value.abs() > bound).then_some(sign)
}

/// The sign of `(q - p) · (s - r)` when its four differences are exact
/// doubles and its two products far from underflow and overflow: each
/// product is then exactly a double and its rounding error (a fused
/// multiply-add), and the four sum exactly to a nonoverlapping expansion
/// (Shewchuk's two-two sum), whose largest nonzero part has the sum's
/// sign. A product with an exactly zero factor (equal coordinates) is 0
/// whatever the other difference, even one that rounds or overflows.
/// `None` otherwise.
fn products_sign(p: Point, q: Point, r: Point, s: Point) -> Option<Ordering> {
    let whole = |minuend: f64, subtrahend: f64| match difference(minuend, subtrahend) {
        ([value, _], 1) => Some(value),
        _ => None,
    };
    let product = |(q, p): (f64, f64), (s, r): (f64, f64)| {
        if q == p || s == r {
            // An exact zero factor: the other need not be exact.
            return Some((0.0, 0.0));
        }
        exact_product(whole(q, p)?, whole(s, r)?)
    };
    let (high_1, low_1) = product((q.x, p.x), (s.x, r.x))?;
    let (high_2, low_2) = product((q.y, p.y), (s.y, r.y))?;
    // Two-one sums: (high_1, low_1) + low_2, then + high_2.
    let (i, x0) = two_sum(low_1, low_2);
    let (j, k) = two_sum(high_1, i);
    let (l, x1) = two_sum(k, high_2);
    let (x3, x2) = two_sum(j, l);
    if !x3.is_finite() {
        return None;
    }
    [x3, x2, x1, x0]
        .into_iter()
        .find(|&part| part != 0.0)
        .map_or(Some(Ordering::Equal), |part| part.partial_cmp(&0.0))
}

/// The sign of a sum of (at most two) dot products, in about twice the
/// precision of the filter, when that settles it: near a tie that is not
/// one (points a few rounding errors off a line, whose differences do not
/// subtract exactly), where the filter cannot tell and the exact sum costs
/// several times more. `None` when it cannot tell (within
/// [`COMPENSATED_BOUND`] of the products' magnitudes of zero), or outside
/// the range where its parts are exact.
///
/// Each difference is the rounded `a` and its exact error `α` (two-sum),
/// so with `b`, `β` the other factor's, a product is exactly `(a + α)(b +
/// β) = h + l + aβ + αb + αβ`, `h + l` the exact `a b` (a fused multiply-
/// add). The `h` are summed by two-sums, which leave the exact sum as a
/// double `sum` plus their errors `σ`; the rest, `tail`, sums in floating
/// point the `σ`, the `l` and the rounded `aβ` and `αb`, and leaves out `αβ`.
/// With `M` the sum of the `|h|` (at most four products): `|σ| <= u |partial
/// sum|`, so the `σ` sum to at most `4.01u M`; the `l` to `u M`; the `aβ`
/// and `αb` to `2.01u M`; so the tail's sixteen terms (one `σ` is 0) add to
/// `A <= 7.02u M`, summed with an error of at most `15u A`, about `105.4u²
/// M`. The rounded `aβ`, `αb` err by `2.01u² M` more, and the `αβ` left out
/// add to at most `1.01u² M`: `sum + tail` is within `108.5u² M` of the
/// exact value, and rounding it keeps its sign. Exactness needs every
/// difference finite, and every product 0 by a zero factor or at least
/// `2^-968` (so that its error `l` is a double), and `M` at most `2^1000`
/// (no overflow); then the subnormal roundings of `aβ` and `αb`, at most
/// `2^-1075` each, are far inside the bound, which is at least `2^-1067`.
fn compensated_sign(dots: &[Dot]) -> Option<Ordering> {
    debug_assert!(dots.len() <= MOST_DOTS);
    let (mut sum, mut tail, mut magnitude) = (0.0f64, 0.0f64, 0.0f64);
    for &(p, q, r, s) in dots {
        for ((q, p), (s, r)) in [((q.x, p.x), (s.x, r.x)), ((q.y, p.y), (s.y, r.y))] {
            let ((a, alpha), (b, beta)) = (two_sum(q, -p), two_sum(s, -r));
            let product = a * b;
            let exact = (a == 0.0 || b == 0.0 || product.abs() >= LEAST_COMPENSATED_PRODUCT)
                && product.is_finite();
            if !exact {
                return None;
            }
            let (next, error) = two_sum(sum, product);
            sum = next;
            tail += error + a.mul_add(b, -product) + a * beta + alpha * b;
            magnitude += product.abs();
        }
    }
    let value = sum + tail;
    let decided = magnitude != 0.0
        && magnitude <= power_of_two(1000)
        && value.is_finite()
        && value.abs() > COMPENSATED_BOUND * magnitude;
    decided.then(|| value.partial_cmp(&0.0).unwrap_or(Ordering::Equal))
}

/// `a · b` as a double and its exact rounding error, when both are exact
/// (the product is 0 only if a factor is, and is at least `2^-900`, so the
/// error is representable, and finite).
fn exact_product(a: f64, b: f64) -> Option<(f64, f64)> {
    let product = a * b;
    if product == 0.0 {
        return (a == 0.0 || b == 0.0).then_some((0.0, 0.0));
    }
    let representable = product.is_finite() && product.abs() >= f64::from_bits((1023 - 900) << 52);
    representable.then(|| (product, a.mul_add(b, -product)))
}

/// `a + b` as a double and its exact rounding error (Knuth), when
/// `a + b` is finite.
fn two_sum(a: f64, b: f64) -> (f64, f64) {
    let sum = a + b;
    let b_virtual = sum - a;
    let a_virtual = sum - b_virtual;
    (sum, (a - a_virtual) + (b - b_virtual))
}

/// `value = (-1)^negative · mantissa · 2^exponent` of a finite double.
#[derive(Clone, Copy)]
struct Parts {
    negative: bool,
    mantissa: u64,
    exponent: i32,
}

impl Parts {
    fn of(value: f64) -> Parts {
        let bits = value.to_bits();
        let biased = ((bits >> 52) & 0x7ff) as i32;
        let fraction = bits & ((1 << 52) - 1);
        let (mantissa, exponent) = if biased == 0 {
            (fraction, -1074)
        } else {
            (fraction | (1 << 52), biased - 1075)
        };
        Parts {
            negative: bits >> 63 == 1,
            mantissa,
            exponent,
        }
    }
}

/// A product of two doubles, exactly.
#[derive(Clone, Copy)]
struct Term {
    negative: bool,
    magnitude: u128,
    exponent: i32,
}

fn term(a: f64, b: f64) -> Term {
    let (a, b) = (Parts::of(a), Parts::of(b));
    Term {
        negative: a.negative ^ b.negative,
        magnitude: u128::from(a.mantissa) * u128::from(b.mantissa),
        exponent: a.exponent + b.exponent,
    }
}

/// `minuend - subtrahend` as one double when that is exact (Knuth's
/// two-sum finds the rounding error zero), else as the two, the second
/// negated: a sum of one or two doubles equal to the difference.
fn difference(minuend: f64, subtrahend: f64) -> ([f64; 2], usize) {
    let (a, b) = (minuend, -subtrahend);
    let (sum, error) = two_sum(a, b);
    if sum.is_finite() && error == 0.0 {
        ([sum, 0.0], 1)
    } else {
        ([a, b], 2)
    }
}

/// Each `(q - p) · (s - r)` expanded into products of doubles (each
/// difference kept whole where it is exact, else split into its two
/// coordinates), all summed exactly.
fn exact_sign(dots: &[Dot]) -> Ordering {
    assert!(dots.len() <= MOST_DOTS, "at most {MOST_DOTS} dot products");
    let mut terms = [term(0.0, 0.0); 8 * MOST_DOTS];
    let mut count = 0;
    for &(p, q, r, s) in dots {
        for ((q, p), (s, r)) in [((q.x, p.x), (s.x, r.x)), ((q.y, p.y), (s.y, r.y))] {
            let ((left, left_count), (right, right_count)) = (difference(q, p), difference(s, r));
            for &a in &left[..left_count] {
                for &b in &right[..right_count] {
                    terms[count] = term(a, b);
                    count += 1;
                }
            }
        }
    }
    let terms = &terms[..count];
    let nonzero = || terms.iter().filter(|term| term.magnitude != 0);
    let Some(lowest) = nonzero().map(|term| term.exponent).min() else {
        return Ordering::Equal;
    };
    let highest = nonzero().map(|term| term.exponent).max().unwrap_or(lowest);
    // Only the limbs this sum can reach: a few unless the magnitudes differ widely.
    let used = ((highest - lowest) as usize) / 64 + 4;
    if used <= 8 {
        sign_of_sum(&mut [0u64; 8][..used], terms, lowest)
    } else {
        sign_of_sum(&mut [0u64; LIMBS][..used], terms, lowest)
    }
}

/// The sign of the sum of `terms` (in `sum`, zeroed, wide enough), the
/// least exponent among them `lowest`.
fn sign_of_sum(sum: &mut [u64], terms: &[Term], lowest: i32) -> Ordering {
    for term in terms.iter().filter(|term| term.magnitude != 0) {
        add_shifted(sum, term, (term.exponent - lowest) as usize);
    }
    if sum[sum.len() - 1] >> 63 == 1 {
        Ordering::Less
    } else if sum.iter().any(|&limb| limb != 0) {
        Ordering::Greater
    } else {
        Ordering::Equal
    }
}

/// Adds `±magnitude · 2^shift` to the two's-complement `sum` (which has at
/// least three limbs above `shift / 64`, so the sum of at most sixteen terms
/// cannot reach its sign bit).
fn add_shifted(sum: &mut [u64], term: &Term, shift: usize) {
    let (limb, bit) = (shift / 64, (shift % 64) as u32);
    let (low, high) = (term.magnitude as u64, (term.magnitude >> 64) as u64);
    let parts = if bit == 0 {
        [low, high, 0]
    } else {
        [
            low << bit,
            (high << bit) | (low >> (64 - bit)),
            high >> (64 - bit),
        ]
    };
    let mut carry = 0u64;
    for (offset, slot) in sum[limb..].iter_mut().enumerate() {
        if offset >= parts.len() && carry == 0 {
            break;
        }
        let part = parts.get(offset).copied().unwrap_or(0);
        let (value, first) = if term.negative {
            slot.overflowing_sub(part)
        } else {
            slot.overflowing_add(part)
        };
        let (value, second) = if term.negative {
            value.overflowing_sub(carry)
        } else {
            value.overflowing_add(carry)
        };
        *slot = value;
        carry = u64::from(first || second);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::test_random::Random;

    fn point(x: f64, y: f64) -> Point {
        Point::new(x, y)
    }

    #[test]
    fn decides_what_the_filter_cannot() {
        let origin = point(0.0, 0.0);
        // (1 + 2^-52, 1) · (1, -1) = 2^-52 exactly; the filter's bound is wider.
        let tiny = point(1.0 + f64::EPSILON, 1.0);
        assert_eq!(
            exact_sign(&[(origin, tiny, origin, point(1.0, -1.0))]),
            Ordering::Greater
        );
        assert_eq!(
            dot_sign(origin, tiny, origin, point(1.0, -1.0)),
            Ordering::Greater
        );
        assert_eq!(
            dot_sign(origin, point(1.0, 1.0), origin, point(1.0, -1.0)),
            Ordering::Equal
        );
        // Far from the origin, an exact zero.
        let far = point(1e16, 0.0);
        assert_eq!(
            dot_sign(far, point(1e16 + 2.0, 3.0), origin, point(3.0, -2.0)),
            Ordering::Equal
        );
    }

    #[test]
    fn extremes_of_magnitude_are_exact() {
        let origin = point(0.0, 0.0);
        let subnormal = f64::from_bits(1);
        // MAX · MAX overflows in f64; the sign is still found.
        let huge = point(f64::MAX, -f64::MAX);
        assert_eq!(dot_sign(origin, huge, origin, huge), Ordering::Greater);
        assert_eq!(
            dot_sign(origin, huge, huge, origin),
            Ordering::Less,
            "the reversed difference"
        );
        // 2^-1074 · 2^-1074 underflows to 0 in f64.
        let least = point(subnormal, subnormal);
        assert_eq!(dot_sign(origin, least, origin, least), Ordering::Greater);
        // MAX · 2^-1074 against 1 · (2^-1074 · MAX), exactly equal.
        assert_eq!(
            dot_sign(
                origin,
                point(f64::MAX, -1.0),
                origin,
                point(subnormal, subnormal * f64::MAX)
            ),
            Ordering::Equal
        );
    }

    #[test]
    fn signs_alone_decide_only_what_they_settle() {
        // (1e-200, 5) · (1e-200, 0): the first product underflows to 0 in
        // f64, the second is exactly 0, so the filter cannot tell; the
        // factors' signs can.
        let origin = point(0.0, 0.0);
        let (q, s) = (point(1e-200, 5.0), point(1e-200, 0.0));
        assert_eq!(signs_decide(origin, q, origin, s), Some(Ordering::Greater));
        assert_eq!(dot_sign(origin, q, origin, s), Ordering::Greater);
        // Coordinates from a few values at every magnitude, with repeats
        // (zero factors): where the signs decide, they agree with the exact
        // sum, and they decide nothing when the products' signs differ.
        let values = [
            0.0,
            -0.0,
            5e-324,
            -2.5e-310,
            1e-300,
            -1e-300,
            0.1,
            1.0,
            -3.0,
            1e300,
            f64::MAX,
            -f64::MAX,
        ];
        let mut random = Random::new(13);
        let mut pick = || random.pick(&values);
        let rounds = if cfg!(miri) { 50 } else { 20_000 };
        let mut decided = 0;
        for _ in 0..rounds {
            let [p, q, r, s] = std::array::from_fn(|_| point(pick(), pick()));
            let exact = exact_sign(&[(p, q, r, s)]);
            let factor_signs = |(a, b): (f64, f64), (c, d): (f64, f64)| {
                a.partial_cmp(&b).unwrap() as i32 * c.partial_cmp(&d).unwrap() as i32
            };
            let opposite =
                factor_signs((q.x, p.x), (s.x, r.x)) * factor_signs((q.y, p.y), (s.y, r.y)) < 0;
            match signs_decide(p, q, r, s) {
                Some(sign) => {
                    assert!(!opposite, "{p:?} {q:?} {r:?} {s:?}");
                    assert_eq!(sign, exact, "{p:?} {q:?} {r:?} {s:?}");
                    decided += 1;
                }
                None => assert!(opposite, "{p:?} {q:?} {r:?} {s:?}"),
            }
            assert_eq!(dot_sign(p, q, r, s), exact, "{p:?} {q:?} {r:?} {s:?}");
        }
        assert!(decided > rounds / 2, "{decided} of {rounds}");
    }

    #[test]
    fn compensated_sums_decide_near_ties_and_agree_with_exact_arithmetic() {
        // Points a few rounding errors off square (`s - r` the quarter
        // turn of `q - p`, rounded), at magnitudes from 1e-3 to 1e6 and on
        // offsets of 1e9: the filter cannot tell, the exact sum can, and
        // so can the compensated sum nearly always. Sums of a dot product
        // and its exact negation computed the other way round (`(s - r) ·
        // (p - q)`) are exactly 0; nudged by a unit in the last place,
        // they are a hair off it.
        let mut random = Random::new(29);
        let mut unit = || random.unit();
        let rounds = if cfg!(miri) { 30 } else { 20_000 };
        let (mut near, mut decided) = (0, 0);
        for round in 0..rounds {
            let scale = [1e-3, 1.0, 1e6][round % 3];
            let offset = if round % 2 == 0 { 0.0 } else { 1e9 };
            let mut at = || point(offset + unit() * scale, offset + unit() * scale);
            let (p, q, r) = (at(), at(), at());
            let s = point(r.x - (q.y - p.y), r.y + (q.x - p.x));
            let nudged = point(f64::from_bits(p.x.to_bits() + 1), p.y);
            for dots in [
                &[(p, q, r, s)][..],
                &[(p, q, r, s), (r, s, q, p)],
                &[(p, q, r, s), (r, s, q, nudged)],
            ] {
                let exact = exact_sign(dots);
                let compensated = compensated_sign(dots);
                if let Some(sign) = compensated {
                    assert_eq!(sign, exact, "{dots:?}");
                }
                if dots.len() == 2 && dots[1].3 == p {
                    assert_eq!(exact, Ordering::Equal, "{dots:?}");
                    assert_eq!(compensated, None, "an exact zero: {dots:?}");
                } else if exact != Ordering::Equal {
                    let (value, magnitude) =
                        dots.iter().fold((0.0, 0.0), |(v, m), &(p, q, r, s)| {
                            let (t1, t2) = ((q.x - p.x) * (s.x - r.x), (q.y - p.y) * (s.y - r.y));
                            (v + t1 + t2, m + t1.abs() + t2.abs())
                        });
                    if filtered_sign(value, magnitude, dots.len() as f64).is_none() {
                        near += 1;
                        decided += usize::from(compensated.is_some());
                    }
                }
            }
        }
        assert!(
            decided * 100 >= near * 99,
            "{decided} of {near} near ties decided"
        );
        assert!(near >= rounds / 2, "{near} near ties");
    }

    #[test]
    fn agrees_with_integer_arithmetic_on_small_integers() {
        let mut random = Random::new(7);
        let mut next = || random.below(2001) as i64 - 1000;
        let rounds = if cfg!(miri) { 20 } else { 5000 };
        for _ in 0..rounds {
            let c: [i64; 8] = std::array::from_fn(|_| next());
            let expected = ((c[2] - c[0]) * (c[6] - c[4]) + (c[3] - c[1]) * (c[7] - c[5])).cmp(&0);
            let p = |i: usize| point(c[i] as f64, c[i + 1] as f64);
            assert_eq!(exact_sign(&[(p(0), p(2), p(4), p(6))]), expected, "{c:?}");
            assert_eq!(dot_sign(p(0), p(2), p(4), p(6)), expected, "{c:?}");
        }
    }
}

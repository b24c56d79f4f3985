//! Property tests: every predicate against the exact rational [`oracle`] on
//! random inputs of many shapes (offsets from 1 to 1e15 with features down
//! to 1e-9, exact ties, thresholds at the rounded distance, 1e308 and
//! `±MAX`, subnormals, and mixtures), from a fixed seed.

use std::cmp::Ordering;

use num_bigint::BigInt;

use super::super::predicates::Arithmetic;
use super::super::scale::Scale;
use super::oracle::{self, Rational, rational};
use super::*;

/// Cases per shape: the oracle's rationals with both huge and subnormal
/// parts take milliseconds, so a debug build runs fewer (`cargo test
/// --release` runs ten times as many), and Miri one of each (the module
/// has no `unsafe`; Miri checks that the arithmetic never overflows).
const CASES: usize = if cfg!(miri) {
    1
} else if cfg!(debug_assertions) {
    400
} else {
    4000
};

pub(in crate::core::points::exact) use crate::core::test_random::Random;

/// `10^k` for `k` in `[low, high]`.
fn power_of_ten(random: &mut Random, low: i32, high: i32) -> f64 {
    10f64.powi(low + random.below((high - low + 1) as u64) as i32)
}

/// How a case's points are spread.
#[derive(Debug, Clone, Copy)]
enum Shape {
    /// An offset of 1 to 1e15, with features of 1e-9 to 1.
    OffsetFeatures,
    /// Integer coordinates, scaled by a power of two anywhere from the
    /// subnormals to near `MAX` and offset, so that ties are exact.
    ScaledGrid,
    /// Uniform in `[-MAX, MAX]`, or near `±MAX`.
    Huge,
    /// Subnormal and tiny normal numbers.
    Subnormal,
    /// Each coordinate from a different one of the above.
    Mixed,
    /// Offset features scaled by a power of two anywhere in the range
    /// (a random walk times 1e-300 to 1e290).
    ScaledFeatures,
    /// Scaled features, with one coordinate in six at `±MAX` or `±1e308`:
    /// a path with outliers.
    Outlier,
}

const ALL_SHAPES: [Shape; 7] = [
    Shape::OffsetFeatures,
    Shape::ScaledGrid,
    Shape::Huge,
    Shape::Subnormal,
    Shape::Mixed,
    Shape::ScaledFeatures,
    Shape::Outlier,
];

/// The shapes tested. Under Miri only the first: the oracle's rationals of
/// 2,000 bits and more take minutes there (the unit tests still take the
/// exact path through 1e308 and subnormals under Miri).
const SHAPES: &[Shape] = if cfg!(miri) {
    &[Shape::OffsetFeatures]
} else {
    &ALL_SHAPES
};

/// Makes points of one shape; a case's points share the shape's offset and
/// scale.
struct Sampler {
    shape: Shape,
    offset: (f64, f64),
    feature: f64,
    scale_exponent: i32,
}

impl Sampler {
    fn new(shape: Shape, random: &mut Random) -> Self {
        let offset_size = power_of_ten(random, 0, 15);
        let scale_exponent = -1074 + random.below(1074 + 960) as i32;
        // An integer multiple of the scale: the grid's points are exact.
        let grid_offset =
            |random: &mut Random| random.integer(1 << 40) * power_of_two(scale_exponent);
        let offset = match shape {
            Shape::ScaledGrid => (grid_offset(random), grid_offset(random)),
            _ => (
                random.signed_unit() * offset_size,
                random.signed_unit() * offset_size,
            ),
        };
        Sampler {
            shape,
            offset,
            feature: power_of_ten(random, -9, 0),
            scale_exponent,
        }
    }

    fn coordinate(&self, random: &mut Random, shape: Shape, axis: usize) -> f64 {
        let offset = if axis == 0 {
            self.offset.0
        } else {
            self.offset.1
        };
        match shape {
            Shape::OffsetFeatures => offset + random.signed_unit() * self.feature,
            Shape::ScaledGrid => offset + random.integer(20) * power_of_two(self.scale_exponent),
            Shape::Huge => match random.below(3) {
                0 => random.signed_unit() * f64::MAX,
                1 => f64::MAX - random.below(1 << 20) as f64 * power_of_two(971),
                _ => -f64::MAX + random.below(4) as f64 * power_of_two(971),
            },
            Shape::Subnormal => {
                random.integer(1 << 30) * power_of_two(-1074 + random.below(60) as i32)
            }
            Shape::Mixed => {
                let shape = ALL_SHAPES[random.below(4) as usize];
                self.coordinate(random, shape, axis)
            }
            Shape::ScaledFeatures => {
                // At most 2^960 times 1e15 (2^50): finite.
                self.coordinate(random, Shape::OffsetFeatures, axis)
                    * power_of_two(self.scale_exponent)
            }
            Shape::Outlier => match random.below(6) {
                0 => [f64::MAX, -f64::MAX, 1e308, -1e308][random.below(4) as usize],
                _ => self.coordinate(random, Shape::ScaledFeatures, axis),
            },
        }
    }

    fn point(&self, random: &mut Random) -> Point {
        Point::new(
            self.coordinate(random, self.shape, 0),
            self.coordinate(random, self.shape, 1),
        )
    }
}

/// A length near `squared`'s square root: rounded, or a neighbour, or a
/// little or far off, so thresholds are tested at and around ties.
fn length_near(squared: &Rational, random: &mut Random) -> f64 {
    let estimate = approximate_sqrt(squared);
    let length = match random.below(5) {
        0 => estimate,
        1 => estimate.next_up(),
        2 => estimate.next_down().max(0.0),
        3 => estimate * (1.0 + random.signed_unit() * 1e-6),
        _ => estimate * 2.0,
    };
    length.min(f64::MAX)
}

/// `2^exponent`, exactly, for `exponent` in `[-1074, 1023]`.
pub(in crate::core::points::exact) fn power_of_two(exponent: i32) -> f64 {
    if exponent >= -1022 {
        f64::from_bits(((exponent + 1023) as u64) << 52)
    } else {
        f64::from_bits(1 << (exponent + 1074))
    }
}

/// About `√squared` (within a few ulps).
fn approximate_sqrt(squared: &Rational) -> f64 {
    // `squared / 4^shift` is within [1/4, 4]: its double is accurate.
    let bits = squared.numer().bits() as i64 - squared.denom().bits() as i64;
    let shift = (bits / 2) as i32;
    let four_to_shift = Rational::from_integer(BigInt::from(1) << (2 * shift.unsigned_abs()));
    let scaled = if shift >= 0 {
        squared / four_to_shift
    } else {
        squared * four_to_shift
    };
    to_f64(&scaled).sqrt() * power_of_two(shift / 2) * power_of_two(shift - shift / 2)
}

/// A rational of moderate size, to a double within a few ulps.
fn to_f64(value: &Rational) -> f64 {
    let scaled = (value * Rational::from_integer(BigInt::from(1) << 120u32)).to_integer();
    let (_, digits) = scaled.to_u64_digits();
    let magnitude = digits
        .iter()
        .rev()
        .fold(0.0, |total, &digit| total * 2f64.powi(64) + digit as f64);
    magnitude * power_of_two(-120)
}

fn all_finite(points: &[Point]) -> bool {
    points.iter().all(|p| p.x.is_finite() && p.y.is_finite())
}

fn check_point_predicates(sampler: &Sampler, random: &mut Random) {
    let (target, p) = (sampler.point(random), sampler.point(random));
    let q = match random.below(3) {
        // A mirror image of p about the target (a tie when the mirror is exact).
        0 => Point::new(2.0 * target.x - p.x, 2.0 * target.y - p.y),
        1 => Point::new(target.x - (p.y - target.y), target.y + (p.x - target.x)),
        _ => sampler.point(random),
    };
    if !all_finite(&[target, p, q]) {
        return; // the mirror of a huge point overflowed
    }
    let (p_squared, q_squared) = (
        oracle::squared_distance(target, p),
        oracle::squared_distance(target, q),
    );
    assert_eq!(
        compare_point_distances(target, p, q),
        Some(p_squared.cmp(&q_squared)),
        "{target:?} {p:?} {q:?}"
    );
    let radius = length_near(&p_squared, random);
    assert_eq!(
        point_within(target, p, radius),
        p_squared <= rational(radius) * rational(radius),
        "{target:?} {p:?} {radius:?}"
    );
}

fn check_segment_predicates(sampler: &Sampler, random: &mut Random) {
    let (start, end) = (sampler.point(random), sampler.point(random));
    let end = if random.below(10) == 0 { start } else { end };
    let p = sampler.point(random);
    let q = match random.below(3) {
        0 => Point::new(p.x + (end.x - start.x), p.y + (end.y - start.y)), // shifted along
        1 => Point::new(2.0 * start.x - p.x, 2.0 * start.y - p.y),         // mirrored
        _ => sampler.point(random),
    };
    if !all_finite(&[start, end, p, q]) {
        return; // a shifted or mirrored point overflowed
    }
    let (p_squared, q_squared) = (
        oracle::squared_distance_to_segment(start, end, p),
        oracle::squared_distance_to_segment(start, end, q),
    );
    assert_eq!(
        compare_segment_distances(start, end, p, q),
        Some(p_squared.cmp(&q_squared)),
        "{start:?} {end:?} {p:?} {q:?}"
    );
    let tolerance = length_near(&p_squared, random);
    assert_eq!(
        segment_distance_exceeds(start, end, p, tolerance),
        p_squared > rational(tolerance) * rational(tolerance),
        "{start:?} {end:?} {p:?} {tolerance:?}"
    );
    // Against 0 (decided by signs of degree 2), at `p` and at a point
    // between the ends, on the segment or a rounding off it.
    let between = Point::new(
        start.x + (end.x - start.x) * 0.375,
        start.y + (end.y - start.y) * 0.375,
    );
    for point in [p, between] {
        if !all_finite(&[point]) {
            continue;
        }
        let squared = oracle::squared_distance_to_segment(start, end, point);
        assert_eq!(
            segment_distance_exceeds(start, end, point, 0.0),
            squared > rational(0.0),
            "{start:?} {end:?} {point:?} against 0"
        );
    }
}

#[test]
fn point_predicates_agree_with_exact_arithmetic() {
    let mut random = Random::new(0x5eed_0001);
    for &shape in SHAPES {
        for _ in 0..CASES {
            let sampler = Sampler::new(shape, &mut random);
            check_point_predicates(&sampler, &mut random);
        }
    }
}

#[test]
fn segment_predicates_agree_with_exact_arithmetic() {
    let mut random = Random::new(0x5eed_0002);
    for &shape in SHAPES {
        for _ in 0..CASES {
            let sampler = Sampler::new(shape, &mut random);
            check_segment_predicates(&sampler, &mut random);
        }
    }
}

/// Exact ties between a segment's interior and its ends, on integer grids
/// scaled and offset anywhere in the range: a point `j` units of the
/// segment's normal off its interior is as far as one `j` segment lengths
/// beyond an end.
#[test]
fn segment_ties_between_interior_and_ends_are_exact() {
    let mut random = Random::new(0x5eed_0003);
    for _ in 0..CASES * 4 {
        let exponent = -1074 + random.below(1074 + 900) as i32;
        let unit = power_of_two(exponent);
        let (dx, dy) = (random.integer(50), random.integer(50));
        let j = random.integer(3);
        let origin = (
            random.integer(1 << 20) * unit * 1024.0,
            random.integer(1 << 20) * unit * 1024.0,
        );
        let at = |x: f64, y: f64| Point::new(origin.0 + x * unit, origin.1 + y * unit);
        let (start, end) = (at(0.0, 0.0), at(4.0 * dx, 4.0 * dy));
        let along = random.integer(4).abs();
        let interior = at(along * dx - j * dy, along * dy + j * dx);
        let beyond = if random.below(2) == 0 {
            at((4.0 + j.abs()) * dx, (4.0 + j.abs()) * dy)
        } else {
            at(-j.abs() * dx, -j.abs() * dy)
        };
        let exact = oracle::squared_distance_to_segment(start, end, interior)
            .cmp(&oracle::squared_distance_to_segment(start, end, beyond));
        assert_eq!(exact, Ordering::Equal, "the construction is a tie");
        assert_eq!(
            compare_segment_distances(start, end, interior, beyond),
            Some(exact)
        );
        // Exactly the distance when |d| is an integer and nothing rounds.
        let length = (dx * dx + dy * dy).sqrt() * j.abs() * unit;
        assert_eq!(
            segment_distance_exceeds(start, end, interior, length),
            oracle::squared_distance_to_segment(start, end, interior)
                > rational(length) * rational(length)
        );
    }
}

/// A point on the line through `start` and `end`, rounded: within an ulp or
/// so of it, the hardest case for a filter.
fn nearly_on_the_line(start: Point, end: Point, random: &mut Random) -> Point {
    let along = random.signed_unit() * 1.5;
    Point::new(
        start.x + (end.x - start.x) * along,
        start.y + (end.y - start.y) * along,
    )
}

/// Where the filter decides, exact arithmetic decides the same: checked
/// directly (without the rational oracle, so on many more cases), on
/// near-ties that land just inside and just outside the error bound.
#[test]
fn the_filter_agrees_with_exact_arithmetic_whenever_it_decides() {
    use super::super::dyadic::Dyadic;
    use super::super::filter::Bounded;
    use super::super::wide::Wide;

    let mut random = Random::new(0x5eed_0004);
    let mut decided = 0;
    for &shape in SHAPES {
        for _ in 0..CASES * 3 {
            let sampler = Sampler::new(shape, &mut random);
            let (start, end) = (sampler.point(&mut random), sampler.point(&mut random));
            let p = nearly_on_the_line(start, end, &mut random);
            let q = if random.below(2) == 0 {
                nearly_on_the_line(start, end, &mut random)
            } else {
                Point::new(2.0 * start.x - p.x, 2.0 * start.y - p.y)
            };
            if !all_finite(&[start, end, p, q]) {
                continue;
            }
            let length = random.signed_unit().abs() * sampler.feature * 1e-6;
            let case = [start, end, p, q];
            let wide = in_both::<Bounded<Wide>, Dyadic>(case, length, Scale::ONE);
            for scale in [Scale::ONE, Scale::for_decision(&case, length)] {
                let narrow = in_both::<Bounded, Dyadic>(case, length, scale);
                for (filtered, exact) in narrow.into_iter().chain(wide) {
                    if let Some(filtered) = filtered {
                        decided += 1;
                        assert_eq!(Some(filtered), exact, "{case:?} {length:?} {scale:?}");
                    }
                }
            }
        }
    }
    assert!(decided > CASES * 3, "the filter decides often ({decided})");
}

/// The predicates in one arithmetic against the same in another, on the
/// four predicates: `(first, second)` per predicate.
fn in_both<A: Arithmetic, B: Arithmetic>(
    [start, end, p, q]: [Point; 4],
    length: f64,
    scale: Scale,
) -> [(Option<Ordering>, Option<Ordering>); 4] {
    use super::super::predicates as by;
    [
        (
            by::compare_point_distances::<A>(start, p, q, scale),
            by::compare_point_distances::<B>(start, p, q, scale),
        ),
        (
            by::compare_point_distance_with::<A>(start, p, length, scale),
            by::compare_point_distance_with::<B>(start, p, length, scale),
        ),
        (
            by::compare_segment_distances::<A>(start, end, p, q, scale),
            by::compare_segment_distances::<B>(start, end, p, q, scale),
        ),
        (
            by::compare_segment_distance_with::<A>(start, end, p, length, scale),
            by::compare_segment_distance_with::<B>(start, end, p, length, scale),
        ),
    ]
}

/// Where the stack-held expansions decide, the big integers decide the
/// same: on every shape (near-ties of random points, and exact ties on
/// scaled grids: points on a circle, a sawtooth's teeth against its
/// amplitude), and they decide all the cases whose inputs are in range.
#[test]
fn the_expansions_agree_with_the_big_integers() {
    use super::super::dyadic::Dyadic;
    use super::super::expansion::Expansion;

    let mut random = Random::new(0x5eed_0006);
    let (mut in_range, mut decided) = (0, 0);
    let mut check = |case: [Point; 4], length: f64, random_case: bool| {
        let leaves_in_range = case
            .iter()
            .flat_map(|p| [p.x, p.y])
            .chain([length])
            .all(|c| c == 0.0 || (2f64.powi(-200)..=2f64.powi(200)).contains(&c.abs()));
        for (expansion, dyadic) in in_both::<Expansion, Dyadic>(case, length, Scale::ONE) {
            in_range += usize::from(leaves_in_range);
            if let Some(expansion) = expansion {
                decided += 1;
                assert_eq!(Some(expansion), dyadic, "{case:?} {length:?} {random_case}");
            }
        }
        let scale = Scale::for_decision(&case, length);
        for (expansion, dyadic) in in_both::<Expansion, Dyadic>(case, length, scale) {
            if let Some(expansion) = expansion {
                assert_eq!(Some(expansion), dyadic, "{case:?} {length:?} {scale:?}");
            }
        }
    };
    for &shape in SHAPES {
        for _ in 0..CASES {
            let sampler = Sampler::new(shape, &mut random);
            let (start, end) = (sampler.point(&mut random), sampler.point(&mut random));
            let p = nearly_on_the_line(start, end, &mut random);
            let q = match random.below(3) {
                0 => sampler.point(&mut random),
                1 => nearly_on_the_line(start, end, &mut random),
                _ => Point::new(2.0 * start.x - p.x, 2.0 * start.y - p.y),
            };
            if all_finite(&[start, end, p, q]) {
                // The rounded distance: a near-tie for `point_within`.
                let length = if random.below(2) == 0 {
                    start.distance_to(p)
                } else {
                    random.signed_unit().abs() * sampler.feature
                };
                // Near `±MAX` the rounded distance may overflow: infinite
                // limits are settled before any arithmetic (`fallback.rs`).
                if length.is_finite() {
                    check([start, end, p, q], length, true);
                }
            }
        }
    }
    // Radius 65 is the hypotenuse of 4 integer triangles: 16 points on a
    // circle, at every scale and offset.
    let on_circle = [
        (0.0, 65.0),
        (16.0, 63.0),
        (25.0, 60.0),
        (33.0, 56.0),
        (39.0, 52.0),
    ];
    for _ in 0..CASES * 4 {
        let unit = power_of_two(-120 + random.below(240) as i32);
        let origin = (
            random.integer(1 << 40) * unit,
            random.integer(1 << 40) * unit,
        );
        let point = |random: &mut Random| {
            let (a, b) = on_circle[random.below(5) as usize];
            let (a, b) = if random.below(2) == 0 { (a, b) } else { (b, a) };
            let (x, y) = (
                a * random.integer(1).signum(),
                b * random.integer(1).signum(),
            );
            Point::new(origin.0 + x * unit, origin.1 + y * unit)
        };
        let (start, end, p, q) = (
            point(&mut random),
            point(&mut random),
            point(&mut random),
            point(&mut random),
        );
        let center = Point::new(origin.0, origin.1);
        check([center, end, p, q], 65.0 * unit, false);
        // A sawtooth: teeth of the amplitude |end - start| off the chord.
        let tooth = Point::new(
            (start.x + end.x) / 2.0 - (end.y - start.y),
            (start.y + end.y) / 2.0 + (end.x - start.x),
        );
        check([start, end, tooth, p], 0.0, false);
    }
    assert!(
        decided * 10 >= in_range * 9,
        "the expansions decide most cases in range ({decided} of {in_range})"
    );
}

/// Swapping the two points reverses every comparison.
#[test]
fn comparisons_are_antisymmetric() {
    let mut random = Random::new(0x5eed_0005);
    for &shape in SHAPES {
        for _ in 0..CASES * 3 {
            let sampler = Sampler::new(shape, &mut random);
            let [a, b, p] = [(); 3].map(|()| sampler.point(&mut random));
            let q = nearly_on_the_line(a, b, &mut random);
            if !all_finite(&[a, b, p, q]) {
                continue;
            }
            let forward = compare_segment_distances(a, b, p, q);
            assert_eq!(
                compare_segment_distances(a, b, q, p),
                forward.map(Ordering::reverse)
            );
            let forward = compare_point_distances(a, p, q);
            assert_eq!(
                compare_point_distances(a, q, p),
                forward.map(Ordering::reverse)
            );
        }
    }
}

/// On typical inputs (offsets of 1 to 1e9, features a millionth of them or
/// more, random, so away from ties) the filter decides alone: exact
/// arithmetic is for near-ties only.
#[test]
fn the_filter_decides_typical_cases() {
    use super::super::filter::Bounded;
    use super::super::predicates as by;

    let mut random = Random::new(0x5eed_0006);
    for _ in 0..CASES * 10 {
        let offset = power_of_ten(&mut random, 0, 9);
        let feature = offset * power_of_ten(&mut random, -6, 0);
        let mut point = || {
            Point::new(
                offset * (1.0 + random.signed_unit()) + feature * random.signed_unit(),
                offset * (1.0 + random.signed_unit()) + feature * random.signed_unit(),
            )
        };
        let [a, b, p, q] = [(); 4].map(|()| point());
        let length = feature * 0.01;
        assert!(
            by::compare_point_distances::<Bounded>(a, p, q, Scale::ONE).is_some(),
            "{a:?} {p:?} {q:?}"
        );
        assert!(by::compare_point_distance_with::<Bounded>(a, p, length, Scale::ONE).is_some());
        assert!(by::compare_segment_distances::<Bounded>(a, b, p, q, Scale::ONE).is_some());
        assert!(
            by::compare_segment_distance_with::<Bounded>(a, b, p, length, Scale::ONE).is_some()
        );
    }
}

/// At every magnitude (a random walk, a sawtooth's exact ties and a circle's
/// near-ties, scaled by `2^-1074` to `2^960`), each decision's own scale
/// keeps it out of the big integers: the scaled filter decides the random
/// cases, the scaled expansions every case, and both agree with them.
/// (Unscaled, the stages give up on all but the middle magnitudes.)
#[test]
fn scaled_decisions_stay_out_of_big_integers_at_every_magnitude() {
    use super::super::dyadic::Dyadic;
    use super::super::expansion::Expansion;
    use super::super::filter::Bounded;

    let mut random = Random::new(0x5eed_0007);
    let (mut filtered, mut cases) = (0, 0);
    for exponent in (-1074..=960).step_by(if cfg!(miri) { 500 } else { 7 }) {
        let unit = power_of_two(exponent);
        let at = |x: f64, y: f64| Point::new(x * unit, y * unit);
        // Unit steps from 2^40 (a walk), and integers (ties).
        let mut walk = || at(2f64.powi(40) + random.signed_unit(), random.signed_unit());
        let random_case = [walk(), walk(), walk(), walk()];
        let i = random.below(1000) as f64;
        let sawtooth = [
            at(i, 1.0),
            at(i + 4.0, 1.0),
            at(i + 1.0, -1.0),
            at(i + 3.0, -1.0),
        ];
        let circle = [
            at(0.0, 65.0),
            at(63.0, 16.0),
            at(-25.0, 60.0),
            at(39.0, -52.0),
        ];
        for (case, length) in [
            (random_case, unit),
            (sawtooth, 2.0 * unit),
            (circle, 65.0 * unit),
        ] {
            if !all_finite(&case) || case.iter().all(|p| p.x == 0.0) {
                continue; // below the subnormals, the points collapse
            }
            let scale = Scale::for_decision(&case, length);
            for ((bounded, expansion), (_, exact)) in
                in_both::<Bounded, Expansion>(case, length, scale)
                    .into_iter()
                    .zip(in_both::<Bounded, Dyadic>(case, length, scale))
            {
                cases += 1;
                assert_eq!(expansion, exact, "{case:?} {length:?} at 2^{exponent}");
                if let Some(bounded) = bounded {
                    filtered += 1;
                    assert_eq!(Some(bounded), exact);
                }
            }
        }
    }
    assert!(
        filtered * 4 >= cases,
        "the filter decides the random quarter and more ({filtered} of {cases})"
    );
}

/// Leaves that span more than the scaled filter's range (teeth of 1e-300
/// on a path 1e304 long, a walk at 1e-70 against an end at `MAX`): the
/// expansions hold them only when the small leaves are 0 (teeth on one
/// side); the wide filter decides half and more of the others, as the big integers
/// do.
#[test]
fn wide_spans_are_decided_by_the_wide_filter() {
    use super::super::dyadic::Dyadic;
    use super::super::expansion::Expansion;
    use super::super::filter::Bounded;
    use super::super::wide::Wide;

    let mut random = Random::new(0x5eed_0008);
    let (mut decided, mut cases) = (0, 0);
    for _ in 0..if cfg!(miri) { 4 } else { CASES } {
        let i = random.below(1000) as f64;
        let tooth = |x: f64, up: bool| Point::new(x * 1e300, if up { 1e-300 } else { -1e-300 });
        let walk = |random: &mut Random| {
            Point::new(random.signed_unit() * 1e-70, random.signed_unit() * 1e-70)
        };
        let sawtooth = [
            tooth(0.0, true),
            tooth(i + 2e4, random.below(2) == 0),
            tooth(i, random.below(2) == 0),
            tooth(i + 1.0 + random.below(9) as f64, random.below(2) == 0),
        ];
        let outlier = [
            walk(&mut random),
            Point::new(f64::MAX, 0.0),
            walk(&mut random),
            walk(&mut random),
        ];
        for case in [sawtooth, outlier] {
            let length = case[2].y.abs();
            let scale = Scale::for_decision(&case, length);
            let expansions = in_both::<Expansion, Dyadic>(case, length, scale);
            for ((expansion, _), (wide, exact)) in expansions
                .into_iter()
                .zip(in_both::<Bounded<Wide>, Dyadic>(case, length, scale))
                .skip(2)
            {
                cases += 1;
                if let Some(expansion) = expansion {
                    assert_eq!(Some(expansion), exact, "{case:?} {length:?}");
                } else if let Some(wide) = wide {
                    decided += 1;
                    assert_eq!(Some(wide), exact, "{case:?} {length:?}");
                }
            }
        }
    }
    assert!(
        decided * 2 >= cases,
        "the wide filter decides half and more ({decided} of {cases})"
    );
}

//! The filter's cost: each exact predicate against the plain floating-point
//! decision it replaces, on typical inputs (offsets of 1e6, features of 1),
//! printed as ratios side by side, with the share of decisions the filter
//! leaves to exact arithmetic; and, on exact ties (which the filter always
//! leaves), the stack-held expansions against the big integers. Asserts
//! nothing about time. Run with
//! `cargo test --release --no-default-features --lib exact_cost -- --ignored --nocapture`.

use std::hint::black_box;
use std::time::Instant;

use super::property::Random;
use super::*;
use crate::core::points::exact::dyadic::Dyadic;
use crate::core::points::exact::expansion::Expansion;
use crate::core::points::exact::filter::Bounded;

const CASES: usize = 1 << 20;

/// Nanoseconds per call of `plain` and of `exact` over `cases`: the fastest
/// of 7 rounds each, alternated so that both see the same machine load.
fn nanoseconds_per_case<C: Copy>(
    cases: &[C],
    plain: impl Fn(C) -> bool,
    exact: impl Fn(C) -> bool,
) -> (f64, f64) {
    let time = |decide: &dyn Fn(C) -> bool| {
        let started = Instant::now();
        black_box(
            cases
                .iter()
                .filter(|&&case| decide(black_box(case)))
                .count(),
        );
        started.elapsed().as_nanos() as f64 / cases.len() as f64
    };
    (0..7).fold(
        (f64::INFINITY, f64::INFINITY),
        |(fastest_plain, fastest_exact), _| {
            (
                fastest_plain.min(time(&plain)),
                fastest_exact.min(time(&exact)),
            )
        },
    )
}

/// The float distance from `p` to a segment, as `simplify` measured it
/// before: projection onto the line, clamped, in absolute coordinates.
fn plain_segment_distance(start: Point, end: Point, p: Point) -> f64 {
    let direction = end - start;
    let length_squared = direction.x * direction.x + direction.y * direction.y;
    if length_squared.is_nan() || length_squared <= 0.0 {
        return p.distance_to(start);
    }
    let along = p - start;
    let projection = (along.x * direction.x + along.y * direction.y) / length_squared;
    p.distance_to(start + direction * projection.clamp(0.0, 1.0))
}

fn report(name: &str, (plain, exact): (f64, f64), undecided: usize) {
    eprintln!(
        "{name:<34} plain {plain:6.2} ns  exact {exact:6.2} ns  ratio {:5.2}  undecided by the filter: {undecided} of {CASES}",
        exact / plain
    );
}

#[test]
#[ignore = "prints timings; run with --release --ignored --nocapture"]
fn exact_cost() {
    let mut random = Random::new(0xc057);
    let mut point = || Point::new(1e6 + random.signed_unit(), 1e6 + random.signed_unit());
    // Random points in a square: every outcome and every part of a segment
    // equally likely (unpredictable branches).
    let random_quads: Vec<[Point; 4]> = (0..CASES)
        .map(|_| [point(), point(), point(), point()])
        .collect();
    // Path-like: points near the middle of a segment, as simplify meets them.
    let mut random = Random::new(0x9a7);
    let path_quads: Vec<[Point; 4]> = (0..CASES)
        .map(|_| {
            let start = Point::new(1e6, 1e6);
            let end = Point::new(1e6 + 1.0 + random.signed_unit(), 1e6 + random.signed_unit());
            let mut near = || {
                let along = 0.5 + 0.45 * random.signed_unit();
                start + (end - start) * along + Point::new(0.0, 0.1 * random.signed_unit())
            };
            [start, end, near(), near()]
        })
        .collect();
    let length = 0.5;

    let undecided = count(&random_quads, |[c, p, ..]| {
        predicates::compare_point_distance_with::<Bounded>(c, p, length, Scale::ONE).is_none()
    });
    let times = nanoseconds_per_case(
        &random_quads,
        |[c, p, ..]| c.distance_to(p) <= length,
        |[c, p, ..]| point_within(c, p, length),
    );
    report("point_within", times, undecided);

    let undecided = count(&random_quads, |[t, p, q, _]| {
        predicates::compare_point_distances::<Bounded>(t, p, q, Scale::ONE).is_none()
    });
    let times = nanoseconds_per_case(
        &random_quads,
        |[t, p, q, _]| t.distance_to(p) < t.distance_to(q),
        |[t, p, q, _]| compare_point_distances(t, p, q) == Some(Less),
    );
    report("compare_point_distances", times, undecided);

    for (shape, quads) in [("random", &random_quads), ("path-like", &path_quads)] {
        let tolerance = if shape == "random" { length } else { 0.05 };
        let undecided = count(quads, |[a, b, p, _]| {
            predicates::compare_segment_distance_with::<Bounded>(a, b, p, tolerance, Scale::ONE)
                .is_none()
        });
        let times = nanoseconds_per_case(
            quads,
            |[a, b, p, _]| plain_segment_distance(a, b, p) > tolerance,
            |[a, b, p, _]| segment_distance_exceeds(a, b, p, tolerance),
        );
        report(
            &format!("segment_distance_exceeds, {shape}"),
            times,
            undecided,
        );

        let undecided = count(quads, |[a, b, p, q]| {
            predicates::compare_segment_distances::<Bounded>(a, b, p, q, Scale::ONE).is_none()
        });
        let times = nanoseconds_per_case(
            quads,
            |[a, b, p, q]| plain_segment_distance(a, b, p) < plain_segment_distance(a, b, q),
            |[a, b, p, q]| compare_segment_distances(a, b, p, q) == Some(Less),
        );
        report(
            &format!("compare_segment_distances, {shape}"),
            times,
            undecided,
        );
    }
}

fn count(cases: &[[Point; 4]], condition: impl Fn([Point; 4]) -> bool) -> usize {
    cases.iter().filter(|&&case| condition(case)).count()
}

/// Tie cases per predicate: the big integers take microseconds each.
const TIES: usize = 1 << 12;

fn report_ties(name: &str, (dyadic, expansion): (f64, f64), public: f64) {
    eprintln!(
        "ties: {name:<28} big integers {dyadic:8.1} ns  expansions {expansion:6.1} ns  speed-up {:5.1}x  public {public:6.1} ns",
        dyadic / expansion
    );
}

/// Exact ties as simplify meets them on a closed circle (points on a circle
/// of radius 65 at an offset of 1e6, mirrored about a chord's bisector) and
/// on a sawtooth of constant amplitude (teeth against the tolerance, and
/// against each other).
#[test]
#[ignore = "prints timings; run with --release --ignored --nocapture"]
fn exact_cost_on_ties() {
    let mut random = Random::new(0x71e5);
    let on_circle = [
        (16.0, 63.0),
        (25.0, 60.0),
        (33.0, 56.0),
        (39.0, 52.0),
        (63.0, 16.0),
    ];
    let offset = 1e6;
    let unit = 2f64.powi(-7);
    let at = |x: f64, y: f64| Point::new(offset + x * unit, offset + y * unit);
    let circle: Vec<[Point; 4]> = (0..TIES)
        .map(|_| {
            let (a, b) = on_circle[random.below(5) as usize];
            let (x, y) = on_circle[random.below(5) as usize];
            [at(-a, b), at(a, b), at(x, -y), at(-x, -y)]
        })
        .collect();
    let amplitude = 0.3;
    let sawtooth: Vec<[Point; 4]> = (0..TIES)
        .map(|i| {
            let x = offset + (i % 1000) as f64;
            let tooth = |dx: f64, sign: f64| Point::new(x + dx, offset + sign * amplitude);
            let (start, end) = (Point::new(x, offset), Point::new(x + 2.0, offset));
            [start, end, tooth(1.0, 1.0), tooth(1.0, -1.0)]
        })
        .collect();
    let tolerance = (offset + amplitude) - offset;
    let time_public = |cases: &[[Point; 4]], decide: &dyn Fn([Point; 4]) -> bool| {
        nanoseconds_per_case(cases, decide, decide).0
    };

    report_ties(
        "compare_point_distances",
        nanoseconds_per_case(
            &circle,
            |[_, _, p, q]| {
                predicates::compare_point_distances::<Dyadic>(
                    Point::new(offset, offset),
                    p,
                    q,
                    Scale::ONE,
                ) == Some(Less)
            },
            |[_, _, p, q]| {
                predicates::compare_point_distances::<Expansion>(
                    Point::new(offset, offset),
                    p,
                    q,
                    Scale::ONE,
                ) == Some(Less)
            },
        ),
        time_public(&circle, &|[_, _, p, q]| {
            compare_point_distances(Point::new(offset, offset), p, q) == Some(Less)
        }),
    );
    for (shape, cases) in [("circle", &circle), ("sawtooth", &sawtooth)] {
        report_ties(
            &format!("compare_segment_distances, {shape}"),
            nanoseconds_per_case(
                cases,
                |[a, b, p, q]| {
                    predicates::compare_segment_distances::<Dyadic>(a, b, p, q, Scale::ONE)
                        == Some(Less)
                },
                |[a, b, p, q]| {
                    predicates::compare_segment_distances::<Expansion>(a, b, p, q, Scale::ONE)
                        == Some(Less)
                },
            ),
            time_public(cases, &|[a, b, p, q]| {
                compare_segment_distances(a, b, p, q) == Some(Less)
            }),
        );
    }
    report_ties(
        "segment_distance_exceeds, sawtooth",
        nanoseconds_per_case(
            &sawtooth,
            |[a, b, p, _]| {
                predicates::compare_segment_distance_with::<Dyadic>(a, b, p, tolerance, Scale::ONE)
                    == Some(Greater)
            },
            |[a, b, p, _]| {
                predicates::compare_segment_distance_with::<Expansion>(
                    a,
                    b,
                    p,
                    tolerance,
                    Scale::ONE,
                ) == Some(Greater)
            },
        ),
        time_public(&sawtooth, &|[a, b, p, _]| {
            segment_distance_exceeds(a, b, p, tolerance)
        }),
    );
    let undecided = |cases: &[[Point; 4]]| {
        cases
            .iter()
            .filter(|&&[a, b, p, q]| {
                predicates::compare_segment_distances::<Bounded>(a, b, p, q, Scale::ONE).is_none()
            })
            .count()
    };
    eprintln!(
        "ties left by the filter: circle {} of {TIES}, sawtooth {} of {TIES}",
        undecided(&circle),
        undecided(&sawtooth)
    );
}

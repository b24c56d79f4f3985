//! The filter's cost: each exact predicate against the plain floating-point
//! decision it replaces, on typical inputs (offsets of 1e6, features of 1),
//! printed as ratios side by side, with the share of decisions the filter
//! leaves to exact arithmetic. Asserts nothing about time. Run with
//! `cargo test --release --no-default-features --lib exact_cost -- --ignored --nocapture`.

use std::hint::black_box;
use std::time::Instant;

use super::property::Random;
use super::*;
use crate::core::points::exact::filter::Bounded;

const CASES: usize = 1 << 20;

/// Nanoseconds per call of `decide` over `cases`, the fastest of 5 rounds.
fn nanoseconds_per_case<C: Copy>(cases: &[C], decide: impl Fn(C) -> bool) -> f64 {
    (0..5)
        .map(|_| {
            let started = Instant::now();
            let decided = cases
                .iter()
                .filter(|&&case| decide(black_box(case)))
                .count();
            black_box(decided);
            started.elapsed().as_nanos() as f64 / cases.len() as f64
        })
        .fold(f64::INFINITY, f64::min)
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

fn report(name: &str, plain: f64, exact: f64, undecided: usize) {
    eprintln!(
        "{name:<26} plain {plain:6.2} ns  exact {exact:6.2} ns  ratio {:5.2}  left to exact arithmetic: {undecided} of {CASES}",
        exact / plain
    );
}

#[test]
#[ignore = "prints timings; run with --release --ignored --nocapture"]
fn exact_cost() {
    let mut random = Random::new(0xc057);
    let mut point = || Point::new(1e6 + random.signed_unit(), 1e6 + random.signed_unit());
    let quads: Vec<[Point; 4]> = (0..CASES)
        .map(|_| [point(), point(), point(), point()])
        .collect();
    let length = 0.5;

    let plain = nanoseconds_per_case(&quads, |[c, p, ..]| c.distance_to(p) <= length);
    let exact = nanoseconds_per_case(&quads, |[c, p, ..]| point_within(c, p, length));
    let undecided = quads
        .iter()
        .filter(|[c, p, ..]| {
            predicates::compare_point_distance_with::<Bounded>(*c, *p, length).is_none()
        })
        .count();
    report("point_within", plain, exact, undecided);

    let plain = nanoseconds_per_case(&quads, |[t, p, q, _]| t.distance_to(p) < t.distance_to(q));
    let exact = nanoseconds_per_case(&quads, |[t, p, q, _]| {
        compare_point_distances(t, p, q) == Some(Less)
    });
    let undecided = quads
        .iter()
        .filter(|[t, p, q, _]| predicates::compare_point_distances::<Bounded>(*t, *p, *q).is_none())
        .count();
    report("compare_point_distances", plain, exact, undecided);

    let plain = nanoseconds_per_case(&quads, |[a, b, p, _]| {
        plain_segment_distance(a, b, p) > length
    });
    let exact = nanoseconds_per_case(&quads, |[a, b, p, _]| {
        segment_distance_exceeds(a, b, p, length)
    });
    let undecided = quads
        .iter()
        .filter(|[a, b, p, _]| {
            predicates::compare_segment_distance_with::<Bounded>(*a, *b, *p, length).is_none()
        })
        .count();
    report("segment_distance_exceeds", plain, exact, undecided);

    let plain = nanoseconds_per_case(&quads, |[a, b, p, q]| {
        plain_segment_distance(a, b, p) < plain_segment_distance(a, b, q)
    });
    let exact = nanoseconds_per_case(&quads, |[a, b, p, q]| {
        compare_segment_distances(a, b, p, q) == Some(Less)
    });
    let undecided = quads
        .iter()
        .filter(|[a, b, p, q]| {
            predicates::compare_segment_distances::<Bounded>(*a, *b, *p, *q).is_none()
        })
        .count();
    report("compare_segment_distances", plain, exact, undecided);
}

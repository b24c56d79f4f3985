//! The exact predicates on chosen cases (issue 15's repros, ties, NaN and
//! infinities); [`property`] checks them against exact rational arithmetic
//! on random inputs.

mod cost;
pub(super) mod oracle;
pub(super) mod property;

use std::cmp::Ordering::{Equal, Greater, Less};

use super::*;
use oracle::{rational, squared_distance_to_segment};

const NAN: f64 = f64::NAN;
const INF: f64 = f64::INFINITY;

fn pt(x: f64, y: f64) -> Point {
    Point::new(x, y)
}

#[test]
fn issue_15_first_repro_the_middle_point_is_beyond_1e_5() {
    let start = pt(999999999.7497927, 1000000000.1252542);
    let middle = pt(999999999.7491959, 1000000000.1254319);
    let end = pt(999999999.7490625, 1000000000.1254845);
    // The oracle agrees: the exact distance is 1.00085e-5.
    let tolerance = 1e-5;
    assert!(
        squared_distance_to_segment(start, end, middle) > rational(tolerance) * rational(tolerance)
    );
    assert!(segment_distance_exceeds(start, end, middle, tolerance));
    assert!(!segment_distance_exceeds(start, end, middle, 1.0009e-5));
}

#[test]
fn issue_15_second_repro_the_middle_point_is_off_the_line() {
    let start = pt(999999999.954514, 999999999.9267272);
    let middle = pt(999999999.9540521, 999999999.9262898);
    let end = pt(999999999.9534665, 999999999.9257351);
    assert!(squared_distance_to_segment(start, end, middle) > rational(0.0));
    assert!(segment_distance_exceeds(start, end, middle, 0.0));
    assert!(segment_distance_exceeds(start, end, middle, 8.1e-8));
    assert!(!segment_distance_exceeds(start, end, middle, 8.2e-8));
}

#[test]
fn issue_15_within_on_an_integer_grid_excludes_the_points_at_exactly_root_13() {
    let radius = 13f64.sqrt(); // just below √13
    let radius_squared = rational(radius) * rational(radius);
    let center = pt(0.0, 0.0);
    let mut found = Vec::new();
    for x in -5..=5 {
        for y in -5..=5 {
            let p = pt(f64::from(x), f64::from(y));
            if point_within(center, p, radius) {
                found.push((x, y));
            }
        }
    }
    // The points with x² + y² <= 12; plain floating point adds the 8 at √13.
    assert!(radius_squared < rational(13.0));
    assert_eq!(found.len(), 37);
    assert!(found.iter().all(|&(x, y)| x * x + y * y <= 12));
}

#[test]
fn ties_between_points_are_exact_at_large_offsets() {
    let target = pt(1e15, -1e15);
    let p = pt(1e15 + 3.0, -1e15 + 4.0);
    let q = pt(1e15 - 4.0, -1e15 - 3.0);
    assert_eq!(compare_point_distances(target, p, q), Some(Equal));
    assert_eq!(
        compare_point_distances(target, p, pt(1e15 + 5.0, -1e15 + 0.125)),
        Some(Less)
    );
    assert!(point_within(target, p, 5.0));
    assert!(!point_within(target, p, 4.999999999999999));
}

#[test]
fn segment_distances_use_the_closest_part_of_the_segment() {
    let (start, end) = (pt(0.0, 0.0), pt(4.0, 0.0));
    let compare = |p, q| compare_segment_distances(start, end, p, q);
    assert_eq!(compare(pt(2.0, 1.0), pt(-1.0, 0.0)), Some(Equal)); // interior vs behind start
    assert_eq!(compare(pt(-3.0, 4.0), pt(9.0, 0.0)), Some(Equal)); // start vs end: 5 and 5
    assert_eq!(compare(pt(4.0, 3.0), pt(0.0, -3.0)), Some(Equal)); // both ends, perpendicular
    assert_eq!(compare(pt(1.0, 0.0), pt(3.0, 0.0)), Some(Equal)); // on the segment
    assert_eq!(compare(pt(2.0, 2.0), pt(5.0, 1.0)), Some(Greater)); // 2 vs √2
    // A degenerate segment is a point.
    let at = pt(1.0, 1.0);
    assert_eq!(
        compare_segment_distances(at, at, pt(4.0, 5.0), pt(-4.0, 1.0)),
        Some(Equal)
    );
    assert!(segment_distance_exceeds(
        at,
        at,
        pt(4.0, 5.0),
        4.999999999999999
    ));
    assert!(!segment_distance_exceeds(at, at, pt(4.0, 5.0), 5.0));
}

#[test]
fn huge_and_subnormal_coordinates_are_exact() {
    let max = f64::MAX;
    // Differences overflow; distances still compare exactly.
    assert_eq!(
        compare_point_distances(pt(-max, 0.0), pt(max, 0.0), pt(-max, max)),
        Some(Greater)
    );
    assert_eq!(
        compare_point_distances(pt(max, max), pt(-max, max), pt(max, -max)),
        Some(Equal)
    );
    assert!(point_within(pt(-max, -max), pt(max, max), INF));
    assert!(!point_within(pt(-max, -max), pt(max, max), max));
    assert!(segment_distance_exceeds(
        pt(-max, -max),
        pt(max, -max),
        pt(0.0, max),
        max
    ));
    assert!(!segment_distance_exceeds(
        pt(-max, -max),
        pt(max, -max),
        pt(max, max),
        max * 2f64.sqrt()
    ));
    // Squares underflow; distances still compare exactly.
    let tiny = f64::from_bits(1);
    assert_eq!(
        compare_point_distances(
            pt(0.0, 0.0),
            pt(3.0 * tiny, 4.0 * tiny),
            pt(5.0 * tiny, 0.0)
        ),
        Some(Equal)
    );
    assert_eq!(
        compare_point_distances(pt(0.0, 0.0), pt(tiny, tiny), pt(tiny, 0.0)),
        Some(Greater)
    );
    assert!(point_within(
        pt(0.0, 0.0),
        pt(3.0 * tiny, 4.0 * tiny),
        5.0 * tiny
    ));
    assert!(!point_within(pt(0.0, 0.0), pt(tiny, tiny), tiny));
    assert!(segment_distance_exceeds(
        pt(0.0, 0.0),
        pt(4.0 * tiny, 0.0),
        pt(2.0 * tiny, tiny),
        0.0
    ));
    assert!(!segment_distance_exceeds(
        pt(0.0, 0.0),
        pt(4.0 * tiny, 0.0),
        pt(2.0 * tiny, tiny),
        tiny
    ));
}

#[test]
fn undefined_distances_never_compare_nor_qualify() {
    let origin = pt(0.0, 0.0);
    for undefined in [pt(NAN, 0.0), pt(0.0, NAN), pt(NAN, INF)] {
        assert_eq!(compare_point_distances(origin, undefined, origin), None);
        assert_eq!(compare_point_distances(origin, origin, undefined), None);
        assert!(!point_within(origin, undefined, INF));
        assert!(!point_distance_is_defined(origin, undefined));
        assert!(!segment_distance_exceeds(
            origin,
            pt(1.0, 0.0),
            undefined,
            0.0
        ));
        assert!(!segment_distance_exceeds(
            origin,
            pt(1.0, 0.0),
            undefined,
            -1.0
        ));
        assert!(!segment_distance_is_defined(
            origin,
            pt(1.0, 0.0),
            undefined
        ));
        // A NaN end leaves no distance defined.
        assert!(!segment_distance_exceeds(
            origin,
            undefined,
            pt(5.0, 5.0),
            0.0
        ));
        assert_eq!(
            compare_segment_distances(undefined, origin, pt(1.0, 1.0), pt(2.0, 2.0)),
            None
        );
    }
    // The same infinity twice on one axis.
    let far = pt(INF, 1.0);
    assert_eq!(compare_point_distances(far, pt(INF, 0.0), origin), None);
    assert!(!point_within(far, far, INF));
    assert!(!segment_distance_exceeds(far, far, far, 0.0));
    // A NaN target: nothing compares.
    assert_eq!(compare_point_distances(pt(NAN, NAN), origin, origin), None);
}

#[test]
fn infinite_distances_are_farthest_and_equal_to_each_other() {
    let origin = pt(0.0, 0.0);
    let (east, south) = (pt(INF, 0.0), pt(5.0, -INF));
    assert_eq!(compare_point_distances(origin, east, south), Some(Equal));
    assert_eq!(
        compare_point_distances(origin, east, pt(f64::MAX, f64::MAX)),
        Some(Greater)
    );
    assert_eq!(
        compare_point_distances(origin, pt(1.0, 1.0), south),
        Some(Less)
    );
    assert_eq!(
        compare_point_distances(pt(-INF, 0.0), east, origin),
        Some(Equal)
    );
    assert!(point_within(origin, east, INF));
    assert!(!point_within(origin, east, f64::MAX));
    assert!(point_distance_is_defined(origin, east));
    // Segments: an infinite point is beyond every finite tolerance.
    let (start, end) = (origin, pt(1.0, 0.0));
    assert!(segment_distance_exceeds(start, end, south, f64::MAX));
    assert!(!segment_distance_exceeds(start, end, south, INF));
    assert_eq!(
        compare_segment_distances(start, end, south, east),
        Some(Equal)
    );
    assert_eq!(
        compare_segment_distances(start, end, origin, east),
        Some(Less)
    );
    // An infinite end: every distance is infinite.
    assert!(segment_distance_exceeds(origin, east, pt(1.0, 0.0), 1e300));
    assert_eq!(
        compare_segment_distances(origin, east, pt(1.0, 0.0), pt(1.0, 9.0)),
        Some(Equal)
    );
    // The same infinite point at both ends is a point.
    assert!(segment_distance_exceeds(east, east, origin, 1.0));
    assert!(!segment_distance_is_defined(east, east, pt(INF, 5.0)));
}

#[test]
fn limits_are_compared_as_given() {
    let (origin, p) = (pt(0.0, 0.0), pt(3.0, 4.0));
    assert!(!point_within(origin, origin, -0.5));
    assert!(!point_within(origin, origin, NAN));
    assert!(point_within(origin, origin, 0.0));
    assert!(point_within(origin, origin, -0.0));
    assert!(point_within(origin, p, INF));
    let end = pt(10.0, 0.0);
    assert!(segment_distance_exceeds(origin, end, origin, -0.5));
    assert!(!segment_distance_exceeds(origin, end, p, NAN));
    assert!(!segment_distance_exceeds(origin, end, p, INF));
    assert!(!segment_distance_exceeds(origin, end, p, 4.0));
    assert!(segment_distance_exceeds(origin, end, p, 3.9999999999999996));
    assert!(!segment_distance_exceeds(origin, end, pt(5.0, 0.0), -0.0));
}

#[test]
fn orderings_are_antisymmetric_and_agree_with_the_oracle() {
    let target = pt(1e9 + 0.25, 1e9);
    let p = pt(1e9 + 0.25 + 1e-9, 1e9 + 7e-9);
    let q = pt(1e9 + 0.25 - 7e-9, 1e9 + 1e-9);
    let forward = compare_point_distances(target, p, q).unwrap();
    assert_eq!(
        compare_point_distances(target, q, p),
        Some(forward.reverse())
    );
    let exact = oracle::squared_distance(target, p).cmp(&oracle::squared_distance(target, q));
    assert_eq!(forward, exact);
}

//! The point queries with caller-owned outputs (`my_lib_points_nearest`,
//! `my_lib_points_within`, `my_lib_points_simplify`) and
//! `my_lib_points_bounding_box`, on arbitrary f64 bit patterns (NaN,
//! infinities, -0.0, subnormals) for the points, the target, the radius and
//! the tolerance, and arbitrary capacities.
//!
//! Contract checked, against reference implementations written here:
//! nearest is a brute-force sort by (exact distance, position) of the points
//! with a defined distance, cut to `k`; within is a filter `exact distance
//! <= radius` in input order; both decide with `core::points::exact` (tested
//! against rational arithmetic). The box has, on each axis, the
//! smallest and largest non-NaN coordinate (NaN only when every point's is
//! NaN), so it holds every point and touches one on each side. Simplify
//! keeps both ends and a subsequence of the points, and every dropped point
//! is within `tolerance` of the kept segment around it (or at a NaN
//! distance from it, which no tolerance compares with); an infinite
//! tolerance keeps only the ends; in place it writes the same result.
//! A result longer than `capacity` is `MY_LIB_STATUS_OUTPUT_TOO_SMALL`
//! with the needed length and nothing written; a NaN or negative radius or
//! tolerance is `MY_LIB_STATUS_INVALID_ARGUMENT` with its message.

#![no_main]

mod common;

use libfuzzer_sys::{arbitrary, fuzz_target};
use my_lib::c_abi::point::MyLibPointSlice;
use my_lib::c_abi::points::{
    my_lib_points_bounding_box, my_lib_points_nearest, my_lib_points_simplify, my_lib_points_within,
};
use my_lib::c_abi::status::MyLibStatus;
use my_lib::core::point::Point;
use my_lib::core::points::exact;
use my_lib::core::points::summary::BoundingBox;

#[derive(Debug, arbitrary::Arbitrary)]
struct Input {
    target: (u64, u64),
    /// Bit patterns: negative, NaN and infinite limits are all reachable.
    radius: u64,
    tolerance: u64,
    /// How many nearest points to ask for (the array has room for exactly `k`).
    k: u8,
    /// The room given to within and simplify; may be too small.
    capacity: u8,
    /// Coordinates as raw bit patterns, so every f64 is reachable.
    coordinates: Vec<(u64, u64)>,
}

/// A value no result can hold, to see what the library wrote.
const FILLER: Point = Point { x: 12.5, y: -7.25 };
const UNTOUCHED_LEN: usize = usize::MAX;

fn point((x, y): (u64, u64)) -> Point {
    Point::new(f64::from_bits(x), f64::from_bits(y))
}

fn same_bits(a: &[Point], b: &[Point]) -> bool {
    let bits = |p: &Point| (p.x.to_bits(), p.y.to_bits());
    a.len() == b.len() && a.iter().map(bits).eq(b.iter().map(bits))
}

fn reference_nearest(points: &[Point], target: Point, k: usize) -> Vec<Point> {
    let mut found: Vec<usize> = (0..points.len())
        .filter(|&i| exact::point_distance_is_defined(target, points[i]))
        .collect();
    // Every distance left is defined, so every pair compares.
    found.sort_by(|&a, &b| {
        exact::compare_point_distances(target, points[a], points[b])
            .expect("defined distances")
            .then(a.cmp(&b))
    });
    found.into_iter().take(k).map(|i| points[i]).collect()
}

fn reference_within(points: &[Point], center: Point, radius: f64) -> Vec<Point> {
    points
        .iter()
        .copied()
        .filter(|&p| exact::point_within(center, p, radius))
        .collect()
}

/// The documented message of a NaN or negative limit named `argument`.
fn invalid_limit_message(argument: &str, value: f64) -> Option<String> {
    if value.is_nan() {
        Some(format!("{argument} must be a number, got NaN"))
    } else if value < 0.0 {
        Some(format!("{argument} must not be negative, got {value:?}"))
    } else {
        None
    }
}

/// Checks a call that found no room: the documented failure, `needed` in
/// `len`, nothing written to `out`.
fn check_too_small(status: MyLibStatus, out: &[Point], len: usize, needed: usize) {
    assert_eq!(len, needed, "out_len");
    let message = format!(
        "out_points has room for {} points, the result has {needed}",
        out.len()
    );
    common::assert_failed(status, MyLibStatus::OutputTooSmall, &message);
    assert!(
        out.iter().all(|p| *p == FILLER),
        "written although too small"
    );
}

/// Checks a call that wrote `len` points into `out`: success, and exactly
/// `expected` (bit for bit), nothing after it.
fn check_written(status: MyLibStatus, out: &[Point], len: usize, expected: &[Point]) {
    common::assert_ok(status);
    assert!(
        same_bits(&out[..len], expected),
        "{:?} != {expected:?}",
        &out[..len]
    );
    assert!(
        out[len..].iter().all(|p| *p == FILLER),
        "written past the result"
    );
}

/// Checks a call with room for `out.len()` points, given the `expected` result.
fn check_output(status: MyLibStatus, out: &[Point], len: usize, expected: &[Point]) {
    if expected.len() > out.len() {
        check_too_small(status, out, len, expected.len());
    } else {
        check_written(status, out, len, expected);
    }
}

/// Checks the invariants of `kept`, the simplification of `points`.
fn check_simplified(points: &[Point], kept: &[Point], tolerance: f64) {
    if points.len() <= 2 {
        assert!(same_bits(kept, points), "a short path changed");
        return;
    }
    assert!(kept.len() >= 2, "an end was dropped");
    assert!(same_bits(&kept[..1], &points[..1]), "first point dropped");
    assert!(
        same_bits(&kept[kept.len() - 1..], &points[points.len() - 1..]),
        "last point dropped"
    );
    if tolerance == f64::INFINITY {
        assert_eq!(kept.len(), 2, "an infinite tolerance kept an inner point");
    }
    // Some way to place the kept points in `points` (the result is a
    // subsequence; duplicates allow several ways) must leave every dropped
    // point within tolerance of the kept segment it lies on.
    // `reachable[i]`: kept[..=j] can be placed with kept[j] at points[i].
    let same =
        |a: Point, b: Point| a.x.to_bits() == b.x.to_bits() && a.y.to_bits() == b.y.to_bits();
    let last = points.len() - 1;
    let mut reachable = vec![false; points.len()];
    reachable[0] = true;
    for pair in kept.windows(2) {
        let mut next = vec![false; points.len()];
        for end in 1..points.len() {
            next[end] = same(points[end], pair[1])
                && (0..end).any(|start| {
                    reachable[start]
                        && points[start + 1..end].iter().all(|&dropped| {
                            // The contract is exact on the input doubles: a
                            // dropped point is never beyond the tolerance
                            // (an undefined distance, NaN, never is).
                            !exact::segment_distance_exceeds(pair[0], pair[1], dropped, tolerance)
                        })
                });
        }
        reachable = next;
    }
    assert!(
        reachable[last],
        "not a subsequence whose dropped points are within {tolerance} of the kept line"
    );
}

fuzz_target!(|input: Input| {
    let points: Vec<Point> = input.coordinates.iter().copied().map(point).collect();
    let slice = || MyLibPointSlice::from_raw_parts(points.as_ptr(), points.len());
    let target = point(input.target);

    // Bounding box.
    let mut bounds = BoundingBox {
        min: FILLER,
        max: FILLER,
    };
    // SAFETY: the slice views the live `points`; `bounds` is writable.
    let status = unsafe { my_lib_points_bounding_box(slice(), &mut bounds) };
    if points.is_empty() {
        common::assert_failed(
            status,
            MyLibStatus::InvalidArgument,
            "the bounding box of no points is undefined",
        );
        assert_eq!(
            bounds,
            BoundingBox {
                min: FILLER,
                max: FILLER
            }
        );
    } else {
        common::assert_ok(status);
        for (axis, min, max) in [
            (
                points.iter().map(|p| p.x).collect::<Vec<_>>(),
                bounds.min.x,
                bounds.max.x,
            ),
            (
                points.iter().map(|p| p.y).collect::<Vec<_>>(),
                bounds.min.y,
                bounds.max.y,
            ),
        ] {
            let numbers: Vec<f64> = axis.into_iter().filter(|c| !c.is_nan()).collect();
            if numbers.is_empty() {
                assert!(min.is_nan() && max.is_nan(), "box of NaN coordinates");
                continue;
            }
            assert!(
                numbers.iter().all(|&c| min <= c && c <= max),
                "a point outside the box"
            );
            assert!(
                numbers.contains(&min) && numbers.contains(&max),
                "the box is not tight"
            );
        }
    }

    // Nearest: the array has room for exactly k. The reference runs
    // first, as the other references do.
    let k = usize::from(input.k);
    let expected = reference_nearest(&points, target, k);
    let mut out = vec![FILLER; k];
    let mut len = UNTOUCHED_LEN;
    // SAFETY: `out` holds k writable points; `len` is writable.
    let status = unsafe { my_lib_points_nearest(slice(), target, k, out.as_mut_ptr(), &mut len) };
    check_output(status, &out, len, &expected);

    // Within.
    let radius = f64::from_bits(input.radius);
    let expected = reference_within(&points, target, radius);
    let capacity = usize::from(input.capacity);
    let mut out = vec![FILLER; capacity];
    let mut len = UNTOUCHED_LEN;
    // SAFETY: `out` holds `capacity` writable points; `len` is writable.
    let status = unsafe {
        my_lib_points_within(
            slice(),
            target,
            radius,
            out.as_mut_ptr(),
            capacity,
            &mut len,
        )
    };
    if let Some(message) = invalid_limit_message("radius", radius) {
        common::assert_failed(status, MyLibStatus::InvalidArgument, &message);
        assert_eq!(len, UNTOUCHED_LEN);
    } else {
        check_output(status, &out, len, &expected);
    }

    // Simplify, into a separate array, then in place.
    let tolerance = f64::from_bits(input.tolerance);
    let mut out = vec![FILLER; capacity];
    let mut len = UNTOUCHED_LEN;
    // SAFETY: as for within.
    let status =
        unsafe { my_lib_points_simplify(slice(), tolerance, out.as_mut_ptr(), capacity, &mut len) };
    if let Some(message) = invalid_limit_message("tolerance", tolerance) {
        common::assert_failed(status, MyLibStatus::InvalidArgument, &message);
        assert_eq!(len, UNTOUCHED_LEN);
        return;
    }
    let kept = if len > capacity {
        check_too_small(status, &out, len, len);
        // Retry with room for every point, which always fits.
        let mut room = vec![FILLER; points.len()];
        let mut retried = UNTOUCHED_LEN;
        // SAFETY: `room` holds `points.len()` writable points.
        let status = unsafe {
            my_lib_points_simplify(
                slice(),
                tolerance,
                room.as_mut_ptr(),
                room.len(),
                &mut retried,
            )
        };
        assert_eq!(retried, len, "the needed length changed");
        let kept = room[..retried].to_vec();
        check_written(status, &room, retried, &kept);
        kept
    } else {
        let kept = out[..len].to_vec();
        check_written(status, &out, len, &kept);
        kept
    };
    check_simplified(&points, &kept, tolerance);

    let mut in_place = points.clone();
    let mut len = UNTOUCHED_LEN;
    let base = in_place.as_mut_ptr();
    let view = MyLibPointSlice::from_raw_parts(base.cast_const(), in_place.len());
    // SAFETY: `in_place` is read, then written, only through `base`, which
    // has room for all its points.
    let status = unsafe { my_lib_points_simplify(view, tolerance, base, in_place.len(), &mut len) };
    common::assert_ok(status);
    assert!(same_bits(&in_place[..len], &kept), "in place differs");
    assert!(
        same_bits(&in_place[len..], &points[len..]),
        "in place wrote past the result"
    );
});

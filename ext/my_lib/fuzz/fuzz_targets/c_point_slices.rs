//! The point functions: by value (`my_lib_point_new`, `make_point`,
//! `my_lib_point_distance`) and over `{ptr, len}` slices
//! (`my_lib_points_centroid`, `my_lib_points_path_length`), on arbitrary f64
//! bit patterns (NaN, infinities, -0.0, subnormals), with NULL, misaligned,
//! dangling-but-empty and oversized slices, and NULL outputs.
//!
//! Contract checked: a point is returned bit for bit; distance is
//! `hypot(dx, dy)` within 4 ulps, symmetric and never negative; the centroid
//! is the mean: for finite coordinates, finite and within its documented
//! bound, `ε·|μ| + 8·ε·A + 2⁻¹⁰⁷⁵` of the exact mean `μ` (computed here in
//! big integers), NaN exactly when a coordinate is NaN or infinities of both
//! signs meet; the path length is the sum of consecutive distances, within
//! the error bound of a plain sum (NaN matching NaN); no points is `MY_LIB_STATUS_INVALID_ARGUMENT` for the
//! centroid and 0 for the path; a NULL output or a NULL `ptr` with a non-zero
//! `len` is `MY_LIB_STATUS_NULL_POINTER`; a misaligned `ptr` or a `len` too
//! large for memory is `MY_LIB_STATUS_INVALID_ARGUMENT`; every failure has
//! its documented message and leaves the output untouched.

#![no_main]

mod common;

use std::ptr;

use common::same_f64;
use libfuzzer_sys::{arbitrary, fuzz_target};
use my_lib::c_abi::point::{MyLibPointSlice, my_lib_point_distance, my_lib_point_new};
use my_lib::c_abi::points::{my_lib_points_centroid, my_lib_points_path_length};
use my_lib::c_abi::status::MyLibStatus;
use my_lib::c_abi::tutorial::make_point;
use my_lib::core::point::Point;
use num_bigint::BigInt;

#[derive(Debug, arbitrary::Arbitrary)]
struct Input {
    /// Coordinates as raw bit patterns, so every f64 is reachable.
    coordinates: Vec<(u64, u64)>,
    /// The bytes by which a misaligned `ptr` is off (taken mod 8, 0 means 1).
    misalignment: u8,
    /// A length no allocation can have; taken to be at least
    /// `isize::MAX / 16 + 1`.
    huge_len: usize,
}

/// Whether `a` is `b` (NaN matching NaN) or, both finite, within `slack`.
fn close(a: f64, b: f64, slack: f64) -> bool {
    same_f64(a, b) || (a.is_finite() && b.is_finite() && (a - b).abs() <= slack)
}

fn distance(a: Point, b: Point) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// Checks one axis of the centroid, `mean`, of `coordinates`.
fn check_mean(mean: f64, coordinates: &[f64]) {
    let has_nan = coordinates.iter().any(|c| c.is_nan());
    let has_positive_infinity = coordinates.contains(&f64::INFINITY);
    let has_negative_infinity = coordinates.contains(&f64::NEG_INFINITY);
    if has_nan || (has_positive_infinity && has_negative_infinity) {
        assert!(mean.is_nan(), "mean {mean} of {coordinates:?}");
        return;
    }
    if has_positive_infinity || has_negative_infinity {
        assert_eq!(
            mean,
            if has_positive_infinity {
                f64::INFINITY
            } else {
                f64::NEG_INFINITY
            }
        );
        return;
    }
    // Finite coordinates: the documented bound, exactly. Every finite double
    // is a multiple of 2^-1074, so with S = sum(c) 2^1074 and
    // T = sum(|c|) 2^1074 (big integers), the bound times n 2^1075 2^52 reads
    // |2^52 (2n mean 2^1074 - 2S)| <= 2|S| + 16 T + 2^52 n.
    assert!(mean.is_finite(), "mean {mean} of finite coordinates");
    let n = BigInt::from(coordinates.len());
    let sum: BigInt = coordinates.iter().map(|&c| scaled(c)).sum();
    let absolute: BigInt = coordinates
        .iter()
        .map(|&c| BigInt::from(scaled(c).magnitude().clone()))
        .sum();
    let error: BigInt = ((&n * scaled(mean) - &sum) * 2) << 52;
    let bound: BigInt = BigInt::from(sum.magnitude().clone()) * 2 + absolute * 16 + (n << 52);
    assert!(
        error.magnitude() <= bound.magnitude(),
        "mean {mean} outside the bound"
    );
}

/// `x 2^1074`, exactly, for a finite `x`.
fn scaled(x: f64) -> BigInt {
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as usize;
    let fraction = bits & ((1 << 52) - 1);
    let magnitude = if exponent == 0 {
        BigInt::from(fraction)
    } else {
        BigInt::from(fraction | (1 << 52)) << (exponent - 1)
    };
    if x.is_sign_negative() {
        -magnitude
    } else {
        magnitude
    }
}

fn reference_path_length(points: &[Point]) -> f64 {
    let mut total = 0.0;
    for pair in points.windows(2) {
        total += distance(pair[0], pair[1]);
    }
    total
}

fn slice<'a>(ptr: *const Point, len: usize) -> MyLibPointSlice<'a> {
    MyLibPointSlice::from_raw_parts(ptr, len)
}

const UNTOUCHED: Point = Point { x: 12.5, y: -7.25 };

fuzz_target!(|input: Input| {
    let points: Vec<Point> = input
        .coordinates
        .iter()
        .map(|&(x, y)| Point {
            x: f64::from_bits(x),
            y: f64::from_bits(y),
        })
        .collect();

    // By value.
    for (&p, &q) in points.iter().zip(points.iter().skip(1)) {
        let made = my_lib_point_new(p.x, p.y);
        assert_eq!(
            (made.x.to_bits(), made.y.to_bits()),
            (p.x.to_bits(), p.y.to_bits())
        );
        let made = make_point(p.x, p.y);
        assert_eq!(
            (made.x.to_bits(), made.y.to_bits()),
            (p.x.to_bits(), p.y.to_bits())
        );
        let d = my_lib_point_distance(p, q);
        let expected = distance(p, q);
        assert!(
            close(d, expected, 4.0 * f64::EPSILON * expected.abs()),
            "distance {p:?} {q:?}: {d} != {expected}"
        );
        assert!(d.is_nan() || d >= 0.0);
        // Symmetric, bit for bit, except for which NaN payload propagates.
        let back = my_lib_point_distance(q, p);
        assert!(
            same_f64(d, back) && (d.is_nan() || d.to_bits() == back.to_bits()),
            "asymmetric"
        );
        assert_eq!(common::last_error(), None);
    }

    // The whole slice.
    let whole = slice(points.as_ptr(), points.len());
    let mut centroid = UNTOUCHED;
    // SAFETY: `whole` views the live `points`; `centroid` is writable.
    let status = unsafe { my_lib_points_centroid(whole, &mut centroid) };
    if points.is_empty() {
        common::assert_failed(
            status,
            MyLibStatus::InvalidArgument,
            "the centroid of no points is undefined",
        );
        assert_eq!(centroid, UNTOUCHED);
    } else {
        common::assert_ok(status);
        check_mean(centroid.x, &points.iter().map(|p| p.x).collect::<Vec<_>>());
        check_mean(centroid.y, &points.iter().map(|p| p.y).collect::<Vec<_>>());
    }
    let mut length = -1.0;
    // SAFETY: as above.
    let status = unsafe { my_lib_points_path_length(whole, &mut length) };
    common::assert_ok(status);
    let expected = reference_path_length(&points);
    // Sums of non-negative terms: each errs by at most n eps of the total.
    let slack = 2.0 * (points.len() as f64 + 4.0) * f64::EPSILON * expected;
    assert!(
        close(length, expected, slack),
        "path length {length} != {expected}"
    );
    assert!(length.is_nan() || length >= 0.0);

    // An empty slice reads nothing, so any pointer will do, even a dangling,
    // misaligned one.
    let dangling = ptr::dangling::<Point>().wrapping_byte_add(1);
    let mut length = -1.0;
    // SAFETY: len 0 reads no memory.
    let status = unsafe { my_lib_points_path_length(slice(dangling, 0), &mut length) };
    common::assert_ok(status);
    assert_eq!(length, 0.0);

    // NULL outputs are rejected first, whatever the points.
    // SAFETY: the NULL outputs are rejected before anything is read.
    unsafe {
        let status = my_lib_points_centroid(slice(ptr::null(), input.huge_len), ptr::null_mut());
        common::assert_failed(status, MyLibStatus::NullPointer, "out_centroid is NULL");
        let status = my_lib_points_path_length(whole, ptr::null_mut());
        common::assert_failed(status, MyLibStatus::NullPointer, "out_length is NULL");
    }

    // Bad slices: NULL with a length, misaligned, longer than memory.
    let len = points.len().max(1);
    let huge = input.huge_len.max(isize::MAX as usize / 16 + 1);
    let storage = [0u64; 4];
    let misaligned = storage
        .as_ptr()
        .cast::<u8>()
        .wrapping_add(1 + usize::from(input.misalignment % 7))
        .cast::<Point>();
    let cases = [
        (
            slice(ptr::null(), len),
            MyLibStatus::NullPointer,
            "points.ptr is NULL".to_owned(),
        ),
        (
            slice(misaligned, len),
            MyLibStatus::InvalidArgument,
            "points.ptr is not aligned to 8 bytes".to_owned(),
        ),
        (
            slice(storage.as_ptr().cast(), huge),
            MyLibStatus::InvalidArgument,
            format!("points.ptr has {huge} elements, more than fit in memory"),
        ),
    ];
    for (bad, status, message) in cases {
        let mut centroid = UNTOUCHED;
        let mut length = -1.0;
        // SAFETY: each bad slice is rejected before any point is read.
        unsafe {
            let returned = my_lib_points_centroid(bad, &mut centroid);
            common::assert_failed(returned, status, &message);
            let returned = my_lib_points_path_length(bad, &mut length);
            common::assert_failed(returned, status, &message);
        }
        assert_eq!(centroid, UNTOUCHED);
        assert_eq!(length, -1.0);
    }
});

//! Geometry over `{ptr, len}` arrays of points: the operations of
//! `MyLib::Points`, over [`crate::core::points`].
//!
//! Every function reads the points only during the call, and never keeps
//! or frees anything the caller passed. Results of unknown size are written
//! into an array the caller owns, given with its capacity: a result that
//! does not fit is not written, the function returns
//! `MY_LIB_STATUS_OUTPUT_TOO_SMALL` and stores the length needed, so the
//! caller can retry with a larger array. The results of
//! `my_lib_points_within` and `my_lib_points_simplify` are never longer
//! than the input, so an array of `points.len` always fits.
//!
//! Every other failure writes no out-parameter at all, `*out_len`
//! included. Memory the result needs is allocated fallibly: when it cannot
//! be had, the function returns `MY_LIB_STATUS_ALLOCATION_FAILED` with the
//! last error set, and never aborts.
//!
//! Searches scan the points: a C call builds no spatial index (the Ruby
//! `MyLib::Points` keeps one across queries). No call can be cancelled.

use std::ptr::NonNull;

use super::boundary;
use super::failure::Failure;
use super::point::MyLibPointSlice;
use super::pointers;
use super::status::MyLibStatus;
use crate::core::cancel::CancelFlag;
use crate::core::point::Point;
use crate::core::points::summary::{BoundingBox, bounding_box, centroid, path_length};
use crate::core::points::{DistanceLimit, PointsError, gather, search, simplify};

/// Runs a core operation with a flag no one else can reach: C callers have
/// no way to cancel, so the operation runs to completion, or fails only for
/// want of memory (`MY_LIB_STATUS_ALLOCATION_FAILED`).
fn to_completion<T>(
    operation: impl FnOnce(&CancelFlag) -> Result<T, PointsError>,
) -> Result<T, Failure> {
    match operation(&CancelFlag::new()) {
        Ok(value) => Ok(value),
        Err(PointsError::OutOfMemory(error)) => Err(error.into()),
        Err(PointsError::Cancelled) => {
            unreachable!("a cancel flag that only this call holds was set")
        }
    }
}

/// `value` as a [`DistanceLimit`], or an invalid-argument failure naming
/// `argument`.
fn distance_limit(value: f64, argument: &str) -> Result<DistanceLimit, Failure> {
    DistanceLimit::new(value)
        .map_err(|invalid| Failure::invalid_argument(format!("{argument} {invalid}")))
}

/// Writes `result` into the caller's array `out_points` of `capacity`
/// points, then its length into `*out_len`. When it does not fit, only
/// `*out_len` is written (the length needed), with
/// `MY_LIB_STATUS_OUTPUT_TOO_SMALL`; on any other failure (`out_points`
/// NULL or misaligned while there is something to write) nothing is.
///
/// # Safety
///
/// `out_points`, when non-NULL, points to `capacity` writable points;
/// `out_len` to a writable `size_t`. Neither is read.
unsafe fn write_points(
    result: &[Point],
    out_points: *mut Point,
    capacity: usize,
    out_len: NonNull<usize>,
) -> Result<(), Failure> {
    if result.len() > capacity {
        // SAFETY: `out_len` is non-NULL and aligned (checked by the caller
        // with `pointers::required`), and the caller guarantees it is
        // writable.
        unsafe { out_len.write(result.len()) };
        return Err(Failure::output_too_small(
            "out_points",
            capacity,
            result.len(),
        ));
    }
    if !result.is_empty() {
        let out = pointers::slice(out_points.cast_const(), capacity, "out_points")?;
        // SAFETY: `out` is non-NULL, aligned and holds `capacity >=
        // result.len()` points the caller lets us write; `result` is our own
        // Vec's memory, so the two cannot overlap.
        unsafe {
            std::ptr::copy_nonoverlapping(
                result.as_ptr(),
                out.cast::<Point>().as_ptr(),
                result.len(),
            )
        };
    }
    // SAFETY: as above.
    unsafe { out_len.write(result.len()) };
    Ok(())
}

/// Stores the centroid (mean) of the points in `*out_centroid`. The mean is
/// finite whenever the exact mean is (three points `(DBL_MAX, -DBL_MAX)`
/// have the centroid `(DBL_MAX, -DBL_MAX)`, not infinities), and on each
/// axis within `DBL_EPSILON·|mean| + 8·DBL_EPSILON·mean(|x|) + 2⁻¹⁰⁷⁵` of the
/// exact mean (up to 2³⁰ points); an infinite or NaN coordinate makes that
/// coordinate of the mean infinite or NaN.
///
/// Returns `MY_LIB_STATUS_OK`; `MY_LIB_STATUS_INVALID_ARGUMENT` when there
/// are no points (or `points.ptr` is misaligned); `MY_LIB_STATUS_NULL_POINTER`
/// when `out_centroid` is NULL, or `points.ptr` is NULL with a non-zero
/// `points.len`. On failure `*out_centroid` is left unchanged.
///
/// Ownership: the points and `out_centroid` stay the caller's; the points are
/// only read during the call. Thread-safety: thread-safe; no other thread may
/// write the points during the call.
///
/// # Safety
///
/// `points.ptr` points to `points.len` readable points (or is NULL);
/// `out_centroid` is NULL or points to a `MyLibPoint` the caller may write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn my_lib_points_centroid(
    points: MyLibPointSlice<'_>,
    out_centroid: *mut Point,
) -> MyLibStatus {
    boundary::status(|| {
        let out_centroid = pointers::required(out_centroid, "out_centroid")?;
        // SAFETY: the caller guarantees `points.len` readable points, left
        // unmodified during this call; the view's lifetime, hence the
        // borrow's, is this call's.
        let points = unsafe { points.points() }?;
        let mean = to_completion(|cancel| centroid(points, cancel))?
            .ok_or_else(|| Failure::invalid_argument("the centroid of no points is undefined"))?;
        // SAFETY: `out_centroid` is non-NULL and aligned (checked), and the
        // caller guarantees it points to a writable point.
        unsafe { out_centroid.write(mean) };
        Ok(())
    })
}

/// Stores in `*out_box` the smallest axis-aligned box holding every point:
/// `min` has the smallest `x` and `y`, `max` the largest. NaN coordinates
/// are ignored, unless every point has one.
///
/// Returns `MY_LIB_STATUS_OK`; `MY_LIB_STATUS_INVALID_ARGUMENT` when there
/// are no points (or `points.ptr` is misaligned); `MY_LIB_STATUS_NULL_POINTER`
/// when `out_box` is NULL, or `points.ptr` is NULL with a non-zero
/// `points.len`. On failure `*out_box` is left unchanged.
///
/// Ownership: the points and `out_box` stay the caller's; the points are
/// only read during the call. Thread-safety: thread-safe; no other thread
/// may write the points during the call.
///
/// # Safety
///
/// `points.ptr` points to `points.len` readable points (or is NULL);
/// `out_box` is NULL or points to a `MyLibBoundingBox` the caller may write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn my_lib_points_bounding_box(
    points: MyLibPointSlice<'_>,
    out_box: *mut BoundingBox,
) -> MyLibStatus {
    boundary::status(|| {
        let out_box = pointers::required(out_box, "out_box")?;
        // SAFETY: as in `my_lib_points_centroid`.
        let points = unsafe { points.points() }?;
        let bounds = to_completion(|cancel| bounding_box(points, cancel))?.ok_or_else(|| {
            Failure::invalid_argument("the bounding box of no points is undefined")
        })?;
        // SAFETY: `out_box` is non-NULL and aligned (checked), and the
        // caller guarantees it points to a writable box.
        unsafe { out_box.write(bounds) };
        Ok(())
    })
}

/// Stores in `*out_length` the length of the open path through the points in
/// order: the sum of the distances between consecutive points, 0 for fewer
/// than two points.
///
/// Returns `MY_LIB_STATUS_OK`; `MY_LIB_STATUS_NULL_POINTER` when `out_length`
/// is NULL, or `points.ptr` is NULL with a non-zero `points.len`
/// (`MY_LIB_STATUS_INVALID_ARGUMENT` when misaligned). On failure
/// `*out_length` is left unchanged.
///
/// Ownership: the points and `out_length` stay the caller's; the points are
/// only read during the call. Thread-safety: thread-safe; no other thread may
/// write the points during the call.
///
/// # Safety
///
/// `points.ptr` points to `points.len` readable points (or is NULL);
/// `out_length` is NULL or points to a `double` the caller may write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn my_lib_points_path_length(
    points: MyLibPointSlice<'_>,
    out_length: *mut f64,
) -> MyLibStatus {
    boundary::status(|| {
        let out_length = pointers::required(out_length, "out_length")?;
        // SAFETY: as in `my_lib_points_centroid`.
        let points = unsafe { points.points() }?;
        let length = to_completion(|cancel| path_length(points, cancel))?;
        // SAFETY: `out_length` is non-NULL and aligned (checked), and the
        // caller guarantees it points to a writable double.
        unsafe { out_length.write(length) };
        Ok(())
    })
}

/// Writes the `k` points nearest to `target` into `out_points[0..]`,
/// closest first (of equally distant points, the earlier in `points`
/// first), and their number, `min(k, points with a distance)`, into
/// `*out_len`. Points with a NaN coordinate are never found.
///
/// Returns `MY_LIB_STATUS_OK`; `MY_LIB_STATUS_NULL_POINTER` when `out_len`
/// is NULL, `out_points` is NULL and a point is found, or `points.ptr` is
/// NULL with a non-zero `points.len`; `MY_LIB_STATUS_INVALID_ARGUMENT` when
/// a pointer is misaligned; `MY_LIB_STATUS_ALLOCATION_FAILED` when the
/// memory for the result cannot be had. On failure nothing is written,
/// neither `out_points` nor `*out_len`.
///
/// Ownership: the caller owns every array; `out_points` has room for `k`
/// points (it may be NULL when `k` is 0). Thread-safety: thread-safe; no
/// other thread may write the points or the output during the call.
///
/// # Safety
///
/// `points.ptr` points to `points.len` readable points (or is NULL);
/// `out_points` to `k` writable points (or is NULL); `out_len` to a
/// writable `size_t` (or is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn my_lib_points_nearest(
    points: MyLibPointSlice<'_>,
    target: Point,
    k: usize,
    out_points: *mut Point,
    out_len: *mut usize,
) -> MyLibStatus {
    boundary::status(|| {
        let out_len = pointers::required(out_len, "out_len")?;
        // SAFETY: as in `my_lib_points_centroid`.
        let points = unsafe { points.points() }?;
        // Copied out (so that writing them cannot clobber the input).
        let found = to_completion(|cancel| {
            gather(points, &search::nearest(points, target, k, cancel)?, cancel)
        })?;
        // SAFETY: the caller guarantees `k` writable points at a non-NULL
        // `out_points`, and a writable `out_len` (checked non-NULL).
        unsafe { write_points(&found, out_points, k, out_len) }
    })
}

/// Writes the points at a distance of at most `radius` from `center` into
/// `out_points`, in their order in `points`, and their number into
/// `*out_len`. Points with a NaN coordinate are never found. A result of
/// at most `points.len` points always fits.
///
/// Returns `MY_LIB_STATUS_OK`; `MY_LIB_STATUS_OUTPUT_TOO_SMALL` when more
/// than `capacity` points are found (`*out_len` holds how many; nothing is
/// written to `out_points`); `MY_LIB_STATUS_INVALID_ARGUMENT` when `radius`
/// is negative or NaN, or a pointer is misaligned;
/// `MY_LIB_STATUS_NULL_POINTER` when `out_len` is NULL, `out_points` is
/// NULL and a point is found, or `points.ptr` is NULL with a non-zero
/// `points.len`; `MY_LIB_STATUS_ALLOCATION_FAILED` when the memory for the
/// result cannot be had. On any failure but `MY_LIB_STATUS_OUTPUT_TOO_SMALL`
/// nothing is written, neither `out_points` nor `*out_len`.
///
/// Ownership: the caller owns every array; `out_points` has room for
/// `capacity` points. Thread-safety: thread-safe; no other thread may write
/// the points or the output during the call.
///
/// # Safety
///
/// `points.ptr` points to `points.len` readable points (or is NULL);
/// `out_points` to `capacity` writable points (or is NULL); `out_len` to a
/// writable `size_t` (or is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn my_lib_points_within(
    points: MyLibPointSlice<'_>,
    center: Point,
    radius: f64,
    out_points: *mut Point,
    capacity: usize,
    out_len: *mut usize,
) -> MyLibStatus {
    boundary::status(|| {
        let out_len = pointers::required(out_len, "out_len")?;
        let radius = distance_limit(radius, "radius")?;
        // SAFETY: as in `my_lib_points_centroid`.
        let points = unsafe { points.points() }?;
        // Copied out (so that writing them cannot clobber the input).
        let found = to_completion(|cancel| {
            gather(
                points,
                &search::within(points, center, radius, cancel)?,
                cancel,
            )
        })?;
        // SAFETY: the caller guarantees `capacity` writable points at a
        // non-NULL `out_points`, and a writable `out_len` (checked non-NULL).
        unsafe { write_points(&found, out_points, capacity, out_len) }
    })
}

/// Simplifies the polyline through the points (Ramer–Douglas–Peucker):
/// writes the points it keeps into `out_points`, in order, and their
/// number into `*out_len`. Every dropped point lies within `tolerance` of
/// the simplified line; the first and last points are always kept, so two
/// or fewer come back unchanged. A result always fits in `points.len`
/// points. Takes O(n log n) time on typical paths, O(n²) at worst.
///
/// Returns `MY_LIB_STATUS_OK`; `MY_LIB_STATUS_OUTPUT_TOO_SMALL` when more
/// than `capacity` points are kept (`*out_len` holds how many; nothing is
/// written to `out_points`); `MY_LIB_STATUS_INVALID_ARGUMENT` when
/// `tolerance` is negative or NaN, or a pointer is misaligned;
/// `MY_LIB_STATUS_NULL_POINTER` when `out_len` is NULL, `out_points` is
/// NULL and a point is kept, or `points.ptr` is NULL with a non-zero
/// `points.len`; `MY_LIB_STATUS_ALLOCATION_FAILED` when the memory the
/// simplification needs cannot be had. On any failure but
/// `MY_LIB_STATUS_OUTPUT_TOO_SMALL` nothing is written, neither
/// `out_points` nor `*out_len`.
///
/// Ownership: the caller owns every array; `out_points` has room for
/// `capacity` points, and may be `points.ptr` itself (the result is
/// computed before anything is written). Thread-safety: thread-safe; no
/// other thread may use the points or the output during the call.
///
/// # Safety
///
/// `points.ptr` points to `points.len` readable points (or is NULL);
/// `out_points` to `capacity` writable points (or is NULL); `out_len` to a
/// writable `size_t` (or is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn my_lib_points_simplify(
    points: MyLibPointSlice<'_>,
    tolerance: f64,
    out_points: *mut Point,
    capacity: usize,
    out_len: *mut usize,
) -> MyLibStatus {
    boundary::status(|| {
        let out_len = pointers::required(out_len, "out_len")?;
        let tolerance = distance_limit(tolerance, "tolerance")?;
        // SAFETY: as in `my_lib_points_centroid`. The borrow ends with
        // `simplify`, before `out_points`, which may be the same memory, is
        // written.
        let points = unsafe { points.points() }?;
        let kept = to_completion(|cancel| simplify::simplify(points, tolerance, cancel))?;
        // SAFETY: the caller guarantees `capacity` writable points at a
        // non-NULL `out_points`, and a writable `out_len` (checked non-NULL).
        unsafe { write_points(&kept, out_points, capacity, out_len) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::c_abi::last_error::last_failure;
    use std::ptr;

    const EMPTY: MyLibPointSlice<'static> = MyLibPointSlice::from_raw_parts(ptr::null(), 0);

    fn square() -> [Point; 4] {
        [
            Point::new(0.0, 0.0),
            Point::new(2.0, 0.0),
            Point::new(2.0, 2.0),
            Point::new(0.0, 2.0),
        ]
    }

    #[test]
    fn centroid_bounding_box_and_path_length() {
        let square = square();
        let mut mean = Point::default();
        let mut bounds = BoundingBox {
            min: Point::default(),
            max: Point::default(),
        };
        let mut length = -1.0;
        // SAFETY: `square` and the outputs are live locals.
        unsafe {
            assert_eq!(
                my_lib_points_centroid(square[..].into(), &mut mean),
                MyLibStatus::Ok
            );
            assert_eq!(
                my_lib_points_bounding_box(square[..].into(), &mut bounds),
                MyLibStatus::Ok
            );
            assert_eq!(
                my_lib_points_path_length(square[..].into(), &mut length),
                MyLibStatus::Ok
            );
        }
        assert_eq!(mean, Point::new(1.0, 1.0));
        assert_eq!(
            bounds,
            BoundingBox {
                min: Point::new(0.0, 0.0),
                max: Point::new(2.0, 2.0)
            }
        );
        assert_eq!(length, 6.0);

        let huge = [Point::new(1e308, 1e308); 2];
        // SAFETY: `huge` and `mean` are live locals.
        let status = unsafe { my_lib_points_centroid(huge[..].into(), &mut mean) };
        assert_eq!((status, mean), (MyLibStatus::Ok, huge[0]));
    }

    #[test]
    fn nothing_has_no_centroid_nor_box() {
        let mut mean = Point::new(9.0, 9.0);
        let untouched = BoundingBox {
            min: mean,
            max: mean,
        };
        let mut bounds = untouched;
        let mut length = -1.0;
        // SAFETY: the empty slice reads nothing; the outputs are live locals.
        unsafe {
            assert_eq!(
                my_lib_points_centroid(EMPTY, &mut mean),
                MyLibStatus::InvalidArgument
            );
            assert_eq!(
                last_failure().unwrap().message,
                "the centroid of no points is undefined"
            );
            assert_eq!(
                my_lib_points_bounding_box(EMPTY, &mut bounds),
                MyLibStatus::InvalidArgument
            );
            assert_eq!(
                last_failure().unwrap().message,
                "the bounding box of no points is undefined"
            );
            assert_eq!(
                my_lib_points_path_length(EMPTY, &mut length),
                MyLibStatus::Ok
            );
        }
        assert_eq!(
            (mean, bounds, length),
            (Point::new(9.0, 9.0), untouched, 0.0)
        );
    }

    #[test]
    fn nearest_writes_k_points_closest_first() {
        let square = square();
        let mut found = [Point::new(-1.0, -1.0); 3];
        let mut len = 99;
        let target = Point::new(2.1, 1.9);
        // SAFETY: `square`, `found` (3 points) and `len` are live locals.
        let status = unsafe {
            my_lib_points_nearest(square[..].into(), target, 2, found.as_mut_ptr(), &mut len)
        };
        assert_eq!((status, len), (MyLibStatus::Ok, 2));
        assert_eq!(found, [square[2], square[1], Point::new(-1.0, -1.0)]);
        // k larger than the set: every point; k = 0 needs no array.
        let mut all = [Point::default(); 10];
        // SAFETY: as above; NULL is never written when nothing is found.
        unsafe {
            let status =
                my_lib_points_nearest(square[..].into(), target, 10, all.as_mut_ptr(), &mut len);
            assert_eq!((status, len), (MyLibStatus::Ok, 4));
            let status =
                my_lib_points_nearest(square[..].into(), target, 0, ptr::null_mut(), &mut len);
            assert_eq!((status, len), (MyLibStatus::Ok, 0));
        }
    }

    #[test]
    fn within_reports_the_length_a_result_needs() {
        let square = square();
        let mut found = [Point::default(); 4];
        let mut len = 0;
        let corner = Point::new(0.0, 0.0);
        // SAFETY: `square`, `found` (4 points) and `len` are live locals.
        unsafe {
            let status = my_lib_points_within(
                square[..].into(),
                corner,
                2.0,
                found.as_mut_ptr(),
                4,
                &mut len,
            );
            assert_eq!((status, len), (MyLibStatus::Ok, 3));
            assert_eq!(found[..3], [square[0], square[1], square[3]]);

            let mut small = [Point::new(7.0, 7.0); 2];
            let status = my_lib_points_within(
                square[..].into(),
                corner,
                2.0,
                small.as_mut_ptr(),
                2,
                &mut len,
            );
            assert_eq!((status, len), (MyLibStatus::OutputTooSmall, 3));
            assert_eq!(small, [Point::new(7.0, 7.0); 2]);
            assert_eq!(
                last_failure().unwrap().message,
                "out_points has room for 2 points, the result has 3"
            );

            let status = my_lib_points_within(
                square[..].into(),
                corner,
                -1.0,
                found.as_mut_ptr(),
                4,
                &mut len,
            );
            assert_eq!(status, MyLibStatus::InvalidArgument);
            assert_eq!(
                last_failure().unwrap().message,
                "radius must not be negative, got -1.0"
            );
            let status = my_lib_points_within(
                square[..].into(),
                corner,
                f64::NAN,
                found.as_mut_ptr(),
                4,
                &mut len,
            );
            assert_eq!(status, MyLibStatus::InvalidArgument);
            assert_eq!(
                last_failure().unwrap().message,
                "radius must be a number, got NaN"
            );
        }
    }

    #[test]
    fn simplify_can_write_in_place() {
        let mut path = [
            Point::new(0.0, 0.0),
            Point::new(1.0, 0.1),
            Point::new(2.0, 0.0),
            Point::new(3.0, 5.0),
        ];
        let mut len = 0;
        // One raw pointer for both: a C caller simplifying in place.
        let base = path.as_mut_ptr();
        let view = MyLibPointSlice::from_raw_parts(base.cast_const(), 4);
        // SAFETY: `path` is read, then written, through `base` only; `len`
        // is a live local.
        let status = unsafe { my_lib_points_simplify(view, 0.5, base, 4, &mut len) };
        assert_eq!((status, len), (MyLibStatus::Ok, 3));
        assert_eq!(
            path[..3],
            [
                Point::new(0.0, 0.0),
                Point::new(2.0, 0.0),
                Point::new(3.0, 5.0)
            ]
        );

        let mut out = [Point::default(); 4];
        // SAFETY: `path`, `out` and `len` are live locals.
        let status = unsafe {
            my_lib_points_simplify(path[..3].into(), f64::NAN, out.as_mut_ptr(), 4, &mut len)
        };
        assert_eq!(status, MyLibStatus::InvalidArgument);
        assert_eq!(
            last_failure().unwrap().message,
            "tolerance must be a number, got NaN"
        );
    }

    #[test]
    fn failures_leave_out_len_untouched() {
        let square = square();
        let target = Point::new(0.0, 0.0);
        let mut out = [Point::new(7.0, 7.0); 5];
        let misaligned = out
            .as_mut_ptr()
            .cast::<u8>()
            .wrapping_add(1)
            .cast::<Point>();
        let mut len = 99;
        // SAFETY: `square`, `out` and `len` are live locals; NULL and
        // misaligned outputs are rejected before anything is written.
        unsafe {
            let status =
                my_lib_points_nearest(square[..].into(), target, 2, ptr::null_mut(), &mut len);
            assert_eq!((status, len), (MyLibStatus::NullPointer, 99));
            let status = my_lib_points_nearest(square[..].into(), target, 2, misaligned, &mut len);
            assert_eq!((status, len), (MyLibStatus::InvalidArgument, 99));
            let status =
                my_lib_points_within(square[..].into(), target, 5.0, ptr::null_mut(), 4, &mut len);
            assert_eq!((status, len), (MyLibStatus::NullPointer, 99));
            let status =
                my_lib_points_within(square[..].into(), target, 5.0, misaligned, 4, &mut len);
            assert_eq!((status, len), (MyLibStatus::InvalidArgument, 99));
            let status =
                my_lib_points_simplify(square[..].into(), 0.0, ptr::null_mut(), 4, &mut len);
            assert_eq!((status, len), (MyLibStatus::NullPointer, 99));
            let status = my_lib_points_within(
                square[..].into(),
                target,
                -1.0,
                out.as_mut_ptr(),
                4,
                &mut len,
            );
            assert_eq!((status, len), (MyLibStatus::InvalidArgument, 99));
            // Too small is the one failure that stores the length needed,
            // also to size a NULL array.
            let status =
                my_lib_points_within(square[..].into(), target, 5.0, ptr::null_mut(), 0, &mut len);
            assert_eq!((status, len), (MyLibStatus::OutputTooSmall, 4));
        }
        assert_eq!(out, [Point::new(7.0, 7.0); 5]);
    }

    #[test]
    fn null_and_misaligned_pointers_are_rejected() {
        let one = [Point::new(1.0, 1.0)];
        let null_points = MyLibPointSlice::from_raw_parts(ptr::null(), 1);
        let mut mean = Point::default();
        let mut length = 0.0;
        let mut len = 0;
        let mut out = [Point::default(); 1];
        // SAFETY: every NULL or misaligned pointer is rejected before use.
        unsafe {
            let status = my_lib_points_centroid(one[..].into(), ptr::null_mut());
            assert_eq!(status, MyLibStatus::NullPointer);
            assert_eq!(last_failure().unwrap().message, "out_centroid is NULL");
            let status = my_lib_points_centroid(null_points, &mut mean);
            assert_eq!(status, MyLibStatus::NullPointer);
            assert_eq!(last_failure().unwrap().message, "points.ptr is NULL");
            let status = my_lib_points_bounding_box(one[..].into(), ptr::null_mut());
            assert_eq!(status, MyLibStatus::NullPointer);
            let status = my_lib_points_path_length(one[..].into(), ptr::null_mut());
            assert_eq!(status, MyLibStatus::NullPointer);
            let status = my_lib_points_path_length(null_points, &mut length);
            assert_eq!(status, MyLibStatus::NullPointer);
            let status = my_lib_points_nearest(
                one[..].into(),
                Point::default(),
                1,
                out.as_mut_ptr(),
                ptr::null_mut(),
            );
            assert_eq!(status, MyLibStatus::NullPointer);
            assert_eq!(last_failure().unwrap().message, "out_len is NULL");
            let status = my_lib_points_nearest(
                one[..].into(),
                Point::default(),
                1,
                ptr::null_mut(),
                &mut len,
            );
            assert_eq!(status, MyLibStatus::NullPointer);
            assert_eq!(last_failure().unwrap().message, "out_points is NULL");
            let status = my_lib_points_simplify(null_points, 0.0, out.as_mut_ptr(), 1, &mut len);
            assert_eq!(status, MyLibStatus::NullPointer);

            let misaligned = MyLibPointSlice::from_raw_parts(
                one.as_ptr().cast::<u8>().wrapping_add(1).cast(),
                1,
            );
            let status = my_lib_points_path_length(misaligned, &mut length);
            assert_eq!(status, MyLibStatus::InvalidArgument);
            assert_eq!(
                last_failure().unwrap().message,
                "points.ptr is not aligned to 8 bytes"
            );
            let misaligned_out = out
                .as_mut_ptr()
                .cast::<u8>()
                .wrapping_add(1)
                .cast::<Point>();
            let status = my_lib_points_within(
                one[..].into(),
                Point::default(),
                2.0,
                misaligned_out,
                1,
                &mut len,
            );
            assert_eq!(status, MyLibStatus::InvalidArgument);
            assert_eq!(
                last_failure().unwrap().message,
                "out_points is not aligned to 8 bytes"
            );
        }
    }
}

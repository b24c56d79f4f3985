//! Points by value, and geometry over `{ptr, len}` arrays of points.

use super::boundary;
use super::failure::Failure;
use super::pointers;
use super::status::MyLibStatus;
use crate::core::point::{Point, centroid, path_length};

/// A read-only view of `len` points at `ptr` (a C array `MyLibPoint[len]`);
/// `ptr` may be NULL only when `len` is 0, and must be 8-byte aligned.
///
/// Ownership: a view owns nothing and is never freed; the points stay the
/// caller's. Lifetime: only read during the call it is passed to.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MyLibPointSlice {
    pub ptr: *const Point,
    pub len: usize,
}

impl MyLibPointSlice {
    /// The points, after the NULL, alignment and size checks.
    ///
    /// # Safety
    ///
    /// A non-NULL, aligned `ptr` points to `len` points, not written to during
    /// `'a`.
    unsafe fn points<'a>(self) -> Result<&'a [Point], Failure> {
        // SAFETY: forwarded from this function's contract.
        unsafe { pointers::slice(self.ptr, self.len, "points.ptr") }
    }
}

/// The point `(x, y)`, returned by value.
///
/// Never fails. Ownership: a plain value; nothing to free. Thread-safety:
/// thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn my_lib_point_new(x: f64, y: f64) -> Point {
    // Fallback (0, 0): only reachable if my_lib panicked (last error
    // MY_LIB_STATUS_PANIC).
    boundary::value_or(Point::default(), || Ok(Point::new(x, y)))
}

/// The Euclidean distance between `a` and `b`, computed without intermediate
/// overflow; NaN if a coordinate is NaN.
///
/// Never fails. Ownership: plain values; nothing to free. Thread-safety:
/// thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn my_lib_point_distance(a: Point, b: Point) -> f64 {
    // Fallback NaN: only reachable if my_lib panicked (last error
    // MY_LIB_STATUS_PANIC).
    boundary::value_or(f64::NAN, || Ok(a.distance_to(b)))
}

/// Stores the centroid (mean) of the points in `*out_centroid`.
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
    points: MyLibPointSlice,
    out_centroid: *mut Point,
) -> MyLibStatus {
    boundary::status(|| {
        let out_centroid = pointers::required(out_centroid, "out_centroid")?;
        // SAFETY: the caller guarantees `points.len` readable points, left
        // unmodified during this call, which is as long as the borrow lasts.
        let points = unsafe { points.points() }?;
        let mean = centroid(points)
            .ok_or_else(|| Failure::invalid_argument("the centroid of no points is undefined"))?;
        // SAFETY: `out_centroid` is non-NULL and aligned (checked), and the
        // caller guarantees it points to a writable point.
        unsafe { out_centroid.write(mean) };
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
    points: MyLibPointSlice,
    out_length: *mut f64,
) -> MyLibStatus {
    boundary::status(|| {
        let out_length = pointers::required(out_length, "out_length")?;
        // SAFETY: the caller guarantees `points.len` readable points, left
        // unmodified during this call, which is as long as the borrow lasts.
        let points = unsafe { points.points() }?;
        // SAFETY: `out_length` is non-NULL and aligned (checked), and the
        // caller guarantees it points to a writable double.
        unsafe { out_length.write(path_length(points)) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::c_abi::last_error::last_failure;
    use std::ptr;

    fn slice(points: &[Point]) -> MyLibPointSlice {
        MyLibPointSlice {
            ptr: points.as_ptr(),
            len: points.len(),
        }
    }

    const EMPTY: MyLibPointSlice = MyLibPointSlice {
        ptr: ptr::null(),
        len: 0,
    };

    #[test]
    fn points_by_value() {
        assert_eq!(my_lib_point_new(1.5, -2.0), Point { x: 1.5, y: -2.0 });
        let distance =
            my_lib_point_distance(my_lib_point_new(0.0, 0.0), my_lib_point_new(3.0, 4.0));
        assert_eq!(distance, 5.0);
        let nan = my_lib_point_distance(Point::new(f64::NAN, 0.0), Point::default());
        assert!(nan.is_nan());
        assert_eq!(last_failure(), None);
    }

    #[test]
    fn centroid_of_a_slice() {
        let square = [
            Point::new(0.0, 0.0),
            Point::new(2.0, 0.0),
            Point::new(2.0, 2.0),
            Point::new(0.0, 2.0),
        ];
        let mut mean = Point::default();
        // SAFETY: `square` and `mean` are live locals.
        let status = unsafe { my_lib_points_centroid(slice(&square), &mut mean) };
        assert_eq!((status, mean), (MyLibStatus::Ok, Point::new(1.0, 1.0)));
    }

    #[test]
    fn centroid_of_nothing_is_an_error() {
        let mut mean = Point::new(9.0, 9.0);
        // SAFETY: the empty slice reads nothing; `mean` is a live local.
        let status = unsafe { my_lib_points_centroid(EMPTY, &mut mean) };
        assert_eq!(status, MyLibStatus::InvalidArgument);
        assert_eq!(mean, Point::new(9.0, 9.0));
        assert_eq!(
            last_failure().unwrap().message,
            "the centroid of no points is undefined"
        );
    }

    #[test]
    fn path_length_of_a_slice() {
        let path = [
            Point::new(0.0, 0.0),
            Point::new(3.0, 4.0),
            Point::new(3.0, 10.0),
        ];
        let mut length = -1.0;
        // SAFETY: `path` and `length` are live locals.
        let status = unsafe { my_lib_points_path_length(slice(&path), &mut length) };
        assert_eq!((status, length), (MyLibStatus::Ok, 11.0));
        // SAFETY: the empty slice reads nothing; `length` is a live local.
        let status = unsafe { my_lib_points_path_length(EMPTY, &mut length) };
        assert_eq!((status, length), (MyLibStatus::Ok, 0.0));
    }

    #[test]
    fn null_and_misaligned_pointers_are_rejected() {
        let one = [Point::new(1.0, 1.0)];
        let null_points = MyLibPointSlice {
            ptr: ptr::null(),
            len: 1,
        };
        let mut mean = Point::default();
        let mut length = 0.0;
        // SAFETY: every NULL or misaligned pointer is rejected before use.
        unsafe {
            let status = my_lib_points_centroid(slice(&one), ptr::null_mut());
            assert_eq!(status, MyLibStatus::NullPointer);
            assert_eq!(last_failure().unwrap().message, "out_centroid is NULL");
            let status = my_lib_points_centroid(null_points, &mut mean);
            assert_eq!(status, MyLibStatus::NullPointer);
            assert_eq!(last_failure().unwrap().message, "points.ptr is NULL");
            let status = my_lib_points_path_length(slice(&one), ptr::null_mut());
            assert_eq!(status, MyLibStatus::NullPointer);
            let status = my_lib_points_path_length(null_points, &mut length);
            assert_eq!(status, MyLibStatus::NullPointer);

            let misaligned = MyLibPointSlice {
                ptr: one.as_ptr().cast::<u8>().wrapping_add(1).cast(),
                len: 1,
            };
            let status = my_lib_points_path_length(misaligned, &mut length);
            assert_eq!(status, MyLibStatus::InvalidArgument);
            assert_eq!(
                last_failure().unwrap().message,
                "points.ptr is not aligned to 8 bytes"
            );
        }
    }
}

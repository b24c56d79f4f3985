//! Points by value, and geometry over `{ptr, len}` arrays of points.

use std::marker::PhantomData;

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
pub struct MyLibPointSlice<'a> {
    pub ptr: *const Point,
    pub len: usize,
    // In Rust, the view borrows the points for `'a`, as rustls-ffi's
    // `rustls_slice_bytes` does: made from a `&'a [Point]` (`From`), it
    // cannot outlive them, and what reads it gets a `&'a [Point]`, never a
    // borrow of made-up length. Zero-sized, and omitted by cbindgen: the C
    // layout is the two fields above.
    phantom: PhantomData<&'a [Point]>,
}

/// Making views in Rust: from a borrowed slice (`From<&'a [Point]>`), or from
/// raw parts.
impl<'a> MyLibPointSlice<'a> {
    /// The view `{ptr, len}`, unchecked: any values may be given, as a C
    /// host may pass any; the functions that read a view check what they can
    /// and document the rest.
    pub const fn from_raw_parts(ptr: *const Point, len: usize) -> Self {
        MyLibPointSlice {
            ptr,
            len,
            phantom: PhantomData,
        }
    }

    /// The points, borrowed for the view's lifetime `'a`, after the NULL,
    /// alignment and size checks.
    ///
    /// # Safety
    ///
    /// A non-NULL, aligned `ptr` points to `len` initialised points in one
    /// allocation, not written to during `'a`.
    unsafe fn points(&self) -> Result<&'a [Point], Failure> {
        let points = pointers::slice(self.ptr, self.len, "points.ptr")?;
        // SAFETY: `points` is non-NULL, aligned and at most isize::MAX bytes
        // (checked by `pointers::slice`), or empty; the caller guarantees
        // `len` initialised points left unmodified for 'a.
        Ok(unsafe { points.as_ref() })
    }
}

impl<'a> From<&'a [Point]> for MyLibPointSlice<'a> {
    /// A view of `points`, valid while they are borrowed.
    fn from(points: &'a [Point]) -> Self {
        MyLibPointSlice::from_raw_parts(points.as_ptr(), points.len())
    }
}

/// The point `(x, y)`, returned by value.
///
/// Never fails. Ownership: a plain value; nothing to free. Thread-safety:
/// thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn my_lib_point_new(x: f64, y: f64) -> Point {
    point_new(x, y)
}

/// The body of [`my_lib_point_new`], for the library's own callers (the
/// tutorial alias), which must not call the exported symbol: see
/// "Interposition" in the `c_abi` module documentation.
pub(crate) fn point_new(x: f64, y: f64) -> Point {
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
    points: MyLibPointSlice<'_>,
    out_centroid: *mut Point,
) -> MyLibStatus {
    boundary::status(|| {
        let out_centroid = pointers::required(out_centroid, "out_centroid")?;
        // SAFETY: the caller guarantees `points.len` readable points, left
        // unmodified during this call; the view's lifetime, hence the
        // borrow's, is this call's.
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
    points: MyLibPointSlice<'_>,
    out_length: *mut f64,
) -> MyLibStatus {
    boundary::status(|| {
        let out_length = pointers::required(out_length, "out_length")?;
        // SAFETY: the caller guarantees `points.len` readable points, left
        // unmodified during this call; the view's lifetime, hence the
        // borrow's, is this call's.
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

    const EMPTY: MyLibPointSlice<'static> = MyLibPointSlice::from_raw_parts(ptr::null(), 0);

    #[test]
    fn a_view_is_two_fields_borrowing_its_points() {
        assert_eq!(size_of::<MyLibPointSlice<'_>>(), 2 * size_of::<usize>());
        assert_eq!(
            std::mem::offset_of!(MyLibPointSlice<'_>, len),
            size_of::<usize>()
        );
        let points = [Point::new(1.0, 2.0)];
        let view = MyLibPointSlice::from(&points[..]);
        assert_eq!((view.ptr, view.len), (points.as_ptr(), 1));
        // SAFETY: the view borrows `points`, live and unmodified.
        assert_eq!(unsafe { view.points() }, Ok(&points[..]));
    }

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
        let status = unsafe { my_lib_points_centroid(square[..].into(), &mut mean) };
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
        let status = unsafe { my_lib_points_path_length(path[..].into(), &mut length) };
        assert_eq!((status, length), (MyLibStatus::Ok, 11.0));
        // SAFETY: the empty slice reads nothing; `length` is a live local.
        let status = unsafe { my_lib_points_path_length(EMPTY, &mut length) };
        assert_eq!((status, length), (MyLibStatus::Ok, 0.0));
    }

    #[test]
    fn null_and_misaligned_pointers_are_rejected() {
        let one = [Point::new(1.0, 1.0)];
        let null_points = MyLibPointSlice::from_raw_parts(ptr::null(), 1);
        let mut mean = Point::default();
        let mut length = 0.0;
        // SAFETY: every NULL or misaligned pointer is rejected before use.
        unsafe {
            let status = my_lib_points_centroid(one[..].into(), ptr::null_mut());
            assert_eq!(status, MyLibStatus::NullPointer);
            assert_eq!(last_failure().unwrap().message, "out_centroid is NULL");
            let status = my_lib_points_centroid(null_points, &mut mean);
            assert_eq!(status, MyLibStatus::NullPointer);
            assert_eq!(last_failure().unwrap().message, "points.ptr is NULL");
            let status = my_lib_points_path_length(one[..].into(), ptr::null_mut());
            assert_eq!(status, MyLibStatus::NullPointer);
            let status = my_lib_points_path_length(null_points, &mut length);
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
        }
    }
}

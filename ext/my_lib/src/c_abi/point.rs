//! Points by value, and the `{ptr, len}` view of an array of points that
//! the bulk operations (`points`) read.

use std::marker::PhantomData;

use super::boundary;
use super::failure::Failure;
use super::pointers;
use crate::core::point::Point;

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
    pub(super) unsafe fn points(&self) -> Result<&'a [Point], Failure> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::c_abi::last_error::last_failure;

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
}

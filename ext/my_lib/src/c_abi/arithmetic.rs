//! 32-bit addition with each overflow behaviour chosen explicitly.

use super::boundary;
use super::pointers;
use super::status::MyLibStatus;
use crate::core::arithmetic as core_arithmetic;

/// `a + b` in two's complement: `INT32_MAX + 1` is `INT32_MIN`, in every build.
///
/// Never fails. Ownership: nothing to free. Thread-safety: thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn my_lib_wrapping_add(a: i32, b: i32) -> i32 {
    wrapping_add(a, b)
}

/// The body of [`my_lib_wrapping_add`], for the library's own callers (the
/// tutorial alias), which must not call the exported symbol: see
/// "Interposition" in the `c_abi` module documentation.
pub(crate) fn wrapping_add(a: i32, b: i32) -> i32 {
    // Fallback 0: only reachable if my_lib panicked (last error
    // MY_LIB_STATUS_PANIC).
    boundary::value_or(0, || Ok(core_arithmetic::wrapping_add(a, b)))
}

/// `a + b` clamped to `INT32_MIN..INT32_MAX`: `INT32_MAX + 1` is `INT32_MAX`.
///
/// Never fails, so a clamped result is indistinguishable from an exact one;
/// use `my_lib_checked_add` to detect overflow. Ownership: nothing to free.
/// Thread-safety: thread-safe.
#[unsafe(no_mangle)]
pub extern "C" fn my_lib_saturating_add(a: i32, b: i32) -> i32 {
    saturating_add(a, b)
}

/// The body of [`my_lib_saturating_add`], for the library's own callers (the
/// tutorial alias), which must not call the exported symbol: see
/// "Interposition" in the `c_abi` module documentation.
pub(crate) fn saturating_add(a: i32, b: i32) -> i32 {
    // Fallback 0: only reachable if my_lib panicked (last error
    // MY_LIB_STATUS_PANIC).
    boundary::value_or(0, || Ok(core_arithmetic::saturating_add(a, b)))
}

/// Stores the exact sum `a + b` in `*out_sum`.
///
/// Returns `MY_LIB_STATUS_OK`; `MY_LIB_STATUS_OVERFLOW` when the sum does not
/// fit in an `int32_t`; `MY_LIB_STATUS_NULL_POINTER` when `out_sum` is NULL
/// (`MY_LIB_STATUS_INVALID_ARGUMENT` when misaligned). On failure `*out_sum`
/// is left unchanged.
///
/// Ownership: `out_sum` stays the caller's. Thread-safety: thread-safe.
///
/// # Safety
///
/// `out_sum` is NULL or points to an `int32_t` the caller may write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn my_lib_checked_add(a: i32, b: i32, out_sum: *mut i32) -> MyLibStatus {
    boundary::status(|| {
        let out_sum = pointers::required(out_sum, "out_sum")?;
        let sum = core_arithmetic::checked_add(a, b)?;
        // SAFETY: `out_sum` is non-NULL and aligned (checked), and the caller
        // guarantees it points to a writable int32_t.
        unsafe { out_sum.write(sum) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::c_abi::last_error::last_failure;
    use std::ptr;

    #[test]
    fn wrapping_add_wraps() {
        assert_eq!(my_lib_wrapping_add(2, 3), 5);
        assert_eq!(my_lib_wrapping_add(i32::MAX, 1), i32::MIN);
        assert_eq!(my_lib_wrapping_add(i32::MIN, -1), i32::MAX);
        assert_eq!(last_failure(), None);
    }

    #[test]
    fn saturating_add_clamps() {
        assert_eq!(my_lib_saturating_add(-2, 3), 1);
        assert_eq!(my_lib_saturating_add(i32::MAX, 1), i32::MAX);
        assert_eq!(my_lib_saturating_add(i32::MIN, -1), i32::MIN);
        assert_eq!(last_failure(), None);
    }

    #[test]
    fn checked_add_stores_the_sum() {
        let mut sum = 0;
        // SAFETY: `sum` is a live, writable i32.
        let status = unsafe { my_lib_checked_add(40, 2, &mut sum) };
        assert_eq!((status, sum), (MyLibStatus::Ok, 42));
        assert_eq!(last_failure(), None);
    }

    #[test]
    fn checked_add_reports_overflow_and_leaves_the_output_alone() {
        let mut sum = 7;
        // SAFETY: `sum` is a live, writable i32.
        let status = unsafe { my_lib_checked_add(i32::MAX, 1, &mut sum) };
        assert_eq!((status, sum), (MyLibStatus::Overflow, 7));
        let failure = last_failure().unwrap();
        assert_eq!(failure.status, MyLibStatus::Overflow);
        assert!(
            failure
                .message
                .contains("overflows a 32-bit signed integer")
        );
    }

    #[test]
    fn checked_add_rejects_a_null_output() {
        // SAFETY: NULL is allowed by the contract (and rejected).
        let status = unsafe { my_lib_checked_add(1, 2, ptr::null_mut()) };
        assert_eq!(status, MyLibStatus::NullPointer);
        assert_eq!(last_failure().unwrap().message, "out_sum is NULL");
    }
}

//! The six functions of the tutorial, under their tutorial names and call
//! shapes, as thin aliases of the `my_lib_` API, so its callers keep working.
//!
//! They exist only in the standalone C library, `libmy_lib.so` built without
//! Ruby and with the cargo feature `tutorial-aliases` (`rake c_abi:lib`),
//! never in the Ruby extension: Ruby loads extensions with `RTLD_GLOBAL`, so
//! every name the extension exports is visible to the whole process, where
//! generic names like these could collide with another library's symbols of
//! the same name. Code that reaches the C API through the Ruby extension
//! (ruby-ffi, say) calls the `my_lib_` names. The crate's unit tests compile
//! this module whatever the features, to test it.
//!
//! Their behaviour is defined for every input, unlike the tutorial's code:
//! the greeting is NUL-terminated, a buffer is freed with the layout it was
//! allocated with, sizes that cannot be allocated give NULL, strings are
//! `c_char`, and no result doubles as an error sentinel. New code should call
//! the `my_lib_` names.
//!
//! Each alias calls the non-exported body of its `my_lib_` function, never
//! the exported symbol: a call through the symbol would be bound by the
//! dynamic linker, and in a process that also loaded the Ruby extension it
//! would run the extension's copy, whose last error is not this library's
//! (see "Interposition" in the `c_abi` module documentation).

use std::ffi::c_char;
use std::ptr::{self, NonNull};

use super::{arithmetic, boundary, buffer, point, text};
use crate::core::point::Point;

/// Tutorial alias of `my_lib_wrapping_add`: `a + b`, wrapping on overflow
/// (`INT32_MAX + 1` is `INT32_MIN`) in every build.
///
/// Never fails. Ownership: nothing to free. Thread-safety: thread-safe.
///
/// Exported only by the standalone C library libmy_lib.so, not by the Ruby
/// extension.
#[unsafe(no_mangle)]
pub extern "C" fn add_numbers(a: i32, b: i32) -> i32 {
    arithmetic::wrapping_add(a, b)
}

/// Tutorial alias of `my_lib_greeting`: the static, NUL-terminated greeting
/// "Hello from Rust".
///
/// Ownership: static; do not free it. Lifetime: as long as the library is
/// loaded. Thread-safety: thread-safe.
///
/// Exported only by the standalone C library libmy_lib.so, not by the Ruby
/// extension.
#[unsafe(no_mangle)]
pub extern "C" fn get_greeting() -> *const c_char {
    text::greeting()
}

/// Tutorial alias of `my_lib_buffer_alloc`: a buffer of `size` zero bytes,
/// 16-byte aligned, or NULL when `size` is 0 or the memory cannot be had
/// (huge sizes included: this never aborts); the last error says which.
///
/// Ownership: the buffer belongs to the caller, who must release it exactly
/// once with `free_buffer` (or `my_lib_buffer_free`), never with `free`.
/// Lifetime: until freed. Thread-safety: thread-safe.
///
/// Exported only by the standalone C library libmy_lib.so, not by the Ruby
/// extension.
#[unsafe(no_mangle)]
pub extern "C" fn allocate_buffer(size: usize) -> *mut u8 {
    boundary::value_or(ptr::null_mut(), || {
        buffer::allocate(size).map(NonNull::as_ptr)
    })
}

/// Tutorial alias of `my_lib_buffer_free`: releases a buffer from
/// `allocate_buffer`, exactly the memory that was allocated. NULL is a no-op.
///
/// Ownership: takes the buffer back; it is invalid afterwards. Thread-safety:
/// thread-safe, for distinct buffers; no other thread may be using this one.
///
/// Exported only by the standalone C library libmy_lib.so, not by the Ruby
/// extension.
///
/// # Safety
///
/// `ptr` is NULL, or a buffer from `allocate_buffer` or
/// `my_lib_buffer_alloc` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn free_buffer(ptr: *mut u8) {
    // SAFETY: this function's contract is my_lib_buffer_free's, which is
    // buffer_free's.
    unsafe { buffer::buffer_free(ptr) }
}

/// Tutorial alias of `my_lib_point_new`: the point `(x, y)`, by value.
///
/// Never fails. Ownership: a plain value; nothing to free. Thread-safety:
/// thread-safe.
///
/// Exported only by the standalone C library libmy_lib.so, not by the Ruby
/// extension.
#[unsafe(no_mangle)]
pub extern "C" fn make_point(x: f64, y: f64) -> Point {
    point::point_new(x, y)
}

/// Tutorial alias of `my_lib_saturating_add`: `a + b` clamped to
/// `INT32_MIN..INT32_MAX`. Unlike the tutorial's version, it has no error
/// sentinel (-1 is an ordinary sum): it cannot fail. To detect overflow, call
/// `my_lib_checked_add`, which returns `MY_LIB_STATUS_OVERFLOW`.
///
/// Ownership: nothing to free. Thread-safety: thread-safe.
///
/// Exported only by the standalone C library libmy_lib.so, not by the Ruby
/// extension.
#[unsafe(no_mangle)]
pub extern "C" fn safe_add(a: i32, b: i32) -> i32 {
    arithmetic::saturating_add(a, b)
}

// The tutorial's call shapes, checked at compile time: `c_char` stands for
// its `i8`, and `free_buffer` is unsafe to call from Rust because it takes a
// pointer to free (the C ABI is the same).
const _: extern "C" fn(i32, i32) -> i32 = add_numbers;
const _: extern "C" fn() -> *const c_char = get_greeting;
const _: extern "C" fn(usize) -> *mut u8 = allocate_buffer;
const _: unsafe extern "C" fn(*mut u8) = free_buffer;
const _: extern "C" fn(f64, f64) -> Point = make_point;
const _: extern "C" fn(i32, i32) -> i32 = safe_add;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::c_abi::buffer::my_lib_buffer_len;
    use crate::c_abi::last_error::last_failure;
    use crate::c_abi::status::MyLibStatus;
    use std::ffi::CStr;

    #[test]
    fn add_numbers_wraps() {
        assert_eq!(add_numbers(2, 3), 5);
        assert_eq!(add_numbers(i32::MAX, 1), i32::MIN);
    }

    #[test]
    fn safe_add_saturates_and_has_no_sentinel() {
        assert_eq!(safe_add(-3, 2), -1);
        assert_eq!(safe_add(i32::MAX, 1), i32::MAX);
        assert_eq!(safe_add(i32::MIN, -1), i32::MIN);
        assert_eq!(last_failure(), None);
    }

    #[test]
    fn get_greeting_is_nul_terminated() {
        // SAFETY: get_greeting returns a static NUL-terminated string.
        assert_eq!(
            unsafe { CStr::from_ptr(get_greeting()) },
            c"Hello from Rust"
        );
    }

    #[test]
    fn make_point_returns_the_point() {
        assert_eq!(make_point(3.0, -4.0), Point::new(3.0, -4.0));
    }

    #[test]
    fn allocate_and_free_buffer_round_trip() {
        for size in [1, 3, 64] {
            let buffer = allocate_buffer(size);
            assert!(!buffer.is_null());
            // SAFETY: `buffer` is live, with `size` writable bytes.
            unsafe {
                assert_eq!(my_lib_buffer_len(buffer), size);
                buffer.add(size - 1).write(0xAB);
                // Miri checks that this frees with the allocation's layout.
                free_buffer(buffer);
            }
        }
        // SAFETY: NULL is a no-op.
        unsafe { free_buffer(ptr::null_mut()) };
    }

    #[test]
    fn allocate_buffer_returns_null_for_zero_and_absurd_sizes() {
        assert!(allocate_buffer(0).is_null());
        assert_eq!(last_failure().unwrap().status, MyLibStatus::InvalidArgument);
        assert!(allocate_buffer(usize::MAX).is_null());
        assert_eq!(
            last_failure().unwrap().status,
            MyLibStatus::AllocationFailed
        );
    }
}

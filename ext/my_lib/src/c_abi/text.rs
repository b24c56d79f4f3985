//! Strings in and out: the static greeting, and an owned personal greeting
//! that the host gives back to `my_lib_string_free`.

use std::ffi::{CString, c_char};
use std::ptr;

use super::boundary;
use super::pointers;
use crate::core::text::{GREETING_C, greet, to_utf8};

/// The greeting "Hello from Rust", NUL-terminated.
///
/// Ownership: static; do not free it. Lifetime: as long as the library is
/// loaded. Thread-safety: thread-safe. Never fails (NULL only if my_lib
/// panicked, with last error `MY_LIB_STATUS_PANIC`).
#[unsafe(no_mangle)]
pub extern "C" fn my_lib_greeting() -> *const c_char {
    greeting()
}

/// The body of [`my_lib_greeting`], for the library's own callers (the
/// tutorial alias), which must not call the exported symbol: see
/// "Interposition" in the `c_abi` module documentation.
pub(crate) fn greeting() -> *const c_char {
    boundary::value_or(ptr::null(), || Ok(GREETING_C.as_ptr()))
}

/// A new NUL-terminated UTF-8 string, `Hello, <name>!`.
///
/// Returns NULL on failure, with the reason as the last error:
/// `MY_LIB_STATUS_NULL_POINTER` when `name` is NULL,
/// `MY_LIB_STATUS_INVALID_UTF8` when `name` is not UTF-8 (the message gives
/// the byte offset).
///
/// Ownership: `name` stays the caller's and is only read during the call. The
/// result belongs to the caller, who must release it exactly once with
/// `my_lib_string_free` (not `free`), and must not write into it. Lifetime:
/// until freed. Thread-safety: thread-safe.
///
/// # Safety
///
/// `name` is NULL or points to a NUL-terminated string that no other thread
/// writes during the call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn my_lib_greet(name: *const c_char) -> *mut c_char {
    boundary::value_or(ptr::null_mut(), || {
        // SAFETY: the caller guarantees that a non-NULL `name` is a
        // NUL-terminated string left unmodified during this call, which is
        // as long as the borrow lasts.
        let name = unsafe { pointers::c_str(name, "name") }?;
        let greeting = greet(to_utf8(name.to_bytes())?);
        let greeting =
            CString::new(greeting).expect("a greeting has no NUL: the name came from a C string");
        Ok(greeting.into_raw())
    })
}

/// Releases a string returned by `my_lib_greet`. NULL is a no-op.
///
/// Ownership: takes the string back; the pointer is invalid afterwards.
/// Thread-safety: thread-safe, for distinct strings; any thread may free a
/// string made by another.
///
/// # Safety
///
/// `string` is NULL, or a pointer returned by `my_lib_greet` that has not
/// been freed yet and whose bytes were not modified.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn my_lib_string_free(string: *mut c_char) {
    boundary::value_or((), || {
        if !string.is_null() {
            // SAFETY: the caller guarantees `string` came from
            // `CString::into_raw` in `my_lib_greet`, unmodified (so its
            // length is unchanged) and not yet freed; ownership returns here.
            drop(unsafe { CString::from_raw(string) });
        }
        Ok(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::c_abi::last_error::last_failure;
    use crate::c_abi::status::MyLibStatus;
    use std::ffi::CStr;

    #[test]
    fn the_greeting_is_static_and_nul_terminated() {
        let greeting = my_lib_greeting();
        assert_eq!(greeting, my_lib_greeting());
        // SAFETY: my_lib_greeting returns a static NUL-terminated string.
        assert_eq!(unsafe { CStr::from_ptr(greeting) }, c"Hello from Rust");
    }

    #[test]
    fn greet_returns_an_owned_string_freed_by_the_library() {
        for (name, expected) in [(c"Ruby", c"Hello, Ruby!"), (c"", c"Hello, !")] {
            // SAFETY: `name` is a static C string.
            let greeting = unsafe { my_lib_greet(name.as_ptr()) };
            assert!(!greeting.is_null());
            // SAFETY: `greeting` is a live string returned by my_lib_greet.
            assert_eq!(unsafe { CStr::from_ptr(greeting) }, expected);
            // SAFETY: freed once, unmodified.
            unsafe { my_lib_string_free(greeting) };
        }
        let name = "日本\0";
        // SAFETY: `name` is NUL-terminated and outlives the call.
        let greeting = unsafe { my_lib_greet(name.as_ptr().cast()) };
        // SAFETY: `greeting` is a live string returned by my_lib_greet.
        let text = unsafe { CStr::from_ptr(greeting) }.to_str().unwrap();
        assert_eq!(text, "Hello, 日本!");
        // SAFETY: freed once, unmodified.
        unsafe { my_lib_string_free(greeting) };
    }

    #[test]
    fn greet_rejects_null_and_invalid_utf8() {
        // SAFETY: NULL is allowed by the contract (and rejected).
        assert!(unsafe { my_lib_greet(ptr::null()) }.is_null());
        assert_eq!(last_failure().unwrap().status, MyLibStatus::NullPointer);

        // SAFETY: a NUL-terminated byte string literal, static.
        let greeting = unsafe { my_lib_greet(c"ok\xFF".as_ptr()) };
        assert!(greeting.is_null());
        let failure = last_failure().unwrap();
        assert_eq!(failure.status, MyLibStatus::InvalidUtf8);
        assert_eq!(
            failure.message,
            "invalid UTF-8 byte sequence \\xFF at byte 2"
        );
    }

    #[test]
    fn freeing_null_is_a_no_op() {
        // SAFETY: NULL is allowed by the contract.
        unsafe { my_lib_string_free(ptr::null_mut()) };
        assert_eq!(last_failure(), None);
    }
}

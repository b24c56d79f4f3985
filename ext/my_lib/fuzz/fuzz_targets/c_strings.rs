//! The C functions that take or return strings: `my_lib_greet` on arbitrary
//! bytes (invalid UTF-8 and interior NULs included), `my_lib_string_free`,
//! the last-error readers, and the static strings.
//!
//! Contract checked: a C string ends at its first NUL, so the name is the
//! input up to its first NUL byte; if that is UTF-8, the result is a new
//! string `Hello, <name>!` (round-tripping the name byte for byte) and the
//! last error is cleared; otherwise NULL, `MY_LIB_STATUS_INVALID_UTF8`, and
//! the message naming the first bad sequence and its offset. NULL gives
//! `MY_LIB_STATUS_NULL_POINTER`. Every string returned is freed once, so
//! LeakSanitizer catches a leak and ASan a bad free.

#![no_main]

mod common;

use std::ffi::CStr;
use std::ptr;

use libfuzzer_sys::fuzz_target;
use my_lib::c_abi::status::MyLibStatus;
use my_lib::c_abi::text::{my_lib_greet, my_lib_greeting, my_lib_string_free};
use my_lib::c_abi::tutorial::get_greeting;
use my_lib::c_abi::version::my_lib_version;

fuzz_target!(|data: &[u8]| {
    // The C string a host would pass: a NUL-terminated copy of the input,
    // which C reads up to its first NUL.
    let mut c_string = data.to_vec();
    c_string.push(0);
    let name = &data[..data.iter().position(|&b| b == 0).unwrap_or(data.len())];

    // SAFETY: `c_string` is NUL-terminated and outlives the call.
    let greeting = unsafe { my_lib_greet(c_string.as_ptr().cast()) };
    match std::str::from_utf8(name) {
        Ok(name) => {
            assert!(
                !greeting.is_null(),
                "greet failed on UTF-8: {:?}",
                common::last_error()
            );
            assert_eq!(common::last_error(), None);
            // SAFETY: a non-NULL result is a live NUL-terminated string.
            let text = unsafe { CStr::from_ptr(greeting) }.to_bytes();
            assert_eq!(text, format!("Hello, {name}!").as_bytes());
            // SAFETY: returned by my_lib_greet, unmodified, freed once.
            unsafe { my_lib_string_free(greeting) };
            assert_eq!(common::last_error(), None);
        }
        Err(_) => {
            assert!(
                greeting.is_null(),
                "greet accepted bytes that are not UTF-8"
            );
            let message = common::invalid_utf8_message(name).unwrap();
            common::assert_last_error(MyLibStatus::InvalidUtf8, &message);
        }
    }

    // SAFETY: NULL is allowed by both contracts.
    unsafe {
        assert!(my_lib_greet(ptr::null()).is_null());
        common::assert_last_error(MyLibStatus::NullPointer, "name is NULL");
        my_lib_string_free(ptr::null_mut());
        assert_eq!(common::last_error(), None);
    }

    // The static strings: the same pointer every time, never freed.
    let greeting = my_lib_greeting();
    assert_eq!(greeting, get_greeting());
    // SAFETY: static NUL-terminated strings.
    unsafe {
        assert_eq!(CStr::from_ptr(greeting), c"Hello from Rust");
        assert_eq!(
            CStr::from_ptr(my_lib_version()).to_str(),
            Ok(my_lib::core::VERSION)
        );
    }
    assert_eq!(common::last_error(), None);
});

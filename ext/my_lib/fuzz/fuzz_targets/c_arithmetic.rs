//! The 32-bit additions, each against the std operation it documents, and
//! `my_lib_checked_add`'s output pointer (valid, NULL, misaligned).
//!
//! Contract checked: wrapping and saturating add (and the tutorial's
//! `add_numbers`, `safe_add`) equal `i32::wrapping_add`/`saturating_add` and
//! never fail; `my_lib_checked_add` agrees with `i32::checked_add`, storing
//! the sum with `MY_LIB_STATUS_OK`, or returning `MY_LIB_STATUS_OVERFLOW`
//! with the documented message and the output untouched; a NULL output is
//! `MY_LIB_STATUS_NULL_POINTER` and a misaligned one
//! `MY_LIB_STATUS_INVALID_ARGUMENT`, whatever the operands, also untouched.

#![no_main]

mod common;

use std::ptr;

use libfuzzer_sys::fuzz_target;
use my_lib::c_abi::arithmetic::{my_lib_checked_add, my_lib_saturating_add, my_lib_wrapping_add};
use my_lib::c_abi::status::MyLibStatus;
use my_lib::c_abi::tutorial::{add_numbers, safe_add};

fuzz_target!(|input: (i32, i32, i32)| {
    let (a, b, sentinel) = input;

    assert_eq!(my_lib_wrapping_add(a, b), a.wrapping_add(b));
    assert_eq!(common::last_error(), None);
    assert_eq!(add_numbers(a, b), a.wrapping_add(b));
    assert_eq!(my_lib_saturating_add(a, b), a.saturating_add(b));
    assert_eq!(common::last_error(), None);
    assert_eq!(safe_add(a, b), a.saturating_add(b));
    assert_eq!(common::last_error(), None);

    let mut sum = sentinel;
    // SAFETY: `sum` is a live, writable i32.
    let status = unsafe { my_lib_checked_add(a, b, &mut sum) };
    match a.checked_add(b) {
        Some(exact) => {
            common::assert_ok(status);
            assert_eq!(sum, exact);
        }
        None => {
            let message =
                format!("{a} + {b} overflows a 32-bit signed integer (-2147483648 to 2147483647)");
            common::assert_failed(status, MyLibStatus::Overflow, &message);
            assert_eq!(sum, sentinel, "a failed checked_add wrote its output");
        }
    }

    // SAFETY: NULL is allowed by the contract (and rejected).
    let status = unsafe { my_lib_checked_add(a, b, ptr::null_mut()) };
    common::assert_failed(status, MyLibStatus::NullPointer, "out_sum is NULL");

    // A misaligned output inside a live array: rejected before any write.
    let mut words = [sentinel; 2];
    let offset = 1 + (sentinel as u32 % 3) as usize; // 1, 2 or 3 bytes in
    let misaligned = words
        .as_mut_ptr()
        .cast::<u8>()
        .wrapping_add(offset)
        .cast::<i32>();
    // SAFETY: the misaligned pointer is rejected before use.
    let status = unsafe { my_lib_checked_add(a, b, misaligned) };
    common::assert_failed(
        status,
        MyLibStatus::InvalidArgument,
        "out_sum is not aligned to 4 bytes",
    );
    assert_eq!(words, [sentinel; 2]);
});

//! What every target checks after a call: the thread's last error, read back
//! through the two exported readers exactly as a C host reads it.

#![allow(dead_code)] // Each target uses a subset.

use std::ffi::CStr;

use my_lib::c_abi::last_error::{my_lib_last_error_message, my_lib_last_error_status};
use my_lib::c_abi::status::MyLibStatus;

/// The thread's last error, `None` after a successful call. Also asserts the
/// readers' own contract: status and message agree (a message exactly when
/// the status is not OK), the message is UTF-8, and reading changes nothing.
pub fn last_error() -> Option<(MyLibStatus, String)> {
    let status = my_lib_last_error_status();
    let message = my_lib_last_error_message();
    if message.is_null() {
        assert_eq!(
            status,
            MyLibStatus::Ok,
            "a failure status without a message"
        );
        return None;
    }
    assert_ne!(
        status,
        MyLibStatus::Ok,
        "a message without a failure status"
    );
    // SAFETY: a non-NULL message is NUL-terminated and valid until the next
    // my_lib call other than the two readers.
    let text = unsafe { CStr::from_ptr(message) }
        .to_str()
        .expect("last-error messages are UTF-8")
        .to_owned();
    assert_eq!(
        my_lib_last_error_status(),
        status,
        "reading changed the status"
    );
    assert_eq!(
        my_lib_last_error_message(),
        message,
        "reading moved the message"
    );
    Some((status, text))
}

/// The call succeeded: it returned `MY_LIB_STATUS_OK` and cleared the last error.
#[track_caller]
pub fn assert_ok(returned: MyLibStatus) {
    assert_eq!(returned, MyLibStatus::Ok);
    assert_eq!(last_error(), None);
}

/// The call failed with `status` and recorded it, with exactly `message`, as
/// the last error.
#[track_caller]
pub fn assert_failed(returned: MyLibStatus, status: MyLibStatus, message: &str) {
    assert_eq!(returned, status);
    assert_eq!(last_error(), Some((status, message.to_owned())));
}

/// Like [`assert_failed`], for functions that report failure through their
/// return value (NULL, 0): only the last error is checked.
#[track_caller]
pub fn assert_last_error(status: MyLibStatus, message: &str) {
    assert_eq!(last_error(), Some((status, message.to_owned())));
}

/// `a` and `b` are the same `f64` for a caller: equal, or both NaN.
pub fn same_f64(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

/// The documented message for bytes that are not UTF-8, built from std's
/// verdict independently of my_lib: `invalid UTF-8 byte sequence \xC3 at byte 2`.
pub fn invalid_utf8_message(bytes: &[u8]) -> Option<String> {
    let error = std::str::from_utf8(bytes).err()?;
    let position = error.valid_up_to();
    let bad = error.error_len().unwrap_or(bytes.len() - position);
    let hex: String = bytes[position..position + bad]
        .iter()
        .map(|byte| format!(" \\x{byte:02X}"))
        .collect();
    Some(format!(
        "invalid UTF-8 byte sequence{hex} at byte {position}"
    ))
}

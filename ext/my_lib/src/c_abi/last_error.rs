//! The calling thread's last error: the status and message of the most recent
//! failed call, readable by the host.
//!
//! Every exported function except the two readers below clears it on entry
//! (through the `boundary` module), so after any call it describes that call:
//! nothing if it succeeded, its failure otherwise. It is per thread, so
//! threads never see each other's errors and need no locking.
//!
//! Recording never panics (so it is safe outside the panic boundary): the
//! error lives in a `RefCell` reached with `try_with` and `try_borrow*`, and a
//! failed access, which nothing here can cause, is skipped. Once recorded,
//! an error is never moved, only read in place and eventually dropped, so the
//! message pointer handed to the host stays valid until then (moving the
//! `CString` would retag its box and invalidate that pointer, as Miri shows).

use std::cell::RefCell;
use std::ffi::{CString, c_char};
use std::ptr;

use super::boundary;
use super::failure::Failure;
use super::status::MyLibStatus;

struct LastError {
    status: MyLibStatus,
    /// NUL-terminated, for the host.
    message: CString,
}

thread_local! {
    static LAST_ERROR: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

/// Replaces the thread's last error, dropping the previous one. Does nothing
/// while the thread's locals are being destroyed (a host calling us from a
/// thread-exit destructor).
fn replace(new: Option<LastError>) {
    let _ = LAST_ERROR.try_with(|cell| {
        if let Ok(mut current) = cell.try_borrow_mut() {
            *current = new;
        }
    });
}

/// `read` applied to the thread's last error in place, or `none` if there is
/// no error.
fn inspect<R>(none: R, read: impl FnOnce(&LastError) -> R) -> R {
    LAST_ERROR
        .try_with(|cell| {
            let current = cell.try_borrow().ok()?;
            current.as_ref().map(read)
        })
        .ok()
        .flatten()
        .unwrap_or(none)
}

/// Forgets the thread's last error.
pub(crate) fn clear() {
    replace(None);
}

/// Makes `failure` the thread's last error. A NUL inside its message (which
/// C could not see past) is written as `\0`.
pub(crate) fn record(failure: Failure) {
    let message = CString::new(failure.message.replace('\0', "\\0")).unwrap_or_default();
    replace(Some(LastError {
        status: failure.status,
        message,
    }));
}

/// The status of the calling thread's most recent my_lib call:
/// `MY_LIB_STATUS_OK` if it succeeded (or no call was made yet), its failure
/// status otherwise. Use it after a function that returns NULL or a fallback
/// value, to learn why.
///
/// Ownership: nothing to free. Thread-safety: thread-safe; each thread has its
/// own last error. Calling it does not change the last error.
#[unsafe(no_mangle)]
pub extern "C" fn my_lib_last_error_status() -> MyLibStatus {
    boundary::keeping_last_error(MyLibStatus::Ok, || {
        inspect(MyLibStatus::Ok, |error| error.status)
    })
}

/// The message of the calling thread's last error, as a NUL-terminated UTF-8
/// string, or NULL when the most recent my_lib call on this thread succeeded.
///
/// Ownership: the string belongs to my_lib; do not free it. Lifetime: valid
/// until the next call on this thread to any my_lib function other than
/// `my_lib_last_error_status` and `my_lib_last_error_message`, or until the
/// thread exits; copy it to keep it. Thread-safety: thread-safe; each thread
/// has its own last error. Calling it does not change the last error.
#[unsafe(no_mangle)]
pub extern "C" fn my_lib_last_error_message() -> *const c_char {
    boundary::keeping_last_error(ptr::null(), || {
        inspect(ptr::null(), |error| error.message.as_ptr())
    })
}

/// The thread's last error read back through the exported functions, as a
/// host sees it, for the tests of every module.
#[cfg(test)]
pub(crate) fn last_failure() -> Option<Failure> {
    let message = my_lib_last_error_message();
    if message.is_null() {
        assert_eq!(my_lib_last_error_status(), MyLibStatus::Ok);
        return None;
    }
    // SAFETY: a non-NULL message points at the NUL-terminated CString of the
    // thread's last error, which no call in between has replaced.
    let message = unsafe { std::ffi::CStr::from_ptr(message) };
    Some(Failure {
        status: my_lib_last_error_status(),
        message: message.to_str().expect("messages are UTF-8").to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_starts_without_an_error() {
        std::thread::spawn(|| {
            assert_eq!(my_lib_last_error_status(), MyLibStatus::Ok);
            assert!(my_lib_last_error_message().is_null());
        })
        .join()
        .unwrap();
    }

    #[test]
    fn record_then_read_back_then_clear() {
        let failure = Failure::null_pointer("name");
        record(failure.clone());
        assert_eq!(last_failure(), Some(failure.clone()));
        // Reading does not consume it, and the pointer stays the same.
        assert_eq!(my_lib_last_error_message(), my_lib_last_error_message());
        assert_eq!(last_failure(), Some(failure));
        clear();
        assert_eq!(last_failure(), None);
    }

    #[test]
    fn interior_nul_is_escaped_not_truncated() {
        record(Failure::invalid_argument("a\0b"));
        assert_eq!(last_failure().unwrap().message, "a\\0b");
        clear();
    }

    #[test]
    fn errors_are_per_thread() {
        record(Failure::invalid_argument("main thread"));
        std::thread::spawn(|| {
            assert_eq!(last_failure(), None);
            record(Failure::invalid_argument("other thread"));
        })
        .join()
        .unwrap();
        assert_eq!(last_failure().unwrap().message, "main thread");
        clear();
    }
}

//! The library's version, for hosts to check what they loaded.

use std::ffi::c_char;
use std::ptr;

use super::boundary;
use crate::core::VERSION_C;

/// The library's version, "MAJOR.MINOR.PATCH" (for example "0.1.0"),
/// NUL-terminated; the same as the Ruby gem's `MyLib::VERSION`.
///
/// Ownership: static; do not free it. Lifetime: as long as the library is
/// loaded. Thread-safety: thread-safe. Never fails (NULL only if my_lib
/// panicked, with last error `MY_LIB_STATUS_PANIC`).
#[unsafe(no_mangle)]
pub extern "C" fn my_lib_version() -> *const c_char {
    boundary::value_or(ptr::null(), || Ok(VERSION_C.as_ptr()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CStr;

    #[test]
    fn version_is_the_crate_version() {
        // SAFETY: my_lib_version returns a static NUL-terminated string.
        let version = unsafe { CStr::from_ptr(my_lib_version()) };
        assert_eq!(version.to_str(), Ok(crate::core::VERSION));
    }
}

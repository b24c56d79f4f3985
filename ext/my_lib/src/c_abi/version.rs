//! The library's version, for hosts to check what they loaded.

use std::ffi::{CStr, c_char};
use std::ptr;

use super::boundary;

/// [`crate::core::VERSION`], NUL-terminated.
const VERSION_C: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(version) => version,
        Err(_) => panic!("the package version contains a NUL"),
    };

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

    #[test]
    fn version_is_the_crate_version() {
        // SAFETY: my_lib_version returns a static NUL-terminated string.
        let version = unsafe { CStr::from_ptr(my_lib_version()) };
        assert_eq!(version.to_str(), Ok(crate::core::VERSION));
    }
}

//! The pure-Rust core of my_lib: no FFI, no Ruby.
//!
//! Both surfaces, [`crate::c_abi`] and the Ruby extension, are thin
//! translations over these modules; every rule about numbers, points, bytes
//! and text lives here once, with its unit tests, and runs under Miri.

use std::ffi::CStr;

pub mod arithmetic;
pub mod buffer;
pub mod cancel;
pub mod point;
pub mod points;
pub mod set_once;
pub mod sized_alloc;
#[cfg(test)]
pub(crate) mod test_random;
pub mod text;
pub mod unwind;

/// The library's version, as in `ext/my_lib/Cargo.toml` (and `MyLib::VERSION`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// [`VERSION`] with its NUL terminator, for C callers. Static.
pub const VERSION_C: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(version) => version,
        Err(_) => panic!("the package version contains a NUL"),
    };

#[cfg(test)]
mod tests {
    #[test]
    fn version_c_is_the_version_nul_terminated() {
        assert_eq!(super::VERSION_C.to_str(), Ok(super::VERSION));
    }

    #[test]
    fn version_is_semver() {
        let parts: Vec<&str> = super::VERSION.split('.').collect();
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| p.parse::<u32>().is_ok()));
    }
}

//! The C ABI over [`crate::core`], described by the generated header
//! `include/my_lib.h` (see `ext/my_lib/cbindgen.toml`).
//!
//! The rules every exported function follows, stated once here and in the
//! header's preamble:
//!
//! * **Names.** The API carries the `my_lib_` prefix, because Ruby loads
//!   extensions with `RTLD_GLOBAL` and every exported name is visible to the
//!   whole process. The six names of the tutorial (`add_numbers`,
//!   `get_greeting`, `allocate_buffer`, `free_buffer`, `make_point`,
//!   `safe_add`) are thin aliases in `tutorial`, compiled only with the cargo
//!   feature `tutorial-aliases`: the standalone C library `libmy_lib.so`
//!   (`rake c_abi:lib`) exports them, the Ruby extension never does, so that
//!   they cannot collide with another library's symbols of the same name in
//!   a Ruby process. (The crate's unit tests always compile them, to test
//!   them.)
//! * **Interposition.** No function of the library calls an exported
//!   `my_lib_` function (or a tutorial alias) by its exported name: an
//!   exported function that the library itself needs is a one-line wrapper
//!   over a non-exported `pub(crate)` body in its module, which the
//!   library's own callers, the aliases, call. A call by exported name would be a
//!   dynamic relocation, resolved by the dynamic linker process-wide: in a
//!   process that also loaded the Ruby extension (`RTLD_GLOBAL`, first), it
//!   would run the extension's copy, which records its failure in the
//!   extension's last error instead of this library's.
//!   `spec/c_abi/symbols_spec.rb` checks that neither library has such a
//!   relocation.
//! * **Errors.** A fallible function returns a [`status::MyLibStatus`], or a
//!   NULL pointer when it returns a pointer. Every call clears the calling
//!   thread's last error, and a failure records its status and message there
//!   ([`last_error`]).
//! * **Panics** never cross the boundary: the `boundary` module catches them, returns
//!   `MY_LIB_STATUS_PANIC` or the function's documented fallback value, and
//!   records the panic's message as the last error.
//! * **Pointers** are checked for NULL (and alignment) before use
//!   (the `pointers` module); what cannot be checked (that a non-NULL pointer is valid)
//!   is each function's documented `# Safety` contract.

pub mod arithmetic;
mod boundary;
pub mod buffer;
mod failure;
#[cfg(test)]
mod header;
pub mod last_error;
pub mod point;
mod pointers;
pub mod points;
pub mod status;
pub mod text;
// Not in the Ruby extension: see "Names" above and the feature in Cargo.toml.
#[cfg(any(test, feature = "tutorial-aliases"))]
pub mod tutorial;
pub mod version;

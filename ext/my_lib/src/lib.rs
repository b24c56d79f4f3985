//! my_lib: a Rust core with two surfaces.
//!
//! * [`core`]: pure Rust (points, byte buffers, text, arithmetic). No FFI,
//!   no Ruby; unit-tested and Miri-clean.
//! * [`c_abi`]: the `extern "C"` API over `core`, described by the generated
//!   header `include/my_lib.h`, for C, Python, Java, C#… hosts.
//! * `ruby` (cargo feature `ruby`, on by default): the `MyLib` Ruby module,
//!   built with magnus over the same `core`.
//!
//! Dependencies point one way: `c_abi` and `ruby` use `core`, never each other.

pub mod c_abi;
pub mod core;
#[cfg(feature = "ruby")]
mod ruby;

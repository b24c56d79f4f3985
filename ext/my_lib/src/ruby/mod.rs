//! The `MyLib` Ruby module, built with magnus over [`crate::core`].
//!
//! One file per Ruby class or group of module functions; each has an `init`
//! that defines its methods. The layer only converts: the logic is in
//! [`crate::core`]. Three rules keep the boundary with Ruby sound.
//!
//! # 1. Panics stop at the guard, conversions included
//!
//! Every method body runs inside [`boundary::guard`], so a Rust panic
//! reaches Ruby as a rescuable `MyLib::PanicError` rather than magnus's
//! default, `fatal`, which ends the interpreter. Methods take their
//! arguments and `self` as plain `Value`s and convert them inside the guard
//! (see [`convert`]): typed parameters (`RString`, `&Buffer`, `Obj<Point>`)
//! would be converted by magnus before the guard runs.
//!
//! # 2. No Ruby call while a borrow or lock is held
//!
//! Any call into Ruby (a method call, even some C functions) may run Ruby
//! code or switch to another Ruby thread, which may then use the same object. So a `RefCell`
//! borrow (or any lock) covers plain Rust only: copy out what is needed
//! (a length, the bytes) and release it before converting, allocating or
//! building an error message. `MyLib::Buffer` enforces this with `Send`
//! closures; see [`buffer`].
//!
//! # 3. No Ruby exception jumps over a destructor
//!
//! A Ruby exception raised by the C API (`NoMemoryError` from any
//! allocation, `TypeError`, ...) is a `longjmp`: it skips the destructors of
//! the Rust frames it crosses (a `RefCell` guard, the guard's panic depth
//! count, `catch_unwind` itself), which is undefined behaviour. So every
//! C-API call that can raise runs either
//!
//! * under `rb_protect`, which returns the exception as an `Err`: magnus
//!   functions returning `Result<_, magnus::Error>` do that (`funcall`,
//!   `obj_alloc`, `RString::modify_expand`, `conv_enc`, `enc_associate`,
//!   `RHash::aset`, `TryConvert` of Strings and numbers, `Integer::to_i64`
//!   of a Bignum); the Strings this layer returns are made that way ([`convert::binary_string`],
//!   [`convert::utf8_string`]); or
//! * after the guard has returned, in a method's own frame holding only
//!   `Copy` values, where a `longjmp` skips nothing: the unprotected magnus
//!   constructors (`obj_wrap`, `hash_new`, `float_from_f64`, `to_symbol`),
//!   and magnus's conversion of the returned value (numbers, `bool`, tuples
//!   of `f64`; Strings are returned already made).
//!
//! Calls proven not to raise may run anywhere outside a borrow:
//! `rb_gc_adjust_memory_usage`, `rb_memhash`, `rb_str_cat` into capacity
//! already reserved, freezing a new object, reading a class or encoding.
//! `init` runs once at load, outside any guard, with only `Copy` values on
//! its frames.
//!
//! # 4. No user code in error messages and `inspect`
//!
//! Formatting a `Value` with `{}` calls its `to_s`, and magnus swallows
//! whatever that raises, an interrupt included (`Thread#raise`,
//! `Thread#kill`, `Timeout`). So messages name classes and print numbers
//! with [`describe`], which calls no Ruby method, and [`boundary::guard`]
//! makes each error's exception before returning it
//! ([`errors::materialize`]), so that an interrupt landing in
//! `TypeError.new` is returned instead of aborting the process.

mod arithmetic;
mod boundary;
mod buffer;
mod convert;
mod describe;
mod errors;
mod nogvl;
mod point;
mod points;
mod testing;
mod text;

use magnus::{Error, Module, Ruby};

/// Entry point Ruby calls on `require "my_lib/my_lib"` (`Init_my_lib`).
#[magnus::init]
fn init(ruby: &Ruby) -> Result<(), Error> {
    // SAFETY: called on the main Ruby thread, during `Init_my_lib`, before
    // any method is defined, as the C API requires. It declares every method
    // defined below callable from any Ractor, which holds because: module
    // functions touch no shared mutable state (the greeting is a frozen,
    // pinned String); `Point`s are frozen value objects; a `Buffer` is not
    // shareable, so only the Ractor that made it can reach it; and the error
    // classes are only read after this function has defined them.
    unsafe { rb_sys::rb_ext_ractor_safe(true) };

    let module = ruby.define_module("MyLib")?;
    module.const_set("NATIVE_VERSION", crate::core::VERSION)?;
    errors::init(ruby, module)?;
    text::init(ruby, module)?;
    arithmetic::init(module)?;
    point::init(ruby, module)?;
    buffer::init(ruby, module)?;
    points::init(ruby, module)?;
    testing::init(module)?;
    Ok(())
}

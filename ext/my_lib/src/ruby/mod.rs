//! The `MyLib` Ruby module, built with magnus over [`crate::core`].
//!
//! One file per Ruby class or group of module functions; each has an `init`
//! that defines its methods. Every method body runs inside
//! [`boundary::guard`], so a Rust panic reaches Ruby as a rescuable
//! `MyLib::PanicError` rather than magnus's default, `fatal`, which ends the
//! interpreter.

mod arithmetic;
mod boundary;
mod buffer;
mod convert;
mod errors;
mod point;
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
    testing::init(module)?;
    Ok(())
}

//! The `MyLib` Ruby module, built with magnus over [`crate::core`].

use magnus::{Error, Module, Ruby};

/// Entry point Ruby calls on `require "my_lib/my_lib"` (`Init_my_lib`).
#[magnus::init]
fn init(ruby: &Ruby) -> Result<(), Error> {
    let module = ruby.define_module("MyLib")?;
    module.const_set("NATIVE_VERSION", crate::core::VERSION)?;
    Ok(())
}

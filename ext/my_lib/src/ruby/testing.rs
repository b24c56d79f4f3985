//! `MyLib::Testing`: hooks for testing how the gem fails.

use magnus::{Error, RModule, RString, Ruby, TryConvert, Value, function, prelude::*};

use super::boundary::guard;

pub fn init(module: RModule) -> Result<(), Error> {
    let testing = module.define_module("Testing")?;
    testing.define_singleton_method("panic!", function!(panic, 1))?;
    Ok(())
}

/// `MyLib::Testing.panic!(message)`: panics in Rust with `message`, which the
/// boundary turns into `MyLib::PanicError`, the path any real bug would take.
fn panic(ruby: &Ruby, message: Value) -> Result<(), Error> {
    guard(ruby, || {
        let message = RString::try_convert(message)?.to_string()?;
        panic!("{message}")
    })
}

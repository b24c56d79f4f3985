//! `MyLib::Testing`: hooks for testing how the gem fails.

use magnus::{Error, RModule, RString, Ruby, TryConvert, Value, function, prelude::*};

use super::{boundary::guard, nogvl};

pub fn init(module: RModule) -> Result<(), Error> {
    let testing = module.define_module("Testing")?;
    testing.define_singleton_method("panic!", function!(panic, 1))?;
    testing.define_singleton_method("panic_without_gvl!", function!(panic_without_gvl, 1))?;
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

/// `MyLib::Testing.panic_without_gvl!(message)`: panics with `message` in
/// work running without the GVL, the path a bug in a bulk operation would
/// take: caught in the trampoline, raised as `MyLib::PanicError` once the
/// GVL is back.
fn panic_without_gvl(ruby: &Ruby, message: Value) -> Result<(), Error> {
    let message = guard(ruby, || RString::try_convert(message)?.to_string())?;
    nogvl::without_gvl(ruby, move |_| -> Result<(), _> { panic!("{message}") })
}

//! The exception classes of `MyLib`, defined once at load time.
//!
//! ```text
//! StandardError
//! └── MyLib::Error                    anything specific to my_lib
//!     ├── MyLib::PanicError           a Rust panic, caught at the boundary
//!     └── MyLib::ClosedError          use of a closed MyLib::Buffer
//! EncodingError
//! └── MyLib::InvalidByteSequenceError bytes that are not valid text
//! ```
//!
//! Wrong types, ranges and indexes raise Ruby's own `TypeError`,
//! `RangeError`, `IndexError` and `ArgumentError`, as core classes do.

use std::sync::OnceLock;

use magnus::{
    Error, ExceptionClass, Module, RModule, Ruby, error::ErrorType, prelude::*, value::Opaque,
};

use super::convert;

use crate::core::buffer::AllocError;

/// The classes [`init`] defined, readable from any Ruby thread or Ractor.
struct ErrorClasses {
    panic: Opaque<ExceptionClass>,
    closed: Opaque<ExceptionClass>,
    invalid_byte_sequence: Opaque<ExceptionClass>,
}

static CLASSES: OnceLock<ErrorClasses> = OnceLock::new();

/// Defines the exception classes under `MyLib` and remembers them.
pub fn init(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    let error = module.define_error("Error", ruby.exception_standard_error())?;
    let panic = module.define_error("PanicError", error)?;
    let closed = module.define_error("ClosedError", error)?;
    let invalid_byte_sequence =
        module.define_error("InvalidByteSequenceError", ruby.exception_encoding_error())?;
    // Pinned and kept alive for the life of the process: the statics below
    // hold their addresses, which GC.compact must not move.
    for class in [error, panic, closed, invalid_byte_sequence] {
        ruby.gc_register_mark_object(class);
    }
    CLASSES.get_or_init(|| ErrorClasses {
        panic: panic.into(),
        closed: closed.into(),
        invalid_byte_sequence: invalid_byte_sequence.into(),
    });
    Ok(())
}

fn classes() -> &'static ErrorClasses {
    CLASSES
        .get()
        .expect("MyLib's exception classes are defined by Init_my_lib before any method runs")
}

/// `MyLib::PanicError` with `message`, made now (see [`materialize`]): it
/// is also returned from outside [`guard`](super::boundary::guard), after
/// work without the GVL.
pub fn panic_error(ruby: &Ruby, message: String) -> Error {
    materialize(ruby, Error::new(ruby.get_inner(classes().panic), message))
}

/// `MyLib::ClosedError` for a use of a closed object described by `what`.
pub fn closed_error(ruby: &Ruby, what: &str) -> Error {
    Error::new(
        ruby.get_inner(classes().closed),
        format!("{what} is closed"),
    )
}

/// `MyLib::InvalidByteSequenceError` with `message`.
pub fn invalid_byte_sequence_error(ruby: &Ruby, message: String) -> Error {
    Error::new(ruby.get_inner(classes().invalid_byte_sequence), message)
}

/// `NoMemoryError` for an allocation that failed (the message gives only
/// the size, never user data), made now (see [`materialize`]): it is also
/// returned from outside [`guard`](super::boundary::guard).
pub fn no_memory(ruby: &Ruby, error: AllocError) -> Error {
    materialize(
        ruby,
        Error::new(ruby.exception_no_mem_error(), error.to_string()),
    )
}

/// `error` with its exception made now, if magnus would make it later.
///
/// An `Error::new(class, message)` is only a class and a message until
/// magnus raises it, when it calls `class.new(message)`: a method call, at
/// the end of which Ruby runs pending interrupts. If a `Thread#kill` lands
/// there, magnus panics (`unreachable!`, "very unexpected error: Fatal") in
/// a frame that cannot unwind, and the process aborts. Made here, under
/// `rb_protect`, the same interrupt comes back as the `Err` returned
/// instead: a `Thread#raise` or `Timeout` exception, or the kill's jump tag,
/// which magnus then resumes.
pub fn materialize(ruby: &Ruby, error: Error) -> Error {
    let ErrorType::Error(class, message) = error.error_type() else {
        return error;
    };
    let message = match convert::utf8_string(ruby, message) {
        Ok(message) => message,
        Err(failed) => return failed,
    };
    match class.new_instance((message,)) {
        Ok(exception) => Error::from(exception),
        Err(interrupt) => interrupt,
    }
}

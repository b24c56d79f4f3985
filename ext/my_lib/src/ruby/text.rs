//! `MyLib.greeting` and `MyLib.greet`: Rust strings as Ruby Strings.

use std::sync::OnceLock;

use magnus::{
    Error, RModule, RString, Ruby, TryConvert, Value,
    encoding::{Encoding, EncodingCapable, MbcLen, RbEncoding},
    function,
    prelude::*,
    value::Opaque,
};

use super::{boundary::guard, convert, errors};
use crate::core::text::{GREETING, describe_invalid_sequence, greet as greet_name, to_utf8};

/// The one `MyLib.greeting` String: frozen, interned, pinned in the GC.
static GREETING_STRING: OnceLock<Opaque<RString>> = OnceLock::new();

pub fn init(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    let interned = ruby.str_new(GREETING).to_interned_str();
    // Kept alive and unmoved for the life of the process: the static holds
    // its address, and every call returns this very object.
    ruby.gc_register_mark_object(interned);
    GREETING_STRING.get_or_init(|| interned.into());

    module.define_singleton_method("greeting", function!(greeting, 0))?;
    module.define_singleton_method("greet", function!(greet, 1))?;
    Ok(())
}

/// `MyLib.greeting`: the same frozen UTF-8 String on every call, so calling
/// it allocates nothing.
fn greeting(ruby: &Ruby) -> Result<RString, Error> {
    guard(ruby, || {
        let greeting = GREETING_STRING
            .get()
            .expect("the greeting is created by Init_my_lib");
        Ok(ruby.get_inner(*greeting))
    })
}

/// `MyLib.greet(name)`: `"Hello, #{name}!"` as a new UTF-8 String.
///
/// UTF-8, US-ASCII and binary Strings are read as UTF-8 bytes; a String in
/// any other encoding is transcoded to UTF-8 first. Invalid bytes raise
/// `MyLib::InvalidByteSequenceError` naming their position. NUL bytes are
/// ordinary characters here: Ruby Strings carry their length.
fn greet(ruby: &Ruby, name: Value) -> Result<RString, Error> {
    guard(ruby, || {
        let name = utf8_bytes_of(ruby, RString::try_convert(name)?)?;
        let greeting = {
            // SAFETY: the slice borrows the String's buffer only until
            // `greet_name` has copied it; no Ruby code runs meanwhile, so the
            // String can be neither changed nor collected (it is also on the
            // stack, as `name`, for the whole call).
            let bytes = unsafe { name.as_slice() };
            to_utf8(bytes).map(greet_name)
        };
        match greeting {
            Ok(greeting) => convert::utf8_string(ruby, &greeting),
            Err(invalid) => Err(errors::invalid_byte_sequence_error(
                ruby,
                invalid.to_string(),
            )),
        }
    })
}

/// `string` itself when its bytes are meant as UTF-8 (UTF-8, US-ASCII,
/// ASCII-8BIT), otherwise a UTF-8 copy made by `String#encode`, after
/// checking that `string` is valid in its own encoding.
fn utf8_bytes_of(ruby: &Ruby, string: RString) -> Result<RString, Error> {
    let index = string.enc_get();
    if index == ruby.utf8_encindex()
        || index == ruby.usascii_encindex()
        || index == ruby.ascii8bit_encindex()
    {
        return Ok(string);
    }
    let encoding = RbEncoding::from(index);
    let invalid = {
        // SAFETY: as in `greet`: the slice is only read by
        // `rb_enc_precise_mbclen`, which runs no Ruby code, and the message is
        // built from copies before any Ruby call.
        let bytes = unsafe { string.as_slice() };
        first_invalid_sequence(&encoding, bytes).map(|(position, sequence)| {
            describe_invalid_sequence(encoding.name(), position, sequence)
        })
    };
    if let Some(message) = invalid {
        return Err(errors::invalid_byte_sequence_error(ruby, message));
    }
    string.funcall("encode", (Encoding::from(ruby.utf8_encoding()),))
}

/// The offset and bytes of the first sequence in `bytes` that is not a
/// character of `encoding` (a truncated character at the end included).
fn first_invalid_sequence<'a>(encoding: &RbEncoding, bytes: &'a [u8]) -> Option<(usize, &'a [u8])> {
    let mut position = 0;
    while position < bytes.len() {
        let rest = &bytes[position..];
        match encoding.precise_mbclen(rest) {
            MbcLen::CharFound(len) => position += len,
            MbcLen::NeedMore(_) => return Some((position, rest)),
            MbcLen::Invalid => return Some((position, &rest[..1])),
        }
    }
    None
}

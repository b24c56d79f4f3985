//! Conversions between Ruby values and Rust, shared by the classes.
//!
//! Every method takes its arguments (and `self`) as plain [`Value`]s and
//! converts them here, inside [`guard`](super::boundary::guard), so the panic
//! boundary covers conversions too.
//!
//! magnus's own conversions to Rust integers call `to_int`, which would
//! silently truncate `1.9` to `1`; the Ruby API accepts Integers only where it
//! needs whole numbers, and says so with a `TypeError`.
//!
//! The Strings made here ([`binary_string`], [`utf8_string`]) are allocated
//! under `rb_protect`, so a `NoMemoryError` comes back as an `Err` instead of
//! jumping over the Rust frames that are waiting to run destructors.

use std::fmt;

use magnus::{
    Class, DataType, Error, Fixnum, Float, Integer, RBignum, RRational, RString, Ruby, TryConvert,
    TypedData, Value, encoding::EncodingCapable, prelude::*, rb_sys::AsRawValue, typed_data::Obj,
};
use rb_sys::StableApiDefinition;

use super::describe;
use crate::core::points::rounding::largest_at_most;

/// `value` as an Integer, or a `TypeError` naming the argument.
pub fn integer(ruby: &Ruby, value: Value, argument: &str) -> Result<Integer, Error> {
    Integer::from_value(value).ok_or_else(|| {
        Error::new(
            ruby.exception_type_error(),
            format!(
                "{argument} must be an Integer, not {}",
                describe::class_name(value)
            ),
        )
    })
}

/// `value` as a non-negative Integer that fits a `usize`: an `ArgumentError`
/// when negative, a `RangeError` when larger than memory can be.
pub fn size(ruby: &Ruby, value: Value, argument: &str) -> Result<usize, Error> {
    let integer = integer(ruby, value, argument)?;
    // `to_i64` fails (under `rb_protect`) only for Bignums beyond `i64`,
    // whose sign is a flag on the object.
    let negative = match integer.to_i64() {
        Ok(n) => n < 0,
        Err(_) => RBignum::from_value(integer.as_value()).is_some_and(RBignum::is_negative),
    };
    if negative {
        return Err(Error::new(
            ruby.exception_arg_error(),
            format!(
                "{argument} must not be negative, got {}",
                describe::integer_text(integer)?
            ),
        ));
    }
    match integer.to_u64().ok().and_then(|n| usize::try_from(n).ok()) {
        Some(size) => Ok(size),
        None => Err(Error::new(
            ruby.exception_range_error(),
            format!(
                "{argument} {} is larger than any memory ({} bytes)",
                describe::integer_text(integer)?,
                usize::MAX
            ),
        )),
    }
}

/// `value` (Integer, Float or Rational) as an `f64`, the nearest one;
/// anything else is a `TypeError`, and an Integer beyond the range of Float
/// a `RangeError`. NaN and the infinities are accepted as Floats.
/// `argument` names the value in error messages, and is formatted only for
/// one.
pub fn real(ruby: &Ruby, value: Value, argument: impl fmt::Display) -> Result<f64, Error> {
    if let Some(float) = Float::from_value(value) {
        return Ok(float.to_f64());
    }
    expect_real(ruby, value, &argument)?;
    let converted = f64::try_convert(value)?;
    if converted.is_finite() {
        Ok(converted)
    } else {
        Err(Error::new(
            ruby.exception_range_error(),
            format!("{argument} is out of the range of Float"),
        ))
    }
}

/// `value` (Integer, Float or Rational) as the largest `f64` at most equal
/// to it, decided exactly: a bound (a radius, a tolerance) that rounding
/// must not grow. A Float is itself; `1/10r` is `0.09999999999999999`,
/// `2**53 + 3` is `2**53 + 2`, an Integer or Rational above `Float::MAX` is
/// `Float::MAX`, one below `-Float::MAX` is `-Infinity`. Anything else is a
/// `TypeError` naming `argument`.
///
/// Integers up to 2⁵³ in magnitude convert exactly, without a call into
/// Ruby; other Integers and Rationals are compared exactly with the doubles
/// next to their nearest one (`Float#to_r`, then `<`).
pub fn real_at_most(ruby: &Ruby, value: Value, argument: impl fmt::Display) -> Result<f64, Error> {
    if let Some(float) = Float::from_value(value) {
        return Ok(float.to_f64());
    }
    expect_real(ruby, value, &argument)?;
    if let Some(n) = Fixnum::from_value(value).map(Fixnum::to_i64) {
        if n.unsigned_abs() <= 1 << f64::MANTISSA_DIGITS {
            return Ok(n as f64);
        }
    }
    // `fdiv` gives the nearest double, or an infinity beyond them, and
    // unlike `to_f` never warns.
    let estimate: f64 = value.funcall("fdiv", (1,))?;
    largest_at_most(estimate, |candidate| {
        let exactly: Value = ruby.float_from_f64(candidate).funcall("to_r", ())?;
        value.funcall("<", (exactly,))
    })
}

/// A `TypeError` unless `value` is an Integer or a Rational (the Floats
/// are taken before).
fn expect_real(ruby: &Ruby, value: Value, argument: &impl fmt::Display) -> Result<(), Error> {
    if Integer::from_value(value).is_some() || RRational::from_value(value).is_some() {
        return Ok(());
    }
    Err(Error::new(
        ruby.exception_type_error(),
        format!(
            "{argument} must be an Integer, Float or Rational, not {}",
            describe::class_name(value)
        ),
    ))
}

/// The `T` that `value` wraps, if `value` is an instance of `T` (or of a
/// subclass).
///
/// Ruby owns the `T`; the reference borrows `value`, which (being on the
/// stack of the method call that received it) keeps the object alive. This
/// is the fast path of the hot methods: magnus's `TryConvert` for `&T` runs
/// `rb_check_typeddata` under `rb_protect`, a `setjmp` on every call, where
/// this asks Ruby a question that cannot raise and reads one pointer.
#[inline(always)]
pub fn wrapped<T: TypedData>(value: &Value) -> Option<&T> {
    let raw = value.as_raw();
    let api = rb_sys::stable_api::get_default();
    // `DataType` is `#[repr(transparent)]` over `rb_data_type_t`: this is a
    // pointer to the static `rb_data_type_t` of `T`.
    let data_type: *const rb_sys::rb_data_type_t = (T::data_type() as *const DataType).cast();
    // SAFETY: each check reads the header of a heap object only once the
    // previous ones have shown it is one (a typed `T_DATA` for the last).
    let exactly_t = unsafe {
        !api.special_const_p(raw)
            && api.builtin_type(raw) == rb_sys::ruby_value_type::RUBY_T_DATA
            && api.rtypeddata_p(raw)
            && api.rtypeddata_type(raw) == data_type
    };
    // SAFETY: `rb_typeddata_is_kind_of` reads the object's header and data
    // type chain, never runs Ruby code and never raises.
    if !exactly_t && unsafe { rb_sys::rb_typeddata_is_kind_of(raw, data_type) } == 0 {
        return None;
    }
    // SAFETY: `raw` is a typed data object of `T`'s data type (or of one
    // inheriting from it), which magnus only makes (`obj_wrap`) around a
    // boxed `T` that it frees when the object is collected; the object
    // outlives the borrow of `value`, and Ruby never hands out a `&mut T`.
    Some(unsafe { &*api.rtypeddata_get_data(raw).cast::<T>() })
}

/// `value` as an instance of `T` (or of a subclass), if it is one.
///
/// Ruby owns the object; the returned handle is only valid while `value` is
/// reachable, which it is for the whole method call that received it.
pub fn instance<T: TypedData>(ruby: &Ruby, value: Value) -> Option<Obj<T>> {
    // Checked first so that a mismatch costs no error message, which magnus
    // would build by calling Ruby.
    if value.is_kind_of(T::class(ruby)) {
        Obj::<T>::try_convert(value).ok()
    } else {
        None
    }
}

/// `value` as an instance of `T`, or a `TypeError` naming the argument and
/// `class_name`.
pub fn typed<T: TypedData>(
    ruby: &Ruby,
    value: Value,
    argument: &str,
    class_name: &str,
) -> Result<Obj<T>, Error> {
    instance(ruby, value).ok_or_else(|| {
        Error::new(
            ruby.exception_type_error(),
            format!(
                "{argument} must be a {class_name}, not {}",
                describe::class_name(value)
            ),
        )
    })
}

/// A new binary (ASCII-8BIT) String holding a copy of `bytes`; the caller
/// owns it like any Ruby object. `NoMemoryError` is returned, not raised.
///
/// Both allocations go through magnus functions that run them under
/// `rb_protect`: `obj_alloc` (String's allocator: an empty, unshared, binary
/// String) and `modify_expand` (room for `bytes`). The copy, `rb_str_cat`,
/// then cannot raise: the String is not frozen, shared or embedded in
/// another object, and already has the capacity, so it only copies.
pub fn binary_string(ruby: &Ruby, bytes: &[u8]) -> Result<RString, Error> {
    let string = ruby.class_string().obj_alloc()?;
    let string = RString::from_value(string).ok_or_else(|| {
        Error::new(
            ruby.exception_type_error(),
            "String's allocator made something else than a String",
        )
    })?;
    string.modify_expand(bytes.len())?;
    string.cat(bytes);
    Ok(string)
}

/// A new UTF-8 String holding a copy of `text`, made as [`binary_string`]
/// makes its Strings; the encoding is set under `rb_protect` too.
pub fn utf8_string(ruby: &Ruby, text: &str) -> Result<RString, Error> {
    let string = binary_string(ruby, text.as_bytes())?;
    string.enc_associate(ruby.utf8_encindex())?;
    Ok(string)
}

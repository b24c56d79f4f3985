//! Strict conversions of Ruby arguments, shared by the classes.
//!
//! magnus's own conversions to Rust integers call `to_int`, which would
//! silently truncate `1.9` to `1`; the Ruby API accepts Integers only where it
//! needs whole numbers, and says so with a `TypeError`.

use magnus::{Error, Float, Integer, RRational, Ruby, TryConvert, Value, prelude::*};

/// `value` as an Integer, or a `TypeError` naming the argument.
pub fn integer(ruby: &Ruby, value: Value, argument: &str) -> Result<Integer, Error> {
    Integer::from_value(value).ok_or_else(|| {
        Error::new(
            ruby.exception_type_error(),
            format!("{argument} must be an Integer, not {}", value.class()),
        )
    })
}

/// `value` as a non-negative Integer that fits a `usize`: an `ArgumentError`
/// when negative, a `RangeError` when larger than memory can be.
pub fn size(ruby: &Ruby, value: Value, argument: &str) -> Result<usize, Error> {
    let integer = integer(ruby, value, argument)?;
    if integer < ruby.integer_from_i64(0) {
        return Err(Error::new(
            ruby.exception_arg_error(),
            format!("{argument} must not be negative, got {integer}"),
        ));
    }
    integer
        .to_u64()
        .ok()
        .and_then(|n| usize::try_from(n).ok())
        .ok_or_else(|| {
            Error::new(
                ruby.exception_range_error(),
                format!(
                    "{argument} {integer} is larger than any memory ({} bytes)",
                    usize::MAX
                ),
            )
        })
}

/// `value` (Integer, Float or Rational) as an `f64`; anything else is a
/// `TypeError`, and an Integer beyond the range of Float a `RangeError`.
/// NaN and the infinities are accepted as Floats.
pub fn real(ruby: &Ruby, value: Value, argument: &str) -> Result<f64, Error> {
    if let Some(float) = Float::from_value(value) {
        return Ok(float.to_f64());
    }
    if Integer::from_value(value).is_none() && RRational::from_value(value).is_none() {
        return Err(Error::new(
            ruby.exception_type_error(),
            format!(
                "{argument} must be an Integer, Float or Rational, not {}",
                value.class()
            ),
        ));
    }
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

//! `MyLib.add_numbers`: addition on the 32-bit domain of the C ABI.
//!
//! Ruby Integers never overflow, so silently wrapping at 32 bits would hand
//! Ruby a wrong number; operands and sums outside `i32` raise `RangeError`.

use magnus::{Error, Fixnum, Integer, RModule, Ruby, Value, function, prelude::*};

use super::{boundary::guard, convert, describe};
use crate::core::arithmetic::checked_add;

pub fn init(module: RModule) -> Result<(), Error> {
    module.define_singleton_method("add_numbers", function!(add_numbers, 2))?;
    Ok(())
}

/// `MyLib.add_numbers(a, b)`: `a + b` for Integers in `-2**31...2**31`.
fn add_numbers(ruby: &Ruby, a: Value, b: Value) -> Result<i32, Error> {
    guard(ruby, || {
        let a = operand(ruby, a, "a")?;
        let b = operand(ruby, b, "b")?;
        checked_add(a, b)
            .map_err(|overflow| Error::new(ruby.exception_range_error(), overflow.to_string()))
    })
}

/// An Integer argument as an `i32`, or a `TypeError` or a `RangeError`
/// naming the limits. Small Integers (Fixnums) in range are read inline.
#[inline(always)]
fn operand(ruby: &Ruby, value: Value, argument: &str) -> Result<i32, Error> {
    Fixnum::from_value(value)
        .and_then(|fixnum| i32::try_from(fixnum.to_i64()).ok())
        .map_or_else(|| any_operand(ruby, value, argument), Ok)
}

/// [`operand`] for every value but an `i32` Fixnum: Bignums, out-of-range
/// Fixnums and non-Integers, each reported with its error.
#[cold]
#[inline(never)]
fn any_operand(ruby: &Ruby, value: Value, argument: &str) -> Result<i32, Error> {
    let integer: Integer = convert::integer(ruby, value, argument)?;
    match integer.to_i64().ok().and_then(|n| i32::try_from(n).ok()) {
        Some(operand) => Ok(operand),
        None => Err(Error::new(
            ruby.exception_range_error(),
            format!(
                "{argument} = {} is outside a 32-bit signed integer ({} to {})",
                describe::integer_text(integer)?,
                i32::MIN,
                i32::MAX
            ),
        )),
    }
}

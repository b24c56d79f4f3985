//! Text about Ruby values for error messages and `inspect`, made without
//! calling any Ruby method.
//!
//! Formatting a `Value` with `{}` calls its `to_s`: user code, which may be
//! slow, redefined, or interrupted (`Thread#raise`, `Thread#kill`,
//! `Timeout`); magnus then swallows the exception and prints
//! `rb_any_to_s` instead, so the interrupt is lost. Nothing here
//! dispatches a method: a class is named from what Ruby stores in it, and
//! numbers are formatted in Rust (or, for a Bignum, by Ruby's C code).

use magnus::{
    Error, Integer, RString, Value,
    rb_sys::{AsRawValue, FromRawValue, protect},
};

/// The name of `value`'s class, as Ruby's own `TypeError`s name it
/// (`NilClass`, `Float`, `MyLib::Point`), or `#<Class:0x…>` for an
/// anonymous class.
///
/// `rb_obj_class` skips singleton classes and included modules (reading
/// the object's header), and `rb_mod_name` returns the name Ruby stored in
/// the class when a constant was first assigned it (or `nil`): neither
/// calls a method (so a redefined `name`, `to_s` or `inspect` is not
/// run), allocates or raises, in Ruby 3.1 to 3.4.
pub fn class_name(value: Value) -> String {
    // SAFETY: `value` is a live Ruby object (it is on the stack of the
    // method call that received it); see above for why neither call can
    // run Ruby code or raise.
    let (class, name) = unsafe {
        let class = rb_sys::rb_obj_class(value.as_raw());
        (class, Value::from_raw(rb_sys::rb_mod_name(class)))
    };
    match RString::from_value(name) {
        Some(name) => copy_text(name),
        None => format!("#<Class:{class:#018x}>"),
    }
}

/// A Rust copy of `string`'s bytes, invalid UTF-8 replaced.
fn copy_text(string: RString) -> String {
    // SAFETY: the bytes are borrowed only until they are copied, which
    // runs no Ruby code, so the String can be neither changed nor
    // collected meanwhile (the caller holds it on its stack).
    String::from_utf8_lossy(unsafe { string.as_slice() }).into_owned()
}

/// `integer` in decimal: Rust formats it when it fits an `i64`, Ruby's C
/// code (`rb_big2str`, which calls no method) when it is a larger Bignum.
/// `Err` only for a `NoMemoryError` while making that String.
pub fn integer_text(integer: Integer) -> Result<String, Error> {
    if let Ok(small) = integer.to_i64() {
        return Ok(small.to_string());
    }
    let raw = integer.as_raw();
    // SAFETY: `to_i64` failed, so `integer` is a Bignum, which
    // `rb_big2str` formats; it can only raise `NoMemoryError`, which
    // `protect` returns as an `Err`.
    let text = protect(|| unsafe { rb_sys::rb_big2str(raw, 10) })?;
    // SAFETY: `rb_big2str` returns a live String.
    let text = RString::from_value(unsafe { Value::from_raw(text) });
    Ok(text.map(copy_text).unwrap_or_default())
}

/// `value` as Ruby's `Float#to_s` prints it: `1.0`, `2.5`, `1.0e+20`,
/// `1.0e-05`, `-0.0`, `NaN`, `-Infinity`.
///
/// Both Ruby and Rust print the shortest digits that read back as the same
/// `f64`; Ruby (`flo_to_s` in numeric.c) then writes them in fixed
/// notation when the decimal point falls among the first 16 digits, after
/// at most 15 of an integral value (`1.0e+15` but `100000000000000.0`), or
/// at most 3 zeros before them (`0.0001`, `1.0e-05`), and as `d.ddde±XX`
/// otherwise. spec/my_lib/error_messages_spec.rb checks this against
/// `Float#inspect`.
pub fn float_text(value: f64) -> String {
    if value.is_nan() {
        return "NaN".to_owned();
    }
    let sign = if value.is_sign_negative() { "-" } else { "" };
    if value.is_infinite() {
        return format!("{sign}Infinity");
    }
    if value == 0.0 {
        return format!("{sign}0.0");
    }
    let scientific = shortest_scientific(value.abs());
    let (mantissa, exponent) = scientific
        .split_once('e')
        .expect("`{:e}` always writes an exponent");
    let digits = mantissa.replace('.', "");
    let power: i32 = exponent
        .parse()
        .expect("`{:e}` writes the exponent as an integer");
    // Where Ruby's dtoa puts the decimal point: value = 0.digits × 10^point.
    let point = power + 1;
    let whole = usize::try_from(point).unwrap_or(0);
    let body = if whole > 0 && whole < digits.len() && whole <= 16 {
        format!("{}.{}", &digits[..whole], &digits[whole..])
    } else if whole > 0 && whole >= digits.len() && whole <= 15 {
        format!("{digits:0<whole$}.0")
    } else if (-3..=0).contains(&point) {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else {
        let rest = if digits.len() > 1 { &digits[1..] } else { "0" };
        format!("{}.{rest}e{:+03}", &digits[..1], power)
    };
    format!("{sign}{body}")
}

/// `value` (finite, positive) as `d.ddde-x` (or `de-x`): the shortest
/// digits that read back as `value`, and the power of ten of the first.
///
/// Rust's `{:e}` finds the shortest digits, but rounds a tie (a value
/// exactly halfway between two candidates, such as 2⁻²⁵ =
/// 2.98023223876953125e-08) up, where Ruby's `dtoa` rounds it to even:
/// `{:.N$e}`, which rounds the exact value half to even, gives Ruby's
/// digits whenever they read back as `value`.
fn shortest_scientific(value: f64) -> String {
    let shortest = format!("{value:e}");
    let digits = shortest.split_once('e').map_or(1, |(mantissa, _)| {
        mantissa.bytes().filter(u8::is_ascii_digit).count()
    });
    let even = format!("{value:.decimals$e}", decimals = digits - 1);
    if even.parse::<f64>() == Ok(value) {
        even
    } else {
        shortest
    }
}

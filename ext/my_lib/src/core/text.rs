//! Text: the greeting, and UTF-8 validation that says where it failed.

use std::ffi::CStr;
use std::fmt;

/// The greeting of the tutorial.
pub const GREETING: &str = "Hello from Rust";

/// [`GREETING`] with its NUL terminator, for C callers. Static: it lives as
/// long as the library is loaded.
pub const GREETING_C: &CStr = c"Hello from Rust";

/// Bytes that are not UTF-8: the first bad sequence starts at `position`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidUtf8 {
    /// Byte offset of the first invalid sequence.
    pub position: usize,
    /// The bytes of that sequence (1 to 3 bytes; what `str::from_utf8` rejected).
    pub bytes: Vec<u8>,
}

impl fmt::Display for InvalidUtf8 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&describe_invalid_sequence(
            "UTF-8",
            self.position,
            &self.bytes,
        ))
    }
}

/// The message for bytes that are not text in `encoding`, the same for every
/// encoding: `invalid Shift_JIS byte sequence \x82 at byte 4`.
///
/// ```
/// # use my_lib::core::text::describe_invalid_sequence;
/// assert_eq!(
///     describe_invalid_sequence("Shift_JIS", 4, &[0x82]),
///     "invalid Shift_JIS byte sequence \\x82 at byte 4"
/// );
/// ```
pub fn describe_invalid_sequence(encoding: &str, position: usize, sequence: &[u8]) -> String {
    let hex: String = sequence
        .iter()
        .map(|byte| format!(" \\x{byte:02X}"))
        .collect();
    format!("invalid {encoding} byte sequence{hex} at byte {position}")
}

impl std::error::Error for InvalidUtf8 {}

/// Checks that `bytes` are UTF-8 and borrows them as `&str`.
///
/// ```
/// # use my_lib::core::text::to_utf8;
/// assert_eq!(to_utf8(b"caf\xC3\xA9"), Ok("café"));
/// assert_eq!(to_utf8(b"ab\xFFc").unwrap_err().position, 2);
/// ```
pub fn to_utf8(bytes: &[u8]) -> Result<&str, InvalidUtf8> {
    std::str::from_utf8(bytes).map_err(|e| {
        let position = e.valid_up_to();
        let bad_len = e.error_len().unwrap_or(bytes.len() - position);
        InvalidUtf8 {
            position,
            bytes: bytes[position..position + bad_len].to_vec(),
        }
    })
}

/// A personal greeting: `Hello, <name>!`. Any `&str` is accepted, NUL
/// characters included.
///
/// ```
/// # use my_lib::core::text::greet;
/// assert_eq!(greet("Ruby"), "Hello, Ruby!");
/// ```
pub fn greet(name: &str) -> String {
    format!("Hello, {name}!")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn greeting_c_is_the_greeting_nul_terminated() {
        assert_eq!(GREETING_C.to_str(), Ok(GREETING));
        assert_eq!(GREETING_C.to_bytes_with_nul().last(), Some(&0));
    }

    #[test]
    fn greet_keeps_every_character() {
        assert_eq!(greet(""), "Hello, !");
        assert_eq!(greet("a\0b"), "Hello, a\0b!");
        assert_eq!(greet("日本"), "Hello, 日本!");
    }

    #[test]
    fn invalid_utf8_reports_position_and_bytes() {
        let err = to_utf8(b"ok\xC3(").unwrap_err();
        assert_eq!(
            err,
            InvalidUtf8 {
                position: 2,
                bytes: vec![0xC3]
            }
        );
        assert_eq!(
            err.to_string(),
            "invalid UTF-8 byte sequence \\xC3 at byte 2"
        );
        // A truncated sequence at the end is reported whole.
        let err = to_utf8(b"x\xE6\x97").unwrap_err();
        assert_eq!(
            err,
            InvalidUtf8 {
                position: 1,
                bytes: vec![0xE6, 0x97]
            }
        );
        assert_eq!(to_utf8(b""), Ok(""));
    }
}

//! The core's text conversions (core/text.rs): UTF-8 validation with the
//! position and bytes of the first bad sequence, the invalid-sequence message
//! for any encoding name, and the greeting. (The core has no transcoding;
//! these are all of its text conversions.)
//!
//! Contract checked: `to_utf8` agrees with `std::str::from_utf8`, borrowing
//! the very bytes on success; on failure the error's position is the length
//! of the valid prefix, its 1 to 3 bytes are the ones std rejected and lie
//! inside the input, and its message is the documented one.
//! `describe_invalid_sequence` parses back into its encoding, bytes and
//! position for any input. `greet` wraps any `&str` unchanged.

#![no_main]

mod common;

use libfuzzer_sys::{arbitrary, fuzz_target};
use my_lib::core::text::{InvalidUtf8, describe_invalid_sequence, greet, to_utf8};

/// Vec fields, not slices, so that seeds are easy to write: each byte is
/// preceded by a continue byte (see generate_seeds.py).
#[derive(Debug, arbitrary::Arbitrary)]
struct Input {
    bytes: Vec<u8>,
    /// The encoding's name: any text, from arbitrary bytes.
    encoding: Vec<u8>,
    position: usize,
    sequence: Vec<u8>,
}

/// Parses `invalid <encoding> byte sequence \xHH... at byte <n>` back.
fn parse_message(message: &str, encoding: &str) -> (Vec<u8>, usize) {
    let rest = message
        .strip_prefix("invalid ")
        .and_then(|m| m.strip_prefix(encoding))
        .and_then(|m| m.strip_prefix(" byte sequence"))
        .unwrap_or_else(|| panic!("bad prefix: {message:?}"));
    let (hex, position) = rest.rsplit_once(" at byte ").expect("no position");
    let mut bytes = Vec::new();
    let mut hex = hex;
    while !hex.is_empty() {
        let (byte, tail) = hex
            .strip_prefix(" \\x")
            .and_then(|h| h.get(..2).zip(h.get(2..)))
            .unwrap_or_else(|| panic!("bad hex in {message:?}"));
        assert!(
            byte.bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
        );
        bytes.push(u8::from_str_radix(byte, 16).unwrap());
        hex = tail;
    }
    (bytes, position.parse().expect("position is a number"))
}

fuzz_target!(|input: Input| {
    let bytes = input.bytes.as_slice();
    match (to_utf8(bytes), std::str::from_utf8(bytes)) {
        (Ok(text), Ok(_)) => assert_eq!(text.as_ptr(), bytes.as_ptr()),
        (Err(error), Err(std_error)) => {
            let InvalidUtf8 {
                position,
                bytes: bad,
            } = &error;
            assert_eq!(*position, std_error.valid_up_to());
            assert!((1..=3).contains(&bad.len()), "{error:?}");
            assert_eq!(&bytes[*position..*position + bad.len()], bad.as_slice());
            assert!(std::str::from_utf8(&bytes[..*position]).is_ok());
            match std_error.error_len() {
                Some(len) => assert_eq!(bad.len(), len),
                None => assert_eq!(position + bad.len(), bytes.len()),
            }
            let message = error.to_string();
            assert_eq!(Some(&message), common::invalid_utf8_message(bytes).as_ref());
            assert_eq!(parse_message(&message, "UTF-8"), (bad.clone(), *position));
        }
        (mine, theirs) => panic!("to_utf8 {mine:?} disagrees with std {theirs:?}"),
    }

    let encoding = String::from_utf8_lossy(&input.encoding);
    let message = describe_invalid_sequence(&encoding, input.position, &input.sequence);
    assert_eq!(
        parse_message(&message, &encoding),
        (input.sequence.clone(), input.position)
    );

    let greeting = greet(&encoding);
    let name = greeting
        .strip_prefix("Hello, ")
        .and_then(|g| g.strip_suffix('!'));
    assert_eq!(name, Some(&*encoding));
});

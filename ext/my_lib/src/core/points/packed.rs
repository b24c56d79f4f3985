//! Points as packed bytes: `x0, y0, x1, y1, …` as native-endian 8-byte
//! doubles, the layout of Ruby's `pack("d*")` and of a C `MyLibPoint[]`.

use std::fmt;

use super::{try_extend, try_vec_with_capacity};
use crate::core::buffer::AllocError;
use crate::core::point::Point;

/// The bytes of one packed point: two doubles.
pub const PACKED_POINT_SIZE: usize = std::mem::size_of::<Point>();

/// The points packed in `bytes`, copied out (the bytes need no alignment)
/// into a `Vec` of exactly their number, allocated fallibly: no memory is
/// [`FromPackedError::OutOfMemory`], never an abort.
///
/// ```
/// # use my_lib::core::{point::Point, points::packed::{from_packed, as_packed}};
/// let bytes: Vec<u8> = [1.5f64, -2.0].iter().flat_map(|c| c.to_ne_bytes()).collect();
/// let points = from_packed(&bytes).unwrap();
/// assert_eq!(points, [Point::new(1.5, -2.0)]);
/// assert_eq!(as_packed(&points), &bytes[..]);
/// assert_eq!(from_packed(&bytes[..15]).unwrap_err().to_string(),
///            "packed points take 16 bytes each (two doubles), but 15 bytes is not a multiple of 16");
/// ```
pub fn from_packed(bytes: &[u8]) -> Result<Vec<Point>, FromPackedError> {
    if bytes.len() % PACKED_POINT_SIZE != 0 {
        return Err(PackedLengthError { len: bytes.len() }.into());
    }
    let mut points = try_vec_with_capacity(bytes.len() / PACKED_POINT_SIZE)?;
    // Exactly as many as reserved: no reallocation.
    try_extend(
        &mut points,
        bytes.chunks_exact(PACKED_POINT_SIZE).map(|packed| {
            let (x, y) = packed.split_at(PACKED_POINT_SIZE / 2);
            Point::new(coordinate(x), coordinate(y))
        }),
    )?;
    Ok(points)
}

fn coordinate(bytes: &[u8]) -> f64 {
    let mut array = [0u8; PACKED_POINT_SIZE / 2];
    array.copy_from_slice(bytes);
    f64::from_ne_bytes(array)
}

/// The points' own memory, seen as packed bytes (no copy), borrowed for as
/// long as the points are.
pub fn as_packed(points: &[Point]) -> &[u8] {
    // SAFETY: `Point` is `#[repr(C)]` with two `f64` fields and no padding
    // (size 16, checked by `point::tests::layout_matches_c`), so the slice
    // is `size_of_val(points)` initialised bytes, and `u8` has alignment 1.
    // The returned slice borrows `points` for the same lifetime, shared.
    unsafe { std::slice::from_raw_parts(points.as_ptr().cast::<u8>(), size_of_val(points)) }
}

/// A packed string whose length is not a whole number of points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PackedLengthError {
    /// The length given, in bytes.
    pub len: usize,
}

impl fmt::Display for PackedLengthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "packed points take {PACKED_POINT_SIZE} bytes each (two doubles), but {} bytes is not a multiple of {PACKED_POINT_SIZE}",
            self.len
        )
    }
}

impl std::error::Error for PackedLengthError {}

/// Why [`from_packed`] returned no points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FromPackedError {
    /// The bytes are not a whole number of points.
    Length(PackedLengthError),
    /// The points' memory could not be had.
    OutOfMemory(AllocError),
}

impl From<PackedLengthError> for FromPackedError {
    fn from(error: PackedLengthError) -> Self {
        FromPackedError::Length(error)
    }
}

impl From<AllocError> for FromPackedError {
    fn from(error: AllocError) -> Self {
        FromPackedError::OutOfMemory(error)
    }
}

impl fmt::Display for FromPackedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FromPackedError::Length(error) => error.fmt(f),
            FromPackedError::OutOfMemory(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for FromPackedError {}

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_bit_pattern() {
        let points = [
            Point::new(-0.0, f64::INFINITY),
            Point::new(
                f64::from_bits(0x7FF8_0000_0000_0001),
                f64::MIN_POSITIVE / 2.0,
            ),
        ];
        let copied = from_packed(as_packed(&points)).unwrap();
        for (a, b) in copied.iter().zip(&points) {
            assert_eq!(
                (a.x.to_bits(), a.y.to_bits()),
                (b.x.to_bits(), b.y.to_bits())
            );
        }
    }

    #[test]
    fn the_points_take_exactly_their_room() {
        let bytes = [0u8; 5 * PACKED_POINT_SIZE];
        assert_eq!(from_packed(&bytes).unwrap().capacity(), 5);
    }

    #[test]
    fn unaligned_bytes_are_read() {
        let mut bytes = [0u8; 1 + PACKED_POINT_SIZE];
        bytes[1..].copy_from_slice(as_packed(&[Point::new(3.0, 4.0)]));
        assert_eq!(from_packed(&bytes[1..]), Ok(vec![Point::new(3.0, 4.0)]));
    }

    #[test]
    fn partial_points_are_rejected() {
        assert_eq!(from_packed(&[]), Ok(vec![]));
        for len in [1, 8, 15, 17, 31] {
            assert_eq!(
                from_packed(&vec![0; len]),
                Err(FromPackedError::Length(PackedLengthError { len }))
            );
        }
    }
}

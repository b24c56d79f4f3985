//! Byte buffers: fallible zeroed allocation and bounds-checked access.
//!
//! An allocation that cannot be satisfied is an [`AllocError`], never an
//! abort, and every offset/length pair is checked without overflow, so the
//! C ABI and the Ruby API can hand these errors to their callers.

use std::alloc::{self, Layout};
use std::fmt;
use std::ptr::{self, NonNull};

/// A request for memory that the allocator refused, or that no allocator
/// could satisfy (more than `isize::MAX` bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllocError {
    pub requested: usize,
}

impl fmt::Display for AllocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "failed to allocate {} bytes", self.requested)
    }
}

impl std::error::Error for AllocError {}

/// An access outside a buffer: `offset..offset + len` is not within `0..size`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfBounds {
    pub offset: usize,
    pub len: usize,
    pub size: usize,
}

impl fmt::Display for OutOfBounds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "range {}...{} (length {}) is outside a buffer of {} bytes",
            self.offset,
            self.offset.saturating_add(self.len),
            self.len,
            self.size
        )
    }
}

impl std::error::Error for OutOfBounds {}

/// Allocates `len` zero bytes, lazily zeroed by the allocator (`calloc`), so
/// a large buffer costs no page until it is touched.
///
/// Returns [`AllocError`] instead of aborting when the memory cannot be had.
///
/// ```
/// # use my_lib::core::buffer::zeroed;
/// assert_eq!(&*zeroed(3).unwrap(), &[0, 0, 0]);
/// assert!(zeroed(usize::MAX).is_err());
/// ```
pub fn zeroed(len: usize) -> Result<Box<[u8]>, AllocError> {
    let error = AllocError { requested: len };
    if len == 0 {
        return Ok(Box::default());
    }
    let layout = Layout::array::<u8>(len).map_err(|_| error)?;
    // SAFETY: `layout` has a non-zero size (len > 0 was checked above).
    let raw = unsafe { alloc::alloc_zeroed(layout) };
    let data = NonNull::new(raw).ok_or(error)?;
    // SAFETY: `data` was allocated by the global allocator with exactly
    // `Layout::array::<u8>(len)`, the layout `Box<[u8]>` of length `len` uses
    // to free it; all `len` bytes are initialised (zero), and nothing else
    // holds the pointer, so the Box becomes its only owner.
    Ok(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(data.as_ptr(), len)) })
}

/// Copies `data` into a new buffer, failing like [`zeroed`].
pub fn copied(data: &[u8]) -> Result<Box<[u8]>, AllocError> {
    let mut buffer = zeroed(data.len())?;
    buffer.copy_from_slice(data);
    Ok(buffer)
}

/// The byte range `offset..offset + len` of a buffer of `size` bytes, or
/// [`OutOfBounds`] when any of it lies outside (overflow included).
pub fn checked_range(
    offset: usize,
    len: usize,
    size: usize,
) -> Result<std::ops::Range<usize>, OutOfBounds> {
    match offset.checked_add(len) {
        Some(end) if end <= size => Ok(offset..end),
        _ => Err(OutOfBounds { offset, len, size }),
    }
}

/// The `len` bytes of `buffer` that start at `offset`.
pub fn read(buffer: &[u8], offset: usize, len: usize) -> Result<&[u8], OutOfBounds> {
    checked_range(offset, len, buffer.len()).map(|range| &buffer[range])
}

/// Copies `data` into `buffer` at `offset`; nothing is written on error.
pub fn write(buffer: &mut [u8], offset: usize, data: &[u8]) -> Result<(), OutOfBounds> {
    let range = checked_range(offset, data.len(), buffer.len())?;
    buffer[range].copy_from_slice(data);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeroed_gives_zero_bytes_of_the_right_length() {
        for len in [0, 1, 7, 4096] {
            let buffer = zeroed(len).unwrap();
            assert_eq!(buffer.len(), len);
            assert!(buffer.iter().all(|&b| b == 0));
        }
    }

    #[test]
    fn absurd_sizes_are_errors_not_aborts() {
        assert_eq!(
            zeroed(usize::MAX),
            Err(AllocError {
                requested: usize::MAX
            })
        );
        assert!(zeroed(isize::MAX as usize + 1).is_err());
    }

    #[test]
    fn copied_is_an_independent_copy() {
        let source = [1u8, 2, 3];
        let mut copy = copied(&source).unwrap();
        copy[0] = 9;
        assert_eq!(source, [1, 2, 3]);
        assert_eq!(&*copy, &[9, 2, 3]);
        assert!(copied(&[]).unwrap().is_empty());
    }

    #[test]
    fn ranges_are_checked_without_overflow() {
        assert_eq!(checked_range(0, 0, 0), Ok(0..0));
        assert_eq!(checked_range(2, 3, 5), Ok(2..5));
        assert_eq!(checked_range(5, 0, 5), Ok(5..5));
        assert!(checked_range(6, 0, 5).is_err());
        assert!(checked_range(4, 2, 5).is_err());
        let err = checked_range(usize::MAX, 2, 5).unwrap_err();
        assert_eq!(
            err,
            OutOfBounds {
                offset: usize::MAX,
                len: 2,
                size: 5
            }
        );
        assert!(err.to_string().contains("outside a buffer of 5 bytes"));
    }

    #[test]
    fn read_and_write_stay_in_bounds() {
        let mut buffer = zeroed(4).unwrap();
        write(&mut buffer, 1, b"ab").unwrap();
        assert_eq!(read(&buffer, 0, 4).unwrap(), b"\0ab\0");
        assert!(write(&mut buffer, 3, b"xy").is_err());
        assert_eq!(&*buffer, b"\0ab\0", "a failed write changes nothing");
        assert!(read(&buffer, 2, 3).is_err());
    }
}

//! Heap blocks that know their own size, so that `my_lib_buffer_free(ptr)`
//! (and the tutorial's `free_buffer(ptr)`), given only a pointer, release
//! exactly the layout the block was allocated with.
//!
//! A block is a [`HEADER`] holding the data length, then the data. Callers
//! only ever see the data pointer.

use std::alloc::{self, Layout};
use std::ptr::NonNull;

use crate::core::buffer::AllocError;

/// Alignment of every block, hence of every data pointer: that of C's
/// `max_align_t` on 64-bit Linux, as `malloc` gives, so a host may store any
/// scalar in a buffer.
pub(crate) const ALIGN: usize = 16;

/// Bytes before the data: the length as a `usize`, padded so that the data
/// keeps the block's alignment.
const HEADER: usize = ALIGN;

const _: () = assert!(HEADER >= size_of::<usize>() && ALIGN >= align_of::<usize>());
const _: () = assert!(HEADER % ALIGN == 0);

/// The layout of a block with `len` data bytes, or [`AllocError`] when its
/// size exceeds what any allocation may have (`isize::MAX` bytes).
fn layout(len: usize) -> Result<Layout, AllocError> {
    HEADER
        .checked_add(len)
        .and_then(|size| Layout::from_size_align(size, ALIGN).ok())
        .ok_or(AllocError { requested: len })
}

/// Allocates a block of `len` zeroed data bytes and returns its data pointer,
/// or [`AllocError`] (never an abort) when the memory cannot be had.
pub(crate) fn allocate_zeroed(len: usize) -> Result<NonNull<u8>, AllocError> {
    let layout = layout(len)?;
    // SAFETY: `layout` has a non-zero size: at least HEADER bytes.
    let block = unsafe { alloc::alloc_zeroed(layout) };
    let block = NonNull::new(block).ok_or(AllocError { requested: len })?;
    // SAFETY: `block` is ALIGN-aligned, hence aligned for usize, and the
    // block's first HEADER >= size_of::<usize>() bytes are writable.
    unsafe { block.cast::<usize>().write(len) };
    // SAFETY: HEADER <= layout.size(), so the result stays within the block
    // (one past its end when len == 0).
    Ok(unsafe { block.add(HEADER) })
}

/// The start of the block whose data pointer is `data`, where its length is.
///
/// # Safety
///
/// `data` was returned by [`allocate_zeroed`] and has not been freed.
unsafe fn header(data: NonNull<u8>) -> NonNull<usize> {
    // SAFETY: `data` is HEADER bytes into its block (caller's guarantee), so
    // stepping back HEADER bytes lands on the block's start, in bounds.
    unsafe { data.sub(HEADER) }.cast()
}

/// The number of data bytes of the block.
///
/// # Safety
///
/// `data` was returned by [`allocate_zeroed`] and has not been freed.
pub(crate) unsafe fn len(data: NonNull<u8>) -> usize {
    // SAFETY: the caller guarantees a live block, whose header holds the
    // usize written by `allocate_zeroed`, never modified since.
    unsafe { header(data).read() }
}

/// Releases the block.
///
/// # Safety
///
/// `data` was returned by [`allocate_zeroed`] and has not been freed; it is
/// not used again.
pub(crate) unsafe fn free(data: NonNull<u8>) {
    // SAFETY: the caller guarantees a live block.
    let block = unsafe { header(data) };
    // SAFETY: as above; the header holds the block's data length.
    let len = unsafe { block.read() };
    // The very layout `allocate_zeroed` allocated with: same function, same
    // `len`, so it cannot fail here.
    let layout = layout(len).expect("a live block's layout was valid when it was allocated");
    // SAFETY: `block` was allocated by the global allocator with `layout`,
    // and the caller guarantees it is freed only this once.
    unsafe { alloc::dealloc(block.as_ptr().cast(), layout) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_remember_their_length_and_start_zeroed() {
        for size in [0, 1, 15, 16, 17, 4096] {
            let data = allocate_zeroed(size).unwrap();
            assert_eq!(data.as_ptr().addr() % ALIGN, 0);
            // SAFETY: `data` is live; it was just allocated.
            assert_eq!(unsafe { len(data) }, size);
            // SAFETY: the block holds `size` initialised (zeroed) data bytes.
            let bytes = unsafe { std::slice::from_raw_parts(data.as_ptr(), size) };
            assert!(bytes.iter().all(|&b| b == 0));
            // SAFETY: freed once, not used again. (Miri checks the layout.)
            unsafe { free(data) };
        }
    }

    #[test]
    fn impossible_sizes_are_errors() {
        for len in [usize::MAX, usize::MAX - HEADER + 1, isize::MAX as usize] {
            assert_eq!(allocate_zeroed(len), Err(AllocError { requested: len }));
        }
    }

    #[test]
    #[cfg_attr(miri, ignore = "Miri reports, rather than refuses, huge allocations")]
    fn sizes_the_allocator_refuses_are_errors() {
        let len = 1 << 60; // 1 EiB: a valid Layout, but more than any machine has.
        assert_eq!(allocate_zeroed(len), Err(AllocError { requested: len }));
    }
}

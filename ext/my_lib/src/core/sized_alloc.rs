//! Heap blocks that know their own size, so that a block given back as a bare
//! data pointer (the C ABI's `my_lib_buffer_free(ptr)`, the tutorial's
//! `free_buffer(ptr)`) is released with exactly the layout it was allocated
//! with.
//!
//! A block is a [`HEADER`] holding the data length, then the data. Callers
//! only ever see the data pointer, 16-byte aligned ([`ALIGN`]). Every function but
//! [`allocate_zeroed`] takes such a pointer and trusts it (its `# Safety`
//! contract): this module checks sizes and ranges, never provenance.
//!
//! Ownership: [`allocate_zeroed`] hands the block to its caller, who gives it
//! back exactly once to [`free`]. Lifetime: from one to the other; the views
//! [`view`] returns are valid while the block is.

use std::alloc::{self, Layout};
use std::ptr::{self, NonNull};

use super::buffer::{AllocError, OutOfBounds, checked_range};

/// Alignment of every block, hence of every data pointer: that of C's
/// `max_align_t` on 64-bit Linux, as `malloc` gives, so a host may store any
/// scalar in a block. (Crate-visible only: cbindgen would put a `pub`
/// constant in the C header.)
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
///
/// Ownership: the block is the caller's, to release with [`free`].
///
/// ```
/// # use my_lib::core::sized_alloc::{allocate_zeroed, free, len};
/// let data = allocate_zeroed(5).unwrap();
/// assert_eq!(data.as_ptr().addr() % 16, 0);
/// // SAFETY: `data` is a live block, freed once.
/// unsafe {
///     assert_eq!(len(data), 5);
///     free(data);
/// }
/// assert!(allocate_zeroed(usize::MAX).is_err());
/// ```
pub fn allocate_zeroed(len: usize) -> Result<NonNull<u8>, AllocError> {
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
pub unsafe fn len(data: NonNull<u8>) -> usize {
    // SAFETY: the caller guarantees a live block, whose header holds the
    // usize written by `allocate_zeroed`, never modified since.
    unsafe { header(data).read() }
}

/// Copies the `count` bytes at `source` into the block, starting `offset`
/// bytes into its data. `source` may overlap the block (the copy behaves like
/// `memmove`). Returns [`OutOfBounds`], having written nothing, when
/// `offset + count` exceeds the block's length.
///
/// Ownership: `source` is only read during the call.
///
/// # Safety
///
/// `data` was returned by [`allocate_zeroed`] and has not been freed; when
/// `count > 0`, `source` is non-NULL and readable for `count` bytes; nothing
/// else accesses those bytes or the written range during the call.
pub unsafe fn write(
    data: NonNull<u8>,
    offset: usize,
    source: *const u8,
    count: usize,
) -> Result<(), OutOfBounds> {
    // SAFETY: the caller guarantees a live block.
    let range = checked_range(offset, count, unsafe { len(data) })?;
    if range.is_empty() {
        return Ok(());
    }
    // SAFETY: the source is non-NULL and readable for `count` bytes (the
    // caller's guarantee, as count > 0); the destination range lies within
    // the block's data (checked_range); `ptr::copy` allows them to overlap.
    unsafe { ptr::copy(source, data.as_ptr().add(range.start), range.len()) };
    Ok(())
}

/// The `count` bytes of the block's data that start `offset` bytes in, as a
/// raw slice pointer, or [`OutOfBounds`] when they reach past its end.
///
/// Ownership: the view borrows from the block and owns nothing. Lifetime:
/// valid until the block is freed; it shows the block's current bytes.
///
/// # Safety
///
/// `data` was returned by [`allocate_zeroed`] and has not been freed.
pub unsafe fn view(
    data: NonNull<u8>,
    offset: usize,
    count: usize,
) -> Result<NonNull<[u8]>, OutOfBounds> {
    // SAFETY: the caller guarantees a live block.
    let range = checked_range(offset, count, unsafe { len(data) })?;
    // SAFETY: range.start <= the block's length (checked_range), so the
    // result is within the block's data or one past its end.
    let start = unsafe { data.add(range.start) };
    Ok(NonNull::slice_from_raw_parts(start, range.len()))
}

/// Releases the block.
///
/// Ownership: takes the block back; `data` and every view of it are invalid
/// afterwards.
///
/// # Safety
///
/// `data` was returned by [`allocate_zeroed`] and has not been freed; it is
/// not used again.
pub unsafe fn free(data: NonNull<u8>) {
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

    /// The whole data of a live block, copied.
    ///
    /// # Safety
    ///
    /// `data` is a live block.
    unsafe fn contents(data: NonNull<u8>) -> Vec<u8> {
        // SAFETY: forwarded; the whole data is in bounds.
        let whole = unsafe { view(data, 0, len(data)) }.unwrap();
        // SAFETY: a view of a live block's initialised bytes, read at once.
        unsafe { whole.as_ref() }.to_vec()
    }

    #[test]
    fn blocks_remember_their_length_and_start_zeroed() {
        for size in [0, 1, 15, 16, 17, 4096] {
            let data = allocate_zeroed(size).unwrap();
            assert_eq!(data.as_ptr().addr() % ALIGN, 0);
            // SAFETY: `data` is live; it was just allocated.
            unsafe {
                assert_eq!(len(data), size);
                assert_eq!(contents(data), vec![0; size]);
                // Freed once, not used again. (Miri checks the layout.)
                free(data);
            }
        }
    }

    #[test]
    fn writes_and_views_stay_in_bounds() {
        let data = allocate_zeroed(6).unwrap();
        // SAFETY: `data` is live; every source is a live local.
        unsafe {
            write(data, 0, b"abcdef".as_ptr(), 6).unwrap();
            // Overlapping: the block's own first 4 bytes, 2 bytes on.
            write(data, 2, data.as_ptr(), 4).unwrap();
            assert_eq!(contents(data), b"ababcd");

            let error = write(data, 5, b"xy".as_ptr(), 2).unwrap_err();
            assert_eq!(
                error,
                OutOfBounds {
                    offset: 5,
                    len: 2,
                    size: 6
                }
            );
            assert_eq!(contents(data), b"ababcd", "a failed write changes nothing");
            // An empty write reads nothing, so any source will do, but its
            // range must still be in bounds.
            write(data, 6, ptr::null(), 0).unwrap();
            assert!(write(data, 7, ptr::null(), 0).is_err());

            let middle = view(data, 1, 3).unwrap();
            assert_eq!(middle.as_ref(), b"bab");
            assert_eq!(middle.cast::<u8>(), data.add(1));
            assert!(view(data, 6, 0).unwrap().is_empty());
            assert!(view(data, 4, 3).is_err());
            assert!(view(data, usize::MAX, 2).is_err());
            free(data);
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

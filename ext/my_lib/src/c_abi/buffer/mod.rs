//! Byte buffers owned by my_lib and lent to the host: allocated zeroed,
//! written and read with bounds checks, released by pointer alone.

mod sized_block;

use std::ptr::{self, NonNull};

use super::boundary;
use super::failure::Failure;
use super::pointers;
use super::status::MyLibStatus;
use crate::core::buffer::checked_range;

/// A read-only view of `len` bytes at `ptr`; `ptr` may be NULL only when
/// `len` is 0.
///
/// Ownership: a view owns nothing and is never freed; the bytes belong to
/// whoever made them (the host, for an argument; the buffer, for a view
/// returned by `my_lib_buffer_read`). Lifetime: that of the bytes.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MyLibByteSlice {
    pub ptr: *const u8,
    pub len: usize,
}

/// `buffer` checked to be non-NULL and aligned like every buffer is, which
/// catches some pointers that did not come from `my_lib_buffer_alloc`.
fn buffer_pointer(buffer: *mut u8) -> Result<NonNull<u8>, Failure> {
    let buffer = pointers::required(buffer, "buffer")?;
    if buffer.as_ptr().addr() % sized_block::ALIGN != 0 {
        return Err(Failure::invalid_argument(
            "buffer was not returned by my_lib_buffer_alloc (misaligned)",
        ));
    }
    Ok(buffer)
}

/// Allocates a buffer of `len` zero bytes, 16-byte aligned, and stores its
/// address in `*out_buffer`.
///
/// Returns `MY_LIB_STATUS_OK`; `MY_LIB_STATUS_INVALID_ARGUMENT` when `len` is
/// 0; `MY_LIB_STATUS_ALLOCATION_FAILED` when the memory cannot be had (huge
/// sizes included: this never aborts); `MY_LIB_STATUS_NULL_POINTER` when
/// `out_buffer` is NULL. On failure `*out_buffer` is left unchanged.
///
/// Ownership: the buffer belongs to the caller, who must release it exactly
/// once with `my_lib_buffer_free` (or `free_buffer`), never with `free`.
/// Lifetime: until freed. Thread-safety: thread-safe.
///
/// # Safety
///
/// `out_buffer` is NULL or points to a `uint8_t *` the caller may write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn my_lib_buffer_alloc(len: usize, out_buffer: *mut *mut u8) -> MyLibStatus {
    boundary::status(|| {
        let out_buffer = pointers::required(out_buffer, "out_buffer")?;
        if len == 0 {
            return Err(Failure::invalid_argument("len must be at least 1"));
        }
        let buffer = sized_block::allocate_zeroed(len)?;
        // SAFETY: `out_buffer` is non-NULL and aligned (checked), and the
        // caller guarantees it points to a writable pointer.
        unsafe { out_buffer.write(buffer.as_ptr()) };
        Ok(())
    })
}

/// The length in bytes of a buffer from `my_lib_buffer_alloc`: always at
/// least 1, so 0 means failure (`MY_LIB_STATUS_NULL_POINTER` when `buffer`
/// is NULL).
///
/// Ownership: the buffer stays the caller's. Thread-safety: thread-safe; may
/// run while other threads read or write the buffer, but not free it.
///
/// # Safety
///
/// `buffer` is NULL or a buffer from `my_lib_buffer_alloc` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn my_lib_buffer_len(buffer: *const u8) -> usize {
    boundary::value_or(0, || {
        let buffer = buffer_pointer(buffer.cast_mut())?;
        // SAFETY: the caller guarantees a live buffer from my_lib_buffer_alloc.
        Ok(unsafe { sized_block::len(buffer) })
    })
}

/// Copies the bytes of `data` into `buffer`, starting `offset` bytes in.
/// `data` may overlap the buffer (the copy behaves like `memmove`).
///
/// Returns `MY_LIB_STATUS_OK`; `MY_LIB_STATUS_OUT_OF_BOUNDS` when
/// `offset + data.len` exceeds the buffer's length, in which case nothing is
/// written; `MY_LIB_STATUS_NULL_POINTER` when `buffer` is NULL, or
/// `data.ptr` is NULL with a non-zero `data.len`.
///
/// Ownership: both stay the caller's; `data` is only read during the call.
/// Thread-safety: thread-safe for distinct buffers; the caller must keep
/// other threads from reading or writing the same bytes meanwhile.
///
/// # Safety
///
/// `buffer` is NULL or a buffer from `my_lib_buffer_alloc` not yet freed;
/// `data.ptr` points to `data.len` readable bytes (or is NULL).
#[unsafe(no_mangle)]
pub unsafe extern "C" fn my_lib_buffer_write(
    buffer: *mut u8,
    offset: usize,
    data: MyLibByteSlice,
) -> MyLibStatus {
    boundary::status(|| {
        let buffer = buffer_pointer(buffer)?;
        if data.len == 0 {
            // Nothing to copy, but the range must still be in bounds.
            // SAFETY: the caller guarantees a live buffer.
            checked_range(offset, 0, unsafe { sized_block::len(buffer) })?;
            return Ok(());
        }
        let source = pointers::required(data.ptr.cast_mut(), "data.ptr")?;
        // SAFETY: the caller guarantees a live buffer.
        let range = checked_range(offset, data.len, unsafe { sized_block::len(buffer) })?;
        // SAFETY: the source is non-NULL and, by the caller's guarantee,
        // readable for data.len bytes; the destination range lies within the
        // buffer's data (checked_range); `ptr::copy` allows the two to overlap.
        unsafe {
            ptr::copy(
                source.as_ptr(),
                buffer.as_ptr().add(range.start),
                range.len(),
            )
        };
        Ok(())
    })
}

/// Stores in `*out_bytes` a view of the `len` bytes of `buffer` that start
/// `offset` bytes in, after checking that they lie within it.
///
/// Returns `MY_LIB_STATUS_OK`; `MY_LIB_STATUS_OUT_OF_BOUNDS` when
/// `offset + len` exceeds the buffer's length; `MY_LIB_STATUS_NULL_POINTER`
/// when `buffer` or `out_bytes` is NULL. On failure `*out_bytes` is left
/// unchanged.
///
/// Ownership: the view borrows from the buffer and is not freed. Lifetime:
/// valid until the buffer is freed; it shows the buffer's current bytes.
/// Thread-safety: thread-safe; may run while other threads read or write the
/// buffer, but not free it.
///
/// # Safety
///
/// `buffer` is NULL or a buffer from `my_lib_buffer_alloc` not yet freed;
/// `out_bytes` is NULL or points to a `MyLibByteSlice` the caller may write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn my_lib_buffer_read(
    buffer: *const u8,
    offset: usize,
    len: usize,
    out_bytes: *mut MyLibByteSlice,
) -> MyLibStatus {
    boundary::status(|| {
        let buffer = buffer_pointer(buffer.cast_mut())?;
        let out_bytes = pointers::required(out_bytes, "out_bytes")?;
        // SAFETY: the caller guarantees a live buffer.
        let range = checked_range(offset, len, unsafe { sized_block::len(buffer) })?;
        // SAFETY: range.start <= the buffer's length (checked_range), so the
        // result is within the buffer's data or one past its end.
        let ptr = unsafe { buffer.as_ptr().add(range.start) };
        let view = MyLibByteSlice {
            ptr,
            len: range.len(),
        };
        // SAFETY: `out_bytes` is non-NULL and aligned (checked), and the
        // caller guarantees it points to a writable MyLibByteSlice.
        unsafe { out_bytes.write(view) };
        Ok(())
    })
}

/// Releases a buffer from `my_lib_buffer_alloc` (or `allocate_buffer`):
/// exactly the memory that was allocated. NULL is a no-op.
///
/// Ownership: takes the buffer back; it and every view of it are invalid
/// afterwards. Thread-safety: thread-safe, for distinct buffers; no other
/// thread may be using this one.
///
/// # Safety
///
/// `buffer` is NULL, or a buffer from `my_lib_buffer_alloc` not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn my_lib_buffer_free(buffer: *mut u8) {
    boundary::value_or((), || {
        if buffer.is_null() {
            return Ok(());
        }
        let buffer = buffer_pointer(buffer)?;
        // SAFETY: the caller guarantees a live buffer from
        // my_lib_buffer_alloc, freed only this once.
        unsafe { sized_block::free(buffer) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::c_abi::last_error::last_failure;

    /// A buffer of `len` bytes, allocated through the C ABI.
    fn allocate(len: usize) -> *mut u8 {
        let mut buffer = ptr::null_mut();
        // SAFETY: `buffer` is a live, writable pointer.
        assert_eq!(
            unsafe { my_lib_buffer_alloc(len, &mut buffer) },
            MyLibStatus::Ok
        );
        buffer
    }

    fn bytes(data: &[u8]) -> MyLibByteSlice {
        MyLibByteSlice {
            ptr: data.as_ptr(),
            len: data.len(),
        }
    }

    /// The whole content of a live buffer, read through the C ABI.
    fn contents(buffer: *const u8) -> Vec<u8> {
        let mut view = MyLibByteSlice {
            ptr: ptr::null(),
            len: 0,
        };
        // SAFETY: `buffer` is live; `view` is writable.
        let status = unsafe { my_lib_buffer_read(buffer, 0, my_lib_buffer_len(buffer), &mut view) };
        assert_eq!(status, MyLibStatus::Ok);
        // SAFETY: a successful read gives a view of `view.len` live bytes.
        unsafe { std::slice::from_raw_parts(view.ptr, view.len) }.to_vec()
    }

    #[test]
    fn allocate_write_read_free() {
        let buffer = allocate(8);
        // SAFETY: `buffer` is live.
        assert_eq!(unsafe { my_lib_buffer_len(buffer) }, 8);
        assert_eq!(buffer.addr() % 16, 0);
        assert_eq!(contents(buffer), [0; 8]);

        // SAFETY: `buffer` is live and the data is a live slice.
        let status = unsafe { my_lib_buffer_write(buffer, 2, bytes(b"abc")) };
        assert_eq!(status, MyLibStatus::Ok);
        assert_eq!(contents(buffer), b"\0\0abc\0\0\0");

        let mut view = MyLibByteSlice {
            ptr: ptr::null(),
            len: 0,
        };
        // SAFETY: `buffer` is live; `view` is writable.
        assert_eq!(
            unsafe { my_lib_buffer_read(buffer, 3, 2, &mut view) },
            MyLibStatus::Ok
        );
        // SAFETY: a successful read gives a view of `view.len` live bytes.
        assert_eq!(
            unsafe { std::slice::from_raw_parts(view.ptr, view.len) },
            b"bc"
        );
        assert_eq!(last_failure(), None);
        // SAFETY: freed once.
        unsafe { my_lib_buffer_free(buffer) };
        assert_eq!(last_failure(), None);
    }

    #[test]
    fn writes_may_overlap_the_buffer() {
        let buffer = allocate(6);
        // SAFETY: `buffer` is live and the data is a live slice.
        unsafe { my_lib_buffer_write(buffer, 0, bytes(b"abcdef")) };
        let overlapping = MyLibByteSlice {
            ptr: buffer,
            len: 4,
        };
        // SAFETY: the data is the buffer's own first 4 bytes, live.
        let status = unsafe { my_lib_buffer_write(buffer, 2, overlapping) };
        assert_eq!(status, MyLibStatus::Ok);
        assert_eq!(contents(buffer), b"ababcd");
        // SAFETY: freed once.
        unsafe { my_lib_buffer_free(buffer) };
    }

    #[test]
    fn out_of_bounds_access_changes_nothing() {
        let buffer = allocate(4);
        // SAFETY: `buffer` is live and the data is a live slice.
        let status = unsafe { my_lib_buffer_write(buffer, 3, bytes(b"xy")) };
        assert_eq!(status, MyLibStatus::OutOfBounds);
        assert_eq!(
            last_failure().unwrap().message,
            "range 3...5 (length 2) is outside a buffer of 4 bytes"
        );
        assert_eq!(contents(buffer), [0; 4]);
        // SAFETY: `buffer` is live; an empty slice reads no memory.
        let status = unsafe { my_lib_buffer_write(buffer, 5, bytes(b"")) };
        assert_eq!(status, MyLibStatus::OutOfBounds);
        // SAFETY: `buffer` is live; an empty NULL slice reads no memory.
        let empty = MyLibByteSlice {
            ptr: ptr::null(),
            len: 0,
        };
        assert_eq!(
            unsafe { my_lib_buffer_write(buffer, 4, empty) },
            MyLibStatus::Ok
        );

        let mut view = MyLibByteSlice {
            ptr: ptr::null(),
            len: 0,
        };
        for (offset, len) in [(0, 5), (usize::MAX, 2)] {
            // SAFETY: `buffer` is live; `view` is writable.
            let status = unsafe { my_lib_buffer_read(buffer, offset, len, &mut view) };
            assert_eq!(status, MyLibStatus::OutOfBounds);
            assert!(view.ptr.is_null(), "the view is untouched on failure");
        }
        // SAFETY: freed once.
        unsafe { my_lib_buffer_free(buffer) };
    }

    #[test]
    fn zero_and_impossible_lengths_fail_without_aborting() {
        let mut buffer = ptr::null_mut();
        // SAFETY: `buffer` is a live, writable pointer.
        let status = unsafe { my_lib_buffer_alloc(0, &mut buffer) };
        assert_eq!(status, MyLibStatus::InvalidArgument);
        assert_eq!(last_failure().unwrap().message, "len must be at least 1");
        for len in [usize::MAX, isize::MAX as usize] {
            // SAFETY: `buffer` is a live, writable pointer.
            let status = unsafe { my_lib_buffer_alloc(len, &mut buffer) };
            assert_eq!(status, MyLibStatus::AllocationFailed);
            assert!(buffer.is_null());
        }
    }

    #[test]
    fn null_and_foreign_pointers_are_rejected() {
        // SAFETY: NULL is allowed by every contract (and rejected).
        unsafe {
            let status = my_lib_buffer_alloc(1, ptr::null_mut());
            assert_eq!(status, MyLibStatus::NullPointer);
            assert_eq!(last_failure().unwrap().message, "out_buffer is NULL");
            assert_eq!(my_lib_buffer_len(ptr::null()), 0);
            assert_eq!(last_failure().unwrap().status, MyLibStatus::NullPointer);
            let status = my_lib_buffer_write(ptr::null_mut(), 0, bytes(b"a"));
            assert_eq!(status, MyLibStatus::NullPointer);
            let mut view = bytes(b"");
            let status = my_lib_buffer_read(ptr::null(), 0, 0, &mut view);
            assert_eq!(status, MyLibStatus::NullPointer);
            my_lib_buffer_free(ptr::null_mut());
            assert_eq!(last_failure(), None);
        }

        let buffer = allocate(2);
        // SAFETY: `buffer` is live; NULL data and output are rejected.
        unsafe {
            let null_data = MyLibByteSlice {
                ptr: ptr::null(),
                len: 1,
            };
            let status = my_lib_buffer_write(buffer, 0, null_data);
            assert_eq!(status, MyLibStatus::NullPointer);
            assert_eq!(last_failure().unwrap().message, "data.ptr is NULL");
            let status = my_lib_buffer_read(buffer, 0, 1, ptr::null_mut());
            assert_eq!(status, MyLibStatus::NullPointer);
        }
        // A pointer into the middle of a buffer is misaligned, so it is
        // caught before its "header" is read.
        // SAFETY: the misaligned pointer is rejected before use.
        unsafe {
            assert_eq!(my_lib_buffer_len(buffer.add(1)), 0);
            assert_eq!(last_failure().unwrap().status, MyLibStatus::InvalidArgument);
            my_lib_buffer_free(buffer.add(1));
            assert_eq!(last_failure().unwrap().status, MyLibStatus::InvalidArgument);
            my_lib_buffer_free(buffer);
        }
    }
}

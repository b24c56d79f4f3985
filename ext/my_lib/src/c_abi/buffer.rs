//! Byte buffers owned by my_lib and lent to the host: allocated zeroed,
//! written and read with bounds checks, released by pointer alone. The
//! blocks themselves, which know their own size, are
//! [`crate::core::sized_alloc`]'s; this module checks the host's arguments.

use std::marker::PhantomData;
use std::ptr::NonNull;

use super::boundary;
use super::failure::Failure;
use super::pointers;
use super::status::MyLibStatus;
use crate::core::sized_alloc;

/// A read-only view of `len` bytes at `ptr`; `ptr` may be NULL only when
/// `len` is 0.
///
/// Ownership: a view owns nothing and is never freed; the bytes belong to
/// whoever made them (the host, for an argument; the buffer, for a view
/// returned by `my_lib_buffer_read`). Lifetime: that of the bytes: for an
/// argument, the call; for a view from `my_lib_buffer_read`, until the buffer
/// is freed.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MyLibByteSlice<'a> {
    pub ptr: *const u8,
    pub len: usize,
    // In Rust, the view borrows the bytes for `'a`, as rustls-ffi's
    // `rustls_slice_bytes` does: made from a `&'a [u8]` (`From`), it
    // cannot outlive them, and what reads it gets a `&'a [u8]`, never a
    // borrow of made-up length. Zero-sized, and omitted by cbindgen: the C
    // layout is the two fields above.
    phantom: PhantomData<&'a [u8]>,
}

/// Making views in Rust: from a borrowed slice (`From<&'a [u8]>`), or from
/// raw parts.
impl<'a> MyLibByteSlice<'a> {
    /// The view `{ptr, len}`, unchecked: any values may be given, as a C
    /// host may pass any; the functions that read a view check what they can
    /// and document the rest.
    pub const fn from_raw_parts(ptr: *const u8, len: usize) -> Self {
        MyLibByteSlice {
            ptr,
            len,
            phantom: PhantomData,
        }
    }
}

impl<'a> From<&'a [u8]> for MyLibByteSlice<'a> {
    /// A view of `bytes`, valid while they are borrowed.
    fn from(bytes: &'a [u8]) -> Self {
        MyLibByteSlice::from_raw_parts(bytes.as_ptr(), bytes.len())
    }
}

/// `buffer` checked to be non-NULL and aligned like every buffer is, which
/// catches some pointers that did not come from `my_lib_buffer_alloc`.
fn buffer_pointer(buffer: *mut u8) -> Result<NonNull<u8>, Failure> {
    let buffer = pointers::required(buffer, "buffer")?;
    if buffer.as_ptr().addr() % sized_alloc::ALIGN != 0 {
        return Err(Failure::invalid_argument(
            "buffer was not returned by my_lib_buffer_alloc (misaligned)",
        ));
    }
    Ok(buffer)
}

/// A new zeroed buffer of `len` bytes, for the host: the checked body of
/// `my_lib_buffer_alloc` and of the tutorial's `allocate_buffer` (which must
/// not call the exported symbol: see "Interposition" in the `c_abi` module
/// documentation).
///
/// Ownership: the buffer is the caller's, to release with [`buffer_free`].
pub(crate) fn allocate(len: usize) -> Result<NonNull<u8>, Failure> {
    if len == 0 {
        return Err(Failure::invalid_argument("len must be at least 1"));
    }
    Ok(sized_alloc::allocate_zeroed(len)?)
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
        let buffer = allocate(len)?;
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
        Ok(unsafe { sized_alloc::len(buffer) })
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
    data: MyLibByteSlice<'_>,
) -> MyLibStatus {
    boundary::status(|| {
        let buffer = buffer_pointer(buffer)?;
        // NULL data is allowed only with nothing to copy.
        if data.len > 0 {
            pointers::required(data.ptr.cast_mut(), "data.ptr")?;
        }
        // The data stays a raw pointer, never a `&[u8]`: it may be the
        // buffer's own bytes, which a shared reference would forbid writing.
        // SAFETY: the caller guarantees a live buffer from
        // my_lib_buffer_alloc and `data.len` readable bytes at `data.ptr`,
        // non-NULL when `data.len > 0` (checked).
        unsafe { sized_alloc::write(buffer, offset, data.ptr, data.len) }?;
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
/// valid until the buffer is freed (by `my_lib_buffer_free` or
/// `free_buffer`), however many calls happen meanwhile; it shows the
/// buffer's current bytes, so writes made since are visible through it.
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
    out_bytes: *mut MyLibByteSlice<'_>,
) -> MyLibStatus {
    boundary::status(|| {
        let buffer = buffer_pointer(buffer.cast_mut())?;
        let out_bytes = pointers::required(out_bytes, "out_bytes")?;
        // SAFETY: the caller guarantees a live buffer from my_lib_buffer_alloc.
        let bytes = unsafe { sized_alloc::view(buffer, offset, len) }?;
        let view = MyLibByteSlice::from_raw_parts(bytes.cast().as_ptr(), bytes.len());
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
    // SAFETY: this function's contract is buffer_free's.
    unsafe { buffer_free(buffer) }
}

/// The body of [`my_lib_buffer_free`], for the library's own callers (the
/// tutorial's `free_buffer`), which must not call the exported symbol: see
/// "Interposition" in the `c_abi` module documentation.
///
/// # Safety
///
/// As [`my_lib_buffer_free`]'s.
pub(crate) unsafe fn buffer_free(buffer: *mut u8) {
    boundary::value_or((), || {
        if buffer.is_null() {
            return Ok(());
        }
        let buffer = buffer_pointer(buffer)?;
        // SAFETY: the caller guarantees a live buffer from
        // my_lib_buffer_alloc, freed only this once.
        unsafe { sized_alloc::free(buffer) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::c_abi::last_error::last_failure;
    use std::ptr;

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

    fn bytes(data: &[u8]) -> MyLibByteSlice<'_> {
        data.into()
    }

    const NO_BYTES: MyLibByteSlice<'static> = MyLibByteSlice::from_raw_parts(ptr::null(), 0);

    #[test]
    fn a_view_is_two_fields_borrowing_its_bytes() {
        assert_eq!(size_of::<MyLibByteSlice<'_>>(), 2 * size_of::<usize>());
        assert_eq!(
            std::mem::offset_of!(MyLibByteSlice<'_>, len),
            size_of::<usize>()
        );
        let data = *b"abc";
        let view = bytes(&data);
        assert_eq!((view.ptr, view.len), (data.as_ptr(), 3));
    }

    /// The whole content of a live buffer, read through the C ABI.
    fn contents(buffer: *const u8) -> Vec<u8> {
        let mut view = NO_BYTES;
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

        let mut view = NO_BYTES;
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
        let overlapping = MyLibByteSlice::from_raw_parts(buffer, 4);
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
        assert_eq!(
            unsafe { my_lib_buffer_write(buffer, 4, NO_BYTES) },
            MyLibStatus::Ok
        );

        let mut view = NO_BYTES;
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
            let null_data = MyLibByteSlice::from_raw_parts(ptr::null(), 1);
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

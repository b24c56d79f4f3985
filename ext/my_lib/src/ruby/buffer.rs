//! `MyLib::Buffer`: a fixed-size byte buffer whose memory Rust owns.
//!
//! The bytes are a `Box<[u8]>` from [`core::buffer`], owned by the Ruby
//! object and freed by `close`/`free` or, failing that, when the object is
//! collected. Ruby's GC sees them twice: `ObjectSpace.memsize_of` reports
//! them (`DataTypeFunctions::size`), and they count as external memory
//! (`rb_gc_adjust_memory_usage`), so large buffers make Ruby collect sooner.
//!
//! A Buffer is mutable and not shareable: only the Ractor that made it can
//! reach it. Frozen Buffers raise `FrozenError` on every change.
//!
//! # Threads
//!
//! Ruby threads of one Ractor take turns, and may switch at any call into
//! Ruby. The bytes sit in a `RefCell`, borrowed only by
//! [`Buffer::with_bytes`], [`Buffer::with_bytes_mut`] and [`Buffer::swap`],
//! whose work is plain Rust: the closures must be `Send`, which keeps every
//! Ruby handle (`&Ruby`, `Value`, `RString`, `Obj`) out of them. Whatever
//! needs Ruby (converting arguments, building a String or an error message)
//! happens before the borrow or after it ends, with what was copied out. So
//! no other thread, and no Ruby code, can run while the bytes are borrowed,
//! and a borrow never finds another one. Should one ever do, the call raises
//! `ThreadError` ("MyLib::Buffer is in use by another call"), as documented,
//! rather than panicking.
//!
//! [`core::buffer`]: crate::core::buffer

use std::cell::RefCell;
use std::ops::{Deref, DerefMut};

use magnus::{
    Class, DataTypeFunctions, Error, Module, Object, RClass, RModule, RString, Ruby, TryConvert,
    TypedData, Value, method, prelude::*, typed_data::Obj,
};

use super::{boundary::guard, convert, describe, errors};
use crate::core::buffer::{self as core_buffer, OutOfBounds};

/// A Ruby `MyLib::Buffer`: `None` once closed.
#[derive(TypedData)]
#[magnus(class = "MyLib::Buffer", free_immediately, size)]
pub struct Buffer {
    bytes: RefCell<Option<GcAccounted>>,
}

/// `Buffer.allocate`: an open, empty buffer, which `initialize` then sizes.
impl Default for Buffer {
    fn default() -> Self {
        Buffer::holding(GcAccounted::empty())
    }
}

impl DataTypeFunctions for Buffer {
    /// The object plus the bytes it owns, for `ObjectSpace.memsize_of`.
    fn size(&self) -> usize {
        let owned = self
            .bytes
            .try_borrow()
            .map_or(0, |bytes| bytes.as_ref().map_or(0, |bytes| bytes.len()));
        std::mem::size_of::<Self>() + owned
    }
}

/// Bytes counted by Ruby's GC as external memory for as long as they live.
struct GcAccounted(Box<[u8]>);

impl GcAccounted {
    fn new(ruby: &Ruby, bytes: Box<[u8]>) -> Self {
        ruby.gc_adjust_memory_usage(signed(bytes.len()));
        GcAccounted(bytes)
    }

    /// Zero bytes: nothing to account for, so no Ruby handle is needed.
    fn empty() -> Self {
        GcAccounted(Box::default())
    }
}

impl Drop for GcAccounted {
    /// Gives the bytes back to the GC's count, as `ruby_xfree` would. This
    /// runs when a buffer is closed and, for an open one, when the GC frees
    /// it; `rb_gc_adjust_memory_usage` with a negative amount only lowers a
    /// counter, so it is safe inside the GC's free step.
    fn drop(&mut self) {
        if let Ok(ruby) = Ruby::get() {
            ruby.gc_adjust_memory_usage(-signed(self.0.len()));
        }
    }
}

impl Deref for GcAccounted {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl DerefMut for GcAccounted {
    fn deref_mut(&mut self) -> &mut [u8] {
        &mut self.0
    }
}

/// A Rust allocation never exceeds `isize::MAX` bytes, so this is lossless.
fn signed(len: usize) -> isize {
    isize::try_from(len).unwrap_or(isize::MAX)
}

pub fn init(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    let class = module.define_class("Buffer", ruby.class_object())?;
    class.define_alloc_func::<Buffer>();
    class.define_singleton_method("from", method!(Buffer::from_string, 1))?;
    class.define_method("initialize", method!(Buffer::initialize, 1))?;
    class.define_method("initialize_copy", method!(Buffer::initialize_copy, 1))?;
    class.define_method("size", method!(Buffer::size, 0))?;
    class.define_method("[]", method!(Buffer::get, 1))?;
    class.define_method("[]=", method!(Buffer::set, 2))?;
    class.define_method("read", method!(Buffer::read, -1))?;
    class.define_method("write", method!(Buffer::write, 2))?;
    class.define_method("fill", method!(Buffer::fill, 1))?;
    class.define_method("==", method!(Buffer::eq, 1))?;
    class.define_method("inspect", method!(Buffer::inspect, 0))?;
    class.define_method("to_s", method!(Buffer::inspect, 0))?;
    class.define_method("close", method!(Buffer::close, 0))?;
    class.define_method("free", method!(Buffer::close, 0))?;
    class.define_method("closed?", method!(Buffer::is_closed, 0))?;
    Ok(())
}

/// Why a call could not have the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unavailable {
    /// `close` released them: `MyLib::ClosedError`.
    Closed,
    /// Another call has them borrowed: `ThreadError`. Unreachable while no
    /// Ruby code runs under a borrow (see the module documentation), and
    /// an error rather than a panic should that ever change.
    Busy,
}

impl Unavailable {
    fn into_error(self, ruby: &Ruby) -> Error {
        match self {
            Unavailable::Closed => errors::closed_error(ruby, "MyLib::Buffer"),
            Unavailable::Busy => Error::new(
                ruby.exception_thread_error(),
                "MyLib::Buffer is in use by another call",
            ),
        }
    }
}

impl Buffer {
    fn holding(bytes: GcAccounted) -> Self {
        Buffer {
            bytes: RefCell::new(Some(bytes)),
        }
    }

    /// Runs `read` over the bytes and returns its result. `read` is plain
    /// Rust: being `Send`, it cannot hold a Ruby handle, so nothing can call
    /// Ruby while the bytes are borrowed.
    fn with_bytes<R>(&self, read: impl FnOnce(&[u8]) -> R + Send) -> Result<R, Unavailable> {
        let bytes = self.bytes.try_borrow().map_err(|_| Unavailable::Busy)?;
        bytes.as_deref().map(read).ok_or(Unavailable::Closed)
    }

    /// Runs `change` over the bytes, as [`Buffer::with_bytes`] does. The
    /// caller checks `FrozenError` first.
    fn with_bytes_mut<R>(
        &self,
        change: impl FnOnce(&mut [u8]) -> R + Send,
    ) -> Result<R, Unavailable> {
        let mut bytes = self.bytes.try_borrow_mut().map_err(|_| Unavailable::Busy)?;
        bytes.as_deref_mut().map(change).ok_or(Unavailable::Closed)
    }

    /// Puts `bytes` (`None` closes) in place of the current bytes and hands
    /// the old ones back, for the caller to drop once the borrow has ended.
    fn swap(&self, bytes: Option<GcAccounted>) -> Result<Option<GcAccounted>, Unavailable> {
        let mut current = self.bytes.try_borrow_mut().map_err(|_| Unavailable::Busy)?;
        Ok(std::mem::replace(&mut *current, bytes))
    }

    /// Whether both buffers hold the same bytes (compared under two shared
    /// borrows, which never conflict with each other).
    fn same_bytes(&self, other: &Buffer) -> Result<bool, Unavailable> {
        let mine = self.bytes.try_borrow().map_err(|_| Unavailable::Busy)?;
        let theirs = other.bytes.try_borrow().map_err(|_| Unavailable::Busy)?;
        match (mine.as_deref(), theirs.as_deref()) {
            (Some(mine), Some(theirs)) => Ok(mine == theirs),
            _ => Err(Unavailable::Closed),
        }
    }

    /// Makes `bytes` the buffer's bytes (after `FrozenError` checks by the
    /// caller); the old ones are freed after the borrow.
    fn install(&self, ruby: &Ruby, bytes: GcAccounted) -> Result<(), Error> {
        let old = self.swap(Some(bytes)).map_err(|why| why.into_error(ruby))?;
        drop(old);
        Ok(())
    }

    /// `Buffer.new(size)`: `size` zero bytes.
    fn initialize(ruby: &Ruby, rb_self: Value, size: Value) -> Result<(), Error> {
        guard(ruby, || {
            let buffer = this(rb_self)?;
            let size = convert::size(ruby, size, "size")?;
            buffer.check_frozen()?;
            let bytes =
                core_buffer::zeroed(size).map_err(|error| errors::no_memory(ruby, error))?;
            buffer.install(ruby, GcAccounted::new(ruby, bytes))
        })
    }

    /// `Buffer.from(string)`: a copy of the String's bytes, whatever its
    /// encoding, in a new instance of `class` (a subclass, maybe).
    fn from_string(ruby: &Ruby, class: Value, string: Value) -> Result<Obj<Buffer>, Error> {
        guard(ruby, || {
            let class = RClass::try_convert(class)?;
            let string = RString::try_convert(string)?;
            let bytes = {
                // SAFETY: the slice is read by `copied` alone, which runs no
                // Ruby code, so the String cannot change or be collected
                // meanwhile (it is also on the stack, as `string`).
                let source = unsafe { string.as_slice() };
                core_buffer::copied(source)
            }
            .map_err(|error| errors::no_memory(ruby, error))?;
            let bytes = GcAccounted::new(ruby, bytes);
            // The class's allocator (an empty `Buffer`), under `rb_protect`.
            let buffer = this(class.obj_alloc()?)?;
            buffer.install(ruby, bytes)?;
            Ok(buffer)
        })
    }

    /// `dup` and `clone`: the copy owns a copy of the bytes.
    fn initialize_copy(ruby: &Ruby, rb_self: Value, original: Value) -> Result<(), Error> {
        guard(ruby, || {
            let buffer = this(rb_self)?;
            let original = convert::typed::<Buffer>(ruby, original, "original", "MyLib::Buffer")?;
            buffer.check_frozen()?;
            let bytes = original
                .with_bytes(core_buffer::copied)
                .map_err(|why| why.into_error(ruby))?
                .map_err(|error| errors::no_memory(ruby, error))?;
            buffer.install(ruby, GcAccounted::new(ruby, bytes))
        })
    }

    fn size(ruby: &Ruby, rb_self: Value) -> Result<usize, Error> {
        guard(ruby, || {
            this(rb_self)?
                .with_bytes(|bytes| bytes.len())
                .map_err(|why| why.into_error(ruby))
        })
    }

    /// `buffer[index]`: the byte at `index`, counting from the end when
    /// negative, as Array does; `IndexError` outside the buffer.
    fn get(ruby: &Ruby, rb_self: Value, index: Value) -> Result<u8, Error> {
        guard(ruby, || {
            let buffer = this(rb_self)?;
            let (index, wanted) = index_argument(ruby, index)?;
            buffer
                .with_bytes(|bytes| position(wanted, bytes.len()).map(|at| bytes[at]))
                .map_err(|why| why.into_error(ruby))?
                .map_err(|len| outside(ruby, index, len))
        })
    }

    /// `buffer[index] = byte`, with `byte` an Integer in `0..255`.
    fn set(ruby: &Ruby, rb_self: Value, index: Value, byte: Value) -> Result<u8, Error> {
        guard(ruby, || {
            let buffer = this(rb_self)?;
            let byte = byte_value(ruby, byte)?;
            let (index, wanted) = index_argument(ruby, index)?;
            buffer.check_frozen()?;
            buffer
                .with_bytes_mut(|bytes| {
                    let at = position(wanted, bytes.len())?;
                    bytes[at] = byte;
                    Ok(byte)
                })
                .map_err(|why| why.into_error(ruby))?
                .map_err(|len| outside(ruby, index, len))
        })
    }

    /// `read(offset = 0, length = size - offset)`: a binary String holding a
    /// copy of `length` bytes from `offset`.
    ///
    /// The bytes are copied out under the borrow, and the String is made
    /// from the copy afterwards (see [`convert::binary_string`]).
    fn read(ruby: &Ruby, rb_self: Value, args: &[Value]) -> Result<RString, Error> {
        guard(ruby, || {
            let buffer = this(rb_self)?;
            if args.len() > 2 {
                return Err(Error::new(
                    ruby.exception_arg_error(),
                    format!(
                        "wrong number of arguments (given {}, expected 0..2)",
                        args.len()
                    ),
                ));
            }
            let offset = match args.first() {
                Some(&offset) => convert::size(ruby, offset, "offset")?,
                None => 0,
            };
            let length = match args.get(1) {
                Some(&length) => Some(convert::size(ruby, length, "length")?),
                None => None,
            };
            let copy = buffer
                .with_bytes(|bytes| {
                    let length = length.unwrap_or_else(|| bytes.len().saturating_sub(offset));
                    core_buffer::read(bytes, offset, length).map(core_buffer::copied)
                })
                .map_err(|why| why.into_error(ruby))?
                .map_err(|error| out_of_bounds(ruby, error))?
                .map_err(|error| errors::no_memory(ruby, error))?;
            convert::binary_string(ruby, &copy)
        })
    }

    /// `write(offset, string)`: copies the String's bytes in at `offset`,
    /// all or nothing, and returns how many were written.
    fn write(ruby: &Ruby, rb_self: Value, offset: Value, string: Value) -> Result<usize, Error> {
        guard(ruby, || {
            let buffer = this(rb_self)?;
            let offset = convert::size(ruby, offset, "offset")?;
            let string = RString::try_convert(string)?;
            buffer.check_frozen()?;
            // SAFETY: the slice is read by `core_buffer::write` alone, under
            // the borrow, where no Ruby code can run (the closure is `Send`,
            // so it holds no Ruby handle): the String can be neither changed
            // nor collected meanwhile (it is also on the stack, as `string`).
            // It cannot overlap the bytes, which Rust allocated.
            let source = unsafe { string.as_slice() };
            buffer
                .with_bytes_mut(|bytes| {
                    core_buffer::write(bytes, offset, source).map(|()| source.len())
                })
                .map_err(|why| why.into_error(ruby))?
                .map_err(|error| out_of_bounds(ruby, error))
        })
    }

    /// `fill(byte)`: sets every byte; returns the buffer.
    fn fill(ruby: &Ruby, rb_self: Value, byte: Value) -> Result<Obj<Buffer>, Error> {
        guard(ruby, || {
            let buffer = this(rb_self)?;
            let byte = byte_value(ruby, byte)?;
            buffer.check_frozen()?;
            buffer
                .with_bytes_mut(|bytes| bytes.fill(byte))
                .map_err(|why| why.into_error(ruby))?;
            Ok(buffer)
        })
    }

    /// `other` is this very Buffer, or an open Buffer with the same bytes; a
    /// closed Buffer equals only itself, so `Array#include?` and friends
    /// work with closed Buffers around.
    fn eq(ruby: &Ruby, rb_self: Value, other: Value) -> Result<bool, Error> {
        guard(ruby, || {
            let buffer = this(rb_self)?;
            let Some(other) = convert::instance::<Buffer>(ruby, other) else {
                return Ok(false);
            };
            if std::ptr::eq::<Buffer>(&*buffer, &*other) {
                return Ok(true);
            }
            match buffer.same_bytes(&other) {
                Ok(same) => Ok(same),
                Err(Unavailable::Closed) => Ok(false),
                Err(why) => Err(why.into_error(ruby)),
            }
        })
    }

    /// `inspect` and `to_s`: `#<MyLib::Buffer size=16>` or
    /// `#<MyLib::Buffer closed>`; never the content, which may be large or
    /// secret, so that interpolation and Ruby's own error messages do not
    /// show it either.
    fn inspect(ruby: &Ruby, rb_self: Value) -> Result<RString, Error> {
        guard(ruby, || {
            let buffer = this(rb_self)?;
            let state = match buffer.with_bytes(|bytes| bytes.len()) {
                Ok(size) => format!("size={size}"),
                Err(Unavailable::Closed) => "closed".to_owned(),
                Err(why) => return Err(why.into_error(ruby)),
            };
            let class = describe::class_name(rb_self);
            convert::utf8_string(ruby, &format!("#<{class} {state}>"))
        })
    }

    /// `close` and `free`: releases the memory now. Closing twice is
    /// harmless.
    fn close(ruby: &Ruby, rb_self: Value) -> Result<(), Error> {
        guard(ruby, || {
            let buffer = this(rb_self)?;
            buffer.check_frozen()?;
            let old = buffer.swap(None).map_err(|why| why.into_error(ruby))?;
            drop(old);
            Ok(())
        })
    }

    fn is_closed(ruby: &Ruby, rb_self: Value) -> Result<bool, Error> {
        guard(ruby, || match this(rb_self)?.with_bytes(|_| ()) {
            Ok(()) => Ok(false),
            Err(Unavailable::Closed) => Ok(true),
            Err(why) => Err(why.into_error(ruby)),
        })
    }
}

/// The receiver of a Buffer method (always a Buffer, which Ruby checks
/// before calling a method defined on the class; this makes it a handle).
fn this(rb_self: Value) -> Result<Obj<Buffer>, Error> {
    Obj::<Buffer>::try_convert(rb_self)
}

/// An index argument: the Integer, for error messages, and its value when
/// it fits an `i64` (`None`: too far from zero for any buffer).
fn index_argument(ruby: &Ruby, index: Value) -> Result<(magnus::Integer, Option<i64>), Error> {
    let index = convert::integer(ruby, index, "index")?;
    Ok((index, index.to_i64().ok()))
}

/// Where `index` (negative: from the end) falls in `len` bytes, or `len`
/// back when outside, for the error message. Plain Rust: it runs under the
/// borrow.
fn position(index: Option<i64>, len: usize) -> Result<usize, usize> {
    let index = index.ok_or(len)?;
    let position = if index < 0 {
        usize::try_from(index.unsigned_abs())
            .ok()
            .and_then(|back| len.checked_sub(back))
    } else {
        usize::try_from(index).ok()
    };
    position.filter(|&at| at < len).ok_or(len)
}

/// `IndexError` for `index` outside `len` bytes, built after the borrow:
/// printing a Bignum calls Ruby's C code (and can fail for lack of memory).
fn outside(ruby: &Ruby, index: magnus::Integer, len: usize) -> Error {
    match describe::integer_text(index) {
        Ok(index) => Error::new(
            ruby.exception_index_error(),
            format!("index {index} outside of a buffer of {len} bytes (-{len}...{len})"),
        ),
        Err(no_memory) => no_memory,
    }
}

/// An Integer in `0..255`: `TypeError` for other types, `RangeError` outside.
fn byte_value(ruby: &Ruby, value: Value) -> Result<u8, Error> {
    let integer = convert::integer(ruby, value, "byte")?;
    match integer.to_u8() {
        Ok(byte) => Ok(byte),
        Err(_) => Err(Error::new(
            ruby.exception_range_error(),
            format!(
                "byte {} is outside 0..255",
                describe::integer_text(integer)?
            ),
        )),
    }
}

fn out_of_bounds(ruby: &Ruby, error: OutOfBounds) -> Error {
    Error::new(ruby.exception_index_error(), error.to_string())
}

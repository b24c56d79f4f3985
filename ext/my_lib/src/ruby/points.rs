//! `MyLib::Points`: an immutable, contiguous array of points that Rust
//! owns, over [`crate::core::points`].
//!
//! The points are a `Box<[Point]>` of the `#[repr(C)]` [`CorePoint`] the C
//! ABI uses (16 bytes a point), behind an `Arc`: a bulk operation clones
//! the `Arc` and works on that snapshot with the GVL released (see
//! [`nogvl`](super::nogvl)), so no Ruby thread can change or free the points
//! meanwhile. Nothing can change them anyway: a Points is frozen when made
//! and has no method that modifies it; operations return new Points.
//!
//! `nearest` and `within` scan the points for the first
//! [`SCANS_BEFORE_INDEX`] queries, then build a [`SpatialIndex`] (a k-d
//! tree), kept with the points for later queries: building costs about as
//! much as that many scans, so one-off queries never pay for it. A build
//! that runs out of memory is dropped and the points are scanned (see
//! `PointSet::index_for_query`); either way the answers are the same.
//!
//! Every buffer whose size depends on the input is allocated fallibly: when
//! memory runs out, the method raises `NoMemoryError` and the process
//! lives (spec/my_lib/points_memory_spec.rb checks each method under
//! `RLIMIT_AS`).
//!
//! Ruby's GC sees the memory: `ObjectSpace.memsize_of` reports the points
//! and the index, and both count as external memory
//! (`rb_gc_adjust_memory_usage`), adjusted only while holding the GVL.
//!
//! The Enumerable methods, `[]` with ranges, `to_a`, `inspect`, Marshal and
//! JSON are Ruby, in `lib/my_lib/points.rb`.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use magnus::{
    DataTypeFunctions, Error, Module, Object, RArray, RClass, RModule, RString, Ruby, TryConvert,
    TypedData, Value, function, method, prelude::*, typed_data::Obj,
};

use super::point::{self, Point};
use super::{boundary::guard, convert, describe, errors, nogvl};
use crate::core::buffer::AllocError;
use crate::core::cancel::CancelFlag;
use crate::core::point::Point as CorePoint;
use crate::core::points::packed::{FromPackedError, as_packed, from_packed};
use crate::core::points::summary::{bounding_box, centroid, path_length};
use crate::core::points::{
    DistanceLimit, PointsError, SpatialIndex, gather, search, simplify, try_push, try_to_vec,
    try_vec_with_capacity,
};
use crate::core::set_once::SetOnce;

/// Queries that scan the points before the next one builds the index.
/// Measured on 1,000,000 random points: a scan for the nearest point takes
/// 3.9 ms, building the index 87 ms (22 scans), an indexed query 0.6 µs.
/// Building once the scans have cost about as much as the build (as in
/// ski rental) keeps any sequence of queries within twice the best
/// possible time, whether it has 1 query or a million.
const SCANS_BEFORE_INDEX: usize = 20;

/// Sets smaller than this are always scanned: the scan takes well under a
/// microsecond.
const SMALLEST_INDEXED: usize = 64;

/// A Ruby `MyLib::Points`. Ruby owns the object; the points are shared with
/// the bulk operations running on them, and freed with the last of those.
#[derive(TypedData)]
#[magnus(class = "MyLib::Points", free_immediately, size, frozen_shareable)]
pub struct Points {
    set: Arc<PointSet>,
    /// The bytes reported to Ruby's GC as external memory, given back on
    /// drop. Changed only with the GVL held.
    accounted: AtomicUsize,
}

/// The points, and the index built over them once queries make it pay.
///
/// Ownership: owns the points and, once built, the index (boxed, in a
/// [`SetOnce`]); shared behind an `Arc` by the `Points` object and the
/// work of each bulk operation on it.
///
/// Thread-safety: `Sync`, and nothing in it ever waits for another thread:
/// the points never change, `scans` is an atomic, and the index is set at
/// most once by a compare-and-swap ([`SetOnce`]), then only read. No lock
/// and no `Once` (`OnceLock`): a forked child may run a query's work while
/// the parent's worker was in the middle of it at the fork (see
/// `Call::sharing_work` in [`nogvl`]), and would wait for ever on a `Once`
/// that worker had started.
struct PointSet {
    points: Box<[CorePoint]>,
    index: SetOnce<SpatialIndex>,
    scans: AtomicUsize,
}

impl DataTypeFunctions for Points {
    /// The object, its points and its index, for `ObjectSpace.memsize_of`.
    fn size(&self) -> usize {
        std::mem::size_of::<Self>() + std::mem::size_of::<PointSet>() + self.set.heap_size()
    }
}

impl Drop for Points {
    /// Gives the accounted bytes back to the GC's count; see `Buffer`'s
    /// `GcAccounted` for why this is safe in the GC's free step.
    fn drop(&mut self) {
        if let Ok(ruby) = Ruby::get() {
            ruby.gc_adjust_memory_usage(-signed(*self.accounted.get_mut()));
        }
    }
}

fn signed(bytes: usize) -> isize {
    isize::try_from(bytes).unwrap_or(isize::MAX)
}

impl PointSet {
    /// Owns `points`, or fails without aborting when they have spare room
    /// and the exactly sized copy that replaces them cannot be had.
    fn new(points: Vec<CorePoint>) -> Result<Self, AllocError> {
        Ok(PointSet {
            points: exact_boxed(points)?,
            index: SetOnce::new(),
            scans: AtomicUsize::new(0),
        })
    }

    /// The bytes on the heap: the points, and the index (its box and its
    /// entries) once built.
    fn heap_size(&self) -> usize {
        let index = self
            .index
            .get()
            .map_or(0, |index| size_of::<SpatialIndex>() + index.heap_size());
        size_of_val::<[CorePoint]>(&self.points) + index
    }

    /// The index, if it exists or this query is the one to build it.
    /// Without the GVL: plain Rust only.
    ///
    /// A build that runs out of memory leaves the set as it was: this
    /// query and the next [`SCANS_BEFORE_INDEX`] scan, and the one after
    /// them tries again (memory may have been freed meanwhile). A failed
    /// build costs one failed allocation, its first step, so the retries
    /// cost nothing next to the scans between them.
    fn index_for_query(&self, cancel: &CancelFlag) -> Result<Option<&SpatialIndex>, PointsError> {
        if let Some(index) = self.index.get() {
            return Ok(Some(index));
        }
        if self.points.len() < SMALLEST_INDEXED
            || self.scans.fetch_add(1, Ordering::Relaxed) < SCANS_BEFORE_INDEX
        {
            return Ok(None);
        }
        let built = match SpatialIndex::build(&self.points, cancel) {
            Ok(built) => built,
            Err(PointsError::OutOfMemory(_)) => {
                self.scans.store(0, Ordering::Relaxed);
                return Ok(None);
            }
            Err(cancelled) => return Err(cancelled),
        };
        // Another thread may have set one meanwhile: keep that one (this
        // one is dropped, never having been accounted). The box holds only
        // the index's `Vec` header, a fixed size: allocated infallibly, as
        // `wrap`'s `Arc::new` of the set is.
        Ok(Some(self.index.set(Box::new(built))))
    }

    /// The `k` points nearest to `target`, closest first (see
    /// [`search`] for the guarantees: exact distances, ties by position).
    fn nearest(
        &self,
        target: CorePoint,
        k: usize,
        cancel: &CancelFlag,
    ) -> Result<Vec<CorePoint>, PointsError> {
        let positions = match self.index_for_query(cancel)? {
            Some(index) => index.nearest(target, k, cancel)?,
            None => search::nearest(&self.points, target, k, cancel)?,
        };
        gather(&self.points, &positions, cancel)
    }

    /// The points within `radius` of `center` (exactly), in order.
    fn within(
        &self,
        center: CorePoint,
        radius: DistanceLimit,
        cancel: &CancelFlag,
    ) -> Result<Vec<CorePoint>, PointsError> {
        let positions = match self.index_for_query(cancel)? {
            Some(index) => index.within(center, radius, cancel)?,
            None => search::within(&self.points, center, radius, cancel)?,
        };
        gather(&self.points, &positions, cancel)
    }
}

pub fn init(ruby: &Ruby, module: RModule) -> Result<(), Error> {
    let class = module.define_class("Points", ruby.class_object())?;
    // As for Point: resolves the class once, and removes the allocator.
    Points::class(ruby);
    class.define_singleton_method("new", method!(Points::new, 1))?;
    class.define_singleton_method("from_packed", method!(Points::from_packed, 1))?;
    class.define_singleton_method("gvl_release_threshold", function!(gvl_release_threshold, 0))?;
    class.define_singleton_method(
        "gvl_release_threshold=",
        function!(set_gvl_release_threshold, 1),
    )?;
    class.define_method("to_packed", method!(Points::to_packed, 0))?;
    class.define_method("length", method!(Points::length, 0))?;
    class.define_method("size", method!(Points::length, 0))?;
    class.define_method("at", method!(Points::at, 1))?;
    class.define_private_method("slice_of", method!(Points::slice_of, 2))?;
    class.define_method("==", method!(Points::eq, 1))?;
    class.define_method("eql?", method!(Points::eq, 1))?;
    class.define_method("hash", method!(Points::hash, 0))?;
    class.define_method("centroid", method!(Points::centroid, 0))?;
    class.define_method("bounding_box", method!(Points::bounding_box, 0))?;
    class.define_method("path_length", method!(Points::path_length, 0))?;
    class.define_private_method("nearest_points", method!(Points::nearest_points, 2))?;
    class.define_method("within", method!(Points::within, 2))?;
    class.define_method("simplify", method!(Points::simplify, 1))?;
    Ok(())
}

impl Points {
    /// `Points.new(points)`: an Array of `MyLib::Point`s or `[x, y]` pairs
    /// of Integers, Floats or Rationals.
    fn new(ruby: &Ruby, class: Value, points: Value) -> Result<Obj<Points>, Error> {
        let (class, set) = guard(ruby, || {
            let class = RClass::try_convert(class)?;
            let array = RArray::from_value(points).ok_or_else(|| {
                Error::new(
                    ruby.exception_type_error(),
                    format!(
                        "points must be an Array of MyLib::Points or [x, y] pairs, not {}",
                        describe::class_name(points)
                    ),
                )
            })?;
            let mut converted = try_vec_with_capacity(array.len())
                .map_err(|error| errors::no_memory(ruby, error))?;
            // By position, re-reading the length: converting a Rational may
            // run Ruby code, which may change the Array (and make it longer).
            let mut position = 0;
            while position < array.len() {
                let point = element(ruby, array.entry(position as isize)?, position)?;
                try_push(&mut converted, point).map_err(|error| errors::no_memory(ruby, error))?;
                position += 1;
            }
            Ok((class, converted))
        })?;
        wrap(ruby, set, Some(class))
    }

    /// `Points.from_packed(string)`: points from `pack("d*")` bytes
    /// (x0, y0, x1, y1, …, native-endian doubles), copied with the GVL
    /// held, so the String cannot change meanwhile; no Ruby object is made
    /// per point.
    fn from_packed(ruby: &Ruby, class: Value, packed: Value) -> Result<Obj<Points>, Error> {
        let (class, set) = guard(ruby, || {
            let class = RClass::try_convert(class)?;
            let string = RString::from_value(packed).ok_or_else(|| {
                Error::new(
                    ruby.exception_type_error(),
                    format!(
                        "packed must be a String, not {}",
                        describe::class_name(packed)
                    ),
                )
            })?;
            // SAFETY: the bytes are borrowed only for `from_packed`, plain
            // Rust that makes no Ruby call, so the String can be neither
            // changed nor collected while borrowed.
            let points =
                from_packed(unsafe { string.as_slice() }).map_err(|error| match error {
                    FromPackedError::Length(error) => {
                        Error::new(ruby.exception_arg_error(), error.to_string())
                    }
                    FromPackedError::OutOfMemory(error) => errors::no_memory(ruby, error),
                })?;
            Ok((class, points))
        })?;
        wrap(ruby, set, Some(class))
    }

    /// The points as a binary String in `pack("d*")` order, which
    /// `from_packed` reads back exactly.
    fn to_packed(ruby: &Ruby, rb_self: Value) -> Result<RString, Error> {
        guard(ruby, || {
            convert::binary_string(ruby, as_packed(&this(rb_self)?.points))
        })
    }

    fn length(ruby: &Ruby, rb_self: Value) -> Result<usize, Error> {
        guard(ruby, || Ok(this(rb_self)?.points.len()))
    }

    /// `points.at(index)`: the Point at `index`, from the end when negative,
    /// `nil` outside, as `Array#at`.
    fn at(ruby: &Ruby, rb_self: Value, index: Value) -> Result<Option<Obj<Point>>, Error> {
        let found = guard(ruby, || {
            let set = this(rb_self)?;
            let index = convert::integer(ruby, index, "index")?;
            let len = set.points.len();
            let position = match index.to_i64() {
                Ok(i) if i < 0 => usize::try_from(i.unsigned_abs())
                    .ok()
                    .and_then(|back| len.checked_sub(back)),
                Ok(i) => usize::try_from(i).ok(),
                Err(_) => None, // a Bignum: outside any set
            };
            Ok(position.and_then(|p| set.points.get(p).copied()))
        })?;
        Ok(found.map(|point| point::new_frozen(ruby, point)))
    }

    /// The points `start...start + length`, for `[]` (which normalises the
    /// arguments; both are within the set).
    fn slice_of(
        ruby: &Ruby,
        rb_self: Value,
        start: Value,
        length: Value,
    ) -> Result<Obj<Points>, Error> {
        let set = guard(ruby, || {
            let set = this(rb_self)?;
            let start = convert::size(ruby, start, "start")?;
            let length = convert::size(ruby, length, "length")?;
            let range = set
                .points
                .get(start..start.saturating_add(length).min(set.points.len()))
                .ok_or_else(|| {
                    Error::new(
                        ruby.exception_index_error(),
                        format!("start {start} is outside the points"),
                    )
                })?;
            try_to_vec(range).map_err(|error| errors::no_memory(ruby, error))
        })?;
        wrap(ruby, set, None)
    }

    /// `==` and `eql?`: `other` is a Points with equal points, in order,
    /// compared as Point#== does.
    fn eq(ruby: &Ruby, rb_self: Value, other: Value) -> Result<bool, Error> {
        guard(ruby, || {
            let set = this(rb_self)?;
            Ok(convert::instance::<Points>(ruby, other)
                .is_some_and(|other| set.points == other.set.points))
        })
    }

    /// A hash that agrees with `eql?` (as Point#hash does for one point).
    fn hash(ruby: &Ruby, rb_self: Value) -> Result<i64, Error> {
        guard(ruby, || {
            let set = this(rb_self)?;
            let points = &set.points;
            let mut keys = try_vec_with_capacity::<u8>(points.len().saturating_mul(KEY_BYTES))
                .map_err(|error| errors::no_memory(ruby, error))?;
            keys.extend(
                points
                    .iter()
                    .flat_map(|p| p.hash_key())
                    .flat_map(u64::to_ne_bytes),
            );
            // SAFETY: `rb_memhash` reads exactly `keys.len()` bytes of the
            // live Vec, keeps no pointer, runs no Ruby code and cannot raise.
            let hash = unsafe { rb_sys::rb_memhash(keys.as_ptr().cast(), keys.len() as _) };
            Ok(((hash << 1) as i64) >> 1)
        })
    }

    /// The mean of the points, `nil` when there are none; see
    /// [`centroid`] for how it avoids overflow.
    fn centroid(ruby: &Ruby, rb_self: Value) -> Result<Option<Obj<Point>>, Error> {
        let set = guard(ruby, || this(rb_self))?;
        let mean = run_operation(ruby, set.points.len(), move |cancel| {
            centroid(&set.points, cancel)
        })?;
        Ok(mean.map(|mean| point::new_frozen(ruby, mean)))
    }

    /// `[min, max]` Points of the bounding box, `nil` when there are none.
    fn bounding_box(ruby: &Ruby, rb_self: Value) -> Result<Option<MinMax>, Error> {
        let set = guard(ruby, || this(rb_self))?;
        let bounds = run_operation(ruby, set.points.len(), move |cancel| {
            bounding_box(&set.points, cancel)
        })?;
        Ok(bounds.map(|b| {
            (
                point::new_frozen(ruby, b.min),
                point::new_frozen(ruby, b.max),
            )
        }))
    }

    fn path_length(ruby: &Ruby, rb_self: Value) -> Result<f64, Error> {
        let set = guard(ruby, || this(rb_self))?;
        run_operation(ruby, set.points.len(), move |cancel| {
            path_length(&set.points, cancel)
        })
    }

    /// The `k` nearest points as a new Points, closest first (`nearest`, in
    /// Ruby, makes the Point or the Array).
    fn nearest_points(
        ruby: &Ruby,
        rb_self: Value,
        target: Value,
        k: Value,
    ) -> Result<Obj<Points>, Error> {
        let (set, target, k) = guard(ruby, || {
            let target = point_argument(ruby, target, "point")?;
            Ok((this(rb_self)?, target, convert::size(ruby, k, "k")?))
        })?;
        let work = query_work(&set, k);
        let found = run_operation(ruby, work, move |cancel| set.nearest(target, k, cancel))?;
        account_index(ruby, rb_self);
        wrap(ruby, found, None)
    }

    /// The points within `radius` of `center`, in order, as a new Points.
    fn within(
        ruby: &Ruby,
        rb_self: Value,
        center: Value,
        radius: Value,
    ) -> Result<Obj<Points>, Error> {
        let (set, center, radius) = guard(ruby, || {
            let center = point_argument(ruby, center, "center")?;
            let radius = distance_limit(ruby, radius, "radius")?;
            Ok((this(rb_self)?, center, radius))
        })?;
        let work = set.points.len();
        let found = run_operation(ruby, work, move |cancel| set.within(center, radius, cancel))?;
        account_index(ruby, rb_self);
        wrap(ruby, found, None)
    }

    /// The Ramer–Douglas–Peucker simplification, as a new Points.
    fn simplify(ruby: &Ruby, rb_self: Value, tolerance: Value) -> Result<Obj<Points>, Error> {
        let (set, tolerance) = guard(ruby, || {
            Ok((
                this(rb_self)?,
                distance_limit(ruby, tolerance, "tolerance")?,
            ))
        })?;
        let kept = run_operation(ruby, set.points.len(), move |cancel| {
            simplify::simplify(&set.points, tolerance, cancel)
        })?;
        wrap(ruby, kept, None)
    }
}

/// Runs a core operation over `size` points through [`nogvl::run_bulk`];
/// an allocation failure raises `NoMemoryError` once the GVL is back. The
/// work owns what it reads (a snapshot of the points): a worker may run it
/// after this frame is gone (see [`nogvl`]).
fn run_operation<R, W>(ruby: &Ruby, size: usize, work: W) -> Result<R, Error>
where
    R: Send + 'static,
    W: Fn(&CancelFlag) -> Result<R, PointsError> + Send + Sync + 'static,
{
    nogvl::run_bulk(ruby, size, move |cancel| {
        PointsError::separate_cancel(work(cancel))
    })?
    .map_err(|error| errors::no_memory(ruby, error))
}

/// The corners of a bounding box, which Ruby receives as `[min, max]`.
type MinMax = (Obj<Point>, Obj<Point>);

/// How many points of work a `nearest` query is: a scan, or building the
/// index, reads every point; a query of a built index about `k`.
fn query_work(set: &PointSet, k: usize) -> usize {
    if set.index.get().is_some() {
        k
    } else {
        set.points.len()
    }
}

/// Reports a newly built index to Ruby's GC, with the GVL held.
fn account_index(ruby: &Ruby, rb_self: Value) {
    if let Ok(points) = <&Points>::try_convert(rb_self) {
        let total = points.set.heap_size();
        let before = points.accounted.swap(total, Ordering::Relaxed);
        if total > before {
            ruby.gc_adjust_memory_usage(signed(total - before));
        }
    }
}

/// `points` as a new frozen Points (of `class`, or `MyLib::Points`), its
/// memory reported to the GC; `NoMemoryError` when they must be copied
/// (see [`PointSet::new`]) and cannot be. Not protected: call it outside the
/// guard, with nothing on the frame waiting to be dropped.
fn wrap(ruby: &Ruby, points: Vec<CorePoint>, class: Option<RClass>) -> Result<Obj<Points>, Error> {
    let set = PointSet::new(points).map_err(|error| errors::no_memory(ruby, error))?;
    let bytes = set.heap_size();
    let points = Points {
        set: Arc::new(set),
        accounted: AtomicUsize::new(bytes),
    };
    let object = match class {
        Some(class) => ruby.obj_wrap_as(points, class),
        None => ruby.obj_wrap(points),
    };
    ruby.gc_adjust_memory_usage(signed(bytes));
    object.freeze();
    Ok(object)
}

/// `points` as a boxed slice. `Vec::into_boxed_slice` reallocates, and
/// aborts if it cannot, when the Vec has spare room: such a Vec is first
/// copied into one of exactly its length, allocated fallibly.
fn exact_boxed(points: Vec<CorePoint>) -> Result<Box<[CorePoint]>, AllocError> {
    if points.capacity() == points.len() {
        return Ok(points.into_boxed_slice());
    }
    try_to_vec(&points).map(Vec::into_boxed_slice)
}

/// The bytes `hash` digests a point into: its two `hash_key` words.
const KEY_BYTES: usize = 2 * size_of::<u64>();

/// A snapshot of the receiver's points (always a Points: Ruby checks that
/// before calling a method defined on the class).
fn this(rb_self: Value) -> Result<Arc<PointSet>, Error> {
    <&Points>::try_convert(rb_self).map(|points| Arc::clone(&points.set))
}

/// One element of the Array given to `Points.new`.
fn element(ruby: &Ruby, value: Value, position: usize) -> Result<CorePoint, Error> {
    if let Some(point) = convert::instance::<Point>(ruby, value) {
        return Ok(point.core());
    }
    if let Some(pair) = RArray::from_value(value).filter(|pair| pair.len() == 2) {
        let x = convert::real(ruby, pair.entry(0)?, format_args!("points[{position}][0]"))?;
        let y = convert::real(ruby, pair.entry(1)?, format_args!("points[{position}][1]"))?;
        return Ok(CorePoint::new(x, y));
    }
    Err(Error::new(
        ruby.exception_type_error(),
        format!(
            "points[{position}] must be a MyLib::Point or an [x, y] pair, not {}",
            describe::class_name(value)
        ),
    ))
}

/// The coordinates of `value`, which must be a `MyLib::Point`.
fn point_argument(ruby: &Ruby, value: Value, argument: &str) -> Result<CorePoint, Error> {
    convert::typed::<Point>(ruby, value, argument, "MyLib::Point").map(|point| point.core())
}

/// `value` (Integer, Float or Rational) as a radius or tolerance, rounded
/// down to a Float ([`convert::real_at_most`]), so that a point within it
/// is within `value`: `ArgumentError` when negative or NaN.
fn distance_limit(ruby: &Ruby, value: Value, argument: &str) -> Result<DistanceLimit, Error> {
    DistanceLimit::new(convert::real_at_most(ruby, value, argument)?)
        .map_err(|invalid| Error::new(ruby.exception_arg_error(), format!("{argument} {invalid}")))
}

/// `MyLib::Points.gvl_release_threshold`: from how many points the bulk
/// operations release the GVL; `nil` when they never do.
fn gvl_release_threshold() -> Option<usize> {
    nogvl::release_threshold()
}

/// `MyLib::Points.gvl_release_threshold = points`: an Integer >= 0, or
/// `nil` for never.
fn set_gvl_release_threshold(ruby: &Ruby, points: Value) -> Result<Option<usize>, Error> {
    guard(ruby, || {
        let threshold = if points.is_nil() {
            None
        } else {
            Some(convert::size(ruby, points, "gvl_release_threshold")?)
        };
        nogvl::set_release_threshold(threshold);
        Ok(threshold)
    })
}

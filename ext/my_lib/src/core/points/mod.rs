//! Geometry over many points: the bulk operations behind `MyLib::Points`
//! and the C ABI's `my_lib_points_*` functions.
//!
//! Every operation reads a `&[Point]` (the layout of a C `MyLibPoint[]`)
//! and takes a [`CancelFlag`], checked once per [`CHUNK`](crate::core::cancel::CHUNK)
//! points: a cancelled call returns [`PointsError::Cancelled`] and no
//! partial result; one whose memory cannot be had returns
//! [`PointsError::OutOfMemory`], never aborting.
//! Callers that never cancel pass `&CancelFlag::new()`.
//!
//! No code here allocates in a way that aborts when memory runs out: the
//! methods and macros that would (`Vec::push`, `collect`, `vec!`, …; the
//! list is `clippy.toml`'s) are denied below, and every buffer grows
//! through the fallible helpers ([`try_vec_with_capacity`], [`try_push`],
//! [`try_extend`], …). `tests/allocation_failure.rs` fails each allocation
//! of each operation in turn and checks that it returns the error.
//!
//! * [`summary`]: centroid, bounding box, path length;
//! * [`search`]: the `k` nearest points and the points within a radius, by
//!   a scan or through a [`SpatialIndex`] (a k-d tree) built once;
//! * [`gather`]: the points a search found, copied out;
//! * [`simplify`]: Ramer–Douglas–Peucker line simplification;
//! * [`exact`]: the exact distance decisions that these operations make;
//! * [`packed`]: points to and from `pack("d*")` bytes;
//! * [`rounding`]: a radius or tolerance rounded to a double without
//!   growing.
//!
//! [`CancelFlag`]: crate::core::cancel::CancelFlag
#![deny(clippy::disallowed_methods, clippy::disallowed_macros)]

mod distance_limit;
pub mod exact;
mod failure;
mod gather;
pub mod packed;
pub mod rounding;
pub mod search;
pub mod simplify;
mod spatial_index;
pub mod summary;

pub use distance_limit::{DistanceLimit, InvalidDistanceLimit};
pub use failure::{
    PointsError, try_extend, try_filled, try_push, try_reserve, try_to_vec, try_vec_with_capacity,
};
pub use gather::gather;
pub use spatial_index::SpatialIndex;

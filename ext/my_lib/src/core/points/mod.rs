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
//! * [`summary`]: centroid, bounding box, path length;
//! * [`search`]: the `k` nearest points and the points within a radius, by
//!   a scan or through a [`SpatialIndex`] (a k-d tree) built once;
//! * [`simplify`]: Ramer–Douglas–Peucker line simplification;
//! * [`exact`]: the exact distance decisions that these operations make;
//! * [`packed`]: points to and from `pack("d*")` bytes.
//!
//! [`CancelFlag`]: crate::core::cancel::CancelFlag

mod distance_limit;
pub mod exact;
mod failure;
pub mod packed;
pub mod search;
pub mod simplify;
mod spatial_index;
pub mod summary;

pub use distance_limit::{DistanceLimit, InvalidDistanceLimit};
pub use failure::{PointsError, try_vec_with_capacity};
pub use spatial_index::SpatialIndex;

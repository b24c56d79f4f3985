//! Why a bulk operation returned no result, and the fallible allocation
//! every input-sized buffer of the operations goes through.

use std::fmt;

use crate::core::buffer::AllocError;
use crate::core::cancel::Cancelled;

/// A bulk operation stopped without a result: it was cancelled, or memory
/// for a buffer whose size depends on the input could not be had. Neither
/// leaves a partial result behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointsError {
    /// The operation's [`CancelFlag`](crate::core::cancel::CancelFlag) was set.
    Cancelled,
    /// An allocation failed (never an abort).
    OutOfMemory(AllocError),
}

impl PointsError {
    /// Separates cancellation, which the caller of a cancellable run
    /// handles itself, from the outcome it passes on:
    /// `Err(Cancelled)`, or `Ok` of the result or the allocation failure.
    pub fn separate_cancel<T>(
        result: Result<T, PointsError>,
    ) -> Result<Result<T, AllocError>, Cancelled> {
        match result {
            Ok(value) => Ok(Ok(value)),
            Err(PointsError::OutOfMemory(error)) => Ok(Err(error)),
            Err(PointsError::Cancelled) => Err(Cancelled),
        }
    }
}

impl From<Cancelled> for PointsError {
    fn from(Cancelled: Cancelled) -> Self {
        PointsError::Cancelled
    }
}

impl From<AllocError> for PointsError {
    fn from(error: AllocError) -> Self {
        PointsError::OutOfMemory(error)
    }
}

impl fmt::Display for PointsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PointsError::Cancelled => Cancelled.fmt(f),
            PointsError::OutOfMemory(error) => error.fmt(f),
        }
    }
}

impl std::error::Error for PointsError {}

/// An empty `Vec` with room for `capacity` elements, or [`AllocError`]
/// (never an abort) when that memory cannot be had.
///
/// ```
/// # use my_lib::core::points::try_vec_with_capacity;
/// let room = try_vec_with_capacity::<u64>(3).unwrap();
/// assert!(room.capacity() >= 3 && room.is_empty());
/// assert!(try_vec_with_capacity::<u64>(usize::MAX / 4).is_err());
/// ```
pub fn try_vec_with_capacity<T>(capacity: usize) -> Result<Vec<T>, AllocError> {
    let mut vec = Vec::new();
    vec.try_reserve_exact(capacity).map_err(|_| AllocError {
        requested: capacity.saturating_mul(size_of::<T>()),
    })?;
    Ok(vec)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancellation_is_separated_from_the_outcome() {
        let failed = AllocError { requested: 8 };
        assert_eq!(
            PointsError::separate_cancel(Ok::<_, PointsError>(1)),
            Ok(Ok(1))
        );
        assert_eq!(
            PointsError::separate_cancel::<u8>(Err(failed.into())),
            Ok(Err(failed))
        );
        assert_eq!(
            PointsError::separate_cancel::<u8>(Err(Cancelled.into())),
            Err(Cancelled)
        );
    }

    #[test]
    fn an_impossible_capacity_is_an_error() {
        let error = try_vec_with_capacity::<[u64; 2]>(usize::MAX / 8).unwrap_err();
        assert_eq!(error.requested, usize::MAX);
    }
}

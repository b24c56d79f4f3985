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
    vec.try_reserve_exact(capacity)
        .map_err(|_| room_for::<T>(capacity))?;
    Ok(vec)
}

/// Makes room in `vec` for `additional` more elements (growing it as
/// `Vec::reserve` does, geometrically), or returns [`AllocError`], `vec`
/// unchanged, when that memory cannot be had.
pub fn try_reserve<T>(vec: &mut Vec<T>, additional: usize) -> Result<(), AllocError> {
    vec.try_reserve(additional)
        .map_err(|_| room_for::<T>(vec.len().saturating_add(additional)))
}

/// Appends `value` to `vec`, or returns [`AllocError`], `vec` unchanged,
/// when it is full and cannot grow.
///
/// ```
/// # use my_lib::core::points::{try_push, try_vec_with_capacity};
/// let mut found = try_vec_with_capacity(0).unwrap();
/// try_push(&mut found, 7u8).unwrap();
/// assert_eq!(found, [7]);
/// ```
pub fn try_push<T>(vec: &mut Vec<T>, value: T) -> Result<(), AllocError> {
    try_reserve(vec, 1)?;
    // Cannot reallocate: the line above made room for this element.
    #[allow(clippy::disallowed_methods)]
    vec.push(value);
    Ok(())
}

/// Appends every item to `vec`, making room first for as many as the
/// iterator says it has at least, then one more whenever `vec` is full; or
/// returns [`AllocError`] when memory runs out, with the items appended so
/// far left in `vec`.
///
/// ```
/// # use my_lib::core::points::{try_extend, try_vec_with_capacity};
/// let mut squares = try_vec_with_capacity(0).unwrap();
/// try_extend(&mut squares, (1..4u32).map(|i| i * i)).unwrap();
/// assert_eq!(squares, [1, 4, 9]);
/// ```
pub fn try_extend<T>(
    vec: &mut Vec<T>,
    items: impl IntoIterator<Item = T>,
) -> Result<(), AllocError> {
    let items = items.into_iter();
    try_reserve(vec, items.size_hint().0)?;
    for item in items {
        try_push(vec, item)?;
    }
    Ok(())
}

/// `len` copies of `value` in a `Vec` of exactly that length, or
/// [`AllocError`] (never an abort) when that memory cannot be had.
pub fn try_filled<T: Copy>(len: usize, value: T) -> Result<Vec<T>, AllocError> {
    let mut filled = try_vec_with_capacity(len)?;
    try_extend(&mut filled, std::iter::repeat_n(value, len))?;
    Ok(filled)
}

/// A copy of `items` in a `Vec` of exactly their length, or [`AllocError`]
/// (never an abort) when that memory cannot be had.
pub fn try_to_vec<T: Copy>(items: &[T]) -> Result<Vec<T>, AllocError> {
    let mut copy = try_vec_with_capacity(items.len())?;
    try_extend(&mut copy, items.iter().copied())?;
    Ok(copy)
}

/// The failure to have room for `len` elements of `T`.
fn room_for<T>(len: usize) -> AllocError {
    AllocError {
        requested: len.saturating_mul(size_of::<T>()),
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
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
        let mut full = try_vec_with_capacity::<[u64; 2]>(1).unwrap();
        try_push(&mut full, [1, 2]).unwrap();
        let error = try_reserve(&mut full, usize::MAX / 16).unwrap_err();
        assert_eq!(error.requested, usize::MAX);
        assert_eq!(full, [[1, 2]], "a failed reservation changes nothing");
    }

    #[test]
    fn extending_grows_past_a_size_hint_that_is_too_low() {
        // `filter` says it may yield nothing: each item still finds room.
        let mut evens = try_vec_with_capacity(0).unwrap();
        try_extend(&mut evens, (0..100u32).filter(|i| i % 2 == 0)).unwrap();
        assert_eq!(evens, (0..100).step_by(2).collect::<Vec<_>>());
        let copy = try_to_vec(&evens[..3]).unwrap();
        assert_eq!((copy.len(), copy.capacity()), (3, 3));
        assert_eq!(copy, [0, 2, 4]);
    }
}

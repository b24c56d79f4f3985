//! The points a search found, copied out of the set: the result both
//! surfaces return for `nearest` and `within`.

use super::{PointsError, try_extend, try_vec_with_capacity};
use crate::core::cancel::{CHUNK, CancelFlag};
use crate::core::point::Point;

/// The points at `positions` (indices into `points`, in the order given),
/// copied in cancellable chunks into a `Vec` of exactly their number,
/// allocated fallibly: [`PointsError::OutOfMemory`] when it cannot be had.
///
/// Panics if a position is outside `points` (the searches return only
/// positions within the set they searched).
///
/// ```
/// # use my_lib::core::{cancel::CancelFlag, point::Point, points::gather};
/// let points = [Point::new(0.0, 0.0), Point::new(1.0, 1.0), Point::new(2.0, 2.0)];
/// assert_eq!(gather(&points, &[2, 0], &CancelFlag::new()), Ok(vec![points[2], points[0]]));
/// ```
pub fn gather(
    points: &[Point],
    positions: &[usize],
    cancel: &CancelFlag,
) -> Result<Vec<Point>, PointsError> {
    let mut found = try_vec_with_capacity(positions.len())?;
    for chunk in positions.chunks(CHUNK) {
        cancel.check()?;
        try_extend(&mut found, chunk.iter().map(|&i| points[i]))?;
    }
    Ok(found)
}

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
mod tests {
    use super::*;

    #[test]
    fn copies_the_positions_in_order_across_chunks() {
        let points: Vec<Point> = (0..2 * CHUNK + 3)
            .map(|i| Point::new(i as f64, 0.0))
            .collect();
        let positions: Vec<usize> = (0..points.len()).rev().collect();
        let found = gather(&points, &positions, &CancelFlag::new()).unwrap();
        assert_eq!(found.capacity(), points.len());
        assert!(found.iter().rev().eq(points.iter()));
        assert_eq!(gather(&points, &[], &CancelFlag::new()), Ok(vec![]));
    }

    #[test]
    fn a_cancelled_gather_returns_nothing() {
        let cancelled = CancelFlag::new();
        cancelled.cancel();
        let points = [Point::new(1.0, 2.0)];
        assert_eq!(
            gather(&points, &[0], &cancelled),
            Err(PointsError::Cancelled)
        );
    }
}

//! Which points are near a given one: the `k` nearest, or all within a
//! radius, found by a scan of the points or through a [`SpatialIndex`]
//! built from them. Both give the same answer (tested on random and tied
//! points): results are positions in the input slice, so that callers can
//! return the points themselves or their indices.
//!
//! Distances are [`Point::distance_to`]. A point whose distance is NaN (it
//! has a NaN coordinate) is never found.
//!
//! [`SpatialIndex`]: super::SpatialIndex

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::DistanceLimit;
use super::PointsError;
use crate::core::cancel::{CHUNK, CancelFlag};
use crate::core::point::Point;

/// The positions of the `k` points nearest to `target`, closest first; of
/// equally distant points, the earlier one first. Fewer than `k` when there
/// are fewer points (with a distance).
///
/// ```
/// # use my_lib::core::{cancel::CancelFlag, point::Point, points::search::nearest};
/// let points = [Point::new(5.0, 5.0), Point::new(1.0, 0.0), Point::new(0.0, 1.0)];
/// assert_eq!(nearest(&points, Point::new(0.0, 0.0), 2, &CancelFlag::new()), Ok(vec![1, 2]));
/// ```
pub fn nearest(
    points: &[Point],
    target: Point,
    k: usize,
    cancel: &CancelFlag,
) -> Result<Vec<usize>, PointsError> {
    let mut candidates = Candidates::new(k, points.len());
    for (chunk_number, chunk) in points.chunks(CHUNK).enumerate() {
        cancel.check()?;
        let offset = chunk_number * CHUNK;
        for (i, &point) in chunk.iter().enumerate() {
            candidates.offer(target.distance_to(point), offset + i);
        }
    }
    Ok(candidates.into_positions())
}

/// The positions, in increasing order, of the points at a distance of at
/// most `radius` from `center`.
///
/// ```
/// # use my_lib::core::{cancel::CancelFlag, point::Point, points::{search::within, DistanceLimit}};
/// let points = [Point::new(5.0, 5.0), Point::new(1.0, 0.0), Point::new(0.0, 1.0)];
/// let radius = DistanceLimit::new(1.0).unwrap();
/// assert_eq!(within(&points, Point::new(0.0, 0.0), radius, &CancelFlag::new()), Ok(vec![1, 2]));
/// ```
pub fn within(
    points: &[Point],
    center: Point,
    radius: DistanceLimit,
    cancel: &CancelFlag,
) -> Result<Vec<usize>, PointsError> {
    let mut found = Vec::new();
    for (chunk_number, chunk) in points.chunks(CHUNK).enumerate() {
        cancel.check()?;
        let offset = chunk_number * CHUNK;
        found.extend(
            chunk
                .iter()
                .enumerate()
                .filter(|(_, point)| center.distance_to(**point) <= radius.get())
                .map(|(i, _)| offset + i),
        );
    }
    Ok(found)
}

/// The best `k` candidates seen so far, as a max-heap whose top is the
/// worst of them. Shared by the scan and the index.
pub(super) struct Candidates {
    k: usize,
    heap: BinaryHeap<Candidate>,
}

impl Candidates {
    /// Room for `k` candidates out of `available` points.
    pub(super) fn new(k: usize, available: usize) -> Self {
        Candidates {
            k,
            heap: BinaryHeap::with_capacity(k.min(available)),
        }
    }

    /// Keeps the point at `position` if it is among the best `k` so far.
    pub(super) fn offer(&mut self, distance: f64, position: usize) {
        if distance.is_nan() || self.k == 0 {
            return;
        }
        let candidate = Candidate { distance, position };
        if self.heap.len() < self.k {
            self.heap.push(candidate);
        } else if let Some(mut worst) = self.heap.peek_mut() {
            if candidate < *worst {
                *worst = candidate;
            }
        }
    }

    /// The distance a point must not exceed to be kept, once `k` are held:
    /// the index skips the parts of the plane that are farther.
    pub(super) fn bound(&self) -> f64 {
        match self.heap.peek() {
            Some(worst) if self.heap.len() == self.k => worst.distance,
            _ => f64::INFINITY,
        }
    }

    /// The positions, closest first.
    pub(super) fn into_positions(self) -> Vec<usize> {
        self.heap
            .into_sorted_vec()
            .into_iter()
            .map(|candidate| candidate.position)
            .collect()
    }
}

/// A point offered to [`Candidates`]; ordered by distance (never NaN), then
/// position.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    distance: f64,
    position: usize,
}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.distance
            .total_cmp(&other.distance)
            .then(self.position.cmp(&other.position))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Candidate {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Candidate {}

#[cfg(test)]
mod tests {
    use super::*;

    fn never() -> CancelFlag {
        CancelFlag::new()
    }

    fn limit(radius: f64) -> DistanceLimit {
        DistanceLimit::new(radius).unwrap()
    }

    #[test]
    fn nearest_orders_by_distance_then_position() {
        let points = [
            Point::new(0.0, 2.0),
            Point::new(1.0, 0.0),
            Point::new(-1.0, 0.0),
            Point::new(0.0, 0.5),
        ];
        let origin = Point::default();
        assert_eq!(nearest(&points, origin, 1, &never()), Ok(vec![3]));
        assert_eq!(nearest(&points, origin, 3, &never()), Ok(vec![3, 1, 2]));
        assert_eq!(nearest(&points, origin, 10, &never()), Ok(vec![3, 1, 2, 0]));
        assert_eq!(nearest(&points, origin, 0, &never()), Ok(vec![]));
        assert_eq!(nearest(&[], origin, 3, &never()), Ok(vec![]));
    }

    #[test]
    fn nan_points_are_never_found() {
        let points = [Point::new(f64::NAN, 0.0), Point::new(9.0, 9.0)];
        let origin = Point::default();
        assert_eq!(nearest(&points, origin, 2, &never()), Ok(vec![1]));
        assert_eq!(
            within(&points, origin, limit(f64::INFINITY), &never()),
            Ok(vec![1])
        );
        assert_eq!(
            nearest(&points, Point::new(f64::NAN, 0.0), 2, &never()),
            Ok(vec![])
        );
    }

    #[test]
    fn within_includes_the_boundary() {
        let points = [
            Point::new(3.0, 4.0),
            Point::new(3.0, 4.1),
            Point::new(0.0, 0.0),
        ];
        let origin = Point::default();
        assert_eq!(
            within(&points, origin, limit(5.0), &never()),
            Ok(vec![0, 2])
        );
        assert_eq!(within(&points, origin, limit(0.0), &never()), Ok(vec![2]));
        assert_eq!(within(&[], origin, limit(1.0), &never()), Ok(vec![]));
    }

    #[test]
    fn searches_can_be_cancelled() {
        let cancelled = CancelFlag::new();
        cancelled.cancel();
        let points = [Point::default()];
        assert_eq!(
            nearest(&points, Point::default(), 1, &cancelled),
            Err(PointsError::Cancelled)
        );
        assert_eq!(
            within(&points, Point::default(), limit(1.0), &cancelled),
            Err(PointsError::Cancelled)
        );
    }
}

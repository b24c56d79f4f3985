//! Which points are near a given one: the `k` nearest, or all within a
//! radius, found by a scan of the points or through a [`SpatialIndex`]
//! built from them. Both give the same answer (tested on random, tied and
//! far-offset points against exact rational arithmetic): results are
//! positions in the input slice, so that callers can return the points
//! themselves or their indices.
//!
//! # Guarantees
//!
//! * **Exact decisions.** `within` keeps a point when its exact distance,
//!   on the input doubles, is at most the radius; `nearest` orders by exact
//!   distance, equal distances by position. Floating point decides when it
//!   provably can, exact arithmetic near a tie or the radius (see
//!   [`Squared`]), at any magnitude: each candidate's squared distance is
//!   scaled by a power of two of its own. A point whose distance is undefined (a NaN coordinate, or
//!   an infinite one equal to the target's) is never found; one with an
//!   infinite coordinate is infinitely far.
//! * **Near-linear for any `k`.** `nearest` keeps at most `2k` candidates
//!   and, when they fill up, selects the best `k` (quickselect); at the end
//!   it sorts only the `k`: O(n + k log k) expected, O(n log n) at worst.
//! * **Cancellable in every phase.** Scans, selections, sorts and the copy
//!   to positions check the flag once per [`CHUNK`] steps (see
//!   [`ordering`]).
//! * **No abort on memory.** Every buffer whose size depends on the input
//!   is reserved fallibly: [`PointsError::OutOfMemory`].
//!
//! [`SpatialIndex`]: super::SpatialIndex

mod ordering;

use std::cmp::Ordering;

use super::exact::{self, Radius, Squared};
use super::{DistanceLimit, PointsError, try_extend, try_push, try_reserve, try_vec_with_capacity};
use crate::core::buffer::AllocError;
use crate::core::cancel::{CHUNK, CancelFlag};
use crate::core::point::Point;

pub(super) use ordering::{Pace, select_nth, sort};

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
    let ranking = Ranking::new(target, points);
    let mut pace = Pace::new(cancel);
    let mut nearest = Nearest::new(k, points.len())?;
    for slot in 0..points.len() {
        nearest.offer(slot, &ranking, &mut pace)?;
    }
    nearest.into_positions(&ranking, &mut pace)
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
    let radius = Radius::new(radius.get());
    for (chunk_number, chunk) in points.chunks(CHUNK).enumerate() {
        cancel.check()?;
        try_reserve(&mut found, chunk.len())?;
        let offset = chunk_number * CHUNK;
        try_extend(
            &mut found,
            chunk
                .iter()
                .enumerate()
                .filter(|&(_, &point)| radius.contains(center, point))
                .map(|(i, _)| offset + i),
        )?;
    }
    Ok(found)
}

/// Where the searched points are: a candidate names its point by a slot,
/// which is its position in a scanned slice, or its place in the index.
pub(super) trait Slots {
    fn point(&self, slot: usize) -> Point;
    /// The point's position in the slice the search answers about.
    fn position(&self, slot: usize) -> usize;
}

impl Slots for [Point] {
    fn point(&self, slot: usize) -> Point {
        self[slot]
    }

    fn position(&self, slot: usize) -> usize {
        slot
    }
}

/// A point offered to [`Nearest`]: its squared distance's estimate (the
/// fast path of the comparison) and its slot.
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate {
    squared: Squared,
    slot: usize,
}

/// The order of `nearest`'s answer, around one target: by exact distance,
/// then position.
pub(super) struct Ranking<'a, S: ?Sized> {
    target: Point,
    slots: &'a S,
}

impl<'a, S: Slots + ?Sized> Ranking<'a, S> {
    pub(super) fn new(target: Point, slots: &'a S) -> Self {
        Ranking { target, slots }
    }

    pub(super) fn target(&self) -> Point {
        self.target
    }

    /// The point at `slot` as a candidate; `None` if its distance is
    /// undefined.
    fn candidate(&self, slot: usize) -> Option<Candidate> {
        Squared::between(self.target, self.slots.point(slot))
            .map(|squared| Candidate { squared, slot })
    }

    fn compare(&self, a: &Candidate, b: &Candidate) -> Ordering {
        // Both distances are defined (candidates' are), so the exact
        // comparison always has an answer.
        exact::compare_estimated_distances(
            self.target,
            self.slots.point(a.slot),
            a.squared,
            self.slots.point(b.slot),
            b.squared,
        )
        .unwrap_or(Ordering::Equal)
        .then_with(|| {
            self.slots
                .position(a.slot)
                .cmp(&self.slots.position(b.slot))
        })
    }
}

/// The best `k` candidates among those offered, found in O(1) amortized
/// time per offer: up to `2k` are kept, and when they fill up, the best `k`
/// are selected and the rest dropped. The worst of those `k` is the
/// bound: an offer that ranks after it cannot be among the `k` nearest.
/// Shared by the scan and the index.
pub(super) struct Nearest {
    k: usize,
    room: usize,
    kept: Vec<Candidate>,
    /// The `k`-th best at the last selection, once there was one.
    bound: Option<Candidate>,
    /// How many points were offered (for tests of the index's pruning).
    #[cfg(test)]
    pub(super) offered: usize,
}

impl Nearest {
    /// Room for the best `k` of at most `available` offers.
    pub(super) fn new(k: usize, available: usize) -> Result<Self, AllocError> {
        let room = k.saturating_mul(2).min(available);
        Ok(Nearest {
            k,
            room,
            kept: try_vec_with_capacity(room)?,
            bound: None,
            #[cfg(test)]
            offered: 0,
        })
    }

    /// Offers the point at `slot`.
    pub(super) fn offer<S: Slots + ?Sized>(
        &mut self,
        slot: usize,
        ranking: &Ranking<'_, S>,
        pace: &mut Pace<'_>,
    ) -> Result<(), PointsError> {
        pace.advance(1)?;
        #[cfg(test)]
        {
            self.offered += 1;
        }
        let Some(candidate) = ranking.candidate(slot) else {
            return Ok(());
        };
        if self.k == 0
            || self
                .bound
                .is_some_and(|bound| ranking.compare(&candidate, &bound).is_gt())
        {
            return Ok(());
        }
        if self.kept.len() == self.room {
            // Only when `room` is `2k`: there are never more offers than
            // `available`.
            self.select_best(ranking, pace)?;
        }
        try_push(&mut self.kept, candidate)?;
        Ok(())
    }

    /// The squared distance that a point must not exceed to be among the
    /// `k` nearest, as far as known (infinite until the first selection);
    /// the index skips parts of the plane that are farther.
    pub(super) fn bound_squared(&self) -> Squared {
        self.bound.map_or(Squared::INFINITE, |bound| bound.squared)
    }

    /// Keeps only the best `k` of the kept candidates.
    fn select_best<S: Slots + ?Sized>(
        &mut self,
        ranking: &Ranking<'_, S>,
        pace: &mut Pace<'_>,
    ) -> Result<(), PointsError> {
        if self.kept.len() > self.k {
            select_nth(
                &mut self.kept,
                self.k - 1,
                &|a, b| ranking.compare(a, b),
                pace,
            )?;
            self.kept.truncate(self.k);
            self.bound = Some(self.kept[self.k - 1]);
        }
        Ok(())
    }

    /// The positions of the best `k`, closest first.
    pub(super) fn into_positions<S: Slots + ?Sized>(
        mut self,
        ranking: &Ranking<'_, S>,
        pace: &mut Pace<'_>,
    ) -> Result<Vec<usize>, PointsError> {
        self.select_best(ranking, pace)?;
        sort(&mut self.kept, &|a, b| ranking.compare(a, b), pace)?;
        let mut positions = try_vec_with_capacity(self.kept.len())?;
        for chunk in self.kept.chunks(CHUNK) {
            pace.check()?;
            try_extend(
                &mut positions,
                chunk.iter().map(|c| ranking.slots.position(c.slot)),
            )?;
        }
        Ok(positions)
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
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
        assert_eq!(
            nearest(&points, origin, usize::MAX, &never())
                .unwrap()
                .len(),
            4
        );
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
        let points = vec![Point::default(); 2 * CHUNK];
        assert_eq!(
            nearest(&points, Point::default(), 1, &cancelled),
            Err(PointsError::Cancelled)
        );
        assert_eq!(
            within(&points, Point::default(), limit(1.0), &cancelled),
            Err(PointsError::Cancelled)
        );
    }

    #[test]
    fn a_result_too_big_for_memory_is_an_error() {
        assert!(matches!(
            Nearest::new(usize::MAX / 4, usize::MAX / 2),
            Err(AllocError { .. })
        ));
    }

    /// The straightforward `nearest`: sort everything, keep `k`.
    fn sorted_nearest(points: &[Point], target: Point, k: usize) -> Vec<usize> {
        let ranking = Ranking::new(target, points);
        let mut all: Vec<Candidate> = (0..points.len())
            .filter_map(|s| ranking.candidate(s))
            .collect();
        all.sort_by(|a, b| ranking.compare(a, b));
        all.iter().take(k).map(|c| c.slot).collect()
    }

    #[test]
    fn selection_agrees_with_a_full_sort_for_every_k() {
        let mut state = 0x1234_5678_9ABC_DEF1_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let n = if cfg!(miri) { 30 } else { 3 * CHUNK + 5 };
        let points: Vec<Point> = (0..n)
            .map(|_| Point::new((next() % 50) as f64, (next() % 50) as f64))
            .collect();
        let target = Point::new(25.0, 25.0);
        for k in [1, 2, 7, n / 3, n / 2 + 1, n - 1, n, n + 1] {
            assert_eq!(
                nearest(&points, target, k, &never()).unwrap(),
                sorted_nearest(&points, target, k),
                "k={k}"
            );
        }
        // Worst order for a heap: every offer is closer than the last.
        let approaching: Vec<Point> = (0..n).rev().map(|i| Point::new(i as f64, 0.0)).collect();
        assert_eq!(
            nearest(&approaching, Point::default(), 10, &never()).unwrap(),
            (n - 10..n).rev().collect::<Vec<_>>()
        );
    }
}

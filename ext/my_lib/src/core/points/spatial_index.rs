//! A k-d tree over a set of points, built once, which answers
//! [`search`](super::search)'s questions without looking at every point.
//!
//! The tree is implicit: one array of (point, position) entries, arranged so
//! that for any range of it the middle entry splits the rest on one axis (x
//! at even depths, y at odd ones), the entries before it no greater and the
//! ones after no smaller on that axis. Ranges of at most [`LEAF`] entries
//! are scanned. Building takes O(n log n) time; a query visits O(log n)
//! ranges for nearby answers.

use std::ops::Range;

use super::DistanceLimit;
use super::PointsError;
use super::search::Candidates;
use crate::core::cancel::{CHUNK, CancelFlag};
use crate::core::point::Point;

/// Ranges this small are scanned rather than split.
const LEAF: usize = 8;

/// A k-d tree over a copy of the points it was built from.
///
/// Ownership: owns its entries (24 bytes a point); independent of the slice
/// it was built from. Thread-safety: immutable once built, so `Send` and
/// `Sync`; queries may run on any number of threads at once.
#[derive(Debug)]
pub struct SpatialIndex {
    entries: Box<[Entry]>,
}

#[derive(Debug, Clone, Copy)]
struct Entry {
    point: Point,
    position: usize,
}

/// The coordinate a node at `depth` splits on.
fn axis_value(point: Point, depth: usize) -> f64 {
    if depth % 2 == 0 { point.x } else { point.y }
}

impl SpatialIndex {
    /// Builds the tree over `points`; positions in its answers are indices
    /// into this slice.
    pub fn build(points: &[Point], cancel: &CancelFlag) -> Result<Self, PointsError> {
        let mut entries: Box<[Entry]> = points
            .iter()
            .enumerate()
            .map(|(position, &point)| Entry { point, position })
            .collect();
        arrange(&mut entries, 0, cancel)?;
        Ok(SpatialIndex { entries })
    }

    /// How many points the tree holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the tree holds no points.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The bytes the tree owns on the heap.
    pub fn heap_size(&self) -> usize {
        std::mem::size_of_val::<[Entry]>(&self.entries)
    }

    /// As [`search::nearest`](super::search::nearest) over the points the
    /// tree was built from.
    pub fn nearest(
        &self,
        target: Point,
        k: usize,
        cancel: &CancelFlag,
    ) -> Result<Vec<usize>, PointsError> {
        let mut query = Query::new(cancel);
        let mut candidates = Candidates::new(k, self.entries.len());
        if k > 0 {
            self.nearest_in(
                0..self.entries.len(),
                0,
                target,
                &mut candidates,
                &mut query,
            )?;
        }
        Ok(candidates.into_positions())
    }

    fn nearest_in(
        &self,
        range: Range<usize>,
        depth: usize,
        target: Point,
        candidates: &mut Candidates,
        query: &mut Query<'_>,
    ) -> Result<(), PointsError> {
        if range.len() <= LEAF {
            query.visit(range.len())?;
            for entry in &self.entries[range] {
                candidates.offer(target.distance_to(entry.point), entry.position);
            }
            return Ok(());
        }
        let middle = range.start + range.len() / 2;
        let node = self.entries[middle];
        query.visit(1)?;
        candidates.offer(target.distance_to(node.point), node.position);
        let offset = axis_value(target, depth) - axis_value(node.point, depth);
        let (near, far) = if offset < 0.0 {
            (range.start..middle, middle + 1..range.end)
        } else {
            (middle + 1..range.end, range.start..middle)
        };
        self.nearest_in(near, depth + 1, target, candidates, query)?;
        // Every point across the split is at least |offset| away. Ties are
        // visited (`<=`): an equally distant point may come earlier.
        if within_reach(offset.abs(), candidates.bound()) {
            self.nearest_in(far, depth + 1, target, candidates, query)?;
        }
        Ok(())
    }

    /// As [`search::within`](super::search::within) over the points the tree
    /// was built from.
    pub fn within(
        &self,
        center: Point,
        radius: DistanceLimit,
        cancel: &CancelFlag,
    ) -> Result<Vec<usize>, PointsError> {
        let mut query = Query::new(cancel);
        let mut found = Vec::new();
        self.within_in(
            0..self.entries.len(),
            0,
            center,
            radius.get(),
            &mut found,
            &mut query,
        )?;
        found.sort_unstable();
        Ok(found)
    }

    fn within_in(
        &self,
        range: Range<usize>,
        depth: usize,
        center: Point,
        radius: f64,
        found: &mut Vec<usize>,
        query: &mut Query<'_>,
    ) -> Result<(), PointsError> {
        if range.len() <= LEAF {
            query.visit(range.len())?;
            let inside = self.entries[range]
                .iter()
                .filter(|entry| center.distance_to(entry.point) <= radius);
            found.extend(inside.map(|entry| entry.position));
            return Ok(());
        }
        let middle = range.start + range.len() / 2;
        let node = self.entries[middle];
        query.visit(1)?;
        if center.distance_to(node.point) <= radius {
            found.push(node.position);
        }
        let offset = axis_value(center, depth) - axis_value(node.point, depth);
        // The side before the split holds coordinates <= the node's: it can
        // only matter if the center is at most `radius` past the split.
        if within_reach(offset, radius) {
            self.within_in(range.start..middle, depth + 1, center, radius, found, query)?;
        }
        if within_reach(-offset, radius) {
            self.within_in(
                middle + 1..range.end,
                depth + 1,
                center,
                radius,
                found,
                query,
            )?;
        }
        Ok(())
    }
}

/// Whether the far side of a split, `gap` away along its axis, may hold a
/// point within `reach`. A NaN gap (from a NaN or infinite coordinate) may.
fn within_reach(gap: f64, reach: f64) -> bool {
    gap.is_nan() || gap <= reach
}

/// Arranges `entries` into the implicit tree for a range at `depth`.
fn arrange(entries: &mut [Entry], depth: usize, cancel: &CancelFlag) -> Result<(), PointsError> {
    if entries.len() <= LEAF {
        return Ok(());
    }
    if entries.len() >= CHUNK {
        cancel.check()?;
    }
    let middle = entries.len() / 2;
    entries.select_nth_unstable_by(middle, |a, b| {
        axis_value(a.point, depth).total_cmp(&axis_value(b.point, depth))
    });
    let (before, rest) = entries.split_at_mut(middle);
    arrange(before, depth + 1, cancel)?;
    arrange(&mut rest[1..], depth + 1, cancel)
}

/// Counts the entries a query looks at, to check its flag once per chunk.
struct Query<'a> {
    cancel: &'a CancelFlag,
    since_check: usize,
}

impl<'a> Query<'a> {
    fn new(cancel: &'a CancelFlag) -> Self {
        Query {
            cancel,
            since_check: 0,
        }
    }

    fn visit(&mut self, entries: usize) -> Result<(), PointsError> {
        self.since_check += entries;
        if self.since_check >= CHUNK {
            self.since_check = 0;
            self.cancel.check()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::search;
    use super::*;

    /// A small deterministic generator (xorshift), so failures reproduce.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn coordinate(&mut self, grid: bool) -> f64 {
            if grid {
                // Few distinct values: many exact ties.
                (self.next() % 7) as f64 - 3.0
            } else {
                (self.next() % 1_000_000) as f64 / 1000.0 - 500.0
            }
        }

        fn points(&mut self, n: usize, grid: bool) -> Vec<Point> {
            (0..n)
                .map(|_| Point::new(self.coordinate(grid), self.coordinate(grid)))
                .collect()
        }
    }

    fn never() -> CancelFlag {
        CancelFlag::new()
    }

    #[test]
    fn the_index_answers_as_the_scan_does() {
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        let sizes: &[usize] = if cfg!(miri) {
            &[0, 1, 9, 40]
        } else {
            &[0, 1, 9, 40, 1000, 5000]
        };
        for &n in sizes {
            for grid in [false, true] {
                let points = random.points(n, grid);
                let index = SpatialIndex::build(&points, &never()).unwrap();
                assert_eq!(index.len(), n);
                for _ in 0..if cfg!(miri) { 3 } else { 40 } {
                    let target = Point::new(random.coordinate(grid), random.coordinate(grid));
                    for k in [1, 3, 17] {
                        assert_eq!(
                            index.nearest(target, k, &never()),
                            search::nearest(&points, target, k, &never()),
                            "n={n} grid={grid} k={k} target={target:?}"
                        );
                    }
                    for radius in [0.0, 1.0, 2.5, 60.0] {
                        let radius = DistanceLimit::new(radius).unwrap();
                        assert_eq!(
                            index.within(target, radius, &never()),
                            search::within(&points, target, radius, &never()),
                            "n={n} grid={grid} radius={radius:?} target={target:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn nan_and_infinite_coordinates_are_handled_like_the_scan() {
        let mut points = Random(7).points(100, false);
        points[3] = Point::new(f64::NAN, 1.0);
        points[50] = Point::new(f64::INFINITY, 2.0);
        points[60] = Point::new(1.0, f64::NEG_INFINITY);
        let index = SpatialIndex::build(&points, &never()).unwrap();
        let target = Point::new(0.0, 0.0);
        assert_eq!(
            index.nearest(target, 100, &never()),
            search::nearest(&points, target, 100, &never())
        );
        let everything = DistanceLimit::new(f64::INFINITY).unwrap();
        assert_eq!(
            index.within(target, everything, &never()),
            search::within(&points, target, everything, &never())
        );
        assert_eq!(
            index.within(target, everything, &never()).unwrap().len(),
            99
        );
    }

    #[test]
    fn an_empty_index_finds_nothing() {
        let index = SpatialIndex::build(&[], &never()).unwrap();
        assert!(index.is_empty());
        assert_eq!(index.heap_size(), 0);
        assert_eq!(index.nearest(Point::default(), 3, &never()), Ok(vec![]));
    }

    #[test]
    fn building_and_querying_can_be_cancelled() {
        let points = Random(3).points(2 * CHUNK, false);
        let cancelled = CancelFlag::new();
        cancelled.cancel();
        assert!(SpatialIndex::build(&points, &cancelled).is_err());
        let index = SpatialIndex::build(&points, &never()).unwrap();
        let everything = DistanceLimit::new(f64::INFINITY).unwrap();
        assert_eq!(
            index.within(Point::default(), everything, &cancelled),
            Err(PointsError::Cancelled)
        );
        assert_eq!(index.heap_size(), 2 * CHUNK * 24);
    }
}

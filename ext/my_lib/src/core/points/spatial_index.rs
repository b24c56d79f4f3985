//! A k-d tree over a set of points, built once, which answers
//! [`search`](super::search)'s questions without looking at every point.
//!
//! The tree is implicit: one array of (point, position) entries, arranged so
//! that for any range of it the middle entry splits the rest on one axis (x
//! at even depths, y at odd ones), the entries before it no greater and the
//! ones after no smaller on that axis. Ranges of at most [`LEAF`] entries
//! are scanned. Building takes O(n log n) time; a query visits O(log n)
//! ranges for nearby answers.

use std::cmp::Ordering;
use std::ops::Range;

use super::exact::{Radius, gap_may_reach};
use super::search::{Nearest, Pace, Ranking, Slots, select_nth, sort};
use super::{
    DistanceLimit, PointsError, try_extend, try_filled, try_push, try_reserve,
    try_vec_with_capacity,
};
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
    entries: Vec<Entry>,
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

/// The order a node at `depth` splits by: its axis, then position, so that
/// every key is distinct and no run of equal coordinates can unbalance the
/// tree (the tree's invariant only needs the axis).
fn split_order(a: &Entry, b: &Entry, depth: usize) -> Ordering {
    axis_value(a.point, depth)
        .total_cmp(&axis_value(b.point, depth))
        .then(a.position.cmp(&b.position))
}

impl Slots for [Entry] {
    fn point(&self, slot: usize) -> Point {
        self[slot].point
    }

    fn position(&self, slot: usize) -> usize {
        self[slot].position
    }
}

impl SpatialIndex {
    /// Builds the tree over `points`; positions in its answers are indices
    /// into this slice. Its one buffer (24 bytes a point) is reserved
    /// fallibly: [`PointsError::OutOfMemory`] when it cannot be had.
    pub fn build(points: &[Point], cancel: &CancelFlag) -> Result<Self, PointsError> {
        let mut entries = try_vec_with_capacity(points.len())?;
        for (chunk_number, chunk) in points.chunks(CHUNK).enumerate() {
            cancel.check()?;
            let offset = chunk_number * CHUNK;
            try_extend(
                &mut entries,
                chunk.iter().enumerate().map(|(i, &point)| Entry {
                    point,
                    position: offset + i,
                }),
            )?;
        }
        arrange(&mut entries, 0, &mut Pace::new(cancel))?;
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
    /// tree was built from, with the same guarantees.
    pub fn nearest(
        &self,
        target: Point,
        k: usize,
        cancel: &CancelFlag,
    ) -> Result<Vec<usize>, PointsError> {
        let ranking = Ranking::new(target, &*self.entries);
        let mut pace = Pace::new(cancel);
        let mut nearest = Nearest::new(k, self.entries.len())?;
        if k > 0 {
            // A quarter of the points, beyond the 2k that a query for many
            // must look at anyway (so that one never gives up).
            let mut budget = (self.entries.len() / 4)
                .saturating_add(k.saturating_mul(2))
                .saturating_add(LEAF);
            let range = 0..self.entries.len();
            self.nearest_in(range, 0, &ranking, &mut nearest, &mut pace, &mut budget)?;
            if budget == 0 {
                // The tree is not pruning (many points as near as the
                // k-th, such as duplicates): a scan of every entry is
                // cheaper than the rest of the descent. For k up to n/8,
                // the descent so far cost at most half the scan's offers,
                // so the query costs at most about twice a scan's.
                nearest = Nearest::new(k, self.entries.len())?;
                for slot in 0..self.entries.len() {
                    nearest.offer(slot, &ranking, &mut pace)?;
                }
            }
        }
        nearest.into_positions(&ranking, &mut pace)
    }

    /// Offers the points of `range` that may be among the `k` nearest,
    /// while `budget` lasts (an offer spends 1; at 0 it stops).
    fn nearest_in(
        &self,
        range: Range<usize>,
        depth: usize,
        ranking: &Ranking<'_, [Entry]>,
        nearest: &mut Nearest,
        pace: &mut Pace<'_>,
        budget: &mut usize,
    ) -> Result<(), PointsError> {
        if *budget < range.len().min(LEAF + 1) {
            *budget = 0;
            return Ok(());
        }
        if range.len() <= LEAF {
            *budget -= range.len();
            for slot in range {
                nearest.offer(slot, ranking, pace)?;
            }
            return Ok(());
        }
        *budget -= 1;
        let middle = range.start + range.len() / 2;
        nearest.offer(middle, ranking, pace)?;
        let (at, split) = (
            axis_value(ranking.target(), depth),
            axis_value(self.entries[middle].point, depth),
        );
        let (near, far) = if at < split {
            (range.start..middle, middle + 1..range.end)
        } else {
            (middle + 1..range.end, range.start..middle)
        };
        self.nearest_in(near, depth + 1, ranking, nearest, pace, budget)?;
        // Every point across the split is at least |at - split| away. Ties are
        // visited: an equally distant point may come earlier.
        if gap_may_reach(at, split, nearest.bound_squared()) {
            self.nearest_in(far, depth + 1, ranking, nearest, pace, budget)?;
        }
        Ok(())
    }

    /// As [`search::within`](super::search::within) over the points the tree
    /// was built from, with the same guarantees.
    pub fn within(
        &self,
        center: Point,
        radius: DistanceLimit,
        cancel: &CancelFlag,
    ) -> Result<Vec<usize>, PointsError> {
        let mut pace = Pace::new(cancel);
        let mut found = Vec::new();
        self.within_in(
            0..self.entries.len(),
            0,
            center,
            Radius::new(radius.get()),
            &mut found,
            &mut pace,
        )?;
        order_positions(&mut found, self.entries.len(), &mut pace)?;
        Ok(found)
    }

    fn within_in(
        &self,
        range: Range<usize>,
        depth: usize,
        center: Point,
        radius: Radius,
        found: &mut Vec<usize>,
        pace: &mut Pace<'_>,
    ) -> Result<(), PointsError> {
        if range.len() <= LEAF {
            pace.advance(range.len())?;
            try_reserve(found, range.len())?;
            let inside = self.entries[range]
                .iter()
                .filter(|entry| radius.contains(center, entry.point));
            try_extend(found, inside.map(|entry| entry.position))?;
            return Ok(());
        }
        let middle = range.start + range.len() / 2;
        let node = self.entries[middle];
        pace.advance(1)?;
        if radius.contains(center, node.point) {
            try_push(found, node.position)?;
        }
        let offset = axis_value(center, depth) - axis_value(node.point, depth);
        // The side before the split holds coordinates <= the node's: it can
        // only matter if the center is at most `radius` past the split.
        // Rounding is monotonic and the radius a double, so a rounded
        // offset beyond it means an exact one beyond it.
        if within_reach(offset, radius.length()) {
            self.within_in(range.start..middle, depth + 1, center, radius, found, pace)?;
        }
        if within_reach(-offset, radius.length()) {
            self.within_in(
                middle + 1..range.end,
                depth + 1,
                center,
                radius,
                found,
                pace,
            )?;
        }
        Ok(())
    }
}

/// Sorts `found`, distinct positions below `n`. When they are many (a
/// 64th of `n` or more), by marking them in a bitmap of `n` bits and
/// reading it in order: O(n / 64 + found) instead of the comparison sort's
/// O(found log found), so a query that finds most points (a radius around
/// duplicates, or a large one) costs about what a scan does.
fn order_positions(found: &mut [usize], n: usize, pace: &mut Pace<'_>) -> Result<(), PointsError> {
    if found.len() < n / 64 {
        return Ok(sort(found, &usize::cmp, pace)?);
    }
    let words = n.div_ceil(64);
    let mut bits: Vec<u64> = try_filled(words, 0)?;
    for chunk in found.chunks(CHUNK) {
        pace.advance(chunk.len())?;
        for &position in chunk {
            bits[position / 64] |= 1 << (position % 64);
        }
    }
    let mut next = 0;
    for (chunk_number, chunk) in bits.chunks(CHUNK).enumerate() {
        pace.advance(chunk.len())?;
        for (i, &word) in chunk.iter().enumerate() {
            let mut word = word;
            while word != 0 {
                found[next] = (chunk_number * CHUNK + i) * 64 + word.trailing_zeros() as usize;
                next += 1;
                word &= word - 1;
            }
        }
    }
    Ok(())
}

/// Whether the far side of a split, `gap` away along its axis, may hold a
/// point within `reach`. A NaN gap (from a NaN or infinite coordinate) may.
fn within_reach(gap: f64, reach: f64) -> bool {
    gap.is_nan() || gap <= reach
}

/// Arranges `entries` into the implicit tree for a range at `depth`. Ranges
/// of more than a chunk are split by the cancellable selection; smaller
/// ones (a few µs of work each) by the standard library's.
fn arrange(entries: &mut [Entry], depth: usize, pace: &mut Pace<'_>) -> Result<(), PointsError> {
    if entries.len() <= LEAF {
        return Ok(());
    }
    let middle = entries.len() / 2;
    let order = |a: &Entry, b: &Entry| split_order(a, b, depth);
    if entries.len() > CHUNK {
        select_nth(entries, middle, &order, pace)?;
    } else {
        pace.advance(entries.len())?;
        entries.select_nth_unstable_by(middle, order);
    }
    let (before, rest) = entries.split_at_mut(middle);
    arrange(before, depth + 1, pace)?;
    arrange(&mut rest[1..], depth + 1, pace)
}

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
mod tests {
    use super::super::search;
    use super::*;
    use crate::core::test_random::Random;

    /// Random points for these tests, from the core's test generator.
    struct Sampler(Random);

    impl Sampler {
        fn new(seed: u64) -> Self {
            Sampler(Random::new(seed))
        }

        fn next(&mut self) -> u64 {
            self.0.next()
        }

        fn coordinate(&mut self, grid: bool) -> f64 {
            if grid {
                // Few distinct values: many exact ties.
                self.0.below(7) as f64 - 3.0
            } else {
                self.0.below(1_000_000) as f64 / 1000.0 - 500.0
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
        let mut random = Sampler::new(0x9E37_79B9_7F4A_7C15);
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

    /// The exact squared distance, in rationals (a test oracle we did not
    /// write: `num-rational`).
    fn exact_squared(from: Point, to: Point) -> num_rational::BigRational {
        let exact = |v: f64| num_rational::BigRational::from_float(v).unwrap();
        let (dx, dy) = (exact(to.x) - exact(from.x), exact(to.y) - exact(from.y));
        &dx * &dx + &dy * &dy
    }

    /// Points at an offset from 1 to 1e15 with features down to 1e-9, many
    /// of them exact ties (mirror images around the target), and targets
    /// among them; the scan and the index must both match exact rationals.
    #[test]
    fn scan_and_index_match_exact_arithmetic_at_large_offsets_and_ties() {
        let mut random = Sampler::new(0xD1B5_4A32_D192_ED03);
        let offsets: &[f64] = if cfg!(miri) {
            &[1e9]
        } else {
            &[1.0, 1e6, 1e9, 1e12, 1e15]
        };
        let n = if cfg!(miri) { 12 } else { 300 };
        for &offset in offsets {
            for feature in [1e-9, 1e-3, 1.0] {
                let target = Point::new(offset, offset);
                let mut points: Vec<Point> = (0..n / 2)
                    .map(|_| {
                        let step = |r: &mut Sampler| (r.next() % 64) as f64 * feature;
                        Point::new(offset + step(&mut random), offset - step(&mut random))
                    })
                    .collect();
                // Mirror images: exactly as far from the target (when the
                // coordinates are representable), the rounded distances
                // often equal even when the exact ones are not.
                let mirrored: Vec<Point> = points
                    .iter()
                    .map(|p| Point::new(2.0 * offset - p.x, 2.0 * offset - p.y))
                    .collect();
                points.extend(mirrored);
                let index = SpatialIndex::build(&points, &never()).unwrap();
                let mut order: Vec<usize> = (0..points.len()).collect();
                order.sort_by_cached_key(|&i| (exact_squared(target, points[i]), i));
                for k in [1, 5, n / 2, n] {
                    let expected = order[..k].to_vec();
                    assert_eq!(
                        search::nearest(&points, target, k, &never()).unwrap(),
                        expected
                    );
                    assert_eq!(
                        index.nearest(target, k, &never()).unwrap(),
                        expected,
                        "offset {offset} k {k}"
                    );
                }
                for &i in &[order[3], order[n / 3], order[n - 1]] {
                    // A radius that is exactly some point's distance, when
                    // the square root is exact, or just below or above it.
                    let radius = points[i].distance_to(target);
                    let limit = DistanceLimit::new(radius).unwrap();
                    let exact_radius = num_rational::BigRational::from_float(radius).unwrap();
                    let expected: Vec<usize> = (0..points.len())
                        .filter(|&j| {
                            exact_squared(target, points[j]) <= &exact_radius * &exact_radius
                        })
                        .collect();
                    assert_eq!(
                        search::within(&points, target, limit, &never()).unwrap(),
                        expected
                    );
                    assert_eq!(index.within(target, limit, &never()).unwrap(), expected);
                }
            }
        }
    }

    #[test]
    fn the_grid_points_at_exactly_root_13_are_not_within_its_rounding() {
        let points: Vec<Point> = (-5..=5)
            .flat_map(|x| (-5..=5).map(move |y| Point::new(x as f64, y as f64)))
            .collect();
        let index = SpatialIndex::build(&points, &never()).unwrap();
        let radius = DistanceLimit::new(13f64.sqrt()).unwrap();
        let found = index.within(Point::default(), radius, &never()).unwrap();
        assert_eq!(
            found,
            search::within(&points, Point::default(), radius, &never()).unwrap()
        );
        assert_eq!(found.len(), 37); // x² + y² < 13; the 8 at exactly 13 are beyond √13 rounded
    }

    #[test]
    fn nan_and_infinite_coordinates_are_handled_like_the_scan() {
        let mut points = Sampler::new(7).points(100, false);
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
        let points = Sampler::new(3).points(2 * CHUNK, false);
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

    /// How many points a query for the `k` nearest looks at.
    fn offers(index: &SpatialIndex, target: Point, k: usize) -> usize {
        let ranking = Ranking::new(target, &*index.entries);
        let mut nearest = Nearest::new(k, index.len()).unwrap();
        let (cancel, range) = (never(), 0..index.len());
        let mut budget = usize::MAX;
        let mut pace = Pace::new(&cancel);
        index
            .nearest_in(range, 0, &ranking, &mut nearest, &mut pace, &mut budget)
            .unwrap();
        nearest.offered
    }

    /// The tree prunes at every magnitude (issue 22): a query for the
    /// nearest point among 50,000 looks at a few hundred at most, as on
    /// the same points at magnitude 1. Squared distances that overflowed
    /// or underflowed used to make it look at every point.
    #[test]
    fn the_tree_prunes_at_every_magnitude() {
        let n = if cfg!(miri) { 2 * CHUNK } else { 50_000 };
        let mut random = Sampler::new(0xA076_1D64_78BD_642F);
        let walk = random.points(n, false);
        let subnormal = f64::from_bits(1 << 40);
        let families: [(&str, Vec<Point>); 4] = [
            ("1e160", walk.iter().map(|&p| p * 1e160).collect()),
            ("1e-160", walk.iter().map(|&p| p * 1e-160).collect()),
            ("subnormal", walk.iter().map(|&p| p * subnormal).collect()),
            (
                "1 % near, 99 % over ±1e200",
                walk.iter()
                    .enumerate()
                    .map(|(i, &p)| if i % 100 == 0 { p } else { p * 2e197 })
                    .collect(),
            ),
        ];
        for (name, points) in families {
            let index = SpatialIndex::build(&points, &never()).unwrap();
            for &query in &points[..20] {
                let target = query + query * 1e-9;
                let offers = offers(&index, target, 1);
                assert!(offers < 500, "{name}: {offers} offers for {target:?}");
                assert_eq!(
                    index.nearest(target, 1, &never()),
                    search::nearest(&points, target, 1, &never()),
                );
            }
        }
    }

    /// Duplicates: every point ties, so the tree cannot prune; the query
    /// gives up the descent for a scan of the entries, and `within` orders
    /// its many positions with a bitmap. Same answers as the scan, and the
    /// descent stops within its budget (a quarter of the points).
    #[test]
    fn duplicates_answer_as_the_scan_does_within_the_budget() {
        let n = if cfg!(miri) { 300 } else { 20_000 };
        let mut points = vec![Point::new(1.5, -2.5); n];
        points[n / 3] = Point::new(f64::NAN, 0.0);
        let index = SpatialIndex::build(&points, &never()).unwrap();
        let target = Point::new(1.75, -2.625);
        for k in [1, 2, 17, n / 2, n] {
            assert_eq!(
                index.nearest(target, k, &never()),
                search::nearest(&points, target, k, &never()),
                "k {k}"
            );
        }
        let ranking = Ranking::new(target, &*index.entries);
        let mut nearest = Nearest::new(1, n).unwrap();
        let (cancel, mut budget) = (never(), n / 4);
        let mut pace = Pace::new(&cancel);
        index
            .nearest_in(0..n, 0, &ranking, &mut nearest, &mut pace, &mut budget)
            .unwrap();
        assert_eq!(budget, 0);
        assert!(nearest.offered <= n / 4);
        for radius in [0.0, 0.2, 1.0] {
            let radius = DistanceLimit::new(radius).unwrap();
            assert_eq!(
                index.within(target, radius, &never()),
                search::within(&points, target, radius, &never())
            );
        }
    }
}

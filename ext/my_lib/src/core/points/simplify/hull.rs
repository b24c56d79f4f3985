//! The convex hull of the points under each node of the position tree, as
//! a lower and an upper chain (each from the lexicographically least point
//! to the greatest, collinear points left out), and the point of a hull
//! farthest in a direction, by binary search. Every turn and every
//! direction test is [`dot_sign`], exact.
//!
//! Built bottom-up, on demand (a node's first, when a search first needs
//! it): a leaf's hull by Andrew's monotone chain over its sorted points; a
//! parent's by the same pass over its children's chains merged (a vertex
//! of the hull of a union is a vertex of its part's hull), so each level
//! costs time linear in its points: O(n log n) in all, and
//! each level's chains hold at most two entries per point plus two per
//! node (the memory bound: at most `8 (log₂(n / 16) + 1)` bytes a point,
//! reached on convex paths; a few bytes a point on typical paths).
//!
//! Farthest in direction `u`: along the upper chain the edges turn
//! clockwise, their angles falling within `(-90°, 90°]`, so for `u`
//! pointing up (`u.y > 0`) the sign of `edge · u` is positive then never
//! again, and the first edge where it is not ends at the farthest vertex;
//! along the lower chain likewise for `u` pointing down; for a horizontal
//! `u` the farthest is the chains' last (or first) point. O(log h)
//! predicates for a hull of `h` vertices.

use std::cmp::Ordering;

use super::dot_sign::dot_sign;
use super::tree::LEAF;
use crate::core::buffer::AllocError;
use crate::core::cancel::{CHUNK, CancelFlag};
use crate::core::point::Point;
use crate::core::points::{PointsError, try_filled, try_push};

/// Where a node's chains are in [`Hulls::chains`]: the lower chain is
/// `start..middle`, the upper `middle..end`.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: usize,
    middle: usize,
    end: usize,
    /// False when a point under the node has an infinite coordinate (its
    /// distance is not a hull's business): no chains then.
    usable: bool,
    built: bool,
}

/// The hull of every node of an implicit tree over positions (node `i`'s
/// children are `2i` and `2i + 1`; leaf `j` is node `leaf_count + j` and
/// covers positions `j * leaf .. (j + 1) * leaf`).
pub(super) struct Hulls {
    chains: Vec<u32>,
    spans: Vec<Span>,
    /// The children's chains merged, reused from node to node.
    merged: Vec<u32>,
    leaf_count: usize,
    /// Building done since the cancel flag was last looked at.
    work: usize,
}

/// Turning a point a quarter clockwise, exactly: `(a - o) × (b - o)` is
/// `(a - o) · (turned(b) - turned(o))`.
pub(super) fn turned(point: Point) -> Point {
    Point::new(point.y, -point.x)
}

/// The sign of `(a - o) × (b - o)`: positive for a counterclockwise turn.
fn turn(o: Point, a: Point, b: Point) -> Ordering {
    dot_sign(o, a, turned(o), turned(b))
}

/// By x, then y, as real numbers (`-0.0 == 0.0`; hulls hold no NaN).
fn lexicographic(p: Point, q: Point) -> Ordering {
    let compare = |a: f64, b: f64| a.partial_cmp(&b).unwrap_or(Ordering::Equal);
    compare(p.x, q.x).then(compare(p.y, q.y))
}

impl Hulls {
    /// No hull built yet, for a tree with `leaf_count` leaves of [`LEAF`]
    /// positions over `point_count` points; `None` for paths too long for
    /// `u32` positions.
    pub(super) fn new(point_count: usize, leaf_count: usize) -> Result<Option<Hulls>, PointsError> {
        if u32::try_from(point_count).is_err() {
            return Ok(None);
        }
        let spans = try_filled(2 * leaf_count, Span::default())?;
        Ok(Some(Hulls {
            chains: Vec::new(),
            spans,
            merged: Vec::new(),
            leaf_count,
            work: 0,
        }))
    }

    /// Builds `node`'s hull, and first its children's, unless built: each
    /// node once, in time linear in its children's chains (a leaf's: in
    /// its points, sorted), so all of them in O(n log n).
    pub(super) fn build(
        &mut self,
        points: &[Point],
        node: usize,
        cancel: &CancelFlag,
    ) -> Result<(), PointsError> {
        if self.spans[node].built {
            return Ok(());
        }
        if node >= self.leaf_count {
            return self.build_leaf(points, node, cancel);
        }
        self.build(points, 2 * node, cancel)?;
        self.build(points, 2 * node + 1, cancel)?;
        let (left, right) = (self.spans[2 * node], self.spans[2 * node + 1]);
        self.count(left.end - left.start + right.end - right.start + 1, cancel)?;
        if !(left.usable && right.usable) {
            return self.add_chains(points, node, [&[], &[]], false);
        }
        // A vertex of the lower (upper) hull of a union is one of its
        // part's lower (upper) hull.
        let mut merged = std::mem::take(&mut self.merged);
        merged.clear();
        merge(points, self.lower(left), self.lower(right), &mut merged)?;
        let lower_count = merged.len();
        merge(points, self.upper(left), self.upper(right), &mut merged)?;
        let (lower, upper) = merged.split_at(lower_count);
        let added = self.add_chains(points, node, [lower, upper], true);
        self.merged = merged;
        added
    }

    fn build_leaf(
        &mut self,
        points: &[Point],
        node: usize,
        cancel: &CancelFlag,
    ) -> Result<(), PointsError> {
        self.count(LEAF, cancel)?;
        let first = (node - self.leaf_count) * LEAF;
        let positions = first.min(points.len())..(first + LEAF).min(points.len());
        let mut sorted = [0u32; LEAF];
        let mut count = 0;
        let mut usable = true;
        for position in positions {
            let point = points[position];
            if point.x.is_nan() || point.y.is_nan() {
                continue;
            }
            usable &= point.x.is_finite() && point.y.is_finite();
            sorted[count] = position as u32;
            count += 1;
        }
        let sorted = &mut sorted[..count];
        sorted.sort_unstable_by(|&p, &q| lexicographic(points[p as usize], points[q as usize]));
        self.add_chains(points, node, [sorted, sorted], usable)
    }

    /// Counts `amount` units of building, looking at the cancel flag once
    /// per [`CHUNK`] of them.
    fn count(&mut self, amount: usize, cancel: &CancelFlag) -> Result<(), PointsError> {
        self.work += amount;
        if self.work >= CHUNK {
            self.work = 0;
            cancel.check()?;
        }
        Ok(())
    }

    fn lower(&self, span: Span) -> &[u32] {
        &self.chains[span.start..span.middle]
    }

    fn upper(&self, span: Span) -> &[u32] {
        &self.chains[span.middle..span.end]
    }

    /// Appends `node`'s lower and upper chains, made from `candidates`
    /// (positions of points, each list lexicographically ordered).
    fn add_chains(
        &mut self,
        points: &[Point],
        node: usize,
        candidates: [&[u32]; 2],
        usable: bool,
    ) -> Result<(), PointsError> {
        let start = self.chains.len();
        let mut middle = start;
        if usable {
            // The lower chain turns counterclockwise, the upper clockwise.
            for (sorted, keep) in candidates
                .into_iter()
                .zip([Ordering::Greater, Ordering::Less])
            {
                let chain_start = self.chains.len();
                for &position in sorted {
                    let point = points[position as usize];
                    while self.chains.len() - chain_start >= 2 {
                        let top = self.chains.len() - 1;
                        let (o, a) = (
                            points[self.chains[top - 1] as usize],
                            points[self.chains[top] as usize],
                        );
                        if turn(o, a, point) == keep {
                            break;
                        }
                        self.chains.pop();
                    }
                    try_push(&mut self.chains, position)?;
                }
                if keep == Ordering::Greater {
                    middle = self.chains.len();
                }
            }
        }
        self.spans[node] = Span {
            start,
            middle,
            end: self.chains.len(),
            usable,
            built: true,
        };
        Ok(())
    }

    /// Whether `node`'s chains, once [built](Self::build), can be
    /// searched, and it has points.
    pub(super) fn is_searchable(&self, node: usize) -> bool {
        let span = self.spans[node];
        span.built && span.usable && span.middle > span.start
    }

    /// The position of a vertex of `node`'s hull farthest in the direction
    /// from `from` to `to` (which differ); the node must be searchable.
    /// Adds the predicates evaluated to `steps`.
    pub(super) fn extreme(
        &self,
        points: &[Point],
        node: usize,
        from: Point,
        to: Point,
        steps: &mut usize,
    ) -> usize {
        let span = self.spans[node];
        let (lower, upper) = (self.lower(span), self.upper(span));
        let chain = if to.y > from.y {
            upper
        } else if to.y < from.y {
            lower
        } else if to.x > from.x {
            return upper[upper.len() - 1] as usize;
        } else {
            return lower[0] as usize;
        };
        let (mut low, mut high) = (0, chain.len() - 1);
        while low < high {
            let middle = (low + high) / 2;
            *steps += 1;
            let (a, b) = (
                points[chain[middle] as usize],
                points[chain[middle + 1] as usize],
            );
            if dot_sign(a, b, from, to) == Ordering::Greater {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        chain[low] as usize
    }
}

/// Appends `a` and `b` (positions, each lexicographically ordered by
/// point) merged in that order to `into`.
fn merge(points: &[Point], a: &[u32], b: &[u32], into: &mut Vec<u32>) -> Result<(), AllocError> {
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j == b.len()
            || (i < a.len() && lexicographic(points[a[i] as usize], points[b[j] as usize]).is_le());
        let position = if take_a { a[i] } else { b[j] };
        if take_a {
            i += 1;
        } else {
            j += 1;
        }
        try_push(into, position)?;
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
mod tests {
    use super::*;
    use crate::core::test_random::Random;

    /// Every node's extreme in a direction is at least as far in it as
    /// every point under the node, exactly.
    fn check_extremes(points: &[Point], directions: &[(Point, Point)]) {
        let leaf_count = points.len().div_ceil(LEAF).next_power_of_two();
        let mut hulls = Hulls::new(points.len(), leaf_count).unwrap().unwrap();
        hulls.build(points, 1, &CancelFlag::new()).unwrap();
        for node in 1..2 * leaf_count {
            if !hulls.is_searchable(node) {
                continue;
            }
            let depth = node.ilog2();
            let width = LEAF << (leaf_count.ilog2() - depth);
            let first = (node - (1 << depth)) * width;
            let under = &points[first.min(points.len())..(first + width).min(points.len())];
            for &(from, to) in directions {
                let extreme = points[hulls.extreme(points, node, from, to, &mut 0)];
                for &point in under {
                    assert!(
                        dot_sign(extreme, point, from, to).is_le(),
                        "node {node}: {point:?} beyond {extreme:?} towards {to:?} from {from:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn extremes_are_extreme() {
        let mut random = Random::new(5);
        let mut next = |range: u64| random.below(range);
        let n = if cfg!(miri) { 40 } else { 300 };
        // A coarse grid: duplicates, collinear points, vertical edges.
        let grid: Vec<Point> = (0..n)
            .map(|_| Point::new(next(7) as f64, next(7) as f64))
            .collect();
        let line: Vec<Point> = (0..n)
            .map(|i| Point::new(0.1 * i as f64, 0.3 * i as f64))
            .collect();
        let circle: Vec<Point> = (0..n)
            .map(|i| {
                let angle = i as f64 * 0.37;
                Point::new(angle.cos(), angle.sin())
            })
            .collect();
        let same = vec![Point::new(2.0, -1.0); n];
        let origin = Point::new(0.0, 0.0);
        let mut directions: Vec<(Point, Point)> = [
            (1.0, 0.0),
            (-1.0, 0.0),
            (0.0, 1.0),
            (0.0, -1.0),
            (1.0, 3.0),
            (-1.0, -3.0),
            (3.0, -1.0),
        ]
        .iter()
        .map(|&(x, y)| (origin, Point::new(x, y)))
        .collect();
        for _ in 0..8 {
            let to = Point::new(next(11) as f64 - 5.0, next(11) as f64 - 5.0);
            if to != origin {
                directions.push((origin, to));
            }
        }
        for points in [grid, line, circle, same] {
            check_extremes(&points, &directions);
        }
    }

    #[test]
    fn infinite_and_nan_points() {
        let mut points: Vec<Point> = (0..40).map(|i| Point::new(i as f64, 1.0)).collect();
        points[3] = Point::new(f64::NAN, 0.0);
        points[20] = Point::new(f64::INFINITY, 0.0);
        let mut hulls = Hulls::new(points.len(), 4).unwrap().unwrap();
        hulls.build(&points, 1, &CancelFlag::new()).unwrap();
        // Leaf 0 (positions 0..16) leaves its NaN out; leaf 1 holds the
        // infinity, so it and every node above it has no hull.
        assert!(hulls.is_searchable(4));
        assert!(!hulls.is_searchable(5));
        assert!(!hulls.is_searchable(2) && !hulls.is_searchable(1));
        assert!(hulls.is_searchable(6));
        // Leaf 3 is padding: no points.
        assert!(!hulls.is_searchable(7));
    }
}

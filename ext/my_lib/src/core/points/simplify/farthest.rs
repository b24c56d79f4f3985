//! The farthest point of a stretch of the path from the segment between
//! its ends, found by branch and bound over a [`PositionTree`].
//!
//! Distance to a segment is a convex function of the point, so over a box
//! it is largest at a corner: a node whose corners are all nearer than the
//! best point found so far holds no better point and is skipped. The
//! floating-point [`Estimate`]s settle most of these comparisons; near a
//! tie the exact predicates of [`decide`](super::decide) settle them, on the
//! corners (which are doubles) and on the points, so the search returns
//! exactly the point a scan of the stretch with those predicates returns.

use std::cmp::Ordering;
use std::ops::Range;

use super::decide::{compare_distances, is_defined};
use super::estimate::{Estimate, Scale, SegmentEstimator};
use crate::core::cancel::{CHUNK, CancelFlag};
use crate::core::point::Point;
use crate::core::points::{PointsError, try_vec_with_capacity};

/// Points per leaf of the tree.
const LEAF: usize = 16;
/// Stretches with at most this many points between their ends are scanned.
const SCAN_AT_MOST: usize = 48;

/// Whether a point can have a distance to some segment: one with a NaN
/// coordinate never has; it is left out of the boxes.
fn is_candidate(point: Point) -> bool {
    !(point.x.is_nan() || point.y.is_nan())
}

/// An axis-aligned box around some points; empty when `min > max`.
#[derive(Debug, Clone, Copy)]
struct BoundingBox {
    min: Point,
    max: Point,
}

impl BoundingBox {
    const EMPTY: BoundingBox = BoundingBox {
        min: Point::new(f64::INFINITY, f64::INFINITY),
        max: Point::new(f64::NEG_INFINITY, f64::NEG_INFINITY),
    };

    fn include(&mut self, point: Point) {
        self.min = Point::new(self.min.x.min(point.x), self.min.y.min(point.y));
        self.max = Point::new(self.max.x.max(point.x), self.max.y.max(point.y));
    }

    fn union(self, other: BoundingBox) -> BoundingBox {
        let mut union = self;
        union.include(other.min);
        union.include(other.max);
        union
    }

    fn is_empty(&self) -> bool {
        self.min.x > self.max.x
    }

    fn corners(&self) -> [Point; 4] {
        [
            self.min,
            Point::new(self.min.x, self.max.y),
            Point::new(self.max.x, self.min.y),
            self.max,
        ]
    }
}

/// An implicit, perfect binary tree over the positions of a path: leaf `j`
/// covers positions `j * LEAF ..`, node `i` has children `2i` and `2i + 1`,
/// the root is node 1. Each node holds the box around its candidate
/// points (empty if none). Built once per `simplify` call, in O(n).
pub(super) struct PositionTree {
    boxes: Vec<BoundingBox>,
    leaf_count: usize,
    scale: Scale,
}

impl PositionTree {
    pub(super) fn build(points: &[Point], cancel: &CancelFlag) -> Result<Self, PointsError> {
        let leaf_count = points.len().div_ceil(LEAF).next_power_of_two();
        let mut boxes = try_vec_with_capacity(2 * leaf_count)?;
        boxes.resize(2 * leaf_count, BoundingBox::EMPTY);
        let mut largest = 0.0f64;
        for (chunk_number, chunk) in points.chunks(CHUNK).enumerate() {
            cancel.check()?;
            for (leaf, leaf_points) in chunk.chunks(LEAF).enumerate() {
                let bounding_box = &mut boxes[leaf_count + chunk_number * (CHUNK / LEAF) + leaf];
                for &point in leaf_points.iter().filter(|&&point| is_candidate(point)) {
                    bounding_box.include(point);
                    for coordinate in [point.x, point.y] {
                        if coordinate.is_finite() {
                            largest = largest.max(coordinate.abs());
                        }
                    }
                }
            }
        }
        for node in (1..leaf_count).rev() {
            if node % CHUNK == 0 {
                cancel.check()?;
            }
            boxes[node] = boxes[2 * node].union(boxes[2 * node + 1]);
        }
        Ok(PositionTree {
            boxes,
            leaf_count,
            scale: Scale::for_largest(largest),
        })
    }
}

/// A node waiting in the search, with bounds on its corners' distances.
#[derive(Clone, Copy)]
struct Pending {
    node: usize,
    leaves: (usize, usize),
    corners: Estimate,
}

/// The best point found so far.
#[derive(Clone, Copy)]
struct Best {
    position: usize,
    point: Point,
    estimate: Estimate,
}

/// Answers farthest-point queries over one path, keeping the work done
/// since the last look at the cancel flag across queries.
pub(super) struct FarthestSearch<'a> {
    points: &'a [Point],
    tree: &'a PositionTree,
    stack: Vec<Pending>,
    work: usize,
}

impl<'a> FarthestSearch<'a> {
    pub(super) fn new(points: &'a [Point], tree: &'a PositionTree) -> Self {
        // Depth-first, at most two nodes a level wait: logarithmic.
        let depth = tree.leaf_count.trailing_zeros() as usize + 1;
        FarthestSearch {
            points,
            tree,
            stack: Vec::with_capacity(2 * depth + 1),
            work: 0,
        }
    }

    /// The position strictly between `first` and `last` of the point
    /// farthest from the segment between those two (the earliest on ties),
    /// or `None` if no point there has a defined distance (an end with a
    /// NaN coordinate defines none).
    pub(super) fn farthest(
        &mut self,
        first: usize,
        last: usize,
        cancel: &CancelFlag,
    ) -> Result<Option<usize>, PointsError> {
        let (start, end) = (self.points[first], self.points[last]);
        if !(is_candidate(start) && is_candidate(end)) || last - first < 2 {
            return Ok(None);
        }
        let mut query = Query {
            start,
            end,
            estimator: SegmentEstimator::new(start, end, self.tree.scale),
            best: None,
        };
        let between = first + 1..last;
        if between.len() <= SCAN_AT_MOST {
            self.count(between.len(), cancel)?;
            for position in between {
                query.consider(position, self.points[position]);
            }
        } else {
            self.branch_and_bound(&mut query, between, cancel)?;
        }
        Ok(query.best.map(|best| best.position))
    }

    fn branch_and_bound(
        &mut self,
        query: &mut Query,
        between: Range<usize>,
        cancel: &CancelFlag,
    ) -> Result<(), PointsError> {
        self.stack.clear();
        self.push_nodes(query, &between, [(1, (0, self.tree.leaf_count))]);
        while let Some(pending) = self.stack.pop() {
            self.count(1, cancel)?;
            let first_position = (pending.leaves.0 * LEAF).max(between.start);
            if query.holds_no_better(
                &self.tree.boxes[pending.node],
                pending.corners,
                first_position,
            ) {
                continue;
            }
            if pending.node >= self.tree.leaf_count {
                let positions = first_position..(pending.leaves.1 * LEAF).min(between.end);
                self.count(positions.len(), cancel)?;
                for position in positions {
                    query.consider(position, self.points[position]);
                }
            } else {
                let (low, high) = pending.leaves;
                let middle = (low + high) / 2;
                let node = pending.node;
                self.push_nodes(
                    query,
                    &between,
                    [(2 * node, (low, middle)), (2 * node + 1, (middle, high))],
                );
            }
        }
        Ok(())
    }

    /// Pushes the nodes that hold candidates in `between`, so that the
    /// earlier is searched first unless the later one's corners are
    /// certainly farther: among tied points the earliest wins, and once it
    /// is found every later node with tied corners is skipped.
    fn push_nodes<const N: usize>(
        &mut self,
        query: &Query,
        between: &Range<usize>,
        nodes: [(usize, (usize, usize)); N],
    ) {
        let mut children = nodes.map(|(node, leaves)| {
            let overlaps = leaves.0 * LEAF < between.end && between.start < leaves.1 * LEAF;
            let bounding_box = &self.tree.boxes[node];
            (overlaps && !bounding_box.is_empty()).then(|| Pending {
                node,
                leaves,
                corners: query.corner_bounds(bounding_box),
            })
        });
        if let [Some(left), Some(right)] = children[..] {
            if right.corners.certainly_above(left.corners) {
                children.swap(0, 1);
            }
        }
        for child in children.into_iter().rev().flatten() {
            self.stack.push(child);
        }
    }

    /// Counts `amount` units of work, looking at the cancel flag once per
    /// [`CHUNK`] of them.
    fn count(&mut self, amount: usize, cancel: &CancelFlag) -> Result<(), PointsError> {
        self.work += amount;
        if self.work >= CHUNK {
            self.work = 0;
            cancel.check()?;
        }
        Ok(())
    }
}

/// One farthest-point query: the segment and the best point so far.
struct Query {
    start: Point,
    end: Point,
    estimator: SegmentEstimator,
    best: Option<Best>,
}

impl Query {
    /// Makes the point at `position` the best if it is farther than the
    /// best, or as far and earlier.
    fn consider(&mut self, position: usize, point: Point) {
        let estimate = self.estimator.estimate(point);
        // Only a non-finite coordinate makes an estimate unknown.
        if estimate == Estimate::UNKNOWN && !is_defined(self.start, self.end, point) {
            return;
        }
        if let Some(best) = &self.best {
            if estimate.certainly_below(best.estimate) {
                return;
            }
            let better = estimate.certainly_above(best.estimate)
                || match compare_distances(self.start, self.end, point, best.point) {
                    Some(Ordering::Greater) => true,
                    Some(Ordering::Equal) => position < best.position,
                    Some(Ordering::Less) | None => false,
                };
            if !better {
                return;
            }
        }
        self.best = Some(Best {
            position,
            point,
            estimate,
        });
    }

    fn corner_bounds(&self, bounding_box: &BoundingBox) -> Estimate {
        bounding_box
            .corners()
            .map(|corner| self.estimator.estimate(corner))
            .into_iter()
            .reduce(Estimate::max)
            .expect("four corners")
    }

    /// Whether no point in `bounding_box`, at `first_position` or later,
    /// can beat the best: every corner is certainly nearer, or, near a tie,
    /// no corner is farther by exact comparison (and none as far, unless the
    /// box's points all come after the best's).
    fn holds_no_better(
        &self,
        bounding_box: &BoundingBox,
        corners: Estimate,
        first_position: usize,
    ) -> bool {
        let Some(best) = &self.best else {
            return false;
        };
        if corners.certainly_below(best.estimate) {
            return true;
        }
        if corners.certainly_above(best.estimate) {
            return false;
        }
        let later = first_position > best.position;
        bounding_box.corners().iter().all(|&corner| {
            match compare_distances(self.start, self.end, corner, best.point) {
                Some(Ordering::Less) => true,
                Some(Ordering::Equal) => later,
                Some(Ordering::Greater) | None => false,
            }
        })
    }
}

//! The tree the farthest-point search runs over: an implicit binary tree
//! over the positions of a path, each node with the bounding box of its
//! points and a disk around the box's centre that holds them.

use super::estimate::Scale;
use super::fine_estimate::FineScale;
use crate::core::cancel::{CHUNK, CancelFlag};
use crate::core::point::Point;
use crate::core::points::{PointsError, try_filled};

/// Points per leaf of the tree.
pub(super) const LEAF: usize = 16;
/// Whether a point can have a distance to some segment: one with a NaN
/// coordinate never has; it is left out of the boxes.
pub(super) fn is_candidate(point: Point) -> bool {
    !(point.x.is_nan() || point.y.is_nan())
}

/// An axis-aligned box around some points; empty when `min > max`.
#[derive(Debug, Clone, Copy)]
pub(super) struct BoundingBox {
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

    /// The box around both (an empty box adds nothing).
    pub(super) fn union(self, other: BoundingBox) -> BoundingBox {
        BoundingBox {
            min: Point::new(self.min.x.min(other.min.x), self.min.y.min(other.min.y)),
            max: Point::new(self.max.x.max(other.max.x), self.max.y.max(other.max.y)),
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        self.min.x > self.max.x
    }

    pub(super) fn center(&self) -> Point {
        Point::new(
            self.min.x * 0.5 + self.max.x * 0.5,
            self.min.y * 0.5 + self.max.y * 0.5,
        )
    }

    pub(super) fn is_finite(&self) -> bool {
        [self.min.x, self.min.y, self.max.x, self.max.y]
            .iter()
            .all(|c| c.is_finite())
    }

    pub(super) fn corners(&self) -> [Point; 4] {
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
/// points (empty if none) and the radius, scaled, of a disk around the
/// box's centre that holds them (infinite if the box is not finite, or if
/// the disk is as wide as the box's half-diagonal: it then bounds the
/// node no better than the box's corners, and the search skips it).
/// Built once per `simplify` call, in O(n log n) (a pass over the points
/// per level for the radii).
pub(super) struct PositionTree {
    pub(super) boxes: Vec<BoundingBox>,
    pub(super) radii: Vec<f64>,
    pub(super) leaf_count: usize,
    pub(super) scale: Scale,
    /// The second stage of the distance filter's scale.
    pub(super) fine_scale: FineScale,
    /// Whether the second stage runs: the first does not resolve the
    /// path's smallest features ([`Scale::resolves`]).
    pub(super) fine_stage: bool,
}

impl PositionTree {
    pub(super) fn build(points: &[Point], cancel: &CancelFlag) -> Result<Self, PointsError> {
        let leaf_count = points.len().div_ceil(LEAF).next_power_of_two();
        let mut boxes = try_filled(2 * leaf_count, BoundingBox::EMPTY)?;
        // The largest finite coordinate magnitude, and the smallest nonzero.
        let (mut largest, mut smallest) = (0.0f64, f64::INFINITY);
        for (chunk_number, chunk) in points.chunks(CHUNK).enumerate() {
            cancel.check()?;
            for (leaf, leaf_points) in chunk.chunks(LEAF).enumerate() {
                let bounding_box = &mut boxes[leaf_count + chunk_number * (CHUNK / LEAF) + leaf];
                for &point in leaf_points.iter().filter(|&&point| is_candidate(point)) {
                    bounding_box.include(point);
                    for coordinate in [point.x, point.y] {
                        if coordinate.is_finite() {
                            largest = largest.max(coordinate.abs());
                            if coordinate != 0.0 {
                                smallest = smallest.min(coordinate.abs());
                            }
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
        let scale = Scale::for_path(largest, smallest);
        let radii = Self::radii(points, &boxes, leaf_count, scale, cancel)?;
        Ok(PositionTree {
            boxes,
            radii,
            leaf_count,
            scale,
            fine_scale: FineScale::for_largest(largest),
            fine_stage: !scale.resolves(smallest),
        })
    }

    /// Each node's radius, a level at a time.
    fn radii(
        points: &[Point],
        boxes: &[BoundingBox],
        leaf_count: usize,
        scale: Scale,
        cancel: &CancelFlag,
    ) -> Result<Vec<f64>, PointsError> {
        let mut radii = try_filled(boxes.len(), f64::INFINITY)?;
        // The level whose nodes are `level_start..2 * level_start`.
        let mut level_start = leaf_count;
        let mut work = 0;
        while level_start >= 1 {
            let node_points = LEAF * (leaf_count / level_start);
            for (offset, node_points) in points.chunks(node_points).enumerate() {
                let node = level_start + offset;
                let bounding_box = &boxes[node];
                if bounding_box.is_finite() {
                    let radius =
                        Self::radius(node_points, bounding_box.center(), scale, &mut work, cancel)?;
                    let [min, _, _, max] = bounding_box.corners();
                    if scale.disk_may_beat_corners(radius, min, max) {
                        radii[node] = radius;
                    }
                }
            }
            level_start /= 2;
        }
        Ok(radii)
    }

    /// The radius of a node's disk, looking at the cancel flag once per
    /// [`CHUNK`] points of `work` (the root's pass reads every point).
    fn radius(
        node_points: &[Point],
        center: Point,
        scale: Scale,
        work: &mut usize,
        cancel: &CancelFlag,
    ) -> Result<f64, PointsError> {
        let mut radius = 0.0f64;
        for piece in node_points.chunks(CHUNK) {
            *work += piece.len();
            if *work >= CHUNK {
                *work = 0;
                cancel.check()?;
            }
            let candidates = piece.iter().copied().filter(|&p| is_candidate(p));
            // The radius grows with the largest distance: the largest of
            // the pieces' is the node's.
            radius = radius.max(scale.radius(center, candidates));
        }
        Ok(radius)
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
mod tests {
    use super::*;

    #[test]
    fn a_union_with_an_empty_box_is_the_other_box() {
        let mut bounding_box = BoundingBox::EMPTY;
        bounding_box.include(Point::new(1.0, -2.0));
        bounding_box.include(Point::new(3.0, 4.0));
        for union in [
            bounding_box.union(BoundingBox::EMPTY),
            BoundingBox::EMPTY.union(bounding_box),
        ] {
            assert_eq!((union.min, union.max), (bounding_box.min, bounding_box.max));
        }
        assert!(BoundingBox::EMPTY.union(BoundingBox::EMPTY).is_empty());
    }

    #[test]
    fn the_root_radius_pass_stops_when_cancelled() {
        let cancelled = CancelFlag::new();
        cancelled.cancel();
        let points: Vec<Point> = (0..2 * CHUNK).map(|i| Point::new(i as f64, 0.0)).collect();
        let scale = Scale::for_path(2.0 * CHUNK as f64, 1.0);
        let center = Point::new(CHUNK as f64, 0.0);
        let mut work = 0;
        assert_eq!(
            PositionTree::radius(&points, center, scale, &mut work, &cancelled),
            Err(PointsError::Cancelled)
        );
        // By pieces, the same radius as in one pass.
        assert_eq!(
            PositionTree::radius(&points, center, scale, &mut 0, &CancelFlag::new()),
            Ok(scale.radius(center, points.iter().copied()))
        );
    }

    #[test]
    fn a_node_keeps_its_disk_only_where_it_may_beat_the_corners() {
        // A ring (a spiral's turn): the disk is the circle, narrower than
        // the box's half-diagonal.
        let ring: Vec<Point> = (0..16)
            .map(|i| {
                let angle = i as f64 * std::f64::consts::TAU / 16.0;
                Point::new(angle.cos(), angle.sin())
            })
            .collect();
        let tree = PositionTree::build(&ring, &CancelFlag::new()).unwrap();
        assert!(tree.radii[1].is_finite());
        // A row of points: the disk reaches the row's ends, which are the
        // box's corners.
        let row: Vec<Point> = (0..16).map(|i| Point::new(i as f64, 1.0)).collect();
        let tree = PositionTree::build(&row, &CancelFlag::new()).unwrap();
        assert_eq!(tree.radii[1], f64::INFINITY);
    }

    #[test]
    fn padding_leaves_no_infinite_box() {
        // 40 points: three leaves, padded to four.
        let points: Vec<Point> = (0..40).map(|i| Point::new(i as f64, 1.0)).collect();
        let tree = PositionTree::build(&points, &CancelFlag::new()).unwrap();
        assert!(tree.boxes[1].is_finite());
        assert_eq!(
            (tree.boxes[1].min, tree.boxes[1].max),
            (Point::new(0.0, 1.0), Point::new(39.0, 1.0))
        );
    }
}

//! The slab of a segment: the closed strip between the lines through its
//! ends square to it. There the distance to the segment is the distance
//! to its line, `|cross| / |end - start|` with `cross = (end - start) ×
//! (p - start)`, so two points of the slab compare by `|cross|`: one exact
//! [`dot_sign`] of the difference of the two crosses when the points are
//! on the same side of the line, the sign of their sum otherwise. These
//! are the same decisions the exact distance comparison makes, by cheaper
//! polynomials (degree 2, not 4), and their filter's error is relative to
//! the segment's length times the points' separation rather than to the
//! coordinates, so near-collinear paths rarely need the exact sum.

use std::cmp::Ordering;

use super::dot_sign::{dot_sign, sum_sign};
use super::hull::turned;
use crate::core::point::Point;

/// A segment with finite ends that differ.
pub(super) struct Slab {
    start: Point,
    end: Point,
    turned_start: Point,
    turned_end: Point,
}

impl Slab {
    /// The slab of the segment, if its ends are finite and differ.
    pub(super) fn of(start: Point, end: Point) -> Option<Slab> {
        let finite = [start.x, start.y, end.x, end.y]
            .iter()
            .all(|c| c.is_finite());
        (finite && start != end).then(|| Slab {
            start,
            end,
            turned_start: turned(start),
            turned_end: turned(end),
        })
    }

    pub(super) fn start(&self) -> Point {
        self.start
    }

    pub(super) fn end(&self) -> Point {
        self.end
    }

    /// The ends turned a quarter: from the first to the second is square
    /// to the segment.
    pub(super) fn normal(&self) -> (Point, Point) {
        (self.turned_start, self.turned_end)
    }

    /// Whether the finite point `p` lies in the closed slab.
    pub(super) fn contains(&self, p: Point) -> bool {
        dot_sign(self.end, p, self.start, self.end).is_le()
            && dot_sign(self.start, p, self.start, self.end).is_ge()
    }

    /// The sign of `cross` for `p`: which side of the line it is on.
    pub(super) fn side(&self, p: Point) -> Ordering {
        dot_sign(self.start, p, self.turned_start, self.turned_end)
    }

    /// How the distance of `p` to the segment compares with that of `q`,
    /// both finite points of the slab, each with its [`side`](Self::side).
    pub(super) fn compare(
        &self,
        (p, p_side): (Point, Ordering),
        (q, q_side): (Point, Ordering),
    ) -> Ordering {
        let (normal_from, normal_to) = self.normal();
        match (p_side, q_side) {
            (Ordering::Equal, Ordering::Equal) => Ordering::Equal,
            (Ordering::Equal, _) => Ordering::Less,
            (_, Ordering::Equal) => Ordering::Greater,
            // Same side: the sign of the difference of the crosses,
            // `(p - q) · normal`, turned for the negative side.
            (Ordering::Greater, Ordering::Greater) => dot_sign(q, p, normal_from, normal_to),
            (Ordering::Less, Ordering::Less) => dot_sign(p, q, normal_from, normal_to),
            // Opposite sides: `|cross p| - |cross q|` is `±(cross p + cross q)`.
            (side, _) => {
                let sum = sum_sign(&[
                    (self.start, p, normal_from, normal_to),
                    (self.start, q, normal_from, normal_to),
                ]);
                if side == Ordering::Greater {
                    sum
                } else {
                    sum.reverse()
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::test_random::Random;

    #[test]
    fn compares_as_the_exact_distance_comparison() {
        use crate::core::points::exact::compare_segment_distances;
        let mut random = Random::new(11);
        let mut next = || random.below(41) as f64 - 20.0;
        let rounds = if cfg!(miri) { 20 } else { 4000 };
        let mut compared = 0;
        for _ in 0..rounds {
            let [a, b, p, q] = std::array::from_fn(|_| Point::new(next(), next()));
            let Some(slab) = Slab::of(a, b) else { continue };
            if !(slab.contains(p) && slab.contains(q)) {
                continue;
            }
            compared += 1;
            assert_eq!(
                Some(slab.compare((p, slab.side(p)), (q, slab.side(q)))),
                compare_segment_distances(a, b, p, q),
                "{a:?} {b:?} {p:?} {q:?}"
            );
        }
        assert!(compared > rounds / 10, "{compared} comparisons");
    }

    #[test]
    fn the_slab_is_closed() {
        let slab = Slab::of(Point::new(0.0, 0.0), Point::new(4.0, 0.0)).unwrap();
        for x in [0.0, 2.0, 4.0] {
            assert!(slab.contains(Point::new(x, 7.0)));
        }
        for x in [-1e-300, 4.000000000000001] {
            assert!(!slab.contains(Point::new(x, 7.0)));
        }
        assert!(Slab::of(Point::new(1.0, 1.0), Point::new(1.0, 1.0)).is_none());
    }
}

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

    /// Whether every point of the finite, nonempty box from `min` to `max`
    /// lies in the closed slab: whether its corners least and farthest
    /// along the segment do ([`spans_within`](Self::spans_within)).
    /// `(p - start) · (end - start)` is linear in `p`, so over the box it
    /// is least at the corner low in `x` where the segment runs towards
    /// larger `x` (high where it runs back; either where it runs square to
    /// the axis, whose term is then 0), and low or high in `y` the same
    /// way, and greatest at the opposite corner; comparing the ends'
    /// coordinates picks them exactly. Two exact signs instead of eight.
    pub(super) fn contains_box(&self, min: Point, max: Point) -> bool {
        let (forward_x, forward_y) = (self.end.x >= self.start.x, self.end.y >= self.start.y);
        let pick = |forward: bool, low: f64, high: f64| if forward { low } else { high };
        let least = Point::new(pick(forward_x, min.x, max.x), pick(forward_y, min.y, max.y));
        let farthest = Point::new(pick(forward_x, max.x, min.x), pick(forward_y, max.y, min.y));
        self.spans_within(least, farthest)
    }

    /// Whether the finite points `least` and `farthest`, of a set the
    /// least and the farthest along the segment, lie in the closed slab,
    /// and so the whole set: `least` not behind the start, `farthest` not
    /// beyond the end.
    pub(super) fn spans_within(&self, least: Point, farthest: Point) -> bool {
        dot_sign(self.start, least, self.start, self.end).is_ge()
            && dot_sign(self.end, farthest, self.start, self.end).is_le()
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
    fn a_box_is_in_the_slab_iff_its_four_corners_are() {
        let mut random = Random::new(12);
        // A coarse grid: segments square to an axis, corners on the
        // slab's edges.
        let mut next = || random.below(9) as f64 - 4.0;
        let rounds = if cfg!(miri) { 50 } else { 20_000 };
        let (mut inside, mut outside) = (0, 0);
        for _ in 0..rounds {
            let [a, b, p, q] = std::array::from_fn(|_| Point::new(next(), next()));
            let Some(slab) = Slab::of(a, b) else { continue };
            let (min, max) = (
                Point::new(p.x.min(q.x), p.y.min(q.y)),
                Point::new(p.x.max(q.x), p.y.max(q.y)),
            );
            let corners = [min, Point::new(min.x, max.y), Point::new(max.x, min.y), max];
            let expected = corners.iter().all(|&corner| slab.contains(corner));
            assert_eq!(
                slab.contains_box(min, max),
                expected,
                "{a:?} {b:?} {min:?} {max:?}"
            );
            if expected {
                inside += 1;
            } else {
                outside += 1;
            }
        }
        assert!(
            inside > rounds / 20 && outside > rounds / 20,
            "{inside} in, {outside} out"
        );
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

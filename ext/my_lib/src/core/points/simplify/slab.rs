//! The slab of a segment: the closed strip between the lines through its
//! ends square to it. There the distance to the segment is the distance
//! to its line, `|cross| / |end - start|` with `cross = (p - start) ×
//! (end - start)`, so two points of the slab compare by `|cross|`: one exact
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

/// Where a set's farthest points are against a point `q` ([`Slab::reach`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Reach {
    /// Every point of the set is strictly nearer than `q`.
    Nearer,
    /// `most` is the farthest, on the positive side of the line, farther
    /// than `q` (`Greater`) or as far (`Equal`).
    Most(Ordering),
    /// `least` is, on the negative side, likewise.
    Least(Ordering),
    /// Both are, as far as each other.
    Both(Ordering),
}

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

    /// Where the farthest points of a set in the slab are against `q`, a
    /// point of the slab off the line with its [`side`](Self::side), given
    /// the set's points `most` and `least` of the largest and the smallest
    /// `cross`; `None` for `q` on the line. With `b = |cross q|`, two exact
    /// signs tell whether `cross most` reaches `b` and whether `cross
    /// least` reaches `-b` (either, by `b > 0`, then lies on its side), and
    /// a third which is farther when both do: at most three signs (a dot
    /// and up to two sums), where the two sides, the extremes'
    /// [`compare`](Self::compare) and the farther one's with `q` take four.
    pub(super) fn reach(
        &self,
        (q, q_side): (Point, Ordering),
        most: Point,
        least: Point,
    ) -> Option<Reach> {
        let (normal_from, normal_to) = self.normal();
        let sum = |p, r| self.cross_sum_sign(p, r);
        // How far past `b` `cross most` reaches, and `-cross least`.
        let (most_reach, least_reach) = match q_side {
            Ordering::Equal => return None,
            // `cross most - cross q`, `-(cross least + cross q)`.
            Ordering::Greater => (
                dot_sign(q, most, normal_from, normal_to),
                sum(least, q).reverse(),
            ),
            // `cross most + cross q`, `cross q - cross least`.
            Ordering::Less => (sum(most, q), dot_sign(least, q, normal_from, normal_to)),
        };
        Some(match (most_reach, least_reach) {
            (Ordering::Less, Ordering::Less) => Reach::Nearer,
            (most_reach, Ordering::Less) => Reach::Most(most_reach),
            (Ordering::Less, least_reach) => Reach::Least(least_reach),
            // Both reach: `|cross most| - |cross least|` is their sum.
            (most_reach, least_reach) => match sum(most, least) {
                Ordering::Greater => Reach::Most(most_reach),
                Ordering::Less => Reach::Least(least_reach),
                Ordering::Equal => Reach::Both(most_reach),
            },
        })
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
                let sum = self.cross_sum_sign(p, q);
                if side == Ordering::Greater {
                    sum
                } else {
                    sum.reverse()
                }
            }
        }
    }

    /// The sign of `cross p + cross r`, for finite `p` and `r`.
    fn cross_sum_sign(&self, p: Point, r: Point) -> Ordering {
        let (normal_from, normal_to) = self.normal();
        sum_sign(&[
            (self.start, p, normal_from, normal_to),
            (self.start, r, normal_from, normal_to),
        ])
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
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

    /// `Slab::reach` against exact distances, with the sides and the
    /// extremes from crosses that doubles get exactly (small integers).
    #[test]
    fn reach_is_where_the_exact_distances_say() {
        use crate::core::points::exact::compare_segment_distances;
        let mut random = Random::new(13);
        let mut next = |range: u64| random.below(range) as f64;
        let rounds = if cfg!(miri) { 50 } else { 20_000 };
        let mut seen = [0; 4];
        for _ in 0..rounds {
            // Near a line through the origin: a segment on it (many ties) or near it.
            let (slope, size, on_line) = (next(3) - 1.0, 1 + next(4) as usize, next(2) == 0.0);
            let mut near_line = |noise: bool| {
                let x = next(41) - 20.0;
                let offset = if noise { next(9) - 4.0 } else { 0.0 };
                Point::new(x, slope * x + offset)
            };
            // A segment on the line: `|cross|` is then the offset's.
            let (a, b) = (near_line(!on_line), near_line(!on_line));
            let mut point = || near_line(true);
            let q = point();
            let Some(slab) = Slab::of(a, b) else { continue };
            let cross = |p: Point| (p.x - a.x) * (b.y - a.y) - (p.y - a.y) * (b.x - a.x);
            let mut set: Vec<Point> = (0..size).map(|_| point()).collect();
            if on_line {
                // A point at the opposite offset: as far on the other side.
                set.push(Point::new(set[0].x, 2.0 * slope * set[0].x - set[0].y));
            }
            set.retain(|&p| slab.contains(p));
            if !slab.contains(q) || set.is_empty() {
                continue;
            }
            let most = set
                .iter()
                .copied()
                .max_by(|p, r| cross(*p).total_cmp(&cross(*r)))
                .unwrap();
            let least = set
                .iter()
                .copied()
                .min_by(|p, r| cross(*p).total_cmp(&cross(*r)))
                .unwrap();
            let q_side = cross(q).partial_cmp(&0.0).unwrap();
            // The side `reach` is given, and the one a search hands on.
            assert_eq!(slab.side(q), q_side, "{a:?} {b:?} {q:?}");
            let reach = slab.reach((q, q_side), most, least);
            let against_q = |p: Point| compare_segment_distances(a, b, p, q).unwrap();
            let between = compare_segment_distances(a, b, most, least).unwrap();
            let Some(reach) = reach else {
                assert_eq!(cross(q), 0.0);
                continue;
            };
            let context = format!("{a:?} {b:?} {q:?} {most:?} {least:?}: {reach:?}");
            match reach {
                Reach::Nearer => {
                    assert!(set.iter().all(|&p| against_q(p).is_lt()), "{context}");
                    seen[0] += 1;
                }
                Reach::Most(order) => {
                    // Tied extremes are `Both` unless their crosses are equal.
                    let farther = between.is_gt() || cross(most) == cross(least);
                    assert!(cross(most) > 0.0 && farther, "{context}");
                    assert!(order.is_ge() && against_q(most) == order, "{context}");
                    seen[1] += 1;
                }
                Reach::Least(order) => {
                    let farther = between.is_lt() || cross(most) == cross(least);
                    assert!(cross(least) < 0.0 && farther, "{context}");
                    assert!(order.is_ge() && against_q(least) == order, "{context}");
                    seen[2] += 1;
                }
                Reach::Both(order) => {
                    assert!(
                        cross(most) > 0.0 && cross(least) < 0.0 && between.is_eq(),
                        "{context}"
                    );
                    assert!(order.is_ge() && against_q(most) == order, "{context}");
                    seen[3] += 1;
                }
            }
        }
        assert!(seen.iter().all(|&count| count > rounds / 200), "{seen:?}");
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

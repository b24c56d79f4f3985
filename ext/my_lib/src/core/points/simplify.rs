//! Ramer–Douglas–Peucker simplification of a polyline.

use super::DistanceLimit;
use super::PointsError;
use crate::core::cancel::{CHUNK, CancelFlag};
use crate::core::point::Point;

/// The polyline through `points` with every point dropped that lies within
/// `tolerance` of the simplified line, by Ramer–Douglas–Peucker: keep the
/// ends; find the point farthest from the segment between them; if it is
/// farther than `tolerance`, keep it and simplify both halves, else drop
/// every point between the ends.
///
/// The first and last points are always kept, so two or fewer points come
/// back unchanged; kept points stay in order. A tolerance of 0 drops only
/// points exactly on the line between their neighbours that are kept.
/// Distances are to the segment (not the infinite line), so a path that
/// comes back to its start keeps its far end. Points with a NaN coordinate
/// are dropped unless they are an end.
///
/// Takes O(n log n) time on typical paths, O(n²) at worst (points on a
/// curve that bends ever more steeply); runs in a loop, not recursion, so
/// long paths cannot overflow the stack.
///
/// ```
/// # use my_lib::core::{cancel::CancelFlag, point::Point, points::{simplify::simplify, DistanceLimit}};
/// let path = [Point::new(0.0, 0.0), Point::new(1.0, 0.1), Point::new(2.0, 0.0), Point::new(3.0, 5.0)];
/// let simplified = simplify(&path, DistanceLimit::new(0.5).unwrap(), &CancelFlag::new()).unwrap();
/// assert_eq!(simplified, [Point::new(0.0, 0.0), Point::new(2.0, 0.0), Point::new(3.0, 5.0)]);
/// ```
pub fn simplify(
    points: &[Point],
    tolerance: DistanceLimit,
    cancel: &CancelFlag,
) -> Result<Vec<Point>, PointsError> {
    let n = points.len();
    if n <= 2 {
        return Ok(points.to_vec());
    }
    let mut kept = vec![false; n];
    kept[0] = true;
    kept[n - 1] = true;
    // Pending stretches, as (first, last) positions of their kept ends.
    let mut pending = vec![(0, n - 1)];
    while let Some((first, last)) = pending.pop() {
        if last - first < 2 {
            continue;
        }
        let (farthest, distance) = farthest_from_segment(points, first, last, cancel)?;
        if distance > tolerance.get() {
            kept[farthest] = true;
            pending.push((first, farthest));
            pending.push((farthest, last));
        }
    }
    Ok(points
        .iter()
        .zip(kept)
        .filter_map(|(&point, kept)| kept.then_some(point))
        .collect())
}

/// The position strictly between `first` and `last` of the point farthest
/// from the segment between those two, and its distance (the first such
/// point on ties; `(first + 1, -inf)` when every distance is NaN).
fn farthest_from_segment(
    points: &[Point],
    first: usize,
    last: usize,
    cancel: &CancelFlag,
) -> Result<(usize, f64), PointsError> {
    let segment = Segment::new(points[first], points[last]);
    let mut farthest = (first + 1, f64::NEG_INFINITY);
    let between = first + 1..last;
    for (chunk_number, chunk) in points[between.clone()].chunks(CHUNK).enumerate() {
        cancel.check()?;
        let offset = between.start + chunk_number * CHUNK;
        for (i, &point) in chunk.iter().enumerate() {
            let distance = segment.distance_to(point);
            // Never true for a NaN distance.
            if distance > farthest.1 {
                farthest = (offset + i, distance);
            }
        }
    }
    Ok(farthest)
}

/// A segment, with what every distance to it needs computed once.
struct Segment {
    start: Point,
    direction: Point,
    length_squared: f64,
}

impl Segment {
    fn new(start: Point, end: Point) -> Self {
        let direction = end - start;
        Segment {
            start,
            direction,
            length_squared: direction.x * direction.x + direction.y * direction.y,
        }
    }

    /// The distance from `point` to the nearest point of the segment.
    fn distance_to(&self, point: Point) -> f64 {
        if self.length_squared.is_nan() || self.length_squared <= 0.0 {
            // Both ends are one point (or the length is not a number).
            return point.distance_to(self.start);
        }
        let along = point - self.start;
        let projection =
            (along.x * self.direction.x + along.y * self.direction.y) / self.length_squared;
        let nearest = self.start + self.direction * projection.clamp(0.0, 1.0);
        point.distance_to(nearest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never() -> CancelFlag {
        CancelFlag::new()
    }

    fn tolerance(value: f64) -> DistanceLimit {
        DistanceLimit::new(value).unwrap()
    }

    fn path(coordinates: &[(f64, f64)]) -> Vec<Point> {
        coordinates.iter().map(|&(x, y)| Point::new(x, y)).collect()
    }

    #[test]
    fn short_paths_come_back_unchanged() {
        for n in 0..=2 {
            let points = path(&[(0.0, 0.0), (5.0, 5.0)][..n]);
            assert_eq!(simplify(&points, tolerance(100.0), &never()), Ok(points));
        }
    }

    #[test]
    fn drops_points_within_tolerance_and_keeps_the_rest() {
        let points = path(&[
            (0.0, 0.0),
            (1.0, 0.1),
            (2.0, -0.1),
            (3.0, 5.0),
            (4.0, 6.0),
            (5.0, 7.0),
        ]);
        assert_eq!(
            simplify(&points, tolerance(0.5), &never()),
            Ok(path(&[(0.0, 0.0), (2.0, -0.1), (3.0, 5.0), (5.0, 7.0)]))
        );
        assert_eq!(
            simplify(&points, tolerance(1e9), &never()),
            Ok(path(&[(0.0, 0.0), (5.0, 7.0)]))
        );
        let mut collinear_dropped = points.clone();
        collinear_dropped.remove(4); // (4, 6), exactly between (3, 5) and (5, 7)
        assert_eq!(
            simplify(&points, tolerance(0.0), &never()),
            Ok(collinear_dropped)
        );
    }

    #[test]
    fn zero_tolerance_drops_only_collinear_points() {
        let points = path(&[(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (3.0, 2.0)]);
        assert_eq!(
            simplify(&points, tolerance(0.0), &never()),
            Ok(path(&[(0.0, 0.0), (2.0, 2.0), (3.0, 2.0)]))
        );
    }

    #[test]
    fn a_closed_path_keeps_its_far_side() {
        // Both ends are the same point: distances are to that point.
        let loop_path = path(&[(0.0, 0.0), (1.0, 0.0), (10.0, 0.0), (1.0, 0.5), (0.0, 0.0)]);
        assert_eq!(
            simplify(&loop_path, tolerance(2.0), &never()),
            Ok(path(&[(0.0, 0.0), (10.0, 0.0), (0.0, 0.0)]))
        );
    }

    #[test]
    fn long_paths_do_not_recurse() {
        // A zigzag whose every point is kept: one pending stretch per point.
        let n = if cfg!(miri) { 200 } else { 20_000 };
        let points: Vec<Point> = (0..n)
            .map(|i| Point::new(i as f64, (i % 2) as f64))
            .collect();
        assert_eq!(
            simplify(&points, tolerance(0.1), &never()).unwrap().len(),
            n
        );
    }

    #[test]
    fn nan_points_are_dropped_and_cancelling_stops() {
        let points = path(&[(0.0, 0.0), (f64::NAN, 1.0), (2.0, 0.0)]);
        assert_eq!(
            simplify(&points, tolerance(0.0), &never()),
            Ok(path(&[(0.0, 0.0), (2.0, 0.0)]))
        );
        let cancelled = CancelFlag::new();
        cancelled.cancel();
        assert_eq!(
            simplify(&points, tolerance(0.0), &cancelled),
            Err(PointsError::Cancelled)
        );
    }
}

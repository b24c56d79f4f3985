//! Straightforward Ramer–Douglas–Peucker, which rescans the whole stretch
//! at every split: O(n²) at worst (a path whose every split peels off one
//! end, such as an outward spiral). Kept as the oracle the fast
//! [`simplify`](super::simplify) is tested against, and as the old
//! algorithm the benchmark's worst-case section compares it with. It makes
//! the same two decisions, through `simplify/decide.rs`.

use super::decide::{compare_distances, exceeds, is_defined};
use crate::core::cancel::{CHUNK, CancelFlag};
use crate::core::point::Point;
use crate::core::points::{DistanceLimit, PointsError};
use std::cmp::Ordering;

/// The points [`simplify`](super::simplify) returns, found by the
/// straightforward method.
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
    let mut pending = vec![(0, n - 1)];
    while let Some((first, last)) = pending.pop() {
        let (start, end) = (points[first], points[last]);
        if let Some(farthest) = farthest_from_segment(points, first, last, cancel)? {
            if exceeds(start, end, points[farthest], tolerance.get()) {
                kept[farthest] = true;
                pending.push((first, farthest));
                pending.push((farthest, last));
            }
        }
    }
    Ok(points
        .iter()
        .zip(kept)
        .filter_map(|(&point, kept)| kept.then_some(point))
        .collect())
}

/// The position strictly between `first` and `last` of the point farthest
/// from the segment between them, the first on ties; points whose distance
/// is undefined (a NaN coordinate) never are; `None` if no point is. The
/// oracle of the fast search's tests, stretch by stretch.
pub(super) fn farthest_from_segment(
    points: &[Point],
    first: usize,
    last: usize,
    cancel: &CancelFlag,
) -> Result<Option<usize>, PointsError> {
    let (start, end) = (points[first], points[last]);
    let mut farthest: Option<usize> = None;
    let between = first + 1..last;
    for (chunk_number, chunk) in points[between.clone()].chunks(CHUNK).enumerate() {
        cancel.check()?;
        let offset = between.start + chunk_number * CHUNK;
        for (i, &point) in chunk.iter().enumerate() {
            if !is_defined(start, end, point) {
                continue;
            }
            let farther = farthest.is_none_or(|best| {
                compare_distances(start, end, point, points[best]) == Some(Ordering::Greater)
            });
            if farther {
                farthest = Some(offset + i);
            }
        }
    }
    Ok(farthest)
}

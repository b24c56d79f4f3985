//! One number or point that sums up many: centroid, bounding box, path
//! length. Each is one pass over the points, chunk by chunk.

use super::PointsError;
use crate::core::cancel::{CHUNK, CancelFlag};
use crate::core::point::Point;

/// The smallest axis-aligned rectangle holding every point.
///
/// Ownership: a plain value (two points by value); nothing to free.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    /// The smallest `x` and the smallest `y`.
    pub min: Point,
    /// The largest `x` and the largest `y`.
    pub max: Point,
}

/// The mean of the points, or `None` when there are none.
///
/// Finite whenever the exact mean is, that is for any finite coordinates,
/// and close to it: on each axis, with `μ` the exact mean of the `n`
/// coordinates, `A` the mean of their absolute values and `ε` =
/// `f64::EPSILON` (2⁻⁵²), the result `c` satisfies
///
/// `|c − μ| ≤ ε·|μ| + 8·ε·A + 2⁻¹⁰⁷⁵`
///
/// for up to 2³⁰ points (the `8` grows as `7.5 + n²/2⁶²` beyond). That is
/// one rounding of the mean, the rounding of blocks of 16 plain additions
/// relative to `A` (which matters only under cancellation), and half the
/// smallest subnormal. Tested against exact integer arithmetic on huge,
/// tiny (subnormal), mixed-sign and cancelling coordinates.
///
/// How: sums are compensated (Neumaier) across blocks; when a sum
/// overflows (`[f64::MAX, 0]` three times), the mean is taken again from
/// each coordinate scaled by a power of two, `2⁻ᵏ` with `2ᵏ ≥ 2n`, which
/// cannot overflow and adds no rounding (except below the normal range,
/// which the bound's `A` term absorbs, `A` being huge when a sum overflows);
/// the result is scaled back and, as the exact mean lies between `±f64::MAX`,
/// kept there. The common case pays only for the check of the first sum.
/// An infinite or NaN coordinate makes that coordinate of the mean
/// infinite or NaN.
///
/// ```
/// # use my_lib::core::{cancel::CancelFlag, point::Point, points::summary::centroid};
/// let square = [Point::new(0.0, 0.0), Point::new(2.0, 0.0), Point::new(2.0, 2.0), Point::new(0.0, 2.0)];
/// assert_eq!(centroid(&square, &CancelFlag::new()), Ok(Some(Point::new(1.0, 1.0))));
/// let huge = [Point::new(f64::MAX, -f64::MAX); 3];
/// assert_eq!(centroid(&huge, &CancelFlag::new()), Ok(Some(huge[0])));
/// ```
pub fn centroid(points: &[Point], cancel: &CancelFlag) -> Result<Option<Point>, PointsError> {
    if points.is_empty() {
        return Ok(None);
    }
    let n = points.len() as f64;
    let sum = compensated_sum(points, |p| p, cancel)?;
    let mean = Point::new(sum.x / n, sum.y / n);
    if mean.x.is_finite() && mean.y.is_finite() {
        return Ok(Some(mean));
    }
    // A sum overflowed, or a coordinate is not finite. 2n·2⁻ᵏ ≤ 1, so the
    // scaled sums stay below f64::MAX / 2 unless a coordinate is infinite
    // or NaN. Powers of two up to 2⁶⁴ and their inverses are exact.
    let up = points.len().saturating_mul(2).next_power_of_two() as f64;
    let down = 1.0 / up;
    let scaled = compensated_sum(points, |p| Point::new(p.x * down, p.y * down), cancel)?;
    let unscale = |plain: f64, scaled: f64| {
        if plain.is_finite() {
            plain
        } else if scaled.is_finite() {
            // Rounding may carry a mean of ±f64::MAX past it.
            (scaled / n * up).clamp(-f64::MAX, f64::MAX)
        } else {
            scaled
        }
    };
    Ok(Some(Point::new(
        unscale(mean.x, scaled.x),
        unscale(mean.y, scaled.y),
    )))
}

/// The sum of `term(p)` over the points: plain within blocks of
/// [`BLOCK`] points, compensated between blocks (its error stays within a
/// few roundings of the exact sum for any number of points, at the cost of a
/// plain sum).
fn compensated_sum(
    points: &[Point],
    term: impl Fn(Point) -> Point,
    cancel: &CancelFlag,
) -> Result<Point, PointsError> {
    let (mut x, mut y) = (CompensatedSum::default(), CompensatedSum::default());
    for chunk in points.chunks(CHUNK) {
        cancel.check()?;
        for block in chunk.chunks(BLOCK) {
            let partial = block.iter().fold(Point::default(), |sum, &p| sum + term(p));
            x.add(partial.x);
            y.add(partial.y);
        }
    }
    Ok(Point::new(x.total(), y.total()))
}

/// How many points [`compensated_sum`] adds plainly: each block's rounding
/// error is at most `BLOCK` roundings of its own small sum.
const BLOCK: usize = 16;

/// The smallest box holding every point, or `None` when there are none.
/// NaN coordinates are ignored, unless every point has one.
///
/// ```
/// # use my_lib::core::{cancel::CancelFlag, point::Point, points::summary::{bounding_box, BoundingBox}};
/// let points = [Point::new(1.0, -2.0), Point::new(-3.0, 4.0)];
/// let expected = BoundingBox { min: Point::new(-3.0, -2.0), max: Point::new(1.0, 4.0) };
/// assert_eq!(bounding_box(&points, &CancelFlag::new()), Ok(Some(expected)));
/// ```
pub fn bounding_box(
    points: &[Point],
    cancel: &CancelFlag,
) -> Result<Option<BoundingBox>, PointsError> {
    let Some(&first) = points.first() else {
        return Ok(None);
    };
    let mut bounds = BoundingBox {
        min: first,
        max: first,
    };
    for chunk in points.chunks(CHUNK) {
        cancel.check()?;
        for p in chunk {
            // `f64::min` and `max` return the other operand when one is NaN.
            bounds.min = Point::new(bounds.min.x.min(p.x), bounds.min.y.min(p.y));
            bounds.max = Point::new(bounds.max.x.max(p.x), bounds.max.y.max(p.y));
        }
    }
    Ok(Some(bounds))
}

/// The length of the open polyline through the points in order: the sum of
/// the distances between consecutive points ([`Point::distance_to`]), 0 for
/// fewer than two points.
///
/// ```
/// # use my_lib::core::{cancel::CancelFlag, point::Point, points::summary::path_length};
/// let path = [Point::new(0.0, 0.0), Point::new(3.0, 4.0), Point::new(3.0, 10.0)];
/// assert_eq!(path_length(&path, &CancelFlag::new()), Ok(11.0));
/// ```
pub fn path_length(points: &[Point], cancel: &CancelFlag) -> Result<f64, PointsError> {
    let segments = points.len().saturating_sub(1);
    let mut length = CompensatedSum::default();
    for start in (0..segments).step_by(CHUNK) {
        cancel.check()?;
        // The chunk's segments, sharing their end points with the next chunk.
        let end = (start + CHUNK).min(segments);
        let partial: f64 = points[start..=end]
            .windows(2)
            .map(|segment| segment[0].distance_to(segment[1]))
            .sum();
        length.add(partial);
    }
    Ok(length.total())
}

/// Neumaier's compensated sum: keeps the low-order bits each addition loses,
/// so the error stays near one rounding whatever the number of terms.
#[derive(Debug, Default, Clone, Copy)]
struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    fn add(&mut self, term: f64) {
        let sum = self.sum + term;
        if self.sum.abs() >= term.abs() {
            self.compensation += (self.sum - sum) + term;
        } else {
            self.compensation += (term - sum) + self.sum;
        }
        self.sum = sum;
    }

    fn total(self) -> f64 {
        if self.sum.is_finite() {
            self.sum + self.compensation
        } else {
            // The compensation of an infinite sum is NaN (inf - inf).
            self.sum
        }
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
mod centroid_oracle;

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
mod tests {
    use super::*;

    fn never() -> CancelFlag {
        CancelFlag::new()
    }

    #[test]
    fn nothing_has_no_centroid_nor_box_and_no_length() {
        assert_eq!(centroid(&[], &never()), Ok(None));
        assert_eq!(bounding_box(&[], &never()), Ok(None));
        assert_eq!(path_length(&[], &never()), Ok(0.0));
        let one = [Point::new(3.0, -1.0)];
        assert_eq!(centroid(&one, &never()), Ok(Some(one[0])));
        assert_eq!(
            bounding_box(&one, &never()),
            Ok(Some(BoundingBox {
                min: one[0],
                max: one[0]
            }))
        );
        assert_eq!(path_length(&one, &never()), Ok(0.0));
    }

    #[test]
    fn centroid_does_not_overflow() {
        let huge = [Point::new(1e308, -1e308), Point::new(1e308, -1e308)];
        assert_eq!(centroid(&huge, &never()), Ok(Some(huge[0])));
        let max = [Point::new(f64::MAX, -f64::MAX); 2];
        assert_eq!(centroid(&max, &never()), Ok(Some(max[0])));
        let three = [Point::new(1e308, 1e308); 3];
        let mean = centroid(&three, &never()).unwrap().unwrap();
        assert!(
            (mean.x - 1e308).abs() <= 2.0 * (1e308 * f64::EPSILON),
            "{mean:?}"
        );
        // A real infinity stays one; opposite infinities have no mean.
        let infinite = [Point::new(f64::INFINITY, 1.0), Point::new(1.0, 1.0)];
        assert_eq!(
            centroid(&infinite, &never()).unwrap().unwrap().x,
            f64::INFINITY
        );
        let opposite = [
            Point::new(f64::INFINITY, 0.0),
            Point::new(f64::NEG_INFINITY, 0.0),
        ];
        assert!(centroid(&opposite, &never()).unwrap().unwrap().x.is_nan());
    }

    #[test]
    fn centroid_is_accurate_over_many_chunks() {
        // 0.1 is inexact; a plain running sum of 1e5 of them drifts by about
        // 1e-13 relative (1e-8 at 1e6, measured), which the blocks avoid.
        let points = vec![Point::new(0.1, 1e6 + 0.1); 100_000];
        let mean = centroid(&points, &never()).unwrap().unwrap();
        assert!((mean.x - 0.1).abs() <= 4.0 * 0.1 * f64::EPSILON, "{mean:?}");
        assert!(
            (mean.y - (1e6 + 0.1)).abs() <= 4.0 * 1e6 * f64::EPSILON,
            "{mean:?}"
        );
    }

    #[test]
    fn bounding_box_ignores_nan_coordinates() {
        let points = [
            Point::new(f64::NAN, 5.0),
            Point::new(2.0, f64::NAN),
            Point::new(-1.0, 0.0),
        ];
        let expected = BoundingBox {
            min: Point::new(-1.0, 0.0),
            max: Point::new(2.0, 5.0),
        };
        assert_eq!(bounding_box(&points, &never()), Ok(Some(expected)));
    }

    #[test]
    fn path_length_spans_chunk_boundaries() {
        // A staircase of unit steps: every segment, including the ones
        // between two chunks, counts once.
        let n = 3 * CHUNK + 7;
        let points: Vec<Point> = (0..n).map(|i| Point::new(i as f64, 0.0)).collect();
        assert_eq!(path_length(&points, &never()), Ok((n - 1) as f64));
        let path = [
            Point::new(0.0, 0.0),
            Point::new(3.0, 4.0),
            Point::new(3.0, 10.0),
        ];
        assert_eq!(path_length(&path, &never()), Ok(11.0));
    }

    #[test]
    fn cancelled_operations_return_nothing() {
        let cancelled = CancelFlag::new();
        cancelled.cancel();
        let points = [Point::new(1.0, 1.0); 3];
        assert_eq!(centroid(&points, &cancelled), Err(PointsError::Cancelled));
        assert_eq!(
            bounding_box(&points, &cancelled),
            Err(PointsError::Cancelled)
        );
        assert_eq!(
            path_length(&points, &cancelled),
            Err(PointsError::Cancelled)
        );
    }
}

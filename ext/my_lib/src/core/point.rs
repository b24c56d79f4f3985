//! Points in the plane and geometry over slices of them.
//!
//! [`Point`] is `#[repr(C)]`: the C ABI passes it by value, and a `&[Point]`
//! has the layout of a C `Point[]`. Packed point arrays (for `MyLib::Points`)
//! are plain `Vec<Point>` over the same type.

use std::ops::{Add, Mul, Sub};

/// A point in 2D space: two `f64`, `x` then `y`, 16 bytes, 8-byte aligned.
///
/// Ownership: a plain value, copied when passed or returned; nothing to free.
/// Thread-safety: plain data, safe to copy and read from any thread.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    /// Makes a point from its coordinates.
    pub const fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }

    /// The Euclidean distance to `other`, without intermediate overflow
    /// (`hypot`), so points far from the origin still give a finite answer.
    ///
    /// ```
    /// # use my_lib::core::point::Point;
    /// assert_eq!(Point::new(0.0, 0.0).distance_to(Point::new(3.0, 4.0)), 5.0);
    /// ```
    pub fn distance_to(self, other: Point) -> f64 {
        (self.x - other.x).hypot(self.y - other.y)
    }

    /// The coordinates' bit patterns, with `-0.0` read as `0.0` and every NaN
    /// as the same NaN: points that are equal (`==`) have equal keys, so a
    /// hash of the key agrees with equality.
    ///
    /// ```
    /// # use my_lib::core::point::Point;
    /// assert_eq!(Point::new(-0.0, 1.0).hash_key(), Point::new(0.0, 1.0).hash_key());
    /// ```
    pub fn hash_key(self) -> [u64; 2] {
        fn canonical_bits(coordinate: f64) -> u64 {
            if coordinate.is_nan() {
                f64::NAN.to_bits()
            } else {
                // `-0.0 + 0.0` is `0.0`; every other value is unchanged.
                (coordinate + 0.0).to_bits()
            }
        }
        [canonical_bits(self.x), canonical_bits(self.y)]
    }
}

impl Add for Point {
    type Output = Point;
    fn add(self, rhs: Point) -> Point {
        Point::new(self.x + rhs.x, self.y + rhs.y)
    }
}

impl Sub for Point {
    type Output = Point;
    fn sub(self, rhs: Point) -> Point {
        Point::new(self.x - rhs.x, self.y - rhs.y)
    }
}

impl Mul<f64> for Point {
    type Output = Point;
    fn mul(self, factor: f64) -> Point {
        Point::new(self.x * factor, self.y * factor)
    }
}

/// The mean of the points, or `None` for an empty slice.
///
/// ```
/// # use my_lib::core::point::{centroid, Point};
/// let square = [Point::new(0.0, 0.0), Point::new(2.0, 0.0), Point::new(2.0, 2.0), Point::new(0.0, 2.0)];
/// assert_eq!(centroid(&square), Some(Point::new(1.0, 1.0)));
/// ```
pub fn centroid(points: &[Point]) -> Option<Point> {
    if points.is_empty() {
        return None;
    }
    let n = points.len() as f64;
    let sum = points.iter().fold(Point::default(), |acc, &p| acc + p);
    Some(Point::new(sum.x / n, sum.y / n))
}

/// The length of the open polyline through the points in order: 0 for fewer
/// than two points.
pub fn path_length(points: &[Point]) -> f64 {
    points.windows(2).map(|w| w[0].distance_to(w[1])).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_matches_c() {
        assert_eq!(std::mem::size_of::<Point>(), 16);
        assert_eq!(std::mem::align_of::<Point>(), 8);
        assert_eq!(std::mem::offset_of!(Point, x), 0);
        assert_eq!(std::mem::offset_of!(Point, y), 8);
    }

    #[test]
    fn arithmetic() {
        let a = Point::new(1.0, 2.0);
        let b = Point::new(0.5, -4.0);
        assert_eq!(a + b, Point::new(1.5, -2.0));
        assert_eq!(a - b, Point::new(0.5, 6.0));
        assert_eq!(a * 3.0, Point::new(3.0, 6.0));
    }

    #[test]
    fn distance_is_symmetric_and_does_not_overflow() {
        let a = Point::new(1.0, 1.0);
        let b = Point::new(4.0, 5.0);
        assert_eq!(a.distance_to(b), 5.0);
        assert_eq!(b.distance_to(a), 5.0);
        let far = Point::new(1e300, 1e300);
        assert!(Point::default().distance_to(far).is_finite());
        assert!(a.distance_to(Point::new(f64::NAN, 0.0)).is_nan());
        assert_eq!(a.distance_to(Point::new(f64::INFINITY, 0.0)), f64::INFINITY);
    }

    #[test]
    fn hash_key_agrees_with_equality() {
        let key = |x, y| Point::new(x, y).hash_key();
        assert_eq!(key(0.0, -0.0), key(-0.0, 0.0));
        assert_eq!(key(f64::NAN, 1.0), key(-f64::NAN, 1.0));
        assert_eq!(key(1.5, f64::INFINITY), key(1.5, f64::INFINITY));
        assert_ne!(key(1.0, 2.0), key(2.0, 1.0));
        assert_ne!(key(f64::INFINITY, 0.0), key(f64::NEG_INFINITY, 0.0));
    }

    #[test]
    fn centroid_of_empty_is_none() {
        assert_eq!(centroid(&[]), None);
        assert_eq!(
            centroid(&[Point::new(3.0, -1.0)]),
            Some(Point::new(3.0, -1.0))
        );
    }

    #[test]
    fn path_length_sums_segments() {
        assert_eq!(path_length(&[]), 0.0);
        assert_eq!(path_length(&[Point::new(1.0, 1.0)]), 0.0);
        let path = [
            Point::new(0.0, 0.0),
            Point::new(3.0, 4.0),
            Point::new(3.0, 10.0),
        ];
        assert_eq!(path_length(&path), 11.0);
    }
}

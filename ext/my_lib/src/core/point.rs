//! A point in the plane. Geometry over many points is in
//! [`crate::core::points`].
//!
//! [`Point`] is `#[repr(C)]`: the C ABI passes it by value, and a `&[Point]`
//! has the layout of a C `Point[]`, which is also how `MyLib::Points` stores
//! its points.

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

    /// The Euclidean distance to `other`, without intermediate overflow or
    /// underflow, so points far from (or very near) each other still get an
    /// accurate answer.
    ///
    /// The square root of the sum of squares is within about an ulp of the
    /// exact distance when that sum is a finite, normal number, and costs a
    /// few cycles (one `sqrtsd`); only the other cases pay for `hypot`, which
    /// rescales.
    ///
    /// ```
    /// # use my_lib::core::point::Point;
    /// assert_eq!(Point::new(0.0, 0.0).distance_to(Point::new(3.0, 4.0)), 5.0);
    /// assert_eq!(Point::new(0.0, 0.0).distance_to(Point::new(3e300, 4e300)), 5e300);
    /// ```
    pub fn distance_to(self, other: Point) -> f64 {
        let (dx, dy) = (self.x - other.x, self.y - other.y);
        let squared = dx * dx + dy * dy;
        if squared.is_finite() && squared >= f64::MIN_POSITIVE {
            squared.sqrt()
        } else {
            dx.hypot(dy)
        }
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
        // Squares that overflow or underflow take the rescaling path.
        assert_eq!(
            Point::default().distance_to(Point::new(3e300, 4e300)),
            5e300
        );
        assert_eq!(
            Point::default().distance_to(Point::new(3e-200, 4e-200)),
            5e-200
        );
        assert_eq!(a.distance_to(a), 0.0);
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
}

//! The centroid's error bound, checked against exact arithmetic: every
//! finite double is an integer multiple of 2⁻¹⁰⁷⁴, so sums of coordinates
//! scaled by 2¹⁰⁷⁴ are exact big integers, and the bound
//! `|c − μ| ≤ ε·|μ| + 8·ε·A + 2⁻¹⁰⁷⁵` becomes an inequality between
//! integers (`num-bigint`, a dev-dependency we did not write).

use num_bigint::BigInt;

use super::centroid;
use crate::core::cancel::CancelFlag;
use crate::core::point::Point;
use crate::core::test_random::Random;

/// `x · 2¹⁰⁷⁴`, exactly, for a finite `x`.
fn scaled(x: f64) -> BigInt {
    assert!(x.is_finite());
    let bits = x.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as usize;
    let fraction = bits & ((1 << 52) - 1);
    let magnitude = if exponent == 0 {
        BigInt::from(fraction)
    } else {
        BigInt::from(fraction | (1 << 52)) << (exponent - 1)
    };
    if x.is_sign_negative() {
        -magnitude
    } else {
        magnitude
    }
}

/// Whether `mean` is within the documented bound of the exact mean of
/// `coordinates`. Multiplied by `n · 2¹⁰⁷⁵ · 2⁵²`, with `S = Σx·2¹⁰⁷⁴` and
/// `T = Σ|x|·2¹⁰⁷⁴`, the bound reads
/// `|2⁵²·(2n·c·2¹⁰⁷⁴ − 2S)| ≤ 2|S| + 16·T + 2⁵²·n`.
fn within_bound(mean: f64, coordinates: &[f64]) -> bool {
    if !mean.is_finite() {
        return false;
    }
    let n = BigInt::from(coordinates.len());
    let sum: BigInt = coordinates.iter().map(|&x| scaled(x)).sum();
    let absolute: BigInt = coordinates
        .iter()
        .map(|&x| BigInt::from(scaled(x).magnitude().clone()))
        .sum();
    let error: BigInt = ((&n * scaled(mean) - &sum) * 2) << 52;
    let bound: BigInt = BigInt::from(sum.magnitude().clone()) * 2 + absolute * 16 + (n << 52);
    *error.magnitude() <= *bound.magnitude()
}

#[track_caller]
fn check(points: &[Point]) {
    let mean = centroid(points, &CancelFlag::new()).unwrap().unwrap();
    for (axis, value) in [("x", mean.x), ("y", mean.y)] {
        let coordinates: Vec<f64> = points
            .iter()
            .map(|p| if axis == "x" { p.x } else { p.y })
            .collect();
        assert!(
            within_bound(value, &coordinates),
            "centroid {axis} = {value:e} is outside the bound for {} points, first {:?}",
            points.len(),
            &points[..points.len().min(4)]
        );
    }
}

/// Points from the hard families, from the core's test generator.
struct Sampler(Random);

impl Sampler {
    fn next(&mut self) -> u64 {
        self.0.next()
    }

    fn below(&mut self, n: u64) -> u64 {
        self.0.below(n)
    }

    /// A double with a random sign, random significand and an exponent
    /// drawn from `exponents` (the biased exponent field, 0 is subnormal).
    fn double(&mut self, exponents: std::ops::RangeInclusive<u64>) -> f64 {
        let (low, high) = (*exponents.start(), *exponents.end());
        let exponent = low + self.below(high - low + 1);
        let fraction = self.next() & ((1 << 52) - 1);
        let sign = self.next() & (1 << 63);
        f64::from_bits(sign | exponent << 52 | fraction)
    }

    /// One coordinate of a hard family.
    fn coordinate(&mut self, family: u64) -> f64 {
        match family {
            // Near f64::MAX, either sign.
            0 => self.double(2040..=2046),
            // f64::MAX itself, either sign.
            1 => {
                if self.next() & 1 == 0 {
                    f64::MAX
                } else {
                    -f64::MAX
                }
            }
            // Subnormal and smallest normal.
            2 => self.double(0..=2),
            // Any finite double.
            3 => self.double(0..=2046),
            // Large offset with small features.
            _ => 1e15 + self.double(1000..=1030),
        }
    }

    fn points(&mut self, n: usize) -> Vec<Point> {
        let (fx, fy) = (self.below(5), self.below(5));
        let mut points: Vec<Point> = (0..n)
            .map(|_| Point::new(self.coordinate(fx), self.coordinate(fy)))
            .collect();
        // Cancellation: half the time, follow each point by its opposite,
        // nudged by a tiny amount, so the mean is far below the magnitudes.
        if self.next() & 1 == 0 {
            let partners: Vec<Point> = points
                .iter()
                .map(|p| Point::new(-p.x + self.double(0..=1000), -p.y))
                .collect();
            points.extend(partners);
        }
        points
    }
}

#[test]
fn the_repros_are_finite_and_within_the_bound() {
    check(&[Point::new(f64::MAX, -f64::MAX); 3]);
    // Miri runs fewer: it is some 1,000 times slower.
    for n in 1..=if cfg!(miri) { 5 } else { 100 } {
        check(&vec![Point::new(f64::MAX, 0.0); n]);
        check(&vec![Point::new(-f64::MAX, f64::MAX); n]);
        check(&vec![Point::new(1e308, 5e-324); n]);
    }
    let mean = centroid(&[Point::new(f64::MAX, -f64::MAX); 3], &CancelFlag::new());
    assert_eq!(mean, Ok(Some(Point::new(f64::MAX, -f64::MAX))));
}

#[test]
fn random_hard_inputs_are_within_the_bound() {
    let mut random = Sampler(Random::new(0x9E37_79B9_7F4A_7C15));
    for _ in 0..if cfg!(miri) { 10 } else { 3000 } {
        let n = 1 + random.below(40) as usize;
        check(&random.points(n));
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "big-integer sums over 40,000 points take hours under Miri"
)]
fn long_hard_inputs_are_within_the_bound() {
    // Several cancellation chunks and many compensated blocks.
    let mut random = Sampler(Random::new(0x2545_F491_4F6C_DD1D));
    for n in [4095, 4097, 20_000] {
        for _ in 0..6 {
            check(&random.points(n));
        }
    }
}

#[test]
fn the_bound_check_can_fail() {
    // The oracle rejects a mean that is off by more than the bound.
    let coordinates = [1.0, 2.0, 4.0];
    let exact = 7.0 / 3.0;
    assert!(within_bound(exact, &coordinates));
    assert!(!within_bound(
        exact * (1.0 + 64.0 * f64::EPSILON),
        &coordinates
    ));
    assert!(!within_bound(f64::INFINITY, &[f64::MAX; 3]));
}

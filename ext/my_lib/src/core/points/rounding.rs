//! A number that is not a double, rounded to one without breaking a bound:
//! a radius or tolerance given as an Integer or a Rational is rounded down,
//! so that "within the radius (tolerance) as rounded" implies "within the
//! number given".

/// The largest double `f` with `f ≤ v` (`-∞` when `v < -f64::MAX`), for a
/// real number `v` the caller knows exactly but can only compare:
/// `below(f)` says whether `v < f` exactly, for a finite `f`.
///
/// `estimate` is where the search starts: any double (NaN counts as 0, the
/// infinities as `±f64::MAX`), found in one or two comparisons when it is
/// within an ulp or two of `v`, as a correctly rounded or faithful
/// conversion is; further away, the search steps one double at a time.
/// The first error `below` returns is returned.
///
/// ```
/// # use my_lib::core::points::rounding::largest_at_most;
/// // 1/10 lies between two doubles; 0.1 (the nearest) is the one above it.
/// let tenth = |f: f64| Ok::<_, ()>(10.0 * f > 1.0 || (10.0 * f == 1.0 && f.mul_add(10.0, -1.0) > 0.0));
/// assert_eq!(largest_at_most(0.1, tenth), Ok(0.09999999999999999));
/// ```
pub fn largest_at_most<E>(
    estimate: f64,
    mut below: impl FnMut(f64) -> Result<bool, E>,
) -> Result<f64, E> {
    let mut at_most = if estimate.is_nan() {
        0.0
    } else {
        estimate.clamp(-f64::MAX, f64::MAX)
    };
    while below(at_most)? {
        if at_most == -f64::MAX {
            return Ok(f64::NEG_INFINITY);
        }
        at_most = next_down(at_most);
    }
    while at_most < f64::MAX && !below(next_up(at_most))? {
        at_most = next_up(at_most);
    }
    Ok(at_most)
}

/// The smallest double above the finite `x` (`f64::next_up`, which this
/// crate's Rust 1.85 lacks).
fn next_up(x: f64) -> f64 {
    if x == 0.0 {
        // Either zero: the smallest positive subnormal.
        f64::from_bits(1)
    } else if x > 0.0 {
        f64::from_bits(x.to_bits() + 1)
    } else {
        f64::from_bits(x.to_bits() - 1)
    }
}

/// The largest double below the finite `x`.
fn next_down(x: f64) -> f64 {
    -next_up(-x)
}

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
mod tests {
    use super::*;
    use num_bigint::BigInt;
    use num_rational::BigRational;

    /// The exact value of a finite double.
    fn exact(f: f64) -> BigRational {
        BigRational::from_float(f).expect("finite")
    }

    fn floor_of(v: &BigRational, estimate: f64) -> f64 {
        let mut calls = 0;
        let found = largest_at_most(estimate, |f| {
            calls += 1;
            assert!(f.is_finite(), "compared with {f}");
            Ok::<_, ()>(*v < exact(f))
        })
        .unwrap();
        assert!(calls <= 40, "{calls} comparisons from {estimate}");
        found
    }

    /// `f` is the largest double at most `v`.
    fn assert_floor(v: &BigRational, f: f64) {
        assert!(f == f64::NEG_INFINITY || exact(f) <= *v, "{f} > {v}");
        if f < f64::MAX {
            assert!(exact(next_up(f)) > *v, "{} <= {v}", next_up(f));
        }
    }

    #[test]
    fn rationals_round_down_from_any_nearby_estimate() {
        let ratio = |n: i64, d: i64| BigRational::new(BigInt::from(n), BigInt::from(d));
        let values = [
            ratio(1, 10),
            ratio(-1, 10),
            ratio(2, 3),
            ratio(1, 3 << 40),
            ratio((1 << 53) + 3, 1),
            ratio(-(1 << 53) - 3, 1),
            ratio(7, 1),
            ratio(0, 1),
        ];
        for v in &values {
            let nearest = v.numer().to_string().parse::<f64>().unwrap()
                / v.denom().to_string().parse::<f64>().unwrap();
            for estimate in [
                nearest,
                next_up(nearest),
                next_down(nearest),
                next_up(next_up(nearest)),
            ] {
                let f = floor_of(v, estimate);
                assert_floor(v, f);
            }
        }
        assert_eq!(floor_of(&ratio(1, 10), 0.1), 0.09999999999999999);
        assert_eq!(
            floor_of(&ratio((1 << 53) + 3, 1), 9007199254740996.0),
            9007199254740994.0
        );
    }

    #[test]
    fn beyond_the_doubles_and_near_zero() {
        let huge = BigRational::from_integer(BigInt::from(10).pow(400));
        assert_eq!(floor_of(&huge, f64::INFINITY), f64::MAX);
        assert_eq!(
            floor_of(&-huge.clone(), f64::NEG_INFINITY),
            f64::NEG_INFINITY
        );
        let tiny = BigRational::new(BigInt::from(1), BigInt::from(10).pow(400));
        assert_eq!(floor_of(&tiny, 0.0).to_bits(), 0.0f64.to_bits());
        assert_eq!(floor_of(&-tiny.clone(), -0.0), -f64::from_bits(1));
        assert_eq!(floor_of(&exact(f64::MAX), f64::MAX), f64::MAX);
        assert_eq!(floor_of(&exact(0.0), f64::NAN).to_bits(), 0.0f64.to_bits());
    }

    #[test]
    fn the_first_error_is_returned() {
        assert_eq!(largest_at_most(1.0, |_| Err::<bool, _>("no")), Err("no"));
    }

    #[test]
    fn steps_cross_zero_and_the_subnormals() {
        assert_eq!(next_up(-0.0), f64::from_bits(1));
        assert_eq!(next_down(0.0), -f64::from_bits(1));
        assert_eq!(next_up(-f64::from_bits(1)), -0.0);
        assert_eq!(next_up(1.0), 1.0 + f64::EPSILON);
        assert_eq!(
            next_down(f64::MIN_POSITIVE),
            f64::MIN_POSITIVE - f64::from_bits(1)
        );
    }
}

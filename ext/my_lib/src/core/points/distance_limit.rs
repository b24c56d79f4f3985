//! The distances the operations take as limits (a search radius, a
//! simplification tolerance), validated once for both surfaces.

use std::fmt;

/// A distance that can bound a search or a simplification: a number `>= 0`,
/// possibly infinite, never NaN.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct DistanceLimit(f64);

impl DistanceLimit {
    /// `value` as a limit, or why it cannot be one.
    ///
    /// ```
    /// # use my_lib::core::points::DistanceLimit;
    /// assert_eq!(DistanceLimit::new(0.5).unwrap().get(), 0.5);
    /// assert!(DistanceLimit::new(f64::INFINITY).is_ok());
    /// assert_eq!(DistanceLimit::new(-1.0).unwrap_err().to_string(), "must not be negative, got -1.0");
    /// assert_eq!(DistanceLimit::new(f64::NAN).unwrap_err().to_string(), "must be a number, got NaN");
    /// ```
    pub fn new(value: f64) -> Result<Self, InvalidDistanceLimit> {
        if value.is_nan() {
            Err(InvalidDistanceLimit::NotANumber)
        } else if value < 0.0 {
            Err(InvalidDistanceLimit::Negative(value))
        } else {
            // `-0.0` is not negative; stored as `0.0`.
            Ok(DistanceLimit(value + 0.0))
        }
    }

    pub fn get(self) -> f64 {
        self.0
    }
}

/// Why a number cannot be a [`DistanceLimit`]. Its message completes a
/// sentence that names the argument: "radius must not be negative, got -1.0".
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum InvalidDistanceLimit {
    NotANumber,
    Negative(f64),
}

impl fmt::Display for InvalidDistanceLimit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidDistanceLimit::NotANumber => f.write_str("must be a number, got NaN"),
            InvalidDistanceLimit::Negative(value) => {
                write!(f, "must not be negative, got {value:?}")
            }
        }
    }
}

impl std::error::Error for InvalidDistanceLimit {}

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
mod tests {
    use super::*;

    #[test]
    fn zero_and_infinity_are_limits_negative_and_nan_are_not() {
        assert_eq!(DistanceLimit::new(0.0).unwrap().get(), 0.0);
        assert!(DistanceLimit::new(-0.0).unwrap().get().is_sign_positive());
        assert_eq!(
            DistanceLimit::new(f64::INFINITY).unwrap().get(),
            f64::INFINITY
        );
        assert_eq!(
            DistanceLimit::new(-f64::MIN_POSITIVE),
            Err(InvalidDistanceLimit::Negative(-f64::MIN_POSITIVE))
        );
        assert_eq!(
            DistanceLimit::new(f64::NEG_INFINITY)
                .unwrap_err()
                .to_string(),
            "must not be negative, got -inf"
        );
        assert_eq!(
            DistanceLimit::new(f64::NAN),
            Err(InvalidDistanceLimit::NotANumber)
        );
    }
}

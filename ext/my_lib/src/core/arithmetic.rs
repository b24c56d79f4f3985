//! Integer arithmetic on the 32-bit domain that the C ABI exposes.
//!
//! `a + b` on `i32` panics in debug builds and wraps in release builds; the
//! functions here pick one behaviour explicitly, whatever the profile.

use std::fmt;

/// The sum of two `i32` did not fit in an `i32`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow {
    pub a: i32,
    pub b: i32,
}

impl fmt::Display for Overflow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} + {} overflows a 32-bit signed integer ({} to {})",
            self.a,
            self.b,
            i32::MIN,
            i32::MAX
        )
    }
}

impl std::error::Error for Overflow {}

/// Adds in two's complement: `i32::MAX + 1 == i32::MIN`, in every build profile.
///
/// ```
/// # use my_lib::core::arithmetic::wrapping_add;
/// assert_eq!(wrapping_add(i32::MAX, 1), i32::MIN);
/// ```
pub fn wrapping_add(a: i32, b: i32) -> i32 {
    a.wrapping_add(b)
}

/// Adds, clamping to the domain: `i32::MAX + 1 == i32::MAX`,
/// `i32::MIN - 1 == i32::MIN`. A clamped sum cannot be told from an exact
/// one; use [`checked_add`] to detect overflow.
///
/// ```
/// # use my_lib::core::arithmetic::saturating_add;
/// assert_eq!(saturating_add(i32::MAX, 1), i32::MAX);
/// assert_eq!(saturating_add(-2, 3), 1);
/// ```
pub fn saturating_add(a: i32, b: i32) -> i32 {
    a.saturating_add(b)
}

/// Adds, or reports [`Overflow`] when the exact sum is outside `i32`.
pub fn checked_add(a: i32, b: i32) -> Result<i32, Overflow> {
    a.checked_add(b).ok_or(Overflow { a, b })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_add_is_ordinary_inside_the_domain() {
        assert_eq!(wrapping_add(2, 3), 5);
        assert_eq!(wrapping_add(-7, 7), 0);
        assert_eq!(wrapping_add(i32::MIN, i32::MAX), -1);
    }

    #[test]
    fn wrapping_add_wraps_at_both_ends() {
        assert_eq!(wrapping_add(i32::MAX, 1), i32::MIN);
        assert_eq!(wrapping_add(i32::MIN, -1), i32::MAX);
    }

    #[test]
    fn saturating_add_clamps_at_both_ends() {
        assert_eq!(saturating_add(-2, 3), 1);
        assert_eq!(saturating_add(i32::MAX, 1), i32::MAX);
        assert_eq!(saturating_add(i32::MAX, i32::MAX), i32::MAX);
        assert_eq!(saturating_add(i32::MIN, -1), i32::MIN);
        assert_eq!(saturating_add(i32::MIN, i32::MAX), -1);
    }

    #[test]
    fn checked_add_reports_overflow_with_its_operands() {
        assert_eq!(checked_add(i32::MAX - 1, 1), Ok(i32::MAX));
        assert_eq!(checked_add(i32::MIN, 0), Ok(i32::MIN));
        let err = checked_add(i32::MAX, 1).unwrap_err();
        assert_eq!(err, Overflow { a: i32::MAX, b: 1 });
        assert!(err.to_string().contains("2147483647"));
        assert!(checked_add(i32::MIN, -1).is_err());
    }
}

//! The C ABI over [`crate::core`]. (Being written: see issue 3.)

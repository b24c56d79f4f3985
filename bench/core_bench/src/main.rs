//! Times the Points operations of my_lib's Rust core, without Ruby.
//!
//! Usage: `core_bench POINTS_FILE QX QY K RADIUS TOLERANCE`, where
//! POINTS_FILE holds the points as `pack("d*")` writes them. Prints a JSON
//! object: operation name => median nanoseconds of one call.
fn main() {}

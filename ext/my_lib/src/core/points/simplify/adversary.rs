//! Paths built against [`simplify`](super::simplify)'s search, kept in one
//! place so that its tests and the benchmark (`core_bench
//! --beyond-an-end`) measure the same input. Not part of the API.

use crate::core::point::Point;

/// The path that makes the branch and bound quadratic beyond an end (the
/// case the [module documentation](super) leaves unproven): `n / 2` points
/// on the x axis alternately west and east of the last point, the origin,
/// at radii `1 + (n / 2 - t) 1e-14` (decreasing), then two crowds on the
/// unit circle round the origin, east and west (angles within ±0.5 of 0
/// and of π). The search of the stretch from the `t`-th axis point to the
/// origin keeps the next one, on the other side, beyond the end and a hair
/// farther than the crowd there, which no box or disk prunes (a node's
/// bound exceeds the circle by far more than 1e-14), so each of the
/// `n / 2` searches visits `n / 4` crowd points.
pub fn crowds_beyond_the_end(n: usize) -> Vec<Point> {
    let axis = n / 2;
    let crowd = n - axis - 1;
    let on_axis = (0..axis).map(|t| {
        let radius = 1.0 + (axis - t) as f64 * 1e-14;
        Point::new(if t % 2 == 0 { -radius } else { radius }, 0.0)
    });
    let round_the_end = (0..crowd).map(|c| {
        let side = if c % 2 == 0 {
            0.0
        } else {
            std::f64::consts::PI
        };
        let angle = side - 0.5 + (c / 2) as f64 / (crowd / 2).max(1) as f64;
        Point::new(angle.cos(), angle.sin())
    });
    on_axis
        .chain(round_the_end)
        .chain([Point::new(0.0, 0.0)])
        .collect()
}

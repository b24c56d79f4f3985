//! `core_bench --beyond-an-end MAX_N`: the growth of `simplify` (tolerance
//! 0) on the path built to defeat its branch and bound beyond an end, the
//! case its module documentation leaves unproven (issue 22), beside a
//! random walk of the same size, in process CPU time. Prints a JSON array,
//! a row per size from 2,500 points, doubling up to `MAX_N`.

use crate::worst_case::{random_walk, time_ns};
use my_lib::core::cancel::CancelFlag;
use my_lib::core::point::Point;
use my_lib::core::points::DistanceLimit;
use my_lib::core::points::simplify::simplify;

/// `n / 2` points on the x axis alternately west and east of the last
/// point (the origin) at radii `1 + (n / 2 - t) 1e-14`, decreasing, then
/// two crowds on the unit circle round the origin (angles within ±0.5 of 0
/// and of π): every split keeps the next axis point, beyond the end and a
/// hair farther than the crowd on its side, which no box or disk prunes.
/// The same path as the core's `tests::crowds_beyond_the_end`.
fn crowds_beyond_the_end(n: usize) -> Vec<Point> {
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

pub fn run(args: &[String]) -> Result<(), String> {
    let [max_n] = args else {
        return Err("usage: core_bench --beyond-an-end MAX_N".into());
    };
    let max_n: usize = max_n
        .parse()
        .map_err(|_| format!("not an integer: {max_n}"))?;
    let tolerance = DistanceLimit::new(0.0).expect("0 is a tolerance");
    let cancel = CancelFlag::new();
    let time = |points: &[Point]| {
        time_ns(|| {
            simplify(points, tolerance, &cancel).expect("never cancelled");
        }) / 1e6
    };
    let mut rows = Vec::new();
    let mut n = 2_500;
    while n <= max_n {
        let walk_ms = time(&random_walk(n));
        let crowds_ms = time(&crowds_beyond_the_end(n));
        rows.push(format!(
            "{{\"n\":{n},\"walk_ms\":{walk_ms:.2},\"crowds_ms\":{crowds_ms:.1},\"ratio\":{:.0}}}",
            crowds_ms / walk_ms
        ));
        n *= 2;
    }
    println!("[{}]", rows.join(",\n "));
    Ok(())
}

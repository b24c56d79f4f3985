//! `core_bench --beyond-an-end MAX_N`: the growth of `simplify` (tolerance
//! 0) on the path built to defeat its branch and bound beyond an end, the
//! case its module documentation leaves unproven (issue 22), beside a
//! random walk of the same size, in process CPU time. Prints a JSON array,
//! a row per size from 2,500 points, doubling up to `MAX_N`.

use crate::worst_case::{random_walk, time_ns};
use my_lib::core::cancel::CancelFlag;
use my_lib::core::point::Point;
use my_lib::core::points::DistanceLimit;
use my_lib::core::points::simplify::adversary::crowds_beyond_the_end;
use my_lib::core::points::simplify::simplify;

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

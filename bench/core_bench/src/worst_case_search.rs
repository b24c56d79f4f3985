//! The worst-case section for `nearest` and `within` (issue 22): per-query
//! process CPU time on families of points at extreme magnitudes, by scan
//! and through the k-d tree, against the same queries on a random walk.
//!
//! Usage: `core_bench --worst-case-search SMALL LARGE ROUNDS`. Prints one
//! JSON array, a row per family and operation: the median nanoseconds per
//! query at both sizes over ROUNDS rounds (every family at both sizes once
//! a round, so load hits them alike), the median per-round ratio to the
//! random walk's time for the same operation and size, and the growth from
//! SMALL to LARGE.

use std::hint::black_box;

use my_lib::core::cancel::CancelFlag;
use my_lib::core::point::Point;
use my_lib::core::points::search::{nearest, within};
use my_lib::core::points::{DistanceLimit, SpatialIndex};

use crate::worst_case::{median, random_walk, time_ns};

/// A family: its name, how it maps a random walk's point (the walk's
/// index, the point), and the scale its query's radius is given in.
type Family = (&'static str, fn(usize, Point) -> Point, f64);

/// The smallest positive subnormal times 2^40: a walk of subnormals.
const SUBNORMAL: f64 = 5.43230922487e-312;

const FAMILIES: [Family; 6] = [
    ("random walk", |_, p| p, 1.0),
    ("walk x 1e160", |_, p| p * 1e160, 1e160),
    ("walk x 1e-160", |_, p| p * 1e-160, 1e-160),
    ("walk of subnormals", |_, p| p * SUBNORMAL, SUBNORMAL),
    (
        "1 % near the query, 99 % over ±1e200",
        |i, p| if i % 100 == 0 { p } else { p * 1e198 },
        1.0,
    ),
    ("all duplicates", |_, _| Point::new(1.5, -2.5), 1.0),
];

/// Queries per timing: the indexed ones take microseconds.
const INDEXED_QUERIES: usize = 2000;
const SCANNED_QUERIES: usize = 5;

/// The operations timed, each a query at `target` (radius `radius`).
const OPERATIONS: [&str; 6] = [
    "nearest(p), indexed",
    "nearest(p), scan",
    "within(r), indexed",
    "within(r), scan",
    "nearest(p, n/2), indexed",
    "nearest(p, n/2), scan",
];

/// Nanoseconds per query of each operation on `points`.
fn per_query_ns(points: &[Point], radius_unit: f64) -> [f64; 6] {
    let cancel = CancelFlag::new();
    let index = SpatialIndex::build(points, &cancel).expect("never cancelled");
    // Queries near points of the path (a walk's step is under 1 unit).
    let targets: Vec<Point> = (0..INDEXED_QUERIES)
        .map(|i| {
            let p = points[(i * 7919) % points.len()];
            Point::new(p.x + 0.25 * radius_unit, p.y - 0.125 * radius_unit)
        })
        .collect();
    let radius = DistanceLimit::new(2.0 * radius_unit).expect("a radius");
    let half = points.len() / 2;
    let time = |queries: usize, query: &dyn Fn(Point) -> usize| {
        time_ns(|| {
            for &target in &targets[..queries] {
                black_box(query(target));
            }
        }) / queries as f64
    };
    let found = |result: Result<Vec<usize>, _>| result.expect("never cancelled").len();
    [
        time(INDEXED_QUERIES, &|t| found(index.nearest(t, 1, &cancel))),
        time(SCANNED_QUERIES, &|t| found(nearest(points, t, 1, &cancel))),
        time(INDEXED_QUERIES / 10, &|t| {
            found(index.within(t, radius, &cancel))
        }),
        time(SCANNED_QUERIES, &|t| {
            found(within(points, t, radius, &cancel))
        }),
        time(SCANNED_QUERIES, &|t| found(index.nearest(t, half, &cancel))),
        time(SCANNED_QUERIES, &|t| {
            found(nearest(points, t, half, &cancel))
        }),
    ]
}

pub fn run(args: &[String]) -> Result<(), String> {
    let [small, large, rounds] = args else {
        return Err("usage: core_bench --worst-case-search SMALL LARGE ROUNDS".into());
    };
    let integer = |text: &str| -> Result<usize, String> {
        text.parse().map_err(|_| format!("not an integer: {text}"))
    };
    let sizes = [integer(small)?, integer(large)?];
    let rounds = integer(rounds)?.max(1);
    let inputs: Vec<[Vec<Point>; 2]> = FAMILIES
        .iter()
        .map(|(_, map, _)| {
            sizes.map(|n| {
                random_walk(n)
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| map(i, p))
                    .collect()
            })
        })
        .collect();
    // samples[family][size][round][operation]
    let mut samples = vec![[Vec::new(), Vec::new()]; FAMILIES.len()];
    for _ in 0..rounds {
        for (family, points) in inputs.iter().enumerate() {
            for (size, points) in points.iter().enumerate() {
                samples[family][size].push(per_query_ns(points, FAMILIES[family].2));
            }
        }
    }
    let mut rows = Vec::new();
    for (family, (name, _, _)) in FAMILIES.iter().enumerate() {
        for (operation, operation_name) in OPERATIONS.iter().enumerate() {
            let mut fields = vec![
                format!("\"family\":\"{name}\""),
                format!("\"operation\":\"{operation_name}\""),
            ];
            let at =
                |size: usize, round: usize, family: usize| samples[family][size][round][operation];
            for (size, n) in sizes.iter().enumerate() {
                let label = if size == 0 { "small" } else { "large" };
                let mut mine: Vec<f64> = (0..rounds).map(|r| at(size, r, family)).collect();
                let mut per_walk: Vec<f64> = (0..rounds)
                    .map(|r| at(size, r, family) / at(size, r, 0))
                    .collect();
                fields.push(format!("\"{label}_points\":{n}"));
                fields.push(format!("\"{label}_ns\":{}", median(&mut mine)));
                fields.push(format!(
                    "\"{label}_per_random_walk\":{}",
                    median(&mut per_walk)
                ));
            }
            let mut growth: Vec<f64> = (0..rounds)
                .map(|r| at(1, r, family) / at(0, r, family))
                .collect();
            fields.push(format!("\"growth\":{}", median(&mut growth)));
            rows.push(format!("{{{}}}", fields.join(",")));
        }
    }
    println!("[{}]", rows.join(",\n"));
    Ok(())
}

//! Times the Points operations of my_lib's Rust core, without Ruby: the
//! floor `rake bench` compares `MyLib::Points` with.
//!
//! Usage: `core_bench POINTS_FILE QX QY K RADIUS TOLERANCE`, where
//! POINTS_FILE holds the points as Ruby's `pack("d*")` writes them. Prints
//! one JSON object: operation => nanoseconds of the fastest of [`REPEATS`]
//! calls, each made with cold caches, as `rake bench` times the Ruby
//! contenders (whose full GC before each call evicts the caches). Each
//! operation produces what the Ruby method returns, as Rust values: queries
//! gather the points they found, `to_packed` copies the bytes (the Ruby
//! String is a copy).
//!
//! `core_bench --worst-case …` runs the worst-case section instead (see
//! [`worst_case`]), `core_bench --worst-case-search …` its part for
//! `nearest` and `within` (see [`worst_case_search`]), `core_bench
//! --beyond-an-end …` the growth on `simplify`'s unproven case (see
//! [`beyond_an_end`]).

mod beyond_an_end;
mod worst_case;
mod worst_case_search;

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use my_lib::core::cancel::CancelFlag;
use my_lib::core::point::Point;
use my_lib::core::points::packed::{as_packed, from_packed};
use my_lib::core::points::search::{nearest, within};
use my_lib::core::points::simplify::simplify;
use my_lib::core::points::summary::{bounding_box, centroid, path_length};
use my_lib::core::points::{DistanceLimit, SpatialIndex};

const REPEATS: usize = 3;
/// Larger than the last-level cache.
const EVICTION_BYTES: usize = 128 << 20;

/// The fastest of [`REPEATS`] calls of `work`, in nanoseconds, each after
/// writing [`EVICTION_BYTES`] to push the points out of the caches.
fn fastest_ns<R>(mut work: impl FnMut() -> R) -> u128 {
    let mut eviction = vec![0u8; EVICTION_BYTES];
    (0..REPEATS)
        .map(|round| {
            eviction.fill(round as u8);
            black_box(&eviction);
            let started = Instant::now();
            black_box(work());
            started.elapsed().as_nanos()
        })
        .min()
        .expect("REPEATS > 0")
}

fn gather(points: &[Point], positions: Vec<usize>) -> Vec<Point> {
    positions.into_iter().map(|i| points[i]).collect()
}

fn report(outcome: Result<(), String>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Some(("--worst-case", rest)) = args
        .split_first()
        .map(|(first, rest)| (first.as_str(), rest))
    {
        return report(worst_case::run(rest));
    }
    if let Some(("--worst-case-search", rest)) = args
        .split_first()
        .map(|(first, rest)| (first.as_str(), rest))
    {
        return report(worst_case_search::run(rest));
    }
    if let Some(("--beyond-an-end", rest)) = args
        .split_first()
        .map(|(first, rest)| (first.as_str(), rest))
    {
        return report(beyond_an_end::run(rest));
    }
    let [file, qx, qy, k, radius, tolerance] = args.as_slice() else {
        eprintln!("usage: core_bench POINTS_FILE QX QY K RADIUS TOLERANCE");
        return ExitCode::FAILURE;
    };
    let number = |text: &str| -> f64 { text.parse().expect("a number") };
    let bytes = std::fs::read(file).expect("the points file");
    let target = Point::new(number(qx), number(qy));
    let k: usize = k.parse().expect("k, an integer");
    let radius = DistanceLimit::new(number(radius)).expect("a valid radius");
    let tolerance = DistanceLimit::new(number(tolerance)).expect("a valid tolerance");
    let cancel = CancelFlag::new();
    let points = from_packed(&bytes).expect("whole points");
    let index = SpatialIndex::build(&points, &cancel).expect("never cancelled");

    let timings: [(&str, u128); 12] = [
        ("from_packed", fastest_ns(|| from_packed(&bytes))),
        ("to_packed", fastest_ns(|| as_packed(&points).to_vec())),
        ("centroid", fastest_ns(|| centroid(&points, &cancel))),
        (
            "bounding_box",
            fastest_ns(|| bounding_box(&points, &cancel)),
        ),
        ("path_length", fastest_ns(|| path_length(&points, &cancel))),
        (
            "nearest_scan",
            fastest_ns(|| nearest(&points, target, 1, &cancel).map(|p| gather(&points, p))),
        ),
        (
            "nearest_indexed",
            fastest_ns(|| {
                index
                    .nearest(target, 1, &cancel)
                    .map(|p| gather(&points, p))
            }),
        ),
        (
            "nearest_k_indexed",
            fastest_ns(|| {
                index
                    .nearest(target, k, &cancel)
                    .map(|p| gather(&points, p))
            }),
        ),
        (
            "within_scan",
            fastest_ns(|| within(&points, target, radius, &cancel).map(|p| gather(&points, p))),
        ),
        (
            "within_indexed",
            fastest_ns(|| {
                index
                    .within(target, radius, &cancel)
                    .map(|p| gather(&points, p))
            }),
        ),
        (
            "simplify",
            fastest_ns(|| simplify(&points, tolerance, &cancel)),
        ),
        (
            "index_build",
            fastest_ns(|| SpatialIndex::build(&points, &cancel)),
        ),
    ];
    let fields: Vec<String> = timings
        .iter()
        .map(|(name, ns)| format!("\"{name}\":{ns}"))
        .collect();
    println!("{{{}}}", fields.join(","));
    ExitCode::SUCCESS
}

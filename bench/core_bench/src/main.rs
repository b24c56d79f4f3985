//! Times the Points operations of my_lib's Rust core, without Ruby: the
//! floor `rake bench` compares `MyLib::Points` with.
//!
//! Usage: `core_bench POINTS_FILE QX QY K RADIUS TOLERANCE`, where
//! POINTS_FILE holds the points as Ruby's `pack("d*")` writes them. Prints
//! one JSON object: operation => median nanoseconds of one call, over
//! [`REPEATS`] calls after one warm-up call. Each operation produces what
//! the Ruby method returns, as Rust values: queries gather the points they
//! found, `to_packed` copies the bytes (the Ruby String is a copy).

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

const REPEATS: usize = 5;

/// The median time of one call of `work`, in nanoseconds.
fn median_ns<R>(mut work: impl FnMut() -> R) -> u128 {
    black_box(work());
    let mut times: Vec<u128> = (0..REPEATS)
        .map(|_| {
            let started = Instant::now();
            black_box(work());
            started.elapsed().as_nanos()
        })
        .collect();
    times.sort_unstable();
    times[REPEATS / 2]
}

fn gather(points: &[Point], positions: Vec<usize>) -> Vec<Point> {
    positions.into_iter().map(|i| points[i]).collect()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
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
        ("from_packed", median_ns(|| from_packed(&bytes))),
        ("to_packed", median_ns(|| as_packed(&points).to_vec())),
        ("centroid", median_ns(|| centroid(&points, &cancel))),
        ("bounding_box", median_ns(|| bounding_box(&points, &cancel))),
        ("path_length", median_ns(|| path_length(&points, &cancel))),
        ("nearest_scan", median_ns(|| nearest(&points, target, 1, &cancel).map(|p| gather(&points, p)))),
        ("nearest_indexed", median_ns(|| index.nearest(target, 1, &cancel).map(|p| gather(&points, p)))),
        ("nearest_k_indexed", median_ns(|| index.nearest(target, k, &cancel).map(|p| gather(&points, p)))),
        ("within_scan", median_ns(|| within(&points, target, radius, &cancel).map(|p| gather(&points, p)))),
        ("within_indexed", median_ns(|| index.within(target, radius, &cancel).map(|p| gather(&points, p)))),
        ("simplify", median_ns(|| simplify(&points, tolerance, &cancel))),
        ("index_build", median_ns(|| SpatialIndex::build(&points, &cancel))),
    ];
    let fields: Vec<String> = timings.iter().map(|(name, ns)| format!("\"{name}\":{ns}")).collect();
    println!("{{{}}}", fields.join(","));
    ExitCode::SUCCESS
}

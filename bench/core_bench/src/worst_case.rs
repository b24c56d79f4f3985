//! The worst-case section of `rake bench` (issue 15): `simplify(0)` on
//! adversarial families of paths, by my_lib and by the straightforward
//! algorithm it replaced (its oracle), at two sizes.
//!
//! Usage: `core_bench --worst-case SMALL LARGE ROUNDS OLD_CAP_MS`. Prints
//! one JSON array, a row per family: my_lib's median nanoseconds at both
//! sizes over ROUNDS rounds, in process CPU time (every family at both sizes once a round, in
//! one process, so load hits them alike), the median per-round ratio of
//! each family's time to the random walk's at the same size, and the old
//! algorithm's time for one call at each size, or `null` when it did not
//! finish within OLD_CAP_MS (it is cancelled through its CancelFlag: it
//! is quadratic on some families, 98 s on 100,000 points of the sawtooth),
//! and the cost of one exact decision on the family's points against the
//! random walk's (`decision_ns`, `decision_per_random_walk`).
//!
//! `CORE_BENCH_FAMILIES`, if set, is a comma-separated list of parts of
//! family names: only the families whose name contains one of them run,
//! beside the random walk, which always runs (the ratios' denominator).

use std::hint::black_box;
use std::time::Duration;

use my_lib::core::cancel::CancelFlag;
use my_lib::core::point::Point;
use my_lib::core::points::exact::compare_segment_distances;
use my_lib::core::points::simplify::{simplify, straightforward};
use my_lib::core::points::{DistanceLimit, PointsError};

/// A family: its name and how it makes `n` points.
type Family = (&'static str, fn(usize) -> Vec<Point>);

const FAMILIES: [Family; 21] = [
    ("random walk", random_walk),
    ("outward spiral", spiral),
    ("growing sawtooth", growing_sawtooth),
    ("noisy sine", noisy_sine),
    ("collinear", collinear),
    ("duplicates (x3)", duplicates),
    ("constant sawtooth (ties)", constant_sawtooth),
    ("circle, closed (ties)", closed_circle),
    ("huge coordinates (1e306)", huge),
    ("offset 1e9, features 1e-6", offset),
    ("subnormal coordinates", subnormal),
    ("sawtooth [i 1e300, ±1e-300]", sawtooth_wide),
    ("sawtooth [i 1e100, ±1e100]", sawtooth_huge),
    ("walk 1e-70, one [MAX, 0]", tiny_walk_with_outlier),
    ("sawtooth [i 1e-70, ±1e-70]", sawtooth_tiny),
    ("sawtooth [0.1 i, ±0.1]", sawtooth_tenths),
    ("line at an angle [0.1 i, 0.3 i]", line_tenths),
    ("line at an angle [i / 3, i / 7]", line_thirds_sevenths),
    ("noisy line [i, 2 i + 1e-9 rand]", noisy_line),
    ("zigzag along a line [i, 2 i ± 1e-6]", zigzag_along_a_line),
    ("zigzag along a line [i, i ± 1]", unit_zigzag_along_a_line),
];

/// Deterministic pseudo-random numbers in [0, 1) (SplitMix64).
struct Random(u64);

impl Random {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// `x += rand - 0.5`, same for y.
pub fn random_walk(n: usize) -> Vec<Point> {
    let mut random = Random(15);
    let mut at = Point::new(0.0, 0.0);
    (0..n)
        .map(|_| {
            at = at + Point::new(random.unit() - 0.5, random.unit() - 0.5);
            at
        })
        .collect()
}

/// Point i at angle `i * 0.01`, radius `1 + i`.
fn spiral(n: usize) -> Vec<Point> {
    (0..n)
        .map(|i| {
            let (angle, radius) = (i as f64 * 0.01, 1.0 + i as f64);
            Point::new(radius * angle.cos(), radius * angle.sin())
        })
        .collect()
}

fn sign(i: usize) -> f64 {
    if i.is_multiple_of(2) { 1.0 } else { -1.0 }
}

/// `[i, ±i]`.
fn growing_sawtooth(n: usize) -> Vec<Point> {
    (0..n)
        .map(|i| Point::new(i as f64, sign(i) * i as f64))
        .collect()
}

/// The bulk section's points: a sine of amplitude 500 plus noise.
fn noisy_sine(n: usize) -> Vec<Point> {
    let mut random = Random(2024);
    (0..n)
        .map(|i| {
            Point::new(
                i as f64,
                500.0 * (i as f64 * 0.0005).sin() + random.unit() - 0.5,
            )
        })
        .collect()
}

/// `[i, 2i]`: every distance is 0.
fn collinear(n: usize) -> Vec<Point> {
    (0..n)
        .map(|i| Point::new(i as f64, 2.0 * i as f64))
        .collect()
}

/// The random walk with every point three times.
fn duplicates(n: usize) -> Vec<Point> {
    random_walk(n.div_ceil(3))
        .into_iter()
        .flat_map(|p| [p, p, p])
        .take(n)
        .collect()
}

/// `[i, ±1]`: whole rows of points tie.
fn constant_sawtooth(n: usize) -> Vec<Point> {
    (0..n).map(|i| Point::new(i as f64, sign(i))).collect()
}

/// From the centre, round a unit circle, back to the centre: every point
/// ties for the first segment (a point).
fn closed_circle(n: usize) -> Vec<Point> {
    let centre = Point::new(0.0, 0.0);
    let round = (1..n.saturating_sub(1)).map(|i| {
        let angle = i as f64 * 0.37;
        Point::new(angle.cos(), angle.sin())
    });
    std::iter::once(centre)
        .chain(round)
        .chain(std::iter::once(centre))
        .take(n)
        .collect()
}

fn huge(n: usize) -> Vec<Point> {
    random_walk(n).into_iter().map(|p| p * 1e306).collect()
}

fn offset(n: usize) -> Vec<Point> {
    random_walk(n)
        .into_iter()
        .map(|p| Point::new(1e9 + p.x * 1e-6, 1e9 + p.y * 1e-6))
        .collect()
}

fn subnormal(n: usize) -> Vec<Point> {
    random_walk(n).into_iter().map(|p| p * 1e-315).collect()
}

/// `[i x, ±y]`: exact ties at any magnitude (issue 22).
fn sawtooth(n: usize, x: f64, y: f64) -> Vec<Point> {
    (0..n)
        .map(|i| Point::new(i as f64 * x, sign(i) * y))
        .collect()
}

fn sawtooth_wide(n: usize) -> Vec<Point> {
    sawtooth(n, 1e300, 1e-300)
}

fn sawtooth_huge(n: usize) -> Vec<Point> {
    sawtooth(n, 1e100, 1e100)
}

fn sawtooth_tiny(n: usize) -> Vec<Point> {
    sawtooth(n, 1e-70, 1e-70)
}

fn sawtooth_tenths(n: usize) -> Vec<Point> {
    sawtooth(n, 0.1, 0.1)
}

/// A walk scaled by 1e-70, ending at one point `[MAX, 0]`: one outlier
/// sets no scale for the others' decisions.
fn tiny_walk_with_outlier(n: usize) -> Vec<Point> {
    let mut points: Vec<Point> = random_walk(n - 1).into_iter().map(|p| p * 1e-70).collect();
    points.push(Point::new(f64::MAX, 0.0));
    points
}

/// `[0.1 i, 0.3 i]`: straight up to rounding, every distance a rounding
/// error (issue 22: 205 s at 50,000 points before the hulls).
fn line_tenths(n: usize) -> Vec<Point> {
    (0..n)
        .map(|i| Point::new(0.1 * i as f64, 0.3 * i as f64))
        .collect()
}

/// `[i / 3, i / 7]`: another angle, other roundings.
fn line_thirds_sevenths(n: usize) -> Vec<Point> {
    (0..n)
        .map(|i| Point::new(i as f64 / 3.0, i as f64 / 7.0))
        .collect()
}

/// `[i, 2 i + 1e-9 rand]`: noise below the floating-point filter's error.
fn noisy_line(n: usize) -> Vec<Point> {
    let mut random = Random(22);
    (0..n)
        .map(|i| Point::new(i as f64, 2.0 * i as f64 + 1e-9 * random.unit()))
        .collect()
}

/// Every point a hair off a line at an angle, alternately on either side:
/// the distances tie up to the rounding of the coordinates, so nearly
/// every decision is past the filter (found after issue 22's list).
fn zigzag_along_a_line(n: usize) -> Vec<Point> {
    (0..n)
        .map(|i| Point::new(i as f64, 2.0 * i as f64 + sign(i) * 1e-6))
        .collect()
}

/// Points alternately 1 above and below the diagonal: the distances are
/// far apart for the filter, but no box is pruned or loose, so the
/// branch and bound used to spend its whole budget on nearly every split
/// (found in a review of the worst-case proof, after issue 22's list).
fn unit_zigzag_along_a_line(n: usize) -> Vec<Point> {
    (0..n)
        .map(|i| Point::new(i as f64, i as f64 + sign(i)))
        .collect()
}

pub fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len() % 2 == 1 {
        values[middle]
    } else {
        (values[middle - 1] + values[middle]) / 2.0
    }
}

/// The process's CPU time so far, in nanoseconds: what `work` costs is
/// measured on it, so other processes' load on the machine does not count.
pub fn cpu_ns() -> f64 {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec for the call's duration.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "clock_gettime(CLOCK_PROCESS_CPUTIME_ID)");
    now.tv_sec as f64 * 1e9 + now.tv_nsec as f64
}

/// The process CPU time `work` takes.
pub fn time_ns(work: impl FnOnce()) -> f64 {
    let started = cpu_ns();
    work();
    cpu_ns() - started
}

/// Nanoseconds per exact decision of the kind simplify makes most (which
/// of two points is farther from a segment), on windows of 64 points of
/// the path: each window's ends are the segment, its consecutive inner
/// points the pairs compared.
fn decision_ns(points: &[Point]) -> f64 {
    const WINDOW: usize = 64;
    let step = (points.len() / 64).max(WINDOW);
    let windows: Vec<&[Point]> = (0..points.len().saturating_sub(WINDOW))
        .step_by(step)
        .map(|start| &points[start..start + WINDOW])
        .collect();
    let repeats = 20;
    let ns = time_ns(|| {
        for _ in 0..repeats {
            for window in &windows {
                let (start, end) = (window[0], window[WINDOW - 1]);
                for pair in window[1..WINDOW - 1].windows(2) {
                    black_box(compare_segment_distances(start, end, pair[0], pair[1]));
                }
            }
        }
    });
    ns / (repeats * windows.len() * (WINDOW - 3)) as f64
}

/// One call of the old algorithm, cancelled after `cap`: its nanoseconds,
/// or `None` if it was cancelled.
fn old_ns(points: &[Point], tolerance: DistanceLimit, cap: Duration) -> Option<f64> {
    let cancel = CancelFlag::new();
    let (done, waiting) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|scope| {
        let cancel = &cancel;
        scope.spawn(move || {
            if waiting.recv_timeout(cap).is_err() {
                cancel.cancel();
            }
        });
        let mut result = Err(PointsError::Cancelled);
        let ns = time_ns(|| result = straightforward::simplify(points, tolerance, cancel));
        let _ = done.send(());
        match result {
            Ok(kept) => {
                black_box(kept);
                Some(ns)
            }
            Err(PointsError::Cancelled) => None,
            Err(error) => panic!("the old algorithm failed: {error}"),
        }
    })
}

/// The random walk, then the families `CORE_BENCH_FAMILIES` selects (all
/// when it is not set).
fn selected_families() -> Vec<Family> {
    let wanted = std::env::var("CORE_BENCH_FAMILIES").ok();
    let is_wanted = |name: &str| {
        wanted
            .as_deref()
            .is_none_or(|parts| parts.split(',').any(|part| name.contains(part)))
    };
    let (walk, others) = FAMILIES.split_first().expect("the random walk");
    std::iter::once(*walk)
        .chain(others.iter().copied().filter(|(name, _)| is_wanted(name)))
        .collect()
}

pub fn run(args: &[String]) -> Result<(), String> {
    let [small, large, rounds, old_cap_ms] = args else {
        return Err("usage: core_bench --worst-case SMALL LARGE ROUNDS OLD_CAP_MS".into());
    };
    let integer = |text: &str| -> Result<usize, String> {
        text.parse().map_err(|_| format!("not an integer: {text}"))
    };
    let sizes = [integer(small)?, integer(large)?];
    let rounds = integer(rounds)?.max(1);
    let cap = Duration::from_millis(integer(old_cap_ms)? as u64);
    let tolerance = DistanceLimit::new(0.0).expect("0 is a tolerance");
    let cancel = CancelFlag::new();
    let families = selected_families();
    let inputs: Vec<[Vec<Point>; 2]> = families.iter().map(|(_, make)| sizes.map(make)).collect();
    // The new simplify must return what the old one does; checked where
    // the old one finishes (below), so the figures compare like with like.
    // samples[family][size]: nanoseconds, a round each.
    let mut samples =
        vec![[Vec::with_capacity(rounds), Vec::with_capacity(rounds)]; families.len()];
    let mut results = vec![[0usize; 2]; families.len()];
    for _ in 0..rounds {
        for (family, points) in inputs.iter().enumerate() {
            for (size, points) in points.iter().enumerate() {
                let mut kept = Vec::new();
                samples[family][size].push(time_ns(|| {
                    kept = simplify(points, tolerance, &cancel).expect("never cancelled")
                }));
                results[family][size] = kept.len();
                black_box(kept);
            }
        }
    }
    let mut rows = Vec::new();
    for (family, (name, _)) in families.iter().enumerate() {
        let mut fields = vec![format!("\"family\":\"{name}\"")];
        for (size, n) in sizes.iter().enumerate() {
            let mut mine = samples[family][size].clone();
            let mut per_walk: Vec<f64> = samples[family][size]
                .iter()
                .zip(&samples[0][size])
                .map(|(a, b)| a / b)
                .collect();
            let old = old_ns(&inputs[family][size], tolerance, cap);
            if old.is_some() {
                let expected = straightforward::simplify(&inputs[family][size], tolerance, &cancel)
                    .expect("never cancelled");
                if expected.len() != results[family][size] {
                    return Err(format!(
                        "{name}, {n} points: my_lib and the old algorithm disagree"
                    ));
                }
            }
            let label = if size == 0 { "small" } else { "large" };
            fields.push(format!("\"{label}_points\":{n}"));
            fields.push(format!("\"{label}_ns\":{}", median(&mut mine)));
            fields.push(format!(
                "\"{label}_per_random_walk\":{}",
                median(&mut per_walk)
            ));
            fields.push(format!("\"{label}_kept\":{}", results[family][size]));
            fields.push(format!(
                "\"old_{label}_ns\":{}",
                old.map_or("null".to_string(), |ns| ns.to_string())
            ));
        }
        // Decisions on the large input, beside the random walk's.
        let decision = decision_ns(&inputs[family][1]);
        fields.push(format!("\"decision_ns\":{decision}"));
        fields.push(format!(
            "\"decision_per_random_walk\":{}",
            decision / decision_ns(&inputs[0][1])
        ));
        let mut growth: Vec<f64> = samples[family][1]
            .iter()
            .zip(&samples[family][0])
            .map(|(a, b)| a / b)
            .collect();
        fields.push(format!("\"growth\":{}", median(&mut growth)));
        rows.push(format!("{{{}}}", fields.join(",")));
    }
    println!("[{}]", rows.join(",\n"));
    Ok(())
}

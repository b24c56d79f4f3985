//! Running out of memory never aborts a bulk operation: each operation is
//! run once to count its allocations, then once for each of them with that
//! allocation failing, then once with it and every later one failing. Each
//! such run must return the allocation error (an infallible allocation
//! that fails aborts this test binary instead: "memory allocation of N
//! bytes failed"), and the run with none failing the result.
//!
//! The failing allocator is this binary's global allocator, armed per
//! thread, so tests running in parallel do not disturb each other's counts.
//!
//! To cover another operation, add a line to `operations!` below.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Debug;

use my_lib::core::cancel::{CHUNK, CancelFlag};
use my_lib::core::point::Point;
use my_lib::core::points::packed::FromPackedError;
use my_lib::core::points::{self, PointsError, packed, summary};

/// What the allocator does on this thread.
#[derive(Clone, Copy)]
enum Arming {
    /// Allocates as the system does; counts nothing.
    Off,
    /// Counts the allocations made.
    Counting(usize),
    /// Fails the allocation with this number (from 0), counting down; when
    /// `and_later`, every allocation after it fails too.
    Failing { countdown: usize, and_later: bool },
}

thread_local! {
    // `const`: reading it allocates nothing, so the allocator may use it.
    static ARMING: Cell<Arming> = const { Cell::new(Arming::Off) };
}

struct FailingAllocator;

impl FailingAllocator {
    /// Whether the allocation being made now fails; counts it.
    fn fails() -> bool {
        ARMING
            .try_with(|arming| match arming.get() {
                Arming::Off => false,
                Arming::Counting(n) => {
                    arming.set(Arming::Counting(n + 1));
                    false
                }
                Arming::Failing {
                    countdown: 0,
                    and_later,
                } => {
                    if !and_later {
                        arming.set(Arming::Off);
                    }
                    true
                }
                Arming::Failing {
                    countdown,
                    and_later,
                } => {
                    arming.set(Arming::Failing {
                        countdown: countdown - 1,
                        and_later,
                    });
                    false
                }
            })
            .unwrap_or(false)
    }
}

// SAFETY: forwards to the system allocator, or returns NULL, which
// `GlobalAlloc` allows for any allocation.
unsafe impl GlobalAlloc for FailingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if Self::fails() {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if Self::fails() {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if Self::fails() {
            return std::ptr::null_mut();
        }
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: FailingAllocator = FailingAllocator;

/// Runs `operation` with the allocator armed as `arming`; returns its
/// result and the allocations counted.
fn armed<T>(arming: Arming, operation: impl FnOnce() -> T) -> (T, usize) {
    ARMING.with(|cell| cell.set(arming));
    let result = operation();
    let after = ARMING.with(|cell| cell.replace(Arming::Off));
    let counted = match after {
        Arming::Counting(n) => n,
        _ => 0,
    };
    (result, counted)
}

/// Checks `operation`, which returns `Err(e)` with `out_of_memory(&e)` when
/// an allocation fails, against every failing allocation; returns how many
/// allocations it makes.
fn check<T: PartialEq + Debug, E: Debug>(
    name: &str,
    operation: impl Fn() -> Result<T, E>,
    out_of_memory: impl Fn(&E) -> bool,
) -> usize {
    let (expected, count) = armed(Arming::Counting(0), &operation);
    let expected = expected.unwrap_or_else(|e| panic!("{name} failed with memory to spare: {e:?}"));
    for number in 0..count {
        for and_later in [false, true] {
            let (result, _) = armed(
                Arming::Failing {
                    countdown: number,
                    and_later,
                },
                &operation,
            );
            match result {
                Err(error) if out_of_memory(&error) => {}
                other => panic!(
                    "{name} with allocation {number} of {count} failing (and later ones: \
                     {and_later}) returned {other:?}, not the allocation error"
                ),
            }
        }
    }
    assert_eq!(
        operation().ok(),
        Some(expected),
        "{name} after the failures"
    );
    count
}

fn out_of_memory(error: &PointsError) -> bool {
    matches!(error, PointsError::OutOfMemory(_))
}

/// What the operations run on, made before any run is armed.
struct Input {
    /// Over several chunks, with a partial last one (a few points under
    /// Miri, which checks the allocator, not the operations); coordinates of both
    /// signs and very different magnitudes, as the sawtooth
    /// `[i · 1e100, ±1e100]`.
    points: Vec<Point>,
    /// Every third position in `points`.
    positions: Vec<usize>,
}

fn input() -> Input {
    let len = if cfg!(miri) { 13 } else { 3 * CHUNK + 5 };
    let points: Vec<Point> = (0..len)
        .map(|i| {
            let sign = if i % 2 == 0 { 1.0 } else { -1.0 };
            Point::new(i as f64 * 1e100, sign * 1e100)
        })
        .collect();
    let positions = (0..points.len()).step_by(3).collect();
    Input { points, positions }
}

/// One `#[test]` per operation: `name: allocations => |input, cancel| call`,
/// where the call returns `Result<_, PointsError>` (a result that can be
/// compared) and `allocations` is how many it makes: `none` for an
/// operation that must need no memory, `some` for one that does.
macro_rules! operations {
    ($($name:ident: $allocations:ident => $operation:expr;)*) => {$(
        #[test]
        fn $name() {
            let input = input();
            let operation: fn(&Input, &CancelFlag) -> Result<_, PointsError> = $operation;
            let count = check(
                stringify!($name),
                || operation(&input, &CancelFlag::new()),
                out_of_memory,
            );
            allocations!($allocations, count);
        }
    )*};
}

macro_rules! allocations {
    (none, $count:expr) => {
        assert_eq!($count, 0, "allocations")
    };
    (some, $count:expr) => {
        assert!($count > 0, "allocations")
    };
}

operations! {
    centroid: none => |input, cancel| summary::centroid(&input.points, cancel);
    bounding_box: none => |input, cancel| summary::bounding_box(&input.points, cancel);
    path_length: none => |input, cancel| summary::path_length(&input.points, cancel);
    gather: some => |input, cancel| points::gather(&input.points, &input.positions, cancel);
    within: some => |input, cancel| points::search::within(&input.points, Point::new(0.0, 0.0), points::DistanceLimit::new(1e300).unwrap(), cancel);
    nearest: some => |input, cancel| points::search::nearest(&input.points, Point::new(0.0, 0.0), 100, cancel);
    simplify: some => |input, cancel| points::simplify::simplify(&input.points, points::DistanceLimit::new(0.0).unwrap(), cancel);
    indexed_nearest: some => |input, cancel| points::SpatialIndex::build(&input.points, cancel)?.nearest(Point::new(0.0, 0.0), 100, cancel);
    indexed_within: some => |input, cancel| points::SpatialIndex::build(&input.points, cancel)?.within(Point::new(0.0, 0.0), points::DistanceLimit::new(1e300).unwrap(), cancel);
}

#[test]
fn from_packed() {
    let input = input();
    let bytes = points::try_to_vec(packed::as_packed(&input.points)).unwrap();
    let count = check(
        "from_packed",
        || packed::from_packed(&bytes),
        |error| matches!(error, FromPackedError::OutOfMemory(_)),
    );
    assert!(count > 0);
}

#[test]
fn try_to_vec() {
    let input = input();
    let count = check("try_to_vec", || points::try_to_vec(&input.points), |_| true);
    assert!(count > 0);
}

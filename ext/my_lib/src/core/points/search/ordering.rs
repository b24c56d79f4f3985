//! Selection and sorting that stop on cancellation: the ordering phases of
//! the searches and of the index build, which on 10,000,000 points take
//! seconds, checked like every other phase once per [`CHUNK`] steps.
//!
//! Both are introspective quickselect/quicksort over a Hoare partition
//! (equal keys split evenly), pivots the median of three pseudo-random
//! entries, and a cancellable heapsort once a range has been split more
//! than twice its depth's worth of times: O(n) expected for a selection,
//! O(n log n) for a sort, and O(n log n) in the worst case for both.
//! Ranges of at most [`CHUNK`] entries go to the standard library, a few
//! microseconds of uncheckable work.

use std::cmp::Ordering;

use crate::core::cancel::{CHUNK, CancelFlag, Cancelled};

/// Counts steps of work, to check the flag once per [`CHUNK`] of them.
pub(in crate::core::points) struct Pace<'a> {
    cancel: &'a CancelFlag,
    since_check: usize,
}

impl<'a> Pace<'a> {
    pub(in crate::core::points) fn new(cancel: &'a CancelFlag) -> Self {
        Pace {
            cancel,
            since_check: 0,
        }
    }

    /// Records `steps` steps; checks the flag once they add up to a chunk.
    pub(in crate::core::points) fn advance(&mut self, steps: usize) -> Result<(), Cancelled> {
        self.since_check += steps;
        if self.since_check >= CHUNK {
            self.since_check = 0;
            self.cancel.check()?;
        }
        Ok(())
    }

    /// Checks the flag now.
    pub(in crate::core::points) fn check(&mut self) -> Result<(), Cancelled> {
        self.since_check = 0;
        self.cancel.check()
    }
}

/// Rearranges `entries` so that `entries[nth]` is the entry a full sort by
/// `compare` would put there, those before it no greater and those after
/// it no smaller. `compare` must be a total order.
pub(in crate::core::points) fn select_nth<T, C>(
    entries: &mut [T],
    nth: usize,
    compare: &C,
    pace: &mut Pace<'_>,
) -> Result<(), Cancelled>
where
    C: Fn(&T, &T) -> Ordering,
{
    debug_assert!(nth < entries.len());
    let mut range = entries;
    let mut nth = nth;
    let mut splits_left = split_budget(range.len());
    let mut random = PivotChoice::new(range.len());
    loop {
        if range.len() <= CHUNK {
            pace.check()?;
            range.select_nth_unstable_by(nth, compare);
            return Ok(());
        }
        if splits_left == 0 {
            return heapsort(range, compare, pace);
        }
        splits_left -= 1;
        let middle = partition(range, &mut random, compare, pace)?;
        match nth.cmp(&middle) {
            Ordering::Equal => return Ok(()),
            Ordering::Less => range = &mut range[..middle],
            Ordering::Greater => {
                nth -= middle + 1;
                range = &mut range[middle + 1..];
            }
        }
    }
}

/// Sorts `entries` by `compare`, a total order (unstable: equal entries
/// may come in any order).
pub(in crate::core::points) fn sort<T, C>(
    entries: &mut [T],
    compare: &C,
    pace: &mut Pace<'_>,
) -> Result<(), Cancelled>
where
    C: Fn(&T, &T) -> Ordering,
{
    let mut random = PivotChoice::new(entries.len());
    sort_range(
        entries,
        compare,
        pace,
        &mut random,
        split_budget(entries.len()),
    )
}

fn sort_range<T, C>(
    entries: &mut [T],
    compare: &C,
    pace: &mut Pace<'_>,
    random: &mut PivotChoice,
    splits_left: u32,
) -> Result<(), Cancelled>
where
    C: Fn(&T, &T) -> Ordering,
{
    let mut range = entries;
    let mut splits_left = splits_left;
    loop {
        if range.len() <= CHUNK {
            pace.check()?;
            range.sort_unstable_by(compare);
            return Ok(());
        }
        if splits_left == 0 {
            return heapsort(range, compare, pace);
        }
        splits_left -= 1;
        let middle = partition(range, random, compare, pace)?;
        let (before, rest) = range.split_at_mut(middle);
        let after = &mut rest[1..];
        // Recurse into the smaller side, loop on the larger: the stack
        // stays O(log n) deep.
        if before.len() < after.len() {
            sort_range(before, compare, pace, random, splits_left)?;
            range = after;
        } else {
            sort_range(after, compare, pace, random, splits_left)?;
            range = before;
        }
    }
}

/// How many partitions a range of `len` may go through before it is
/// heapsorted instead: twice the depth of a balanced split.
fn split_budget(len: usize) -> u32 {
    2 * (usize::BITS - len.leading_zeros())
}

/// Partitions `entries` around a pivot; returns the pivot's final index,
/// with no greater entry before it and no smaller one after it.
fn partition<T, C>(
    entries: &mut [T],
    random: &mut PivotChoice,
    compare: &C,
    pace: &mut Pace<'_>,
) -> Result<usize, Cancelled>
where
    C: Fn(&T, &T) -> Ordering,
{
    let len = entries.len();
    let pivot = median_of_three(
        entries,
        random.pick(len),
        random.pick(len),
        random.pick(len),
        compare,
    );
    entries.swap(0, pivot);
    // Hoare's scheme with the pivot at 0: both scans stop at entries equal
    // to the pivot, so runs of equal keys split in the middle. `before`
    // stops at `len` at the latest, `after` at the pivot at 0.
    let (mut before, mut after) = (0, len);
    loop {
        loop {
            before += 1;
            if before >= len || compare(&entries[before], &entries[0]) != Ordering::Less {
                break;
            }
            pace.advance(1)?;
        }
        loop {
            after -= 1;
            if compare(&entries[0], &entries[after]) != Ordering::Less {
                break;
            }
            pace.advance(1)?;
        }
        if before >= after {
            break;
        }
        entries.swap(before, after);
        pace.advance(1)?;
    }
    entries.swap(0, after);
    Ok(after)
}

fn median_of_three<T, C>(entries: &[T], a: usize, b: usize, c: usize, compare: &C) -> usize
where
    C: Fn(&T, &T) -> Ordering,
{
    let less = |i: usize, j: usize| compare(&entries[i], &entries[j]) == Ordering::Less;
    match (less(a, b), less(b, c), less(a, c)) {
        (true, true, _) | (false, false, _) => b,
        (true, false, true) | (false, true, false) => c,
        _ => a,
    }
}

/// Heapsort, checked once per chunk of sift steps: the worst-case fallback,
/// O(n log n) whatever the input.
fn heapsort<T, C>(entries: &mut [T], compare: &C, pace: &mut Pace<'_>) -> Result<(), Cancelled>
where
    C: Fn(&T, &T) -> Ordering,
{
    let len = entries.len();
    for root in (0..len / 2).rev() {
        sift_down(entries, root, len, compare);
        pace.advance(1)?;
    }
    for end in (1..len).rev() {
        entries.swap(0, end);
        sift_down(entries, 0, end, compare);
        pace.advance(1)?;
    }
    Ok(())
}

/// Restores the max-heap order of `entries[..end]` below `root`.
fn sift_down<T, C>(entries: &mut [T], root: usize, end: usize, compare: &C)
where
    C: Fn(&T, &T) -> Ordering,
{
    let mut parent = root;
    loop {
        let mut child = 2 * parent + 1;
        if child >= end {
            return;
        }
        if child + 1 < end && compare(&entries[child], &entries[child + 1]) == Ordering::Less {
            child += 1;
        }
        if compare(&entries[parent], &entries[child]) != Ordering::Less {
            return;
        }
        entries.swap(parent, child);
        parent = child;
    }
}

/// Pseudo-random pivot positions (xorshift, seeded by the length): no
/// fixed pattern of input makes every pivot bad, and runs reproduce.
struct PivotChoice(u64);

impl PivotChoice {
    fn new(len: usize) -> Self {
        PivotChoice(0x9E37_79B9_7F4A_7C15 ^ len as u64)
    }

    fn pick(&mut self, len: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % len as u64) as usize
    }
}

#[cfg(test)]
#[allow(clippy::disallowed_methods, clippy::disallowed_macros)] // tests may abort
mod tests {
    use super::*;

    fn never() -> CancelFlag {
        CancelFlag::new()
    }

    /// Families that defeat naive pivots: sorted, reversed, all equal, few
    /// distinct values, organ pipe, and pseudo-random.
    fn families(len: usize) -> Vec<Vec<u64>> {
        let mut state = 0x2545_F491_4F6C_DD1D_u64;
        let mut random = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        vec![
            (0..len as u64).collect(),
            (0..len as u64).rev().collect(),
            vec![7; len],
            (0..len).map(|_| random() % 3).collect(),
            (0..len as u64).map(|i| i.min(len as u64 - i)).collect(),
            (0..len).map(|_| random()).collect(),
        ]
    }

    #[test]
    fn sort_agrees_with_the_standard_sort() {
        let sizes: &[usize] = if cfg!(miri) {
            &[0, 1, 50]
        } else {
            &[0, 1, 2, 50, CHUNK + 1, 5 * CHUNK + 7]
        };
        for &len in sizes {
            for family in families(len) {
                let mut expected = family.clone();
                expected.sort_unstable();
                let mut sorted = family;
                sort(&mut sorted, &u64::cmp, &mut Pace::new(&never())).unwrap();
                assert_eq!(sorted, expected, "len {len}");
            }
        }
    }

    #[test]
    fn selection_puts_the_nth_in_place() {
        let sizes: &[usize] = if cfg!(miri) {
            &[1, 60]
        } else {
            &[1, 60, CHUNK + 1, 6 * CHUNK + 3]
        };
        for &len in sizes {
            for family in families(len) {
                let mut expected = family.clone();
                expected.sort_unstable();
                for nth in [0, len / 3, len - 1] {
                    let mut selected = family.clone();
                    select_nth(&mut selected, nth, &u64::cmp, &mut Pace::new(&never())).unwrap();
                    assert_eq!(selected[nth], expected[nth]);
                    assert!(selected[..nth].iter().all(|&v| v <= expected[nth]));
                    assert!(selected[nth..].iter().all(|&v| v >= expected[nth]));
                }
            }
        }
    }

    #[test]
    fn the_heapsort_fallback_sorts() {
        for family in families(if cfg!(miri) { 40 } else { 3 * CHUNK }) {
            let mut expected = family.clone();
            expected.sort_unstable();
            let mut sorted = family;
            heapsort(&mut sorted, &u64::cmp, &mut Pace::new(&never())).unwrap();
            assert_eq!(sorted, expected);
        }
    }

    #[test]
    fn large_orderings_stop_when_cancelled() {
        let cancelled = CancelFlag::new();
        cancelled.cancel();
        let mut entries: Vec<u64> = (0..3 * CHUNK as u64).rev().collect();
        assert_eq!(
            sort(&mut entries, &u64::cmp, &mut Pace::new(&cancelled)),
            Err(Cancelled)
        );
        assert_eq!(
            select_nth(&mut entries, 5, &u64::cmp, &mut Pace::new(&cancelled)),
            Err(Cancelled)
        );
        assert_eq!(
            heapsort(&mut entries, &u64::cmp, &mut Pace::new(&cancelled)),
            Err(Cancelled)
        );
    }
}

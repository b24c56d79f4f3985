//! The farthest point of a stretch of the path from the segment between
//! its ends, found by branch and bound over a [`PositionTree`].
//!
//! Distance to a segment is a convex function of the point, so over a box
//! it is largest at a corner: a node whose corners are all nearer than the
//! best point found so far holds no better point and is skipped. It is also
//! 1-Lipschitz, so a disk around the box's centre that holds the node's
//! points bounds it too: much tighter than the corners for a node that
//! holds a ring of a spiral. The
//! floating-point [`Estimate`]s settle most of these comparisons (scaled
//! per path; on a path whose magnitudes span more than they resolve, a
//! second stage scaled per decision, [`FineEstimator`], settles most of
//! what they leave); near a tie the exact predicates of
//! [`decide`](super::decide) settle them, on the corners (which are
//! doubles) and on the points, so the search returns exactly the point a
//! scan of the stretch with those predicates returns.
//!
//! Bounds cannot prune a thin band of points at an angle (its boxes are
//! wide, its disks too, and every distance in it is near the best): a
//! node wholly inside the stretch and in the segment's slab is settled
//! instead by its convex hull ([`Hulls`]): its two extreme points square
//! to the segment, compared with the best exactly ([`Slab`]). A search
//! does so for every such node once it has spent its
//! [`budget`](FarthestSearch::budget) of at most `8 (⌊log₂ n⌋ + 1)²` nodes,
//! points, hull steps and waiting nodes read, less after searches that
//! spent theirs ([`allowance`](FarthestSearch::allowance)); near a tie,
//! [`skip`] reads the stack up to four times: O(log n) a node, counted
//! like the rest (the worst case of the [module above](super) rests on
//! this). It does so before that for those whose box lies in the slab
//! and whose bound is far above the best (a speed-up). A node that ties
//! the best and starts before it may hold an earlier tie: only the
//! earliest such node waits, and is opened once no other node does.
//!
//! Where rows of points tie, Douglas–Peucker peels: split after split, it
//! keeps the point right after the stretch's start (the earliest of the
//! tied), and each search would descend from the root to that point's
//! leaf and scan it before any tie could be skipped. After two such
//! splits in a row ([`Peels`]), the next search considers the point after
//! its start first. The root then opens into the nodes wholly inside the
//! stretch (and the leaves that hold its ends), and [`skip`] drops at
//! once, together, every one of them that comes after that point and whose
//! corners tie it; on a row of ties only the node that holds the point is
//! opened. One more point considered, so the worst case is unchanged; the
//! order points are considered in changes no result (a test seeds every
//! search at a random point).
//!
//! [`skip`]: FarthestSearch::skip

use std::cell::{Cell, OnceCell};
use std::cmp::Ordering;
use std::ops::Range;

use super::certify::Certified;
use super::decide::{compare_distances, exceeds, is_defined};
use super::estimate::{Estimate, SegmentEstimator};
use super::fine_estimate::{FineEstimator, FineScale};
use super::hull::Hulls;
use super::slab::{Reach, Slab};
use super::tree::{BoundingBox, LEAF, PositionTree, is_candidate};
use crate::core::cancel::{CHUNK, CancelFlag};
use crate::core::point::Point;
use crate::core::points::{PointsError, try_push, try_vec_with_capacity};

/// Stretches with at most this many points between their ends are scanned.
const SCAN_AT_MOST: usize = 48;

/// Peels in a row after which a search considers the point after its
/// start first. After one, a peel is often chance (on a closed circle,
/// seeding after one made it 9–14 % slower): a seed that is not the
/// farthest costs the search its descent by bounds, as the root opens
/// into the nodes wholly inside in position order.
const SEED_AFTER_PEELS: usize = 2;

/// Douglas–Peucker's run of peels: the last search's stretch, and how
/// many searches in a row, each on the stretch before it minus the point
/// after its start, kept that point.
#[derive(Clone, Copy)]
struct Peels {
    first: usize,
    last: usize,
    count: usize,
}

/// A node waiting in the search, with bounds on the largest distance of
/// its corners (`low`) and of its points (`high`).
#[derive(Clone, Copy)]
struct Pending {
    node: usize,
    leaves: (usize, usize),
    bound: Estimate,
}

/// The best point found so far.
struct Best {
    position: usize,
    point: Point,
    estimate: Estimate,
    /// Its distance certified, worked out when first needed (near a tie).
    certified: OnceCell<Option<Certified>>,
    /// If it is a finite point of the segment's slab, its side of the
    /// line ([`Slab::side`]), likewise.
    slab_side: OnceCell<Option<Ordering>>,
}

/// Answers farthest-point queries over one path, keeping the work done
/// since the last look at the cancel flag across queries.
pub(super) struct FarthestSearch<'a> {
    points: &'a [Point],
    tree: &'a PositionTree,
    stack: Vec<Pending>,
    work: usize,
    /// The nodes' convex hulls, each built when first needed.
    hulls: HullState,
    /// Nodes, points, hull steps and waiting nodes read that a search
    /// spends before it settles every node wholly in the slab by its hull
    /// (before, only those whose box is in the slab):
    /// `BUDGET_PER_LOG_SQUARED · (⌊log₂ n⌋ + 1)²`, the most it may be.
    budget: usize,
    /// The budget of the next search: halved after a search that spent
    /// it all (down to `budget` / [`ALLOWANCE_FLOOR_DIVISOR`]), doubled
    /// after one that did not (up to `budget`). Where splits keep spending
    /// it all (offsets along a line that no box prunes and none is loose
    /// for: `[i, i ± 1]`), the branch and bound gives way to the hulls
    /// sooner; the worst case, which rests on the most, is unchanged.
    allowance: usize,
    /// The run of peels that the last search extended, if it kept the
    /// point after its start.
    peels: Option<Peels>,
    /// Every unit of work counted, for the tests of the work bound.
    #[cfg(test)]
    pub(super) operations: usize,
    /// Nodes pushed (each bounded once), for the tests.
    #[cfg(test)]
    pub(super) pushed: usize,
    /// Whether nodes with a [loose](Query::box_is_loose) box in the slab go
    /// to their hulls before the budget is spent: always, but in the test
    /// of the worst case, which needs no such help.
    #[cfg(test)]
    pub(super) shortcut: bool,
    /// When set, seeds every branch and bound at a point of the stretch
    /// it picks: for the test that the order points are considered in
    /// changes no result.
    #[cfg(test)]
    pub(super) seed_anywhere: Option<crate::core::test_random::Random>,
}

/// What a node's hull tells of it.
enum HullVerdict {
    /// Nothing: it has no hull, or leaves the segment's slab. Open it.
    Open,
    /// It is done: its farthest point is now the best or nearer. If that
    /// point is as far as the best, it comes with its side of the
    /// segment's line and the best's position (which a node starting
    /// before it may tie too).
    Settled(Option<((Point, Ordering), usize)>),
}

/// Whether the hulls' table is made.
enum HullState {
    Unmade,
    Made(Hulls),
    /// Past `u32::MAX` points: none.
    Unavailable,
}

/// How far above the best's distance a node's bound is
/// [loose](Query::box_is_loose).
const LOOSE: f64 = 1024.0;

/// A search's [`budget`](FarthestSearch::budget), over `(⌊log₂ n⌋ + 1)²`.
const BUDGET_PER_LOG_SQUARED: usize = 8;

/// The least a search's [`allowance`](FarthestSearch::allowance) falls
/// to is the budget divided by this.
const ALLOWANCE_FLOOR_DIVISOR: usize = 32;

/// A node in the slab whose farthest points tie with the best and which
/// starts before it: an earlier point of it may tie too. Only the earliest
/// such node is searched, once no other node waits.
#[derive(Clone, Copy)]
struct Deferred {
    pending: Pending,
    first_position: usize,
    /// One of its farthest points, with its side of the segment's line.
    farthest: (Point, Ordering),
    /// The best's position when `farthest` was found to tie it: while the
    /// best stays, so does the tie.
    tied_best: usize,
}

impl<'a> FarthestSearch<'a> {
    pub(super) fn new(points: &'a [Point], tree: &'a PositionTree) -> Result<Self, PointsError> {
        // Depth-first, at most two nodes a level wait: logarithmic.
        let depth = tree.leaf_count.trailing_zeros() as usize + 1;
        let log = points.len().max(2).ilog2() as usize + 1;
        let budget = BUDGET_PER_LOG_SQUARED * log * log;
        Ok(FarthestSearch {
            points,
            tree,
            stack: try_vec_with_capacity(2 * depth + 1)?,
            work: 0,
            hulls: HullState::Unmade,
            budget,
            allowance: budget,
            peels: None,
            #[cfg(test)]
            operations: 0,
            #[cfg(test)]
            pushed: 0,
            #[cfg(test)]
            shortcut: true,
            #[cfg(test)]
            seed_anywhere: None,
        })
    }

    /// The position strictly between `first` and `last` of the point
    /// farthest from the segment between those two (the earliest on ties),
    /// if its distance exceeds `tolerance`; `None` if it does not, or if no
    /// point there has a defined distance (an end with a NaN coordinate
    /// defines none). On a stretch longer than [`SCAN_AT_MOST`], after
    /// [`SEED_AFTER_PEELS`] searches in a row that kept the point after
    /// their start, each on the stretch before minus that point, the
    /// search considers this stretch's such point first.
    pub(super) fn farthest_beyond(
        &mut self,
        first: usize,
        last: usize,
        tolerance: f64,
        cancel: &CancelFlag,
    ) -> Result<Option<usize>, PointsError> {
        let peels_before = self
            .peels
            .take()
            .filter(|peels| peels.first + 1 == first && peels.last == last)
            .map_or(0, |peels| peels.count);
        let (start, end) = (self.points[first], self.points[last]);
        if !(is_candidate(start) && is_candidate(end)) || last - first < 2 {
            return Ok(None);
        }
        let mut query = Query {
            start,
            end,
            estimator: SegmentEstimator::new(start, end, self.tree.scale),
            best: None,
            slab: Slab::of(start, end),
            fine_scale: self.tree.fine_scale,
            fine: OnceCell::new(),
            best_fine: Cell::new(None),
            fine_stage: self.tree.fine_stage,
        };
        let between = first + 1..last;
        if between.len() <= SCAN_AT_MOST {
            self.count(between.len(), cancel)?;
            for position in between {
                query.consider(position, self.points[position], &SlabHint::Unknown);
            }
        } else {
            let seed = (peels_before >= SEED_AFTER_PEELS).then_some(first + 1);
            #[cfg(test)]
            let seed = match self.seed_anywhere.as_mut() {
                Some(random) => Some(between.start + random.below(between.len() as u64) as usize),
                None => seed,
            };
            self.branch_and_bound(&mut query, between, seed, cancel)?;
        }
        let tolerance_bounds = self.tree.scale.bounds(tolerance);
        let farthest = query.best.take().and_then(|best| {
            let beyond = match query.order_with_tolerance(&best, tolerance_bounds, tolerance) {
                Some(Ordering::Greater) => true,
                Some(_) => false,
                None => exceeds(start, end, best.point, tolerance),
            };
            beyond.then_some(best.position)
        });
        if farthest == Some(first + 1) {
            self.peels = Some(Peels {
                first,
                last,
                count: peels_before + 1,
            });
        }
        Ok(farthest)
    }

    /// The search proper, over the stretch's positions `between`, after
    /// considering the point at `seed` if given.
    fn branch_and_bound(
        &mut self,
        query: &mut Query,
        between: Range<usize>,
        seed: Option<usize>,
        cancel: &CancelFlag,
    ) -> Result<(), PointsError> {
        // Nodes, points, hull steps and waiting nodes read; past the
        // budget, nodes in the slab are settled by their hulls.
        let mut spent = 0;
        if let Some(position) = seed {
            debug_assert!(between.contains(&position), "the seed is in the stretch");
            self.count(1, cancel)?;
            spent += 1;
            query.consider(position, self.points[position], &SlabHint::Unknown);
        }
        self.stack.clear();
        self.push_nodes(query, &between, [(1, (0, self.tree.leaf_count))])?;
        let mut deferred: Option<Deferred> = None;
        let mut by_hulls = false;
        loop {
            while let Some(pending) = self.stack.pop() {
                self.count(1, cancel)?;
                spent += 1;
                by_hulls |= spent > self.allowance;
                let first_position = (pending.leaves.0 * LEAF).max(between.start);
                // The waiting nodes `skip` read count as work too: up to
                // four passes over the stack, O(log n) a pop.
                let mut read = 0;
                let skipped = self.skip(query, &pending, first_position, &between, &mut read);
                self.count(read, cancel)?;
                spent += read;
                if skipped {
                    continue;
                }
                let whole = is_whole(pending.leaves, &between);
                let box_in_slab = whole
                    && self.shortcut()
                    && query.box_is_loose(pending.bound)
                    && query.box_in_slab(&self.tree.boxes[pending.node]);
                if whole && (by_hulls || box_in_slab) {
                    let node = pending.node;
                    let settled =
                        self.settle_by_hull(query, node, box_in_slab, &mut spent, cancel)?;
                    if let HullVerdict::Settled(tie) = settled {
                        let tie = tie.filter(|&(_, tied_best)| first_position < tied_best);
                        if let Some((farthest, tied_best)) = tie {
                            let earlier = deferred.is_none_or(|waiting| {
                                first_position < waiting.first_position
                                    || !query.ties_before_best(&waiting)
                            });
                            if earlier {
                                deferred = Some(Deferred {
                                    pending,
                                    first_position,
                                    farthest,
                                    tied_best,
                                });
                            }
                        }
                        continue;
                    }
                }
                spent += self.open(query, &between, &pending, first_position, cancel)?;
            }
            match deferred.take() {
                Some(waiting) if query.ties_before_best(&waiting) => {
                    // A leaf's points count against the budget here too.
                    spent += self.open(
                        query,
                        &between,
                        &waiting.pending,
                        waiting.first_position,
                        cancel,
                    )?;
                }
                _ => {
                    self.allowance = if by_hulls {
                        (self.allowance / 2).max(self.budget / ALLOWANCE_FLOOR_DIVISOR)
                    } else {
                        (self.allowance * 2).min(self.budget)
                    };
                    return Ok(());
                }
            }
        }
    }

    fn shortcut(&self) -> bool {
        #[cfg(test)]
        {
            self.shortcut
        }
        #[cfg(not(test))]
        {
            true
        }
    }

    /// Considers the points of a leaf, or pushes a node's children: how
    /// many points it considered. A node that reaches past an end of the
    /// stretch, opened once a best point is known (its bound did not skip
    /// it), pushes instead its part inside ([`push_inside`](Self::push_inside)):
    /// its nodes that reach past the end would be bounded by boxes that hold
    /// points outside the stretch (past a tied end, farther than any point
    /// inside), and opened one level at a time.
    fn open(
        &mut self,
        query: &mut Query,
        between: &Range<usize>,
        pending: &Pending,
        first_position: usize,
        cancel: &CancelFlag,
    ) -> Result<usize, PointsError> {
        if pending.node >= self.tree.leaf_count {
            let positions = first_position..(pending.leaves.1 * LEAF).min(between.end);
            self.count(positions.len(), cancel)?;
            let in_slab = SlabHint::Box(&self.tree.boxes[pending.node], OnceCell::new());
            let considered = positions.len();
            for position in positions {
                query.consider(position, self.points[position], &in_slab);
            }
            return Ok(considered);
        } else {
            let (low, high) = pending.leaves;
            let middle = (low + high) / 2;
            let node = pending.node;
            if is_whole((low, high), between) || query.best.is_none() {
                self.push_nodes(
                    query,
                    between,
                    [(2 * node, (low, middle)), (2 * node + 1, (middle, high))],
                )?;
            } else {
                self.push_inside(query, between, 2 * node + 1, (middle, high))?;
                self.push_inside(query, between, 2 * node, (low, middle))?;
            }
        }
        Ok(0)
    }

    /// Pushes the part of a node's subtree inside `between`: the largest
    /// nodes wholly inside, and the leaves that hold an end, later ones
    /// first (so the earliest is searched first).
    fn push_inside(
        &mut self,
        query: &Query,
        between: &Range<usize>,
        node: usize,
        (low, high): (usize, usize),
    ) -> Result<(), PointsError> {
        if is_whole((low, high), between) || node >= self.tree.leaf_count {
            return match self.pending(query, between, node, (low, high)) {
                Some(pending) => self.push(pending),
                None => Ok(()),
            };
        }
        let overlaps = low * LEAF < between.end && between.start < high * LEAF;
        if !overlaps || self.tree.boxes[node].is_empty() {
            return Ok(());
        }
        let middle = (low + high) / 2;
        self.push_inside(query, between, 2 * node + 1, (middle, high))?;
        self.push_inside(query, between, 2 * node, (low, middle))
    }

    /// When every point of `node` lies in the closed slab between the
    /// lines through the segment's ends square to it (where the distance
    /// to the segment is the distance to its line), settles the node by
    /// its hull: its farthest point is one of its two extremes square to
    /// the segment (the earlier on a tie), which becomes the best if it is
    /// farther, as [`consider`](Query::consider) does. Against a best in
    /// the slab off the line, [`Slab::reach`] tells where that point is
    /// and how it compares in at most three exact signs; against another,
    /// their sides and their comparison tell which, and `consider` the
    /// rest. Builds the node's hull if needed; adds the search steps to
    /// `spent`. `box_in_slab`: the node's box is known to lie in the slab.
    fn settle_by_hull(
        &mut self,
        query: &mut Query,
        node: usize,
        box_in_slab: bool,
        spent: &mut usize,
        cancel: &CancelFlag,
    ) -> Result<HullVerdict, PointsError> {
        let Some(slab) = query.slab.as_ref() else {
            return Ok(HullVerdict::Open);
        };
        if let HullState::Unmade = self.hulls {
            self.hulls = match Hulls::new(self.points.len(), self.tree.leaf_count)? {
                Some(hulls) => HullState::Made(hulls),
                None => HullState::Unavailable,
            };
        }
        let HullState::Made(hulls) = &mut self.hulls else {
            return Ok(HullVerdict::Open);
        };
        hulls.build(self.points, node, cancel)?;
        if !hulls.is_searchable(node) {
            return Ok(HullVerdict::Open);
        }
        let mut steps = 0;
        let mut extreme =
            |(from, to): (Point, Point)| hulls.extreme(self.points, node, from, to, &mut steps);
        // The box's corners first (no memory to read but the box); if one
        // is out, the points farthest along the segment either way.
        let in_slab = box_in_slab || {
            let (start, end) = (slab.start(), slab.end());
            let (ahead, behind) = (extreme((start, end)), extreme((end, start)));
            slab.spans_within(self.points[behind], self.points[ahead])
        };
        let verdict = if in_slab {
            let (from, to) = slab.normal();
            // The extremes of the largest and the smallest `cross`.
            let (most, least) = (extreme((from, to)), extreme((to, from)));
            let points = self.points;
            // The farther of the two, its side, and how it compares with
            // the best if that is known.
            let farthest = match query.reach(slab, points[most], points[least]) {
                Some(Reach::Nearer) => None,
                Some(Reach::Most(order)) => Some((most, Ordering::Greater, Some(order))),
                Some(Reach::Least(order)) => Some((least, Ordering::Less, Some(order))),
                Some(Reach::Both(order)) => {
                    let (position, side) =
                        earlier((most, Ordering::Greater), (least, Ordering::Less));
                    Some((position, side, Some(order)))
                }
                None => {
                    let sided = |position: usize| (position, slab.side(points[position]));
                    let (most_sided, least_sided) = (sided(most), sided(least));
                    let (position, side) = match slab
                        .compare((points[most], most_sided.1), (points[least], least_sided.1))
                    {
                        Ordering::Greater => most_sided,
                        Ordering::Less => least_sided,
                        Ordering::Equal => earlier(most_sided, least_sided),
                    };
                    Some((position, side, None))
                }
            };
            let tie = farthest.and_then(|(position, side, order)| {
                let point = points[position];
                let tied_best = match order {
                    Some(order) => query.consider_compared(position, point, side, order),
                    None => query.consider(position, point, &SlabHint::Sided(side)),
                }?;
                Some(((point, side), tied_best))
            });
            HullVerdict::Settled(tie)
        } else {
            HullVerdict::Open
        };
        self.work += steps;
        *spent += steps;
        #[cfg(test)]
        {
            self.operations += steps + 4;
        }
        Ok(verdict)
    }

    /// Whether `pending` (whose first position in the stretch is
    /// `first_position`) can hold no better point than the best. Near a tie
    /// with the best, when the node comes after it, first tries to skip it
    /// together with every waiting node that also comes after the best:
    /// their union's corners, compared exactly, settle them all at once
    /// (where a whole row of points ties, this saves a comparison per node).
    /// If that fails while some of them reach past the stretch's end (their
    /// boxes hold points beyond the segment's end, farther than any tie),
    /// it tries again without those (one more union over the waiting
    /// nodes, O(log n) as the first). Adds to `read` the waiting nodes it
    /// reads (each pass's, and the `retain`'s), for the caller to count.
    fn skip(
        &mut self,
        query: &Query,
        pending: &Pending,
        first_position: usize,
        between: &Range<usize>,
        read: &mut usize,
    ) -> bool {
        let Some(best_position) = query.best.as_ref().map(|best| best.position) else {
            return false;
        };
        match query.bound_against_best(pending.bound) {
            Some(skip) => skip,
            None if first_position > best_position => {
                // First with every waiting node after the best, then, if
                // that fails, with those wholly inside the stretch: a node
                // that reaches past its end holds points beyond the
                // segment's end, whose corners may fail the union.
                let after_best = |waiting: &Pending| {
                    (waiting.leaves.0 * LEAF).max(between.start) > best_position
                };
                let past_end = |waiting: &Pending| waiting.leaves.1 * LEAF > between.end;
                if self.skip_together(query, pending, after_best, read) {
                    return true;
                }
                let first_past_end = self
                    .stack
                    .iter()
                    .position(|waiting| after_best(waiting) && past_end(waiting));
                *read += first_past_end.map_or(self.stack.len(), |index| index + 1);
                if first_past_end.is_some()
                    && self.skip_together(
                        query,
                        pending,
                        |waiting| after_best(waiting) && !past_end(waiting),
                        read,
                    )
                {
                    return true;
                }
                query.corners_no_farther(&self.tree.boxes[pending.node], true)
            }
            None => query.corners_no_farther(&self.tree.boxes[pending.node], false),
        }
    }

    /// Whether `pending` and the waiting nodes that `together` selects
    /// (at least one) are all skipped: their union's corners are no
    /// farther than the best (they come after it, so lose ties). If so,
    /// those waiting nodes leave the stack. Adds to `read` the waiting
    /// nodes read: the stack once, twice if they leave it.
    fn skip_together(
        &mut self,
        query: &Query,
        pending: &Pending,
        together: impl Fn(&Pending) -> bool,
        read: &mut usize,
    ) -> bool {
        let mut union = self.tree.boxes[pending.node];
        let mut others = 0;
        for waiting in self.stack.iter().filter(|waiting| together(waiting)) {
            union = union.union(self.tree.boxes[waiting.node]);
            others += 1;
        }
        *read += self.stack.len();
        let skipped = others > 0 && query.corners_no_farther(&union, true);
        if skipped {
            *read += self.stack.len();
            self.stack.retain(|waiting| !together(waiting));
        }
        skipped
    }

    /// Pushes the nodes that hold candidates in `between`, so that the
    /// earlier is searched first unless the later one's corners are
    /// certainly farther: among tied points the earliest wins, and once it
    /// is found every later node with tied corners is skipped.
    fn push_nodes<const N: usize>(
        &mut self,
        query: &Query,
        between: &Range<usize>,
        nodes: [(usize, (usize, usize)); N],
    ) -> Result<(), PointsError> {
        let mut children = nodes.map(|(node, leaves)| self.pending(query, between, node, leaves));
        if let [Some(left), Some(right)] = children[..] {
            if right.bound.certainly_above(left.bound) {
                children.swap(0, 1);
            }
        }
        for child in children.into_iter().rev().flatten() {
            self.push(child)?;
        }
        Ok(())
    }

    /// `node` (covering `leaves`) to search, with its bound, if it holds
    /// candidates in `between`. Always inlined, as is [`push`](Self::push):
    /// both pushers are on every search's hot path, and as calls they cost
    /// the sawtooths 15–20 %.
    #[inline(always)]
    fn pending(
        &self,
        query: &Query,
        between: &Range<usize>,
        node: usize,
        leaves: (usize, usize),
    ) -> Option<Pending> {
        let overlaps = leaves.0 * LEAF < between.end && between.start < leaves.1 * LEAF;
        let bounding_box = &self.tree.boxes[node];
        (overlaps && !bounding_box.is_empty()).then(|| Pending {
            node,
            leaves,
            bound: query.node_bound(bounding_box, self.tree.radii[node]),
        })
    }

    #[inline(always)]
    fn push(&mut self, pending: Pending) -> Result<(), PointsError> {
        try_push(&mut self.stack, pending)?;
        #[cfg(test)]
        {
            self.pushed += 1;
        }
        Ok(())
    }

    /// Counts `amount` units of work, looking at the cancel flag once per
    /// [`CHUNK`] of them.
    fn count(&mut self, amount: usize, cancel: &CancelFlag) -> Result<(), PointsError> {
        self.work += amount;
        #[cfg(test)]
        {
            self.operations += amount;
        }
        if self.work >= CHUNK {
            self.work = 0;
            cancel.check()?;
        }
        Ok(())
    }
}

/// Of two equally far extremes, each with its side, the earlier.
fn earlier(a: (usize, Ordering), b: (usize, Ordering)) -> (usize, Ordering) {
    if a.0 <= b.0 { a } else { b }
}

/// Whether the node covering `leaves` lies wholly inside `between`.
fn is_whole((low, high): (usize, usize), between: &Range<usize>) -> bool {
    low * LEAF >= between.start && high * LEAF <= between.end
}

/// What is known of whether a point lies in the segment's slab: nothing
/// (the point itself is tested), that it does if its node's box does
/// (looked at once, when first needed: a comparison near a tie), or that
/// it does, with its side of the line ([`Slab::side`]).
enum SlabHint<'b> {
    Unknown,
    Box(&'b BoundingBox, OnceCell<bool>),
    Sided(Ordering),
}

impl SlabHint<'_> {
    /// The side of the line of `point`, the point this hint is about, if
    /// it lies in the slab.
    fn side(&self, query: &Query, slab: &Slab, point: Point) -> Option<Ordering> {
        let box_in_slab = match self {
            SlabHint::Sided(side) => return Some(*side),
            SlabHint::Unknown => false,
            SlabHint::Box(bounding_box, in_slab) => {
                *in_slab.get_or_init(|| query.box_in_slab(bounding_box))
            }
        };
        let in_slab =
            box_in_slab || (point.x.is_finite() && point.y.is_finite() && slab.contains(point));
        in_slab.then(|| slab.side(point))
    }
}

/// One farthest-point query: the segment and the best point so far.
struct Query {
    start: Point,
    end: Point,
    estimator: SegmentEstimator,
    best: Option<Best>,
    /// The segment's slab, if its ends are finite and apart.
    slab: Option<Slab>,
    fine_scale: FineScale,
    /// The second stage of the filter, made when first needed.
    fine: OnceCell<FineEstimator>,
    /// The best's fine estimate, by its position, once worked out (kept
    /// here, not in [`Best`], which every path makes often and only these
    /// paths need it).
    best_fine: Cell<Option<(usize, Estimate)>>,
    /// Whether the second stage runs: on paths whose small features the
    /// first stage does not resolve (magnitudes that span more than about
    /// `2^947`, [`PositionTree::fine_stage`]), before the slab's
    /// comparison and the exact predicates. Elsewhere the first stage
    /// resolves every coordinate difference of the path, and the slab's
    /// comparison, itself filtered per decision, settles the rest faster
    /// (tried: the second stage there cost duplicated points 15–25%).
    fine_stage: bool,
}

impl Query {
    /// Makes the point at `position` the best if it is farther than the
    /// best, or as far and earlier. Returns the best's position if the
    /// point is then exactly as far as the best (it is the best, or ties
    /// it), `None` if it is nearer (or has no distance).
    fn consider(&mut self, position: usize, point: Point, in_slab: &SlabHint) -> Option<usize> {
        let estimate = self.estimator.estimate(point);
        // Only a non-finite coordinate makes an estimate unknown.
        if estimate == Estimate::UNKNOWN && !is_defined(self.start, self.end, point) {
            return None;
        }
        if let Some(best) = &self.best {
            if estimate.certainly_below(best.estimate) {
                return None;
            }
            if !estimate.certainly_above(best.estimate) {
                match self.compare_with_best(point, best, in_slab) {
                    Some(Ordering::Greater) => {}
                    Some(Ordering::Equal) if position < best.position => {}
                    Some(Ordering::Equal) => return Some(best.position),
                    Some(Ordering::Less) | None => return None,
                }
            }
        }
        let slab_side = match in_slab {
            SlabHint::Sided(side) => OnceCell::from(Some(*side)),
            _ => OnceCell::new(),
        };
        Some(self.make_best(position, point, estimate, slab_side))
    }

    /// Makes the point at `position` the best: its position.
    fn make_best(
        &mut self,
        position: usize,
        point: Point,
        estimate: Estimate,
        slab_side: OnceCell<Option<Ordering>>,
    ) -> usize {
        self.best = Some(Best {
            position,
            point,
            estimate,
            certified: OnceCell::new(),
            slab_side,
        });
        position
    }

    /// Bounds on `point`'s distance by the second stage of the filter,
    /// scaled per decision ([`FineEstimator`]): for what the first stage,
    /// scaled per path, leaves open.
    fn fine_estimate(&self, point: Point) -> Estimate {
        self.fine
            .get_or_init(|| FineEstimator::new(self.start, self.end, self.fine_scale))
            .estimate(point)
    }

    /// The best's [fine estimate](Self::fine_estimate), worked out once.
    fn best_fine_estimate(&self, best: &Best) -> Estimate {
        match self.best_fine.get() {
            Some((position, estimate)) if position == best.position => estimate,
            _ => {
                let estimate = self.fine_estimate(best.point);
                self.best_fine.set(Some((best.position, estimate)));
                estimate
            }
        }
    }

    /// How `point`'s distance compares with the best's by the second stage
    /// of the filter, where it runs: `None` if it cannot tell (near a tie;
    /// never `Equal`) or does not run.
    fn fine_order(&self, point: Point, best: &Best) -> Option<Ordering> {
        if !self.fine_stage {
            return None;
        }
        let best_fine = self.best_fine_estimate(best);
        let fine = self.fine_estimate(point);
        if fine.certainly_below(best_fine) {
            Some(Ordering::Less)
        } else if fine.certainly_above(best_fine) {
            Some(Ordering::Greater)
        } else {
            None
        }
    }

    /// How the best's distance compares with `tolerance` (whose bounds at
    /// the first stage's scale are `tolerance_bounds`) by the filter's two
    /// stages: `Greater` if it certainly exceeds it, `Less` if it certainly
    /// does not, `None` if only the exact predicates tell.
    fn order_with_tolerance(
        &self,
        best: &Best,
        tolerance_bounds: Estimate,
        tolerance: f64,
    ) -> Option<Ordering> {
        let order = |estimate: Estimate, bounds: Estimate| {
            if estimate.certainly_above(bounds) {
                Some(Ordering::Greater)
            } else if estimate.high <= bounds.low {
                Some(Ordering::Less)
            } else {
                None
            }
        };
        order(best.estimate, tolerance_bounds).or_else(|| {
            if !self.fine_stage {
                return None;
            }
            order(
                self.best_fine_estimate(best),
                self.fine_scale.bounds(tolerance),
            )
        })
    }

    /// Whether a node's `bound` is far above the best's distance (so that
    /// opening the node is likely to take long: a thin band of points at
    /// an angle, whose box is much wider than the band), which is when a
    /// node whose box is in the slab is settled by its hull before the
    /// search spends its budget. A choice of speed only: the worst case
    /// rests on the budget.
    fn box_is_loose(&self, bound: Estimate) -> bool {
        self.best
            .as_ref()
            .is_some_and(|best| bound.high > LOOSE * best.estimate.high)
    }

    /// Whether every corner of `bounding_box`, so every point in it, lies
    /// in the segment's slab.
    fn box_in_slab(&self, bounding_box: &BoundingBox) -> bool {
        self.slab.as_ref().is_some_and(|slab| {
            let [min, _, _, max] = bounding_box.corners();
            bounding_box.is_finite() && !bounding_box.is_empty() && slab.contains_box(min, max)
        })
    }

    /// Where the farthest points of a node in the slab are against the
    /// best, given its points `most` and `least` of the largest and the
    /// smallest `cross` ([`Slab::reach`]): `Nearer` when their estimates
    /// tell, else exactly if the best lies in the slab off the line; `None`
    /// when there is no such best.
    fn reach(&self, slab: &Slab, most: Point, least: Point) -> Option<Reach> {
        let best = self.best.as_ref()?;
        let nearer = [most, least].iter().all(|&point| {
            self.estimator
                .estimate(point)
                .certainly_below(best.estimate)
        });
        if nearer {
            return Some(Reach::Nearer);
        }
        slab.reach((best.point, self.best_side(slab, best)?), most, least)
    }

    /// The best's side of the line if it lies in the slab, worked out
    /// once.
    fn best_side(&self, slab: &Slab, best: &Best) -> Option<Ordering> {
        *best
            .slab_side
            .get_or_init(|| SlabHint::Unknown.side(self, slab, best.point))
    }

    /// Makes `point`, at `position` in the slab on `side` of the line, the
    /// best if it is farther than the best (`order` is `Greater`), or as
    /// far (`Equal`) and earlier: [`consider`](Self::consider) once it
    /// knows how they compare, which needs a best. Returns the best's
    /// position.
    fn consider_compared(
        &mut self,
        position: usize,
        point: Point,
        side: Ordering,
        order: Ordering,
    ) -> Option<usize> {
        let best = self.best.as_ref()?;
        debug_assert!(order.is_ge(), "a nearer point is not compared");
        if order == Ordering::Equal && position >= best.position {
            return Some(best.position);
        }
        let estimate = self.estimator.estimate(point);
        Some(self.make_best(position, point, estimate, OnceCell::from(Some(side))))
    }

    /// Whether `waiting` may still hold a point as far as the best and
    /// before it: its farthest point ties the best (as it did when it
    /// began to wait, if the best is the same) and it starts before it.
    fn ties_before_best(&self, waiting: &Deferred) -> bool {
        let Some(best) = &self.best else {
            return false;
        };
        let (farthest, side) = waiting.farthest;
        waiting.first_position < best.position
            && (best.position == waiting.tied_best
                || self.compare_with_best(farthest, best, &SlabHint::Sided(side))
                    == Some(Ordering::Equal))
    }

    /// Bounds for a node with this box and radius: `low` bounds its
    /// corners' largest distance from below, `high` its points' from above,
    /// by the corners or by the disk, whichever is tighter.
    fn node_bound(&self, bounding_box: &BoundingBox, radius: f64) -> Estimate {
        let [min, _, _, max] = bounding_box.corners();
        let corners = self.estimator.corners_estimate(min, max);
        // An infinite radius: no disk, or none tighter than the corners.
        let disk = if radius.is_finite() {
            (self.estimator.estimate(bounding_box.center()).high + radius) * (1.0 + f64::EPSILON)
        } else {
            f64::INFINITY
        };
        Estimate {
            low: corners.low,
            high: corners.high.min(disk),
        }
    }

    /// How `point`'s distance compares with the best's, exactly: a point
    /// equal to the best's is as far; distances that double arithmetic
    /// gets exactly compare as they are; the others go to the exact
    /// predicates.
    fn compare_with_best(&self, point: Point, best: &Best, in_slab: &SlabHint) -> Option<Ordering> {
        if point == best.point {
            return Some(Ordering::Equal);
        }
        if let Some(order) = self.fine_order(point, best) {
            return Some(order);
        }
        if let Some(slab) = &self.slab {
            let best_side = self.best_side(slab, best);
            if let Some((side, best_side)) =
                best_side.and_then(|best_side| Some((in_slab.side(self, slab, point)?, best_side)))
            {
                return Some(slab.compare((point, side), (best.point, best_side)));
            }
        }
        let best_certified = *best
            .certified
            .get_or_init(|| Certified::distance(self.start, self.end, best.point));
        best_certified
            .zip(Certified::distance(self.start, self.end, point))
            .and_then(|(best, point)| point.compare(best))
            .or_else(|| compare_distances(self.start, self.end, point, best.point))
    }

    /// Whether a node with this [`node_bound`](Self::node_bound) holds no
    /// better point than the best (`Some(true)`: every point is certainly
    /// nearer), certainly may (`Some(false)`: a corner is certainly
    /// farther), or it takes exact comparisons of the corners (`None`:
    /// near a tie).
    fn bound_against_best(&self, bound: Estimate) -> Option<bool> {
        let best = self.best.as_ref()?;
        if bound.certainly_below(best.estimate) {
            Some(true)
        } else if bound.certainly_above(best.estimate) {
            Some(false)
        } else {
            None
        }
    }

    /// Whether no corner of `bounding_box` is farther than the best, by
    /// exact comparison, and none as far unless `after_best` (the box's
    /// points all come after the best's, so lose ties). Corners certainly
    /// nearer are not compared.
    fn corners_no_farther(&self, bounding_box: &BoundingBox, after_best: bool) -> bool {
        let Some(best) = &self.best else {
            return false;
        };
        bounding_box.corners().iter().all(|&corner| {
            let estimate = self.estimator.estimate(corner);
            if estimate.certainly_below(best.estimate) {
                return true;
            }
            if estimate.certainly_above(best.estimate) {
                return false;
            }
            match self.compare_with_best(corner, best, &SlabHint::Unknown) {
                Some(Ordering::Less) => true,
                Some(Ordering::Equal) => after_best,
                Some(Ordering::Greater) | None => false,
            }
        })
    }
}

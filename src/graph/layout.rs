//! Layout: a directed graph (node count, edges) → positions, drawn left to right in layers
//! (Sugiyama): break cycles, assign ranks, route long edges through dummy points, reduce
//! crossings with barycenter sweeps, then place nodes. Everything is indexed by position in
//! the input, never by a hash map, so the same input gives the same drawing.

use std::collections::{BTreeMap, BTreeSet};

/// Size of a node box; every entity node has the same size so columns line up.
pub const NODE_W: f64 = 176.0;
pub const NODE_H: f64 = 44.0;
/// Room between columns, where the edges and their labels go.
const RANK_GAP: f64 = 112.0;
/// Room between the boxes of one column.
const NODE_GAP: f64 = 22.0;
/// The height a long edge takes where it passes through a column.
const DUMMY_H: f64 = 10.0;
/// Room above a node for the loop of a self-relation and its label.
const LOOP_ROOM: f64 = 26.0;
pub const MARGIN: f64 = 16.0;
const SWEEPS: usize = 12;
const ALIGN_PASSES: usize = 6;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// Where one edge goes: through `points` from its source to its target (in the input's
/// direction), or a loop on one node.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    Path(Vec<Point>),
    Loop(Point),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    /// Centre of each node, in input order.
    pub centres: Vec<Point>,
    pub ranks: Vec<usize>,
    /// One route per input edge, in input order.
    pub routes: Vec<Route>,
    pub width: f64,
    pub height: f64,
    /// Edge crossings left after ordering (between adjacent columns).
    pub crossings: usize,
}

/// An edge of the layered graph between two adjacent ranks (`from` left of `to`), by vertex.
#[derive(Clone, Copy, Debug)]
struct Segment {
    from: usize,
    to: usize,
}

/// Ranks of the nodes of a graph: edges point from a lower rank to a higher one, except the
/// edges that close a cycle, which point back. Self-edges are ignored.
pub fn ranks(n: usize, edges: &[(usize, usize)]) -> Vec<usize> {
    let dag = acyclic(n, edges);
    assign_ranks(n, &dag)
}

/// The edges with each cycle broken: a depth-first walk in input order turns around every
/// edge that leads back to a node still on its path. Self-edges and repeats are dropped.
fn acyclic(n: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        if a != b && a < n && b < n {
            out[a].push(b);
        }
    }
    for list in &mut out {
        list.sort_unstable();
        list.dedup();
    }
    // 0 unseen, 1 on the current path, 2 done.
    let mut state = vec![0u8; n];
    let mut dag = Vec::new();
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        state[start] = 1;
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&w) = out[v].get(*next) {
                *next += 1;
                match state[w] {
                    0 => {
                        dag.push((v, w));
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => dag.push((w, v)),
                    _ => dag.push((v, w)),
                }
            } else {
                state[v] = 2;
                stack.pop();
            }
        }
    }
    dag.sort_unstable();
    dag.dedup();
    dag
}

/// Longest path from the sources, then every source moved right next to its nearest
/// successor, so a lone dependent does not sit columns away from what it depends on.
fn assign_ranks(n: usize, dag: &[(usize, usize)]) -> Vec<usize> {
    let mut indegree = vec![0usize; n];
    let mut succ: Vec<Vec<usize>> = vec![Vec::new(); n];
    for &(a, b) in dag {
        indegree[b] += 1;
        succ[a].push(b);
    }
    let mut order = Vec::with_capacity(n);
    let mut ready: BTreeSet<usize> = (0..n).filter(|&v| indegree[v] == 0).collect();
    let mut rank = vec![0usize; n];
    while let Some(v) = ready.pop_first() {
        order.push(v);
        for &w in &succ[v] {
            rank[w] = rank[w].max(rank[v] + 1);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.insert(w);
            }
        }
    }
    let has_pred: Vec<bool> = {
        let mut p = vec![false; n];
        for &(_, b) in dag {
            p[b] = true;
        }
        p
    };
    for &v in order.iter().rev() {
        if !has_pred[v]
            && let Some(min) = succ[v].iter().map(|&w| rank[w]).min()
        {
            rank[v] = rank[v].max(min.saturating_sub(1));
        }
    }
    rank
}

/// Lays out `n` nodes joined by `edges` (source, target); `loops_label` says whether
/// self-edges carry a label that needs room.
pub fn layout(n: usize, edges: &[(usize, usize)]) -> Layout {
    let dag = acyclic(n, edges);
    let rank = assign_ranks(n, &dag);
    let layers = Layers::build(n, &rank, &dag);
    let mut order = layers.initial_order();
    let crossings = reduce_crossings(&layers, &mut order);
    let mut has_loop = vec![false; n];
    for &(a, b) in edges {
        if a == b && a < n {
            has_loop[a] = true;
        }
    }
    let ys = place(&layers, &order, &has_loop);
    let x_of = |r: usize| MARGIN + NODE_W / 2.0 + r as f64 * (NODE_W + RANK_GAP);
    let top = (0..layers.rank.len())
        .map(|v| ys[v] - layers.height(v, &has_loop) / 2.0)
        .fold(f64::INFINITY, f64::min);
    let bottom = (0..layers.rank.len())
        .map(|v| ys[v] + layers.half_below(v))
        .fold(f64::NEG_INFINITY, f64::max);
    let shift = if top.is_finite() {
        MARGIN - top
    } else {
        MARGIN
    };
    let point = |v: usize| Point {
        x: x_of(layers.rank[v]),
        y: ys[v] + shift,
    };
    let centres: Vec<Point> = (0..n).map(point).collect();
    let routes = edges
        .iter()
        .map(|&(a, b)| route(&layers, a, b, &point))
        .collect();
    let rank_count = rank.iter().max().map_or(0, |r| r + 1);
    Layout {
        centres,
        ranks: rank,
        routes,
        width: 2.0 * MARGIN
            + rank_count as f64 * NODE_W
            + rank_count.saturating_sub(1) as f64 * RANK_GAP,
        height: if bottom.is_finite() {
            bottom + shift + MARGIN
        } else {
            2.0 * MARGIN
        },
        crossings,
    }
}

/// The layered graph: real nodes, then one dummy vertex per column a long edge passes.
struct Layers {
    real: usize,
    /// Rank of every vertex (real and dummy).
    rank: Vec<usize>,
    segments: Vec<Segment>,
    /// Per DAG edge (a, b): the vertices it passes through, `a` first, `b` last.
    chains: BTreeMap<(usize, usize), Vec<usize>>,
    /// Per vertex, its neighbours one rank to the left and to the right.
    left: Vec<Vec<usize>>,
    right: Vec<Vec<usize>>,
}

impl Layers {
    fn build(n: usize, rank: &[usize], dag: &[(usize, usize)]) -> Layers {
        let mut all_rank = rank.to_vec();
        let mut segments = Vec::new();
        let mut chains = BTreeMap::new();
        for &(a, b) in dag {
            let mut chain = vec![a];
            for r in rank[a] + 1..rank[b] {
                all_rank.push(r);
                chain.push(all_rank.len() - 1);
            }
            chain.push(b);
            for w in chain.windows(2) {
                segments.push(Segment {
                    from: w[0],
                    to: w[1],
                });
            }
            chains.insert((a, b), chain);
        }
        let mut left = vec![Vec::new(); all_rank.len()];
        let mut right = vec![Vec::new(); all_rank.len()];
        for s in &segments {
            right[s.from].push(s.to);
            left[s.to].push(s.from);
        }
        Layers {
            real: n,
            rank: all_rank,
            segments,
            chains,
            left,
            right,
        }
    }

    fn initial_order(&self) -> Vec<Vec<usize>> {
        let count = self.rank.iter().max().map_or(0, |r| r + 1);
        let mut order = vec![Vec::new(); count];
        for (v, &r) in self.rank.iter().enumerate() {
            order[r].push(v);
        }
        order
    }

    fn height(&self, v: usize, has_loop: &[bool]) -> f64 {
        if v >= self.real {
            DUMMY_H
        } else if has_loop[v] {
            NODE_H + 2.0 * LOOP_ROOM
        } else {
            NODE_H
        }
    }

    fn half_below(&self, v: usize) -> f64 {
        if v >= self.real {
            DUMMY_H / 2.0
        } else {
            NODE_H / 2.0
        }
    }
}

/// Barycenter sweeps, right then left, keeping the order with the fewest crossings.
fn reduce_crossings(layers: &Layers, order: &mut [Vec<usize>]) -> usize {
    let mut best = order.to_vec();
    let mut best_count = count_crossings(layers, order);
    for sweep in 0..SWEEPS {
        if best_count == 0 {
            break;
        }
        let rightwards = sweep % 2 == 0;
        let ranks: Vec<usize> = if rightwards {
            (1..order.len()).collect()
        } else {
            (0..order.len().saturating_sub(1)).rev().collect()
        };
        for r in ranks {
            let fixed = if rightwards { r - 1 } else { r + 1 };
            let mut pos = vec![0usize; layers.rank.len()];
            for (i, &v) in order[fixed].iter().enumerate() {
                pos[v] = i;
            }
            let neighbours = if rightwards {
                &layers.left
            } else {
                &layers.right
            };
            let mut keyed: Vec<(f64, usize, usize)> = order[r]
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let ns = &neighbours[v];
                    let bary = if ns.is_empty() {
                        i as f64
                    } else {
                        ns.iter().map(|&w| pos[w] as f64).sum::<f64>() / ns.len() as f64
                    };
                    (bary, i, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            order[r] = keyed.into_iter().map(|(_, _, v)| v).collect();
        }
        let count = count_crossings(layers, order);
        if count < best_count {
            best_count = count;
            best = order.to_vec();
        }
    }
    order.clone_from_slice(&best);
    best_count
}

/// Crossings between every pair of adjacent columns: two segments cross when their ends
/// are in opposite order on the two sides.
pub(crate) fn count_crossings_of(
    order: &[Vec<usize>],
    segments: &[(usize, usize)],
    vertices: usize,
) -> usize {
    let mut pos = vec![0usize; vertices];
    let mut rank_of = vec![0usize; vertices];
    for (r, layer) in order.iter().enumerate() {
        for (i, &v) in layer.iter().enumerate() {
            pos[v] = i;
            rank_of[v] = r;
        }
    }
    let mut by_rank: Vec<Vec<(usize, usize)>> = vec![Vec::new(); order.len()];
    for &(a, b) in segments {
        by_rank[rank_of[a]].push((pos[a], pos[b]));
    }
    let mut total = 0;
    for segs in &mut by_rank {
        segs.sort_unstable();
        for i in 0..segs.len() {
            for j in i + 1..segs.len() {
                if segs[i].0 < segs[j].0 && segs[i].1 > segs[j].1 {
                    total += 1;
                }
            }
        }
    }
    total
}

fn count_crossings(layers: &Layers, order: &[Vec<usize>]) -> usize {
    let segs: Vec<(usize, usize)> = layers.segments.iter().map(|s| (s.from, s.to)).collect();
    count_crossings_of(order, &segs, layers.rank.len())
}

/// Vertical centres: each column stacked, then pulled towards its neighbours' centres a few
/// times, keeping the column's order and gaps (the average of the packing pushed down from
/// the top and the one pushed up from the bottom is still a valid packing).
fn place(layers: &Layers, order: &[Vec<usize>], has_loop: &[bool]) -> Vec<f64> {
    let h = |v: usize| layers.height(v, has_loop);
    let mut y = vec![0.0; layers.rank.len()];
    for layer in order {
        let total: f64 = layer.iter().map(|&v| h(v) + NODE_GAP).sum::<f64>() - NODE_GAP;
        let mut at = -total / 2.0;
        for &v in layer {
            y[v] = at + h(v) / 2.0;
            at += h(v) + NODE_GAP;
        }
    }
    for pass in 0..ALIGN_PASSES {
        let rightwards = pass % 2 == 0;
        let ranks: Vec<usize> = if rightwards {
            (1..order.len()).collect()
        } else {
            (0..order.len().saturating_sub(1)).rev().collect()
        };
        for r in ranks {
            let neighbours = if rightwards {
                &layers.left
            } else {
                &layers.right
            };
            let wanted: Vec<f64> = order[r]
                .iter()
                .map(|&v| {
                    let ns = &neighbours[v];
                    if ns.is_empty() {
                        y[v]
                    } else {
                        ns.iter().map(|&w| y[w]).sum::<f64>() / ns.len() as f64
                    }
                })
                .collect();
            let sizes: Vec<f64> = order[r].iter().map(|&v| h(v)).collect();
            for (v, new_y) in order[r].iter().zip(pack(&wanted, &sizes)) {
                y[*v] = new_y;
            }
        }
    }
    y
}

/// Centres as near `wanted` as one push down and one push up allow, averaged.
fn pack(wanted: &[f64], sizes: &[f64]) -> Vec<f64> {
    let n = wanted.len();
    let sep = |i: usize| (sizes[i] + sizes[i + 1]) / 2.0 + NODE_GAP;
    let mut down = wanted.to_vec();
    for i in 1..n {
        down[i] = down[i].max(down[i - 1] + sep(i - 1));
    }
    let mut up = wanted.to_vec();
    for i in (0..n.saturating_sub(1)).rev() {
        up[i] = up[i].min(up[i + 1] - sep(i));
    }
    down.iter().zip(&up).map(|(a, b)| (a + b) / 2.0).collect()
}

/// The points an input edge passes: from the right side of the left node through the dummy
/// vertices to the left side of the right node, turned around for edges that were reversed.
fn route(layers: &Layers, a: usize, b: usize, point: &impl Fn(usize) -> Point) -> Route {
    if a == b {
        return Route::Loop(point(a));
    }
    let (chain, reversed) = match (layers.chains.get(&(a, b)), layers.chains.get(&(b, a))) {
        (Some(c), _) => (c, false),
        (None, Some(c)) => (c, true),
        (None, None) => return Route::Path(vec![point(a), point(b)]),
    };
    let last = chain.len() - 1;
    let mut points: Vec<Point> = chain
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let p = point(v);
            let dx = if i == 0 {
                NODE_W / 2.0
            } else if i == last {
                -NODE_W / 2.0
            } else {
                0.0
            };
            Point {
                x: p.x + dx,
                y: p.y,
            }
        })
        .collect();
    if reversed {
        points.reverse();
    }
    Route::Path(points)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svgish(l: &Layout) -> String {
        format!("{:?}", l)
    }

    #[test]
    fn a_chain_goes_left_to_right() {
        let l = layout(3, &[(0, 1), (1, 2)]);
        assert_eq!(l.ranks, [0, 1, 2]);
        assert!(l.centres[0].x < l.centres[1].x && l.centres[1].x < l.centres[2].x);
        assert_eq!(l.crossings, 0);
    }

    #[test]
    fn cycles_are_broken_and_every_edge_still_routed() {
        let edges = [(0, 1), (1, 2), (2, 0)];
        let l = layout(3, &edges);
        let mut ranks = l.ranks.clone();
        ranks.sort_unstable();
        assert_eq!(ranks, [0, 1, 2]);
        assert_eq!(l.routes.len(), 3);
        // The edge closing the cycle runs right to left, ending at its own target.
        let Route::Path(back) = &l.routes[2] else {
            panic!("a path")
        };
        let end = back.last().unwrap();
        assert!(
            (end.x - (l.centres[0].x + NODE_W / 2.0)).abs() < 1e-9,
            "{back:?}"
        );
    }

    #[test]
    fn self_edges_are_loops_with_room_above() {
        let l = layout(2, &[(0, 0), (0, 1)]);
        assert_eq!(l.routes[0], Route::Loop(l.centres[0]));
        assert!(l.centres[0].y - NODE_H / 2.0 >= MARGIN + LOOP_ROOM - 1e-9);
        assert_eq!(l.ranks, [0, 1]);
    }

    #[test]
    fn long_edges_pass_through_every_column_between() {
        let l = layout(3, &[(0, 1), (1, 2), (0, 2)]);
        let Route::Path(p) = &l.routes[2] else {
            panic!("a path")
        };
        assert_eq!(p.len(), 3, "{p:?}");
    }

    #[test]
    fn barycenter_sweeps_untangle_a_crossed_pair() {
        // 0→3 and 1→2 cross in input order; the sweep must swap one column.
        let edges = [(0, 3), (1, 2)];
        let layers = Layers::build(
            4,
            &assign_ranks(4, &acyclic(4, &edges)),
            &acyclic(4, &edges),
        );
        let mut order = layers.initial_order();
        assert_eq!(count_crossings(&layers, &order), 1);
        assert_eq!(reduce_crossings(&layers, &mut order), 0);
    }

    #[test]
    fn crossings_are_counted_on_known_graphs() {
        // K(3,3) in two columns crosses C(3,2)² = 9 times in any order.
        let k33: Vec<(usize, usize)> = (0..3).flat_map(|a| (3..6).map(move |b| (a, b))).collect();
        assert_eq!(layout(6, &k33).crossings, 9);
        // A ladder given twisted (i → 7-i) starts with C(4,2) = 6 crossings and untwists to 0.
        let twisted: Vec<(usize, usize)> = (0..4).map(|i| (i, 7 - i)).collect();
        let dag = acyclic(8, &twisted);
        let layers = Layers::build(8, &assign_ranks(8, &dag), &dag);
        assert_eq!(count_crossings(&layers, &layers.initial_order()), 6);
        assert_eq!(layout(8, &twisted).crossings, 0);
    }

    #[test]
    fn same_input_same_layout() {
        let edges = [(0, 1), (2, 1), (1, 3), (3, 1), (4, 4), (0, 3)];
        assert_eq!(svgish(&layout(5, &edges)), svgish(&layout(5, &edges)));
    }

    #[test]
    fn nodes_of_a_column_never_overlap() {
        let edges: Vec<(usize, usize)> =
            (1..12).map(|i| (i, 0)).chain([(0, 12), (5, 12)]).collect();
        let l = layout(13, &edges);
        for a in 0..13 {
            for b in a + 1..13 {
                if l.ranks[a] == l.ranks[b] {
                    assert!(
                        (l.centres[a].y - l.centres[b].y).abs() >= NODE_H + NODE_GAP - 1e-6,
                        "{a} {b}"
                    );
                }
            }
        }
        assert!(
            l.centres
                .iter()
                .all(|c| c.y - NODE_H / 2.0 >= MARGIN - 1e-6 && c.y + NODE_H / 2.0 <= l.height)
        );
    }
}

//! Blip placement: (entry id, quadrant, ring) → a position and size inside that ring-and-
//! quadrant segment. Deterministic and free of overlaps:
//!
//! 1. Each entry gets a target point in its segment from a hash of its id (never from its
//!    position in the file), so adding an entry does not move the others' targets.
//! 2. A hexagonal grid of candidate centres, spaced one blip diameter plus a gap and inset so
//!    a whole blip stays inside the segment (clear of ring edges, quadrant axes and the ring
//!    label axis), gives the capacity. Too few candidates: the segment's blips shrink (10%
//!    per step) until they fit, so a crowded segment never overlaps, it only draws smaller.
//! 3. Entries in id order take the free candidate nearest their target; then a relaxation
//!    pass walks each blip towards its target while it stays clear of the edges and at least
//!    one spacing from every other blip, so the picture does not look like a grid.
//!
//! Coordinates are SVG ones: origin at the centre, y pointing down; quadrant `q` of `n` spans
//! the angles `[q, q+1] · 2π/n` clockwise from the positive x axis, so with four quadrants
//! index 0 is bottom-right, 1 bottom-left, 2 top-left and 3 top-right.

use std::collections::BTreeMap;
use std::f64::consts::{PI, TAU};

/// Outer radius of the radar.
pub const RADIUS: f64 = 400.0;
/// Largest blip extent: the radius of everything a blip draws (shape, marks).
pub const MAX_EXTENT: f64 = 13.0;
/// Smallest extent tried; a segment that still cannot hold its entries leaves the rest out.
pub const MIN_EXTENT: f64 = 0.2;
/// Gap between a blip and its ring's edges or its quadrant's axes.
const EDGE_MARGIN: f64 = 2.0;
/// Clearance either side of the axis that carries the ring names.
pub const LABEL_MARGIN: f64 = 7.0;
/// Ring names sit on the axis pointing left (9 o'clock).
pub const LABEL_ANGLE: f64 = PI;
/// Relaxation is quadratic in a segment's size; beyond this the grid positions stay.
const RELAX_LIMIT: usize = 600;
const RELAX_PASSES: usize = 12;
/// Blips share one size unless that would make them smaller than this share of the largest.
const SHARED_FLOOR: f64 = 0.6;

/// The drawing's frame: how many quadrants, and each ring's outer radius.
#[derive(Clone, Debug, PartialEq)]
pub struct Geometry {
    pub quadrants: usize,
    /// Outer radius of each ring, innermost first; the last is `RADIUS`.
    pub ring_edges: Vec<f64>,
}

/// One entry to place.
#[derive(Clone, Copy, Debug)]
pub struct Slot<'a> {
    pub id: &'a str,
    pub quadrant: usize,
    pub ring: usize,
}

/// A placed blip: centre and extent (everything it draws lies within `extent` of the centre).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Blip {
    pub x: f64,
    pub y: f64,
    pub extent: f64,
}

impl Geometry {
    /// Rings as Zalando and Backstage draw four (130, 220, 310, 400 of 400): the innermost a
    /// little wider, the others evenly spaced.
    pub fn new(quadrants: usize, rings: usize) -> Self {
        let quadrants = quadrants.max(1);
        let rings = rings.max(1);
        let ring_edges = if rings == 1 {
            vec![RADIUS]
        } else {
            let first = RADIUS * 0.325;
            (0..rings)
                .map(|i| first + (RADIUS - first) * i as f64 / (rings - 1) as f64)
                .collect()
        };
        Geometry {
            quadrants,
            ring_edges,
        }
    }

    /// Inner and outer radius of a ring.
    pub fn ring_bounds(&self, ring: usize) -> (f64, f64) {
        let outer = self.ring_edges[ring.min(self.ring_edges.len() - 1)];
        let inner = if ring == 0 {
            0.0
        } else {
            self.ring_edges[ring - 1]
        };
        (inner, outer)
    }

    /// Start and end angle of a quadrant.
    pub fn quadrant_angles(&self, quadrant: usize) -> (f64, f64) {
        let step = TAU / self.quadrants as f64;
        (quadrant as f64 * step, (quadrant + 1) as f64 * step)
    }

    /// The axes between quadrants (none for a single quadrant).
    pub fn axis_angles(&self) -> Vec<f64> {
        if self.quadrants < 2 {
            return Vec::new();
        }
        (0..self.quadrants)
            .map(|q| self.quadrant_angles(q).0)
            .collect()
    }

    /// Whether a blip of `extent` centred at (x, y) lies wholly inside the segment, clear of
    /// its edges, of the quadrant axes and of the ring-label axis.
    pub fn fits(&self, quadrant: usize, ring: usize, x: f64, y: f64, extent: f64) -> bool {
        let (inner, outer) = self.ring_bounds(ring);
        let rho = x.hypot(y);
        if rho + extent > outer - EDGE_MARGIN {
            return false;
        }
        if inner > 0.0 && rho - extent < inner + EDGE_MARGIN {
            return false;
        }
        if self.quadrants > 1 {
            let (a0, a1) = self.quadrant_angles(quadrant);
            let theta = y.atan2(x).rem_euclid(TAU);
            if rho > 0.0 && !(a0..=a1).contains(&theta) {
                return false;
            }
            if [a0, a1]
                .iter()
                .any(|&a| ray_distance(x, y, a) < extent + EDGE_MARGIN)
            {
                return false;
            }
        }
        ray_distance(x, y, LABEL_ANGLE) >= extent + LABEL_MARGIN
    }
}

/// Distance from a point to the half-line leaving the origin at `angle`.
pub fn ray_distance(x: f64, y: f64, angle: f64) -> f64 {
    let (s, c) = angle.sin_cos();
    let along = x * c + y * s;
    if along <= 0.0 {
        x.hypot(y)
    } else {
        (x * s - y * c).abs()
    }
}

/// Centre distance two blips of this extent keep: one diameter plus a gap.
pub fn spacing(extent: f64) -> f64 {
    2.0 * extent + (extent * 0.25).max(0.4)
}

/// Places every slot; None only for entries beyond what even the smallest blips can hold.
pub fn place_blips(geo: &Geometry, slots: &[Slot]) -> Vec<Option<Blip>> {
    let mut segments: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (i, s) in slots.iter().enumerate() {
        if s.quadrant < geo.quadrants && s.ring < geo.ring_edges.len() {
            segments.entry((s.quadrant, s.ring)).or_default().push(i);
        }
    }
    // One size for every blip while the most crowded segment allows at least SHARED_FLOOR
    // of the largest; below that, only the crowded segments shrink further.
    let fitted: BTreeMap<(usize, usize), f64> = segments
        .iter()
        .map(|(&(q, ring), members)| {
            (
                (q, ring),
                fitting_grid(geo, q, ring, members.len(), MAX_EXTENT).0,
            )
        })
        .collect();
    let smallest = fitted.values().copied().fold(MAX_EXTENT, f64::min);
    let shared = smallest.max(SHARED_FLOOR * MAX_EXTENT);
    let mut out = vec![None; slots.len()];
    for ((q, ring), mut members) in segments {
        members.sort_by(|&a, &b| slots[a].id.cmp(slots[b].id).then(a.cmp(&b)));
        let targets: Vec<(f64, f64)> = members
            .iter()
            .map(|&i| target(geo, q, ring, slots[i].id))
            .collect();
        let start = fitted[&(q, ring)].min(shared);
        let (extent, candidates) = fitting_grid(geo, q, ring, members.len(), start);
        let mut positions = assign(&targets, &candidates);
        if members.len() <= RELAX_LIMIT {
            relax(geo, q, ring, extent, &targets, &mut positions);
        }
        for (&i, p) in members.iter().zip(positions) {
            out[i] = p.map(|(x, y)| Blip { x, y, extent });
        }
    }
    out
}

/// A stable 64-bit hash of an id (FNV-1a, then a SplitMix64 finaliser with a salt).
fn hash(id: &str, salt: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut z = h ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn unit(h: u64) -> f64 {
    (h >> 11) as f64 / (1u64 << 53) as f64
}

/// Where an entry would like to sit: a hashed angle and an area-uniform radius, kept away
/// from the segment's edges.
fn target(geo: &Geometry, q: usize, ring: usize, id: &str) -> (f64, f64) {
    let (a0, a1) = geo.quadrant_angles(q);
    let (inner, outer) = geo.ring_bounds(ring);
    let theta = a0 + (0.1 + 0.8 * unit(hash(id, 1))) * (a1 - a0);
    let area = 0.15 + 0.7 * unit(hash(id, 2));
    let rho = (inner * inner + area * (outer * outer - inner * inner)).sqrt();
    (rho * theta.cos(), rho * theta.sin())
}

/// The largest extent, from `start` down, whose grid holds `count` blips, with that grid.
fn fitting_grid(
    geo: &Geometry,
    q: usize,
    ring: usize,
    count: usize,
    start: f64,
) -> (f64, Vec<(f64, f64)>) {
    let mut extent = start;
    loop {
        let grid = grid(geo, q, ring, extent);
        if grid.len() >= count || extent * 0.9 < MIN_EXTENT {
            return (extent, grid);
        }
        extent *= 0.9;
    }
}

/// Hexagonal grid points at `spacing(extent)` where a blip of that extent fits; of a few
/// grid offsets, the one holding the most.
fn grid(geo: &Geometry, q: usize, ring: usize, extent: f64) -> Vec<(f64, f64)> {
    let d = spacing(extent);
    let dy = d * 3f64.sqrt() / 2.0;
    let (x0, y0, x1, y1) = segment_box(geo, q, ring);
    let rows = ((y1 - y0) / dy).ceil() as i64 + 1;
    let cols = ((x1 - x0) / d).ceil() as i64 + 1;
    let mut best: Vec<(f64, f64)> = Vec::new();
    for (ox, oy) in [(0.0, 0.0), (0.5, 0.5), (0.25, 0.0), (0.75, 0.5)] {
        let mut points = Vec::new();
        for j in -1..=rows {
            let y = y0 + (j as f64 + oy) * dy;
            let shift = if j.rem_euclid(2) == 0 { 0.0 } else { d / 2.0 };
            for i in -1..=cols {
                let x = x0 + shift + (i as f64 + ox) * d;
                if geo.fits(q, ring, x, y, extent) {
                    points.push((x, y));
                }
            }
        }
        if points.len() > best.len() {
            best = points;
        }
    }
    best
}

/// Bounding box of a segment, from its arcs sampled finely (and the origin for ring 0).
fn segment_box(geo: &Geometry, q: usize, ring: usize) -> (f64, f64, f64, f64) {
    let (a0, a1) = geo.quadrant_angles(q);
    let (inner, outer) = geo.ring_bounds(ring);
    let mut b = if inner > 0.0 {
        (f64::MAX, f64::MAX, f64::MIN, f64::MIN)
    } else {
        (0.0, 0.0, 0.0, 0.0)
    };
    for k in 0..=256 {
        let a = a0 + (a1 - a0) * k as f64 / 256.0;
        for r in [inner, outer] {
            let (x, y) = (r * a.cos(), r * a.sin());
            b = (b.0.min(x), b.1.min(y), b.2.max(x), b.3.max(y));
        }
    }
    b
}

/// Each target, in order, takes the nearest free candidate.
fn assign(targets: &[(f64, f64)], candidates: &[(f64, f64)]) -> Vec<Option<(f64, f64)>> {
    let mut free = vec![true; candidates.len()];
    targets
        .iter()
        .map(|&(tx, ty)| {
            let best = candidates
                .iter()
                .enumerate()
                .filter(|(k, _)| free[*k])
                .min_by(|(_, a), (_, b)| {
                    let da = (a.0 - tx).powi(2) + (a.1 - ty).powi(2);
                    let db = (b.0 - tx).powi(2) + (b.1 - ty).powi(2);
                    da.total_cmp(&db)
                })
                .map(|(k, &p)| (k, p));
            best.map(|(k, p)| {
                free[k] = false;
                p
            })
        })
        .collect()
}

/// Walks blips towards their targets; a move is kept only while the blip still fits and
/// keeps `spacing` from every other blip, so the no-overlap guarantee holds throughout.
fn relax(
    geo: &Geometry,
    q: usize,
    ring: usize,
    extent: f64,
    targets: &[(f64, f64)],
    positions: &mut [Option<(f64, f64)>],
) {
    let d = spacing(extent);
    for _ in 0..RELAX_PASSES {
        let mut moved = false;
        for k in 0..positions.len() {
            let Some((px, py)) = positions[k] else {
                continue;
            };
            let (tx, ty) = targets[k];
            for step in [0.5, 0.25, 0.1] {
                let (nx, ny) = (px + (tx - px) * step, py + (ty - py) * step);
                if (nx - px).hypot(ny - py) < 0.05 {
                    break;
                }
                let clear = positions.iter().enumerate().all(|(j, other)| {
                    j == k || other.is_none_or(|(ox, oy)| (ox - nx).hypot(oy - ny) >= d)
                });
                if clear && geo.fits(q, ring, nx, ny, extent) {
                    positions[k] = Some((nx, ny));
                    moved = true;
                    break;
                }
            }
        }
        if !moved {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_rings_match_the_usual_proportions() {
        let g = Geometry::new(4, 4);
        let rounded: Vec<f64> = g
            .ring_edges
            .iter()
            .map(|e| (e * 1e6).round() / 1e6)
            .collect();
        assert_eq!(rounded, [130.0, 220.0, 310.0, 400.0]);
        assert_eq!(g.ring_edges[3], RADIUS);
    }

    #[test]
    fn quadrant_zero_is_bottom_right() {
        let g = Geometry::new(4, 4);
        assert!(g.fits(0, 3, 250.0, 250.0, 5.0));
        assert!(!g.fits(0, 3, -250.0, 250.0, 5.0));
        assert!(g.fits(2, 3, -250.0, -250.0, 5.0));
    }

    #[test]
    fn blips_keep_clear_of_the_label_axis() {
        let g = Geometry::new(4, 4);
        assert!(!g.fits(2, 3, -350.0, -5.0, 4.0));
        assert!(g.fits(2, 3, -350.0, -12.0, 4.0));
    }

    #[test]
    fn hashes_are_stable() {
        // Pinned: a changed hash would move every blip of every radar.
        assert_eq!(hash("kotlin", 1), hash("kotlin", 1));
        assert_ne!(hash("kotlin", 1), hash("kotlin", 2));
        assert_eq!(hash("kotlin", 1), 0x2eea_3337_3410_38b1);
    }
}

//! Blip layout on generated radars (seeded) of 10, 100 and 400 entries: every blip lies
//! wholly inside its own ring-and-quadrant segment, no two blips are closer than one blip
//! diameter, and the same entries (in any order) give the same SVG.

use std::f64::consts::TAU;

use stagedoor::radar::layout::{Blip, Geometry, MAX_EXTENT};
use stagedoor::radar::model::{
    DescriptionFormat, Entry, Moved, Quadrant, Radar, Ring, TimelineItem, slug,
};
use stagedoor::radar::svg;

/// A small deterministic generator (64-bit LCG, high bits), so tests need no randomness.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

fn entry(id: &str, quadrant: usize, ring: usize, moved: Moved, is_new: bool) -> Entry {
    Entry {
        id: slug(id),
        title: id.to_string(),
        quadrant,
        ring,
        timeline: vec![TimelineItem {
            ring,
            date: None,
            moved,
            description: None,
        }],
        moved,
        is_new,
        active: true,
        description: String::new(),
        description_format: DescriptionFormat::Markdown,
        description_line: 1,
        description_html: String::new(),
        links: Vec::new(),
        tags: Vec::new(),
        entities: Vec::new(),
        line: 1,
    }
}

fn radar(quadrants: usize, rings: usize, entries: Vec<Entry>) -> Radar {
    Radar {
        id: "gen".into(),
        title: "Generated".into(),
        file: "gen.json".into(),
        format: stagedoor::radar::model::Format::Backstage,
        date: None,
        quadrants: (0..quadrants)
            .map(|q| Quadrant {
                id: format!("q{q}"),
                name: format!("Quadrant {q}"),
            })
            .collect(),
        rings: (0..rings)
            .map(|r| Ring {
                id: format!("r{r}"),
                name: format!("Ring {r}"),
                color: "#5BA300".into(),
                description: None,
            })
            .collect(),
        entries,
        problem: None,
    }
}

/// `n` entries spread over the segments by a seeded generator; inner rings get fewer, as
/// real radars do, but every segment can be hit.
fn generated(n: usize, seed: u64, quadrants: usize, rings: usize) -> Radar {
    let mut rng = Lcg(seed);
    let entries = (0..n)
        .map(|i| {
            let q = rng.below(quadrants as u64) as usize;
            let r = rng.below(rings as u64) as usize;
            let moved = [Moved::No, Moved::No, Moved::In, Moved::Out][rng.below(4) as usize];
            let is_new = rng.below(5) == 0;
            entry(
                &format!("Tech {i} {}", rng.below(1000)),
                q,
                r,
                moved,
                is_new,
            )
        })
        .collect();
    radar(quadrants, rings, entries)
}

/// Independent of the layout's own test: the blip's disc within the ring's annulus, its
/// centre within the quadrant's angles, its disc clear of both quadrant axes.
fn assert_inside(geo: &Geometry, quadrant: usize, ring: usize, b: &Blip, what: &str) {
    let (inner, outer) = geo.ring_bounds(ring);
    let rho = b.x.hypot(b.y);
    assert!(
        rho + b.extent <= outer,
        "{what}: beyond its ring ({rho} + {})",
        b.extent
    );
    assert!(
        rho - b.extent >= inner,
        "{what}: inside the inner edge ({rho} - {})",
        b.extent
    );
    if geo.quadrants > 1 {
        let (a0, a1) = geo.quadrant_angles(quadrant);
        let theta = b.y.atan2(b.x).rem_euclid(TAU);
        assert!(
            theta >= a0 && theta <= a1,
            "{what}: angle {theta} outside [{a0}, {a1}]"
        );
        for a in [a0, a1] {
            let to_axis = (b.x * a.sin() - b.y * a.cos()).abs();
            assert!(to_axis >= b.extent, "{what}: crosses the axis at {a}");
        }
    }
}

/// Every entry placed, inside its segment, and no two closer than their radii allow (one
/// diameter when both are the same size).
fn check_layout(radar: &Radar) -> Vec<Blip> {
    let geo = svg::geometry(radar);
    let placed = svg::placed_blips(radar);
    assert_eq!(placed.len(), radar.entries.len());
    let blips: Vec<(usize, Blip)> = placed
        .iter()
        .map(|&(i, n, b)| (i, b.unwrap_or_else(|| panic!("blip {n} was not placed"))))
        .collect();
    for (i, b) in &blips {
        let e = &radar.entries[*i];
        assert_inside(&geo, e.quadrant, e.ring, b, &e.id);
        assert!(b.extent > 0.0 && b.extent <= MAX_EXTENT);
    }
    for (k, (i, a)) in blips.iter().enumerate() {
        for (j, b) in &blips[k + 1..] {
            let d = (a.x - b.x).hypot(a.y - b.y);
            assert!(
                d >= a.extent + b.extent,
                "{} and {} overlap: {d} < {} + {}",
                radar.entries[*i].id,
                radar.entries[*j].id,
                a.extent,
                b.extent
            );
        }
    }
    blips.into_iter().map(|(_, b)| b).collect()
}

#[test]
fn ten_entries_fit_at_full_size() {
    let r = generated(10, 1, 4, 4);
    let blips = check_layout(&r);
    assert!(blips.iter().all(|b| b.extent == MAX_EXTENT));
}

#[test]
fn a_hundred_entries_share_one_size() {
    for seed in [2, 3, 4] {
        let r = generated(100, seed, 4, 4);
        let blips = check_layout(&r);
        let first = blips[0].extent;
        assert!(blips.iter().all(|b| b.extent == first), "seed {seed}");
    }
}

#[test]
fn four_hundred_entries_shrink_and_never_overlap() {
    for seed in [5, 6] {
        let r = generated(400, seed, 4, 4);
        let blips = check_layout(&r);
        assert!(blips.iter().any(|b| b.extent < MAX_EXTENT), "seed {seed}");
    }
}

#[test]
fn one_crowded_segment_shrinks_only_its_own_blips() {
    // 400 entries in the innermost ring of one quadrant, one entry elsewhere.
    let mut entries: Vec<Entry> = (0..400)
        .map(|i| entry(&format!("crowded {i}"), 2, 0, Moved::No, i % 7 == 0))
        .collect();
    entries.push(entry("alone", 0, 3, Moved::In, false));
    let r = radar(4, 4, entries);
    let blips = check_layout(&r);
    let alone = svg::placed_blips(&r)
        .into_iter()
        .find(|&(i, _, _)| r.entries[i].id == "alone")
        .and_then(|(_, _, b)| b)
        .unwrap();
    assert!(blips.iter().map(|b| b.extent).fold(f64::MAX, f64::min) < 0.6 * MAX_EXTENT);
    assert!(alone.extent >= 0.6 * MAX_EXTENT, "{alone:?}");
}

#[test]
fn other_shapes_of_radar_keep_the_guarantees() {
    for (q, rings) in [(1, 1), (2, 3), (3, 6), (6, 2), (8, 8)] {
        check_layout(&generated(120, 7, q, rings));
    }
}

#[test]
fn the_same_entries_in_any_order_give_the_same_svg() {
    for n in [10, 100, 400] {
        let a = generated(n, 11, 4, 4);
        let b = generated(n, 11, 4, 4);
        assert_eq!(svg::render_svg(&a), svg::render_svg(&b), "{n} entries");
        let mut shuffled = a.clone();
        shuffled.entries.reverse();
        let mid = shuffled.entries.len() / 3;
        shuffled.entries.rotate_left(mid);
        assert_eq!(
            svg::render_svg(&a),
            svg::render_svg(&shuffled),
            "{n} entries, shuffled"
        );
        assert_eq!(
            svg::render_svg(&a).matches("<a class=\"blip ").count(),
            n,
            "every blip drawn"
        );
    }
    // A different seed is a different picture: the positions do come from the ids.
    assert_ne!(
        svg::render_svg(&generated(10, 11, 4, 4)),
        svg::render_svg(&generated(10, 12, 4, 4))
    );
}

#[test]
fn adding_an_entry_moves_only_its_own_segment() {
    let base = generated(60, 21, 4, 4);
    let mut more = base.clone();
    more.entries.push(entry("newcomer", 1, 2, Moved::No, true));
    let where_is = |r: &Radar| {
        svg::placed_blips(r)
            .into_iter()
            .map(|(i, _, b)| {
                (
                    r.entries[i].id.clone(),
                    (r.entries[i].quadrant, r.entries[i].ring),
                    b.unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    let before = where_is(&base);
    let after = where_is(&more);
    for (id, segment, b) in &before {
        if *segment == (1, 2) {
            continue;
        }
        let (_, _, a) = after.iter().find(|(other, _, _)| other == id).unwrap();
        assert_eq!((a.x, a.y), (b.x, b.y), "{id} moved");
    }
}

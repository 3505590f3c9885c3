//! Radar pages: one per configured radar (the first at `radar/`, the others at `radar/<id>/`),
//! with the SVG drawn at build time, a legend per quadrant grouped by ring and numbered like
//! the blips, and each entry's description, history and the catalog entities using it. Also
//! the "Tech radar" card of entity pages (the rings of the technologies an entity uses).

use std::collections::HashMap;

use crate::catalog::EntityKey;

use anyhow::Result;
use serde::Serialize;

use super::views::{RefView, ref_views};
use super::{PageMeta, Site, to_value};
use crate::diagnostics::display_path;
use crate::output::OutputFile;
use crate::radar::model::{Moved, Radar};
use crate::radar::{Radars, svg};
use crate::urls::radar_path;

#[derive(Serialize)]
struct RadarLink {
    title: String,
    href: String,
    current: bool,
}

#[derive(Serialize)]
struct RingView {
    id: String,
    name: String,
    color: String,
    description: Option<String>,
    count: usize,
}

#[derive(Serialize)]
struct LegendItem {
    number: usize,
    id: String,
    title: String,
    is_new: bool,
    moved: &'static str,
    inactive: bool,
}

#[derive(Serialize)]
struct RingGroup {
    id: String,
    name: String,
    color: String,
    start: usize,
    items: Vec<LegendItem>,
}

#[derive(Serialize)]
struct QuadrantView {
    id: String,
    name: String,
    /// The SVG `viewBox` that shows only this quadrant (the quadrant buttons on phones).
    view: String,
    count: usize,
    rings: Vec<RingGroup>,
}

#[derive(Serialize)]
struct HistoryView {
    date: Option<String>,
    ring: String,
    color: String,
    change: &'static str,
    description: Option<String>,
}

#[derive(Serialize)]
struct LinkView {
    url: String,
    title: String,
}

#[derive(Serialize)]
struct EntryView {
    number: usize,
    id: String,
    title: String,
    quadrant: String,
    ring: String,
    ring_color: String,
    is_hold: bool,
    is_new: bool,
    moved: &'static str,
    moved_label: &'static str,
    description_html: String,
    links: Vec<LinkView>,
    history: Vec<HistoryView>,
    used_by: Vec<RefView>,
}

#[derive(Serialize)]
struct RadarView {
    id: String,
    title: String,
    format: &'static str,
    date: Option<String>,
    source: String,
    problem: Option<String>,
    svg: String,
    count: usize,
    others: Vec<RadarLink>,
    rings: Vec<RingView>,
    quadrants: Vec<QuadrantView>,
    entries: Vec<EntryView>,
    hold: Option<String>,
}

/// One technology an entity uses, for its page.
#[derive(Clone, Debug, Serialize)]
pub struct RadarUseView {
    pub title: String,
    /// Site-relative link to the entry on its radar page.
    pub url: String,
    pub ring: String,
    pub color: String,
    pub is_hold: bool,
    /// The radar's title, when the site has several.
    pub radar: Option<String>,
}

fn moved_key(m: Moved) -> &'static str {
    match m {
        Moved::In => "in",
        Moved::Out => "out",
        Moved::No => "",
    }
}

/// Renders every radar page.
pub fn render_radars(site: &Site) -> Result<Vec<OutputFile>> {
    let radars = site.radars;
    radars
        .radars
        .iter()
        .enumerate()
        .map(|(i, radar)| {
            let view = radar_view(site, radars, i);
            let meta = PageMeta {
                title: radar.title.clone(),
                section: "radar",
                description: Some(format!(
                    "{}: {} technologies, where we stand on each.",
                    radar.title,
                    radar.entries.len()
                )),
            };
            site.render(
                "radar.html",
                &radar_path(i, &radar.id),
                meta,
                &[("radar", to_value(&view))],
            )
        })
        .collect()
}

fn radar_view(site: &Site, radars: &Radars, index: usize) -> RadarView {
    let radar = &radars.radars[index];
    let placed = svg::placed_blips(radar);
    let mut number = vec![0; radar.entries.len()];
    for (i, n, _) in &placed {
        number[*i] = *n;
    }
    let hold = radar.hold_ring();
    let entries = placed
        .iter()
        .map(|&(i, n, _)| entry_view(site, radars, index, i, n, hold))
        .collect();
    RadarView {
        id: radar.id.clone(),
        title: radar.title.clone(),
        format: radar.format.label(),
        date: radar.date.clone(),
        source: display_path(&radar.file, &site.config.site_dir),
        problem: radar.problem.clone(),
        svg: svg::render_placed(radar, &placed),
        count: radar.entries.len(),
        others: radars
            .radars
            .iter()
            .enumerate()
            .map(|(j, r)| RadarLink {
                title: r.title.clone(),
                href: site.urls.href(&radar_path(j, &r.id)),
                current: j == index,
            })
            .collect(),
        rings: radar
            .rings
            .iter()
            .enumerate()
            .map(|(k, r)| RingView {
                id: r.id.clone(),
                name: r.name.clone(),
                color: r.color.clone(),
                description: r.description.clone(),
                count: radar.entries.iter().filter(|e| e.ring == k).count(),
            })
            .collect(),
        quadrants: quadrant_views(radar, &number),
        entries,
        hold: hold.map(|h| radar.rings[h].name.clone()),
    }
}

/// Legends in reading order; within each, one ordered list per ring (`start` = its first
/// blip number, so the list numbers are the blip numbers).
fn quadrant_views(radar: &Radar, number: &[usize]) -> Vec<QuadrantView> {
    let geo = svg::geometry(radar);
    radar
        .quadrant_order()
        .into_iter()
        .map(|q| {
            let quadrant = &radar.quadrants[q];
            let rings: Vec<RingGroup> = radar
                .rings
                .iter()
                .enumerate()
                .filter_map(|(k, ring)| {
                    let mut items: Vec<LegendItem> = radar
                        .entries
                        .iter()
                        .enumerate()
                        .filter(|(_, e)| e.quadrant == q && e.ring == k)
                        .map(|(i, e)| LegendItem {
                            number: number[i],
                            id: e.id.clone(),
                            title: e.title.clone(),
                            is_new: e.is_new,
                            moved: moved_key(e.moved),
                            inactive: !e.active,
                        })
                        .collect();
                    items.sort_by_key(|it| it.number);
                    let start = items.first()?.number;
                    Some(RingGroup {
                        id: ring.id.clone(),
                        name: ring.name.clone(),
                        color: ring.color.clone(),
                        start,
                        items,
                    })
                })
                .collect();
            QuadrantView {
                id: quadrant.id.clone(),
                name: quadrant.name.clone(),
                view: svg::quadrant_view_box(&geo, q),
                count: rings.iter().map(|r| r.items.len()).sum(),
                rings,
            }
        })
        .collect()
}

fn entry_view(
    site: &Site,
    radars: &Radars,
    radar_index: usize,
    i: usize,
    number: usize,
    hold: Option<usize>,
) -> EntryView {
    let radar = &radars.radars[radar_index];
    let e = &radar.entries[i];
    let ring = &radar.rings[e.ring];
    let used_by = radars
        .usage
        .by_entry
        .get(radar_index)
        .and_then(|r| r.get(i))
        .map(|refs| ref_views(site.catalog, &site.urls, refs))
        .unwrap_or_default();
    EntryView {
        number,
        id: e.id.clone(),
        title: e.title.clone(),
        quadrant: radar.quadrants[e.quadrant].name.clone(),
        ring: ring.name.clone(),
        ring_color: ring.color.clone(),
        is_hold: hold == Some(e.ring),
        is_new: e.is_new,
        moved: moved_key(e.moved),
        moved_label: e.moved.label(),
        description_html: e.description_html.clone(),
        links: e
            .links
            .iter()
            .map(|l| LinkView {
                url: l.url.clone(),
                title: l.title.clone(),
            })
            .collect(),
        history: e
            .timeline
            .iter()
            .map(|t| HistoryView {
                date: t.date.clone(),
                ring: radar.rings[t.ring].name.clone(),
                color: radar.rings[t.ring].color.clone(),
                change: t.moved.label(),
                description: t.description.clone(),
            })
            .collect(),
        used_by,
    }
}

/// Entity key → the radar entries it uses, for the entity pages' "Tech radar" card.
pub fn entity_radar_uses(site: &Site) -> HashMap<EntityKey, Vec<RadarUseView>> {
    let radars = site.radars;
    let several = radars.radars.len() > 1;
    radars
        .usage
        .by_entity
        .iter()
        .map(|(key, uses)| {
            let mut uses = uses.clone();
            uses.sort_by_key(|&(ri, ei)| {
                let e = &radars.radars[ri].entries[ei];
                (ri, e.ring, e.title.to_lowercase())
            });
            let views = uses
                .iter()
                .map(|&(ri, ei)| {
                    let radar = &radars.radars[ri];
                    let e = &radar.entries[ei];
                    let ring = &radar.rings[e.ring];
                    RadarUseView {
                        title: e.title.clone(),
                        url: format!(
                            "{}#entry-{}",
                            site.urls.href(&radar_path(ri, &radar.id)),
                            e.id
                        ),
                        ring: ring.name.clone(),
                        color: ring.color.clone(),
                        is_hold: radar.hold_ring() == Some(e.ring),
                        radar: several.then(|| radar.title.clone()),
                    }
                })
                .collect();
            (key.clone(), views)
        })
        .collect()
}

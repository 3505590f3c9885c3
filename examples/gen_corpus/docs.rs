//! The TechDocs half of the corpus: spread the pages over the repositories, plan every
//! page's headings first (so links can point at anchors that exist), then write
//! `mkdocs.yml`, the Markdown pages and the odd SVG image.

use std::collections::BTreeSet;

use crate::catalog::{Catalog, Repo, capitalise, code_vars, humanise, q, scalar};
use crate::rng::Rng;
use crate::snippets::{self, CODE};
use crate::words::*;

pub struct Heading {
    pub level: u8,
    pub text: String,
    pub slug: String,
}

pub struct Page {
    /// Relative to `docs/`, e.g. `guides/webhooks.md`.
    pub path: String,
    pub title: String,
    /// The h2/h3 headings in page order (the h1 is `title`).
    pub headings: Vec<Heading>,
    /// Target number of prose words.
    pub words: usize,
    pub image: bool,
}

pub struct RepoDocs {
    pub section: &'static str,
    pub pages: Vec<Page>,
}

/// How often (per mille of noun/metric slots) the marker words appear; drawn from the seed
/// so that search benchmarks can vary them.
pub struct Markers {
    pub payments: usize,
    pub deployment: usize,
    pub latency: usize,
}

impl Markers {
    pub fn new(rng: &mut Rng) -> Self {
        Markers {
            payments: rng.range(20, 80),
            deployment: rng.range(10, 50),
            latency: rng.range(30, 120),
        }
    }
}

/// Python-Markdown's toc `slugify`: drop everything but word characters, spaces and `-`,
/// trim, lower-case, and turn runs of spaces and `-` into one `-`.
pub fn slugify(text: &str) -> String {
    let kept: String = text
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || c.is_whitespace())
        .collect();
    let mut out = String::with_capacity(kept.len());
    let mut in_sep = false;
    for c in kept.trim().chars() {
        if c == '-' || c.is_whitespace() {
            in_sep = true;
        } else {
            if in_sep {
                out.push('-');
                in_sep = false;
            }
            out.push(c.to_ascii_lowercase());
        }
    }
    if in_sep {
        out.push('-');
    }
    out
}

/// `getting-started` → `Getting started`, `api-usage` → `API usage`.
fn sentence_case(slug: &str) -> String {
    let human = humanise(slug);
    human
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            if i == 0 || (w.len() > 1 && w.bytes().all(|b| b.is_ascii_uppercase())) || w == "SLOs" {
                w.to_string()
            } else {
                w.to_ascii_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Technologies whose display name is safe in a heading (no `#`/`+`, which Markdown
/// flavours treat differently at the end of a heading).
fn heading_techs(repo: &Repo) -> Vec<&'static str> {
    let safe = |d: &str| {
        d.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '.')
    };
    let mut out: Vec<&'static str> = TECH
        .iter()
        .filter(|(tag, d)| repo.tags.contains(tag) && safe(d))
        .map(|(_, d)| *d)
        .collect();
    if out.is_empty() {
        out.push("Kubernetes");
    }
    out
}

fn heading_text(rng: &mut Rng, repo: &Repo, techs: &[&str], template: &str) -> String {
    snippets::fill(template, |key| {
        Some(match key {
            "repo" => repo.name.clone(),
            "Tech" => rng.pick(techs).to_string(),
            "noun" => rng.pick(NOUNS).to_string(),
            "metric" => rng.pick(METRICS).to_string(),
            "imperative" => rng.pick(IMPERATIVES).to_string(),
            "major" => rng.range(1, 5).to_string(),
            "minor" => rng.range(0, 12).to_string(),
            "k" => rng.range(1, 6).to_string(),
            _ => return None,
        })
    })
}

/// Picks a page file name unused in this repository.
fn page_slug(rng: &mut Rng, used: &mut BTreeSet<String>, repo: &Repo) -> String {
    for _ in 0..6 {
        let topic = *rng.pick(PAGE_TOPICS);
        if used.insert(topic.to_string()) {
            return topic.to_string();
        }
    }
    for _ in 0..6 {
        let tag = rng.pick(&repo.tags);
        if tag.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            let name = format!("{tag}-{}", rng.pick(PAGE_TOPICS));
            if used.insert(name.clone()) {
                return name;
            }
        }
    }
    let base = rng.pick(PAGE_TOPICS);
    let mut n = 2;
    loop {
        let name = format!("{base}-{n}");
        if used.insert(name.clone()) {
            return name;
        }
        n += 1;
    }
}

fn plan_page(rng: &mut Rng, repo: &Repo, path: String, title: String, contents: bool) -> Page {
    let words = 300 + rng.below(1201).min(rng.below(1201));
    let techs = heading_techs(repo);
    let mut slugs = BTreeSet::from([slugify(&title)]);
    let mut headings = Vec::new();
    if contents {
        slugs.insert("contents".to_string());
        headings.push(Heading {
            level: 2,
            text: "Contents".into(),
            slug: "contents".into(),
        });
    }
    let h2_count = (words / 170).clamp(2, 9);
    for _ in 0..h2_count {
        let h3_count = match rng.below(20) {
            0..=9 => 0,
            10..=16 => 1,
            _ => 2,
        };
        for level in std::iter::once(2).chain(std::iter::repeat_n(3, h3_count)) {
            let templates = if level == 2 {
                H2_TEMPLATES
            } else {
                H3_TEMPLATES
            };
            let mut text = String::new();
            let mut slug = String::new();
            for attempt in 0..8 {
                let template = rng_pick_str(rng, templates);
                text = heading_text(rng, repo, &techs, template);
                if attempt == 7 {
                    text = format!("{text} ({})", headings.len() + 2);
                }
                slug = slugify(&text);
                if !slugs.contains(&slug) {
                    break;
                }
            }
            slugs.insert(slug.clone());
            headings.push(Heading { level, text, slug });
        }
    }
    Page {
        path,
        title,
        headings,
        words,
        image: rng.per_mille(50),
    }
}

fn rng_pick_str(rng: &mut Rng, items: &[&'static str]) -> &'static str {
    items[rng.below(items.len())]
}

/// Spreads `total` pages over the repositories (every documented repo gets `index.md`,
/// a few repos get many pages) and plans each page. Marks documented repos.
pub fn plan(seed: u64, catalog: &mut Catalog, total: usize) -> Vec<Option<RepoDocs>> {
    let mut rng = Rng::derive(seed, "docs-plan", 0);
    let n = catalog.repos.len();
    let mut counts = vec![0usize; n];
    if total >= n {
        counts.fill(1);
        // Skewed weights 1..=50 (product of three uniforms): most repos have a handful of
        // pages, a few have many.
        let mut cumulative = Vec::with_capacity(n);
        let mut sum = 0u64;
        for _ in 0..n {
            let w = (rng.below(100) * rng.below(100) * rng.below(100)) as u64;
            sum += 1 + w / 20_000;
            cumulative.push(sum);
        }
        for _ in 0..total - n {
            let r = ((u128::from(rng.next_u64()) * u128::from(sum)) >> 64) as u64;
            counts[cumulative.partition_point(|&c| c <= r)] += 1;
        }
    } else {
        for i in rng.sample_indices(n, total) {
            counts[i] = 1;
        }
    }
    let mut out = Vec::with_capacity(n);
    for (i, &count) in counts.iter().enumerate() {
        let repo = &mut catalog.repos[i];
        if count == 0 {
            out.push(None);
            continue;
        }
        repo.documented = true;
        let mut rng = Rng::derive(seed, "docs-outline", i as u64);
        let section = *rng.pick(SECTIONS);
        let rest = count - 1;
        let in_section = if rest == 0 { 0 } else { (rest * 2 / 5).max(1) };
        let mut used = BTreeSet::from(["index".to_string(), section.to_string()]);
        let mut pages = vec![plan_page(
            &mut rng,
            repo,
            "index.md".into(),
            repo.title.clone(),
            rest > 0,
        )];
        for j in 0..rest {
            let slug = page_slug(&mut rng, &mut used, repo);
            let path = if j >= rest - in_section {
                format!("{section}/{slug}.md")
            } else {
                format!("{slug}.md")
            };
            let title = sentence_case(&slug);
            pages.push(plan_page(&mut rng, repo, path, title, false));
        }
        out.push(Some(RepoDocs { section, pages }));
    }
    out
}

/// A docs page of another repository, for cross-repository links.
pub struct CrossTarget {
    pub repo: usize,
    pub url: String,
    pub title: String,
}

/// The portal URL of a page: `/docs/default/component/<name>/<page>/`.
fn portal_url(component: &str, path: &str) -> String {
    let stem = path.trim_end_matches(".md");
    let page = if stem == "index" {
        String::new()
    } else {
        format!("{}/", stem.trim_end_matches("/index"))
    };
    format!("/docs/default/component/{component}/{page}")
}

pub fn cross_targets(catalog: &Catalog, docs: &[Option<RepoDocs>]) -> Vec<CrossTarget> {
    let mut out = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        if let Some(d) = d {
            let repo = &catalog.repos[i];
            for p in &d.pages {
                out.push(CrossTarget {
                    repo: i,
                    url: portal_url(&repo.name, &p.path),
                    title: format!("{}: {}", repo.title, p.title),
                });
            }
        }
    }
    out
}

/// The relative link from one page to another (pages are at most one folder deep).
fn relative(from: &str, to: &str) -> String {
    let from_dir = from.rsplit_once('/').map(|(d, _)| d);
    match (from_dir, to.rsplit_once('/')) {
        (None, _) => to.to_string(),
        (Some(a), Some((b, file))) if a == b => file.to_string(),
        (Some(_), _) => format!("../{to}"),
    }
}

fn image_name(page: &Page) -> String {
    let stem = page.path.trim_end_matches(".md").replace('/', "-");
    format!("{stem}-diagram.svg")
}

/// `mkdocs.yml` of a documented repository.
pub fn mkdocs_yml(repo: &Repo, docs: &RepoDocs) -> String {
    let mut out = format!(
        "site_name: {}\nsite_description: {}\nrepo_url: https://github.com/genorg/{}\nedit_uri: edit/main/docs/\n\nnav:\n  - Home: index.md\n",
        scalar(&repo.title),
        q(&repo.description),
        repo.name
    );
    let prefix = format!("{}/", docs.section);
    for p in docs.pages.iter().skip(1) {
        if !p.path.starts_with(&prefix) {
            out.push_str(&format!("  - {}: {}\n", scalar(&p.title), p.path));
        }
    }
    let in_section: Vec<&Page> = docs
        .pages
        .iter()
        .filter(|p| p.path.starts_with(&prefix))
        .collect();
    if !in_section.is_empty() {
        out.push_str(&format!("  - {}:\n", scalar(&sentence_case(docs.section))));
        for p in in_section {
            out.push_str(&format!("      - {}: {}\n", scalar(&p.title), p.path));
        }
    }
    out.push_str("\nplugins:\n  - techdocs-core\n");
    out
}

/// A small SVG diagram: three boxes joined by arrows.
fn svg(rng: &mut Rng, labels: [&str; 3]) -> String {
    const FILLS: &[&str] = &["#e3f2fd", "#e8f5e9", "#fff3e0", "#f3e5f5", "#fce4ec"];
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"520\" height=\"140\" viewBox=\"0 0 520 140\" role=\"img\" aria-label=\"{0} data flow\">\n  <title>{0} data flow</title>\n  <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#455a64\"/></marker></defs>\n",
        labels[0]
    );
    for (i, label) in labels.iter().enumerate() {
        let x = 10 + i * 180;
        out.push_str(&format!(
            "  <rect x=\"{x}\" y=\"40\" width=\"140\" height=\"60\" rx=\"8\" fill=\"{}\" stroke=\"#455a64\"/>\n  <text x=\"{}\" y=\"75\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"12\">{label}</text>\n",
            rng.pick(FILLS),
            x + 70
        ));
        if i < 2 {
            out.push_str(&format!(
                "  <line x1=\"{}\" y1=\"70\" x2=\"{}\" y2=\"70\" stroke=\"#455a64\" stroke-width=\"2\" marker-end=\"url(#arrow)\"/>\n",
                x + 140,
                x + 180
            ));
        }
    }
    out.push_str("</svg>\n");
    out
}

/// Writes one page's Markdown.
struct Writer<'a> {
    rng: Rng,
    catalog: &'a Catalog,
    repo_index: usize,
    repo: &'a Repo,
    docs: &'a RepoDocs,
    page: &'a Page,
    cross: &'a [CrossTarget],
    markers: &'a Markers,
    techs: Vec<&'static str>,
    out: String,
    words: usize,
    footnotes: Vec<String>,
    /// The last block was a list (two lists in a row would merge into one).
    after_list: bool,
    /// (language, template) pairs already used on this page.
    code_used: BTreeSet<(usize, usize)>,
}

/// `a` → `an` before a vowel: "a immutable log" → "an immutable log".
fn fix_articles(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut words = text.split(' ').peekable();
    while let Some(w) = words.next() {
        out.push_str(w);
        if (w == "a" || w == "A")
            && words
                .peek()
                .is_some_and(|n| n.starts_with(['a', 'e', 'i', 'o', 'u']))
        {
            out.push('n');
        }
        out.push(' ');
    }
    out.pop();
    out
}

impl Writer<'_> {
    fn team(&self) -> &str {
        self.catalog.team_name(self.repo)
    }

    fn noun(&mut self) -> String {
        if self.rng.per_mille(self.markers.payments) {
            "payments".into()
        } else if self.rng.per_mille(self.markers.deployment) {
            "deployment".into()
        } else {
            rng_pick_str(&mut self.rng, NOUNS).into()
        }
    }

    fn metric(&mut self) -> String {
        if self.rng.per_mille(self.markers.latency) {
            "latency".into()
        } else {
            rng_pick_str(&mut self.rng, METRICS).into()
        }
    }

    fn tech(&mut self) -> String {
        if self.rng.percent(70) {
            self.rng.pick(&self.techs).to_string()
        } else {
            self.rng.pick(TECH).1.to_string()
        }
    }

    /// Fills a prose template.
    fn prose(&mut self, template: &str) -> String {
        let mut text = snippets::fill(template, |key| {
            Some(match key {
                "repo" => self.repo.name.clone(),
                "noun" | "noun2" => self.noun(),
                "metric" | "metric2" => self.metric(),
                "Tech" | "Tech2" => self.tech(),
                "verb" => rng_pick_str(&mut self.rng, VERBS).into(),
                "adj" => rng_pick_str(&mut self.rng, ADJECTIVES).into(),
                "imperative" => rng_pick_str(&mut self.rng, IMPERATIVES).into(),
                "ident" => rng_pick_str(&mut self.rng, IDENTS).into(),
                "value" => rng_pick_str(&mut self.rng, VALUES).into(),
                "env" => rng_pick_str(&mut self.rng, ENVS).into(),
                "task" => rng_pick_str(&mut self.rng, TASKS).into(),
                "team" => self.team().to_string(),
                "num" => self.rng.range(100, 5000).to_string(),
                "k" | "k2" => self.rng.range(2, 9).to_string(),
                "ms" => (10 * self.rng.range(5, 80)).to_string(),
                _ => return None,
            })
        });
        text = fix_articles(&text);
        if let Some(first) = text.get(..1)
            && first.bytes().all(|b| b.is_ascii_lowercase())
            && !template.starts_with("@repo@")
        {
            text = capitalise(&text);
        }
        text
    }

    fn push_block(&mut self, block: &str) {
        self.after_list = block.starts_with("- ") || block.starts_with("1. ");
        let mut in_code = false;
        for line in block.lines() {
            if line.trim_start().starts_with("```") {
                in_code = !in_code;
            } else if !in_code {
                self.words += line.split_whitespace().count();
            }
        }
        self.out.push_str(block);
        self.out.push_str("\n\n");
    }

    /// A link sentence to another page of this repo, a heading of this page, or another
    /// repository's docs.
    fn link_sentence(&mut self, force_local: bool) -> Option<String> {
        let (docs, page) = (self.docs, self.page);
        let pages = &docs.pages;
        let roll = if force_local { 0 } else { self.rng.below(100) };
        if roll < 60 && pages.len() > 1 {
            let mut j = self.rng.below(pages.len());
            while std::ptr::eq(&pages[j], page) {
                j = self.rng.below(pages.len());
            }
            let target = &pages[j];
            let href = relative(&page.path, &target.path);
            let (text, href) = if !target.headings.is_empty() && self.rng.percent(70) {
                let h = self.rng.pick(&target.headings);
                (h.text.clone(), format!("{href}#{}", h.slug))
            } else {
                (target.title.clone(), href)
            };
            let form = *self.rng.pick(&[
                "See [{}]({}) for the details.",
                "The steps are described in [{}]({}).",
                "Related reading: [{}]({}).",
                "This builds on [{}]({}).",
            ]);
            return Some(form.replacen("{}", &text, 1).replacen("{}", &href, 1));
        }
        if roll < 80 && !page.headings.is_empty() {
            let h = self.rng.pick(&page.headings);
            return Some(format!(
                "More on that under [{}](#{}) below.",
                h.text, h.slug
            ));
        }
        if !self.cross.is_empty() {
            let t = &self.cross[self.rng.below(self.cross.len())];
            if t.repo != self.repo_index {
                let noun = self.noun();
                return Some(format!(
                    "The [{}]({}) docs describe the {noun} on their side.",
                    t.title, t.url
                ));
            }
        }
        None
    }

    fn paragraph(&mut self, link: bool) {
        self.paragraph_of(2, 5, link);
    }

    fn paragraph_of(&mut self, min: usize, max: usize, link: bool) {
        let n = self.rng.range(min, max);
        let mut sentences: Vec<String> = self
            .rng
            .sample_indices(SENTENCES.len(), n)
            .into_iter()
            .map(|i| self.prose(SENTENCES[i]))
            .collect();
        if self.rng.percent(25) && self.footnotes.len() < 3 {
            let note = rng_pick_str(&mut self.rng, FOOTNOTES);
            let note = self.prose(note);
            self.footnotes.push(note);
            let last = sentences.len() - 1;
            sentences[last].push_str(&format!("[^{}]", self.footnotes.len()));
        }
        if (link || self.rng.percent(20))
            && let Some(s) = self.link_sentence(link)
        {
            sentences.push(s);
        }
        let text = sentences.join(" ");
        self.push_block(&text);
    }

    fn code_lang(&mut self) -> usize {
        let want = match self.repo.language {
            "java" => "kotlin",
            other => other,
        };
        if self.rng.percent(40)
            && let Some(i) = CODE.iter().position(|(lang, _, _)| *lang == want)
        {
            return i;
        }
        self.rng.below(CODE.len())
    }

    fn code(&mut self, lang: usize) -> String {
        let (fence, _, templates) = CODE[lang];
        let mut t = self.rng.below(templates.len());
        if !self.code_used.insert((lang, t)) {
            t = (t + 1) % templates.len();
            self.code_used.insert((lang, t));
        }
        let template = templates[t];
        let team = self.team().to_string();
        let vars = code_vars(&self.repo.name, &team, &mut self.rng);
        format!("```{fence}\n{}\n```", snippets::fill(template, vars))
    }

    fn indent(text: &str) -> String {
        text.lines()
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!("    {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn admonition(&mut self) {
        let (marker, kind, titled) = *self.rng.pick(&[
            ("!!!", "note", true),
            ("!!!", "warning", false),
            ("???", "tip", true),
            ("???+", "info", true),
            ("!!!", "danger", true),
            ("!!!", "note", false),
        ]);
        let mut head = format!("{marker} {kind}");
        if titled {
            let title = rng_pick_str(&mut self.rng, ADMONITION_TITLES);
            head.push_str(&format!(" \"{title}\""));
        }
        let mut body = Vec::new();
        for _ in 0..self.rng.range(1, 2) {
            let s: Vec<String> = (0..self.rng.range(1, 3))
                .map(|_| {
                    let t = rng_pick_str(&mut self.rng, SENTENCES);
                    self.prose(t)
                })
                .collect();
            body.push(s.join(" "));
        }
        if self.rng.percent(20) {
            let lang = self.code_lang();
            body.push(self.code(lang));
        }
        let block = format!("{head}\n\n{}", Self::indent(&body.join("\n\n")));
        self.push_block(&block);
    }

    fn tabs(&mut self) {
        let count = self.rng.range(2, 3);
        let langs = self.rng.sample_indices(CODE.len(), count);
        let mut block = Vec::new();
        for lang in langs {
            let label = CODE[lang].1;
            let code = self.code(lang);
            block.push(format!("=== \"{label}\"\n\n{}", Self::indent(&code)));
        }
        let block = block.join("\n\n");
        self.push_block(&block);
    }

    fn bullets(&mut self) {
        let n = self.rng.range(3, 6);
        let nested_at = self.rng.percent(25).then(|| self.rng.below(n));
        let mut lines = Vec::new();
        for i in 0..n {
            let t = rng_pick_str(&mut self.rng, LIST_ITEMS);
            lines.push(format!("- {}", capitalise(&self.prose(t))));
            if nested_at == Some(i) {
                for _ in 0..2 {
                    let t = rng_pick_str(&mut self.rng, LIST_ITEMS);
                    lines.push(format!("  - {}", self.prose(t)));
                }
            }
        }
        self.push_block(&lines.join("\n"));
    }

    fn steps(&mut self, tasks: bool) {
        let n = self.rng.range(3, 6);
        let lines: Vec<String> = (0..n)
            .map(|i| {
                let t = rng_pick_str(&mut self.rng, STEPS);
                let text = self.prose(t);
                if tasks {
                    let mark = if self.rng.percent(50) { "x" } else { " " };
                    format!("- [{mark}] {text}")
                } else {
                    format!("{}. {text}", i + 1)
                }
            })
            .collect();
        self.push_block(&lines.join("\n"));
    }

    fn table(&mut self) {
        let rows = self.rng.range(3, 6);
        let mut lines = Vec::new();
        match self.rng.below(3) {
            0 => {
                lines.push("| Setting | Default | Description |".to_string());
                lines.push("| --- | --- | --- |".to_string());
                for _ in 0..rows {
                    let ident = rng_pick_str(&mut self.rng, IDENTS);
                    let value = rng_pick_str(&mut self.rng, VALUES);
                    let noun = self.noun();
                    let verb = rng_pick_str(&mut self.rng, VERBS);
                    lines.push(format!(
                        "| `{ident}` | `{value}` | How the service {verb} the {noun}. |"
                    ));
                }
            }
            1 => {
                lines.push("| Metric | Target | Alert after |".to_string());
                lines.push("| --- | ---: | --- |".to_string());
                for _ in 0..rows {
                    let metric = capitalise(&self.metric());
                    let target = 10 * self.rng.range(5, 80);
                    let after = self.rng.range(2, 15);
                    lines.push(format!("| {metric} | < {target} ms | {after} min |"));
                }
            }
            _ => {
                lines.push("| Method | Path | Purpose |".to_string());
                lines.push("| :---: | --- | --- |".to_string());
                for _ in 0..rows {
                    let method = *self.rng.pick(&["GET", "POST", "PUT", "DELETE", "PATCH"]);
                    let noun = self.noun().replace(' ', "-");
                    let verb = rng_pick_str(&mut self.rng, VERBS);
                    lines.push(format!(
                        "| `{method}` | `/v1/{noun}s/{{id}}` | {} the {noun}. |",
                        capitalise(verb)
                    ));
                }
            }
        }
        self.push_block(&lines.join("\n"));
    }

    /// Prose and blocks until the page has about `goal` words: at least a short paragraph,
    /// so that every heading has text under it.
    fn part(&mut self, goal: usize) {
        if self.words >= goal {
            self.paragraph_of(1, 2, false);
        } else {
            self.paragraph(false);
        }
        let mut blocks = 0;
        while self.words < goal && blocks < 14 {
            blocks += 1;
            match self.rng.below(100) {
                0..=39 => self.paragraph(false),
                40..=51 => {
                    let lang = self.code_lang();
                    let code = self.code(lang);
                    self.out.push_str(&code);
                    self.out.push_str("\n\n");
                    self.after_list = false;
                }
                52..=70 if self.after_list => self.paragraph(false),
                52..=60 => self.bullets(),
                61..=67 => self.steps(false),
                68..=70 => self.steps(true),
                71..=79 => self.table(),
                80..=91 => self.admonition(),
                _ => self.tabs(),
            }
        }
    }

    fn contents(&mut self) {
        let lines: Vec<String> = self
            .docs
            .pages
            .iter()
            .skip(1)
            .take(30)
            .map(|p| format!("- [{}]({})", p.title, p.path))
            .collect();
        self.push_block(&lines.join("\n"));
    }

    fn write(mut self) -> String {
        let page = self.page;
        self.out.push_str(&format!("# {}\n\n", page.title));
        let is_index = page.path == "index.md";
        let intro = if is_index {
            let team = self.team().to_string();
            let system = &self.catalog.systems[self.repo.system].name;
            format!(
                "`{}` is a {} {} owned by [{}](/catalog/default/group/{}/) and part of the [{}](/catalog/default/system/{}/) system. {}",
                self.repo.name,
                self.repo.lifecycle,
                self.repo.kind,
                team,
                team,
                humanise(system),
                system,
                self.repo.description
            )
        } else {
            let t = rng_pick_str(&mut self.rng, SENTENCES);
            format!(
                "This page covers {} for `{}`. {}",
                page.title.to_lowercase(),
                self.repo.name,
                self.prose(t)
            )
        };
        let link = if self.docs.pages.len() > 1 {
            self.link_sentence(true)
        } else {
            None
        };
        let intro = match link {
            Some(l) => format!("{intro} {l}"),
            None => intro,
        };
        self.push_block(&intro);
        if page.image {
            let noun = self.noun();
            let tech = self.tech();
            let href = relative(&page.path, &format!("images/{}", image_name(page)));
            self.push_block(&format!(
                "![How {} moves data from {tech} to the {noun}]({href})",
                self.repo.name
            ));
        }
        let parts = page.headings.len();
        for (i, h) in page.headings.iter().enumerate() {
            let hashes = "#".repeat(usize::from(h.level));
            self.out.push_str(&format!("{hashes} {}\n\n", h.text));
            if is_index && h.slug == "contents" {
                self.contents();
            } else {
                self.part(page.words * (i + 1) / parts);
            }
        }
        for (i, note) in self.footnotes.iter().enumerate() {
            self.out.push_str(&format!("[^{}]: {note}\n\n", i + 1));
        }
        let trimmed = self.out.trim_end().len();
        self.out.truncate(trimmed);
        self.out.push('\n');
        self.out
    }
}

/// Every docs file of one repository: `mkdocs.yml`, `docs/**.md`, `docs/images/*.svg`.
pub fn repo_files(
    seed: u64,
    catalog: &Catalog,
    repo_index: usize,
    docs: &RepoDocs,
    cross: &[CrossTarget],
    markers: &Markers,
) -> Vec<(String, String)> {
    let repo = &catalog.repos[repo_index];
    let mut files = vec![("mkdocs.yml".to_string(), mkdocs_yml(repo, docs))];
    for (p, page) in docs.pages.iter().enumerate() {
        let rng = Rng::derive(seed, &format!("page-{repo_index}"), p as u64);
        let writer = Writer {
            rng,
            catalog,
            repo_index,
            repo,
            docs,
            page,
            cross,
            markers,
            techs: TECH
                .iter()
                .filter(|(tag, _)| repo.tags.contains(tag))
                .map(|(_, d)| *d)
                .collect(),
            out: String::with_capacity(page.words * 9),
            words: 0,
            footnotes: Vec::new(),
            after_list: false,
            code_used: BTreeSet::new(),
        };
        let mut writer = writer;
        if writer.techs.is_empty() {
            writer.techs.push("Kubernetes");
        }
        files.push((format!("docs/{}", page.path), writer.write()));
        if page.image {
            let mut rng = Rng::derive(seed, &format!("image-{repo_index}"), p as u64);
            let tech = rng.pick(TECH).1;
            let noun = rng_pick_str(&mut rng, NOUNS);
            let svg = svg(&mut rng, [&repo.name, tech, noun]);
            files.push((format!("docs/images/{}", image_name(page)), svg));
        }
    }
    files
}

//! Diagnostics: every stage reports input problems as `Diagnostic`s (never panics), and the
//! build prints them together, sorted, the way a compiler does.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::fsutil;

/// How bad a problem is. Ordered so that `max()` gives the worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn label(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

macro_rules! codes {
    ($($variant:ident = $id:literal, $sev:ident, $summary:literal;)*) => {
        /// Every diagnostic code stagedoor emits, with its default severity and a one-line
        /// summary. `docs/reference/diagnostics.md` documents each one (a test keeps them in step).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant),* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            pub fn id(self) -> &'static str {
                match self { $(Code::$variant => $id),* }
            }

            pub fn from_id(id: &str) -> Option<Code> {
                match id { $($id => Some(Code::$variant),)* _ => None }
            }

            pub fn default_severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev),* }
            }

            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary),* }
            }
        }
    };
}

codes! {
    // Reading files
    FileUnreadable = "E001", Error, "a file could not be read (missing, unreadable or not UTF-8)";
    FileTooLarge = "E002", Error, "a file is larger than the size limit and was not read";
    YamlSyntax = "E003", Error, "a YAML document could not be parsed";
    NotAnObject = "E004", Error, "a catalog document's root is not a mapping";
    // Entity envelope and identity
    MissingField = "E010", Error, "a required envelope field (apiVersion, kind, metadata, metadata.name) is missing";
    InvalidApiVersion = "E011", Error, "apiVersion does not have the form [prefix/]version, or does not fit the kind";
    InvalidKind = "E012", Error, "kind does not match ^[a-zA-Z][a-z0-9A-Z]*$";
    UnknownKind = "E013", Warning, "a kind stagedoor does not know; the entity is shown as a generic entity";
    InvalidName = "E014", Error, "metadata.name breaks the object-name rule; the entity is skipped";
    InvalidNamespace = "E015", Error, "metadata.namespace breaks the DNS-label rule; the entity is skipped";
    InvalidField = "E016", Warning, "a label, annotation, tag, link or title breaks its format rule";
    ForeignRootField = "E017", Warning, "a root field other than apiVersion, kind, metadata and spec";
    MissingSpecField = "E018", Warning, "a field the kind requires in spec is missing or has the wrong type";
    DuplicateEntity = "E019", Error, "two documents define the same entity ref; the first one wins";
    UnsafeLink = "E020", Warning, "a link whose scheme is not http, https or mailto was dropped";
    TemplateSkeleton = "E021", Info, "a document with ${{ }} placeholders outside a Template was skipped";
    // References and relations
    InvalidRef = "E030", Warning, "an entity reference could not be parsed; that relation is dropped";
    DanglingRef = "E031", Warning, "an entity reference points at an entity that is not in the catalog";
    // Locations and substitutions
    LocationTargetMissing = "E040", Warning, "a Location target matches no file";
    LocationTargetOutside = "E041", Error, "a Location target lies outside every walked root";
    LocationTargetInvalid = "E042", Warning, "a Location target cannot be used (URL, trailing slash, bad glob)";
    SubstitutionFailed = "E043", Error, "a $text, $json or $yaml placeholder could not be resolved";
    SubstitutionEscapes = "E044", Error, "a placeholder path leaves the entity's repository";
    RemoteNotFetched = "E045", Info, "a placeholder points at a remote URL, which is not fetched";
    // TechDocs: locating docs, mkdocs.yml, navigation and links
    DocsRefInvalid = "E060", Error, "backstage.io/techdocs-ref is not dir:<path> or url:<URL>";
    DocsDirMissing = "E061", Warning, "the folder a techdocs-ref names does not exist";
    DocsOutsideRepo = "E062", Error, "a docs folder or docs_dir leaves its repository; the docs are not built";
    DocsExternal = "E063", Warning, "a url: techdocs-ref points outside the walked repositories; the docs are not built";
    MkdocsMissing = "E064", Info, "a docs folder has no mkdocs.yml; it is built with defaults";
    MkdocsInvalid = "E065", Error, "mkdocs.yml cannot be read or parsed";
    MkdocsNoEffect = "E066", Info, "mkdocs.yml names plugins or extensions that have no effect in stagedoor";
    NavMissingPage = "E067", Warning, "a nav entry names a page that does not exist";
    BrokenLink = "E068", Warning, "a link points at a page or file that does not exist";
    MissingAnchor = "E069", Warning, "a link's #anchor matches no heading on the target page";
    // Site configuration
    ConfigUnknownKey = "E050", Warning, "stagedoor.yaml has a key stagedoor does not know";
    ConfigInvalid = "E051", Error, "stagedoor.yaml has a value of the wrong type or shape";
    // Markdown pages
    FrontMatterInvalid = "E070", Warning, "a page's front matter is not a YAML mapping; it is ignored";
    SnippetNotFound = "E071", Warning, "a `--8<--` snippet file does not exist or cannot be read; nothing is included";
    SnippetOutsideBase = "E072", Error, "a `--8<--` snippet path leaves the mkdocs.yml folder; it is refused";
    SnippetTooDeep = "E073", Warning, "a `--8<--` snippet includes itself or nests too deep; the inner include is skipped";
    UnclosedBlock = "E074", Warning, "a code fence or `///` block is never closed; it runs to the end of its container";
    UnsafeUrl = "E075", Warning, "a link or image URL with a script-capable scheme (javascript:, vbscript:, data:) was dropped";
    HtmlRemoved = "E076", Warning, "raw HTML had scripts, event handlers, styles or frames, which were removed";
    NestingTooDeep = "E077", Warning, "quotes, lists or admonitions are nested too deep; the inner lines are shown as text";
    MermaidSyntax = "E078", Warning, "a ```mermaid diagram has a syntax error (readers would see Mermaid's error), or a ```dot (or PlantUML, by the configured command) diagram cannot be drawn and is shown as code";
    // TechDocs, continued
    MissingImage = "E090", Warning, "an image or linked file does not exist";
    DocsIndexConflict = "E091", Warning, "a folder has both index.md and README.md; README.md is skipped";
    PageNotInNav = "E092", Info, "pages exist that the explicit nav does not list; they are built anyway";
    DocsEntityMissing = "E093", Warning, "backstage.io/techdocs-entity names an entity that is not in the catalog";
    DocsNoIndex = "E095", Warning, "a docs site has no index.md or README.md; a generated home page lists its pages";
    SymlinkRefused = "E096", Warning, "a symbolic link leads outside its repository, or loops back into its own folder; it is not followed";
    ActiveAsset = "E099", Warning, "a file in a docs folder would run as a page in the browser (HTML, scripted SVG or XML); it is not published";
    UnsupportedConstruct = "E094", Info, "a Markdown construct stagedoor cannot render stays as text (reported once per construct)";
    NavSectionUntitled = "E097", Warning, "a nav section has an empty title and no index page to take one from; it is titled after its first page";
    UnexpandedDirective = "E098", Warning, "a page shows include or macro syntax stagedoor does not expand ({{ }}, {% %}, {* *}, {! !}, ::: identifier); once per page";
    // Tech radar
    RadarUnreadable = "E100", Error, "a radar file could not be read or parsed (JSON, YAML or CSV syntax); the radar is drawn empty";
    RadarUnknownFormat = "E101", Error, "a radar file is none of the formats stagedoor reads; the radar is drawn empty";
    RadarMissingField = "E102", Warning, "a radar entry or CSV header lacks a required field (key, id, quadrant, timeline, label, name, ring); the entry is skipped";
    RadarUnknownQuadrant = "E103", Warning, "a radar entry names a quadrant the radar does not have; the entry is skipped";
    RadarUnknownRing = "E104", Warning, "a radar entry names a ring the radar does not have; the entry is skipped";
    RadarDuplicateEntry = "E105", Warning, "two radar entries have the same id; the second is skipped";
    RadarInvalidValue = "E106", Warning, "a radar field has the wrong type or value (moved, date, colour, link, status); it is ignored";
    RadarStructure = "E107", Warning, "a radar's quadrants or rings are missing, repeated or too many, or two radars share an id";
    RadarEntityRef = "E108", Warning, "a radar entry's entities list names an entity that cannot be parsed or is not in the catalog";
    RadarHoldInUse = "E109", Info, "a technology the radar puts on Hold is still used by catalog entities (one notice per radar entry)";
    // API references
    ApiDefinitionInvalid = "E110", Warning, "an API definition could not be parsed; its page shows the definition as text, without a reference";
    ApiRefDangling = "E111", Warning, "a $ref in an API definition points at nothing (missing file, pointer or component)";
    ApiRefOutside = "E112", Error, "a $ref in an API definition leaves the entity's repository; it is refused";
    ApiRefRemote = "E113", Info, "a $ref in an API definition names a remote URL, which is not fetched; the reference links to it";
    ApiDefinitionSyntax = "E119", Warning, "a GraphQL or .proto definition has a syntax error; the reference shows what could be read";
    ApiImportRefused = "E120", Warning, "a .proto import leaves the repository or cannot be read; its types are not linked";
    // Bundles (`stagedoor build --bundles`)
    BundleUnusable = "E150", Error, "a repository's bundle is missing, unreadable or corrupt (a file's hash or size does not match); the repository is left out";
    BundleIncompatible = "E151", Error, "a repository's bundle was made by a stagedoor whose bundle format this one does not read; the repository is left out";
    BundleFileRefused = "E152", Warning, "a bundle names a file that leaves its repository or is over the size limit; that file is left out";
    // Scorecards
    ScorecardRuleInvalid = "E140", Warning, "a scorecards rule in stagedoor.yaml is invalid (unknown check kind, key or level, bad glob, repeated id); the rule is skipped";
}

/// One problem in the input, pointing at a file and (when known) a line and column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    #[serde(
        serialize_with = "serialize_code",
        deserialize_with = "deserialize_code"
    )]
    pub code: Code,
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
    /// The entity the problem belongs to (its ref), used to group problems by owner.
    pub entity: Option<String>,
}

fn serialize_code<S: serde::Serializer>(code: &Code, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(code.id())
}

fn deserialize_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
    let id = String::deserialize(d)?;
    Code::from_id(&id).ok_or_else(|| serde::de::Error::custom(format!("unknown code {id}")))
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.default_severity(),
            code,
            file: None,
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            entity: None,
        }
    }

    pub fn at(mut self, file: &Path, line: usize, column: usize) -> Self {
        self.file = Some(file.to_path_buf());
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    pub fn in_file(mut self, file: &Path) -> Self {
        self.file = Some(file.to_path_buf());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn entity(mut self, entity_ref: impl Into<String>) -> Self {
        self.entity = Some(entity_ref.into());
        self
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// `file:line:column` as far as it is known, with the file shown relative to `base`.
    pub fn location(&self, base: &Path) -> Option<String> {
        self.location_in(Shown {
            site: base,
            bundles: None,
        })
    }

    /// `file:line:column` as far as it is known, with the file shown as `shown` says.
    pub fn location_in(&self, shown: Shown) -> Option<String> {
        let file = shown.path(self.file.as_deref()?);
        Some(match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}"),
            (Some(l), None) => format!("{file}:{l}"),
            _ => file,
        })
    }

    fn sort_key(&self) -> (Option<&Path>, usize, usize, Code, &str) {
        let (line, col) = (self.line.unwrap_or(0), self.column.unwrap_or(0));
        (self.file.as_deref(), line, col, self.code, &self.message)
    }
}

/// Sorts diagnostics by file, position and code, and drops exact repeats.
pub fn sort_diagnostics(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}

/// Counts per severity, for the build summary.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

pub fn count(diags: &[Diagnostic]) -> Counts {
    let mut c = Counts::default();
    for d in diags {
        match d.severity {
            Severity::Error => c.errors += 1,
            Severity::Warning => c.warnings += 1,
            Severity::Info => c.infos += 1,
        }
    }
    c
}

/// A path as shown to people, in messages, hints and pages: relative to `base` (`.` for
/// `base` itself, `../` steps when it lies outside). Never absolute, because what a
/// diagnostic says is published (problems page, entity pages) and the build machine's
/// folders are nobody's business; every path that goes into a message goes through here.
pub fn display_path(path: &Path, base: &Path) -> String {
    let (path, base) = (fsutil::normalize(path), fsutil::normalize(base));
    let shown = match path.strip_prefix(&base) {
        Ok(inside) => inside.to_path_buf(),
        Err(_) => relative_outside(&path, &base),
    };
    match fsutil::slash_path(&shown) {
        s if s.is_empty() => ".".to_string(),
        s => s,
    }
}

/// Where the paths a build writes are shown from: the site folder, except for files of
/// bundled repositories (`bundle`), which are shown from the folder their copies are fetched
/// into — `<repo>/<path>`, as if the repository were checked out beside stagedoor.yaml —
/// so that no page names the cache folder, and a portal built from bundles shows what one
/// built from such checkouts shows.
#[derive(Clone, Copy, Debug)]
pub struct Shown<'a> {
    pub site: &'a Path,
    pub bundles: Option<&'a Path>,
}

impl Shown<'_> {
    pub fn path(&self, path: &Path) -> String {
        match self.bundles {
            Some(b) if fsutil::normalize(path).starts_with(b) => display_path(path, b),
            _ => display_path(path, self.site),
        }
    }
}

/// `path` from `base` when it lies outside it: up to their common folder, then down. A
/// relative `path` is shown as it is; an absolute one with nothing in common with `base` (a
/// relative base, another drive) gives the file name alone rather than an absolute path.
fn relative_outside(path: &Path, base: &Path) -> PathBuf {
    if !path.has_root() {
        return path.to_path_buf();
    }
    let (p, b): (Vec<_>, Vec<_>) = (path.components().collect(), base.components().collect());
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let shares_a_root = common > 0 && path.has_root() == base.has_root();
    if !shares_a_root {
        return path.file_name().map(PathBuf::from).unwrap_or_default();
    }
    let up = b[common..].iter().map(|_| Component::ParentDir);
    up.chain(p[common..].iter().copied()).collect()
}

/// Renders diagnostics like a compiler: header, location arrow, the offending line with a
/// caret, and the hint. Source lines are read once per file.
pub fn format_diagnostics(diags: &[Diagnostic], base: &Path, color: bool) -> String {
    let mut sources: HashMap<&Path, Option<String>> = HashMap::new();
    let mut out = String::new();
    for d in diags {
        let line_text = match (&d.file, d.line) {
            (Some(f), Some(l)) => sources
                .entry(f.as_path())
                .or_insert_with(|| std::fs::read_to_string(f).ok())
                .as_deref()
                .and_then(|s| s.lines().nth(l.saturating_sub(1)))
                .map(str::to_owned),
            _ => None,
        };
        format_one(&mut out, d, base, line_text.as_deref(), color);
    }
    out
}

fn format_one(out: &mut String, d: &Diagnostic, base: &Path, line_text: Option<&str>, color: bool) {
    let (on, off) = match (color, d.severity) {
        (false, _) => ("", ""),
        (true, Severity::Error) => ("\x1b[1;31m", "\x1b[0m"),
        (true, Severity::Warning) => ("\x1b[1;33m", "\x1b[0m"),
        (true, Severity::Info) => ("\x1b[1;36m", "\x1b[0m"),
    };
    let _ = writeln!(
        out,
        "{on}{}[{}]{off}: {}",
        d.severity.label(),
        d.code.id(),
        d.message
    );
    if let Some(loc) = d.location(base) {
        let _ = writeln!(out, "  --> {loc}");
    }
    if let (Some(text), Some(line)) = (line_text, d.line) {
        let number = line.to_string();
        let pad = " ".repeat(number.len());
        let caret_at = d.column.unwrap_or(1).saturating_sub(1);
        let indent: String = text
            .chars()
            .take(caret_at)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let shown: String = text.chars().take(200).collect();
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{number} | {shown}");
        let _ = writeln!(out, "{pad} | {indent}{on}^{off}");
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "  = hint: {hint}");
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_files_are_shown_from_the_bundles_folder_never_the_cache() {
        let shown = Shown {
            site: Path::new("/srv/portal"),
            bundles: Some(Path::new("/ci/cache/bundles/checkouts")),
        };
        let d = Diagnostic::new(Code::BrokenLink, "x").at(
            Path::new("/ci/cache/bundles/checkouts/svc/docs/index.md"),
            3,
            1,
        );
        assert_eq!(d.location_in(shown).unwrap(), "svc/docs/index.md:3:1");
        assert_eq!(
            shown.path(Path::new("/srv/portal/repos/local/catalog-info.yaml")),
            "repos/local/catalog-info.yaml"
        );
    }

    #[test]
    fn codes_are_unique() {
        let mut ids: Vec<&str> = Code::ALL.iter().map(|c| c.id()).collect();
        ids.sort();
        let before = ids.len();
        ids.dedup();
        assert_eq!(before, ids.len());
    }

    #[test]
    fn formats_like_a_compiler() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("catalog-info.yaml");
        std::fs::write(&file, "kind: Component\nmetadata:\n  name: bad name\n").unwrap();
        let d = Diagnostic::new(Code::InvalidName, "bad name")
            .at(&file, 3, 9)
            .hint("use letters, digits and -_.");
        let text = format_diagnostics(&[d], dir.path(), false);
        assert_eq!(
            text,
            "error[E014]: bad name\n  --> catalog-info.yaml:3:9\n  |\n3 |   name: bad name\n  |         ^\n  = hint: use letters, digits and -_.\n\n"
        );
    }

    #[test]
    fn shown_paths_are_never_absolute() {
        let site = Path::new("/home/me/portal/site");
        let shown = |p: &str| display_path(Path::new(p), site);
        assert_eq!(
            shown("/home/me/portal/site/repos/a/x.yaml"),
            "repos/a/x.yaml"
        );
        assert_eq!(shown("/home/me/portal/site"), ".");
        assert_eq!(
            shown("/home/me/portal/repos/a/../b/x.yaml"),
            "../repos/b/x.yaml"
        );
        assert_eq!(shown("/srv/git/a/x.yaml"), "../../../../srv/git/a/x.yaml");
        // Nothing in common with the base: the file name, not the whole path.
        assert_eq!(
            display_path(Path::new("/srv/x.yaml"), Path::new("rel")),
            "x.yaml"
        );
        assert_eq!(shown("repos/a/x.yaml"), "repos/a/x.yaml");
    }

    #[test]
    fn sorting_orders_by_file_then_line() {
        let a = Diagnostic::new(Code::DanglingRef, "x").at(Path::new("b.yaml"), 1, 1);
        let b = Diagnostic::new(Code::DanglingRef, "y").at(Path::new("a.yaml"), 9, 1);
        let c = Diagnostic::new(Code::DanglingRef, "z").at(Path::new("a.yaml"), 2, 1);
        let mut v = vec![a, b, c];
        sort_diagnostics(&mut v);
        let msgs: Vec<&str> = v.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs, ["z", "y", "x"]);
    }
}

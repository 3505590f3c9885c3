//! `$ref` resolution over the definition and the files it names: internal `#/...` JSON
//! pointers, and relative files inside the repository, all read once up front so that
//! rendering only borrows. Remote URLs are never fetched.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Diagnostic};
use crate::fsutil;
use crate::yaml::{Node, Value};

/// Files a definition may pull in through `$ref`s, at most: a guard against a generated
/// tree of thousands of files slowing one page down.
const MAX_FILES: usize = 64;
/// Referenced files larger than this are not read.
const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One document: the definition itself or a file it refers to.
pub struct Doc {
    pub node: Node,
    pub file: PathBuf,
    /// Added to a node's line to give its line in `file` (the definition may start inside a
    /// catalog file).
    pub offset: usize,
}

/// Which document a node belongs to: 0 is the definition.
pub type DocId = usize;

/// What a `$ref` leads to.
pub enum Target<'a> {
    Found(DocId, &'a Node),
    /// An http(s) URL, shown as a link.
    Remote(&'a str),
    /// Refused or dangling; already reported.
    Missing,
}

pub struct Refs {
    pub docs: Vec<Doc>,
    /// (document, file part of a `$ref`) → the document it names.
    links: HashMap<(DocId, String), DocId>,
    pub diagnostics: RefCell<Vec<Diagnostic>>,
}

impl Refs {
    /// The definition and every local file reachable through its `$ref`s.
    pub fn load(main: Doc, root: &Path) -> Refs {
        let mut refs = Refs {
            docs: vec![main],
            links: HashMap::new(),
            diagnostics: RefCell::new(Vec::new()),
        };
        let mut next = 0;
        while next < refs.docs.len() {
            refs.load_files_of(next, root);
            next += 1;
        }
        refs
    }

    /// Reads the files document `id` refers to (each once), reporting remote refs and refs
    /// that cannot be followed at their line.
    fn load_files_of(&mut self, id: DocId, root: &Path) {
        let mut found = Vec::new();
        collect_refs(&self.docs[id].node, &mut found);
        for (value, line, col) in found {
            let (file_part, _) = split_ref(&value);
            if is_remote(file_part) {
                let message = format!(
                    "$ref {value} is remote and was not fetched; the reference links to it"
                );
                self.report(id, line, col, Code::ApiRefRemote, message);
                continue;
            }
            let key = (id, file_part.to_string());
            if file_part.is_empty() || self.links.contains_key(&key) {
                continue;
            }
            let target = self
                .open(id, file_part, root)
                .unwrap_or_else(|(code, message)| {
                    self.report(id, line, col, code, message);
                    // Reported once per file part: later refs to it resolve to nothing silently.
                    usize::MAX
                });
            self.links.insert(key, target);
        }
    }

    /// The document `file_part` names from document `from`, read if not yet read.
    fn open(&mut self, from: DocId, file_part: &str, root: &Path) -> Result<DocId, (Code, String)> {
        let base = self.docs[from].file.parent().unwrap_or(root);
        let joined = base.join(file_part.strip_prefix("file:").unwrap_or(file_part));
        let outside = || {
            (
                Code::ApiRefOutside,
                format!("$ref {file_part} leaves the repository; it is not read"),
            )
        };
        if !fsutil::lexically_inside(&joined, root) {
            return Err(outside());
        }
        let real = joined
            .canonicalize()
            .map_err(|e| (Code::ApiRefDangling, format!("$ref {file_part}: {e}")))?;
        if !fsutil::real_inside(&real, root) {
            return Err(outside());
        }
        if let Some(i) = self.docs.iter().position(|d| d.file == real) {
            return Ok(i);
        }
        if self.docs.len() >= MAX_FILES {
            return Err((
                Code::ApiRefDangling,
                format!("$ref {file_part}: more than {MAX_FILES} files are referenced; not read"),
            ));
        }
        let text = fsutil::read_text_limited(&real, MAX_FILE_BYTES)
            .map_err(|e| (Code::ApiRefDangling, format!("$ref {file_part}: {e}")))?;
        let node = super::parse(&text).map_err(|(line, e)| {
            (
                Code::ApiRefDangling,
                format!("$ref {file_part}: cannot be read (line {line}): {e}"),
            )
        })?;
        self.docs.push(Doc {
            node,
            file: real,
            offset: 0,
        });
        Ok(self.docs.len() - 1)
    }

    /// Follows `$ref` (a node's `$ref` value) found in document `from`.
    pub fn resolve<'a>(&'a self, from: DocId, at: &Node, value: &'a str) -> Target<'a> {
        let (file_part, pointer) = split_ref(value);
        if is_remote(file_part) {
            return Target::Remote(value);
        }
        let doc = if file_part.is_empty() {
            from
        } else {
            match self.links.get(&(from, file_part.to_string())) {
                Some(&id) if id < self.docs.len() => id,
                _ => return Target::Missing,
            }
        };
        match pointer_get(&self.docs[doc].node, pointer) {
            Some(node) => Target::Found(doc, node),
            None => {
                self.report(
                    from,
                    at.line,
                    at.col,
                    Code::ApiRefDangling,
                    format!("$ref {value} points at nothing"),
                );
                Target::Missing
            }
        }
    }

    /// Follows `$ref`s until a node without one (at most a few hops; a loop gives None).
    pub fn deref<'a>(&'a self, doc: DocId, node: &'a Node) -> Option<(DocId, &'a Node)> {
        let (mut doc, mut node) = (doc, node);
        for _ in 0..8 {
            let Some(value) = node.get("$ref").and_then(Node::as_str) else {
                return Some((doc, node));
            };
            match self.resolve(doc, node, value) {
                Target::Found(d, n) => (doc, node) = (d, n),
                _ => return None,
            }
        }
        None
    }

    pub fn report(&self, doc: DocId, line: usize, col: usize, code: Code, message: String) {
        let d = &self.docs[doc];
        let diag = Diagnostic::new(code, message).at(&d.file, line + d.offset, col);
        if let Ok(mut all) = self.diagnostics.try_borrow_mut() {
            all.push(diag);
        }
    }
}

/// Every `$ref` string under `node`, with its position.
fn collect_refs(node: &Node, out: &mut Vec<(String, usize, usize)>) {
    match &node.value {
        Value::Map(entries) => {
            for (k, v) in entries {
                match (k.as_str(), v.as_str()) {
                    (Some("$ref"), Some(s)) => out.push((s.to_string(), v.line, v.col)),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Seq(items) => items.iter().for_each(|n| collect_refs(n, out)),
        _ => {}
    }
}

/// `common.yaml#/components/schemas/X` → (`common.yaml`, `/components/schemas/X`).
pub fn split_ref(value: &str) -> (&str, &str) {
    value.split_once('#').unwrap_or((value, ""))
}

fn is_remote(file_part: &str) -> bool {
    file_part.starts_with("http://") || file_part.starts_with("https://")
}

/// RFC 6901: `/a/b~1c/0`, percent-decoded as it comes from a URI fragment.
pub fn pointer_get<'a>(node: &'a Node, pointer: &str) -> Option<&'a Node> {
    let mut at = node;
    for raw in pointer.split('/').skip(1) {
        let token = percent_decode(raw).replace("~1", "/").replace("~0", "~");
        at = match &at.value {
            Value::Map(entries) => entries
                .iter()
                .rev()
                .find(|(k, _)| k.scalar_text().as_deref() == Some(token.as_str()))
                .map(|(_, v)| v)?,
            Value::Seq(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(at)
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Node {
        super::super::parse(text).unwrap()
    }

    #[test]
    fn pointers_follow_escapes_and_indices() {
        let d = doc("paths:\n  /a/b:\n    x: [10, 20]\n  'c d': 1\n");
        let hit = pointer_get(&d, "/paths/~1a~1b/x/1").unwrap();
        assert_eq!(hit.scalar_text().as_deref(), Some("20"));
        assert!(pointer_get(&d, "/paths/c%20d").is_some());
        assert!(pointer_get(&d, "/paths/nope").is_none());
        assert!(pointer_get(&d, "").is_some());
    }

    #[test]
    fn ref_loops_end() {
        let d = doc("a: {$ref: '#/b'}\nb: {$ref: '#/a'}\n");
        let refs = Refs::load(
            Doc {
                node: d,
                file: PathBuf::from("/x/api.yaml"),
                offset: 0,
            },
            Path::new("/x"),
        );
        let a = refs.docs[0].node.get("a").unwrap();
        assert!(refs.deref(0, a).is_none());
    }
}

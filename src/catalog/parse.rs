//! Parse: one catalog file → its validated entities. Each YAML document is its own entity
//! candidate; a broken document is reported and its siblings still load.

use std::path::Path;

use super::model::{DefinitionAt, Source};
use super::substitute::{self, Context};
use super::validate::{self, Validated};
use crate::diagnostics::{Code, Diagnostic};
use crate::fsutil;
use crate::yaml::{self, Node, Schema};

/// Catalog files larger than this are refused.
pub const MAX_CATALOG_FILE_BYTES: u64 = 8 * 1024 * 1024;

pub struct ParsedFile {
    pub entities: Vec<Validated>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads, parses, substitutes and validates every document of `file`.
pub fn parse_catalog_file(file: &Path, repo: &Path, repo_url: Option<String>) -> ParsedFile {
    let mut diags = Vec::new();
    let text = match fsutil::read_text_limited(file, MAX_CATALOG_FILE_BYTES) {
        Ok(text) => text,
        Err(e) => {
            let code = match e {
                fsutil::ReadError::TooLarge { .. } => Code::FileTooLarge,
                _ => Code::FileUnreadable,
            };
            let d = Diagnostic::new(code, format!("cannot read catalog file: {e}"));
            let d = match e.line() {
                Some(line) => d.at(file, line, 1),
                None => d.in_file(file),
            };
            diags.push(match e.hint() {
                Some(h) => d.hint(h),
                None => d,
            });
            return ParsedFile {
                entities: Vec::new(),
                diagnostics: diags,
            };
        }
    };
    let mut entities = Vec::new();
    for doc in yaml::parse_documents(&text, Schema::Core12) {
        let doc = match doc {
            Ok(doc) => doc,
            Err(e) => {
                diags.push(
                    Diagnostic::new(Code::YamlSyntax, format!("YAML error: {}", e.message))
                        .at(file, e.line, e.col)
                        .hint("the other documents of this file are still read"),
                );
                continue;
            }
        };
        let Some(mut root) = doc.root else { continue };
        if root.as_map().is_none() {
            let message = format!(
                "expected an entity mapping at the document root, got {}",
                root.type_name()
            );
            diags.push(Diagnostic::new(Code::NotAnObject, message).at(file, root.line, root.col));
            continue;
        }
        if is_skeleton(&root) {
            diags.push(
                Diagnostic::new(Code::TemplateSkeleton, "document has ${{ }} template placeholders and was skipped")
                    .at(file, root.line, root.col)
                    .hint("template skeletons are not entities; stagedoor skips folders used by fetch:template"),
            );
            continue;
        }
        let ctx = Context { file, repo };
        let definition = definition_at(&root, &ctx);
        substitute::substitute(&mut root, &ctx, &mut diags);
        let source = Source {
            file: file.to_path_buf(),
            line: doc.line,
            repo: repo.to_path_buf(),
            repo_url: repo_url.clone(),
            location: None,
            definition,
        };
        if let Some(v) = validate::validate_entity(&root, source, &mut diags) {
            entities.push(v);
        }
    }
    ParsedFile {
        entities,
        diagnostics: diags,
    }
}

/// Where `spec.definition` comes from, looked at before substitution replaces a
/// placeholder by the file's text. A placeholder that cannot be resolved gives None (the
/// substitution reports it).
fn definition_at(root: &Node, ctx: &Context) -> Option<DefinitionAt> {
    let node = root.get("spec")?.get("definition")?;
    if substitute::placeholder(node).is_some() {
        let file = substitute::placeholder_file(node, ctx)?;
        return Some(DefinitionAt { file, line: 1 });
    }
    // A block scalar (`definition: |`) is positioned at its first line of text.
    Some(DefinitionAt {
        file: ctx.file.to_path_buf(),
        line: node.line,
    })
}

/// A non-Template document whose identity fields hold `${{ … }}`: a scaffolder skeleton.
/// Only identity and ref fields are looked at, so prose that mentions `${{` is not skipped.
fn is_skeleton(root: &Node) -> bool {
    if root.get("kind").and_then(Node::as_str) == Some("Template") {
        return false;
    }
    let fields = [
        ("metadata", "name"),
        ("metadata", "namespace"),
        ("spec", "owner"),
        ("spec", "system"),
        ("spec", "type"),
    ];
    fields.iter().any(|(section, key)| {
        root.get(section)
            .and_then(|s| s.get(key))
            .and_then(Node::as_str)
            .is_some_and(|v| v.contains("${{"))
    })
}

#[cfg(test)]
mod tests {
    use serde_json::Value as Json;

    #[test]
    fn the_spec_is_kept_once_and_put_back_in_its_place() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("catalog-info.yaml");
        let text = "apiVersion: backstage.io/v1alpha1\nkind: Component\nspec:\n  type: service\n  \
                    owner: team-a\n  lifecycle: production\nmetadata:\n  name: a\n---\n\
                    apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n";
        std::fs::write(&file, text).expect("written");
        let parsed = super::parse_catalog_file(&file, dir.path(), None);
        let [a, g] = [0, 1].map(|i| &parsed.entities[i].entity);
        assert_eq!(a.raw["spec"], Json::Null);
        let doc = a.document();
        let keys: Vec<&str> = doc
            .as_object()
            .expect("a mapping")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["apiVersion", "kind", "spec", "metadata"]);
        assert_eq!(doc["spec"], a.spec);
        assert_eq!(doc["spec"]["owner"], "team-a");
        // No spec written: none in the document, an empty one to read.
        assert_eq!(g.spec, serde_json::json!({}));
        assert!(g.document().get("spec").is_none());
    }
}

//! A site with every payload of the corpus injected into every place untrusted text flows
//! into a page: catalog fields of each kind, API definitions, Templates, mkdocs.yml and every
//! Markdown construct, radar files in two formats, and stagedoor.yaml itself.

use std::fmt::Write as _;

use super::corpus::{Payload, one_line, yq};
use crate::support::site_with;

/// API types whose definitions are highlighted, each with a definition template (`@P@` = the
/// payload as a YAML/JSON string, `@R@` = the payload raw on one line).
const API_DEFINITIONS: &[(&str, &str)] = &[
    (
        "openapi",
        concat!(
            "openapi: 3.0.0\ninfo:\n  title: @P@\n  description: @P@\n  version: 1.0.0\n",
            "servers:\n  - url: @P@\n    description: @P@\n",
            "tags:\n  - name: @P@\n    description: @P@\n",
            "paths:\n  /items:\n    get:\n      tags: [@P@]\n      operationId: @P@\n",
            "      summary: @P@\n      description: @P@\n",
            "      parameters:\n        - name: @P@\n          in: query\n          description: @P@\n",
            "          example: @P@\n          schema: {type: string, enum: [@P@], default: @P@, pattern: @P@}\n",
            "      responses:\n        '200':\n          description: @P@\n",
            "          headers: {X-Rate: {description: @P@, schema: {type: string}}}\n",
            "          content:\n            application/json:\n",
            "              schema: {$ref: '#/components/schemas/Item'}\n",
            "              examples: {one: {summary: @P@, description: @P@, value: {name: @P@}}}\n",
            "components:\n  schemas:\n    Item:\n      description: @P@\n      required: [name]\n",
            "      properties:\n        name: {type: string, description: @P@, example: @P@, format: @P@}\n",
            "  securitySchemes:\n    key: {type: apiKey, name: @P@, in: header, description: @P@}\n",
        ),
    ),
    (
        "asyncapi",
        concat!(
            "asyncapi: 2.6.0\ninfo:\n  title: @P@\n  description: @P@\n  version: 1.0.0\n",
            "servers:\n  main: {url: @P@, protocol: @P@, description: @P@}\n",
            "channels:\n  events:\n    description: @P@\n    subscribe:\n      operationId: @P@\n",
            "      summary: @P@\n      message:\n        name: @P@\n        title: @P@\n",
            "        description: @P@\n        headers: {type: object, properties: {h: {description: @P@}}}\n",
            "        payload: {type: object, properties: {p: {type: string, description: @P@, example: @P@}}}\n",
            "        examples: [{name: @P@, payload: {p: @P@}}]\n",
        ),
    ),
    (
        "graphql",
        "# @R@\n\"\"\"\n@R@\n\"\"\"\ntype Query {\n  @P@\n  item: String\n}\n",
    ),
    (
        "grpc",
        "// @R@\nsyntax = \"proto3\";\nservice X { rpc Y (A) returns (B); }\n",
    ),
];

/// The catalog file of one payload's repository: one entity per kind that shows free text,
/// one whose structural fields (refs, type, lifecycle) carry the payload, and one named by it.
fn catalog_file(i: usize, p: &Payload) -> String {
    let (id, q) = (&p.id, yq(&p.text));
    let hostile = yq(&format!("hostile {}", p.text));
    let source = yq(&format!("url:{}", p.text));
    let (api_type, template) = API_DEFINITIONS[i % API_DEFINITIONS.len()];
    let definition = yq(&template
        .replace("@R@", &one_line(&p.text))
        .replace("@P@", &q));
    format!(
        r#"apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: c-{id}
  title: {q}
  description: {hostile}
  tags: [hostile, {q}]
  labels: {{xss: {q}}}
  annotations:
    xss.example/text: {q}
    backstage.io/techdocs-ref: dir:.
    backstage.io/view-url: {q}
    backstage.io/edit-url: {q}
    backstage.io/source-location: {source}
  links:
    - {{url: {q}, title: {q}, icon: {q}, type: {q}}}
    - {{url: "https://ok.example/{id}", title: {q}, type: {q}}}
spec:
  type: service
  lifecycle: production
  owner: team-{id}
  system: sys-{id}
  providesApis: [a-{id}]
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: d-{id}
  description: {hostile}
spec:
  type: {q}
  lifecycle: {q}
  owner: {q}
  system: {q}
  dependsOn: [{q}]
---
apiVersion: backstage.io/v1alpha1
kind: System
metadata:
  name: sys-{id}
  title: {q}
  description: {hostile}
spec:
  owner: team-{id}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: team-{id}
  description: {hostile}
spec:
  type: team
  profile: {{displayName: {q}, email: {q}, picture: {q}}}
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: user-{id}
spec:
  profile: {{displayName: {q}, email: {q}, picture: {q}}}
  memberOf: [team-{id}]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: a-{id}
  title: {q}
  description: {hostile}
spec:
  type: {api_type}
  lifecycle: production
  owner: team-{id}
  definition: {definition}
---
apiVersion: scaffolder.backstage.io/v1beta3
kind: Template
metadata:
  name: t-{id}
  title: {q}
  description: {hostile}
spec:
  type: {q}
  owner: team-{id}
  parameters:
    - title: {q}
      description: {q}
      required: [name]
      properties:
        name: {{type: string, title: {q}, description: {q}, default: {q}, "ui:help": {q}, pattern: {q}}}
        choice: {{type: string, title: {q}, enum: [{q}, b], enumNames: [{q}, b]}}
  steps:
    - {{id: s1, name: {q}, action: {q}, input: {{url: {q}}}}}
  output:
    links:
      - {{title: {q}, url: {q}}}
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: {q}
  description: {hostile}
spec:
  type: database
  owner: team-{id}
"#
    )
}

fn mkdocs_file(p: &Payload) -> String {
    let q = yq(&p.text);
    format!(
        "site_name: {q}\nsite_description: {q}\nrepo_url: {q}\nedit_uri: {q}\nnav:\n  - {q}: index.md\n  - Second {id}: second.md\n  - {q}: https://ok.example/\n  - Link {id}: {q}\n",
        id = p.id
    )
}

/// Every Markdown construct whose text or URL comes from the page, each holding the payload.
fn markdown_page(p: &Payload) -> String {
    let (r, id) = (one_line(&p.text), &p.id);
    format!(
        r#"# Page {id} {r}

Inline text hostile {r} end.

{r}

<div markdown>
{r}
</div>

<p title="{r}">raw html attribute</p>

[link text {r}](https://ok.example/)

[payload as url]({r})

[payload as url in angles](<{r}>)

![{r}](img.png)

![alt]({r})

![alt](<{r}>)

```py title="{r}"
code {r}
```

!!! note "{r}"
    admonition body {r}

??? "{r}"
    details body {r}

=== "{r}"

    tab body {r}

=== "Other"

    other tab

| head {r} | b |
|---|---|
| {r} | x |

- [ ] task {r}

Term {r}
:   definition {r}

*[HTML]: {r}

Some HTML here.

Footnote here[^1].

[^1]: footnote {r}

<!-- comment {r} -->

`code span {r}`

```mermaid
graph TD
  A["{r}"] --> B
```
"#
    )
}

fn second_page(p: &Payload) -> String {
    let q = yq(&p.text);
    format!(
        "---\ntitle: {q}\ndescription: {q}\n---\n\nSecond page of {id}.\n\n{r}\n",
        id = p.id,
        r = p.text
    )
}

/// A Backstage tech-radar JSON file: one entry per payload, payloads in ring and quadrant
/// names, descriptions, colours and links too.
fn backstage_radar(payloads: &[Payload]) -> String {
    let first = &payloads[0].text;
    let quadrants: Vec<serde_json::Value> = (0..4)
        .map(|i| serde_json::json!({"id": format!("q{i}"), "name": format!("Q{i} {}", payloads[i].text)}))
        .collect();
    let rings: Vec<serde_json::Value> = ["adopt", "trial", "assess", "hold"]
        .iter()
        .enumerate()
        .map(|(i, r)| serde_json::json!({"id": r, "name": format!("{r} {}", payloads[i + 4].text), "color": payloads[i + 8].text, "description": payloads[i + 12].text}))
        .collect();
    let entries: Vec<serde_json::Value> = payloads
        .iter()
        .enumerate()
        .map(|(i, p)| {
            serde_json::json!({
                "id": format!("e-{}", p.id), "key": format!("e-{}", p.id),
                "title": p.text, "quadrant": format!("q{}", i % 4),
                "description": p.text,
                "url": p.text,
                "links": [{"url": p.text, "title": p.text}],
                "tags": [p.text],
                "timeline": [
                    {"ringId": "adopt", "date": "2024-01-01", "description": p.text, "moved": 0},
                    {"ringId": "trial", "date": p.text, "description": p.text}
                ],
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "title": first, "quadrants": quadrants, "rings": rings, "entries": entries
    }))
    .expect("json")
}

/// A Zalando tech-radar `config.json`, with the quadrant and ring names forks keep in it.
fn zalando_radar(payloads: &[Payload]) -> String {
    let entries: Vec<serde_json::Value> = payloads
        .iter()
        .enumerate()
        .map(|(i, p)| {
            serde_json::json!({
                "label": format!("z-{} {}", p.id, p.text), "quadrant": i % 4, "ring": i % 4,
                "moved": i % 3, "active": i % 5 != 0, "link": p.text,
            })
        })
        .collect();
    let names = |offset: usize| -> Vec<serde_json::Value> {
        (0..4)
            .map(|i| serde_json::json!({"name": payloads[offset + i].text, "color": payloads[offset + i].text}))
            .collect()
    };
    serde_json::to_string_pretty(&serde_json::json!({
        "quadrants": names(16), "rings": names(20), "entries": entries
    }))
    .expect("json")
}

/// A Thoughtworks BYOR CSV: descriptions are limited HTML there.
fn byor_radar(payloads: &[Payload]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["name", "ring", "quadrant", "isNew", "description", "topic"])
        .expect("csv");
    for p in payloads {
        let name = format!("b-{} {}", p.id, p.text);
        w.write_record([name.as_str(), "Adopt", "Tools", "TRUE", &p.text, &p.text])
            .expect("csv");
    }
    String::from_utf8(w.into_inner().expect("csv")).expect("utf-8")
}

fn site_config(payloads: &[Payload]) -> String {
    let mut c = String::new();
    let title = payloads
        .iter()
        .find(|p| p.id == "b01")
        .unwrap_or(&payloads[0]);
    writeln!(c, "title: {}", yq(&title.text)).unwrap();
    c.push_str("roots:\n  - path: repos/*\n    repo_url: https://git.example/{repo}\n");
    c.push_str("catalog:\n  files: [catalog-info.yaml]\n");
    c.push_str("radars:\n  - id: xss\n    title: ");
    c.push_str(&yq(&payloads[1].text));
    c.push_str(
        "\n    file: radar/xss.json\n  - id: byor\n    title: BYOR\n    file: radar/xss.csv\n",
    );
    c.push_str("  - id: zalando\n    title: Zalando\n    file: radar/zalando.json\n");
    c
}

/// The payload as one file or folder name (no `/`, no NUL, no newline, not too long).
fn file_safe(s: &str) -> String {
    let name: String = s
        .chars()
        .map(|c| match c {
            '/' => '_',
            '\0' | '\n' => ' ',
            c => c,
        })
        .collect();
    let mut end = name.len().min(180);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].trim().to_string()
}

/// Files in a docs folder that a browser runs when opened from the portal's origin (the
/// docs folder is published as is, like MkDocs does), and a page that links to them.
fn active_assets(p: &Payload) -> Vec<(String, String)> {
    let m = super::corpus::marker(&format!("{}asset", p.id));
    let docs = format!("repos/{}/docs", p.id);
    vec![
        (format!("{docs}/assets.md"), "[h](evil.html) [h2](evil.htm) [x](evil.xhtml) [s](evil.svg) ![s](evil.svg) [s2](evil2.svg) [xml](evil.xml) ![ok](ok.svg)\n".to_string()),
        (format!("{docs}/evil.html"), format!("<!doctype html><p>hi</p><script>{m}</script>")),
        (format!("{docs}/evil.htm"), format!("<img src=x onerror={m}>")),
        (format!("{docs}/evil.xhtml"), format!("<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><script>{m}</script></body></html>")),
        (format!("{docs}/evil.svg"), format!("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"{m}\"><rect width=\"9\" height=\"9\"/></svg>")),
        (format!("{docs}/evil2.svg"), format!("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>{m}</script></svg>")),
        (format!("{docs}/evil.xml"), format!("<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><script>{m}</script></html>")),
        (format!("{docs}/ok.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 9 9\"><rect width=\"9\" height=\"9\" fill=\"#5BA300\"/></svg>".to_string()),
    ]
}

/// Writes the hostile site into a temp folder.
pub fn hostile_site(payloads: &[Payload]) -> tempfile::TempDir {
    let mut files: Vec<(String, String)> = vec![
        ("stagedoor.yaml".into(), site_config(payloads)),
        ("radar/xss.json".into(), backstage_radar(payloads)),
        ("radar/xss.csv".into(), byor_radar(payloads)),
        ("radar/zalando.json".into(), zalando_radar(payloads)),
    ];
    for (i, p) in payloads.iter().enumerate() {
        let repo = format!("repos/{}", p.id);
        files.push((format!("{repo}/catalog-info.yaml"), catalog_file(i, p)));
        files.push((format!("{repo}/mkdocs.yml"), mkdocs_file(p)));
        files.push((format!("{repo}/docs/index.md"), markdown_page(p)));
        files.push((format!("{repo}/docs/second.md"), second_page(p)));
    }
    for p in payloads {
        // Folder and file names from the payload: the repository name reaches view/edit links
        // through `repo_url: …/{repo}`, a page's file name its URL and its title.
        let repo = format!("repos/{}-{}", p.id, file_safe(&p.text));
        let entity = format!(
            "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: r-{id}\n  annotations:\n    backstage.io/techdocs-ref: dir:.\nspec:\n  type: service\n  lifecycle: production\n  owner: team-{id}\n",
            id = p.id
        );
        files.push((format!("{repo}/catalog-info.yaml"), entity));
        files.push((
            format!("{repo}/docs/index.md"),
            format!("# Home\n\nSee [the page]({}.md).\n", file_safe(&p.text)),
        ));
        files.push((
            format!("{repo}/docs/{}.md", file_safe(&p.text)),
            "Text.\n".to_string(),
        ));
    }
    files.extend(active_assets(&payloads[0]));
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    site_with(&refs)
}

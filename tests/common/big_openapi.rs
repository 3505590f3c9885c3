//! A generated OpenAPI definition of any size, for tests and the benchmark of large
//! references: operations spread over tags, each reading and returning component schemas that
//! refer to one another, so that links cross the pages a large reference is split onto.

use serde_json::{Map, Value, json};

/// An OpenAPI 3.0 definition (JSON) of `operations` operations over `tags` tags and `schemas`
/// schemas (all at least 1).
pub fn definition(operations: usize, tags: usize, schemas: usize) -> String {
    let (tags, schemas) = (tags.max(1), schemas.max(1));
    let mut paths = Map::new();
    for i in 0..operations {
        let method = if i % 2 == 0 { "get" } else { "post" };
        let path = format!("/things{}/{{id}}", i / 2);
        let entry = paths.entry(path).or_insert_with(|| json!({}));
        entry[method] = operation(i, tags, schemas);
    }
    let mut components = Map::new();
    for j in 0..schemas {
        components.insert(schema_name(j), schema(j, schemas));
    }
    let tag_list: Vec<Value> = (0..tags)
        .map(|t| json!({"name": format!("tag{t}"), "description": format!("Things of kind {t}.")}))
        .collect();
    let doc = json!({
        "openapi": "3.0.3",
        "info": {"title": "Big", "version": "1.0.0", "description": "A generated definition."},
        "tags": tag_list,
        "paths": paths,
        "components": {"schemas": components},
    });
    doc.to_string()
}

/// The name of schema `j`: `Schema0042`, so that names sort in number order.
pub fn schema_name(j: usize) -> String {
    format!("Schema{j:04}")
}

fn operation(i: usize, tags: usize, schemas: usize) -> Value {
    let reply = format!("#/components/schemas/{}", schema_name(i % schemas));
    json!({
        "operationId": format!("op{i}"),
        "tags": [format!("tag{}", i % tags)],
        "summary": format!("Operation number {i}"),
        "description": "Does one **thing** with the `id` given.",
        "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
            {"name": "limit", "in": "query", "schema": {"type": "integer", "maximum": 100}}
        ],
        "requestBody": {"content": {"application/json": {"schema": {"$ref": reply}}}},
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": reply}}}},
            "404": {"description": "Not found"}
        }
    })
}

fn schema(j: usize, schemas: usize) -> Value {
    json!({
        "type": "object",
        "description": format!("Schema number {j}."),
        "required": ["id"],
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "count": {"type": "integer"},
            "tags": {"type": "array", "items": {"type": "string"}},
            "next": {"$ref": format!("#/components/schemas/{}", schema_name((j + 1) % schemas))}
        }
    })
}

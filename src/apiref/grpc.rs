//! grpc definitions → `Reference`. Not written yet: the page shows the summary and the raw
//! definition (`render::api`).

use super::{Reference, Source};

pub fn reference(_source: &Source<'_>) -> Option<Reference> {
    None
}

//! Integration tests, compiled into one binary: one module per feature.

mod catalog_corpus;
mod cli;
mod support;

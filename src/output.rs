//! Output files: what the render and search stages produce and `write` puts in place — a
//! site-relative path and either the bytes or a file to copy as it is.

use std::fs;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub enum Content {
    Bytes(Vec<u8>),
    /// A file copied as it is (docs images and downloads).
    Copy(PathBuf),
}

#[derive(Clone, Debug)]
pub struct OutputFile {
    /// Site-relative path with forward slashes, e.g. `catalog/index.html`.
    pub path: String,
    pub content: Content,
    /// A redirect stub for another spelling of a page: written only where no real file
    /// already sits at that path (case-insensitive file systems would otherwise clobber it).
    pub is_alias: bool,
}

impl OutputFile {
    pub fn bytes(path: impl Into<String>, data: impl Into<Vec<u8>>) -> Self {
        OutputFile {
            path: path.into(),
            content: Content::Bytes(data.into()),
            is_alias: false,
        }
    }

    pub fn copy(path: impl Into<String>, from: PathBuf) -> Self {
        OutputFile {
            path: path.into(),
            content: Content::Copy(from),
            is_alias: false,
        }
    }

    pub fn len(&self) -> u64 {
        match &self.content {
            Content::Bytes(b) => b.len() as u64,
            Content::Copy(p) => fs::metadata(p).map(|m| m.len()).unwrap_or(0),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

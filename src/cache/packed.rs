//! Page bodies kept LZ4-compressed between the docs stage and rendering: rendered HTML is
//! most of a docs site's memory (about 36 KB a page, 700 MB at 20,000 pages) and packs to
//! about a quarter, for a few milliseconds per thousand pages each way.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Packed(#[serde(with = "serde_bytes_vec")] Vec<u8>);

impl Packed {
    pub fn new(text: &str) -> Packed {
        Packed(lz4_flex::compress_prepend_size(text.as_bytes()))
    }

    /// The text; empty if the bytes were damaged (they never leave this process unchecked:
    /// cache entries are read back through the same format).
    pub fn unpack(&self) -> String {
        lz4_flex::decompress_size_prepended(&self.0)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .unwrap_or_default()
    }
}

impl fmt::Debug for Packed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Packed({} bytes)", self.0.len())
    }
}

/// Bytes as one length-prefixed blob rather than a sequence of numbers.
mod serde_bytes_vec {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(v)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let b: &[u8] = <&[u8]>::deserialize(d)?;
        Ok(b.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_comes_back_as_it_went_in() {
        let html = "<p>Ünïcode &amp; <code>x</code></p>".repeat(100);
        let p = Packed::new(&html);
        assert_eq!(p.unpack(), html);
        assert!(p.0.len() < html.len() / 4);
        assert_eq!(Packed::new(""), Packed::new(""));
    }
}

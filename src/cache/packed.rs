//! Page bodies, plain while a page is on its way to being drawn and LZ4-compressed when kept
//! longer: rendered HTML is most of a docs site's memory (about 20–40 KB a page) and packs to
//! about a quarter, for a few milliseconds per thousand pages each way. A build draws each docs
//! site as soon as its pages are rendered, so its bodies are never packed; `serve` keeps every
//! body, packed; the page cache stores them packed.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[derive(Clone)]
pub enum Packed {
    Plain(String),
    Lz4(Vec<u8>),
}

impl Default for Packed {
    fn default() -> Self {
        Packed::Plain(String::new())
    }
}

impl Packed {
    /// `text`, packed at once.
    pub fn new(text: &str) -> Packed {
        Packed::Lz4(lz4_flex::compress_prepend_size(text.as_bytes()))
    }

    /// `text`, packed only if it is kept (`pack`).
    pub fn plain(text: String) -> Packed {
        Packed::Plain(text)
    }

    /// Packs a plain body, to be kept.
    pub fn pack(&mut self) {
        if let Packed::Plain(text) = self {
            *self = Packed::new(text);
        }
    }

    /// The text; empty if the bytes were damaged (they never leave this process unchecked:
    /// cache entries are read back through the same format).
    pub fn unpack(&self) -> String {
        match self {
            Packed::Plain(text) => text.clone(),
            Packed::Lz4(bytes) => lz4_flex::decompress_size_prepended(bytes)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_default(),
        }
    }
}

/// Equal when the texts are, packed or not.
impl PartialEq for Packed {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Packed::Lz4(a), Packed::Lz4(b)) => a == b,
            _ => self.unpack() == other.unpack(),
        }
    }
}

impl Eq for Packed {}

impl fmt::Debug for Packed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Packed::Plain(text) => write!(f, "Plain({} bytes)", text.len()),
            Packed::Lz4(bytes) => write!(f, "Packed({} bytes)", bytes.len()),
        }
    }
}

/// Always stored packed, as one length-prefixed blob rather than a sequence of numbers.
impl Serialize for Packed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Packed::Plain(text) => {
                s.serialize_bytes(&lz4_flex::compress_prepend_size(text.as_bytes()))
            }
            Packed::Lz4(bytes) => s.serialize_bytes(bytes),
        }
    }
}

impl<'de> Deserialize<'de> for Packed {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Packed, D::Error> {
        let b: &[u8] = <&[u8]>::deserialize(d)?;
        Ok(Packed::Lz4(b.to_vec()))
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
        assert!(matches!(&p, Packed::Lz4(b) if b.len() < html.len() / 4));
        assert_eq!(Packed::new(""), Packed::new(""));
    }

    #[test]
    fn a_plain_body_packs_and_stores_as_a_packed_one() {
        let html = "<pre>fn main() {}</pre>".repeat(50);
        let mut p = Packed::plain(html.clone());
        assert_eq!(p, Packed::new(&html));
        let stored = postcard::to_stdvec(&p).expect("serialises");
        assert_eq!(
            stored,
            postcard::to_stdvec(&Packed::new(&html)).expect("serialises")
        );
        let back: Packed = postcard::from_bytes(&stored).expect("deserialises");
        assert_eq!(back.unpack(), html);
        p.pack();
        assert!(matches!(&p, Packed::Lz4(_)));
        assert_eq!(p.unpack(), html);
        assert_ne!(Packed::plain("a".into()), Packed::new("b"));
    }
}

//! Page bodies, plain while a page is on its way to being drawn and LZ4-compressed when kept
//! longer: rendered HTML is most of a docs site's memory (about 20–40 KB a page) and packs to
//! about a quarter, for a few milliseconds per thousand pages each way. A build draws each docs
//! site as soon as its pages are rendered, so its bodies are never packed; `serve` keeps every
//! body, packed; the page cache stores them packed.

use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
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
        self.text().into_owned()
    }

    /// The text, borrowed when it is kept plain.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Packed::Plain(text) => std::borrow::Cow::Borrowed(text),
            Packed::Lz4(bytes) => std::borrow::Cow::Owned(
                lz4_flex::decompress_size_prepended(bytes)
                    .ok()
                    .and_then(|b| String::from_utf8(b).ok())
                    .unwrap_or_default(),
            ),
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

/// A value kept serialised and LZ4-compressed until it is read: a page's search sections,
/// plain text read once by the search stage, take half the memory this way and one allocation
/// instead of one per section (the small allocations held across the docs stage are what keep
/// its freed page bodies from being reused). Like `Packed`, it starts plain and is packed only
/// if it is kept: a build indexes each docs site's sections as soon as the site is rendered.
pub enum PackedValue<T> {
    Plain(T),
    Lz4(Vec<u8>, PhantomData<fn() -> T>),
}

impl<T: Serialize + DeserializeOwned> PackedValue<T> {
    /// `value`, packed at once.
    pub fn new(value: &T) -> Self {
        PackedValue::Lz4(pack_value(value), PhantomData)
    }

    /// `value`, packed only if it is kept (`pack`).
    pub fn plain(value: T) -> Self {
        PackedValue::Plain(value)
    }

    /// Packs a plain value, to be kept.
    pub fn pack(&mut self) {
        if let PackedValue::Plain(value) = self {
            *self = PackedValue::new(value);
        }
    }

    /// The value; None if the bytes were damaged.
    pub fn get(&self) -> Option<T>
    where
        T: Clone,
    {
        match self {
            PackedValue::Plain(value) => Some(value.clone()),
            PackedValue::Lz4(bytes, _) => unpack_value(bytes),
        }
    }

    /// The value, moved out when it is plain; None if the bytes were damaged.
    pub fn into_value(self) -> Option<T> {
        match self {
            PackedValue::Plain(value) => Some(value),
            PackedValue::Lz4(bytes, _) => unpack_value(&bytes),
        }
    }

    /// The packed bytes (a plain value's as they would be stored).
    fn bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        match self {
            PackedValue::Plain(value) => std::borrow::Cow::Owned(pack_value(value)),
            PackedValue::Lz4(bytes, _) => std::borrow::Cow::Borrowed(bytes),
        }
    }
}

fn pack_value<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising plain data to a Vec cannot fail; if it ever did, the value reads as
    // missing (`get`), like damaged bytes.
    let raw = postcard::to_stdvec(value).unwrap_or_default();
    lz4_flex::compress_prepend_size(&raw)
}

fn unpack_value<T: DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    let raw = lz4_flex::decompress_size_prepended(bytes).ok()?;
    postcard::from_bytes(&raw).ok()
}

/// Nothing packed: reads as missing (`get`).
impl<T> Default for PackedValue<T> {
    fn default() -> Self {
        PackedValue::Lz4(Vec::new(), PhantomData)
    }
}

impl<T: Clone> Clone for PackedValue<T> {
    fn clone(&self) -> Self {
        match self {
            PackedValue::Plain(value) => PackedValue::Plain(value.clone()),
            PackedValue::Lz4(bytes, _) => PackedValue::Lz4(bytes.clone(), PhantomData),
        }
    }
}

/// Equal when the serialised values are (postcard writes a value one way only), packed or
/// not.
impl<T: Serialize + DeserializeOwned> PartialEq for PackedValue<T> {
    fn eq(&self, other: &Self) -> bool {
        self.bytes() == other.bytes()
    }
}

impl<T> fmt::Debug for PackedValue<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackedValue::Plain(_) => write!(f, "PackedValue(plain)"),
            PackedValue::Lz4(bytes, _) => write!(f, "PackedValue({} bytes)", bytes.len()),
        }
    }
}

/// Always stored packed.
impl<T: Serialize + DeserializeOwned> Serialize for PackedValue<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(&self.bytes())
    }
}

impl<'de, T> Deserialize<'de> for PackedValue<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let b: &[u8] = <&[u8]>::deserialize(d)?;
        Ok(PackedValue::Lz4(b.to_vec(), PhantomData))
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

    #[test]
    fn a_packed_value_reads_back_and_survives_the_cache_format() {
        let value: Vec<(Option<String>, String)> = (0..40)
            .map(|i| (Some(format!("h{i}")), "words words words ".repeat(i)))
            .collect();
        let packed = PackedValue::new(&value);
        assert_eq!(packed.get(), Some(value.clone()));
        assert!(packed.bytes().len() < postcard::to_stdvec(&value).expect("serialises").len() / 4);
        let stored = postcard::to_stdvec(&packed).expect("serialises");
        let back: PackedValue<Vec<(Option<String>, String)>> =
            postcard::from_bytes(&stored).expect("deserialises");
        assert_eq!(back, packed);
        let damaged = PackedValue::<Vec<String>>::Lz4(vec![9, 0, 0, 0, 1], PhantomData);
        assert_eq!(damaged.get(), None);
    }

    #[test]
    fn a_plain_value_is_moved_out_and_stores_as_a_packed_one() {
        let value = vec!["a section's words".to_string(); 30];
        let mut plain = PackedValue::plain(value.clone());
        assert_eq!(plain, PackedValue::new(&value));
        assert_eq!(
            postcard::to_stdvec(&plain).expect("serialises"),
            postcard::to_stdvec(&PackedValue::new(&value)).expect("serialises")
        );
        assert_eq!(plain.clone().into_value(), Some(value.clone()));
        plain.pack();
        assert!(matches!(&plain, PackedValue::Lz4(..)));
        assert_eq!(plain.into_value(), Some(value));
    }
}

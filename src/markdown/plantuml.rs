//! PlantUML blocks drawn by a configured PlantUML server: the page links an `<img>` at
//! `{server}/svg/{encoded}`, the source encoded as PlantUML's servers expect (raw deflate, then
//! PlantUML's own base64 alphabet). As an image, nothing the server returns can run in the page.

use std::io::Write;

use flate2::Compression;
use flate2::write::DeflateEncoder;

use crate::html::escape_attr;

/// PlantUML's base64 digits: `0-9A-Za-z-_`, in that order (not RFC 4648's).
const ALPHABET: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// The `<img>` for a block, `server` without a trailing slash.
pub fn server_img(server: &str, text: &str) -> String {
    let mut html = String::from(
        "<div class=\"diagram\"><img class=\"plantuml\" alt=\"PlantUML diagram\" src=\"",
    );
    escape_attr(&mut html, &format!("{server}/svg/{}", encode(text)));
    html.push_str("\" loading=\"lazy\"></div>");
    html
}

/// The source as it appears in a PlantUML server URL.
pub fn encode(text: &str) -> String {
    let mut deflater = DeflateEncoder::new(Vec::new(), Compression::best());
    // Writing to a Vec cannot fail; an empty result only makes an empty diagram.
    let _ = deflater.write_all(text.as_bytes());
    let bytes = deflater.finish().unwrap_or_default();
    let mut out = String::with_capacity(bytes.len() * 4 / 3 + 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for shift in [18, 12, 6, 0] {
            out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::DeflateDecoder;
    use std::io::Read;

    fn decode(encoded: &str) -> String {
        let digits: Vec<u32> = encoded
            .bytes()
            .map(|c| ALPHABET.iter().position(|&a| a == c).expect("digit") as u32)
            .collect();
        let mut bytes = Vec::new();
        for q in digits.chunks(4) {
            let n = q.iter().fold(0, |n, d| (n << 6) | d) << (6 * (4 - q.len()));
            bytes.extend([(n >> 16) as u8, (n >> 8) as u8, n as u8]);
        }
        let mut text = String::new();
        // Padding bytes after the deflate stream's end are ignored by the decoder.
        DeflateDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .expect("inflates");
        text
    }

    #[test]
    fn encodes_as_plantuml_documents() {
        // https://plantuml.com/text-encoding: "Bob -> Alice : hello" is
        // SyfFKj2rKt3CoKnELR1Io4ZDoSa70000 (that page's compressor; the bytes it carries are
        // what matters, so the known string is also decoded with this module's alphabet).
        assert_eq!(
            decode("SyfFKj2rKt3CoKnELR1Io4ZDoSa70000"),
            "Bob -> Alice : hello"
        );
        assert_eq!(
            encode("Bob -> Alice : hello"),
            "SyfFKj2rKt3CoKnELR1Io4ZDoSa70000"
        );
        let text = "@startuml\nA -> B : «ok» & <go>\n@enduml\n";
        assert_eq!(decode(&encode(text)), text);
    }

    #[test]
    fn the_img_url_is_escaped() {
        let html = server_img("https://uml.example/p?a=1&b=\"", "A -> B");
        assert!(
            html.contains("src=\"https://uml.example/p?a=1&amp;b=&quot;/svg/"),
            "{html}"
        );
    }
}

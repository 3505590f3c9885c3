//! PlantUML blocks drawn by what stagedoor.yaml configures: a server (the page links an `<img>`
//! at `{server}/svg/{encoded}`, the source encoded as PlantUML's servers expect: raw deflate,
//! then PlantUML's own base64 alphabet) or a command (its SVG inlined as a `data:` image). As
//! images, nothing the renderer returns can run in the page.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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

/// How long one diagram may take to draw (PlantUML's JVM start is most of it).
pub const COMMAND_TIME_LIMIT: Duration = Duration::from_secs(30);
/// Larger output is not put in a page.
const MAX_SVG_BYTES: usize = 2 * 1024 * 1024;

/// Runs the configured command with the source on stdin; its SVG becomes an `<img>` with a
/// `data:` URL, where nothing in it can run (no sanitiser has to understand PlantUML's SVG).
pub fn run_command(argv: &[String], text: &str) -> Result<String, String> {
    let svg = run_with_limit(argv, text, COMMAND_TIME_LIMIT)?;
    let start = svg.trim_start();
    if !(start.starts_with("<?xml") || start.starts_with("<svg")) || svg.len() > MAX_SVG_BYTES {
        return Err(format!(
            "`{}` did not write an SVG; shown as code",
            argv.join(" ")
        ));
    }
    let mut html = String::from(
        "<div class=\"diagram\"><img class=\"plantuml\" alt=\"PlantUML diagram\" src=\"",
    );
    escape_attr(&mut html, &svg_data_url(&svg));
    html.push_str("\"></div>");
    Ok(html)
}

fn run_with_limit(argv: &[String], text: &str, limit: Duration) -> Result<String, String> {
    let shown = argv.join(" ");
    let (program, args) = argv.split_first().ok_or("plantuml.command is empty")?;
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not run `{shown}` for a PlantUML block: {e}; shown as code"))?;
    // Feed and drain on threads: a full pipe in either direction would otherwise block us.
    let input = text.to_string();
    let stdin = child.stdin.take();
    std::thread::spawn(move || stdin.map(|mut s| s.write_all(input.as_bytes())));
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.take(MAX_SVG_BYTES as u64 + 1).read_to_end(&mut out);
        }
        out
    });
    let started = Instant::now();
    loop {
        match child.try_wait() {
            Ok(Some(status)) if status.success() => break,
            Ok(Some(status)) => {
                return Err(format!(
                    "`{shown}` failed ({status}) on a PlantUML block; shown as code"
                ));
            }
            Ok(None) if started.elapsed() < limit => std::thread::sleep(Duration::from_millis(20)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "`{shown}` took over {} s on a PlantUML block; shown as code",
                    limit.as_secs()
                ));
            }
        }
    }
    let out = reader.join().unwrap_or_default();
    String::from_utf8(out).map_err(|_| format!("`{shown}` wrote no UTF-8 SVG; shown as code"))
}

/// `data:image/svg+xml,…` with everything but plain characters percent-encoded.
fn svg_data_url(svg: &str) -> String {
    let mut url = String::from("data:image/svg+xml,");
    for b in svg.bytes() {
        if b.is_ascii_alphanumeric() || b"-._/:=,;".contains(&b) {
            url.push(char::from(b));
        } else {
            url.push_str(&format!("%{b:02X}"));
        }
    }
    url
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
    fn a_command_draws_an_image_and_failures_are_messages() {
        let cat = ["cat".to_string()];
        let img = run_command(
            &cat,
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>x</script></svg>",
        )
        .expect("cat echoes an SVG");
        assert!(img.contains("src=\"data:image/svg+xml,%3Csvg"), "{img}");
        assert!(!img.contains("<script"), "{img}");
        assert!(run_command(&cat, "not svg").is_err());
        assert!(run_command(&["false".to_string()], "").is_err());
        assert!(run_command(&["/no/such/program".to_string()], "").is_err());
        let slow = ["sleep".to_string(), "5".to_string()];
        let started = Instant::now();
        assert!(run_with_limit(&slow, "", Duration::from_millis(100)).is_err());
        assert!(started.elapsed() < Duration::from_secs(3));
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

//! Real object stores on 127.0.0.1 for the publish tests, one per test, killed when dropped:
//! moto's S3 server (PyPI `moto[server]`) and Azurite's Blob service (npm `azurite`). When a
//! program is missing its tests are skipped with a note, unless STAGEDOOR_REQUIRE_SERVERS=1
//! (set by .ci/run, which installs both).

use std::collections::BTreeMap;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn installed(program: &str, install: &str) -> bool {
    let found = Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("STAGEDOOR_REQUIRE_SERVERS").is_none(),
            "{program} is required ({install})"
        );
        eprintln!("note: {program} missing ({install}); publish test skipped");
    }
    found
}

fn wait_until_up(port: u16, child: &mut Child, what: &str) {
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("{what} exited before listening: {status}");
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{what} did not listen on {port} within 60 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// A response: status, lower-case headers, body.
pub struct Got {
    pub status: u16,
    pub headers: BTreeMap<String, String>,
    pub body: Vec<u8>,
}

pub fn http(method: &str, url: &str, body: &[u8]) -> Got {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let resp = match method {
        "GET" => agent.get(url).call(),
        "PUT" => agent.put(url).send(body),
        "POST" => agent.post(url).send(body),
        other => panic!("no {other} here"),
    };
    let mut resp = resp.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_ascii_lowercase(),
                v.to_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    Got {
        status: resp.status().as_u16(),
        headers,
        body: resp
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_vec()
            .unwrap_or_default(),
    }
}

/// moto's S3 server. Its request log (stderr) is where tests count uploads and deletes.
pub struct Moto {
    child: Child,
    pub endpoint: String,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Moto {
    pub fn start() -> Option<Moto> {
        if !installed("moto_server", "pip install 'moto[server]'") {
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let log = dir.path().join("moto.log");
        let port = free_port();
        let mut child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("log file"))
            .spawn()
            .expect("moto_server starts");
        wait_until_up(port, &mut child, "moto_server");
        Some(Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            log,
            _dir: dir,
        })
    }

    /// A bucket anyone may read and list, so tests look at objects with plain HTTP as a
    /// browser would.
    pub fn public_bucket(&self, name: &str) {
        let made = http("PUT", &format!("{}/{name}", self.endpoint), b"");
        assert_eq!(made.status, 200, "creating bucket {name}");
        let policy = format!(
            r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow","Principal":"*","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::{name}/*"}},{{"Effect":"Allow","Principal":"*","Action":"s3:ListBucket","Resource":"arn:aws:s3:::{name}"}}]}}"#
        );
        let set = http(
            "PUT",
            &format!("{}/{name}?policy", self.endpoint),
            policy.as_bytes(),
        );
        assert_eq!(set.status, 200, "bucket policy");
    }

    pub fn get(&self, bucket_key: &str) -> Got {
        http("GET", &format!("{}/{bucket_key}", self.endpoint), b"")
    }

    pub fn put(&self, bucket_key: &str, body: &str) {
        let put = http(
            "PUT",
            &format!("{}/{bucket_key}", self.endpoint),
            body.as_bytes(),
        );
        assert_eq!(put.status, 200, "PUT {bucket_key}");
    }

    /// Every key in the bucket (one page of 1,000 is enough for these sites).
    pub fn keys(&self, bucket: &str) -> Vec<String> {
        let listed = self.get(&format!("{bucket}?list-type=2&max-keys=1000"));
        let text = String::from_utf8_lossy(&listed.body).into_owned();
        assert!(
            !text.contains("<IsTruncated>true"),
            "bucket too big to list"
        );
        text.split("<Key>")
            .skip(1)
            .filter_map(|s| s.split("</Key>").next())
            .map(str::to_string)
            .collect()
    }

    /// With `on`, every request must carry credentials known to the server's IAM (none are:
    /// every signed request is refused); off, anything goes.
    pub fn require_auth(&self, on: bool) {
        let count: &[u8] = if on { b"0" } else { b"inf" };
        let set = http(
            "POST",
            &format!("{}/moto-api/reset-auth", self.endpoint),
            count,
        );
        assert_eq!(set.status, 200, "moto reset-auth");
    }

    /// (method, path) of every request served so far, in order.
    pub fn requests(&self) -> Vec<(String, String)> {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        text.lines()
            .filter_map(|l| l.split('"').nth(1))
            .filter_map(|req| {
                let mut parts = req.split(' ');
                Some((parts.next()?.to_string(), parts.next()?.to_string()))
            })
            .collect()
    }

    /// The environment `stagedoor publish` needs to reach this server.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("AWS_ACCESS_KEY_ID", "testing".into()),
            ("AWS_SECRET_ACCESS_KEY", "testing-secret".into()),
            ("AWS_REGION", "us-east-1".into()),
            ("AWS_ENDPOINT_URL", self.endpoint.clone()),
        ]
    }
}

/// Azurite's Blob service, with its well-known development account.
pub struct Azurite {
    child: Child,
    pub endpoint: String,
    _dir: tempfile::TempDir,
}

impl Drop for Azurite {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub const AZURITE_ACCOUNT: &str = "devstoreaccount1";
pub const AZURITE_KEY: &str =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

impl Azurite {
    pub fn start() -> Option<Azurite> {
        if !installed("azurite-blob", "npm install -g azurite") {
            return None;
        }
        let dir = tempfile::tempdir().expect("temp dir");
        let port = free_port();
        let mut child = Command::new("azurite-blob")
            .args(["--blobHost", "127.0.0.1", "--blobPort", &port.to_string()])
            .arg("--location")
            .arg(dir.path())
            .args(["--silent", "--skipApiVersionCheck", "--loose"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("azurite-blob starts");
        wait_until_up(port, &mut child, "azurite-blob");
        Some(Azurite {
            child,
            endpoint: format!("http://127.0.0.1:{port}/{AZURITE_ACCOUNT}"),
            _dir: dir,
        })
    }

    /// A container whose blobs anyone may read, so tests look at them with plain HTTP.
    /// Creating it takes a signed request (Shared Key, the account's well-known key).
    pub fn public_container(&self, name: &str) {
        let url = format!("{}/{name}?restype=container", self.endpoint);
        let date = httpdate::fmt_http_date(std::time::SystemTime::now());
        let version = "2021-08-06";
        let to_sign = format!(
            "PUT\n\n\n\n\n\n\n\n\n\n\n\nx-ms-blob-public-access:blob\nx-ms-date:{date}\nx-ms-version:{version}\n/{AZURITE_ACCOUNT}/{AZURITE_ACCOUNT}/{name}\nrestype:container"
        );
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD;
        let key = ring::hmac::Key::new(
            ring::hmac::HMAC_SHA256,
            &b64.decode(AZURITE_KEY).expect("key is base64"),
        );
        let signature = b64.encode(ring::hmac::sign(&key, to_sign.as_bytes()).as_ref());
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let mut made = agent
            .put(&url)
            .header("x-ms-blob-public-access", "blob")
            .header("x-ms-date", &date)
            .header("x-ms-version", version)
            .header(
                "Authorization",
                &format!("SharedKey {AZURITE_ACCOUNT}:{signature}"),
            )
            .send(&[][..])
            .expect("azurite answers");
        let status = made.status().as_u16();
        let body = made.body_mut().read_to_string().unwrap_or_default();
        assert_eq!(status, 201, "creating container {name}: {body}");
    }

    pub fn get(&self, container_key: &str) -> Got {
        http("GET", &format!("{}/{container_key}", self.endpoint), b"")
    }

    /// The environment `stagedoor publish` reads for Azure, as `az storage` reads it.
    pub fn env(&self, key: &str) -> Vec<(&'static str, String)> {
        vec![(
            "AZURE_STORAGE_CONNECTION_STRING",
            format!(
                "DefaultEndpointsProtocol=http;AccountName={AZURITE_ACCOUNT};AccountKey={key};BlobEndpoint={};",
                self.endpoint
            ),
        )]
    }
}

/// An HTTP proxy on 127.0.0.1 in front of a store that answers every `nth` request with
/// `503 Service Unavailable` instead of passing it on: transient failures, for the retry
/// test. One request per connection (it answers `Connection: close`).
pub struct FlakyProxy {
    pub endpoint: String,
    pub failed: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl FlakyProxy {
    pub fn start(upstream: &str, nth: usize) -> FlakyProxy {
        use std::io::{Read, Write};
        use std::sync::atomic::{AtomicUsize, Ordering};
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let upstream = upstream
            .trim_start_matches("http://")
            .trim_end_matches('/')
            .to_string();
        let failed = std::sync::Arc::new(AtomicUsize::new(0));
        let count = failed.clone();
        std::thread::spawn(move || {
            let seen = AtomicUsize::new(0);
            for client in listener.incoming().flatten() {
                let upstream = upstream.clone();
                let n = seen.fetch_add(1, Ordering::Relaxed) + 1;
                let fail = n.is_multiple_of(nth);
                if fail {
                    count.fetch_add(1, Ordering::Relaxed);
                }
                std::thread::spawn(move || {
                    let mut client = client;
                    let Some(request) = read_request(&mut client) else {
                        return;
                    };
                    if fail {
                        let _ = client.write_all(
                            b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                        );
                        return;
                    }
                    let Ok(mut up) = std::net::TcpStream::connect(&upstream) else {
                        return;
                    };
                    let _ = up.write_all(&request);
                    let mut response = Vec::new();
                    let _ = up.read_to_end(&mut response);
                    let _ = client.write_all(&response);
                });
            }
        });
        FlakyProxy {
            endpoint: format!("http://127.0.0.1:{port}"),
            failed,
        }
    }
}

/// One whole HTTP request (head and `Content-Length` body), its `Connection` header made
/// `close` so the upstream ends the response by closing.
fn read_request(stream: &mut std::net::TcpStream) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let head_end = loop {
        let n = stream.read(&mut chunk).ok().filter(|n| *n > 0)?;
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse().ok())
                .flatten()
        })
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).ok().filter(|n| *n > 0)?;
        buf.extend_from_slice(&chunk[..n]);
    }
    let mut lines: Vec<&str> = head
        .trim_end()
        .split("\r\n")
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    lines.push("Connection: close");
    let mut request = format!("{}\r\n\r\n", lines.join("\r\n")).into_bytes();
    request.extend_from_slice(&buf[head_end..]);
    Some(request)
}

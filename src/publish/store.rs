//! Where a site is published: a URL (`s3://bucket/prefix`, `gs://bucket/prefix`,
//! `az://container/prefix`, `file:///path`) opened as an `object_store` store, with
//! credentials found where each cloud's own command-line tool finds them:
//! - S3: `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN`, web identity and
//!   container credentials, instance metadata (all read by object_store), and the shared
//!   files `~/.aws/credentials` and `~/.aws/config` for `AWS_PROFILE` (read here); region from
//!   `AWS_REGION`/`AWS_DEFAULT_REGION` or the profile; `AWS_ENDPOINT_URL` or
//!   `publish.endpoint` for MinIO, Ceph, R2 and other S3-compatible stores.
//! - GCS: `GOOGLE_APPLICATION_CREDENTIALS` / application default credentials.
//! - Azure: `AZURE_STORAGE_ACCOUNT` + `AZURE_STORAGE_KEY` or `AZURE_STORAGE_SAS_TOKEN`, or
//!   `AZURE_STORAGE_CONNECTION_STRING` (the names `az storage` reads), and object_store's
//!   own `AZURE_STORAGE_*` names (service principals, managed identity, the emulator).
//!
//! Secrets are never printed: every message from the store passes through `redact`.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use object_store::ObjectStore;
use object_store::aws::AmazonS3Builder;
use object_store::azure::MicrosoftAzureBuilder;
use object_store::gcp::GoogleCloudStorageBuilder;
use object_store::local::LocalFileSystem;
use object_store::path::Path as ObjectPath;

use crate::config::PublishConfig;

pub struct Target {
    /// The URL as given, for messages.
    pub url: String,
    pub store: Arc<dyn ObjectStore>,
    pub prefix: ObjectPath,
    /// Local folders keep no object metadata; Content-Type and Cache-Control go to clouds only.
    pub keeps_headers: bool,
    /// What to tell a user whose credentials were refused.
    pub credentials_hint: &'static str,
    secrets: Vec<String>,
}

impl Target {
    pub fn open(url: &str, settings: &PublishConfig) -> Result<Target> {
        let parsed = url::Url::parse(url).with_context(|| {
            format!("--to {url}: not a URL; use s3://bucket/prefix, gs://, az:// or file:///path")
        })?;
        let bucket = parsed.host_str().unwrap_or_default().to_string();
        let prefix_text = parsed.path().trim_matches('/').to_string();
        let prefix = prefix_path(&prefix_text)
            .with_context(|| format!("--to {url}: the prefix must be plain folder names"))?;
        let mut secrets = Vec::new();
        let (store, keeps_headers, hint): (Arc<dyn ObjectStore>, bool, &'static str) =
            match parsed.scheme() {
                "s3" | "s3a" => (s3(&bucket, settings, &mut secrets)?, true, S3_HINT),
                "gs" => (gcs(&bucket, &mut secrets)?, true, GCS_HINT),
                "az" | "azure" => (azure(&bucket, settings, &mut secrets)?, true, AZURE_HINT),
                "file" => {
                    let dir = parsed.to_file_path().ok().filter(|_| bucket.is_empty());
                    let Some(dir) = dir else {
                        bail!("--to {url}: a folder URL looks like file:///absolute/path");
                    };
                    (local(dir)?, false, "check that the folder is writable")
                }
                other => bail!(
                    "--to {url}: unknown scheme \"{other}\"; use s3://, gs://, az:// or file://"
                ),
            };
        if bucket.is_empty() && parsed.scheme() != "file" {
            bail!("--to {url}: no bucket or container named");
        }
        // The local store was opened at the folder itself; its prefix is empty.
        let prefix = if parsed.scheme() == "file" {
            ObjectPath::default()
        } else {
            prefix
        };
        Ok(Target {
            url: url.to_string(),
            store,
            prefix,
            keeps_headers,
            credentials_hint: hint,
            secrets,
        })
    }

    /// The object for a site-relative path (already checked to be plain segments); each
    /// segment is one path part, so nothing can climb out of the prefix.
    pub fn object(&self, rel: &str) -> ObjectPath {
        rel.split('/')
            .fold(self.prefix.clone(), |p, seg| p.join(seg))
    }

    /// A message with every secret value this target was opened with blanked out.
    pub fn redact(&self, message: &str) -> String {
        self.secrets
            .iter()
            .filter(|s| s.len() >= 4)
            .fold(message.to_string(), |m, s| {
                m.replace(s.as_str(), "[redacted]")
            })
    }
}

const S3_HINT: &str = "check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or AWS_PROFILE, and that they may write to the bucket";
const GCS_HINT: &str =
    "check GOOGLE_APPLICATION_CREDENTIALS, and that the account may write to the bucket";
const AZURE_HINT: &str = "check AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY or AZURE_STORAGE_SAS_TOKEN, or AZURE_STORAGE_CONNECTION_STRING";

fn prefix_path(text: &str) -> Result<ObjectPath> {
    if text.is_empty() {
        return Ok(ObjectPath::default());
    }
    if !super::manifest::is_confined(text) {
        bail!("bad prefix \"{text}\"");
    }
    Ok(text
        .split('/')
        .fold(ObjectPath::default(), |p, seg| p.join(seg)))
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn s3(
    bucket: &str,
    settings: &PublishConfig,
    secrets: &mut Vec<String>,
) -> Result<Arc<dyn ObjectStore>> {
    let mut b = AmazonS3Builder::from_env().with_bucket_name(bucket);
    let profile = aws_profile();
    if env("AWS_ACCESS_KEY_ID").is_none()
        && let (Some(id), Some(key)) = (
            profile.get("aws_access_key_id"),
            profile.get("aws_secret_access_key"),
        )
    {
        b = b.with_access_key_id(id).with_secret_access_key(key);
        if let Some(token) = profile.get("aws_session_token") {
            b = b.with_token(token);
        }
    }
    let region = (settings.region.clone())
        .or_else(|| env("AWS_REGION"))
        .or_else(|| env("AWS_DEFAULT_REGION"))
        .or_else(|| profile.get("region").cloned());
    if let Some(region) = region {
        b = b.with_region(region);
    }
    let endpoint = (settings.endpoint.clone())
        .or_else(|| env("AWS_ENDPOINT_URL_S3"))
        .or_else(|| env("AWS_ENDPOINT_URL"))
        .or_else(|| profile.get("endpoint_url").cloned());
    if let Some(endpoint) = endpoint {
        // S3-compatible stores on a private network often speak plain HTTP; the user chose it.
        b = b
            .with_allow_http(endpoint.starts_with("http://"))
            .with_endpoint(endpoint);
    }
    secrets.extend(
        ["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"]
            .iter()
            .filter_map(|n| env(n)),
    );
    secrets.extend(
        ["aws_secret_access_key", "aws_session_token"]
            .iter()
            .filter_map(|k| profile.get(*k).cloned()),
    );
    Ok(Arc::new(b.build().context("opening the S3 bucket")?))
}

/// The settings of `AWS_PROFILE` (or `default`) from the shared credentials and config
/// files, the credentials file winning, as the AWS CLI reads them.
fn aws_profile() -> std::collections::HashMap<String, String> {
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let profile = env("AWS_PROFILE").unwrap_or_else(|| "default".into());
    let config = env("AWS_CONFIG_FILE").map_or_else(|| home.join(".aws/config"), PathBuf::from);
    let credentials = env("AWS_SHARED_CREDENTIALS_FILE")
        .map_or_else(|| home.join(".aws/credentials"), PathBuf::from);
    let mut found = std::collections::HashMap::new();
    // In the config file, profiles other than default are named `[profile NAME]`.
    let config_section = if profile == "default" {
        profile.clone()
    } else {
        format!("profile {profile}")
    };
    for (file, section) in [(config, config_section), (credentials, profile)] {
        let Ok(ini) = ini::Ini::load_from_file(&file) else {
            continue;
        };
        if let Some(props) = ini.section(Some(section.as_str())) {
            for (k, v) in props.iter() {
                found.insert(k.to_ascii_lowercase(), v.to_string());
            }
        }
    }
    found
}

fn gcs(bucket: &str, secrets: &mut Vec<String>) -> Result<Arc<dyn ObjectStore>> {
    secrets.extend(env("GOOGLE_SERVICE_ACCOUNT_KEY"));
    let b = GoogleCloudStorageBuilder::from_env().with_bucket_name(bucket);
    Ok(Arc::new(b.build().context("opening the GCS bucket")?))
}

fn azure(
    container: &str,
    settings: &PublishConfig,
    secrets: &mut Vec<String>,
) -> Result<Arc<dyn ObjectStore>> {
    let mut b = MicrosoftAzureBuilder::from_env().with_container_name(container);
    // The names `az storage` reads, beside object_store's own.
    if let Some(account) = env("AZURE_STORAGE_ACCOUNT") {
        b = b.with_account(account);
    }
    if let Some(key) = env("AZURE_STORAGE_KEY") {
        secrets.push(key.clone());
        b = b.with_access_key(key);
    }
    for name in [
        "AZURE_STORAGE_ACCOUNT_KEY",
        "AZURE_STORAGE_ACCESS_KEY",
        "AZURE_STORAGE_SAS_TOKEN",
        "AZURE_STORAGE_SAS_KEY",
        "AZURE_STORAGE_CLIENT_SECRET",
        "AZURE_CLIENT_SECRET",
    ] {
        secrets.extend(env(name));
    }
    if let Some(conn) = env("AZURE_STORAGE_CONNECTION_STRING") {
        b = with_connection_string(b, &conn, secrets)?;
    }
    if let Some(endpoint) = &settings.endpoint {
        b = with_blob_endpoint(b, endpoint);
    }
    Ok(Arc::new(b.build().context("opening the Azure container")?))
}

/// An explicit endpoint (Azurite, Azure Stack, a private link); plain HTTP only if asked for.
fn with_blob_endpoint(b: MicrosoftAzureBuilder, endpoint: &str) -> MicrosoftAzureBuilder {
    b.with_allow_http(endpoint.starts_with("http://"))
        .with_endpoint(endpoint.trim_end_matches('/').to_string())
}

/// `AccountName=…;AccountKey=…;BlobEndpoint=…` or `UseDevelopmentStorage=true`.
fn with_connection_string(
    mut b: MicrosoftAzureBuilder,
    conn: &str,
    secrets: &mut Vec<String>,
) -> Result<MicrosoftAzureBuilder> {
    secrets.push(conn.to_string());
    for part in conn.split(';').filter(|p| !p.trim().is_empty()) {
        let Some((key, value)) = part.split_once('=') else {
            bail!(
                "AZURE_STORAGE_CONNECTION_STRING: \"{}\" is not key=value",
                key_only(part)
            );
        };
        match key.trim() {
            "AccountName" => b = b.with_account(value),
            "AccountKey" => {
                secrets.push(value.to_string());
                b = b.with_access_key(value);
            }
            "SharedAccessSignature" => {
                secrets.push(value.to_string());
                b = b.with_config("azure_storage_sas_key".parse()?, value);
            }
            "BlobEndpoint" => b = with_blob_endpoint(b, value),
            "UseDevelopmentStorage" if value.eq_ignore_ascii_case("true") => {
                b = b.with_use_emulator(true)
            }
            _ => {}
        }
    }
    Ok(b)
}

/// The key of a `key=value` part, so that a malformed secret is not echoed.
fn key_only(part: &str) -> &str {
    part.split('=').next().unwrap_or("")
}

fn local(dir: PathBuf) -> Result<Arc<dyn ObjectStore>> {
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let store = LocalFileSystem::new_with_prefix(&dir)
        .with_context(|| format!("opening {}", dir.display()))?;
    Ok(Arc::new(store))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_open_with_their_prefix_and_bad_ones_are_refused() {
        let settings = PublishConfig::default();
        let dir = tempfile::tempdir().unwrap();
        let url = format!("file://{}", dir.path().join("site").display());
        let t = Target::open(&url, &settings).unwrap();
        assert_eq!(t.object("a/index.html").as_ref(), "a/index.html");
        assert!(dir.path().join("site").is_dir());
        for bad in [
            "ftp://host/x",
            "s3:///nobucket",
            "not a url",
            "file://host/x",
        ] {
            assert!(Target::open(bad, &settings).is_err(), "{bad}");
        }
    }

    #[test]
    fn objects_stay_under_the_prefix() {
        let prefix = prefix_path("portal/v1").unwrap();
        assert_eq!(prefix.as_ref(), "portal/v1");
        assert!(prefix_path("a/../b").is_err());
        let t = Target {
            url: String::new(),
            store: Arc::new(object_store::memory::InMemory::new()),
            prefix,
            keeps_headers: true,
            credentials_hint: "",
            secrets: vec!["s3cr3tkey".into()],
        };
        assert_eq!(t.object("a/b.html").as_ref(), "portal/v1/a/b.html");
        assert_eq!(t.redact("denied for s3cr3tkey"), "denied for [redacted]");
    }
}

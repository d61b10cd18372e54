//! Enrollment: a server address and a one-time code become a device token.
//!
//! The token, the server address and what to trust about the server are
//! kept as [`Credentials`] in their own file, readable by the app's user
//! only and apart from the records, so that a copy of the data alone does
//! not carry the right to sync as this phone.
//!
//! A county office hands out enrollment as a QR code holding
//! `fieldledger://enroll?server=https://...&code=...&fp=<sha256 hex>`;
//! [`EnrollLink`] reads it.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::str::FromStr;

use fieldledger_model::wire::{EnrollRequest, UserInfo};
use reqwest::Url;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::sync::client::{Client, Token, parse_server};
use crate::sync::error::SyncError;
use crate::sync::tls::{Fingerprint, TlsError, Trust};

/// The contents of an enrollment QR code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrollLink {
    pub server: String,
    pub code: String,
    pub fingerprint: Option<Fingerprint>,
}

/// Why an enrollment QR text cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkError {
    #[error("二维码内容不是注册链接")]
    NotALink,
    #[error("注册链接缺少{0}")]
    Missing(&'static str),
    #[error("注册链接中的服务器地址必须以 https:// 开头")]
    BadServer,
    #[error("注册链接中的证书指纹格式不正确")]
    BadFingerprint,
}

impl FromStr for EnrollLink {
    type Err = LinkError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let url = Url::parse(text.trim()).map_err(|_| LinkError::NotALink)?;
        if url.scheme() != "fieldledger" || url.host_str() != Some("enroll") {
            return Err(LinkError::NotALink);
        }
        let param = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
                .filter(|v| !v.is_empty())
        };
        let server = param("server").ok_or(LinkError::Missing("服务器地址"))?;
        parse_server(&server).map_err(|_| LinkError::BadServer)?;
        let code = param("code").ok_or(LinkError::Missing("注册码"))?;
        let fingerprint = param("fp")
            .map(|fp| Fingerprint::parse(&fp).map_err(|_| LinkError::BadFingerprint))
            .transpose()?;

        Ok(EnrollLink {
            server,
            code,
            fingerprint,
        })
    }
}

/// What trust is kept as, in the credentials file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum StoredTrust {
    Fingerprint(String),
    CaPem(String),
}

/// What a phone needs to sync, saved at enrollment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    pub server: String,
    pub token: Token,
    pub device_id: Uuid,
    pub user: UserInfo,
    trust: StoredTrust,
}

impl Credentials {
    /// What to trust about the server.
    pub fn trust(&self) -> Result<Trust, TlsError> {
        match &self.trust {
            StoredTrust::Fingerprint(hex) => Fingerprint::parse(hex).map(Trust::Pinned),
            StoredTrust::CaPem(pem) => Ok(Trust::Ca(pem.clone())),
        }
    }

    /// A client for the server, carrying the token.
    pub fn client(&self) -> Result<Client, SyncError> {
        Ok(Client::new(&self.server, &self.trust()?)?.with_token(self.token.clone()))
    }

    /// Reads credentials saved by [`Credentials::save`]; `None` when the
    /// phone has not enrolled.
    pub fn load(path: &Path) -> Result<Option<Credentials>, SyncError> {
        let text = match fs::read(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(SyncError::Io(e)),
        };

        serde_json::from_slice(&text)
            .map(Some)
            .map_err(SyncError::BadAnswer)
    }

    /// Writes the credentials to `path`, readable by this user only,
    /// replacing any earlier ones whole.
    pub fn save(&self, path: &Path) -> Result<(), SyncError> {
        let json = serde_json::to_vec_pretty(self).map_err(SyncError::BadAnswer)?;
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let partial = path.with_extension("partial");
        let mut file = crate::store::key::private_file(&partial)?;
        file.write_all(&json)?;
        file.sync_all()?;
        fs::rename(&partial, path)?;

        Ok(())
    }
}

/// Who the phone says it is when enrolling.
#[derive(Debug, Clone)]
pub struct DeviceInfo {
    pub name: String,
    pub app_version: String,
}

/// Trades `code` for a token at `server`, trusting `trust`.
#[tracing::instrument(skip_all, fields(server = %server))]
pub async fn enroll(
    server: &str,
    code: &str,
    trust: Trust,
    device: &DeviceInfo,
) -> Result<Credentials, SyncError> {
    let client = Client::new(server, &trust)?;
    let request = EnrollRequest {
        code: code.trim().to_owned(),
        device_name: device.name.clone(),
        app_version: device.app_version.clone(),
    };
    let answer = client.enroll(&request).await?;
    tracing::info!(device.id = %answer.device_id, "enrolled");

    Ok(Credentials {
        server: client.server().to_string(),
        token: Token(answer.token),
        device_id: answer.device_id,
        user: answer.user,
        trust: match trust {
            Trust::Pinned(fp) => StoredTrust::Fingerprint(fp.to_hex()),
            Trust::Ca(pem) => StoredTrust::CaPem(pem),
        },
    })
}

/// Enrolls from the text of a QR code; it must carry a fingerprint.
pub async fn enroll_link(link: &EnrollLink, device: &DeviceInfo) -> Result<Credentials, SyncError> {
    let fp = link
        .fingerprint
        .ok_or(SyncError::Tls(TlsError::BadFingerprint))?;

    enroll(&link.server, &link.code, Trust::Pinned(fp), device).await
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_enrollment_link() {
        let fp = "ab".repeat(32);
        let text =
            format!("fieldledger://enroll?server=https%3A%2F%2F10.0.0.2%3A8443&code=K7-2Q&fp={fp}");
        let link: EnrollLink = text.parse().unwrap();
        assert_eq!(link.server, "https://10.0.0.2:8443");
        assert_eq!(link.code, "K7-2Q");
        assert_eq!(link.fingerprint.unwrap().0, [0xab; 32]);
    }

    #[test]
    fn refuses_bad_links() {
        let fp = "ab".repeat(32);
        let cases = [
            ("https://x/enroll?code=1".to_owned(), LinkError::NotALink),
            (
                "fieldledger://enroll?code=1".to_owned(),
                LinkError::Missing("服务器地址"),
            ),
            (
                "fieldledger://enroll?server=https://x".to_owned(),
                LinkError::Missing("注册码"),
            ),
            (
                "fieldledger://enroll?server=http://x&code=1".to_owned(),
                LinkError::BadServer,
            ),
            (
                "fieldledger://enroll?server=https://x&code=1&fp=12".to_owned(),
                LinkError::BadFingerprint,
            ),
            (
                format!("fieldledger://other?server=https://x&code=1&fp={fp}"),
                LinkError::NotALink,
            ),
        ];
        for (text, want) in cases {
            assert_eq!(text.parse::<EnrollLink>().unwrap_err(), want, "{text}");
        }
    }

    #[test]
    fn credentials_file_is_private_and_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/device.json");
        let creds = Credentials {
            server: "https://x/".into(),
            token: Token("t".into()),
            device_id: Uuid::nil(),
            user: UserInfo {
                id: Uuid::nil(),
                name: "n".into(),
                role: fieldledger_model::wire::Role::Instructor,
                area_id: Uuid::nil(),
                instructor_id: None,
            },
            trust: StoredTrust::Fingerprint("cd".repeat(32)),
        };
        creds.save(&path).unwrap();
        assert_eq!(Credentials::load(&path).unwrap().unwrap(), creds);
        assert_eq!(
            creds.trust().unwrap(),
            Trust::Pinned(Fingerprint([0xcd; 32]))
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}

//! Enrollment input: a server address and a one-time code, typed in or
//! pasted from the county office's QR code as
//! `fieldledger://enroll?server=https%3A%2F%2F…&code=…&fp=…`.

/// The scheme and path of an enrollment link.
const LINK_PREFIX: &str = "fieldledger://enroll?";

/// What enrolling needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrollLink {
    /// The server's base address, `https://…`.
    pub server: String,
    /// The one-time enrollment code.
    pub code: String,
    /// The SHA-256 fingerprint of the server's certificate, when the link
    /// carries one, for pinning a certificate the phone does not trust yet.
    pub fingerprint: Option<String>,
}

/// Why an enrollment input was refused. `Display` is shown to users.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EnrollError {
    #[error("请填写服务器地址")]
    MissingServer,
    #[error("服务器地址应以 https:// 开头")]
    NotHttps,
    #[error("请填写注册码")]
    MissingCode,
    #[error("无法识别二维码内容，请检查是否完整复制")]
    NotALink,
}

impl EnrollLink {
    /// Checks a typed address and code.
    pub fn from_fields(server: &str, code: &str) -> Result<Self, EnrollError> {
        let server = server.trim().trim_end_matches('/');
        let code = code.trim();
        if server.is_empty() {
            return Err(EnrollError::MissingServer);
        }
        if !server.starts_with("https://") {
            return Err(EnrollError::NotHttps);
        }
        if code.is_empty() {
            return Err(EnrollError::MissingCode);
        }

        Ok(Self {
            server: server.to_owned(),
            code: code.to_owned(),
            fingerprint: None,
        })
    }

    /// The same link pinning the typed certificate `fingerprint`; blank
    /// leaves it unset.
    pub fn with_fingerprint(mut self, fingerprint: &str) -> Self {
        let fingerprint = fingerprint.trim().replace(':', "");
        self.fingerprint = Some(fingerprint).filter(|f| !f.is_empty());
        self
    }

    /// Reads the text of an enrollment QR code.
    pub fn parse(text: &str) -> Result<Self, EnrollError> {
        let query = text
            .trim()
            .strip_prefix(LINK_PREFIX)
            .ok_or(EnrollError::NotALink)?;
        let (mut server, mut code, mut fingerprint) = (None, None, None);
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = percent_decode(value).ok_or(EnrollError::NotALink)?;
            match key {
                "server" => server = Some(value),
                "code" => code = Some(value),
                "fp" => fingerprint = Some(value).filter(|v| !v.is_empty()),
                _ => {}
            }
        }
        let mut link = Self::from_fields(
            server.as_deref().unwrap_or(""),
            code.as_deref().unwrap_or(""),
        )?;
        link.fingerprint = fingerprint;

        Ok(link)
    }
}

/// Decodes `%XX` escapes and `+`; `None` for a broken escape or bytes that
/// are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut input = text.bytes();
    while let Some(b) = input.next() {
        match b {
            b'%' => {
                let hex = [input.next()?, input.next()?];
                let hex = std::str::from_utf8(&hex).ok()?;
                bytes.push(u8::from_str_radix(hex, 16).ok()?);
            }
            b'+' => bytes.push(b' '),
            _ => bytes.push(b),
        }
    }

    String::from_utf8(bytes).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_qr_link() {
        let link = EnrollLink::parse(
            "fieldledger://enroll?server=https%3A%2F%2Fledger.example.cn%3A8443&code=AB12-CD34&fp=9f3a",
        )
        .unwrap();
        assert_eq!(link.server, "https://ledger.example.cn:8443");
        assert_eq!(link.code, "AB12-CD34");
        assert_eq!(link.fingerprint.as_deref(), Some("9f3a"));
    }

    #[test]
    fn refuses_what_is_not_a_link_or_not_https() {
        assert_eq!(EnrollLink::parse("hello"), Err(EnrollError::NotALink));
        assert_eq!(
            EnrollLink::parse("fieldledger://enroll?server=http%3A%2F%2Fx&code=1"),
            Err(EnrollError::NotHttps)
        );
        assert_eq!(
            EnrollLink::parse("fieldledger://enroll?server=https%3A%2F%2Fx&code=%G1"),
            Err(EnrollError::NotALink)
        );
        assert_eq!(
            EnrollLink::from_fields("https://x/", " "),
            Err(EnrollError::MissingCode)
        );
    }
}

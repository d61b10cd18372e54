//! Device tokens, enrollment codes and values that must stay out of logs.
//!
//! A token is 32 random bytes in hex, shown once to the phone; a code is
//! eight characters from an alphabet without look-alikes (no 0/O, 1/I/L),
//! written `ABCD-EFGH` so that it can be read out over the phone. The
//! database keeps only SHA-256 hashes of either.

use std::fmt;

use rand::Rng;
use sha2::{Digest, Sha256};

/// Characters of an enrollment code: capitals and digits a person cannot
/// mistake for one another.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// Characters in an enrollment code: 31^8 ≈ 8.5e11 codes, far beyond what
/// guessing can reach while a code lives (days) through a rate-limited door.
const CODE_LEN: usize = 8;

/// A new device token.
pub fn new_token() -> String {
    let bytes: [u8; 32] = rand::rng().random();
    hex::encode(bytes)
}

/// A new enrollment code, `ABCD-EFGH`.
pub fn new_code() -> String {
    let mut rng = rand::rng();
    let chars: String = (0..CODE_LEN)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    format!("{}-{}", &chars[..CODE_LEN / 2], &chars[CODE_LEN / 2..])
}

/// A code as typed (any case, spaces or dashes) in the form it is hashed.
pub fn normalise_code(typed: &str) -> String {
    typed
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// SHA-256 of `text`, in hex.
pub fn hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// A value that never shows itself in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the one place that needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[hidden]")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_typable_and_normalise() {
        let code = new_code();
        assert_eq!(code.len(), 9);
        assert!(!code.contains(['0', 'O', '1', 'I', 'L']));
        assert_eq!(
            normalise_code(&code.to_lowercase().replace('-', " ")),
            code.replace('-', "")
        );
    }

    #[test]
    fn secrets_hide_in_debug() {
        let s = Secret::new("postgres://u:pw@h/db");
        assert_eq!(format!("{s:?}"), "[hidden]");
        assert_eq!(new_token().len(), 64);
        assert_ne!(hash("a"), hash("b"));
    }
}

//! The database key and how the connection is opened with it.
//!
//! The database is encrypted by SQLCipher with a raw 256-bit key (no
//! passphrase derivation, so opening costs nothing). The key is made from the
//! operating system's random source on first start and kept in its own file,
//! in a directory apart from the database, readable by the app's user only.
//! On Android and iOS that file belongs in the platform keystore (Android
//! Keystore, iOS Keychain) instead; this module keeps it in a file on every
//! platform.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::Path;

use rusqlite::{Connection, ErrorCode};

use super::error::{Result, StoreError};

/// Bytes in a key.
const KEY_LEN: usize = 32;

/// How long a connection waits for another writer before failing; the app
/// and a background sync may share the file for short transactions.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Page cache of a connection, in KiB. SQLCipher decrypts every page it
/// reads from the file, so the cache must hold the list and tally indexes
/// of a phone with 100,000 visits (about 12 MiB) for them to stay fast.
const CACHE_KIB: i64 = 16 * 1024;

/// A 256-bit database key. `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub struct StoreKey([u8; KEY_LEN]);

impl fmt::Debug for StoreKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StoreKey(..)")
    }
}

impl StoreKey {
    /// A new key from the operating system's random source.
    pub fn generate() -> Result<Self> {
        let mut bytes = [0u8; KEY_LEN];
        getrandom::fill(&mut bytes).map_err(StoreError::Random)?;

        Ok(Self(bytes))
    }

    /// A key from its raw bytes.
    pub fn from_bytes(bytes: [u8; KEY_LEN]) -> Self {
        Self(bytes)
    }

    fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn from_hex(text: &str) -> Option<Self> {
        let text = text.trim();
        if text.len() != KEY_LEN * 2 || !text.is_ascii() {
            return None;
        }
        let mut bytes = [0u8; KEY_LEN];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).ok()?;
        }

        Some(Self(bytes))
    }

    /// Reads the key kept at `path`.
    pub fn load(path: &Path) -> Result<Self> {
        let text = fs::read_to_string(path).map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => StoreError::KeyMissing {
                path: path.to_owned(),
            },
            _ => StoreError::Io {
                path: path.to_owned(),
                source,
            },
        })?;

        Self::from_hex(&text).ok_or_else(|| StoreError::KeyUnreadable {
            path: path.to_owned(),
        })
    }

    /// Writes the key to `path`, which must not exist yet, readable by this
    /// user only. The file is written beside and renamed into place, so a
    /// crash leaves either no key or a whole one.
    pub fn save(&self, path: &Path) -> Result<()> {
        let io = |source| StoreError::Io {
            path: path.to_owned(),
            source,
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        private_dir(dir).map_err(io)?;
        let partial = path.with_extension("partial");
        let mut file = private_file(&partial).map_err(io)?;
        file.write_all(self.hex().as_bytes()).map_err(io)?;
        file.sync_all().map_err(io)?;
        fs::rename(&partial, path).map_err(io)?;
        fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;

        Ok(())
    }
}

#[cfg(unix)]
fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(not(unix))]
fn private_dir(dir: &Path) -> std::io::Result<()> {
    fs::create_dir_all(dir)
}

/// Creates or truncates a file only this user can read: the store's key and
/// the device's credentials.
#[cfg(unix)]
pub(crate) fn private_file(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
pub(crate) fn private_file(path: &Path) -> std::io::Result<fs::File> {
    fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
}

/// Opens the database at `path` with `key` and sets the connection up: WAL
/// journal, `synchronous = FULL` so that a commit is on disk when it
/// returns, foreign keys enforced. Fails with [`StoreError::WrongKey`] when
/// the key does not open the file.
pub fn open_connection(path: &Path, key: &StoreKey) -> Result<Connection> {
    let conn = Connection::open(path)?;
    conn.execute_batch(&format!("PRAGMA key = \"x'{}'\";", key.hex()))?;
    check_key(&conn)?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Corrupt {
            what: format!("journal mode {mode}"),
        });
    }
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "cache_size", -CACHE_KIB)?;

    Ok(conn)
}

/// Reads the schema, which SQLCipher can do only with the right key.
fn check_key(conn: &Connection) -> Result<()> {
    match conn.query_row("SELECT count(*) FROM sqlite_master", [], |row| {
        row.get::<_, i64>(0)
    }) {
        Ok(_) => Ok(()),
        Err(source) if source.sqlite_error_code() == Some(ErrorCode::NotADatabase) => {
            Err(StoreError::WrongKey { source })
        }
        Err(source) => Err(source.into()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_debug_hides_the_key() {
        let key = StoreKey::generate().unwrap();
        assert_eq!(StoreKey::from_hex(&key.hex()), Some(key.clone()));
        assert_eq!(format!("{key:?}"), "StoreKey(..)");
        assert_eq!(StoreKey::from_hex("abc"), None);
        assert_ne!(StoreKey::generate().unwrap(), key);
    }

    #[cfg(unix)]
    #[test]
    fn key_file_is_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/store.key");
        let key = StoreKey::generate().unwrap();
        key.save(&path).unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(StoreKey::load(&path).unwrap(), key);
    }
}

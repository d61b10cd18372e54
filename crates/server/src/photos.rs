//! Photos, stored as files in the data directory whichever database is in
//! use: `photos/<sha256>` when complete, `photos/<sha256>.part` while
//! arriving.
//!
//! An upload is resumable: each chunk is appended and synced to disk before
//! the answer, which reports how many bytes the server holds. A chunk must
//! start exactly there. When the last byte arrives the file's SHA-256 must
//! match its name, or the partial file is discarded.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use fieldledger_model::wire::PhotoProgress;
use sha2::{Digest, Sha256};

use crate::error::AppError;

/// Bytes hashed per read when checking a finished photo.
const HASH_BUFFER: usize = 64 * 1024;

pub struct PhotoStore {
    dir: PathBuf,
    max: u64,
    /// One lock per photo, so two uploads of one photo take turns.
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// One uploaded chunk.
pub struct Chunk {
    pub offset: u64,
    pub total: u64,
    pub bytes: bytes::Bytes,
}

impl PhotoStore {
    /// Keeps photos under `dir`, refusing files larger than `max` bytes.
    pub fn open(dir: PathBuf, max: u64) -> std::io::Result<Self> {
        std::fs::create_dir_all(&dir)?;

        Ok(Self {
            dir,
            max,
            locks: Mutex::new(HashMap::new()),
        })
    }

    /// What the server holds of photo `name`.
    pub async fn progress(&self, name: &str) -> Result<PhotoProgress, AppError> {
        let name = check_name(name)?;
        let (done, part) = (self.dir.join(&name), self.dir.join(format!("{name}.part")));

        Ok(tokio::task::spawn_blocking(move || held(&done, &part))
            .await
            .map_err(std::io::Error::other)??)
    }

    /// Appends `chunk` to photo `name`.
    pub async fn put(&self, name: &str, chunk: Chunk) -> Result<PhotoProgress, AppError> {
        let name = check_name(name)?;
        if chunk.total > self.max {
            return Err(AppError::BodyTooLarge);
        }
        if chunk.offset + chunk.bytes.len() as u64 > chunk.total {
            return Err(AppError::Invalid("照片分段超出了文件总长度".into()));
        }
        let lock = self.lock(&name);
        let _turn = lock.lock().await;
        let (done, part) = (self.dir.join(&name), self.dir.join(format!("{name}.part")));
        let dir = self.dir.clone();

        tokio::task::spawn_blocking(move || append(&dir, &name, &done, &part, chunk))
            .await
            .map_err(std::io::Error::other)?
    }

    fn lock(&self, name: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut locks = self
            .locks
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        locks.entry(name.to_owned()).or_default().clone()
    }
}

/// A photo's name is its SHA-256 in hex; upper case is accepted.
fn check_name(name: &str) -> Result<String, AppError> {
    if name.len() == 64 && name.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(name.to_ascii_lowercase())
    } else {
        Err(AppError::Invalid(
            "照片编号应为64位十六进制的SHA-256".into(),
        ))
    }
}

fn held(done: &Path, part: &Path) -> std::io::Result<PhotoProgress> {
    if let Ok(meta) = std::fs::metadata(done) {
        return Ok(PhotoProgress {
            received: meta.len(),
            complete: true,
        });
    }
    let received = std::fs::metadata(part).map(|m| m.len()).unwrap_or(0);

    Ok(PhotoProgress {
        received,
        complete: false,
    })
}

fn append(
    dir: &Path,
    name: &str,
    done: &Path,
    part: &Path,
    chunk: Chunk,
) -> Result<PhotoProgress, AppError> {
    let now = held(done, part)?;
    if now.complete {
        return Ok(now);
    }
    if chunk.offset != now.received {
        return Err(AppError::WrongOffset(now));
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(part)?;
    file.write_all(&chunk.bytes)?;
    file.sync_all()?;
    let received = now.received + chunk.bytes.len() as u64;
    if received < chunk.total {
        return Ok(PhotoProgress {
            received,
            complete: false,
        });
    }
    if sha256_of(part)? != name {
        std::fs::remove_file(part)?;
        return Err(AppError::HashMismatch);
    }
    std::fs::rename(part, done)?;
    std::fs::File::open(dir)?.sync_all()?;

    Ok(PhotoProgress {
        received,
        complete: true,
    })
}

fn sha256_of(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; HASH_BUFFER];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }

    Ok(hex::encode(hasher.finalize()))
}

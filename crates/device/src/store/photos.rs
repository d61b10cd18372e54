//! Photo metadata. The files stay where the camera put them (`local_path`);
//! the store tracks how much of each the server holds, so an upload resumes
//! where it stopped.

use std::path::PathBuf;

use rusqlite::params;
use uuid::Uuid;

use super::Store;
use super::error::Result;
use super::records::uuid_at;
use super::sql::{now_ms, u64_at};

/// A photo taken on a visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoMeta {
    /// SHA-256 of the file, lower-case hex; the photo's name everywhere.
    pub sha256: String,
    pub visit_id: Uuid,
    pub bytes: u64,
    pub width: u32,
    pub height: u32,
    pub local_path: PathBuf,
}

/// A photo with its upload progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoUpload {
    pub meta: PhotoMeta,
    /// Bytes the server last confirmed holding.
    pub received: u64,
    pub complete: bool,
}

fn upload(r: &rusqlite::Row<'_>) -> rusqlite::Result<PhotoUpload> {
    let path: String = r.get(5)?;
    Ok(PhotoUpload {
        meta: PhotoMeta {
            sha256: r.get(0)?,
            visit_id: uuid_at(r, 1)?,
            bytes: u64_at(r, 2)?,
            width: r.get(3)?,
            height: r.get(4)?,
            local_path: PathBuf::from(path),
        },
        received: u64_at(r, 6)?,
        complete: r.get(7)?,
    })
}

impl Store {
    /// Records a photo to upload. Adding the same photo again changes
    /// nothing.
    pub fn add_photo_meta(&mut self, meta: &PhotoMeta) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT OR IGNORE INTO photos
                 (sha256, visit_id, bytes, width, height, local_path, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?
            .execute(params![
                meta.sha256.to_ascii_lowercase(),
                meta.visit_id.to_string(),
                i64::try_from(meta.bytes).unwrap_or(i64::MAX),
                meta.width,
                meta.height,
                meta.local_path.to_string_lossy(),
                now_ms(),
            ])?;
        Ok(())
    }

    /// Photos the server does not hold whole yet, oldest first.
    pub fn photos_pending_upload(&self) -> Result<Vec<PhotoUpload>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT sha256, visit_id, bytes, width, height, local_path, received, complete
             FROM photos WHERE complete = 0 ORDER BY created_at, sha256",
        )?;
        let rows = stmt.query_map([], upload)?;

        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Notes what the server reported holding of photo `sha256`.
    pub fn set_photo_progress(
        &mut self,
        sha256: &str,
        received: u64,
        complete: bool,
    ) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE photos SET received = ?2, complete = ?3 WHERE sha256 = ?1")?
            .execute(params![
                sha256.to_ascii_lowercase(),
                i64::try_from(received).unwrap_or(i64::MAX),
                complete
            ])?;
        Ok(())
    }
}

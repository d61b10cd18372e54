//! Photos taken on visits: prepared on the phone ([`prepare`]), kept as
//! files named by their SHA-256 ([`files`]), uploaded in resumable chunks
//! ([`upload`]).

pub mod files;
pub mod prepare;
#[cfg(test)]
mod tests;
pub mod upload;

use std::path::{Path, PathBuf};

use uuid::Uuid;

pub use prepare::{MAX_SIDE, PhotoError, Prepared, TARGET_BYTES, prepare};
pub use upload::CHUNK_BYTES;

use crate::store::{PhotoMeta, Store, StoreError};

/// Why a photo could not be attached.
#[derive(Debug, thiserror::Error)]
pub enum AttachError {
    #[error(transparent)]
    Photo(#[from] PhotoError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Prepares the photo in `bytes`, writes it under `data_dir` and records
/// it for upload with visit `visit_id`. Returns the prepared photo; its
/// `sha256` goes into the visit's `photos`.
pub fn attach(
    store: &mut Store,
    data_dir: &Path,
    visit_id: Uuid,
    bytes: &[u8],
) -> Result<Prepared, AttachError> {
    let (photo, path) = keep(data_dir, bytes)?;
    record(store, visit_id, &photo, path)?;

    Ok(photo)
}

/// The slow half of [`attach`], which needs no store: prepares the photo
/// in `bytes` and writes it under `data_dir`. Returns the photo and where
/// it was written, for [`record`].
pub fn keep(data_dir: &Path, bytes: &[u8]) -> Result<(Prepared, PathBuf), PhotoError> {
    let photo = prepare(bytes)?;
    let path = files::write_photo(&files::photo_dir(data_dir), &photo).map_err(PhotoError::Io)?;

    Ok((photo, path))
}

/// The quick half of [`attach`]: records a photo [`keep`] wrote at `path`
/// for upload with visit `visit_id`.
pub fn record(
    store: &mut Store,
    visit_id: Uuid,
    photo: &Prepared,
    path: PathBuf,
) -> Result<(), StoreError> {
    store.add_photo_meta(&PhotoMeta {
        sha256: photo.sha256.clone(),
        visit_id,
        bytes: photo.jpeg.len() as u64,
        width: photo.width,
        height: photo.height,
        local_path: path,
    })
}

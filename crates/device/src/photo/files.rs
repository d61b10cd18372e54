//! Where prepared photos live on the phone: one file per photo, named by
//! its SHA-256, in the photo directory under the data directory.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::photo::prepare::Prepared;

/// The photo directory under a data directory.
pub const PHOTO_DIR: &str = "photos";

/// The photo directory of the data directory `data_dir`.
pub fn photo_dir(data_dir: &Path) -> PathBuf {
    data_dir.join(PHOTO_DIR)
}

/// The file of photo `sha256`.
pub fn photo_path(photo_dir: &Path, sha256: &str) -> PathBuf {
    photo_dir.join(format!("{sha256}.jpg"))
}

/// Writes a prepared photo durably: to a file beside, synced, then renamed
/// into place, so that a photo file is either whole or absent.
pub fn write_photo(photo_dir: &Path, photo: &Prepared) -> std::io::Result<PathBuf> {
    fs::create_dir_all(photo_dir)?;
    let path = photo_path(photo_dir, &photo.sha256);
    if path.exists() {
        return Ok(path);
    }
    let partial = path.with_extension("partial");
    let mut file = fs::File::create(&partial)?;
    file.write_all(&photo.jpeg)?;
    file.sync_all()?;
    fs::rename(&partial, &path)?;
    fs::File::open(photo_dir)?.sync_all()?;

    Ok(path)
}

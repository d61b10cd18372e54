//! Where this platform keeps the app's files.

use std::path::PathBuf;

/// The folder name under the platform's data directory.
const APP_DIR: &str = "fieldledger";

/// The directory for the store and photos: the app's private files
/// directory on Android and iOS, the user's data directory on desktops.
/// `None` when the platform names none.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("FIELDLEDGER_DATA_DIR") {
        return Some(PathBuf::from(dir));
    }
    platform_data_dir().map(|dir| dir.join(APP_DIR))
}

#[cfg(target_os = "android")]
fn platform_data_dir() -> Option<PathBuf> {
    // `dirs` names no data directory on Android. HOME, then TMPDIR, point
    // into the app's private storage when the launcher sets them; this is
    // not yet checked on a device, since no Android toolchain runs here.
    dirs::home_dir().or_else(|| std::env::var_os("TMPDIR").map(PathBuf::from))
}

#[cfg(target_os = "ios")]
fn platform_data_dir() -> Option<PathBuf> {
    dirs::document_dir()
}

#[cfg(not(any(target_os = "android", target_os = "ios")))]
fn platform_data_dir() -> Option<PathBuf> {
    dirs::data_dir()
}

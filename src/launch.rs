//! How the app starts: the settings read from the command line and the
//! environment, and the desktop window.
//!
//! | setting | flag | environment |
//! | --- | --- | --- |
//! | data directory | | `FIELDLEDGER_DATA_DIR` (else the platform's) |
//! | window size | | `FIELDLEDGER_WINDOW`, e.g. `390x844` |
//! | first screen | | `FIELDLEDGER_START_ROUTE`, e.g. `/sync` |
//! | demo data when empty | `--demo` | `FIELDLEDGER_DEMO=1` |
//! | enroll at start | | `FIELDLEDGER_ENROLL_LINK` (a QR link) |
//! | print a summary and exit | `--summary` | |

use std::path::PathBuf;

/// The window's size when `FIELDLEDGER_WINDOW` does not say: a large
/// phone's screen, in logical pixels.
pub const DEFAULT_WINDOW: (f64, f64) = (420.0, 860.0);

/// The window's title.
pub const TITLE: &str = "产业指导员台账";

/// Households the demo data holds: enough to page through and search.
pub const DEMO_HOUSEHOLDS: usize = 60;

/// Visits the demo data holds, spread over this year and last.
pub const DEMO_VISITS: usize = 240;

/// What the command line and the environment ask for.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub data_dir: Option<PathBuf>,
    pub window: (f64, f64),
    pub start_route: Option<String>,
    pub demo: bool,
    pub summary: bool,
    pub enroll_link: Option<String>,
}

/// A command-line argument this program does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown argument {0:?}; known: --demo, --summary")]
pub struct UnknownArgument(pub String);

impl Options {
    /// Reads `args` (without the program name) and the process's
    /// environment.
    pub fn read(args: impl IntoIterator<Item = String>) -> Result<Self, UnknownArgument> {
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let mut options = Self {
            data_dir: crate::platform::data_dir(),
            window: env("FIELDLEDGER_WINDOW")
                .and_then(|v| parse_size(&v))
                .unwrap_or(DEFAULT_WINDOW),
            start_route: env("FIELDLEDGER_START_ROUTE"),
            demo: env("FIELDLEDGER_DEMO").is_some_and(|v| v != "0"),
            summary: false,
            enroll_link: env("FIELDLEDGER_ENROLL_LINK"),
        };
        for arg in args {
            match arg.as_str() {
                "--demo" => options.demo = true,
                "--summary" => options.summary = true,
                _ => return Err(UnknownArgument(arg)),
            }
        }

        Ok(options)
    }
}

/// Reads `390x844` as a width and a height.
pub fn parse_size(text: &str) -> Option<(f64, f64)> {
    let (w, h) = text.trim().split_once(['x', 'X', '×'])?;
    let (w, h): (f64, f64) = (w.trim().parse().ok()?, h.trim().parse().ok()?);

    (w >= 200.0 && h >= 200.0).then_some((w, h))
}

/// The desktop window: titled, phone-sized, without a menu bar, its
/// webview's files kept beside the store.
#[cfg(feature = "desktop")]
pub fn desktop_config(
    size: (f64, f64),
    data_dir: Option<&std::path::Path>,
) -> dioxus::desktop::Config {
    use dioxus::desktop::{Config, LogicalSize, WindowBuilder};

    let window = WindowBuilder::new()
        .with_title(TITLE)
        .with_inner_size(LogicalSize::new(size.0, size.1));
    let config = Config::new().with_window(window).with_menu(None);
    match data_dir {
        Some(dir) => config.with_data_directory(dir.join("webview")),
        None => config,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_sizes_are_read_or_refused() {
        assert_eq!(parse_size("390x844"), Some((390.0, 844.0)));
        assert_eq!(parse_size(" 420 × 860 "), Some((420.0, 860.0)));
        assert_eq!(parse_size("390"), None);
        assert_eq!(parse_size("10x10"), None);
    }

    #[test]
    fn flags_are_read_and_strangers_refused() {
        let options = Options::read(["--summary".to_owned()]).map_err(|e| e.to_string());
        assert_eq!(options.map(|o| o.summary), Ok(true));
        assert!(Options::read(["--sumary".to_owned()]).is_err());
    }
}

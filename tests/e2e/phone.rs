//! One phone for a scenario: the app's real store in a temporary data
//! directory, its screens served by liveview on `127.0.0.1:0`, and the
//! enrollment link a county office would print as a QR code.

use std::sync::Arc;

use fieldledger::store_data::StoreData;
use fieldledger::{AppState, liveview};
use fieldledger_server::testing::TestServer;
use tokio::task::JoinHandle;

/// A phone's app, reachable by a browser at [`Phone::url`].
pub struct Phone {
    pub url: String,
    serving: JoinHandle<std::io::Result<()>>,
    _data: StoreData,
    _dir: tempfile::TempDir,
}

impl Phone {
    /// A fresh phone: an empty store, not enrolled.
    pub async fn start() -> Phone {
        let dir = tempfile::tempdir().expect("a data directory");
        let data = StoreData::open(dir.path()).expect("open the phone's store");
        let state = AppState::new(Arc::new(data.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the liveview port");
        let url = format!(
            "http://{}/",
            listener.local_addr().expect("liveview address")
        );
        let serving = tokio::spawn(liveview::serve(listener, state));

        Phone {
            url,
            serving,
            _data: data,
            _dir: dir,
        }
    }
}

impl Drop for Phone {
    fn drop(&mut self) {
        self.serving.abort();
    }
}

/// The text of the enrollment QR code for `code` at `server`, pinning its
/// certificate.
pub fn enroll_link(server: &TestServer, code: &str) -> String {
    format!(
        "fieldledger://enroll?server={}&code={}&fp={}",
        escape(&server.base_url()),
        escape(code),
        server.fingerprint()
    )
}

/// Percent-escapes everything but unreserved characters.
fn escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

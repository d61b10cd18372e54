//! Headless Chromium driven over WebDriver: chromedriver started on a free
//! port with a fresh profile, and the few gestures the scenarios use, each
//! waiting for what the user would wait for.
//!
//! Chromium and chromedriver come from the system (Debian's `chromium` and
//! `chromium-driver`); nothing here downloads a browser. When either is
//! missing the test fails and says what to install.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

/// How long a screen may take to show what a step waits for. Liveview
/// answers in milliseconds; the slack is for a busy 2-core CI machine and
/// for a sync round over HTTPS.
const PATIENCE: Duration = Duration::from_secs(20);

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(50);

/// The flags Chromium runs with: headless, no sandbox (CI runs as root),
/// and nothing that reaches the internet on its own.
const CHROMIUM_FLAGS: [&str; 9] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
    "--window-size=390,844",
];

/// One browser session and the chromedriver behind it.
pub struct Browser {
    pub client: Client,
    driver: Child,
    _profile: tempfile::TempDir,
}

/// `name` from `env` if set, else the first of `candidates` that exists,
/// else a search of `PATH`.
fn find_tool(env: &str, candidates: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env) {
        return Some(PathBuf::from(path));
    }
    let on_path = std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .unwrap_or_default();
    candidates.iter().find_map(|name| {
        let direct = Path::new(name);
        if direct.is_absolute() {
            return direct.is_file().then(|| direct.to_owned());
        }
        on_path
            .iter()
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

fn required(env: &str, candidates: &[&str]) -> PathBuf {
    find_tool(env, candidates).unwrap_or_else(|| {
        panic!(
            "the end-to-end tests need Chromium and chromedriver; none found as {candidates:?} \
             (install Debian's `chromium` and `chromium-driver`, or set {env})"
        )
    })
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

impl Browser {
    /// Starts chromedriver and a headless Chromium session.
    pub async fn start() -> Browser {
        let chromium = required("FIELDLEDGER_CHROMIUM", &["/usr/bin/chromium", "chromium"]);
        let driver_bin = required(
            "FIELDLEDGER_CHROMEDRIVER",
            &["/usr/bin/chromedriver", "chromedriver"],
        );
        let port = free_port();
        let driver = Command::new(&driver_bin)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", driver_bin.display()));
        let profile = tempfile::tempdir().expect("a browser profile directory");
        let client = connect(port, &chromium, profile.path()).await;

        let browser = Browser {
            client,
            driver,
            _profile: profile,
        };
        // Headless Chromium keeps windows at least 500 px wide; a phone's
        // viewport is set directly instead.
        browser
            .devtools(
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": true }),
            )
            .await;
        browser
    }

    /// Closes the session and stops chromedriver.
    pub async fn close(mut self) {
        let _closed = self.client.clone().close().await;
        let _killed = self.driver.kill().await;
    }

    /// Opens `url` and waits for the app's first screen.
    pub async fn open(&self, url: &str) {
        self.client.goto(url).await.expect("open the app");
        // A new phone opens on enrollment, an enrolled one on its tabs.
        let start = Instant::now();
        loop {
            let text = self.text().await;
            if text.contains("产业指导员台账") || text.contains("我的统计") {
                return;
            }
            if start.elapsed() > PATIENCE {
                panic!("the app did not open at {url}; the page shows:\n{text}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The text the page shows.
    pub async fn text(&self) -> String {
        let shown = self
            .client
            .execute("return document.body.innerText", vec![])
            .await;
        match shown {
            Ok(Value::String(text)) => text,
            other => panic!("cannot read the page: {other:?}"),
        }
    }

    /// Waits until the page shows `text`.
    pub async fn wait_text(&self, text: &str) {
        self.wait_until(&format!("the page to show {text:?}"), |page| {
            page.contains(text)
        })
        .await;
    }

    /// Waits until `ready` holds for the page's text; fails with the text.
    pub async fn wait_until(&self, what: &str, ready: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let page = self.text().await;
            if ready(&page) {
                return page;
            }
            if start.elapsed() > PATIENCE {
                panic!("waited {PATIENCE:?} for {what}; the page shows:\n{page}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits for the element at `xpath`.
    pub async fn find(&self, xpath: &str) -> Element {
        let found = self
            .client
            .wait()
            .at_most(PATIENCE)
            .every(POLL)
            .for_element(Locator::XPath(xpath))
            .await;
        match found {
            Ok(element) => element,
            Err(e) => panic!("no element at {xpath}: {e}\npage:\n{}", self.text().await),
        }
    }

    /// Scrolls `element` clear of the fixed tab bar and clicks it.
    pub async fn tap(&self, element: Element) {
        let arg = serde_json::to_value(&element).expect("an element reference");
        let script = "arguments[0].scrollIntoView({block: 'center'})";
        self.client
            .execute(script, vec![arg])
            .await
            .expect("scroll into view");
        element.click().await.expect("click");
    }

    /// How many elements are at `xpath` now.
    pub async fn count(&self, xpath: &str) -> usize {
        let found = self.client.find_all(Locator::XPath(xpath)).await;
        found.map(|all| all.len()).unwrap_or(0)
    }

    /// Clicks the button labelled `label`.
    pub async fn click_button(&self, label: &str) {
        let xpath = format!("//button[normalize-space()='{label}']");
        self.tap(self.find(&xpath).await).await;
    }

    /// Clicks the link reading exactly `text` (tabs, list rows).
    pub async fn click_link(&self, text: &str) {
        let xpath = format!("//a[normalize-space()='{text}']");
        self.tap(self.find(&xpath).await).await;
    }

    /// The `nth` (from 1) input labelled `label`.
    pub async fn input(&self, label: &str, nth: usize) -> Element {
        self.find(&input_xpath(label, nth)).await
    }

    /// Enters `text` into the `nth` input labelled `label`, replacing what
    /// it held, and waits until the app holds the same text.
    ///
    /// The text arrives as one input event, the way an input method hands
    /// over a committed word. Typed key by key, each keystroke is an event
    /// the app answers by echoing the value back into the input; over
    /// liveview's round trip an echo can land after the next keystroke and
    /// wipe it, which a phone's in-process webview does not see.
    pub async fn fill(&self, label: &str, nth: usize, text: &str) {
        let input = self.input(label, nth).await;
        let arg = serde_json::to_value(&input).expect("an element reference");
        let script = "const [input, text] = arguments; input.focus(); input.value = text; \
                      input.dispatchEvent(new Event('input', { bubbles: true }));";
        self.client
            .execute(script, vec![arg, serde_json::Value::from(text)])
            .await
            .expect("enter text into an input");
        self.wait_value(label, nth, text).await;
    }

    /// Waits until the `nth` input labelled `label` shows `text`.
    async fn wait_value(&self, label: &str, nth: usize, text: &str) {
        let start = Instant::now();
        loop {
            let value = self.input(label, nth).await.prop("value").await;
            if value.as_ref().ok().and_then(Option::as_deref) == Some(text) {
                return;
            }
            if start.elapsed() > PATIENCE {
                panic!("{label} #{nth} holds {value:?}, not {text:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Picks `file` in the file input labelled `label`, as the system's
    /// file chooser would.
    pub async fn attach(&self, label: &str, file: &Path) {
        let input = self.input(label, 1).await;
        let path = file.to_str().expect("a UTF-8 path");
        input.send_keys(path).await.expect("pick a file");
    }

    /// Lets pages read a position and puts the browser at `latitude`,
    /// `longitude`: a headless browser has no location service, so the
    /// position comes from Chromium's DevTools, through chromedriver.
    pub async fn place_at(&self, latitude: f64, longitude: f64, accuracy_m: f64) {
        self.devtools(
            "Browser.grantPermissions",
            json!({ "permissions": ["geolocation"] }),
        )
        .await;
        self.devtools(
            "Emulation.setGeolocationOverride",
            json!({ "latitude": latitude, "longitude": longitude, "accuracy": accuracy_m }),
        )
        .await;
    }

    async fn devtools(&self, command: &'static str, params: Value) {
        self.client
            .issue_cmd(DevTools { command, params })
            .await
            .unwrap_or_else(|e| panic!("DevTools {command}: {e}"));
    }

    /// Saves what the window shows as `<dir>/<name>.png` when
    /// `FIELDLEDGER_SCREENSHOTS=<dir>` is set.
    pub async fn shot(&self, name: &str) {
        let Some(dir) = std::env::var_os("FIELDLEDGER_SCREENSHOTS") else {
            return;
        };
        let png = self.client.screenshot().await.expect("a screenshot");
        let path = Path::new(&dir).join(format!("{name}.png"));
        std::fs::write(&path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Leaves the focused field the way a thumb does: a tap on the heading.
    pub async fn tap_away(&self) {
        self.find("//h1")
            .await
            .click()
            .await
            .expect("tap the heading");
    }

    /// The message shown under the `nth` field labelled `label`, if any.
    pub async fn field_error(&self, label: &str, nth: usize) -> Option<String> {
        let xpath = format!(
            "({})/ancestor::div[contains(@class, 'field')][1]//div[@class='error']",
            input_xpath(label, nth)
        );
        let found = self.client.find_all(Locator::XPath(&xpath)).await.ok()?;
        match found.first() {
            Some(error) => error.text().await.ok(),
            None => None,
        }
    }

    /// Waits until the `nth` field labelled `label` shows no error.
    pub async fn wait_field_clear(&self, label: &str, nth: usize) {
        let start = Instant::now();
        while let Some(error) = self.field_error(label, nth).await {
            if start.elapsed() > PATIENCE {
                panic!("{label} #{nth} still shows {error:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the `nth` field labelled `label` shows an error, and
    /// returns it.
    pub async fn wait_field_error(&self, label: &str, nth: usize) -> String {
        let start = Instant::now();
        loop {
            if let Some(error) = self.field_error(label, nth).await {
                return error;
            }
            if start.elapsed() > PATIENCE {
                panic!("no message at {label} #{nth}; page:\n{}", self.text().await);
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

/// A Chrome DevTools Protocol command, sent through chromedriver's own
/// endpoint for them.
#[derive(Debug)]
struct DevTools {
    command: &'static str,
    params: Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({ "cmd": self.command, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

fn input_xpath(label: &str, nth: usize) -> String {
    format!("(//*[@aria-label='{label}'])[{nth}]")
}

async fn connect(port: u16, chromium: &Path, profile: &Path) -> Client {
    let mut args: Vec<String> = CHROMIUM_FLAGS.iter().map(|f| (*f).to_owned()).collect();
    args.push(format!("--user-data-dir={}", profile.display()));
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".to_owned(),
        json!({ "binary": chromium, "args": args }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    loop {
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let attempt = ClientBuilder::new(connector)
            .capabilities(caps.clone())
            .connect(&url)
            .await;
        match attempt {
            Ok(client) => return client,
            Err(e) if start.elapsed() > PATIENCE => {
                panic!("chromedriver on port {port} gave no Chromium session: {e}")
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

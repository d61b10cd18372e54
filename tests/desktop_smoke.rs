//! The real desktop build in a real webview (WebKitGTK), walked screen by
//! screen as a user would: a driver inside the app reads the page and
//! clicks through `document::eval`. The app opens over a temporary store of
//! demo data with one record the server refused and one in conflict.
//!
//! Needs a display. Without `$DISPLAY` it runs itself again under
//! `xvfb-run -a`; without xvfb-run it fails and says what to install.
//! Exits 0 when every step passed, 1 otherwise.
//!
//! With `FIELDLEDGER_SCREENSHOTS=<dir>` it also saves each screen there as
//! a PNG (ImageMagick's `import`), which is how `docs/screenshots` are made.

#![allow(clippy::unwrap_used)]

#[path = "common/desktop.rs"]
mod common_desktop;

use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use dioxus::prelude::*;
use fieldledger::AppState;
use fieldledger::store_data::StoreData;

use common_desktop::{Scene, stage};

/// The whole run may take this long before it counts as failed: a cold
/// WebKitGTK start under Xvfb takes a few seconds on a 2-core machine.
const RUN_LIMIT: Duration = Duration::from_secs(50);

/// How long one step waits for the page to show what it expects.
const STEP_LIMIT: Duration = Duration::from_secs(15);

/// The window, a common phone's screen in logical pixels.
const WINDOW: (f64, f64) = (390.0, 844.0);

/// Set when this process was started again under xvfb-run.
const UNDER_XVFB: &str = "FIELDLEDGER_SMOKE_UNDER_XVFB";

/// What the driver expects to see, and where screenshots go.
static SCENE: OnceLock<(Scene, Option<PathBuf>)> = OnceLock::new();

fn main() -> ExitCode {
    if std::env::var_os("DISPLAY").is_none() {
        return rerun_under_xvfb();
    }
    let dir = tempfile::tempdir().unwrap();
    let data = StoreData::open(dir.path()).unwrap();
    let scene = stage(&data, dir.path());
    let shots = std::env::var_os("FIELDLEDGER_SCREENSHOTS").map(PathBuf::from);
    SCENE.set((scene, shots)).ok();

    std::thread::spawn(|| {
        std::thread::sleep(RUN_LIMIT);
        eprintln!("desktop smoke: FAILED, no verdict within {RUN_LIMIT:?}");
        std::process::exit(1);
    });
    let config = fieldledger::launch::desktop_config(WINDOW, Some(dir.path()));
    dioxus::LaunchBuilder::desktop()
        .with_cfg(config)
        .with_context(AppState::new(Arc::new(data)))
        .launch(SmokeRoot);

    ExitCode::FAILURE
}

fn rerun_under_xvfb() -> ExitCode {
    if std::env::var_os(UNDER_XVFB).is_some() {
        eprintln!("desktop smoke: FAILED, xvfb-run gave no DISPLAY");
        return ExitCode::FAILURE;
    }
    let me = std::env::current_exe().unwrap();
    let status = Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1024x900x24"])
        .arg(me)
        .env(UNDER_XVFB, "1")
        .status();
    match status {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!(
                "desktop smoke: FAILED, no $DISPLAY and xvfb-run cannot run ({e}); \
                 install the Debian packages xvfb and xauth"
            );
            ExitCode::FAILURE
        }
    }
}

/// The app, with the driver running beside it.
#[allow(non_snake_case)]
fn SmokeRoot() -> Element {
    use_future(|| async {
        let started = Instant::now();
        match drive().await {
            Ok(()) => {
                eprintln!(
                    "desktop smoke: ok in {:.1} s",
                    started.elapsed().as_secs_f64()
                );
                std::process::exit(0);
            }
            Err(why) => {
                eprintln!("desktop smoke: FAILED, {why}");
                std::process::exit(1);
            }
        }
    });
    rsx! { fieldledger::App {} }
}

async fn drive() -> Result<(), String> {
    let (scene, _) = SCENE.get().ok_or("no scene")?;
    wait_for("the enrollment form", |p| {
        p.contains("暂不注册，先离线使用")
    })
    .await?;
    shot("enroll").await?;

    scene.enroll_as_liaison();
    click("button", "暂不注册，先离线使用").await?;
    wait_for("the household list", |p| {
        p.contains(&scene.first_name) && p.contains("共30户")
    })
    .await?;
    if page_text().await?.contains(&scene.first_id_number) {
        return Err("the list shows a full ID number".into());
    }
    shot("households").await?;

    click("a", &scene.name).await?;
    wait_for("the household page", |p| {
        p.contains(&scene.id_number) && p.contains("走访记录")
    })
    .await?;
    shot("household").await?;

    click("a", &format!("{}年度", scene.ledger_year)).await?;
    wait_for("the ledger form", |p| {
        p.contains("A. 建档立卡贫困农户基本信息")
    })
    .await?;
    shot("ledger-top").await?;
    ledger_rows_with_a_message().await?;
    shot("ledger-rows").await?;

    click("a", "走访").await?;
    wait_for("the visit form", |p| {
        p.contains("记录走访") && p.contains("入户宣讲政策")
    })
    .await?;
    shot("visit").await?;

    click("a", "我的统计").await?;
    wait_for("my statistics", |p| p.contains("工作情况统计表")).await?;
    shot("stats").await?;

    click("a", "同步").await?;
    wait_for("the sync screen", |p| {
        p.contains("被退回的记录") && p.contains("待处理的冲突")
    })
    .await?;
    shot("sync").await?;

    click("a", "乡镇").await?;
    // Offline here; the end-to-end test shows it with a live server, and
    // takes its screenshot there.
    wait_for("the township screen offline", |p| p.contains("需要联网")).await?;
    Ok(())
}

/// Types a birth month that does not exist into the first labour row,
/// leaves the field, and scrolls the rows into view.
async fn ledger_rows_with_a_message() -> Result<(), String> {
    let script = r#"
        const input = document.querySelector('input[aria-label="出生年月"]');
        if (!input) return false;
        input.focus();
        input.value = '1985年13月';
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.blur();
        input.dispatchEvent(new FocusEvent('blur'));
        document.querySelector('h2:nth-of-type(3)')?.scrollIntoView();
        input.closest('.row')?.scrollIntoView({ block: 'start' });
        return true;"#;
    if !eval::<bool>(script).await? {
        return Err("the ledger has no labour row".into());
    }
    wait_for("the field's message", |p| p.contains("月份")).await
}

/// Saves the window as `<dir>/<name>.png` when screenshots are asked for.
async fn shot(name: &str) -> Result<(), String> {
    let Some((_, Some(dir))) = SCENE.get() else {
        return Ok(());
    };
    // Lets the webview paint what the last change rendered.
    tokio::time::sleep(Duration::from_millis(700)).await;
    common_desktop::capture(&dir.join(format!("{name}.png")))
}

/// The visible text of the page.
async fn page_text() -> Result<String, String> {
    eval("return document.body.innerText;").await
}

async fn eval<T: serde::de::DeserializeOwned>(script: &str) -> Result<T, String> {
    document::eval(script)
        .join::<T>()
        .await
        .map_err(|e| format!("running a script in the page failed: {e:?}"))
}

/// Clicks the first `tag` element whose text contains `text`.
async fn click(tag: &str, text: &str) -> Result<(), String> {
    let script = format!(
        "const hit = [...document.querySelectorAll({tag:?})]
             .find(e => e.innerText.includes({text:?}));
         if (!hit) return false;
         hit.click();
         return true;"
    );
    if eval::<bool>(&script).await? {
        Ok(())
    } else {
        Err(format!("no {tag} showing {text:?}"))
    }
}

/// Waits until the page's text passes `check`.
async fn wait_for(what: &str, check: impl Fn(&str) -> bool) -> Result<(), String> {
    let start = Instant::now();
    loop {
        // Before the page has loaded, reading it may fail; keep trying.
        if let Ok(page) = page_text().await
            && check(&page)
        {
            return Ok(());
        }
        if start.elapsed() > STEP_LIMIT {
            let page = page_text().await.unwrap_or_default();
            return Err(format!("{what} did not appear; the page shows: {page}"));
        }
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

//! Starts 产业指导员台账: reads the settings (see [`fieldledger::launch`]),
//! opens the store in the data directory, fills it with demo data or
//! enrolls the phone when asked, and opens the app's window.

mod summary;

use std::process::ExitCode;
use std::sync::Arc;

use fieldledger::AppState;
use fieldledger::data::AppData;
use fieldledger::launch::{DEMO_HOUSEHOLDS, DEMO_VISITS, Options};
use fieldledger::store_data::StoreData;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("产业指导员台账无法启动：{e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> anyhow::Result<()> {
    let options = Options::read(std::env::args().skip(1))?;
    let dir = options
        .data_dir
        .clone()
        .ok_or_else(|| anyhow::anyhow!("本平台没有应用数据目录；请设置 FIELDLEDGER_DATA_DIR"))?;
    let data = StoreData::open(&dir)?;
    if options.demo && data.fill_demo_if_empty(DEMO_HOUSEHOLDS, DEMO_VISITS)? {
        eprintln!("已填入演示数据：{DEMO_HOUSEHOLDS} 户");
    }
    if let Some(link) = &options.enroll_link {
        enroll_once(&data, link)?;
    }
    if options.summary {
        summary::print(&dir, &data)?;
        return Ok(());
    }
    let mut state = AppState::new(Arc::new(data));
    state.start_route = options.start_route.clone();
    launch(state, &options);

    Ok(())
}

/// Enrolls with `link` unless the phone already is.
fn enroll_once(data: &StoreData, link: &str) -> anyhow::Result<()> {
    if data.user()?.is_some() {
        return Ok(());
    }
    let link = fieldledger::enroll::EnrollLink::parse(link)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let user = runtime.block_on(data.enroll(&link))?;
    eprintln!("已注册：{}（{}）", user.name, user.role.label());

    Ok(())
}

#[cfg(feature = "desktop")]
fn launch(state: AppState, options: &Options) {
    let config = fieldledger::launch::desktop_config(options.window, options.data_dir.as_deref());
    dioxus::LaunchBuilder::desktop()
        .with_cfg(config)
        .with_context(state)
        .launch(fieldledger::App);
}

#[cfg(all(feature = "mobile", not(feature = "desktop")))]
fn launch(state: AppState, _options: &Options) {
    dioxus::LaunchBuilder::mobile()
        .with_context(state)
        .launch(fieldledger::App);
}

#[cfg(not(any(feature = "desktop", feature = "mobile")))]
fn launch(_state: AppState, _options: &Options) {
    eprintln!("此版本未包含界面（编译时未启用 desktop 或 mobile 功能）；可用 --summary 查看数据");
}

//! Commands that talk to the server: enroll, sync, simulate; and status.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args as ClapArgs;
use fieldledger_device::Store;
use fieldledger_device::store::HouseholdQuery;
use fieldledger_device::sync::{
    self, Credentials, DeviceInfo, Engine, EngineConfig, EnrollLink, Fingerprint, SyncEvent, Trust,
};
use fieldledger_model::Visit;
use fieldledger_model::id::new_id;
use fieldledger_model::visit::Work;
use uuid::Uuid;

use super::Error;

#[derive(Debug, ClapArgs)]
pub struct EnrollArgs {
    /// The text of the enrollment QR code (fieldledger://enroll?...).
    #[arg(long, conflicts_with_all = ["server", "code"])]
    link: Option<String>,
    /// The server's https:// address.
    #[arg(long, requires = "code")]
    server: Option<String>,
    /// The one-time enrollment code.
    #[arg(long)]
    code: Option<String>,
    /// The server certificate's SHA-256 fingerprint, to pin.
    #[arg(long)]
    fingerprint: Option<String>,
    /// A CA certificate (PEM) to trust instead of a pin.
    #[arg(long, conflicts_with = "fingerprint")]
    ca: Option<PathBuf>,
    /// This phone's name, as the county office sees it.
    #[arg(long, default_value = "fieldledger-device")]
    name: String,
}

pub async fn enroll(dir: &Path, a: EnrollArgs) -> Result<(), Error> {
    let device = DeviceInfo {
        name: a.name,
        app_version: env!("CARGO_PKG_VERSION").to_owned(),
    };
    let creds = match (a.link, a.server, a.code) {
        (Some(link), _, _) => sync::enroll_link(&link.parse::<EnrollLink>()?, &device).await?,
        (None, Some(server), Some(code)) => {
            let trust = match (a.fingerprint, a.ca) {
                (Some(fp), _) => Trust::Pinned(Fingerprint::parse(&fp)?),
                (None, Some(ca)) => Trust::Ca(std::fs::read_to_string(ca)?),
                (None, None) => {
                    return Err("请提供证书指纹（--fingerprint）或 CA 证书（--ca）".into());
                }
            };
            sync::enroll(&server, &code, trust, &device).await?
        }
        _ => return Err("请提供注册链接（--link），或服务器地址和注册码".into()),
    };
    creds.save(&sync::credentials_path(dir))?;
    println!("已注册：设备 {}", creds.device_id);

    Ok(())
}

fn engine(dir: &Path) -> Result<Engine, Error> {
    let creds =
        Credentials::load(&sync::credentials_path(dir))?.ok_or("本机尚未注册，请先运行 enroll")?;
    let store = sync::share(Store::open(dir)?);

    Ok(Engine::new(store, creds.client()?, EngineConfig::default()))
}

pub async fn sync(dir: &Path, watch: bool) -> Result<(), Error> {
    let mut engine = engine(dir)?;
    if !watch {
        let r = engine.sync_once().await?;
        println!(
            "已发送 {} 条（{} 次请求），被拒 {}，冲突 {}，收到 {} 条，照片 {} 张，待发送 {}",
            r.pushed, r.requests, r.rejected, r.conflicts, r.pulled, r.photos, r.left
        );
        return Ok(());
    }
    let mut events = engine.subscribe();
    let handle = engine.start();
    loop {
        tokio::select! {
            _ = tokio::signal::ctrl_c() => break,
            event = events.recv() => match event {
                Ok(event) => print_event(&event),
                Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(_) => break,
            },
        }
    }
    handle.stop().await;

    Ok(())
}

fn print_event(event: &SyncEvent) {
    match event {
        SyncEvent::Idle => println!("空闲"),
        SyncEvent::Queued { n } => println!("待发送 {n}"),
        SyncEvent::Sending { sent, total } => println!("发送中 {sent}/{total}"),
        SyncEvent::Uploading {
            sha256,
            sent,
            total,
        } => println!("上传照片 {sha256} {sent}/{total}"),
        SyncEvent::Receiving { received } => println!("已接收 {received}"),
        SyncEvent::LastSuccess { at } => println!("同步成功 {at}"),
        SyncEvent::LastError { reason, retry_at } => match retry_at {
            Some(at) => println!("同步失败：{reason}（{at} 重试）"),
            None => println!("同步失败：{reason}"),
        },
    }
}

pub fn status(dir: &Path, json: bool) -> Result<(), Error> {
    let store = Store::open(dir)?;
    let stats = store.outbox_stats()?;
    let rejected = store.rejected()?;
    let conflicts = store.conflicts()?.len();
    let cursor = store.cursor()?;
    if json {
        let rejected: Vec<_> = rejected
            .iter()
            .map(|e| serde_json::json!({ "op_id": e.op.op_id, "record_id": e.op.record.id(),
                "kind": e.op.record.kind(), "reason": e.rejected.as_ref().map(|r| r.reason.clone()) }))
            .collect();
        let value = serde_json::json!({ "queued": stats.queued, "oldest_queued_secs": stats.oldest_queued_secs,
            "rejected": rejected, "conflicts": conflicts, "cursor": cursor });
        println!("{value}");
        return Ok(());
    }
    println!(
        "待发送 {}，被拒 {}，冲突 {}，同步位置 {cursor}",
        stats.queued, stats.rejected, conflicts
    );
    for e in rejected {
        let reason = e.rejected.map(|r| r.reason).unwrap_or_default();
        println!(
            "被拒：{} {}：{reason}",
            e.op.record.kind().label(),
            e.op.record.id()
        );
    }

    Ok(())
}

pub async fn simulate(
    dir: &Path,
    visits: usize,
    every: usize,
    seed: u64,
    instructor: Option<Uuid>,
) -> Result<(), Error> {
    let mut engine = engine(dir)?;
    let store = Store::open(dir)?;
    let homes: Vec<Uuid> = store
        .households(&HouseholdQuery::new(""))?
        .into_iter()
        .map(|h| h.id)
        .collect();
    drop(store);
    if homes.is_empty() {
        return Err("本机没有贫困户，请先同步".into());
    }
    let instructor = instructor.unwrap_or_else(|| super::records::default_instructor(dir));
    let mut store = Store::open(dir)?;
    for i in 0..visits {
        let visit = made_up_visit(&homes, instructor, seed, i);
        store.save_visit(&visit)?;
        println!("{}", visit.id);
        std::io::stdout().flush()?;
        if (i + 1) % every.max(1) == 0 {
            engine.sync_once().await?;
        }
    }
    engine.sync_once().await?;

    Ok(())
}

fn made_up_visit(homes: &[Uuid], instructor: Uuid, seed: u64, i: usize) -> Visit {
    let pick = (seed as usize).wrapping_mul(31).wrapping_add(i * 7) % homes.len();
    Visit {
        id: new_id(),
        instructor_id: instructor,
        date: chrono::Local::now().date_naive(),
        households: vec![homes[pick]],
        work: Work {
            policy_talks: 1 + (i % 3) as u32,
            ..Work::default()
        },
        note: format!("模拟走访 {i}"),
        position: None,
        photos: Vec::new(),
    }
}

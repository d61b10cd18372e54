//! The device command line killed with SIGKILL at random points of
//! save-and-sync cycles, then restarted: in the end the phone and the
//! server hold exactly the same visits, each applied once.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;

use fieldledger_device::Store;
use fieldledger_device::store::HouseholdQuery;
use support::{server, server_counts, server_visit_ids};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_fieldledger-device");

fn device(dir: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.arg("--data-dir").arg(dir).kill_on_drop(true);
    cmd.stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    cmd
}

async fn run_ok(cmd: &mut Command) {
    let out = cmd.output().await.unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn phone_visits(dir: &Path) -> Vec<uuid::Uuid> {
    let store = Store::open(dir).unwrap();
    let mut ids: Vec<_> = store
        .households(&HouseholdQuery::new(""))
        .unwrap()
        .into_iter()
        .flat_map(|h| store.visits_of(h.id).unwrap())
        .map(|v| v.id)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_at_random_points_loses_and_duplicates_nothing() {
    let (server, county) = server(4).await;
    let phone = tempfile::tempdir().unwrap();
    let code = server
        .enroll_code(county.instructors[0].user.id)
        .await
        .unwrap();
    run_ok(
        device(phone.path())
            .args(["enroll", "--server", &server.base_url(), "--code", &code])
            .args(["--fingerprint", &server.fingerprint()]),
    )
    .await;
    run_ok(device(phone.path()).arg("sync")).await;

    let simulate = |cycle: usize| {
        let mut command = device(phone.path());
        command.args([
            "simulate",
            "--visits",
            "60",
            "--sync-every",
            "7",
            "--seed",
            &cycle.to_string(),
        ]);
        command
    };
    // One whole cycle first, to learn how long one takes on this machine:
    // each later cycle is killed at a random moment inside that span.
    let started = std::time::Instant::now();
    run_ok(&mut simulate(0)).await;
    let span = started.elapsed();

    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64;
    let mut rng = seed | 1;
    let mut kills = 0;
    for cycle in 1..9 {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        // Between 5% and 95% of a whole cycle.
        let after = span.mul_f64(0.05 + (rng % 900) as f64 / 1000.0);
        let mut child = simulate(cycle).spawn().unwrap();
        tokio::select! {
            status = child.wait() => assert!(status.unwrap().success(), "seed {seed}: cycle {cycle} failed"),
            _ = tokio::time::sleep(after) => {
                child.start_kill().unwrap();
                child.wait().await.unwrap();
                kills += 1;
            }
        }
    }
    assert!(kills > 0, "seed {seed}: no cycle was killed");
    eprintln!("{kills} of 8 cycles killed; a whole cycle takes {span:.2?}");
    run_ok(device(phone.path()).arg("sync")).await;

    let on_phone = phone_visits(phone.path());
    assert!(!on_phone.is_empty());
    assert_eq!(server_visit_ids(server.data_dir()), on_phone, "seed {seed}");
    let counts = server_counts(server.data_dir());
    assert_eq!(
        counts.applied_visit_ops, counts.visit_records,
        "seed {seed}"
    );
    assert_eq!(
        Store::open(phone.path())
            .unwrap()
            .outbox_stats()
            .unwrap()
            .queued,
        0
    );
}

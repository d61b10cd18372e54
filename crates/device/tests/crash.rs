//! Kill test: a child process saves ledgers in a loop, printing each id once
//! its transaction has committed; the parent kills it with SIGKILL at
//! several moments, reopens the store and checks that every reported ledger
//! is there with its outbox op and that nothing is half-written.
//!
//! Runs without the test harness: the same binary is the parent, or the
//! child when `FIELDLEDGER_CRASH_CHILD` names a data directory.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use fieldledger_device::Store;
use fieldledger_device::store::{DB_FILE, KEY_FILE, StoreKey, open_connection};

const CHILD_ENV: &str = "FIELDLEDGER_CRASH_CHILD";

/// When to kill the child: after this many reported commits, or after this
/// many milliseconds whatever it has done.
enum Moment {
    Commits(usize),
    Millis(u64),
}

fn main() {
    match std::env::var_os(CHILD_ENV) {
        Some(dir) => child(Path::new(&dir)),
        None => parent(),
    }
}

/// Saves a household and a ledger a year for it, forever, reporting each
/// committed ledger.
fn child(dir: &Path) {
    let mut store = Store::open(dir).unwrap();
    let mut out = std::io::stdout().lock();
    for round in 0u64.. {
        let home = common::household(
            "王德明",
            "交密村",
            &format!("52263019850312{:03}", round % 1000),
        );
        store.save_household(&home).unwrap();
        for year in 2015..=2100 {
            let ledger = common::ledger(home.id, year);
            store.save_ledger(&ledger).unwrap();
            writeln!(out, "{}", ledger.id).unwrap();
            out.flush().unwrap();
        }
    }
}

fn parent() {
    let dir = tempfile::tempdir().unwrap();
    let mut reported = HashSet::new();
    let moments = [
        Moment::Millis(5),
        Moment::Commits(5),
        Moment::Commits(50),
        Moment::Millis(137),
        Moment::Commits(200),
        Moment::Millis(611),
    ];
    for moment in moments {
        reported.extend(run_and_kill(dir.path(), &moment));
        check(dir.path(), &reported);
    }
    assert!(
        reported.len() >= 255,
        "only {} commits reported",
        reported.len()
    );
    println!(
        "crash: {} committed ledgers survived 6 kills",
        reported.len()
    );
}

/// Starts the child, kills it at `moment`, and returns the ids it reported.
fn run_and_kill(dir: &Path, moment: &Moment) -> Vec<String> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(CHILD_ENV, dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    let start = Instant::now();
    let deadline = start + Duration::from_secs(120);
    loop {
        let due = match moment {
            Moment::Commits(n) => lines.len() >= *n,
            Moment::Millis(ms) => start.elapsed() >= Duration::from_millis(*ms),
        };
        if due || Instant::now() > deadline {
            break;
        }
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(1)) {
            lines.push(line);
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    reader.join().unwrap();
    lines.extend(rx.try_iter());

    lines
}

/// Reopens the store and checks it against what the child reported.
fn check(dir: &Path, reported: &HashSet<String>) {
    if reported.is_empty() && !dir.join(DB_FILE).exists() {
        return;
    }
    let key = StoreKey::load(&dir.join(KEY_FILE)).unwrap();
    let store = Store::open(dir).unwrap();
    assert!(store.integrity_check().unwrap());
    let conn = open_connection(&dir.join(DB_FILE), &key).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT l.id, (SELECT count(*) FROM outbox o WHERE o.record_id = l.id),
                    EXISTS (SELECT 1 FROM outbox o WHERE o.op_id = l.head AND o.record_id = l.id)
             FROM ledgers l",
        )
        .unwrap();
    let rows: Vec<(String, i64, bool)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let stored: HashSet<String> = rows.iter().map(|r| r.0.clone()).collect();
    for (id, ops, head_queued) in &rows {
        assert_eq!(*ops, 1, "ledger {id} has {ops} outbox entries");
        assert!(head_queued, "ledger {id}: its head is not its queued op");
    }
    let missing: Vec<_> = reported.difference(&stored).collect();
    assert!(missing.is_empty(), "committed ledgers lost: {missing:?}");
    let orphans: i64 = conn
        .query_row(
            "SELECT count(*) FROM outbox o WHERE NOT EXISTS
                (SELECT 1 FROM ledgers l WHERE l.id = o.record_id)
             AND NOT EXISTS (SELECT 1 FROM households h WHERE h.id = o.record_id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "outbox entries without their record");
}

//! The sync engine against a real server over HTTPS on 127.0.0.1: push and
//! pull, trust, enrollment, refusals, conflicts, and the background loop.

#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use fieldledger_device::sync::{EnrollLink, Fingerprint, SyncError, SyncEvent, Trust};
use fieldledger_model::wire::Record;
use support::{Phone, pin, server, server_counts, visit, wait_for};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn visits_go_up_in_one_request_and_come_down_to_another_phone() {
    let (server, county) = server(6).await;
    let user = county.instructors[0].user.id;
    let a = Phone::direct(&server, user).await;
    let mut engine = a.engine();
    let first = engine.sync_once().await.unwrap();
    assert_eq!(first.pushed, 0);
    assert!(
        first.pulled >= 6,
        "households arrive with the first pull: {first:?}"
    );
    assert_eq!(a.households().len(), 6);

    let saved = a.save_visits(300);
    let report = engine.sync_once().await.unwrap();
    assert_eq!((report.pushed, report.requests, report.left), (300, 1, 0));
    assert_eq!(a.queued(), 0);
    let counts = server_counts(server.data_dir());
    assert_eq!(
        (
            counts.visit_records,
            counts.applied_visit_ops,
            counts.visit_rows
        ),
        (300, 300, 300)
    );

    let b = Phone::direct(&server, user).await;
    b.engine().sync_once().await.unwrap();
    let mut want = saved.clone();
    want.sort();
    assert_eq!(b.visit_ids(), want);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn enrollment_from_a_qr_link_pins_the_certificate() {
    let (server, county) = server(1).await;
    let code = server
        .enroll_code(county.instructors[0].user.id)
        .await
        .unwrap();
    let fp = server.fingerprint().replace(':', "");
    let text = format!(
        "fieldledger://enroll?server={}&code={code}&fp={fp}",
        server.base_url()
    );
    let link: EnrollLink = text.parse().unwrap();
    let device = fieldledger_device::sync::DeviceInfo {
        name: "p".into(),
        app_version: "t".into(),
    };
    let creds = fieldledger_device::sync::enroll_link(&link, &device)
        .await
        .unwrap();
    assert_eq!(creds.user.id, county.instructors[0].user.id);
    assert_eq!(creds.trust().unwrap(), pin(&server));

    // The code is spent.
    let again = fieldledger_device::sync::enroll_link(&link, &device)
        .await
        .unwrap_err();
    assert!(matches!(again, SyncError::EnrollmentCode(_)), "{again:?}");
    assert_eq!(again.to_string(), "注册码无效或已使用");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ca_certificate_can_be_trusted_instead_of_a_pin() {
    let (server, county) = server(2).await;
    let trust = Trust::Ca(server.cert_pem());
    let url = format!(
        "https://localhost:{}",
        server.base_url().rsplit(':').next().unwrap()
    );
    let phone = Phone::enroll(&server, county.instructors[0].user.id, &url, trust).await;
    let report = phone.engine().sync_once().await.unwrap();
    assert!(report.pulled >= 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_fingerprint_is_refused_with_a_reason() {
    let (server, county) = server(1).await;
    let code = server
        .enroll_code(county.instructors[0].user.id)
        .await
        .unwrap();
    let mut wrong = Fingerprint::parse(&server.fingerprint()).unwrap();
    wrong.0[0] ^= 1;
    let device = fieldledger_device::sync::DeviceInfo {
        name: "p".into(),
        app_version: "t".into(),
    };
    let err =
        fieldledger_device::sync::enroll(&server.base_url(), &code, Trust::Pinned(wrong), &device)
            .await
            .unwrap_err();
    assert!(matches!(err, SyncError::Certificate(_)), "{err:?}");
    assert_eq!(err.to_string(), "证书不受信任");

    // The engine reports the same reason as an event.
    let phone = Phone::direct(&server, county.instructors[0].user.id).await;
    let mut engine = phone.engine_via(
        &server.base_url(),
        &Trust::Pinned(wrong),
        support::fast_config(),
    );
    let mut events = engine.subscribe();
    assert!(engine.sync_once().await.is_err());
    let event = wait_for(&mut events, Duration::from_secs(5), |e| {
        matches!(e, SyncEvent::LastError { .. })
    })
    .await;
    assert_eq!(
        event,
        SyncEvent::LastError {
            reason: "证书不受信任".into(),
            retry_at: None
        }
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_record_stays_listed_and_holds_nothing_back() {
    let (server, county) = server(3).await;
    let phone = Phone::direct(&server, county.instructors[0].user.id).await;
    let mut engine = phone.engine();
    engine.sync_once().await.unwrap();
    let mut before = phone.save_visits(10);
    // A visit in another instructor's name: the server refuses it.
    let stranger = visit(uuid::Uuid::now_v7(), phone.households()[0], 0);
    phone.store.lock().unwrap().save_visit(&stranger).unwrap();
    before.extend(phone.save_visits(10));

    let report = engine.sync_once().await.unwrap();
    assert_eq!((report.pushed, report.rejected, report.left), (21, 1, 0));
    let rejected = phone.store.lock().unwrap().rejected().unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(rejected[0].op.record.id(), stranger.id);
    let reason = &rejected[0].rejected.as_ref().unwrap().reason;
    assert!(reason.contains("指导员不是您本人"), "{reason}");

    before.sort();
    assert_eq!(support::server_visit_ids(server.data_dir()), before);
    // A second run sends nothing again.
    let again = engine.sync_once().await.unwrap();
    assert_eq!((again.pushed, again.requests), (0, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_from_two_phones_keep_both_versions() {
    let (server, county) = server(2).await;
    let user = county.instructors[0].user.id;
    let a = Phone::direct(&server, user).await;
    let b = Phone::direct(&server, user).await;
    a.engine().sync_once().await.unwrap();
    b.engine().sync_once().await.unwrap();
    let id = a.households()[0];
    let edit = |phone: &Phone, village: &str| {
        let mut store = phone.store.lock().unwrap();
        let mut h = store.household(id).unwrap().unwrap();
        h.location.group = village.into();
        store.save_household(&h).unwrap();
    };
    edit(&a, "一组");
    edit(&b, "二组");
    a.engine().sync_once().await.unwrap();
    let report = b.engine().sync_once().await.unwrap();
    assert_eq!(report.conflicts, 1);

    let conflicts = b.store.lock().unwrap().conflicts().unwrap();
    assert_eq!(conflicts.len(), 1);
    let c = &conflicts[0];
    assert_eq!(c.record_id, id);
    let group = |r: &Option<Record>| match r {
        Some(Record::Household(h)) => h.location.group.clone(),
        other => panic!("not a household: {other:?}"),
    };
    assert_eq!(group(&c.ours), "二组");
    assert_eq!(group(&c.theirs), "一组");
    let flagged = b
        .store
        .lock()
        .unwrap()
        .households(&fieldledger_device::store::HouseholdQuery::new(""))
        .unwrap();
    assert!(flagged.iter().any(|h| h.id == id && h.conflict));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_background_engine_sends_after_saves_and_stops_cleanly() {
    let (server, county) = server(3).await;
    let phone = Phone::direct(&server, county.instructors[0].user.id).await;
    let engine = phone.engine();
    let mut events = engine.subscribe();
    let status = engine.status();
    let handle = engine.start();
    // The start-up run pulls the households.
    wait_for(&mut events, Duration::from_secs(10), |e| {
        matches!(e, SyncEvent::Idle)
    })
    .await;
    assert_eq!(phone.households().len(), 3);

    phone.save_visits(25);
    handle.notify_saved();
    wait_for(&mut events, Duration::from_secs(10), |e| {
        matches!(e, SyncEvent::Sending { sent: 25, .. })
    })
    .await;
    wait_for(&mut events, Duration::from_secs(10), |e| {
        matches!(e, SyncEvent::Idle)
    })
    .await;
    assert_eq!(phone.queued(), 0);
    assert!(status.borrow().last_success.is_some());
    assert_eq!(server_counts(server.data_dir()).visit_records, 25);

    tokio::time::timeout(Duration::from_secs(5), handle.stop())
        .await
        .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_too_large_for_the_server_goes_in_halves() {
    use fieldledger_server::testing::{TestDatabase, TestServer};
    // Room for a few dozen visits a push, not for hundreds.
    let server = TestServer::start_with(TestDatabase::Sqlite, 16 * 1024)
        .await
        .unwrap();
    let county = server.seed(&support::small_county(4)).await.unwrap();
    let phone = Phone::direct(&server, county.instructors[0].user.id).await;
    let mut engine = phone.engine();
    engine.sync_once().await.unwrap();

    let mut saved = phone.save_visits(300);
    let report = engine.sync_once().await.unwrap();
    assert_eq!((report.pushed, report.left), (300, 0), "{report:?}");
    assert!(report.requests > 2, "the batch was split: {report:?}");
    assert_eq!(phone.queued(), 0);
    assert_eq!(server_counts(server.data_dir()).visit_records, 300);

    let other = Phone::direct(&server, county.instructors[0].user.id).await;
    other.engine().sync_once().await.unwrap();
    saved.sort();
    assert_eq!(other.visit_ids(), saved, "every visit once, none lost");
}

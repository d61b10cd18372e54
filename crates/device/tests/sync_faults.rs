//! The engine through a proxy that breaks things: resets before and after
//! the server handled a request, answers cut short, delays, requests sent
//! twice. Nothing may be lost and nothing applied twice.

#![allow(clippy::unwrap_used)]

mod support;

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::Duration;

use fieldledger_device::photo;
use fieldledger_device::sync::{Engine, Limits, Trust};
use fieldledger_model::wire::Record;
use support::proxy::{Fault, FaultProxy, Seen};
use support::{Phone, fast_config, pin, server, server_counts, server_visit_ids};

fn server_addr(url: &str) -> SocketAddr {
    url.trim_start_matches("https://").parse().unwrap()
}

/// The phone's engine through `proxy`, pushing at most `max_ops` a batch.
fn through(phone: &Phone, proxy: &FaultProxy, max_ops: usize) -> Engine {
    let config = fieldledger_device::sync::EngineConfig {
        limits: Limits {
            max_ops,
            max_bytes: 512 * 1024,
        },
        ..fast_config()
    };
    phone.engine_via(&proxy.url(), &Trust::Pinned(proxy.fingerprint), config)
}

/// A made-up photo of `w`×`h` with some grain, different for each `seed`.
fn picture(w: u32, h: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let grain = (state >> 26) as u8;
        image::Rgb([
            ((x + seed) % 256) as u8 ^ grain,
            ((y * 3) % 256) as u8,
            ((x ^ y) % 256) as u8,
        ])
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 95)
        .encode_image(&img)
        .unwrap();
    out
}

/// Attaches photos to visits already saved; their hashes.
fn attach_photos(phone: &Phone, visits: &[uuid::Uuid], sizes: (u32, u32)) -> Vec<String> {
    let mut store = phone.store.lock().unwrap();
    let mut hashes = Vec::new();
    for (i, id) in visits.iter().enumerate() {
        let bytes = picture(sizes.0, sizes.1, i as u32 + 1);
        let prepared = photo::attach(&mut store, phone.dir.path(), *id, &bytes).unwrap();
        let mut visit = store.visit(*id).unwrap().unwrap();
        visit.photos.push(prepared.sha256.clone());
        store.save_record(Record::Visit(visit)).unwrap();
        hashes.push(prepared.sha256);
    }
    hashes
}

/// Runs until the outbox and the photo queue are empty.
async fn sync_until_done(engine: &mut Engine, phone: &Phone, tries: usize) -> usize {
    for attempt in 1..=tries {
        let ok = engine.sync_once().await.is_ok();
        let photos_left = phone
            .store
            .lock()
            .unwrap()
            .photos_pending_upload()
            .unwrap()
            .len();
        if ok && phone.queued() == 0 && photos_left == 0 {
            return attempt;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("not done after {tries} runs");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_visits_and_photos_cross_a_faulty_link_exactly_once() {
    let (server, county) = server(20).await;
    let phone = Phone::direct(&server, county.instructors[0].user.id).await;
    phone.engine().sync_once().await.unwrap();
    let mut saved = phone.save_visits(10_000);
    let with_photos: Vec<_> = saved[..8].to_vec();
    let hashes = attach_photos(&phone, &with_photos, (900, 700));
    saved.sort();

    let proxy = FaultProxy::start(server_addr(&server.base_url()), &pin(&server)).await;
    proxy.set_plan(|seen: &Seen| match seen.index % 7 {
        1 => Fault::ResetBefore,
        2 => Fault::ResetAfter,
        3 => Fault::CutResponse,
        4 => Fault::Duplicate,
        5 => Fault::Delay(Duration::from_millis(30)),
        _ => Fault::Pass,
    });
    let mut engine = through(&phone, &proxy, 500);
    let runs = sync_until_done(&mut engine, &phone, 200).await;
    assert!(runs > 1, "the faults made some runs fail");
    assert!(proxy.stats().faults.load(Ordering::Relaxed) >= 5);

    assert_eq!(server_visit_ids(server.data_dir()), saved);
    let counts = server_counts(server.data_dir());
    assert_eq!(counts.visit_records, 10_000);
    assert_eq!(counts.visit_rows, 10_000);
    // Each visit was created once and the eight with photos edited once.
    assert_eq!(counts.applied_visit_ops, 10_008);
    for sha in &hashes {
        assert!(
            server.data_dir().join("photos").join(sha).exists(),
            "photo {sha} complete on the server"
        );
    }
    assert!(phone.store.lock().unwrap().rejected().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_photo_upload_resumes_without_sending_confirmed_chunks_again() {
    let (server, county) = server(1).await;
    let phone = Phone::direct(&server, county.instructors[0].user.id).await;
    phone.engine().sync_once().await.unwrap();
    let visits = phone.save_visits(1);
    let sha = attach_photos(&phone, &visits, (2400, 1800)).remove(0);
    let size = std::fs::metadata(photo::files::photo_path(
        &photo::files::photo_dir(phone.dir.path()),
        &sha,
    ))
    .unwrap()
    .len();
    assert!(
        size > 3 * photo::CHUNK_BYTES as u64,
        "the photo takes several chunks: {size}"
    );

    let proxy = FaultProxy::start(server_addr(&server.base_url()), &pin(&server)).await;
    let mut puts = 0;
    proxy.set_plan(move |seen: &Seen| {
        if seen.method == "PUT" {
            puts += 1;
            if puts == 3 {
                // The server keeps the third chunk; the phone never hears so.
                return Fault::ResetAfter;
            }
        }
        Fault::Pass
    });
    let mut engine = phone.engine_via(
        &proxy.url(),
        &Trust::Pinned(proxy.fingerprint),
        fast_config(),
    );
    assert!(engine.sync_once().await.is_err());
    let pending = phone.store.lock().unwrap().photos_pending_upload().unwrap();
    assert_eq!(pending[0].received, 2 * photo::CHUNK_BYTES as u64);

    engine.sync_once().await.unwrap();
    assert_eq!(proxy.stats().photo_bytes.load(Ordering::Relaxed), size);
    let stored = std::fs::read(server.data_dir().join("photos").join(&sha)).unwrap();
    assert_eq!(stored.len() as u64, size);
    assert!(
        phone
            .store
            .lock()
            .unwrap()
            .photos_pending_upload()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_pushes_travel_at_once_but_an_edit_waits_for_the_save_it_edits() {
    let (server, county) = server(10).await;
    let phone = Phone::direct(&server, county.instructors[0].user.id).await;
    phone.engine().sync_once().await.unwrap();
    let homes = phone.households();
    let me = phone.instructor();
    // Batches of 50: the first two save new visits and are independent;
    // the third edits the visits of the second, so it depends on it.
    let visits: Vec<_> = (0..100)
        .map(|i| support::visit(me, homes[i % homes.len()], i))
        .collect();
    let edited: Vec<_> = visits[50..]
        .iter()
        .map(|v| {
            let mut v = v.clone();
            v.note = "复查：长势良好".into();
            Record::Visit(v)
        })
        .collect();
    {
        let mut store = phone.store.lock().unwrap();
        store
            .save_all(visits.into_iter().map(Record::Visit).collect())
            .unwrap();
        store.save_all(edited.clone()).unwrap();
    }

    // The second push to arrive is held longer than the first: an edit
    // sent as soon as the first answer frees a slot would overtake the
    // save it edits.
    let proxy = FaultProxy::start(server_addr(&server.base_url()), &pin(&server)).await;
    let mut pushes = 0;
    proxy.set_plan(move |seen: &Seen| {
        if !seen.path.starts_with("/v1/sync/push") {
            return Fault::Pass;
        }
        pushes += 1;
        match pushes {
            1 => Fault::Delay(Duration::from_millis(300)),
            2 => Fault::Delay(Duration::from_millis(900)),
            _ => Fault::Pass,
        }
    });
    let mut engine = through(&phone, &proxy, 50);
    let report = engine.sync_once().await.unwrap();

    assert_eq!((report.pushed, report.requests), (150, 3), "{report:?}");
    assert_eq!((report.conflicts, report.rejected, report.left), (0, 0, 0));
    assert_eq!(
        proxy.stats().most_pushes_in_flight.load(Ordering::SeqCst),
        fieldledger_device::sync::plan::PUSHES_IN_FLIGHT as u64
    );
    let counts = server_counts(server.data_dir());
    assert_eq!((counts.visit_records, counts.applied_visit_ops), (100, 150));
    let other = Phone::direct(&server, county.instructors[0].user.id).await;
    other.engine().sync_once().await.unwrap();
    let store = other.store.lock().unwrap();
    for record in &edited {
        let held = store.visit(record.id()).unwrap().map(Record::Visit);
        assert_eq!(held.as_ref(), Some(record), "the edit is the version kept");
    }
}

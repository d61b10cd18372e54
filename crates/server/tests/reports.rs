//! Attachment 4, the liaison's status screen, photos, compression and the
//! OpenAPI document, over HTTPS on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashSet;

use common::{Backend, refused, start};
use fieldledger_model::Visit;
use fieldledger_model::tally::{Attachment4, Period};
use fieldledger_model::wire::{
    self, Attachment4Report, ErrorCode, PhotoProgress, PullResponse, TownshipStatus,
};
use reqwest::{Method, StatusCode};
use sha2::{Digest, Sha256};

per_backend!(
    attachment4_equals_the_model_tally,
    a_visit_written_alone_is_tallied_as_a_pushed_one,
    township_status_counts_syncs_and_visits,
    photos_upload_in_chunks_and_check_their_hash,
    a_compressed_push_is_accepted,
);

async fn attachment4_equals_the_model_tally(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let c = &ctx.county;
    let token = ctx.token(c.staff.id).await;
    let year = c.instructors[0].visits[0]
        .date
        .format("%Y")
        .to_string()
        .parse::<i32>()
        .unwrap();
    let period = Period::year(year);
    let all: Vec<&Visit> = c.instructors.iter().flat_map(|i| &i.visits).collect();
    let path = |level: &str| {
        format!(
            "{}?year={year}&level={level}&area={}",
            wire::routes::ATTACHMENT4,
            c.county.id
        )
    };

    let by_instructor: Attachment4Report = ctx.get(&path("instructor"), &token).await;
    assert_eq!(
        by_instructor.total,
        Attachment4::tally(all.iter().copied(), period)
    );
    for one in &c.instructors {
        let row = by_instructor
            .rows
            .iter()
            .find(|r| r.id == one.instructor.id)
            .unwrap();
        assert_eq!(
            row.figures,
            Attachment4::tally(&one.visits, period),
            "{}",
            one.instructor.name
        );
    }

    let by_township: Attachment4Report = ctx.get(&path("township"), &token).await;
    for township in &c.townships {
        let first_household_here = |v: &&Visit| {
            c.instructors.iter().any(|i| {
                i.township == township.id && i.households.iter().any(|h| h.id == v.households[0])
            })
        };
        let row = by_township
            .rows
            .iter()
            .find(|r| r.id == township.id)
            .unwrap();
        assert_eq!(
            row.figures,
            Attachment4::tally(all.iter().copied().filter(first_household_here), period)
        );
    }
    let county: Attachment4Report = ctx.get(&path("county"), &token).await;
    assert_eq!(county.rows.len(), 1);
    assert_eq!(county.rows[0].figures, county.total);
    assert!(
        county.total.policy_talks > 0,
        "the seeded visits did some work"
    );

    let to = format!(
        "{}?year={year}&to={year}-03-31&level=county",
        wire::routes::ATTACHMENT4
    );
    let spring: Attachment4Report = ctx.get(&to, &token).await;
    assert_eq!(
        spring.total,
        Attachment4::tally(all.iter().copied(), Period::year_to(year, 3, 31))
    );
    let bad = ctx
        .request(
            Method::GET,
            &format!("{}?year=abc&level=county", wire::routes::ATTACHMENT4),
            Some(&token),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(refused(bad).await.1.code, ErrorCode::Invalid);
}

/// A visit written op by op (the path an admin write and a batch the
/// database refused in bulk take) lands in the report like a pushed one.
async fn a_visit_written_alone_is_tallied_as_a_pushed_one(backend: Backend) {
    use fieldledger_model::visit::Work;
    use fieldledger_model::{Amount, wire::Record};
    use fieldledger_server::store::Actor;

    let Some(ctx) = start(backend).await else {
        return;
    };
    let c = &ctx.county;
    let me = &c.instructors[0];
    let date = me.visits[0].date;
    let visit = Visit {
        id: fieldledger_model::id::new_id(),
        instructor_id: me.instructor.id,
        date,
        households: me.households.iter().take(2).map(|h| h.id).collect(),
        work: Work {
            policy_talks: 3,
            industry_choice: true,
            funds: Amount::from_hundredths(123_456),
            ..Work::default()
        },
        note: String::new(),
        position: None,
        photos: Vec::new(),
    };
    let actor = Actor {
        user: me.user.clone(),
        county_id: c.county.id,
        device_id: None,
    };
    let outcome = ctx
        .server
        .store()
        .admin_put(actor, Record::Visit(visit.clone()))
        .await
        .unwrap();
    assert_eq!(outcome, wire::Outcome::Applied);

    let year: i32 = date.format("%Y").to_string().parse().unwrap();
    let path = format!(
        "{}?year={year}&level=instructor&area={}",
        wire::routes::ATTACHMENT4,
        c.county.id
    );
    let report: Attachment4Report = ctx.get(&path, &ctx.token(c.staff.id).await).await;
    let mut visits: Vec<&Visit> = c.instructors.iter().flat_map(|i| &i.visits).collect();
    visits.push(&visit);
    assert_eq!(report.total, Attachment4::tally(visits, Period::year(year)));
}

async fn township_status_counts_syncs_and_visits(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let c = &ctx.county;
    let me = &c.instructors[0];
    let phone = ctx.token(me.user.id).await;
    ctx.push(&phone, vec![]).await;
    let token = ctx.token(c.liaisons[0].id).await;
    let status: TownshipStatus = ctx
        .get(
            &format!("{}/{}/status", wire::routes::TOWNSHIPS, c.townships[0].id),
            &token,
        )
        .await;

    assert_eq!(status.instructors.len(), 1);
    let line = &status.instructors[0];
    assert_eq!(line.instructor_id, me.instructor.id);
    assert!(line.last_sync.is_some());
    assert_eq!(line.households, me.households.len() as u32);
    let today = status.as_of;
    let visited: HashSet<_> = me
        .visits
        .iter()
        .filter(|v| (today - v.date).num_days() < 30)
        .flat_map(|v| v.households.clone())
        .collect();
    let expected = me
        .households
        .iter()
        .filter(|h| !visited.contains(&h.id))
        .count() as u32;
    assert_eq!(line.not_visited_30, expected);
    assert!(
        line.not_visited_30 >= line.not_visited_60 && line.not_visited_60 >= line.not_visited_90
    );
    assert_eq!(line.open_conflicts, 0);

    // A pull reports the outbox as it stands after the push; a pull from an
    // app that says nothing leaves the last figure.
    let status_path = format!("{}/{}/status", wire::routes::TOWNSHIPS, c.townships[0].id);
    let queue_after = |pull: &'static str| {
        let (ctx, phone, token, status_path) = (&ctx, &phone, &token, &status_path);
        async move {
            let _: PullResponse = ctx
                .get(&format!("{}?cursor=0{pull}", wire::routes::PULL), phone)
                .await;
            let status: TownshipStatus = ctx.get(status_path, token).await;
            (
                status.instructors[0].queued,
                status.instructors[0].oldest_queued_secs,
            )
        }
    };
    assert_eq!(
        queue_after("&queued=3&oldest_queued_secs=40").await,
        (3, Some(40))
    );
    assert_eq!(queue_after("").await, (3, Some(40)));
    assert_eq!(queue_after("&queued=0").await, (0, None));

    // A visit edited from a stale copy is an open conflict of its
    // instructor's.
    let seeded = me.visits[0].clone();
    let edit = |note: &str, base| {
        let mut v = seeded.clone();
        v.note = note.into();
        wire::Op {
            op_id: fieldledger_model::id::new_id(),
            base,
            schema: fieldledger_model::SCHEMA_VERSION,
            record: wire::Record::Visit(v),
        }
    };
    let (_, head, _) = ctx.server.store().record(seeded.id).await.unwrap().unwrap();
    let newer = edit("复查", Some(head));
    ctx.push(&phone, vec![newer]).await;
    let answer = ctx.push(&phone, vec![edit("旧稿", Some(head))]).await;
    assert!(matches!(
        answer.results[0].outcome,
        wire::Outcome::Conflict { .. }
    ));
    let status: TownshipStatus = ctx.get(&status_path, &token).await;
    assert_eq!(status.instructors[0].open_conflicts, 1);
}

async fn photos_upload_in_chunks_and_check_their_hash(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let token = ctx.token(ctx.county.instructors[0].user.id).await;
    let photo: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
    let name = hex::encode(Sha256::digest(&photo));
    let path = format!("{}/{name}", wire::routes::PHOTOS);
    let put = |offset: usize, bytes: &[u8]| {
        ctx.request(
            Method::PUT,
            &format!("{path}?offset={offset}&total={}", photo.len()),
            Some(&token),
        )
        .body(bytes.to_vec())
        .send()
    };

    let first: PhotoProgress = common::ok(put(0, &photo[..100_000]).await.unwrap()).await;
    assert_eq!(
        first,
        PhotoProgress {
            received: 100_000,
            complete: false
        }
    );
    let skipped = put(200_000, &photo[200_000..]).await.unwrap();
    assert_eq!(skipped.status(), StatusCode::CONFLICT);
    let body: serde_json::Value = skipped.json().await.unwrap();
    assert_eq!(body["received"], 100_000);
    let resumed: PhotoProgress = ctx.get(&path, &token).await;
    let rest: PhotoProgress = common::ok(
        put(resumed.received as usize, &photo[100_000..])
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        rest,
        PhotoProgress {
            received: photo.len() as u64,
            complete: true
        }
    );
    assert!(ctx.server.data_dir().join("photos").join(&name).exists());

    let other = "0".repeat(64);
    let wrong = ctx
        .request(
            Method::PUT,
            &format!("{}/{other}?offset=0&total=5", wire::routes::PHOTOS),
            Some(&token),
        )
        .body(vec![1, 2, 3, 4, 5])
        .send()
        .await
        .unwrap();
    let (status, error) = refused(wrong).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::UNPROCESSABLE_ENTITY, ErrorCode::HashMismatch)
    );
    let after: PhotoProgress = ctx
        .get(&format!("{}/{other}", wire::routes::PHOTOS), &token)
        .await;
    assert_eq!(after.received, 0, "the partial data was discarded");
}

async fn a_compressed_push_is_accepted(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let me = &ctx.county.instructors[0];
    let token = ctx.token(me.user.id).await;
    let mut ledger = fieldledger_model::Ledger::new(me.households[0].id, 2024);
    ledger.basic.population = Some(2);
    let op = wire::Op {
        op_id: fieldledger_model::id::new_id(),
        base: None,
        schema: fieldledger_model::SCHEMA_VERSION,
        record: wire::Record::Ledger(ledger),
    };
    let body = wire::PushRequest {
        device: wire::DeviceReport::default(),
        ops: vec![op],
    };
    for (encoding, bytes) in [
        (
            "zstd",
            zstd::encode_all(serde_json::to_vec(&body).unwrap().as_slice(), 3).unwrap(),
        ),
        ("gzip", gzip(&serde_json::to_vec(&body).unwrap())),
    ] {
        let answer = ctx
            .request(Method::POST, wire::routes::PUSH, Some(&token))
            .header("content-type", "application/json")
            .header("content-encoding", encoding)
            .body(bytes)
            .send()
            .await
            .unwrap();
        let answer: wire::PushResponse = common::ok(answer).await;
        assert!(answer.results[0].outcome.is_durable(), "{encoding}");
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test]
async fn openapi_lists_every_route() {
    let server = fieldledger_server::testing::TestServer::start()
        .await
        .unwrap();
    let client = common::client(&server.cert_pem());
    let doc: serde_json::Value = client
        .get(format!("{}/openapi.json", server.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for (method, path, _) in fieldledger_server::app::routes() {
        let operation = &doc["paths"][path][method.as_str().to_lowercase()];
        assert!(
            operation.is_object(),
            "{method} {path} is missing from /openapi.json"
        );
    }
    let documented = doc["paths"].as_object().unwrap().len();
    let routed: HashSet<_> = fieldledger_server::app::routes()
        .into_iter()
        .map(|(_, p, _)| p)
        .collect();
    assert_eq!(
        documented,
        routed.len(),
        "no path documented that the router lacks"
    );
}

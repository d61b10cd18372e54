//! Who may read and write what, and every refusal a 4xx with a clear code;
//! on SQLite and PostgreSQL.

#![allow(clippy::unwrap_used)]

mod common;

use common::{Backend, Ctx, refused, start, start_with};
use fieldledger_model::wire::{self, Change, ErrorCode, Op, Outcome, PullResponse, Record};
use fieldledger_model::{Ledger, SCHEMA_VERSION, id::new_id};
use fieldledger_server::demo::{CountySpec, SeededCounty};
use reqwest::{Method, StatusCode};
use uuid::Uuid;

per_backend!(
    role_by_area_by_read_and_write,
    admin_endpoints_stay_in_the_county,
    a_revoked_token_is_refused,
    an_oversized_body_is_refused,
    a_missing_or_old_protocol_is_refused,
    malformed_json_is_refused_as_json,
);

fn ledger(household: Uuid) -> Op {
    let mut ledger = Ledger::new(household, 2024);
    ledger.basic.population = Some(3);
    Op {
        op_id: new_id(),
        base: None,
        schema: SCHEMA_VERSION,
        record: Record::Ledger(ledger),
    }
}

async fn pulled(ctx: &Ctx, token: &str) -> Vec<Uuid> {
    let page: PullResponse = ctx
        .get(&format!("{}?limit=500", wire::routes::PULL), token)
        .await;
    assert!(!page.more);
    page.changes
        .iter()
        .map(|c: &Change| c.record.id())
        .collect()
}

async fn write(ctx: &Ctx, token: &str, household: Uuid) -> Outcome {
    ctx.push(token, vec![ledger(household)])
        .await
        .results
        .remove(0)
        .outcome
}

fn is_forbidden(outcome: &Outcome) -> bool {
    matches!(outcome, Outcome::Rejected { code: ErrorCode::Forbidden, reason } if !reason.is_empty())
}

async fn other_county(ctx: &Ctx) -> SeededCounty {
    let spec = CountySpec {
        name: "他县".into(),
        townships: 1,
        villages_per_township: 1,
        instructors_per_township: 1,
        households_per_instructor: 1,
        seed: 2,
        ..CountySpec::default()
    };
    ctx.server.seed(&spec).await.unwrap()
}

fn status_path(township: Uuid) -> String {
    format!("{}/{township}/status", wire::routes::TOWNSHIPS)
}

fn report_path(area: Uuid) -> String {
    format!(
        "{}?year=2025&level=township&area={area}",
        wire::routes::ATTACHMENT4
    )
}

async fn role_by_area_by_read_and_write(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let elsewhere = other_county(&ctx).await;
    let c = &ctx.county;
    let (mine, theirs) = (&c.instructors[0], &c.instructors[1]);
    let (own_household, other_household) = (mine.households[0].id, theirs.households[0].id);
    let far_household = elsewhere.instructors[0].households[0].id;

    // Instructor: reads and writes their own households only; no status or reports.
    let token = ctx.token(mine.user.id).await;
    let seen = pulled(&ctx, &token).await;
    assert!(
        seen.contains(&own_household)
            && !seen.contains(&other_household)
            && !seen.contains(&far_household)
    );
    assert_eq!(write(&ctx, &token, own_household).await, Outcome::Applied);
    assert!(is_forbidden(&write(&ctx, &token, other_household).await));
    assert!(is_forbidden(&write(&ctx, &token, far_household).await));
    assert_eq!(
        ctx.get_status(&status_path(c.townships[0].id), &token)
            .await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        ctx.get_status(&report_path(c.county.id), &token).await,
        StatusCode::FORBIDDEN
    );

    // Liaison: reads their township, nothing else; writes nothing.
    let token = ctx.token(c.liaisons[0].id).await;
    let seen = pulled(&ctx, &token).await;
    assert!(
        seen.contains(&own_household)
            && !seen.contains(&other_household)
            && !seen.contains(&far_household)
    );
    assert!(is_forbidden(&write(&ctx, &token, own_household).await));
    assert!(is_forbidden(&write(&ctx, &token, other_household).await));
    assert_eq!(
        ctx.get_status(&status_path(c.townships[0].id), &token)
            .await,
        StatusCode::OK
    );
    assert_eq!(
        ctx.get_status(&status_path(c.townships[1].id), &token)
            .await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        ctx.get_status(&report_path(c.townships[0].id), &token)
            .await,
        StatusCode::OK
    );
    assert_eq!(
        ctx.get_status(&report_path(c.townships[1].id), &token)
            .await,
        StatusCode::FORBIDDEN
    );

    // County staff: read and correct their county; nothing of another.
    let token = ctx.token(c.staff.id).await;
    let seen = pulled(&ctx, &token).await;
    assert!(
        seen.contains(&own_household)
            && seen.contains(&other_household)
            && !seen.contains(&far_household)
    );
    assert_eq!(write(&ctx, &token, other_household).await, Outcome::Applied);
    assert!(is_forbidden(&write(&ctx, &token, far_household).await));
    assert_eq!(
        ctx.get_status(&status_path(c.townships[1].id), &token)
            .await,
        StatusCode::OK
    );
    assert_eq!(
        ctx.get_status(&status_path(elsewhere.townships[0].id), &token)
            .await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        ctx.get_status(&report_path(c.county.id), &token).await,
        StatusCode::OK
    );
    assert_eq!(
        ctx.get_status(&report_path(elsewhere.county.id), &token)
            .await,
        StatusCode::FORBIDDEN
    );

    // The county's correction reaches the instructor's pull.
    let token = ctx.token(theirs.user.id).await;
    let page: PullResponse = ctx
        .get(&format!("{}?limit=500", wire::routes::PULL), &token)
        .await;
    assert!(
        page.changes
            .iter()
            .any(|ch| matches!(&ch.record, Record::Ledger(l) if l.household_id == other_household))
    );
}

async fn admin_endpoints_stay_in_the_county(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let elsewhere = other_county(&ctx).await;
    let token = ctx.token(ctx.county.staff.id).await;
    let area =
        |parent: Uuid| serde_json::json!({ "level": "village", "name": "新村", "parent": parent });

    let made = ctx
        .request(Method::POST, "/v1/admin/areas", Some(&token))
        .json(&area(ctx.county.townships[0].id))
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), StatusCode::OK);
    let far = ctx
        .request(Method::POST, "/v1/admin/areas", Some(&token))
        .json(&area(elsewhere.townships[0].id))
        .send()
        .await
        .unwrap();
    let (status, error) = refused(far).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::FORBIDDEN, ErrorCode::Forbidden)
    );

    let household = ctx.county.instructors[0].households[0].id;
    // The new instructor has pulled everything theirs before the move.
    let new_owner = ctx.token(ctx.county.instructors[1].user.id).await;
    let before: PullResponse = ctx
        .get(&format!("{}?limit=500", wire::routes::PULL), &new_owner)
        .await;
    let body = serde_json::json!({ "household_id": household, "instructor_id": ctx.county.instructors[1].instructor.id });
    let moved = ctx
        .request(Method::POST, "/v1/admin/assignments", Some(&token))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), StatusCode::OK);
    let since: PullResponse = ctx
        .get(
            &format!("{}?limit=500&cursor={}", wire::routes::PULL, before.cursor),
            &new_owner,
        )
        .await;
    let theirs: Vec<Uuid> = since.changes.iter().map(|c| c.record.id()).collect();
    assert!(theirs.contains(&household));
    let visits: Vec<Uuid> = ctx.county.instructors[0]
        .visits
        .iter()
        .filter(|v| v.households.contains(&household))
        .map(|v| v.id)
        .collect();
    assert!(!visits.is_empty());
    assert!(
        visits.iter().all(|v| theirs.contains(v)),
        "the household's visits follow it to its new instructor's next pull"
    );

    let instructor = ctx.token(ctx.county.instructors[0].user.id).await;
    let denied = ctx
        .request(Method::POST, "/v1/admin/assignments", Some(&instructor))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(refused(denied).await.1.code, ErrorCode::Forbidden);
    let history: Vec<serde_json::Value> = ctx
        .get(&format!("/v1/admin/records/{household}/history"), &token)
        .await;
    assert!(
        history.len() >= 2,
        "creation and reassignment are both in the history"
    );
}

async fn a_revoked_token_is_refused(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let enrolled = ctx.enroll(ctx.county.instructors[0].user.id).await;
    assert_eq!(
        ctx.get_status(wire::routes::PULL, &enrolled.token).await,
        StatusCode::OK
    );
    let staff = ctx.token(ctx.county.staff.id).await;
    let path = format!("/v1/admin/devices/{}/revoke", enrolled.device_id);
    assert_eq!(
        ctx.request(Method::POST, &path, Some(&staff))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    let answer = ctx
        .request(Method::GET, wire::routes::PULL, Some(&enrolled.token))
        .send()
        .await
        .unwrap();
    let (status, error) = refused(answer).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::UNAUTHORIZED, ErrorCode::TokenRevoked)
    );
    let unknown = ctx
        .request(Method::GET, wire::routes::PULL, Some("nonsense"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused(unknown).await.1.code, ErrorCode::Unauthorized);
}

async fn an_oversized_body_is_refused(backend: Backend) {
    let Some(ctx) = start_with(backend, 64 * 1024).await else {
        return;
    };
    let token = ctx.token(ctx.county.instructors[0].user.id).await;
    let household = ctx.county.instructors[0].households[0].id;
    let ops: Vec<Op> = (0..600).map(|_| ledger(household)).collect();
    let body = wire::PushRequest {
        device: wire::DeviceReport::default(),
        ops,
    };
    let answer = ctx
        .request(Method::POST, wire::routes::PUSH, Some(&token))
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, error) = refused(answer).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::BodyTooLarge)
    );

    // The limit counts decompressed bytes: a small zstd body that inflates past it is refused too.
    let compressed = zstd::encode_all(serde_json::to_vec(&body).unwrap().as_slice(), 3).unwrap();
    assert!(compressed.len() < 64 * 1024);
    let answer = ctx
        .request(Method::POST, wire::routes::PUSH, Some(&token))
        .header("content-type", "application/json")
        .header("content-encoding", "zstd")
        .body(compressed)
        .send()
        .await
        .unwrap();
    assert_eq!(refused(answer).await.1.code, ErrorCode::BodyTooLarge);
}

async fn a_missing_or_old_protocol_is_refused(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let token = ctx.token(ctx.county.staff.id).await;
    let bare = ctx
        .client
        .get(ctx.url(wire::routes::PULL))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let (status, error) = refused(bare).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::UPGRADE_REQUIRED, ErrorCode::ProtocolOutdated)
    );
    assert!(error.message.contains("更新"), "{}", error.message);
    let old = ctx
        .client
        .get(ctx.url(wire::routes::PULL))
        .bearer_auth(&token)
        .header(wire::PROTOCOL_HEADER, "0")
        .send()
        .await
        .unwrap();
    assert_eq!(refused(old).await.1.code, ErrorCode::ProtocolOutdated);
}

async fn malformed_json_is_refused_as_json(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let token = ctx.token(ctx.county.instructors[0].user.id).await;
    let answer = ctx
        .request(Method::POST, wire::routes::PUSH, Some(&token))
        .header("content-type", "application/json")
        .body("{\"ops\": [")
        .send()
        .await
        .unwrap();
    let (status, error) = refused(answer).await;
    assert_eq!(
        (status, error.code),
        (StatusCode::BAD_REQUEST, ErrorCode::MalformedJson)
    );
    let wrong_shape = ctx
        .request(Method::POST, wire::routes::ENROLL, None)
        .json(&serde_json::json!({"code": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused(wrong_shape).await.1.code, ErrorCode::MalformedJson);
    let nowhere = ctx
        .request(Method::GET, "/v1/nothing", Some(&token))
        .send()
        .await
        .unwrap();
    assert_eq!(refused(nowhere).await.1.code, ErrorCode::NotFound);
}

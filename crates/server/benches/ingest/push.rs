//! Ingest over HTTPS: one enrolled phone pushes new visits in batches and
//! waits for each answer, which comes only once the batch is durable.

use std::time::Instant;

use chrono::Utc;
use fieldledger_model::wire::{self, DeviceReport, Op, PushRequest, PushResponse, Record};
use fieldledger_model::{SCHEMA_VERSION, id::new_id};
use fieldledger_server::demo::{self, CountySpec};
use fieldledger_server::testing::TestServer;
use rand::SeedableRng;
use rand::rngs::StdRng;

/// Visit ops per second over `total` ops pushed in batches of `batch`.
pub async fn ingest(server: &TestServer, batch: usize, total: usize) -> f64 {
    let spec = CountySpec {
        townships: 1,
        instructors_per_township: 1,
        households_per_instructor: 50,
        visits_per_household: 0,
        ..CountySpec::default()
    };
    let county = server.seed(&spec).await.unwrap();
    let me = &county.instructors[0];
    let client = client(&server.cert_pem());
    let token = enroll(&client, server, me.user.id).await;
    let mut rng = StdRng::seed_from_u64(7);
    let today = Utc::now().date_naive();
    let batches: Vec<PushRequest> = (0..(total / batch).max(1))
        .map(|_| {
            let ops = (0..batch)
                .map(|i| {
                    let household = me.households[i % me.households.len()].id;
                    let visit =
                        demo::random_visit(&mut rng, me.instructor.id, vec![household], today);
                    Op {
                        op_id: new_id(),
                        base: None,
                        schema: SCHEMA_VERSION,
                        record: Record::Visit(visit),
                    }
                })
                .collect();
            PushRequest {
                device: DeviceReport::default(),
                ops,
            }
        })
        .collect();

    let started = Instant::now();
    for body in &batches {
        let response = client
            .post(format!("{}{}", server.base_url(), wire::routes::PUSH))
            .bearer_auth(&token)
            .header(wire::PROTOCOL_HEADER, wire::PROTOCOL_VERSION.to_string())
            .json(body)
            .send()
            .await
            .unwrap();
        let answer: PushResponse = response.json().await.unwrap();
        assert!(
            answer
                .results
                .iter()
                .all(|r| r.outcome == wire::Outcome::Applied)
        );
    }

    (batches.len() * batch) as f64 / started.elapsed().as_secs_f64()
}

fn client(cert_pem: &str) -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cert = reqwest::Certificate::from_pem(cert_pem.as_bytes()).unwrap();
    reqwest::Client::builder()
        .tls_certs_only([cert])
        .build()
        .unwrap()
}

async fn enroll(client: &reqwest::Client, server: &TestServer, user: uuid::Uuid) -> String {
    let code = server.enroll_code(user).await.unwrap();
    let body = wire::EnrollRequest {
        code,
        device_name: "bench".into(),
        app_version: "bench".into(),
    };
    let response = client
        .post(format!("{}{}", server.base_url(), wire::routes::ENROLL))
        .header(wire::PROTOCOL_HEADER, wire::PROTOCOL_VERSION.to_string())
        .json(&body)
        .send()
        .await
        .unwrap();
    response.json::<wire::EnrollResponse>().await.unwrap().token
}

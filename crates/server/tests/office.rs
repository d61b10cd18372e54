//! The office tables over HTTPS on SQLite and PostgreSQL: exports read back
//! with calamine, who may fetch them, whole-or-nothing imports, the
//! coverage check, reproducible spot checks; and the admin command line.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::Cursor;
use std::process::Command;

use calamine::{Reader, Xlsx};
use chrono::Datelike;
use common::{Backend, Ctx, ok, refused, start};
use fieldledger_model::Ledger;
use fieldledger_model::choice::Choice;
use fieldledger_model::roster::Source;
use fieldledger_model::tally::WorkItem;
use fieldledger_model::wire::{self, Attachment4Report, Record};
use fieldledger_server::demo::{CountySpec, resident_id_number};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use uuid::Uuid;

per_backend!(
    exports_read_back_with_their_totals,
    only_the_county_staff_may_fetch,
    a_clean_import_is_written_wholly,
    bad_rows_are_listed_and_nothing_is_written,
    coverage_finds_the_unassigned_and_the_overloaded,
    the_same_seed_draws_the_same_sample,
);

fn year_of(ctx: &Ctx) -> i32 {
    ctx.county.instructors[0].visits[0].date.year()
}

/// The body and headers of a 200 download.
async fn download(ctx: &Ctx, path: &str, token: &str) -> (reqwest::header::HeaderMap, Vec<u8>) {
    let response = ctx
        .request(Method::GET, path, Some(token))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.bytes().await.unwrap().to_vec();
    assert_eq!(
        status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    (headers, bytes)
}

/// The first sheet as text, row by row.
fn sheet(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

fn row_starting<'a>(rows: &'a [Vec<String>], first: &str) -> &'a Vec<String> {
    rows.iter()
        .find(|r| r.first().is_some_and(|c| c.starts_with(first)))
        .unwrap_or_else(|| panic!("no row starting with {first}: {rows:?}"))
}

fn number(text: &str) -> f64 {
    text.parse()
        .unwrap_or_else(|_| panic!("not a number: {text}"))
}

/// The eleven Attachment 4 cells of a row equal the report's figures.
fn same_figures(cells: &[String], figures: &fieldledger_model::tally::Attachment4) {
    for (i, item) in WorkItem::ALL.iter().enumerate() {
        let want = number(&figures.figure(*item));
        assert!(
            (number(&cells[2 + i]) - want).abs() < 1e-9,
            "{item:?}: {} != {want}",
            cells[2 + i]
        );
    }
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

async fn add_ledger(ctx: &Ctx, household: Uuid, year: i32) {
    let ledger: Ledger = serde_json::from_value(serde_json::json!({
        "id": Uuid::now_v7(), "household_id": household, "year": year,
        "basic": {"population": 4},
    }))
    .unwrap();
    let outcome = ctx
        .server
        .store()
        .admin_put(ctx.county.office(), Record::Ledger(ledger))
        .await
        .unwrap();
    assert!(
        !matches!(outcome, wire::Outcome::Rejected { .. }),
        "{outcome:?}"
    );
}

async fn exports_read_back_with_their_totals(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let c = &ctx.county;
    let token = ctx.token(c.staff.id).await;
    let base = format!("/v1/counties/{}", c.county.id);
    let year = year_of(&ctx);

    let (headers, bytes) = download(
        &ctx,
        &format!("{base}/exports/attachment2?format=xlsx"),
        &token,
    )
    .await;
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let disposition = headers["content-disposition"].to_str().unwrap();
    let encoded = disposition.split("filename*=UTF-8''").nth(1).unwrap();
    assert!(
        percent_decode(encoded).starts_with("附件2_"),
        "{disposition}"
    );
    let rows = sheet(&bytes);
    assert!(
        rows.iter()
            .any(|r| r.contains(&"指导贫困农户数量（户）".to_owned()))
    );
    let total = row_starting(&rows, "合计");
    assert_eq!(
        number(&total[13]),
        6.0,
        "two instructors with three households each"
    );

    let (headers, bytes) = download(
        &ctx,
        &format!("{base}/exports/attachment2?format=csv"),
        &token,
    )
    .await;
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.starts_with('\u{feff}') && text.contains("合计") && text.contains("指导员1"));

    let (_, bytes) = download(&ctx, &format!("{base}/exports/attachment3"), &token).await;
    let rows = sheet(&bytes);
    assert!(rows.iter().any(|r| r.contains(&"贫困乡镇数量".to_owned())));
    let total = row_starting(&rows, "合计");
    assert_eq!(
        &total[6..8],
        ["6", "6"],
        "households and covered: {total:?}"
    );

    for level in ["county", "township", "instructor"] {
        let query = format!("year={year}&level={level}");
        let report: Attachment4Report = ctx
            .get(
                &format!("{}?{query}&area={}", wire::routes::ATTACHMENT4, c.county.id),
                &token,
            )
            .await;
        let (_, bytes) =
            download(&ctx, &format!("{base}/exports/attachment4?{query}"), &token).await;
        let rows = sheet(&bytes);
        same_figures(row_starting(&rows, "合计"), &report.total);
        for line in &report.rows {
            let cells = rows.iter().find(|r| r.get(1) == Some(&line.name)).unwrap();
            same_figures(cells, &line.figures);
        }
    }

    let household = &c.instructors[0].households[0];
    add_ledger(&ctx, household.id, year).await;
    let path = format!(
        "{base}/exports/attachment5?household={}&year={year}",
        household.id
    );
    let (_, bytes) = download(&ctx, &path, &token).await;
    let text = sheet(&bytes).concat().join("|");
    assert!(text.contains("贫困户产业发展台账") && text.contains(&household.head_name));
    let (_, bytes) = download(&ctx, &format!("{path}&format=csv"), &token).await;
    assert!(
        String::from_utf8(bytes)
            .unwrap()
            .contains(&household.head_name)
    );

    let (_, bytes) = download(
        &ctx,
        &format!("{base}/spot-check?seed=9&count=4&year={year}"),
        &token,
    )
    .await;
    let rows = sheet(&bytes);
    assert_eq!(row_starting(&rows, "合计")[0], "合计：4户");
}

async fn only_the_county_staff_may_fetch(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let c = &ctx.county;
    let base = format!("/v1/counties/{}", c.county.id);
    let instructor = ctx.token(c.instructors[0].user.id).await;
    let liaison = ctx.token(c.liaisons[0].id).await;
    let neighbour = ctx
        .server
        .seed(&CountySpec {
            name: "邻县".into(),
            townships: 1,
            villages_per_township: 1,
            instructors_per_township: 1,
            households_per_instructor: 1,
            seed: 2,
            ..CountySpec::default()
        })
        .await
        .unwrap();
    let other_staff = ctx.token(neighbour.staff.id).await;
    for token in [&instructor, &liaison, &other_staff] {
        for path in [
            format!("{base}/exports/attachment2"),
            format!("{base}/exports/attachment4?year=2025&level=county"),
            format!("{base}/coverage"),
            format!("{base}/spot-check?seed=1&count=2"),
        ] {
            let response = ctx
                .request(Method::GET, &path, Some(token))
                .send()
                .await
                .unwrap();
            let (status, error) = refused(response).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{path}");
            assert_eq!(error.code, wire::ErrorCode::Forbidden);
        }
        let response = ctx
            .request(
                Method::POST,
                &format!("{base}/imports/households"),
                Some(token),
            )
            .body("x")
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    let foreign = c.instructors[0].households[0].id;
    let path = format!(
        "/v1/counties/{}/exports/attachment5?household={foreign}&year=2025",
        neighbour.county.id
    );
    let response = ctx
        .request(Method::GET, &path, Some(&other_staff))
        .send()
        .await
        .unwrap();
    assert_eq!(refused(response).await.0, StatusCode::NOT_FOUND);
}

/// A household CSV: one line per `(village index, id day, mobile)`.
fn household_csv(ctx: &Ctx, lines: &[(usize, i64, &str)]) -> String {
    let c = &ctx.county;
    let mut csv = String::from(
        "县（市、区、特区）,乡（镇、社区）,村,村民组,贫困户户主姓名,身份证号,人口数（人）,产业指导员手机号码\n",
    );
    for (village, day, mobile) in lines {
        let village = &c.villages[*village];
        let township = c
            .townships
            .iter()
            .find(|t| Some(t.id) == village.parent)
            .unwrap();
        csv.push_str(&format!(
            "{},{},{},1组,赵某{day},{},3,{mobile}\n",
            c.county.name,
            township.name,
            village.name,
            resident_id_number(20_000 + day, 7)
        ));
    }
    csv
}

async fn households_in(ctx: &Ctx) -> Vec<fieldledger_model::Household> {
    ctx.server
        .store()
        .county_data(ctx.county.county.id)
        .await
        .unwrap()
        .households
}

async fn post_file(ctx: &Ctx, what: &str, token: &str, body: Vec<u8>) -> reqwest::Response {
    let path = format!("/v1/counties/{}/imports/{what}", ctx.county.county.id);
    ctx.request(Method::POST, &path, Some(token))
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn a_clean_import_is_written_wholly(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let c = &ctx.county;
    let token = ctx.token(c.staff.id).await;
    let mobile = c.instructors[1].instructor.mobile.clone();
    let csv = household_csv(&ctx, &[(0, 1, ""), (1, 2, &mobile)]);
    let answer: Value = ok(post_file(&ctx, "households", &token, csv.into_bytes()).await).await;
    assert_eq!(answer["imported"], 2);
    let households = households_in(&ctx).await;
    assert_eq!(households.len(), 8);
    let assigned = households.iter().find(|h| h.head_name == "赵某2").unwrap();
    assert_eq!(assigned.instructor_id, Some(c.instructors[1].instructor.id));
    assert!(
        households
            .iter()
            .find(|h| h.head_name == "赵某1")
            .unwrap()
            .instructor_id
            .is_none()
    );

    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let source = Source::ExtensionTechnician.label();
    for (col, text) in ["县名", "姓名", "手机号码", "指导员来源"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, col as u16, *text).unwrap();
    }
    for (row, (name, mobile)) in [("新指导员甲", "13700000001"), ("新指导员乙", "13700000002")]
        .iter()
        .enumerate()
    {
        let row = row as u32 + 1;
        for (col, text) in [c.county.name.as_str(), name, mobile, source]
            .iter()
            .enumerate()
        {
            sheet.write_string(row, col as u16, *text).unwrap();
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let answer: Value = ok(post_file(&ctx, "instructors", &token, bytes).await).await;
    assert_eq!(answer["imported"], 2);
    let roster = ctx
        .server
        .store()
        .county_data(c.county.id)
        .await
        .unwrap()
        .instructors;
    assert_eq!(roster.len(), 4);
    assert!(
        roster
            .iter()
            .any(|i| i.name == "新指导员乙" && i.mobile == "13700000002")
    );
}

async fn bad_rows_are_listed_and_nothing_is_written(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let c = &ctx.county;
    let token = ctx.token(c.staff.id).await;
    let before = households_in(&ctx).await.len();
    let mut csv = household_csv(&ctx, &[(0, 1, "")]);
    let valid = resident_id_number(21_500, 9);
    let wrong_check = if valid.ends_with('0') { '1' } else { '0' };
    let bad_id = format!("{}{wrong_check}", &valid[..17]);
    csv.push_str(&format!(
        "{0},{1},{2},1组,钱某,{bad_id},3,\n{0},{1},无此村,1组,孙某,{3},0,13900000000\n",
        c.county.name,
        c.townships[0].name,
        c.villages[0].name,
        resident_id_number(21_000, 8)
    ));
    let response = post_file(&ctx, "households", &token, csv.into_bytes()).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    let problems = body["problems"].as_array().unwrap();
    let rows: Vec<u64> = problems
        .iter()
        .map(|p| p["row"].as_u64().unwrap())
        .collect();
    assert!(
        rows.contains(&3) && rows.contains(&4) && !rows.contains(&2),
        "{body}"
    );
    let columns: Vec<&str> = problems
        .iter()
        .map(|p| p["column"].as_str().unwrap())
        .collect();
    for column in ["身份证号", "村", "人口数（人）", "产业指导员手机号码"] {
        assert!(columns.contains(&column), "{column} missing: {body}");
    }
    assert!(
        problems
            .iter()
            .all(|p| !p["reason"].as_str().unwrap().is_empty())
    );
    assert_eq!(households_in(&ctx).await.len(), before, "nothing written");
}

async fn coverage_finds_the_unassigned_and_the_overloaded(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let c = &ctx.county;
    let token = ctx.token(c.staff.id).await;
    let mobile = c.instructors[0].instructor.mobile.clone();
    let mut lines: Vec<(usize, i64, &str)> = (0..18).map(|d| (0, d, mobile.as_str())).collect();
    lines.push((0, 99, ""));
    let answer: Value = ok(post_file(
        &ctx,
        "households",
        &token,
        household_csv(&ctx, &lines).into_bytes(),
    )
    .await)
    .await;
    assert_eq!(answer["imported"], 19);

    let path = format!("/v1/counties/{}/coverage", c.county.id);
    let coverage: Value = ctx.get(&path, &token).await;
    assert_eq!(coverage["clean"], false);
    let unassigned = coverage["unassigned"].as_array().unwrap();
    assert_eq!(unassigned.len(), 1, "{coverage}");
    assert_eq!(unassigned[0]["head_name"], "赵某99");
    let overloaded = coverage["overloaded"].as_array().unwrap();
    assert_eq!(overloaded.len(), 1, "{coverage}");
    assert_eq!(
        overloaded[0]["id"],
        c.instructors[0].instructor.id.to_string()
    );
    assert_eq!(overloaded[0]["households"], 21);
    let village = c.villages[0].id.to_string();
    let short = |coverage: &Value| {
        coverage["short"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == village.as_str())
            .cloned()
    };
    let shortfall = short(&coverage).unwrap();
    assert_eq!(
        (shortfall["required"].as_u64(), shortfall["actual"].as_u64()),
        (Some(2), Some(1))
    );

    let path_set = format!("/v1/admin/areas/{village}/main-industries");
    let done: Value = ok(ctx
        .request(Method::PUT, &path_set, Some(&token))
        .json(&serde_json::json!({"main_industries": 1}))
        .send()
        .await
        .unwrap())
    .await;
    assert_eq!(done["done"], true);
    let coverage: Value = ctx.get(&path, &token).await;
    assert!(
        short(&coverage).is_none(),
        "one strong product needs one instructor: {coverage}"
    );
}

async fn the_same_seed_draws_the_same_sample(backend: Backend) {
    let Some(ctx) = start(backend).await else {
        return;
    };
    let c = &ctx.county;
    let token = ctx.token(c.staff.id).await;
    let path = format!("/v1/counties/{}/spot-check?seed=42&count=3", c.county.id);
    let ids = |bytes: &[u8]| -> Vec<String> {
        let rows = sheet(bytes);
        let header = rows
            .iter()
            .position(|r| r.contains(&"身份证号".to_owned()))
            .unwrap();
        let column = rows[header].iter().position(|c| c == "身份证号").unwrap();
        rows[header + 1..]
            .iter()
            .take_while(|r| !r[0].starts_with("合计"))
            .map(|r| r[column].clone())
            .collect()
    };
    let first = ids(&download(&ctx, &path, &token).await.1);
    let second = ids(&download(&ctx, &path, &token).await.1);
    assert_eq!(first.len(), 3);
    assert_eq!(first, second);
    let households = households_in(&ctx).await;
    let drawn = fieldledger_office::spotcheck::sample(
        &households,
        42,
        fieldledger_office::spotcheck::SampleSize::Count(3),
    );
    let expected: Vec<String> = drawn
        .values()
        .flatten()
        .map(|id| {
            households
                .iter()
                .find(|h| h.id == *id)
                .unwrap()
                .id_number
                .clone()
        })
        .collect();
    assert_eq!(first, expected);
}

#[test]
fn the_admin_command_line_exports_attachment4() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_fieldledger-server");
    let data = dir.path().to_str().unwrap();
    let demo = Command::new(bin)
        .args(["admin", "--data-dir", data, "demo", "--townships", "2"])
        .args([
            "--instructors-per-township",
            "1",
            "--households-per-instructor",
            "2",
        ])
        .output()
        .unwrap();
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let stdout = String::from_utf8(demo.stdout).unwrap();
    let county = stdout
        .lines()
        .find_map(|l| {
            l.strip_prefix("county ")
                .filter(|l| !l.starts_with("staff"))
        })
        .and_then(|l| l.split_whitespace().next())
        .unwrap()
        .to_owned();
    let year = chrono::Utc::now().year().to_string();
    let out = dir.path().join("附件4.xlsx");
    let export = Command::new(bin)
        .args([
            "admin",
            "--data-dir",
            data,
            "export",
            "attachment4",
            "--county",
            &county,
        ])
        .args([
            "--year", &year, "--level", "township", "--format", "xlsx", "--out",
        ])
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    let rows = sheet(&std::fs::read(&out).unwrap());
    assert!(rows.iter().any(|r| r.contains(&"乡（镇）名".to_owned())));
    assert!(rows.iter().any(|r| r.get(1).is_some_and(|n| n == "第2镇")));
    let total = row_starting(&rows, "合计");
    assert_eq!(total.len(), 13);

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let report = runtime.block_on(async {
        let store = fieldledger_server::store::Store::open_sqlite(
            &dir.path().join(fieldledger_server::server::SQLITE_FILE),
        )
        .await
        .unwrap();
        let id: Uuid = county.parse().unwrap();
        let query = fieldledger_server::office::Attachment4Query {
            year: year.parse().unwrap(),
            to: None,
            level: wire::ReportLevel::Township,
        };
        fieldledger_server::office::attachment4_report(&store, id, query)
            .await
            .unwrap()
            .1
    });
    same_figures(total, &report.total);
}

#[test]
fn the_admin_command_line_refuses_a_bad_import_and_checks_coverage() {
    let dir = tempfile::tempdir().unwrap();
    let bin = env!("CARGO_BIN_EXE_fieldledger-server");
    let data = dir.path().to_str().unwrap();
    let admin = |args: &[&str]| {
        Command::new(bin)
            .args(["admin", "--data-dir", data])
            .args(args)
            .output()
            .unwrap()
    };
    let demo = admin(&[
        "demo",
        "--townships",
        "1",
        "--households-per-instructor",
        "2",
    ]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let stdout = String::from_utf8(demo.stdout).unwrap();
    let county = stdout
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .nth(1)
        .unwrap()
        .to_owned();
    let file = dir.path().join("households.csv");
    std::fs::write(
        &file,
        "县（市、区、特区）,乡（镇、社区）,村,村民组,贫困户户主姓名,身份证号,人口数（人）\n\
         示范县,第1镇,1村,1组,周某,123,x\n",
    )
    .unwrap();
    let import = admin(&[
        "import",
        "households",
        "--county",
        &county,
        file.to_str().unwrap(),
    ]);
    assert!(!import.status.success());
    let stderr = String::from_utf8_lossy(&import.stderr);
    assert!(
        stderr.contains("第2行“身份证号”") && stderr.contains("第2行“人口数（人）”"),
        "{stderr}"
    );
    assert!(stderr.contains("未导入任何记录"), "{stderr}");

    let coverage = admin(&["coverage", "--county", &county]);
    assert!(
        coverage.status.success(),
        "{}",
        String::from_utf8_lossy(&coverage.stderr)
    );
    let text = String::from_utf8(coverage.stdout).unwrap();
    assert!(text.contains("全县产业指导员配备符合要求"), "{text}");
}

//! Each screen rendered through a `VirtualDom` to HTML over the real
//! device store filled with demo data, checked for what a user would see.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use common::{DEMO_HOUSEHOLDS, DemoStore, render_at, today};
use fieldledger::data::AppData;
use fieldledger::viewmodel::{FieldKind, HouseholdQuery, LedgerState, SyncState};
use fieldledger_model::tally::{Attachment4, Period, WorkItem};
use fieldledger_model::wire::{Change, ErrorCode, OpResult, Outcome, Record, Role};
use fieldledger_model::{Ledger, Visit};
use uuid::Uuid;

fn year() -> i32 {
    chrono::Datelike::year(&today())
}

/// The first household in list order with visits and a ledger last year.
fn visited(demo: &DemoStore) -> (Uuid, Vec<Visit>) {
    (0..DEMO_HOUSEHOLDS)
        .map(|n| demo.household(n).id)
        .find_map(|id| {
            let detail = demo.data.household(id).unwrap();
            let ledger = detail.ledger(year() - 1).is_some();
            (ledger && !detail.visits.is_empty()).then_some((id, detail.visits))
        })
        .expect("the demo data visits most households")
}

#[test]
fn household_list_shows_demo_households_masked_and_paged() {
    let demo = DemoStore::new().enrolled_as(Role::Instructor);
    let first = demo.household(0);
    let html = render_at(demo.app_data(), "/");

    assert!(html.contains(&first.head_name), "{html}");
    assert!(html.contains(&first.masked_id()));
    assert!(
        !html.contains(&first.id_number),
        "the full ID must not reach the list"
    );
    assert!(html.contains(&format!("共{DEMO_HOUSEHOLDS}户，显示20户")));
    assert!(html.contains("加载更多"));
    assert_eq!(html.matches("<li").count(), 20);
    for tab in ["农户", "走访", "我的统计", "同步"] {
        assert!(html.contains(tab));
    }
    assert!(!html.contains("乡镇"), "instructors have no township tab");
}

#[test]
fn search_finds_a_household_by_the_tail_of_its_id_number() {
    let demo = DemoStore::new();
    let wanted = demo.household(7);
    let tail = &wanted.id_number[wanted.id_number.len() - 6..];
    let page = demo
        .data
        .households(&HouseholdQuery::first_page(tail))
        .unwrap();

    assert!(page.rows.iter().any(|r| r.id == wanted.id), "{tail}");
    assert_eq!(page.total, page.rows.len());
}

#[test]
fn household_page_shows_the_full_id_ledgers_and_visits() {
    let demo = DemoStore::new().enrolled_as(Role::Instructor);
    let (id, visits) = visited(&demo);
    let household = demo.data.household(id).unwrap().household;
    let html = render_at(demo.app_data(), &format!("/households/{id}"));

    assert!(html.contains(&household.id_number), "{html}");
    assert!(html.contains(&household.head_name));
    assert!(html.contains(&format!("{}年度", year() - 1)));
    assert!(html.contains("开始填写下一年度台账"));
    assert!(
        html.contains(&visits[0].date.to_string()),
        "newest visit first"
    );
    assert!(html.contains("走访记录"));
}

#[test]
fn ledger_form_has_every_section_and_the_household_on_it() {
    let demo = DemoStore::new().enrolled_as(Role::Instructor);
    let (id, _) = visited(&demo);
    let html = render_at(
        demo.app_data(),
        &format!("/households/{id}/ledger/{}", year()),
    );

    for label in [
        "A. 建档立卡贫困农户基本信息",
        "贫困户户主姓名",
        "人口数（人）",
        "致贫原因",
        "B. 生产资源情况",
        "15-25度坡耕地面积",
        "C. 现有劳动力情况",
        "D. 发展产业意向需求",
        "E. 收入情况",
        "F. 实际参与产业发展情况",
        "G. 利益联结情况",
        "H. 产销对接情况",
        "保存台账",
    ] {
        assert!(html.contains(label), "missing {label}");
    }
    assert!(html.contains(r#"<span class="unit">亩</span>"#));
    assert!(
        !html.contains("role=\"alert\""),
        "no message before a field is left"
    );
}

#[test]
fn next_year_starts_from_last_years_ledger_with_its_rows() {
    let demo = DemoStore::new().enrolled_as(Role::Instructor);
    let (id, _) = visited(&demo);
    let last = demo.store().ledger(id, year() - 1).unwrap().unwrap();
    let draft = demo.data.ledger_draft(id, year() + 1).unwrap();

    assert_eq!(draft.ledger.year, year() + 1);
    assert_eq!(draft.ledger.labour, last_labour(&demo, id, &last));
    let html = render_at(
        demo.app_data(),
        &format!("/households/{id}/ledger/{}", year() + 1),
    );
    if let Some(member) = draft.ledger.labour.first() {
        assert!(html.contains(&member.name), "rows are carried forward");
        assert!(html.contains("第1条"));
    }
    assert!(html.contains("添加一名劳动力"));
}

/// The labour rows the household's newest ledger holds.
fn last_labour(
    demo: &DemoStore,
    id: Uuid,
    last: &Ledger,
) -> Vec<fieldledger_model::ledger::LabourMember> {
    match demo.store().ledger(id, year()).unwrap() {
        Some(this_year) => this_year.labour,
        None => last.labour.clone(),
    }
}

#[test]
fn a_draft_is_kept_shown_in_the_list_and_saving_queues_the_ledger() {
    let demo = DemoStore::new().enrolled_as(Role::Instructor);
    let id = demo.household(3).id;
    let year = year() + 1;
    let mut draft = demo.data.ledger_draft(id, year).unwrap();
    draft.set_text("basic.population", FieldKind::Count, "5");
    demo.data.save_draft(&draft).unwrap();

    let again = demo.data.ledger_draft(id, year).unwrap();
    assert_eq!(
        again.ledger.basic.population,
        Some(5),
        "the draft comes back"
    );
    let queued = demo.data.sync_status().unwrap().queued;

    demo.data.save_ledger(&again).unwrap();
    let detail = demo.data.household(id).unwrap();
    let saved = detail.ledger(year).unwrap();
    assert_eq!(
        (saved.state, saved.sync),
        (LedgerState::Saved, SyncState::Pending)
    );
    assert_eq!(demo.data.sync_status().unwrap().queued, queued + 1);
    let html = render_at(demo.app_data(), "/sync");
    assert!(html.contains(&format!(r#"<span class="big">{}</span>"#, queued + 1)));
}

#[test]
fn visit_screen_lists_the_eleven_items_for_the_chosen_household() {
    let demo = DemoStore::new().enrolled_as(Role::Instructor);
    let household = demo.household(0);
    let html = render_at(demo.app_data(), &format!("/visit/{}", household.id));

    assert!(html.contains("记录走访"));
    assert!(
        html.contains(&household.head_name),
        "the household is preselected"
    );
    for item in WorkItem::ALL {
        assert!(html.contains(item.label()), "missing {}", item.label());
    }
    assert_eq!(html.matches(r#"type="checkbox""#).count(), 4);
    assert!(html.contains(r#"type="file""#));
}

/// A small JPEG, as a phone's camera would hand over (much smaller).
fn jpeg() -> Vec<u8> {
    let image = image::RgbImage::from_fn(64, 48, |x, y| image::Rgb([x as u8 * 4, y as u8 * 5, 90]));
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, image::ImageFormat::Jpeg)
        .unwrap();
    bytes.into_inner()
}

#[test]
fn a_visit_with_a_photo_is_saved_and_its_photo_queued() {
    let demo = DemoStore::new().enrolled_as(Role::Instructor);
    let household = demo.household(2).id;
    let visit_id = fieldledger_model::id::new_id();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let add = |bytes: Vec<u8>| runtime.block_on(demo.data.add_photo(visit_id, bytes));
    let bad = add(b"not a picture".to_vec()).unwrap_err();
    assert!(bad.to_string().contains("照片无法读取"), "{bad}");

    let sha = add(jpeg()).unwrap();
    let visit = Visit {
        id: visit_id,
        instructor_id: Uuid::from_u128(97),
        date: today(),
        households: vec![household],
        work: fieldledger_model::visit::Work {
            policy_talks: 1,
            ..Default::default()
        },
        note: "查看茶园".into(),
        position: None,
        photos: vec![sha.clone()],
    };
    demo.data.save_visit(&visit).unwrap();

    assert_eq!(sha.len(), 64);
    let html = render_at(demo.app_data(), &format!("/households/{household}"));
    assert!(html.contains("查看茶园"));
    assert!(html.contains("入户宣讲政策 1次"));
    let sync = render_at(demo.app_data(), "/sync");
    assert!(sync.contains("待上传照片 1 张"), "{sync}");
}

#[test]
fn my_statistics_match_the_model_tally_of_the_visit_log() {
    let demo = DemoStore::new().enrolled_as(Role::Instructor);
    let mut visits: Vec<Visit> = Vec::new();
    for n in 0..DEMO_HOUSEHOLDS {
        for v in demo.data.household(demo.household(n).id).unwrap().visits {
            if !visits.iter().any(|known| known.id == v.id) {
                visits.push(v);
            }
        }
    }
    let want = Attachment4::tally(&visits, Period::year(year()));
    let html = render_at(demo.app_data(), "/stats");

    assert_eq!(
        html.matches("<tr>").count(),
        12,
        "a header and the eleven rows"
    );
    for item in WorkItem::ALL {
        let row = format!(
            r#"<td>{}</td><td class="num">{}</td>"#,
            item.label(),
            want.figure(item)
        );
        assert!(html.contains(&row), "{row}");
    }
}

/// Saves an edit of `id`'s ledger for last year and has the server refuse it.
fn rejected_edit(demo: &DemoStore, id: Uuid) -> &'static str {
    let reason = "人口数与劳动力人数不符，请核对";
    let mut store = demo.store();
    let mut ledger = store.ledger(id, year() - 1).unwrap().unwrap();
    ledger.basic.population = Some(9);
    let op = store.save_ledger(&ledger).unwrap();
    let outcome = Outcome::Rejected {
        code: ErrorCode::Invalid,
        reason: reason.into(),
    };
    store
        .apply_push_results(&[OpResult {
            op_id: op.op_id,
            outcome,
        }])
        .unwrap();

    reason
}

#[test]
fn sync_screen_shows_refusals_and_settles_a_conflict_field_by_field() {
    let demo = DemoStore::new().enrolled_as(Role::Instructor);
    let (a, b) = (demo.household(0), demo.household(1));
    let reason = rejected_edit(&demo, a.id);
    let theirs_head = Uuid::now_v7();
    let ledger_id = {
        let mut store = demo.store();
        let mut mine = store.ledger(b.id, year() - 1).unwrap().unwrap();
        mine.basic.population = Some(3);
        store.save_ledger(&mine).unwrap();
        let mut theirs = mine.clone();
        theirs.basic.population = Some(6);
        let change = Change {
            head: theirs_head,
            record: Record::Ledger(theirs),
            conflict: false,
        };
        let cursor = store.cursor().unwrap();
        store.apply_pull(&[change], cursor + 1).unwrap();
        mine.id
    };
    let html = render_at(demo.app_data(), "/sync");

    assert!(html.contains("被退回的记录"));
    assert!(html.contains(&format!("台账 · {}", a.head_name)), "{html}");
    assert!(html.contains(reason));
    assert!(html.contains("待处理的冲突"));
    assert!(html.contains(&format!("台账 · {}", b.head_name)));
    assert!(html.contains("A. 基本信息 · 人口数（人）"));
    assert!(html.contains("按所选合并并保存"));
    let row = render_at(demo.app_data(), "/");
    assert!(row.contains("有冲突") && row.contains("被退回"));

    let field = demo.data.sync_status().unwrap().conflicts[0].fields[0]
        .path
        .clone();
    demo.data
        .resolve_conflict(ledger_id, &BTreeSet::from([field]))
        .unwrap();
    let store = demo.store();
    assert!(store.conflicts().unwrap().is_empty());
    let merged = store.ledger(b.id, year() - 1).unwrap().unwrap();
    assert_eq!(
        merged.basic.population,
        Some(6),
        "the server's value was chosen"
    );
    let queued = store.outbox_batch(100, usize::MAX).unwrap();
    let op = queued
        .iter()
        .find(|e| e.op.record.id() == ledger_id)
        .unwrap();
    assert_eq!(
        op.op.base,
        Some(theirs_head),
        "the merge is made on the server's head"
    );
}

#[test]
fn enrollment_comes_first_on_a_new_phone_and_can_be_put_off() {
    let demo = DemoStore::new();
    let html = render_at(demo.app_data(), "/");

    assert!(html.contains("服务器地址"));
    assert!(html.contains("注册码"));
    assert!(html.contains("证书指纹"));
    assert!(html.contains("或粘贴二维码内容"));
    assert!(html.contains("暂不注册，先离线使用"));
    assert!(!html.contains(&demo.household(0).head_name));
    let refused = demo.data.sync_now().unwrap_err().to_string();
    assert!(refused.contains("尚未注册"), "{refused}");
}

//! Each screen rendered through a `VirtualDom` to HTML, checked for what a
//! user would see.

#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;

use common::{MemoryData, id_number, render_at};
use fieldledger::viewmodel::{RejectedRecord, SyncStatus};
use fieldledger_model::Amount;
use fieldledger_model::ledger::{Industry, LabourMember};
use fieldledger_model::tally::WorkItem;
use fieldledger_model::visit::Work;
use fieldledger_model::wire::{RecordKind, Role};
use fieldledger_model::{Ledger, Visit};
use uuid::Uuid;

fn visit(households: Vec<Uuid>, day: u32, work: Work) -> Visit {
    Visit {
        id: Uuid::now_v7(),
        instructor_id: Uuid::from_u128(97),
        date: chrono::NaiveDate::from_ymd_opt(2025, 5, day).unwrap(),
        households,
        work,
        note: "查看茶园长势".into(),
        position: None,
        photos: Vec::new(),
    }
}

#[test]
fn household_list_shows_masked_ids_and_pages() {
    let data = MemoryData::with_households(45);
    let full = data.households[0].id_number.clone();
    let masked = data.households[0].masked_id();
    let html = render_at(Arc::new(data), "/");

    assert!(html.contains("王明"), "{html}");
    assert!(html.contains(&masked));
    assert!(!html.contains(&full), "the full ID must not reach the list");
    assert!(html.contains("共45户，显示20户"));
    assert!(html.contains("加载更多"));
    assert_eq!(html.matches("<li").count(), 20);
    for tab in ["农户", "走访", "我的统计", "同步"] {
        assert!(html.contains(tab));
    }
    assert!(!html.contains("乡镇"), "instructors have no township tab");
}

#[test]
fn household_page_shows_the_full_id_ledgers_and_visits() {
    let mut data = MemoryData::with_households(2);
    let h = data.households[0].clone();
    let mut ledger = Ledger::new(h.id, 2024);
    ledger.basic.population = Some(4);
    ledger.intent.industries.chosen.insert(Industry::Tea);
    data.ledgers.push(ledger);
    let work = Work {
        policy_talks: 2,
        sales_help: true,
        ..Work::default()
    };
    data.visits.push(visit(vec![h.id], 12, work));
    let html = render_at(Arc::new(data), &format!("/households/{}", h.id));

    assert!(html.contains(&h.id_number), "{html}");
    assert!(html.contains("2024年度"));
    assert!(html.contains("人口数4人"));
    assert!(html.contains("茶叶"));
    assert!(html.contains("开始填写下一年度台账"));
    assert!(html.contains("2025-05-12"));
    assert!(html.contains("入户宣讲政策 2次"));
    assert!(html.contains("联系农户产品销售"));
}

#[test]
fn ledger_form_has_every_section_with_verbatim_labels_and_units() {
    let data = MemoryData::with_households(1);
    let id = data.households[0].id;
    let html = render_at(Arc::new(data), &format!("/households/{id}/ledger/2025"));

    for label in [
        "A. 建档立卡贫困农户基本信息",
        "贫困户户主姓名",
        "身份证号",
        "人口数（人）",
        "致贫原因",
        "因病",
        "自身发展动力不足",
        "B. 生产资源情况",
        "耕地面积（亩）",
        "15度以下耕地面积",
        "15-25度坡耕地面积",
        "25度以上坡耕地面积",
        "林地面积（亩）",
        "C. 现有劳动力情况",
        "D. 发展产业意向需求",
        "意向发展产业",
        "冷水鱼",
        "在销售类型的农业经营主体打工",
        "E. 收入情况",
        "上年家庭收入（元）",
        "其中农业产业收入（元）",
        "预计今年家庭收入（元）",
        "F. 实际参与产业发展情况",
        "主要从事工作",
        "自己发展产业",
        "被聘用",
        "G. 利益联结情况",
        "H. 产销对接情况",
        "保存台账",
    ] {
        assert!(html.contains(label), "missing {label}");
    }
    assert!(html.contains(r#"<span class="unit">亩</span>"#));
    assert!(html.contains(r#"<span class="unit">元</span>"#));
    assert!(html.contains(r#"<span class="unit">人</span>"#));
    assert!(
        !html.contains("role=\"alert\""),
        "no message before the user leaves a field"
    );
}

#[test]
fn ledger_form_rows_show_their_fields() {
    let mut data = MemoryData::with_households(1);
    let id = data.households[0].id;
    let mut ledger = Ledger::new(id, 2025);
    ledger.labour.push(LabourMember {
        name: "王小二".into(),
        ..LabourMember::default()
    });
    ledger.participation.own.push(Default::default());
    ledger.sales.push(Default::default());
    data.ledgers.push(ledger);
    let html = render_at(Arc::new(data), &format!("/households/{id}/ledger/2025"));

    assert!(html.contains("王小二"));
    assert!(html.contains("出生年月"));
    assert!(html.contains("掌握生产技能"));
    assert!(html.contains("单位（亩、头、羽）"));
    assert!(html.contains("单位（公斤、头、羽）"));
    assert!(html.contains("农产品产销对接经营主体名称"));
    assert_eq!(html.matches("第1条").count(), 3);
    assert!(html.contains("添加一名劳动力"));
    assert!(html.contains("删除"));
}

#[test]
fn visit_screen_lists_the_eleven_items_with_units() {
    let data = MemoryData::with_households(1);
    let id = data.households[0].id;
    let html = render_at(Arc::new(data), &format!("/visit/{id}"));

    assert!(html.contains("记录走访"));
    assert!(html.contains("王明"), "the household is preselected");
    for item in WorkItem::ALL {
        assert!(html.contains(item.label()), "missing {}", item.label());
    }
    assert!(html.contains("指导农户明确发展产业（户）"));
    assert_eq!(html.matches(r#"type="checkbox""#).count(), 4);
    assert!(html.contains(r#"type="file""#));
}

#[test]
fn my_statistics_tallies_the_visit_log() {
    let mut data = MemoryData::with_households(3);
    let (a, b) = (data.households[0].id, data.households[1].id);
    let choice = Work {
        industry_choice: true,
        funds: Amount::from_units(5000),
        ..Work::default()
    };
    data.visits.push(visit(vec![a, b], 3, choice.clone()));
    data.visits.push(visit(vec![a], 9, choice));
    let html = render_at(Arc::new(data), "/stats");

    assert_eq!(
        html.matches("<tr>").count(),
        12,
        "a header and the eleven rows"
    );
    for item in WorkItem::ALL {
        assert!(html.contains(item.label()));
    }
    assert!(
        html.contains(r#"<td>指导农户明确发展产业</td><td class="num">2</td><td>户</td>"#),
        "{html}"
    );
    assert!(html.contains(r#"<td class="num">10000</td><td>元</td>"#));
    assert!(html.contains("<td>万元</td>"));
}

#[test]
fn sync_screen_shows_counts_and_refusals() {
    let mut data = MemoryData::with_households(1);
    data.status = SyncStatus {
        queued: 7,
        photos_queued: 2,
        last_error: Some("无法连接服务器".into()),
        rejected: vec![RejectedRecord {
            kind: RecordKind::Ledger,
            household: "王明".into(),
            reason: "人口数至少为1人".into(),
        }],
        ..SyncStatus::default()
    };
    let html = render_at(Arc::new(data), "/sync");

    assert!(html.contains(r#"<span class="big">7</span>"#));
    assert!(html.contains("待上传照片 2 张"));
    assert!(html.contains("从未同步"));
    assert!(html.contains("上次同步失败：无法连接服务器"));
    assert!(html.contains("台账 · 王明"));
    assert!(html.contains("人口数至少为1人"));
    assert!(html.contains("立即同步"));
}

#[test]
fn enrollment_comes_first_on_a_new_phone() {
    let mut data = MemoryData::with_households(1);
    data.user = None;
    let html = render_at(Arc::new(data), "/");

    assert!(html.contains("服务器地址"));
    assert!(html.contains("注册码"));
    assert!(html.contains("或粘贴二维码内容"));
    assert!(!html.contains("王明"));
}

#[test]
fn liaisons_get_the_township_tab() {
    let mut data = MemoryData::with_households(1);
    if let Some(user) = data.user.as_mut() {
        user.role = Role::Liaison;
    }
    let html = render_at(Arc::new(data), "/township");

    assert!(html.contains("乡镇"));
    assert!(html.contains("尚未收到本乡镇的汇总数据"));
}

#[test]
fn id_number_helper_makes_valid_numbers() {
    assert!(fieldledger_model::ResidentId::parse(&id_number("52010219800101001")).is_ok());
}

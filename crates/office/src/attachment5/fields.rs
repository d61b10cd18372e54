//! The labels and values of each section of Attachment 5, shared by the
//! sheet and the CSV writer. Labels are the plan's, verbatim.

use fieldledger_model::choice::{Choice, Pick};
use fieldledger_model::ledger::{Industry, MultiSelect, WorkKind};
use fieldledger_model::{Amount, Ledger};

use crate::table::Value;

/// Section titles, A to H.
pub const SECTIONS: [&str; 8] = [
    "建档立卡贫困农户基本信息",
    "生产资源情况",
    "现有劳动力情况",
    "发展产业意向需求",
    "收入情况",
    "实际参与产业发展情况",
    "利益联结情况",
    "产销对接情况",
];

/// The location labels of the form's first line.
pub const LOCATION: [&str; 4] = ["县（市、区、特区）", "乡（镇、社区）", "村", "村民组"];

/// A: head of household, ID number, household size, poverty causes.
pub const BASIC: [&str; 4] = ["贫困户户主姓名", "身份证号", "人口数（人）", "致贫原因"];

/// B: land, in 亩.
pub const RESOURCES: [&str; 5] = [
    "耕地面积（亩）",
    "15度以下耕地面积",
    "15-25度坡耕地面积",
    "25度以上坡耕地面积",
    "林地面积（亩）",
];

/// C: one row per member of the labour force.
pub const LABOUR: [&str; 5] = ["姓名", "家庭关系", "出生年月", "学历", "掌握生产技能"];

/// D: intended industries and work.
pub const INTENT: [&str; 2] = ["意向发展产业", "意向从事工作"];

/// E: last year's and this year's income, each with its farming part.
pub const INCOME: [&str; 4] = [
    "上年家庭收入（元）",
    "其中农业产业收入（元）",
    "预计今年家庭收入（元）",
    "其中农业产业收入（元）",
];

/// F: main work.
pub const MAIN_WORK: &str = "主要从事工作";

/// F: one row per industry the household runs itself.
pub const OWN: [&str; 7] = [
    "自己发展产业类型",
    "种养殖产品名称",
    "产业规模",
    "单位（亩、头、羽）",
    "预计年产量",
    "预计年收入（元）",
    "实际年收入（元）",
];

/// F: one row per employer.
pub const EMPLOYED: [&str; 5] = [
    "被聘用经营主体名称",
    "经营主体产业类型",
    "平均每月工作天数",
    "平均每月工资收入（元）",
    "实际年收入（元）",
];

/// G: one row per business the household is linked with.
pub const LINKS: [&str; 7] = [
    "利益联结经营主体名称",
    "发展产业名称",
    "土地折算入股（元）",
    "扶贫小额信贷资金入股（元）",
    "财政专项扶贫资金项目量化入股（元）",
    "预计年度分红（元）",
    "实际年度分红（元）",
];

/// H: one row per buyer.
pub const SALES: [&str; 6] = [
    "农产品产销对接经营主体名称",
    "收购农产品名称",
    "单位（公斤、头、羽）",
    "预计年订单数量",
    "实际年度收购数量",
    "实际收购金额（元）",
];

/// Ticked box before a chosen option.
const TICKED: char = '■';
/// Empty box before an option not chosen.
const EMPTY: char = '□';

fn money(amount: Option<Amount>) -> Value {
    amount.map_or(Value::Blank, |a| Value::decimal(a.to_string()))
}

fn text(s: &str) -> Value {
    Value::text(s)
}

fn pick(industry: &Option<Pick<Industry>>) -> Value {
    industry
        .as_ref()
        .map_or(Value::Blank, |p| Value::text(p.label()))
}

/// Every option of a list with a box before it, ticked when chosen; 其他
/// last, with its text when ticked.
pub fn boxes<T: Choice>(chosen: &MultiSelect<T>) -> String {
    let mut parts: Vec<String> = T::ALL
        .iter()
        .map(|option| {
            let mark = if chosen.chosen.contains(option) {
                TICKED
            } else {
                EMPTY
            };
            format!("{mark}{}", option.label())
        })
        .collect();
    parts.push(match &chosen.other {
        Some(other) => format!("{TICKED}其他（{other}）"),
        None => format!("{EMPTY}其他"),
    });
    format!("{}（可多选）", parts.join(" "))
}

/// The four kinds of work with a box each, ticked when in `chosen`.
pub fn work_boxes(chosen: &[WorkKind]) -> String {
    WorkKind::ALL
        .iter()
        .map(|kind| {
            let mark = if chosen.contains(kind) { TICKED } else { EMPTY };
            format!("{mark}{}", kind.label())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// B's five figures, in [`RESOURCES`] order.
pub fn resources(ledger: &Ledger) -> [Value; 5] {
    let r = &ledger.resources;
    [
        r.cultivated,
        r.under_15,
        r.from_15_to_25,
        r.over_25,
        r.forest,
    ]
    .map(money)
}

/// E's four figures, in [`INCOME`] order.
pub fn income(ledger: &Ledger) -> [Value; 4] {
    let i = &ledger.income;
    [
        i.last_year_total,
        i.last_year_farming,
        i.expected_total,
        i.expected_farming,
    ]
    .map(money)
}

/// C's rows.
pub fn labour(ledger: &Ledger) -> Vec<Vec<Value>> {
    ledger
        .labour
        .iter()
        .map(|m| {
            vec![
                text(&m.name),
                text(&m.relation),
                m.birth.map_or(Value::Blank, |b| Value::text(b.to_string())),
                m.education.map_or(Value::Blank, |e| text(e.label())),
                text(&m.skills),
            ]
        })
        .collect()
}

/// F's own-industry rows.
pub fn own(ledger: &Ledger) -> Vec<Vec<Value>> {
    ledger
        .participation
        .own
        .iter()
        .map(|o| {
            vec![
                pick(&o.industry),
                text(&o.product),
                money(o.scale),
                o.unit.map_or(Value::Blank, |u| text(u.label())),
                money(o.expected_output),
                money(o.expected_income),
                money(o.actual_income),
            ]
        })
        .collect()
}

/// F's employment rows.
pub fn employed(ledger: &Ledger) -> Vec<Vec<Value>> {
    ledger
        .participation
        .employed
        .iter()
        .map(|e| {
            vec![
                text(&e.employer),
                pick(&e.industry),
                e.workdays_per_month
                    .map_or(Value::Blank, |d| Value::Count(u64::from(d))),
                money(e.monthly_wage),
                money(e.actual_income),
            ]
        })
        .collect()
}

/// G's rows.
pub fn links(ledger: &Ledger) -> Vec<Vec<Value>> {
    ledger
        .benefit_links
        .iter()
        .map(|l| {
            vec![
                text(&l.entity),
                text(&l.industry),
                money(l.land_shares),
                money(l.microcredit_shares),
                money(l.fiscal_shares),
                money(l.expected_dividend),
                money(l.actual_dividend),
            ]
        })
        .collect()
}

/// H's rows.
pub fn sales(ledger: &Ledger) -> Vec<Vec<Value>> {
    ledger
        .sales
        .iter()
        .map(|s| {
            vec![
                text(&s.buyer),
                text(&s.product),
                s.unit.map_or(Value::Blank, |u| text(u.label())),
                money(s.expected_quantity),
                money(s.actual_quantity),
                money(s.actual_amount),
            ]
        })
        .collect()
}

/// 主要从事工作, its label or blank.
pub fn main_work(ledger: &Ledger) -> String {
    ledger
        .participation
        .main_work
        .map(|w| w.label().to_owned())
        .unwrap_or_default()
}

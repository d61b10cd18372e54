//! The rules of Attachment 5: what makes a ledger wrong (errors) and what
//! only looks wrong (warnings).

use crate::Amount;
use crate::ledger::{BenefitLink, Employment, Ledger, OwnIndustry, SalesAgreement};
use crate::validate::{Report, Validate};

/// A year a ledger can be for: the programme's first year to well past now.
const YEARS: std::ops::RangeInclusive<i32> = 2015..=2100;

impl Validate for Ledger {
    fn validate(&self) -> Report {
        let mut report = Report::default();
        if !YEARS.contains(&self.year) {
            report.error(
                "year",
                format!("年度应在{}到{}之间", YEARS.start(), YEARS.end()),
            );
        }
        basic(self, &mut report);
        resources(self, &mut report);
        income(self, &mut report);
        for (i, member) in self.labour.iter().enumerate() {
            report.required(&format!("labour[{i}].name"), &member.name, "姓名");
        }
        for (i, row) in self.participation.own.iter().enumerate() {
            own_industry(&format!("participation.own[{i}]"), row, &mut report);
        }
        for (i, row) in self.participation.employed.iter().enumerate() {
            employment(&format!("participation.employed[{i}]"), row, &mut report);
        }
        for (i, row) in self.benefit_links.iter().enumerate() {
            benefit_link(&format!("benefit_links[{i}]"), row, &mut report);
        }
        for (i, row) in self.sales.iter().enumerate() {
            sales(&format!("sales[{i}]"), row, &mut report);
        }

        report
    }
}

fn basic(ledger: &Ledger, report: &mut Report) {
    match ledger.basic.population {
        None => report.error("basic.population", "请填写人口数"),
        Some(0) => report.error("basic.population", "人口数至少为1人"),
        Some(_) => {}
    }
    if ledger
        .basic
        .poverty_causes
        .other
        .as_deref()
        .is_some_and(|t| t.trim().is_empty())
    {
        report.error("basic.poverty_causes.other", "选择“其他”时请写明致贫原因");
    }
}

fn resources(ledger: &Ledger, report: &mut Report) {
    let r = &ledger.resources;
    for (path, value) in [
        ("resources.cultivated", r.cultivated),
        ("resources.under_15", r.under_15),
        ("resources.from_15_to_25", r.from_15_to_25),
        ("resources.over_25", r.over_25),
        ("resources.forest", r.forest),
    ] {
        report.amount(path, value);
    }
    let bands = [r.under_15, r.from_15_to_25, r.over_25];
    if let Some(total) = r.cultivated
        && bands.iter().any(Option::is_some)
    {
        let sum: Amount = bands.iter().flatten().copied().sum();
        if sum != total {
            report.warning(
                "resources.cultivated",
                format!("三类坡度耕地面积之和为{sum}亩，与耕地面积{total}亩不一致，请核对"),
            );
        }
    }
}

fn income(ledger: &Ledger, report: &mut Report) {
    let i = &ledger.income;
    report.amount("income.last_year_total", i.last_year_total);
    report.amount("income.expected_total", i.expected_total);
    part_of_whole(
        report,
        "income.last_year_farming",
        i.last_year_farming,
        i.last_year_total,
        "上年家庭收入",
    );
    part_of_whole(
        report,
        "income.expected_farming",
        i.expected_farming,
        i.expected_total,
        "预计今年家庭收入",
    );
}

/// Refuses a part that is negative or larger than its whole.
fn part_of_whole(
    report: &mut Report,
    path: &str,
    part: Option<Amount>,
    whole: Option<Amount>,
    whole_label: &str,
) {
    report.amount(path, part);
    if let (Some(part), Some(whole)) = (part, whole)
        && part > whole
    {
        report.error(
            path,
            format!("农业产业收入{part}元不能超过{whole_label}{whole}元"),
        );
    }
}

fn own_industry(path: &str, row: &OwnIndustry, report: &mut Report) {
    for (field, value) in [
        ("scale", row.scale),
        ("expected_output", row.expected_output),
        ("expected_income", row.expected_income),
        ("actual_income", row.actual_income),
    ] {
        report.amount(&format!("{path}.{field}"), value);
    }
    if row.scale.is_some() && row.unit.is_none() {
        report.error(format!("{path}.unit"), "请选择产业规模的单位（亩、头、羽）");
    }
}

fn employment(path: &str, row: &Employment, report: &mut Report) {
    report.required(
        &format!("{path}.employer"),
        &row.employer,
        "被聘用经营主体名称",
    );
    if row.workdays_per_month.is_some_and(|days| days > 31) {
        report.error(
            format!("{path}.workdays_per_month"),
            "平均每月工作天数应在0到31之间",
        );
    }
    report.amount(&format!("{path}.monthly_wage"), row.monthly_wage);
    report.amount(&format!("{path}.actual_income"), row.actual_income);
}

fn benefit_link(path: &str, row: &BenefitLink, report: &mut Report) {
    report.required(
        &format!("{path}.entity"),
        &row.entity,
        "利益联结经营主体名称",
    );
    for (field, value) in [
        ("land_shares", row.land_shares),
        ("microcredit_shares", row.microcredit_shares),
        ("fiscal_shares", row.fiscal_shares),
        ("expected_dividend", row.expected_dividend),
        ("actual_dividend", row.actual_dividend),
    ] {
        report.amount(&format!("{path}.{field}"), value);
    }
}

fn sales(path: &str, row: &SalesAgreement, report: &mut Report) {
    report.required(
        &format!("{path}.buyer"),
        &row.buyer,
        "农产品产销对接经营主体名称",
    );
    for (field, value) in [
        ("expected_quantity", row.expected_quantity),
        ("actual_quantity", row.actual_quantity),
        ("actual_amount", row.actual_amount),
    ] {
        report.amount(&format!("{path}.{field}"), value);
    }
    if (row.expected_quantity.is_some() || row.actual_quantity.is_some()) && row.unit.is_none() {
        report.error(format!("{path}.unit"), "请选择单位（公斤、头、羽）");
    }
}

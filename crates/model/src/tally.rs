//! Attachment 4, 贫困农户产业指导员工作情况统计表, summed from visit logs.
//!
//! Items counted in 户 count distinct households over the period, never the
//! same household twice; items in 次, 人 and 件 and the money items add up.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Amount;
use crate::visit::Visit;

/// The eleven rows of Attachment 4, in the form's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkItem {
    PolicyTalks,
    IndustryChoice,
    TrainedPeople,
    TechGuidance,
    ProblemsSolved,
    ProjectSupport,
    Funds,
    SalesHelp,
    SalesIncome,
    CoopMembers,
    BenefitLink,
}

impl WorkItem {
    pub const ALL: [WorkItem; 11] = [
        WorkItem::PolicyTalks,
        WorkItem::IndustryChoice,
        WorkItem::TrainedPeople,
        WorkItem::TechGuidance,
        WorkItem::ProblemsSolved,
        WorkItem::ProjectSupport,
        WorkItem::Funds,
        WorkItem::SalesHelp,
        WorkItem::SalesIncome,
        WorkItem::CoopMembers,
        WorkItem::BenefitLink,
    ];

    /// The row's label on the form.
    pub fn label(self) -> &'static str {
        match self {
            WorkItem::PolicyTalks => "入户宣讲政策",
            WorkItem::IndustryChoice => "指导农户明确发展产业",
            WorkItem::TrainedPeople => "组织培训农民",
            WorkItem::TechGuidance => "联系开展技术指导",
            WorkItem::ProblemsSolved => "解决农户技术问题",
            WorkItem::ProjectSupport => "联系协调产业项目帮扶农户",
            WorkItem::Funds => "联系协调产业帮扶农户资金",
            WorkItem::SalesHelp => "联系农户产品销售",
            WorkItem::SalesIncome => "帮助农户销售农产品收入",
            WorkItem::CoopMembers => "引导农户加入农民合作社",
            WorkItem::BenefitLink => "协调农户与经营主体建立利益联结机制",
        }
    }

    /// The row's unit on the form.
    pub fn unit(self) -> &'static str {
        match self {
            WorkItem::PolicyTalks | WorkItem::TechGuidance => "次",
            WorkItem::TrainedPeople | WorkItem::CoopMembers => "人",
            WorkItem::ProblemsSolved => "件",
            WorkItem::Funds => "元",
            WorkItem::SalesIncome => "万元",
            _ => "户",
        }
    }

    /// True for the items that count distinct households.
    pub fn counts_households(self) -> bool {
        self.unit() == "户"
    }
}

/// The period a tally covers, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// A whole calendar year.
    pub fn year(year: i32) -> Self {
        Self::year_to(year, 12, 31)
    }

    /// From 1 January of `year` to the given day: the half-year report runs
    /// to 15 June, the full year to 15 December.
    pub fn year_to(year: i32, month: u32, day: u32) -> Self {
        let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
        let to = NaiveDate::from_ymd_opt(year, month, day).unwrap_or(from);
        Self { from, to }
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.to
    }

    pub fn year_of(&self) -> i32 {
        self.from.year()
    }
}

/// One filled-in Attachment 4 row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment4 {
    pub policy_talks: u64,
    pub industry_choice: u64,
    pub trained_people: u64,
    pub tech_guidance: u64,
    pub problems_solved: u64,
    pub project_support: u64,
    /// In 元.
    pub funds: Amount,
    pub sales_help: u64,
    /// In 元; the form shows it in 万元, see [`Attachment4::figure`].
    pub sales_income: Amount,
    pub coop_members: u64,
    pub benefit_link: u64,
}

impl Attachment4 {
    /// Sums the visits that fall in `period`.
    pub fn tally<'a>(visits: impl IntoIterator<Item = &'a Visit>, period: Period) -> Self {
        let mut sums = Attachment4::default();
        let mut households: [HashSet<Uuid>; 4] = Default::default();
        for visit in visits.into_iter().filter(|v| period.contains(v.date)) {
            let w = &visit.work;
            sums.policy_talks += u64::from(w.policy_talks);
            sums.trained_people += u64::from(w.trained_people);
            sums.tech_guidance += u64::from(w.tech_guidance);
            sums.problems_solved += u64::from(w.problems_solved);
            sums.coop_members += u64::from(w.coop_members);
            sums.funds = sums.funds + w.funds;
            sums.sales_income = sums.sales_income + w.sales_income;
            let flags = [
                w.industry_choice,
                w.project_support,
                w.sales_help,
                w.benefit_link,
            ];
            for (set, _) in households.iter_mut().zip(flags).filter(|(_, on)| *on) {
                set.extend(visit.households.iter().copied());
            }
        }
        let [choice, project, sales, link] = households.map(|set| set.len() as u64);
        sums.industry_choice = choice;
        sums.project_support = project;
        sums.sales_help = sales;
        sums.benefit_link = link;

        sums
    }

    /// The row's figure for `item`, written in the form's unit: counts as
    /// whole numbers, 元 with up to two decimals, 万元 with up to six.
    pub fn figure(&self, item: WorkItem) -> String {
        match item {
            WorkItem::PolicyTalks => self.policy_talks.to_string(),
            WorkItem::IndustryChoice => self.industry_choice.to_string(),
            WorkItem::TrainedPeople => self.trained_people.to_string(),
            WorkItem::TechGuidance => self.tech_guidance.to_string(),
            WorkItem::ProblemsSolved => self.problems_solved.to_string(),
            WorkItem::ProjectSupport => self.project_support.to_string(),
            WorkItem::Funds => self.funds.to_string(),
            WorkItem::SalesHelp => self.sales_help.to_string(),
            WorkItem::SalesIncome => wan_yuan(self.sales_income),
            WorkItem::CoopMembers => self.coop_members.to_string(),
            WorkItem::BenefitLink => self.benefit_link.to_string(),
        }
    }
}

/// An amount of 元 written in 万元, exactly, without trailing zeros.
pub fn wan_yuan(amount: Amount) -> String {
    let hundredths = amount.hundredths();
    let sign = if hundredths < 0 { "-" } else { "" };
    let abs = hundredths.unsigned_abs();
    let (whole, rest) = (abs / 1_000_000, abs % 1_000_000);
    let fraction = format!("{rest:06}");
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{fraction}")
    }
}

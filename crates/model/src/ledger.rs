//! Attachment 5, 贫困户产业发展台账: one household's ledger for one year.
//!
//! Sections follow the form: A basic facts, B production resources, C labour
//! force, D intentions, E income, F actual participation, G benefit links,
//! H sales agreements. Numbers a user has not filled in are `None`, which is
//! not the same as zero. The head's name and ID number live on the
//! [`crate::Household`]; the ledger holds what changes year by year.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Amount;
use crate::choice::{Choice, Pick};
pub use crate::choice::{Education, Industry, PovertyCause, SalesUnit, ScaleUnit, WorkKind};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    pub id: Uuid,
    pub household_id: Uuid,
    pub year: i32,
    #[serde(default)]
    pub basic: Basic,
    #[serde(default)]
    pub resources: Resources,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub labour: Vec<LabourMember>,
    #[serde(default)]
    pub intent: Intent,
    #[serde(default)]
    pub income: Income,
    #[serde(default)]
    pub participation: Participation,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub benefit_links: Vec<BenefitLink>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sales: Vec<SalesAgreement>,
}

/// A multi-select whose 其他 option carries its own text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(bound = "T: Choice")]
pub struct MultiSelect<T: Choice> {
    #[serde(default = "BTreeSet::new", skip_serializing_if = "BTreeSet::is_empty")]
    pub chosen: BTreeSet<T>,
    /// The text of 其他, present when 其他 is ticked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
}

impl<T: Choice> Default for MultiSelect<T> {
    fn default() -> Self {
        Self {
            chosen: BTreeSet::new(),
            other: None,
        }
    }
}

impl<T: Choice> MultiSelect<T> {
    pub fn is_empty(&self) -> bool {
        self.chosen.is_empty() && self.other.is_none()
    }

    /// The chosen labels in form order, 其他 last with its text.
    pub fn labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = self.chosen.iter().map(|c| c.label().to_owned()).collect();
        if let Some(other) = &self.other {
            labels.push(format!("其他（{other}）"));
        }
        labels
    }
}

/// A. 建档立卡贫困农户基本信息, beyond the head's name and ID number.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Basic {
    /// 人口数（人）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub population: Option<u32>,
    /// 致贫原因
    #[serde(default, skip_serializing_if = "MultiSelect::is_empty")]
    pub poverty_causes: MultiSelect<PovertyCause>,
}

/// B. 生产资源情况, in 亩.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resources {
    /// 耕地面积（亩）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cultivated: Option<Amount>,
    /// 15度以下耕地面积
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub under_15: Option<Amount>,
    /// 15-25度坡耕地面积
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_15_to_25: Option<Amount>,
    /// 25度以上坡耕地面积
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub over_25: Option<Amount>,
    /// 林地面积（亩）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forest: Option<Amount>,
}

/// C. 现有劳动力情况, one row per member.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabourMember {
    /// 姓名
    pub name: String,
    /// 家庭关系
    #[serde(default)]
    pub relation: String,
    /// 出生年月
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth: Option<crate::YearMonth>,
    /// 学历
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub education: Option<Education>,
    /// 掌握生产技能
    #[serde(default)]
    pub skills: String,
}

/// D. 发展产业意向需求.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Intent {
    /// 意向发展产业
    #[serde(default, skip_serializing_if = "MultiSelect::is_empty")]
    pub industries: MultiSelect<Industry>,
    /// 意向从事工作
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub work: BTreeSet<WorkKind>,
}

/// E. 收入情况, in 元.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Income {
    /// 上年家庭收入（元）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_year_total: Option<Amount>,
    /// 其中农业产业收入（元）, of last year's
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_year_farming: Option<Amount>,
    /// 预计今年家庭收入（元）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_total: Option<Amount>,
    /// 其中农业产业收入（元）, of this year's expected
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_farming: Option<Amount>,
}

/// F. 实际参与产业发展情况.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participation {
    /// 主要从事工作
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub main_work: Option<WorkKind>,
    /// 自己发展产业
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub own: Vec<OwnIndustry>,
    /// 被聘用
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub employed: Vec<Employment>,
}

/// One row of 自己发展产业.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnIndustry {
    /// 产业类型
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<Pick<Industry>>,
    /// 种养殖产品名称
    #[serde(default)]
    pub product: String,
    /// 产业规模, in `unit`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scale: Option<Amount>,
    /// 单位（亩、头、羽）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<ScaleUnit>,
    /// 预计年产量
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_output: Option<Amount>,
    /// 预计年收入（元）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_income: Option<Amount>,
    /// 实际年收入（元）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_income: Option<Amount>,
}

/// One row of 被聘用.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employment {
    /// 被聘用经营主体名称
    pub employer: String,
    /// 经营主体产业类型
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<Pick<Industry>>,
    /// 平均每月工作天数, 0–31
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workdays_per_month: Option<u8>,
    /// 平均每月工资收入（元）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_wage: Option<Amount>,
    /// 实际年收入（元）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_income: Option<Amount>,
}

/// G. 利益联结情况, one row per business.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenefitLink {
    /// 利益联结经营主体名称
    pub entity: String,
    /// 发展产业名称
    #[serde(default)]
    pub industry: String,
    /// 土地折算入股（元）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub land_shares: Option<Amount>,
    /// 扶贫小额信贷资金入股（元）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub microcredit_shares: Option<Amount>,
    /// 财政专项扶贫资金项目量化入股（元）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fiscal_shares: Option<Amount>,
    /// 预计年度分红（元）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_dividend: Option<Amount>,
    /// 实际年度分红（元）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_dividend: Option<Amount>,
}

/// H. 产销对接情况, one row per buyer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesAgreement {
    /// 农产品产销对接经营主体名称
    pub buyer: String,
    /// 收购农产品名称
    #[serde(default)]
    pub product: String,
    /// 单位（公斤、头、羽）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<SalesUnit>,
    /// 预计年订单数量
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_quantity: Option<Amount>,
    /// 实际年度收购数量
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_quantity: Option<Amount>,
    /// 实际收购金额（元）
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual_amount: Option<Amount>,
}

impl Ledger {
    /// An empty ledger for `household_id` in `year`.
    pub fn new(household_id: Uuid, year: i32) -> Self {
        Self {
            id: crate::id::new_id(),
            household_id,
            year,
            basic: Basic::default(),
            resources: Resources::default(),
            labour: Vec::new(),
            intent: Intent::default(),
            income: Income::default(),
            participation: Participation::default(),
            benefit_links: Vec::new(),
            sales: Vec::new(),
        }
    }

    /// Next year's ledger, starting from everything in this one. Last year's
    /// expected income becomes the new last-year income, since by then it is
    /// the best figure the ledger has; the user corrects it in the form.
    pub fn carried_forward(&self) -> Self {
        let mut next = self.clone();
        next.id = crate::id::new_id();
        next.year = self.year + 1;
        next.income = Income {
            last_year_total: self.income.expected_total,
            last_year_farming: self.income.expected_farming,
            expected_total: None,
            expected_farming: None,
        };

        next
    }
}

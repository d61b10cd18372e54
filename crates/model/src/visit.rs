//! The visit log: what an instructor did, when, for which households.
//!
//! A visit's [`Work`] holds the eleven Attachment 4 items. Items counted in 户
//! (households) are flags: they count every household of the visit, once a
//! year however many visits repeat them. The others are quantities that add
//! up.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Amount;
use crate::validate::{Report, Validate};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Visit {
    pub id: Uuid,
    pub instructor_id: Uuid,
    pub date: NaiveDate,
    /// The households visited or served; at least one.
    pub households: Vec<Uuid>,
    #[serde(default)]
    pub work: Work,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
    /// SHA-256 of each photo, in hex; the photos travel apart from the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<String>,
}

/// Where the phone was, as its platform reported it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub latitude: f64,
    pub longitude: f64,
    /// Radius of the platform's uncertainty, in metres.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy_m: Option<f32>,
}

/// The Attachment 4 work done on one visit. Field names are short because
/// every visit crosses a slow link with them; each carries its form label.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Work {
    /// 1 入户宣讲政策（次）
    #[serde(rename = "policy", skip_serializing_if = "is_zero")]
    pub policy_talks: u32,
    /// 2 指导农户明确发展产业（户）
    #[serde(rename = "choice", skip_serializing_if = "is_false")]
    pub industry_choice: bool,
    /// 3 组织培训农民（人）
    #[serde(rename = "trained", skip_serializing_if = "is_zero")]
    pub trained_people: u32,
    /// 4 联系开展技术指导（次）
    #[serde(rename = "tech", skip_serializing_if = "is_zero")]
    pub tech_guidance: u32,
    /// 5 解决农户技术问题（件）
    #[serde(rename = "problems", skip_serializing_if = "is_zero")]
    pub problems_solved: u32,
    /// 6 联系协调产业项目帮扶农户（户）
    #[serde(rename = "project", skip_serializing_if = "is_false")]
    pub project_support: bool,
    /// 7 联系协调产业帮扶农户资金（元）
    #[serde(rename = "funds", skip_serializing_if = "is_zero_amount")]
    pub funds: Amount,
    /// 8 联系农户产品销售（户）
    #[serde(rename = "sales", skip_serializing_if = "is_false")]
    pub sales_help: bool,
    /// 9 帮助农户销售农产品收入, kept in 元 and reported in 万元
    #[serde(rename = "sold", skip_serializing_if = "is_zero_amount")]
    pub sales_income: Amount,
    /// 10 引导农户加入农民合作社（人）
    #[serde(rename = "coop", skip_serializing_if = "is_zero")]
    pub coop_members: u32,
    /// 11 协调农户与经营主体建立利益联结机制（户）
    #[serde(rename = "link", skip_serializing_if = "is_false")]
    pub benefit_link: bool,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero_amount(a: &Amount) -> bool {
    *a == Amount::ZERO
}

impl Work {
    /// True when the visit recorded none of the eleven items.
    pub fn is_empty(&self) -> bool {
        *self == Work::default()
    }
}

impl Validate for Visit {
    fn validate(&self) -> Report {
        let mut report = Report::default();
        if self.households.is_empty() {
            report.error("households", "请至少选择一户");
        }
        let mut seen = std::collections::HashSet::new();
        if self.households.iter().any(|h| !seen.insert(h)) {
            report.error("households", "同一户选择了两次");
        }
        report.amount("work.funds", Some(self.work.funds));
        report.amount("work.sales_income", Some(self.work.sales_income));
        if self.work.is_empty() && self.note.trim().is_empty() {
            report.warning("work", "没有填写任何工作内容");
        }
        if let Some(p) = self.position
            && !((-90.0..=90.0).contains(&p.latitude) && (-180.0..=180.0).contains(&p.longitude))
        {
            report.error("position", "位置坐标超出范围");
        }
        for (i, photo) in self.photos.iter().enumerate() {
            if photo.len() != 64 || !photo.bytes().all(|b| b.is_ascii_hexdigit()) {
                report.error(format!("photos[{i}]"), "照片编号不正确");
            }
        }

        report
    }
}

//! Attachment 2, 贫困户产业指导员人员信息台账表: the instructor roster.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::YearMonth;
pub use crate::choice::{Sex, Source};
use crate::validate::{Report, Validate};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instructor {
    pub id: Uuid,
    /// The county that appointed the instructor.
    pub county_id: Uuid,
    /// 县名
    pub county: String,
    /// 姓名
    pub name: String,
    /// 性别
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    /// 出生年月
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth: Option<YearMonth>,
    /// 政治面貌
    #[serde(default)]
    pub political_status: String,
    /// 学历
    #[serde(default)]
    pub education: String,
    /// 专业
    #[serde(default)]
    pub major: String,
    /// 工作单位
    #[serde(default)]
    pub employer: String,
    /// 职称或职务
    #[serde(default)]
    pub title: String,
    /// 手机号码
    pub mobile: String,
    /// 指导员来源
    pub source: Source,
    /// 指导贫困乡村名称
    #[serde(default)]
    pub villages: Vec<String>,
}

/// Checks a mainland mobile number: eleven digits, the first a 1.
pub fn valid_mobile(text: &str) -> bool {
    text.len() == 11 && text.starts_with('1') && text.bytes().all(|b| b.is_ascii_digit())
}

impl Validate for Instructor {
    fn validate(&self) -> Report {
        let mut report = Report::default();
        report.required("name", &self.name, "姓名");
        report.required("county", &self.county, "县名");
        if !valid_mobile(self.mobile.trim()) {
            report.error("mobile", "手机号码应为以1开头的11位数字");
        }

        report
    }
}

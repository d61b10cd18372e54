//! A registered poor household (建档立卡贫困户): who heads it, where it lives,
//! which instructor guides it. Its yearly ledgers are [`crate::Ledger`]s.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ResidentId;
use crate::area::Location;
use crate::validate::{Report, Validate};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub id: Uuid,
    /// 贫困户户主姓名
    pub head_name: String,
    /// 身份证号, as typed; [`Validate`] checks it and [`Household::normalise`]
    /// puts it in normal form.
    pub id_number: String,
    pub location: Location,
    /// The village area the household belongs to, when known; the server
    /// decides who may see the household from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village_id: Option<Uuid>,
    /// The instructor who guides the household.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instructor_id: Option<Uuid>,
}

impl Household {
    /// Trims names and writes the ID number in normal form when it is valid.
    pub fn normalise(&mut self) {
        self.head_name = self.head_name.trim().to_owned();
        if let Ok(id) = ResidentId::parse(&self.id_number) {
            self.id_number = id.into();
        }
    }

    /// The ID number as lists show it; a number that is not valid is masked
    /// all the same.
    pub fn masked_id(&self) -> String {
        match ResidentId::parse(&self.id_number) {
            Ok(id) => id.masked(),
            Err(_) => "*".repeat(self.id_number.chars().count()),
        }
    }
}

impl Validate for Household {
    fn validate(&self) -> Report {
        let mut report = Report::default();
        report.required("head_name", &self.head_name, "贫困户户主姓名");
        if let Err(why) = ResidentId::parse(&self.id_number) {
            report.error("id_number", why.to_string());
        }
        report.required(
            "location.county",
            &self.location.county,
            "县（市、区、特区）",
        );
        report.required(
            "location.township",
            &self.location.township,
            "乡（镇、社区）",
        );
        report.required("location.village", &self.location.village, "村");

        report
    }
}

//! The staffing rule checked over one county, as JSON for the office and as
//! Chinese text for the command line.
//!
//! A village's number of main industries (主导产业) is what the county
//! office set (`admin area set-industries`, `PUT
//! /v1/admin/areas/{id}/main-industries`). While it is unset the village
//! counts as having none, so the per-households rule (one instructor per
//! 10 to 20 households) applies. Counting the industry types in the
//! households' ledgers was rejected as a default: a household's own
//! pig pen or tea plot says little about the village's main industries,
//! and a guess would hide villages the office has not yet assessed.

use std::fmt;

use fieldledger_model::area::AreaLevel;
use fieldledger_office::coverage::{CoverageInput, MAX_HOUSEHOLDS_PER_INSTRUCTOR, Village, check};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{OfficeError, county};
use crate::store::Store;
use crate::store::office::CountyData;

/// A household without an instructor on the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct UnassignedHousehold {
    pub id: Uuid,
    /// 贫困户户主姓名
    pub head_name: String,
    /// `township village`
    pub village: String,
}

/// An instructor guiding more households than the rule allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct OverloadedInstructor {
    pub id: Uuid,
    pub name: String,
    pub households: usize,
    /// The most one instructor should guide.
    pub limit: usize,
}

/// A village with fewer instructors than the rule asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ShortVillage {
    pub id: Uuid,
    /// `county township village`
    pub village: String,
    /// The rule that applies, in the plan's words.
    pub rule: String,
    /// Main industries as the office set them; null while unknown.
    pub main_industries: Option<u32>,
    pub required: usize,
    pub actual: usize,
}

/// What the coverage check found in a county.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CoverageAnswer {
    /// True when every household has an instructor and every village and
    /// instructor meets the rule.
    pub clean: bool,
    pub unassigned: Vec<UnassignedHousehold>,
    pub overloaded: Vec<OverloadedInstructor>,
    pub short: Vec<ShortVillage>,
}

/// The county's villages as the staffing rule reads them; an unset number
/// of main industries counts as none (see the module's note).
pub fn villages(data: &CountyData, county: &str) -> Vec<Village> {
    data.areas
        .iter()
        .filter(|a| a.level == AreaLevel::Village)
        .map(|a| Village {
            id: a.id,
            county: county.to_owned(),
            township: data.area_name(a.township_id).to_owned(),
            name: a.name.clone(),
            main_industries: a.main_industries.unwrap_or(0),
        })
        .collect()
}

/// Checks the staffing rule over the county `id`.
pub async fn coverage(store: &Store, id: Uuid) -> Result<CoverageAnswer, OfficeError> {
    let county = county(store, id).await?;
    let data = store.county_data(id).await?;
    let villages = villages(&data, &county.name);
    let report = check(&CoverageInput {
        households: &data.households,
        instructors: &data.instructors,
        villages: &villages,
    });
    let unassigned = report
        .unassigned
        .iter()
        .filter_map(|id| data.households.iter().find(|h| h.id == *id))
        .map(|h| UnassignedHousehold {
            id: h.id,
            head_name: h.head_name.clone(),
            village: format!("{} {}", h.location.township, h.location.village),
        })
        .collect();
    let overloaded = report
        .overloaded
        .iter()
        .map(|o| OverloadedInstructor {
            id: o.instructor_id,
            name: o.name.clone(),
            households: o.households,
            limit: MAX_HOUSEHOLDS_PER_INSTRUCTOR,
        })
        .collect();
    let short = report
        .short
        .iter()
        .map(|s| ShortVillage {
            id: s.village_id,
            village: s.village.clone(),
            rule: s.rule.describe(),
            main_industries: data
                .areas
                .iter()
                .find(|a| a.id == s.village_id)
                .and_then(|a| a.main_industries),
            required: s.required,
            actual: s.actual,
        })
        .collect();

    Ok(CoverageAnswer {
        clean: report.is_clean(),
        unassigned,
        overloaded,
        short,
    })
}

impl fmt::Display for CoverageAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.clean {
            return writeln!(f, "全县产业指导员配备符合要求。");
        }
        writeln!(f, "没有产业指导员的贫困户：{}户", self.unassigned.len())?;
        for h in &self.unassigned {
            writeln!(f, "  {} {}（{}）", h.village, h.head_name, h.id)?;
        }
        writeln!(
            f,
            "指导户数超过{MAX_HOUSEHOLDS_PER_INSTRUCTOR}户的产业指导员：{}人",
            self.overloaded.len()
        )?;
        for o in &self.overloaded {
            writeln!(f, "  {} 指导{}户（{}）", o.name, o.households, o.id)?;
        }
        writeln!(f, "产业指导员不足的村：{}个", self.short.len())?;
        for s in &self.short {
            writeln!(
                f,
                "  {}：{}，应至少{}名，现有{}名",
                s.village, s.rule, s.required, s.actual
            )?;
        }
        Ok(())
    }
}

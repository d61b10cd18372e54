//! Administrative areas, top down: county → township → village → village
//! group. Provinces and cities sum county reports and need no records here.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    County,
    Township,
    Village,
    Group,
}

impl AreaLevel {
    /// The level's name as the forms write it.
    pub fn label(self) -> &'static str {
        match self {
            AreaLevel::County => "县（市、区、特区）",
            AreaLevel::Township => "乡（镇、社区）",
            AreaLevel::Village => "村",
            AreaLevel::Group => "村民组",
        }
    }

    /// The level an area of this level sits in, if any.
    pub fn parent(self) -> Option<AreaLevel> {
        match self {
            AreaLevel::County => None,
            AreaLevel::Township => Some(AreaLevel::County),
            AreaLevel::Village => Some(AreaLevel::Township),
            AreaLevel::Group => Some(AreaLevel::Village),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Area {
    pub id: Uuid,
    pub level: AreaLevel,
    pub name: String,
    /// The enclosing area; `None` only for a county.
    pub parent: Option<Uuid>,
}

/// Where a household lives, by name, as the ledger's 位置 row prints it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    pub county: String,
    pub township: String,
    pub village: String,
    pub group: String,
}

impl Location {
    /// `county township village group`, skipping blanks.
    pub fn display(&self) -> String {
        [&self.county, &self.township, &self.village, &self.group]
            .iter()
            .filter(|part| !part.is_empty())
            .map(|part| part.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

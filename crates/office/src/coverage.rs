//! The staffing rule of the plan's section 2, checked against households,
//! villages and the roster; and the Attachment 3 rows from the same input.
//!
//! The rule: a village with one strong product (一村一品) gets one or two
//! instructors; a village with two or more main industries at least one per
//! industry; a village without a main industry one per 10 to 20 poor
//! households, so at least ⌈households / 20⌉. Every household must have an
//! instructor (贫困户全覆盖), and no instructor should guide more than 20.
//!
//! An instructor works in a village when they guide one of its households
//! or their roster entry names the village (指导贫困乡村名称).

use std::collections::{BTreeMap, HashMap, HashSet};

use fieldledger_model::Household;
use fieldledger_model::roster::Instructor;
use uuid::Uuid;

use crate::attachment3::{CoverageRow, Covered};

/// Most households one instructor should guide: the upper end of the plan's
/// "one instructor per 10 to 20 households".
pub const MAX_HOUSEHOLDS_PER_INSTRUCTOR: usize = 20;

/// A poor village, with what the rule needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Village {
    pub id: Uuid,
    /// 县（市、区、特区）
    pub county: String,
    /// 乡（镇、社区）
    pub township: String,
    /// 村
    pub name: String,
    /// Main industries (主导产业) of the village; 1 means one strong
    /// product, 0 none yet.
    pub main_industries: u32,
}

/// What the coverage check reads.
#[derive(Debug, Clone, Copy)]
pub struct CoverageInput<'a> {
    /// Households, each with its `village_id` (or its location's names)
    /// and `instructor_id`.
    pub households: &'a [Household],
    pub instructors: &'a [Instructor],
    pub villages: &'a [Village],
}

/// Which part of the rule applies to a village.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffingRule {
    /// One strong product: one or two instructors.
    OneStrongProduct,
    /// Two or more main industries: at least one per industry.
    PerIndustry { industries: u32 },
    /// No main industry: one per 10 to 20 households.
    PerHouseholds { households: usize },
}

impl StaffingRule {
    /// The rule for `village` with `households` poor households.
    pub fn for_village(village: &Village, households: usize) -> Self {
        match village.main_industries {
            0 => StaffingRule::PerHouseholds { households },
            1 => StaffingRule::OneStrongProduct,
            industries => StaffingRule::PerIndustry { industries },
        }
    }

    /// The fewest instructors the rule allows.
    pub fn required(self) -> usize {
        match self {
            StaffingRule::OneStrongProduct => 1,
            StaffingRule::PerIndustry { industries } => industries as usize,
            StaffingRule::PerHouseholds { households } => {
                households.div_ceil(MAX_HOUSEHOLDS_PER_INSTRUCTOR)
            }
        }
    }

    /// The rule in the plan's words, for the report.
    pub fn describe(self) -> String {
        match self {
            StaffingRule::OneStrongProduct => "“一村一品”村应设置1～2名产业指导员".into(),
            StaffingRule::PerIndustry { industries } => {
                format!("有{industries}个主导产业，每个主导产业至少设置1名产业指导员")
            }
            StaffingRule::PerHouseholds { households } => {
                format!("尚未形成主导产业，{households}户贫困户按每10～20户设置1名产业指导员")
            }
        }
    }
}

/// An instructor guiding more households than the rule allows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Overloaded {
    pub instructor_id: Uuid,
    pub name: String,
    pub households: usize,
}

/// A village with fewer instructors than the rule asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    pub village_id: Uuid,
    /// `county township village`.
    pub village: String,
    pub rule: StaffingRule,
    pub required: usize,
    pub actual: usize,
}

/// Everything the check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CoverageReport {
    /// Households with no instructor, or one not on the roster; sorted.
    pub unassigned: Vec<Uuid>,
    /// Instructors with more than [`MAX_HOUSEHOLDS_PER_INSTRUCTOR`]
    /// households, most loaded first.
    pub overloaded: Vec<Overloaded>,
    /// Villages below the rule, by county, township and name.
    pub short: Vec<Shortfall>,
}

impl CoverageReport {
    /// True when the staffing meets the rule everywhere.
    pub fn is_clean(&self) -> bool {
        self.unassigned.is_empty() && self.overloaded.is_empty() && self.short.is_empty()
    }
}

/// Households and instructors of each village, worked out once.
struct Staffing<'a> {
    village_households: HashMap<Uuid, Vec<&'a Household>>,
    village_instructors: HashMap<Uuid, HashSet<Uuid>>,
    roster: HashMap<Uuid, &'a Instructor>,
}

impl<'a> Staffing<'a> {
    fn new(input: &CoverageInput<'a>) -> Self {
        let roster: HashMap<Uuid, &Instructor> =
            input.instructors.iter().map(|i| (i.id, i)).collect();
        let by_name: HashMap<(&str, &str, &str), Uuid> = input
            .villages
            .iter()
            .map(|v| {
                (
                    (v.county.as_str(), v.township.as_str(), v.name.as_str()),
                    v.id,
                )
            })
            .collect();
        let mut village_households: HashMap<Uuid, Vec<&Household>> = HashMap::new();
        let mut village_instructors: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
        for household in input.households {
            let l = &household.location;
            let village = household.village_id.or_else(|| {
                by_name
                    .get(&(l.county.as_str(), l.township.as_str(), l.village.as_str()))
                    .copied()
            });
            let Some(village) = village else { continue };
            village_households
                .entry(village)
                .or_default()
                .push(household);
            if let Some(instructor) = household.instructor_id.filter(|i| roster.contains_key(i)) {
                village_instructors
                    .entry(village)
                    .or_default()
                    .insert(instructor);
            }
        }
        for village in input.villages {
            let named = input.instructors.iter().filter(|i| {
                i.county == village.county && i.villages.iter().any(|n| n.trim() == village.name)
            });
            let set = village_instructors.entry(village.id).or_default();
            set.extend(named.map(|i| i.id));
        }

        Self {
            village_households,
            village_instructors,
            roster,
        }
    }

    fn households(&self, village: Uuid) -> usize {
        self.village_households.get(&village).map_or(0, Vec::len)
    }

    fn instructors(&self, village: Uuid) -> usize {
        self.village_instructors
            .get(&village)
            .map_or(0, HashSet::len)
    }

    fn guided(&self, household: &Household) -> bool {
        household
            .instructor_id
            .is_some_and(|i| self.roster.contains_key(&i))
    }
}

/// Checks the staffing rule.
pub fn check(input: &CoverageInput) -> CoverageReport {
    let staffing = Staffing::new(input);
    let mut unassigned: Vec<Uuid> = input
        .households
        .iter()
        .filter(|h| !staffing.guided(h))
        .map(|h| h.id)
        .collect();
    unassigned.sort();

    CoverageReport {
        unassigned,
        overloaded: overloaded(input, &staffing),
        short: short_villages(input, &staffing),
    }
}

fn overloaded(input: &CoverageInput, staffing: &Staffing) -> Vec<Overloaded> {
    let mut load: HashMap<Uuid, usize> = HashMap::new();
    for household in input.households.iter().filter(|h| staffing.guided(h)) {
        if let Some(instructor) = household.instructor_id {
            *load.entry(instructor).or_default() += 1;
        }
    }
    let mut overloaded: Vec<Overloaded> = load
        .into_iter()
        .filter(|(_, households)| *households > MAX_HOUSEHOLDS_PER_INSTRUCTOR)
        .filter_map(|(id, households)| {
            let name = staffing.roster.get(&id)?.name.clone();
            Some(Overloaded {
                instructor_id: id,
                name,
                households,
            })
        })
        .collect();
    overloaded.sort_by(|a, b| {
        b.households
            .cmp(&a.households)
            .then(a.instructor_id.cmp(&b.instructor_id))
    });
    overloaded
}

fn short_villages(input: &CoverageInput, staffing: &Staffing) -> Vec<Shortfall> {
    let mut villages: Vec<&Village> = input.villages.iter().collect();
    villages.sort_by(|a, b| {
        (&a.county, &a.township, &a.name, a.id).cmp(&(&b.county, &b.township, &b.name, b.id))
    });
    villages
        .into_iter()
        .filter_map(|village| {
            let rule = StaffingRule::for_village(village, staffing.households(village.id));
            let actual = staffing.instructors(village.id);
            (actual < rule.required()).then(|| Shortfall {
                village_id: village.id,
                village: format!("{} {} {}", village.county, village.township, village.name),
                rule,
                required: rule.required(),
                actual,
            })
        })
        .collect()
}

/// One Attachment 3 row per county, by county name. Households count under
/// the county of their location.
pub fn attachment3_rows(input: &CoverageInput) -> Vec<CoverageRow> {
    let staffing = Staffing::new(input);
    let mut rows: BTreeMap<&str, CoverageRow> = BTreeMap::new();
    let row = |county: &str| -> CoverageRow {
        CoverageRow {
            county: county.to_owned(),
            ..CoverageRow::default()
        }
    };
    let mut townships: BTreeMap<&str, BTreeMap<&str, bool>> = BTreeMap::new();
    for village in input.villages {
        let covered = staffing.instructors(village.id) > 0;
        let entry = rows
            .entry(&village.county)
            .or_insert_with(|| row(&village.county));
        count(&mut entry.villages, covered);
        let township = townships.entry(&village.county).or_default();
        *township.entry(&village.township).or_default() |= covered;
    }
    for household in input.households {
        let county = household.location.county.as_str();
        let entry = rows.entry(county).or_insert_with(|| row(county));
        count(&mut entry.households, staffing.guided(household));
    }
    for instructor in input.instructors {
        let entry = rows
            .entry(&instructor.county)
            .or_insert_with(|| row(&instructor.county));
        *entry.instructors.entry(instructor.source).or_default() += 1;
    }
    for (county, towns) in townships {
        if let Some(entry) = rows.get_mut(county) {
            towns
                .values()
                .for_each(|covered| count(&mut entry.townships, *covered));
        }
    }

    rows.into_values().collect()
}

fn count(covered: &mut Covered, yes: bool) {
    covered.total += 1;
    covered.covered += u64::from(yes);
}

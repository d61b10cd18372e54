//! Pure decisions about one pushed op: may this person write it, and does
//! it apply or conflict. The database work around them is in [`super::push`].

use fieldledger_model::wire::{Record, Role};
use uuid::Uuid;

use super::Actor;
use super::records::{AreaRow, HouseholdRow};

/// What the database knows that the decision needs.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Every household the new and the stored version are about, with its
    /// row; `None` for a household the server has never seen.
    pub households: Vec<(Uuid, Option<HouseholdRow>)>,
    /// The village a household record names, if any and if known.
    pub village: Option<AreaRow>,
    /// For an area record, the county it belongs to, when known.
    pub area_county: Option<Uuid>,
    /// For a household record, the county of the instructor it names.
    pub instructor_county: Option<Uuid>,
}

/// Why an op may not be written; the text is for the person who made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Forbidden(String),
    Invalid(String),
}

/// What to do with an op that may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Apply,
    Conflict { head: Uuid },
}

/// An op applies when it was made from the current head, or creates a
/// record the server does not have.
pub fn decide(base: Option<Uuid>, head: Option<Uuid>) -> Decision {
    match head {
        None => Decision::Apply,
        Some(head) if base == Some(head) => Decision::Apply,
        Some(head) => Decision::Conflict { head },
    }
}

/// Decides whether `actor` may write `record`.
pub fn authorize(actor: &Actor, record: &Record, facts: &Facts) -> Result<(), Refusal> {
    match actor.user.role {
        Role::Liaison => Err(forbidden("乡镇联络员只能查看记录，不能修改")),
        Role::Instructor => instructor_may(actor, record, facts),
        Role::County => county_may(actor, record, facts),
    }
}

fn forbidden(text: &str) -> Refusal {
    Refusal::Forbidden(text.to_owned())
}

fn instructor_may(actor: &Actor, record: &Record, facts: &Facts) -> Result<(), Refusal> {
    let me = actor
        .user
        .instructor_id
        .ok_or_else(|| forbidden("此账号没有对应的指导员信息，请联系县级联络办公室"))?;
    match record {
        Record::Area(_) | Record::Instructor(_) => {
            return Err(forbidden(
                "行政区域和指导员信息由县级联络办公室维护，手机上不能修改",
            ));
        }
        Record::Visit(v) if v.instructor_id != me => {
            return Err(forbidden("走访记录的指导员不是您本人，不能提交"));
        }
        Record::Household(h) if h.instructor_id != Some(me) => {
            return Err(forbidden(
                "贫困户的指导员应为您本人；改派请联系县级联络办公室",
            ));
        }
        _ => {}
    }
    for (id, row) in &facts.households {
        match row {
            Some(row) if row.instructor_id == Some(me) => {}
            None if is_new_household(record, *id) => village_in_county(actor, facts)?,
            _ => {
                return Err(forbidden(
                    "记录涉及的贫困户没有分配给您，不能提交；如需调整请联系县级联络办公室",
                ));
            }
        }
    }

    Ok(())
}

fn county_may(actor: &Actor, record: &Record, facts: &Facts) -> Result<(), Refusal> {
    let county = actor.county_id;
    let outside = || forbidden("记录不属于您所在的县，不能修改");
    match record {
        Record::Area(_) if facts.area_county != Some(county) => return Err(outside()),
        Record::Instructor(i) if i.county_id != county => return Err(outside()),
        Record::Household(h)
            if h.instructor_id.is_some() && facts.instructor_county != Some(county) =>
        {
            return Err(forbidden("所选指导员不在本县的名册中"));
        }
        _ => {}
    }
    for (id, row) in &facts.households {
        match row {
            Some(row) if row.county_id == county => {}
            None if is_new_household(record, *id) => village_in_county(actor, facts)?,
            _ => return Err(outside()),
        }
    }

    Ok(())
}

fn is_new_household(record: &Record, id: Uuid) -> bool {
    matches!(record, Record::Household(h) if h.id == id)
}

fn village_in_county(actor: &Actor, facts: &Facts) -> Result<(), Refusal> {
    match &facts.village {
        Some(village) if village.county_id != actor.county_id => {
            Err(forbidden("所选村不在您所在的县"))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use fieldledger_model::wire::UserInfo;

    fn actor(role: Role) -> Actor {
        let county = Uuid::from_u128(1);
        let user = UserInfo {
            id: Uuid::from_u128(9),
            name: String::new(),
            role,
            area_id: county,
            instructor_id: (role == Role::Instructor).then_some(Uuid::from_u128(7)),
        };
        Actor {
            user,
            county_id: county,
            device_id: None,
        }
    }

    fn ledger(household: Uuid) -> Record {
        Record::Ledger(fieldledger_model::Ledger::new(household, 2024))
    }

    fn row(instructor: u128, county: u128) -> HouseholdRow {
        HouseholdRow {
            id: Uuid::from_u128(50),
            instructor_id: Some(Uuid::from_u128(instructor)),
            county_id: Uuid::from_u128(county),
            township_id: None,
        }
    }

    #[test]
    fn decide_applies_on_head_and_new_and_conflicts_otherwise() {
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert_eq!(decide(None, None), Decision::Apply);
        assert_eq!(decide(Some(a), Some(a)), Decision::Apply);
        assert_eq!(decide(Some(b), Some(a)), Decision::Conflict { head: a });
        assert_eq!(decide(None, Some(a)), Decision::Conflict { head: a });
    }

    #[test]
    fn instructors_write_only_their_households() {
        let h = Uuid::from_u128(50);
        let mine = Facts {
            households: vec![(h, Some(row(7, 1)))],
            ..Facts::default()
        };
        let theirs = Facts {
            households: vec![(h, Some(row(8, 1)))],
            ..Facts::default()
        };
        let unknown = Facts {
            households: vec![(h, None)],
            ..Facts::default()
        };
        assert_eq!(
            authorize(&actor(Role::Instructor), &ledger(h), &mine),
            Ok(())
        );
        assert!(matches!(
            authorize(&actor(Role::Instructor), &ledger(h), &theirs),
            Err(Refusal::Forbidden(_))
        ));
        assert!(matches!(
            authorize(&actor(Role::Instructor), &ledger(h), &unknown),
            Err(Refusal::Forbidden(_))
        ));
    }

    #[test]
    fn liaisons_never_write_and_county_staff_stay_in_their_county() {
        let h = Uuid::from_u128(50);
        let here = Facts {
            households: vec![(h, Some(row(8, 1)))],
            ..Facts::default()
        };
        let elsewhere = Facts {
            households: vec![(h, Some(row(8, 2)))],
            ..Facts::default()
        };
        assert!(authorize(&actor(Role::Liaison), &ledger(h), &here).is_err());
        assert_eq!(authorize(&actor(Role::County), &ledger(h), &here), Ok(()));
        assert!(authorize(&actor(Role::County), &ledger(h), &elsewhere).is_err());
    }
}

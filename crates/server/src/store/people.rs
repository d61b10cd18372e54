//! People and places: areas, the instructor roster, users and household
//! assignments, as county offices manage them.
//!
//! Areas, roster entries and households are records like any other: they
//! are written through the same path as a phone's ops (checked, audited,
//! placed in the change feed), with the office as the actor.

use chrono::Utc;
use fieldledger_model::area::{Area, AreaLevel};
use fieldledger_model::roster::Instructor;
use fieldledger_model::wire::{Op, Outcome, Record, Role, UserInfo};
use fieldledger_model::{Household, SCHEMA_VERSION};
use uuid::Uuid;

use super::conn::{Conn, Value};
use super::records::{self, level_str};
use super::{Actor, Store, StoreError, push};

/// A user to add.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    /// The township of a liaison, the county of county staff; for an
    /// instructor, ignored (their roster entry's county is used).
    pub area_id: Uuid,
    pub instructor_id: Option<Uuid>,
}

impl Store {
    /// Writes `record` as `actor`, from its current head; the outcome says
    /// whether it was taken and why not.
    pub async fn admin_put(&self, actor: Actor, record: Record) -> Result<Outcome, StoreError> {
        self.write(move |mut c| {
            Box::pin(async move {
                let base = records::load(&mut c, record.id()).await?.map(|s| s.head);
                let op = Op {
                    op_id: Uuid::now_v7(),
                    base,
                    schema: SCHEMA_VERSION,
                    record,
                };
                push::apply_in_savepoint(&mut c, &actor, &op, Utc::now()).await
            })
        })
        .await
    }

    /// Adds a user after checking their area fits their role.
    pub async fn add_user(&self, user: NewUser) -> Result<UserInfo, StoreError> {
        self.write(move |mut c| Box::pin(async move { insert_user(&mut c, user).await }))
            .await
    }

    /// A user and the county they work in.
    pub async fn user(&self, id: Uuid) -> Result<Option<(UserInfo, Uuid)>, StoreError> {
        self.read(move |mut c| Box::pin(async move { user_row(&mut c, id).await }))
            .await
    }

    /// An area's place in the tree.
    pub async fn area(&self, id: Uuid) -> Result<Option<records::AreaRow>, StoreError> {
        self.read(move |mut c| Box::pin(async move { records::area(&mut c, id).await }))
            .await
    }

    /// The current version of a record, its head and whether it is in
    /// conflict.
    pub async fn record(&self, id: Uuid) -> Result<Option<(Record, Uuid, bool)>, StoreError> {
        self.read(move |mut c| {
            Box::pin(async move {
                let Some(stored) = records::load(&mut c, id).await? else {
                    return Ok(None);
                };
                Ok(Some((
                    serde_json::from_str(&stored.body)?,
                    stored.head,
                    stored.conflict,
                )))
            })
        })
        .await
    }

    /// The county a record belongs to.
    pub async fn record_county(&self, id: Uuid) -> Result<Option<Uuid>, StoreError> {
        self.read(move |mut c| {
            Box::pin(async move { Ok(records::load(&mut c, id).await?.map(|s| s.county_id)) })
        })
        .await
    }

    /// The audit history of a record.
    pub async fn history(&self, record: Uuid) -> Result<Vec<records::AuditEntry>, StoreError> {
        self.read(move |mut c| Box::pin(async move { records::history(&mut c, record).await }))
            .await
    }

    /// Sets the township an instructor works in, for the liaison's status
    /// screen.
    pub async fn set_instructor_township(
        &self,
        instructor: Uuid,
        township: Option<Uuid>,
    ) -> Result<bool, StoreError> {
        self.write(move |mut c| {
            Box::pin(async move {
                let sql = "UPDATE instructors SET township_id = $2 WHERE id = $1";
                Ok(c.exec(sql, &[instructor.into(), township.into()]).await? > 0)
            })
        })
        .await
    }

    /// Assigns `household` to `instructor` by writing a new version of the
    /// household record.
    pub async fn assign_household(
        &self,
        actor: Actor,
        household: Uuid,
        instructor: Uuid,
    ) -> Result<Outcome, StoreError> {
        let Some((Record::Household(mut h), _, _)) = self.record(household).await? else {
            return Err(StoreError::Invalid("没有找到这户贫困户".into()));
        };
        h.instructor_id = Some(instructor);
        self.admin_put(actor, Record::Household(h)).await
    }
}

/// The actor for an office working on `county` from the command line.
pub fn office(county: Uuid) -> Actor {
    let user = UserInfo {
        id: Uuid::nil(),
        name: "admin".into(),
        role: Role::County,
        area_id: county,
        instructor_id: None,
    };
    Actor {
        user,
        county_id: county,
        device_id: None,
    }
}

/// A household record ready to add.
pub fn household(
    id: Uuid,
    head_name: &str,
    id_number: &str,
    village: &records::AreaRow,
    names: [&str; 3],
) -> Household {
    let [county, township, village_name] = names;
    Household {
        id,
        head_name: head_name.into(),
        id_number: id_number.into(),
        location: fieldledger_model::area::Location {
            county: county.into(),
            township: township.into(),
            village: village_name.into(),
            group: String::new(),
        },
        village_id: Some(village.id),
        instructor_id: None,
    }
}

pub(crate) async fn user_row(
    c: &mut Conn<'_>,
    id: Uuid,
) -> Result<Option<(UserInfo, Uuid)>, StoreError> {
    let sql = "SELECT name, role, area_id, county_id, instructor_id FROM users WHERE id = $1";
    let Some(r) = c.query_opt(sql, &[id.into()]).await? else {
        return Ok(None);
    };
    let role = match r.text(1)?.as_str() {
        "instructor" => Role::Instructor,
        "liaison" => Role::Liaison,
        "county" => Role::County,
        other => return Err(StoreError::Decode(format!("role {other}"))),
    };
    let user = UserInfo {
        id,
        name: r.text(0)?,
        role,
        area_id: r.uuid(2)?,
        instructor_id: r.opt_uuid(4)?,
    };

    Ok(Some((user, r.uuid(3)?)))
}

fn role_str(role: Role) -> &'static str {
    match role {
        Role::Instructor => "instructor",
        Role::Liaison => "liaison",
        Role::County => "county",
    }
}

async fn insert_user(c: &mut Conn<'_>, user: NewUser) -> Result<UserInfo, StoreError> {
    let (area_id, county_id) = match user.role {
        Role::Instructor => {
            let instructor = user
                .instructor_id
                .ok_or_else(|| StoreError::Invalid("请指定指导员".into()))?;
            let county = records::instructor_county(c, instructor).await?;
            let county =
                county.ok_or_else(|| StoreError::Invalid("指导员名册中没有这位指导员".into()))?;
            (county, county)
        }
        Role::Liaison => area_of_level(c, user.area_id, AreaLevel::Township).await?,
        Role::County => area_of_level(c, user.area_id, AreaLevel::County).await?,
    };
    let sql = "INSERT INTO users (id, name, role, area_id, county_id, instructor_id) VALUES ($1, $2, $3, $4, $5, $6)";
    let params: [Value; 6] = [
        user.id.into(),
        user.name.as_str().into(),
        role_str(user.role).into(),
        area_id.into(),
        county_id.into(),
        user.instructor_id.into(),
    ];
    c.exec(sql, &params).await?;

    Ok(UserInfo {
        id: user.id,
        name: user.name,
        role: user.role,
        area_id,
        instructor_id: user.instructor_id,
    })
}

async fn area_of_level(
    c: &mut Conn<'_>,
    id: Uuid,
    level: AreaLevel,
) -> Result<(Uuid, Uuid), StoreError> {
    match records::area(c, id).await? {
        Some(area) if area.level == level => Ok((id, area.county_id)),
        _ => Err(StoreError::Invalid(format!("请指定一个{}", level.label()))),
    }
}

/// Keeps the `areas` table in step with an area record.
pub(crate) async fn put_area_row(
    c: &mut Conn<'_>,
    area: &Area,
    county_id: Uuid,
) -> Result<(), StoreError> {
    let township = match (area.level, area.parent) {
        (AreaLevel::Township, _) => Some(area.id),
        (AreaLevel::Village | AreaLevel::Group, Some(parent)) => {
            records::area(c, parent).await?.and_then(|p| p.township_id)
        }
        _ => None,
    };
    let sql = "INSERT INTO areas (id, level, name, parent, county_id, township_id) VALUES ($1, $2, $3, $4, $5, $6) \
               ON CONFLICT (id) DO UPDATE SET level = $2, name = $3, parent = $4, county_id = $5, township_id = $6";
    let params: [Value; 6] = [
        area.id.into(),
        level_str(area.level).into(),
        area.name.as_str().into(),
        area.parent.into(),
        county_id.into(),
        township.into(),
    ];
    c.exec(sql, &params).await?;

    Ok(())
}

/// Keeps the `instructors` table in step with a roster record.
pub(crate) async fn put_instructor_row(
    c: &mut Conn<'_>,
    instructor: &Instructor,
) -> Result<(), StoreError> {
    let sql = "INSERT INTO instructors (id, county_id, name) VALUES ($1, $2, $3) \
               ON CONFLICT (id) DO UPDATE SET county_id = $2, name = $3";
    let params: [Value; 3] = [
        instructor.id.into(),
        instructor.county_id.into(),
        instructor.name.as_str().into(),
    ];
    c.exec(sql, &params).await?;

    Ok(())
}

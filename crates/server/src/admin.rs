//! What a county office does: add areas, instructors, accounts and
//! households, assign households, issue enrollment codes. Shared by the
//! command line and the `/v1/admin` endpoints.

use chrono::{Duration, Utc};
use fieldledger_model::area::{Area, AreaLevel};
use fieldledger_model::roster::Instructor;
use fieldledger_model::wire::{ErrorCode, Outcome, Record, UserInfo};
use fieldledger_model::{Household, id::new_id};
use uuid::Uuid;

use crate::secrets;
use crate::store::people::NewUser;
use crate::store::{Actor, Store, StoreError};

/// How long an enrollment code stays valid: long enough to reach an
/// instructor in a village, short enough that a lost slip soon expires.
pub const ENROLL_CODE_DAYS: i64 = 7;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{reason}")]
    Refused { code: ErrorCode, reason: String },
    #[error("storage failed")]
    Store(#[from] StoreError),
}

fn taken(outcome: Outcome) -> Result<(), AdminError> {
    match outcome {
        Outcome::Rejected { code, reason } => Err(AdminError::Refused { code, reason }),
        _ => Ok(()),
    }
}

fn refused(reason: &str) -> AdminError {
    AdminError::Refused {
        code: ErrorCode::Invalid,
        reason: reason.into(),
    }
}

/// Adds an area under `parent` (none for a county).
pub async fn add_area(
    store: &Store,
    actor: &Actor,
    level: AreaLevel,
    name: &str,
    parent: Option<Uuid>,
) -> Result<Area, AdminError> {
    if name.trim().is_empty() {
        return Err(refused("请填写区域名称"));
    }
    let parent_level = match parent {
        Some(p) => store.area(p).await?.map(|a| a.level),
        None => None,
    };
    if parent_level != level.parent() {
        return Err(refused(
            "上级区域不存在或级别不对：县下为乡镇，乡镇下为村，村下为村民组",
        ));
    }
    let area = Area {
        id: new_id(),
        level,
        name: name.trim().into(),
        parent,
    };
    taken(
        store
            .admin_put(actor.clone(), Record::Area(area.clone()))
            .await?,
    )?;

    Ok(area)
}

/// Adds an instructor to the roster, optionally placed in a township.
pub async fn add_instructor(
    store: &Store,
    actor: &Actor,
    mut instructor: Instructor,
    township: Option<Uuid>,
) -> Result<Instructor, AdminError> {
    if instructor.id.is_nil() {
        instructor.id = new_id();
    }
    taken(
        store
            .admin_put(actor.clone(), Record::Instructor(instructor.clone()))
            .await?,
    )?;
    if township.is_some() {
        store
            .set_instructor_township(instructor.id, township)
            .await?;
    }

    Ok(instructor)
}

/// Adds an account.
pub async fn add_user(store: &Store, user: NewUser) -> Result<UserInfo, AdminError> {
    match store.add_user(user).await {
        Ok(user) => Ok(user),
        Err(StoreError::Invalid(why)) => Err(refused(&why)),
        Err(e) => Err(e.into()),
    }
}

/// Adds a household and, when given, assigns it to an instructor.
pub async fn add_household(
    store: &Store,
    actor: &Actor,
    mut household: Household,
) -> Result<Household, AdminError> {
    if household.id.is_nil() {
        household.id = new_id();
    }
    household.normalise();
    taken(
        store
            .admin_put(actor.clone(), Record::Household(household.clone()))
            .await?,
    )?;

    Ok(household)
}

/// Assigns a household to an instructor.
pub async fn assign(
    store: &Store,
    actor: &Actor,
    household: Uuid,
    instructor: Uuid,
) -> Result<(), AdminError> {
    match store
        .assign_household(actor.clone(), household, instructor)
        .await
    {
        Ok(outcome) => taken(outcome),
        Err(StoreError::Invalid(why)) => Err(refused(&why)),
        Err(e) => Err(e.into()),
    }
}

/// Issues a one-time enrollment code for `user`; returns the code, which is
/// shown once and stored only as a hash.
pub async fn new_enroll_code(store: &Store, user: Uuid) -> Result<String, AdminError> {
    if store.user(user).await?.is_none() {
        return Err(refused("没有这个账号"));
    }
    let code = secrets::new_code();
    let expires = Utc::now() + Duration::days(ENROLL_CODE_DAYS);
    store
        .add_enroll_code(
            secrets::hash(&secrets::normalise_code(&code)),
            user,
            expires,
        )
        .await?;

    Ok(code)
}

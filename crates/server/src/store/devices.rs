//! Enrolled devices, their tokens and one-time enrollment codes.
//!
//! Only SHA-256 hashes of codes and tokens are stored; see
//! [`crate::secrets`] for how they are made.

use chrono::{DateTime, Utc};
use fieldledger_model::wire::{DeviceReport, UserInfo};
use uuid::Uuid;

use super::conn::{Conn, Value};
use super::people::user_row;
use super::{Actor, Store, StoreError, millis};

/// A token's owner, as the server finds it.
#[derive(Debug, Clone)]
pub enum TokenCheck {
    Valid(Actor),
    Revoked,
    Unknown,
}

/// A device being enrolled.
#[derive(Debug, Clone)]
pub struct NewDevice {
    pub id: Uuid,
    pub name: String,
    pub token_hash: String,
    pub app_version: String,
}

impl Store {
    /// Stores a one-time code (its hash) for `user`, valid until `expires`.
    pub async fn add_enroll_code(
        &self,
        code_hash: String,
        user: Uuid,
        expires: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(move |mut c| {
            Box::pin(async move {
                let sql =
                    "INSERT INTO enroll_codes (code_hash, user_id, expires_at) VALUES ($1, $2, $3)";
                c.exec(
                    sql,
                    &[code_hash.into(), user.into(), millis(expires).into()],
                )
                .await?;
                Ok(())
            })
        })
        .await
    }

    /// Trades an unused, unexpired code for a device; `None` when the code
    /// is unknown, used or expired.
    pub async fn enroll(
        &self,
        code_hash: String,
        device: NewDevice,
        now: DateTime<Utc>,
    ) -> Result<Option<UserInfo>, StoreError> {
        self.write(move |mut c| {
            Box::pin(async move {
                let sql = "UPDATE enroll_codes SET used_at = $2 WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2 \
                           RETURNING user_id";
                let Some(row) = c.query_opt(sql, &[code_hash.into(), millis(now).into()]).await? else {
                    return Ok(None);
                };
                let user_id = row.uuid(0)?;
                let sql = "INSERT INTO devices (id, user_id, name, token_hash, enrolled_at, app_version, last_seen) \
                           VALUES ($1, $2, $3, $4, $5, $6, $5)";
                let params: [Value; 6] = [
                    device.id.into(),
                    user_id.into(),
                    device.name.into(),
                    device.token_hash.into(),
                    millis(now).into(),
                    device.app_version.into(),
                ];
                c.exec(sql, &params).await?;
                Ok(user_row(&mut c, user_id).await?.map(|(user, _)| user))
            })
        })
        .await
    }

    /// Finds who a token (by hash) belongs to.
    pub async fn check_token(&self, token_hash: String) -> Result<TokenCheck, StoreError> {
        self.read(move |mut c| {
            Box::pin(async move {
                let sql = "SELECT id, user_id, revoked FROM devices WHERE token_hash = $1";
                let Some(row) = c.query_opt(sql, &[token_hash.into()]).await? else {
                    return Ok(TokenCheck::Unknown);
                };
                if row.int(2)? != 0 {
                    return Ok(TokenCheck::Revoked);
                }
                let device_id = row.uuid(0)?;
                Ok(match user_row(&mut c, row.uuid(1)?).await? {
                    Some((user, county_id)) => TokenCheck::Valid(Actor {
                        user,
                        county_id,
                        device_id: Some(device_id),
                    }),
                    None => TokenCheck::Unknown,
                })
            })
        })
        .await
    }

    /// Revokes one device's token; false when there is no such device.
    pub async fn revoke_device(&self, device: Uuid) -> Result<bool, StoreError> {
        self.write(move |mut c| {
            Box::pin(async move {
                Ok(c.exec(
                    "UPDATE devices SET revoked = 1 WHERE id = $1",
                    &[device.into()],
                )
                .await?
                    > 0)
            })
        })
        .await
    }

    /// Revokes every token of `user`; returns how many.
    pub async fn revoke_user(&self, user: Uuid) -> Result<u64, StoreError> {
        self.write(move |mut c| {
            Box::pin(async move {
                c.exec(
                    "UPDATE devices SET revoked = 1 WHERE user_id = $1",
                    &[user.into()],
                )
                .await
            })
        })
        .await
    }

    /// The county of a device's user, for checking who may revoke it.
    pub async fn device_county(&self, device: Uuid) -> Result<Option<Uuid>, StoreError> {
        self.read(move |mut c| {
            Box::pin(async move {
                let sql = "SELECT u.county_id FROM devices d JOIN users u ON u.id = d.user_id WHERE d.id = $1";
                c.query_opt(sql, &[device.into()]).await?.map(|r| r.uuid(0)).transpose()
            })
        })
        .await
    }

    /// Records a successful exchange of `device` outside a push, with its
    /// outbox as it stands when it says, as `(queued, oldest_queued_secs)`.
    pub async fn note_sync(
        &self,
        device: Uuid,
        queue: Option<(u32, Option<u64>)>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.write(move |mut c| {
            Box::pin(async move {
                note_exchange(&mut c, device, None, now).await?;
                if let Some((queued, oldest)) = queue {
                    let sql =
                        "UPDATE devices SET queued = $2, oldest_queued_secs = $3 WHERE id = $1";
                    let oldest = oldest.map(|s| i64::try_from(s).unwrap_or(i64::MAX));
                    c.exec(
                        sql,
                        &[device.into(), i64::from(queued).into(), oldest.into()],
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .await
    }
}

/// Records that `device` synced successfully now, with what it reported.
pub(crate) async fn note_exchange(
    c: &mut Conn<'_>,
    device: Uuid,
    report: Option<&DeviceReport>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let now = millis(now);
    match report {
        Some(r) => {
            let sql = "UPDATE devices SET app_version = $2, queued = $3, oldest_queued_secs = $4, last_seen = $5, \
                       last_sync = $5 WHERE id = $1";
            let oldest = r
                .oldest_queued_secs
                .map(|s| i64::try_from(s).unwrap_or(i64::MAX));
            let params: [Value; 5] = [
                device.into(),
                r.app_version.as_str().into(),
                i64::from(r.queued).into(),
                oldest.into(),
                now.into(),
            ];
            c.exec(sql, &params).await?;
        }
        None => {
            c.exec(
                "UPDATE devices SET last_seen = $2, last_sync = $2 WHERE id = $1",
                &[device.into(), now.into()],
            )
            .await?;
        }
    }

    Ok(())
}

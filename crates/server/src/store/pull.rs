//! The change feed as one user may see it.
//!
//! Every write gives its record the next `seq`; a pull returns the current
//! version of each record the user may see whose `seq` is past the cursor,
//! in `seq` order. What a user may see:
//! - an instructor: records about households assigned to them, the areas of
//!   their county and their own roster entry;
//! - a liaison: records about households of their township, and the areas
//!   and roster of their county;
//! - county staff: everything in their county.

use fieldledger_model::wire::{Change, PullResponse, Role};

use super::conn::Value;
use super::{Actor, Store, StoreError};

/// The most changes one page may hold, whatever the phone asks for: a page
/// stays a few hundred kilobytes on a slow link.
pub const MAX_PAGE: u32 = 500;

const BY_INSTRUCTOR: &str = "SELECT r.seq, r.head, r.body, r.conflict FROM records r \
    WHERE r.county_id = $1 AND r.seq > $2 AND ( \
      (r.kind IN ('household', 'ledger') AND EXISTS (SELECT 1 FROM record_households rh \
         JOIN households h ON h.id = rh.household_id WHERE rh.record_id = r.id AND h.instructor_id = $3)) \
      OR (r.kind = 'visit' AND EXISTS (SELECT 1 FROM visit_households vh \
         JOIN households h ON h.id = vh.household_id WHERE vh.visit_id = r.id AND h.instructor_id = $3)) \
      OR r.kind = 'area' OR (r.kind = 'instructor' AND r.id = $3)) \
    ORDER BY r.seq LIMIT $4";

const BY_TOWNSHIP: &str = "SELECT r.seq, r.head, r.body, r.conflict FROM records r \
    WHERE r.county_id = $1 AND r.seq > $2 AND ( \
      (r.kind IN ('household', 'ledger') AND EXISTS (SELECT 1 FROM record_households rh \
         JOIN households h ON h.id = rh.household_id WHERE rh.record_id = r.id AND h.township_id = $3)) \
      OR (r.kind = 'visit' AND EXISTS (SELECT 1 FROM visit_households vh \
         JOIN households h ON h.id = vh.household_id WHERE vh.visit_id = r.id AND h.township_id = $3)) \
      OR r.kind IN ('area', 'instructor')) \
    ORDER BY r.seq LIMIT $4";

const BY_COUNTY: &str = "SELECT r.seq, r.head, r.body, r.conflict FROM records r \
    WHERE r.county_id = $1 AND r.seq > $2 AND r.county_id = $3 ORDER BY r.seq LIMIT $4";

impl Store {
    /// A page of changes `actor` may see after `cursor`.
    #[tracing::instrument(skip_all, fields(cursor, limit, db = self.kind()))]
    pub async fn pull(
        &self,
        actor: Actor,
        cursor: u64,
        limit: u32,
    ) -> Result<PullResponse, StoreError> {
        let limit = limit.clamp(1, MAX_PAGE);
        let (sql, who) = match actor.user.role {
            Role::Instructor => (BY_INSTRUCTOR, actor.user.instructor_id.unwrap_or_default()),
            Role::Liaison => (BY_TOWNSHIP, actor.user.area_id),
            Role::County => (BY_COUNTY, actor.county_id),
        };
        let cursor_value = i64::try_from(cursor).unwrap_or(i64::MAX);
        let params: Vec<Value> = vec![
            actor.county_id.into(),
            cursor_value.into(),
            who.into(),
            (i64::from(limit) + 1).into(),
        ];
        let rows = self
            .read(move |mut c| Box::pin(async move { c.query(sql, &params).await }))
            .await?;

        let more = rows.len() > limit as usize;
        let mut changes = Vec::with_capacity(rows.len().min(limit as usize));
        let mut last = cursor;
        for row in rows.iter().take(limit as usize) {
            last = u64::try_from(row.int(0)?).unwrap_or_default();
            let record = serde_json::from_str(&row.text(2)?)?;
            changes.push(Change {
                head: row.uuid(1)?,
                record,
                conflict: row.int(3)? != 0,
            });
        }

        Ok(PullResponse {
            changes,
            cursor: last,
            more,
        })
    }
}

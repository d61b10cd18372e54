//! The liaison's status screen: is each instructor of a township working
//! and syncing?
//!
//! An instructor belongs to a township when the roster places them there or
//! when households of the township are assigned to them. Weeks start on
//! Monday, 00:00 UTC.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use fieldledger_model::wire::{InstructorStatus, TownshipStatus};
use uuid::Uuid;

use super::conn::{Conn, Value};
use super::records::AreaRow;
use super::{Store, StoreError, from_millis, millis};

/// The thresholds, in days, of the "not visited for" columns.
const NOT_VISITED_DAYS: [i64; 3] = [30, 60, 90];

impl Store {
    /// The status of every instructor of `township` as of `now`.
    pub async fn township_status(
        &self,
        township: AreaRow,
        now: DateTime<Utc>,
    ) -> Result<TownshipStatus, StoreError> {
        self.read(move |mut c| Box::pin(async move { status(&mut c, township, now).await }))
            .await
    }
}

async fn status(
    c: &mut Conn<'_>,
    township: AreaRow,
    now: DateTime<Utc>,
) -> Result<TownshipStatus, StoreError> {
    let sql = "SELECT id, name FROM instructors WHERE township_id = $1 \
               OR id IN (SELECT instructor_id FROM households WHERE township_id = $1) ORDER BY name, id";
    let people = c.query(sql, &[township.id.into()]).await?;
    let mut instructors = Vec::with_capacity(people.len());
    for row in &people {
        instructors.push(one(c, row.uuid(0)?, row.text(1)?, now).await?);
    }

    Ok(TownshipStatus {
        township_id: township.id,
        township: township.name,
        as_of: now.date_naive(),
        instructors,
    })
}

async fn one(
    c: &mut Conn<'_>,
    id: Uuid,
    name: String,
    now: DateTime<Utc>,
) -> Result<InstructorStatus, StoreError> {
    let devices = "FROM devices d JOIN users u ON u.id = d.user_id WHERE u.instructor_id = $1";
    let last_sync = c
        .query_opt(&format!("SELECT MAX(d.last_sync) {devices}"), &[id.into()])
        .await?;
    let last_sync = last_sync
        .map(|r| r.opt_int(0))
        .transpose()?
        .flatten()
        .map(from_millis);
    let latest = format!(
        "SELECT d.queued, d.oldest_queued_secs {devices} AND d.last_seen IS NOT NULL ORDER BY d.last_seen DESC"
    );
    let (queued, oldest) = match c.query_opt(&latest, &[id.into()]).await? {
        Some(r) => (r.opt_int(0)?.unwrap_or(0), r.opt_int(1)?),
        None => (0, None),
    };
    let sql = "SELECT COUNT(*) FROM audit a JOIN users u ON u.id = a.user_id WHERE u.instructor_id = $1 AND a.at >= $2";
    let received = count(c, sql, &[id.into(), millis(week_start(now)).into()]).await?;
    let conflicts = "SELECT COUNT(*) FROM records r WHERE r.conflict = 1 AND ( \
                     EXISTS (SELECT 1 FROM record_households rh JOIN households h ON h.id = rh.household_id \
                             WHERE rh.record_id = r.id AND h.instructor_id = $1) \
                     OR EXISTS (SELECT 1 FROM visit_households vh JOIN households h ON h.id = vh.household_id \
                             WHERE vh.visit_id = r.id AND h.instructor_id = $1))";
    let open_conflicts = count(c, conflicts, &[id.into()]).await?;
    let (households, not_visited) = visits(c, id, now.date_naive()).await?;

    Ok(InstructorStatus {
        instructor_id: id,
        name,
        last_sync,
        queued: u32::try_from(queued).unwrap_or(u32::MAX),
        oldest_queued_secs: oldest.and_then(|s| u64::try_from(s).ok()),
        received_this_week: received,
        households,
        not_visited_30: not_visited[0],
        not_visited_60: not_visited[1],
        not_visited_90: not_visited[2],
        open_conflicts,
    })
}

async fn count(c: &mut Conn<'_>, sql: &str, params: &[Value]) -> Result<u32, StoreError> {
    let row = c.query_opt(sql, params).await?;
    let n = row.map(|r| r.int(0)).transpose()?.unwrap_or(0);

    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// The instructor's household count, and how many of them were last
/// visited at least 30, 60 and 90 days ago (never visited counts in all).
async fn visits(
    c: &mut Conn<'_>,
    id: Uuid,
    today: NaiveDate,
) -> Result<(u32, [u32; 3]), StoreError> {
    let sql = "SELECT h.id, MAX(vh.day) FROM households h LEFT JOIN visit_households vh ON vh.household_id = h.id \
               WHERE h.instructor_id = $1 GROUP BY h.id";
    let rows = c.query(sql, &[id.into()]).await?;
    let mut not_visited = [0u32; 3];
    for row in &rows {
        let last = row.opt_text(1)?.and_then(|d| d.parse::<NaiveDate>().ok());
        let days = last.map_or(i64::MAX, |d| (today - d).num_days());
        for (slot, threshold) in not_visited.iter_mut().zip(NOT_VISITED_DAYS) {
            *slot += u32::from(days >= threshold);
        }
    }

    Ok((u32::try_from(rows.len()).unwrap_or(u32::MAX), not_visited))
}

fn week_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let today = now.date_naive();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));

    monday.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

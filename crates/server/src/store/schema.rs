//! The database schema, as numbered migrations run in order on both
//! databases.
//!
//! Types keep to text and 64-bit integers (see [`super::conn`]): ids are
//! UUID text, days are `YYYY-MM-DD` text, instants are Unix milliseconds,
//! money is hundredths of a 元, flags are 0 or 1.
//!
//! Tables:
//! - `records`: the current version of every record, its head op id, its
//!   place in the change feed (`seq`) and whether it is in conflict.
//! - `record_households`: which households each household or ledger record
//!   is about; it decides who may see the record. A visit's households are
//!   in `visit_households` (below) and decide the same for visits.
//! - `conflicts`: the versions that lost, kept for review.
//! - `audit`: every op taken, applied or kept as a conflict: who changed
//!   what, when, from which device, before and after. Its op ids are what
//!   keeps an op from being applied twice. (Until migration 4 a table
//!   `ops` held the same op ids apart.)
//! - `visits`, `visit_households`: each visit's work items in columns, for
//!   Attachment 4 in SQL.
//! - `areas`, `users`, `instructors`, `households`: people and places, and
//!   which instructor each household is assigned to.
//! - `devices`, `enroll_codes`: enrolled phones (token hashes only) and
//!   one-time codes (hashes only).

use super::StoreError;
use super::conn::{Conn, Value};

/// The migrations, oldest first. Never edit one that has shipped; add one.
const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL);
INSERT INTO counters (name, value) VALUES ('change_seq', 0);
CREATE TABLE areas (
    id TEXT PRIMARY KEY, level TEXT NOT NULL, name TEXT NOT NULL, parent TEXT,
    county_id TEXT NOT NULL, township_id TEXT);
CREATE INDEX areas_county ON areas (county_id);
CREATE TABLE users (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, area_id TEXT NOT NULL,
    county_id TEXT NOT NULL, instructor_id TEXT);
CREATE TABLE instructors (
    id TEXT PRIMARY KEY, county_id TEXT NOT NULL, township_id TEXT, name TEXT NOT NULL);
CREATE INDEX instructors_county ON instructors (county_id);
CREATE TABLE households (
    id TEXT PRIMARY KEY, instructor_id TEXT, county_id TEXT NOT NULL, township_id TEXT,
    village_id TEXT);
CREATE INDEX households_instructor ON households (instructor_id);
CREATE INDEX households_township ON households (township_id);
CREATE TABLE records (
    id TEXT PRIMARY KEY, kind TEXT NOT NULL, head TEXT NOT NULL, body TEXT NOT NULL,
    seq BIGINT NOT NULL, conflict BIGINT NOT NULL DEFAULT 0, county_id TEXT NOT NULL);
CREATE INDEX records_county_seq ON records (county_id, seq);
CREATE TABLE record_households (
    record_id TEXT NOT NULL, household_id TEXT NOT NULL, PRIMARY KEY (record_id, household_id));
CREATE INDEX record_households_household ON record_households (household_id);
CREATE TABLE ops (
    op_id TEXT PRIMARY KEY, record_id TEXT NOT NULL, outcome TEXT NOT NULL,
    device_id TEXT, at BIGINT NOT NULL);
CREATE TABLE conflicts (
    op_id TEXT PRIMARY KEY, record_id TEXT NOT NULL, base TEXT, head TEXT NOT NULL,
    body TEXT NOT NULL, user_id TEXT, device_id TEXT, at BIGINT NOT NULL, resolved_by TEXT);
CREATE INDEX conflicts_record ON conflicts (record_id);
CREATE TABLE audit (
    op_id TEXT PRIMARY KEY, record_id TEXT NOT NULL, kind TEXT NOT NULL, user_id TEXT,
    device_id TEXT, at BIGINT NOT NULL, before TEXT, after TEXT NOT NULL, outcome TEXT NOT NULL);
CREATE INDEX audit_record ON audit (record_id);
CREATE INDEX audit_user_at ON audit (user_id, at);
CREATE TABLE visits (
    id TEXT PRIMARY KEY, instructor_id TEXT NOT NULL, county_id TEXT NOT NULL,
    township_id TEXT, day TEXT NOT NULL,
    policy BIGINT NOT NULL, trained BIGINT NOT NULL, tech BIGINT NOT NULL,
    problems BIGINT NOT NULL, coop BIGINT NOT NULL, funds BIGINT NOT NULL, sold BIGINT NOT NULL);
CREATE INDEX visits_county_day ON visits (county_id, day);
CREATE TABLE visit_households (
    visit_id TEXT NOT NULL, household_id TEXT NOT NULL, instructor_id TEXT NOT NULL,
    county_id TEXT NOT NULL, township_id TEXT, day TEXT NOT NULL,
    choice BIGINT NOT NULL, project BIGINT NOT NULL, sales BIGINT NOT NULL, link BIGINT NOT NULL,
    PRIMARY KEY (visit_id, household_id));
CREATE INDEX visit_households_county_day ON visit_households (county_id, day);
CREATE INDEX visit_households_household ON visit_households (household_id, day);
CREATE TABLE devices (
    id TEXT PRIMARY KEY, user_id TEXT NOT NULL, name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE, revoked BIGINT NOT NULL DEFAULT 0, enrolled_at BIGINT NOT NULL,
    app_version TEXT, queued BIGINT, oldest_queued_secs BIGINT, last_seen BIGINT, last_sync BIGINT);
CREATE INDEX devices_user ON devices (user_id);
CREATE TABLE enroll_codes (
    code_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL, expires_at BIGINT NOT NULL,
    used_at BIGINT);
"#,
    // A village's number of main industries (主导产业), set by the county
    // office for the staffing rule; NULL while unknown.
    "ALTER TABLE areas ADD COLUMN main_industries BIGINT",
    // Attachment 4 of one township reads its visits by township and day.
    "CREATE INDEX visits_township_day ON visits (township_id, day); \
     CREATE INDEX visit_households_township_day ON visit_households (township_id, day)",
    // Every op id in `ops` has its line in `audit`, written in the same
    // transaction; one table of op ids is enough.
    "DROP TABLE ops",
    // A visit's households were written twice, here and in
    // `visit_households`; the pull and the status read them from there.
    "DELETE FROM record_households WHERE record_id IN (SELECT id FROM visits)",
];

/// Brings the schema up to date inside the caller's transaction.
pub async fn migrate(conn: &mut Conn<'_>) -> Result<(), StoreError> {
    conn.batch("CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)")
        .await?;
    let current = match conn
        .query_opt("SELECT MAX(version) FROM schema_version", &[])
        .await?
    {
        Some(row) => row.opt_int(0)?.unwrap_or(0),
        None => 0,
    };
    for (i, migration) in MIGRATIONS.iter().enumerate() {
        let version = i as i64 + 1;
        if version > current {
            conn.batch(migration).await?;
            conn.exec(
                "INSERT INTO schema_version (version) VALUES ($1)",
                &[Value::Int(version)],
            )
            .await?;
        }
    }

    Ok(())
}

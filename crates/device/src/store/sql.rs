//! Small conversions between SQLite columns and the model's types.

use rusqlite::types::FromSqlError;
use uuid::Uuid;

use super::error::{Result, StoreError};

/// Parses a stored uuid for use inside a row mapper.
pub(crate) fn parse_uuid(text: &str) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

/// Parses an optional stored uuid outside a row mapper.
pub(crate) fn opt_uuid(text: Option<String>) -> Result<Option<Uuid>> {
    text.map(|t| Uuid::parse_str(&t))
        .transpose()
        .map_err(|_| StoreError::Corrupt {
            what: "uuid".into(),
        })
}

/// Maps a JSON column inside a row mapper.
pub(crate) fn json_at<T: serde::de::DeserializeOwned>(
    row: &rusqlite::Row<'_>,
    index: usize,
) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    serde_json::from_str(&text).map_err(|e| FromSqlError::Other(Box::new(e)).into())
}

/// A count from `sql`, which must select one non-negative integer.
pub(crate) fn count(conn: &rusqlite::Connection, sql: &str) -> Result<u64> {
    let n: i64 = conn.query_row(sql, [], |r| r.get(0))?;
    Ok(n.max(0) as u64)
}

/// Reads a non-negative integer column as `u64`.
pub(crate) fn u64_at(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<u64> {
    Ok(row.get::<_, i64>(index)?.max(0) as u64)
}

/// Milliseconds since the Unix epoch, now.
pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

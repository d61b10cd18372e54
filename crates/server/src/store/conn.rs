//! The small SQL surface both databases share, so that the store's logic is
//! written once.
//!
//! Terms:
//! - A [`Value`] is what a column holds here: nothing, a 64-bit integer or
//!   text. The schema keeps to these on both databases (ids and dates as
//!   text, flags and money as integers), so one SQL text serves both.
//! - SQL is written with PostgreSQL's `$1` placeholders; for SQLite they
//!   become `?1`, which SQLite reads as the same numbered parameter.
//! - A [`Conn`] is one connection inside a transaction the caller opened.
//!   SQLite's calls complete at once; they run on a blocking thread.

use std::error::Error as StdError;

use tokio_postgres::types::{IsNull, ToSql, Type, to_sql_checked};
use uuid::Uuid;

use super::StoreError;

/// One column value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Null,
    Int(i64),
    Text(String),
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Int(i64::from(b))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Text(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Text(s)
    }
}

impl From<Uuid> for Value {
    fn from(id: Uuid) -> Self {
        Value::Text(id.to_string())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// A column's type in a bulk statement ([`Conn::insert_many`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ty {
    Text,
    Int,
}

impl Ty {
    fn pg_name(self) -> &'static str {
        match self {
            Ty::Text => "text",
            Ty::Int => "bigint",
        }
    }
}

/// One result row.
#[derive(Debug, Clone)]
pub struct Row(pub Vec<Value>);

impl Row {
    pub fn int(&self, i: usize) -> Result<i64, StoreError> {
        match self.0.get(i) {
            Some(Value::Int(n)) => Ok(*n),
            Some(Value::Null) => Ok(0),
            _ => Err(StoreError::Decode(format!(
                "column {i}: expected an integer"
            ))),
        }
    }

    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.0.get(i) {
            Some(Value::Null) => Ok(None),
            _ => self.int(i).map(Some),
        }
    }

    pub fn text(&self, i: usize) -> Result<String, StoreError> {
        match self.0.get(i) {
            Some(Value::Text(s)) => Ok(s.clone()),
            _ => Err(StoreError::Decode(format!("column {i}: expected text"))),
        }
    }

    pub fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.0.get(i) {
            Some(Value::Null) => Ok(None),
            _ => self.text(i).map(Some),
        }
    }

    pub fn uuid(&self, i: usize) -> Result<Uuid, StoreError> {
        parse_uuid(&self.text(i)?)
    }

    pub fn opt_uuid(&self, i: usize) -> Result<Option<Uuid>, StoreError> {
        self.opt_text(i)?.map(|s| parse_uuid(&s)).transpose()
    }
}

fn parse_uuid(text: &str) -> Result<Uuid, StoreError> {
    Uuid::parse_str(text).map_err(|_| StoreError::Decode(format!("not a uuid: {text}")))
}

/// A connection with an open transaction.
pub enum Conn<'a> {
    Sqlite(&'a mut rusqlite::Connection),
    Postgres(&'a deadpool_postgres::ClientWrapper),
}

impl Conn<'_> {
    /// Runs a statement and returns the number of rows it changed.
    pub async fn exec(&mut self, sql: &str, params: &[Value]) -> Result<u64, StoreError> {
        match self {
            Conn::Sqlite(c) => {
                let mut stmt = c.prepare_cached(&sqlite_sql(sql))?;
                let n = stmt.execute(rusqlite::params_from_iter(params.iter().map(SqliteValue)))?;
                Ok(n as u64)
            }
            Conn::Postgres(c) => {
                let stmt = c.prepare_cached(sql).await?;
                Ok(c.execute(&stmt, &pg_params(params)).await?)
            }
        }
    }

    /// Runs a query and returns every row.
    pub async fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, StoreError> {
        match self {
            Conn::Sqlite(c) => sqlite_query(c, sql, params),
            Conn::Postgres(c) => {
                let stmt = c.prepare_cached(sql).await?;
                let rows = c.query(&stmt, &pg_params(params)).await?;
                rows.iter().map(pg_row).collect()
            }
        }
    }

    /// The first row of a query, if any.
    pub async fn query_opt(
        &mut self,
        sql: &str,
        params: &[Value],
    ) -> Result<Option<Row>, StoreError> {
        Ok(self.query(sql, params).await?.into_iter().next())
    }

    /// Runs statements without parameters, separated by `;`.
    pub async fn batch(&mut self, sql: &str) -> Result<(), StoreError> {
        match self {
            Conn::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Conn::Postgres(c) => Ok(c.batch_execute(sql).await?),
        }
    }

    /// Inserts `rows` into `table`, each row's values in `columns`' order;
    /// `tail` follows the rows (an `ON CONFLICT` clause may name
    /// `excluded.<column>`). PostgreSQL takes all rows in one statement,
    /// one array per column; SQLite runs one cached statement per row,
    /// which costs no round trip there.
    pub async fn insert_many(
        &mut self,
        table: &str,
        columns: &[(&str, Ty)],
        rows: Vec<Vec<Value>>,
        tail: &str,
    ) -> Result<(), StoreError> {
        if rows.is_empty() {
            return Ok(());
        }
        let names = columns
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", ");
        match self {
            Conn::Sqlite(c) => {
                let marks = (1..=columns.len())
                    .map(|i| format!("?{i}"))
                    .collect::<Vec<_>>();
                let sql = format!(
                    "INSERT INTO {table} ({names}) VALUES ({}) {tail}",
                    marks.join(", ")
                );
                let mut stmt = c.prepare_cached(&sql)?;
                for row in &rows {
                    stmt.execute(rusqlite::params_from_iter(row.iter().map(SqliteValue)))?;
                }
                Ok(())
            }
            Conn::Postgres(c) => {
                let arrays = columns
                    .iter()
                    .enumerate()
                    .map(|(i, (_, ty))| format!("${}::{}[]", i + 1, ty.pg_name()))
                    .collect::<Vec<_>>();
                let sql = format!(
                    "INSERT INTO {table} ({names}) SELECT * FROM UNNEST({}) {tail}",
                    arrays.join(", ")
                );
                let mut by_column: Vec<Vec<Value>> = (0..columns.len())
                    .map(|_| Vec::with_capacity(rows.len()))
                    .collect();
                for row in rows {
                    for (column, value) in by_column.iter_mut().zip(row) {
                        column.push(value);
                    }
                }
                let params: Vec<&(dyn ToSql + Sync)> =
                    by_column.iter().map(|v| v as &(dyn ToSql + Sync)).collect();
                let stmt = c.prepare_cached(&sql).await?;
                c.execute(&stmt, &params).await?;
                Ok(())
            }
        }
    }

    /// Runs `sql` (a statement ending in `WHERE <column>`, to which
    /// ` = ANY($1)` or ` = ?1` is added) for every key at once: one
    /// statement on PostgreSQL, one cached statement per key on SQLite.
    /// Returns the rows of all of them.
    pub async fn for_each_key(
        &mut self,
        sql: &str,
        keys: Vec<Value>,
    ) -> Result<Vec<Row>, StoreError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        match self {
            Conn::Sqlite(c) => {
                let sql = format!("{sql} = ?1");
                let mut out = Vec::new();
                for key in keys {
                    out.extend(sqlite_query(c, &sql, &[key])?);
                }
                Ok(out)
            }
            Conn::Postgres(c) => {
                let sql = format!("{sql} = ANY($1)");
                let stmt = c.prepare_cached(&sql).await?;
                let rows = c.query(&stmt, &[&keys]).await?;
                rows.iter().map(pg_row).collect()
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Conn::Postgres(_))
    }
}

fn sqlite_sql(sql: &str) -> String {
    sql.replace('$', "?")
}

fn sqlite_query(
    c: &rusqlite::Connection,
    sql: &str,
    params: &[Value],
) -> Result<Vec<Row>, StoreError> {
    let mut stmt = c.prepare_cached(&sqlite_sql(sql))?;
    let width = stmt.column_count();
    let mut rows = stmt.query(rusqlite::params_from_iter(params.iter().map(SqliteValue)))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let mut values = Vec::with_capacity(width);
        for i in 0..width {
            values.push(match row.get_ref(i)? {
                rusqlite::types::ValueRef::Null => Value::Null,
                rusqlite::types::ValueRef::Integer(n) => Value::Int(n),
                rusqlite::types::ValueRef::Text(t) => {
                    Value::Text(String::from_utf8_lossy(t).into_owned())
                }
                other => {
                    return Err(StoreError::Decode(format!(
                        "column {i}: {:?}",
                        other.data_type()
                    )));
                }
            });
        }
        out.push(Row(values));
    }

    Ok(out)
}

struct SqliteValue<'a>(&'a Value);

impl rusqlite::ToSql for SqliteValue<'_> {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, ValueRef};
        Ok(match self.0 {
            Value::Null => ToSqlOutput::Borrowed(ValueRef::Null),
            Value::Int(n) => ToSqlOutput::Borrowed(ValueRef::Integer(*n)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
        })
    }
}

fn pg_params(params: &[Value]) -> Vec<&(dyn ToSql + Sync)> {
    params.iter().map(|v| v as &(dyn ToSql + Sync)).collect()
}

impl ToSql for Value {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut bytes::BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match self {
            Value::Null => Ok(IsNull::Yes),
            Value::Int(n) if *ty == Type::INT4 => i32::try_from(*n)?.to_sql(ty, out),
            Value::Int(n) if *ty == Type::INT2 => i16::try_from(*n)?.to_sql(ty, out),
            Value::Int(n) => n.to_sql(ty, out),
            Value::Text(s) => s.as_str().to_sql(ty, out),
        }
    }

    fn accepts(ty: &Type) -> bool {
        [
            Type::INT2,
            Type::INT4,
            Type::INT8,
            Type::TEXT,
            Type::VARCHAR,
            Type::UNKNOWN,
        ]
        .contains(ty)
    }

    to_sql_checked!();
}

fn pg_row(row: &tokio_postgres::Row) -> Result<Row, StoreError> {
    let mut values = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let ty = column.type_();
        let value = if *ty == Type::INT8 {
            row.try_get::<_, Option<i64>>(i)?.map(Value::Int)
        } else if *ty == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)?
                .map(|n| Value::Int(n.into()))
        } else if *ty == Type::TEXT || *ty == Type::VARCHAR {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        } else {
            return Err(StoreError::Decode(format!(
                "column {}: type {ty}",
                column.name()
            )));
        };
        values.push(value.unwrap_or(Value::Null));
    }

    Ok(Row(values))
}

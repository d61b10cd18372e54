//! Attachment 4 in SQL, from the `visits` and `visit_households` tables.
//!
//! Each visit belongs to one row: its county, the township of its first
//! household, or its instructor. A row sums its visits' quantities and
//! counts the distinct households its visits name under each 户 item, as
//! [`Attachment4::tally`] does over the same visits; the total row counts a
//! household once even when two rows share it.

use std::collections::HashMap;

use fieldledger_model::Amount;
use fieldledger_model::tally::{Attachment4, Period};
use fieldledger_model::wire::{Attachment4Report, ReportLevel, ReportRow};
use uuid::Uuid;

use super::conn::{Conn, Row, Value};
use super::records::AreaRow;
use super::{Store, StoreError};

const SUMS: &str = "CAST(COALESCE(SUM(policy), 0) AS BIGINT), CAST(COALESCE(SUM(trained), 0) AS BIGINT), \
    CAST(COALESCE(SUM(tech), 0) AS BIGINT), CAST(COALESCE(SUM(problems), 0) AS BIGINT), \
    CAST(COALESCE(SUM(coop), 0) AS BIGINT), CAST(COALESCE(SUM(funds), 0) AS BIGINT), \
    CAST(COALESCE(SUM(sold), 0) AS BIGINT)";

const DISTINCT: &str = "COUNT(DISTINCT CASE WHEN choice = 1 THEN household_id END), \
    COUNT(DISTINCT CASE WHEN project = 1 THEN household_id END), \
    COUNT(DISTINCT CASE WHEN sales = 1 THEN household_id END), \
    COUNT(DISTINCT CASE WHEN link = 1 THEN household_id END)";

impl Store {
    /// Attachment 4 for the visits in `scope` during `period`, one row per
    /// `level` unit inside the scope.
    #[tracing::instrument(skip_all, fields(level = ?level, db = self.kind()))]
    pub async fn attachment4(
        &self,
        scope: AreaRow,
        level: ReportLevel,
        period: Period,
    ) -> Result<Attachment4Report, StoreError> {
        self.read(move |mut c| Box::pin(async move { report(&mut c, &scope, level, period).await }))
            .await
    }
}

async fn report(
    c: &mut Conn<'_>,
    scope: &AreaRow,
    level: ReportLevel,
    period: Period,
) -> Result<Attachment4Report, StoreError> {
    let key = match level {
        ReportLevel::County => "county_id",
        ReportLevel::Township => "township_id",
        ReportLevel::Instructor => "instructor_id",
    };
    let filter = if scope.township_id == Some(scope.id) {
        "township_id = $1"
    } else {
        "county_id = $1"
    };
    let params: Vec<Value> = vec![
        scope.id.into(),
        period.from.to_string().into(),
        period.to.to_string().into(),
    ];
    let when = format!("{filter} AND day >= $2 AND day <= $3");

    let sums = c
        .query(
            &format!("SELECT {key}, {SUMS} FROM visits WHERE {when} GROUP BY {key}"),
            &params,
        )
        .await?;
    let counts = c
        .query(
            &format!("SELECT {key}, {DISTINCT} FROM visit_households WHERE {when} GROUP BY {key}"),
            &params,
        )
        .await?;
    let mut figures: HashMap<Option<Uuid>, Attachment4> = HashMap::new();
    for row in &sums {
        add_sums(figures.entry(row.opt_uuid(0)?).or_default(), row, 1)?;
    }
    for row in &counts {
        add_counts(figures.entry(row.opt_uuid(0)?).or_default(), row, 1)?;
    }

    let mut total = Attachment4::default();
    if let Some(row) = c
        .query_opt(&format!("SELECT {SUMS} FROM visits WHERE {when}"), &params)
        .await?
    {
        add_sums(&mut total, &row, 0)?;
    }
    if let Some(row) = c
        .query_opt(
            &format!("SELECT {DISTINCT} FROM visit_households WHERE {when}"),
            &params,
        )
        .await?
    {
        add_counts(&mut total, &row, 0)?;
    }
    let rows = name_rows(c, scope, level, figures).await?;

    Ok(Attachment4Report {
        period,
        level,
        rows,
        total,
    })
}

fn add_sums(a: &mut Attachment4, row: &Row, at: usize) -> Result<(), StoreError> {
    let n = |i: usize| {
        row.int(at + i)
            .map(|v| u64::try_from(v).unwrap_or_default())
    };
    a.policy_talks = n(0)?;
    a.trained_people = n(1)?;
    a.tech_guidance = n(2)?;
    a.problems_solved = n(3)?;
    a.coop_members = n(4)?;
    a.funds = Amount::from_hundredths(row.int(at + 5)?);
    a.sales_income = Amount::from_hundredths(row.int(at + 6)?);

    Ok(())
}

fn add_counts(a: &mut Attachment4, row: &Row, at: usize) -> Result<(), StoreError> {
    let n = |i: usize| {
        row.int(at + i)
            .map(|v| u64::try_from(v).unwrap_or_default())
    };
    a.industry_choice = n(0)?;
    a.project_support = n(1)?;
    a.sales_help = n(2)?;
    a.benefit_link = n(3)?;

    Ok(())
}

/// Gives each row its name, and adds a zero row for every unit of the scope
/// that did no work, so that a missing township shows as zeros.
async fn name_rows(
    c: &mut Conn<'_>,
    scope: &AreaRow,
    level: ReportLevel,
    mut figures: HashMap<Option<Uuid>, Attachment4>,
) -> Result<Vec<ReportRow>, StoreError> {
    let units = units(c, scope, level).await?;
    let mut rows = Vec::with_capacity(units.len() + 1);
    for (id, name) in units {
        rows.push(ReportRow {
            id,
            name,
            figures: figures.remove(&Some(id)).unwrap_or_default(),
        });
    }
    let mut rest: Vec<_> = figures.into_iter().collect();
    rest.sort_by_key(|(id, _)| *id);
    for (id, figures) in rest {
        rows.push(ReportRow {
            id: id.unwrap_or_default(),
            name: "未归属".into(),
            figures,
        });
    }

    Ok(rows)
}

async fn units(
    c: &mut Conn<'_>,
    scope: &AreaRow,
    level: ReportLevel,
) -> Result<Vec<(Uuid, String)>, StoreError> {
    let in_township = scope.township_id == Some(scope.id);
    let (sql, id): (&str, Uuid) = match (level, in_township) {
        (ReportLevel::County, _) => ("SELECT id, name FROM areas WHERE id = $1", scope.county_id),
        (ReportLevel::Township, false) => (
            "SELECT id, name FROM areas WHERE county_id = $1 AND level = 'township' ORDER BY name, id",
            scope.id,
        ),
        (ReportLevel::Township, true) => ("SELECT id, name FROM areas WHERE id = $1", scope.id),
        (ReportLevel::Instructor, false) => (
            "SELECT id, name FROM instructors WHERE county_id = $1 ORDER BY name, id",
            scope.id,
        ),
        (ReportLevel::Instructor, true) => (
            "SELECT id, name FROM instructors WHERE township_id = $1 ORDER BY name, id",
            scope.id,
        ),
    };
    let rows = c.query(sql, &[id.into()]).await?;
    rows.iter().map(|r| Ok((r.uuid(0)?, r.text(1)?))).collect()
}

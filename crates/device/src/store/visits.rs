//! Visits and the Attachment 4 tally summed from them.
//!
//! The tally runs in SQL over narrow indexes: the quantities are sums over
//! `visits_tally`; the four items counted in households are distinct
//! households over the flagged rows of `visit_households`, so a household
//! served twice in the year counts once, as [`Attachment4::tally`] counts.

use fieldledger_model::Amount;
use fieldledger_model::Visit;
use fieldledger_model::tally::{Attachment4, Period};
use rusqlite::{OptionalExtension, params};
use uuid::Uuid;

use super::Store;
use super::error::Result;
use super::sql::{count, json_at, u64_at};

const SUMS_SQL: &str = "
SELECT coalesce(sum(policy), 0), coalesce(sum(trained), 0), coalesce(sum(tech), 0),
       coalesce(sum(problems), 0), coalesce(sum(funds), 0), coalesce(sum(sold), 0),
       coalesce(sum(coop), 0)
FROM visits WHERE date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR instructor_id = ?3)";

const HOUSEHOLDS_SQL: &str = "
SELECT coalesce(sum(c != 0), 0), coalesce(sum(p != 0), 0),
       coalesce(sum(s != 0), 0), coalesce(sum(l != 0), 0)
FROM (
    SELECT max(flags & 1) AS c, max(flags & 2) AS p, max(flags & 4) AS s, max(flags & 8) AS l
    FROM visit_households
    WHERE flags != 0 AND date BETWEEN ?1 AND ?2 AND (?3 IS NULL OR instructor_id = ?3)
    GROUP BY household_id
)";

impl Store {
    /// The household's visits, newest first.
    pub fn visits_of(&self, household: Uuid) -> Result<Vec<Visit>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT v.body FROM visit_households vh JOIN visits v ON v.id = vh.visit_id
             WHERE vh.household_id = ?1 ORDER BY vh.date DESC, v.id DESC",
        )?;
        let rows = stmt.query_map([household.to_string()], |r| json_at(r, 0))?;

        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// The visit `id`, if this phone holds it.
    pub fn visit(&self, id: Uuid) -> Result<Option<Visit>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT body FROM visits WHERE id = ?1")?;

        Ok(stmt
            .query_row([id.to_string()], |r| json_at(r, 0))
            .optional()?)
    }

    /// How many visits this phone holds.
    pub fn visit_count(&self) -> Result<u64> {
        count(&self.conn, "SELECT count(*) FROM visits")
    }

    /// Attachment 4 for the whole of `year`, from every visit on this phone.
    pub fn attachment4(&self, year: i32) -> Result<Attachment4> {
        self.attachment4_for(Period::year(year), None)
    }

    /// Attachment 4 for `period`, from the visits of `instructor` or, when
    /// `None`, from every visit on this phone.
    pub fn attachment4_for(&self, period: Period, instructor: Option<Uuid>) -> Result<Attachment4> {
        let _span = tracing::debug_span!("attachment4", year = period.year_of()).entered();
        let args = params![
            period.from.to_string(),
            period.to.to_string(),
            instructor.map(|i| i.to_string())
        ];
        let mut a = self.conn.prepare_cached(SUMS_SQL)?.query_row(args, |r| {
            Ok(Attachment4 {
                policy_talks: u64_at(r, 0)?,
                trained_people: u64_at(r, 1)?,
                tech_guidance: u64_at(r, 2)?,
                problems_solved: u64_at(r, 3)?,
                funds: Amount::from_hundredths(r.get(4)?),
                sales_income: Amount::from_hundredths(r.get(5)?),
                coop_members: u64_at(r, 6)?,
                ..Attachment4::default()
            })
        })?;
        let counts: [u64; 4] = self
            .conn
            .prepare_cached(HOUSEHOLDS_SQL)?
            .query_row(args, |r| {
                Ok([u64_at(r, 0)?, u64_at(r, 1)?, u64_at(r, 2)?, u64_at(r, 3)?])
            })?;
        [
            a.industry_choice,
            a.project_support,
            a.sales_help,
            a.benefit_link,
        ] = counts;

        Ok(a)
    }
}

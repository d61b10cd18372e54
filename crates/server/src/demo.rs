//! Made-up counties for demonstrations, tests and benchmarks: townships,
//! villages, instructors with accounts, liaisons, county staff, assigned
//! households with valid-looking ID numbers, and visits.
//!
//! Everything goes through the same paths as real data (admin operations
//! and pushed ops), so a seeded county exercises the real store.

use chrono::{Duration, NaiveDate, Utc};
use fieldledger_model::area::{Area, AreaLevel, Location};
use fieldledger_model::roster::{Instructor, Source};
use fieldledger_model::visit::Work;
use fieldledger_model::wire::{DeviceReport, Op, Record, Role, UserInfo};
use fieldledger_model::{Amount, Household, SCHEMA_VERSION, Visit, id::new_id, resident_id};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use uuid::Uuid;

use crate::admin::{self, AdminError};
use crate::store::people::{NewUser, office};
use crate::store::{Actor, Store};

/// Ops per push while seeding visits: the size phones send.
const SEED_BATCH: usize = 500;

/// The shape of a made-up county.
#[derive(Debug, Clone)]
pub struct CountySpec {
    pub name: String,
    pub townships: usize,
    pub villages_per_township: usize,
    pub instructors_per_township: usize,
    pub households_per_instructor: usize,
    pub visits_per_household: usize,
    /// Visits fall in this year, up to today when it is the current one.
    pub year: i32,
    pub seed: u64,
}

impl Default for CountySpec {
    fn default() -> Self {
        Self {
            name: "示范县".into(),
            townships: 3,
            villages_per_township: 2,
            instructors_per_township: 2,
            households_per_instructor: 5,
            visits_per_household: 2,
            year: Utc::now()
                .date_naive()
                .format("%Y")
                .to_string()
                .parse()
                .unwrap_or(2025),
            seed: 1,
        }
    }
}

/// One seeded instructor with their account and households.
#[derive(Debug, Clone)]
pub struct SeededInstructor {
    pub instructor: Instructor,
    pub user: UserInfo,
    pub township: Uuid,
    pub households: Vec<Household>,
    pub visits: Vec<Visit>,
}

/// What [`seed_county`] made.
#[derive(Debug, Clone)]
pub struct SeededCounty {
    pub county: Area,
    pub townships: Vec<Area>,
    pub villages: Vec<Area>,
    pub instructors: Vec<SeededInstructor>,
    /// One liaison per township, in township order.
    pub liaisons: Vec<UserInfo>,
    pub staff: UserInfo,
}

impl SeededCounty {
    /// The office actor of this county.
    pub fn office(&self) -> Actor {
        office(self.county.id)
    }
}

/// Seeds one county as `spec` describes.
pub async fn seed_county(store: &Store, spec: &CountySpec) -> Result<SeededCounty, AdminError> {
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let county_id = new_id();
    let actor = office(county_id);
    let county = admin_area(
        store,
        &actor,
        AreaLevel::County,
        &spec.name,
        None,
        Some(county_id),
    )
    .await?;
    let staff = user(
        store,
        &format!("{}办公室", spec.name),
        Role::County,
        county.id,
        None,
    )
    .await?;
    let mut seeded = SeededCounty {
        county,
        townships: vec![],
        villages: vec![],
        instructors: vec![],
        liaisons: vec![],
        staff,
    };
    for t in 0..spec.townships {
        let township = admin::add_area(
            store,
            &actor,
            AreaLevel::Township,
            &format!("第{}镇", t + 1),
            Some(seeded.county.id),
        )
        .await?;
        seeded.liaisons.push(
            user(
                store,
                &format!("联络员{}", t + 1),
                Role::Liaison,
                township.id,
                None,
            )
            .await?,
        );
        let mut villages = Vec::new();
        for v in 0..spec.villages_per_township {
            villages.push(
                admin::add_area(
                    store,
                    &actor,
                    AreaLevel::Village,
                    &format!("{}村", v + 1),
                    Some(township.id),
                )
                .await?,
            );
        }
        for _ in 0..spec.instructors_per_township {
            let one =
                instructor(store, &actor, &seeded, &township, &villages, spec, &mut rng).await?;
            seeded.instructors.push(one);
        }
        seeded.townships.push(township);
        seeded.villages.extend(villages);
    }

    Ok(seeded)
}

async fn admin_area(
    store: &Store,
    actor: &Actor,
    level: AreaLevel,
    name: &str,
    parent: Option<Uuid>,
    id: Option<Uuid>,
) -> Result<Area, AdminError> {
    let area = Area {
        id: id.unwrap_or_else(new_id),
        level,
        name: name.into(),
        parent,
    };
    match store
        .admin_put(actor.clone(), Record::Area(area.clone()))
        .await?
    {
        fieldledger_model::wire::Outcome::Rejected { code, reason } => {
            Err(AdminError::Refused { code, reason })
        }
        _ => Ok(area),
    }
}

async fn user(
    store: &Store,
    name: &str,
    role: Role,
    area: Uuid,
    instructor: Option<Uuid>,
) -> Result<UserInfo, AdminError> {
    admin::add_user(
        store,
        NewUser {
            id: new_id(),
            name: name.into(),
            role,
            area_id: area,
            instructor_id: instructor,
        },
    )
    .await
}

async fn instructor(
    store: &Store,
    actor: &Actor,
    seeded: &SeededCounty,
    township: &Area,
    villages: &[Area],
    spec: &CountySpec,
    rng: &mut StdRng,
) -> Result<SeededInstructor, AdminError> {
    let n = seeded.instructors.len() + 1;
    let entry = roster_entry(
        seeded.county.id,
        &seeded.county.name,
        &format!("指导员{n}"),
        n,
    );
    let entry = admin::add_instructor(store, actor, entry, Some(township.id)).await?;
    let account = user(
        store,
        &entry.name,
        Role::Instructor,
        seeded.county.id,
        Some(entry.id),
    )
    .await?;
    let mut households = Vec::new();
    for h in 0..spec.households_per_instructor {
        let village = &villages[h % villages.len()];
        let names = [
            seeded.county.name.as_str(),
            township.name.as_str(),
            village.name.as_str(),
        ];
        let mut household = new_household(rng, village.id, names);
        household.instructor_id = Some(entry.id);
        households.push(admin::add_household(store, actor, household).await?);
    }
    let me = Actor {
        user: account.clone(),
        county_id: seeded.county.id,
        device_id: None,
    };
    let visits = visits(store, &me, &entry, &households, spec, rng).await?;

    Ok(SeededInstructor {
        instructor: entry,
        user: account,
        township: township.id,
        households,
        visits,
    })
}

/// A roster entry with plausible fields.
pub fn roster_entry(county_id: Uuid, county: &str, name: &str, n: usize) -> Instructor {
    Instructor {
        id: new_id(),
        county_id,
        county: county.into(),
        name: name.into(),
        sex: None,
        birth: None,
        political_status: String::new(),
        education: String::new(),
        major: String::new(),
        employer: "县农业农村局".into(),
        title: String::new(),
        mobile: format!("139{:08}", n % 100_000_000),
        source: Source::ExtensionTechnician,
        villages: Vec::new(),
    }
}

/// A household with a made-up name and a valid ID number.
pub fn new_household(rng: &mut impl Rng, village: Uuid, names: [&str; 3]) -> Household {
    const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "黄", "吴"];
    let [county, township, village_name] = names;
    Household {
        id: new_id(),
        head_name: format!(
            "{}某{}",
            SURNAMES[rng.random_range(0..SURNAMES.len())],
            rng.random_range(1..100)
        ),
        id_number: resident_id_number(rng.random_range(0..20_000), rng.random_range(0..1000)),
        location: Location {
            county: county.into(),
            township: township.into(),
            village: village_name.into(),
            group: String::new(),
        },
        village_id: Some(village),
        instructor_id: None,
    }
}

/// A valid resident ID number born `day` days after 1950-01-01.
pub fn resident_id_number(day: i64, sequence: u32) -> String {
    let born = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or_default() + Duration::days(day);
    let first17 = format!("520123{}{:03}", born.format("%Y%m%d"), sequence % 1000);

    format!("{first17}{}", resident_id::check_char(first17.as_bytes()))
}

/// A visit with random work on `households` on `date`.
pub fn random_visit(
    rng: &mut impl Rng,
    instructor: Uuid,
    households: Vec<Uuid>,
    date: NaiveDate,
) -> Visit {
    let work = Work {
        policy_talks: rng.random_range(0..3),
        industry_choice: rng.random_bool(0.3),
        trained_people: rng.random_range(0..5),
        tech_guidance: rng.random_range(0..2),
        problems_solved: rng.random_range(0..3),
        project_support: rng.random_bool(0.2),
        funds: Amount::from_hundredths(rng.random_range(0..500_000)),
        sales_help: rng.random_bool(0.25),
        sales_income: Amount::from_hundredths(rng.random_range(0..1_000_000)),
        coop_members: rng.random_range(0..2),
        benefit_link: rng.random_bool(0.15),
    };
    Visit {
        id: new_id(),
        instructor_id: instructor,
        date,
        households,
        work,
        note: String::new(),
        position: None,
        photos: Vec::new(),
    }
}

async fn visits(
    store: &Store,
    me: &Actor,
    entry: &Instructor,
    households: &[Household],
    spec: &CountySpec,
    rng: &mut StdRng,
) -> Result<Vec<Visit>, AdminError> {
    let start = NaiveDate::from_ymd_opt(spec.year, 1, 1).unwrap_or_default();
    let days = (Utc::now().date_naive() - start).num_days().clamp(1, 365);
    let mut made = Vec::new();
    for household in households {
        for _ in 0..spec.visits_per_household {
            let date = start + Duration::days(rng.random_range(0..days));
            let mut ids = vec![household.id];
            if rng.random_bool(0.2)
                && let Some(other) = households.get(rng.random_range(0..households.len()))
                && other.id != household.id
            {
                ids.push(other.id);
            }
            made.push(random_visit(rng, entry.id, ids, date));
        }
    }
    for batch in made.chunks(SEED_BATCH) {
        let ops = batch.iter().map(|v| Op {
            op_id: new_id(),
            base: None,
            schema: SCHEMA_VERSION,
            record: Record::Visit(v.clone()),
        });
        store
            .push(
                me.clone(),
                ops.collect(),
                DeviceReport::default(),
                Utc::now(),
            )
            .await?;
    }

    Ok(made)
}

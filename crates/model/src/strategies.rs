//! Proptest strategies that generate valid records: every ledger, household
//! and visit they make passes [`crate::validate::Validate`] without errors.
//! Enabled for other crates by the `proptest` feature.

use chrono::NaiveDate;
use proptest::collection::{btree_set, vec};
use proptest::option;
use proptest::prelude::*;
use uuid::Uuid;

use crate::area::Location;
use crate::choice::{Choice, Pick};
use crate::ledger::*;
use crate::resident_id::check_char;
use crate::visit::{Position, Work};
use crate::{Amount, Household, Visit, YearMonth};

pub fn uuid() -> impl Strategy<Value = Uuid> {
    any::<u128>().prop_map(Uuid::from_u128)
}

/// Short Chinese text, as names and notes are.
pub fn chinese(max: usize) -> impl Strategy<Value = String> {
    vec(prop::char::range('\u{4e00}', '\u{4fff}'), 1..=max).prop_map(|c| c.into_iter().collect())
}

/// A non-negative amount with up to two decimals, up to ten million.
pub fn amount() -> impl Strategy<Value = Amount> {
    (0i64..1_000_000_000).prop_map(Amount::from_hundredths)
}

fn some_amount() -> impl Strategy<Value = Option<Amount>> {
    option::of(amount())
}

fn choice<T: Choice>() -> impl Strategy<Value = T> {
    prop::sample::select(T::ALL)
}

fn multi<T: Choice>() -> impl Strategy<Value = MultiSelect<T>> {
    (btree_set(choice::<T>(), 0..4), option::of(chinese(6)))
        .prop_map(|(chosen, other)| MultiSelect { chosen, other })
}

fn pick<T: Choice>() -> impl Strategy<Value = Pick<T>> {
    prop_oneof![
        choice::<T>().prop_map(Pick::Listed),
        chinese(6).prop_map(Pick::Other)
    ]
}

/// A valid resident ID number.
pub fn resident_id() -> impl Strategy<Value = String> {
    (100_000u32..999_999, 0i64..36_000, 0u32..1000).prop_map(|(area, days, seq)| {
        let birth =
            NaiveDate::from_ymd_opt(1930, 1, 1).expect("valid") + chrono::Days::new(days as u64);
        let first17 = format!("{area:06}{}{seq:03}", birth.format("%Y%m%d"));
        format!("{first17}{}", check_char(first17.as_bytes()))
    })
}

pub fn location() -> impl Strategy<Value = Location> {
    (chinese(4), chinese(4), chinese(4), chinese(4)).prop_map(
        |(county, township, village, group)| Location {
            county,
            township,
            village,
            group,
        },
    )
}

pub fn household() -> impl Strategy<Value = Household> {
    (
        uuid(),
        chinese(3),
        resident_id(),
        location(),
        option::of(uuid()),
        option::of(uuid()),
    )
        .prop_map(
            |(id, head_name, id_number, location, village_id, instructor_id)| Household {
                id,
                head_name,
                id_number,
                location,
                village_id,
                instructor_id,
            },
        )
}

fn resources() -> impl Strategy<Value = Resources> {
    (amount(), amount(), amount(), some_amount()).prop_map(|(a, b, c, forest)| Resources {
        cultivated: Some(a + b + c),
        under_15: Some(a),
        from_15_to_25: Some(b),
        over_25: Some(c),
        forest,
    })
}

/// A whole and a part no larger than it.
fn whole_and_part() -> impl Strategy<Value = (Option<Amount>, Option<Amount>)> {
    option::of((amount(), 0u32..=100)).prop_map(|pair| match pair {
        Some((whole, percent)) => {
            let part = Amount::from_hundredths(whole.hundredths() / 100 * i64::from(percent));
            (Some(whole), Some(part))
        }
        None => (None, None),
    })
}

fn income() -> impl Strategy<Value = Income> {
    (whole_and_part(), whole_and_part()).prop_map(|((lt, lf), (et, ef))| Income {
        last_year_total: lt,
        last_year_farming: lf,
        expected_total: et,
        expected_farming: ef,
    })
}

fn labour_member() -> impl Strategy<Value = LabourMember> {
    let birth = option::of((1930u16..2015, 1u8..=12))
        .prop_map(|ym| ym.and_then(|(y, m)| YearMonth::new(y, m).ok()));
    (
        chinese(3),
        chinese(2),
        birth,
        option::of(choice::<Education>()),
        chinese(8),
    )
        .prop_map(|(name, relation, birth, education, skills)| LabourMember {
            name,
            relation,
            birth,
            education,
            skills,
        })
}

fn own_industry() -> impl Strategy<Value = OwnIndustry> {
    (
        option::of(pick::<Industry>()),
        chinese(4),
        amount(),
        choice::<ScaleUnit>(),
        some_amount(),
        some_amount(),
        some_amount(),
    )
        .prop_map(
            |(industry, product, scale, unit, expected_output, expected_income, actual_income)| {
                OwnIndustry {
                    industry,
                    product,
                    scale: Some(scale),
                    unit: Some(unit),
                    expected_output,
                    expected_income,
                    actual_income,
                }
            },
        )
}

fn employment() -> impl Strategy<Value = Employment> {
    (
        chinese(8),
        option::of(pick::<Industry>()),
        option::of(0u8..=31),
        some_amount(),
        some_amount(),
    )
        .prop_map(
            |(employer, industry, workdays_per_month, monthly_wage, actual_income)| Employment {
                employer,
                industry,
                workdays_per_month,
                monthly_wage,
                actual_income,
            },
        )
}

fn benefit_link() -> impl Strategy<Value = BenefitLink> {
    (
        chinese(8),
        chinese(4),
        some_amount(),
        some_amount(),
        some_amount(),
        some_amount(),
        some_amount(),
    )
        .prop_map(
            |(
                entity,
                industry,
                land_shares,
                microcredit_shares,
                fiscal_shares,
                expected_dividend,
                actual_dividend,
            )| {
                BenefitLink {
                    entity,
                    industry,
                    land_shares,
                    microcredit_shares,
                    fiscal_shares,
                    expected_dividend,
                    actual_dividend,
                }
            },
        )
}

fn sales_agreement() -> impl Strategy<Value = SalesAgreement> {
    (
        chinese(8),
        chinese(4),
        choice::<SalesUnit>(),
        some_amount(),
        some_amount(),
        some_amount(),
    )
        .prop_map(
            |(buyer, product, unit, expected_quantity, actual_quantity, actual_amount)| {
                SalesAgreement {
                    buyer,
                    product,
                    unit: Some(unit),
                    expected_quantity,
                    actual_quantity,
                    actual_amount,
                }
            },
        )
}

/// A valid ledger for `household_id`, with up to four rows in each
/// repeating section.
pub fn ledger_for(household_id: Uuid) -> impl Strategy<Value = Ledger> {
    let head = (
        uuid(),
        2016i32..2030,
        1u32..12,
        multi::<PovertyCause>(),
        resources(),
    );
    let intent = (
        multi::<Industry>(),
        btree_set(choice::<WorkKind>(), 0..3),
        income(),
    );
    let rows = (
        vec(labour_member(), 0..4),
        option::of(choice::<WorkKind>()),
        vec(own_industry(), 0..4),
        vec(employment(), 0..3),
        vec(benefit_link(), 0..3),
        vec(sales_agreement(), 0..3),
    );
    (head, intent, rows).prop_map(move |(head, intent, rows)| {
        let (id, year, population, poverty_causes, resources) = head;
        let (industries, work, income) = intent;
        let (labour, main_work, own, employed, benefit_links, sales) = rows;
        Ledger {
            id,
            household_id,
            year,
            basic: Basic {
                population: Some(population),
                poverty_causes,
            },
            resources,
            labour,
            intent: Intent { industries, work },
            income,
            participation: Participation {
                main_work,
                own,
                employed,
            },
            benefit_links,
            sales,
        }
    })
}

pub fn ledger() -> impl Strategy<Value = Ledger> {
    uuid().prop_flat_map(ledger_for)
}

fn work() -> impl Strategy<Value = Work> {
    let counts = (0u32..5, 0u32..40, 0u32..4, 0u32..6, 0u32..10);
    let flags = (any::<bool>(), any::<bool>(), any::<bool>(), any::<bool>());
    let money = (0i64..10_000_000, 0i64..50_000_000);
    (counts, flags, money).prop_map(|(c, f, m)| Work {
        policy_talks: c.0,
        trained_people: c.1,
        tech_guidance: c.2,
        problems_solved: c.3,
        coop_members: c.4,
        industry_choice: f.0,
        project_support: f.1,
        sales_help: f.2,
        benefit_link: f.3,
        funds: Amount::from_hundredths(m.0),
        sales_income: Amount::from_hundredths(m.1),
    })
}

/// A valid visit by `instructor` to some of `households` during `year`.
pub fn visit_among(
    instructor: Uuid,
    households: Vec<Uuid>,
    year: i32,
) -> impl Strategy<Value = Visit> {
    let count = households.len().clamp(1, 3);
    let chosen = prop::sample::subsequence(households, 1..=count);
    let position = option::of((-90.0f64..90.0, -180.0f64..180.0)).prop_map(|p| {
        p.map(|(latitude, longitude)| Position {
            latitude,
            longitude,
            accuracy_m: None,
        })
    });
    (
        uuid(),
        0u64..365,
        chosen,
        work(),
        option::of(chinese(20)),
        position,
    )
        .prop_map(move |(id, day, households, work, note, position)| Visit {
            id,
            instructor_id: instructor,
            date: NaiveDate::from_ymd_opt(year, 1, 1).expect("valid") + chrono::Days::new(day),
            households,
            work,
            note: note.unwrap_or_else(|| "走访".to_owned()),
            position,
            photos: Vec::new(),
        })
}

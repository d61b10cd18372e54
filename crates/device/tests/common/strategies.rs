//! Proptest strategies for valid model records: ledgers with repeating rows
//! and 其他 texts, and visits over a set of households.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use fieldledger_model::Amount;
use fieldledger_model::YearMonth;
use fieldledger_model::choice::{Choice, Pick};
use fieldledger_model::ledger::{
    Basic, BenefitLink, Education, Employment, Income, Industry, Intent, LabourMember, Ledger,
    MultiSelect, OwnIndustry, Participation, PovertyCause, Resources, SalesAgreement, SalesUnit,
    ScaleUnit, WorkKind,
};
use fieldledger_model::visit::{Visit, Work};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, subsequence};
use uuid::Uuid;

/// Text that holds something besides spaces: Chinese, digits, punctuation.
pub fn text() -> impl Strategy<Value = String> {
    "[\\u4e00-\\u9fa5a-z0-9（）、 ]{0,8}[\\u4e00-\\u9fa5]{1,4}"
}

/// Any text, possibly empty.
fn any_text() -> impl Strategy<Value = String> {
    "[\\u4e00-\\u9fa5a-z0-9 ]{0,10}"
}

/// A non-negative amount up to ten million, in hundredths.
pub fn amount() -> impl Strategy<Value = Amount> {
    (0i64..1_000_000_000).prop_map(Amount::from_hundredths)
}

fn choice<T: Choice>() -> impl Strategy<Value = T> {
    select(T::ALL.to_vec())
}

fn chosen<T: Choice>() -> impl Strategy<Value = BTreeSet<T>> {
    subsequence(T::ALL.to_vec(), 0..=T::ALL.len()).prop_map(|v| v.into_iter().collect())
}

fn multi<T: Choice>() -> impl Strategy<Value = MultiSelect<T>> {
    (chosen::<T>(), option::of(text())).prop_map(|(chosen, other)| MultiSelect { chosen, other })
}

fn pick() -> impl Strategy<Value = Pick<Industry>> {
    prop_oneof![
        choice::<Industry>().prop_map(Pick::Listed),
        text().prop_map(Pick::Other)
    ]
}

fn year_month() -> impl Strategy<Value = YearMonth> {
    (1900u16..=2020, 1u8..=12)
        .prop_map(|(y, m)| YearMonth::new(y, m).unwrap_or_else(|_| unreachable!()))
}

fn basic() -> impl Strategy<Value = Basic> {
    (1u32..30, multi::<PovertyCause>()).prop_map(|(population, poverty_causes)| Basic {
        population: Some(population),
        poverty_causes,
    })
}

fn resources() -> impl Strategy<Value = Resources> {
    [
        option::of(amount()),
        option::of(amount()),
        option::of(amount()),
        option::of(amount()),
        option::of(amount()),
    ]
    .prop_map(
        |[cultivated, under_15, from_15_to_25, over_25, forest]| Resources {
            cultivated,
            under_15,
            from_15_to_25,
            over_25,
            forest,
        },
    )
}

fn labour() -> impl Strategy<Value = LabourMember> {
    (
        text(),
        any_text(),
        option::of(year_month()),
        option::of(choice::<Education>()),
        any_text(),
    )
        .prop_map(|(name, relation, birth, education, skills)| LabourMember {
            name,
            relation,
            birth,
            education,
            skills,
        })
}

/// A whole and a part no larger than it, either possibly missing.
fn part_of_whole() -> impl Strategy<Value = (Option<Amount>, Option<Amount>)> {
    (option::of(amount()), any::<bool>(), 0u32..=100).prop_map(|(whole, keep_part, percent)| {
        let part = whole
            .filter(|_| keep_part)
            .map(|w| Amount::from_hundredths(w.hundredths() * i64::from(percent) / 100));
        (whole, part)
    })
}

fn income() -> impl Strategy<Value = Income> {
    (part_of_whole(), part_of_whole()).prop_map(
        |((last_year_total, last_year_farming), (expected_total, expected_farming))| Income {
            last_year_total,
            last_year_farming,
            expected_total,
            expected_farming,
        },
    )
}

fn own() -> impl Strategy<Value = OwnIndustry> {
    (
        option::of(pick()),
        any_text(),
        option::of(amount()),
        choice::<ScaleUnit>(),
        option::of(amount()),
        option::of(amount()),
        option::of(amount()),
    )
        .prop_map(
            |(industry, product, scale, unit, expected_output, expected_income, actual_income)| {
                OwnIndustry {
                    industry,
                    product,
                    scale,
                    unit: Some(unit),
                    expected_output,
                    expected_income,
                    actual_income,
                }
            },
        )
}

fn employed() -> impl Strategy<Value = Employment> {
    (
        text(),
        option::of(pick()),
        option::of(0u8..=31),
        option::of(amount()),
        option::of(amount()),
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

fn link() -> impl Strategy<Value = BenefitLink> {
    (
        text(),
        any_text(),
        [
            option::of(amount()),
            option::of(amount()),
            option::of(amount()),
            option::of(amount()),
            option::of(amount()),
        ],
    )
        .prop_map(
            |(entity, industry, [land, micro, fiscal, expected, actual])| BenefitLink {
                entity,
                industry,
                land_shares: land,
                microcredit_shares: micro,
                fiscal_shares: fiscal,
                expected_dividend: expected,
                actual_dividend: actual,
            },
        )
}

fn sales() -> impl Strategy<Value = SalesAgreement> {
    (
        text(),
        any_text(),
        choice::<SalesUnit>(),
        [
            option::of(amount()),
            option::of(amount()),
            option::of(amount()),
        ],
    )
        .prop_map(
            |(buyer, product, unit, [expected, actual, paid])| SalesAgreement {
                buyer,
                product,
                unit: Some(unit),
                expected_quantity: expected,
                actual_quantity: actual,
                actual_amount: paid,
            },
        )
}

fn intent() -> impl Strategy<Value = Intent> {
    (multi::<Industry>(), chosen::<WorkKind>())
        .prop_map(|(industries, work)| Intent { industries, work })
}

fn participation() -> impl Strategy<Value = Participation> {
    (
        option::of(choice::<WorkKind>()),
        vec(own(), 0..4),
        vec(employed(), 0..3),
    )
        .prop_map(|(main_work, own, employed)| Participation {
            main_work,
            own,
            employed,
        })
}

/// A ledger that passes validation with no errors, for `household`.
pub fn ledger_for(household: Uuid) -> impl Strategy<Value = Ledger> {
    (
        2015i32..=2100,
        basic(),
        resources(),
        vec(labour(), 0..6),
        intent(),
        income(),
        participation(),
        vec(link(), 0..3),
        vec(sales(), 0..3),
    )
        .prop_map(
            move |(
                year,
                basic,
                resources,
                labour,
                intent,
                income,
                participation,
                benefit_links,
                sales,
            )| {
                let mut ledger = Ledger::new(household, year);
                ledger.basic = basic;
                ledger.resources = resources;
                ledger.labour = labour;
                ledger.intent = intent;
                ledger.income = income;
                ledger.participation = participation;
                ledger.benefit_links = benefit_links;
                ledger.sales = sales;
                ledger
            },
        )
}

fn work() -> impl Strategy<Value = Work> {
    (
        [0u32..5, 0u32..30, 0u32..5, 0u32..5, 0u32..10],
        [any::<bool>(); 4],
        [0i64..500_000, 0i64..500_000],
    )
        .prop_map(
            |(
                [policy, trained, tech, problems, coop],
                [choice, project, sales, link],
                [funds, sold],
            )| Work {
                policy_talks: policy,
                industry_choice: choice,
                trained_people: trained,
                tech_guidance: tech,
                problems_solved: problems,
                project_support: project,
                funds: Amount::from_hundredths(funds),
                sales_help: sales,
                sales_income: Amount::from_hundredths(sold),
                coop_members: coop,
                benefit_link: link,
            },
        )
}

/// A valid visit to one to three of `households`, on a day in 2023–2025.
pub fn visit_among(households: Vec<Uuid>) -> impl Strategy<Value = Visit> {
    let first = NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    (
        subsequence(households, 1..=3),
        0u64..(3 * 365),
        work(),
        any::<bool>(),
    )
        .prop_map(move |(households, day, work, other_instructor)| Visit {
            id: Uuid::now_v7(),
            instructor_id: if other_instructor {
                Uuid::max()
            } else {
                Uuid::nil()
            },
            date: first + chrono::Days::new(day),
            households,
            work,
            note: "入户".into(),
            position: None,
            photos: Vec::new(),
        })
}

/// Sets of ids for tests that need several.
pub fn ids(n: usize) -> Vec<Uuid> {
    (0..n).map(|_| Uuid::now_v7()).collect()
}

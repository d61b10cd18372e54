//! The form rules: each rule fires on the field it names, errors apart from
//! warnings, and a record with several problems reports them all at once.
#![allow(clippy::unwrap_used)]

use fieldledger_model::choice::Source;
use fieldledger_model::ledger::{Employment, Ledger, MultiSelect, SalesAgreement};
use fieldledger_model::roster::{Instructor, valid_mobile};
use fieldledger_model::validate::{Severity, Validate};
use fieldledger_model::visit::{Position, Work};
use fieldledger_model::{Amount, Household, Visit, area::Location};
use uuid::Uuid;

fn amount(text: &str) -> Option<Amount> {
    Some(Amount::parse(text).unwrap())
}

fn ledger() -> Ledger {
    let mut ledger = Ledger::new(Uuid::now_v7(), 2026);
    ledger.basic.population = Some(4);
    ledger
}

fn paths(ledger: &Ledger, severity: Severity) -> Vec<String> {
    let report = ledger.validate();
    report
        .issues
        .iter()
        .filter(|i| i.severity == severity)
        .map(|i| i.path.clone())
        .collect()
}

#[test]
fn a_minimal_ledger_is_valid() {
    assert!(ledger().validate().issues.is_empty());
}

#[test]
fn population_is_required_and_at_least_one() {
    let mut l = ledger();
    l.basic.population = None;
    assert_eq!(paths(&l, Severity::Error), ["basic.population"]);
    l.basic.population = Some(0);
    let report = l.validate();
    assert_eq!(
        report.at("basic.population").next().unwrap().message,
        "人口数至少为1人"
    );
}

#[test]
fn slope_bands_that_miss_the_total_are_a_warning_only() {
    let mut l = ledger();
    l.resources.cultivated = amount("10");
    l.resources.under_15 = amount("4");
    l.resources.from_15_to_25 = amount("3.5");
    l.resources.over_25 = amount("2.5");
    assert!(l.validate().issues.is_empty(), "bands add up to the total");

    l.resources.over_25 = amount("2");
    assert_eq!(paths(&l, Severity::Warning), ["resources.cultivated"]);
    assert!(!l.validate().has_errors());
    let message = &l.validate().issues[0].message;
    assert!(
        message.contains("9.5") && message.contains("10"),
        "{message}"
    );
}

#[test]
fn farming_income_never_exceeds_household_income() {
    let mut l = ledger();
    l.income.last_year_total = amount("20000");
    l.income.last_year_farming = amount("20000.01");
    l.income.expected_total = amount("30000");
    l.income.expected_farming = amount("30000");
    assert_eq!(paths(&l, Severity::Error), ["income.last_year_farming"]);
}

#[test]
fn negative_amounts_are_refused_everywhere() {
    let mut l = ledger();
    l.resources.forest = amount("-1");
    l.income.expected_total = amount("-0.01");
    l.benefit_links
        .push(fieldledger_model::ledger::BenefitLink {
            entity: "茶叶合作社".into(),
            land_shares: amount("-5"),
            ..Default::default()
        });
    assert_eq!(
        paths(&l, Severity::Error),
        [
            "resources.forest",
            "income.expected_total",
            "benefit_links[0].land_shares"
        ]
    );
}

#[test]
fn amounts_take_at_most_two_decimals() {
    assert_eq!(
        Amount::parse("3.141").unwrap_err().to_string(),
        "最多保留两位小数"
    );
    assert!(Amount::parse("3.14").is_ok());
}

#[test]
fn workdays_run_from_zero_to_thirty_one() {
    let mut l = ledger();
    let row = |days| Employment {
        employer: "加工厂".into(),
        workdays_per_month: Some(days),
        ..Default::default()
    };
    l.participation.employed = vec![row(0), row(31), row(32)];
    assert_eq!(
        paths(&l, Severity::Error),
        ["participation.employed[2].workdays_per_month"]
    );
}

#[test]
fn repeating_rows_need_their_name_and_a_unit_for_quantities() {
    let mut l = ledger();
    l.sales.push(SalesAgreement {
        buyer: " ".into(),
        expected_quantity: amount("100"),
        ..Default::default()
    });
    l.labour.push(Default::default());
    assert_eq!(
        paths(&l, Severity::Error),
        ["labour[0].name", "sales[0].buyer", "sales[0].unit"]
    );
}

#[test]
fn ticking_other_needs_its_text() {
    let mut l = ledger();
    l.basic.poverty_causes = MultiSelect {
        chosen: Default::default(),
        other: Some("".into()),
    };
    assert_eq!(paths(&l, Severity::Error), ["basic.poverty_causes.other"]);
}

#[test]
fn every_problem_is_reported_at_once() {
    let mut l = ledger();
    l.basic.population = None;
    l.resources.cultivated = amount("5");
    l.resources.under_15 = amount("1");
    l.income.expected_total = amount("1");
    l.income.expected_farming = amount("2");
    l.year = 1999;
    let report = l.validate();
    assert_eq!(report.errors().count(), 3, "{report:?}");
    assert_eq!(report.warnings().count(), 1);
    assert!(report.summary().contains("basic.population：请填写人口数"));
}

#[test]
fn households_check_the_id_number_and_location() {
    let mut h = Household {
        id: Uuid::now_v7(),
        head_name: " 王大山 ".into(),
        id_number: "52010219850312123x".into(),
        location: Location {
            county: "县".into(),
            township: "镇".into(),
            village: "村".into(),
            group: "一组".into(),
        },
        village_id: None,
        instructor_id: None,
    };
    let tail = fieldledger_model::resident_id::check_char(b"52010219850312123");
    h.id_number = format!("52010219850312123{}", tail.to_ascii_lowercase());
    assert!(h.validate().issues.is_empty());
    h.normalise();
    assert_eq!(h.head_name, "王大山");
    assert!(h.id_number.ends_with(tail));
    assert_eq!(h.masked_id(), format!("5201**********123{tail}"));

    h.id_number = "520102199902301234".into();
    h.location.village.clear();
    let report = h.validate();
    assert_eq!(
        report.errors().map(|i| i.path.as_str()).collect::<Vec<_>>(),
        ["id_number", "location.village"]
    );
    assert!(report.issues[0].message.contains("19990230"));
    assert_eq!(h.masked_id(), "******************");
}

#[test]
fn mobile_numbers_have_eleven_digits_starting_with_one() {
    assert!(valid_mobile("13800138000"));
    for bad in [
        "23800138000",
        "1380013800",
        "138001380001",
        "1380013800a",
        "",
    ] {
        assert!(!valid_mobile(bad), "{bad}");
    }
    let mut instructor = Instructor {
        id: Uuid::now_v7(),
        county_id: Uuid::now_v7(),
        county: "紫云县".into(),
        name: "李明".into(),
        sex: None,
        birth: None,
        political_status: String::new(),
        education: String::new(),
        major: String::new(),
        employer: String::new(),
        title: String::new(),
        mobile: "13800138000".into(),
        source: Source::FirstSecretary,
        villages: vec![],
    };
    assert!(instructor.validate().issues.is_empty());
    instructor.mobile = "1380013800".into();
    assert_eq!(instructor.validate().issues[0].path, "mobile");
}

#[test]
fn visits_need_households_and_sane_values() {
    let mut v = Visit {
        id: Uuid::now_v7(),
        instructor_id: Uuid::now_v7(),
        date: "2026-03-01".parse().unwrap(),
        households: vec![],
        work: Work::default(),
        note: String::new(),
        position: Some(Position {
            latitude: 95.0,
            longitude: 0.0,
            accuracy_m: None,
        }),
        photos: vec!["abc".into()],
    };
    let report = v.validate();
    let paths: Vec<_> = report
        .issues
        .iter()
        .map(|i| (i.path.as_str(), i.severity))
        .collect();
    assert_eq!(
        paths,
        [
            ("households", Severity::Error),
            ("work", Severity::Warning),
            ("position", Severity::Error),
            ("photos[0]", Severity::Error)
        ]
    );
    let h = Uuid::now_v7();
    v.households = vec![h, h];
    assert!(
        v.validate()
            .at("households")
            .any(|i| i.message == "同一户选择了两次")
    );
}

#[test]
fn next_years_ledger_carries_everything_forward() {
    let mut l = ledger();
    l.resources.cultivated = amount("6");
    l.income.expected_total = amount("32000");
    l.income.expected_farming = amount("12000");
    l.labour.push(fieldledger_model::ledger::LabourMember {
        name: "王小红".into(),
        ..Default::default()
    });
    let next = l.carried_forward();
    assert_eq!((next.year, next.household_id), (2027, l.household_id));
    assert_ne!(next.id, l.id);
    assert_eq!(next.labour, l.labour);
    assert_eq!(next.resources, l.resources);
    assert_eq!(next.income.last_year_total, amount("32000"));
    assert_eq!(next.income.last_year_farming, amount("12000"));
    assert_eq!(next.income.expected_total, None);
}

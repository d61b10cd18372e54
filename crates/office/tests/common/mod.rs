//! Seeded sample data for the tests and the sample-exports example: three
//! counties of a made-up prefecture, their villages, instructors,
//! households, visit logs and one full ledger. Names are invented.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::BTreeSet;

use chrono::NaiveDate;
use fieldledger_model::area::Location;
use fieldledger_model::choice::{Choice, Pick};
use fieldledger_model::ledger::*;
use fieldledger_model::resident_id::check_char;
use fieldledger_model::roster::{Instructor, Sex, Source};
use fieldledger_model::visit::{Visit, Work};
use fieldledger_model::{Amount, Household, Ledger, YearMonth};
use fieldledger_office::coverage::Village;
use uuid::Uuid;

pub const COUNTIES: [&str; 3] = ["紫云县", "望谟县", "册亨县"];
const TOWNSHIPS: [&str; 2] = ["松山镇", "猴场镇"];
const VILLAGES: [&str; 3] = ["大坝村", "新寨村", "坪上村"];
const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "黄", "罗"];
const GIVEN: [&str; 8] = ["明", "芳", "强", "秀英", "国华", "德贵", "光荣", "春花"];

/// A small deterministic generator for test data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A fixed id from a number, so that data is the same on every run.
pub fn id(kind: u8, n: u64) -> Uuid {
    Uuid::from_u128((u128::from(kind) << 96) | u128::from(n))
}

/// A valid resident ID number; `n` makes the sequence part unique.
pub fn resident_id(n: u64) -> String {
    let year = 1950 + n % 50;
    let month = 1 + n % 12;
    let day = 1 + n % 28;
    let seq = n % 1000;
    let area = 520425 + (n / 1000) % 50;
    let first17 = format!("{area}{year:04}{month:02}{day:02}{seq:03}");
    format!("{first17}{}", check_char(first17.as_bytes()))
}

pub fn name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN))
}

/// Every village: three counties × two townships × three villages, with
/// 0, 1 or 2 main industries in turn.
pub fn villages() -> Vec<Village> {
    let mut all = Vec::new();
    for county in COUNTIES {
        for township in TOWNSHIPS {
            for village in VILLAGES {
                let n = all.len() as u64;
                all.push(Village {
                    id: id(1, n),
                    county: county.into(),
                    township: township.into(),
                    name: village.into(),
                    main_industries: (n % 3) as u32,
                });
            }
        }
    }
    all
}

/// `count` instructors spread over the counties, sources in turn.
pub fn instructors(count: usize, seed: u64) -> Vec<Instructor> {
    let mut rng = Rng::new(seed);
    (0..count as u64)
        .map(|n| Instructor {
            id: id(2, n),
            county_id: id(3, n % 3),
            county: COUNTIES[(n % 3) as usize].into(),
            name: name(&mut rng),
            sex: Some(*rng.pick(Sex::ALL)),
            birth: Some(YearMonth::new(1970 + (n % 25) as u16, 1 + (n % 12) as u8).unwrap()),
            political_status: rng.pick(&["中共党员", "群众", "共青团员"]).to_string(),
            education: rng.pick(&["大专", "本科", "中专", "高中"]).to_string(),
            major: rng
                .pick(&["农学", "畜牧兽医", "园艺", "经济管理"])
                .to_string(),
            employer: format!("{}农业农村局", COUNTIES[(n % 3) as usize]),
            title: rng
                .pick(&["农艺师", "助理农艺师", "村支书", "科员"])
                .to_string(),
            mobile: format!("139{:08}", 10_000_000 + n),
            source: Source::ALL[(n as usize) % Source::ALL.len()],
            villages: vec![VILLAGES[(n % 3) as usize].into()],
        })
        .collect()
}

/// `count` households in the villages, each guided by an instructor of
/// its county (every seventh household left without one).
pub fn households(count: usize, instructors: &[Instructor], seed: u64) -> Vec<Household> {
    let mut rng = Rng::new(seed);
    let villages = villages();
    (0..count as u64)
        .map(|n| {
            let village = &villages[(n as usize) % villages.len()];
            let local: Vec<&Instructor> = instructors
                .iter()
                .filter(|i| i.county == village.county)
                .collect();
            let instructor = (n % 7 != 0 && !local.is_empty())
                .then(|| local[rng.below(local.len() as u64) as usize].id);
            Household {
                id: id(4, n),
                head_name: name(&mut rng),
                id_number: resident_id(n),
                location: Location {
                    county: village.county.clone(),
                    township: village.township.clone(),
                    village: village.name.clone(),
                    group: format!("{}组", 1 + n % 6),
                },
                village_id: Some(village.id),
                instructor_id: instructor,
            }
        })
        .collect()
}

/// Visits in `year` by each instructor to households they guide.
pub fn visits(households: &[Household], year: i32, seed: u64) -> Vec<Visit> {
    let mut rng = Rng::new(seed);
    let mut visits = Vec::new();
    for (n, household) in households.iter().enumerate() {
        let Some(instructor) = household.instructor_id else {
            continue;
        };
        for k in 0..(1 + rng.below(3)) {
            let date =
                NaiveDate::from_ymd_opt(year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
                    .unwrap();
            visits.push(Visit {
                id: id(5, (n as u64) * 10 + k),
                instructor_id: instructor,
                date,
                households: vec![household.id],
                work: work(&mut rng),
                note: String::new(),
                position: None,
                photos: Vec::new(),
            });
        }
    }
    visits
}

fn work(rng: &mut Rng) -> Work {
    Work {
        policy_talks: rng.below(3) as u32,
        industry_choice: rng.below(2) == 0,
        trained_people: rng.below(5) as u32,
        tech_guidance: rng.below(2) as u32,
        problems_solved: rng.below(3) as u32,
        project_support: rng.below(3) == 0,
        funds: Amount::from_hundredths(rng.below(500_000) as i64),
        sales_help: rng.below(2) == 0,
        sales_income: Amount::from_hundredths(rng.below(2_000_000) as i64),
        coop_members: rng.below(3) as u32,
        benefit_link: rng.below(4) == 0,
    }
}

fn amount(text: &str) -> Option<Amount> {
    Some(Amount::parse(text).unwrap())
}

/// A ledger with every section filled.
pub fn full_ledger(household: &Household) -> Ledger {
    let mut ledger = Ledger::new(household.id, 2024);
    ledger.basic.population = Some(5);
    ledger.basic.poverty_causes = MultiSelect {
        chosen: BTreeSet::from([PovertyCause::Illness, PovertyCause::LackOfSkills]),
        other: None,
    };
    ledger.resources = Resources {
        cultivated: amount("6.5"),
        under_15: amount("2"),
        from_15_to_25: amount("3.5"),
        over_25: amount("1"),
        forest: amount("12"),
    };
    ledger.labour = vec![
        member("王德贵", "户主", 1968, Education::Primary, "水稻、玉米种植"),
        member("罗春花", "配偶", 1971, Education::JuniorMiddle, "生猪养殖"),
        member(
            "王国华",
            "长子",
            1995,
            Education::Vocational,
            "电商销售、驾驶",
        ),
    ];
    ledger.intent.industries = MultiSelect {
        chosen: BTreeSet::from([Industry::Tea, Industry::SpecialtyPigs]),
        other: Some("刺梨".into()),
    };
    ledger.intent.work = BTreeSet::from([WorkKind::OwnProduction, WorkKind::ProcessingBusiness]);
    ledger.income = Income {
        last_year_total: amount("18600"),
        last_year_farming: amount("9200.5"),
        expected_total: amount("23000"),
        expected_farming: amount("12500"),
    };
    ledger.participation = Participation {
        main_work: Some(WorkKind::OwnProduction),
        own: vec![
            own(
                Industry::Tea,
                "绿茶",
                "3",
                ScaleUnit::Mu,
                "450",
                "6000",
                "5400",
            ),
            own(
                Industry::SpecialtyPigs,
                "黑毛猪",
                "6",
                ScaleUnit::Head,
                "6",
                "9000",
                "8600",
            ),
        ],
        employed: vec![Employment {
            employer: "紫云县绿源茶叶专业合作社".into(),
            industry: Some(Pick::Listed(Industry::Tea)),
            workdays_per_month: Some(12),
            monthly_wage: amount("1440"),
            actual_income: amount("8640"),
        }],
    };
    ledger.benefit_links = vec![BenefitLink {
        entity: "紫云县绿源茶叶专业合作社".into(),
        industry: "茶叶".into(),
        land_shares: amount("3000"),
        microcredit_shares: amount("10000"),
        fiscal_shares: amount("5000"),
        expected_dividend: amount("1200"),
        actual_dividend: amount("1080"),
    }];
    ledger.sales = vec![SalesAgreement {
        buyer: "贵阳惠民农产品有限公司".into(),
        product: "黑毛猪".into(),
        unit: Some(SalesUnit::Head),
        expected_quantity: amount("6"),
        actual_quantity: amount("5"),
        actual_amount: amount("8600"),
    }];
    ledger
}

fn member(
    name: &str,
    relation: &str,
    year: u16,
    education: Education,
    skills: &str,
) -> LabourMember {
    LabourMember {
        name: name.into(),
        relation: relation.into(),
        birth: Some(YearMonth::new(year, 6).unwrap()),
        education: Some(education),
        skills: skills.into(),
    }
}

fn own(
    industry: Industry,
    product: &str,
    scale: &str,
    unit: ScaleUnit,
    output: &str,
    expected: &str,
    actual: &str,
) -> OwnIndustry {
    OwnIndustry {
        industry: Some(Pick::Listed(industry)),
        product: product.into(),
        scale: amount(scale),
        unit: Some(unit),
        expected_output: amount(output),
        expected_income: amount(expected),
        actual_income: amount(actual),
    }
}

/// An Attachment 4 report by instructor, tallied from `visits`.
pub fn attachment4_report(
    instructors: &[Instructor],
    visits: &[Visit],
    period: fieldledger_model::tally::Period,
) -> fieldledger_model::wire::Attachment4Report {
    use fieldledger_model::tally::Attachment4;
    use fieldledger_model::wire::{Attachment4Report, ReportLevel, ReportRow};
    let rows = instructors
        .iter()
        .map(|i| ReportRow {
            id: i.id,
            name: i.name.clone(),
            figures: Attachment4::tally(visits.iter().filter(|v| v.instructor_id == i.id), period),
        })
        .collect();
    Attachment4Report {
        period,
        level: ReportLevel::Instructor,
        rows,
        total: Attachment4::tally(visits, period),
    }
}

/// Households guided by each instructor.
pub fn guided_counts(households: &[Household]) -> std::collections::HashMap<Uuid, u64> {
    let mut counts = std::collections::HashMap::new();
    for h in households {
        if let Some(i) = h.instructor_id {
            *counts.entry(i).or_insert(0) += 1;
        }
    }
    counts
}

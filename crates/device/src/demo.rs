//! Made-up but realistic data: households of south-east Guizhou with Miao
//! and Han names, valid ID numbers, ledgers with repeating rows, and visits
//! spread over this year and last. Benchmarks, screenshots and the demo
//! build fill a store with it; the same seed gives the same data.
//!
//! Most records are written as if already synced; the newest one in a
//! hundred visits and ledgers is saved through the outbox, so lists show
//! pending badges as they would in the field.

use chrono::{Days, NaiveDate};
use fieldledger_model::area::Location;
use fieldledger_model::choice::{Choice, Pick};
use fieldledger_model::id::new_id;
use fieldledger_model::ledger::{
    BenefitLink, Education, Industry, LabourMember, OwnIndustry, PovertyCause, SalesAgreement,
    SalesUnit, ScaleUnit, WorkKind,
};
use fieldledger_model::resident_id::check_char;
use fieldledger_model::visit::Work;
use fieldledger_model::wire::{Change, Record};
use fieldledger_model::{Amount, Household, Ledger, Visit, YearMonth};
use uuid::Uuid;

use crate::store::{Result, Store, this_year};

/// Records written per transaction while filling: big enough that commits
/// do not dominate, small enough to keep the WAL modest.
const CHUNK: usize = 5_000;

/// One record in this many is saved through the outbox instead of as synced.
const PENDING_EVERY: usize = 100;

/// A township with its villages.
type Township = (&'static str, &'static [&'static str]);

/// (county, ID area code, townships)
const PLACES: &[(&str, &str, &[Township])] = &[
    (
        "台江县",
        "522630",
        &[
            ("台拱镇", &["交密村", "红阳村", "展福村"]),
            ("排羊乡", &["九摆村", "南省村"]),
        ],
    ),
    (
        "雷山县",
        "522634",
        &[
            ("西江镇", &["羊排村", "控拜村", "麻料村"]),
            ("丹江镇", &["乌东村", "脚尧村"]),
        ],
    ),
    (
        "剑河县",
        "522629",
        &[
            ("革东镇", &["八郎村", "屯州村"]),
            ("久仰镇", &["基佑村", "久社村"]),
        ],
    ),
    (
        "从江县",
        "522633",
        &[
            ("丙妹镇", &["岜沙村", "大歹村"]),
            ("加勉乡", &["党港村", "污扣村"]),
        ],
    ),
];

const SURNAMES: &[&str] = &[
    "王", "杨", "吴", "龙", "张", "李", "潘", "邰", "罗", "石", "陈", "刘", "唐", "欧", "万",
];
const GIVEN: &[&str] = &[
    "德", "明", "光", "秀", "英", "文", "金", "华", "国", "正", "老", "妹", "贵", "福", "志", "兰",
    "春", "应", "开", "昌", "云", "芳", "你", "勇",
];
const RELATIONS: &[&str] = &["配偶", "长子", "次子", "长女", "儿媳", "孙子"];
const SKILLS: &[&str] = &["种植", "养殖", "刺绣", "务工", "驾驶", "木工", ""];
const ENTITIES: &[&str] = &[
    "台江县苗岭茶业合作社",
    "雷山县银球茶业有限公司",
    "剑河县食用菌专业合作社",
    "从江县香猪养殖合作社",
];
const PRODUCTS: &[(&str, Industry)] = &[
    ("银球茶", Industry::Tea),
    ("辣椒", Industry::Vegetables),
    ("稻田鸭", Industry::EcologicalPoultry),
    ("香菇", Industry::EdibleFungi),
    ("天麻", Industry::MedicinalHerbs),
    ("蓝莓", Industry::Fruit),
    ("香猪", Industry::SpecialtyPigs),
];

/// What [`fill`] made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSummary {
    pub households: usize,
    pub ledgers: usize,
    pub visits: usize,
    /// The instructor the visits are logged by.
    pub instructor_id: Uuid,
}

/// A small deterministic generator (SplitMix64); demo data needs no more.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn yuan(&mut self, max: u64) -> Amount {
        Amount::from_units(self.below(max) as i64 + 1)
    }

    fn uuid(&mut self) -> Uuid {
        uuid::Builder::from_random_bytes(
            (u128::from(self.next()) << 64 | u128::from(self.next())).to_le_bytes(),
        )
        .into_uuid()
    }
}

fn person_name(rng: &mut Rng) -> String {
    let given_len = 1 + rng.below(2) as usize;
    let mut name = rng.pick(SURNAMES).to_string();
    for _ in 0..given_len {
        let given: &&str = rng.pick(GIVEN);
        name.push_str(given);
    }
    name
}

fn id_number(rng: &mut Rng, area: &str) -> String {
    let birth =
        NaiveDate::from_ymd_opt(1945, 1, 1).unwrap_or_default() + Days::new(rng.below(18_250));
    let first17 = format!("{area}{}{:03}", birth.format("%Y%m%d"), rng.below(1000));
    format!("{first17}{}", check_char(first17.as_bytes()))
}

fn household(rng: &mut Rng) -> Household {
    let (county, area, townships) = rng.pick(PLACES);
    let (township, villages) = rng.pick(townships);
    let location = Location {
        county: (*county).into(),
        township: (*township).into(),
        village: (*rng.pick(villages)).into(),
        group: format!("{}组", 1 + rng.below(9)),
    };

    Household {
        id: rng.uuid(),
        head_name: person_name(rng),
        id_number: id_number(rng, area),
        location,
        village_id: None,
        instructor_id: None,
    }
}

fn labour(rng: &mut Rng, head: &str) -> Vec<LabourMember> {
    let mut members = vec![LabourMember {
        name: head.to_owned(),
        relation: "户主".into(),
        ..Default::default()
    }];
    for _ in 0..rng.below(4) {
        members.push(LabourMember {
            name: person_name(rng),
            relation: (*rng.pick(RELATIONS)).into(),
            birth: YearMonth::new(1950 + rng.below(55) as u16, 1 + rng.below(12) as u8).ok(),
            education: Some(*rng.pick(Education::ALL)),
            skills: (*rng.pick(SKILLS)).into(),
        });
    }
    members
}

fn own_industry(rng: &mut Rng) -> OwnIndustry {
    let (product, industry) = *rng.pick(PRODUCTS);
    let livestock = matches!(
        industry,
        Industry::SpecialtyPigs | Industry::EcologicalPoultry
    );
    OwnIndustry {
        industry: Some(Pick::Listed(industry)),
        product: product.into(),
        scale: Some(Amount::from_units(1 + rng.below(30) as i64)),
        unit: Some(if livestock {
            ScaleUnit::Head
        } else {
            ScaleUnit::Mu
        }),
        expected_output: Some(rng.yuan(2_000)),
        expected_income: Some(rng.yuan(20_000)),
        actual_income: None,
    }
}

fn ledger(rng: &mut Rng, h: &Household, year: i32) -> Ledger {
    let mut l = Ledger::new(h.id, year);
    l.id = rng.uuid();
    l.labour = labour(rng, &h.head_name);
    l.basic.population = Some(l.labour.len() as u32 + rng.below(3) as u32);
    l.basic
        .poverty_causes
        .chosen
        .insert(*rng.pick(PovertyCause::ALL));
    let (under, mid, over) = (
        rng.below(300) as i64,
        rng.below(300) as i64,
        rng.below(200) as i64,
    );
    l.resources.under_15 = Some(Amount::from_hundredths(under * 10));
    l.resources.from_15_to_25 = Some(Amount::from_hundredths(mid * 10));
    l.resources.over_25 = Some(Amount::from_hundredths(over * 10));
    l.resources.cultivated = Some(Amount::from_hundredths((under + mid + over) * 10));
    l.resources.forest = Some(Amount::from_units(rng.below(20) as i64));
    l.intent.industries.chosen.insert(rng.pick(PRODUCTS).1);
    l.intent.work.insert(*rng.pick(WorkKind::ALL));
    let total = rng.yuan(40_000);
    l.income.last_year_total = Some(total);
    l.income.last_year_farming = Some(Amount::from_hundredths(total.hundredths() / 2));
    l.participation.main_work = Some(WorkKind::OwnProduction);
    l.participation.own = (0..1 + rng.below(2)).map(|_| own_industry(rng)).collect();
    if rng.chance(40) {
        l.benefit_links.push(BenefitLink {
            entity: (*rng.pick(ENTITIES)).into(),
            industry: rng.pick(PRODUCTS).0.into(),
            microcredit_shares: Some(Amount::from_units(50_000)),
            expected_dividend: Some(Amount::from_units(3_000)),
            ..Default::default()
        });
    }
    if rng.chance(30) {
        l.sales.push(SalesAgreement {
            buyer: (*rng.pick(ENTITIES)).into(),
            product: rng.pick(PRODUCTS).0.into(),
            unit: Some(SalesUnit::Kilogram),
            expected_quantity: Some(rng.yuan(1_000)),
            ..Default::default()
        });
    }
    l
}

fn work(rng: &mut Rng) -> Work {
    Work {
        policy_talks: u32::from(rng.chance(60)),
        industry_choice: rng.chance(15),
        trained_people: if rng.chance(10) {
            rng.below(20) as u32
        } else {
            0
        },
        tech_guidance: u32::from(rng.chance(30)),
        problems_solved: rng.below(3) as u32,
        project_support: rng.chance(8),
        funds: if rng.chance(5) {
            rng.yuan(5_000)
        } else {
            Amount::ZERO
        },
        sales_help: rng.chance(10),
        sales_income: if rng.chance(10) {
            rng.yuan(3_000)
        } else {
            Amount::ZERO
        },
        coop_members: u32::from(rng.chance(5)),
        benefit_link: rng.chance(5),
    }
}

fn visit(
    rng: &mut Rng,
    households: &[Uuid],
    instructor: Uuid,
    first: NaiveDate,
    days: u64,
) -> Visit {
    let mut served = vec![*rng.pick(households)];
    if rng.chance(20) {
        let other = *rng.pick(households);
        if !served.contains(&other) {
            served.push(other);
        }
    }
    Visit {
        id: rng.uuid(),
        instructor_id: instructor,
        date: first + Days::new(rng.below(days)),
        households: served,
        work: work(rng),
        note: if rng.chance(30) {
            "入户了解产业发展情况".into()
        } else {
            String::new()
        },
        position: None,
        photos: Vec::new(),
    }
}

/// Writes `records` in chunks: most as synced, every hundredth through the
/// outbox.
fn write(store: &mut Store, records: Vec<Record>) -> Result<()> {
    for chunk in records.chunks(CHUNK) {
        let (mut synced, mut pending) = (Vec::new(), Vec::new());
        for (i, record) in chunk.iter().enumerate() {
            if (i + 1) % PENDING_EVERY == 0 && !matches!(record, Record::Household(_)) {
                pending.push(record.clone());
            } else {
                synced.push(Change {
                    head: new_id(),
                    record: record.clone(),
                    conflict: false,
                });
            }
        }
        store.import_synced(&synced)?;
        store.save_all(pending)?;
    }
    Ok(())
}

/// Fills `store` with `households` households (a ledger for last year for
/// each, and for this year for three in four) and `visits` visits, from
/// `seed`.
pub fn fill(store: &mut Store, households: usize, visits: usize, seed: u64) -> Result<DemoSummary> {
    let _span = tracing::info_span!("demo_fill", households, visits).entered();
    let mut rng = Rng(seed);
    let year = this_year();
    let homes: Vec<Household> = (0..households).map(|_| household(&mut rng)).collect();
    let mut ledgers = Vec::new();
    for h in &homes {
        ledgers.push(Record::Ledger(ledger(&mut rng, h, year - 1)));
        if rng.chance(75) {
            ledgers.push(Record::Ledger(ledger(&mut rng, h, year)));
        }
    }
    let ids: Vec<Uuid> = homes.iter().map(|h| h.id).collect();
    let instructor = rng.uuid();
    let first = NaiveDate::from_ymd_opt(year - 1, 1, 1).unwrap_or_default();
    let today = chrono::Local::now().date_naive();
    let days = (today - first).num_days().max(1) as u64 + 1;
    let visit_records: Vec<Record> = if ids.is_empty() {
        Vec::new()
    } else {
        (0..visits)
            .map(|_| Record::Visit(visit(&mut rng, &ids, instructor, first, days)))
            .collect()
    };
    let ledger_count = ledgers.len();
    write(store, homes.into_iter().map(Record::Household).collect())?;
    write(store, ledgers)?;
    write(store, visit_records)?;

    Ok(DemoSummary {
        households,
        ledgers: ledger_count,
        visits: if ids.is_empty() { 0 } else { visits },
        instructor_id: instructor,
    })
}

//! Spot checks (抽查): a reproducible random sample of households per
//! county, and the list inspectors take into the field.
//!
//! The same seed and the same households give the same sample whatever the
//! order of the input: households are sorted by id, each county draws from
//! its own generator seeded by the seed and the county's name.

use std::collections::BTreeMap;

use fieldledger_model::{Household, Ledger};
use uuid::Uuid;

use crate::attachment5::fields;
use crate::table::{Header, Heading, Table, Value};

/// How many households to draw in each county.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SampleSize {
    /// This many, or every household of a smaller county.
    Count(usize),
    /// This percentage of the county's households, rounded up, so that a
    /// county with any household gives at least one.
    Percent(f64),
}

impl SampleSize {
    /// Households to draw from a county of `population` households.
    pub fn of(self, population: usize) -> usize {
        let wanted = match self {
            SampleSize::Count(n) => n,
            SampleSize::Percent(p) => {
                let share = population as f64 * p.clamp(0.0, 100.0) / 100.0;
                share.ceil() as usize
            }
        };
        wanted.min(population)
    }
}

/// The ids of the households drawn, by county name; within a county in
/// the order drawn.
pub fn sample(
    households: &[Household],
    seed: u64,
    size: SampleSize,
) -> BTreeMap<String, Vec<Uuid>> {
    let mut by_county: BTreeMap<String, Vec<Uuid>> = BTreeMap::new();
    for household in households {
        let county = household.location.county.clone();
        by_county.entry(county).or_default().push(household.id);
    }
    for (county, ids) in by_county.iter_mut() {
        ids.sort();
        ids.dedup();
        let take = size.of(ids.len());
        let mut rng = SplitMix64::new(seed ^ fnv1a(county.as_bytes()));
        for i in 0..take {
            let j = i + rng.below((ids.len() - i) as u64) as usize;
            ids.swap(i, j);
        }
        ids.truncate(take);
    }
    by_county.retain(|_, ids| !ids.is_empty());
    by_county
}

/// SplitMix64 (Steele, Lea and Flood 2014): a tiny generator whose output
/// depends only on its seed, which is all a reproducible sample needs.
struct SplitMix64(u64);

impl SplitMix64 {
    fn new(seed: u64) -> Self {
        Self(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `bound` (at least 1), without modulo bias.
    fn below(&mut self, bound: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % bound;
        loop {
            let n = self.next();
            if n < zone {
                return n % bound;
            }
        }
    }
}

/// FNV-1a hash of a county's name, so each county has its own stream.
fn fnv1a(bytes: &[u8]) -> u64 {
    /// FNV-1a 64-bit offset basis and prime, from the algorithm's definition.
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    bytes
        .iter()
        .fold(OFFSET, |hash, b| (hash ^ u64::from(*b)).wrapping_mul(PRIME))
}

/// Height of a spot-check row: room for the inspector's handwriting.
const WRITING_ROW_HEIGHT: f64 = 30.0;

/// The title of the spot-check list.
pub const TITLE: &str = "贫困户产业发展台账抽查表";

/// Columns the inspector fills in, left blank.
pub const CHECK_COLUMNS: [&str; 3] = ["核查结果", "核查人", "核查日期"];

/// The columns of the list, left to right.
pub fn columns() -> Vec<&'static str> {
    let mut columns = vec!["序号"];
    columns.extend(fields::LOCATION);
    columns.extend(["贫困户户主姓名", "身份证号", "人口数（人）"]);
    columns.extend([fields::INCOME[0], fields::INCOME[2], fields::MAIN_WORK]);
    columns.extend(["自己发展产业", "利益联结经营主体"]);
    columns.extend(CHECK_COLUMNS);
    columns
}

/// Width in characters of each of [`columns`].
const WIDTHS: [f64; 16] = [
    5.0, 10.0, 10.0, 10.0, 7.0, 9.0, 20.0, 7.0, 10.0, 10.0, 14.0, 16.0, 16.0, 14.0, 8.0, 9.0,
];

/// One household drawn, with its ledger for the year when there is one.
#[derive(Debug, Clone, Copy)]
pub struct Drawn<'a> {
    pub household: &'a Household,
    pub ledger: Option<&'a Ledger>,
}

/// The spot-check list. It shows full ID numbers, since inspectors must
/// identify each household; its note says so.
pub fn table(drawn: &[Drawn], seed: u64, size: SampleSize, heading: Heading) -> Table {
    let rows = drawn
        .iter()
        .enumerate()
        .map(|(i, d)| row(i + 1, d))
        .collect();
    let size_text = match size {
        SampleSize::Count(n) => format!("每县抽取{n}户"),
        SampleSize::Percent(p) => format!("每县抽取{p}%"),
    };

    Table {
        sheet_name: "抽查".into(),
        title: TITLE.into(),
        heading,
        unit_note: Some(format!("抽样种子：{seed}，{size_text}")),
        headers: columns()
            .into_iter()
            .zip(WIDTHS)
            .map(|(label, width)| Header::column(label, width))
            .collect(),
        rows,
        total: Some(total(drawn.len())),
        notes: vec![
            "注：1、本表为抽查用表，为便于核实农户身份，身份证号完整显示；请妥善保管，不得外传，核查结束后按规定销毁。".into(),
            "    2、同一抽样种子与同一户籍名单可重现相同的抽样结果。“核查结果”“核查人”“核查日期”由核查人员现场填写。".into(),
        ],
        row_height: WRITING_ROW_HEIGHT,
    }
}

fn row(number: usize, drawn: &Drawn) -> Vec<Value> {
    let h = drawn.household;
    let l = &h.location;
    let ledger = drawn.ledger;
    let population = ledger
        .and_then(|l| l.basic.population)
        .map_or(Value::Blank, |p| Value::Count(u64::from(p)));
    let money = |pick: fn(&Ledger) -> Option<fieldledger_model::Amount>| {
        ledger
            .and_then(pick)
            .map_or(Value::Blank, |a| Value::decimal(a.to_string()))
    };
    let own: Vec<String> = ledger
        .map(|l| {
            l.participation
                .own
                .iter()
                .map(|o| o.product.clone())
                .collect()
        })
        .unwrap_or_default();
    let links: Vec<String> = ledger
        .map(|l| l.benefit_links.iter().map(|b| b.entity.clone()).collect())
        .unwrap_or_default();
    let mut cells = vec![Value::Count(number as u64)];
    cells.extend([&l.county, &l.township, &l.village, &l.group].map(Value::text));
    cells.extend([
        Value::text(&h.head_name),
        Value::text(&h.id_number),
        population,
    ]);
    cells.push(money(|l| l.income.last_year_total));
    cells.push(money(|l| l.income.expected_total));
    cells.push(Value::text(
        ledger.map(fields::main_work).unwrap_or_default(),
    ));
    cells.push(Value::text(own.join("、")));
    cells.push(Value::text(links.join("、")));
    cells.extend(CHECK_COLUMNS.map(|_| Value::Blank));
    cells
}

fn total(count: usize) -> Vec<Value> {
    let mut cells = vec![Value::text(format!("合计：{count}户"))];
    cells.extend(std::iter::repeat_n(Value::Blank, WIDTHS.len() - 1));
    cells
}

//! Import of households and instructors: clean files in both formats, files
//! with bad rows (nothing imported, every row reported), our own roster
//! export read back, and a file of 10,000 households.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use fieldledger_model::roster::Source;
use fieldledger_office::import::{
    self, Format, HOUSEHOLD_COLUMNS, HouseholdContext, ImportError, InstructorContext,
    MOBILE_COLUMN, VillageKey,
};
use fieldledger_office::{Heading, attachment2, table_to_csv, table_to_xlsx};
use rust_xlsxwriter::Workbook;
use uuid::Uuid;

/// Lookups built from the seeded villages and instructors.
struct Known {
    villages: HashMap<VillageKey, Uuid>,
    ids: HashSet<String>,
    mobiles: HashMap<String, Uuid>,
}

impl Known {
    fn new() -> Self {
        let villages = common::villages()
            .into_iter()
            .map(|v| (VillageKey::new(&v.county, &v.township, &v.name), v.id))
            .collect();
        let mobiles = common::instructors(6, 1)
            .into_iter()
            .map(|i| (i.mobile, i.id))
            .collect();
        Self {
            villages,
            ids: HashSet::new(),
            mobiles,
        }
    }

    fn context(&self) -> HouseholdContext<'_> {
        HouseholdContext {
            villages: &self.villages,
            known_ids: &self.ids,
            instructors_by_mobile: &self.mobiles,
        }
    }
}

fn header() -> Vec<String> {
    let mut header: Vec<String> = HOUSEHOLD_COLUMNS.iter().map(|s| s.to_string()).collect();
    header.push(MOBILE_COLUMN.into());
    header
}

/// Data rows of households `from..from + count`, in the seeded villages.
fn household_lines(from: u64, count: u64) -> Vec<Vec<String>> {
    let villages = common::villages();
    (from..from + count)
        .map(|n| {
            let v = &villages[(n as usize) % villages.len()];
            vec![
                v.county.clone(),
                v.township.clone(),
                v.name.clone(),
                format!("{}组", 1 + n % 5),
                format!("户主{n}"),
                common::resident_id(n),
                (1 + n % 6).to_string(),
                if n % 2 == 0 {
                    format!("139{:08}", 10_000_000 + n % 6)
                } else {
                    String::new()
                },
            ]
        })
        .collect()
}

fn csv_bytes(lines: &[Vec<String>]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    for line in lines {
        writer.write_record(line).unwrap();
    }
    writer.into_inner().unwrap()
}

fn xlsx_bytes(lines: &[Vec<String>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in lines.iter().enumerate() {
        for (c, cell) in line.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn rows_report(error: ImportError) -> import::ImportReport {
    match error {
        ImportError::Rows(report) => report,
        other => panic!("expected a row report, got {other:?}"),
    }
}

#[test]
fn clean_csv_and_xlsx_import_every_household() {
    let known = Known::new();
    let mut lines = vec![header()];
    lines.extend(household_lines(0, 30));
    for (bytes, format) in [
        (csv_bytes(&lines), Format::Csv),
        (xlsx_bytes(&lines), Format::Xlsx),
    ] {
        assert_eq!(Format::sniff(&bytes), format);
        let imported = import::households(&bytes, format, &known.context()).unwrap();
        assert_eq!(imported.len(), 30);
        let first = &imported[0];
        assert_eq!(first.household.id_number, common::resident_id(0));
        assert_eq!(first.household.location.group, "1组");
        assert_eq!(first.household.village_id, Some(common::villages()[0].id));
        assert_eq!(
            first.household.instructor_id,
            Some(common::instructors(6, 1)[0].id)
        );
        assert_eq!(first.population, 1);
        assert_eq!(first.row, 2);
        assert_eq!(imported[1].household.instructor_id, None);
    }
}

#[test]
fn a_file_with_bad_rows_imports_nothing_and_names_every_row() {
    let mut known = Known::new();
    known.ids.insert(common::resident_id(5));
    let mut lines = vec![vec!["某某县2024年贫困户名单".to_string()], header()];
    lines.extend(household_lines(0, 8));
    // Spreadsheet rows: title 1, header 2, data from 3.
    lines[2 + 1][5] = "520425198001011234".into(); // row 4: check character
    lines[2 + 2][2] = "不存在村".into(); // row 5: unknown village
    lines[2 + 3][5] = common::resident_id(0); // row 6: same as row 3
    lines[2 + 4][7] = "1391000".into(); // row 7: bad mobile
    // row 8 (resident_id(5)) is already known
    lines[2 + 6][4] = " ".into(); // row 9: missing name
    lines[2 + 6][6] = "0".into(); // row 9: population 0
    lines[2 + 7][7] = "13800000000".into(); // row 10: nobody has this mobile
    let error = import::households(&csv_bytes(&lines), Format::Csv, &known.context()).unwrap_err();
    let report = rows_report(error);

    let found: Vec<(usize, &str)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (4, "身份证号"),
            (5, "村"),
            (6, "身份证号"),
            (7, "产业指导员手机号码"),
            (8, "身份证号"),
            (9, "贫困户户主姓名"),
            (9, "人口数（人）"),
            (10, "产业指导员手机号码"),
        ]
    );
    let reasons: Vec<&str> = report.problems.iter().map(|p| p.reason.as_str()).collect();
    assert!(reasons[0].contains("校验位"));
    assert!(reasons[1].contains("没有名为“不存在村”的村"));
    assert!(reasons[2].contains("与第3行是同一户"));
    assert!(reasons[3].contains("11位数字"));
    assert!(reasons[4].contains("已经登记"));
    assert_eq!(reasons[5], "请填写贫困户户主姓名");
    assert!(reasons[6].contains("1以上的整数"));
    assert!(reasons[7].contains("没有使用该手机号码的产业指导员"));
    assert_eq!(report.rows(), [4, 5, 6, 7, 8, 9, 10]);
    assert!(report.to_string().contains("第4行“身份证号”"));
}

#[test]
fn a_file_without_the_columns_is_refused_by_name() {
    let known = Known::new();
    let lines = vec![vec![
        "县（市、区、特区）".to_string(),
        "村".into(),
        "身份证号".into(),
    ]];
    let error = import::households(&csv_bytes(&lines), Format::Csv, &known.context()).unwrap_err();
    match error {
        ImportError::MissingColumns { missing } => {
            assert!(missing.contains(&"贫困户户主姓名".to_string()));
            assert!(!missing.contains(&"村".to_string()));
        }
        other => panic!("{other:?}"),
    }
    let garbage = import::households(b"PK\x03\x04garbage", Format::Xlsx, &known.context());
    assert!(matches!(garbage, Err(ImportError::Xlsx(_))));
}

#[test]
fn ten_thousand_households_import() {
    let known = Known::new();
    let mut lines = vec![header()];
    lines.extend(household_lines(0, 10_000));
    let bytes = xlsx_bytes(&lines);
    let imported = import::households(&bytes, Format::Xlsx, &known.context()).unwrap();
    assert_eq!(imported.len(), 10_000);
    let ids: HashSet<&str> = imported
        .iter()
        .map(|h| h.household.id_number.as_str())
        .collect();
    assert_eq!(ids.len(), 10_000);
    assert_eq!(imported[9_999].row, 10_001);
}

fn counties() -> HashMap<String, Uuid> {
    common::COUNTIES
        .iter()
        .enumerate()
        .map(|(i, c)| (c.to_string(), common::id(3, i as u64)))
        .collect()
}

#[test]
fn our_own_roster_export_imports_back() {
    let instructors = common::instructors(14, 2);
    let heading = Heading::new("测试", NaiveDate::from_ymd_opt(2024, 1, 1).unwrap());
    let table = attachment2::table(&instructors, &HashMap::new(), heading);
    let counties = counties();
    let known = HashSet::new();
    let context = InstructorContext {
        counties: &counties,
        known_mobiles: &known,
    };
    for (bytes, format) in [
        (table_to_xlsx(&table).unwrap(), Format::Xlsx),
        (table_to_csv(&table).unwrap(), Format::Csv),
    ] {
        let imported = import::instructors(&bytes, format, &context).unwrap();
        assert_eq!(imported.len(), instructors.len());
        for (got, want) in imported.iter().zip(&instructors) {
            assert_eq!(
                (&got.name, &got.mobile, got.source),
                (&want.name, &want.mobile, want.source)
            );
            assert_eq!(
                (got.sex, got.birth, &got.villages),
                (want.sex, want.birth, &want.villages)
            );
            assert_eq!(
                (&got.employer, got.county_id),
                (&want.employer, want.county_id)
            );
        }
    }
}

#[test]
fn bad_instructor_rows_are_all_reported() {
    let instructors = common::instructors(5, 3);
    let mut rows: Vec<Vec<String>> =
        vec![attachment2::COLUMNS.iter().map(|s| s.to_string()).collect()];
    for (n, i) in instructors.iter().enumerate() {
        rows.push(vec![
            (n + 1).to_string(),
            i.county.clone(),
            i.name.clone(),
            "男".into(),
            "1980-05".into(),
            "群众".into(),
            "本科".into(),
            "农学".into(),
            "农业局".into(),
            "农艺师".into(),
            i.mobile.clone(),
            i.source_label(),
            "大坝村、新寨村".into(),
            "0".into(),
        ]);
    }
    rows[1][11] = "技术员".into(); // row 2: unknown source
    rows[2][1] = "外省县".into(); // row 3: unknown county
    rows[3][10] = rows[1][10].clone(); // row 4: same mobile as row 2
    rows[4][3] = "未知".into(); // row 5: bad sex
    rows[4][4] = "1980-13".into(); // row 5: bad birth
    let known: HashSet<String> = [instructors[4].mobile.clone()].into(); // row 6
    let counties = counties();
    let context = InstructorContext {
        counties: &counties,
        known_mobiles: &known,
    };
    let report =
        rows_report(import::instructors(&csv_bytes(&rows), Format::Csv, &context).unwrap_err());
    let found: Vec<(usize, &str)> = report
        .problems
        .iter()
        .map(|p| (p.row, p.column.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (2, "指导员来源"),
            (3, "县名"),
            (4, "手机号码"),
            (5, "性别"),
            (5, "出生年月"),
            (6, "手机号码")
        ]
    );
    assert!(report.problems[0].reason.contains("驻村工作队队员"));
    assert!(report.problems[2].reason.contains("与第2行的手机号码相同"));
}

trait SourceLabel {
    fn source_label(&self) -> String;
}

impl SourceLabel for fieldledger_model::roster::Instructor {
    fn source_label(&self) -> String {
        use fieldledger_model::choice::Choice;
        let source: Source = self.source;
        source.label().into()
    }
}
